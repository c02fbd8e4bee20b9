"""The meeting packs of `pkp report`: one Report per province, a national Report, and the index Report.

A pack is the tables other views already build, gathered under one title: for a province its summary card
and readiness board (views/readiness.py), preparations, kabupaten/kota, late locations (calendar and working
days late, remarks) and construction flags (views/status.py), acceleration candidates with their reasons and
the stages they can start early (views/candidates.py), audit follow-up (views/audit.py) and the S-curve; for the
nation the province table worst first with the national total, the most-late
stages, the provinces that have not reported, the programs and the S-curve per program. The index lists the
packs in the national table's order (worst first), national first, with the figures that rank them. Every pack
states the as-of date, the data source (sample data said as such) and how many input rows were rejected.

Renderers write each pack in every format (render/pack.py); nothing here knows a file format.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from typing import TYPE_CHECKING, Any

import pandas as pd

from pkp_cli.engines.query import Query
from pkp_cli.text.labels import label
from pkp_cli.views import status as status_view
from pkp_cli.views.columns import columns
from pkp_cli.views.model import Report, Table
from pkp_cli.views.specs import NOT_REPORTED_KEYS, REPORT_TABLES
from pkp_cli.views.specs import PACK_INDEX_KEYS as INDEX_KEYS

if TYPE_CHECKING:
    from pkp_cli.views.audit import AuditInputs
    from pkp_cli.views.candidates import CandidateInputs
    from pkp_cli.views.readiness import ReadinessInputs

# In a pack the working days late are shown beside the calendar days (the screen hides them for room).
_PACK_SHOWN = {"hari_kerja_terlambat"}

# More tables for a province's pack: each takes a province code and returns tables (see `province_extras`).
Extra = Callable[[str], list[Table]]
# A table's place in a pack: the order of REPORT_TABLES (names not listed there go last).
_ORDER = {name: i for i, name in enumerate(REPORT_TABLES)}
# Tables of the other commands renamed in a pack, where they sit beside the status tables: `pkp audit`'s
# per-province table is this province's audit line; readiness's `lokasi` are its locations' figures.
_PACK_NAMES = {("audit", "provinsi"): "audit", ("readiness", "lokasi"): "kesiapan_lokasi"}


@dataclass
class PackSources:
    """The inputs of the other reports a province pack takes tables from; None leaves them out."""

    readiness: ReadinessInputs | None = None
    candidates: CandidateInputs | None = None
    audit: AuditInputs | None = None


def province_extras(src: PackSources) -> list[Extra]:
    """The readiness board (a row per program), the acceleration candidates and what their stages wait for, and
    the audit follow-up (summary, overdue findings, changes), each for one province."""
    extras: list[Extra] = []
    if src.readiness is not None:
        from pkp_cli.views.readiness import readiness_tables

        # the board is built once for every province and split (building it per province is 20 times slower);
        # open findings are left to the audit tables
        board = [t for t in readiness_tables(src.readiness) if t.name != "temuan"]
        extras.append(lambda code: [_renamed("readiness", t) for t in _split(board, code)])
    if src.candidates is not None:
        from pkp_cli.views.candidates import candidate_tables

        candidates = src.candidates
        extras.append(lambda code: candidate_tables(candidates, Query(provinces=(code,))))
    if src.audit is not None:
        from pkp_cli.views.audit import audit_tables

        audit = src.audit
        extras.append(lambda code: [_renamed("audit", t) for t in audit_tables(audit, Query(provinces=(code,)))])
    return extras


def _split(tables: list[Table], code: str) -> list[Table]:
    """One province's rows of tables built for every province (no total: it was the nation's); a table with
    several instances (one per program) keeps those that have rows."""
    out = []
    for t in tables:
        rows = t.rows[t.rows["kode_provinsi"] == code].reset_index(drop=True)
        several = sum(1 for other in tables if other.name == t.name) > 1
        if several and rows.empty:
            continue
        out.append(replace(t, rows=rows, total=None, styles=None))
    return out


def _renamed(command: str, t: Table) -> Table:
    name = _PACK_NAMES.get((command, t.name))
    return replace(t, name=name) if name else t


@dataclass
class Pack:
    stem: str  # what the file names derive from: the province's name, or the national label
    code: str | None  # province code; None for the national pack
    make: Callable[[], Report] = field(repr=False)

    @property
    def report(self) -> Report:
        """The pack's report, built when asked for and not kept: a run over every province of the national data
        holds one pack at a time (its 39 packs built before any was written held 1.3 GB)."""
        return self.make()


@dataclass
class PackSet:
    packs: list[Pack]
    index: Report
    warnings: list[str] = field(default_factory=list)


def _show_in_pack(t: Table) -> Table:
    t.columns = [c.but(screen=True) if c.key in _PACK_SHOWN else c for c in t.columns]
    return t


def _header(inp: status_view.StatusInputs, rejected: int) -> list[str]:
    facts = inp.facts
    lang = facts.lang
    source = label("pack.sample_source", lang) if facts.is_sample else str(facts.data_source)
    lines = [*facts.header(), f"{label('pack.source', lang)}: {source}"]
    if rejected:
        lines.append(label("pack.rejected", lang).format(n=rejected))
    return lines


def _pack_report(inp: status_view.StatusInputs, title: str, tables: list[Table], rejected: int,
                 **meta: Any) -> Report:  # fmt: skip
    facts = inp.facts
    return Report(
        "report",
        facts.lang,
        title=title,
        header=_header(inp, rejected),
        meta=facts.meta(rows_rejected=rejected, **meta),
        tables=tables,
        warnings=facts.warnings(),
    )


def province_pack(inp: status_view.StatusInputs, code: str, rejected: int = 0,
                  extras: list[Extra] | None = None) -> Pack:  # fmt: skip
    """One province's pack: its status tables, then the tables of `extras` for that province (built when its
    report is asked for)."""
    names = inp.status.loc[inp.status["kode_provinsi"] == code, "provinsi"]
    name = str(names.iloc[0]) if len(names) else code
    return Pack(name, code, partial(_province_report, inp, code, name, rejected, extras))


def _province_report(inp: status_view.StatusInputs, code: str, name: str, rejected: int,
                     extras: list[Extra] | None) -> Report:  # fmt: skip
    lang = inp.facts.lang
    status = status_view.provinces(inp, Query(provinces=(code,)))
    tables = [_show_in_pack(t) for t in status.tables]
    for extra in extras or []:
        tables += extra(code)
    tables.sort(key=lambda t: _ORDER.get(t.name, len(_ORDER)))  # stable: instances keep their order
    return _pack_report(inp, f"{label('pack.title', lang)} — {name} ({code})", tables, rejected, provinsi=code)


def national_pack(inp: status_view.StatusInputs, rejected: int = 0) -> Pack:
    """The national pack: the status report's national tables, with the provinces that have not reported."""
    lang = inp.facts.lang
    national = status_view.national(inp, Query())
    tables: list[Table] = []
    for t in national.tables:
        tables.append(t)
        if t.name == "provinsi":
            tables.append(_not_reported(t, lang))
    name = label("pack.national", lang)
    report = _pack_report(inp, f"{label('pack.title', lang)} — {name}", tables, rejected)
    return Pack(name, None, lambda: report)  # built at once: the index ranks the provinces by its table


