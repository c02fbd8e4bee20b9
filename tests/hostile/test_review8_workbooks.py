"""Hostile workbooks found by review8 (round seven's sheet scan, used-range guard and irregular-sheet path).

Each workbook is written by hand (zipfile, raw XML) so the one thing under test is exactly what the sheet holds.
The tests marked xfail(strict=True) fail on the code they were written against: each names the harm and the
place to mend in its reason; once mended, the xfail mark goes (strict: an unexpected pass fails the run)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from pkp_cli.ingest import used_range as used_range_module
from pkp_cli.ingest.read import FileProblem, read_file
from tests.hostile.corpus import run_pkp

SHEET = "xl/worksheets/sheet1.xml"
_MAIN = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = b"http://schemas.openxmlformats.org/package/2006/relationships"
_DOC_RELS = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/xl/workbook.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    b'<Override PartName="/xl/worksheets/sheet1.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    b'<Override PartName="/xl/sharedStrings.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    b'<Override PartName="/xl/styles.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>'
)
# Style 1 is a built-in date format (14, d/m/yyyy).
_STYLES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="' + _MAIN + b'">'
    b'<fonts count="1"><font/></fonts><fills count="1"><fill/></fills><borders count="1"><border/></borders>'
    b'<cellStyleXfs count="1"><xf/></cellStyleXfs>'
    b'<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>'
)


def _workbook(
    path: Path, rows: bytes, strings: tuple[str, ...] = ("first string", "second"), after: bytes = b""
) -> Path:
    """A one-sheet workbook ("Sheet1") whose sheetData is `rows` (`after` it: more of the sheet's parts), with
    shared strings and a date style (s="1")."""
    sst = b"".join(b"<si><t>%s</t></si>" % s.encode() for s in strings)
    parts = {
        "[Content_Types].xml": _TYPES,
        "_rels/.rels": b'<?xml version="1.0" encoding="UTF-8"?>\n<Relationships xmlns="' + _RELS + b'">'
        b'<Relationship Id="rId1" Type="' + _DOC_RELS + b'/officeDocument" Target="xl/workbook.xml"/>'
        b"</Relationships>",
        "xl/workbook.xml": b'<?xml version="1.0" encoding="UTF-8"?>\n<workbook xmlns="'
        + _MAIN
        + b'" xmlns:r="'
        + _DOC_RELS
        + b'"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": b'<?xml version="1.0" encoding="UTF-8"?>\n<Relationships xmlns="' + _RELS + b'">'
        b'<Relationship Id="rId1" Type="' + _DOC_RELS + b'/worksheet" Target="worksheets/sheet1.xml"/>'
        b'<Relationship Id="rId2" Type="' + _DOC_RELS + b'/sharedStrings" Target="sharedStrings.xml"/>'
        b'<Relationship Id="rId3" Type="' + _DOC_RELS + b'/styles" Target="styles.xml"/></Relationships>',
        "xl/styles.xml": _STYLES,
        "xl/sharedStrings.xml": b'<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="' + _MAIN + b'" count="%d" '
        b'uniqueCount="%d">%s</sst>' % (len(strings), len(strings), sst),
        SHEET: b'<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="'
        + _MAIN
        + b'"><sheetData>'
        + rows
        + b"</sheetData>"
        + after
        + b"</worksheet>",
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return path


def _irregular(rows: bytes) -> bytes:
    """The same cells and rows with their references in single quotes (calamine reads them alike; the sheet scan
    then measures the sheet by ingest/used_range.py)."""
    out = re.sub(rb'<(c|row) r="([A-Z]*[0-9]+)"', lambda m: b"<%s r='%s'" % (m.group(1), m.group(2)), rows)
    assert out != rows and b' r="' not in out
    return out


def _read(path: Path) -> Any:
    (sheet,) = read_file(path)
    return sheet


def _cells(sheet: Any) -> list[list[Any]]:
    return [[None if pd.isna(v) else v for v in row] for row in sheet.grid.values.tolist()]


# --- hangs ----------------------------------------------------------------------------------------------------------

NESTED = 40_000  # about 400 kB of sheet XML


@pytest.mark.parametrize("quote", ['"', "'"], ids=["canonical", "irregular"])
def test_deeply_nested_cells_without_a_value_are_read_or_refused_at_once(tmp_path: Path, quote: str) -> None:
    q = quote.encode()
    rows = b"<row r=" + q + b"1" + q + b">" + (b"<c r=" + q + b"A1" + q + b">") * NESTED + b"</c>" * NESTED + b"</row>"
    path = _workbook(tmp_path / "nested.xlsx", rows)
    got = run_pkp(["validate", str(path)], cwd=tmp_path, timeout=25)  # TimeoutExpired: the hang
    assert got.returncode in (0, 65, 66), got.stderr[-400:]
    assert "Traceback" not in got.stderr


class _CountingSearch:
    """A compiled pattern that counts the bytes it is asked to search."""

    def __init__(self, rx: re.Pattern[bytes]) -> None:
        self.rx = rx
        self.searched = 0

    def finditer(self, buf: bytes, pos: int = 0, *args: Any) -> Any:
        self.searched += len(buf) - pos
        return self.rx.finditer(buf, pos, *args)


def test_used_range_searches_each_byte_a_bounded_number_of_times(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    counting = _CountingSearch(used_range_module._CUT)
    monkeypatch.setattr(used_range_module, "_CUT", counting)
    monkeypatch.setattr(used_range_module, "_CHUNK", 1 << 12)  # 256 chunks of the 1 MB below
    xml = b"<worksheet><sheetData><row r='1'><c r='A1'><v>1</v></c>" + b" \n" * (1 << 19) + b"</row></sheetData>"
    path = tmp_path / "w.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(SHEET, xml + b"</worksheet>")
    placed = used_range_module.used_range(path, SHEET)
    assert (placed.max_row, placed.max_col, placed.first) == (1, 1, (1, 0))
    assert counting.searched <= 4 * len(xml), f"{counting.searched:,} bytes searched for {len(xml):,}"


def test_a_long_merge_list_keeps_a_canonical_sheet_on_the_scans_own_measure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pkp_cli.ingest import workbook

    measured: list[Any] = []
    real = workbook.used_range
    monkeypatch.setattr(workbook, "used_range", lambda *a, **k: measured.append(a) or real(*a, **k))
    n = 140_000  # about 4.6 MB of merged ranges: more than one chunk of the scan (zipguard.CHUNK, 4 MB)
    merges = b'<mergeCells count="%d">' % n + b"".join(b'<mergeCell ref="C%d:D%d"/>' % (r, r) for r in range(3, n + 3))
    rows = b'<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
    sheet = _read(_workbook(tmp_path / "merged.xlsx", rows, after=merges + b"</mergeCells>"))
    assert len(sheet.merges) == n  # every merged range found by the scan
    assert not measured, "a canonical sheet measured by the exact (slow) path"


# --- wrong values -----------------------------------------------------------------------------------------------------


def _shared_rows(bad: bytes) -> bytes:
    return (
        b'<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
        b'<row r="2"><c r="A2" t="s"><v>' + bad + b'</v></c><c r="B2" t="s"><v>1</v></c></row>'
    )


@pytest.mark.parametrize("bad", [b"-1", b"abc", b"0.5"])
def test_a_shared_string_cell_holding_no_index_is_refused_in_a_canonical_sheet(tmp_path: Path, bad: bytes) -> None:
    # (What the irregular sheet below must do too: calamine reads such a cell as string 0, silently.)
    with pytest.raises(FileProblem) as err:
        _read(_workbook(tmp_path / "canonical.xlsx", _shared_rows(bad)))
    assert err.value.code == "xlsx-xml-invalid"


@pytest.mark.parametrize("bad", [b"-1", b"abc", b"0.5"])
def test_a_shared_string_cell_holding_no_index_is_refused_in_an_irregular_sheet(tmp_path: Path, bad: bytes) -> None:
    rows = _irregular(_shared_rows(bad)).replace(b't="s"', b"t='s'")
    with pytest.raises(FileProblem) as err:
        sheet = _read(_workbook(tmp_path / "irregular.xlsx", rows))
        print(_cells(sheet))  # what was read instead: [['first string', 'second'], ['first string', 'second']]
    assert err.value.code == "xlsx-xml-invalid"


def _date_rows(value: bytes) -> bytes:
    return (
        b'<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
        b'<row r="2"><c r="A2" s="1"><v>' + value + b'</v></c><c r="B2" s="1"><v>44700</v></c></row>'
    )


@pytest.mark.parametrize("value", [b"-5", b"NaN", b"60", b"3000000"])
def test_an_odd_date_serial_in_an_irregular_sheet_is_reported_as_in_a_canonical_one(
    tmp_path: Path, value: bytes
) -> None:
    canonical = _read(_workbook(tmp_path / "canonical.xlsx", _date_rows(value)))
    irregular = _read(_workbook(tmp_path / "irregular.xlsx", _irregular(_date_rows(value))))
    assert canonical.problems == [(2, 0, "date-invalid", {}, False)]
    assert (_cells(irregular), irregular.problems) == (_cells(canonical), canonical.problems)


@pytest.mark.parametrize("value", [b"1e400", b"6e1", b"1e7", b"1E400"])
def test_a_date_serial_written_with_an_unsigned_exponent_is_suspected_as_a_signed_one(
    tmp_path: Path, value: bytes
) -> None:
    signed = value.replace(b"e", b"e+").replace(b"E", b"E+")
    a = _read(_workbook(tmp_path / "signed.xlsx", _date_rows(signed)))
    assert a.problems == [(2, 0, "date-invalid", {}, False)]  # as the scan stands: the signed form is found
    b = _read(_workbook(tmp_path / "unsigned.xlsx", _date_rows(value)))
    assert b.problems == [(2, 0, "date-invalid", {}, False)]
    assert _cells(b)[1][0] == value.decode()


@pytest.mark.parametrize("filler", [0, 200_000], ids=["small sheet", "in the middle of a 10 MB sheet (RE2 prefilter)"])
@pytest.mark.parametrize(
    "cell", [b'<c r="A2"><v><![CDATA[12]]></v></c>', b'<c r="A2" t="str"><v><![CDATA[x]]></v></c>']
)
def test_a_value_in_cdata_is_refused(tmp_path: Path, cell: bytes, filler: int) -> None:
    # calamine reads a value held in CDATA as an empty cell; no writer makes one: the sheet is refused, with why.
    rows = b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
    filled = [b'<row r="%d"><c r="B%d"><v>%d</v></c></row>' % (i, i, i) for i in range(3, 3 + filler)]
    at = 3 + filler // 2  # the middle of the sheet: a big piece with nothing else rare in it
    filled[filler // 2 : filler // 2] = [b'<row r="%d">' % at + cell.replace(b"A2", b"A%d" % at) + b"</row>"]
    rows += b"".join(filled)
    with pytest.raises(FileProblem) as err:
        _read(_workbook(tmp_path / "cdata.xlsx", rows))
    assert (err.value.code, err.value.params.get("reason")) == ("xlsx-xml-invalid", "CDATA")


# --- the stderr redirection around calamine ---------------------------------------------------------------------------


def test_a_workbook_is_read_when_stderr_cannot_be_put_aside(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Before, calamine's stderr went to a temporary file: where none could be made (TMPDIR and /tmp not writable)
    # every workbook was "pkp: galat internal / internal error: PermissionError" (exit 1) and a descriptor leaked
    # per read. Now it goes to the null device; where even that cannot be opened, stderr is simply left as it is.
    import os
    import tempfile

    from pkp_cli.ingest import workbook

    path = _workbook(tmp_path / "w.xlsx", b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>')
    real_open = os.open

    def refuse(name: Any, *args: Any, **kwargs: Any) -> int:
        if name == os.devnull:
            raise PermissionError(13, "Permission denied", name)
        return real_open(name, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    monkeypatch.setattr(tempfile, "TemporaryFile", lambda *a, **k: refuse(os.devnull))  # no temporary file either
    monkeypatch.setitem(workbook._STDERR, "sink", None)  # as in a fresh process
    before = set(os.listdir("/proc/self/fd"))
    fd2 = os.fstat(2)
    assert _cells(_read(path)) == [["first string"]]
    assert set(os.listdir("/proc/self/fd")) == before
    assert (os.fstat(2).st_ino, workbook._STDERR["readers"], workbook._STDERR["saved"]) == (fd2.st_ino, 0, None)
