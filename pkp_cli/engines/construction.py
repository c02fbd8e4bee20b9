"""Construction monitoring and forecast: planned vs actual, `kritis`, projected ends, the deadline.

`kritis` borrows the public-works rule for critical contracts (kontrak kritis, Permen PU 07/PRT/M/2011 and
its successors): planned progress below 70 % and more than 10 points behind; planned 70 % or more and more
than 5 points behind; or planned 70 % or more, at most 5 points behind, but projected to end after the
schedule's `batas_akhir`. For community self-managed works (swakelola) this is an analyst convention,
not a legal requirement.

Projected end of a stage (one pass over the stages in dependency order, each pass vectorised):
- finished: its actual end;
- otherwise its planned end moved by the slip carried from its predecessors (the largest positive slip
  among the stages in its `setelah`, a province-level one read in the location's province);
- a construction stage with progress is extrapolated from its own pace instead: it has done
  progres_persen in the (D - start + 1) days since it started, so it needs (D - start + 1) * 100 /
  progres_persen days in all;
- an open stage cannot end before D, and one that has not started by D still needs its whole planned
  duration from D on.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import numpy.typing as npt
import pandas as pd

from pkp_cli.engines.codes import is_in
from pkp_cli.engines.rollup import actual_share, construction_codes, planned_share
from pkp_cli.engines.status import StageGrid, grid_from_status, is_finished
from pkp_cli.model.schedule import Schedule

BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]
DayArray = npt.NDArray[np.datetime64]

# Kontrak kritis bands: (planned % from which the band applies, points behind beyond which it is critical)
PERIOD_II_FROM = 70.0
BEHIND_PERIOD_I = 10.0
BEHIND_PERIOD_II = 5.0
# Percentages are compared after rounding, so that 69.9 - 59.9 = 10.000000000000007 is "10 behind".
_DECIMALS = 6

FORECAST_COLUMNS = [
    "kode_provinsi",
    "provinsi",
    "kode_kabupaten",
    "kabupaten_kota",
    "kode_lokasi",
    "nama_lokasi",
    "program",
    "tahapan",  # the program's construction stage
    "jadwal_mulai",
    "jadwal_selesai",
    "tanggal_mulai",
    "tanggal_selesai",
    "status",
    "rencana_persen",  # planned % at as_of, linear over the window
    "progres_persen",  # actual % (100 when finished, 0 when empty)
    "deviasi",  # progres_persen - rencana_persen, points
    "perkiraan_selesai",  # projected end
    "perkiraan_geser_hari",  # projected end - jadwal_selesai, calendar days (negative = early)
    "melewati_batas_akhir",  # projected end after the schedule's batas_akhir
    "kritis",
]


def kritis_flag(rencana_persen: object, realisasi_persen: object, after_deadline: object) -> BoolArray:
    """Element-wise kontrak-kritis rule (see module doc); inputs in percent."""
    plan = np.round(np.asarray(rencana_persen, dtype=np.float64), _DECIMALS)
    behind = np.round(plan - np.asarray(realisasi_persen, dtype=np.float64), _DECIMALS)
    late_end = np.asarray(after_deadline, dtype=bool)
    period_ii = plan >= PERIOD_II_FROM
    return np.asarray(
        (~period_ii & (behind > BEHIND_PERIOD_I)) | (period_ii & (behind > BEHIND_PERIOD_II)) | (period_ii & late_end),
        dtype=bool,
    )


def _days(n: FloatArray) -> npt.NDArray[np.timedelta64]:
    return np.asarray(n, dtype=np.int64).astype("timedelta64[D]")


def projected_ends(
    status: pd.DataFrame,
    schedule: Schedule,
    as_of: date,
    grid: StageGrid | None = None,
    stages: set[str] | None = None,
) -> DayArray:
    """Projected end of every row of `status` (datetime64[D]); see the module doc for the rules. `grid`: the
    frame's own grid when its maker kept it (engines.status.StatusWork), else worked out from the frame.
    `stages`: only these stage codes are wanted; they and the stages they wait for (through `setelah`) are
    projected, the rows of every other stage are left NaT."""
    grid = grid if grid is not None else grid_from_status(status, schedule)
    d = np.datetime64(as_of, "D")
    # The columns as they are (no copies); each stage's rows are taken and made days inside the loop: on 1.66 M
    # rows nine whole-length temporaries were 90 MB at a cold run's peak.
    mulai_all = status["jadwal_mulai"].to_numpy()
    selesai_all = status["jadwal_selesai"].to_numpy()
    start_all = status["tanggal_mulai"].to_numpy()
    end_all = status["tanggal_selesai"].to_numpy()
    pct_all = status["progres_persen"].to_numpy(dtype=np.float64)
    finished = is_finished(status)
    construction = is_in(status["tahapan"], construction_codes(schedule))

    proj = np.full(len(status), np.datetime64("NaT"), dtype="datetime64[D]")
    slip = np.zeros(len(status), dtype=np.float64)
    order = grid.dependency_order()
    if stages is not None:
        wanted = _waited_for(grid, {j for j, code in enumerate(grid.stages["tahapan"]) if code in stages})
        order = [j for j in order if j in wanted]
    for j in order:
        rows = grid.rows_of_stage(j)
        if rows.size == 0:
            continue
        carried = np.zeros(rows.size)
        for pred in grid.preds[j]:
            got = grid.pred_values(slip, rows, pred)
            carried = np.maximum(carried, np.nan_to_num(got, nan=0.0))  # missing predecessor: no slip
        shift = _days(np.maximum(carried, 0.0))  # finishing early does not pull successors earlier
        m = mulai_all[rows].astype("datetime64[D]")
        s = selesai_all[rows].astype("datetime64[D]")
        start = start_all[rows].astype("datetime64[D]")
        pct = np.clip(pct_all[rows], 0.0, 100.0)
        # progress without a start date: take the planned start as when the work began
        pace_start = np.where(np.isnat(start), m, start)
        done = finished[rows]
        paced = construction[rows] & ~done & (pct > 0) & (pace_start <= d)
        not_started = np.isnat(start)
        open_end = np.where(
            not_started,
            np.maximum(m + shift, d) + (s - m),
            np.maximum(s + shift, d),
        )
        elapsed = (d - pace_start).astype(np.float64) + 1.0
        with np.errstate(divide="ignore", invalid="ignore"):
            needed = np.ceil(elapsed * 100.0 / pct)
        paced_end = pace_start + _days(np.where(paced, needed, 1.0)) - np.timedelta64(1, "D")
        ends = np.where(done, end_all[rows].astype("datetime64[D]"), np.where(paced, paced_end, open_end))
        proj[rows] = ends
        slip[rows] = (ends - s).astype(np.float64)
    return proj


def _waited_for(grid: StageGrid, wanted: set[int]) -> set[int]:
    """`wanted` and every stage they wait for, directly or through others."""
    out: set[int] = set()
    todo = list(wanted)
    while todo:
        j = todo.pop()
        if j not in out:
            out.add(j)
            todo.extend(grid.preds[j])
    return out


# What forecast reads of the status frame: the columns it shows, and the actual share's (rollup.actual_share).
_PART_COLUMNS = [*FORECAST_COLUMNS[:13], "progres_persen"]


def forecast(status: pd.DataFrame, schedule: Schedule, as_of: date, grid: StageGrid | None = None) -> pd.DataFrame:
    """One row per location with a construction stage: FORECAST_COLUMNS, in status order (`grid`: see
    projected_ends)."""
    codes = construction_codes(schedule)
    proj = projected_ends(status, schedule, as_of, grid, stages=codes)  # only the construction rows are shown
    rows = np.flatnonzero(is_in(status["tahapan"], codes))
    # the construction rows of the columns read here only (not the frame's other columns, 1.66 M rows each)
    part = status[_PART_COLUMNS].iloc[rows].reset_index(drop=True)
    d = np.datetime64(as_of, "D")
    rencana = 100.0 * planned_share(part["jadwal_mulai"], part["jadwal_selesai"], d)
    realisasi = 100.0 * actual_share(part, schedule)
    end = proj[rows]
    after = end > np.datetime64(schedule.deadline, "D")
    finished = is_finished(part)
    out = part[
        [
            "kode_provinsi",
            "provinsi",
            "kode_kabupaten",
            "kabupaten_kota",
            "kode_lokasi",
            "nama_lokasi",
            "program",
            "tahapan",
            "jadwal_mulai",
            "jadwal_selesai",
            "tanggal_mulai",
            "tanggal_selesai",
            "status",
        ]
    ].copy()
    out["rencana_persen"] = rencana
    out["progres_persen"] = realisasi
    out["deviasi"] = realisasi - rencana
    out["perkiraan_selesai"] = end.astype("datetime64[ns]")
    out["perkiraan_geser_hari"] = (end - part["jadwal_selesai"].to_numpy(dtype="datetime64[D]")).astype(np.int64)
    out["melewati_batas_akhir"] = after
    # a finished construction is no longer a contract at risk
    out["kritis"] = ~finished & kritis_flag(rencana, realisasi, after)
    return out[FORECAST_COLUMNS]
