"""Read an xlsx into raw text grids: zip members verified first (pkp_cli.ingest.zipguard), the workbook parts
parsed with defusedxml, each sheet's XML scanned once, then calamine (fastexcel) reads what was checked.

The sheet scan finds what calamine does not expose (the first valued cell, merged ranges, percent-formatted
cells) and what would hurt it: a date cell whose serial is not a date (calamine reads 1e15 as empty and
panics on NaN; each becomes a `date-invalid` error at its cell, the raw number kept as the value) and a used
range so sparse and wide (A1 and XFD1048576) that calamine would ask for hundreds of GB and abort.
Any other failure inside calamine, a Rust panic included, is "file unreadable" with its first line.

Most of what the scan looks for is rare. A big chunk of sheet XML is first searched for all of it at once by
pyarrow's RE2 (`_SheetScan._plain`: no GIL held, so the scan of one workbook goes on beside the other reading
thread and the main thread); only a chunk where that finds something is searched by the `re` patterns below.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import sys
import threading
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

from pkp_cli.ingest.read import DEFAULT_MAX_UNCOMPRESSED_MB, FileProblem, RawSheet, arrow_text_grid, col_index
from pkp_cli.ingest.serials import no_date
from pkp_cli.ingest.used_range import IRREGULAR_RE2, IRREGULAR_WIDER_RE2, irregular, unstyled, used_range
from pkp_cli.ingest.zipguard import VerifiedZip

_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
# calamine keeps a sheet's used range as one block of 32-byte cells: refuse a range beyond this many cells
# (1,048,576 rows x 48 columns) before it is asked for; a real sheet of that size is over 500 MB of XML.
MAX_RANGE_CELLS = 50_000_000
_BUILTIN_DATE_FORMATS = {*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)}

# (The search stops at the next cell's start too: from each cell to its end only, not to the end of the chunk when
# cells are nested without a value, which was quadratic: 40,000 of them took minutes.)
_CELL_VALUE = re.compile(rb'<c r="([A-Z]+)(\d+)"[^>]*?(?<!/)>(?:(?!</?c[\s/>]).)*?<(?:v|is)>', re.S)
_MERGE = re.compile(rb'<mergeCell ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')
# A value that could be no date: anything but digits and points in it (a sign, a space, NaN/inf, an exponent with
# or without its sign: 1e400 read as empty, text such as "&amp;" in a number cell), 7+ integer digits (the last date,
# 9999-12-31, is serial 2,958,465: 3,000,000 is none), two points, a point alone, serial 60 after any zeros; each
# matters only in a date-styled cell.
_ODD_VALUE = (re.compile(rb"<v>(?:[0-9.]*[^0-9.<]|\d{7}|[0-9]*\.[0-9]*\.|\.<)"),)
_SUSPECT = (*_ODD_VALUE, re.compile(rb"<v>0*60[.<]"))
_SUSPECT_TRIES = 4096  # each try costs about a microsecond: 4096 is about one full search of a scan chunk
# Literal searches by `re`, not `in`: on sheet XML, where `"` and `=` are everywhere, bytes.find's skip table
# barely skips and `re` is 1.5-2.5 times faster (perf-xlsx's measurement; a single byte, as `+`, is memchr).
# A cell holding an Excel error (#DIV/0!, #REF!, #N/A...), usually a formula's cached value.
_ERROR_CELL = re.compile(rb't="e"')
_SHARED_CELL = re.compile(rb't="s"')
_ERROR_OR_SHARED = re.compile(rb't="[es]"')  # one search for both: most sheets have neither, or only one
# A shared-string cell whose value is no index (-1, abc, 0.5): calamine reads it as string 0, silently, so a
# remark or a code would come from another cell. (An index past the end is calamine's own error.)
_BAD_STRING_INDEX = re.compile(
    rb't="s"(?:\s[^>]*)?>(?:<f[^>]*/>|<f[^>]*>[^<]*</f>)?<v>(?!\d{1,10}</v>|</v>)([^<]{0,40})'
)
_CELL_START = re.compile(rb'<c r="([A-Z]{1,3}\d{1,9})"')
# A canonical cell up to its value's text (whitespace allowed between the tags, and a value of any length: calamine
# reads a date cell of 309 digits as empty, so it must be found here).
_CELL_TAG = re.compile(rb'<c r="([A-Z]{1,3})(\d{1,9})"([^>]*)>\s*(?:<f[^>]*/>|<f[^>]*>[^<]*</f>)?\s*<v>([^<]*)</v>')
_ATTR = re.compile(rb'(\w+)="([^"]*)"')
# The used range: a sheet of at most 26 columns and fewer than 1,000,000 rows is at most 26 M cells; any other
# (wider, or longer) is measured exactly from its cell references.
_NARROW_BOUND = (26, 999_999)
# Two searches, each with a literal prefix (one alternation of both scans byte by byte, six times slower).
_WIDE_OR_LONG = (re.compile(rb'<c r="(?:[A-Z]{2}|[A-Z]\d{7})'), re.compile(rb'<row r="\d{7}'))
_REF = re.compile(rb'<(?:c|row) r="([A-Z]{0,7})(\d{1,12})"')
# What the scan looks for in every chunk and rarely finds (a merged range, an error cell, a shared-string cell
# whose value is no index, a wide or long reference: `b"<mergeCell " in`, _ERROR_CELL, _BAD_STRING_INDEX,
# _WIDE_OR_LONG), as one RE2 pattern run by pyarrow over a big chunk: one pass where `re` makes four, each stopping
# at every cell, and without the GIL (pyarrow's kernels release it, `re` never does). A chunk where it finds nothing
# needs none of those searches; where it finds something, they run as before. RE2 reads a binary array byte by
# byte (Latin-1), as `re` reads bytes.
# A shared-string cell itself is not rare: Excel writes every text cell so (`t="s"`), and with `t="s"` in the
# prefilter every chunk of such a sheet went the `re` way (the bench's progress sheet written with shared strings:
# 1.1 s of CPU holding the GIL instead of 0.4 s). What the prefilter finds is `_BAD_STRING_INDEX` itself, its
# lookahead spelt out for RE2: after `<v>`, anything but up to 10 digits and `</v>` (a byte that is neither digit nor
# `<`, 11 digits, a `<` not opening `</v>`, or the end of the piece). (`\s` is `re`'s for bytes: ASCII white space.)
_BAD_STRING_INDEX_RE2 = (
    r't="s"(?:[ \t\n\r\f\v][^>]*)?>(?:<f[^>]*/>|<f[^>]*>[^<]*</f>)?<v>'
    r"(?:\d{0,10}(?:[^0-9<]|<(?:[^/]|/[^v]|/v[^>])|(?:<|</|</v)?$)|\d{11})"
)
_RARE_RE2 = r'<mergeCell |t="e"|<c r="(?:[A-Z]{2}|[A-Z]\d{7})|<row r="\d{7}|<!\[CDATA\[|' + _BAD_STRING_INDEX_RE2
# A CDATA section is valid XML that no spreadsheet writer puts in a sheet, and calamine reads a value held in one
# as an empty cell (a date or a percent then "not filled in", silently): such a sheet is refused. (A "!" first, by
# memchr: the literal search itself costs about 0.1 s on a 115 MB sheet.)
_CDATA = b"<![CDATA["
# With date styles, the prefilter also stands for `_suspect_date` and what it leads to: `_odd_dates`, which marks a
# date-styled number cell whose value is no date serial. The pattern below finds every such cell `_odd_dates` could
# mark (a superset): the style as `_ATTR` reads it (after any byte that is not a word byte), then, as `_CELL_TAG`,
# white space, the formula and the value, a value holding anything but digits and points (a sign, a space, an
# exponent, text), two points, a point alone, 7+ integer digits or serial 60 after any zeros; any other value (at
# most 6 integer digits and one point) is a date. A chunk where it finds nothing would then have nothing marked whatever
# `_suspect_date` says, past its _SUSPECT_TRIES or not, so no count of its candidates is needed (two RE2 counts over
# every big chunk were 0.07 s of CPU on the bench's progress sheet). It finds the end of `date_cell_re` with each of
# `_SUSPECT`'s values too, so a chunk with a candidate in a date cell is searched by `re`, as before.
_DATE_SUSPECT_RE2 = (
    r'\Ws="(?:{styles})"[^>]*>\s*(?:<f[^>]*/>|<f[^>]*>[^<]*</f>)?\s*<v>'
    r"(?:[^<]*[^0-9.<]|\d{{7}}|0*60[.<]|[^<]*\.[^<]*\.|\.<)"
)
# Below this size a chunk is searched by `re` alone (the kernel's call and the pattern's compilation cost more).
RARE_PREFILTER_MIN_BYTES = 1 << 20
# Below this size a piece's irregular-tag test is `re`'s exact one alone: RE2's pass is a superset that the exact
# test confirms, and for a piece of a few hundred bytes (the tail of every small sheet, from its last cell tag on)
# the kernel's call and the pattern's compilation cost about 0.2-0.4 ms against a few microseconds for `re`.
IRREGULAR_RE2_MIN_BYTES = 4096
# Excel's last cell is XFD1048576: a reference beyond it is no Excel file (and 475,254 columns took minutes).
EXCEL_COLUMNS, EXCEL_ROWS = 16_384, 1_048_576


def _part(vz: VerifiedZip, name: str, required: bool = True) -> bytes | None:
    """A small workbook part's bytes (verified), or None when it is absent and may be; missing is 66."""
    if name not in vz.by_name:
        if required:
            raise FileProblem("xlsx-part-missing", member=name)
        return None
    return vz.read(name)


