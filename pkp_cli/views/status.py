"""The reports of `pkp status`: national, one or more provinces, one location, or every row (--detail).

Roll-ups (a province's headline, its kabupaten/kota, the national table) are computed on the whole group they
describe, within --program when given; the other filters (--kabupaten, --stage, --status, --late-only) narrow
the rows listed, and a note says so. The S-curve shows what is known now about each past week: a stage
finished on 26 May but first reported on 3 June counts from 26 May on (see engines/rollup.py::s_curve); a
replay with --as-of 2022-05-27 shows what was known then.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from typing import Any

import pandas as pd

from pkp_cli.engines import standing
from pkp_cli.engines.beside import second_thread
from pkp_cli.engines.construction import forecast
from pkp_cli.engines.query import Query
from pkp_cli.engines.rollup import ROLLUP_VALUES, rollup, rollups, s_curve, worst_first
from pkp_cli.engines.status import StatusWork
from pkp_cli.model.schedule import Schedule
from pkp_cli.text.labels import label
from pkp_cli.views.columns import COLUMNS, columns
from pkp_cli.views.facts import Facts
from pkp_cli.views.model import Report, Table
from pkp_cli.views.specs import (
    CONSTRUCTION_COUNTS,
    CONSTRUCTION_KEYS,
    CURVE_KEYS,
    DETAIL_KEYS,
    KABUPATEN_KEYS,
    LATE_LOCATION_KEYS,
    LATE_STAGE_KEYS,
    LOKASI_REPORT_KEYS,
    LOKASI_STAGE_KEYS,
    NATIONAL_KEYS,
    PERSIAPAN_KEYS,
    PROGRAM_KEYS,
    REPORTING,
    SUMMARY_KEYS,
)

SCREEN_LIMIT = 30
LATE_STAGES_LIMIT = 10
DETAIL_LIMIT = 200

# Columns a table keeps for CSV and JSON but not on screen (the title already says them, or room is short).
_OFF_SCREEN = {"jumlah", "hari_kerja_terlambat", "tanggal_laporan", "urutan_dilanggar", "laporan_basi"}
# In a province's own tables the title names the province.
_PROVINCE = {"provinsi"}


def _cols(keys: list[str], off_screen: set[str] | frozenset[str] = frozenset()) -> list[Any]:
    return [c.but(screen=False) if c.key in off_screen else c for c in columns(*keys)]


Frames = dict[str, pd.DataFrame]
# (kind, what else the tables depend on besides the status frame's inputs, compute) -> the tables: the workspace
# keeps them in the cache (cli/workspace.py::Workspace.kept_tables).
Keep = Callable[[str, dict[str, Any], Callable[[], Frames]], Frames]
Lazy = pd.DataFrame | Callable[[], pd.DataFrame]


class StatusInputs:
    """Everything the status views read, computed once whatever the output format.

    `status` and `progres` may be given as functions that return them: they are called on first use only (a
    warm national report whose tables are kept by `keep` needs neither frame). `work`, called after `status`,
    gives what the status engine worked out for that frame (engines.status.StatusWork), or None (the frame came
    from the cache): the national view then does not work it out again. `after_peak`, when given, is called once
    the national view's biggest temporaries are gone (the CLI then starts the cache writes it held back).
    """

    def __init__(self, status: Lazy, progres: Lazy, schedule: Schedule, facts: Facts, stale_days: int,
                 keep: Keep | None = None, work: Callable[[], StatusWork | None] | None = None,
                 after_peak: Callable[[], None] | None = None):  # fmt: skip
        self._status_source = status
        self._progres_source = progres
        self.schedule = schedule
        self.facts = facts
        self.stale_days = stale_days
        self.as_of = facts.as_of
        assert self.as_of is not None
        self._forecast: pd.DataFrame | None = None
        self.keep = keep
        self._work = work
        self._work_value: StatusWork | None = None
        self._after_peak = after_peak

    @property
    def status(self) -> pd.DataFrame:
        if callable(self._status_source):
            self._status_source = self._status_source()
        return self._status_source

    @property
    def progres(self) -> pd.DataFrame:
        if callable(self._progres_source):
            self._progres_source = self._progres_source()
        return self._progres_source

    def work(self) -> StatusWork | None:
        """The status engine's StatusWork for `status` as it is (whole), or None (none given, or let go)."""
        status = self.status
        if self._work is not None:  # taken once from its source, which forgets it (see drop_work)
            self._work_value = self._work()
            self._work = None
        work = self._work_value
        return work if work is not None and work.fits(status) else None

    def drop_work(self) -> None:
        """Let the StatusWork go (about 70 MB on the national data) once nothing more needs it; later users of
        `work()` get None and work it out from the frame."""
        self._work = None
        self._work_value = None

    def peak_passed(self) -> None:
        """Say (once) that the view's 1.66 M-row temporaries are gone: what was held back for that may start."""
        hook, self._after_peak = self._after_peak, None
        if hook is not None:
            hook()

    def kept(self, kind: str, q: Query, compute: Callable[[], Frames]) -> Frames:
        """Tables computed from the status frame, the progress history and `q`, kept when the CLI keeps them."""
        return compute() if self.keep is None else self.keep(kind, {"query": asdict(q)}, compute)

    @property
    def forecast(self) -> pd.DataFrame:
        if self._forecast is None:
            assert self.as_of is not None
            work = self.work()
            self._forecast = forecast(self.status, self.schedule, self.as_of, work.grid if work else None)
        return self._forecast

    def reporting(self) -> pd.DataFrame:
        """Per province: the newest report on or before as-of, and whether it is too old (not reported)."""
        assert self.as_of is not None
        newest = standing.newest_reports(self.progres, self.as_of)
        codes = pd.Index(self.status["kode_provinsi"].dropna().unique())
        newest = newest.reindex(codes)
        return pd.DataFrame(
            {
                "laporan_terakhir": newest,
                "belum_melapor": standing.not_reported(newest, self.as_of, self.stale_days),
            }
        ).rename_axis("kode_provinsi")

    def rollup(self, rows: pd.DataFrame, by: list[str] | None = None) -> pd.DataFrame:
        assert self.as_of is not None
        return rollup(rows, self.schedule, self.as_of, by=by)

    def rollups(self, rows: pd.DataFrame, bys: list[list[str] | None]) -> list[pd.DataFrame]:
        """Several roll-ups of the same rows (each row's shares computed once)."""
        assert self.as_of is not None
        return rollups(rows, self.schedule, self.as_of, bys)


