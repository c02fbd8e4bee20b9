"""The report of `pkp audit`: audit follow-up (tindak lanjut temuan hasil audit) per province, as known at the
status date (a findings file dated after it is not counted; a note says how many findings it holds).

Tables: `provinsi` (main; a national total row), `lewat_batas` (the overdue findings, longest first),
`perubahan` (closed or newly overdue since the previous report date; empty, with a note, when there is none).

API (also what a meeting pack uses for one province):
- `AuditInputs(temuan, report_dates, facts)`: report_dates = the progress reports' dates (the "since" of a
  change is the newest one before the status date);
- `build(inp, q=Query()) -> Report` (q: provinces);
- `audit_tables(inp, q) -> list[Table]`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from pkp_cli.engines.audit import (
    audit_changes,
    audit_summary,
    overdue_findings,
    previous_report_date,
    unseen_findings,
)
from pkp_cli.engines.query import Query
from pkp_cli.text.formats import fmt_date
from pkp_cli.text.labels import label
from pkp_cli.views.columns import columns
from pkp_cli.views.facts import Facts
from pkp_cli.views.model import Column, Report, Table
from pkp_cli.views.specs import AUDIT_CHANGE_KEYS, AUDIT_OVERDUE_KEYS, AUDIT_SUMMARY_KEYS

SCREEN_LIMIT = 60

# The engine's names for what the column catalogue calls these (`jumlah` and `selesai` mean stages elsewhere).
_RENAMED = {"jumlah": "temuan", "selesai": "temuan_selesai"}


@dataclass
class _Findings:
    """What the engine says of a set of findings at the status date: the summary per province, the overdue
    findings, the changes since the previous report date (None without one), and the findings only later reports
    hold (how many, the newest such date)."""

    summary: pd.DataFrame
    overdue: pd.DataFrame
    changes: pd.DataFrame | None
    unseen: tuple[int, pd.Timestamp | None]

    def of(self, provinces: tuple[str, ...]) -> _Findings:
        """These provinces' part (every frame is per province or per finding, sorted stably)."""

        def part(frame: pd.DataFrame) -> pd.DataFrame:
            return frame[frame["kode_provinsi"].isin(list(provinces))].reset_index(drop=True)

        changes = None if self.changes is None else part(self.changes)
        return _Findings(part(self.summary), part(self.overdue), changes, self.unseen)


def _findings(temuan: pd.DataFrame, as_of: Any, previous: Any) -> _Findings:
    summary = audit_summary(temuan, as_of, previous).rename(columns=_RENAMED)
    overdue = overdue_findings(temuan, as_of).rename(columns={"status_per_tanggal": "status_temuan"})
    changes = None
    if previous is not None:
        changes = audit_changes(temuan, as_of, previous).rename(columns={"tanggal": "tanggal_perubahan"})
    return _Findings(summary, overdue, changes, unseen_findings(temuan, as_of))


@dataclass
class AuditInputs:
    temuan: pd.DataFrame
    report_dates: Any  # the progress reports' dates (any iterable of dates)
    facts: Facts
    _asked: int = field(default=0, repr=False)
    _all: tuple[Any, _Findings] | None = field(default=None, repr=False)  # (previous report date, every province's)

    @property
    def lang(self) -> str:
        return self.facts.lang

    def findings(self, provinces: tuple[str, ...], previous: Any) -> _Findings:
        """The engine's findings of these provinces (all: none named). Asked a second time for some provinces (a
        pack run asks once a province), they are computed for every province once and each asked part taken from
        that: a province's rows do not depend on the others' (a finding is a province and a number), and each
        computation is a fixed 70 ms of pandas on the sample's 59 findings whatever it is given."""
        as_of = self.facts.as_of
        assert as_of is not None
        temuan = self.temuan
        if provinces:
            temuan = temuan[temuan["kode_provinsi"].isin(list(provinces))]
            self._asked += 1
            if self._asked > 1 and (self._all is None or self._all[0] != previous):
                self._all = (previous, _findings(self.temuan, as_of, previous))
            if self._all is not None:
                return replace(self._all[1].of(provinces), unseen=unseen_findings(temuan, as_of))
        return _findings(temuan, as_of, previous)


# On a narrow terminal the amounts give way first, then the dates and the changes' counts; the findings'
# numbers, descriptions and how long they are overdue stay.
_GIVE_WAY = {
    "nilai": 3,
    "nilai_total": 3,
    "nilai_lewat_batas": 3,
    "batas_waktu": 2,
    "tanggal_perubahan": 2,
    "status_temuan": 2,
    "hari_lewat_batas_maks": 2,
    "ditutup_baru": 2,
    "lewat_batas_baru": 2,
}


def _cols(keys: list[str], fixed: tuple[str, ...] = ("provinsi",)) -> list[Column]:
    return [c.but(priority=0) if c.key in fixed else c.but(priority=_GIVE_WAY.get(c.key, 1)) for c in columns(*keys)]


def audit_tables(inp: AuditInputs, q: Query = Query()) -> list[Table]:
    lang = inp.lang
    as_of = inp.facts.as_of
    assert as_of is not None
    previous = previous_report_date(inp.report_dates, as_of)
    found = inp.findings(q.provinces, previous)
    summary = found.summary
    total: dict[str, Any] | None = None
    if len(summary) > 1:
        total = {k: summary[k].sum(min_count=1) for k in AUDIT_SUMMARY_KEYS[2:]}
        total["hari_lewat_batas_maks"] = summary["hari_lewat_batas_maks"].max()
        total["provinsi"] = label("audit.jumlah_semua", lang)
    notes = []
    unseen, newest = found.unseen
    if unseen:
        notes.append(label("audit.tidak_dihitung", lang).format(n=unseen, d=fmt_date(newest, lang)))
    overdue = found.overdue
    tables = [
        Table(
            "provinsi",
            label("t.audit", lang),
            _cols(AUDIT_SUMMARY_KEYS),
            summary,
            total=total,
            empty=label("audit.tidak_ada", lang),
            notes=notes,
        ),
        Table(
            "lewat_batas",
            f"{label('t.audit_overdue', lang)} ({len(overdue)})",
            _cols(AUDIT_OVERDUE_KEYS, ("provinsi", "nomor_temuan", "uraian")),
            overdue,
            empty=label("audit.tidak_ada", lang),
            limit=SCREEN_LIMIT,
        ),
    ]
    if found.changes is None:  # no previous report date
        changes = pd.DataFrame(columns=AUDIT_CHANGE_KEYS)
        title = label("t.audit_changes_none", lang)
        change_notes = [label("audit.tanpa_sebelumnya", lang)]
    else:
        changes = found.changes
        title = label("t.audit_changes", lang).format(d=fmt_date(previous, lang))
        change_notes = []
    tables.append(
        Table(
            "perubahan",
            f"{title} ({len(changes)})",
            _cols(AUDIT_CHANGE_KEYS, ("provinsi", "nomor_temuan", "uraian")),
            changes,
            empty=label("audit.tidak_ada", lang),
            notes=change_notes,
            limit=SCREEN_LIMIT,
        )
    )
    return tables


def build(inp: AuditInputs, q: Query = Query()) -> Report:
    facts = inp.facts
    assert facts.as_of is not None
    previous = previous_report_date(inp.report_dates, facts.as_of)
    report = Report(
        "audit",
        facts.lang,
        header=facts.header(),
        meta=facts.meta(laporan_sebelumnya=None if previous is None else previous.date()),
        warnings=facts.warnings(),
    )
    report.main = "provinsi"
    report.tables += audit_tables(inp, q)
    return report
