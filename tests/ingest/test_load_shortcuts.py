"""The big load's short cuts (perf-csv, issue 13) give what the plain computations give: repeated keys by a sort
(`checks.repeated`) as pandas' `duplicated(keep=False)`; small integer keys numbered through a table
(`checks._dense_codes`), each once; percent cells judged per distinct text (`parse.parse_percent_sparse`)
as the rule written out per cell; the progress checks reusing the parse's factorisation of the code, program and
stage (`sheets.factorized`) only while the column is the array it was made from, with the same load as without."""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pkp_cli.ingest import sheets
from pkp_cli.ingest.checks import _dense_codes, _sort_ranks, distinct_by_table, repeated
from pkp_cli.ingest.load import load_data
from pkp_cli.ingest.parse import parse_percent, parse_percent_sparse
from tests.factories import write_lokasi

TODAY = dt.date(2022, 6, 30)


@given(st.lists(st.integers(-3, 6), max_size=40))
def test_repeated_marks_every_row_of_a_repeated_id(ids: list[int]) -> None:
    arr = np.array(ids, dtype=np.int64)
    assert repeated(arr).tolist() == pd.Series(arr).duplicated(keep=False).tolist()


def test_repeated_by_hand() -> None:
    # 7 occurs twice (rows 0, 3), 5 three times (rows 1, 2, 5), 9 once: all but row 4.
    assert repeated(np.array([7, 5, 5, 7, 9, 5])).tolist() == [True, True, True, True, False, True]
    assert repeated(np.array([3, 1, 2])).tolist() == [False, False, False]
    assert repeated(np.array([], dtype=np.int64)).tolist() == []


@given(st.lists(st.integers(-5, 40), max_size=30), st.sampled_from([0, 1, 10**6, -(10**12)]))
def test_distinct_by_table_never_says_distinct_wrongly(ids: list[int], shift: int) -> None:
    # Within a table's reach (a range up to 8 slots an id, or 65,536) the answer is exact; beyond it (a shift
    # of 10**12 spreads the ids) it may only say "not known" (False), never "distinct" for repeated ids.
    arr = np.array(ids, dtype=np.int64)
    if len(arr):
        arr[0] += shift
    unique = len(set(arr.tolist())) == len(arr)
    got = distinct_by_table(arr)
    assert got <= unique
    if len(arr) < 2 or int(arr.max()) - int(arr.min()) < 1 << 16:
        assert got == unique


def test_distinct_by_table_by_hand() -> None:
    assert distinct_by_table(np.array([5, 3, 9, 0], dtype=np.int64))
    assert not distinct_by_table(np.array([5, 3, 5], dtype=np.int64))
    assert not distinct_by_table(np.array([0, 1 << 40], dtype=np.int64))  # too wide for a table: not known
    assert distinct_by_table(np.array([], dtype=np.int64))


@given(st.integers(1, 30).flatmap(lambda size: st.tuples(st.just(size), st.lists(st.integers(0, size - 1)))))
def test_dense_codes_number_each_key_once(case: tuple[int, list[int]]) -> None:
    # Through the table (a small range) the distinct keys come sorted; through pandas (a range too large for a
    # table) in order of first appearance. Either way each key has one code and the codes give the keys back.
    size, keys = case
    arr = np.array(keys, dtype=np.int64)
    for table_size in (size, 10**9):
        codes, uniques = _dense_codes(arr, table_size)
        assert codes.dtype == np.intp
        assert uniques[codes].tolist() == keys
        assert sorted(uniques.tolist()) == sorted(set(keys))
        if table_size == size:
            assert uniques.tolist() == sorted(set(keys))


def test_dense_codes_by_hand() -> None:
    # Keys 4, 1, 0 present: numbered in their order, 0 -> 0, 1 -> 1, 4 -> 2.
    codes, uniques = _dense_codes(np.array([4, 1, 4, 0, 1]), 5)
    assert codes.tolist() == [2, 1, 2, 0, 1] and uniques.tolist() == [0, 1, 4]


_DASH = re.compile(r"^\s*(?:[Rr][Pp]\.?\s*)?[-\u2010-\u2015]+(?:\s*[,.]\s*[-\u2010-\u2015]+)?\s*$")