def _xml(name: str, data: bytes) -> Any:
    """A workbook part parsed with defusedxml (no DTD, no entities); malformed is 66 with a reason."""
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException, ElementTree

    try:
        return ElementTree.fromstring(data)
    except DefusedXmlException:
        raise FileProblem("xml-dtd", member=name) from None
    except (ParseError, ValueError) as exc:
        raise FileProblem("xlsx-xml-invalid", member=name, reason=str(exc).splitlines()[0][:120]) from None


# What the small parts say, by their bytes: the workbooks of a folder come from one template, so their workbook,
# relationship and style parts repeat byte for byte, and parsing them (defusedxml) cost about 3 ms a workbook.
# Only answers are kept (a part that fails raises every time), and only read (parsed trees are never changed);
# bounded, it holds a few kB per distinct part.
_PARTS_SEEN: dict[tuple[bytes | None, ...], Any] = {}
_PARTS_SEEN_LIMIT = 256


def _remembered(key: tuple[bytes | None, ...], compute: Any) -> Any:
    hit = _PARTS_SEEN.get(key)
    if hit is None:
        hit = compute()
        if len(_PARTS_SEEN) >= _PARTS_SEEN_LIMIT:
            _PARTS_SEEN.clear()
        _PARTS_SEEN[key] = hit
    return hit


