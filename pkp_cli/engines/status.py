"""Stage status against the national schedule (Jadwal Nasional) as of a date: the engine of `pkp status`.

One row per (location, stage of its program) and per (province, program, province-level stage), also
where no progress row exists. Everything is computed on whole columns: the rows are laid out as a grid
(unit x stage, a unit being a location or a province within one program) so that a progress row, a
predecessor or a key stage is found by integer indexing instead of joins or per-row Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from pkp_cli.engines.beside import second_thread
from pkp_cli.engines.codes import is_in
from pkp_cli.engines.days import as_days, as_ns
from pkp_cli.engines.workdays import WorkCalendar, working_days_after
from pkp_cli.model.frames import FINISHED, STATUS, STATUS_CODES
from pkp_cli.model.schedule import Schedule

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
CodeArray = npt.NDArray[np.int8]
DayArray = npt.NDArray[np.datetime64]

LEVEL_PROVINCE = "provinsi"
LEVEL_LOCATION = "lokasi"
NAT = np.datetime64("NaT", "D")

_UNIT_COLUMNS = [
    "kode_provinsi",
    "provinsi",
    "kode_kabupaten",
    "kabupaten_kota",
    "kode_lokasi",
    "nama_lokasi",
    "program",
]


def to_days(values: Any) -> DayArray:
    """A datetime column as numpy datetime64[D] (time of day dropped, NaT kept)."""
    arr = np.asarray(values)
    if arr.dtype.kind != "M":
        arr = pd.to_datetime(pd.Series(values)).to_numpy(dtype="datetime64[ns]")
    return as_days(arr)


def day(d: date) -> np.datetime64:
    return np.datetime64(d, "D")


@dataclass(frozen=True)
class StageGrid:
    """Rows laid out as (unit, stage). A unit is one location or one province, within one program.

    `pos[u, j]` is the row of unit u and stage j (-1 if that unit has no such stage), so finding the
    row of a predecessor, of the province above a location, or of a key stage is an array lookup.
    """

    stages: pd.DataFrame  # schedule.stage_table(); stage j is row j
    row_unit: IntArray
    row_stage: IntArray
    unit_is_province: BoolArray
    unit_province: IntArray  # the province unit of the same program (itself for a province unit)
    pos: IntArray
    preds: tuple[tuple[int, ...], ...]  # per stage: the stages of its `setelah`

    @property
    def n_rows(self) -> int:
        return len(self.row_unit)

    @cached_property
    def province_stage(self) -> BoolArray:
        """Per stage: whether it is a province-level stage (pred_values asks once per predecessor and stage; a
        pandas lookup each time cost more than the lookups it decides between)."""
        return (self.stages["tingkat"] == LEVEL_PROVINCE).to_numpy(dtype=bool)

    def stage_index(self, code: str) -> int:
        return int(self.stages.index[self.stages["tahapan"] == code][0])

    def dependency_order(self) -> list[int]:
        """Stage indices so that every stage comes after its `setelah` (the schedule has no cycles)."""
        done: list[int] = []
        placed: set[int] = set()
        while len(done) < len(self.preds):
            ready = [j for j, ps in enumerate(self.preds) if j not in placed and placed.issuperset(ps)]
            if not ready:  # only with a cycle, which the schedule check rejects; do not loop forever
                ready = [j for j in range(len(self.preds)) if j not in placed]
            done.extend(ready)
            placed.update(ready)
        return done

    def rows_of_stage(self, j: int) -> IntArray:
        col = self.pos[:, j]
        return col[col >= 0]

    def pred_values(self, values: npt.NDArray[Any], rows: IntArray, pred: int) -> npt.NDArray[Any]:
        """For each row in `rows`, the value of stage `pred` in the unit that gates it.

        A province-level `pred` is read in the row's province (same program). A location-level `pred`
        is read in the row's own location; for a province row it is the maximum over the province's
        locations, NaT/NaN if any of them has none (a province stage after a location stage waits for
        every location).
        """
        units = self.row_unit[rows]
        missing = _missing(values.dtype)
        if self.province_stage[pred]:
            prov = self.unit_province[units]
            target = np.where(prov >= 0, self.pos[np.maximum(prov, 0), pred], -1)
            return np.where(target >= 0, values[np.maximum(target, 0)], missing)
        own = ~self.unit_is_province[units]
        if own.all():  # location rows only (a location stage's rows): read in place, no masked copies
            target = self.pos[units, pred]
            found = values[target]  # a -1 reads the last value, made missing next
            found[target < 0] = missing
            return found
        out = np.full(len(rows), missing, dtype=values.dtype)
        target = self.pos[units[own], pred]
        out[own] = np.where(target >= 0, values[np.maximum(target, 0)], missing)
        if (~own).any():
            out[~own] = self._province_max(values, pred)[units[~own]]
        return out

    def _province_max(self, values: npt.NDArray[Any], j: int) -> npt.NDArray[Any]:
        """Per unit: max of stage j's values over the locations of that province unit (NaT/NaN wins)."""
        rows = self.rows_of_stage(j)
        prov = self.unit_province[self.row_unit[rows]]
        rows, prov = rows[prov >= 0], prov[prov >= 0]  # a filtered frame may lack the province row
        lowest = np.datetime64("0001-01-01", "D") if values.dtype.kind == "M" else -np.inf
        agg = np.full(len(self.unit_is_province), lowest, dtype=values.dtype)
        np.maximum.at(agg, prov, values[rows])  # NaT / NaN propagate through maximum
        counted = np.zeros(len(agg), dtype=bool)
        counted[prov] = True
        agg[~counted] = _missing(values.dtype)
        return agg


