"""The report of `pkp readiness`: the desk-wilayah board of each province and program.

Three tables. `kesiapan` (main): each province-level stage of the schedule as a column headed with the stage's
name (no stage is named in code), one table per program on screen (so the eight stages fit 120 columns),
one table in CSV and JSON with the status code and date of each stage. `lokasi`: the share of locations with
institutions formed and survey done, whether a stage waits for the DIPA revision, the newest report.
`temuan`: the open audit findings per province (findings have no program: one row per province, so a sum
down the column counts each finding once).

API (also what a meeting pack uses for one province):
- `ReadinessInputs(lokasi, status, temuan, schedule, facts)`;
- `build(inp, q=Query()) -> Report` (q: provinces and program);
- `readiness_tables(inp, q) -> list[Table]`: the three tables, for a report of another command.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from pkp_cli.engines.audit import open_findings, unseen_findings
from pkp_cli.engines.query import Query
from pkp_cli.engines.readiness import StageGroup, group_values, readiness_board, stage_groups
from pkp_cli.model.frames import FINISHED
from pkp_cli.model.schedule import Schedule
from pkp_cli.text.formats import fmt_date
from pkp_cli.text.labels import label
from pkp_cli.views.columns import COLUMNS, columns
from pkp_cli.views.facts import Facts
from pkp_cli.views.model import Column, Report, Table
from pkp_cli.views.specs import READINESS_AUDIT_KEYS, READINESS_BOARD_KEYS, READINESS_LOCATION_KEYS


@dataclass
class ReadinessInputs:
    lokasi: pd.DataFrame
    status: pd.DataFrame  # engines.status.compute_status at facts.as_of
    temuan: pd.DataFrame
    schedule: Schedule
    facts: Facts

    @property
    def lang(self) -> str:
        return self.facts.lang


def _stage_columns(groups: list[StageGroup], board: pd.DataFrame, schedule: Schedule) -> list[Column]:
    """Per stage name: the screen cell (status and date in words, headed with the stage's name) and the status
    and date for files. On a narrow screen a stage finished in every row gives way first."""
    cell, state, when = COLUMNS["tahap.<tahapan>"], COLUMNS["status.<tahapan>"], COLUMNS["tanggal.<tahapan>"]
    windows = {st.kode: (st.mulai, st.selesai) for _, st in schedule.stages()}
    out = []
    for g in groups:
        done = bool(len(board)) and bool(group_values(board, g, "status").isin(FINISHED).all())
        spans = sorted({windows[c] for c in g.codes.values()})
        plan = ", ".join(f"{fmt_date(a, 'en', 'd MMM')} - {fmt_date(b, 'en', 'd MMM')}" for a, b in spans)
        plan_id = ", ".join(f"{fmt_date(a, 'id', 'd MMM')} - {fmt_date(b, 'id', 'd MMM')}" for a, b in spans)
        desc = (
            f"{' / '.join(g.codes.values())}, jadwal {plan_id}: {label('kesiapan.sel', 'id')}.",
            f"{' / '.join(g.codes.values())}, planned {plan}: {label('kesiapan.sel', 'en')}.",
        )
        out += [
            cell.but(key=f"tahap.{g.key}", label=(g.name, g.name), desc=desc, priority=2 if done else 1),
            state.but(key=f"status.{g.key}", label=(f"status {g.key}", f"status {g.key}")),
            when.but(key=f"tanggal.{g.key}", label=(f"tanggal {g.key}", f"date {g.key}")),
        ]
    return out


def _cells(status: pd.Series, dates: pd.Series, lang: str) -> pd.Series:
    """ "selesai 11 Mar" / "finished 11 Mar": the status label, then the day (the fiscal year is the schedule's)
    on a line of its own, so a narrow column never parts "11" from "Mar" (markdown joins the lines with a
    space); composed once per distinct (status, date); None where the row's program has no such stage."""
    state = status.astype(object)
    day = pd.to_datetime(dates)
    key = state.fillna("").astype(str) + "|" + day.dt.strftime("%Y-%m-%d").fillna("")
    words: dict[str, str | None] = {}
    for k, s, d in pd.DataFrame({"k": key, "s": state, "d": day}).drop_duplicates("k").itertuples(index=False):
        if pd.isna(s):  # a few dozen distinct pairs at most
            words[k] = None
        else:
            words[k] = f"{label(f'status.{s}', lang)}\n{fmt_date(d, lang, 'd MMM')}".strip()
    return key.map(words).astype(object)


def _ordered(board: pd.DataFrame, schedule: Schedule) -> pd.DataFrame:
    """Provinces by code, then the programs in the schedule's order (PISEW before KOTAKU in the bundled one)."""
    rank = {p: i for i, p in enumerate(schedule.programs)}
    board = board.assign(_rank=board["program"].map(rank)).sort_values(["kode_provinsi", "_rank"], kind="stable")
    return board.drop(columns="_rank").reset_index(drop=True)


def readiness_tables(inp: ReadinessInputs, q: Query = Query()) -> list[Table]:
    """The board (`kesiapan`, one instance per program), the locations' figures (`lokasi`), the open audit
    findings per province (`temuan`)."""
    lang = inp.lang
    assert inp.facts.as_of is not None
    board = readiness_board(inp.lokasi, inp.status, inp.schedule)
    if q.provinces:
        board = board[board["kode_provinsi"].isin(list(q.provinces))]
    if q.program:
        board = board[board["program"] == q.program]
    board = _ordered(board, inp.schedule).rename(columns={"tertunda_dipa": "tunggu_dipa"})
    groups = stage_groups(inp.schedule)
    for g in groups:
        board[f"status.{g.key}"] = group_values(board, g, "status")
        board[f"tanggal.{g.key}"] = group_values(board, g, "tanggal")
        board[f"tahap.{g.key}"] = _cells(board[f"status.{g.key}"], board[f"tanggal.{g.key}"], lang)
    fixed = [c.but(priority=0) if c.key in ("provinsi", "program") else c for c in columns(*READINESS_BOARD_KEYS[:4])]
    # One screen table per program: its title names the program, so the column goes (CSV and JSON keep it).
    fixed = [c.but(screen=False) if c.key in ("program", "balai") else c for c in fixed]
    board_cols = fixed + _stage_columns(groups, board, inp.schedule)
    title = label("t.readiness", lang)
    note = label("kesiapan.catatan", lang)
    present = set(board["program"])
    tables = [
        Table("kesiapan", f"{title} — {p}", board_cols, board[board["program"] == p], empty=label("none", lang), part=p)
        for p in inp.schedule.programs
        if p in present
    ] or [Table("kesiapan", title, board_cols, board, empty=label("none", lang))]
    tables[-1].notes = [note]
    tables.append(
        Table(
            "lokasi",
            label("t.readiness_locations", lang),
            columns(*READINESS_LOCATION_KEYS),
            board.reindex(columns=READINESS_LOCATION_KEYS),
            empty=label("none", lang),
        )
    )
    tables.append(_audit_table(inp, board))
    return tables


def _audit_table(inp: ReadinessInputs, board: pd.DataFrame) -> Table:
    """Open findings per province on the board (0 where a province has none), with a national total."""
    lang = inp.lang
    assert inp.facts.as_of is not None
    provinces = board[["kode_provinsi", "provinsi"]].drop_duplicates("kode_provinsi")
    found = open_findings(inp.temuan, inp.facts.as_of).drop(columns="provinsi")
    rows = provinces.merge(found, on="kode_provinsi", how="left")
    rows[["temuan_terbuka", "temuan_lewat_batas"]] = (
        rows[["temuan_terbuka", "temuan_lewat_batas"]].fillna(0).astype(int)
    )
    rows["temuan_terbuka_nilai"] = rows["temuan_terbuka_nilai"].where(rows["temuan_terbuka"] > 0, 0.0)
    total: dict[str, Any] | None = None
    if len(rows) > 1:
        total = {
            "provinsi": label("audit.jumlah_semua", lang),
            "temuan_terbuka": int(rows["temuan_terbuka"].sum()),
            "temuan_terbuka_nilai": rows["temuan_terbuka_nilai"].sum(min_count=1),
            "temuan_lewat_batas": int(rows["temuan_lewat_batas"].sum()),
        }
    notes = [label("kesiapan.temuan_catatan", lang)]
    unseen, newest = unseen_findings(inp.temuan, inp.facts.as_of)
    if unseen:
        notes.append(label("audit.tidak_dihitung", lang).format(n=unseen, d=fmt_date(newest, lang)))
    return Table(
        "temuan",
        label("t.readiness_audit", lang),
        columns(*READINESS_AUDIT_KEYS),
        rows.reindex(columns=READINESS_AUDIT_KEYS),
        total=total,
        empty=label("none", lang),
        notes=notes,
    )


def build(inp: ReadinessInputs, q: Query = Query()) -> Report:
    """The readiness report of the provinces (and program) asked for; all when none."""
    extra: dict[str, Any] = {"program": q.program} if q.program else {}
    facts = inp.facts
    report = Report("readiness", facts.lang, header=facts.header(), meta=facts.meta(**extra), warnings=facts.warnings())
    report.main = "kesiapan"
    report.tables += readiness_tables(inp, q)
    return report