def _sheet_paths(vz: VerifiedZip) -> dict[str, str]:
    wb_data = _part(vz, "xl/workbook.xml") or b""
    wb = _remembered((b"xml", wb_data), lambda: _xml("xl/workbook.xml", wb_data))
    rels_data = _part(vz, "xl/_rels/workbook.xml.rels") or b""
    rels = _remembered((b"xml", rels_data), lambda: _xml("xl/_rels/workbook.xml.rels", rels_data))
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    out: dict[str, str] = {}
    for sheet in wb.iter(f"{_NS_MAIN}sheet"):
        target = (targets.get(sheet.get(f"{_NS_REL}id"), "") or "").lstrip("/")
        out[sheet.get("name", "")] = target if target.startswith("xl/") else f"xl/{target}"
    return out


def _is_date_format(code: str) -> bool:
    """A custom number format that shows a date or time (calamine reads such cells as dates)."""
    plain = re.sub(r'"[^"]*"|\\.|_.|\[[^\]]*\]', "", code.split(";")[0])
    return bool(re.search(r"[dmyhsDMYHS]", plain))


def _styles(vz: VerifiedZip) -> tuple[set[str], set[str]]:
    """(style indices formatted as a percentage, style indices formatted as a date)."""
    data = _part(vz, "xl/styles.xml", required=False)
    if data is None:
        return set(), set()
    pct, dates = _remembered((b"styles", data), lambda: _styles_of(data))
    return set(pct), set(dates)


def _styles_of(data: bytes) -> tuple[set[str], set[str]]:
    root = _xml("xl/styles.xml", data)
    pct_fmts = {"9", "10"}
    date_fmts = {str(i) for i in _BUILTIN_DATE_FORMATS}
    for fmt in root.iter(f"{_NS_MAIN}numFmt"):
        code = fmt.get("formatCode", "")
        if "%" in re.sub(r'"[^"]*"|\\.', "", code):
            pct_fmts.add(fmt.get("numFmtId", ""))
        elif _is_date_format(code):
            date_fmts.add(fmt.get("numFmtId", ""))
    xfs = root.find(f"{_NS_MAIN}cellXfs")
    if xfs is None:
        return set(), set()
    ids = [xf.get("numFmtId") for xf in xfs]
    return {str(i) for i, f in enumerate(ids) if f in pct_fmts}, {str(i) for i, f in enumerate(ids) if f in date_fmts}


def _rare_found(buf: bytes | bytearray, pattern: str = _RARE_RE2, end: int | None = None) -> bool:
    """Whether the RE2 `pattern` matches anywhere in `buf[:end]` (pyarrow, on the bytes where they lie)."""
    import pyarrow.compute as pc

    return bool(pc.match_substring_regex(_binary(buf, end), pattern)[0].as_py())


def _binary(buf: bytes | bytearray, end: int | None = None) -> Any:
    """`buf[:end]` as a one-value Arrow binary array over the bytes where they lie (no copy)."""
    import pyarrow as pa

    offsets = pa.py_buffer(np.array([0, len(buf) if end is None else end], dtype=np.int64))
    return pa.Array.from_buffers(pa.large_binary(), 1, [None, offsets, pa.py_buffer(buf)])


