"""perf-bali10 (issue 13, `pkp status --province Bali` cold): two per-workbook and per-sheet costs cut without changing
any answer.

- `header._top_texts`: a sheet's top rows (what `read.top_rows` gives, kept for the title-date scan) and the header
  search's cell texts from one Arrow-to-Python conversion, equal to the per-column conversion they replace.
- `discover._written_by_pkp`: a small workbook whose bytes do not name the marker part is not pkp's, without its zip
  directory being parsed; the verdict equals the zip reader's on every file.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pkp_cli.ingest import discover, header
from pkp_cli.ingest.read import RawSheet, _as_text_grid, arrow_text_grid, top_rows
from pkp_cli.model.provenance import PKP_MARKER
from tests.ingest.test_top_rows import _same as same_cells


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    """test_top_rows' cell-by-cell comparison (NaN equal to NaN, types too), and the same dtype."""
    return a.dtype == b.dtype and same_cells(a, b)


def _old_texts(sheet: RawSheet, k: int) -> tuple[np.ndarray, list[list[str]]]:
    """What `_texts` made before: top_rows, then each cell's text read back out of the object block."""
    top = top_rows(sheet.grid, k, sheet.columns())
    texts = [[v.strip() if type(v) is str else "" if v is np.nan else header._cell_text(v) for v in row] for row in top]
    return top, texts


def _sheet(grid: pd.DataFrame, arrays: list[Any] | None = None) -> RawSheet:
    sheet = RawSheet(name="s", grid=grid, row_numbers=np.arange(1, len(grid) + 1, dtype=np.int64))
    if arrays is not None:
        sheet.known_columns(arrays)
    return sheet


# Cells as calamine gives them: text (with spaces of every kind, non-ASCII, lone surrogates are not UTF-8 and never
# come from calamine), empty, or missing.
CELL = st.one_of(
    st.none(),
    st.just(""),
    st.sampled_from([" ", "\u3000", "\xa0x\xa0", " Kode Lokasi ", "Tahapan\n", "27 Mei 2022", "ÄÖ é", "0"]),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=6),
)


@st.composite
def batches(draw: Any) -> Any:
    n_cols = draw(st.integers(0, 6))
    n_rows = draw(st.integers(0, 40))
    cols = [pa.array(draw(st.lists(CELL, min_size=n_rows, max_size=n_rows)), pa.string()) for _ in range(n_cols)]
    return pa.record_batch(cols, names=[f"c{i}" for i in range(n_cols)]) if cols else None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batches(), st.integers(0, 50))
def test_top_texts_equal_the_per_column_conversion(batch: Any, k: int) -> None:
    if batch is None:
        sheet = _sheet(pd.DataFrame(index=pd.RangeIndex(3)))
        assert header._top_texts(sheet, k) is None  # no columns: top_rows' own path
        return
    grid, arrays = arrow_text_grid(batch)
    sheet = _sheet(grid, arrays)
    got = header._top_texts(sheet, k)
    assert got is not None
    top, texts = got
    old_top, old_texts = _old_texts(sheet, k)
    assert _same(top, old_top)
    assert top.flags.c_contiguous
    assert texts == old_texts


def test_top_texts_of_columns_in_several_chunks_and_of_csv_grids() -> None:
    # A column of several chunks (not what arrow_text_grid makes, but what a grid's column may hold)
    dtype = pd.StringDtype("pyarrow", na_value=np.nan)
    chunked = pa.chunked_array([pa.array(["a ", None], pa.large_string()), pa.array([" b", ""], pa.large_string())])
    arrays = [pd.arrays.ArrowStringArray(chunked, dtype=dtype), pd.arrays.ArrowStringArray(chunked, dtype=dtype)]
    grid = pd.DataFrame._from_arrays(arrays, columns=pd.RangeIndex(2), index=pd.RangeIndex(4), verify_integrity=False)
    sheet = _sheet(grid, arrays)
    for k in (0, 1, 2, 3, 4, 9):
        got = header._top_texts(sheet, k)
        assert got is not None
        old = _old_texts(sheet, k)
        assert _same(got[0], old[0]) and got[1] == old[1]
    # A CSV's grid (columns of pandas' own text arrays) and an object grid: the same answers as before, whichever
    # path gives them.
    for grid in (
        _as_text_grid(pd.DataFrame([["x", ""], ["", "y"], ["  ", "z"]], dtype=object)),
        pd.DataFrame([["a", None], [None, 1.5]], dtype=object),
    ):
        sheet = _sheet(grid)
        header._texts(sheet)
        old_top, old_texts = _old_texts(sheet, header.HEADER_SEARCH_ROWS + 2)
        assert _same(sheet._top_rows, old_top)  # type: ignore[attr-defined]
        assert sheet._header_texts == old_texts  # type: ignore[attr-defined]


