"""The national schedule (Jadwal Nasional): a YAML file validated into strict, frozen models.

Only `yaml.safe_load`-equivalent parsing is used (SafeLoader), and every model is strict so that YAML 1.1
surprises (`kode: NO` becoming False) are errors, not silent conversions. Errors name the YAML line.

The models here are plain frozen dataclasses. The rules a file must meet are pydantic's strict models
(pkp_cli.model.schedule_spec), but a file that plainly meets them (every value of exactly the type its field
takes, nothing missing or extra, every bound kept: any schedule pkp ships or writes) is taken without pydantic
(`plain_model`): importing pydantic and building its models costs about 60 ms of every run, a tenth of what a cold
`pkp status --province Bali` adds to importing pandas. Anything else (a wrong type, a missing or unknown key, a
value out of bounds, an unusual but valid value such as an integer `bobot`) goes through pydantic, whose verdict
and messages decide, as before; its model is then turned into these (`from_spec`). tests/model/test_plain_schedule.py
checks that both ways agree.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pkp_cli.errors import Exit, PkpError
from pkp_cli.model import plain
from pkp_cli.model.plain import NotPlain

if TYPE_CHECKING:
    from pkp_cli.model.yamlio import Problem

# The YAML reader (PyYAML and pkp's bounded loader, pkp_cli.model.yamlio) is imported where a file is parsed: a
# schedule kept validated in pkp's cache (pkp_cli.ingest.schedule_entry) comes back without it.

KEY_STAGE_ROLES = ("rekrutmen", "revisi_dipa", "kelembagaan", "survei", "konstruksi")
LEVELS = ("provinsi", "lokasi")


@dataclass(frozen=True, kw_only=True)
class Stage:
    kode: str
    nama: str
    tingkat: str  # one of LEVELS
    mulai: date
    selesai: date
    setelah: tuple[str, ...] = ()
    perlu_revisi_dipa: bool = False
    dapat_dipercepat: bool = False
    bobot: float = 1.0


@dataclass(frozen=True, kw_only=True)
class KeyStages:
    rekrutmen: str | None = None
    revisi_dipa: str | None = None
    kelembagaan: str | None = None
    survei: str | None = None
    konstruksi: str | None = None


@dataclass(frozen=True, kw_only=True)
class Program:
    tahapan_kunci: KeyStages = field(default_factory=KeyStages)
    tahapan: tuple[Stage, ...]


@dataclass(frozen=True, kw_only=True)
class ScheduleModel:
    tahun_anggaran: int
    batas_akhir: date
    program: dict[str, Program]


_STAGE_REQUIRED = ("kode", "nama", "tingkat", "mulai", "selesai")
_STAGE_FIELDS = frozenset((*_STAGE_REQUIRED, "setelah", "perlu_revisi_dipa", "dapat_dipercepat", "bobot"))


def _stage(raw: Any) -> Stage:
    d = plain.keys(raw, _STAGE_FIELDS, _STAGE_REQUIRED)
    tingkat = plain.one_of(d["tingkat"], LEVELS)
    setelah = plain.texts(d.get("setelah", []))
    bobot = plain.positive(d.get("bobot", 1.0))
    return Stage(
        kode=plain.text(d["kode"]),
        nama=plain.text(d["nama"]),
        tingkat=tingkat,
        mulai=plain.exact(d["mulai"], date),
        selesai=plain.exact(d["selesai"], date),
        setelah=setelah,
        perlu_revisi_dipa=plain.exact(d.get("perlu_revisi_dipa", False), bool),
        dapat_dipercepat=plain.exact(d.get("dapat_dipercepat", False), bool),
        bobot=bobot,
    )


def _program(raw: Any) -> Program:
    d = plain.keys(raw, ("tahapan_kunci", "tahapan"), ("tahapan",))
    roles = plain.keys(d.get("tahapan_kunci", {}), KEY_STAGE_ROLES)
    for code in roles.values():
        if code is not None:
            plain.exact(code, str)
    stages = tuple(_stage(s) for s in plain.exact(d["tahapan"], list))
    if not stages:  # Field(min_length=1)
        raise NotPlain
    return Program(tahapan_kunci=KeyStages(**roles), tahapan=stages)


def plain_model(raw: Any) -> ScheduleModel | None:
    """The model of a mapping (YAML as loaded, or the kept JSON with its dates read back) that plainly meets the
    schedule's strict rules; None for anything else (see the module: pydantic then decides)."""
    try:
        d = plain.keys(raw, ("tahun_anggaran", "batas_akhir", "program"), ("tahun_anggaran", "batas_akhir", "program"))
        year = plain.exact(d["tahun_anggaran"], int)
        if not 2000 <= year <= 2100:
            raise NotPlain
        programs = plain.exact(d["program"], dict)
        if not programs or any(type(k) is not str for k in programs):
            raise NotPlain
        return ScheduleModel(
            tahun_anggaran=year,
            batas_akhir=plain.exact(d["batas_akhir"], date),
            program={name: _program(p) for name, p in programs.items()},
        )
    except NotPlain:
        return None


