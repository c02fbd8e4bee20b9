"""Read xlsx and CSV files into raw grids of text that keep every cell's real address.

A grid is a DataFrame of text (None = empty cell) with integer columns; `row_numbers[i]` is the row (Excel)
or line (CSV) where grid row i starts, and `origin_col` the 0-based column of grid column 0. calamine drops
leading empty rows and columns, so the origin is recovered from the sheet XML.
"""

from __future__ import annotations

import csv
import io
import os
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

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


def read_file(path: Path, max_uncompressed_mb: int = DEFAULT_MAX_UNCOMPRESSED_MB) -> list[RawSheet]:
    """Every sheet of an xlsx, or the one table of a CSV. Raises FileProblem when the file is unusable."""
    suffix = path.suffix.lower()
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise FileProblem("file-unreadable", reason=exc.strerror or str(exc)) from exc
    if suffix in (".xlsx", ".xlsm"):
        if head.startswith(_OLE_MAGIC):
            raise FileProblem("file-encrypted")
        return read_xlsx(path, max_uncompressed_mb)
    if suffix in (".csv", ".txt"):
        size_mb = path.stat().st_size / 1e6
        if size_mb > max_uncompressed_mb:
            raise FileProblem("file-too-large", size=round(size_mb), limit=max_uncompressed_mb)
        return [read_csv(path)]
    raise FileProblem("file-not-workbook")


def _arrow_text_grid(batch: object) -> pd.DataFrame:
    """A calamine record batch as a text grid: empty strings become missing in Arrow, before pandas."""
    import pyarrow as pa
    import pyarrow.compute as pc

    cols = []
    for col in batch.columns:  # type: ignore[attr-defined]
        col = col.cast(pa.string())
        cols.append(pc.if_else(pc.equal(col, ""), pa.scalar(None, pa.string()), col))
    table = pa.table(cols, names=[str(i) for i in range(len(cols))])
    grid = table.to_pandas()
    grid.columns = pd.RangeIndex(len(cols))
    return grid


def _as_text_grid(grid: pd.DataFrame, empty_is_null: bool = False) -> pd.DataFrame:
    """Columns 0..n-1 of Arrow-backed text; empty cells are missing. Arrow text keeps big sheets compact
    (no Python object per cell) and makes factorize and string operations run in C."""
    cols = {}
    for j in range(grid.shape[1]):
        col = grid.iloc[:, j].astype("str")
        cols[j] = col if empty_is_null else col.where(col != "")
    return pd.DataFrame(cols, index=pd.RangeIndex(len(grid)))


# ---------------------------------------------------------------------------------------------- xlsx


def _check_zip(path: Path, max_mb: int) -> zipfile.ZipFile:
    try:
        zf = zipfile.ZipFile(path)
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise FileProblem("file-unreadable", reason=f"bukan zip xlsx yang utuh ({exc})") from exc
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if total > max_mb * 1e6 or (total > 50e6 and total / packed > MAX_COMPRESSION_RATIO):
        zf.close()
        raise FileProblem("file-too-large", size=round(total / 1e6), limit=max_mb)
    names = set(zf.namelist())
    if "xl/workbook.xml" not in names:
        zf.close()
        raise FileProblem("file-not-workbook")
    return zf


