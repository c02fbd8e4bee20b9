"""The row classes' two shortcuts agree with the pandas expressions they replace: the totals test on a column's
distinct texts (Arrow kernels called as pandas calls them, for ASCII text) and the filled-cell test of all
columns in one pass."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from pkp_cli.ingest import sheets
from pkp_cli.ingest.header import Layout, WideGroup
from pkp_cli.ingest.read import RawSheet

# Texts around the totals words: case, white space of several kinds (Arrow and Python disagree on some), word
# boundaries, non-ASCII letters (pandas then matches with Python's re, whose \b is Unicode-aware).
_PIECES = st.sampled_from(
    ["JUMLAH", "jumlah", "Total", "SUBTOTAL", "sub total", "Rekap", "grand total", "Grand  Total", "x", "1", "_",
     " ", "\t", "\n", "\x0b", "\x1c", "\u00a0", "\u3000", "é", "İ", "ß", ":", "-", ".", "jumlahé", "totalş", ""]
)  # fmt: skip
_TEXTS = st.lists(st.lists(_PIECES, max_size=4).map("".join) | st.none(), min_size=1, max_size=12, unique=True)


def _pandas_totals(uniques: pd.Index) -> np.ndarray:
    is_total = pd.Series(uniques, dtype="str").str.strip().str.lower().str.match(sheets._TOTALS_RE).fillna(False)
    return is_total.to_numpy(dtype=bool)


def test_totals_hand_picked() -> None:
    # A totals word at the start of the trimmed text, whole word, any case: rows 0, 1, 3 are totals.
    _codes, uniques = pd.factorize(
        pd.Series([" JUMLAH ", "Total:", "Totalnya", "Sub Total Desa", "51.01"], dtype="str")
    )
    assert sheets._is_total(uniques).tolist() == [True, True, False, True, False]
    assert _pandas_totals(uniques).tolist() == [True, True, False, True, False]


@given(_TEXTS)
def test_totals_agree_with_pandas(texts: list[str | None]) -> None:
    _codes, uniques = pd.factorize(pd.Series(texts, dtype="str"))
    assert sheets._is_total(uniques).tolist() == _pandas_totals(uniques).tolist()


@given(
    st.integers(min_value=0, max_value=6),
    st.lists(st.lists(_PIECES | st.none(), min_size=6, max_size=6), min_size=1, max_size=5),
)
def test_filled_grid_agrees_column_by_column(start: int, columns: list[list[str | None]]) -> None:
    grid = pd.DataFrame({j: pd.Series(col, dtype="str") for j, col in enumerate(columns)})
    n_rows, n_cols = max(len(grid) - start, 0), grid.shape[1]
    expected = [sheets._filled(grid[j].array[start:]) for j in range(n_cols)]
    got = sheets._filled_grid([grid[j].array for j in grid.columns], start, n_rows, n_cols)
    assert [g.tolist() for g in got] == [x.tolist() for x in expected]


def test_filled_grid_of_a_big_sheet_goes_column_by_column(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # Above CHAIN_CELLS (lowered here to 5 cells) the columns are tested one at a time, with the same answer:
    # a filled cell, an empty one, blanks only, missing. 2 columns x 4 rows = 8 cells > 5.
    grid = pd.DataFrame(
        {0: pd.Series(["a", "", " ", None], dtype="str"), 1: pd.Series([None, "x", "\t", "y"], dtype="str")}
    )
    arrays = [grid[j].array for j in grid.columns]
    chained = sheets._filled_grid(arrays, 0, 4, 2)
    monkeypatch.setattr(sheets, "CHAIN_CELLS", 5)
    calls = []
    real = sheets._filled
    monkeypatch.setattr(sheets, "_filled", lambda values: calls.append(len(values)) or real(values))
    alone = sheets._filled_grid(arrays, 0, 4, 2)
    assert calls == [4, 4]  # one call per column
    # Per column: a, '', ' ', missing -> only 'a'; missing, x, tab, y -> x and y.
    assert (
        [c.tolist() for c in chained]
        == [c.tolist() for c in alone]
        == [[True, False, False, False], [False, True, False, True]]
    )


def test_concat_arrays_is_pd_concat() -> None:
    # Three parts of Arrow text (a taken column, an all-missing part, a plain one): the same values, dtype and
    # chunks as pd.concat of the parts as Series; a part of another dtype goes through pd.concat itself.
    parts = [
        pd.array(["a", None, "b", "c"], dtype="str").take(np.array([3, 0, 1])),
        pd.array([None, None], dtype="str"),
        pd.array(["x", ""], dtype="str"),
    ]
    expected = pd.concat([pd.Series(p) for p in parts], ignore_index=True).array
    got = sheets._concat_arrays(parts)
    assert type(got) is type(expected) and got.dtype == expected.dtype
    assert got.equals(expected)
    assert [None if pd.isna(v) else v for v in got] == ["c", "a", None, None, None, "x", ""]
    assert got._pa_array.num_chunks == expected._pa_array.num_chunks
    mixed = [pd.array(["a"], dtype="str"), pd.array([1], dtype="Int64")]
    assert sheets._concat_arrays(mixed).tolist() == pd.concat([pd.Series(p) for p in mixed], ignore_index=True).tolist()


def _sheet(columns: list[list[str | None]]) -> RawSheet:
    grid = pd.DataFrame({j: pd.Series(col, dtype="str") for j, col in enumerate(columns)})
    return RawSheet("s", grid, np.arange(1, len(grid) + 1))


# A progress table: header row 0 (No, Kode, Program, Tahapan, Progres), then rows 1-8.
_HAND = [
    ["No", "1", None, "JUMLAH", None, "", "2", "Kab. X", " "],
    ["Kode", "51.01", None, None, "Total Bali", "", "51.02", None, None],
    ["Program", "PISEW", None, None, None, None, "PISEW", None, None],
    ["Tahapan", "PSW-01", None, None, None, None, "PSW-02", None, None],
    ["Progres", "10", None, "30", "30", None, "5", None, None],
]
_HAND_LAYOUT = Layout(
    "progres", 0, 1, ["No", "Kode", "Program", "Tahapan", "Progres"],
    {"kode_lokasi": 1, "program": 2, "tahapan": 3, "progres_persen": 4},
)  # fmt: skip


def test_row_classes_by_hand() -> None:
    # Rows below the header: 1 data; 2 blank; 3 totals (first filled cell "JUMLAH", in column 0); 4 totals
    # (first filled cell "Total Bali" in column 1, column 0 empty); 5 blank ("" and missing only); 6 data;
    # 7 heading (text in the No column only, no key nor value); 8 blank (white space) and, being last, dropped.
    cls, report = sheets.classify_rows(_sheet(_HAND), _HAND_LAYOUT)
    assert cls.tolist() == [0, 1, 2, 2, 1, 0, 3]
    assert (report.blank, report.totals, report.headings) == (2, 2, 1)


def test_row_classes_of_a_big_sheet_are_the_same(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # Above CHAIN_CELLS the columns are tested one by one and each first-filled column's texts factorised.
    small = sheets.classify_rows(_sheet(_HAND), _HAND_LAYOUT)
    monkeypatch.setattr(sheets, "CHAIN_CELLS", 5)
    big = sheets.classify_rows(_sheet(_HAND), _HAND_LAYOUT)
    assert small[0].tolist() == big[0].tolist() == [0, 1, 2, 2, 1, 0, 3]
    assert small[1] == big[1]


@given(st.lists(st.lists(_PIECES | st.none(), min_size=7, max_size=7), min_size=1, max_size=5))
def test_row_classes_chained_agree_with_column_by_column(columns: list[list[str | None]]) -> None:
    layout = Layout("progres", 0, 1, [f"h{j}" for j in range(len(columns))], {"kode_lokasi": 0})
    chained = sheets.classify_rows(_sheet(columns), layout)
    real = sheets.CHAIN_CELLS
    sheets.CHAIN_CELLS = 0  # (hypothesis runs this body many times: no monkeypatch fixture)
    try:
        alone = sheets.classify_rows(_sheet(columns), layout)
    finally:
        sheets.CHAIN_CELLS = real
    assert chained[0].tolist() == alone[0].tolist()
    assert chained[1] == alone[1]


# A wide table: header row 0, code and program, then two stages (start date, progress) and a third stage with a
# start date only; rows 1-3 below the header.
_WIDE = [
    ["Kode", "51.01", "51.02", "51.03"],
    ["Program", "PISEW", "PISEW", "KOTAKU"],
    ["PSW-01 Mulai", "2022-03-01", None, "2022-03-02"],
    ["PSW-01 Progres", "10", None, None],
    ["PSW-02 Mulai", None, None, "2022-04-01"],
    ["PSW-02 Progres", None, "5", "7"],
    ["PSW-03 Mulai", None, "2022-05-01", None],
]
_WIDE_LAYOUT = Layout(
    "progres", 0, 1, [c[0] for c in _WIDE], {"kode_lokasi": 0, "program": 1},
    wide=[
        WideGroup("PSW-01", {"tanggal_mulai": 2, "progres_persen": 3}),
        WideGroup("PSW-02", {"tanggal_mulai": 4, "progres_persen": 5}),
        WideGroup("PSW-03", {"tanggal_mulai": 6}),
    ],
)  # fmt: skip


def _records(columns: list[list[str | None]], layout: Layout) -> pd.DataFrame:
    sheet = _sheet(columns)
    cls, _report = sheets.classify_rows(sheet, layout)
    frame, _cols, _headers = sheets.extract_records(sheet, layout, np.flatnonzero(cls == 0), "f.xlsx")
    return frame


def test_wide_records_by_hand() -> None:
    # A record per row and stage with a value: PSW-01 rows 1 and 3, PSW-02 rows 2 and 3, PSW-03 row 2; PSW-03
    # has no progress column, so its records' progress is missing.
    rec = _records(_WIDE, _WIDE_LAYOUT)
    assert rec["_row"].tolist() == [2, 4, 3, 4, 3]
    assert rec["_grp"].tolist() == [0, 0, 1, 1, 2]
    assert rec["tahapan"].tolist() == ["PSW-01", "PSW-01", "PSW-02", "PSW-02", "PSW-03"]
    assert rec["kode_lokasi"].tolist() == ["51.01", "51.03", "51.02", "51.03", "51.02"]
    assert rec["tanggal_mulai"].fillna("-").tolist() == ["2022-03-01", "2022-03-02", "-", "2022-04-01", "2022-05-01"]
    assert rec["progres_persen"].isna().tolist() == [False, True, False, False, True]
    assert rec["progres_persen"].dropna().tolist() == ["10", "5", "7"]
    assert {str(rec[c].dtype) for c in ("tahapan", "kode_lokasi", "tanggal_mulai", "progres_persen")} == {"str"}


@given(st.lists(st.lists(_PIECES | st.none(), min_size=4, max_size=4), min_size=7, max_size=7))
def test_wide_records_chained_agree_with_column_by_column(cells: list[list[str | None]]) -> None:
    columns = [[c[0], *v[1:]] for c, v in zip(_WIDE, cells, strict=True)]  # the headers kept, any cells below
    chained = _records(columns, _WIDE_LAYOUT)
    real = sheets.CHAIN_CELLS
    sheets.CHAIN_CELLS = 0  # (hypothesis runs this body many times: no monkeypatch fixture)
    try:
        alone = _records(columns, _WIDE_LAYOUT)
    finally:
        sheets.CHAIN_CELLS = real
    pd.testing.assert_frame_equal(chained, alone, check_exact=True)


def test_header_rows_of_one_template_are_mapped_alike_after_a_change() -> None:
    # Two sheets with the same header row (Kode Lokasi, Kegiatan, Tahapan): the header's mapping is kept by its
    # texts. "Kegiatan" is the program only when its values are PISEW / KOTAKU: the first sheet's values are not,
    # so its layout loses "program"; the second sheet's are, and its layout must still have it (column 1).
    from pkp_cli.ingest.header import detect_layout

    head = ["Kode Lokasi", "Kegiatan", "Tahapan"]
    first = _sheet([[head[0], "51.01"], [head[1], "Jalan desa"], [head[2], "PSW-01"]])
    second = _sheet([[head[0], "51.01"], [head[1], "PISEW"], [head[2], "PSW-01"]])
    one, two = detect_layout(first, lambda _t: False), detect_layout(second, lambda _t: False)
    assert one is not None and two is not None
    assert "program" not in one.columns
    assert two.columns == {"kode_lokasi": 0, "program": 1, "tahapan": 2}


@given(
    st.lists(st.text(alphabet="09a \t\u00a0é.", max_size=4) | st.none(), max_size=12),
    st.integers(min_value=1, max_value=4),
    st.integers(min_value=0, max_value=3),
    st.booleans(),
)
def test_first_bytes_read_from_the_buffers(texts: list[str | None], pieces: int, cut: int, large: bool) -> None:
    # Every chunking, slice and offset width: each cell's first byte where it has one (empty and missing cells:
    # any byte, never read by the caller).
    import pyarrow as pa

    kind = pa.large_string() if large else pa.string()
    step = max(1, len(texts) // pieces)
    chunks = [pa.array(texts[i : i + step], type=kind) for i in range(0, len(texts), step)] or [pa.array([], kind)]
    arr = pa.chunked_array(chunks, type=kind)[cut:]
    got = sheets._first_bytes(arr)
    assert got is not None and len(got) == len(arr)
    for value, byte in zip(arr.to_pylist(), got.tolist(), strict=True):
        if value:
            assert byte == value.encode()[0]


def test_a_totals_row_in_a_big_code_column_is_found(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # Above CHAIN_CELLS each first-filled column is looked at alone; one whose cells all start with a digit is not
    # factorised (no totals word starts with one). A "JUMLAH" or " Total" among codes still is a totals row, and a
    # code after white space (" 51.02") is still data.
    codes = ["51.01", " Total", "51.02", "JUMLAH", " 51.03", "\u00a0jumlah", "5 jumlah"]
    columns = [["Kode", *codes], ["Progres", *["10"] * len(codes)]]
    layout = Layout("progres", 0, 1, ["Kode", "Progres"], {"kode_lokasi": 0, "progres_persen": 1})
    monkeypatch.setattr(sheets, "CHAIN_CELLS", 5)
    cls, report = sheets.classify_rows(_sheet(columns), layout)
    assert cls.tolist() == [0, 2, 0, 2, 0, 2, 0]
    assert report.totals == 3
    digits_only = [["Kode", "51.01", "51.02"], ["Progres", "10", "20"]]
    assert sheets.classify_rows(_sheet(digits_only), layout)[0].tolist() == [0, 0]


@given(
    st.lists(st.text(alphabet="0a \t\n\x0b\x1c\u0085\u00a0\u3000é.", max_size=4) | st.none(), max_size=12),
    st.integers(min_value=1, max_value=4),
    st.integers(min_value=0, max_value=3),
)
def test_filled_of_many_chunks_agrees_with_the_kernels(texts: list[str | None], pieces: int, cut: int) -> None:
    # A CSV's column comes in dozens of chunks (pyarrow's parallel parse), sliced below the header: each chunk's
    # flags from its offsets and first bytes are what Arrow's kernels say of the whole column.
    import pyarrow as pa

    kind = pa.large_string()
    step = max(1, len(texts) // pieces)
    chunks = [pa.array(texts[i : i + step], type=kind) for i in range(0, len(texts), step)] or [pa.array([], kind)]
    values = pd.array(pa.chunked_array(chunks, type=kind), dtype="str")[cut:]
    expected = sheets._filled_arrow(values._pa_array)
    assert sheets._filled(values).tolist() == expected.tolist()


def test_filled_of_many_chunks_reads_the_offsets(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # Not Arrow's kernels over every cell (two passes, each reading every byte: 0.14 s for the bench's CSV).
    import pyarrow as pa

    kind = pa.large_string()
    chunks = [pa.array(["a", None, ""], kind), pa.array([" ", "\u00a0b"], kind)]
    values = pd.array(pa.chunked_array(chunks), dtype="str")
    monkeypatch.setattr(sheets, "_filled_arrow", lambda arr: (_ for _ in ()).throw(AssertionError("kernels")))
    assert sheets._filled(values[1:]).tolist() == [False, False, False, True]


def test_a_records_frame_holds_its_arrays_without_a_copy() -> None:
    """`extract_records`' frame is made of its arrays as they are: the row numbers, source rows and groups (three
    int64 arrays) each stay their own block, not stacked into one new 2-D block (on a 1.66 M-row CSV a 40 MB copy
    made and read once). Its values, dtypes and column order are those of the arrays given."""
    rows, src, grp = np.arange(5, 10), np.arange(5), np.zeros(5, dtype=np.int64)
    text = pd.array(["a", None, "c", "d", "e"], dtype="str")
    frame = sheets._frame_of({"_row": rows, "_src": src, "_grp": grp, "kode_lokasi": text}, 5)
    assert list(frame.columns) == ["_row", "_src", "_grp", "kode_lokasi"]
    assert [str(t) for t in frame.dtypes] == ["int64", "int64", "int64", "str"]
    assert frame["_row"].tolist() == [5, 6, 7, 8, 9] and frame["kode_lokasi"].isna().tolist() == [0, 1, 0, 0, 0]
    assert all(np.shares_memory(frame[c].to_numpy(), a) for c, a in (("_row", rows), ("_src", src), ("_grp", grp)))
    assert frame.index.equals(pd.RangeIndex(5))
    # The sheets' records as the readers make them: every numpy column of the wide fixture is its own block.
    rec = _records(_WIDE, _WIDE_LAYOUT)
    assert rec._mgr.nblocks == len(rec.columns)