def from_spec(spec: Any) -> ScheduleModel:
    """The model of pydantic's validated one (pkp_cli.model.schedule_spec.ScheduleSpec): the same values."""
    return ScheduleModel(
        tahun_anggaran=spec.tahun_anggaran,
        batas_akhir=spec.batas_akhir,
        program={
            name: Program(
                tahapan_kunci=KeyStages(**{role: getattr(p.tahapan_kunci, role) for role in KEY_STAGE_ROLES}),
                tahapan=tuple(Stage(**{f: getattr(st, f) for f in sorted(_STAGE_FIELDS)}) for st in p.tahapan),
            )
            for name, p in spec.program.items()
        },
    )


# What check_yaml_model validates with: the plain way, else pydantic's strict model (imported only then).
_VALIDATOR = plain.Validator(plain_model, "pkp_cli.model.schedule_spec:ScheduleSpec", from_spec)


def to_json(model: ScheduleModel) -> str:
    """The model as JSON (dates as ISO text), as kept in pkp's cache (pkp_cli.ingest.schedule_entry): its fields in
    the order the dataclasses declare them."""
    import json
    from dataclasses import asdict

    doc = asdict(model)
    return json.dumps(doc, ensure_ascii=False, allow_nan=False, separators=(",", ":"), default=date.isoformat)


def from_json(text: str) -> ScheduleModel | None:
    """The model `to_json` wrote, or None when the text is not exactly such a model's JSON."""
    import json

    def day(value: Any) -> date:
        return date.fromisoformat(plain.exact(value, str))

    try:
        doc = json.loads(text)
        doc["batas_akhir"] = day(doc["batas_akhir"])
        for p in plain.exact(doc["program"], dict).values():
            for st in plain.exact(p["tahapan"], list):
                st["mulai"], st["selesai"] = day(st["mulai"]), day(st["selesai"])
        model = plain_model(doc)
    except (ValueError, TypeError, KeyError, NotPlain, RecursionError):  # (JSON nested past the recursion limit)
        return None
    return model if model is not None and to_json(model) == text else None


@dataclass(frozen=True)
class Schedule:
    """A validated schedule plus where it came from."""

    model: ScheduleModel
    path: Path
    sha256: str

    @property
    def year(self) -> int:
        return self.model.tahun_anggaran

    @property
    def fiscal_start(self) -> date:
        return date(self.year, 1, 1)

    @property
    def deadline(self) -> date:
        return self.model.batas_akhir

    @property
    def programs(self) -> list[str]:
        return list(self.model.program)

    def stages(self, program: str | None = None) -> list[tuple[str, Stage]]:
        return [
            (name, st)
            for name, prog in self.model.program.items()
            if program is None or name == program
            for st in prog.tahapan
        ]

    def key_stage(self, program: str, role: str) -> str | None:
        prog = self.model.program.get(program)
        return getattr(prog.tahapan_kunci, role) if prog else None

    def stage_table(self) -> Any:
        """One row per stage: program, order, and every field; the shape engines join on."""
        import pandas as pd

        rows = []
        for order, (prog, st) in enumerate(self.stages()):
            rows.append(
                {
                    "program": prog,
                    "urutan": order,
                    "tahapan": st.kode,
                    "nama_tahapan": st.nama,
                    "tingkat": st.tingkat,
                    "jadwal_mulai": pd.Timestamp(st.mulai),
                    "jadwal_selesai": pd.Timestamp(st.selesai),
                    "setelah": st.setelah,
                    "perlu_revisi_dipa": st.perlu_revisi_dipa,
                    "dapat_dipercepat": st.dapat_dipercepat,
                    "bobot": float(st.bobot),
                }
            )
        return pd.DataFrame(rows)


