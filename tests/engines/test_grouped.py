"""The roll-ups' whole-column shortcuts (engines/grouped.py, engines/codes.py, the late-stages and planned-share
fast paths) against what pandas gives for the same rows: the national status output must not change by a bit.

The reference for each is the pandas call it replaces (grouped median/max, isin, Categorical codes, the grouped
late-stages aggregate, planned_share row by row); examples are drawn by hypothesis so that empty groups, a group
of one row, even and odd counts, negative days and missing keys all occur.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pkp_cli.engines import grouped, standing
from pkp_cli.engines.codes import category_codes, is_in
from pkp_cli.engines.rollup import _rows_planned_share, planned_share
from pkp_cli.engines.status import compute_status
from tests.factories import THREE_LOCATION_AS_OF, three_location_lokasi, three_location_progres, three_location_schedule

rows_st = st.lists(st.tuples(st.integers(-1, 5), st.integers(-40, 400)), max_size=60)


def _pandas_median_max(group: np.ndarray, days: np.ndarray, n_groups: int) -> tuple[np.ndarray, np.ndarray]:
    s = pd.Series(days.astype(np.float64)).groupby(group)
    at = np.arange(n_groups)
    return s.median().reindex(at).to_numpy(), s.max().reindex(at).to_numpy()


@given(rows=rows_st, extra=st.integers(0, 3), dense=st.booleans())
def test_median_max_is_pandas_grouped_median_and_max(rows, extra, dense):
    group = np.array([g for g, _ in rows], dtype=np.int64)
    days = np.array([d for _, d in rows], dtype=np.int64)
    n_groups = 6 + extra  # groups 6.. have no row: NaN, as pandas' reindex gives
    limit = grouped._DENSE_CELLS
    grouped._DENSE_CELLS = limit if dense else 0  # 0: every input takes the sorting branch
    try:
        median, most = grouped.median_max(group, days, n_groups)
    finally:
        grouped._DENSE_CELLS = limit
    want_median, want_max = _pandas_median_max(group, days, n_groups)
    np.testing.assert_array_equal(median, want_median)
    np.testing.assert_array_equal(most, want_max)


def test_median_max_by_hand():
    # group 0: 1, 2, 10, 11 -> (2 + 10) / 2 = 6, max 11; group 1: 7 -> 7; group 2: none -> NaN; -1 left out
    median, most = grouped.median_max(np.array([0, 1, 0, -1, 0, 0]), np.array([10, 7, 1, 99, 11, 2]), n_groups=3)
    np.testing.assert_array_equal(median, [6.0, 7.0, np.nan])
    np.testing.assert_array_equal(most, [11.0, 7.0, np.nan])


texts_st = st.lists(st.sampled_from(["a", "b", "c", "d", None]), max_size=30)


@pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")  # the reference: values outside the list
@given(values=texts_st, wanted=st.sets(st.sampled_from(["a", "c", "x"])))
def test_is_in_and_category_codes_are_pandas(values, wanted):
    plain = pd.Series(values, dtype="str")
    # categories in another order than the list asked for, one of them ("d") not in it, one ("z") never used
    cat = plain.astype(pd.CategoricalDtype(pd.Index(["z", "d", "c", "b", "a"], dtype="str")))
    asked = ["a", "b", "c", "x"]
    for col in (plain, cat):
        np.testing.assert_array_equal(is_in(col, wanted), plain.isin(wanted).to_numpy(dtype=bool))
        np.testing.assert_array_equal(category_codes(col, asked), pd.Categorical(plain, categories=asked).codes)


@pytest.fixture
def status(tmp_path: Path) -> pd.DataFrame:
    return compute_status(three_location_lokasi(), three_location_progres(), three_location_schedule(tmp_path),
                          THREE_LOCATION_AS_OF)  # fmt: skip


def test_late_stages_fast_path_is_the_grouped_aggregate(status):
    fast = standing.late_stages(status)
    # float days take the grouped path (pandas' aggregate, which skips NaN)
    slow = standing.late_stages(status.assign(hari_terlambat=status["hari_terlambat"].astype(np.float64)))
    pd.testing.assert_frame_equal(fast, slow, check_exact=True)
    # the fixture's late rows (see test_rollup's table): stage B open late at L3 (16 days), finished late at L2 (5)
    b = fast[fast["tahapan"] == "B"].iloc[0]
    assert (b["terlambat"], b["selesai_terlambat"], b["median_terlambat"], b["maks_terlambat"]) == (1, 1, 10.5, 16.0)


def test_late_stages_with_text_keys_as_with_categoricals(status):
    text = status.astype({c: "str" for c in ("program", "tingkat", "tahapan", "nama_tahapan", "status")})
    pd.testing.assert_frame_equal(
        standing.late_stages(text).astype({c: "str" for c in ("program", "tingkat", "tahapan", "nama_tahapan")}),
        standing.late_stages(status).astype({c: "str" for c in ("program", "tingkat", "tahapan", "nama_tahapan")}),
        check_exact=True,
    )


def test_planned_share_per_stage_only_when_each_stage_has_one_window(status):
    at = np.datetime64(THREE_LOCATION_AS_OF, "D")
    row_by_row = planned_share(status["jadwal_mulai"], status["jadwal_selesai"], at)
    np.testing.assert_array_equal(_rows_planned_share(status, at), row_by_row)
    # one row of a stage with another window: its own share, not its stage's
    odd = status.copy()
    i = int(np.flatnonzero((odd["tahapan"] == "K").to_numpy())[0])
    odd.loc[odd.index[i], "jadwal_mulai"] = pd.Timestamp("2022-04-05")
    shares = _rows_planned_share(odd, at)
    np.testing.assert_array_equal(shares, planned_share(odd["jadwal_mulai"], odd["jadwal_selesai"], at))
    assert shares[i] == 1 / 6  # 5 Apr of a 5-10 Apr window: one day of six
