"""`cache.plainly_exact`: a view's kept tables of these kinds are written without converting them back from Arrow
and comparing (`save_kept_tables`); the claim is that the full read-back check could not have failed for them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from pkp_cli.ingest import cache

_TEXT = pd.StringDtype("pyarrow", na_value=np.nan)  # pandas' "str"
_WORDS = st.one_of(st.sampled_from(["Bali", "51.01", "", "NTB", "Kab. Badung"]), st.text(max_size=6))


def _round_trip_same(frame: pd.DataFrame) -> bool:
    return cache._same_frame(frame, cache._small_to_pandas(pa.Table.from_pandas(frame)))


@st.composite
def _column(draw: st.DrawFn, n: int) -> pd.Series:
    kind = draw(
        st.sampled_from(
            ["int64", "int32", "uint8", "float64", "float32", "float16", "bool", "M8[s]", "M8[ms]", "M8[us]",
             "M8[ns]", "str", "string", "category", "ordered", "int-category", "date-category", "object-str",
             "object-mixed", "timedelta", "Int64"]
        )
    )  # fmt: skip
    if kind in ("int64", "int32", "uint8", "Int64"):
        lo = 0 if kind == "uint8" else -100
        values = draw(st.lists(st.integers(lo, 255 if kind == "uint8" else 10**6), min_size=n, max_size=n))
        return pd.Series(values, dtype=kind)
    if kind.startswith("float"):
        floats = st.floats(allow_nan=True, allow_infinity=True, width=int(kind[5:]))
        return pd.Series(draw(st.lists(floats, min_size=n, max_size=n)), dtype=kind)
    if kind == "bool":
        return pd.Series(draw(st.lists(st.booleans(), min_size=n, max_size=n)), dtype=bool)
    if kind.startswith("M8") or kind == "timedelta":
        days = draw(st.lists(st.one_of(st.none(), st.integers(-3000, 30000)), min_size=n, max_size=n))
        spans = pd.Series([pd.NaT if d is None else pd.Timedelta(days=d) for d in days], dtype="m8[ns]")
        if kind == "timedelta":
            return spans
        return (pd.Timestamp("1970-01-01") + spans).astype(kind)
    words = draw(st.lists(st.one_of(st.none(), _WORDS), min_size=n, max_size=n))
    if kind in ("str", "string"):
        return pd.Series(words, dtype=_TEXT if kind == "str" else "string[pyarrow]")
    if kind in ("category", "ordered"):
        unused = draw(st.lists(_WORDS, max_size=3))
        cats = list(dict.fromkeys([w for w in words if w is not None] + unused))
        dtype = pd.CategoricalDtype(pd.Index(cats, dtype=_TEXT), ordered=kind == "ordered")
        return pd.Series(words, dtype=dtype)
    if kind in ("int-category", "date-category"):
        numbers = draw(st.lists(st.one_of(st.none(), st.integers(-5, 5)), min_size=n, max_size=n))
        values = [
            None if v is None else (v if kind == "int-category" else pd.Timestamp("2022-01-01") + pd.Timedelta(days=v))
            for v in numbers
        ]
        return pd.Series(values, dtype="category")
    if kind == "object-str":
        return pd.Series([w if w is not None else "" for w in words], dtype=object)
    mixed = draw(st.lists(st.one_of(st.none(), st.just(np.nan), _WORDS, st.integers(0, 9)), min_size=n, max_size=n))
    return pd.Series(mixed, dtype=object)


@st.composite
def _frames(draw: st.DrawFn) -> pd.DataFrame:
    n = draw(st.integers(0, 6))
    names = draw(
        st.lists(
            st.one_of(st.text(min_size=1, max_size=4), st.integers(0, 3), st.just("__index_level_0__")), max_size=5
        )
    )
    frame = pd.DataFrame({i: draw(_column(n)) for i in range(len(names))})
    frame.columns = names
    index = draw(st.sampled_from(["range", "shifted", "ints", "named", "text"]))
    if index == "shifted":
        frame.index = pd.RangeIndex(5, 5 + 2 * n, 2)
    elif index == "ints":
        frame.index = pd.Index(draw(st.lists(st.integers(0, 99), min_size=n, max_size=n)), dtype="int64")
    elif index == "named":
        frame.index = pd.RangeIndex(n, name="kode")
    elif index == "text":
        frame.index = pd.Index([str(i) for i in range(n)], dtype=_TEXT)
    return frame


# Found by this property in a random run: a categorical column of text with no categories at all comes back with
# categories of Python objects.
_NO_CATEGORIES = pd.DataFrame(
    {"__index_level_0__": pd.Series([], dtype=pd.CategoricalDtype(pd.Index([], dtype=_TEXT)))}
)


@pytest.mark.filterwarnings("ignore::UserWarning")  # pyarrow on mixed column names (such frames are not plain)
@example(_NO_CATEGORIES)
@given(_frames())
def test_a_frame_said_plainly_exact_comes_back_from_arrow_exactly(frame: pd.DataFrame) -> None:
    try:
        pa.Table.from_pandas(frame)
    except (pa.ArrowException, ValueError, TypeError):
        return  # not kept at all (save_kept_tables gives up on it)
    if cache.plainly_exact(frame):
        assert _round_trip_same(frame)


def _status_like() -> pd.DataFrame:
    # the kinds of columns the status views keep (views/status.py::province_tables), and an empty one
    cats = pd.CategoricalDtype(pd.Index(["51", "52"], dtype=_TEXT))
    at = pd.Index([3, 7], dtype="int64")
    return pd.DataFrame(
        {
            "kode_provinsi": pd.Series(["51", "51"], dtype=cats, index=at),
            "provinsi": pd.Series(["Bali", None], dtype=_TEXT, index=at),
            "kode_kabupaten": pd.Series(["51.01", "51.02"], dtype=object, index=at),
            "rencana_persen": pd.Series([15.2, np.nan], index=at),
            "jumlah": pd.Series([12, 9], index=at),
            "belum_melapor": pd.Series([False, True], index=at),
            "laporan_terakhir": pd.Series(pd.to_datetime(["2022-06-03", None]), index=at),
        },
        index=at,
    )


def test_the_status_views_tables_are_plainly_exact_and_a_mixed_column_is_not() -> None:
    frame = _status_like()
    assert cache.plainly_exact(frame) and cache.plainly_exact(frame.iloc[:0])
    mixed = frame.assign(kode_kabupaten=pd.Series(["51.01", None], dtype=object, index=frame.index))
    assert not cache.plainly_exact(mixed)
    assert not _round_trip_same(mixed)  # the None comes back NaN: the full check is what keeps it out


def test_plain_tables_are_kept_without_reading_them_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    read_back: list[object] = []
    real = cache._small_to_pandas
    monkeypatch.setattr(cache, "_small_to_pandas", lambda t: (read_back.append(t), real(t))[1])
    cache.save_kept_tables(tmp_path, "k1", "status-province", {"a": _status_like()})
    assert read_back == []
    kept = cache.load_kept_tables(tmp_path, "k1", "status-province")
    assert kept is not None
    pd.testing.assert_frame_equal(kept["a"], _status_like(), check_exact=True)
    mixed = _status_like().assign(kode_kabupaten=pd.Series(["51.01", None], dtype=object, index=[3, 7]))
    read_back.clear()
    cache.save_kept_tables(tmp_path, "k2", "status-province", {"a": mixed})
    assert len(read_back) == 1  # checked the full way, and not kept (the None would come back NaN)
    assert cache.load_kept_tables(tmp_path, "k2", "status-province") is None
