"""The used range of a sheet whose cell or row tags are not written the way the sheet scan measures them.

calamine keeps a sheet's used range as one block of cells, so pkp refuses a range too large before calamine is
asked for it (`workbook._SheetScan`). The scan measures the range from the references written as every writer
pkp knows writes them: `<c r="A1"` and `<row r="1"` (the reference first, one space, double quotes, upper-case
letters). calamine reads more than that: another attribute before `r`, other whitespace, single quotes, a
namespace prefix on the tag, lower-case letters, a second `r` in one tag (it takes the last), and cells or rows
without a reference (placed after the one before). Each of those let a workbook of a few kilobytes pass the
scan and then make calamine ask for 17 G cells, which aborts the process with no message. A sheet holding any
such tag (`IRREGULAR`, `IRREGULAR_RE2`) is measured here exactly, the way calamine places its cells, from its
verified XML streamed again: slower, and only for those sheets.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from pkp_cli.ingest.read import col_letter
from pkp_cli.ingest.serials import no_date

# A cell or row start tag not written `<c r="A1"` / `<row r="1"`: `<c>`, `<c/>`, other whitespace after the name,
# an attribute before `r` (or none), a namespace prefix, a reference with anything but A-Z then digits (lower-case
# letters, more than three letters, more than seven digits); a tag holding two `r` attributes; and a cell whose
# other attributes are not each one space, lower-case letters, `="`, a value, `"` (single quotes, spaces around
# `=`, a tab: the scan reads `t="e"`, `t="s"` and `s="1"` only so, and calamine reads them all, so an error cell
# written `t='e'` was read as empty, unseen).
IRREGULAR = (
    re.compile(
        rb'<(?:c|row)(?:[/>\t\n\r]| (?!r="))|<[\w.-]+:(?:c|row)[\s/>]'
        rb'|<c r="(?:[A-Z]*[0-9]*[^A-Z0-9"]|[A-Z]{4}|[A-Z]*[0-9]{8})|<row r="(?:[0-9]*[^0-9"]|[0-9]{8})'
        rb'|<c r="[A-Z]{1,3}[0-9]{1,7}"(?: [a-z]+="[^"<>]*")*+(?!/?>)'
    ),
    re.compile(rb"[\s:]r\s*=[^>]*[\s:]r\s*="),
)
# The same as one RE2 pattern (pyarrow, no GIL; RE2 has no look-ahead), for the big chunks of a sheet.
IRREGULAR_RE2 = (
    r'<(?:c|row)(?:[/>\t\n\r]| [^r]| r[^=]| r=[^"])|<[\w.-]+:(?:c|row)[\s/>]'
    r'|<c r="(?:[A-Z]*[0-9]*[^A-Z0-9"]|[A-Z]{4}|[A-Z]*[0-9]{8})|<row r="(?:[0-9]*[^0-9"]|[0-9]{8})'
    r'|<c r="[A-Z]{1,3}[0-9]{1,7}"(?: [a-z]+="[^"<>]*")*(?:[^ />]|/[^>]| [^a-z]| [a-z]+[^a-z=]| [a-z]+=[^"])'
    r"|[\s:]r\s*=[^>]*[\s:]r\s*="
)
# A superset of IRREGULAR as one RE2 pattern, for the small chunks (the sample's sheets): it matches wherever either
# `re` pattern does, and a little more, so `re` runs only to confirm a match (`workbook._SheetScan._chunk`). Where
# IRREGULAR_RE2 reads differently from `re`, it is widened: `re`'s \s holds \x0b, RE2's does not; and
# `(?!r=")` holds at the end of a piece, where RE2 needs a byte after the space. On the sample's 89 sheets one RE2
# pass took 11 ms against 40 ms for the two `re` searches.
IRREGULAR_WIDER_RE2 = (
    r'<(?:c|row)(?:[/>\t\n\r]| [^r]| r[^=]| r=[^"]| (?:r=?)?\z)|<[\w.-]+:(?:c|row)[\s\x0b/>]'
    r'|<c r="(?:[A-Z]*[0-9]*[^A-Z0-9"]|[A-Z]{4}|[A-Z]*[0-9]{8})|<row r="(?:[0-9]*[^0-9"]|[0-9]{8})'
    r'|<c r="[A-Z]{1,3}[0-9]{1,7}"(?: [a-z]+="[^"<>]*")*'
    r'(?:[^ />]|/[^>]| [^a-z]| [a-z]+[^a-z=]| [a-z]+=[^"]| [a-z]+="[^"<>]*[<>]|/?\z| [a-z]*=?"?[^"<>]*\z)'
    r"|[\s\x0b:]r[\s\x0b]*=[^>]*[\s\x0b:]r[\s\x0b]*="
)

_TAG = re.compile(rb"<(?:[^\s<>/!?:]+:)?(c|row)(?=[\s/>])([^>]*)")
# The rest of a cell's start tag and its content up to a value (`<v>` or `<is>`), before the cell ends: the cell
# holds a value (as the scan's _CELL_VALUE says of a canonical cell).
# The search stops at the next cell's start too: cells nested without a value (not XML a writer makes) would
# otherwise make it run to the end of the piece from every one of them, quadratic (40,000 of them: minutes).
_HOLDS_VALUE = re.compile(
    rb"(?<!/)>(?:(?!</?(?:[^\s<>/!?:]+:)?c[\s/>]).)*?<(?:[^\s<>/!?:]+:)?(?:v|is)>",
    re.S,
)
# A cell's attributes (any quotes, any whitespace; with a prefix the name keeps it), and the text of its <v>.
_ATTRS = re.compile(rb"""(?:^|\s)([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_VALUE_TEXT = re.compile(
    rb"(?<!/)>\s*(?:<(?:[^\s<>/!?:]+:)?f[^>]*/>|<(?:[^\s<>/!?:]+:)?f[^>]*>[^<]*</(?:[^\s<>/!?:]+:)?f>)?\s*"
    rb"<(?:[^\s<>/!?:]+:)?v>([^<]*)<"
)
# A style attribute, with the whitespace before it (removed whole from a cell whose date serial is no date).
_STYLE_ATTR = re.compile(rb"""\ss\s*=\s*(?:"[^"]*"|'[^']*')""")
# A shared-string cell's value: an index, or nothing (an empty cell).
_STRING_INDEX = re.compile(rb"\d{1,10}|")
# Where a piece may be cut: before a cell or row start tag (a cell's content is then whole in its piece).
_CUT = re.compile(rb"<(?:[^\s<>/!?:]+:)?(?:c|row)[\s/>]")
_R_VALUE = re.compile(rb"""(?:^|[\s:])r\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_REFERENCE = re.compile(rb"\s*([A-Za-z]*)([0-9]*)\s*")
_CHUNK = 1 << 22
_CUT_OVERLAP = 256
# Beyond Excel (XFD1048576) is refused anyway: a reference longer than these is not worked out digit by digit
# (a hostile one may hold a million), only said to lie past Excel's last column or row.
_MAX_LETTERS, _MAX_DIGITS = 7, 12
_FAR_COLUMN, _FAR_ROW = 16_385, 1_048_577


def irregular(buf: bytes) -> bool:
    """Whether a piece of sheet XML (whole tags) holds a cell or row tag the scan's measure does not read."""
    return any(rx.search(buf) for rx in IRREGULAR)


def _reference(value: bytes) -> tuple[int, int]:
    """(row, column), 1-based, of a reference as calamine reads one (0 where a part is absent or unreadable)."""
    m = _REFERENCE.fullmatch(value)
    if m is None:
        return 0, 0
    letters, digits = m.group(1).upper(), m.group(2)
    col = 0
    if len(letters) > _MAX_LETTERS:
        col = _FAR_COLUMN
    else:
        for ch in letters:
            col = col * 26 + ch - 64
    row = _FAR_ROW if len(digits) > _MAX_DIGITS else int(digits or 0)
    return row, col


class _Placer:
    """Cells and rows placed as calamine places them: a tag's reference (the largest of several), else after the
    cell or row before it. Keeps the largest row and column reached."""

    def __init__(self, pct_styles: frozenset[str] = frozenset(), date_styles: frozenset[str] = frozenset()) -> None:
        self.pct_styles = {style.encode() for style in pct_styles}
        self.date_styles = {style.encode() for style in date_styles}
        # What the scan finds at canonical cells, found here at every cell: percent-formatted cells (row, 0-based
        # column), cells holding an Excel error and date cells whose serial is no date (key -> (row, 0-based
        # column, the error's or the value's text)).
        self.pct: set[tuple[int, int]] = set()
        self.error_cells: dict[bytes, tuple[int, int, str]] = {}
        self.bad_dates: dict[bytes, tuple[int, int, str]] = {}
        # The first shared-string cell whose value is no index (its reference, the value): calamine would read it as
        # string 0, silently, so the workbook is refused (as the scan's _BAD_STRING_INDEX does at canonical cells).
        self.bad_string: tuple[str, str] | None = None
        self.row = self.col = 0
        self.max_row = self.max_col = 0
        # The first cell holding a value, in the order written: (row, 0-based column), the scan's `first`.
        self.first: tuple[int, int] | None = None

    def feed(self, piece: bytes) -> None:
        for m in _TAG.finditer(piece):
            refs = [_reference(a or b) for a, b in _R_VALUE.findall(m.group(2))]
            row = max((r for r, _ in refs), default=0)
            col = max((c for _, c in refs), default=0)
            if m.group(1) == b"row":
                self.row = row or self.row + 1
                self.col = 0
                self.max_row = max(self.max_row, self.row)
            else:
                self.col = col or self.col + 1
                self.max_row = max(self.max_row, row or self.row)
                self.max_col = max(self.max_col, self.col)
                at = (row or self.row, self.col - 1)
                if self.first is None and _HOLDS_VALUE.match(piece, m.end()):
                    self.first = at
                attrs = {k: a or b for k, a, b in _ATTRS.findall(m.group(2))}
                if attrs.get(b"s") in self.pct_styles:
                    self.pct.add(at)
                if attrs.get(b"t") == b"e":
                    v = _VALUE_TEXT.match(piece, m.end())
                    raw = (v.group(1).decode("ascii", "replace").strip() if v else "") or "#?"
                    self.error_cells[b"%d,%d" % at] = (*at, raw)
                elif attrs.get(b"t") == b"s":
                    v = _VALUE_TEXT.match(piece, m.end())
                    if v is not None and self.bad_string is None and not _STRING_INDEX.fullmatch(v.group(1)):
                        value = v.group(1)[:40].decode("ascii", "replace")
                        self.bad_string = (f"{col_letter(at[1])}{at[0]}", value)
                elif (raw := _no_date_value(attrs, self.date_styles, piece, m.end())) is not None:
                    self.bad_dates[b"%d,%d" % at] = (*at, raw)


def _no_date_value(attrs: dict[bytes, bytes], date_styles: set[bytes], data: bytes, end: int) -> str | None:
    """The value's text of the cell whose start tag ends at `end` when it is a date-formatted number whose serial
    is no date; else None."""
    if attrs.get(b"s") not in date_styles or attrs.get(b"t", b"n") != b"n":
        return None
    v = _VALUE_TEXT.match(data, end)
    raw = v.group(1).decode("ascii", "replace").strip() if v else ""
    return raw if no_date(raw) else None


def unstyled(data: bytes, date_styles: frozenset[str]) -> bytes:
    """The sheet XML with the style removed from every date-formatted number cell whose serial is no date, however
    its tag is written: calamine then reads the number the user typed instead of a date it cannot make (text such
    as "+10113-09-19", empty, or a panic). The cells are those `_Placer` reports in `bad_dates`."""
    styles = {style.encode() for style in date_styles}

    def strip(m: re.Match[bytes]) -> bytes:
        if m.group(1) != b"c":
            return m.group(0)
        attrs = {k: a or b for k, a, b in _ATTRS.findall(m.group(2))}
        if _no_date_value(attrs, styles, data, m.end()) is None:
            return m.group(0)
        return m.group(0)[: m.start(2) - m.start()] + _STYLE_ATTR.sub(b"", m.group(2))

    return _TAG.sub(strip, data)


def used_range(
    path: Path, member: str, pct_styles: frozenset[str] = frozenset(), date_styles: frozenset[str] = frozenset()
) -> _Placer:
    """Every cell of the sheet `member` of the workbook at `path` placed as calamine places it: `max_row` and
    `max_col` of the block calamine will make of it (an upper bound: a tag's largest reference, empty rows
    counted), the first cell holding a value (`first`: row, 0-based column, where the grid starts), its
    percent-formatted cells (`pct_styles`), its error cells and its date cells whose serial is no date
    (`date_styles`). The member was verified by the zip guard (its size and CRC are those its header declares), so
    zipfile's own inflation of it is bounded; it is read in chunks, each cut before its last cell or row start tag
    (a cell's content is whole in one piece)."""
    placer = _Placer(pct_styles, date_styles)
    # What is read and not yet placed. Only the new chunk is searched for a cut, from a little before it (a tag cut
    # by the chunk's end): a long stretch with no tag (a huge cell, white space) is not searched again at every
    # chunk, which was quadratic. A tag start longer than that overlap (a namespace prefix of hundreds of bytes)
    # is then not cut before: a cut missed only makes a piece longer, it never splits a cell.
    pending = bytearray()
    with zipfile.ZipFile(path) as zf, zf.open(member) as fh:
        while chunk := fh.read(_CHUNK):
            start = max(len(pending) - _CUT_OVERLAP, 0)
            pending += chunk
            cut = max((m.start() for m in _CUT.finditer(pending, start)), default=0)
            if cut <= 0:
                continue
            placer.feed(bytes(pending[:cut]))
            del pending[:cut]
    placer.feed(bytes(pending))
    return placer
