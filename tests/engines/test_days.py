"""engines/days.py: its casts give numpy's own, bit for bit (NaT, before 1970, time of day, overflow included),
and leave anything else to numpy."""

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from pkp_cli.engines.days import as_days, as_ns

NAT = np.iinfo(np.int64).min
NS_PER_DAY = 86_400 * 10**9
# every int64, NaT's and the edges of the days nanoseconds can hold more often than chance would give them
EDGES = [NAT, NAT + 1, -1, 0, 1, NS_PER_DAY - 1, NS_PER_DAY, -NS_PER_DAY, -NS_PER_DAY - 1, 2**63 - 1,
         106_751, 106_752, -106_751, -106_752, 19_000]  # fmt: skip
INT64 = st.one_of(st.sampled_from(EDGES), st.integers(min_value=NAT, max_value=2**63 - 1))


def bits(a: np.ndarray) -> list[int]:
    return a.view(np.int64).tolist()


@given(arrays(np.int64, st.integers(0, 40), elements=INT64))
def test_as_days_is_numpys_cast(values: np.ndarray) -> None:
    ns = values.view("datetime64[ns]")
    got = as_days(ns)
    assert got.dtype == np.dtype("datetime64[D]")
    assert bits(got) == bits(ns.astype("datetime64[D]"))


@given(arrays(np.int64, st.integers(0, 40), elements=INT64))
def test_as_ns_is_numpys_cast(values: np.ndarray) -> None:
    days = values.view("datetime64[D]")
    got = as_ns(days)
    assert got.dtype == np.dtype("datetime64[ns]")
    assert bits(got) == bits(days.astype("datetime64[ns]"))  # overflowing days wrap as numpy's do


def test_by_hand() -> None:
    # worked out by hand: a second before 1970 is the day before; an evening is its own day; NaT stays NaT
    ns = np.array(["1969-12-31T23:59:59", "2022-06-03T18:00", "NaT", "1970-01-01"], dtype="datetime64[ns]")
    assert as_days(ns).tolist() == np.array(["1969-12-31", "2022-06-03", "NaT", "1970-01-01"],
                                            dtype="datetime64[D]").tolist()  # fmt: skip
    days = np.array(["2022-06-03", "NaT", "1900-01-01"], dtype="datetime64[D]")
    assert bits(as_ns(days)) == [1654214400 * 10**9, NAT, -2208988800 * 10**9]


def test_other_units_and_inputs_go_through_numpy() -> None:
    us = np.array(["2022-06-03T18:00", "NaT"], dtype="datetime64[us]")
    assert bits(as_days(us)) == bits(us.astype("datetime64[D]"))
    assert as_ns(us).dtype == np.dtype("datetime64[ns]")
    assert bits(as_ns(us)) == bits(us.astype("datetime64[ns]"))
    series = pd.Series(pd.to_datetime(["2022-06-03 10:00", None]).astype("datetime64[ns]"))
    assert bits(as_days(series)) == bits(series.to_numpy(dtype="datetime64[D]"))


def test_new_arrays_not_views() -> None:
    days = np.array(["2022-06-03"], dtype="datetime64[D]")
    out = as_ns(days)
    out[0] = np.datetime64("NaT")
    assert days[0] == np.datetime64("2022-06-03")
    ns = np.array(["2022-06-03"], dtype="datetime64[ns]")
    back = as_days(ns)
    back[0] = np.datetime64("NaT")
    assert ns[0] == np.datetime64("2022-06-03")
