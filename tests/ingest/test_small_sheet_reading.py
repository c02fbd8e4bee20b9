"""The small-sheet reading path (issue 13, Bali cold): text grids built from Arrow arrays directly, each grid's
column arrays made once, distinct texts from Arrow's dictionary encoding, and one reading thread for small files.
Each gives what the plain pandas way gives."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pkp_cli.ingest import load, read, sheets
from pkp_cli.ingest.read import RawSheet, arrow_text_grid


def _arrow_text_grid(batch: object) -> pd.DataFrame:
    return arrow_text_grid(batch)[0]


_CELLS = st.sampled_from(["", " ", "51.01.01.2001", "JUMLAH", "Selesai", "é", "27 Mei 2022", "x\ty"]) | st.none()


def _pandas_way(batch: pa.RecordBatch) -> pd.DataFrame:
    """The grid as it was made before: each column cast and emptied in Arrow, then `Table.to_pandas`."""
    cols = []
    for col in batch.columns:
        col = col.cast(pa.string())
        cols.append(pc.if_else(pc.equal(col, ""), pa.scalar(None, pa.string()), col))
    grid = pa.table(cols, names=[str(i) for i in range(len(cols))]).to_pandas()
    grid.columns = pd.RangeIndex(len(cols))
    return grid


def _batch(columns: list[list[str | None]]) -> pa.RecordBatch:
    return pa.record_batch(
        [pa.array(c, type=pa.string()) for c in columns], names=[f"c{i}" for i in range(len(columns))]
    )


@given(
    st.integers(min_value=1, max_value=4).flatmap(
        lambda n: st.lists(st.lists(_CELLS, min_size=n, max_size=n), max_size=5)
    )
)
def test_text_grid_is_the_tables_own_conversion(columns: list[list[str | None]]) -> None:
    batch = _batch(columns)
    got, expected = _arrow_text_grid(batch), _pandas_way(batch)
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    assert list(got.dtypes.astype(str)) == list(expected.dtypes.astype(str))
    assert all(got[j].array._pa_array.type == expected[j].array._pa_array.type for j in got.columns)
    grid, arrays = arrow_text_grid(batch)  # the column arrays handed over with it are the grid's own
    assert len(arrays) == grid.shape[1] and all(grid[j].array.equals(arrays[j]) for j in grid.columns)


def test_text_grid_of_a_big_sheet_goes_column_by_column(monkeypatch: pytest.MonkeyPatch) -> None:
    # Above CHAIN_TEXT_CELLS (lowered to 3) each column is converted alone: same grid. 2 columns x 3 rows = 6 cells.
    batch = _batch([["a", "", None], [" ", "b", ""]])
    monkeypatch.setattr(read, "CHAIN_TEXT_CELLS", 3)
    got = _arrow_text_grid(batch)
    pd.testing.assert_frame_equal(got, _pandas_way(batch), check_exact=True)
    # a, empty -> missing, missing; space kept, b, empty -> missing
    assert got[0].isna().tolist() == [False, True, True] and got[1].isna().tolist() == [False, False, True]


def test_a_grid_without_columns() -> None:
    got = _arrow_text_grid(pa.record_batch([], names=[]))
    assert got.shape == (0, 0) and list(got.columns) == []


def test_column_arrays_follow_the_grid() -> None:
    sheet = RawSheet("s", _arrow_text_grid(_batch([["a", None], ["b", "c"]])), np.arange(1, 3))
    first = sheet.columns()
    assert [a.tolist() for a in first] == [["a", np.nan], ["b", "c"]]  # the grid's own columns
    assert sheet.columns() is first  # made once
    old = weakref.ref(sheet.grid)
    del first
    sheet.grid = _arrow_text_grid(_batch([["z", "y"]]))  # replaced: made again, and the old grid let go
    gc.collect()
    assert old() is None
    assert [a.tolist() for a in sheet.columns()] == [["z", "y"]]
    kept = sheet.columns()
    sheet.grid = sheet.grid  # the same grid set again: its arrays stay (the reader sets every field it found)
    assert sheet.columns() is kept
    sheet.grid[0] = pd.Series(["q", "r"], dtype="str")  # changed in place: forgotten on request
    sheet.forget_columns()
    assert [a.tolist() for a in sheet.columns()] == [["q", "r"]]


@given(st.lists(_CELLS, max_size=12))
def test_distinct_texts_mark_the_same_cells(values: list[str | None]) -> None:
    # Whatever order the distinct texts come in, each cell maps back to its own text (missing to -1).
    arr = pd.array(values, dtype="str")
    codes, uniques = sheets._factorize(pd.Series(arr))
    expected_codes, _ = pd.factorize(pd.Series(arr))
    assert (codes < 0).tolist() == (expected_codes < 0).tolist()
    back = [None if k < 0 else uniques[k] for k in codes]
    assert back == [None if pd.isna(v) else v for v in arr]
    assert len(uniques) == len(set(v for v in values if v is not None))


def test_one_thread_unless_a_file_is_big(tmp_path: Path) -> None:
    small = tmp_path / "a.xlsx"
    small.write_bytes(b"x" * 10)
    big = tmp_path / "b.csv"
    with big.open("wb") as fh:  # THREADS_MIN_FILE_BYTES bytes exactly: big enough
        fh.truncate(load.THREADS_MIN_FILE_BYTES)
    assert not load._worth_threads([(small, "a.xlsx"), (small, "a2.xlsx")])
    assert load._worth_threads([(small, "a.xlsx"), (big, "b.csv")])
    with big.open("r+b") as fh:
        fh.truncate(load.THREADS_MIN_FILE_BYTES - 1)  # one byte less: small
    assert not load._worth_threads([(small, "a.xlsx"), (big, "b.csv")])


def test_an_xlsx_sheet_keeps_the_column_arrays_its_grid_was_built_with(tmp_path: Path) -> None:
    """The workbook reader hands over the arrays arrow_text_grid made with the grid: the later steps (header search, row
    classes, records) read them instead of making them again from the frame."""
    import openpyxl

    from pkp_cli.ingest.workbook import xlsx_stage

    path = tmp_path / "kecil.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Kode", "Nama"])
    ws.append(["51.01", "Bali"])
    wb.save(path)
    (sheet,) = xlsx_stage(path)()
    kept = sheet.__dict__.get("_columns")
    assert kept is not None and sheet.columns() is kept
    assert [a.tolist() for a in kept] == [["Kode", "51.01"], ["Nama", "Bali"]]


# Texts for the big sheets' offset paths: empty, white space of every kind Arrow or Python knows (ASCII, the
# separators 0x1c-0x1f, NEL, no-break and ideographic spaces), texts starting with them, control bytes, non-ASCII.
_BIG_CELLS = (
    st.sampled_from(
        [
            "",
            " ",
            "\t",
            "\x1c",
            "\x85",
            "\xa0",
            "\u3000",
            " x",
            "\xa0a",
            "\x00",
            "\x1b",
            "a",
            "é",
            "JUMLAH",
            "\u2003\u2003",
        ]
    )
    | st.none()
)


@given(st.lists(_BIG_CELLS, max_size=40), st.integers(min_value=0, max_value=3))
def test_a_big_sheets_column_empties_and_fills_as_the_kernels_do(cells: list[str | None], sliced: int) -> None:
    """A big sheet's column: its empty strings made missing from its offsets (`_empty_as_missing`, no copy of its
    text) and its filled cells from its offsets and first bytes (`_filled_by_offsets`) are what the Arrow kernels
    give, for any texts (a sliced array goes the kernels' way)."""
    col = pa.array(cells, type=pa.string()).slice(min(sliced, len(cells))).cast(pa.large_string())
    null = pa.scalar(None, pa.large_string())
    emptied = read._empty_as_missing(col, null)
    assert emptied.equals(pc.if_else(pc.equal(col, ""), null, col))
    assert emptied.type == pa.large_string() and emptied.null_count == sum(c in (None, "") for c in col.to_pylist())
    for arr in (col, emptied):
        fast = sheets._filled_by_offsets(arr)
        assert fast is None or fast.tolist() == sheets._filled_arrow(arr).tolist()
        assert sheets._filled(pd.array(arr.to_pylist(), dtype=pd.StringDtype("pyarrow", na_value=np.nan))).tolist() == (
            sheets._filled_arrow(arr).tolist()
        )