def _names(status: pd.DataFrame, code: str, name: str) -> pd.DataFrame:
    return status[[code, name]].dropna(subset=[code]).drop_duplicates(code)


def _filter_note(q: Query, lang: str) -> list[str]:
    if not q.narrows_rows:
        return []
    parts = []
    if q.kabupaten:
        parts.append("--kabupaten " + ", ".join(q.kabupaten))
    if q.stages:
        parts.append("--stage " + ", ".join(q.stages))
    if q.statuses:
        parts.append("--status " + ", ".join(q.statuses))
    if q.late_only:
        parts.append("--late-only")
    return [label("filter_note", lang).format(filters="; ".join(parts))]


def _base(facts: Facts, q: Query) -> Report:
    meta_extra: dict[str, Any] = {"program": q.program} if q.program else {}
    header = facts.header()
    if q.program:  # the one filter that changes the roll-ups: say which subset they describe
        header.append(label("program_scope", facts.lang).format(program=q.program))
    return Report("status", facts.lang, header=header, meta=facts.meta(**meta_extra), warnings=facts.warnings())


def _scoped(title: str, q: Query) -> str:
    """A roll-up's title names the program when --program narrows it."""
    return f"{title} — {q.program}" if q.program else title


# --- national ---------------------------------------------------------------------------------------------


