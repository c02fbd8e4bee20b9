"""Per-file units of a load: each file's parsed and row-checked records, so the load cache can keep them per file.

The loader parses every file it has to read in one batch per kind (pandas' fixed cost per call would dominate
on a folder of small sheets), then splits the batch into one unit per file; units read from the cache join
them, and the cross-file checks run on the units merged back in discovery order. The merged records are the
same whichever way each unit came, because both ways end in `normalise`: one dtype per column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from pkp_cli.ingest.contract import KIND_LOKASI, columns_of
from pkp_cli.ingest.header import Layout
from pkp_cli.ingest.read import RawSheet
from pkp_cli.ingest.sheets import SheetRecords, concat_errors, no_errors, provenance
from pkp_cli.model.issues import Issue, SheetReport

_DTYPES = {
    "code": "str",
    "program": "str",
    "text": "str",
    "stage": "str",
    "kinerja": "str",
    "status": "str",
    "bool": "boolean",
    "date": "datetime64[ns]",
    "rupiah": "float64",
    "percent": "float64",
}
# Columns the row checks of locations add (pkp_cli.ingest.checks.check_lokasi_regions).
_LOKASI_ADDED = ("kode_provinsi", "kode_kabupaten", "nama_lokasi")
_INT_COLUMNS = ("_row", "_src", "_grp", "_sid")
WARNING_COLUMNS = ["rec", "column", "code", "params"]


@dataclass
class FileUnit:
    """One data file: its sheets' reports (workbook order) and, per kind, its parsed sheets as one set."""

    shown: str
    digest: str
    reports: list[SheetReport]
    ignored_sheets: list[str]
    sets: dict[str, SheetRecords] = field(default_factory=dict)
    file_warnings: list[Issue] = field(default_factory=list)
    reader_warnings: dict[str, list[Issue]] = field(default_factory=dict)  # per kind, rows without a record
    missing_columns: set[str] = field(default_factory=set)
    key: str | None = None  # its load-cache key, when the cache is on
    fresh: list[SheetRecords] | None = None  # the sheets as read, until the batch is parsed
    from_cache: bool = False


_EMPTY: dict[str, pd.DataFrame] = {}


def no_warnings() -> pd.DataFrame:
    """One shared empty warning table (also an empty error table: the same columns). Never mutated."""
    if "warnings" not in _EMPTY:
        _EMPTY["warnings"] = pd.DataFrame({c: pd.Series(dtype=object) for c in WARNING_COLUMNS})
    return _EMPTY["warnings"]


def _empty_frame() -> pd.DataFrame:
    """One shared empty frame for the grid and records of a member restored from the cache."""
    if "frame" not in _EMPTY:
        _EMPTY["frame"] = pd.DataFrame()
    return _EMPTY["frame"]


_NO_ROWS = np.array([], dtype=np.int64)


def dtype_of(column: str, kind: str) -> Any:
    """The one dtype a records column has after parsing (None: provenance kept as it is)."""
    if column in _INT_COLUMNS:
        return "int64"
    if column == "_rdate":
        return "datetime64[ns]"
    if column.startswith("_raw_") or (kind == KIND_LOKASI and column in _LOKASI_ADDED):
        return "str"
    spec = columns_of(kind).get(column)
    return _DTYPES.get(spec.type) if spec is not None else None


def normalise(records: pd.DataFrame, kind: str, members: list[SheetRecords]) -> pd.DataFrame:
    """Each column in its one dtype; the file and sheet of each record from `_sid` and the members."""
    for c in records.columns:
        want = dtype_of(c, kind)
        if c.startswith("_raw_") and isinstance(records[c].dtype, pd.CategoricalDtype):
            continue  # a big column's cells kept compact (sheets._compact_raw): the same text, read as such
        if want is not None and str(records[c].dtype) != want:
            records[c] = records[c].astype(want)
    provenance(records, members)
    return records