def _not_reported(provinces: Table, lang: str) -> Table:
    rows = provinces.rows
    flagged = rows[rows["belum_melapor"].fillna(False).astype(bool)] if "belum_melapor" in rows else rows.iloc[0:0]
    return Table(
        "belum_melapor",
        label("pack.not_reported", lang),
        columns(*NOT_REPORTED_KEYS),
        flagged.reindex(columns=NOT_REPORTED_KEYS).reset_index(drop=True),
        empty=label("none", lang),
    )


def build(inp: status_view.StatusInputs, provinces: tuple[str, ...] = (), *, rejected: int = 0,
          extras: list[Extra] | None = None) -> PackSet:  # fmt: skip
    """Every pack asked for and the index. No provinces named: the national pack, then every province with data
    in the national table's order (worst first); named: those provinces, worst first."""
    national = national_pack(inp, rejected)
    ranked = _ranked(national)
    wanted = set(provinces) if provinces else set(ranked["kode_provinsi"])
    order = [c for c in ranked["kode_provinsi"] if c in wanted]
    packs = [] if provinces else [national]
    packs += [province_pack(inp, code, rejected, extras) for code in order]
    index = _index(inp, national, ranked, packs, rejected)
    return PackSet(packs, index, inp.facts.warnings())


def _ranked(national: Pack) -> pd.DataFrame:
    return next(t for t in national.report.tables if t.name == "provinsi").rows


def _index(inp: status_view.StatusInputs, national: Pack, ranked: pd.DataFrame, packs: list[Pack],
           rejected: int) -> Report:  # fmt: skip
    """The index: a row per province pack in pack order (worst first); the national pack, when written, is the
    total row with the national figures."""
    lang = inp.facts.lang
    by_code = ranked.set_index("kode_provinsi")
    records = [
        {k: (p.code if k == "kode_provinsi" else by_code.loc[p.code].get(k)) for k in INDEX_KEYS}
        for p in packs
        if p.code is not None
    ]
    rows = pd.DataFrame.from_records(records, columns=INDEX_KEYS)
    total = None
    if any(p.code is None for p in packs):
        national_total = next(t for t in national.report.tables if t.name == "provinsi").total or {}
        total = {k: national_total.get(k) for k in INDEX_KEYS} | {"provinsi": national.stem}
    table = Table("paket", label("pack.pack", lang).capitalize(), columns(*INDEX_KEYS), rows, total=total)
    return Report(
        "report",
        lang,
        title=label("pack.index_title", lang),
        header=_header(inp, rejected),
        meta=inp.facts.meta(rows_rejected=rejected),
        tables=[table],
        main="paket",
    )