def national_tables(inp: StatusInputs, q: Query) -> Frames:
    """The national report's data: codes and numbers only (no language), a few hundred rows whatever the size of
    the data, so it can be kept (StatusInputs.kept). Per province (worst first, --late-only applied), the
    national row, the construction totals, the late stages, per program, the S-curve."""
    assert inp.as_of is not None
    pop = q.program_rows(inp.status)
    # First what the status engine's work serves: the forecast takes its grid, which is let go before the roll-ups
    # make their 1.66 M-row temporaries (a cold run's peak is there); its progress rows (13 MB) serve the S-curve,
    # made beside the roll-ups below.
    fc = inp.forecast if q.program is None else inp.forecast[inp.forecast["program"] == q.program]
    work = inp.work() if pop is inp.status else None  # each progress row's status row: valid for the whole frame
    rows = work.progres_rows if work is not None else None
    del work
    inp.drop_work()  # its grid (about 45 MB) served the forecast: let go before the S-curve's temporaries
    # The roll-ups (about 0.4 s on the national data) run on a second thread (engines/beside.py) beside the S-curve,
    # the late stages and the reporting dates (about 0.35 s): after the S-curve, the main thread waited 0.2 s for
    # them. The S-curve's temporaries beside the roll-ups' left the cold run's peak where it was (the highest of 18
    # runs 976 MB before, 970 MB after; bench/analysis.md, round twenty-nine).
    with second_thread("pkp-rollups") as pool:
        rolled = pool.submit(inp.rollups, pop, [["kode_provinsi"], None, ["program"]])
        curve = s_curve(pop, inp.schedule, inp.as_of, by=["program"], progres=inp.progres, progres_rows=rows)
        del rows
        late = standing.late_stages(q.rows(inp.status, standing.LATE_STAGE_INPUTS))
        reporting = inp.reporting()
        by_province, national_row, per_program = rolled.result()
    # The roll-ups' temporaries were the peak: the status frame's cache entry (held until now) is written beside the
    # rest (about 0.15 s of CPU that came after the output; peak about 13 MB higher than holding it to the end).
    inp.peak_passed()
    per_prov = by_province.merge(_names(pop, "kode_provinsi", "provinsi"), on="kode_provinsi", how="left")
    counts = standing.construction_counts(fc)
    per_prov = per_prov.merge(counts, left_on="kode_provinsi", right_index=True, how="left")
    per_prov[CONSTRUCTION_COUNTS] = per_prov[CONSTRUCTION_COUNTS].fillna(0).astype("int64")
    per_prov = per_prov.merge(reporting, left_on="kode_provinsi", right_index=True, how="left")
    per_prov = worst_first(per_prov[NATIONAL_KEYS], keys=["kode_provinsi"])
    if q.late_only:
        per_prov = per_prov[per_prov["terlambat"] > 0]
    construction = pd.DataFrame(
        {
            "konstruksi_kritis": [int(counts["konstruksi_kritis"].sum())],
            "konstruksi_lewat_batas": [int(counts["konstruksi_lewat_batas"].sum())],
        }
    )
    return {
        "provinsi": per_prov,
        "nasional": national_row if len(pop) else national_row.iloc[0:0],
        "konstruksi": construction,
        "tahapan_terlambat": late,
        "program": per_program,
        "kurva_s": curve,
    }


def national(inp: StatusInputs, q: Query) -> Report:
    lang = inp.facts.lang
    data = inp.kept("status-national", q, lambda: national_tables(inp, q))
    per_prov, counts = data["provinsi"], data["konstruksi"]
    national_row = data["nasional"]
    total: dict[str, Any] = {str(k): v for k, v in national_row.iloc[0].items()} if len(national_row) else {}
    total.update(
        provinsi=label("national_total", lang),
        konstruksi_kritis=int(counts["konstruksi_kritis"].iloc[0]),
        konstruksi_lewat_batas=int(counts["konstruksi_lewat_batas"].iloc[0]),
        laporan_terakhir=inp.facts.newest_report,
    )
    lagging = per_prov[per_prov["belum_melapor"].fillna(False).astype(bool)]
    notes = []
    if len(lagging):
        notes.append(
            label("not_reported_note", lang).format(
                n=len(lagging), days=inp.stale_days, names=", ".join(lagging["provinsi"].astype(str))
            )
        )
    report = _base(inp.facts, q)
    report.main = "provinsi"
    report.meta["provinces_not_reported"] = len(lagging)
    report.tables.append(
        Table(
            "provinsi",
            _scoped(label("t.provinces", lang), q),
            _cols(NATIONAL_KEYS, {"jumlah"}),
            per_prov,
            total=total,
            notes=notes + _filter_note(q, lang),
        )
    )
    report.tables.append(
        Table(
            "tahapan_terlambat",
            label("t.late_stages", lang),
            _cols(LATE_STAGE_KEYS, {"tingkat"}),
            data["tahapan_terlambat"],
            empty=label("none", lang),
            limit=LATE_STAGES_LIMIT,
        )
    )
    report.tables.append(Table("program", label("t.programs", lang), _cols(PROGRAM_KEYS, {"jumlah"}), data["program"]))
    report.tables.append(Table("kurva_s", label("t.curve", lang), columns(*CURVE_KEYS), data["kurva_s"],
                               screen=False, chart="s_curve"))  # fmt: skip
    return report


# --- provinces --------------------------------------------------------------------------------------------