def _semantic_problems(m: ScheduleModel, raw: Any, lines: Any) -> list[Problem]:
    from pkp_cli.model.yamlio import Problem, locate_line

    probs: list[Problem] = []
    year = m.tahun_anggaran

    def at(*path: Any) -> int | None:
        return locate_line(lines, path)

    if m.batas_akhir.year != year:
        probs.append(Problem(at("batas_akhir"), "schedule-deadline-year", {"value": m.batas_akhir, "year": year}))
    seen_codes: dict[str, tuple[str, int]] = {}
    for pname, prog in m.program.items():
        names: set[str] = set()
        codes_here = {s.kode for s in prog.tahapan}
        for i, st in enumerate(prog.tahapan):
            loc = ("program", pname, "tahapan", i)
            if st.kode in seen_codes:
                probs.append(Problem(at(*loc, "kode"), "schedule-code-duplicate", {"code": st.kode}))
            seen_codes[st.kode] = (pname, i)
            key = st.nama.strip().casefold()
            if key in names:
                probs.append(Problem(at(*loc, "nama"), "schedule-name-duplicate", {"name": st.nama, "program": pname}))
            names.add(key)
            if st.selesai < st.mulai:
                probs.append(
                    Problem(
                        at(*loc, "selesai"),
                        "schedule-end-before-start",
                        {"code": st.kode, "end": st.selesai, "start": st.mulai},
                    )
                )
            for fld in ("mulai", "selesai"):
                d = getattr(st, fld)
                if d.year != year or d > m.batas_akhir:
                    probs.append(
                        Problem(
                            at(*loc, fld),
                            "schedule-outside-year",
                            {"code": st.kode, "field": fld, "value": d, "year": year},
                        )
                    )
        for role in KEY_STAGE_ROLES:
            code = getattr(prog.tahapan_kunci, role)
            if code is not None and code not in codes_here:
                probs.append(
                    Problem(
                        at("program", pname, "tahapan_kunci", role),
                        "schedule-key-unknown",
                        {"role": role, "code": code},
                    )
                )
    # `setelah` may name any stage of the same program (a province-level one is resolved per province).
    for pname, prog in m.program.items():
        codes_here = {s.kode for s in prog.tahapan}
        for i, st in enumerate(prog.tahapan):
            for j, dep in enumerate(st.setelah):
                if dep not in codes_here:
                    probs.append(
                        Problem(
                            at("program", pname, "tahapan", i, "setelah", j),
                            "schedule-after-unknown",
                            {"code": st.kode, "dep": dep, "program": pname},
                        )
                    )
        cycle = _find_cycle({s.kode: [d for d in s.setelah if d in codes_here] for s in prog.tahapan})
        if cycle:
            probs.append(Problem(at("program", pname), "schedule-cycle", {"cycle": " -> ".join(cycle)}))
    return probs


def _find_cycle(graph: dict[str, list[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(n: str) -> list[str] | None:
        state[n] = 1
        stack.append(n)
        for d in graph.get(n, []):
            if state.get(d) == 1:
                return [*stack[stack.index(d) :], d]
            if state.get(d) is None:
                found = visit(d)
                if found:
                    return found
        stack.pop()
        state[n] = 2
        return None

    for node in graph:
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def check_schedule_text(text: str) -> tuple[ScheduleModel | None, list[Problem]]:
    """Validate schedule YAML text; returns the model (if valid) and every problem found."""
    from pkp_cli.model.yamlio import check_yaml_model

    return check_yaml_model(text, _VALIDATOR, "schedule", _semantic_problems)


def problems_error(path: Path, probs: list[Problem], lang: str) -> PkpError:
    """One PkpError(CONFIG) naming the file and its first problems."""
    detail = "; ".join(p.message(lang) for p in probs[:10])
    more = f" (+{len(probs) - 10})" if len(probs) > 10 else ""
    return PkpError(Exit.CONFIG, f"{path}: {detail}{more}")


def read_checked(path: Path, check: Any, lang: str) -> tuple[Any, str]:
    """Read a YAML file and validate it with `check` (text -> model, problems); returns (model, sha256).

    Any problem, or a file that cannot be read, raises PkpError(CONFIG) listing the problems.
    """
    data = read_yaml_bytes(path, lang)
    model, probs = check(data.decode("utf-8", errors="replace"))
    if model is None:
        raise problems_error(path, probs, lang)
    return model, hashlib.sha256(data).hexdigest()


def read_yaml_bytes(path: Path, lang: str = "id") -> bytes:
    """A schedule or rules file's bytes: a regular file of at most MAX_YAML_BYTES, else PkpError(CONFIG)."""
    from pkp_cli.model.yamlio import Problem, YamlSyntaxError, read_yaml_file

    try:
        return read_yaml_file(path)
    except YamlSyntaxError as exc:
        raise problems_error(path, [Problem(None, exc.code, exc.params)], lang) from None
    except OSError as exc:
        raise PkpError(Exit.CONFIG, f"{path}: {exc.strerror or exc}") from exc


def load_schedule(path: Path, lang: str = "id") -> Schedule:
    """Read and validate a schedule file; any problem raises PkpError(CONFIG) listing them."""
    model, sha = read_checked(path, check_schedule_text, lang)
    return Schedule(model=model, path=path, sha256=sha)
