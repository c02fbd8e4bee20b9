"""The acceleration rules (percepatan): which locations can be accelerated, and how they are scored.

A YAML file validated like the schedule: safe loader only, strict pydantic models (so `id: NO` is an error,
not False; pkp_cli.model.rules_spec, taken without pydantic when a file plainly meets them), unknown keys rejected,
and every problem names its YAML line. Any problem is exit 78 (CONFIG).

Two kinds of requirement (`syarat`), each worth its `bobot` when met:
- on a location column: `kolom` + `nilai` (a boolean column: true/false; a text column: one text or a list),
  or `minimal`/`maksimal` for a numeric column;
- on a key stage of the schedule: `tahapan_kunci` (a role such as kelembagaan) + the `status` codes that
  count as met (default: finished, on time or late).
`wajib: true` makes a requirement exclude the location when it fails (never when its data is unknown).
Penalties (`penalti`) subtract `bobot` per counted stage or once per location, capped at `maks`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Literal

from pkp_cli.model import plain
from pkp_cli.model.frames import FINISHED, STATUS_CODES
from pkp_cli.model.plain import NotPlain
from pkp_cli.model.schedule import KEY_STAGE_ROLES, read_checked
from pkp_cli.model.yamlio import Problem, check_yaml_model, locate_line

# The location columns that hold requirement data, by kind. Columns are schema, not data: naming them is fine.
COLUMN_KINDS: dict[str, Literal["bool", "text", "number"]] = {
    "lokasi_berulang": "bool",
    "dokumen_perencanaan": "bool",
    "kinerja": "text",
    "nilai_bantuan": "number",
}
# The closed vocabularies of the text columns (the contract normalises cells to these spellings).
TEXT_VALUES: dict[str, tuple[str, ...]] = {"kinerja": ("Baik", "Cukup", "Kurang")}

PENALTY_KINDS = ("terlambat", "urutan_dilanggar", "laporan_basi", "tanpa_laporan")
PENALTY_PER = ("tahapan", "lokasi")
_ID = re.compile(r"[A-Za-z0-9_-]+")  # rules_spec.ID_PATTERN, matched whole


# The models are plain frozen dataclasses, as the schedule's (pkp_cli.model.schedule says why): a file that plainly
# meets the rules of pkp_cli.model.rules_spec is read without pydantic (`plain_model`), anything else through it.
@dataclass(frozen=True, kw_only=True)
class Requirement:
    id: str
    kolom: str | None = None
    nilai: bool | str | tuple[str, ...] | None = None
    minimal: float | None = None
    maksimal: float | None = None
    tahapan_kunci: str | None = None
    status: tuple[str, ...] | None = None
    wajib: bool = False
    bobot: float

    @property
    def on_column(self) -> bool:
        return self.kolom is not None

    @property
    def met_statuses(self) -> tuple[str, ...]:
        """The status codes that meet a key-stage requirement (finished, on time or late, by default)."""
        return self.status if self.status is not None else FINISHED

    @property
    def text_values(self) -> tuple[str, ...]:
        """A text requirement's accepted values, as a tuple whether one or several were written."""
        if isinstance(self.nilai, str):
            return (self.nilai,)
        return self.nilai if isinstance(self.nilai, tuple) else ()


@dataclass(frozen=True, kw_only=True)
class Penalty:
    id: str
    jenis: str  # one of PENALTY_KINDS
    per: str  # one of PENALTY_PER
    bobot: float
    maks: float


@dataclass(frozen=True, kw_only=True)
class RulesModel:
    skor_maks: float
    syarat: tuple[Requirement, ...]
    penalti: tuple[Penalty, ...] = ()


_REQUIREMENT_FIELDS = tuple(f.name for f in fields(Requirement))
_PENALTY_FIELDS = tuple(f.name for f in fields(Penalty))


def _optional(value: Any, kind: type) -> Any:
    if value is None:
        return None
    return plain.number(value) if kind is float else plain.exact(value, kind)


