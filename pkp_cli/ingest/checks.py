"""The checks across rows and files, run once per kind over the combined records: region codes and names,
locations, programs and stages of progress rows, report dates, actual dates, duplicates."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from pkp_cli.ingest import parse
from pkp_cli.ingest.sheets import SheetRecords, add_errors, factorized, has_error
from pkp_cli.model.issues import Issue
from pkp_cli.model.schedule import Schedule

_STR = pd.StringDtype("pyarrow", na_value=np.nan)  # pandas' "str": the text columns' dtype


def check_lokasi_regions(sr: SheetRecords, warnings: list[pd.DataFrame]) -> None:
    from pkp_cli.model.regions import REFERENCE_EDITION, reference_for

    rec = sr.records
    code = rec["kode_lokasi"].astype("string")
    # Only the names these codes (and their prefixes) can have: a few hundred desa, not all 84,000. (The distinct
    # codes are found only if reference_for reads them: not when the whole reference is read already, as beside a
    # big progress file, where 83,000 codes cost 25 ms on the load's critical path.)
    ref = reference_for(_distinct_codes(code))
    prog = rec["program"].astype("string")
    pisew = code.str.fullmatch(r"\d{2}\.\d{2}\.\d{2}").fillna(False).to_numpy(dtype=bool)
    kotaku = code.str.fullmatch(r"\d{2}\.\d{2}\.\d{2}\.\d{4}").fillna(False).to_numpy(dtype=bool)
    has_code = code.notna().to_numpy() & ~has_error(sr, "kode_lokasi")
    bad_form = has_code & ~pisew & ~kotaku
    add_errors(sr, bad_form, "kode_lokasi", "code-format", {"expected": "NN.NN.NN / NN.NN.NN.NNNN"})
    mismatch = has_code & (
        ((prog == "PISEW").fillna(False).to_numpy(dtype=bool) & kotaku)
        | ((prog == "KOTAKU").fillna(False).to_numpy(dtype=bool) & pisew)
    )
    add_errors(sr, mismatch, "kode_lokasi", "program-mismatch", lambda idx: [{"program": p} for p in prog.iloc[idx]])
    # Each code's own reference name, looked up once: whether the code is known (every name in the reference is
    # text), and the kelurahan/desa level's name below (that level's code is the code itself).
    own_name = _reference_names(code, ref)
    known = own_name.notna().to_numpy(dtype=bool)
    add_errors(
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
        looked = own_name.where(pd.Series(kotaku, index=rec.index)) if col == "kelurahan_desa" else None
        ref_name = (parse.map_dict(codes, ref) if looked is None else looked).where(ok)
        _check_names(sr, col, codes, ref_name, rec[col], ok, warnings)
        rec[col] = ref_name
    rec["nama_lokasi"] = rec["kelurahan_desa"].where(pd.Series(kotaku, index=rec.index), rec["kecamatan"])


def _distinct_codes(code: pd.Series) -> Iterator[str]:
    yield from pd.unique(code.dropna()).tolist()


_LEVEL_LEN = {"provinsi": 2, "kabupaten_kota": 5, "kecamatan": 8, "kelurahan_desa": 13}


def _reference_names(codes: pd.Series, ref: dict[str, str]) -> pd.Series:
    """`parse.map_dict(codes, ref)` for codes that are mostly distinct (a lokasi sheet's own codes), by Arrow:
    the reference's codes and names as two Arrow arrays, each code's row found by one hash lookup (`index_in`)
    and its name taken. The 83,000 codes of a national lokasi sheet cost as many Python dictionary lookups of
    fresh strings, and their names a text column built from Python strings (about 0.07 s in a fresh process,
    0.02 s here). A column of few distinct codes is quicker through map_dict (one lookup per distinct code)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from pkp_cli.model.regions import arrays_of

    keys, names = arrays_of(ref)
    values = pa.chunked_array(pa.array(codes.array, type=pa.large_string()))
    found = pc.take(names, pc.index_in(values, value_set=keys))
    text = pd.arrays.ArrowStringArray(found, dtype=_STR)  # type: ignore[call-arg]
    return pd.Series(text, index=codes.index)  # "str", as map_dict gives


@cache
def _regions_in_parent(level_len: int) -> dict[tuple[str, str], str]:
    """(parent code, name key) -> code of the regions of one level: the other region a name may mean is looked for
    under the same parent (a kecamatan name in the same kabupaten), since names repeat across the country."""
    from pkp_cli.model.regions import name_key, reference

    parent_len = {5: 2, 8: 5, 13: 8}.get(level_len, 0)
    return {(k[:parent_len], name_key(v)): k for k, v in reference().items() if len(k) == level_len}


def _check_names(
    sr: SheetRecords,
    col: str,
    codes: pd.Series,
    ref_name: pd.Series,
    given: pd.Series,
    ok: np.ndarray,
    warnings: list[pd.DataFrame],
    warn_rows: np.ndarray | None = None,
) -> None:
    """A name that differs from the code's reference name (`col` names the level: provinsi, kabupaten_kota,
    kecamatan, kelurahan_desa). Same but for case, prefix or punctuation, or a province's short name (NTB,
    Sulsel): accepted. Another region (another province, a kecamatan of the same kabupaten): rejected as
    name-contradiction, naming it. A spelling variant: a warning (the code wins). Anything else: rejected as
    name-unmatched, naming the reference name to write. `warn_rows` limits warnings to those records (one per
    source row of a wide-form sheet)."""
    from pkp_cli.model.regions import name_key, name_keys, province_code, reference

    has = ok & given.notna().to_numpy() & ref_name.notna().to_numpy()
    if not has.any():
        return
    idx = np.flatnonzero(has)
    g_all = given[has].astype("str").reset_index(drop=True)
    r_all = ref_name[has].astype("str").reset_index(drop=True)
    code_vals = codes[has].to_numpy(dtype=object)
    # Most names match as written but for case; the rest mostly once folded (prefixes, punctuation).
    same = _same_casefolded(g_all.str.strip(), r_all)
    if not same.all():
        rest = np.flatnonzero(~same)
        folded = name_keys(g_all.iloc[rest]).to_numpy() == name_keys(r_all.iloc[rest]).to_numpy()
        same[rest[folded]] = True
    is_province = col == "provinsi"
    if is_province and not same.all():
        # Short names and other spellings from the one alias table the --province option uses.
        rest = np.flatnonzero(~same)
        alias = {g: province_code(g) for g in pd.unique(g_all.iloc[rest])}
        same[rest] = [alias[g] == str(code_vals[i])[:2] for g, i in zip(g_all.iloc[rest], rest, strict=True)]
    if same.all():
        return
    from rapidfuzz import fuzz  # only for names that differ (its import costs about 35 ms)

    ref = reference()
    level_len = _LEVEL_LEN[col]
    verdict: dict[tuple[str, str, str], tuple[str, dict[str, Any]]] = {}
    rows_var: list[int] = []
    var_params: list[dict[str, Any]] = []
    con_rows: dict[str, dict[int, dict[str, Any]]] = {"name-contradiction": {}, "name-unmatched": {}}
    for i in np.flatnonzero(~same):
        g, r, code = g_all.iloc[i], r_all.iloc[i], str(code_vals[i])
        key = (code, g, r)
        if key not in verdict:
            gk, rk = name_key(g), name_key(r)
            if is_province:
                other = province_code(g)
            else:
                parent_len = {5: 2, 8: 5, 13: 8}[level_len]
                other = _regions_in_parent(level_len).get((code[:parent_len], gk))
            if other is not None and other != code:
                verdict[key] = (
                    "name-contradiction",
                    {"code": code, "reference": r, "other": f"{ref[other]} ({other})"},
                )
            elif fuzz.ratio(gk, rk) >= 80 or (len(gk) >= 4 and (gk in rk or rk in gk)):
                verdict[key] = ("name-variant", {"reference": r})
            else:
                verdict[key] = ("name-unmatched", {"code": code, "reference": r})
        kind, params = verdict[key]
        if kind == "name-variant":
            if warn_rows is None or warn_rows[idx[i]]:
                rows_var.append(int(idx[i]))
                var_params.append(params)
        else:
            con_rows[kind][int(idx[i])] = params
    for kind, rows in con_rows.items():
        if rows:
            mask = np.zeros(len(sr.records), dtype=bool)
            mask[list(rows)] = True
            add_errors(sr, mask, col, kind, lambda at, rows=rows: [rows[int(i)] for i in at])
    if rows_var:
        warnings.append(
            pd.DataFrame(
                {"sheet_id": id(sr), "rec": rows_var, "column": col, "code": "name-variant", "params": var_params}
            )
        )


def _same_casefolded(a: pd.Series, b: pd.Series) -> np.ndarray:
    """`a.str.casefold() == b.str.casefold()`, with Arrow's lower case for the pairs that are ASCII (where lower
    case is case folding): Python's casefold runs per value, and 83,000 names per level took 0.05 s each side."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not len(a):
        return np.zeros(0, dtype=bool)
    pa_a, pa_b = pa.array(a.array, type=pa.large_string()), pa.array(b.array, type=pa.large_string())
    ascii_ = pc.and_(pc.string_is_ascii(pa_a), pc.string_is_ascii(pa_b))
    ascii_ = np.asarray(pc.fill_null(ascii_, False).to_numpy(zero_copy_only=False), dtype=bool)
    out = np.asarray(pc.fill_null(pc.equal(pc.ascii_lower(pa_a), pc.ascii_lower(pa_b)), False), dtype=bool)
    out = out & ascii_
    rest = np.flatnonzero(~ascii_)
    if len(rest):
        folded = a.iloc[rest].str.casefold().to_numpy(dtype=object) == b.iloc[rest].str.casefold().to_numpy(
            dtype=object
        )
        out[rest] = np.asarray(folded, dtype=bool)
    return out


def rejected_locations(sr: SheetRecords) -> dict[str, str]:
    """Code of each rejected location row -> where it was rejected ("lokasi.xlsx!PISEW!D7": its first bad cell),
    so the progress rows of that location can point at the one cell to fix."""
    from pkp_cli.ingest.read import col_letter

    if not len(sr.errors) or not sr.members:
        return {}
    first = sr.errors.drop_duplicates("rec")
    rec_idx = first["rec"].to_numpy(dtype=np.int64)
    codes = pd.Series(sr.records["kode_lokasi"].to_numpy(dtype=object)[rec_idx])
    keep = (codes.notna() & ~codes.duplicated()).to_numpy(dtype=bool)
    out: dict[str, str] = {}
    rows = sr.records["_row"].to_numpy()
    sids = sr.records["_sid"].to_numpy()
    grps = sr.records["_grp"].to_numpy()
    for code, r, column in zip(codes[keep], rec_idx[keep], first["column"].to_numpy()[keep], strict=True):
        member = sr.members[int(sids[r])]
        col_idx = sr.group_cols[int(grps[r])].get(column) if sr.group_cols else None
        place = f"{col_letter(int(col_idx))}{int(rows[r])}" if col_idx is not None else f"{int(rows[r])}"
        sheet = f"!{member.sheet.name}" if isinstance(member.sheet.name, str) else ""
        out[str(code)] = f"{member.file}{sheet}!{place}"
    return out


def add_year_hints(sr: SheetRecords, year: int) -> None:
    """A date written without its year ("8 Juni") is rejected naming the date to write ("8 Juni 2022")."""
    errs = sr.errors
    if not len(errs):
        return
    at = np.flatnonzero((errs["code"] == "date-no-year").to_numpy(dtype=bool))
    if not len(at):
        return
    params = errs["params"].to_numpy(dtype=object).copy()
    columns = errs["column"].to_numpy(dtype=object)
    recs = errs["rec"].to_numpy(dtype=np.int64)
    for i in at:
        raw = str(sr.records[f"_raw_{columns[i]}"].iat[int(recs[i])]).strip()
        sep = "/" if "/" in raw else "-" if re.fullmatch(r"\d+\s*-\s*\d+", raw) else " "
        params[i] = {"suggestion": f"{raw}{sep}{year}", "year": year}
    errs["params"] = params


def resolve_progres(
    sr: SheetRecords,
    lokasi: pd.DataFrame,
    schedule: Schedule,
    today: date,
    warnings: list[pd.DataFrame] | None = None,
    rejected: dict[str, str] | None = None,
) -> None:
    """Location or province, program, stage code and report date of each progress record; the sheet's own
    Provinsi / Kabupaten names against the code; progress that cannot be right yet (warnings).

    `rejected` maps the codes of rejected location rows to where they were rejected (`rejected_locations`): a
    progress row of such a location says so instead of calling the location unknown."""
    warnings = [] if warnings is None else warnings
    rec = sr.records
    add_year_hints(sr, schedule.year)
    code = rec["kode_lokasi"].astype("str")
    bad_code = has_error(sr, "kode_lokasi") | code.isna().to_numpy()
    # Everything about a code is decided once per distinct code (83,000 at most), as whole Arrow arrays (no Python
    # per code: about 0.15 s of a national load), then spread by a take.
    code_ix, code_uniques = factorized(sr, "kode_lokasi", code)
    loc = _Locations(code_uniques, lokasi)
    # code_ix, each row's distinct code, is -1 for none: every per-code array spread by it below ends with the value
    # for none, which -1 takes (no remapped copy of the 1.66 M codes).

    def spread_code(values: Any) -> pd.Series:
        text = pd.arrays.ArrowStringArray(_pa_chunked(values), dtype=_STR)  # type: ignore[call-arg]
        return pd.Series(text.take(code_ix, allow_fill=True), index=rec.index)

    def spread_flag(values: np.ndarray) -> np.ndarray:
        # Which rows' code has a value: a take of booleans, not of text.
        return np.append(values, False)[code_ix]

    is_loc = spread_flag(loc.is_loc)
    is_prov = spread_flag(loc.is_prov)
    unknown = ~bad_code & ~is_loc & ~is_prov
    if rejected and unknown.any():
        found_u, where_u = _rejected_at(loc.codes, rejected)
        was_rejected = unknown & spread_flag(found_u)
        add_errors(
            sr,
            was_rejected,
            "kode_lokasi",
            "location-rejected",
            lambda idx: [
                {"code": c, "where": w} for c, w in zip(code.iloc[idx], where_u[code_ix[idx]].tolist(), strict=True)
            ],
        )
        unknown &= ~was_rejected
    add_errors(sr, unknown, "kode_lokasi", "location-unknown", lambda idx: [{"code": c} for c in code.iloc[idx]])
    rec["kode_provinsi"] = spread_code(loc.province)
    if sr.dictionaries:  # the load keeps its frames' factorisations for its cache entry (load._parse_fresh)
        # This column's is at hand: each distinct code's province, by the row's code. `load._frame` hands it to the
        # entry while the frame still holds this very array (else the national data's 1.66 M two-letter codes are
        # compressed again at the end of a first run: 17 MB in, 6.7 MB out).
        province = pd.arrays.ArrowStringArray(_pa_chunked(loc.province), dtype=_STR)  # type: ignore[call-arg]
        arrow = getattr(rec["kode_provinsi"].array, "_pa_array", None)
        sr.dictionaries.append((arrow, np.asarray(code_ix, dtype=np.int32), pd.Index(province, copy=False)))
    if is_prov.any():
        rec["kode_lokasi"] = code.where(~is_prov, spread_code(loc.prov))
    else:
        rec["kode_lokasi"] = code  # no province row: the codes as they are (no copy of 1.66 M strings)
    # The final code of each distinct code as a sortable integer, kept for the duplicate and superseded checks.
    rec[KEY_PREFIX + "kode_lokasi"] = _column(rec, _spread_ranks(loc.final, code_ix))
    _check_progres_names(sr, is_loc, is_prov, warnings)
    # Program: from the column, else from the location; province rows may take it from the stage. Compared and
    # chosen as integer ids of the few distinct program texts: no 1.66 M-row text column of the location's
    # program, nor of the program chosen, is made.
    given = rec["program"].astype("str")
    given_ix, given_u = factorized(sr, "program", given)
    names = [str(p) for p in np.asarray(given_u, dtype=object)]
    loc_names = loc.program_names  # (None and NaN: no program)
    for p in loc_names:
        if str(p) not in names:
            names.append(str(p))
    # (The few program ids in the narrowest integer that holds them: the per-row take is 1.66 M of those.)
    id_type = np.int16 if len(names) < 2**15 else np.int64
    loc_id_u = np.array([names.index(str(p)) for p in loc_names] + [-1], dtype=id_type)
    # Per distinct code, then per row; a row without a code (code_ix -1) has no location's program.
    loc_id_of_code = np.append(loc_id_u[loc.program], id_type(-1))
    loc_id = loc_id_of_code[code_ix]
    given_ix = np.asarray(given_ix, dtype=np.int64)
    has_given = given_ix >= 0
    differs = is_loc & has_given & (given_ix != loc_id)
    add_errors(
        sr,
        differs,
        "program",
        "program-differs",
        lambda idx: [{"given": names[g], "program": names[p]} for g, p in zip(given_ix[idx], loc_id[idx], strict=True)],
    )
    # Every row names its program: the final program is the row's own text (no new column is needed).
    own_program = given if bool(has_given.all()) else None
    program_id = given_ix if own_program is not None else np.where(has_given, given_ix, loc_id)
    pair_of_record, pairs = _resolve_stages(sr, schedule, program_id, names, is_loc, is_prov, own_program)
    # A province row needs that province to run the program.
    prov_rows = np.flatnonzero(is_prov)
    if len(prov_rows):  # (an empty take of the two text columns still joins their 85 chunks: 13 MB, no rows)
        prov_progs: dict[str, set[str]] = {}
        # The few (province, program) pairs, not a Python set built per group of 83,000 rows.
        for prov_code, prog_code in lokasi[["kode_provinsi", "program"]].drop_duplicates().itertuples(index=False):
            if isinstance(prov_code, str):
                prov_progs.setdefault(prov_code, set()).add(prog_code)
        runs_not = np.zeros(len(rec), dtype=bool)
        provs, progs = rec["kode_provinsi"].iloc[prov_rows], rec["program"].iloc[prov_rows]
        for i, c, p in zip(prov_rows, provs, progs, strict=True):
            runs_not[i] = isinstance(p, str) and p not in prov_progs.get(c, set())
        add_errors(sr, runs_not, "kode_lokasi", "location-unknown", lambda idx: [{"code": c} for c in code.iloc[idx]])
    _resolve_report_date(sr, schedule, today)
    _progress_warnings(sr, schedule, warnings, pair_of_record, pairs)


def _pa_chunked(values: Any) -> Any:
    """An Arrow array as the one-chunk ChunkedArray pandas' Arrow-backed arrays hold."""
    import pyarrow as pa

    return values if isinstance(values, pa.ChunkedArray) else pa.chunked_array([values])


def _arrow_text(values: Any) -> Any:
    """Text (an array, Index or Series of pandas' "str") as one Arrow large_string array."""
    import pyarrow as pa

    arr = pa.array(values.array if isinstance(values, (pd.Index, pd.Series)) else values, type=pa.large_string())
    return arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr


class _Locations:
    """What the location data says of each distinct progress code, as whole arrays (one value per code).

    The same as a Python dictionary of the locations' codes and programs (the last of duplicate codes wins) looked
    up with each code: a code with no location, or whose location's program is None, is a province if
    `province_code` names one (`prov`, null if not); a location whose program is missing (None, NaN) is not a
    location (`is_loc`); the province code (`province`) is a location's first two characters, else the
    province's; the final code (`final`) the province's, else the code. `program`: each code's location's
    program as a place in `program_names` (-1 none), the distinct programs in the order of the first code to
    name each, as `pd.factorize` of the per-code programs gave them."""

    def __init__(self, code_uniques: Any, lokasi: pd.DataFrame) -> None:
        import pyarrow as pa
        import pyarrow.compute as pc

        self.codes = codes = _arrow_text(code_uniques)  # no nulls: the distinct codes
        row = _last_row_of(lokasi["kode_lokasi"], codes)  # each code's location row, -1 = none
        program = lokasi["program"]
        # Per location row, and -1 (no location) as a None program: the program missing (None, NaN), and None
        # itself (only an object column holds it: pandas' text columns give NaN or NA).
        na_row = np.append(program.isna().to_numpy(dtype=bool), True)
        if program.dtype == object:
            none_row = np.fromiter((p is None for p in program.tolist()), dtype=bool, count=len(program))
        else:
            none_row = np.zeros(len(program), dtype=bool)
        has_program_object = ~np.append(none_row, True)[row]  # the dictionary's value is not None
        self.is_loc = ~na_row[row]
        self.prov = _province_codes(codes, ~has_program_object)
        self.is_prov = np.asarray(self.prov.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
        first_two = pc.utf8_slice_codeunits(codes, 0, 2)  # code points, as Python's c[:2]
        self.province = pc.if_else(pa.array(has_program_object), first_two, self.prov)
        self.final = pc.coalesce(self.prov, codes)
        ids, names = pd.factorize(program)  # per location row; None and NaN: -1
        per_code = np.append(np.asarray(ids, dtype=np.int64), -1)[row]
        used, first = np.unique(per_code[per_code >= 0], return_index=True)
        order = used[np.argsort(first, kind="stable")]
        values = np.asarray(names, dtype=object)
        self.program_names: list[Any] = [values[i] for i in order]
        place = np.full(len(values) + 1, -1, dtype=np.int64)  # (the last: -1, for per_code -1)
        place[order] = np.arange(len(order))
        self.program = place[per_code]


def _last_row_of(keys: pd.Series, codes: Any) -> np.ndarray:
    """The position in `keys` of each of `codes` (Arrow text), the last where a key repeats, -1 where none: a
    Python dictionary of the keys looked up with each code, by one Arrow hash lookup against the keys reversed
    (Arrow's `index_in` gives the first match). Keys that are not pandas text (an object column) are looked up in
    such a dictionary."""
    import pyarrow as pa
    import pyarrow.compute as pc

    n = len(keys)
    if isinstance(keys.dtype, pd.StringDtype):
        try:
            arrow = _arrow_text(keys)
        except (pa.ArrowException, UnicodeError):
            arrow = None  # text Arrow cannot hold (a lone surrogate): the dictionary below
        if arrow is not None:
            backwards = np.arange(n - 1, -1, -1, dtype=np.int64)
            found = pc.index_in(codes, value_set=arrow.take(backwards), skip_nulls=True)
            at = np.asarray(found.fill_null(-1).to_numpy(zero_copy_only=False), dtype=np.int64)
            return np.where(at >= 0, n - 1 - at, -1)
    position = {k: i for i, k in enumerate(keys.tolist())}
    return np.fromiter((position.get(c, -1) for c in codes.to_pylist()), dtype=np.int64, count=len(codes))


def _province_codes(codes: Any, wanted: np.ndarray) -> Any:
    """`province_code` of the `wanted` codes (Arrow text), null elsewhere and where it names none. A code of ASCII
    digits and dots only, other than two digits (a desa, kecamatan or kabupaten code no location has: every code
    of a progress file read without locations), names no province: it is not two digits, and its province key is
    its digits, which no province's name or short name is (checked). Those are not looked up one by one (83,000
    calls: 0.3 s)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from pkp_cli.model.regions import province_code, province_index

    at = np.flatnonzero(wanted)
    if len(at):
        asked = codes.take(at)
        plain = pc.and_(
            pc.match_substring_regex(asked, r"^[0-9.]+$"), pc.invert(pc.match_substring_regex(asked, r"^[0-9]{2}$"))
        )
        if not any(k == "" or k.isdigit() for k in province_index()):
            at = at[~np.asarray(plain.to_numpy(zero_copy_only=False), dtype=bool)]
    values = [province_code(c) for c in codes.take(at).to_pylist()] if len(at) else []
    index = np.full(len(codes), len(values), dtype=np.int64)
    index[at] = np.arange(len(values))
    return pa.array([*values, None], type=pa.large_string()).take(index)


def _rejected_at(codes: Any, rejected: dict[str, str]) -> tuple[np.ndarray, np.ndarray]:
    """For each code (Arrow text): whether `rejected` has it, and where (None if not)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    keys = list(rejected)
    try:
        found = pc.index_in(codes, value_set=pa.array(keys, type=pa.large_string()))
    except (pa.ArrowException, UnicodeError):  # a key Arrow cannot hold: looked up one by one
        where = np.empty(len(codes), dtype=object)  # (filled, not built from a list numpy could read as rows)
        where[:] = [rejected.get(c) for c in codes.to_pylist()]
        return np.fromiter((w is not None for w in where), dtype=bool, count=len(where)), where
    at = np.asarray(found.fill_null(-1).to_numpy(zero_copy_only=False), dtype=np.int64)
    values = np.array([*rejected.values(), None], dtype=object)
    return at >= 0, values[at]


# Columns `_key_<column>`: the final value of a resolved column as an integer that sorts as the text does (-1 =
# missing), so the checks after resolving (duplicates, superseded reports) neither hash nor sort the text again.
KEY_PREFIX = "_key_"


def _column(rec: pd.DataFrame, values: np.ndarray) -> pd.Series:
    """A new array of the records' length, to be set as a column without a copy (a frame copies an array it is
    given, in pandas 3: on 1.66 M rows that is fresh memory, whose page faults cost more than the copy)."""
    return pd.Series(values, index=rec.index, copy=False)


def _spread_keys(values: list[Any], at: np.ndarray) -> np.ndarray:
    """`values` (one per distinct item, None = missing) as sort ranks, spread to the rows by `at` (-1 = none: the
    rank appended last, -1 too)."""
    ranks = np.append(_sort_ranks(values), np.int32(-1))  # 4 bytes a row: 1.66 M rows, 6.6 MB a key
    return ranks[at]


def _spread_ranks(text: Any, at: np.ndarray) -> np.ndarray:
    """`_spread_keys` of Arrow text without nulls: its ranks by Arrow (as `_sort_ranks` ranks text)."""
    ranks = np.full(len(text) + 1, -1, dtype=np.int32)  # the last: -1, for `at` -1
    ranks[:-1] = _text_ranks(text)
    return ranks[at]


def _text_ranks(text: Any) -> np.ndarray:
    """The rank of each of Arrow text's values among the distinct ones, from 0, as int32 (UTF-8 bytes sort as the
    characters do in Python)."""
    import pyarrow.compute as pc

    if not len(text):
        return np.zeros(0, dtype=np.int32)
    return pc.rank(text, sort_keys="ascending", tiebreaker="dense").to_numpy().astype(np.int32) - 1  # 1: smallest


def _sort_ranks(values: list[Any]) -> np.ndarray:
    """`pd.factorize(values, sort=True)`'s codes (the rank of each value among the distinct ones, -1 = missing) as
    int32. Text ranked by Arrow (UTF-8 bytes sort as the characters do in Python): the 83,000 codes of a national
    load in a third of the time of pandas' sort of Python strings. Anything else goes through pandas."""
    import pyarrow as pa

    present = [i for i, v in enumerate(values) if v is not None]
    if len(values) > 1000 and all(type(values[i]) is str for i in present):
        try:
            text = pa.array([values[i] for i in present], type=pa.large_string())
        except (pa.ArrowException, UnicodeError):
            text = None  # text Arrow cannot hold (a lone surrogate): pandas below
        if text is not None:
            out = np.full(len(values), -1, dtype=np.int32)
            out[np.array(present, dtype=np.int64)] = _text_ranks(text)
            return out
    ranks, _ = pd.factorize(pd.Series(values, dtype=object), sort=True, use_na_sentinel=True)
    return np.asarray(ranks, dtype=np.int32)


def _dense_codes(keys: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Integer keys in range(size) numbered 0, 1, ... in the order of the keys (codes, the distinct keys sorted).
    A small range (the few hundred (stage, program) pairs of 1.66 M rows) is counted by one bincount, the codes
    taken from a table (no hash pass, no row-length temporaries but the codes); a large one through
    pandas (its codes in order of first appearance)."""
    keys = np.asarray(keys)
    if size > 4 * len(keys) + 4096:
        codes, uniques = pd.factorize(keys)
        return np.asarray(codes, dtype=np.int64), np.asarray(uniques)
    present = np.flatnonzero(np.bincount(keys, minlength=size))
    # (intp codes: numpy turns other index types into a new intp array at every take they are used for.)
    number = np.full(size, -1, dtype=np.intp)
    number[present] = np.arange(len(present), dtype=np.intp)
    return number[keys], present


def _first_of_source_row(rec: pd.DataFrame) -> np.ndarray:
    """One record per source row: a wide-form row holds one record per stage, and a warning about a cell they
    share is said once."""
    if "_sid" not in rec.columns:
        return np.ones(len(rec), dtype=bool)
    return ~rec.duplicated(["_sid", "_src"]).to_numpy(dtype=bool)


def _check_progres_names(
    sr: SheetRecords, is_loc: np.ndarray, is_prov: np.ndarray, warnings: list[pd.DataFrame]
) -> None:
    """A progress sheet's own Provinsi / Kabupaten columns, when filled, must name the code's regions."""
    from pkp_cli.model.regions import reference_for

    rec = sr.records
    present = [c for c in ("provinsi", "kabupaten_kota") if c in rec.columns and rec[c].notna().any()]
    if not present:
        return
    ok = (is_loc | is_prov) & ~has_error(sr, "kode_lokasi")
    first = _first_of_source_row(rec)
    c = rec["kode_lokasi"].astype("str").fillna("")
    levels = (
        ("provinsi", rec["kode_provinsi"].astype("str").fillna(""), ok),
        ("kabupaten_kota", c.str.slice(0, 5), ok & is_loc),
    )
    # Only the names of the codes looked up (province and kabupaten codes: the small file, not the 84,000 desa). A
    # generator: reference_for reads no code when the whole reference is loaded already (the big data's case).
    ref = reference_for(u for _, codes, _ in levels for u in codes.unique().tolist())
    for col, codes, rows in levels:
        if col not in present:
            continue
        ref_name = parse.map_dict(codes, ref).where(rows)
        _check_names(sr, col, codes, ref_name, rec[col], rows, warnings, warn_rows=first)


def _resolve_stages(
    sr: SheetRecords,
    schedule: Schedule,
    program_id: np.ndarray,
    program_names: list[str],
    is_loc: np.ndarray,
    is_prov: np.ndarray,
    own_program: pd.Series | None = None,
) -> tuple[np.ndarray, int]:
    """Stage code (any separator, padding or case) or name (any case or spacing) within the row's program
    (`program_names[program_id]`, -1 = none), through the one StageIndex; decided once per distinct (text,
    program) pair. Unknown text gets suggestions. `own_program`: the program column as text, when every row
    names its program (`program_id` is then each row's own). Gives each record's pair and the number of pairs:
    a record's final program and stage are its pair's."""
    from pkp_cli.model.stage_names import StageIndex

    rec = sr.records
    index = StageIndex.of(schedule)
    level = {code: st.tingkat for _, st in schedule.stages() for code in [st.kode]}
    stage_text = rec["tahapan"].astype("str")
    s_ix, s_u = factorized(sr, "tahapan", stage_text)
    p_ix, p_u = program_id, program_names
    # The distinct (text, program) pairs, numbered in the order of their keys (nothing depends on the numbering:
    # every row takes its pair's results). The pair key (s_ix + 1) * (len(p_u) + 1) + (p_ix + 1), computed in
    # place in the stage codes' own array (a new one from `factorized`, used once).
    pair_key = s_ix if s_ix.dtype == np.int64 and s_ix.flags.writeable else np.asarray(s_ix, dtype=np.int64)
    pair_key += 1
    pair_key *= len(p_u) + 1
    pair_key += p_ix
    pair_key += 1
    take, pair_ix = _dense_codes(pair_key, (len(s_u) + 1) * (len(p_u) + 1))
    del pair_key, s_ix
    # Per distinct pair: (code, program, error code, params).
    resolved: list[tuple[str | None, str | None, str | None, dict[str, Any] | None]] = []
    pair_prog: list[str | None] = []  # the program the pair was resolved with
    pair_text: list[str | None] = []  # the stage as written
    for combo in pair_ix:
        si, pi = divmod(int(combo), len(p_u) + 1)
        text = str(s_u[si - 1]) if si else None
        prog = str(p_u[pi - 1]) if pi else None
        pair_prog.append(prog)
        pair_text.append(text)
        if text is None:
            resolved.append((None, None, None, None))
            continue
        hits = index.resolve(text, prog)
        if len(hits) == 1:
            resolved.append((hits[0][1], hits[0][0], None, None))
        elif hits:
            params = {
                "stage": text,
                "programs": ", ".join(dict.fromkeys(p for p, _ in hits)),
                "codes": ", ".join(c for _, c in hits),
            }
            resolved.append((None, None, "stage-ambiguous", params))
        else:
            shown = prog if prog is not None else "/".join(schedule.programs)
            hint = index.suggest(text, prog)
            if hint:
                params = {"stage": text, "program": shown, "suggestion": ", ".join(repr(h) for h in hint)}
                resolved.append((None, None, "stage-suggest", params))
            else:
                resolved.append((None, None, "stage-unknown", {"stage": text, "program": shown}))

    def spread(values: list[Any]) -> pd.Series:
        return pd.Series(pd.array(values, dtype="str").take(take, allow_fill=True), index=rec.index)

    # A column whose every stage is written as its code (clean data) stays as it is: no 1.66 M-row copy of it.
    same_stage = all(r[0] == t for r, t in zip(resolved, pair_text, strict=True))
    resolved_code = stage_text if same_stage else spread([r[0] for r in resolved])
    # Per record, the pair's error and level as small integers (a take of 1.66 M bytes), compared as integers:
    # object arrays of 1.66 M strings cost a Python comparison per row. (Every record has a pair: no -1.)
    pair = take
    errors = ("stage-ambiguous", "stage-suggest", "stage-unknown")
    err_u = np.array([errors.index(r[2]) + 1 if r[2] else 0 for r in resolved] + [0], dtype=np.int8)[pair]
    params_u = np.array([r[3] for r in resolved] + [None], dtype=object)
    has_stage = stage_text.notna().to_numpy()
    for i, err in enumerate(errors, start=1):
        add_errors(sr, has_stage & (err_u == i), "tahapan", err, lambda idx: list(params_u[take[idx]]))
    rec["tahapan"] = resolved_code
    # The final program is the pair's: the row's own (given, else the location's), else the stage's. One take of
    # the per-pair values, as the final stage; their sortable integers per pair, spread by the same take.
    final_prog = [p if p is not None else r[1] for p, r in zip(pair_prog, resolved, strict=True)]
    if own_program is not None and all(p is not None for p in pair_prog):
        rec["program"] = own_program  # each row's pair program is its own text: the same values, not copied
    else:
        rec["program"] = spread(final_prog)
    rec[KEY_PREFIX + "tahapan"] = _column(rec, _spread_keys([r[0] for r in resolved], take))
    rec[KEY_PREFIX + "program"] = _column(rec, _spread_keys(final_prog, take))
    levels = {"provinsi": 1, "lokasi": 2}
    lvl_u = np.array([levels.get(level.get(r[0]) or "", 0) if r[0] else 0 for r in resolved] + [0], dtype=np.int8)
    lvl = lvl_u[pair]

    def p_level(idx: np.ndarray) -> list[dict[str, Any]]:
        return [
            {"stage": s, "code": c} for s, c in zip(resolved_code.iloc[idx], rec["kode_lokasi"].iloc[idx], strict=True)
        ]

    add_errors(sr, is_loc & (lvl == levels["provinsi"]), "tahapan", "stage-level-province", p_level)
    add_errors(sr, is_prov & (lvl == levels["lokasi"]), "tahapan", "stage-level-location", p_level)
    return pair, len(pair_ix)


def _progress_warnings(
    sr: SheetRecords,
    schedule: Schedule,
    warnings: list[pd.DataFrame],
    pair_of_record: np.ndarray,
    pairs: int,
) -> None:
    """Progress above 0 on a row with no start date, or reported before the stage's window opens (for a stage
    that may not be done early): a warning at the progress cell. `pair_of_record`: each record's (stage, program)
    pair from `_resolve_stages` (`pairs` of them), whose final program and stage are the record's."""
    rec = sr.records
    pct = rec["progres_persen"].to_numpy(dtype=float, na_value=np.nan)
    some = (pct > 0) & ~has_error(sr)
    if not some.any():
        return
    no_start = some & rec["tanggal_mulai"].isna().to_numpy()
    st = schedule.stage_table()
    st = st[~st["dapat_dipercepat"].astype(bool)]
    # The window's opening per record, by one index lookup on (program, stage) for the rows with progress.
    # Decided per distinct (program, stage) pair (integer ids, no text copied per row), spread by a take.
    at = np.flatnonzero(some)
    # The stage resolution's pairs: a record's program and stage are its pair's, so the window found for any record
    # of a pair is every one's (no grouping of the rows by the two columns again). A pair without progress reads
    # some other record (record 0): a lookup nothing takes.
    pair = pair_of_record[at]
    # A record of each pair (the pair's key is its values': any record of it will do), read cell by cell: a take
    # of a few rows from a column of many chunks (a CSV's) first joins all its chunks (1.66 M texts, about 15 MB
    # of fresh memory a column).
    rep = np.zeros(pairs, dtype=np.int64)
    rep[pair] = at
    prog_col, stage_col = rec["program"], rec["tahapan"]
    prog_at = [prog_col.iat[int(i)] for i in rep]
    stage_at = [stage_col.iat[int(i)] for i in rep]
    window_of = dict(
        zip(
            zip(st["program"].tolist(), st["tahapan"].tolist(), strict=True),
            st["jadwal_mulai"].to_numpy(dtype="datetime64[ns]"),
            strict=True,
        )
    )
    nat = np.datetime64("NaT", "ns")
    opens_u = np.array(
        [
            window_of.get((p, t), nat) if isinstance(p, str) and isinstance(t, str) else nat
            for p, t in zip(prog_at, stage_at, strict=True)
        ],
        dtype="datetime64[ns]",
    )
    report = rec["tanggal_laporan"]
    opens_at = opens_u[pair] if len(at) else np.zeros(0, dtype="datetime64[ns]")
    early = np.zeros(len(rec), dtype=bool)
    if report.dtype == np.dtype("datetime64[ns]"):
        # Compared on the rows with progress only (NaT compares False, as pandas' comparison filled with False
        # does): no window column of every row (13 MB of fresh memory on 1.66 M rows).
        early[at] = report.to_numpy()[at] < opens_at
    else:
        opens = np.full(len(rec), nat, dtype="datetime64[ns]")
        opens[at] = opens_at
        early = some & (report < pd.Series(opens, index=rec.index, copy=False)).fillna(False).to_numpy(dtype=bool)

    def days(values: Any, rows: np.ndarray) -> list[str]:
        # ISO days of the flagged rows only, in one conversion (thousands of rows on national data)
        picked = np.asarray(values, dtype="datetime64[ns]")[rows].astype("datetime64[D]")
        # numpy's ISO text of a day (as str() of each gives), "NaT" for none: one call, not a str() per row
        return ["" if d == "NaT" else d for d in np.datetime_as_string(picked).tolist()]

    frames = []
    for mask, code in ((no_start, "progress-no-start"), (early & ~no_start, "progress-before-window")):
        rows = np.flatnonzero(mask)
        if not len(rows):
            continue
        percents = [f"{p:g}" for p in pct[rows].tolist()]  # Python floats: numpy's scalars format ten times slower
        if code == "progress-no-start":
            params = [{"percent": p} for p in percents]
        else:
            # The window of each flagged row (a row of `at`: flagged rows have progress), found by its place in `at`.
            reports, starts = days(report.to_numpy(), rows), days(opens_at, np.searchsorted(at, rows))
            params = [
                {"percent": p, "report": r, "start": w} for p, r, w in zip(percents, reports, starts, strict=True)
            ]
        frames.append(
            pd.DataFrame({"sheet_id": id(sr), "rec": rows, "column": "progres_persen", "code": code, "params": params})
        )
    warnings.extend(frames)


def _resolve_report_date(sr: SheetRecords, schedule: Schedule, today: date) -> None:
    rec = sr.records
    col = rec["tanggal_laporan"]
    inferred = col.isna().to_numpy()
    if inferred.any():  # (else the column as it is: no 1.66 M-row copy)
        col = col.where(col.notna(), rec["_rdate"])
    rec["tanggal_laporan"] = col.astype("datetime64[ns]")
    rec["laporan_tanpa_tanggal"] = inferred & rec["_rdate"].isna().to_numpy()
    year = schedule.year
    # Compared as numpy datetimes, where a missing date (NaT) compares False, as pandas' comparison filled with
    # False did (without its boolean Series of every row): after today; outside the year (the schedule's year is
    # 2000-2100): no year of every row is made.
    rep = rec["tanggal_laporan"].to_numpy(dtype="datetime64[ns]")
    future = rep > pd.Timestamp(today).to_datetime64()
    outside = (rep < np.datetime64(date(year, 1, 1), "ns")) | (rep >= np.datetime64(date(year + 1, 1, 1), "ns"))
    from_col = ~inferred
    add_errors(sr, future & from_col, "tanggal_laporan", "report-future")
    add_errors(sr, outside & from_col & ~future, "tanggal_laporan", "report-outside-year", {"year": year})
    # A title or file-name date that is wrong makes every row of the sheet wrong; say so on the key cell.
    add_errors(sr, future & ~from_col, "kode_lokasi", "report-future")
    add_errors(sr, outside & ~from_col & ~future, "kode_lokasi", "report-outside-year", {"year": year})


def check_dates(sr: SheetRecords, start: str, end: str, report: str | None) -> None:
    rec = sr.records
    s, e = rec[start], rec[end]
    before = (e < s).fillna(False).to_numpy(dtype=bool)
    add_errors(sr, before, end, "end-before-start", lambda idx: [{"start": fmt_day(x)} for x in s.iloc[idx]])
    if report is not None and report in rec.columns:
        r = rec[report]
        for c in (start, end):
            late = (rec[c] > r).fillna(False).to_numpy(dtype=bool)
            add_errors(sr, late, c, "date-after-report", lambda idx: [{"report": fmt_day(x)} for x in r.iloc[idx]])


def fmt_day(v: Any) -> str:
    return "" if pd.isna(v) else pd.Timestamp(v).date().isoformat()


def resolve_temuan(
    sr: SheetRecords,
    schedule: Schedule,
    today: date,
    lokasi: pd.DataFrame | None = None,
    warnings: list[pd.DataFrame] | None = None,
) -> None:
    """The province of each finding (Kode Provinsi, else Provinsi: a code, a name or a short name such as NTB),
    its name checked against the code when both are given, and its report date. A finding in a province where
    the location data runs no program loads with a warning (when location data is loaded at all)."""
    from pkp_cli.model.regions import province_code, reference_for

    warnings = [] if warnings is None else warnings
    rec = sr.records
    add_year_hints(sr, schedule.year)
    by_code = rec["kode_provinsi"].notna().to_numpy()
    given = rec["kode_provinsi"].where(by_code, rec["provinsi"])
    codes = given.astype("string").str.strip()
    mapping = {u: province_code(u) for u in codes.dropna().unique()}
    prov = parse.map_dict(codes, mapping)
    missing = prov.isna().to_numpy() & codes.notna().to_numpy() & ~has_error(sr, "kode_provinsi")
    add_errors(sr, missing & by_code, "kode_provinsi", "province-unknown")
    add_errors(sr, missing & ~by_code, "provinsi", "province-unknown")
    # Neither column filled: say it where the sheet has a column for it.
    where = "kode_provinsi" if rec["kode_provinsi"].notna().any() or "provinsi" not in rec.columns else "provinsi"
    add_errors(sr, codes.isna().to_numpy(), where, "required-missing")
    # Only the provinces' names (`prov` holds province codes only): the small file, not the 84,000 desa.
    ref = reference_for(c for c in mapping.values() if c is not None)
    ref_name = parse.map_dict(prov, ref)
    both = by_code & prov.notna().to_numpy() & rec["provinsi"].notna().to_numpy()
    if both.any():
        _check_names(sr, "provinsi", prov, ref_name.where(both), rec["provinsi"], both, warnings)
    rec["kode_provinsi"] = prov.astype(object)
    rec["provinsi"] = ref_name
    if lokasi is not None and len(lokasi):
        runs = set(lokasi["kode_provinsi"].dropna())
        outside = prov.notna().to_numpy() & ~parse.isin_set(prov, runs) & ~has_error(sr)
        rows = np.flatnonzero(outside)
        if len(rows):
            col = np.where(by_code[rows], "kode_provinsi", "provinsi")
            for c in ("kode_provinsi", "provinsi"):
                here = rows[col == c]
                if len(here):
                    warnings.append(
                        pd.DataFrame(
                            {
                                "sheet_id": id(sr),
                                "rec": here,
                                "column": c,
                                "code": "province-no-program",
                                "params": [{"province": f"{ref_name.iat[i]} ({prov.iat[i]})"} for i in here],
                            }
                        )
                    )
    _resolve_report_date(sr, schedule, today)


def dedupe(sr: SheetRecords, key: list[str], value_cols: list[str], warn: list[pd.DataFrame]) -> None:
    """Identical rows load once; same key (and report date) with different values are all rejected."""
    ok = ~has_error(sr)
    if not ok.any():
        return
    cols = [*key, *[c for c in value_cols if c not in key]]
    columns = key_columns(sr.records, key)
    ints = next((i for i, c in enumerate(columns) if not isinstance(c, np.ndarray)), len(columns))
    if 0 < ints < len(columns):
        # Keys that differ on their integer columns (`_key_*`: location, program, stage) alone differ: then the
        # rest (the report date) is not hashed, nor the whole key sorted (one report per location and stage).
        prefix, _na = group_ids(columns[:ints])
        if distinct_by_table(prefix[ok]):
            return
        del prefix
    # The key as one integer per record (no copy of the rows, no text hashed twice); missing equals missing,
    # as in DataFrame.duplicated.
    gid, _na = group_ids(columns)
    kdup = repeated(gid[ok])
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
        add_errors(sr, mask, key[0], "duplicate-conflict", lambda rows: [conflict[int(i)] for i in rows])


def group_ids(columns: list[Any], sort: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """(one int64 per row naming its combination of values, whether any of them is missing).

    Each column is factorised once (Arrow's hash for text) and the codes combined by arithmetic, so grouping
    and duplicate searches over 1.66 M rows work on integers. Missing is a value of its own. With `sort`, the
    ids follow the values' sort order column by column (missing last), as a sort by the columns would."""
    n = len(columns[0]) if columns else 0
    gid = np.zeros(n, dtype=np.int64)
    missing = np.zeros(n, dtype=bool)
    for s in columns:
        if isinstance(s, np.ndarray):
            codes, n_u = s, int(s.max(initial=-1)) + 1  # keys already (_key_*)
        else:
            codes, uniques = pd.factorize(s, sort=sort, use_na_sentinel=True)
            n_u = len(uniques)
        na = codes < 0
        missing |= na
        k = n_u + 1
        if n and int(gid.max()) > (2**62) // k:
            gid = np.asarray(pd.factorize(gid, sort=sort)[0], dtype=np.int64)  # keeps the order, smaller numbers
        # gid * k + code, missing as code n_u (the last), in place: no 13 MB temporaries per column.
        gid *= k
        gid += codes
        gid[na] += n_u + 1
    return gid, missing


def repeated(ids: np.ndarray) -> np.ndarray:
    """`pd.Series(ids).duplicated(keep=False)` of integer ids (every row whose id occurs more than once), by a
    sort instead of a hash table: numpy's SIMD sort of 1.66 M ids takes a tenth of pandas' hash pass here, and a
    load without repeated keys (one report per location and stage) stops after it."""
    ids = np.asarray(ids)
    out = np.zeros(len(ids), dtype=bool)
    if len(ids) < 2 or distinct_by_table(ids):
        return out
    ordered = np.sort(ids)
    if not (ordered[1:] == ordered[:-1]).any():
        return out
    order = np.argsort(ids)  # which of equal ids comes first does not matter: all of them are marked
    ordered = ids[order]
    same = ordered[1:] == ordered[:-1]
    hit = np.zeros(len(ids), dtype=bool)
    hit[1:] = same
    hit[:-1] |= same
    out[order] = hit
    return out


# A table of flags finds whether integer ids are all distinct when their range is at most this many times their
# number (or DISTINCT_TABLE_MIN): one write per id and a count, against a sort (about 0.1 s for 1.66 M ids here).
DISTINCT_TABLE_PER_ID = 8
DISTINCT_TABLE_MIN = 1 << 16


def distinct_by_table(ids: np.ndarray) -> bool:
    """Whether no id occurs twice, found by a table of flags over their range; False also when the range is too
    large for one (the caller then sorts)."""
    if len(ids) < 2:
        return True
    lo, hi = int(ids.min()), int(ids.max())
    size = hi - lo + 1
    if size < len(ids) or size > max(DISTINCT_TABLE_PER_ID * len(ids), DISTINCT_TABLE_MIN):
        return False  # fewer slots than ids: some id repeats; a range too wide: not known here
    seen = np.zeros(size, dtype=bool)
    seen[ids - lo if lo else ids] = True
    return int(np.count_nonzero(seen)) == len(ids)


def key_columns(records: pd.DataFrame, key: list[str]) -> list[Any]:
    """The key's columns for `group_ids`: the resolved columns' integer keys where the records have them."""
    return [records[KEY_PREFIX + c].to_numpy() if KEY_PREFIX + c in records.columns else records[c] for c in key]


def superseded_warnings(progres: pd.DataFrame, keys: list[np.ndarray] | None = None) -> list[Issue]:
    """A newer report that clears a date an older report had. `keys`: the integer keys (`_key_*`, sorting as the
    text) of the frame's kode_lokasi, program and tahapan, when the loader has them."""
    if progres.empty:
        return []
    key = ["kode_lokasi", "program", "tahapan"]
    gid, missing = group_ids(keys if keys is not None else [progres[c] for c in key], sort=True)
    again = repeated(gid)
    if not again.any():
        return []
    # The reports of each (location, program, stage) in date order, groups in the key's sort order: one sort of
    # integers, the previous report of a row the row before it in the same group (a group with a missing key
    # value has no previous report, as in a groupby).
    at = np.flatnonzero(again)
    day = progres["tanggal_laporan"].to_numpy(dtype="datetime64[ns]")[at].view(np.int64)
    day = np.where(day == np.iinfo(np.int64).min, np.iinfo(np.int64).max, day)  # NaT last
    order = at[np.lexsort((day, gid[at]))]
    g = gid[order]
    has_prev = np.zeros(len(order), dtype=bool)
    has_prev[1:] = (g[1:] == g[:-1]) & ~missing[order[1:]]
    prev_of = np.where(has_prev, np.roll(order, 1), -1)
    files = progres["_file"].to_numpy(dtype=object)
    rows = progres["_row"].to_numpy()
    out: list[Issue] = []
    for c in ("tanggal_mulai", "tanggal_selesai"):
        values = progres[c]
        empty = values.isna().to_numpy()
        cleared = has_prev & empty[order] & ~empty[np.maximum(prev_of, 0)]
        for j in np.flatnonzero(cleared):
            i, before = int(order[j]), int(prev_of[j])
            shown = fmt_day(values.iloc[before])
            out.append(
                Issue(
                    str(files[before]),
                    None,
                    int(rows[before]),
                    None,
                    c,
                    shown,
                    "superseded-cleared",
                    (("other", f"{files[i]}:{rows[i]}"), ("column", c), ("value", shown)),
                )
            )
    return out
