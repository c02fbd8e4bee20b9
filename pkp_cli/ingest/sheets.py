"""One sheet at a time: its header and kind, its row classes (data, blank, totals, heading), its records with
cell addresses; then the records of all sheets of a kind combined and parsed in one pass."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pkp_cli.ingest import parse
from pkp_cli.ingest.contract import (
    KIND_PROGRES,
    KIND_TEMUAN,
    NAME_COLUMNS,
    TOTALS_WORDS,
    columns_of,
)
from pkp_cli.ingest.header import Layout, WideGroup, detect_layout
from pkp_cli.ingest.read import FileProblem, RawSheet, col_letter, read_file, top_rows
from pkp_cli.model.issues import SheetReport
from pkp_cli.model.schedule import Schedule


@dataclass
class SheetRecords:
    file: str
    sheet: RawSheet
    layout: Layout
    report: SheetReport
    records: pd.DataFrame  # canonical values, _raw_*, _row, _src, _grp, _file, _sheet
    errors: pd.DataFrame  # rec, column, code, params
    # Per record group (one for long form, one per stage for wide form): canonical -> absolute column, header.
    group_cols: list[dict[str, int]] = field(default_factory=list)
    group_headers: list[dict[str, str]] = field(default_factory=list)
    conflicts: list[tuple[str, str]] = field(default_factory=list)  # (column, headers) claimed twice
    members: list[SheetRecords] = field(default_factory=list)  # the sheets of a combined set
    data_rows: int = 0
    report_date: date | None = None
    report_date_source: str | None = None
    report_date_cell: tuple[int, int] | None = None
    # Row-check warnings of a parsed set (rec, column, code, params), kept with it for the per-file cache.
    warnings: pd.DataFrame | None = None
    arrow: Any = None  # the records as an Arrow table, for a set cut from a batch or read from the cache
    # The parse's factorisation of a key column whose values it left as they were (see `factorized`).
    factorizations: dict[str, tuple[Any, np.ndarray, Any]] = field(default_factory=dict)
    # Every big text column's factorisation the parse made, (the Arrow array it was made from, int32 codes, distinct
    # values): the file's cache entry writes those columns as dictionaries (units.to_arrow), then lets them go.
    dictionaries: list[tuple[Any, np.ndarray, Any]] = field(default_factory=list)


def classify_rows(sheet: RawSheet, layout: Layout) -> tuple[np.ndarray, SheetReport]:
    """Class per grid row below the header: 0 data, 1 blank, 2 totals, 3 heading. Trailing empties dropped."""
    start = layout.data_start
    n_rows, n_cols = max(len(sheet.grid) - start, 0), sheet.grid.shape[1]
    columns = sheet.columns()
    # A small sheet's columns chained into one Arrow array: its flags come from one pass of Arrow kernels, and the
    # text of each row's first filled cell from one take (a big sheet's columns are tested one at a time).
    chained = _chained(columns, start, n_rows, n_cols)
    # One flag row per column (a row-major block's reductions along its short rows cost more than the flags).
    filled = _filled_grid(columns, start, n_rows, n_cols, chained)
    any_filled = np.logical_or.reduce(filled) if n_cols else np.zeros(n_rows, dtype=bool)
    last = int(np.flatnonzero(any_filled)[-1]) + 1 if any_filled.any() else 0
    filled = filled[:, :last]
    any_filled = any_filled[:last]
    cls = np.zeros(last, dtype=np.int8)
    cls[~any_filled] = 1
    # Totals: the first filled cell says JUMLAH / TOTAL / SUBTOTAL / REKAP.
    totals = np.zeros(last, dtype=bool)
    if chained is not None:
        if last:
            rows = np.flatnonzero(any_filled)
            first = filled[:, rows].argmax(axis=0)  # the first True down each row's column flags
            cells = chained.take(first * n_rows + rows)
            totals[rows] = _is_total(columns[0]._from_pyarrow_array(cells))
    else:
        first_col = np.full(last, -1, dtype=np.int64)
        for k in range(n_cols - 1, -1, -1):
            first_col[filled[k]] = k
        for j in np.flatnonzero(np.bincount(first_col + 1, minlength=n_cols + 1)[1:]):
            here = first_col == j
            column = columns[int(j)][start : start + last]
            if not _may_hold_word(column, here):
                continue  # a code or number column: its 1.66 M cells are not hashed for it
            # Judged once per distinct text: a code column repeats the same few thousand values.
            codes, uniques = _factorize(pd.Series(column, copy=False))
            totals |= here & np.append(_is_total(uniques), False)[codes]
    cls[(cls == 0) & totals] = 2
    # Group headings: no key, and text only in a name, No or unmapped column.
    key = "nomor_temuan" if layout.kind == KIND_TEMUAN else "kode_lokasi"
    value_cols = [j for c, j in layout.columns.items() if c not in NAME_COLUMNS and c not in ("keterangan",)] + [
        j for g in layout.wide for j in g.columns.values()
    ]
    key_col = layout.columns.get(key)
    if key_col is not None and value_cols:
        has_value = np.logical_or.reduce(filled[sorted(set(value_cols))])
        cls[(cls == 0) & ~has_value] = 3
    report = SheetReport(
        name=sheet.name,
        kind=layout.kind,
        header_row=int(sheet.row_numbers[layout.header_index]),
        header_end_row=int(sheet.row_numbers[layout.data_start - 1]),
        blank=int((cls == 1).sum()) + _blank_lines_between(sheet, layout, last),
        totals=int((cls == 2).sum()),
        headings=int((cls == 3).sum()),
    )
    return cls, report


def _may_hold_word(values: Any, rows: np.ndarray) -> bool:
    """Whether a cell of `rows` may start with a totals word: not when every one of them starts with an ASCII digit
    (a code or number column), as no word of TOTALS_WORDS does, stripped and lower-cased as `_is_total` does
    (lower() keeps a digit a digit; a cell starting with white space counts as a may). Each cell's first byte is
    read from the Arrow buffers (no GIL, no copy of the text) instead of factorising the column: 1.66 M codes
    hashed cost about 0.1 s."""
    first = _first_bytes(getattr(values, "_pa_array", None))
    if first is None or len(first) != len(rows):
        return True
    return bool((rows & ((first < 0x30) | (first > 0x39))).any())


def _first_bytes(arr: Any) -> np.ndarray | None:
    """The first byte of each cell of Arrow text (any byte for an empty or missing cell), or None (not text)."""
    import pyarrow as pa

    if arr is None or not isinstance(arr, pa.ChunkedArray):
        return None
    parts = []
    for chunk in arr.chunks:
        if chunk.type == pa.large_string():
            width: Any = np.int64
        elif chunk.type == pa.string():
            width = np.int32
        else:
            return None
        _validity, offsets_buf, data_buf = chunk.buffers()
        n, at = len(chunk), chunk.offset
        offsets = np.frombuffer(offsets_buf, dtype=width, count=at + n + 1)[at : at + n] if n else np.zeros(0, width)
        data = np.frombuffer(data_buf, dtype=np.uint8) if data_buf is not None else np.zeros(0, np.uint8)
        parts.append(data[np.minimum(offsets, len(data) - 1)] if len(data) else np.zeros(n, np.uint8))
    return np.concatenate(parts) if parts else np.zeros(0, np.uint8)


_TOTALS_RE = "^(?:" + "|".join(re.escape(w) for w in TOTALS_WORDS) + r")\b"


def _is_total(uniques: Any) -> np.ndarray:
    """`Series(uniques, dtype="str").str.strip().str.lower().str.match(_TOTALS_RE).fillna(False)` as a bool array.

    For Arrow text pandas runs these as Arrow kernels, and the match with Arrow's regex engine when every text is
    ASCII (with Python's `re` otherwise, as its \\b is Unicode-aware); but each call first parses the pattern
    with Python's regex parser to decide, about 1.5 ms a sheet. The ASCII case is called here the way pandas
    calls it (`^(<pattern without ^>)`); anything else goes through pandas itself.
    """
    import pyarrow.compute as pc

    values = uniques.array if isinstance(uniques, pd.Index) else uniques  # factorize gives an Index here
    arr = getattr(values, "_pa_array", None)
    if arr is not None and str(getattr(values, "dtype", "")) == "str":
        text = pc.utf8_lower(pc.utf8_trim_whitespace(arr))
        if pc.all(pc.string_is_ascii(text), min_count=0).as_py():
            hit = pc.match_substring_regex(text, f"^({_TOTALS_RE[1:]})")
            return np.asarray(pc.fill_null(hit, False).to_numpy(zero_copy_only=False), dtype=bool)
    is_total = pd.Series(uniques, dtype="str").str.strip().str.lower().str.match(_TOTALS_RE).fillna(False)
    return is_total.to_numpy(dtype=bool)


# Cells up to which a sheet's columns are chained for the filled-cell test (the kernels' per-call cost is what
# chaining saves; on a 1.66 M-row CSV it would only hold the lengths of 33 M cells at once).
CHAIN_CELLS = 1_000_000


def _chained(columns: list[Any], start: int, n_rows: int, n_cols: int) -> Any:
    """A small sheet's columns from row `start` on as one Arrow text array, column after column (`n_rows` cells
    each), or None: a big sheet (no lengths of every cell at once), one column, or columns not all Arrow text of
    one type."""
    import pyarrow as pa

    if not n_rows or n_cols < 2 or n_rows * n_cols > CHAIN_CELLS:
        return None
    parts: list[Any] = [getattr(columns[j], "_pa_array", None) for j in range(n_cols)]
    if not all(p is not None and p.type == parts[0].type for p in parts):
        return None
    if start:
        parts = [p.slice(start) for p in parts]
    return pa.chunked_array([c for p in parts for c in p.chunks], type=parts[0].type)


def _filled_grid(columns: list[Any], start: int, n_rows: int, n_cols: int, chained: Any = None) -> np.ndarray:
    """`_filled` of every column from row `start` on, one row of flags per column (n_cols x n_rows): for a small
    sheet one pass of Arrow kernels over its columns chained (`_chained`; each column alone costs four kernel
    calls, and a sheet has dozens of columns)."""
    if chained is None:
        chained = _chained(columns, start, n_rows, n_cols)
    if chained is not None:
        return _filled_arrow(chained).reshape(n_cols, n_rows)
    out = np.empty((n_cols, n_rows), dtype=bool)
    for j in range(n_cols):
        out[j] = _filled(columns[j][start:])
    return out


def _filled(values: Any) -> np.ndarray:
    """Cells holding more than white space, computed by Arrow in one pass over the column."""
    import pyarrow as pa

    arr = values._pa_array if hasattr(values, "_pa_array") else pa.array(values, type=pa.string(), from_pandas=True)
    if isinstance(arr, pa.ChunkedArray) and arr.type == pa.large_string() and len(arr):
        # Chunk by chunk (a CSV's column comes from pyarrow's parallel parse in dozens of chunks: 85 for the
        # bench's 1.66 M rows), each from its offsets, into one array of flags.
        out = np.empty(len(arr), dtype=bool)
        at = 0
        for chunk in arr.chunks:
            n = len(chunk)
            if n:
                out[at : at + n] = _filled_by_offsets(chunk)
                at += n
        return out
    return _filled_arrow(arr)


# First bytes a text made only of white space can start with: ASCII white space (as Arrow's utf8_is_space reads
# it) and every non-ASCII lead byte (U+0085, U+00A0, U+2000...). A text starting with any other byte is filled.
_MAY_BE_SPACE = np.zeros(256, dtype=bool)
_MAY_BE_SPACE[[9, 10, 11, 12, 13, 28, 29, 30, 31, 32]] = True
_MAY_BE_SPACE[128:] = True


def _filled_by_offsets(arr: Any) -> np.ndarray | None:
    """`_filled_arrow` of one large-string array, from its offsets and first bytes: a cell is filled when it is
    present, not empty, and its first byte cannot start white space; only the few others go through
    `utf8_is_space` (on a big sheet the kernels' passes over every cell cost twice this). None: an empty array."""
    import pyarrow as pa
    import pyarrow.compute as pc

    n, first = len(arr), arr.offset  # a slice (the rows below the header) starts `first` cells into its buffers
    if not n:
        return None
    validity, offsets, data = arr.buffers()
    ends = np.frombuffer(offsets, dtype=np.int64, count=n + 1, offset=first * 8)
    filled = ends[1:] > ends[:-1]
    if validity is not None and arr.null_count:
        bits = np.unpackbits(np.frombuffer(validity, dtype=np.uint8), count=first + n, bitorder="little")
        filled &= bits[first:].view(bool)
    at = np.flatnonzero(filled)
    if data is None or not len(at):
        return filled
    odd = at[_MAY_BE_SPACE[np.frombuffer(data, dtype=np.uint8)[ends[at]]]]
    if len(odd):
        space = pc.utf8_is_space(arr.take(pa.array(odd)))
        filled[odd] = ~np.asarray(pc.fill_null(space, False).to_numpy(zero_copy_only=False), dtype=bool)
    return filled


def _filled_arrow(arr: Any) -> np.ndarray:
    import pyarrow.compute as pc

    # Not empty and not only white space; no trimmed copy of the column is made. Empty is zero bytes (the
    # offsets alone; counting characters would read every byte).
    filled = pc.and_(pc.greater(pc.binary_length(arr), 0), pc.invert(pc.utf8_is_space(arr)))
    return np.asarray(pc.fill_null(filled, False).to_numpy(zero_copy_only=False), dtype=bool)


def _blank_lines_between(sheet: RawSheet, layout: Layout, last: int) -> int:
    """CSV empty lines between the header and the last non-empty row (not in the grid)."""
    if not len(sheet.blank_lines) or last == 0:
        return 0
    lo = sheet.row_numbers[layout.data_start - 1]
    hi = sheet.row_numbers[layout.data_start + last - 1]
    return int(((sheet.blank_lines > lo) & (sheet.blank_lines < hi)).sum())


def extract_records(
    sheet: RawSheet, layout: Layout, data_idx: np.ndarray, file: str
) -> tuple[pd.DataFrame, list[dict[str, int]], list[dict[str, str]]]:
    """Records of the data rows: one per row (long form) or one per row and stage (wide form).

    Cell addresses and headers are kept per group of records, not per record: a 1.66 M-row sheet would
    otherwise carry millions of copies of the same header text.
    """
    grid = sheet.columns()
    rows = layout.data_start + data_idx
    groups: list[WideGroup | None] = list(layout.wide) or [None]
    group_cols: list[dict[str, int]] = []
    group_headers: list[dict[str, str]] = []
    picks: list[np.ndarray] = []  # per group: the grid rows that hold a record
    # A small wide sheet's columns chained (each stage's cells are taken from it in one take a column, not one a
    # column and stage: a sheet of 10 stages had about 90 takes), with the cells that hold a value.
    chained = _chained(grid, 0, len(sheet.grid), len(grid)) if layout.wide and _all_text(grid) else None
    filled = None if chained is None else _valid(chained).reshape(len(grid), len(sheet.grid))[:, rows]
    for g in groups:
        cols = dict(layout.columns)
        headers = {c: layout.headers[j] for c, j in cols.items()}
        pick = rows
        if g is not None:
            cols.update(g.columns)
            headers.update({c: layout.headers[j] for c, j in g.columns.items()})
            headers["tahapan"] = g.stage_text
            # A stage with no value in this row is simply not reported: not a record.
            if filled is not None:
                present = np.logical_or.reduce(filled[list(g.columns.values())])
            else:
                present = np.zeros(len(rows), dtype=bool)
                for j in g.columns.values():
                    present |= ~np.asarray(pd.isna(grid[j].take(rows)), dtype=bool)
            pick = rows[present]
        group_cols.append({c: sheet.origin_col + j for c, j in cols.items()})
        group_headers.append(headers)
        picks.append(pick)
    all_rows = np.concatenate(picks) if picks else rows
    rec: dict[str, Any] = {
        "_row": sheet.row_numbers[all_rows],
        "_src": all_rows - layout.data_start,
        "_grp": np.repeat(np.arange(len(groups)), [len(p) for p in picks]),
    }
    canon = sorted({c for gc in group_cols for c in gc})
    contiguous = len(groups) == 1 and len(rows) > 0 and rows[-1] - rows[0] + 1 == len(rows)
    n_grid = len(sheet.grid)
    for c in canon:
        if contiguous:
            # One group over contiguous rows (the usual long form): a zero-copy slice of the column.
            rec[c] = grid[layout.columns[c]][rows[0] : rows[-1] + 1]
            continue
        if chained is not None:
            # Each group's cells of this column at their places in the chained columns (missing where a group
            # has no such column), taken at once: the values pd.concat of the groups' takes gives.
            at = [(gc[c] - sheet.origin_col) * n_grid + pick if c in gc else np.full(len(pick), -1) for gc, pick in
                  zip(group_cols, picks, strict=True)]  # fmt: skip
            rec[c] = grid[0]._from_pyarrow_array(chained.take(_indices(np.concatenate(at))))
            continue
        parts = []
        for gc, pick in zip(group_cols, picks, strict=True):
            if c in gc:
                parts.append(grid[gc[c] - sheet.origin_col].take(pick))
            else:
                parts.append(pd.array([None] * len(pick), dtype="str"))
        rec[c] = _concat_arrays(parts)
    if layout.wide and "tahapan" not in canon:
        if chained is not None:
            import pyarrow as pa

            # Each group's stage text repeated over its records: one take from the groups' texts.
            texts = pa.array([g.stage_text if g else None for g in groups], type=pa.large_string())
            rec["tahapan"] = grid[0]._from_pyarrow_array(pa.chunked_array([texts.take(rec["_grp"])]))
        else:
            stages = [
                pd.array([g.stage_text if g else None] * len(p), dtype="str")
                for g, p in zip(groups, picks, strict=True)
            ]
            rec["tahapan"] = _concat_arrays(stages)
    if "progres_persen" in rec:
        # Which progress cells are formatted as percentages, set before the frame is made (a column assigned to
        # a frame costs about 0.3 ms; a folder holds dozens of sheets).
        rec["_pct"] = _percent_flags(sheet, rec["_row"], rec["_grp"], group_cols)
    # The file and sheet of each record are set once for all sheets of a kind (pkp_cli.ingest.units.provenance).
    return _frame_of(rec, len(all_rows)), group_cols, group_headers


def _frame_of(arrays: dict[str, Any], n: int) -> pd.DataFrame:
    """A frame of these arrays as they are: new or read-only slices, of equal length, under distinct names.

    Made without the dict constructor's checks (about 0.11 ms of a 0.16 ms frame; a folder holds dozens of
    sheets), and each numpy array its own block: pandas' constructors stack arrays of one dtype into one block,
    a copy (the row numbers, source rows and groups of a 1.66 M-row CSV: 40 MB written, 0.06-0.09 s) that nothing
    after needs. pandas is pinned to 3.1."""
    from pandas.core.internals.construction import arrays_to_mgr

    mgr = arrays_to_mgr(
        list(arrays.values()), pd.Index(list(arrays)), pd.RangeIndex(n), verify_integrity=False, consolidate=False
    )
    return pd.DataFrame._from_mgr(mgr, axes=mgr.axes)  # type: ignore[attr-defined]


def _all_text(columns: list[Any]) -> bool:
    """Every column pandas' Arrow text ("str" dtype, whose missing value is NaN), as the xlsx and CSV readers make."""
    return bool(columns) and all(str(getattr(a, "dtype", "")) == "str" and hasattr(a, "_pa_array") for a in columns)


def _valid(arr: Any) -> np.ndarray:
    """Cells that are not missing, as a bool array."""
    import pyarrow.compute as pc

    return np.asarray(pc.is_valid(arr).to_numpy(zero_copy_only=False), dtype=bool)


def _indices(at: np.ndarray) -> Any:
    """Take indices, -1 meaning a missing value."""
    import pyarrow as pa

    missing = at < 0
    return pa.array(at, mask=missing) if missing.any() else at


def _concat_arrays(parts: list[Any]) -> Any:
    if len(parts) == 1:
        return parts[0]
    first = parts[0]
    if isinstance(first, pd.api.extensions.ExtensionArray) and all(
        type(p) is type(first) and p.dtype == first.dtype for p in parts
    ):
        # What pd.concat does for arrays of one type and dtype (the same chunks), without a Series per part and
        # the concat machinery around it: about 0.13 ms a column, and a wide sheet has a part per stage.
        kind: Any = type(first)
        return kind._concat_same_type(parts)
    return pd.concat([pd.Series(p) for p in parts], ignore_index=True).array


# A code already written as pkp writes it (51, 51.04, 51.04.01, 51.04.01.2001) parses to itself without an error.
_CANONICAL_CODE = r"^\d{2}(?:\.\d{2}(?:\.\d{2}(?:\.\d{4})?)?)?$"


def parse_distinct(raw: pd.Series, value_type: str) -> tuple[pd.Series, pd.Series]:
    """The column's parser run on its distinct values only, the results spread back by their codes.

    A 1.66 M-row column holds a few hundred dates or 83,000 codes: they are found once (one hash pass in
    Arrow), and codes already in canonical form skip the parser (and its per-value Python) altogether.
    """
    vals, bad, codes = parse_distinct_sparse(raw, value_type)
    errs = np.full(len(raw), None, dtype=object)
    errs[bad] = codes
    return vals, pd.Series(errs, index=raw.index, dtype=object)


def parse_distinct_sparse(raw: pd.Series, value_type: str) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """`parse_distinct` with its errors as (the rows that have one, their codes): most rows have none, and a
    column of 1.66 M Python Nones, built and then searched for the few that are not, costs more than the parse."""
    vals, bad, bad_codes, _codes, _uniques = _parse_distinct_parts(raw, value_type)
    return vals, bad, bad_codes


def _parse_distinct_parts(
    raw: pd.Series, value_type: str, factorization: tuple[np.ndarray, Any] | None = None
) -> tuple[pd.Series, np.ndarray, np.ndarray, Any, Any]:
    """`parse_distinct_sparse` and the column's factorisation (codes, distinct values) it was parsed through
    (`factorization`: `_factorize(raw)`, made already)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    parser = parse.PARSERS[value_type]
    codes, uniques = factorization if factorization is not None else _factorize(raw)
    if not len(uniques) or (len(uniques) * 2 > len(raw) and value_type != "code"):
        vals, errs = parser(raw)  # mostly distinct (or empty): nothing to gain, but for the canonical codes
        bad = np.flatnonzero(errs.notna().to_numpy(dtype=bool))
        return vals, bad, errs.to_numpy(dtype=object)[bad], codes, uniques
    u = pd.Series(uniques, dtype=raw.dtype if str(raw.dtype) == "str" else object)
    if value_type == "code" and str(u.dtype) == "str":
        good = np.asarray(pc.fill_null(pc.match_substring_regex(pa.array(u.array), _CANONICAL_CODE), False), dtype=bool)
    else:
        good = np.zeros(len(u), dtype=bool)
    errs_u = np.full(len(u), None, dtype=object)
    if good.all():
        vals_u: Any = u.array
    else:
        rest = np.flatnonzero(~good)
        v_rest, e_rest = parser(u.iloc[rest].reset_index(drop=True))
        if good.any():
            vals_u = pd.array(u.array, dtype=v_rest.dtype, copy=True)
            vals_u[rest] = v_rest.array
        else:
            vals_u = v_rest.array
        errs_u[rest] = e_rest.to_numpy(dtype=object)
    # Only the values that went through the parser can have an error (a canonical code has none): no Python
    # test per distinct value of a clean code column (83,000 of them).
    bad_u = np.zeros(len(u), dtype=bool)
    if not good.all():
        rest_errs = errs_u[rest]
        bad_u[rest] = [e is not None and not (isinstance(e, float) and np.isnan(e)) for e in rest_errs]
    if bad_u.any():
        bad = np.flatnonzero(np.append(bad_u, False)[np.where(codes >= 0, codes, len(u))])
        bad_codes = errs_u[codes[bad]]
    else:
        bad, bad_codes = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=object)
    same = str(raw.dtype) == "str" and value_type in ("code", "text", "stage", "program")
    if same and (vals_u is u.array or bool((pd.Series(vals_u) == u).all())):
        vals = raw  # every distinct value parses to itself (clean codes and names): the column as it is
    else:
        # (copy=False: pandas 3 copies an array given to a Series, 13 MB of fresh memory for a date column)
        vals = pd.Series(vals_u.take(codes, allow_fill=True), index=raw.index, copy=False)
    return vals, bad, bad_codes, codes, uniques


def _factorize(raw: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """`pd.factorize(raw, use_na_sentinel=True)`, for Arrow text with the codes as Arrow made them (int32, read
    only): pandas factorises Arrow text by Arrow's `dictionary_encode` too (the same numbering and distinct
    values), then copies the codes into a new int64 array (writable), on 1.66 M rows 13 MB of fresh memory a
    column, a dozen columns a load. Anything else through pandas."""
    import pyarrow.compute as pc

    arr = getattr(raw.array, "_pa_array", None)
    if arr is None or str(raw.dtype) != "str" or not len(raw):
        codes, uniques = pd.factorize(raw, use_na_sentinel=True)
        return codes, uniques
    encoded = arr.dictionary_encode(null_encoding="mask").combine_chunks()
    indices = encoded.indices
    if indices.null_count:
        indices = pc.fill_null(indices, -1)
    codes = indices.to_numpy(zero_copy_only=False)
    return codes, pd.Index(raw.array._from_pyarrow_array(encoded.dictionary), copy=False)  # as pd.factorize


# A big column's cells as written (`_raw_<column>`, read only for the messages of the rows with an error) are kept
# as a categorical of its distinct values when it parsed to something else (dates: 1.66 M texts, a few hundred
# distinct): two bytes a row instead of about twenty, for the whole of the checks.
COMPACT_RAW_ROWS = 50_000


def _compact_raw(raw: pd.Series, vals: pd.Series, codes: Any, uniques: Any) -> pd.Series:
    """`raw` itself, or the same cells as a categorical built from the parse's factorisation."""
    if len(raw) < COMPACT_RAW_ROWS or vals is raw or str(raw.dtype) != "str" or len(uniques) * 4 > len(raw):
        return raw
    categories = pd.Index(uniques, dtype="str")
    if not categories.is_unique:  # never from a factorisation; the text as it is, if it were
        return raw
    cat = pd.Categorical.from_codes(np.asarray(codes), dtype=pd.CategoricalDtype(categories))
    return pd.Series(cat, index=raw.index, copy=False)