class _SheetScan:
    """What one streamed pass over a sheet's XML finds (see the module's docstring)."""

    def __init__(self, member: str, pct_styles: set[str], date_styles: set[str]):
        self.member = member
        self.first: tuple[int, int] | None = None
        self.merges: dict[tuple[int, int, int, int], None] = {}  # ordered, no duplicates
        self.pct: set[tuple[int, int]] = set()
        self.bad_dates: dict[bytes, tuple[int, int, str]] = {}  # ref -> (row, col, raw value)
        self.error_cells: dict[bytes, tuple[int, int, str]] = {}  # ref -> (row, col, the error's text)
        self.date_styles = date_styles
        # The start of a date-styled cell up to its value: a suspicious value (below) matters only after one.
        self.date_cell_re = (
            re.compile(
                rb'<c r="[A-Z]+\d+"[^>]*? s="(?:' + "|".join(sorted(date_styles)).encode() + rb')"[^>]*>'
                rb"\s*(?:<f[^>]*/>|<f[^>]*>[^<]*</f>)?\s*<v>"
            )
            if date_styles
            else None
        )
        self.pct_re = (
            re.compile(rb'<c r="([A-Z]+)(\d+)"[^>]*? s="(?:' + "|".join(pct_styles).encode() + rb')"')
            if pct_styles
            else None
        )
        # (A chunk where the prefilter finds nothing holds no irregular tag either: see `_chunk`.)
        self.rare_re2 = _RARE_RE2 + "|" + IRREGULAR_RE2
        if date_styles:
            styles = "|".join(sorted(date_styles))
            self.rare_re2 += "|" + _DATE_SUSPECT_RE2.format(styles=styles)
        self.narrow_seen = False  # a chunk was within _NARROW_BOUND (its exact extent not measured)
        self.max_col = 0  # exact extent of the chunks measured
        self.max_row = 0
        # A cell or row tag the measure above does not read (ingest/used_range.py): the sheet's range is then
        # measured exactly once the scan is done.
        self.irregular = False
        self.after_cells = False  # `</sheetData>` was seen: no cell follows

    def feed(self, chunks: Iterator[bytes]) -> None:
        # Each piece is the tail of the chunk before (from its last cell tag on) and this chunk up to its own last
        # cell tag, made in one reused buffer: a piece the prefilter finds plain (nearly all of a big sheet) is
        # searched where it lies, and only a piece with something rare in it is copied out for the `re` searches.
        # (Two fresh copies of every chunk, `tail + chunk` and the piece, cost about 0.075 s of CPU, all holding the
        # GIL, on the bench's 115 MB sheet: fresh pages, faulted in each time.)
        store = bytearray()
        kept = 0  # the tail at the front of `store`
        for chunk in chunks:
            end = kept + len(chunk)
            if len(store) < end:
                grown = bytearray(end + (end >> 3))
                grown[:kept] = store[:kept]
                store = grown
            store[kept:end] = chunk
            # Only complete tags are matched: the tail kept for the next chunk starts at the last cell tag.
            cut = store.rfind(b"<c ", 0, end)
            if cut <= 0 and (self.after_cells or store.find(b"</sheetData>", 0, end) >= 0):
                # Past the cells (a list of merged ranges longer than a chunk): cut before the last merged range,
                # which splits nothing a search reads. (Cut anywhere, one range was lost and the sheet measured
                # again, exactly: 15 s instead of 1.6 for 150,000 ranges.)
                self.after_cells = True
                cut = store.rfind(b"<mergeCell ", 0, end)
            if cut <= 0:  # no cell starts after the first byte (one huge cell, or none): keep a short overlap
                cut = max(end - 4096, 0)
                # A piece cut anywhere may end inside a tag, which then no search sees whole: measured exactly.
                self.irregular = self.irregular or cut > 0
            self._chunk(store, cut)
            store[: end - cut] = store[cut:end]
            kept = end - cut
        self._chunk(store, kept)

    def _chunk(self, store: bytes | bytearray, end: int) -> None:
        """Search the piece `store[:end]` (`store` may be longer)."""
        if end <= 0:
            return
        if self.first is None:
            m = _CELL_VALUE.search(store, 0, end)
            if m:
                self.first = (int(m.group(2)), col_index(bytes(m.group(1)).decode()))
        if self.pct_re is not None:
            for m in self.pct_re.finditer(store, 0, end):
                self.pct.add((int(m.group(2)), col_index(bytes(m.group(1)).decode())))
        big = end >= RARE_PREFILTER_MIN_BYTES
        if big and not self.max_col and self._plain(store, end):
            self.narrow_seen = True  # no wide or long reference in it (what _extent would find)
            return
        buf = bytes(memoryview(store)[:end]) if isinstance(store, bytearray) else store[:end]
        if b"!" in buf and _CDATA in buf:
            raise FileProblem("xlsx-xml-invalid", member=self.member, reason="CDATA")
        if not self.irregular:
            # A small chunk: RE2's one pass over a superset first, `re`'s two searches only where it matches.
            if big:
                self.irregular = _rare_found(buf, IRREGULAR_RE2)
            elif end < IRREGULAR_RE2_MIN_BYTES:
                self.irregular = irregular(buf)
            else:
                self.irregular = _rare_found(buf, IRREGULAR_WIDER_RE2) and irregular(buf)
        if b"<mergeCell " in buf:
            for m in _MERGE.finditer(buf):
                ref = (int(m.group(2)), col_index(m.group(1).decode()), int(m.group(4)), col_index(m.group(3).decode()))
                self.merges[ref] = None
        if self.date_cell_re is not None and self._suspect_date(buf):
            self._odd_dates(buf)
        kind = _ERROR_OR_SHARED.search(buf)
        if kind is not None and _ERROR_CELL.search(buf, kind.start()):
            self._errors(buf)
        if kind is not None and _SHARED_CELL.search(buf, kind.start()):
            bad = _BAD_STRING_INDEX.search(buf)
            if bad:
                start = buf.rfind(b"<c ", 0, bad.start())
                cell = _CELL_START.match(buf, start) if start >= 0 else None
                where = cell.group(1).decode() if cell else "?"
                value = bad.group(1).decode("ascii", "replace")
                raise FileProblem(
                    "xlsx-xml-invalid", member=self.member, reason=f"{where}: shared-string index {value!r}"
                )
        self._extent(buf)

    def _plain(self, store: bytes | bytearray, end: int | None = None) -> bool:
        """Whether the piece `store[:end]` holds none of the rare things (`_RARE_RE2`) and no date cell `_odd_dates`
        could mark (`_DATE_SUSPECT_RE2`): then none of the searches for them need run. One pass of pyarrow's RE2,
        which releases the GIL."""
        return not _rare_found(store, self.rare_re2, end)

    def _suspect_date(self, buf: bytes) -> bool:
        """Whether a date-styled cell may hold a value that is no date, so every cell must be looked at. Each
        suspicious value (a sign, 7+ digits, an exponent, serial 60: a plain 60 or a long number is common outside
        date cells) is found at memory speed and only its own cell is tried against the date-cell pattern (that
        pattern tried at every cell cost a third of a second on a 100 MB sheet). Past _SUSPECT_TRIES candidates the
        chunk is simply scanned whole, as it would have been."""
        assert self.date_cell_re is not None
        for rx in _SUSPECT:
            for i, m in enumerate(rx.finditer(buf)):
                if i == _SUSPECT_TRIES:
                    return True
                start = buf.rfind(b"<c ", 0, m.start())
                cell = self.date_cell_re.match(buf, start) if start >= 0 else None
                # the suspicious text lies in this cell's value: after its <v>, before any other tag
                if cell is not None and cell.end() <= m.start() + 3 and buf.find(b"<", cell.end(), m.start()) < 0:
                    return True
        return False

    def _errors(self, buf: bytes) -> None:
        """Cells holding an Excel error: calamine reads them as empty, which would pass as "not filled in"
        (a date as not started); each becomes a `cell-error` at its cell with the error's text as the value."""
        for m in _CELL_TAG.finditer(buf):
            if dict(_ATTR.findall(m.group(3))).get(b"t") != b"e":
                continue
            raw = m.group(4).decode("ascii", "replace").strip() or "#?"
            row, col = int(m.group(2)), col_index(m.group(1).decode())
            self.error_cells[m.group(1) + m.group(2)] = (row, col, raw)

    def _odd_dates(self, buf: bytes) -> None:
        """Date-formatted number cells whose serial is no date (rare: only then is every cell looked at)."""
        for m in _CELL_TAG.finditer(buf):
            attrs = dict(_ATTR.findall(m.group(3)))
            if attrs.get(b"s", b"").decode() not in self.date_styles or attrs.get(b"t", b"n") != b"n":
                continue
            raw = m.group(4).decode("ascii", "replace").strip()
            if not no_date(raw):
                continue
            row, col = int(m.group(2)), col_index(m.group(1).decode())
            self.bad_dates[m.group(1) + m.group(2)] = (row, col, raw)

    def _extent(self, buf: bytes) -> None:
        if not self.max_col and not any(rx.search(buf) for rx in _WIDE_OR_LONG):
            self.narrow_seen = True
            return
        refs = _REF.findall(buf)  # from the first wide or long chunk on: every reference, measured
        if not refs:
            return
        letters = {c for c, _ in refs if c}
        if letters:
            self.max_col = max(self.max_col, max(col_index(c.decode()) for c in letters) + 1)
        self.max_col = max(self.max_col, 1)
        rows = [r for _, r in refs]
        longest = max(map(len, rows))
        self.max_row = max(self.max_row, int(max(r for r in rows if len(r) == longest)))

    def range_cells(self) -> int:
        """An upper bound on the cells of the used range calamine will allocate (rows x columns)."""
        if not self.max_col:
            return _NARROW_BOUND[0] * _NARROW_BOUND[1]
        cols, rows = self.max_col, self.max_row
        if self.narrow_seen:  # chunks not measured: as wide and as long as they could be
            cols, rows = max(cols, _NARROW_BOUND[0]), max(rows, _NARROW_BOUND[1])
        return cols * rows


