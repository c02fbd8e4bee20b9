"""Load workbooks into validated frames: every row is loaded, rejected with its address, or skipped and counted.

Flow per sheet: raw grid -> layout (header, kind) -> row classes (blank, totals, heading, data) -> records
with parsed values and per-cell errors. Then, across files: region checks, stage and location resolution,
report dates, duplicates, and the accounting that must add up.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pkp_cli import parse
from pkp_cli.contract import (
    KIND_LOKASI,
    KIND_PROGRES,
    KIND_TEMUAN,
    NAME_COLUMNS,
    TOTALS_WORDS,
    columns_of,
)
from pkp_cli.frames import LOKASI, PROGRES, TEMUAN
from pkp_cli.header import Layout, WideGroup, detect_layout
from pkp_cli.issues import FileReport, Issue, SheetReport
from pkp_cli.read import DEFAULT_MAX_UNCOMPRESSED_MB, FileProblem, RawSheet, col_letter, read_file
from pkp_cli.schedule import Schedule

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".csv")
PKP_MARKER = b"pkp-cli-output"  # custom workbook property pkp writes into its own xlsx files


@dataclass
class LoadResult:
    lokasi: pd.DataFrame
    progres: pd.DataFrame
    temuan: pd.DataFrame
    files: list[FileReport]
    errors: list[Issue]
    warnings: list[Issue]
    errors_total: int
    warnings_total: int
    ignored: list[tuple[str, str]]
    unreadable: list[Issue]
    lokasi_missing_columns: set[str] = field(default_factory=set)
    # file -> [(sheet, headers, [(row, values, messages)])]: the rejected source rows, as written.
    rejected: dict[str, list[tuple[str | None, list[str], list[tuple[int, list[Any], str]]]]] = field(
        default_factory=dict
    )
    timings: dict[str, float] = field(default_factory=dict)  # seconds per loading phase (for the benchmark)

    def total(self, attr: str) -> int:
        return sum(f.total(attr) for f in self.files)

    @property
    def rows_rejected(self) -> int:
        return self.total("rows_rejected")


# ------------------------------------------------------------------------------------------ discovery


def discover(
    paths: Iterable[Path], display_root: Path | None = None
) -> tuple[list[tuple[Path, str]], list[tuple[str, str]]]:
    """(files to read with their display names, ignored entries with reasons). Folders are recursive.

    Names are shown as given on the command line, or relative to `display_root` (the bundled sample, whose
    absolute path inside site-packages means nothing to a user)."""
    found: list[tuple[Path, str]] = []
    ignored: list[tuple[str, str]] = []
    for root in paths:
        candidates = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for p in candidates:
            shown = str(p.relative_to(display_root)) if display_root and p.is_relative_to(display_root) else str(p)
            rel_parts = p.relative_to(root).parts if p != root else (p.name,)
            if any(part.startswith(".") for part in rel_parts):
                ignored.append((shown, "hidden"))
            elif p.name.startswith("~$"):
                ignored.append((shown, "excel-lock-file"))
            elif p.suffix.lower() not in WORKBOOK_SUFFIXES:
                if root.is_file():
                    found.append((p, shown))
                else:
                    ignored.append((shown, "not-a-workbook"))
            elif p.suffix.lower() != ".csv" and _written_by_pkp(p):
                ignored.append((shown, "written-by-pkp"))
            else:
                found.append((p, shown))
    return found, ignored


def _written_by_pkp(path: Path) -> bool:
    import zipfile

    try:
        with zipfile.ZipFile(path) as zf:
            if "docProps/custom.xml" not in zf.namelist():
                return False
            return PKP_MARKER in zf.read("docProps/custom.xml")
    except (zipfile.BadZipFile, OSError, KeyError):
        return False


def dates_in_names(paths: Iterable[Path]) -> list[date]:
    """Dates written in file and folder names (cheap: nothing is opened)."""
    out = []
    for root in paths:
        items = [root] if root.is_file() else list(root.rglob("*"))
        for p in items:
            d = parse.find_date_in_text(p.name)
            if d:
                out.append(d)
    return out


# ------------------------------------------------------------------------------------------ per sheet


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


def _text(v: object) -> str:
    return "" if v is None else str(v).strip()


def _classify_rows(sheet: RawSheet, layout: Layout) -> tuple[np.ndarray, SheetReport]:
    """Class per grid row below the header: 0 data, 1 blank, 2 totals, 3 heading. Trailing empties dropped."""
    start = layout.data_start
    n_rows, n_cols = max(len(sheet.grid) - start, 0), sheet.grid.shape[1]
    filled = np.zeros((n_rows, n_cols), dtype=bool)
    for j in range(n_cols):
        filled[:, j] = _filled(sheet.grid[j].array[start:])
    any_filled = filled.any(axis=1)
    last = int(np.flatnonzero(any_filled)[-1]) + 1 if any_filled.any() else 0
    filled = filled[:last]
    cls = np.zeros(last, dtype=np.int8)
    cls[~filled.any(axis=1)] = 1
    # Totals: the first filled cell says JUMLAH / TOTAL / SUBTOTAL / REKAP.
    first_col = np.where(filled.any(axis=1), filled.argmax(axis=1), -1)
    totals_re = "^(?:" + "|".join(re.escape(w) for w in TOTALS_WORDS) + r")\b"
    totals = np.zeros(last, dtype=bool)
    for j in np.unique(first_col[first_col >= 0]):
        here = first_col == j
        # Judged once per distinct text: a code column repeats the same few thousand values.
        codes, uniques = pd.factorize(pd.Series(sheet.grid[int(j)].array[start : start + last]))
        is_total = pd.Series(uniques, dtype="str").str.strip().str.lower().str.match(totals_re).fillna(False)
        totals |= here & np.append(is_total.to_numpy(dtype=bool), False)[codes]
    cls[(cls == 0) & totals] = 2
    # Group headings: no key, and text only in a name, No or unmapped column.
    key = "nomor_temuan" if layout.kind == KIND_TEMUAN else "kode_lokasi"
    value_cols = [j for c, j in layout.columns.items() if c not in NAME_COLUMNS and c not in ("keterangan",)] + [
        j for g in layout.wide for j in g.columns.values()
    ]
    key_col = layout.columns.get(key)
    if key_col is not None and value_cols:
        has_value = filled[:, sorted(set(value_cols))].any(axis=1)
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


def _filled(values: Any) -> np.ndarray:
    """Cells holding more than white space, computed by Arrow in one pass over the column."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = values._pa_array if hasattr(values, "_pa_array") else pa.array(values, type=pa.string(), from_pandas=True)
    trimmed = pc.utf8_length(pc.utf8_trim_whitespace(arr))
    return np.asarray(pc.fill_null(pc.greater(trimmed, 0), False).to_numpy(zero_copy_only=False), dtype=bool)