# The columns the progress checks factorise again (location code, program, stage): 1.66 M-row text columns each
# hashed by the parse already, whose (codes, distinct values) are kept for the checks (`factorized`).
REUSED_FACTORIZATIONS = ("kode_lokasi", "program", "tahapan")


def factorizing_ahead(members: list[SheetRecords], kind: str) -> _Factorizer | None:
    """The factorisations `parse_records` will want of the records `combine(members)` makes, started now from the
    one member's own records (the same text columns, the same Arrow arrays: `combine` adds only columns of its
    own), so that the helper thread works while `combine` runs (about 0.05 s on 1.66 M rows) instead of after
    it. None for several members (their columns are joined first)."""
    if len(members) != 1:
        return None
    rec = members[0].records
    return _Factorizer(rec, [c for c in columns_of(kind) if c in rec.columns])


def parse_records(
    rec: pd.DataFrame,
    kind: str,
    keep: dict[str, tuple[Any, np.ndarray, Any]] | None = None,
    factorizing: _Factorizer | None = None,
    dictionaries: list[tuple[Any, np.ndarray, Any]] | None = None,
) -> list[pd.DataFrame]:
    """Parse every contract column of `rec` in place; the errors as tables (rec, column, code). With `keep`, the
    factorisation of each of REUSED_FACTORIZATIONS that parsed to itself is kept there (`factorized`).
    `factorizing`: `factorizing_ahead` of the members `rec` was combined from (their columns' values are rec's).
    With `dictionaries`, each factorisation of a text column kept as it is (its `_raw_` cells, and the column
    itself when it parsed to itself) is added there (SheetRecords.dictionaries)."""
    errors = []
    spec = columns_of(kind)
    ahead = factorizing if factorizing is not None else _Factorizer(rec, [c for c in spec if c in rec.columns])
    for c, col in spec.items():
        if c not in rec.columns:
            continue
        raw = rec[c]
        rec[f"_raw_{c}"] = raw
        if col.type == "percent":
            pct_flags = rec["_pct"] if "_pct" in rec.columns else None
            made = ahead.take(c)
            vals, at, codes = parse.parse_percent_sparse(raw, pct_flags, made)
        else:
            vals, at, codes, row_codes, uniques = _parse_distinct_parts(raw, col.type, ahead.take(c))
            compact = _compact_raw(raw, vals, row_codes, uniques)
            rec[f"_raw_{c}"] = compact
            made = (row_codes, uniques) if compact is raw else None
        rec[c] = vals
        if dictionaries is not None and made is not None:
            # the cells as written as the frame holds them now (pandas may wrap the same text anew on assignment)
            _keep_dictionary(dictionaries, rec[f"_raw_{c}"], *made)
        if keep is not None and c in REUSED_FACTORIZATIONS and col.type != "percent" and vals is raw:
            arrow = getattr(rec[c].array, "_pa_array", None)
            if arrow is not None and len(uniques) < 2**31:
                keep[c] = (arrow, np.asarray(row_codes, dtype=np.int32), uniques)
        if len(at):
            errors.append(pd.DataFrame({"rec": at, "column": c, "code": codes}))
        if col.required:
            missing = np.array(pd.isna(vals), dtype=bool)  # a copy: the rows with a parse error are not "missing"
            missing[at] = False
            if missing.any():
                errors.append(pd.DataFrame({"rec": np.flatnonzero(missing), "column": c, "code": "required-missing"}))
    if "_pct" in rec.columns:
        del rec["_pct"]  # the number-format flags served their parse
    nulls = None
    for c, col in spec.items():
        if c in rec.columns:
            continue
        # Absent column: unknown (booleans stay <NA>; nothing is guessed).
        if col.type == "bool":
            rec[c] = pd.array([None] * len(rec), dtype="boolean")
        elif col.type in ("rupiah", "percent"):
            rec[c] = np.nan
        elif col.type == "date":
            rec[c] = pd.Series(pd.NaT, index=rec.index, dtype="datetime64[ns]")
        else:
            # Missing text, built as Arrow nulls: a column of 1.66 M Python Nones made text later costs 0.1 s.
            import pyarrow as pa

            if nulls is None:  # one Arrow array of nulls for every absent text column (Arrow data is immutable)
                nulls = pd.array(pa.nulls(len(rec), pa.large_string()), dtype="str")
            # Each column its own pandas array over that data (a pandas array's setitem replaces its Arrow data).
            rec[c] = pd.Series(type(nulls)(nulls._pa_array, dtype=nulls.dtype), index=rec.index, copy=False)
    return errors