def _missing(dtype: np.dtype[Any]) -> Any:
    """The empty value of a numeric or date array: NaT for dates, NaN for floats."""
    return np.datetime64("NaT", "D") if dtype.kind == "M" else np.nan


def _programs_order(stages: pd.DataFrame) -> dict[str, int]:
    return {p: i for i, p in enumerate(dict.fromkeys(stages["program"]))}


def _units(lokasi: pd.DataFrame, stages: pd.DataFrame) -> pd.DataFrame:
    """Location units and one province unit per (province, program) with a location, in display order."""
    order = _programs_order(stages)
    loc = lokasi.loc[lokasi["program"].isin(list(order)), _UNIT_COLUMNS].drop_duplicates(["kode_lokasi", "program"])
    loc = loc.astype(dict.fromkeys(_UNIT_COLUMNS, "str")).assign(tingkat=LEVEL_LOCATION)
    prov = loc.drop_duplicates(["kode_provinsi", "program"]).assign(tingkat=LEVEL_PROVINCE)
    prov["kode_kabupaten"] = pd.array([pd.NA] * len(prov), dtype="str")
    prov["kabupaten_kota"] = pd.array([pd.NA] * len(prov), dtype="str")
    prov["kode_lokasi"] = prov["kode_provinsi"]
    prov["nama_lokasi"] = prov["provinsi"]
    units = pd.concat([prov, loc], ignore_index=True)
    # a location code equal to a province code would make the progress lookup ambiguous; keep the province.
    # (Each part has no duplicate already: only a location code among the few province codes needs the check.)
    if loc["kode_lokasi"].isin(prov["kode_lokasi"].unique()).any():
        units = units.drop_duplicates(["kode_lokasi", "program"])
    # the program's place in the schedule, looked up once per program (not 83,000 times through a dict)
    prog_codes, progs = pd.factorize(units["program"])
    units["_prog"] = np.array([order[p] for p in progs], dtype=np.int64)[prog_codes]
    units["_lvl"] = (units["tingkat"] == LEVEL_LOCATION).astype(int)
    units = units.sort_values(["kode_provinsi", "_prog", "_lvl", "kode_kabupaten", "kode_lokasi"], kind="stable")
    return units.drop(columns=["_prog", "_lvl"]).reset_index(drop=True)


def _province_of_units(kode_provinsi: Any, program: Any, is_province: BoolArray) -> IntArray:
    keys = pd.MultiIndex.from_arrays([pd.Index(kode_provinsi), pd.Index(program)])
    prov_positions = np.flatnonzero(is_province)
    prov_keys = keys[prov_positions]
    hit = prov_keys.get_indexer(keys)
    return np.where(hit >= 0, prov_positions[np.maximum(hit, 0)], -1).astype(np.int64)