def split(batch: SheetRecords, unit_of_member: list[int], table: Any) -> dict[int, SheetRecords]:
    """The parsed batch of one kind cut into one set per file (a file's members are contiguous).

    Each part holds its rows as a slice of `table`, the batch as Arrow (no copy), with `_sid` and `_grp`
    counted from the file's first member and group, and its own errors and warnings.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    out: dict[int, SheetRecords] = {}
    if not batch.members:
        return out
    sid = batch.records["_sid"].to_numpy(dtype=np.int64)
    bounds = np.searchsorted(sid, np.arange(len(batch.members) + 1))  # member i: rows bounds[i]..bounds[i+1]
    n_groups = np.cumsum([0, *(len(m.group_cols) for m in batch.members)])
    errors = batch.errors
    warnings = batch.warnings if batch.warnings is not None else no_warnings()
    err_rec = errors["rec"].to_numpy(dtype=np.int64) if len(errors) else np.zeros(0, dtype=np.int64)
    warn_rec = warnings["rec"].to_numpy(dtype=np.int64) if len(warnings) else np.zeros(0, dtype=np.int64)
    unit_arr = np.asarray(unit_of_member)
    names = table.column_names
    for u in dict.fromkeys(unit_of_member):
        idx = np.flatnonzero(unit_arr == u)
        m0, m1 = int(idx[0]), int(idx[-1]) + 1
        lo, hi = int(bounds[m0]), int(bounds[m1])
        g0, g1 = int(n_groups[m0]), int(n_groups[m1])
        part = table.slice(lo, hi - lo)
        if hi - lo < len(sid):
            # A file's rows as their own compact arrays: a slice of the batch's (chunked) columns would be
            # written to the cache with whole buffers of the batch (tens of MB for a 20-row workbook).
            part = part.combine_chunks()
        for col, shift in (("_sid", m0), ("_grp", g0)):
            if shift:
                i = names.index(col)
                part = part.set_column(i, col, pc.subtract(part.column(i), pa.scalar(shift, pa.int64())))
        out[u] = SheetRecords(
            batch.file,
            batch.sheet,
            batch.layout,
            batch.report,
            _empty_frame(),
            _rows_in(errors, err_rec, lo, hi),
            group_cols=batch.group_cols[g0:g1],
            group_headers=batch.group_headers[g0:g1],
            members=batch.members[m0:m1],
            warnings=_rows_in(warnings, warn_rec, lo, hi),
            arrow=part,
        )
    return out


def to_arrow(records: pd.DataFrame, dictionaries: list[tuple[Any, np.ndarray, Any]] | None = None) -> Any:
    """Records as an Arrow table for the cache: no pandas metadata (`normalise` restores the dtypes), and no
    file or sheet columns (rebuilt from `_sid` and the members).

    `dictionaries`: the parse's factorisations of text columns (SheetRecords.dictionaries): each column still holding
    the Arrow array one was made from is written as a dictionary built from it (`_as_dictionaries`)."""
    import pyarrow as pa

    table = pa.Table.from_pandas(records.drop(columns=["_file", "_sheet"], errors="ignore"), preserve_index=False)
    if dictionaries:
        table = _as_dictionaries(records, table, dictionaries)
    return table.replace_schema_metadata(None)


def _as_dictionaries(records: pd.DataFrame, table: Any, dictionaries: list[tuple[Any, np.ndarray, Any]]) -> Any:
    """`table` with the text columns the parse factorised (location code, program, stage, notes, the percent cells as
    written) as Arrow dictionaries of that factorisation's codes and distinct values: the very same text.

    No second hash: the national CSV's entry compressed about 110 MB of those texts (0.25 s of zstd on the writing
    thread); as dictionaries, int32 codes of a few distinct values each. A column is taken only while it still holds
    exactly the Arrow array its factorisation was made from (the identity `sheets.factorized` trusts); its
    cell-as-written twin (`_raw_X`, the same array when the text parsed to itself) gets the same dictionary, so
    `cache._slim` still leaves it out. The reader turns dictionaries back into text (`merge`)."""
    from pkp_cli.ingest import cache

    holding: dict[int, list[int]] = {}  # id of a column's Arrow array -> the table's columns holding it
    for i, name in enumerate(table.column_names):
        column = records[name] if name in records.columns else None
        arrow = getattr(column.array, "_pa_array", None) if isinstance(column, pd.Series) else None
        if arrow is not None:
            holding.setdefault(id(arrow), []).append(i)
    for arrow, codes, uniques in dictionaries:
        targets = holding.get(id(arrow), [])
        if not targets or len(codes) != table.num_rows:
            continue
        encoded = cache.dictionary_array(codes, uniques, table.schema.field(targets[0]).type, bool(arrow.null_count))
        if encoded is None:
            continue
        for i in targets:
            table = table.set_column(i, table.schema.field(i).name, encoded)
    return table


def _rows_in(table: pd.DataFrame, rec: np.ndarray, lo: int, hi: int) -> pd.DataFrame:
    if not len(table):
        return table
    keep = (rec >= lo) & (rec < hi)
    part = table.loc[keep].reset_index(drop=True)
    part["rec"] = rec[keep] - lo
    return part


def merge(parts: list[SheetRecords], kind: str) -> SheetRecords:
    """The sets of all files of one kind as one, in the given (discovery) order, for the cross-file checks.

    Parts hold their records as Arrow tables (from the cache, or cut from a parsed batch): they are
    concatenated in Arrow and become one pandas frame in one conversion.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    if not parts:
        return _empty_set(kind)
    tables: list[Any] = []
    errors: list[pd.DataFrame] = []
    warnings: list[pd.DataFrame] = []
    rows = groups = n_members = 0
    for p in parts:
        t = p.arrow
        decoded: dict[tuple[Any, ...], Any] = {}
        for i, f in enumerate(t.schema):
            if pa.types.is_dictionary(f.type):
                # Dictionaries of an entry (cells kept compact, sheets._compact_raw; text columns written as the
                # parse's factorisations, `to_arrow`) as plain text, so that entries of either form concatenate
                # (Arrow cannot join a dictionary column with a text one). A column and its `_raw_` twin that hold
                # one dictionary array are decoded once and share the text, as they did when parsed.
                column = t.column(i)
                key = _same_data(column)
                if key not in decoded:
                    decoded[key] = column.cast(f.type.value_type)
                t = t.set_column(i, f.name, decoded[key])
        for col, shift in (("_sid", n_members), ("_grp", groups)):
            if shift:
                i = t.column_names.index(col)
                t = t.set_column(i, col, pc.add(t.column(i), pa.scalar(shift, pa.int64())))
        tables.append(t)
        for table, out in ((p.errors, errors), (p.warnings, warnings)):
            if table is not None and len(table):
                shifted = table.copy()
                shifted["rec"] = shifted["rec"].to_numpy(dtype=np.int64) + rows
                out.append(shifted)
        rows += t.num_rows
        groups += len(p.group_cols)
        n_members += len(p.members)
    members = [m for p in parts for m in p.members]
    combined = pa.concat_tables(tables, promote_options="permissive")
    records = combined.to_pandas()
    first = parts[0]
    return SheetRecords(
        "",
        first.sheet,
        first.layout,
        first.report,
        normalise(records, kind, members),
        concat_errors(errors),
        group_cols=[g for p in parts for g in p.group_cols],
        group_headers=[h for p in parts for h in p.group_headers],
        members=members,
        warnings=_by_column(pd.concat(warnings, ignore_index=True), kind) if warnings else no_warnings(),
    )