def _keep_dictionary(dictionaries: list[tuple[Any, np.ndarray, Any]], raw: pd.Series, codes: Any, uniques: Any) -> None:
    """Add `raw`'s factorisation to `dictionaries` when it is of Arrow text and repeats (a column of mostly distinct
    values is no smaller as a dictionary)."""
    arrow = getattr(raw.array, "_pa_array", None)
    if arrow is None or str(raw.dtype) != "str" or len(uniques) * 2 > len(raw) or len(uniques) >= 2**31:
        return
    dictionaries.append((arrow, np.asarray(codes, dtype=np.int32), uniques))


# From this many records on, each text column's factorisation (Arrow's dictionary_encode: a hash pass that holds no
# GIL, 15-30 ms a column of 1.66 M rows) is made on a helper thread, ahead of the parse of the columns before it on
# the main thread (their distinct values parsed, the results spread), which mostly waits for it. (Two helpers
# could use both cores after the reads, but beside the location workbook's read they would take a core from it;
# not measurable on a loaded machine: one, as before.)
FACTORIZE_AHEAD_ROWS = 200_000
FACTORIZE_THREADS = 1


class _Factorizer:
    """`_factorize` of the text columns `columns` (in the order they are parsed) on FACTORIZE_THREADS helper
    threads, each next one started when one is taken: as many columns ahead as there are helpers, so that no
    more than FACTORIZE_THREADS + 1 factorisations are held at once. Each column is read (`rec[c]`) on the
    calling thread, before the parse changes the frame; Arrow arrays are immutable, so a thread reads only what
    it was given."""

    def __init__(self, rec: pd.DataFrame, columns: list[str]) -> None:
        self._rec = rec
        self._todo = [c for c in columns if _is_arrow_text(rec[c])] if len(rec) >= FACTORIZE_AHEAD_ROWS else []
        self._pool: Any = None
        self._started: dict[str, Any] = {}
        for _ in range(max(FACTORIZE_THREADS, 1)):
            self._start_next()

    def _start_next(self) -> None:
        if not self._todo:
            if self._pool is not None:
                self._pool.shutdown(wait=False)
            return
        if self._pool is None:
            from concurrent.futures import ThreadPoolExecutor

            self._pool = ThreadPoolExecutor(max_workers=max(FACTORIZE_THREADS, 1), thread_name_prefix="pkp-factorize")
        c = self._todo.pop(0)
        self._started[c] = self._pool.submit(_factorize, self._rec[c])

    def take(self, column: str) -> tuple[np.ndarray, Any] | None:
        """The column's factorisation (None: not made here; the caller makes it); the next one is started."""
        future = self._started.pop(column, None)
        if future is None:
            return None
        self._start_next()
        result: tuple[np.ndarray, Any] = future.result()
        return result


