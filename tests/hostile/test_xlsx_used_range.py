"""The used-range guard against every way calamine reads a cell's place, not only `<c r="A1"`.

Before, a sheet holding A1 and one cell at XFD1048576 written with another attribute first, other whitespace,
single quotes, a namespace prefix, lower-case letters, a second `r`, or cells and rows without a reference passed
the sheet scan, and calamine then asked for 17,179,869,184 cells: the process aborted (exit 134, no message). Each
such workbook is run in its own process here, so a guard that fails cannot take the test run with it."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pkp_cli.ingest.used_range import IRREGULAR_RE2, IRREGULAR_WIDER_RE2, _Placer, irregular, used_range
from pkp_cli.ingest.workbook import _rare_found
from tests.hostile.corpus import members, progres_xlsx, run_pkp, write_members

SHEET = "xl/worksheets/sheet1.xml"
# 16,384 columns (A..XFD) x 1,048,576 rows: Excel's whole sheet.
WHOLE_SHEET = "17,179,869,184"


def _with_cells(tmp_path: Path, name: str, extra: bytes) -> Path:
    """A workbook with "x" in A1 and `extra` (rows and cells as XML) after row 1."""
    wb = openpyxl.Workbook()
    wb.active["A1"] = "x"
    path = tmp_path / f"{name}.xlsx"
    wb.save(path)
    parts = members(path)
    sheet = parts[SHEET]
    assert b"</row></sheetData>" in sheet
    parts[SHEET] = sheet.replace(b"</row></sheetData>", b"</row>" + extra + b"</sheetData>")
    return write_members(path, parts)


FAR_CELLS = {
    "newline": b'<row r="2"><c\nr="XFD1048576"><v>1</v></c></row>',
    "tab": b'<row r="2"><c\tr="XFD1048576"><v>1</v></c></row>',
    "two spaces": b'<row r="2"><c  r="XFD1048576"><v>1</v></c></row>',
    "another attribute first": b'<row r="2"><c t="n" r="XFD1048576"><v>1</v></c></row>',
    "single quotes": b"<row r='2'><c r='XFD1048576'><v>1</v></c></row>",
    "spaces around =": b'<row r="2"><c r = "XFD1048576"><v>1</v></c></row>',
    "lower-case letters": b'<row r="2"><c r="xfd1048576"><v>1</v></c></row>',
    "namespace prefix": b'<row r="2"><x:c xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    b' r="XFD1048576"><x:v>1</x:v></x:c></row>',
    "a second r (calamine takes the last)": b'<row r="2"><c r="A2" r="XFD1048576"><v>1</v></c></row>',
    # Row 2 without a reference, 16,384 cells without one (A2..XFD2), then row 1,048,576: no cell names XFD.
    "cells without references": b"<row>"
    + b"<c><v>1</v></c>" * 16_384
    + b'</row><row r="1048576"><c><v>1</v></c></row>',
}


@pytest.mark.parametrize("form", list(FAR_CELLS))
def test_a_far_cell_however_written_is_66_not_an_abort(tmp_path: Path, form: str) -> None:
    path = _with_cells(tmp_path, "far", FAR_CELLS[form])
    got = run_pkp(["validate", str(path)], cwd=tmp_path)
    assert got.returncode == 66, (form, got.returncode, got.stderr[-400:])
    # What the user reads: the sheet and the range of Excel's whole sheet, against the limit.
    assert f"sheet Sheet: rentang terpakai {WHOLE_SHEET} sel melebihi batas 50,000,000" in got.stdout, form


def test_a_far_cell_deep_in_a_big_sheet_is_found_by_the_big_chunk_search(tmp_path: Path) -> None:
    # 80,000 canonical cells (about 2 MB of XML: the chunks go through the RE2 prefilter), then one far cell
    # written with its type first.
    rows = b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (i, i, i) for i in range(2, 80_002))
    path = _with_cells(tmp_path, "deep", rows + b'<row r="80002"><c t="n" r="XFD1048576"><v>1</v></c></row>')
    got = run_pkp(["validate", str(path)], cwd=tmp_path)
    assert got.returncode == 66, got.stderr[-400:]
    assert f"rentang terpakai {WHOLE_SHEET} sel" in got.stdout


def test_irregular_tags_of_a_real_progress_sheet_read_as_the_canonical_ones(tmp_path: Path) -> None:
    # The same progress sheet written canonically and with every cell's type before its reference and a
    # namespace-free tab: measured exactly (not refused) and read to the same rows and values.
    (tmp_path / "a").mkdir()
    canonical = progres_xlsx(tmp_path / "a" / "progres.xlsx", [dt.datetime(2022, 4, 2), dt.datetime(2022, 5, 3)])
    parts = members(canonical)
    text = parts[SHEET].decode()
    swapped = re.sub(r'<c r="([A-Z]+\d+)"((?: [a-z]+="[^"]*")+)', r"<c\2\tr='\1'", text)
    assert swapped != text and "<c r=" not in swapped
    other = tmp_path / "b" / "progres.xlsx"
    other.parent.mkdir()
    write_members(other, {**parts, SHEET: swapped.encode()})
    a = run_pkp(["validate", str(canonical), "--format", "json"], cwd=tmp_path)
    b = run_pkp(["validate", str(other), "--format", "json"], cwd=tmp_path)
    assert a.returncode == b.returncode
    assert a.stdout.replace(str(canonical), "X") == b.stdout.replace(str(other), "X")
    assert '"rows_read": 2' in a.stdout


@pytest.mark.parametrize(
    ("xml", "rows", "cols"),
    [
        # B3 by reference, then two cells after it (C3, D3); row 4 without a reference, one cell (A4).
        (b'<row r="3"><c r="B3"/><c/><c/></row><row><c/></row>', 4, 4),
        # Two references in one tag: the larger of each part (row 9 of the first, column C of the second).
        (b'<row r="1"><c r="A9" r="C1"/></row>', 9, 3),
        # Lower case and single quotes (AA2: column 27); a reference calamine cannot read (it refuses the sheet)
        # is placed after the cell before it, as an upper bound (column 28).
        (b"<row r='2'><c r='aa2'/><c r=\"$B$7\"/></row>", 2, 28),
        # Rows alone count (an empty row 5 after row 4), as an upper bound.
        (b'<row r="4"/><row/>', 5, 0),
        # Beyond Excel in digits or letters: not worked out digit by digit, just past the last row / column.
        (b'<row r="1"><c r="A1234567890123"/><c r="ABCDEFGH1"/></row>', 1_048_577, 16_385),
        # Within those lengths, exact: ZZZZ is column 475,254; row 123,456,789.
        (b'<row r="1"><c r="ZZZZ123456789"/></row>', 123_456_789, 475_254),
    ],
)
def test_cells_are_placed_as_calamine_places_them(xml: bytes, rows: int, cols: int) -> None:
    placer = _Placer()
    placer.feed(xml)
    assert (placer.max_row, placer.max_col) == (rows, cols)


def test_used_range_reads_the_member_in_chunks_cut_between_tags(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pkp_cli.ingest import used_range as module

    monkeypatch.setattr(module, "_CHUNK", 7)  # every cut falls inside a tag: each piece must end before a "<"
    path = tmp_path / "w.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(SHEET, b'<worksheet><sheetData><row r="2"><c r="C2"/><c/></row><row><c/></row></sheetData>')
    placed = used_range(path, SHEET)
    assert (placed.max_row, placed.max_col, placed.first) == (3, 4, None)  # C2, D2; row 3: A3; no value


@pytest.mark.parametrize(
    ("piece", "odd"),
    [
        (b'<row r="1" spans="1:3"><c r="A1" s="1" t="s"><v>0</v></c></row>', False),  # as Excel writes it
        (b'<cols><col min="1" max="2"/></cols><conditionalFormatting sqref="A1"/>', False),  # other <c...> tags
        (b'<row r="1"><c r="A1" t="s"/></row><rowBreaks count="1"/>', False),
        (b"<c/>", True),
        (b"<row>", True),
        (b'<c r="A1" r="B1">', True),
        (b'<c r="AAAA1">', True),
        (b'<c r="A12345678">', True),
        (b'<row r="12345678">', True),
        (b'<row r="1x">', True),
    ],
)
def test_what_counts_as_irregular(piece: bytes, odd: bool) -> None:
    assert irregular(piece) is odd
    assert _rare_found(piece, IRREGULAR_RE2) is odd  # the big chunks' search says the same
    assert _rare_found(piece, IRREGULAR_WIDER_RE2) or not odd  # the small chunks' first pass lets it through


# Pieces of tags, attributes and the bytes where `re` and RE2 read differently (\x0b, the end of the piece).
_TAG_BITS = [b"<c", b"<row", b"<x:c", b"<c/>", b" ", b"\t", b"\n", b"\x0b", b"\x0c", b"r", b"=", b'"', b"'", b">", b"/",
             b":", b"A", b"AAAA", b"a", b"1", b"12345678", b"$", b"\xff", b's="1"', b' r="A1"', b'<c r="', b'<row r="',
             b"<v>1</v>", b"</c>", b"</row>"]  # fmt: skip


@given(st.lists(st.sampled_from(_TAG_BITS), max_size=14))
def test_the_small_chunks_first_pass_misses_nothing_re_finds(bits: list[bytes]) -> None:
    """RE2's wider pattern matches every piece `re` calls irregular, so the scan's `re` confirmation (run only
    where RE2 matched) says what `re` alone would."""
    piece = b"".join(bits)
    if irregular(piece):
        assert _rare_found(piece, IRREGULAR_WIDER_RE2)


@pytest.mark.parametrize(
    ("xml", "first"),
    [
        # B3 is empty (self-closing), C3 (written with a newline and its type first) holds the first value.
        (b'<row r="3"><c r="B3"/><c t="n"\nr="C3"><v>1</v></c></row>', (3, 2)),
        # An inline string with a prefix, after a cell whose <v> comes only after it ended: column A of row 2.
        (b'<row r="1"><c r="A1"></c></row><row><x:c t="inlineStr"><x:is><x:t>a</x:t></x:is></x:c></row>', (2, 0)),
        (b'<row r="1"><c r="A1"/></row>', None),
    ],
)
def test_the_first_cell_holding_a_value_is_found_among_irregular_cells(xml: bytes, first: object) -> None:
    placer = _Placer()
    placer.feed(xml)
    assert placer.first == first


def test_an_irregular_sheet_starting_below_row_one_gives_the_same_cells_as_a_canonical_one(tmp_path: Path) -> None:
    # The table starts at row 3 (two empty rows above it): the grid's rows are placed from the first cell
    # holding a value. Before, an irregular sheet's first cell was not found (the scan reads canonical cells
    # only) and the rows were numbered from 1: the error below was reported at row 2 instead of row 4.
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    canonical = tmp_path / "a" / "progres.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Progres"
    for j, v in enumerate(["Kode Lokasi", "Program", "Tahapan", "Tanggal Mulai", "Keterangan"], start=1):
        ws.cell(3, j, v)
    for j, v in enumerate(["51.04.01", "PISEW", "L1", "kemarin", "baris 1"], start=1):
        ws.cell(4, j, v)
    wb.save(canonical)
    parts = members(canonical)
    text = parts[SHEET].decode()
    swapped = re.sub(r'<c r="([A-Z]+\d+)"((?: [a-z]+="[^"]*")+)', r"<c\2\tr='\1'", text)
    assert swapped != text and "<c r=" not in swapped
    other = tmp_path / "b" / "progres.xlsx"
    write_members(other, {**parts, SHEET: swapped.encode()})
    a = run_pkp(["validate", str(canonical), "--format", "json"], cwd=tmp_path)
    b = run_pkp(["validate", str(other), "--format", "json"], cwd=tmp_path)
    assert a.stdout.replace(str(canonical), "X") == b.stdout.replace(str(other), "X")
    assert '"row": 4' in a.stdout and '"cell": "D4"' in a.stdout, a.stdout[:2000]


def _percent_and_error_sheet(path: Path, header_row: int) -> Path:
    """A progress sheet whose header is at `header_row` and whose one row holds 50% (stored as 0.5, formatted as a
    percent, column F) and an Excel error (#DIV/0!, column G)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    for j, v in enumerate(["Kode Lokasi", "Program", "Tahapan", "Tanggal Mulai", "Keterangan", "Progres (%)", "X"], 1):
        ws.cell(header_row, j, v)
    for j, v in enumerate(["51.04.01", "PISEW", "L1", "kemarin", "baris 1", 0.5, "#DIV/0!"], 1):
        ws.cell(header_row + 1, j, v)
    ws.cell(header_row + 1, 6).number_format = "0%"
    wb.save(path)
    return path


def test_an_irregular_sheet_gives_the_scan_findings_of_the_canonical_one(tmp_path: Path) -> None:
    # The same sheet canonical and irregular (each cell's type before its reference, a tab, single quotes):
    # the grid starts at the first cell holding a value (row 3), the percent-formatted cell (F4, 50% stored as
    # 0.5) and the error cell (G4, #DIV/0!, which calamine reads as empty) are found in both.
    from pkp_cli.ingest.read import read_file

    canonical = _percent_and_error_sheet(tmp_path / "a.xlsx", header_row=3)
    parts = members(canonical)
    text = parts[SHEET].decode()
    assert 't="e"' in text  # openpyxl writes the error as an error cell
    swapped = re.sub(r'<c r="([A-Z]+\d+)"((?: [a-z]+="[^"]*")+)', r"<c\2\tr='\1'", text)
    assert swapped != text and "<c r=" not in swapped
    irregular_path = write_members(tmp_path / "b.xlsx", {**parts, SHEET: swapped.encode()})
    (a,), (b,) = read_file(canonical), read_file(irregular_path)
    assert a.row_numbers.tolist() == b.row_numbers.tolist() == [3, 4]
    assert (a.origin_col, a.percent_cells, a.problems) == (b.origin_col, b.percent_cells, b.problems)
    assert a.percent_cells == {(4, 5)}
    assert [(r, c, code, params) for r, c, code, params, _ in a.problems] == [
        (4, 6, "cell-error", {"value": "#DIV/0!"})
    ]


@pytest.mark.parametrize(
    ("form", "swap"),
    [
        ("single quotes", lambda m: f"{m.group(1)}='{m.group(2)}'"),
        ("spaces around =", lambda m: f'{m.group(1)} = "{m.group(2)}"'),
    ],
)
def test_a_cell_with_its_reference_first_and_other_attributes_written_otherwise_gives_the_same_findings(
    tmp_path: Path, form: str, swap: Callable[[re.Match[str]], str]
) -> None:
    # The reference stays canonical (`<c r="F4"`), the type and style are written otherwise. calamine reads
    # them alike; the scan reads `t="e"` and `s="1"` only as written canonically, so before, the error cell
    # (G4, t='e') was read as empty with no `cell-error` and the percent cell (F4) as 0.5. Now such a cell
    # makes the sheet irregular, measured exactly.
    from pkp_cli.ingest.read import read_file

    canonical = _percent_and_error_sheet(tmp_path / "a.xlsx", header_row=1)
    parts = members(canonical)
    text = parts[SHEET].decode()
    other_attrs = re.compile(r'(?<=")\s+([ts])="([^"]*)"')
    swapped = re.sub(r'<c r="[A-Z]+\d+"[^>]*>', lambda m: other_attrs.sub(lambda a: " " + swap(a), m.group(0)), text)
    assert "t='e'" in swapped or 't = "e"' in swapped
    other = write_members(tmp_path / "b.xlsx", {**parts, SHEET: swapped.encode()})
    (a,), (b,) = read_file(canonical), read_file(other)
    assert (a.origin_col, a.percent_cells, a.problems) == (b.origin_col, b.percent_cells, b.problems), form
    assert b.percent_cells == {(2, 5)}
    assert [(r, c, code, params) for r, c, code, params, _ in b.problems] == [
        (2, 6, "cell-error", {"value": "#DIV/0!"})
    ]