def province_tables(inp: StatusInputs, q: Query) -> Frames:
    """The province reports' data: codes and numbers only (no language), a few hundred rows, so it can be kept
    (StatusInputs.kept). Per province asked, `<code>/<table>`: the summary card (ringkasan, which names the
    province), preparations, kabupaten/kota, late locations, construction flagged, the S-curve."""
    reporting = inp.reporting()
    pop = q.program_rows(inp.status)
    shown = q.rows(inp.status)
    fc_all = inp.forecast if q.program is None else inp.forecast[inp.forecast["program"] == q.program]
    out: Frames = {}
    for code in q.provinces:
        mine = pop[pop["kode_provinsi"] == code]
        name = str(mine["provinsi"].iloc[0]) if len(mine) else code
        summary = inp.rollup(mine, ["kode_provinsi"]).assign(provinsi=name)
        fc = fc_all[fc_all["kode_provinsi"] == code]
        for key, value in standing.construction_counts(fc).reindex([code]).fillna(0).iloc[0].items():
            summary[key] = int(value)
        for key in REPORTING:
            summary[key] = reporting[key].get(code)
        out[f"{code}/ringkasan"] = summary[SUMMARY_KEYS]
        tables = _province_frames(inp, q, code, name, mine, shown[shown["kode_provinsi"] == code], fc)
        out.update({f"{code}/{key}": frame for key, frame in tables.items()})
    return out


def provinces(inp: StatusInputs, q: Query) -> Report:
    lang = inp.facts.lang
    data = inp.kept("status-province", q, lambda: province_tables(inp, q))
    report = _base(inp.facts, q)
    report.main = "terlambat"
    for code in q.provinces:
        summary = data[f"{code}/ringkasan"]
        # no row when --program leaves the province none: then its code names it
        name = str(summary["provinsi"].iloc[0]) if len(summary) else code
        report.tables.append(
            Table(
                "ringkasan",
                _scoped(f"{name} ({code})", q),
                _cols(SUMMARY_KEYS, _PROVINCE | {"median_terlambat"}),
                summary,
                layout="card",
                notes=_filter_note(q, lang),
            )
        )
        report.tables += _province_tables(inp, name, {key: data[f"{code}/{key}"] for key in _PROVINCE_FRAMES})
    return report


_PROVINCE_FRAMES = ("persiapan", "kabupaten", "terlambat", "konstruksi", "kurva_s")


def _province_frames(inp: StatusInputs, q: Query, code: str, name: str, mine: pd.DataFrame, shown: pd.DataFrame,
                     fc: pd.DataFrame) -> Frames:  # fmt: skip
    persiapan = shown[shown["tingkat"] == "provinsi"].sort_values("urutan", kind="stable")
    locations = mine[mine["tingkat"] == "lokasi"]
    per_kab = inp.rollup(locations, ["kode_kabupaten"]).merge(
        _names(locations, "kode_kabupaten", "kabupaten_kota"), on="kode_kabupaten"
    )
    per_kab = worst_first(per_kab.assign(kode_provinsi=code, provinsi=name)[KABUPATEN_KEYS], keys=["kode_kabupaten"])
    if q.kabupaten:
        per_kab = per_kab[per_kab["kode_kabupaten"].isin(q.kabupaten)]
    late = shown[(shown["tingkat"] == "lokasi") & (shown["status"] == "terlambat")].sort_values(
        ["hari_terlambat", "kode_lokasi", "urutan"], ascending=[False, True, True], kind="stable"
    )
    flagged = fc[fc["kritis"] | fc["melewati_batas_akhir"]]
    if q.kabupaten:
        flagged = flagged[flagged["kode_kabupaten"].isin(q.kabupaten)]
    flagged = flagged.sort_values(["deviasi", "kode_lokasi"], kind="stable")
    assert inp.as_of is not None
    curve = s_curve(mine, inp.schedule, inp.as_of, by=["program"], progres=inp.progres)
    return {
        "persiapan": persiapan.reindex(columns=PERSIAPAN_KEYS),
        "kabupaten": per_kab,
        "terlambat": late.reindex(columns=LATE_LOCATION_KEYS),
        "konstruksi": flagged.reindex(columns=CONSTRUCTION_KEYS),
        "kurva_s": curve.assign(kode_provinsi=code),
    }