def _is_arrow_text(values: pd.Series) -> bool:
    return str(values.dtype) == "str" and getattr(values.array, "_pa_array", None) is not None


def factorized(sr: SheetRecords, column: str, values: pd.Series) -> tuple[np.ndarray, Any]:
    """`pd.factorize(values)` of the records' `column` (`values` is that column or the same as "str"): the parse's
    own factorisation when it kept one and the column still holds exactly the Arrow array it was made from (the
    array is immutable; any change to the column replaces it), else a new one. Used once: it is let go."""
    kept = sr.factorizations.pop(column, None)
    if kept is not None and getattr(values.array, "_pa_array", None) is kept[0] and len(values) == len(kept[1]):
        return kept[1].astype(np.intp), kept[2]  # kept in 4 bytes a row; given back as pandas gives them
    codes, uniques = pd.factorize(values)
    return np.asarray(codes), uniques


def _title_date(sheet: RawSheet, layout: Layout) -> tuple[date | None, tuple[int, int] | None]:
    above = getattr(sheet, "_top_rows", None)  # the header search's top rows (header.py), when it kept them
    if above is None or len(above) < layout.header_index:
        above = top_rows(sheet.grid, layout.header_index, sheet.columns())
    for i in range(layout.header_index):
        for j, v in enumerate(above[i]):
            if v is None:
                continue
            found = parse.find_date_in_text(str(v))
            if found:
                return found, (int(sheet.row_numbers[i]), sheet.origin_col + j)
    return None, None


