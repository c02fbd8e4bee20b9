"""Read xlsx and CSV files into raw grids of text that keep every cell's real address.

A grid is a DataFrame of text (None = empty cell) with integer columns; `row_numbers[i]` is the row (Excel)
or line (CSV) where grid row i starts, and `origin_col` the 0-based column of grid column 0. calamine drops
leading empty rows and columns, so the origin is recovered from the sheet XML.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

# pandas is imported where a grid is made, not with this module: the reading that needs no pandas (the file's
# bytes, the zip guard and sheet scan, calamine's and pyarrow's reads to Arrow) may start on a thread while the
# command imports pandas (ingest/early.py).

DEFAULT_MAX_UNCOMPRESSED_MB = 1024
MAX_COMPRESSION_RATIO = 200
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class FileProblem(Exception):
    """A whole file cannot be read (exit 66). `code` is a catalogue code."""

    def __init__(self, code: str, **params: object):
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass
class RawSheet:
    name: str | None  # None for CSV
    grid: pd.DataFrame
    row_numbers: np.ndarray
    origin_col: int = 0
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # (r1, c1, r2, c2), 1-based rows
    percent_cells: set[tuple[int, int]] = field(default_factory=set)  # (row, col 0-based) formatted as %
    blank_lines: np.ndarray = field(default_factory=lambda: np.array([], dtype=np.int64))  # CSV only
    # Cells the reader itself found wrong (a CSV quote never closed, a date cell whose serial is not a date):
    # (row, column 0-based absolute, catalogue code, params, row_level). A row-level problem rejects its row
    # whichever column it is in; a cell-level one only when that column is read.
    problems: list[tuple[int, int, str, dict[str, Any], bool]] = field(default_factory=list)

    def columns(self) -> list[Any]:
        """The grid's column arrays (`grid[j].array` for every j), made once per grid: the header search, the
        row classes and the records each read most columns, and `grid[j]` builds a Series each time (about 40
        a sheet, a folder holds dozens of sheets). Made again if `grid` is replaced; whoever changes the grid's
        columns in place calls `forget_columns`."""
        kept: list[Any] | None = self.__dict__.get("_columns")
        if kept is None:
            kept = [self.grid[j].array for j in self.grid.columns]
            self.__dict__["_columns"] = kept
        return kept

    def forget_columns(self) -> None:
        self.__dict__.pop("_columns", None)

    if not TYPE_CHECKING:  # (hidden from mypy, which would then allow any attribute on a RawSheet)

        def __setattr__(self, name: str, value: Any) -> None:
            # A grid replaced (the load lets each parsed sheet's grid go) takes its column arrays with it: kept
            # here, they would hold the old grid's cells for the rest of the load (+90 MB on the bench's CSV).
            if name == "grid" and value is not self.__dict__.get("grid"):
                self.__dict__.pop("_columns", None)
            object.__setattr__(self, name, value)

    def known_columns(self, arrays: list[Any]) -> None:
        """The grid's column arrays, when whoever made the grid has them (`arrow_text_grid`)."""
        self.__dict__["_columns"] = arrays


def require_defusedxml() -> None:
    """openpyxl expands XML entities unless defusedxml is importable: refuse to run without it."""
    import importlib.util

    from pkp_cli.errors import Exit, PkpError

    if importlib.util.find_spec("defusedxml") is None or os.environ.get("OPENPYXL_DEFUSEDXML") == "False":
        raise PkpError(Exit.BUG, "defusedxml tidak terpasang / is not installed: python -m pip install defusedxml")


def col_letter(col: int) -> str:
    """0-based column index -> Excel letters (0 -> A, 26 -> AA)."""
    s = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        s = chr(65 + rem) + s
    return s


def col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n - 1


ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")  # a zip with members / an empty zip