def _province_tables(inp: StatusInputs, name: str, frames: Frames) -> list[Table]:
    lang = inp.facts.lang
    none = label("none", lang)
    late, flagged = frames["terlambat"], frames["konstruksi"]
    return [
        Table(
            "persiapan",
            f"{name} — {label('t.preparation', lang)}",
            _cols(PERSIAPAN_KEYS, _OFF_SCREEN | _PROVINCE | {"jadwal_mulai"}),
            frames["persiapan"],
            empty=none,
        ),
        Table(
            "kabupaten",
            f"{name} — {label('t.kabupaten', lang)}",
            _cols(KABUPATEN_KEYS, _PROVINCE | {"jumlah"}),
            frames["kabupaten"],
            empty=none,
        ),
        Table(
            "terlambat",
            f"{name} — {label('t.late_locations', lang)} ({len(late)})",
            _cols(LATE_LOCATION_KEYS, _PROVINCE | {"hari_kerja_terlambat"}),
            late,
            empty=none,
            limit=SCREEN_LIMIT,
        ),
        Table(
            "konstruksi",
            f"{name} — {label('t.construction', lang)} ({len(flagged)})",
            _cols(CONSTRUCTION_KEYS, _PROVINCE),
            flagged,
            empty=none,
            limit=SCREEN_LIMIT,
        ),
        Table(
            "kurva_s",
            f"{name} — {label('t.curve', lang)}",
            columns(*CURVE_KEYS),
            frames["kurva_s"],
            screen=False,
            chart="s_curve",
        ),
    ]


# --- one location -----------------------------------------------------------------------------------------


def location(inp: StatusInputs, q: Query) -> Report:
    lang = inp.facts.lang
    code = q.lokasi
    st = inp.status
    own = st[st["kode_lokasi"] == code]
    above = st[
        (st["tingkat"] == "provinsi")
        & st["kode_provinsi"].isin(own["kode_provinsi"].unique())
        & st["program"].isin(own["program"].unique())
    ]
    stages = q.rows(pd.concat([above, own])).sort_values(["urutan"], kind="stable")
    as_of = pd.Timestamp(inp.facts.as_of or inp.schedule.deadline)
    reports = inp.progres[(inp.progres["kode_lokasi"] == code) & inp.progres["keterangan"].notna()]
    reports = reports[reports["tanggal_laporan"] <= as_of]
    order = dict(zip(own["tahapan"], own["urutan"], strict=True))
    names = dict(zip(own["tahapan"], own["nama_tahapan"], strict=True))
    reports = reports.assign(_urutan=reports["tahapan"].map(order), nama_tahapan=reports["tahapan"].map(names))
    reports = reports.sort_values(["tanggal_laporan", "_urutan"], kind="stable")
    name = str(own["nama_lokasi"].iloc[0]) if len(own) else code
    where = ", ".join(
        str(own[c].iloc[0]) for c in ("kabupaten_kota", "provinsi") if len(own) and pd.notna(own[c].iloc[0])
    )
    program = str(own["program"].iloc[0]) if len(own) else ""
    report = _base(inp.facts, q)
    report.main = "tahapan"
    report.tables += [
        Table(
            "tahapan",
            f"{code} {name} — {where} ({program})",
            _cols(LOKASI_STAGE_KEYS, _OFF_SCREEN | {"kode_lokasi", "program", "tanpa_laporan", "jadwal_mulai"}),
            stages.reindex(columns=LOKASI_STAGE_KEYS),
            empty=label("none", lang),
            notes=_filter_note(q, lang),
        ),
        Table(
            "laporan",
            label("t.reports", lang),
            columns(*LOKASI_REPORT_KEYS),
            reports.reindex(columns=LOKASI_REPORT_KEYS),
            empty=label("none", lang),
        ),
    ]
    return report


# --- every row --------------------------------------------------------------------------------------------


def detail(inp: StatusInputs, q: Query) -> Report:
    lang = inp.facts.lang
    rows = q.rows(inp.status)
    report = _base(inp.facts, q)
    report.main = "rincian"
    off = _OFF_SCREEN | {"kode_provinsi", "kode_kabupaten", "jadwal_mulai", "tanpa_laporan", "tingkat"}
    report.tables.append(
        Table(
            "rincian",
            f"{label('t.detail', lang)} ({len(rows)})",
            _cols(DETAIL_KEYS, off),
            rows.reindex(columns=DETAIL_KEYS),
            empty=label("none", lang),
            limit=DETAIL_LIMIT,
        )
    )
    return report


def build(inp: StatusInputs, q: Query, detail_rows: bool = False) -> Report:
    """The status report the options ask for."""
    if detail_rows:
        return detail(inp, q)
    if q.lokasi:
        return location(inp, q)
    if q.provinces:
        return provinces(inp, q)
    return national(inp, q)


__all__ = ["COLUMNS", "ROLLUP_VALUES", "StatusInputs", "build"]