def read_sheets(
    path: Path,
    shown: str,
    schedule: Schedule | None,
    max_mb: int,
    read: Callable[[], list[RawSheet]] | None = None,
) -> tuple[list[SheetRecords], list[str]]:
    """Records of every pkp sheet in a file, and the names of the sheets that are not pkp tables. `read`: what
    makes the file's sheets from its early read (read.read_stage's result), else the file is read now."""
    is_stage = _stage_test(schedule)
    sheets = read() if read is not None else read_file(path, max_mb)
    out: list[SheetRecords] = []
    ignored: list[str] = []
    for sheet in sheets:
        if sheet.grid.empty:
            ignored.append(sheet.name or "")
            continue
        layout = detect_layout(sheet, is_stage)
        _check_header_quotes(sheet, layout)
        if layout is None:
            ignored.append(sheet.name or "")
            continue
        cls, report = classify_rows(sheet, layout)
        data_idx = np.flatnonzero(cls == 0)
        rec, group_cols, group_headers = extract_records(sheet, layout, data_idx, shown)
        sr = SheetRecords(
            shown,
            sheet,
            layout,
            report,
            rec,
            no_errors(),
            group_cols=group_cols,
            group_headers=group_headers,
            conflicts=[(c, ", ".join(repr(layout.headers[j]) for j in cols)) for c, cols in layout.conflicts],
            data_rows=len(data_idx),
        )
        if layout.kind in (KIND_PROGRES, KIND_TEMUAN):
            d, cell = _title_date(sheet, layout)
            if d:
                sr.report_date, sr.report_date_source, sr.report_date_cell = d, "title", cell
            else:
                for part in (path.name, *[p.name for p in path.parents][:3]):
                    d = parse.find_date_in_text(part)
                    if d:
                        sr.report_date, sr.report_date_source = d, "name"
                        break
        out.append(sr)
    return out, ignored