def read_file(path: Path, max_uncompressed_mb: int = DEFAULT_MAX_UNCOMPRESSED_MB) -> list[RawSheet]:
    """Every sheet of an xlsx, or the one table of a CSV. Raises FileProblem when the file is unusable.

    The content decides, not the name alone: a zip is read as a workbook even under a `.csv` name (Excel users
    rename files), and a FIFO or a device is refused without being read."""
    return read_stage(path, max_uncompressed_mb)()


def read_stage(path: Path, max_uncompressed_mb: int = DEFAULT_MAX_UNCOMPRESSED_MB) -> Callable[[], list[RawSheet]]:
    """`read_file` in two parts: this call does what needs no pandas (the checks of the file, its bytes, the zip
    guard and sheet scan, calamine's or pyarrow's read into Arrow), in the same order, raising the same
    FileProblem; the function it returns makes the sheets' grids from that (pandas)."""
    if check_file(path, max_uncompressed_mb) == "xlsx":
        from pkp_cli.ingest.workbook import xlsx_stage

        return xlsx_stage(path, max_uncompressed_mb)
    sheet = csv_stage(path)
    return lambda: [sheet()]


def check_file(path: Path, max_uncompressed_mb: int = DEFAULT_MAX_UNCOMPRESSED_MB) -> str:
    """What `path` is read as, "xlsx" or "csv", from its name and first bytes; raises FileProblem when it cannot be
    read at all (not a regular file, unreadable, another format, encrypted, a CSV too large)."""
    from pkp_cli.model.regular_file import NotRegularFile, open_regular

    suffix = path.suffix.lower()
    try:
        with os.fdopen(open_regular(path), "rb") as fh:
            head = fh.read(8)
            size = os.fstat(fh.fileno()).st_size
    except NotRegularFile as exc:
        raise FileProblem("input-not-regular", kind=exc.kind) from None
    except OSError as exc:
        raise FileProblem("file-unreadable", reason=exc.strerror or str(exc)) from exc
    if suffix not in (".xlsx", ".xlsm", ".csv", ".txt"):
        raise FileProblem("file-not-workbook")
    if head.startswith(_OLE_MAGIC):
        # An encrypted xlsx is an OLE container; so is the old .xls format.
        raise FileProblem("file-encrypted" if suffix in (".xlsx", ".xlsm") else "file-ole")
    if head.startswith(ZIP_MAGIC) or suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    if size > max_uncompressed_mb * 1e6:
        raise FileProblem("file-too-large", size=round(size / 1e6), limit=max_uncompressed_mb)
    return "csv"


# Cells up to which a sheet's columns go through the kernels chained as one array (see arrow_text_grid).
CHAIN_TEXT_CELLS = 1_000_000