def _requirement(raw: Any) -> Requirement:
    d = plain.keys(raw, _REQUIREMENT_FIELDS, ("id", "bobot"))
    nilai = d.get("nilai")
    if type(nilai) is list:
        nilai = plain.texts(nilai)
    elif nilai is not None and type(nilai) not in (bool, str):
        raise NotPlain
    status = d.get("status")
    return Requirement(
        id=plain.matching(d["id"], _ID),
        kolom=_optional(d.get("kolom"), str),
        nilai=nilai,
        minimal=_optional(d.get("minimal"), float),
        maksimal=_optional(d.get("maksimal"), float),
        tahapan_kunci=_optional(d.get("tahapan_kunci"), str),
        status=None if status is None else plain.texts(status),
        wajib=plain.exact(d.get("wajib", False), bool),
        bobot=plain.positive(d["bobot"]),
    )


def _penalty(raw: Any) -> Penalty:
    d = plain.keys(raw, _PENALTY_FIELDS, _PENALTY_FIELDS)
    return Penalty(
        id=plain.matching(d["id"], _ID),
        jenis=plain.one_of(d["jenis"], PENALTY_KINDS),
        per=plain.one_of(d["per"], PENALTY_PER),
        bobot=plain.positive(d["bobot"]),
        maks=plain.positive(d["maks"]),
    )


def plain_model(raw: Any) -> RulesModel | None:
    """The model of a mapping (YAML as loaded) that plainly meets the rules' strict models; None for anything else
    (pydantic then decides)."""
    try:
        d = plain.keys(raw, ("skor_maks", "syarat", "penalti"), ("skor_maks", "syarat"))
        return RulesModel(
            skor_maks=plain.positive(d["skor_maks"]),
            syarat=tuple(_requirement(r) for r in plain.exact(d["syarat"], list)),
            penalti=tuple(_penalty(p) for p in plain.exact(d.get("penalti", []), list)),
        )
    except NotPlain:
        return None


def from_spec(spec: Any) -> RulesModel:
    """The model of pydantic's validated one (pkp_cli.model.rules_spec.RulesSpec): the same values."""
    return RulesModel(
        skor_maks=spec.skor_maks,
        syarat=tuple(Requirement(**{f: getattr(r, f) for f in _REQUIREMENT_FIELDS}) for r in spec.syarat),
        penalti=tuple(Penalty(**{f: getattr(p, f) for f in _PENALTY_FIELDS}) for p in spec.penalti),
    )


# What check_yaml_model validates with: the plain way, else pydantic's strict model (imported only then).
_VALIDATOR = plain.Validator(plain_model, "pkp_cli.model.rules_spec:RulesSpec", from_spec)


@dataclass(frozen=True)
class Rules:
    """Validated rules plus where they came from (the sha256 goes into report envelopes)."""

    model: RulesModel
    path: Path
    sha256: str

    @property
    def skor_maks(self) -> float:
        return self.model.skor_maks

    @property
    def syarat(self) -> tuple[Requirement, ...]:
        return self.model.syarat

    @property
    def penalti(self) -> tuple[Penalty, ...]:
        return self.model.penalti