def _check_header_quotes(sheet: RawSheet, layout: Layout | None) -> None:
    """A quote never closed that swallowed the rest of the header line: the headers after it sit in one cell
    (the reader keeps the rest of the line there), so the columns found are not the sender's and the sheet could
    pass as another kind of table, or as none (then its rows were dropped as "no pkp table"). The file is
    refused at that line (exit 66), never read askew. A broken quote around the last header alone keeps every
    header whole: a warning at its cell, as on any other line that holds no record."""
    broken = [(int(line), int(col)) for line, col, code, _p, _r in sheet.problems if code == "csv-quote-unclosed"]
    if not broken:
        return
    header_line = int(sheet.row_numbers[layout.header_index]) if layout is not None else None
    lines = {int(n): i for i, n in enumerate(sheet.row_numbers)}
    for line, col in broken:
        if header_line is not None and line != header_line:
            continue
        at, j = lines.get(line), col - sheet.origin_col
        cell = sheet.grid.iat[at, j] if at is not None and 0 <= j < sheet.grid.shape[1] else None
        if isinstance(cell, str) and any(d in cell for d in _DELIMITERS):
            raise FileProblem("csv-header-quote-unclosed", line=line, column=col_letter(col))


_DELIMITERS = (";", ",", "\t", "|")