def arrow_text_grid(batch: object) -> tuple[pd.DataFrame, list[Any]]:
    """A calamine record batch as a text grid: empty strings become missing in Arrow, before pandas; with the
    grid's column arrays (what `RawSheet.columns` gives).

    The frame is built from pandas' Arrow text arrays directly (what `Table.to_pandas` makes for large strings,
    without its per-call machinery); a small sheet's columns go through the two kernels once, chained, and are
    cut back into columns (zero-copy slices). A workbook folder holds dozens of small sheets: this was about
    0.7 ms a sheet, now about 0.25."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    columns = list(batch.columns)  # type: ignore[attr-defined]
    n_rows = batch.num_rows  # type: ignore[attr-defined]
    null = pa.scalar(None, pa.large_string())
    if columns and n_rows * len(columns) <= CHAIN_TEXT_CELLS and all(c.type == pa.string() for c in columns):
        whole = pa.chunked_array(columns, type=pa.string()).cast(pa.large_string())
        whole = pc.if_else(pc.equal(whole, ""), null, whole).combine_chunks()
        texts = [whole.slice(i * n_rows, n_rows) for i in range(len(columns))]
    else:
        texts = []
        for col in columns:
            col = col.cast(pa.large_string())
            texts.append(_empty_as_missing(col, null))
    dtype = pd.StringDtype("pyarrow", na_value=np.nan)  # pandas' default text dtype ("str")
    arrays = [pd.arrays.ArrowStringArray(pa.chunked_array([t]), dtype=dtype) for t in texts]  # type: ignore[call-arg]
    # Arrays of one length, made just above: the frame takes them as they are, without the dict constructor's
    # checks (about 0.38 -> 0.08 ms for a sheet of 40 columns; pandas is pinned to 3.1).
    grid = pd.DataFrame._from_arrays(  # type: ignore[attr-defined]
        arrays, columns=pd.RangeIndex(len(arrays)), index=pd.RangeIndex(n_rows), verify_integrity=False
    )
    return grid, arrays


def _empty_as_missing(col: Any, null: Any) -> Any:
    """A large-string column with its empty strings made missing: the same offsets and bytes under a validity
    bitmap made from the offsets (an empty string is two equal offsets), where `if_else` copied every column's
    text (for the bench's 400,000-row sheet that copy, its fresh pages, was most of the grid's making)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    n = len(col)
    if not isinstance(col, pa.Array) or col.type != pa.large_string() or col.offset or not n:
        return pc.if_else(pc.equal(col, ""), null, col)
    validity, offsets, data = col.buffers()
    ends = np.frombuffer(offsets, dtype=np.int64, count=n + 1)
    keep = ends[1:] > ends[:-1]
    if validity is not None and col.null_count:
        keep &= np.unpackbits(np.frombuffer(validity, dtype=np.uint8), count=n, bitorder="little").view(bool)
    kept = int(np.count_nonzero(keep))
    if kept == n:
        return col
    bitmap = pa.py_buffer(np.packbits(keep, bitorder="little"))
    return pa.Array.from_buffers(pa.large_string(), n, [bitmap, offsets, data], null_count=n - kept)


def top_rows(grid: pd.DataFrame, k: int, arrays: list[Any] | None = None) -> np.ndarray:
    """`grid.iloc[:k].to_numpy(dtype=object)` (missing cells NaN), built column by column from the Arrow text:
    the frame's own conversion costs about a millisecond per sheet, and a folder holds dozens of sheets.
    `arrays`: the grid's column arrays when the caller has them (`RawSheet.columns`)."""
    k = min(max(k, 0), len(grid))
    cols = arrays if arrays is not None else [grid[j].array for j in grid.columns]
    if not cols or any(str(c.dtype) != "str" or not hasattr(c, "_pa_array") for c in cols):
        out: np.ndarray = grid.iloc[:k].to_numpy(dtype=object)
        return out
    block = np.empty((k, len(cols)), dtype=object)
    for i, c in enumerate(cols):
        block[:, i] = [np.nan if v is None else v for v in c._pa_array.slice(0, k).to_pylist()]
    return block


def _as_text_grid(grid: pd.DataFrame, empty_is_null: bool = False) -> pd.DataFrame:
    """Columns 0..n-1 of Arrow-backed text; empty cells are missing. Arrow text keeps big sheets compact
    (no Python object per cell) and makes factorize and string operations run in C."""
    import pandas as pd

    cols = {}
    for j in range(grid.shape[1]):
        col = grid.iloc[:, j].astype("str")
        cols[j] = col if empty_is_null else col.where(col != "")
    return pd.DataFrame(cols, index=pd.RangeIndex(len(grid)))


# ----------------------------------------------------------------------------------------------- CSV


def _sniff_delimiter(text: str) -> str:
    lines = [ln for ln in text.splitlines()[:50] if ln.strip()]
    best, best_score = ";", -1.0
    for delim in (";", ",", "\t", "|"):
        counts = [ln.count(delim) for ln in lines]
        if not counts or max(counts) == 0:
            continue
        modal = max(set(counts), key=counts.count)
        score = counts.count(modal) * (modal > 0) + modal / 1000
        if score > best_score:
            best, best_score = delim, score
    return best


# Byte-order marks, longest first (a UTF-32 LE mark starts like UTF-16 LE's).
_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