# File descriptor 2 is one per process, and the loader reads two workbooks at a time: the first reader in
# points it at the null device, the last one out points it back (each saving and restoring it on its own, two
# readers could leave it pointed elsewhere and every later message would be lost). What a panic writes there is
# never read, so it goes nowhere: the null device is opened once for the process (a temporary file per calamine
# call cost about 70 microseconds each, and where no temporary file could be made every workbook was an internal
# error). Meanwhile Python's own stderr writes to a copy of the real descriptor, so that a message or warning from
# another thread (the parse ahead runs on the main thread during the last read) still reaches the user.
_STDERR_LOCK = threading.Lock()
_STDERR: dict[str, Any] = {"readers": 0, "saved": None, "sink": None, "python": None}


def _stderr_aside() -> None:
    with _STDERR_LOCK:
        _STDERR["readers"] += 1
        if _STDERR["readers"] > 1:
            return
        if _STDERR["sink"] is None:
            try:
                _STDERR["sink"] = os.open(os.devnull, os.O_WRONLY)
            except OSError:
                _STDERR["sink"] = -1  # nowhere to send it: stderr stays as it is
        if _STDERR["sink"] < 0:
            return
        sys.stderr.flush()
        try:
            saved = os.dup(2)
        except OSError:  # no descriptor left (or no stderr at all): leave it as it is
            return
        if _writes_to_fd2(sys.stderr):
            _STDERR["python"] = sys.stderr
            sys.stderr = open(  # noqa: SIM115  (put back, and let go, by the last reader out)
                saved, "w", encoding=sys.stderr.encoding, errors=sys.stderr.errors, closefd=False, buffering=1
            )
        _STDERR["saved"] = saved
        os.dup2(_STDERR["sink"], 2)