def _percent_flags(sheet: RawSheet, rows: np.ndarray, grps: np.ndarray, group_cols: list[dict[str, int]]) -> np.ndarray:
    """Which progress cells are formatted as percentages (their value 0.455 means 45.5 %), for records at these
    rows of these groups."""
    if not sheet.percent_cells:
        return np.zeros(len(rows), dtype=bool)
    per_group = np.array([gc.get("progres_persen", -1) for gc in group_cols])
    pairs = pd.MultiIndex.from_arrays([np.asarray(rows), per_group[np.asarray(grps)]])
    return np.asarray(pairs.isin(list(sheet.percent_cells)), dtype=bool)


def combine(members: list[SheetRecords]) -> SheetRecords:
    """One set of records for all sheets of a kind, so every check runs once over all of them.

    Each record keeps its sheet (`_sid`), its group (`_grp`, global) and its report date (`_rdate`).
    """
    parts = []
    group_cols: list[dict[str, int]] = []
    group_headers: list[dict[str, str]] = []
    conflicts: list[pd.DataFrame] = []
    offset = 0
    # The sheet, group and report date of each record are set on the combined frame, not on each sheet's own
    # (three column assignments a sheet cost about 1 ms; a folder holds dozens of sheets). Placed where the
    # per-sheet assignments put them: `_sid` and `_rdate` after the first sheet's columns.
    late = bool(members) and not any(c in m.records.columns for m in members for c in ("_sid", "_rdate"))
    sids, grps, rdates = [], [], []
    for i, sr in enumerate(members):
        rec = sr.records
        if late:
            sids.append(np.full(len(rec), i, dtype=np.int64))
            grps.append(rec["_grp"].to_numpy() + len(group_cols))
            rdates.append(np.full(len(rec), np.datetime64(sr.report_date or "NaT", "ns"), dtype="datetime64[ns]"))
        else:
            rec["_sid"] = i
            rec["_grp"] = rec["_grp"].to_numpy() + len(group_cols)
            rec["_rdate"] = pd.Timestamp(sr.report_date) if sr.report_date else pd.NaT
        group_cols.extend(sr.group_cols)
        group_headers.extend(sr.group_headers)
        for column, headers in sr.conflicts:
            conflicts.append(
                pd.DataFrame(
                    {
                        "rec": np.arange(offset, offset + len(rec)),
                        "column": column,
                        "code": "column-conflict",
                        "params": [{"column": column, "headers": headers}] * len(rec),
                    }
                )
            )
        offset += len(rec)
        parts.append(rec)
    records = _concat_records(parts) if parts else pd.DataFrame({"_sid": [], "_grp": [], "_src": []})
    if late:
        at = len(parts[0].columns)
        # New arrays set as Series made without a copy: a frame copies an array it is given (pandas 3), and on
        # 1.66 M rows each copy is 13 MB of fresh memory.
        # (One sheet's arrays as they are: they are new, and a concatenation of one is a copy.)
        records["_grp"] = pd.Series(_joined(grps), index=records.index, copy=False)
        records.insert(at, "_sid", pd.Series(_joined(sids), index=records.index, copy=False))
        records.insert(at + 1, "_rdate", pd.Series(_joined(rdates), index=records.index, copy=False))
    elif "_rdate" in records.columns:
        records["_rdate"] = pd.to_datetime(records["_rdate"]).astype("datetime64[ns]")
    if members:
        provenance(records, members)
    first = members[0] if members else None
    return SheetRecords(
        "",
        first.sheet if first else RawSheet(None, pd.DataFrame(), np.array([], dtype=np.int64)),
        first.layout if first else Layout("", 0, 1, [], {}),
        SheetReport(None, "", None),
        records,
        concat_errors(conflicts),
        group_cols=group_cols,
        group_headers=group_headers,
        members=members,
    )


