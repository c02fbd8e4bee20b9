"""Shortcuts of the status engine and the roll-ups that make fewer row-length temporaries (issue 13, national cold
run), each against the computation it replaces: the status codes against np.select's first-matching rule, the
S-curve's event order against np.lexsort (also when a row has two events on one day, where only lexsort's third
key decides), the progress lookups against pandas' positions. Examples by hypothesis: missing dates, equal dates,
every rule of the status table."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from pkp_cli.engines.rollup import _event_order, _status_counts
from pkp_cli.engines.status import StageGrid, _latest_report_source, _lookup_codes, _status_codes
from pkp_cli.model.frames import STATUS_CODES

_day = st.one_of(st.none(), st.integers(0, 12)).map(
    lambda n: np.datetime64("NaT", "D") if n is None else np.datetime64("2022-05-01") + np.timedelta64(n, "D")
)


def _np_select_codes(s, e, mulai, selesai, d):  # the rule table as it was written with np.select
    has_e, has_s = ~np.isnat(e), ~np.isnat(s)
    names = ["selesai", "selesai_terlambat", "terlambat", "berjalan", "belum_mulai"]
    return np.select(
        [has_e & (e <= selesai), has_e, d > selesai, has_s, mulai <= d],
        [STATUS_CODES.index(c) for c in names],
        default=STATUS_CODES.index("belum_jadwal"),
    ).astype(np.int64)


@given(st.lists(st.tuples(_day, _day, _day, _day), max_size=40), _day.filter(lambda x: not np.isnat(x)))
def test_status_codes_are_the_first_matching_rule(rows, d):
    s, e, mulai, selesai = (np.array([r[i] for r in rows], dtype="datetime64[D]") for i in range(4))
    got = _status_codes(s, e, mulai, selesai, d)
    assert got.dtype == np.int8  # the status categorical's own width
    assert got.tolist() == _np_select_codes(s, e, mulai, selesai, d).tolist()


def test_status_codes_by_hand():
    # as of 10 May, window 1-5 May: finished 4 May -> selesai; 7 May -> selesai_terlambat; started, open ->
    # terlambat; window 8-20 May: started -> berjalan; not started -> belum_mulai; window 12-20 -> belum_jadwal
    D = np.datetime64
    nat = D("NaT", "D")
    s = np.array([D("2022-05-01"), D("2022-05-01"), D("2022-05-02"), D("2022-05-09"), nat, nat], dtype="datetime64[D]")
    e = np.array([D("2022-05-04"), D("2022-05-07"), nat, nat, nat, nat], dtype="datetime64[D]")
    mulai = np.array(["2022-05-01"] * 3 + ["2022-05-08"] * 2 + ["2022-05-12"], dtype="datetime64[D]")
    selesai = np.array(["2022-05-05"] * 3 + ["2022-05-20"] * 3, dtype="datetime64[D]")
    got = _status_codes(s, e, mulai, selesai, D("2022-05-10"))
    names = ["selesai", "selesai_terlambat", "terlambat", "berjalan", "belum_mulai", "belum_jadwal"]
    assert [STATUS_CODES[c] for c in got] == names


_events = st.lists(st.tuples(st.integers(0, 6), st.integers(0, 9), st.sampled_from([0.0, 0.25, 0.5, 1.0])), max_size=50)


@given(_events, st.booleans())
def test_event_order_is_lexsort(events, with_nat):
    row = np.array([r for r, _, _ in events], dtype=np.int64)
    date = np.array([np.datetime64("2022-01-01") + np.timedelta64(d, "D") for _, d, _ in events], dtype="datetime64[D]")
    val = np.array([v for _, _, v in events], dtype=np.float64)
    if with_nat and len(date):
        date[0] = np.datetime64("NaT")  # never an event's date; lexsort decides then
    want = np.lexsort((val, date, row))
    assert _event_order(row, date, val).tolist() == want.tolist()


def test_event_order_with_two_events_of_a_row_on_one_day_is_lexsorts():
    # row 0 has shares 1.0 and 0.5 on 2 Jan: lexsort puts the smaller share first (the finish comes last)
    row = np.array([0, 0, 1, 0], dtype=np.int64)
    date = np.array(["2022-01-02", "2022-01-02", "2022-01-01", "2022-01-01"], dtype="datetime64[D]")
    val = np.array([1.0, 0.5, 1.0, 0.25])
    assert _event_order(row, date, val).tolist() == [3, 1, 0, 2]


@given(st.lists(st.sampled_from(["a", "b", "c", "z", None]), max_size=30), st.sampled_from(["str", object]))
def test_lookup_codes_are_the_index_positions(values, dtype):
    series = pd.Series(values, dtype=dtype)
    index = pd.Index(["a", "b", "c"], dtype="str")
    want = [index.get_loc(v) if v in ("a", "b", "c") else -1 for v in values]
    assert _lookup_codes(series, None, index).tolist() == want


def _masked_counts(group_id, status_id, n_groups):  # the roll-up's counts as they were made: masked copies
    codes = len(STATUS_CODES)
    keep = group_id >= 0
    known = keep & (status_id >= 0)
    per_status = np.bincount(group_id[known] * codes + status_id[known], minlength=n_groups * codes)
    return per_status.reshape(n_groups, codes), np.bincount(group_id[keep], minlength=n_groups)


@given(st.integers(1, 5).flatmap(lambda n: st.tuples(
    st.just(n),
    st.lists(st.tuples(st.integers(-1, n - 1), st.integers(-1, len(STATUS_CODES) - 1)), max_size=40),
    st.booleans(),
)))  # fmt: skip
def test_status_counts_are_the_masked_counts(drawn):
    n_groups, rows, whole = drawn
    if whole:  # every row with a group and a known status (the status engine's frames): the fast path
        rows = [(max(g, 0), max(c, 0)) for g, c in rows]
    group_id = np.array([g for g, _ in rows], dtype=np.int64)
    status_id = np.array([c for _, c in rows], dtype=np.int64)
    per_status, n = _status_counts(group_id, group_id >= 0, status_id, n_groups)
    want_status, want_n = _masked_counts(group_id, status_id, n_groups)
    assert per_status.tolist() == want_status.tolist()
    assert n.tolist() == want_n.tolist()


# (report day, stage, location, program)
_report = st.tuples(st.integers(0, 7), st.integers(0, 4), st.integers(0, 6), st.sampled_from("PQ"))
_reports = st.lists(_report, min_size=1, max_size=60)


@given(_reports, st.lists(st.integers(-1, 60), max_size=60), st.integers(0, 8), st.integers(1, 5))
def test_latest_report_source_is_the_newest_report_of_each_row(reports, holes, as_of_day, n_units):
    """The newest report (on or before as-of; the later progress row on equal dates) of each grid row, and each
    progress row's grid row: against a loop over the rows. Units 0..n_units-1 (location Lu of program P when u is
    even, else Q), three stages; a hole drops a (unit, stage) pair from the grid; a report of an unknown location,
    of a location in the other program, of a stage D or E, or after as-of reports on no row."""
    stages = pd.DataFrame({"tahapan": ["A", "B", "C"], "tingkat": ["lokasi"] * 3})
    pos = np.full((n_units, 3), -1, dtype=np.int64)
    cells = [(u, j) for u in range(n_units) for j in range(3) if (u * 3 + j) not in holes]
    for r, (u, j) in enumerate(cells):
        pos[u, j] = r
    row_unit = np.array([u for u, _ in cells], dtype=np.int64)
    row_stage = np.array([j for _, j in cells], dtype=np.int64)
    grid = StageGrid(stages, row_unit, row_stage, np.zeros(n_units, dtype=bool), np.full(n_units, -1), pos,
                     ((), (), ()))  # fmt: skip
    programs = ["P" if u % 2 == 0 else "Q" for u in range(n_units)]
    units = pd.DataFrame({"kode_lokasi": [f"L{u}" for u in range(n_units)], "program": programs})
    start = np.datetime64("2022-05-01")
    progres = pd.DataFrame(
        {
            "kode_lokasi": pd.array([f"L{u}" for _, _, u, _ in reports], dtype="str"),
            "program": pd.array([p for *_, p in reports], dtype="str"),
            "tahapan": pd.array(["ABCDE"[j] for _, j, _, _ in reports], dtype="str"),  # D, E: no stage
            "tanggal_laporan": np.array([start + np.timedelta64(d, "D") for d, *_ in reports], dtype="datetime64[ns]"),
        }
    )
    as_of = (start + np.timedelta64(as_of_day, "D")).astype(object)
    src, rows = _latest_report_source(progres, units, grid, as_of)
    want_rows = []
    for d, j, u, p in reports:
        known = j < 3 and u < n_units and programs[u] == p and d <= as_of_day
        want_rows.append(int(pos[u, j]) if known else -1)
    want_src = [-1] * len(cells)
    for i, r in enumerate(want_rows):
        if r >= 0 and (want_src[r] < 0 or reports[i][0] >= reports[want_src[r]][0]):
            want_src[r] = i
    assert rows.tolist() == want_rows
    assert src.tolist() == want_src


def _pred_values_masked(grid, values, rows, pred):  # pred_values' location branch as it was: masked copies
    units = grid.row_unit[rows]
    missing = np.datetime64("NaT", "D")
    out = np.full(len(rows), missing, dtype=values.dtype)
    own = ~grid.unit_is_province[units]
    target = grid.pos[units[own], pred]
    out[own] = np.where(target >= 0, values[np.maximum(target, 0)], missing)
    if (~own).any():
        out[~own] = grid._province_max(values, pred)[units[~own]]
    return out


@given(st.integers(1, 4), st.lists(st.integers(0, 3 * 8 - 1), max_size=24), st.lists(_day, min_size=24, max_size=24),
       st.booleans())  # fmt: skip
def test_pred_values_of_location_stages_are_the_masked_ones(n_locations, holes, days, with_province):
    """A location stage's value in each row's unit (NaT where the unit lacks it), read for the rows of a stage:
    against the masked computation; with a province unit among the rows, the province maximum as before."""
    n_units = n_locations + 1  # unit 0: the province
    stages = pd.DataFrame({"tahapan": ["A", "B", "C"], "tingkat": ["lokasi"] * 3})
    pos = np.full((n_units, 3), -1, dtype=np.int64)
    cells = [(u, j) for u in range(n_units) for j in range(3) if (u * 3 + j) not in holes]
    for r, (u, j) in enumerate(cells):
        pos[u, j] = r
    is_province = np.zeros(n_units, dtype=bool)
    is_province[0] = True
    grid = StageGrid(stages, np.array([u for u, _ in cells], dtype=np.int64),
                     np.array([j for _, j in cells], dtype=np.int64), is_province,
                     np.zeros(n_units, dtype=np.int64), pos, ((), (0,), (1,)))  # fmt: skip
    values = np.array(days[: len(cells)], dtype="datetime64[D]")
    for j in (1, 2):
        rows = grid.rows_of_stage(j)
        if not with_province:
            rows = rows[~is_province[grid.row_unit[rows]]]
        got = grid.pred_values(values, rows, j - 1)
        want = _pred_values_masked(grid, values, rows, j - 1)
        assert got.dtype == want.dtype
        assert got.astype("int64").tolist() == want.astype("int64").tolist()