def _check_text(head: bytes) -> None:
    """A CSV is text: a file whose first bytes are mostly zero bytes or other control bytes (a file zeroed by a
    crash or a sync that never finished, a binary file under a .csv name) is no CSV, refused (exit 66) instead
    of being listed as "no pkp table" with exit 0. A few stray NULs in a text file still load."""
    if not head:
        return
    control = sum(head.count(bytes([c])) for c in (*range(0, 9), 11, 12, *range(14, 32), 127))
    if control * 10 > len(head):
        raise FileProblem("file-not-workbook")


def _utf16_without_bom(head: bytes) -> str | None:
    """UTF-16 text saved without a BOM shows as a zero byte in every other position (ASCII-range text)."""
    pairs = len(head) // 2
    if pairs < 8:
        return None
    even = head[0 : pairs * 2 : 2].count(0) / pairs
    odd = head[1 : pairs * 2 : 2].count(0) / pairs
    if odd > 0.4 and even < 0.05:
        return "utf-16-le"
    if even > 0.4 and odd < 0.05:
        return "utf-16-be"
    return None


def decode_csv_bytes(data: bytes) -> tuple[bytes, str]:
    """(the text as bytes without BOM, their encoding for the readers: utf-8 or cp1252).

    A BOM says the encoding (UTF-8, UTF-16 or UTF-32, as Excel's "Unicode Text" is UTF-16 LE); UTF-16 without
    one is recognised by its zero bytes. UTF-16 and UTF-32 are transcoded to UTF-8 here, so every later step
    sees one of two encodings; text that is not valid UTF-8 is cp1252 (what Indonesian Windows Excel writes)."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            data = data[len(bom) :]
            if enc == "utf-8":
                break
            return data.decode(enc, errors="replace").encode("utf-8"), "utf-8"
    else:
        enc16 = _utf16_without_bom(data[:4096])
        if enc16:
            return data.decode(enc16, errors="replace").encode("utf-8"), "utf-8"
    head = data[: 1 << 16]
    try:
        head.decode("utf-8")
        return data, "utf-8"
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sample is still UTF-8.
        return data, "utf-8" if exc.start >= len(head) - 3 else "cp1252"


def csv_stage(path: Path) -> Callable[[], RawSheet]:
    """A CSV file's read in two parts (see read_stage): the bytes, their checks and pyarrow's parse into Arrow now;
    the function returned makes the grid (or runs the exact reader, when pyarrow's parse was refused)."""
    from pkp_cli.model.regular_file import read_regular_file

    data, encoding = decode_csv_bytes(read_regular_file(path))
    head = data[: 1 << 16]
    _check_text(head)
    delim = _sniff_delimiter(head.decode(encoding, errors="replace"))
    # pyarrow checks the UTF-8 itself; invalid text is tried again as cp1252.
    fast = _csv_fast_stage(data, delim, encoding)
    if fast is None and encoding == "utf-8":
        fast = _csv_fast_stage(data, delim, "cp1252")
        encoding = "cp1252" if fast is not None else encoding
    if fast is not None:
        return fast

    def exact() -> RawSheet:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
        return _read_csv_python(text, delim)

    return exact


def _csv_fast_stage(data: bytes, delim: str, encoding: str) -> Callable[[], RawSheet] | None:
    """pyarrow for files where every record is one line and has the same number of fields: the parse into Arrow
    now, the grid from it when the function returned is called (it holds the table, not the bytes).

    Works on the bytes as they are (pyarrow transcodes cp1252). A quoted value that holds a line break, or a
    row with another number of fields, makes it hand the file to the exact (slower) reader, which knows the
    line where each record starts.
    """
    simple = _simple_lines(data)
    if simple is not None:
        # No quotes, no empty lines, "\n" (or "\r\n") line ends: record i is line i + 1, and the scan of every
        # byte below (two 88 MB masks and a 1.66 M-line index for the bench's CSV) is not needed.
        end = data.find(b"\n")
        ncols = bytes(data[: end if end >= 0 else len(data)]).count(delim.encode()) + 1
        _check_width(ncols)
        table = _arrow_read(data, delim, encoding, ncols)
        if table is None or table.num_rows != simple:
            return None
        lines = simple
        return lambda: RawSheet(name=None, grid=_arrow_grid(table), row_numbers=np.arange(1, lines + 1, dtype=np.int64))
    buf = np.frombuffer(data, dtype=np.uint8)
    nl = np.flatnonzero(buf == 10)
    starts = np.concatenate(([0], nl + 1))
    ends = np.concatenate((nl, [len(buf)]))
    if len(starts) and starts[-1] >= len(buf):  # the file ends with a newline: no last line
        starts, ends = starts[:-1], ends[:-1]
    if len(starts) == 0:
        return _empty_csv
    quotes = np.flatnonzero(buf == 34)
    if len(quotes) and len(starts):
        # A line with an odd number of quotes holds a line break inside quotes or a quote never closed:
        # only the exact reader can tell which, and say where.
        per_line = np.bincount(np.searchsorted(starts, quotes, side="right") - 1, minlength=len(starts))
        if (per_line % 2).any():
            return None
    has_cr = (ends > starts) & (buf[np.maximum(ends - 1, 0)] == 13)
    nonempty = (ends - starts - has_cr) > 0
    first = int(np.flatnonzero(nonempty)[0]) if nonempty.any() else 0
    ncols = bytes(data[starts[first] : ends[first]]).count(delim.encode()) + 1
    _check_width(ncols)
    table = _arrow_read(data, delim, encoding, ncols)
    if table is None:
        return None
    line_no = np.flatnonzero(nonempty) + 1
    if len(line_no) != table.num_rows:
        return None
    blank = np.flatnonzero(~nonempty) + 1
    return lambda: RawSheet(name=None, grid=_arrow_grid(table), row_numbers=line_no.astype(np.int64), blank_lines=blank)


def _arrow_grid(table: Any) -> pd.DataFrame:
    return _as_text_grid(table.to_pandas(), empty_is_null=True)


def _empty_csv() -> RawSheet:
    import pandas as pd

    return RawSheet(name=None, grid=pd.DataFrame(), row_numbers=np.array([], dtype=np.int64))


def _simple_lines(data: bytes) -> int | None:
    """The number of lines of a file whose lines are all records (None when it may hold anything else).

    A file without a quote, without an empty line and whose every carriage return ends a line ("\r\n") has one
    record per line, so the line of each record is its position: decided from the positions of the line feeds
    (one vectorised pass; `bytes` searches for two-byte patterns such as "\n\n" cost several times that on a
    file with a line feed every few dozen bytes), without an index of where each line starts. Anything else
    goes through the exact scan."""
    if not data or b'"' in data:
        return None
    if data.startswith((b"\n", b"\r\n")) or data.endswith(b"\n\r"):
        return None  # an empty first line, or a carriage return alone at the end
    buf = np.frombuffer(data, dtype=np.uint8)
    nl = _line_feeds(buf)
    if len(nl) > 1:
        gap = np.diff(nl)
        if (gap == 1).any():
            return None  # "\n\n": an empty line (pyarrow skips it: the lines would not be the records' positions)
        after = nl[:-1][gap == 2] + 1
        if len(after) and (buf[after] == 13).any():
            return None  # "\n\r\n": an empty line too
    if b"\r" in data:
        crlf = int((buf[nl[nl > 0] - 1] == 13).sum())
        if data.count(b"\r") != crlf:
            return None  # a carriage return alone is a line break to pyarrow, not to the line count
    return len(nl) + (0 if data.endswith(b"\n") else 1)


def _line_feeds(buf: np.ndarray) -> np.ndarray:
    """Positions of the line feeds, found a few MB at a time into one reused mask (a mask of the whole file
    would be 88 MB of fresh pages for the bench's CSV)."""
    step = 1 << 22
    mask = np.empty(min(step, len(buf)), dtype=bool)
    parts = []
    for lo in range(0, len(buf), step):
        chunk = buf[lo : lo + step]
        np.equal(chunk, 10, out=mask[: len(chunk)])
        parts.append(np.flatnonzero(mask[: len(chunk)]) + lo)
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)


