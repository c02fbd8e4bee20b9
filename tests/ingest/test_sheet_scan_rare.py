"""The sheet scan's RE2 prefilter (`workbook._rare_found`): one pass over a big chunk that says whether it holds
anything of a merged range, an error cell, a shared-string cell whose value is no index, or a wide or long cell
reference. A chunk where it
finds nothing skips the four `re` searches for them, so it must answer exactly what those searches answer
(never no where one of them finds something), on any bytes, and the scan must find the same with it as without.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pkp_cli.ingest import workbook
from pkp_cli.ingest.read import FileProblem, read_file
from pkp_cli.ingest.workbook import (
    _BAD_STRING_INDEX,
    _ERROR_CELL,
    _SUSPECT_TRIES,
    _WIDE_OR_LONG,
    _rare_found,
    _SheetScan,
)
from tests.hostile.corpus import members, progres_xlsx, with_shared_strings, write_members

SHEET = "xl/worksheets/sheet1.xml"

# pieces of sheet XML: what the searches look for, near misses of each, and bytes of every kind
PIECES = [
    b"<mergeCell ",
    b"<mergeCell",
    b"<mergeCells>",
    b't="e"',
    b't="s"',
    b't="n"',
    b't="str"',
    b"t='e'",
    b'<c r="AB12"',
    b'<c r="A1234567"',
    b'<c r="A123456"',
    b'<c r="Z999999"',
    b'<c r="ab12"',
    b'<c  r="AB1"',
    b'<row r="1234567"',
    b'<row r="123456"',
    b'<row  r="1234567"',
    b'<c r="',
    b'<row r="',
    b"<c ",
    b"<v>1</v></c>",
    b"\xff\xfe",
    b"\xc3\xa9",
    b"\n",
    b"\x00",
    # shared-string cells: good indices and what _BAD_STRING_INDEX refuses, and the pieces between
    b'<c r="A1" t="s"><v>0</v></c>',
    b' t="s">',
    b' t="s" s="3">',
    b't="s"\t>',
    b't="ss">',
    b"<f>A1</f>",
    b'<f t="shared" si="0"/>',
    b"<v>",
    b"</v>",
    b"</v",
    b"</",
    b"<v>12345678901</v>",
    b"<v>1234567890</v>",
    b"<v>-1</v>",
    b"<v>0.5</v>",
    b"<v></v>",
]


def by_re(buf: bytes) -> bool:
    """What the scan's `re` searches find (those the prefilter stands for)."""
    return (
        b"<mergeCell " in buf
        or bool(_ERROR_CELL.search(buf))
        or bool(_BAD_STRING_INDEX.search(buf))
        or any(rx.search(buf) for rx in _WIDE_OR_LONG)
    )


@given(st.lists(st.one_of(st.sampled_from(PIECES), st.binary(max_size=8), st.sampled_from('AZ09"=<> ')), max_size=30))
def test_the_prefilter_answers_what_the_searches_answer(parts: list[bytes | str]) -> None:
    buf = b"".join(p.encode() if isinstance(p, str) else p for p in parts)
    assert _rare_found(buf) == by_re(buf)


def test_each_rare_thing_is_found_and_plain_cells_are_not() -> None:
    # by hand: a 7-digit row, two-letter column, error and shared-string cells, a merge; and their near misses
    for found in (b'<row r="1000000">', b'<c r="AA1">', b'<c r="A1000000">', b't="e"', b"<mergeCell "):
        assert _rare_found(b"<c r=" + found + b"</c>"), found
    for plain in (b'<row r="999999">', b'<c r="Z999999">', b't="n"', b't="inlineStr"', b"<mergeCells>"):
        assert not _rare_found(plain), plain


def test_a_shared_string_cell_is_found_only_with_no_index() -> None:
    # Excel writes every text cell as a shared string: such cells are plain, as long as their value is an index
    # (with every chunk of such a sheet found rare, the `re` searches ran on all of it, 1.1 s of CPU instead of 0.4 s
    # on the bench's progress sheet written so)
    for index in (b"0", b"17", b"1234567890", b""):
        for cell in (b'<c r="A2" t="s"><v>%s</v></c>', b'<c r="A2" s="4" t="s"><f t="shared" si="0"/><v>%s</v></c>'):
            assert not _rare_found(cell % index), cell % index
    for bad in (b"-1", b"abc", b"0.5", b"12345678901", b" 1", b"1 ", b"1<x/>"):
        cell = b'<c r="A2" t="s"><v>%s</v></c>' % bad
        assert _rare_found(cell) and _BAD_STRING_INDEX.search(cell), cell
    for end in (b"", b"12", b"1</", b"1</v"):  # a piece that ends inside the value (a truncated sheet)
        cut = b'<c r="A2" t="s"><v>' + end
        assert _rare_found(cut) and _BAD_STRING_INDEX.search(cut), cut


