"""`sheets._factorize`: Arrow text factorised with Arrow's own codes (int32, no int64 copy) must number the
values exactly as `pd.factorize` does, with the same distinct values (an Index of the same dtype)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
from hypothesis import given
from hypothesis import strategies as st

from pkp_cli.ingest.sheets import _factorize

_TEXT = pd.StringDtype("pyarrow", na_value=np.nan)  # "str"


def _same(s: pd.Series) -> np.ndarray:
    codes, uniques = _factorize(s)
    want_codes, want_uniques = pd.factorize(s, use_na_sentinel=True)
    assert np.array_equal(np.asarray(codes, dtype=np.int64), want_codes)
    pd.testing.assert_index_equal(uniques, want_uniques, exact=True)
    return np.asarray(codes)


def test_chunked_text_with_missing_cells() -> None:
    # Two chunks, as pyarrow's CSV reader hands a column over: "y" first seen in chunk 1, "z" in chunk 2.
    chunks = pa.chunked_array(
        [pa.array(["x", "y", None], pa.large_string()), pa.array([None, "x", "z"], pa.large_string())]
    )
    codes = _same(pd.Series(pd.arrays.ArrowStringArray(chunks, dtype=_TEXT)))  # type: ignore[call-arg]
    assert codes.tolist() == [0, 1, -1, -1, 0, 2]
    assert codes.dtype == np.int32  # Arrow's codes, not a 8-byte copy of them


def test_only_missing_empty_and_object_columns() -> None:
    _same(pd.Series(pd.array([None, None], dtype="str")))
    _same(pd.Series(pd.array([], dtype="str")))
    _same(pd.Series(["a", None, 1.5], dtype=object))  # not Arrow text: pandas itself


@given(st.lists(st.one_of(st.none(), st.sampled_from(["", " ", "a", "A", "é", "51.04"]), st.text(max_size=4))))
def test_any_text_numbers_as_pandas_does(values: list[str | None]) -> None:
    _same(pd.Series(pd.array(values, dtype="str")))


def test_absent_text_columns_share_their_nulls_but_not_their_cells() -> None:
    # parse_records gives every absent text column the same Arrow nulls (one 1.66 M-row array, not one each):
    # a cell set in one of them must not appear in another (guards the sharing; it passed before it too).
    from pkp_cli.ingest.sheets import parse_records

    rec = pd.DataFrame({"kode_lokasi": pd.array(["51.01.01.2001"] * 3, dtype="str"), "tahapan": ["KTK-01"] * 3})
    rec["tahapan"] = rec["tahapan"].astype("str")
    parse_records(rec, "progres")
    assert rec["provinsi"].isna().all() and rec["kabupaten_kota"].isna().all()
    rec.loc[1, "provinsi"] = "Bali"
    assert rec["provinsi"].tolist()[1] == "Bali" and rec["kabupaten_kota"].isna().all()