def test_sub_header_index_is_made_once() -> None:
    assert header._sub_index() is header._sub_index()
    assert header._sub_index()["mulai"] == "tanggal_mulai"


# --- discover: pkp's marker ---------------------------------------------------------------------------------------


def _zip_oracle(path: Path) -> bool:
    """`_written_by_pkp` as it was: the zip reader alone."""
    try:
        with zipfile.ZipFile(path) as zf:
            if "docProps/custom.xml" not in zf.namelist():
                return False
            info = zf.getinfo("docProps/custom.xml")
            if info.file_size > 1 << 20:
                return False
            with zf.open(info) as fh:
                return PKP_MARKER.encode() in fh.read(1 << 20)
    except (zipfile.BadZipFile, OSError, KeyError, EOFError, ValueError, NotImplementedError, RuntimeError):
        return False


def _zip(members: list[tuple[str, bytes]], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as zf:
        for name, data in members:
            zf.writestr(name, data)
    return buf.getvalue()


MARKED = f'<Properties><property name="{PKP_MARKER}"/></Properties>'.encode()


@pytest.mark.parametrize(
    "content",
    [
        _zip([("xl/workbook.xml", b"<workbook/>")]),
        _zip([("xl/workbook.xml", b"<workbook/>"), ("docProps/custom.xml", MARKED)]),
        _zip([("docProps/custom.xml", MARKED)], zipfile.ZIP_STORED),
        _zip([("docProps/custom.xml", b"<Properties/>")]),
        _zip([("docProps/custom.xml.bak", MARKED)]),  # the name as a prefix of another member's
        _zip([("a.bin", np.random.default_rng(1).bytes(400_000)), ("docProps/custom.xml", MARKED)], zipfile.ZIP_STORED),
        _zip([("a.bin", np.random.default_rng(2).bytes(400_000))], zipfile.ZIP_STORED),  # big, not pkp's
        b"",
        b"not a zip at all, but custom.xml is named",
        _zip([("docProps/custom.xml", MARKED)])[:-10],  # cut short
    ],
)
def test_marker_verdict_equals_the_zip_readers(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "book.xlsx"
    path.write_bytes(content)
    assert discover._written_by_pkp(path) == _zip_oracle(path)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["docProps/custom.xml", "docProps/core.xml", "xl/workbook.xml", "custom.xml", "x"]),
            st.sampled_from([b"", MARKED, b"<Properties/>", PKP_MARKER.encode()]),
        ),
        max_size=4,
        unique_by=lambda t: t[0],
    ),
    st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]),
)
def test_marker_verdict_equals_the_zip_readers_on_any_members(
    tmp_path: Path, members: list[tuple[str, bytes]], method: int
) -> None:
    path = tmp_path / "book.xlsx"
    path.write_bytes(_zip(members, method))
    assert discover._written_by_pkp(path) == _zip_oracle(path)


def test_a_small_workbook_without_the_marker_part_is_not_opened_as_a_zip(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "book.xlsx"
    path.write_bytes(_zip([("xl/workbook.xml", b"<workbook/>")]))
    marked = tmp_path / "pkp.xlsx"
    marked.write_bytes(_zip([("docProps/custom.xml", MARKED)]))

    def refuse(*_a: Any, **_k: Any) -> None:
        raise AssertionError("zip directory parsed")

    monkeypatch.setattr(zipfile, "ZipFile", refuse)
    assert discover._written_by_pkp(path) is False
    with pytest.raises(AssertionError):  # a file naming the part is still asked of the zip reader
        discover._written_by_pkp(marked)


def test_a_fifo_in_place_of_a_workbook_is_not_opened(tmp_path: Path) -> None:
    import os
    import threading

    fifo = tmp_path / "book.xlsx"
    os.mkfifo(fifo)
    got: list[bool] = []
    t = threading.Thread(target=lambda: got.append(discover._written_by_pkp(fifo)), daemon=True)
    t.start()
    t.join(5)
    blocked = t.is_alive()
    if blocked:  # a reader waits on the FIFO (the zip reader opened it): a writer that closes at once lets it go
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        t.join(5)
    assert not blocked
    assert got == [False]