def _arrow_read(data: bytes, delim: str, encoding: str, ncols: int) -> Any:
    """pyarrow's parallel parse into `ncols` text columns (empty = missing), or None when it refuses the file
    (a row of another width, text that is not in the encoding)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    try:
        return pacsv.read_csv(
            pa.py_buffer(data),
            read_options=pacsv.ReadOptions(column_names=[str(i) for i in range(ncols)], encoding=encoding),
            parse_options=pacsv.ParseOptions(delimiter=delim, quote_char='"', newlines_in_values=False),
            convert_options=pacsv.ConvertOptions(
                column_types={str(i): pa.large_string() for i in range(ncols)},  # pandas keeps it as is
                strings_can_be_null=True,
                null_values=[""],
            ),
        )
    except (pa.ArrowInvalid, ValueError):
        return None


# A line of more fields than Excel has columns is no table a BPPW sends; each column costs work (100,000 took
# half a minute), so such a file is refused, with its width.
MAX_CSV_FIELDS = 16_384


def _check_width(fields: int) -> None:
    if fields > MAX_CSV_FIELDS:
        raise FileProblem("csv-too-wide", columns=fields, limit=MAX_CSV_FIELDS)


def _strip_eol(line: str) -> str:
    return line[:-2] if line.endswith("\r\n") else line[:-1] if line.endswith(("\n", "\r")) else line


def _csv_records(text: str, delim: str) -> tuple[list[list[str]], list[int], list[int], list[tuple[int, int]]]:
    """(records, the line where each starts, blank lines, broken quotes as (line, field index)).

    The csv module in strict mode finds a quote that is never closed (the end of the file inside quotes) or
    that closes and is followed by more text after a line break. Either way the quoted field swallowed the
    lines after its own: that line is read alone (the broken field keeps the rest of its line) and marked,
    and reading starts again on the next line, so no line is lost inside one cell. A quote followed by text
    on the same line ("a"b) is read as the lenient reader and pyarrow read it (ab).
    """
    csv.field_size_limit(2**31 - 1)  # a long cell is a value to check at its address, never a crash
    lines = io.StringIO(text, newline="").readlines()
    records: list[list[str]] = []
    starts: list[int] = []
    blank: list[int] = []
    broken: list[tuple[int, int]] = []
    i = 0
    while i < len(lines):
        reader = csv.reader((lines[k] for k in range(i, len(lines))), delimiter=delim, strict=True)
        prev = 0
        try:
            for rec in reader:
                start = i + prev + 1
                prev = reader.line_num
                if rec:
                    records.append(rec)
                    starts.append(start)
                else:
                    blank.append(start)
            break
        except csv.Error as exc:
            bad = i + prev  # 0-based index of the line where the failing record starts
            spans = reader.line_num - prev > 1 or "end of data" in str(exc)
            (fields,) = list(csv.reader([_strip_eol(lines[bad])], delimiter=delim)) or [[]]
            records.append(fields)
            starts.append(bad + 1)
            if spans:
                broken.append((bad + 1, max(len(fields) - 1, 0)))
            i = bad + 1
    return records, starts, blank, broken


def _read_csv_python(text: str, delim: str) -> RawSheet:
    import pandas as pd

    rows, starts, blank, broken = _csv_records(text, delim)
    width = max((len(r) for r in rows), default=0)
    _check_width(width)
    grid = _as_text_grid(pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=object))
    sheet = RawSheet(name=None, grid=grid, row_numbers=np.array(starts, dtype=np.int64))
    sheet.blank_lines = np.array(blank, dtype=np.int64)
    sheet.problems = [(line, col, "csv-quote-unclosed", {}, True) for line, col in broken]
    return sheet