def _percent_by_hand(cell: str | None, percent_cell: bool | None) -> tuple[float, str | None]:
    """The rule per cell: blank or a dash is empty; "45,5" / "45.5" / "45,5%" -> 45.5; a cell formatted as a
    percentage (not written with %) holds a fraction (x 100); not a number: number-invalid; outside 0-100:
    percent-range (no value either way)."""
    if cell is None:
        return math.nan, None
    text = cell.strip()
    if not text or _DASH.match(text):
        return math.nan, None
    explicit = text.endswith("%")
    number = text.rstrip("%").strip().replace(",", ".")
    if not re.fullmatch(r"-?[0-9]+(?:\.[0-9]+)?", number):
        return math.nan, "number-invalid"
    value = float(number) * (100.0 if percent_cell and not explicit else 1.0)
    if value < 0 or value > 100:
        return math.nan, "percent-range"
    return value, None


PERCENT_CELLS = st.one_of(
    st.none(),
    st.sampled_from(["45", "45,5", "45.5%", " 12 ", "-", "", "  ", "abc", "150", "-3", "0.455", "100%", "101"]),
    st.sampled_from(["0", "-0", "1e3", "99,99", "Rp -", "50 %", "0,5", "7%", "1.5", "%", "1,2,3", "2.5 %"]),
)


@given(st.lists(st.tuples(PERCENT_CELLS, st.sampled_from([True, False, None])), max_size=30), st.booleans())
def test_percent_cells_follow_the_rule(cells: list[tuple[str | None, bool | None]], with_format: bool) -> None:
    texts = pd.Series(pd.array([c for c, _ in cells], dtype="str"))
    fmt = pd.Series([f for _, f in cells], dtype=object) if with_format else None
    vals, bad, codes = parse_percent_sparse(texts, fmt)
    want = [_percent_by_hand(c, f if with_format else None) for c, f in cells]
    assert np.array_equal(vals.to_numpy(), np.array([v for v, _ in want], dtype=float), equal_nan=True)
    assert vals.dtype == "float64"
    assert bad.tolist() == [i for i, (_, e) in enumerate(want) if e is not None]
    assert codes.tolist() == [e for _, e in want if e is not None]
    # The dense form says the same.
    _vals, errs = parse_percent(texts, fmt)
    assert errs.tolist() == [e for _, e in want]


def test_percent_scaled_cells_by_hand() -> None:
    # A % cell holding 0.455 is 45.5; holding 1.5 it is 150 %, out of range; "45,5%" written with % stays 45.5;
    # a dash in a % cell is empty; the same 0.455 in a plain cell stays 0.455.
    vals, bad, codes = parse_percent_sparse(
        pd.Series(["0.455", "1.5", "45,5%", "-", "0.455"], dtype="str"), pd.Series([True, True, True, True, False])
    )
    assert vals.tolist()[0] == pytest.approx(45.5) and vals.tolist()[2] == pytest.approx(45.5)
    assert math.isnan(vals.tolist()[1]) and math.isnan(vals.tolist()[3]) and vals.tolist()[4] == 0.455
    assert bad.tolist() == [1] and codes.tolist() == ["percent-range"]


def test_factorized_reuses_only_the_array_it_was_made_from() -> None:
    col = pd.Series(["51.04.01", "51.04.02", "51.04.01"], dtype="str")
    codes = np.array([0, 1, 0], dtype=np.int32)
    sr: Any = SimpleNamespace(factorizations={"kode_lokasi": (col.array._pa_array, codes, pd.Index(["a", "b"]))})
    # The same array: the kept factorisation (here deliberately other distinct values, to tell it apart).
    got_codes, got_uniques = sheets.factorized(sr, "kode_lokasi", col)
    assert got_codes.tolist() == [0, 1, 0] and list(got_uniques) == ["a", "b"]
    assert "kode_lokasi" not in sr.factorizations  # used once, then let go
    # A column changed since (another array): factorised anew.
    sr.factorizations["kode_lokasi"] = (col.array._pa_array, codes, pd.Index(["a", "b"]))
    changed = col.copy()
    changed.iloc[1] = "51.04.09"
    got_codes, got_uniques = sheets.factorized(sr, "kode_lokasi", changed)
    assert got_codes.tolist() == [0, 1, 0] and list(got_uniques) == ["51.04.01", "51.04.09"]