def _requirement_problems(i: int, req: Requirement, at: Any) -> list[Problem]:
    loc = ("syarat", i)
    probs: list[Problem] = []
    p = {"id": req.id}

    def bad_keys(*keys: str) -> None:
        for key in keys:
            if getattr(req, key) is not None:
                probs.append(Problem(at(*loc, key), "rules-key-not-for-kind", {**p, "key": key}))

    if (req.kolom is None) == (req.tahapan_kunci is None):
        return [Problem(at(*loc), "rules-kind", p)]
    if req.tahapan_kunci is not None:
        if req.tahapan_kunci not in KEY_STAGE_ROLES:
            probs.append(
                Problem(
                    at(*loc, "tahapan_kunci"),
                    "rules-role-unknown",
                    {**p, "role": req.tahapan_kunci, "allowed": ", ".join(KEY_STAGE_ROLES)},
                )
            )
        for j, code in enumerate(req.status or ()):
            if code not in STATUS_CODES:
                probs.append(
                    Problem(
                        at(*loc, "status", j),
                        "rules-status-unknown",
                        {**p, "status": code, "allowed": ", ".join(STATUS_CODES)},
                    )
                )
        bad_keys("nilai", "minimal", "maksimal")
        return probs
    column = req.kolom
    kind = COLUMN_KINDS.get(column or "")
    if kind is None:
        allowed = ", ".join(COLUMN_KINDS)
        return [Problem(at(*loc, "kolom"), "rules-column-unknown", {**p, "column": column, "allowed": allowed})]
    bad_keys("status")
    cp = {**p, "column": column}
    if kind == "bool":
        bad_keys("minimal", "maksimal")
        if not isinstance(req.nilai, bool):
            probs.append(Problem(at(*loc, "nilai"), "rules-value-bool", cp))
    elif kind == "text":
        bad_keys("minimal", "maksimal")
        if isinstance(req.nilai, bool) or not req.text_values:
            probs.append(Problem(at(*loc, "nilai"), "rules-value-text", cp))
        allowed_values = TEXT_VALUES.get(column or "", ())
        for value in req.text_values:
            if value not in allowed_values:
                probs.append(
                    Problem(
                        at(*loc, "nilai"),
                        "rules-value-unknown",
                        {**cp, "value": value, "allowed": ", ".join(allowed_values)},
                    )
                )
    else:
        bad_keys("nilai")
        if req.minimal is None and req.maksimal is None:
            probs.append(Problem(at(*loc), "rules-range-missing", cp))
        elif req.minimal is not None and req.maksimal is not None and req.minimal > req.maksimal:
            probs.append(
                Problem(
                    at(*loc, "minimal"),
                    "rules-range-inverted",
                    {**p, "low": f"{req.minimal:g}", "high": f"{req.maksimal:g}"},
                )
            )
    return probs


def _semantic_problems(m: RulesModel, lines: Any) -> list[Problem]:
    def at(*path: Any) -> int | None:
        return locate_line(lines, path)

    probs: list[Problem] = []
    if not m.syarat:
        probs.append(Problem(at("syarat"), "rules-no-requirements", {}))
    seen: set[str] = set()
    # Requirement and penalty ids share one namespace: they are the `kode` of the reasons in the output.
    ids = [("syarat", i, r.id) for i, r in enumerate(m.syarat)] + [
        ("penalti", i, p.id) for i, p in enumerate(m.penalti)
    ]
    for section, i, rule_id in ids:
        if rule_id in seen:
            probs.append(Problem(at(section, i, "id"), "rules-id-duplicate", {"id": rule_id}))
        seen.add(rule_id)
    for i, req in enumerate(m.syarat):
        probs.extend(_requirement_problems(i, req, at))
    for i, pen in enumerate(m.penalti):
        if pen.maks < pen.bobot:
            probs.append(
                Problem(
                    at("penalti", i, "maks"),
                    "rules-cap-below-weight",
                    {"id": pen.id, "cap": f"{pen.maks:g}", "weight": f"{pen.bobot:g}"},
                )
            )
    total = sum(r.bobot for r in m.syarat)
    # Weights above the maximum would clamp the best locations to one score and hide their order.
    if total > m.skor_maks:
        probs.append(
            Problem(at("skor_maks"), "rules-weights-exceed", {"total": f"{total:g}", "high": f"{m.skor_maks:g}"})
        )
    return probs


def check_rules_text(text: str) -> tuple[RulesModel | None, list[Problem]]:
    """Validate rules YAML text; returns the model (if valid) and every problem found."""
    return check_yaml_model(text, _VALIDATOR, "rules", lambda model, raw, lines: _semantic_problems(model, lines))


def load_rules(path: Path, lang: str = "id") -> Rules:
    """Read and validate a rules file; any problem raises PkpError(CONFIG) listing them."""
    model, sha = read_checked(path, check_rules_text, lang)
    return Rules(model=model, path=path, sha256=sha)
