"""The sample's cold load (issue 13, Bali cold, perf-bali): the per-kind records joined column by column instead
of through pd.concat, and the region names looked up from the small part of the reference they need. Each gives
what the plain way gives."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from pkp_cli.ingest import sheets

_TEXT = st.sampled_from(["51.01", "Selesai", "", "é", "27 Mei 2022"]) | st.none()
# name -> (kind of column); a part holds any subset of them in any order
_POOL = {"_row": "int", "_grp": "int", "kode_lokasi": "str", "tahapan": "str", "keterangan": "str", "_pct": "bool"}


@st.composite
def _parts(draw: st.DrawFn) -> list[pd.DataFrame]:
    out = []
    for _ in range(draw(st.integers(1, 4))):
        n = draw(st.integers(0, 4))
        names = draw(st.permutations(list(_POOL)))
        names = names[: draw(st.integers(1, len(names)))]
        cols: dict[str, object] = {}
        for c in names:
            kind = _POOL[c]
            if kind == "int":
                # sometimes float instead: dtypes that differ between parts go to pd.concat
                dtype = draw(st.sampled_from([np.int64, np.int64, np.float64]))
                cols[c] = np.arange(n, dtype=dtype)
            elif kind == "bool":
                cols[c] = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)), dtype=bool)
            else:
                values = draw(st.lists(_TEXT, min_size=n, max_size=n))
                # sometimes an object column: not an Arrow text array, so pd.concat decides
                cols[c] = pd.array(values, dtype=draw(st.sampled_from(["str", "str", object])))
        out.append(pd.DataFrame(cols, copy=False))
    return out


def _same(got: pd.DataFrame, want: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    assert list(got.columns) == list(want.columns)
    assert list(got.dtypes) == list(want.dtypes)
    assert got.columns.dtype == want.columns.dtype
    assert type(got.index) is type(want.index) and got.index.equals(want.index)
    for c in got.columns:
        assert type(got[c].array) is type(want[c].array)


@given(_parts())
def test_concat_records_is_pd_concat(parts: list[pd.DataFrame]) -> None:
    _same(sheets._concat_records(parts), pd.concat(parts, ignore_index=True))


def test_concat_records_fills_a_missing_text_column_and_orders_columns_by_first_appearance() -> None:
    # Worked by hand: part a has x, t; part b has u, x, t. Result: x, t, u; u is missing in a's two rows.
    a = pd.DataFrame({"x": np.array([1, 2]), "t": pd.array(["p", None], dtype="str")})
    b = pd.DataFrame({"u": pd.array(["k"], dtype="str"), "x": np.array([3]), "t": pd.array(["q"], dtype="str")})
    got = sheets._concat_records([a, b])
    assert list(got.columns) == ["x", "t", "u"]
    assert got["x"].tolist() == [1, 2, 3]
    assert got["u"].isna().tolist() == [True, True, False]
    assert str(got["u"].dtype) == "str"
    _same(got, pd.concat([a, b], ignore_index=True))