def _layout(units: pd.DataFrame, stages: pd.DataFrame) -> tuple[IntArray, IntArray]:
    """Row -> (unit, stage): each unit gets the stages of its program and level, in schedule order."""
    groups: dict[Any, Any] = stages.groupby(["program", "tingkat"], sort=False).indices
    keys = list(groups)
    width = max((len(v) for v in groups.values()), default=0)
    table = np.full((len(keys) + 1, max(width, 1)), -1, dtype=np.int64)  # last row: no stages
    lengths = np.zeros(len(keys) + 1, dtype=np.int64)
    for g, key in enumerate(keys):
        idx = np.sort(groups[key])
        table[g, : len(idx)] = idx
        lengths[g] = len(idx)
    unit_group = pd.MultiIndex.from_tuples(keys, names=["program", "tingkat"]).get_indexer(
        pd.MultiIndex.from_arrays([units["program"], units["tingkat"]])
    )
    unit_group = np.where(unit_group >= 0, unit_group, len(keys))
    n_per_unit = lengths[unit_group]
    row_unit = np.repeat(np.arange(len(units), dtype=np.int64), n_per_unit)
    starts = np.cumsum(n_per_unit) - n_per_unit
    within = np.arange(len(row_unit), dtype=np.int64) - np.repeat(starts, n_per_unit)
    row_stage = table[unit_group[row_unit], within]
    return row_unit, row_stage


def _grid(units: pd.DataFrame, stages: pd.DataFrame, row_unit: IntArray, row_stage: IntArray) -> StageGrid:
    is_prov = (units["tingkat"] == LEVEL_PROVINCE).to_numpy(dtype=bool)
    pos = np.full((len(units), len(stages)), -1, dtype=np.int64)
    pos[row_unit, row_stage] = np.arange(len(row_unit), dtype=np.int64)
    code_index = {str(c): j for j, c in enumerate(stages["tahapan"])}
    preds = tuple(tuple(code_index[p] for p in after if p in code_index) for after in stages["setelah"].tolist())
    return StageGrid(
        preds=preds,
        stages=stages,
        row_unit=row_unit,
        row_stage=row_stage,
        unit_is_province=is_prov,
        unit_province=_province_of_units(units["kode_provinsi"], units["program"], is_prov),
        pos=pos,
    )


def grid_from_status(status: pd.DataFrame, schedule: Schedule) -> StageGrid:
    """The grid of an already computed status frame (for engines that walk predecessors, e.g. forecast)."""
    stages = schedule.stage_table()
    # factorise each string column once (fast), then combine the integer codes: a unit is (lokasi, program)
    loc_id, _ = pd.factorize(status["kode_lokasi"])
    prog_id, progs = pd.factorize(status["program"])
    unit_id = np.asarray(pd.factorize(loc_id.astype(np.int64) * max(len(progs), 1) + prog_id)[0], dtype=np.int64)
    first = np.full(int(unit_id.max()) + 1 if len(unit_id) else 0, len(status), dtype=np.int64)
    np.minimum.at(first, unit_id, np.arange(len(status), dtype=np.int64))  # each unit's first row
    units = status.iloc[first][["kode_provinsi", "program", "tingkat"]].reset_index(drop=True)
    stage_id, stage_codes = pd.factorize(status["tahapan"])
    row_stage = pd.Index(stages["tahapan"]).get_indexer(pd.Index(stage_codes)).astype(np.int64)[stage_id]
    return _grid(units, stages, unit_id, row_stage)


def _lookup_codes(values: pd.Series, known: BoolArray | None, index: pd.Index) -> npt.NDArray[np.integer[Any]]:
    """Positions in `index` of `values` (masked to `known` when given), -1 if absent (or missing).

    Text held by Arrow is looked up by Arrow's hash kernel against the index's few distinct values in one pass (the
    positions in Arrow's int32, not widened: on 1.66 M progress rows each widening is a fresh 13 MB array); anything
    else is factorised first, so that the (few) distinct codes are hashed once, not the millions of rows.
    """
    where = _arrow_index_in(values, index)
    if where is None:
        codes, uniques = pd.factorize(values)
        # a code of -1 (missing) reads the -1 put at the end
        where = np.append(np.asarray(index.get_indexer(pd.Index(uniques)), dtype=np.int64), -1)[codes]
    return where if known is None else np.where(known & (where >= 0), where, -1)