def _sheet_paths(zf: zipfile.ZipFile) -> dict[str, str]:
    from defusedxml import ElementTree

    ns_main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    ns_rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    wb = ElementTree.fromstring(zf.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    out: dict[str, str] = {}
    for sheet in wb.iter(f"{ns_main}sheet"):
        target = targets.get(sheet.get(f"{ns_rel}id"), "")
        target = target.lstrip("/")
        out[sheet.get("name", "")] = target if target.startswith("xl/") else f"xl/{target}"
    return out


def _percent_styles(zf: zipfile.ZipFile) -> set[str]:
    """Indices of cell styles whose number format is a percentage."""
    from defusedxml import ElementTree

    if "xl/styles.xml" not in zf.namelist():
        return set()
    ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    root = ElementTree.fromstring(zf.read("xl/styles.xml"))
    pct_fmts = {"9", "10"}
    for fmt in root.iter(f"{ns}numFmt"):
        code = re.sub(r'"[^"]*"|\\.', "", fmt.get("formatCode", ""))
        if "%" in code:
            pct_fmts.add(fmt.get("numFmtId", ""))
    xfs = root.find(f"{ns}cellXfs")
    if xfs is None:
        return set()
    return {str(i) for i, xf in enumerate(xfs) if xf.get("numFmtId") in pct_fmts}


_CELL_VALUE = re.compile(rb'<c r="([A-Z]+)(\d+)"[^>]*?(?<!/)>(?:(?!</c>).)*?<(?:v|is)>', re.S)
_MERGE = re.compile(rb'<mergeCell ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')


def _scan_sheet_xml(
    zf: zipfile.ZipFile, member: str, pct_styles: set[str]
) -> tuple[tuple[int, int] | None, list[tuple[int, int, int, int]], set[tuple[int, int]]]:
    """One streamed pass: the first valued cell, merged ranges, and cells styled as percentages."""
    first: tuple[int, int] | None = None
    merges: list[tuple[int, int, int, int]] = []
    pct: set[tuple[int, int]] = set()
    pct_re = (
        re.compile(rb'<c r="([A-Z]+)(\d+)"[^>]*? s="(?:' + "|".join(pct_styles).encode() + rb')"')
        if pct_styles
        else None
    )
    tail = b""
    with zf.open(member) as fh:
        while True:
            chunk = fh.read(1 << 22)
            buf = tail + chunk
            if first is None:
                m = _CELL_VALUE.search(buf)
                if m:
                    first = (int(m.group(2)), col_index(m.group(1).decode()))
            if pct_re is not None:
                # Only complete tags are matched: the tail kept for the next chunk starts after the last one.
                cut = buf.rfind(b"<c ") if chunk else len(buf)
                for m in pct_re.finditer(buf, 0, cut if cut > 0 else len(buf)):
                    pct.add((int(m.group(2)), col_index(m.group(1).decode())))
                tail = buf[cut:] if chunk and cut > 0 else b""
            else:
                tail = buf[-4096:] if chunk else b""
            if b"<mergeCell " in buf:
                for m in _MERGE.finditer(buf):
                    r = (
                        int(m.group(2)),
                        col_index(m.group(1).decode()),
                        int(m.group(4)),
                        col_index(m.group(3).decode()),
                    )
                    if r not in merges:
                        merges.append(r)
            if not chunk:
                break
    return first, merges, pct


def read_xlsx(path: Path, max_uncompressed_mb: int = DEFAULT_MAX_UNCOMPRESSED_MB) -> list[RawSheet]:
    import fastexcel

    zf = _check_zip(path, max_uncompressed_mb)
    try:
        paths = _sheet_paths(zf)
        pct_styles = _percent_styles(zf)
        try:
            reader = fastexcel.read_excel(str(path))
        except Exception as exc:  # fastexcel raises its own error types for corrupt content
            raise FileProblem("file-unreadable", reason=str(exc).splitlines()[0][:200]) from exc
        sheets: list[RawSheet] = []
        for name in reader.sheet_names:
            member = paths.get(name)
            try:
                sheet = reader.load_sheet(name, header_row=None, dtypes="string")
                grid = _arrow_text_grid(sheet.to_arrow())
            except Exception as exc:
                raise FileProblem("file-unreadable", reason=f"{name}: {str(exc).splitlines()[0][:200]}") from exc
            first: tuple[int, int] | None = None
            merges: list[tuple[int, int, int, int]] = []
            pct: set[tuple[int, int]] = set()
            if member and member in zf.namelist():
                first, merges, pct = _scan_sheet_xml(zf, member, pct_styles)
            origin_row, origin_col = 1, 0
            if first is not None and len(grid):
                origin_row = first[0]
                row0 = grid.iloc[0]
                nonnull = np.flatnonzero(row0.notna().to_numpy())
                origin_col = first[1] - (int(nonnull[0]) if len(nonnull) else 0)
            sheets.append(
                RawSheet(
                    name=name,
                    grid=grid,
                    row_numbers=np.arange(origin_row, origin_row + len(grid), dtype=np.int64),
                    origin_col=max(origin_col, 0),
                    merges=merges,
                    percent_cells=pct,
                )
            )
        return sheets
    finally:
        zf.close()


# ----------------------------------------------------------------------------------------------- CSV


def _sniff_delimiter(text: str) -> str:
    lines = [ln for ln in text.splitlines()[:50] if ln.strip()]
    best, best_score = ";", -1.0
    for delim in (";", ",", "\t"):
        counts = [ln.count(delim) for ln in lines]
        if not counts or max(counts) == 0:
            continue
        modal = max(set(counts), key=counts.count)
        score = counts.count(modal) * (modal > 0) + modal / 1000
        if score > best_score:
            best, best_score = delim, score
    return best


def read_csv(path: Path) -> RawSheet:
    data = path.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    head = data[: 1 << 16]
    try:
        head.decode("utf-8")
        encoding = "utf-8"
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sample is still UTF-8.
        encoding = "utf-8" if exc.start >= len(head) - 3 else "cp1252"
    delim = _sniff_delimiter(head.decode(encoding, errors="replace"))
    # pyarrow checks the UTF-8 itself; invalid text is tried again as cp1252.
    fast = _read_csv_fast(data, delim, encoding)
    if fast is None and encoding == "utf-8":
        fast = _read_csv_fast(data, delim, "cp1252")
        encoding = "cp1252" if fast is not None else encoding
    if fast is not None:
        return fast
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    return _read_csv_python(text, delim)


def _read_csv_fast(data: bytes, delim: str, encoding: str) -> RawSheet | None:
    """pyarrow for files where every record is one line and has the same number of fields.

    Works on the bytes as they are (pyarrow transcodes cp1252). A quoted value that holds a line break, or a
    row with another number of fields, makes it hand the file to the exact (slower) reader, which knows the
    line where each record starts.
    """
    import pyarrow as pa
    import pyarrow.csv as pacsv

    buf = np.frombuffer(data, dtype=np.uint8)
    nl = np.flatnonzero(buf == 10)
    starts = np.concatenate(([0], nl + 1))
    ends = np.concatenate((nl, [len(buf)]))
    if len(starts) and starts[-1] >= len(buf):  # the file ends with a newline: no last line
        starts, ends = starts[:-1], ends[:-1]
    if len(starts) == 0:
        return RawSheet(name=None, grid=pd.DataFrame(), row_numbers=np.array([], dtype=np.int64))
    has_cr = (ends > starts) & (buf[np.maximum(ends - 1, 0)] == 13)
    nonempty = (ends - starts - has_cr) > 0
    first = int(np.flatnonzero(nonempty)[0]) if nonempty.any() else 0
    ncols = bytes(data[starts[first] : ends[first]]).count(delim.encode()) + 1
    bad_rows: list[int] = []

    def on_invalid(row: object) -> str:
        bad_rows.append(1)
        return "skip"

    try:
        table = pacsv.read_csv(
            pa.py_buffer(data),
            read_options=pacsv.ReadOptions(column_names=[str(i) for i in range(ncols)], encoding=encoding),
            parse_options=pacsv.ParseOptions(
                delimiter=delim, quote_char='"', newlines_in_values=False, invalid_row_handler=on_invalid
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={str(i): pa.large_string() for i in range(ncols)},  # pandas keeps it as is
                strings_can_be_null=True,
                null_values=[""],
            ),
        )
    except (pa.ArrowInvalid, ValueError):
        return None
    line_no = np.flatnonzero(nonempty) + 1
    if bad_rows or len(line_no) != table.num_rows:
        return None
    grid = _as_text_grid(table.to_pandas(), empty_is_null=True)
    blank = np.flatnonzero(~nonempty) + 1
    return RawSheet(name=None, grid=grid, row_numbers=line_no.astype(np.int64), blank_lines=blank)


def _read_csv_python(text: str, delim: str) -> RawSheet:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    rows: list[list[str]] = []
    starts: list[int] = []
    blank: list[int] = []
    prev = 0
    for rec in reader:
        start = prev + 1
        prev = reader.line_num
        if not rec:
            blank.append(start)
            continue
        rows.append(rec)
        starts.append(start)
    width = max((len(r) for r in rows), default=0)
    grid = _as_text_grid(pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=object))
    sheet = RawSheet(name=None, grid=grid, row_numbers=np.array(starts, dtype=np.int64))
    sheet.blank_lines = np.array(blank, dtype=np.int64)
    return sheet