def filler(rows: int, start: int = 2) -> bytes:
    """Rows of plain cells (text and numbers in columns A and F): nothing the prefilter looks for."""
    row = '<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>11.01.01.{r}</t></is></c><c r="F{r}" t="n"><v>60</v></c></row>'
    return "".join(row.format(r=r) for r in range(start, start + rows)).encode()


def scan_of(buf: bytes) -> _SheetScan:
    scan = _SheetScan(SHEET, {"2"}, {"1"})
    scan.feed(iter([buf]))
    return scan


def found(scan: _SheetScan) -> tuple[object, ...]:
    return (
        scan.first,
        list(scan.merges),
        sorted(scan.pct),
        scan.bad_dates,
        scan.error_cells,
        scan.narrow_seen,
        scan.max_col,
        scan.max_row,
    )


@pytest.mark.parametrize(
    "tail",
    [
        b"",  # plain: narrow, nothing found
        b'<row r="40000"><c r="C40000" t="e"><v>#DIV/0!</v></c></row>',
        b'<row r="40000"><c r="C40000" t="s"><v>0</v></c></row>',
        b'<row r="40000"><c r="AA40000" t="n"><v>1</v></c></row>',
        b'<row r="1048577"><c r="A1048577" t="n"><v>1</v></c></row>',
        b'<row r="40000"><c r="D40000" s="2" t="n"><v>0.5</v></c></row>',
        b'<row r="40000"><c r="D40000" s="1" t="n"><v>-7</v></c></row>',
        b'</sheetData><mergeCells count="1"><mergeCell ref="A2:C2"/></mergeCells><sheetData>',
    ],
)
def test_a_big_chunk_is_scanned_as_without_the_prefilter(tail: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    # about 2 MB, `tail` in the middle: the scan's first chunk (cut at the last cell) is past the prefilter's size
    buf = filler(10_000) + tail + filler(10_000, start=50_000)
    assert len(buf) > workbook.RARE_PREFILTER_MIN_BYTES
    with_prefilter = found(scan_of(buf))
    monkeypatch.setattr(workbook, "RARE_PREFILTER_MIN_BYTES", 1 << 40)
    assert found(scan_of(buf)) == with_prefilter
    wide_or_long = b'r="AA' in tail or b"1048577" in tail
    assert (with_prefilter[6] > 0) == wide_or_long  # the extent measured from the first wide or long chunk on


def big_workbook(path: Path, tail: bytes) -> Path:
    """A progress workbook whose sheet holds 2 MB of plain rows with `tail` in their middle (in the scan's first
    chunk, which the prefilter searches)."""
    path = progres_xlsx(path, [dt.datetime(2022, 4, 2)])
    parts = members(path)
    parts[SHEET] = parts[SHEET].replace(
        b"</sheetData>", filler(10_000, start=100) + tail + filler(10_000, start=60_000) + b"</sheetData>"
    )
    return write_members(path, parts)


def test_a_used_range_inside_a_big_sheet_is_still_refused(tmp_path: Path) -> None:
    # the corner cell lies among 2 MB of plain rows: only the prefilter's pass over the big chunk can find it
    path = big_workbook(tmp_path / "far.xlsx", b'<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row>')
    with pytest.raises(FileProblem) as err:
        read_file(path)
    assert err.value.code == "xlsx-range-too-large"
    path = big_workbook(tmp_path / "beyond.xlsx", b'<row r="50000"><c r="XFE50000" t="n"><v>1</v></c></row>')
    with pytest.raises(FileProblem) as err:
        read_file(path)
    assert (err.value.code, err.value.params["columns"]) == ("xlsx-beyond-excel", 16_385)


def test_a_bad_shared_string_index_inside_a_big_sheet_is_refused(tmp_path: Path) -> None:
    # among 2 MB of rows whose text cells are shared strings (plain to the prefilter), one index that is none
    row = '<row r="{r}"><c r="A{r}" t="s"><v>0</v></c><c r="F{r}" t="n"><v>60</v></c></row>'
    before = "".join(row.format(r=r) for r in range(100, 30_000)).encode()
    after = "".join(row.format(r=r) for r in range(30_001, 60_000)).encode()
    path = progres_xlsx(tmp_path / "sst.xlsx", [dt.datetime(2022, 4, 2)])
    for index in (b"1", b"-1"):
        parts = members(path)
        with_shared_strings(parts, ["51.04.01", "lain"])
        cell = b'<row r="30000"><c r="G30000" t="s"><v>' + index + b"</v></c></row>"
        parts[SHEET] = parts[SHEET].replace(b"</sheetData>", before + cell + after + b"</sheetData>")
        sheet_path = write_members(tmp_path / f"sst{index.decode()}.xlsx", parts)
        assert len(parts[SHEET]) > 2 * workbook.RARE_PREFILTER_MIN_BYTES
        if index == b"1":
            read_file(sheet_path)  # a good index: read
            continue
        with pytest.raises(FileProblem) as err:
            read_file(sheet_path)
        assert err.value.code == "xlsx-xml-invalid" and err.value.params["reason"] == "G30000: shared-string index '-1'"


def test_an_error_cell_inside_a_big_sheet_is_a_cell_error(tmp_path: Path) -> None:
    path = big_workbook(tmp_path / "err.xlsx", b'<row r="30000"><c r="C30000" t="e"><v>#REF!</v></c></row>')
    (sheet,) = read_file(path)
    assert (30000, 2, "cell-error", {"value": "#REF!"}, False) in sheet.problems


# ------------------------------------------------------------------ date cells: `_plain` answers `_suspect_date`

DATE_STYLE = "3"
VALUES = ["44733", "60", "60.25", "61", "-1", "12345678", "3000000", "1E+20", "1e+3", "2E5", "&amp;", "", "6"]
# Values no `_SUSPECT` pattern finds that `_odd_dates` marks (an exponent without a sign, serial 60 after zeros,
# text after a digit, two points, a point alone), and near misses that are dates.
UNSUSPECTED = ["3e6", "1e400", "0060", "060.5", "5x", "1..2", ".", "44733.", ".5", "999999.9", " 7", "7 "]


def date_scan() -> _SheetScan:
    return _SheetScan(SHEET, set(), {DATE_STYLE, "12"})


def sheet(cells: list[tuple[str | None, str, str, bool]]) -> bytes:
    out = []
    for i, (style, value, kind, formula) in enumerate(cells):
        s = f' s="{style}"' if style is not None else ""
        f = "<f>A1+1</f>" if formula else ""
        out.append(f'<row r="{i + 1}"><c r="D{i + 1}"{s} t="{kind}">{f}<v>{value}</v></c></row>')
    return "".join(out).encode()


@given(
    st.lists(
        st.tuples(
            st.sampled_from([DATE_STYLE, "12", "0", "1", None]),
            st.sampled_from(VALUES + UNSUSPECTED),
            st.sampled_from(["n", "s", "e"]),
            st.booleans(),
        ),
        max_size=12,
    )
)
def test_a_plain_chunk_is_one_where_no_search_finds_anything(cells: list[tuple[str | None, str, str, bool]]) -> None:
    # Plain: nothing the searches find, and no cell `_odd_dates` marks, whether `_suspect_date` (past its tries)
    # would have looked at every cell or not.
    buf = sheet(cells)
    if date_scan()._plain(buf):
        assert not date_scan()._suspect_date(buf) and not by_re(buf)
        full = date_scan()
        full._odd_dates(buf)
        assert not full.bad_dates


@given(
    st.lists(
        st.tuples(st.sampled_from([DATE_STYLE, "12", "0", None]), st.sampled_from(VALUES + UNSUSPECTED)), max_size=8
    ),
    st.sampled_from([" ", "\t", '" x="1"', "-", "\xe9"]),
)
def test_every_cell_odd_dates_marks_makes_a_chunk_not_plain(cells: list[tuple[str | None, str]], before: str) -> None:
    # Any spelling `_odd_dates` reads a style from (after any byte that is no word byte), any value it marks.
    out = []
    for i, (style, value) in enumerate(cells):
        s = f'{before}s="{style}"' if style is not None else ""
        out.append(f'<row r="{i + 1}"><c r="D{i + 1}"{s}><v>{value}</v></c></row>')
    buf = "".join(out).encode("latin-1")
    full = date_scan()
    full._odd_dates(buf)
    if full.bad_dates:
        assert not date_scan()._plain(buf)


def test_past_the_tries_a_chunk_is_plain_when_no_date_cell_is_odd() -> None:
    # Past _SUSPECT_TRIES candidates of one pattern `_suspect_date` looks at every cell (here 60s in plain cells,
    # then a good date): `_odd_dates` then marks nothing, so the prefilter needs no count of the candidates (it
    # counted them before, at 0.07 s of CPU on the bench's progress sheet) and says plain. With an odd date cell
    # among them (3e6: no candidate, found only by looking at every cell) it says not plain.
    plain = [(None, "60", "n", False)] * (_SUSPECT_TRIES + 1)
    late = [(DATE_STYLE, "44733", "n", False)]
    assert date_scan()._suspect_date(sheet(plain + late)) and date_scan()._plain(sheet(plain + late))
    exponents = [(None, "1E+5", "n", False)] * (_SUSPECT_TRIES + 1)
    assert date_scan()._suspect_date(sheet(exponents + late)) and date_scan()._plain(sheet(exponents + late))
    odd = [*plain, (DATE_STYLE, "3e6", "n", False)]
    full = date_scan()
    full._odd_dates(sheet(odd))
    assert full.bad_dates == {f"D{len(odd)}".encode(): (len(odd), 3, "3e6")}
    assert not date_scan()._plain(sheet(odd))


def test_a_suspicious_value_in_a_date_cell_is_not_plain() -> None:
    for value in ("60", "-1", "12345678", "1E+20", "&amp;"):
        assert not date_scan()._plain(sheet([(DATE_STYLE, value, "n", True)])), value
        assert date_scan()._plain(sheet([("0", value, "n", True)])), value


def test_a_date_serial_past_the_last_date_is_suspicious_by_its_text() -> None:
    # 9999-12-31 is serial 2,958,465: 3,000,000 (7 digits) is no date, and alone in a chunk it must be found.
    late = sheet([(DATE_STYLE, "3000000", "n", False)])
    assert not date_scan()._plain(late) and date_scan()._suspect_date(late)
    full = date_scan()
    full._odd_dates(late)
    assert full.bad_dates == {b"D1": (1, 3, "3000000")}
    assert date_scan()._plain(sheet([(DATE_STYLE, "999999", "n", False)]))  # 6 digits: not suspicious


def old_feed(scan: _SheetScan, chunks: list[bytes]) -> None:
    """The scan's pieces as they were first made: the tail before and the chunk concatenated, each piece copied."""
    tail = b""
    for chunk in chunks:
        buf = tail + chunk
        cut = buf.rfind(b"<c ")
        if cut <= 0:
            cut = max(len(buf) - 4096, 0)
            scan.irregular = scan.irregular or cut > 0
        scan._chunk(buf[:cut], cut)
        tail = buf[cut:]
    scan._chunk(tail, len(tail))


ROWS = [
    filler(3),
    b'<row r="7"><c r="C7" t="e"><v>#DIV/0!</v></c></row>',
    b'<row r="8"><c r="AA8" t="n"><v>1</v></c></row>',
    b'<row r="9"><c r="D9" s="2" t="n"><v>0.5</v></c></row>',
    b'<row r="10"><c r="D10" s="1" t="n"><v>-7</v></c></row>',
    b'<row r="11"><c r="D11" s="1" t="n"><v>44000</v></c></row>',
    b'<row r="12"><c t="n" r="E12"><v>1</v></c></row>',
    b'<mergeCell ref="A2:C2"/>',
]


@given(
    st.lists(st.sampled_from(ROWS), min_size=1, max_size=40),
    st.lists(st.integers(min_value=1, max_value=700), min_size=1, max_size=60),
    st.sampled_from([1, 64, 1 << 40]),
)
def test_the_pieces_are_those_of_concatenated_chunks(rows: list[bytes], sizes: list[int], min_bytes: int) -> None:
    """The scan makes its pieces in one reused buffer (a piece the prefilter finds plain is searched where it lies,
    not copied): chunks of any sizes, growing and shrinking, give the pieces, and so the findings, of the chunks
    concatenated, with the prefilter on pieces of any size, on none, or on all."""
    xml = b"".join(rows)
    chunks, at = [], 0
    for size in sizes * (len(xml) // max(sum(sizes), 1) + 1):
        if at >= len(xml):
            break
        chunks.append(xml[at : at + size])
        at += size
    saved = workbook.RARE_PREFILTER_MIN_BYTES
    workbook.RARE_PREFILTER_MIN_BYTES = min_bytes
    try:
        reused, concatenated = _SheetScan(SHEET, {"2"}, {"1"}), _SheetScan(SHEET, {"2"}, {"1"})
        reused.feed(iter(chunks))
        old_feed(concatenated, chunks)
    finally:
        workbook.RARE_PREFILTER_MIN_BYTES = saved
    assert (*found(reused), reused.irregular) == (*found(concatenated), concatenated.irregular)
