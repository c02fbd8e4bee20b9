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

# A cell or row start tag not written `<c r="A1"` / `<row r="1"`: `<c>`, `<c/>`, other whitespace after the name,
# an attribute before `r` (or none), a namespace prefix, a reference with anything but A-Z then digits (lower-case
# letters, more than three letters, more than seven digits); and a tag holding two `r` attributes.
IRREGULAR = (
    re.compile(
        rb'<(?:c|row)(?:[/>\t\n\r]| (?!r="))|<[\w.-]+:(?:c|row)[\s/>]'
        rb'|<c r="(?:[A-Z]*[0-9]*[^A-Z0-9"]|[A-Z]{4}|[A-Z]*[0-9]{8})|<row r="(?:[0-9]*[^0-9"]|[0-9]{8})'
    ),
    re.compile(rb"[\s:]r\s*=[^>]*[\s:]r\s*="),
)
# The same as one RE2 pattern (pyarrow, no GIL; RE2 has no look-ahead), for the big chunks of a sheet.
IRREGULAR_RE2 = (
    r'<(?:c|row)(?:[/>\t\n\r]| [^r]| r[^=]| r=[^"])|<[\w.-]+:(?:c|row)[\s/>]'
    r'|<c r="(?:[A-Z]*[0-9]*[^A-Z0-9"]|[A-Z]{4}|[A-Z]*[0-9]{8})|<row r="(?:[0-9]*[^0-9"]|[0-9]{8})'
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
    r"|[\s\x0b:]r[\s\x0b]*=[^>]*[\s\x0b:]r[\s\x0b]*="
)

_TAG = re.compile(rb"<(?:[^\s<>/!?:]+:)?(c|row)(?=[\s/>])([^>]*)")
# The rest of a cell's start tag and its content up to a value (`<v>` or `<is>`), before the cell ends: the cell
# holds a value (as the scan's _CELL_VALUE says of a canonical cell).
_HOLDS_VALUE = re.compile(rb"(?<!/)>(?:(?!</(?:[^\s<>/!?:]+:)?c>).)*?<(?:[^\s<>/!?:]+:)?(?:v|is)>", re.S)
# A cell's attributes (any quotes, any whitespace; with a prefix the name keeps it), and the text of its <v>.
_ATTRS = re.compile(rb"""(?:^|\s)([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_VALUE_TEXT = re.compile(
    rb"(?<!/)>(?:<(?:[^\s<>/!?:]+:)?f[^>]*/>|<(?:[^\s<>/!?:]+:)?f[^>]*>[^<]*</(?:[^\s<>/!?:]+:)?f>)?"
    rb"<(?:[^\s<>/!?:]+:)?v>([^<]{0,64})<"
)
# Where a piece may be cut: before a cell or row start tag (a cell's content is then whole in its piece).
_CUT = re.compile(rb"<(?:[^\s<>/!?:]+:)?(?:c|row)[\s/>]")
_R_VALUE = re.compile(rb"""(?:^|[\s:])r\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_REFERENCE = re.compile(rb"\s*([A-Za-z]*)([0-9]*)\s*")
_CHUNK = 1 << 22
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

    def __init__(self, pct_styles: frozenset[str] = frozenset()) -> None:
        self.pct_styles = {style.encode() for style in pct_styles}
        # What the scan finds at canonical cells, found here at every cell: percent-formatted cells (row, 0-based
        # column) and cells holding an Excel error (key -> (row, 0-based column, the error's text)).
        self.pct: set[tuple[int, int]] = set()
        self.error_cells: dict[bytes, tuple[int, int, str]] = {}
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


def used_range(path: Path, member: str, pct_styles: frozenset[str] = frozenset()) -> _Placer:
    """Every cell of the sheet `member` of the workbook at `path` placed as calamine places it: `max_row` and
    `max_col` of the block calamine will make of it (an upper bound: a tag's largest reference, empty rows
    counted), the first cell holding a value (`first`: row, 0-based column, where the grid starts), its
    percent-formatted cells (`pct_styles`) and its error cells. The member was verified by the zip guard (its
    size and CRC are those its header declares), so zipfile's own inflation of it is bounded; it is read in
    chunks, each cut before its last cell or row start tag (a cell's content is whole in one piece)."""
    placer = _Placer(pct_styles)
    tail = b""
    with zipfile.ZipFile(path) as zf, zf.open(member) as fh:
        while chunk := fh.read(_CHUNK):
            buf = tail + chunk
            cut = max((m.start() for m in _CUT.finditer(buf)), default=0)
            if cut <= 0:
                tail = buf
                continue
            placer.feed(buf[:cut])
            tail = buf[cut:]
    placer.feed(tail)
    return placer