def _blank_lines_between(sheet: RawSheet, layout: Layout, last: int) -> int:
    """CSV empty lines between the header and the last non-empty row (not in the grid)."""
    if not len(sheet.blank_lines) or last == 0:
        return 0
    lo = sheet.row_numbers[layout.data_start - 1]
    hi = sheet.row_numbers[layout.data_start + last - 1]
    return int(((sheet.blank_lines > lo) & (sheet.blank_lines < hi)).sum())


def _extract(
    sheet: RawSheet, layout: Layout, data_idx: np.ndarray, file: str
) -> tuple[pd.DataFrame, list[dict[str, int]], list[dict[str, str]]]:
    """Records of the data rows: one per row (long form) or one per row and stage (wide form).

    Cell addresses and headers are kept per group of records, not per record: a 1.66 M-row sheet would
    otherwise carry millions of copies of the same header text.
    """
    grid = sheet.grid
    rows = layout.data_start + data_idx
    groups: list[WideGroup | None] = list(layout.wide) or [None]
    group_cols: list[dict[str, int]] = []
    group_headers: list[dict[str, str]] = []
    picks: list[np.ndarray] = []  # per group: the grid rows that hold a record
    for g in groups:
        cols = dict(layout.columns)
        headers = {c: layout.headers[j] for c, j in cols.items()}
        pick = rows
        if g is not None:
            cols.update(g.columns)
            headers.update({c: layout.headers[j] for c, j in g.columns.items()})
            headers["tahapan"] = g.stage_text
            # A stage with no value in this row is simply not reported: not a record.
            present = np.zeros(len(rows), dtype=bool)
            for j in g.columns.values():
                present |= ~np.asarray(pd.isna(grid[j].array.take(rows)), dtype=bool)
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
    for c in canon:
        if contiguous:
            # One group over contiguous rows (the usual long form): a zero-copy slice of the column.
            rec[c] = grid[layout.columns[c]].array[rows[0] : rows[-1] + 1]
            continue
        parts = []
        for gc, pick in zip(group_cols, picks, strict=True):
            if c in gc:
                parts.append(grid[gc[c] - sheet.origin_col].array.take(pick))
            else:
                parts.append(pd.array([None] * len(pick), dtype="str"))
        rec[c] = _concat_arrays(parts)
    if layout.wide and "tahapan" not in canon:
        stages = [
            pd.array([g.stage_text if g else None] * len(p), dtype="str") for g, p in zip(groups, picks, strict=True)
        ]
        rec["tahapan"] = _concat_arrays(stages)
    out = pd.DataFrame(rec)
    out["_file"] = file
    out["_sheet"] = sheet.name
    return out, group_cols, group_headers


def _concat_arrays(parts: list[Any]) -> Any:
    if len(parts) == 1:
        return parts[0]
    return pd.concat([pd.Series(p) for p in parts], ignore_index=True).array


def _parse_records(rec: pd.DataFrame, kind: str) -> list[pd.DataFrame]:
    errors = []
    spec = columns_of(kind)
    for c, col in spec.items():
        if c not in rec.columns:
            continue
        raw = rec[c]
        rec[f"_raw_{c}"] = raw
        if col.type == "percent":
            vals, errs = parse.parse_percent(raw, rec["_pct"] if "_pct" in rec.columns else None)
        else:
            vals, errs = parse.PARSERS[col.type](raw)
        rec[c] = vals
        bad = errs.notna().to_numpy()
        if bad.any():
            errors.append(pd.DataFrame({"rec": np.flatnonzero(bad), "column": c, "code": errs[bad].to_numpy()}))
        if col.required:
            missing = pd.isna(vals).to_numpy(dtype=bool) & ~bad
            if missing.any():
                errors.append(pd.DataFrame({"rec": np.flatnonzero(missing), "column": c, "code": "required-missing"}))
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
            rec[c] = None
    return errors


def _title_date(sheet: RawSheet, layout: Layout) -> tuple[date | None, tuple[int, int] | None]:
    for i in range(layout.header_index):
        for j, v in enumerate(sheet.grid.iloc[i]):
            if v is None:
                continue
            found = parse.find_date_in_text(str(v))
            if found:
                return found, (int(sheet.row_numbers[i]), sheet.origin_col + j)
    return None, None