def _same_data(column: Any) -> tuple[Any, ...]:
    """What tells a dictionary column's data apart: its type, and each chunk's buffers (addresses), offset and length
    (two columns alike in all of them are the same array; an empty buffer counts as address 0)."""
    chunks = tuple(
        (tuple(b.address if b is not None else 0 for b in c.buffers()), c.offset, len(c),
         tuple(b.address if b is not None else 0 for b in c.dictionary.buffers()), c.dictionary.offset,
         len(c.dictionary))
        for c in column.chunks
    )  # fmt: skip
    return (str(column.type), chunks)


def _by_column(warnings: pd.DataFrame, kind: str) -> pd.DataFrame:
    """Warnings column by column (in the contract's order), then by record, as one batch gives them."""
    order = {c: i for i, c in enumerate(columns_of(kind))}
    rank = warnings["column"].map(lambda c: order.get(c, len(order))).to_numpy()
    pos = np.lexsort((warnings["rec"].to_numpy(dtype=np.int64), rank))
    return warnings.iloc[pos].reset_index(drop=True)


def _empty_set(kind: str) -> SheetRecords:
    return SheetRecords(
        "",
        RawSheet(None, pd.DataFrame(), np.array([], dtype=np.int64)),
        Layout(kind, 0, 1, [], {}),
        SheetReport(None, kind, None),
        pd.DataFrame({"_sid": [], "_grp": [], "_src": []}),
        concat_errors([]),
        warnings=no_warnings(),
    )


def placeholder_member(
    file: str, sheet: str | None, kind: str, report: SheetReport, meta: dict[str, Any]
) -> SheetRecords:
    """A member sheet restored from the cache: what the cross-file checks and messages need, no grid."""
    member = SheetRecords(
        file,
        RawSheet(sheet, _empty_frame(), _NO_ROWS),
        Layout(kind, 0, 1, [], {}),
        report,
        _empty_frame(),
        no_errors(),
        data_rows=int(meta["data_rows"]),
    )
    member.report_date = pd.Timestamp(meta["report_date"]).date() if meta.get("report_date") else None
    member.report_date_source = meta.get("report_date_source")
    cell = meta.get("report_date_cell")
    member.report_date_cell = (int(cell[0]), int(cell[1])) if cell else None
    return member


