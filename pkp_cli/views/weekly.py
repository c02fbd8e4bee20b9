"""The reports of `pkp weekly`: the summary (the markdown, xlsx and HTML files, or stdout in any format) and the
digest (at most 15 plain lines on stdout, worst news first: what a cron mail shows).

The summary says first what changes the reading of everything else: a schedule or rules change (a change of
plan, not of progress), rejected or unreadable input, history files skipped. Then the changes, worst news
first, per province and per location stage, and the trends when the history holds three weeks or more.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from pkp_cli.engines.weekly import COUNTS
from pkp_cli.text.labels import label
from pkp_cli.views.columns import COLUMNS, columns
from pkp_cli.views.facts import Facts
from pkp_cli.views.history import bad_table
from pkp_cli.views.model import Column, Report, Table
from pkp_cli.views.specs import (
    WEEKLY_CANDIDATE_KEYS,
    WEEKLY_FINDING_KEYS,
    WEEKLY_FIRST_KEYS,
    WEEKLY_MOVED_KEYS,
    WEEKLY_NOT_REPORTED_KEYS,
    WEEKLY_PROVINCE_KEYS,
    WEEKLY_ROW_KEYS,
    WEEKLY_STAGE_KEYS,
    WEEKLY_SUMMARY_KEYS,
    WEEKLY_TREND_NATIONAL_KEYS,
)

if TYPE_CHECKING:
    from pkp_cli.engines.weekly import Changes
    from pkp_cli.history.job import WeekResult

DIGEST_MAX = 15
SCREEN_LIMIT = 30
# Location rows per change list in the files: enough for a meeting, bounded at national scale, where a week can
# move thousands of location stages (the complete lists are one `pkp status` away).
DETAIL_CAP = 500
TOP_NAMES = 3
TREND_POINTS = 4  # weeks the digest's trend line shows

# Columns each row table hides (they say nothing for that change).
_ROW_HIDE = {
    "baru_terlambat": {"tanggal_selesai", "status_sebelumnya", "status", "hari_terlambat_sebelumnya", "tambah_hari"},
    "makin_terlambat": {"tanggal_selesai", "status_sebelumnya", "status"},
    "selesai": {"status_sebelumnya", "hari_terlambat_sebelumnya", "tambah_hari"},
    "pulih": {"hari_terlambat_sebelumnya", "tambah_hari"},
}
# Worst first within each list.
_ROW_ORDER = {
    "baru_terlambat": (["hari_terlambat", "kode_lokasi"], [False, True]),
    "makin_terlambat": (["hari_terlambat", "kode_lokasi"], [False, True]),
    "selesai": (["kode_provinsi", "kode_lokasi", "urutan"], [True, True, True]),
    "pulih": (["kode_provinsi", "kode_lokasi", "urutan"], [True, True, True]),
}


@dataclass
class WeeklyInputs:
    facts: Facts
    result: WeekResult
    provinces: tuple[str, ...] = ()  # codes of --province (the changes are narrowed already)
    province_names: tuple[str, ...] = ()
    rejected: int = 0
    unreadable: int = 0
    has_rules: bool = True
    files: list[Path] = field(default_factory=list)  # summary files written
    files_error: str | None = None  # why they were not written

    @property
    def lang(self) -> str:
        return self.facts.lang


# --- lines said first ----------------------------------------------------------------------------------------


def _fmt_date(value: Any, lang: str) -> str:
    from pkp_cli.text.formats import fmt_date

    return fmt_date(value, lang)


def _n(value: Any, lang: str) -> str:
    from pkp_cli.text.formats import fmt_number

    return fmt_number(value, lang, 0)


def _points(value: Any, lang: str) -> str:
    """A change in points as the `points` cells show it: one decimal, "+" when it shows above zero."""
    from pkp_cli.text.formats import fmt_number, missing

    if missing(value):
        return ""
    shown = fmt_number(value, lang, 1)
    return "+" + shown if round(float(value), 1) > 0 else shown


def plan_lines(inp: WeeklyInputs) -> list[str]:
    r, lang = inp.result, inp.lang
    if r.baseline is None:
        return []
    moved = len(r.changes.moved) if r.changes is not None else 0
    return [label(f"w.plan.{what}", lang).format(week=r.baseline.week, n=moved) for what in r.plan_changed]


def problem_lines(inp: WeeklyInputs) -> list[str]:
    lang, out = inp.lang, []
    if inp.rejected:
        out.append(label("w.rejected", lang).format(n=_n(inp.rejected, lang)))
    if inp.unreadable:
        out.append(label("w.unreadable", lang).format(n=_n(inp.unreadable, lang)))
    if inp.result.bad:
        names = ", ".join(b.path.name for b in inp.result.bad)
        out.append(label("w.bad_history", lang).format(n=len(inp.result.bad), names=names))
    if inp.result.write_error is not None:
        out.append(f"{label('w.no_snapshot', lang)}: {inp.result.write_error.message}")
    return out


def compared_line(inp: WeeklyInputs) -> str:
    r, lang = inp.result, inp.lang
    if r.baseline is None:
        return label("w.first", lang)
    line = label("w.compared", lang).format(week=r.baseline.week, as_of=_fmt_date(r.baseline.as_of, lang))
    return f"{line}: {label('w.reconstructed', lang)}" if r.baseline.reconstructed else line


# --- the summary ---------------------------------------------------------------------------------------------


def build(inp: WeeklyInputs) -> Report:
    r, lang = inp.result, inp.lang
    header = [*plan_lines(inp), *inp.facts.header(), compared_line(inp), *problem_lines(inp)]
    if inp.province_names:
        header.append(label("w.provinces", lang).format(names=", ".join(inp.province_names)))
    if not inp.has_rules:
        header.append(label("w.no_rules", lang))
    base = r.baseline
    meta = inp.facts.meta(
        minggu=r.week,
        minggu_pembanding=base.week if base else None,
        tanggal_pembanding=base.as_of if base else None,
        direkonstruksi=base.reconstructed if base else None,
        perubahan_rencana=list(r.plan_changed),
        riwayat=r.stored_weeks,
        riwayat_bermasalah=[str(b.path) for b in r.bad],
        provinsi=list(inp.provinces),
    )
    report = Report(
        "weekly", lang, title=label("w.title", lang).format(week=r.week), header=header, meta=meta, main="provinsi"
    )
    ch = r.changes
    if ch is not None:
        if len(ch.moved):
            report.tables.append(_table("jadwal_berubah", lang, WEEKLY_MOVED_KEYS, ch.moved))
        report.tables.append(_summary_table(inp, ch))
        report.tables.append(_table("provinsi", lang, WEEKLY_PROVINCE_KEYS, ch.provinces))
        report.tables.append(_row_table("baru_terlambat", lang, ch))
        findings = ch.findings.rename(columns={"tanggal": "tanggal_perubahan"})
        report.tables.append(_table("temuan", lang, WEEKLY_FINDING_KEYS, findings))
        lagging = ch.provinces[ch.provinces["belum_melapor_minggu_ini"].to_numpy(dtype=bool)]
        report.tables.append(_table("belum_melapor", lang, WEEKLY_NOT_REPORTED_KEYS, lagging))
        report.tables.append(_row_table("makin_terlambat", lang, ch))
        report.tables.append(_table("kandidat", lang, WEEKLY_CANDIDATE_KEYS, ch.candidates))
        report.tables.append(_row_table("selesai", lang, ch))
        report.tables.append(_row_table("pulih", lang, ch))
        report.tables.append(_table("tahapan", lang, WEEKLY_STAGE_KEYS, ch.stages))
    else:  # the first week: where each province stands, nothing to compare
        now = r.state.rollup[r.state.rollup["kode_provinsi"].notna()]
        if inp.provinces:
            now = now[now["kode_provinsi"].isin(set(inp.provinces))]
        now = now.sort_values(["deviasi", "kode_provinsi"], kind="stable")
        report.tables.append(_table("provinsi", lang, WEEKLY_FIRST_KEYS, now))
    if r.trends is not None:
        report.tables += _trend_tables(inp)
    if r.bad:
        report.tables.append(bad_table(r.bad, lang, "riwayat_bermasalah", label("w.t.riwayat", lang)))
    return report


def _table(name: str, lang: str, keys: list[str], rows: pd.DataFrame, **opts: Any) -> Table:
    return Table(name, label(f"w.t.{name}", lang), columns(*keys), rows.reset_index(drop=True),
                 empty=label("none", lang), limit=opts.pop("limit", SCREEN_LIMIT), **opts)  # fmt: skip


def _summary_table(inp: WeeklyInputs, ch: Changes) -> Table:
    r, counts = inp.result, ch.counts()
    assert r.baseline is not None
    nat = ch.national
    row = {
        "minggu": r.week,
        "tanggal_posisi": r.state.as_of,
        "minggu_pembanding": r.baseline.week,
        "tanggal_pembanding": r.baseline.as_of,
        "direkonstruksi": r.baseline.reconstructed,
        "deviasi_sebelumnya": nat.get("deviasi_sebelumnya"),
        "deviasi": nat.get("deviasi"),
        "perubahan_deviasi": nat.get("perubahan_deviasi"),
        "arah": nat.get("arah"),
        **{k: counts[k] for k in COUNTS},
    }
    return Table("ringkasan", label("w.t.ringkasan", inp.lang), columns(*WEEKLY_SUMMARY_KEYS),
                 pd.DataFrame([row]), layout="card")  # fmt: skip


def _row_table(change: str, lang: str, ch: Changes) -> Table:
    rows = ch.rows[ch.rows["perubahan_minggu"] == change]
    by, ascending = _ROW_ORDER[change]
    rows = rows.sort_values(by, ascending=ascending, kind="stable")
    notes = []
    if len(rows) > DETAIL_CAP:
        notes.append(label("w.detail_cap", lang).format(shown=_n(DETAIL_CAP, lang), n=_n(len(rows), lang)))
        rows = rows.head(DETAIL_CAP)
    hide = _ROW_HIDE[change]
    cols = [c for c in columns(*WEEKLY_ROW_KEYS) if c.key not in hide]
    return Table(change, label(f"w.t.{change}", lang), cols, rows.reset_index(drop=True), empty=label("none", lang),
                 notes=notes, limit=SCREEN_LIMIT)  # fmt: skip


def _trend_tables(inp: WeeklyInputs) -> list[Table]:
    trends, lang = inp.result.trends, inp.lang
    assert trends is not None
    prov = trends.provinces
    if inp.provinces:
        prov = prov[prov["kode_provinsi"].isin(set(inp.provinces))]
    weeks = sorted(prov["minggu"].unique())
    wide = prov.pivot_table(index=["kode_provinsi", "provinsi"], columns="minggu", values="deviasi", aggfunc="first")
    wide = wide.reindex(columns=weeks).reset_index()
    wide.columns = [str(c) for c in wide.columns]
    if weeks:  # worst first by the newest week
        wide = wide.sort_values([weeks[-1], "kode_provinsi"], kind="stable", na_position="last")
    dev = COLUMNS["deviasi"]
    week_cols: list[Column] = [dev.but(key=w, label=(w, w)) for w in weeks]
    per_week = Table(
        "tren_deviasi",
        label("w.t.tren_deviasi", lang),
        [*columns("kode_provinsi", "provinsi"), *week_cols],
        wide.reset_index(drop=True),
        empty=label("none", lang),
    )
    # the national planned vs actual, week by week: an S-curve (a point per week's status date), drawn as the
    # packs draw theirs (native xlsx chart, inline SVG in HTML)
    points = trends.national.rename(columns={"tanggal_posisi": "tanggal"})
    national = _table("tren_nasional", lang, WEEKLY_TREND_NATIONAL_KEYS, points, limit=None, chart="s_curve")
    return [national, per_week]


# --- the digest ----------------------------------------------------------------------------------------------


def digest(inp: WeeklyInputs) -> Report:
    """At most DIGEST_MAX plain lines: which weeks, what changes the reading, then the news worst first (bad
    news with a count, good news with a count, then what did not happen), then where the summary is."""
    r, lang = inp.result, inp.lang
    top = [_title_line(inp), *plan_lines(inp), *inp.facts.warnings(), *problem_lines(inp)]
    news: list[str] = []
    if r.changes is not None:
        news = _news_lines(inp, r.changes)
    else:
        late = int(r.state.rollup.loc[r.state.rollup["kode_provinsi"].isna(), "terlambat"].sum())
        news = [label("w.d.terlambat", lang).format(n=_n(late, lang))]
    trend = _trend_line(inp)
    if trend:
        news.append(trend)
    if inp.files:
        shown = [str(inp.files[0])] + [p.suffix for p in inp.files[1:]]
        bottom = [label("w.d.files", lang).format(files=", ".join(shown))]
    else:
        bottom = [label("w.d.no_files", lang).format(reason=inp.files_error or "-")]
    room = DIGEST_MAX - len(top) - len(bottom)
    if len(news) > room:
        cut = len(news) - room + 1
        news = [*news[: room - 1], label("w.d.more", lang).format(n=cut)]
    lines = [*top, *news, *bottom][:DIGEST_MAX]
    return Report("weekly", lang, notes=lines, meta={"minggu": r.week})


def _title_line(inp: WeeklyInputs) -> str:
    r, lang = inp.result, inp.lang
    as_of = _fmt_date(r.state.as_of, lang)
    if r.baseline is None:
        return label("w.d.first", lang).format(week=r.week, as_of=as_of)
    rec = label("w.d.rec", lang) if r.baseline.reconstructed else ""
    return label("w.d.title", lang).format(
        week=r.week, as_of=as_of, prev=r.baseline.week, prev_as_of=_fmt_date(r.baseline.as_of, lang), rec=rec
    )


def _top(names: pd.Series, lang: str) -> str:
    """ " (Sulawesi Selatan 2, Aceh 2, ...)": the provinces with the most, at most TOP_NAMES."""
    if names.empty:
        return ""
    counts = names.value_counts(sort=False).rename_axis("n").reset_index(name="k")
    counts = counts.sort_values(["k", "n"], ascending=[False, True])
    shown = [f"{n} {_n(k, lang)}" for n, k in zip(counts["n"], counts["k"], strict=True)][:TOP_NAMES]
    more = ", ..." if len(counts) > TOP_NAMES else ""
    return f" ({', '.join(shown)}{more})"


def _news_lines(inp: WeeklyInputs, ch: Changes) -> list[str]:
    lang, counts = inp.lang, ch.counts()
    rows = ch.rows

    def line(key: str, count: str, extra: str = "") -> tuple[int, str]:
        return counts[count], label(f"w.d.{key}", lang).format(n=_n(counts[count], lang)) + extra

    def top(change: str) -> str:
        return _top(rows.loc[rows["perubahan_minggu"] == change, "provinsi"].astype("str"), lang)

    lagging = ch.provinces.loc[ch.provinces["belum_melapor_minggu_ini"].to_numpy(dtype=bool), "provinsi"]
    lag_names = f" ({', '.join(lagging.astype('str'))})" if len(lagging) else ""
    bad = [
        line("baru_terlambat", "baru_terlambat", top("baru_terlambat")),
        line("temuan_baru_lewat_batas", "temuan_baru_lewat_batas"),
        line("belum_melapor", "provinsi_belum_melapor", lag_names),
        line("makin_terlambat", "makin_terlambat", top("makin_terlambat")),
    ]
    good = [
        line("selesai", "selesai_minggu_ini"),
        line("pulih", "pulih"),
        line("temuan_ditutup", "temuan_ditutup"),
    ]
    dev_line, dev_bad = _deviation_line(inp, ch)
    if dev_line and dev_bad:
        bad.append((1, dev_line))
    elif dev_line:
        good.insert(0, (1, dev_line))
    if inp.has_rules:
        cand = label("w.d.kandidat", lang).format(
            out=_n(counts["kandidat_keluar"], lang), new=_n(counts["kandidat_masuk"], lang)
        )
        moved = counts["kandidat_keluar"] + counts["kandidat_masuk"]
        (bad if counts["kandidat_keluar"] else good).append((moved, cand))
    # bad news with a count, good news with a count, then what did not happen
    return [t for n, t in bad if n] + [t for n, t in good if n] + [t for n, t in bad + good if not n]


def _deviation_line(inp: WeeklyInputs, ch: Changes) -> tuple[str, bool]:
    """The national deviation and its change, with the provinces that worsened most; (line, is bad news)."""
    lang, nat = inp.lang, ch.national
    if not nat:
        return "", False
    arrow = label(f"arah.{nat['arah']}", lang) if isinstance(nat.get("arah"), str) else ""
    line = label("w.d.deviasi", lang).format(
        dev=_points(nat["deviasi"], lang), change=_points(nat["perubahan_deviasi"], lang), arrow=arrow
    )
    worse = ch.provinces[ch.provinces["perubahan_deviasi"].round(1) < 0].head(TOP_NAMES)
    if len(worse):
        parts = [
            f"{p} {_points(d, lang)} {label('arah.turun', lang)}"
            for p, d in zip(worse["provinsi"], worse["perubahan_deviasi"], strict=True)
        ]
        line += f"; {label('w.d.worst', lang)}: {', '.join(parts)}"
    return line, nat.get("arah") == "turun"


def _trend_line(inp: WeeklyInputs) -> str:
    trends, lang = inp.result.trends, inp.lang
    if trends is None or trends.national.empty:
        return ""
    tail = trends.national.sort_values("minggu").tail(TREND_POINTS)
    values = " → ".join(f"{w[-3:]} {_points(d, lang)}" for w, d in zip(tail["minggu"], tail["deviasi"], strict=True))
    return label("w.d.tren", lang).format(values=values)