def read_sheets(path: Path, shown: str, schedule: Schedule | None, max_mb: int) -> tuple[list[SheetRecords], list[str]]:
    """Records of every pkp sheet in a file, and the names of the sheets that are not pkp tables."""
    stage_texts = _stage_texts(schedule)
    sheets = read_file(path, max_mb)
    out: list[SheetRecords] = []
    ignored: list[str] = []
    for sheet in sheets:
        if sheet.grid.empty:
            ignored.append(sheet.name or "")
            continue
        layout = detect_layout(sheet, lambda t: t.strip().casefold() in stage_texts)
        if layout is None:
            ignored.append(sheet.name or "")
            continue
        cls, report = _classify_rows(sheet, layout)
        data_idx = np.flatnonzero(cls == 0)
        rec, group_cols, group_headers = _extract(sheet, layout, data_idx, shown)
        if "progres_persen" in rec.columns:
            rec["_pct"] = _percent_flags(sheet, rec, group_cols)
        sr = SheetRecords(
            shown,
            sheet,
            layout,
            report,
            rec,
            _no_errors(),
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


def _percent_flags(sheet: RawSheet, rec: pd.DataFrame, group_cols: list[dict[str, int]]) -> np.ndarray:
    """Which progress cells are formatted as percentages (their value 0.455 means 45.5 %)."""
    if not sheet.percent_cells:
        return np.zeros(len(rec), dtype=bool)
    per_group = np.array([gc.get("progres_persen", -1) for gc in group_cols])
    pairs = pd.MultiIndex.from_arrays([rec["_row"].to_numpy(), per_group[rec["_grp"].to_numpy()]])
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
    for i, sr in enumerate(members):
        rec = sr.records
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
    records = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame({"_sid": [], "_grp": [], "_src": []})
    if "_rdate" in records.columns:
        records["_rdate"] = pd.to_datetime(records["_rdate"]).astype("datetime64[ns]")
    first = members[0] if members else None
    return SheetRecords(
        "",
        first.sheet if first else RawSheet(None, pd.DataFrame(), np.array([], dtype=np.int64)),
        first.layout if first else Layout("", 0, 1, [], {}),
        SheetReport(None, "", None),
        records,
        _concat_errors(conflicts),
        group_cols=group_cols,
        group_headers=group_headers,
        members=members,
    )


_NO_ERRORS: list[pd.DataFrame] = []


def _no_errors() -> pd.DataFrame:
    """One shared empty error table for single sheets (their errors are kept on the combined set)."""
    if not _NO_ERRORS:
        _NO_ERRORS.append(_concat_errors([]))
    return _NO_ERRORS[0]


def _concat_errors(errors: list[pd.DataFrame]) -> pd.DataFrame:
    cols = ["rec", "column", "code", "params"]
    if not errors:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    out = pd.concat(errors, ignore_index=True)
    if "params" not in out.columns:
        out["params"] = None
    return out[cols]


def _stage_texts(schedule: Schedule | None) -> set[str]:
    if schedule is None:
        return set()
    out = set()
    for _, st in schedule.stages():
        out.add(st.kode.casefold())
        out.add(st.nama.strip().casefold())
    return out


# ------------------------------------------------------------------------------------------ across files


def _add_errors(sr: SheetRecords, mask: np.ndarray, column: str, code: str, params: Any = None) -> None:
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


def _check_lokasi_regions(sr: SheetRecords, warnings: list[pd.DataFrame]) -> None:
    from pkp_cli.regions import REFERENCE_EDITION, reference

    rec = sr.records
    ref = reference()
    code = rec["kode_lokasi"].astype("string")
    prog = rec["program"].astype("string")
    pisew = code.str.fullmatch(r"\d{2}\.\d{2}\.\d{2}").fillna(False).to_numpy(dtype=bool)
    kotaku = code.str.fullmatch(r"\d{2}\.\d{2}\.\d{2}\.\d{4}").fillna(False).to_numpy(dtype=bool)
    has_code = code.notna().to_numpy() & ~_has_error(sr, "kode_lokasi")
    bad_form = has_code & ~pisew & ~kotaku
    _add_errors(sr, bad_form, "kode_lokasi", "code-format", {"expected": "NN.NN.NN / NN.NN.NN.NNNN"})
    mismatch = has_code & (
        ((prog == "PISEW").fillna(False).to_numpy(dtype=bool) & kotaku)
        | ((prog == "KOTAKU").fillna(False).to_numpy(dtype=bool) & pisew)
    )
    _add_errors(sr, mismatch, "kode_lokasi", "program-mismatch", lambda idx: [{"program": p} for p in prog.iloc[idx]])
    known = parse.isin_set(code, ref)
    _add_errors(
        sr,
        has_code & (pisew | kotaku) & ~known,
        "kode_lokasi",
        "code-unknown",
        {"edition": REFERENCE_EDITION},
    )
    ok = has_code & known
    # Reference names for each level the code reaches.
    c = code.fillna("")
    rec["kode_provinsi"] = c.str.slice(0, 2).where(ok, None)
    rec["kode_kabupaten"] = c.str.slice(0, 5).where(ok, None)
    levels = {
        "provinsi": c.str.slice(0, 2),
        "kabupaten_kota": c.str.slice(0, 5),
        "kecamatan": c.str.slice(0, 8),
        "kelurahan_desa": c.where(kotaku, ""),
    }
    for col, codes in levels.items():
        ref_name = parse.map_dict(codes, ref).where(ok)
        _check_names(sr, col, codes, ref_name, rec[col], ok, warnings)
        rec[col] = ref_name
    rec["nama_lokasi"] = rec["kelurahan_desa"].where(pd.Series(kotaku, index=rec.index), rec["kecamatan"])


def _check_names(
    sr: SheetRecords,
    col: str,
    codes: pd.Series,
    ref_name: pd.Series,
    given: pd.Series,
    ok: np.ndarray,
    warnings: list[pd.DataFrame],
) -> None:
    """A name that differs from the code's reference name: a variant (warning) or another region (error)."""
    from rapidfuzz import fuzz

    from pkp_cli.regions import name_key, name_keys, reference

    has = ok & given.notna().to_numpy() & ref_name.notna().to_numpy()
    if not has.any():
        return
    idx = np.flatnonzero(has)
    g_all = given[has].astype("str").reset_index(drop=True)
    r_all = ref_name[has].astype("str").reset_index(drop=True)
    # Most names match once folded (case, prefixes, punctuation): compare folded keys in bulk first.
    same = (name_keys(g_all) == name_keys(r_all)).to_numpy(dtype=bool)
    if same.all():
        return
    ref = reference()
    level_len = {"provinsi": 2, "kabupaten_kota": 5, "kecamatan": 8, "kelurahan_desa": 13}[col]
    same_level: dict[str, str] | None = None
    verdict: dict[tuple[str, str, str], tuple[str, dict[str, Any]]] = {}
    rows_var: list[int] = []
    var_params: list[dict[str, Any]] = []
    con_params: dict[int, dict[str, Any]] = {}
    code_vals = codes[has].to_numpy(dtype=object)
    for i in np.flatnonzero(~same):
        g, r, code = g_all.iloc[i], r_all.iloc[i], str(code_vals[i])
        key = (code, g, r)
        if key not in verdict:
            gk, rk = name_key(g), name_key(r)
            if fuzz.ratio(gk, rk) >= 80 or (len(gk) >= 4 and (gk in rk or rk in gk)):
                verdict[key] = ("name-variant", {"reference": r})
            else:
                if same_level is None:
                    same_level = {name_key(v): k for k, v in ref.items() if len(k) == level_len}
                other = same_level.get(gk)
                hint = f"{g!r} = {other}" if other else ""
                verdict[key] = ("name-contradiction", {"code": code, "reference": r, "suggestion": hint})
        kind, params = verdict[key]
        if kind == "name-variant":
            rows_var.append(int(idx[i]))
            var_params.append(params)
        else:
            con_params[int(idx[i])] = params
    if con_params:
        mask = np.zeros(len(sr.records), dtype=bool)
        mask[list(con_params)] = True
        _add_errors(sr, mask, col, "name-contradiction", lambda rows: [con_params[int(i)] for i in rows])
    if rows_var:
        warnings.append(
            pd.DataFrame(
                {"sheet_id": id(sr), "rec": rows_var, "column": col, "code": "name-variant", "params": var_params}
            )
        )


def _has_error(sr: SheetRecords, column: str | None = None) -> np.ndarray:
    mask = np.zeros(len(sr.records), dtype=bool)
    errs = sr.errors if column is None else sr.errors[sr.errors["column"] == column]
    if len(errs):
        mask[errs["rec"].to_numpy(dtype=np.int64)] = True
    return mask


def _resolve_progres(sr: SheetRecords, lokasi: pd.DataFrame, schedule: Schedule, today: date) -> None:
    """Location or province, program, stage code and report date of each progress record."""
    from pkp_cli.regions import province_code

    rec = sr.records
    st = schedule.stage_table()
    loc_prog = dict(zip(lokasi["kode_lokasi"], lokasi["program"], strict=True))
    prov_progs = lokasi.groupby("kode_provinsi")["program"].agg(set).to_dict() if len(lokasi) else {}
    code = rec["kode_lokasi"].astype("str")
    bad_code = _has_error(sr, "kode_lokasi") | code.isna().to_numpy()
    # Everything about a code is decided once per distinct code (83,000 at most), then spread by a take.
    code_ix, code_uniques = pd.factorize(code)
    code_u = [str(c) for c in code_uniques]
    loc_u = [loc_prog.get(c) for c in code_u]
    prov_u = [None if p is not None else province_code(c) for c, p in zip(code_u, loc_u, strict=True)]

    def spread_code(values: list[Any]) -> pd.Series:
        return pd.Series(pd.array(values, dtype="str").take(code_ix, allow_fill=True), index=rec.index)

    loc_program = spread_code(loc_u)
    prov = spread_code(prov_u)
    is_loc = loc_program.notna().to_numpy()
    is_prov = prov.notna().to_numpy()
    unknown = ~bad_code & ~is_loc & ~is_prov
    _add_errors(sr, unknown, "kode_lokasi", "location-unknown", lambda idx: [{"code": c} for c in code.iloc[idx]])
    rec["kode_provinsi"] = spread_code(
        [c[:2] if p is not None else pv for c, p, pv in zip(code_u, loc_u, prov_u, strict=True)]
    )
    rec["kode_lokasi"] = code.where(~is_prov, prov)
    # Program: from the column, else from the location; province rows may take it from the stage.
    given = rec["program"].astype("str")
    differs = is_loc & given.notna().to_numpy() & (given != loc_program).fillna(False).to_numpy(dtype=bool)
    _add_errors(
        sr,
        differs,
        "program",
        "program-differs",
        lambda idx: [{"given": g, "program": p} for g, p in zip(given.iloc[idx], loc_program.iloc[idx], strict=True)],
    )
    program = given.where(given.notna(), loc_program)
    # Stage: a code (any case) or a name within the program, decided once per distinct (text, program) pair.
    stage_text = rec["tahapan"].astype("str")
    by_code = {k.casefold(): (k, p) for k, p in zip(st["tahapan"], st["program"], strict=True)}
    by_name: dict[str, list[tuple[str, str]]] = {}
    for k, p, nm in zip(st["tahapan"], st["program"], st["nama_tahapan"], strict=True):
        by_name.setdefault(nm.strip().casefold(), []).append((k, p))
    level = dict(zip(st["tahapan"], st["tingkat"], strict=True))
    s_ix, s_u = pd.factorize(stage_text)
    p_ix, p_u = pd.factorize(program)
    pair_ix, take = np.unique((s_ix + 1) * (len(p_u) + 1) + (p_ix + 1), return_inverse=True)
    resolved: list[tuple[str | None, str | None, str | None]] = []
    for combo in pair_ix:
        si, pi = divmod(int(combo), len(p_u) + 1)
        k = str(s_u[si - 1]).strip().casefold() if si else None
        p_or_none = str(p_u[pi - 1]) if pi else None
        hit = by_code.get(k) if k else None
        if k is None:
            resolved.append((None, None, None))
        elif hit and (p_or_none is None or hit[1] == p_or_none):
            resolved.append((hit[0], hit[1], None))
        else:
            names = [c for c in by_name.get(k, []) if p_or_none is None or c[1] == p_or_none]
            if len(names) == 1:
                resolved.append((names[0][0], names[0][1], None))
            else:
                resolved.append((None, None, "stage-ambiguous" if names else "stage-unknown"))

    def spread(values: list[Any]) -> pd.Series:
        return pd.Series(pd.array(values, dtype="str").take(take, allow_fill=True), index=rec.index)

    resolved_code = spread([r[0] for r in resolved])
    err_u = np.array([r[2] for r in resolved], dtype=object)[take] if len(resolved) else np.array([], dtype=object)
    ambiguous = err_u == "stage-ambiguous"
    unknown_stage = err_u == "stage-unknown"
    has_stage = stage_text.notna().to_numpy()

    def params(idx: np.ndarray) -> list[dict[str, Any]]:
        progs = program.iloc[idx]
        return [
            {"stage": s, "program": p if isinstance(p, str) else "/".join(schedule.programs)}
            for s, p in zip(stage_text.iloc[idx], progs, strict=True)
        ]

    _add_errors(sr, has_stage & ambiguous, "tahapan", "stage-ambiguous", params)
    _add_errors(sr, has_stage & unknown_stage, "tahapan", "stage-unknown", params)
    rec["tahapan"] = resolved_code
    rec["program"] = program.where(program.notna(), spread([r[1] for r in resolved]))
    lvl_u = np.array([level.get(r[0]) if r[0] else None for r in resolved] + [None], dtype=object)
    lvl = lvl_u[np.where(take >= 0, take, len(resolved))]

    def p_level(idx: np.ndarray) -> list[dict[str, Any]]:
        return [
            {"stage": s, "code": c} for s, c in zip(resolved_code.iloc[idx], rec["kode_lokasi"].iloc[idx], strict=True)
        ]

    _add_errors(sr, is_loc & (lvl == "provinsi"), "tahapan", "stage-level-province", p_level)
    _add_errors(sr, is_prov & (lvl == "lokasi"), "tahapan", "stage-level-location", p_level)
    # A province row needs that province to run the program.
    prov_rows = np.flatnonzero(is_prov)
    runs_not = np.zeros(len(rec), dtype=bool)
    for i, c, p in zip(prov_rows, rec["kode_provinsi"].iloc[prov_rows], rec["program"].iloc[prov_rows], strict=True):
        runs_not[i] = isinstance(p, str) and p not in prov_progs.get(c, set())
    _add_errors(sr, runs_not, "kode_lokasi", "location-unknown", lambda idx: [{"code": c} for c in code.iloc[idx]])
    _resolve_report_date(sr, schedule, today)


def _resolve_report_date(sr: SheetRecords, schedule: Schedule, today: date) -> None:
    rec = sr.records
    col = rec["tanggal_laporan"]
    inferred = col.isna().to_numpy()
    col = col.where(col.notna(), rec["_rdate"])
    rec["tanggal_laporan"] = col.astype("datetime64[ns]")
    rec["laporan_tanpa_tanggal"] = inferred & rec["_rdate"].isna().to_numpy()
    year = schedule.year
    rep = rec["tanggal_laporan"]
    future = (rep > pd.Timestamp(today)).fillna(False).to_numpy(dtype=bool)
    outside = (rep.dt.year != year).fillna(False).to_numpy(dtype=bool) & rep.notna().to_numpy()
    from_col = ~inferred
    _add_errors(sr, future & from_col, "tanggal_laporan", "report-future")
    _add_errors(sr, outside & from_col & ~future, "tanggal_laporan", "report-outside-year", {"year": year})
    # A title or file-name date that is wrong makes every row of the sheet wrong; say so on the key cell.
    _add_errors(sr, future & ~from_col, "kode_lokasi", "report-future")
    _add_errors(sr, outside & ~from_col & ~future, "kode_lokasi", "report-outside-year", {"year": year})


def _check_dates(sr: SheetRecords, start: str, end: str, report: str | None) -> None:
    rec = sr.records
    s, e = rec[start], rec[end]
    before = (e < s).fillna(False).to_numpy(dtype=bool)
    _add_errors(sr, before, end, "end-before-start", lambda idx: [{"start": _fmt(x)} for x in s.iloc[idx]])
    if report is not None and report in rec.columns:
        r = rec[report]
        for c in (start, end):
            late = (rec[c] > r).fillna(False).to_numpy(dtype=bool)
            _add_errors(sr, late, c, "date-after-report", lambda idx: [{"report": _fmt(x)} for x in r.iloc[idx]])


def _fmt(v: Any) -> str:
    return "" if pd.isna(v) else pd.Timestamp(v).date().isoformat()


def _resolve_temuan(sr: SheetRecords, schedule: Schedule, today: date) -> None:
    from pkp_cli.regions import province_code, reference

    rec = sr.records
    given = rec["kode_provinsi"].where(rec["kode_provinsi"].notna(), rec["provinsi"])
    codes = given.astype("string").str.strip()
    mapping = {u: province_code(u) for u in codes.dropna().unique()}
    prov = parse.map_dict(codes, mapping)
    missing = prov.isna().to_numpy() & codes.notna().to_numpy()
    col = "kode_provinsi" if rec["kode_provinsi"].notna().any() else "provinsi"
    _add_errors(sr, missing, col, "location-unknown", lambda idx: [{"code": c} for c in codes.iloc[idx]])
    _add_errors(sr, codes.isna().to_numpy(), col, "required-missing")
    rec["kode_provinsi"] = prov.astype(object)
    rec["provinsi"] = parse.map_dict(prov, reference())
    _resolve_report_date(sr, schedule, today)


# ------------------------------------------------------------------------------------------ duplicates


def _dedupe(sr: SheetRecords, key: list[str], value_cols: list[str], warn: list[pd.DataFrame]) -> None:
    """Identical rows load once; same key (and report date) with different values are all rejected."""
    ok = ~_has_error(sr)
    if not ok.any():
        return
    cols = [*key, *[c for c in value_cols if c not in key]]
    allr = sr.records.loc[ok, cols]
    kdup = allr.duplicated(key, keep=False).to_numpy(dtype=bool)
    if not kdup.any():
        return
    rec_idx = np.flatnonzero(ok)[kdup]
    d = sr.records.iloc[rec_idx][[*cols, "_row", "_file", "_sheet"]].copy()
    d["_rec"] = rec_idx
    d["_addr"] = [
        f"{f}{'!' + str(sh) if isinstance(sh, str) else ''}:{r}"
        for f, sh, r in zip(d["_file"], d["_sheet"], d["_row"], strict=True)
    ]
    vals = d[value_cols].astype("string").fillna("\x00")
    d["_sig"] = pd.util.hash_pandas_object(vals, index=False).to_numpy()
    dup_rows: list[int] = []
    dup_params: list[dict[str, Any]] = []
    conflict: dict[int, dict[str, Any]] = {}
    for _, g in d.groupby(key, dropna=False, sort=False):
        addrs = g["_addr"].tolist()
        recs = g["_rec"].tolist()
        if g["_sig"].nunique() == 1:
            dup_rows.extend(recs[1:])
            dup_params.extend({"other": addrs[0]} for _ in recs[1:])
        else:
            for i, r in enumerate(recs):
                conflict[int(r)] = {"other": addrs[1] if i == 0 else addrs[0]}
    if dup_rows:
        dup = np.zeros(len(sr.records), dtype=bool)
        dup[dup_rows] = True
        sr.records["_dup"] = dup if "_dup" not in sr.records.columns else sr.records["_dup"].fillna(False) | dup
        warn.append(
            pd.DataFrame(
                {"sheet_id": id(sr), "rec": dup_rows, "column": key[0], "code": "duplicate-row", "params": dup_params}
            )
        )
    if conflict:
        mask = np.zeros(len(sr.records), dtype=bool)
        mask[list(conflict)] = True
        _add_errors(sr, mask, key[0], "duplicate-conflict", lambda rows: [conflict[int(i)] for i in rows])


# ------------------------------------------------------------------------------------------ main entry


def load_data(
    paths: list[Path],
    schedule: Schedule,
    *,
    lokasi_paths: list[Path] | None = None,
    today: date | None = None,
    max_errors: int = 10_000,
    lang: str = "id",
    max_uncompressed_mb: int = DEFAULT_MAX_UNCOMPRESSED_MB,
    collect_rejects: bool = False,
    display_root: Path | None = None,
    cache_dir: Path | None = None,
) -> LoadResult:
    """Read every workbook under `paths` and validate it against `schedule`.

    `lokasi_paths` supplies location data for the cross-file checks when `paths` holds none (pkp validate on
    a single progress file). Nothing is dropped: each row is loaded, rejected (errors) or skipped (counted).
    With `cache_dir`, a result loaded before from exactly the same files and settings is reused.
    """
    today = today or date.today()
    key = None
    if cache_dir is not None and not collect_rejects:
        from pkp_cli import cache

        files, _ = discover([*paths, *(lokasi_paths or [])], display_root)
        settings = {
            "paths": [str(p) for p in paths],
            "lokasi_paths": [str(p) for p in lokasi_paths or []],
            "schedule": schedule.sha256,
            "today": today.isoformat(),
            "max_errors": max_errors,
            "max_mb": max_uncompressed_mb,
            "display_root": str(display_root),
        }
        key = cache.cache_key(settings, files)
        hit = cache.load(cache_dir, key)
        if hit is not None:
            return hit
    result = _load(
        paths,
        schedule,
        lokasi_paths=lokasi_paths,
        today=today,
        max_errors=max_errors,
        lang=lang,
        max_uncompressed_mb=max_uncompressed_mb,
        collect_rejects=collect_rejects,
        display_root=display_root,
    )
    if key is not None and cache_dir is not None:
        cache.save(cache_dir, key, result)
    return result


def _load(
    paths: list[Path],
    schedule: Schedule,
    *,
    lokasi_paths: list[Path] | None,
    today: date,
    max_errors: int,
    lang: str,
    max_uncompressed_mb: int,
    collect_rejects: bool,
    display_root: Path | None,
) -> LoadResult:
    import time

    timings: dict[str, float] = {}
    clock = [time.perf_counter()]

    def lap(name: str) -> None:
        now = time.perf_counter()
        timings[name] = timings.get(name, 0.0) + now - clock[0]
        clock[0] = now

    files, ignored = discover(paths, display_root)
    reports: list[FileReport] = []
    unreadable: list[Issue] = []
    sheets: list[SheetRecords] = []
    warn_frames: list[pd.DataFrame] = []
    file_warnings: list[Issue] = []
    seen_hash: dict[str, str] = {}
    for path, shown in files:
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError as exc:
            unreadable.append(
                Issue(shown, None, None, None, None, None, "file-unreadable", (("reason", exc.strerror),))
            )
            continue
        if digest in seen_hash:
            file_warnings.append(
                Issue(shown, None, None, None, None, None, "file-duplicate", (("other", seen_hash[digest]),))
            )
            ignored.append((shown, "duplicate-file"))
            continue
        seen_hash[digest] = shown
        try:
            got, ignored_sheets = read_sheets(path, shown, schedule, max_uncompressed_mb)
        except FileProblem as exc:
            unreadable.append(Issue(shown, None, None, None, None, None, exc.code, tuple(exc.params.items())))
            continue
        if not got:
            ignored.append((shown, "no-pkp-table"))
            continue
        for name in ignored_sheets:
            ignored.append((f"{shown}!{name}", "not-a-pkp-sheet"))
        reports.append(FileReport(shown, [s.report for s in got]))
        sheets.extend(got)

    lap("read")
    # Every check runs once per kind over the records of all its sheets (a folder holds dozens of small
    # sheets, and pandas' fixed cost per call would otherwise dominate).
    kinds = {k: combine([s for s in sheets if s.layout.kind == k]) for k in (KIND_LOKASI, KIND_PROGRES, KIND_TEMUAN)}
    for kind, combined in kinds.items():
        combined.errors = _concat_errors([combined.errors, *_parse_records(combined.records, kind)])
    lap("parse")
    lok = kinds[KIND_LOKASI]
    lokasi_ref = None
    if not lok.members and lokasi_paths:
        lokasi_ref = load_data(lokasi_paths, schedule, today=today, max_errors=0, lang=lang).lokasi
    # Locations first: progress rows are checked against them.
    missing_cols: set[str] = set()
    if lok.members:
        _check_lokasi_regions(lok, warn_frames)
        sid = lok.records["_sid"].to_numpy()
        for i, member in enumerate(lok.members):
            for c in ("lokasi_berulang", "kinerja", "dokumen_perencanaan"):
                if c not in member.layout.columns:
                    missing_cols.add(c)
                    where = (member.file, member.sheet.name, None, None, None, None)
                    file_warnings.append(Issue(*where, "column-missing", (("column", c),)))
                elif c != "kinerja":
                    # An empty cell in a present column means Tidak; a missing column stays unknown.
                    here = sid == i
                    lok.records.loc[here, c] = lok.records.loc[here, c].fillna(False)
        _dedupe(lok, ["kode_lokasi"], [c for c in LOKASI if not c.startswith("_")], warn_frames)
        lokasi = _frame(lok, LOKASI)
    else:
        lokasi = lokasi_ref if lokasi_ref is not None else _frame(lok, LOKASI)
    lap("lokasi_checks")
    prog = kinds[KIND_PROGRES]
    if prog.members:
        _resolve_progres(prog, lokasi, schedule, today)
        _check_dates(prog, "tanggal_mulai", "tanggal_selesai", "tanggal_laporan")
        _fill_undated(prog, today, file_warnings)
    lap("progres_checks")
    if prog.members:
        _dedupe(
            prog,
            ["kode_lokasi", "program", "tahapan", "tanggal_laporan"],
            ["tanggal_mulai", "tanggal_selesai", "progres_persen", "keterangan"],
            warn_frames,
        )
    lap("progres_duplicates")
    tem = kinds[KIND_TEMUAN]
    if tem.members:
        _resolve_temuan(tem, schedule, today)
        _fill_undated(tem, today, file_warnings)
        _dedupe(
            tem,
            ["kode_provinsi", "nomor_temuan", "tanggal_laporan"],
            ["uraian", "nilai", "status", "batas_waktu", "tanggal_selesai"],
            warn_frames,
        )
    lap("temuan")
    progres = _frame(prog, PROGRES)
    lap("frames")
    superseded = _superseded_warnings(progres)
    lap("superseded")
    temuan = _frame(tem, TEMUAN)

    # Accounting: a record with an error rejects its whole source row (a wide row holds several records).
    for combined in kinds.values():
        if not combined.members:
            continue
        rec = combined.records
        key = rec["_sid"].to_numpy(dtype=np.int64) * (1 << 32) + rec["_src"].to_numpy(dtype=np.int64)
        bad = np.unique(key[_has_error(combined)])
        no_dup = np.zeros(len(rec), dtype=bool)
        dup_mask = rec["_dup"].fillna(False).to_numpy(dtype=bool) if "_dup" in rec.columns else no_dup
        dup = np.setdiff1d(np.unique(key[dup_mask]), bad)
        for i, member in enumerate(combined.members):
            lo, hi = i * (1 << 32), (i + 1) * (1 << 32)
            n_bad = int(((bad >= lo) & (bad < hi)).sum())
            n_dup = int(((dup >= lo) & (dup < hi)).sum())
            member.report.rows_rejected = n_bad
            member.report.duplicates = n_dup
            member.report.rows_loaded = member.data_rows - n_bad - n_dup

    lap("accounting")
    combined_sets = list(kinds.values())
    errors, errors_total = _issues(combined_sets, "errors", max_errors, lang)
    warns, warnings_total = _issues_from_frames(combined_sets, warn_frames, max_errors)
    warns = file_warnings + superseded + warns
    return LoadResult(
        lokasi=lokasi,
        progres=progres,
        temuan=temuan,
        files=reports,
        errors=errors,
        warnings=warns[: max(max_errors, 0) or None] if max_errors else [],
        errors_total=errors_total + len(unreadable),
        warnings_total=warnings_total + len(file_warnings) + len(superseded),
        ignored=ignored,
        unreadable=unreadable,
        lokasi_missing_columns=missing_cols,
        rejected=_rejected_rows(combined_sets, lang) if collect_rejects else {},
        timings=timings,
    )


def _rejected_rows(
    sets: list[SheetRecords], lang: str
) -> dict[str, list[tuple[str | None, list[str], list[tuple[int, list[Any], str]]]]]:
    """Per source file: each sheet's rejected rows as written, with the reasons."""
    out: dict[str, list[tuple[str | None, list[str], list[tuple[int, list[Any], str]]]]] = {}
    for sr in sets:
        if not len(sr.errors):
            continue
        src = sr.records["_src"].to_numpy()
        sid = sr.records["_sid"].to_numpy()
        msgs: dict[tuple[int, int], list[str]] = {}
        for rec_i, column, code, params in sr.errors.itertuples(index=False):
            issue = _issue(sr, int(rec_i), column, code, params)
            where = (int(sid[int(rec_i)]), int(src[int(rec_i)]))
            msgs.setdefault(where, []).append(f"{issue.cell or issue.column or ''}: {issue.message(lang)}")
        for i, member in enumerate(sr.members):
            rows = []
            for m_i, s_i in sorted(k for k in msgs if k[0] == i):
                g = member.layout.data_start + s_i
                values = [None if pd.isna(v) else v for v in member.sheet.grid.iloc[g]]
                rows.append((int(member.sheet.row_numbers[g]), values, "; ".join(msgs[(m_i, s_i)])))
            if rows:
                out.setdefault(member.file, []).append((member.sheet.name, list(member.layout.headers), rows))
    return out


def _fill_undated(sr: SheetRecords, today: date, warnings: list[Issue]) -> None:
    """Undated rows take the newest dated report date (today if none) and are named in a warning per sheet."""
    rec = sr.records
    undated = rec["laporan_tanpa_tanggal"].to_numpy(dtype=bool)
    if not undated.any():
        return
    usable = ~undated & ~_has_error(sr)
    fallback = rec.loc[usable, "tanggal_laporan"].max() if usable.any() else pd.Timestamp(today)
    rec.loc[undated, "tanggal_laporan"] = fallback
    sid = rec["_sid"].to_numpy()
    for i in np.unique(sid[undated]):
        member = sr.members[int(i)]
        count = int((undated & (sid == i)).sum())
        warnings.append(
            Issue(
                member.file,
                member.sheet.name,
                None,
                None,
                None,
                None,
                "report-date-missing",
                (("count", count), ("date", _fmt(fallback))),
            )
        )


def _frame(sr: SheetRecords, columns: list[str]) -> pd.DataFrame:
    """The loaded rows: no error, not a duplicate copy; exactly `columns`."""
    if not sr.members:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    ok = ~_has_error(sr)
    if "_dup" in sr.records.columns:
        ok &= ~sr.records["_dup"].fillna(False).to_numpy(dtype=bool)
    out = sr.records.loc[ok].reindex(columns=columns).reset_index(drop=True)
    for c in columns:
        if c.startswith(("tanggal", "batas")):
            out[c] = pd.to_datetime(out[c]).astype("datetime64[ns]")
    return out


def _superseded_warnings(progres: pd.DataFrame) -> list[Issue]:
    """A newer report that clears a date an older report had."""
    if progres.empty:
        return []
    key = ["kode_lokasi", "program", "tahapan"]
    again = progres.duplicated(key, keep=False).to_numpy(dtype=bool)
    if not again.any():
        return []
    p = progres.loc[again].sort_values([*key, "tanggal_laporan"])
    out: list[Issue] = []
    for c in ("tanggal_mulai", "tanggal_selesai"):
        prev = p.groupby(key, sort=False)[c].shift(1)
        prev_file = p.groupby(key, sort=False)["_file"].shift(1)
        prev_row = p.groupby(key, sort=False)["_row"].shift(1)
        cleared = p[c].isna() & prev.notna()
        for idx in np.flatnonzero(cleared.to_numpy()):
            r = p.iloc[idx]
            out.append(
                Issue(
                    str(prev_file.iloc[idx]),
                    None,
                    int(prev_row.iloc[idx]),
                    None,
                    c,
                    _fmt(prev.iloc[idx]),
                    "superseded-cleared",
                    (("other", f"{r['_file']}:{r['_row']}"), ("column", c), ("value", _fmt(prev.iloc[idx]))),
                )
            )
    return out


def _issues(sheets: list[SheetRecords], what: str, limit: int, lang: str) -> tuple[list[Issue], int]:
    """The first `limit` errors as Issues (all are counted)."""
    total = sum(len(sr.errors) for sr in sheets)
    out: list[Issue] = []
    for sr in sheets:
        if len(out) >= limit:
            break
        errs = sr.errors.sort_values(["rec"], kind="stable").head(limit - len(out))
        for rec_i, column, code, params in errs.itertuples(index=False):
            out.append(_issue(sr, int(rec_i), column, code, params))
    out.sort(key=lambda i: (i.file, i.sheet or "", i.row or 0, i.cell or ""))
    return out, total


def _issues_from_frames(sheets: list[SheetRecords], frames: list[pd.DataFrame], limit: int) -> tuple[list[Issue], int]:
    by_id = {id(sr): sr for sr in sheets}
    total = sum(len(f) for f in frames)
    out: list[Issue] = []
    for f in frames:
        for sid, rec_i, column, code, params in f[["sheet_id", "rec", "column", "code", "params"]].itertuples(
            index=False
        ):
            if len(out) >= limit:
                return out, total
            out.append(_issue(by_id[sid], int(rec_i), column, code, params))
    return out, total


def _issue(sr: SheetRecords, rec_i: int, column: str, code: str, params: Any) -> Issue:
    r = sr.records.iloc[rec_i]
    grp = int(r["_grp"]) if "_grp" in r and sr.group_cols else 0
    col_idx = sr.group_cols[grp].get(column) if sr.group_cols else None
    header = sr.group_headers[grp].get(column) if sr.group_headers else None
    raw = r.get(f"_raw_{column}")
    member = sr.members[int(r["_sid"])] if sr.members and "_sid" in r else sr
    if col_idx is None or pd.isna(col_idx) or int(col_idx) < 0:
        cell = None
        if column == "tanggal_laporan" and member.report_date_cell:
            cell = f"{col_letter(member.report_date_cell[1])}{member.report_date_cell[0]}"
    else:
        cell = f"{col_letter(int(col_idx))}{int(r['_row'])}"
    value = None if raw is None or (isinstance(raw, float) and pd.isna(raw)) else str(raw)
    p = tuple(params.items()) if isinstance(params, dict) else ()
    return Issue(
        member.file,
        member.sheet.name,
        int(r["_row"]),
        cell,
        None if header is None or (isinstance(header, float) and pd.isna(header)) else str(header),
        value,
        code,
        p,
    )
