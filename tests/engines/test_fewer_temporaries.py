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

from pkp_cli.engines.rollup import _event_order
from pkp_cli.engines.status import _lookup_codes, _status_codes
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
