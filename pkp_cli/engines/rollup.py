"""Roll-ups of the status frame: planned vs actual progress, deviation, counts, slip, S-curve.

One definition of each number, used by every view, report and weekly comparison:

- planned share of a stage at day D: clamp((D - mulai + 1) / (selesai - mulai + 1), 0, 1), i.e. linear over
  its window, counting both ends (on `mulai` one day of the window has passed, on `selesai` all of it);
- actual share: 1 if finished (selesai / selesai_terlambat); for the construction stage (the program's key
  stage `konstruksi`) progres_persen / 100 (0 if empty); else 0;
- a group's planned % and actual % are the bobot-weighted means of those shares over its rows, times 100;
  deviation = actual % - planned %, in percentage points (negative = behind).

Every row of the group weighs its stage's `bobot`: a province's figure mixes its province-level stages
(one row each) with its locations' stages (one row per location).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from pkp_cli.engines.codes import category_codes, is_in
from pkp_cli.engines.grouped import median_max, whole_days
from pkp_cli.engines.status import is_finished
from pkp_cli.model.frames import STATUS_CODES
from pkp_cli.model.schedule import Schedule

FloatArray = npt.NDArray[np.float64]

LATE = ("terlambat", "selesai_terlambat")
# The value columns of a roll-up frame; every other column is a group key or a name.
ROLLUP_VALUES = [
    "jumlah",  # rows (location-stages and province-stages) in the group
    "rencana_persen",
    "realisasi_persen",
    "deviasi",
    *STATUS_CODES,  # one count column per status code
    "median_terlambat",  # median hari_terlambat over late and finished-late rows, NaN if none
    "maks_terlambat",  # max of the same, NaN if none
    "tahapan_terburuk",  # open late stage with the most days late (ties: most rows, schedule order), <NA> if none
]
CURVE_VALUES = ["tanggal", "rencana_persen", "realisasi_persen", "deviasi"]
# Reports are usually dated on Friday (the weekly reporting day), so the S-curve is sampled on Fridays.
WEEK_DAY = 4  # Monday = 0


def planned_share(jadwal_mulai: Any, jadwal_selesai: Any, at: Any) -> FloatArray:
    """Element-wise share of the window [mulai, selesai] elapsed by day `at` (both ends count)."""
    m = np.asarray(jadwal_mulai, dtype="datetime64[D]")
    s = np.asarray(jadwal_selesai, dtype="datetime64[D]")
    d = np.asarray(at, dtype="datetime64[D]")
    elapsed = (d - m).astype(np.float64) + 1.0
    length = (s - m).astype(np.float64) + 1.0
    return np.asarray(np.clip(elapsed / length, 0.0, 1.0), dtype=np.float64)


def _rows_planned_share(status: pd.DataFrame, at: np.datetime64) -> FloatArray:
    """planned_share of every row at `at`. The rows of one stage share its window in every status frame, so the
    share is computed once per stage and repeated, when the frame shows that (each row's window equal to its
    stage's); else row by row. The same values either way: the same arithmetic on the same dates."""
    mulai = status["jadwal_mulai"].to_numpy()
    selesai = status["jadwal_selesai"].to_numpy()
    stage, uniques = pd.factorize(status["tahapan"])
    stage = np.asarray(stage, dtype=np.int64)
    if len(stage) and mulai.dtype.kind == "M" and selesai.dtype.kind == "M" and int(stage.min()) >= 0:
        one = np.zeros(len(uniques), dtype=np.int64)
        one[stage] = np.arange(len(stage), dtype=np.int64)  # a row of each stage
        m, s = mulai[one], selesai[one]
        if np.array_equal(m.view(np.int64)[stage], mulai.view(np.int64)) and np.array_equal(
            s.view(np.int64)[stage], selesai.view(np.int64)
        ):
            return planned_share(m, s, at)[stage]
    return planned_share(mulai, selesai, at)


def construction_codes(schedule: Schedule) -> set[str]:
    """The stage codes that are a program's key stage `konstruksi`."""
    codes = {schedule.key_stage(p, "konstruksi") for p in schedule.programs}
    return {c for c in codes if c is not None}


def progress_fraction(progres_persen: Any) -> FloatArray:
    """progres_persen as a 0..1 fraction; empty counts as 0."""
    pct = np.asarray(progres_persen, dtype=np.float64)
    return np.asarray(np.clip(np.nan_to_num(pct, nan=0.0) / 100.0, 0.0, 1.0), dtype=np.float64)


def actual_share(status: pd.DataFrame, schedule: Schedule) -> FloatArray:
    """Element-wise actual share of each row (see module doc)."""
    finished = is_finished(status)
    construction = is_in(status["tahapan"], construction_codes(schedule))
    pct = progress_fraction(status["progres_persen"])
    return np.where(finished, 1.0, np.where(construction, pct, 0.0))


def stage_weights(status: pd.DataFrame, schedule: Schedule) -> FloatArray:
    """Each row's stage bobot (1 for a stage the schedule does not know, which should not happen)."""
    table = schedule.stage_table()
    codes, uniques = pd.factorize(status["tahapan"])  # hash the few stage codes, not every row
    where = pd.Index(table["tahapan"]).get_indexer(pd.Index(uniques))
    per_unique = np.where(where >= 0, table["bobot"].to_numpy(dtype=np.float64)[np.maximum(where, 0)], 1.0)
    return np.asarray(per_unique[codes], dtype=np.float64) if len(codes) else np.zeros(0)


def _keys(by: str | Sequence[str] | None) -> list[str]:
    if by is None:
        return []
    return [by] if isinstance(by, str) else list(by)


def rollup(
    status: pd.DataFrame, schedule: Schedule, as_of: date, by: str | Sequence[str] | None = None
) -> pd.DataFrame:
    """Per group of `by` (None or [] = one national row): the ROLLUP_VALUES columns after the keys.

    Rows with an empty key are left out (grouping by kabupaten/kota leaves out the province-level rows).
    """
    return rollups(status, schedule, as_of, [by])[0]


def rollups(
    status: pd.DataFrame, schedule: Schedule, as_of: date, bys: Sequence[str | Sequence[str] | None]
) -> list[pd.DataFrame]:
    """`rollup` of the same rows by each of `bys`: each row's weights, shares and counts are computed once."""
    w = stage_weights(status, schedule)
    # The three summed columns made in place in one (3, rows) block, which the frame holds without a copy (a frame
    # built from a dict of arrays copies them into its block): pandas sums them as before, to the last bit.
    sums = np.empty((3, len(status)), dtype=np.float64)
    sums[0] = w
    np.multiply(w, _rows_planned_share(status, np.datetime64(as_of, "D")), out=sums[1])
    np.multiply(w, actual_share(status, schedule), out=sums[2])
    del w
    work = pd.DataFrame(sums.T, columns=["_w", "_wp", "_wa"], copy=False)
    status_id = np.asarray(category_codes(status["status"], STATUS_CODES), dtype=np.int64)
    late = _LateDays(status, status_id)
    open_late = _OpenLate(status)
    return [_rollup_of(work, status, status_id, late, open_late, _keys(by)) for by in bys]


class _LateDays:
    """The late rows' (terlambat, selesai_terlambat) days late, for each grouping's median and maximum."""

    def __init__(self, status: pd.DataFrame, status_id: npt.NDArray[np.int64]) -> None:
        self.rows = np.flatnonzero(np.isin(status_id, [STATUS_CODES.index(c) for c in LATE]))
        days = status["hari_terlambat"]
        self.whole = whole_days(days)  # the engine's int64; else pandas' grouping below
        self.days = days.to_numpy(dtype=np.int64 if self.whole else np.float64)[self.rows]

    def median_max(self, group_id: npt.NDArray[np.int64], n_groups: int) -> tuple[FloatArray, FloatArray]:
        """Per group 0..n_groups-1: the median and the maximum of its late rows' days, NaN where it has none: as
        pandas' grouped median and max over every row with NaN outside the late rows."""
        g = group_id[self.rows]
        if self.whole:
            return median_max(g, self.days, n_groups)
        grouped = pd.Series(self.days).groupby(g)
        at = np.arange(n_groups)
        return (grouped.median().reindex(at).to_numpy(dtype=np.float64),
                grouped.max().reindex(at).to_numpy(dtype=np.float64))  # fmt: skip


def _rollup_of(work: pd.DataFrame, status: pd.DataFrame, status_id: npt.NDArray[np.int64], late: _LateDays,
               open_late: _OpenLate, keys: list[str]) -> pd.DataFrame:  # fmt: skip
    group_id, key_frame = group_ids(status, keys)
    keep = group_id >= 0  # an empty key (-1): its group is dropped below
    # Grouped over every row (not a filtered copy), as pandas sums the groups of the whole frame: the same
    # float sums, to the last bit, as grouping by the key columns themselves.
    grouped = work.groupby(group_id, sort=True)
    out = grouped[["_w", "_wp", "_wa"]].sum()
    out = out[out.index.to_numpy() >= 0]
    at = out.index.to_numpy()
    # counts by integer codes: rows per group, and per group and status code
    n_groups = len(key_frame)
    per_status, rows = _status_counts(group_id, keep, status_id, n_groups)
    per_status = per_status[at]
    for i, code in enumerate(STATUS_CODES):
        out[code] = per_status[:, i].astype(np.int64)
    out.insert(0, "jumlah", rows[at].astype(np.int64))
    out["rencana_persen"] = 100.0 * out["_wp"] / out["_w"]
    out["realisasi_persen"] = 100.0 * out["_wa"] / out["_w"]
    out["deviasi"] = out["realisasi_persen"] - out["rencana_persen"]
    median, most = late.median_max(group_id, n_groups)
    out["median_terlambat"] = median[at]
    out["maks_terlambat"] = most[at]
    out["tahapan_terburuk"] = open_late.worst_stage(group_id).reindex(out.index)
    out = pd.concat([key_frame.iloc[out.index.to_numpy()].reset_index(drop=True), out.reset_index(drop=True)], axis=1)
    return out[[*keys, *ROLLUP_VALUES]]


def _status_counts(group_id: npt.NDArray[np.int64], keep: npt.NDArray[np.bool_], status_id: npt.NDArray[np.int64],
                   n_groups: int) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:  # fmt: skip
    """Per group 0..n_groups-1: its rows per status code (n_groups x codes) and its rows (`keep`: group_id >= 0).

    When every row has a group and a known status (the status engine's frames), one bincount of (group, code) gives
    both, the rows being the sum over the codes: no masked copies of the 1.66 M-row codes. Else rows without a group
    are left out, and rows of no known status count in their group's rows only."""
    codes = len(STATUS_CODES)
    whole = len(group_id) and int(group_id.min()) >= 0 and int(status_id.min()) >= 0
    if whole or not len(group_id):
        if n_groups == 1:  # one group (the national row): the codes counted as they are
            per_status = np.bincount(status_id, minlength=codes).reshape(1, codes)
        else:
            key = group_id * codes
            key += status_id
            per_status = np.bincount(key, minlength=n_groups * codes).reshape(n_groups, codes)
        return per_status, per_status.sum(axis=1)
    known = keep & (status_id >= 0)
    per_status = np.bincount(group_id[known] * codes + status_id[known], minlength=n_groups * codes)
    return per_status.reshape(n_groups, codes), np.bincount(group_id[keep], minlength=n_groups)


def group_ids(status: pd.DataFrame, keys: list[str]) -> tuple[npt.NDArray[np.int64], pd.DataFrame]:
    """Each row's group of `keys` (-1 where a key is empty) and the groups' keys as text, in key order.

    Each key column is factorised once (a categorical by its codes), then the integer codes are combined: no
    grouping by text of 1.66 M rows, and the same groups whether the codes are text or categoricals.
    """
    if not keys:
        return np.zeros(len(status), dtype=np.int64), pd.DataFrame(index=pd.RangeIndex(1))
    if len(keys) == 1:  # factorised in key order: the codes are the groups, -1 where the key is empty
        codes, values = pd.factorize(status[keys[0]], sort=True)
        keyed = pd.array(np.asarray(values, dtype=object), dtype="str")
        return np.asarray(codes, dtype=np.int64), pd.DataFrame({keys[0]: keyed})
    combined = np.zeros(len(status), dtype=np.int64)
    empty = np.zeros(len(status), dtype=bool)
    uniques = []
    for k in keys:
        codes, values = pd.factorize(status[k], sort=True)
        codes = np.asarray(codes, dtype=np.int64)
        empty |= codes < 0
        combined = combined * max(len(values), 1) + np.maximum(codes, 0)
        uniques.append(values)
    used, group_id = np.unique(combined[~empty], return_inverse=True)
    out = np.full(len(status), -1, dtype=np.int64)
    out[~empty] = group_id
    columns = {}
    rest = used
    for k, values in reversed(list(zip(keys, uniques, strict=True))):
        n = max(len(values), 1)
        columns[k] = pd.array(np.asarray(values, dtype=object)[rest % n], dtype="str")
        rest = rest // n
    return out, pd.DataFrame({k: columns[k] for k in keys})


# Groups x stages up to this many: worst_stage counts per pair in a dense table instead of sorting its rows.
_DENSE_PAIRS = 1 << 22


class _OpenLate:
    """The open late (`terlambat`) rows of a status frame, for the worst stage of any grouping of its rows."""

    def __init__(self, status: pd.DataFrame) -> None:
        rows = (status["status"] == "terlambat").to_numpy(dtype=bool, copy=True)
        stage_id, stages = pd.factorize(status["tahapan"], sort=True)  # ties keep the stages' text order
        rows &= np.asarray(stage_id) >= 0
        self.rows = rows
        self.names = np.asarray(stages, dtype=object)
        self.stage = np.asarray(stage_id, dtype=np.int64)[rows]
        self.urutan = status["urutan"].to_numpy(dtype=np.int64)[rows]
        self.days = status["hari_terlambat"].to_numpy(dtype=np.float64)[rows]

    def worst_stage(self, group_id: npt.NDArray[np.int64]) -> pd.Series:
        """Per group: the open late stage with the most days late; ties go to the stage late at more locations,
        then to the earlier stage in the schedule."""
        g = group_id[self.rows]
        urutan, stage, days = self.urutan, self.stage, self.days
        if len(g) and int(g.min()) < 0:  # rows with an empty key: left out (none when grouping by a code)
            ok = g >= 0
            g, urutan, stage, days = g[ok], urutan[ok], stage[ok], days[ok]
        if not len(g):
            return pd.Series(pd.array([], dtype="str"), index=pd.Index([], dtype=np.int64))
        # one entry per (group, stage): a stage's urutan is its place in the schedule, one per stage
        span = int(urutan.max()) + 1
        key = g * span
        key += urutan
        if (int(g.max()) + 1) * span <= _DENSE_PAIRS:
            # counted in a table of every (group, stage) pair, the present ones taken in key order: the pairs,
            # counts, maxima and stages np.unique's sort would give, without sorting the open late rows
            size = (int(g.max()) + 1) * span
            n_all = np.bincount(key, minlength=size)
            pairs = np.flatnonzero(n_all)
            n = n_all[pairs]
            most_all = np.full(size, -np.inf)
            np.fmax.at(most_all, key, days)
            most = most_all[pairs]
            which_all = np.zeros(size, dtype=np.int64)
            which_all[key] = stage
            which = which_all[pairs]
        else:
            pairs, at = np.unique(key, return_inverse=True)
            n = np.bincount(at, minlength=len(pairs))
            most = np.full(len(pairs), -np.inf)
            np.fmax.at(most, at, days)
            which = np.zeros(len(pairs), dtype=np.int64)
            which[at] = stage
        group, order_in_schedule = pairs // span, pairs % span
        order = np.lexsort((which, order_in_schedule, -n, -most, group))
        first = np.ones(len(order), dtype=bool)
        first[1:] = group[order][1:] != group[order][:-1]
        best = order[first]
        return pd.Series(pd.array(self.names[which[best]], dtype="str"), index=group[best])


def worst_first(df: pd.DataFrame, keys: Sequence[str] | None = None) -> pd.DataFrame:
    """Lowest deviation first, then most `terlambat`, then the group code(s).

    `keys` default to the columns that are not roll-up values (codes, then names). Deviation is compared
    rounded to 1e-9 points so that float noise does not decide the order.
    """
    ties = list(keys) if keys is not None else [c for c in df.columns if c not in ROLLUP_VALUES]
    helper = df.assign(_dev=df["deviasi"].round(9), _late=-df["terlambat"])
    ordered = helper.sort_values(["_dev", "_late", *ties], kind="stable", na_position="last")
    return ordered.drop(columns=["_dev", "_late"]).reset_index(drop=True)


def week_ends(schedule: Schedule, as_of: date) -> list[date]:
    """The S-curve's points: every Friday of the fiscal year up to as_of, then as_of itself if not one.

    The last point is as_of so that the curve ends on the same figures as the roll-up.
    """
    start = schedule.fiscal_start
    last = min(as_of, date(schedule.year, 12, 31))
    if last < start:
        return []
    first_friday = start + timedelta(days=(WEEK_DAY - start.weekday()) % 7)
    points = [first_friday + timedelta(weeks=i) for i in range(((last - first_friday).days // 7) + 1)]
    points = [p for p in points if p <= last]
    if not points or points[-1] != last:
        points.append(last)
    return points


def _curve_events(
    status: pd.DataFrame,
    schedule: Schedule,
    progres: pd.DataFrame | None,
    progres_rows: npt.NDArray[np.int64] | None = None,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.datetime64], npt.NDArray[np.float64]]:
    """(status row, date, share from that date on) for every change of a row's actual share.

    A finished row reaches 1 on its finish date. A construction row also takes progres_persen / 100 on
    each report date before its finish: from the progress history when given (only reports up to the
    status's own report date, i.e. up to as_of), else from its newest report alone.
    """
    end = status["tanggal_selesai"].to_numpy(dtype="datetime64[D]")
    done = ~np.isnat(end)
    ev_rows = [np.flatnonzero(done).astype(np.int64, copy=False)]
    ev_dates = [end[done]]
    ev_vals = [np.ones(int(done.sum()))]
    construction = is_in(status["tahapan"], construction_codes(schedule))
    if construction.any():
        r, d, v = _construction_reports(status, construction, progres, progres_rows)
        before_end = np.isnat(end[r]) | (d < end[r])  # from the finish date on the share is 1
        ev_rows.append(r[before_end])
        ev_dates.append(d[before_end])
        ev_vals.append(v[before_end])
    return np.concatenate(ev_rows), np.concatenate(ev_dates), np.concatenate(ev_vals)


def _construction_reports(
    status: pd.DataFrame,
    construction: npt.NDArray[np.bool_],
    progres: pd.DataFrame | None,
    progres_rows: npt.NDArray[np.int64] | None = None,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.datetime64], npt.NDArray[np.float64]]:
    """(status row, report date, share) of every report on a construction row. `progres_rows`: each progress
    row's status row when the status frame's maker kept it (engines.status.StatusWork; reports after as_of
    there are -1, which the date test below drops anyway), else matched by (location, program, stage)."""
    rows = np.flatnonzero(construction)
    if progres is None or progres.empty:
        report = status["tanggal_laporan"].to_numpy(dtype="datetime64[D]")
        has = rows[~np.isnat(report[rows])]
        return has, report[has], progress_fraction(status["progres_persen"].to_numpy()[has])
    if progres_rows is not None and len(progres_rows) == len(progres):
        at = np.flatnonzero(progres_rows >= 0)
        at = at[construction[progres_rows[at]]]  # in progress-row order, as the matching below gives them
        r = progres_rows[at]
        # the rows taken first, then made days or floats: no whole-length copy of the 1.66 M-row columns
        d = _days_at(progres["tanggal_laporan"], at)
        pct = pd.Series(progres["progres_persen"].array.take(at)).to_numpy(dtype=np.float64, na_value=np.nan)
        ok = ~np.isnat(d)
        ok[ok] = d[ok] <= _days_at(status["tanggal_laporan"], r[ok])  # only reports up to the status's newest
        return r[ok], d[ok], progress_fraction(pct[ok])
    report = status["tanggal_laporan"].to_numpy(dtype="datetime64[D]")
    # as text, like the progress rows they are matched with (the status frame's codes may be categoricals)
    keys = pd.MultiIndex.from_arrays(
        [status[c].iloc[rows].astype("str").array for c in ("kode_lokasi", "program", "tahapan")]
    )
    # the four columns needed, then the rows: not a copy of every column of the history's construction rows
    wanted = progres["tahapan"].isin(set(status["tahapan"].iloc[rows])).to_numpy(dtype=bool)
    cand = progres[["kode_lokasi", "program", "tahapan", "tanggal_laporan", "progres_persen"]][wanted]
    hit = keys.get_indexer(pd.MultiIndex.from_arrays([cand["kode_lokasi"], cand["program"], cand["tahapan"]]))
    r = np.where(hit >= 0, rows[np.maximum(hit, 0)], -1)
    d = cand["tanggal_laporan"].to_numpy(dtype="datetime64[D]")
    ok = (r >= 0) & ~np.isnat(d)
    ok[ok] = d[ok] <= report[r[ok]]  # only what the status frame knew: reports up to its newest one
    return r[ok], d[ok], progress_fraction(cand["progres_persen"].to_numpy()[ok])


def _days_at(dates: pd.Series, at: npt.NDArray[np.int64]) -> npt.NDArray[np.datetime64]:
    """dates.to_numpy(dtype="datetime64[D]")[at], converting only the rows taken."""
    return np.asarray(pd.Series(dates.array.take(at)).to_numpy(dtype="datetime64[D]"))


def _event_order(row: npt.NDArray[np.int64], date: npt.NDArray[np.datetime64], val: FloatArray) -> npt.NDArray[Any]:
    """np.lexsort((val, date, row)): the events by row, then date, then share.

    A status row has at most one event a day (one report per location, stage and report date; none on or after
    its finish date but the finish itself), so (row, date) is unique and one sort of a single integer key (row,
    then day) gives the same order, four times faster on the national data's 460,000 events. The key is checked
    unique after sorting; else (or if it could overflow) lexsort decides, as before."""
    if len(row):
        days = date.view(np.int64)
        low = int(days.min())
        span = int(days.max()) - low + 1
        if span > 0 and int(row.min()) >= 0 and (int(row.max()) + 1) * span < 1 << 62:
            key = row * span  # fresh: row is the caller's
            key += days
            key -= low
            order = np.argsort(key)
            ordered = key[order]
            if not (ordered[1:] == ordered[:-1]).any():
                return order
    return np.lexsort((val, date, row))


def s_curve(
    status: pd.DataFrame,
    schedule: Schedule,
    as_of: date,
    by: str | Sequence[str] | None = None,
    *,
    progres: pd.DataFrame | None = None,
    progres_rows: npt.NDArray[np.int64] | None = None,
) -> pd.DataFrame:
    """Kurva S: planned and actual cumulative % at each point of `week_ends`, per group of `by`.

    Columns: the keys of `by` (none = national), tanggal, rencana_persen, realisasi_persen, deviasi; one
    row per group and point, groups in key order. At a point W a row counts as finished only if its finish
    date is on or before W, and a construction row has the progress of its newest report dated on or
    before W: nothing dated after W is used. Pass `progres` (the progress history) for the construction
    progress of past weeks; without it only the newest report is known, from its date on. `progres_rows`: each
    progress row's row in `status` when its maker kept them (engines.status.StatusWork of this very frame).

    The curve shows what is known NOW (at as_of) about each past week: a stage finished on 26 May and first
    reported on 3 June counts from 26 May on in a curve computed as of 3 June, while a replay as of 27 May
    (status and curve computed with as_of 27 May) knows only the reports dated up to then. So a past point can
    rise between two weekly runs as late reports arrive; the weekly summary compares stored snapshots, which keep
    what was known then.
    """
    keys = _keys(by)
    points = np.array(week_ends(schedule, as_of), dtype="datetime64[D]")
    group_id, keyed = group_ids(status, keys)  # -1: an empty key, left out
    key_frame: pd.DataFrame | None = keyed if keys else None
    n_groups = len(key_frame) if key_frame is not None else 1
    n_points = len(points)
    w = stage_weights(status, schedule)
    valid = group_id >= 0
    total = np.bincount(group_id[valid], weights=w[valid], minlength=n_groups)

    # planned: rows of one stage share a window, so weight per (group, stage) times share per (stage, point)
    stage_idx, stage_codes = pd.factorize(status["tahapan"])
    # each stage's window from one of its rows (the one a row-by-row assignment would leave last), made days
    # there: not two 1.66 M-row conversions and scatters
    one = np.zeros(len(stage_codes), dtype=np.int64)
    one[stage_idx] = np.arange(len(stage_idx), dtype=np.int64)
    mulai = status["jadwal_mulai"].iloc[one].to_numpy(dtype="datetime64[D]")
    selesai = status["jadwal_selesai"].iloc[one].to_numpy(dtype="datetime64[D]")
    del one
    # np.bincount adds the weights in row order, as np.add.at does (the same sums to the last bit), in one pass
    n_stages = len(stage_codes)
    if (stage_idx[valid] >= 0).all():
        flat = group_id[valid] * n_stages + stage_idx[valid]
        weights = np.bincount(flat, weights=w[valid], minlength=n_groups * n_stages)
        del flat  # 13 MB on the national data, not kept through the events below
        weight_gs = np.asarray(weights, dtype=np.float64).reshape(n_groups, n_stages)
    else:  # a row without a stage code (never from compute_status): as before, its weight lands on the last stage
        weight_gs = np.zeros((n_groups, n_stages))
        np.add.at(weight_gs, (group_id[valid], stage_idx[valid]), w[valid])
    del stage_idx
    share_sp = planned_share(mulai[:, None], selesai[:, None], points[None, :])
    planned = weight_gs @ share_sp

    # actual: each change of a row's share, binned to the first point on or after its date, then summed
    ev_row, ev_date, ev_val = _curve_events(status, schedule, progres, progres_rows)
    order = _event_order(ev_row, ev_date, ev_val)  # on one day, the higher share (the finish) comes last
    ev_row, ev_date, ev_val = ev_row[order], ev_date[order], ev_val[order]
    first_of_row = np.ones(len(ev_row), dtype=bool)
    first_of_row[1:] = ev_row[1:] != ev_row[:-1]
    delta = ev_val - np.where(first_of_row, 0.0, np.roll(ev_val, 1))  # change from the row's last share
    # events are dated (no NaT): searched as day numbers, which numpy does faster than dates
    point = np.searchsorted(points.astype(np.int64), ev_date.astype(np.int64), side="left")
    keep = (point < n_points) & valid[ev_row]
    at = group_id[ev_row[keep]] * n_points + point[keep]
    actual = np.bincount(at, weights=w[ev_row[keep]] * delta[keep], minlength=n_groups * n_points)
    actual = np.cumsum(actual.reshape(n_groups, n_points), axis=1)

    with np.errstate(invalid="ignore", divide="ignore"):
        rencana = 100.0 * planned / total[:, None]
        realisasi = 100.0 * actual / total[:, None]
    out = pd.DataFrame(
        {
            "tanggal": np.tile(points, n_groups).astype("datetime64[ns]"),
            "rencana_persen": rencana.ravel(),
            "realisasi_persen": realisasi.ravel(),
        }
    )
    out["deviasi"] = out["realisasi_persen"] - out["rencana_persen"]
    if key_frame is not None:
        repeated = key_frame.iloc[np.repeat(np.arange(n_groups), n_points)].reset_index(drop=True)
        out = pd.concat([repeated, out], axis=1)
    return out[[*keys, *CURVE_VALUES]]