def _stderr_back() -> None:
    with _STDERR_LOCK:
        _STDERR["readers"] -= 1
        if _STDERR["readers"] or _STDERR["saved"] is None:
            return
        if _STDERR["python"] is not None:
            sys.stderr.flush()
            sys.stderr = _STDERR["python"]
            _STDERR["python"] = None
        os.dup2(_STDERR["saved"], 2)
        os.close(_STDERR["saved"])
        _STDERR["saved"] = None


def _writes_to_fd2(stream: Any) -> bool:
    """Whether `stream` writes to file descriptor 2 (not so under a test runner's capture, which is left alone)."""
    try:
        return bool(stream.fileno() == 2)
    except (AttributeError, OSError, ValueError):
        return False


@contextlib.contextmanager
def _calamine(what: str) -> Iterator[None]:
    """Run calamine: any error, a Rust panic included (pyo3's PanicException derives from BaseException), is
    "file unreadable" with its first line. Rust prints a panic straight to file descriptor 2, so that descriptor
    is pointed at the null device meanwhile: the user sees pkp's one line, not a Rust backtrace."""
    _stderr_aside()
    try:
        yield
    except FileProblem:
        raise
    except Exception as exc:
        raise FileProblem("file-unreadable", reason=f"{what}{_first_line(exc)}") from None
    except BaseException as exc:
        if type(exc).__name__ != "PanicException":
            raise
        raise FileProblem("file-unreadable", reason=f"{what}calamine: {_first_line(exc)}") from None
    finally:
        _stderr_back()


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return (text.splitlines()[0] if text else type(exc).__name__)[:200]


def _unstyled(data: bytes, refs: set[bytes]) -> bytes:
    """The sheet XML with the style removed from the given cells: calamine then reads their raw number as
    text (the value the user typed) instead of a date it cannot make (empty, or a panic on NaN)."""

    def strip(m: re.Match[bytes]) -> bytes:
        if m.group(1) not in refs:
            return m.group(0)
        return re.sub(rb' s="\d+"', b"", m.group(0))

    return re.sub(rb'<c r="([A-Z]{1,3}\d{1,9})"[^>]*>', strip, data)