# ---------------------------------------------------------------------------------------------- cache entries


def _table_json(table: pd.DataFrame | None) -> dict[str, list[Any]]:
    if table is None or not len(table):
        return {c: [] for c in WARNING_COLUMNS}
    return {
        "rec": [int(x) for x in table["rec"].to_numpy(dtype=np.int64)],
        "column": [str(x) for x in table["column"]],
        "code": [str(x) for x in table["code"]],
        "params": [p if isinstance(p, dict) else None for p in table["params"]],
    }


def _table_from_json(d: dict[str, list[Any]]) -> pd.DataFrame:
    if not d["rec"]:
        return no_warnings()
    return pd.DataFrame(
        {
            "rec": np.asarray(d["rec"], dtype=np.int64),
            "column": pd.Series(d["column"], dtype=object),
            "code": pd.Series(d["code"], dtype=object),
            "params": pd.Series(d["params"], dtype=object),
        }
    )


def entry_of(unit: FileUnit) -> tuple[dict[str, Any], dict[str, Any]]:
    """A unit as a cache entry: a JSON-able header and one Arrow table per kind."""
    from dataclasses import asdict

    from pkp_cli.ingest.cache import issue_to_json

    kinds: dict[str, Any] = {}
    tables: dict[str, Any] = {}
    where: dict[int, tuple[str, int]] = {}
    for kind, part in unit.sets.items():
        members = []
        for i, m in enumerate(part.members):
            where[id(m.report)] = (kind, i)
            members.append(
                {
                    "sheet": m.sheet.name,
                    "report": asdict(m.report),
                    "data_rows": m.data_rows,
                    "report_date": m.report_date.isoformat() if m.report_date else None,
                    "report_date_source": m.report_date_source,
                    "report_date_cell": list(m.report_date_cell) if m.report_date_cell else None,
                }
            )
        kinds[kind] = {
            "members": members,
            "group_cols": part.group_cols,
            "group_headers": part.group_headers,
            "errors": _table_json(part.errors),
            "warnings": _table_json(part.warnings),
        }
        tables[kind] = part.arrow
    header = {
        "shown": unit.shown,
        "digest": unit.digest,
        "reports": [where[id(r)] for r in unit.reports],
        "ignored_sheets": unit.ignored_sheets,
        "file_warnings": [issue_to_json(i) for i in unit.file_warnings],
        "reader_warnings": {k: [issue_to_json(i) for i in v] for k, v in unit.reader_warnings.items()},
        "missing_columns": sorted(unit.missing_columns),
        "kinds": kinds,
    }
    return header, tables


# What `unit_of` raises when an entry is not whole (a key missing, a value of another type or length).
NOT_WHOLE = (KeyError, TypeError, ValueError, IndexError, AttributeError)


def unit_of(header: dict[str, Any], tables: dict[str, Any]) -> FileUnit:
    """The unit a cache entry holds (raises one of NOT_WHOLE when the entry is not whole)."""
    from pkp_cli.ingest.cache import issue_from_json

    sets: dict[str, SheetRecords] = {}
    for kind, k in header["kinds"].items():
        table = tables[kind]
        members = [
            placeholder_member(header["shown"], m["sheet"], kind, SheetReport(**m["report"]), m) for m in k["members"]
        ]
        needed = {"_sid", "_grp", "_src", "_row"}
        if not needed <= set(table.column_names):
            raise ValueError(f"{kind}: the records lack {sorted(needed - set(table.column_names))}")
        sets[kind] = SheetRecords(
            header["shown"],
            members[0].sheet if members else RawSheet(None, _empty_frame(), _NO_ROWS),
            Layout(kind, 0, 1, [], {}),
            SheetReport(None, kind, None),
            _empty_frame(),
            _table_from_json(k["errors"]),
            group_cols=[{str(c): int(j) for c, j in g.items()} for g in k["group_cols"]],
            group_headers=[{str(c): str(h) for c, h in g.items()} for g in k["group_headers"]],
            members=members,
            warnings=_table_from_json(k["warnings"]),
            arrow=table,
        )
    reports = [sets[kind].members[int(i)].report for kind, i in header["reports"]]
    return FileUnit(
        header["shown"],
        str(header["digest"]),
        reports,
        [str(x) for x in header["ignored_sheets"]],
        sets,
        [issue_from_json(d) for d in header["file_warnings"]],
        {str(k): [issue_from_json(d) for d in v] for k, v in header["reader_warnings"].items()},
        set(header["missing_columns"]),
        from_cache=True,
    )