def _joined(arrays: list[np.ndarray]) -> np.ndarray:
    return arrays[0] if len(arrays) == 1 else np.concatenate(arrays)


def _concat_records(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """`pd.concat(parts, ignore_index=True)`, one frame made from each column's arrays joined: concat's machinery
    (a join unit per column and part, reindexing to the union of columns) cost about 1 ms a sheet, and a folder
    holds dozens of small sheets. Columns in order of first appearance, as concat orders them; a text column
    that a part lacks is missing there (concat's all-missing filler for it). Anything else (a part without a
    number column, dtypes that differ between parts) goes to pd.concat itself."""
    if len(parts) == 1 or not all(part.columns.is_unique for part in parts):
        return pd.concat(parts, ignore_index=True)
    # The column arrays without a Series each (`frame[c]` costs about 17 us; pandas is pinned to 3.1).
    cols = [{c: part._get_column_array(j) for j, c in enumerate(part.columns)} for part in parts]  # type: ignore[operator]
    order: dict[str, None] = {}
    for own in cols:
        order.update(dict.fromkeys(own))
    out: dict[str, Any] = {}
    for c in order:
        present = [own[c] for own in cols if c in own]
        first = present[0]
        if isinstance(first, pd.arrays.ArrowStringArray):
            if not all(type(a) is type(first) and a.dtype == first.dtype for a in present):
                return pd.concat(parts, ignore_index=True)
            arrays = [
                own[c] if c in own else first.take(np.full(len(part), -1, dtype=np.int64), allow_fill=True)
                for own, part in zip(cols, parts, strict=True)
            ]
            kind: Any = type(first)
            out[c] = kind._concat_same_type(arrays)
        elif len(present) == len(parts) and all(
            isinstance(a, np.ndarray) and a.dtype == first.dtype and a.dtype.kind in "biuf" for a in present
        ):
            out[c] = np.concatenate(present)
        else:
            return pd.concat(parts, ignore_index=True)
    return pd.DataFrame(out, copy=False)


def provenance(records: pd.DataFrame, members: list[SheetRecords]) -> None:
    """The file and sheet of each record, as categoricals built from `_sid`: one small dictionary instead of a
    copy of the file name in every row (1.66 M rows of one CSV)."""
    from pandas.core.dtypes.cast import coerce_indexer_dtype  # type: ignore[attr-defined]  # (pandas is pinned)

    sid = records["_sid"].to_numpy(dtype=np.int64) if len(records) else np.zeros(0, dtype=np.int64)
    for col, values in (("_file", [m.file for m in members]), ("_sheet", [m.sheet.name for m in members])):
        codes, cats = pd.factorize(pd.Series(values, dtype=object))
        dtype = pd.CategoricalDtype(pd.Index(cats, dtype="str"))
        # Each member's code already in the categorical's own integer type (int8 for fewer than 128 files): the
        # take per record makes that array at once (1.66 M rows: 1.7 MB), not an int64 one (13 MB) converted.
        member_code = coerce_indexer_dtype(np.asarray(codes, dtype=np.int64), dtype.categories)
        records[col] = pd.Categorical.from_codes(member_code[sid], dtype=dtype)


_NO_ERRORS: list[pd.DataFrame] = []


def no_errors() -> pd.DataFrame:
    """One shared empty error table for single sheets (their errors are kept on the combined set)."""
    if not _NO_ERRORS:
        _NO_ERRORS.append(concat_errors([]))
    return _NO_ERRORS[0]


def concat_errors(errors: list[pd.DataFrame]) -> pd.DataFrame:
    cols = ["rec", "column", "code", "params"]
    if not errors:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    out = pd.concat(errors, ignore_index=True)
    if "params" not in out.columns:
        out["params"] = None
    return out[cols]


def _stage_test(schedule: Schedule | None) -> Callable[[str], bool]:
    """Whether a header text is a stage (wide form), by the same StageIndex that resolves stage cells."""
    if schedule is None:
        return lambda _text: False
    from pkp_cli.model.stage_names import StageIndex

    return StageIndex.of(schedule).is_stage


def add_errors(sr: SheetRecords, mask: np.ndarray, column: str, code: str, params: Any = None) -> None:
    idx = np.flatnonzero(mask)
    if not len(idx):
        return
    if callable(params):
        # Built only for the rows that have the error: most rows have none.
        plist = list(params(idx))
    elif isinstance(params, (list, np.ndarray, pd.Series)):
        plist = list(np.asarray(params, dtype=object)[idx])
    else:
        plist = [params] * len(idx)
    new = pd.DataFrame({"rec": idx, "column": column, "code": code, "params": plist})
    sr.errors = pd.concat([sr.errors, new], ignore_index=True) if len(sr.errors) else new


def has_error(sr: SheetRecords, column: str | None = None) -> np.ndarray:
    mask = np.zeros(len(sr.records), dtype=bool)
    errs = sr.errors if column is None else sr.errors[sr.errors["column"] == column]
    if len(errs):
        mask[errs["rec"].to_numpy(dtype=np.int64)] = True
    return mask