_SST_TAG = re.compile(rb"<sst\b[^>]*>")
_SST_COUNT = re.compile(rb'\buniqueCount="(\d{1,30})"')


def _check_string_count(member: str, size: int, head: bytes) -> None:
    """calamine reserves room for the shared strings the part announces (uniqueCount, 24 bytes each) before
    reading them: a part of a few bytes announcing 4,000,000,000 strings would make it ask for 96 GB and
    abort. A string takes at least five bytes (`<si/>`), so a count above a fifth of the part is a lie."""
    tag = _SST_TAG.search(head[:65536])
    for count in _SST_COUNT.findall(tag.group(0) if tag else b""):
        if int(count) > max(size // 5, 1):
            raise FileProblem("xlsx-xml-invalid", member=member, reason=f"count={int(count)}")


def _raw_values(grid: Any, cells: Any, origin_row: int, origin_col: int) -> None:
    """Set the given (row, col, raw text) cells of the grid, in place, to the raw text of the sheet XML: a date
    serial calamine could not turn into a date is shown as it was written (1e+308, not empty or 309 digits)."""
    import pandas as pd

    by_col: dict[int, list[tuple[int, str]]] = {}
    for row, col, raw in cells:
        i, j = row - origin_row, col - origin_col
        if 0 <= i < len(grid) and 0 <= j < grid.shape[1]:
            by_col.setdefault(j, []).append((i, raw))
    for j, items in by_col.items():
        values = grid[j].astype(object).to_numpy(copy=True)
        for i, raw in items:
            values[i] = raw
        grid[j] = pd.Series(values, index=grid.index, dtype="str")


def xlsx_stage(path: Path, max_uncompressed_mb: int = DEFAULT_MAX_UNCOMPRESSED_MB) -> Callable[[], list[RawSheet]]:
    """A workbook's read in two parts (see read.read_stage): the zip guard, the sheet scan and calamine's read of every
    sheet into Arrow now, in that order (calamine sees only what the guard approved), with every refusal they
    make; the function returned makes the grids from the sheets' Arrow batches (pandas)."""
    return grids_of(*xlsx_batches(path, max_uncompressed_mb))


# What `_sheet_of` takes from a sheet's scan: plain values (a forked read sends them to its parent, ingest/forked.py).
_FOUND = ("first", "merges", "pct", "bad_dates", "error_cells")
Batches = list[tuple[str, Any]]  # each sheet's name and calamine's Arrow batch, in the workbook's order
Found = dict[str, dict[str, Any] | None]  # by sheet name: what its scan found (`_FOUND`), None for no scan


def xlsx_batches(path: Path, max_uncompressed_mb: int = DEFAULT_MAX_UNCOMPRESSED_MB) -> tuple[Batches, Found]:
    """The part of `xlsx_stage` that needs no pandas: every sheet's Arrow batch and what its scan found."""
    import fastexcel

    vz = VerifiedZip(path, max_uncompressed_mb)
    if "xl/workbook.xml" not in vz.by_name:
        raise FileProblem("file-not-workbook")
    paths = _sheet_paths(vz)
    pct_styles, date_styles = _styles(vz)
    scans: dict[str, _SheetScan] = {}
    wanted = set(paths.values())

    def scan(name: str, chunks: Iterator[bytes]) -> None:
        if name in wanted and name not in scans:
            scans[name] = _SheetScan(name, pct_styles, date_styles)
            scans[name].feed(chunks)
        elif name.lower().endswith("sharedstrings.xml"):
            _check_string_count(name, vz.by_name[name].file_size, next(chunks, b""))

    missing = sorted(m for m in wanted if m not in vz.by_name)
    if missing:
        raise FileProblem("xlsx-part-missing", member=missing[0])
    vz.verify_all(scan)
    for name, sc in scans.items():
        if sc.irregular:
            # Measured exactly; the grid's first cell, the percent, error and bad date cells found among every
            # cell, not only the canonical ones.
            placed = used_range(path, name, frozenset(pct_styles), frozenset(date_styles))
            sc.max_row, sc.max_col, sc.narrow_seen = placed.max_row, max(placed.max_col, 1), False
            sc.first, sc.pct, sc.error_cells = placed.first, placed.pct, placed.error_cells
            sc.bad_dates = placed.bad_dates
            if placed.bad_string is not None:
                where, value = placed.bad_string
                raise FileProblem("xlsx-xml-invalid", member=name, reason=f"{where}: shared-string index {value!r}")
        if sc.max_col > EXCEL_COLUMNS or sc.max_row > EXCEL_ROWS:
            sheet = next((s for s, m in paths.items() if m == name), name)
            raise FileProblem("xlsx-beyond-excel", sheet=sheet, columns=sc.max_col, rows=sc.max_row)
        cells = sc.range_cells()
        if cells > MAX_RANGE_CELLS:
            sheet = next((s for s, m in paths.items() if m == name), name)
            raise FileProblem("xlsx-range-too-large", sheet=sheet, cells=f"{cells:,}", limit=f"{MAX_RANGE_CELLS:,}")
    source: Any = str(path)
    if not source.isascii():
        try:
            source.encode("utf-8")
        except UnicodeEncodeError:  # a name with bytes that are not UTF-8: calamine takes no such path, only bytes
            source = path.read_bytes()
    patch = {name: sc for name, sc in scans.items() if sc.bad_dates}
    if patch:
        # Rare: calamine reads a date cell whose serial is no date as empty, or panics (NaN, inf, -1e11).
        # Rebuild the (already verified) workbook in memory with those cells unstyled: it reads their number.
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as out:
            for name in vz.names():
                data = vz.read(name)
                if name in patch:  # by reference, or for an irregular sheet by the same test at every cell
                    found = patch[name]
                    data = (
                        unstyled(data, frozenset(date_styles))
                        if found.irregular
                        else _unstyled(data, set(found.bad_dates))
                    )
                out.writestr(name, data)
        source = buf.getvalue()
    batches: list[tuple[str, Any]] = []
    _stderr_aside()  # once for the workbook: each sheet's `_calamine` below then finds stderr pointed aside already
    try:
        with _calamine(""):
            reader = fastexcel.read_excel(source)
            names = list(reader.sheet_names)
        for name in names:
            with _calamine(f"{name}: "):
                batch = reader.load_sheet(name, header_row=None, dtypes="string", eager=True)
            if batch.num_columns > EXCEL_COLUMNS or batch.num_rows > EXCEL_ROWS:  # cells placed without references
                raise FileProblem("xlsx-beyond-excel", sheet=name, columns=batch.num_columns, rows=batch.num_rows)
            batches.append((name, batch))
    finally:
        _stderr_back()
    del reader, source
    scanned: Found = {}
    for name, member in paths.items():
        done = scans.get(member)
        scanned[name] = {k: getattr(done, k) for k in _FOUND} if done is not None else None
    return batches, scanned


def grids_of(batches: Batches, found: Found) -> Callable[[], list[RawSheet]]:
    """The function that makes the sheets' grids (pandas) from `xlsx_batches`' answer."""

    def grids() -> list[RawSheet]:
        sheets: list[RawSheet] = []
        while batches:
            name, batch = batches.pop(0)  # each batch let go once its grid is made
            sheets.append(_sheet_of(name, batch, found.get(name)))
        return sheets

    return grids


def _sheet_of(name: str, batch: Any, found: dict[str, Any] | None) -> RawSheet:
    """One sheet's grid from calamine's batch, with what the scan found: origin, merges, percent cells, problems."""
    import pandas as pd

    grid, arrays = arrow_text_grid(batch)
    raw_sheet = RawSheet(name=name, grid=grid, row_numbers=np.zeros(0, dtype=np.int64))
    raw_sheet.known_columns(arrays)
    origin_row, origin_col = 1, 0
    first = found["first"] if found else None
    if first is not None and len(grid):
        origin_row = first[0]
        # The first cell of the grid's first row that holds a value (from the column arrays the later steps
        # read too: the frame's own row 0 as a Series cost about 0.3 ms a sheet).
        nonnull = [j for j, values in enumerate(raw_sheet.columns()) if not pd.isna(values[0])]
        origin_col = first[1] - (nonnull[0] if nonnull else 0)
    if found is not None and (found["bad_dates"] or found["error_cells"]):
        raw = [*found["bad_dates"].values(), *found["error_cells"].values()]
        _raw_values(grid, raw, origin_row, max(origin_col, 0))
        raw_sheet.forget_columns()
    problems: list[tuple[int, int, str, dict[str, Any], bool]] = (
        [(r, c, "date-invalid", {}, False) for r, c, _ in found["bad_dates"].values()]
        + [(r, c, "cell-error", {"value": v}, False) for r, c, v in found["error_cells"].values()]
        if found
        else []
    )
    raw_sheet.row_numbers = np.arange(origin_row, origin_row + len(grid), dtype=np.int64)
    raw_sheet.origin_col = max(origin_col, 0)
    raw_sheet.merges = list(found["merges"]) if found else []
    raw_sheet.percent_cells = found["pct"] if found else set()
    raw_sheet.problems = problems
    return raw_sheet
