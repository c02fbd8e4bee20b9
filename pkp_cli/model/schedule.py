"""The national schedule (Jadwal Nasional): a YAML file validated into strict pydantic models.

Only `yaml.safe_load`-equivalent parsing is used (SafeLoader), and every model is strict so that YAML 1.1
surprises (`kode: NO` becoming False) are errors, not silent conversions. Errors name the YAML line.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field, field_validator

from pkp_cli.errors import Exit, PkpError
from pkp_cli.model.strict import StrictModel

if TYPE_CHECKING:
    from pkp_cli.model.yamlio import Problem

# The YAML reader (PyYAML and pkp's bounded loader, pkp_cli.model.yamlio) is imported where a file is parsed: a
# schedule kept validated in pkp's cache (pkp_cli.ingest.schedule_entry) comes back without it.

KEY_STAGE_ROLES = ("rekrutmen", "revisi_dipa", "kelembagaan", "survei", "konstruksi")


class Stage(StrictModel):
    kode: str = Field(min_length=1)
    nama: str = Field(min_length=1)
    tingkat: Literal["provinsi", "lokasi"]
    mulai: date
    selesai: date
    setelah: tuple[str, ...] = ()
    perlu_revisi_dipa: bool = False
    dapat_dipercepat: bool = False
    bobot: float = Field(default=1.0, gt=0)

    @field_validator("setelah", mode="before")
    @classmethod
    def _list_to_tuple(cls, v: Any) -> Any:
        return tuple(v) if isinstance(v, list) else v


class KeyStages(StrictModel):
    rekrutmen: str | None = None
    revisi_dipa: str | None = None
    kelembagaan: str | None = None
    survei: str | None = None
    konstruksi: str | None = None


class Program(StrictModel):
    tahapan_kunci: KeyStages = KeyStages()
    tahapan: tuple[Stage, ...] = Field(min_length=1)

    @field_validator("tahapan", mode="before")
    @classmethod
    def _list_to_tuple(cls, v: Any) -> Any:
        return tuple(v) if isinstance(v, list) else v


class ScheduleModel(StrictModel):
    tahun_anggaran: int = Field(ge=2000, le=2100)
    batas_akhir: date
    program: dict[str, Program] = Field(min_length=1)


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

    return check_yaml_model(text, ScheduleModel, "schedule", _semantic_problems)


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