def _arrow_index_in(values: pd.Series, index: pd.Index) -> npt.NDArray[np.int32] | None:
    """Positions in `index` (unique text) of Arrow-backed text `values`, -1 where absent or missing; None when
    either side is not plain Arrow text (the caller then factorises)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arrow = getattr(values.array, "_pa_array", None)
    choices = getattr(index.array, "_pa_array", None)
    if arrow is None or choices is None or not index.is_unique:
        return None
    if not (pa.types.is_string(arrow.type) or pa.types.is_large_string(arrow.type)) or arrow.type != choices.type:
        return None
    found = pc.index_in(arrow, value_set=choices.combine_chunks(), skip_nulls=True)  # missing: never a match
    if found.null_count:
        found = pc.fill_null(found, -1)
    return np.asarray(found.to_numpy(zero_copy_only=False), dtype=np.int32)


def _latest_report_source(progres: pd.DataFrame, units: pd.DataFrame, grid: StageGrid, as_of: date
                          ) -> tuple[IntArray, IntArray]:  # fmt: skip
    """Per grid row: position in `progres` of its newest report on or before as_of, or -1; and per progress row:
    the grid row it reports on, -1 if none or reported after as_of (or undated)."""
    src = np.full(grid.n_rows, -1, dtype=np.int64)
    if progres.empty:
        return src, np.zeros(0, dtype=np.int64)
    report_day = to_days(progres["tanggal_laporan"])
    ok = report_day <= day(as_of)  # reported by as_of, then also: its location, program and stage known
    # a unit is (kode_lokasi, program); look the two up separately, then combine in a small table.
    loc_index = pd.Index(units["kode_lokasi"].unique())
    prog_index = pd.Index(units["program"].unique())
    loc = _lookup_codes(progres["kode_lokasi"], None, loc_index)
    ok &= loc >= 0
    prog = _lookup_codes(progres["program"], None, prog_index)
    ok &= prog >= 0
    stage = _lookup_codes(progres["tahapan"], None, pd.Index(grid.stages["tahapan"]))
    ok &= stage >= 0
    table = np.full((len(loc_index), len(prog_index)), -1, dtype=np.int64)
    table[loc_index.get_indexer(units["kode_lokasi"]), prog_index.get_indexer(units["program"])] = np.arange(len(units))
    # 1.66 M progress rows make every temporary here 7-13 MB: each is made once and let go when done with
    unit = table[loc[ok], prog[ok]]
    del loc, prog
    # the grid row of (unit, stage) read from the grid as one flat index (not two), -1 where the unit is missing:
    # grid.pos[unit, stage] with fewer row-length temporaries
    at = unit * grid.pos.shape[1]
    at += stage[ok]
    missing = unit < 0
    del unit
    at[missing] = 0
    found = grid.pos.ravel()[at]
    del at
    found[missing] = -1
    row = np.full(len(progres), -1, dtype=np.int64)
    row[ok] = found
    del found, missing, stage, ok
    cand = np.flatnonzero(row >= 0)
    if cand.size == 0:
        return src, row
    # newest report per row, without sorting: the largest (day, position) key wins, so on equal dates
    # the later source row wins (newest-wins within a report date is already applied by the loader). The position
    # takes the key's low bits (a mask reads it back, not a division of every key).
    days = report_day[cand]
    del report_day
    key = (days - days.min()).view(np.int64)  # days since the first, made the key in place
    del days
    shift = max(len(progres) - 1, 1).bit_length()
    key <<= shift
    key |= cand
    best = np.full(grid.n_rows, -1, dtype=np.int64)
    np.maximum.at(best, row[cand], key)
    hit = best >= 0
    src[hit] = best[hit] & ((1 << shift) - 1)
    return src, row


def _take(series: pd.Series, src: IntArray) -> Any:
    """Values of `series` at positions `src`, missing (NA/NaT/NaN) where src is -1."""
    return pd.api.extensions.take(series.array, src, allow_fill=True)


# Positions in frames.STATUS_CODES, which lists the codes in the order of the table.
_SELESAI, _SELESAI_TERLAMBAT, _TERLAMBAT, _BERJALAN, _BELUM_MULAI, _BELUM_JADWAL = (
    STATUS_CODES.index(c)
    for c in ("selesai", "selesai_terlambat", "terlambat", "berjalan", "belum_mulai", "belum_jadwal")
)


def _status_codes(s: DayArray, e: DayArray, mulai: DayArray, selesai: DayArray, d: np.datetime64) -> CodeArray:
    """Index into STATUS_CODES (int8, the width of the status categorical's codes); the first matching rule wins,
    as in the issue's table.

    Written rule by rule from the last to the first into one int8 array (each rule overwrites the later ones where it
    holds), which is what np.select does, without its int64 result, the copy to int64 and the categorical's
    narrowing back to int8: on 1.66 M rows each of those is a fresh 13 MB array."""
    code = np.full(len(s), _BELUM_JADWAL, dtype=np.int8)
    np.copyto(code, _BELUM_MULAI, where=mulai <= d)  # window open, not started
    has_s = ~np.isnat(s)
    np.copyto(code, _BERJALAN, where=has_s)  # started, not yet due
    del has_s
    np.copyto(code, _TERLAMBAT, where=d > selesai)  # open past due
    has_e = ~np.isnat(e)
    np.copyto(code, _SELESAI_TERLAMBAT, where=has_e)  # finished after selesai
    has_e &= e <= selesai
    np.copyto(code, _SELESAI, where=has_e)  # finished on time
    return code


def _str_array(vocabulary: Any, idx: IntArray) -> Any:
    """A pandas "str" array of vocabulary[idx] (missing stays missing).

    One arrow take on a single contiguous array: repeating 83,000 unit names into 1.6 million rows
    this way takes tens of milliseconds, where `.iloc` on the (chunked) column takes several times more.
    """
    import pyarrow as pa

    values = pd.Series(vocabulary, dtype="str").array
    arrow = pa.array(values)
    if isinstance(arrow, pa.ChunkedArray):
        arrow = arrow.combine_chunks()
    return pd.array(arrow.take(pa.array(idx)), dtype="str")


def _name_array(vocabulary: Any, idx: IntArray) -> Any:
    """vocabulary[idx] as a categorical of text, for the name columns (province, kabupaten, location, stage).

    1.66 M status rows repeat 83,000 unit names and a few dozen stage names: as a categorical each row holds a
    small integer instead of a copy of the text (about 200 MB less on the national data). Codes stay "str",
    which the engines compare and map. The categories are sorted, so sorting by a name sorts as the text would.
    The codes are made in the width pandas keeps them in and picked once per row (no check of 1.66 M codes that
    come from factorising the vocabulary itself, no second copy to narrow them).
    """
    codes, cats = pd.factorize(pd.Series(vocabulary, dtype="str"), sort=True)
    dtype = pd.CategoricalDtype(pd.Index(cats, dtype="str"))
    codes = np.asarray(codes, dtype=_code_width(len(cats)))
    if not len(idx):
        picked = codes[:0]
    elif len(codes) and int(idx.min()) >= 0:
        picked = codes[idx]
    else:
        picked = np.where(idx >= 0, codes[np.maximum(idx, 0)] if len(codes) else -1, -1).astype(codes.dtype)
    return pd.Categorical.from_codes(picked, dtype=dtype, validate=False)


def _code_width(n_categories: int) -> type[np.signedinteger[Any]]:
    """The integer width pandas stores a categorical's codes in for `n_categories` (codes and -1 fit)."""
    for width in (np.int8, np.int16, np.int32):
        if n_categories < np.iinfo(width).max:
            return width
    return np.int64


def _order_violated(grid: StageGrid, start: DayArray, end: DayArray) -> BoolArray:
    """Started (or finished, which implies started) before a stage in its `setelah` had finished."""
    out = np.zeros(grid.n_rows, dtype=bool)
    started = ~np.isnat(start)
    for j, preds in enumerate(grid.preds):  # a handful of stages, each vectorised over rows
        if not preds:
            continue
        rows = grid.rows_of_stage(j)
        rows = rows[started[rows]]
        if rows.size == 0:
            continue
        begun = start[rows]
        violated = np.zeros(rows.size, dtype=bool)
        for pred in preds:
            pred_end = grid.pred_values(end, rows, pred)
            violated |= np.isnat(pred_end)
            violated |= begun < pred_end
        out[rows] |= violated
    return out


def _waiting_for_dipa(grid: StageGrid, schedule: Schedule, end: DayArray) -> BoolArray:
    """Needs the DIPA revision, which is not finished in its province and program, and is itself open."""
    out = np.zeros(grid.n_rows, dtype=bool)
    gated = grid.stages["perlu_revisi_dipa"].to_numpy(dtype=bool)
    for program in schedule.programs:
        key = schedule.key_stage(program, "revisi_dipa")
        if key is None:
            continue
        key_j = grid.stage_index(key)
        for j in np.flatnonzero(gated & (grid.stages["program"] == program).to_numpy()):
            if j == key_j:
                continue
            rows = grid.rows_of_stage(int(j))
            rows = rows[np.isnat(end[rows])]
            out[rows] = np.isnat(grid.pred_values(end, rows, key_j))
    return out


@dataclass(frozen=True)
class StatusWork:
    """What compute_status worked out on the way that the national view would otherwise work out again from the
    frame (a cold national run): the grid of its rows, and each progress row's status row. Valid for that frame
    only, whole and unchanged (a program's subset has other row numbers)."""

    grid: StageGrid
    progres_rows: IntArray  # per progress row: its status row, -1 if none or reported after as_of (or undated)
    n_rows: int  # rows of the status frame it belongs to

    def fits(self, status: pd.DataFrame) -> bool:
        return len(status) == self.n_rows


def compute_status(
    lokasi: pd.DataFrame,
    progres: pd.DataFrame,
    schedule: Schedule,
    as_of: date,
    *,
    stale_days: int = 14,
    calendar: WorkCalendar | None = None,
) -> pd.DataFrame:
    """The STATUS frame (pkp_cli.model.frames.STATUS) as known on `as_of`.

    Only progress rows reported on or before as_of count, and of those the newest per (unit, stage)
    gives the actual dates, progress and remark; an actual date after as_of was not yet true on as_of,
    so it is treated as empty (this is what makes `--as-of` a replay of the past).
    """
    return compute_status_work(lokasi, progres, schedule, as_of, stale_days=stale_days, calendar=calendar)[0]


def compute_status_work(
    lokasi: pd.DataFrame,
    progres: pd.DataFrame,
    schedule: Schedule,
    as_of: date,
    *,
    stale_days: int = 14,
    calendar: WorkCalendar | None = None,
) -> tuple[pd.DataFrame, StatusWork]:
    """compute_status, and the StatusWork of the frame it returns.

    On the national data every row-length array is 13 MB and the frame itself about 170 MB, made while the
    loaded frames are alive: this is where a cold `pkp status` peaks. So each column is made once, in the frame's
    dtype, and put in `cols` (the frame is built from them without a copy: assigning a numpy array to a column
    copies it), and each intermediate day array is let go as soon as its last column is made.
    """
    stages = schedule.stage_table()
    units = _units(lokasi, stages)
    row_unit, row_stage = _layout(units, stages)
    # The name columns (factorising the units' names, about 0.2 s on the national data) and, later, the order check
    # (0.13 s) run on a second thread (engines/beside.py) beside the progress lookup and the date columns.
    with second_thread("pkp-status") as pool:
        named = pool.submit(_name_columns, units, stages, row_unit, row_stage)
        grid = _grid(units, stages, row_unit, row_stage)
        src, progres_rows = _latest_report_source(progres, units, grid, as_of)
        d = day(as_of)
        n = len(src)
        cols: dict[str, Any] = {}
        laporan = to_days(_take(progres["tanggal_laporan"], src)) if len(progres) else np.full(n, NAT)
        cols["tanggal_laporan"] = as_ns(laporan)
        cols["tanpa_laporan"] = np.isnat(laporan)
        cols["laporan_basi"] = ~cols["tanpa_laporan"] & (laporan < d - np.timedelta64(stale_days, "D"))
        del laporan
        if len(progres):
            pct = pd.Series(_take(progres["progres_persen"], src))
            cols["progres_persen"] = pct.to_numpy(dtype=np.float64, na_value=np.nan)
            del pct
            # take first, convert after: only the chosen remarks become "str", not the whole history
            cols["keterangan"] = pd.Series(_take(progres["keterangan"], src)).astype("str").array
        else:
            cols["progres_persen"] = np.full(n, np.nan)
            cols["keterangan"] = pd.array([pd.NA] * n, dtype="str")
        s = to_days(_take(progres["tanggal_mulai"], src)) if len(progres) else np.full(n, NAT)
        e = to_days(_take(progres["tanggal_selesai"], src)) if len(progres) else np.full(n, NAT)
        del src
        s[s > d] = NAT  # reported as a future date: not true yet on as_of
        e[e > d] = NAT
        # started (or, with no start, finished) before a predecessor finished: beside the columns below
        violated = pool.submit(_order_violated, grid, np.where(np.isnat(s), e, s), e)
        mulai = stages["jadwal_mulai"].to_numpy(dtype="datetime64[D]")[row_stage]
        cols["jadwal_mulai"] = as_ns(mulai)
        selesai = stages["jadwal_selesai"].to_numpy(dtype="datetime64[D]")[row_stage]
        cols["jadwal_selesai"] = as_ns(selesai)

        code = _status_codes(s, e, mulai, selesai, d)
        del mulai
        cols["tanggal_mulai"] = as_ns(s)
        del s
        # A categorical in the catalogue's order: the roll-ups count statuses by these codes without hashing text.
        cols["status"] = pd.Categorical.from_codes(code, dtype=pd.CategoricalDtype(pd.Index(STATUS_CODES, dtype="str")))
        late_end = np.where(code == _SELESAI_TERLAMBAT, e, np.where(code == _TERLAMBAT, d, NAT))
        del code
        # days as the timedelta's own integers (a view: astype would copy 1.66 M of them)
        cols["hari_terlambat"] = np.where(np.isnat(late_end), 0, (late_end - selesai).view(np.int64))
        cols["hari_kerja_terlambat"] = working_days_after(selesai, late_end, calendar)
        del late_end, selesai
        cols["tertunda_dipa"] = _waiting_for_dipa(grid, schedule, e)
        cols["tanggal_selesai"] = as_ns(e)
        del e
        cols["urutan_dilanggar"] = violated.result()
        cols.update(named.result())
    out = pd.DataFrame({c: cols.pop(c) for c in STATUS}, copy=False)
    return out, StatusWork(grid, progres_rows, len(out))


def _name_columns(units: pd.DataFrame, stages: pd.DataFrame, row_unit: IntArray, row_stage: IntArray
                  ) -> dict[str, Any]:  # fmt: skip
    """The status frame's unit and stage columns: names as categoricals, the stage's place in the schedule."""
    cols: dict[str, Any] = {c: _name_array(units[c], row_unit) for c in _UNIT_COLUMNS}
    cols["tingkat"] = _name_array(stages["tingkat"], row_stage)
    cols["urutan"] = stages["urutan"].to_numpy(dtype=np.int64)[row_stage]
    cols["tahapan"] = _name_array(stages["tahapan"], row_stage)
    cols["nama_tahapan"] = _name_array(stages["nama_tahapan"], row_stage)
    return cols


def is_finished(status: pd.DataFrame) -> npt.NDArray[np.bool_]:
    """Which rows' stage is finished (tested on the status column's few categories: engines/codes.py)."""
    return is_in(status["status"], FINISHED)


def default_as_of(progres: pd.DataFrame) -> date | None:
    """The newest report date among dated reports; None if there is none (never today, never undated)."""
    if progres.empty:
        return None
    undated = progres["laporan_tanpa_tanggal"].astype("boolean").fillna(True).to_numpy(dtype=bool)
    dated = progres.loc[~undated, "tanggal_laporan"]
    newest = pd.to_datetime(dated).max()
    if pd.isna(newest):
        return None
    return date(newest.year, newest.month, newest.day)


__all__ = [
    "StageGrid",
    "StatusWork",
    "compute_status",
    "compute_status_work",
    "day",
    "default_as_of",
    "grid_from_status",
    "is_finished",
    "to_days",
]