ROW = st.tuples(
    st.sampled_from(["51.04.01", "51.04.02", "51.04.03", "51.04.01.2001", "51", "52", "51.04.09", "", " 51.04.02"]),
    st.sampled_from(["", "PISEW", "KOTAKU", "kotaku", "Pisew", "X"]),
    st.sampled_from(["", "P1", "L1", "L2", "K0", "K1", "XX", "l1", "L1 "]),
    st.sampled_from(["2022-03-01", "2022-04-01", "2022-04-01"]),
)


@pytest.fixture(scope="module")
def lokasi(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("lokasi") / "lokasi.xlsx"
    write_lokasi(path)
    return path


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=25)
@given(rows=st.lists(ROW, min_size=1, max_size=20))
def test_load_with_and_without_reused_factorisations(
    rows: list[tuple[str, str, str, str]], lokasi: Path, mini_schedule, tmp_path: Path, monkeypatch
) -> None:
    # Repeated rows and keys (duplicates, conflicts, superseded reports) on purpose: every check that reads the
    # codes must say the same with the parse's factorisations as with its own.
    path = tmp_path / "progres.csv"
    lines = [f"{c};{p};{s};{d};{i * 7 % 101}" for i, (c, p, s, d) in enumerate(rows)]
    path.write_text("Kode Lokasi;Program;Tahapan;Tanggal Laporan;Progres (%)\n" + "\n".join(lines) + "\n")

    def load() -> Any:
        return load_data([path], mini_schedule, lokasi_paths=[lokasi], today=TODAY, max_errors=1000)

    reused = load()
    monkeypatch.setattr(sheets, "REUSED_FACTORIZATIONS", ())
    plain = load()
    pd.testing.assert_frame_equal(reused.progres, plain.progres, check_exact=True)
    assert reused.errors == plain.errors and reused.warnings == plain.warnings
    assert (reused.errors_total, reused.warnings_total) == (plain.errors_total, plain.warnings_total)
    assert [(r.rows_loaded, r.rows_rejected, r.duplicates) for f in reused.files for r in f.sheets] == [
        (r.rows_loaded, r.rows_rejected, r.duplicates) for f in plain.files for r in f.sheets
    ]


@given(
    st.lists(
        st.one_of(st.none(), st.text(max_size=4), st.sampled_from(["51.04", "51.04.01", "Ä", "a", "B"])), max_size=40
    ),
    st.booleans(),
)
def test_sort_ranks_as_pandas(values: list[str | None], big: bool) -> None:
    # Ranked by Arrow for long lists (over 1,000 values), by pandas otherwise: the same ranks either way.
    values = values * 30 if big else values
    want, _ = pd.factorize(pd.Series(values, dtype=object), sort=True, use_na_sentinel=True)
    assert _sort_ranks(values).tolist() == want.tolist()


@given(
    st.lists(st.text(max_size=3) | st.none(), min_size=1, max_size=40),
    st.integers(1, 6),
    st.lists(st.integers(0, 10**6), max_size=25),
)
def test_cells_at_takes_as_iloc_does(texts: list[str | None], pieces: int, picks: list[int]) -> None:
    # Arrow text in chunks, rows in any order and repeated (and a negative position): the cells iloc gives.
    import pyarrow as pa

    from pkp_cli.ingest.load import _cells_at

    step = max(1, len(texts) // pieces)
    chunks = [pa.array(texts[i : i + step], type=pa.large_string()) for i in range(0, len(texts), step)]
    dtype = pd.StringDtype("pyarrow", na_value=np.nan)
    values = pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array(chunks), dtype=dtype))  # type: ignore[call-arg]
    rows = np.array([p % len(texts) for p in picks] + ([-1] if picks else []), dtype=np.int64)
    want = values.iloc[rows].to_numpy(dtype=object)
    got = _cells_at(values, rows)
    assert [None if isinstance(x, float) else x for x in got] == [None if isinstance(x, float) else x for x in want]
