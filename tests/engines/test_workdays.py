"""Working days: weekends, national holidays, cuti bersama and overrides, counted vectorised.

Calendar facts used below (from the `holidays` package, country ID, categories public + government):
29 Apr 2022 (Fri) cuti bersama; 1 May 2022 (Sun) Labour Day; 2-3 May 2022 (Mon-Tue) Idul Fitri;
4-6 May 2022 (Wed-Fri) cuti bersama; 16 May 2022 (Mon) Waisak; 1 Jan 2023 is a Sunday.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pkp_cli.engines import workdays
from pkp_cli.engines.workdays import WorkCalendar, working_days_after


def d(text: str) -> np.datetime64:
    return np.datetime64(text, "D")


def test_idul_fitri_2022_slip_counts_one_working_day():
    # (Fri 29 Apr, Mon 9 May]: Sat 30, Sun 1 (Labour Day), Mon 2 + Tue 3 (Idul Fitri), Wed 4 - Fri 6
    # (cuti bersama), Sat 7, Sun 8 are all off; only Mon 9 May is worked -> 1.
    assert working_days_after(d("2022-04-29"), d("2022-05-09")).tolist() == 1


def test_without_cuti_bersama_the_leave_days_are_worked():
    # Same span with the government category dropped: Wed 4, Thu 5, Fri 6 and Mon 9 May -> 4.
    cal = WorkCalendar(cuti_bersama=False)
    assert cal.count_after(d("2022-04-29"), d("2022-05-09")).tolist() == 4
    # (Thu 28 Apr, Mon 9 May] adds Fri 29 Apr, itself a cuti bersama: 1 with it, 5 without it.
    assert working_days_after(d("2022-04-28"), d("2022-05-09")).tolist() == 1
    assert cal.count_after(d("2022-04-28"), d("2022-05-09")).tolist() == 5


def test_overrides_add_days_off_and_working_days():
    span = (d("2022-04-29"), d("2022-05-09"))
    # a Saturday worked in exchange (7 May) is counted: 1 + 1 = 2
    assert WorkCalendar.with_overrides(extra_work=[date(2022, 5, 7)]).count_after(*span).tolist() == 2
    # a cuti bersama the office did not take (4 May) is counted: 1 + 1 = 2
    assert WorkCalendar.with_overrides(extra_work=[date(2022, 5, 4)]).count_after(*span).tolist() == 2
    # a regional day off on Mon 9 May leaves nothing: 1 - 1 = 0
    assert WorkCalendar.with_overrides(extra_off=[date(2022, 5, 9)]).count_after(*span).tolist() == 0


def test_vectorised_with_empty_and_reversed_spans():
    start = pd.Series(pd.to_datetime(["2022-05-13", "2022-05-13", "2022-05-13", None, "2022-05-20"]))
    end = pd.Series(pd.to_datetime(["2022-05-13", "2022-05-20", "2022-05-12", "2022-05-20", None]))
    # same day -> 0; (Fri 13, Fri 20 May]: Mon 16 is Waisak, so Tue 17 - Fri 20 -> 4; reversed -> 0; NaT -> 0
    assert working_days_after(start, end).tolist() == [0, 4, 0, 0, 0]


def test_spans_across_years_load_both_years():
    # (Fri 30 Dec 2022, Tue 3 Jan 2023]: Sat 31, Sun 1 (New Year) off; Mon 2 and Tue 3 -> 2
    assert working_days_after(d("2022-12-30"), d("2023-01-03")).tolist() == 2


def test_is_working_day():
    days = np.array(["2022-05-04", "2022-05-07", "2022-05-09", "NaT"], dtype="datetime64[D]")
    assert WorkCalendar().is_working_day(days).tolist() == [False, False, True, False]
    cal = WorkCalendar.with_overrides(extra_work=[date(2022, 5, 7)], extra_off=[date(2022, 5, 9)])
    assert cal.is_working_day(days).tolist() == [False, True, False, False]


# count_after tabulates a running count over the span of its dates, or counts pair by pair with busday_count
# when the span is wider than _TABLE_MAX_DAYS. Both must agree, with overrides (a worked Saturday, an extra day
# off, a cuti bersama worked), NaT, equal and reversed pairs, and pairs at the span's first and last day.
_FIRST = np.datetime64("2021-11-01")
_day_st = st.integers(min_value=0, max_value=3 * 366).map(lambda n: _FIRST + np.timedelta64(n, "D"))


@given(
    st.lists(st.tuples(_day_st, _day_st), min_size=1, max_size=40),
    st.lists(_day_st, max_size=4),
    st.lists(_day_st, max_size=4),
    st.booleans(),
)
def test_the_running_count_equals_busday_count(pairs, off, work, cuti):
    cal = WorkCalendar(
        frozenset(x.astype(object) for x in off), frozenset(x.astype(object) for x in work), cuti_bersama=cuti
    )
    # and a pair with no start, one with no end, one with neither: 0 each, whatever the path
    nat = np.datetime64("NaT")
    start = np.array([a for a, _ in pairs] + [nat, d("2022-01-03"), nat], dtype="datetime64[D]")
    end = np.array([b for _, b in pairs] + [d("2022-06-01"), nat, nat], dtype="datetime64[D]")
    tabulated = cal.count_after(start, end)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(workdays, "_TABLE_MAX_DAYS", 0)
        assert tabulated.tolist() == cal.count_after(start, end).tolist()
    assert tabulated[-3:].tolist() == [0, 0, 0]


def test_a_span_one_day_past_the_table_limit_counts_pair_by_pair(monkeypatch):
    # (Fri 29 Apr, Mon 9 May 2022] spans 11 days from its start to its end: 1 working day either way. A spy on
    # busday_count (behaviour kept) shows the path: tabulated at a limit of exactly 11 days, pair by pair at 10.
    calls = []
    real = np.busday_count
    monkeypatch.setattr(workdays.np, "busday_count", lambda *a, **k: calls.append(1) or real(*a, **k))
    for limit, pair_by_pair in ((11, False), (10, True)):
        calls.clear()
        monkeypatch.setattr(workdays, "_TABLE_MAX_DAYS", limit)
        assert working_days_after(d("2022-04-29"), d("2022-05-09")).tolist() == 1
        assert bool(calls) is pair_by_pair
