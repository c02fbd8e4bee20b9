"""The checks across rows and files, run once per kind over the combined records: region codes and names,
locations, programs and stages of progress rows, report dates, actual dates, duplicates."""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from pkp_cli.ingest import parse
from pkp_cli.ingest.sheets import SheetRecords, add_errors, has_error
from pkp_cli.model.issues import Issue
from pkp_cli.model.schedule import Schedule


def check_lokasi_regions(sr: SheetRecords, warnings: list[pd.DataFrame]) -> None:
    from pkp_cli.model.regions import REFERENCE_EDITION, reference

    rec = sr.records
    ref = reference()
    code = rec["kode_lokasi"].astype("string")
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
    known = parse.isin_set(code, ref)
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

    from pkp_cli.model.regions import name_key, name_keys, reference

    has = ok & given.notna().to_numpy() & ref_name.notna().to_numpy()
    if not has.any():
        return
    idx = np.flatnonzero(has)
    g_all = given[has].astype("str").reset_index(drop=True)
    r_all = ref_name[has].astype("str").reset_index(drop=True)
    # Most names match as written but for case; the rest mostly once folded (prefixes, punctuation).
    same = (g_all.str.strip().str.casefold() == r_all.str.casefold()).to_numpy(dtype=bool).copy()
    if not same.all():
        rest = np.flatnonzero(~same)
        folded = name_keys(g_all.iloc[rest]).to_numpy() == name_keys(r_all.iloc[rest]).to_numpy()
        same[rest[folded]] = True
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
        add_errors(sr, mask, col, "name-contradiction", lambda rows: [con_params[int(i)] for i in rows])
    if rows_var:
        warnings.append(
            pd.DataFrame(
                {"sheet_id": id(sr), "rec": rows_var, "column": col, "code": "name-variant", "params": var_params}
            )
        )


def resolve_progres(sr: SheetRecords, lokasi: pd.DataFrame, schedule: Schedule, today: date) -> None:
    """Location or province, program, stage code and report date of each progress record."""
    from pkp_cli.model.regions import province_code

    rec = sr.records
    st = schedule.stage_table()
    loc_prog = dict(zip(lokasi["kode_lokasi"].tolist(), lokasi["program"].tolist(), strict=True))
    prov_progs = lokasi.groupby("kode_provinsi")["program"].agg(set).to_dict() if len(lokasi) else {}
    code = rec["kode_lokasi"].astype("str")
    bad_code = has_error(sr, "kode_lokasi") | code.isna().to_numpy()
    # Everything about a code is decided once per distinct code (83,000 at most), then spread by a take.
    code_ix, code_uniques = pd.factorize(code)
    code_u = [str(c) for c in np.asarray(code_uniques, dtype=object)]
    loc_u = [loc_prog.get(c) for c in code_u]
    prov_u = [None if p is not None else province_code(c) for c, p in zip(code_u, loc_u, strict=True)]

    def spread_code(values: list[Any]) -> pd.Series:
        return pd.Series(pd.array(values, dtype="str").take(code_ix, allow_fill=True), index=rec.index)

    loc_program = spread_code(loc_u)
    prov = spread_code(prov_u)
    is_loc = loc_program.notna().to_numpy()
    is_prov = prov.notna().to_numpy()
    unknown = ~bad_code & ~is_loc & ~is_prov
    add_errors(sr, unknown, "kode_lokasi", "location-unknown", lambda idx: [{"code": c} for c in code.iloc[idx]])
    rec["kode_provinsi"] = spread_code(
        [c[:2] if p is not None else pv for c, p, pv in zip(code_u, loc_u, prov_u, strict=True)]
    )
    rec["kode_lokasi"] = code.where(~is_prov, prov)
    # Program: from the column, else from the location; province rows may take it from the stage.
    given = rec["program"].astype("str")
    differs = is_loc & given.notna().to_numpy() & (given != loc_program).fillna(False).to_numpy(dtype=bool)
    add_errors(
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

    add_errors(sr, has_stage & ambiguous, "tahapan", "stage-ambiguous", params)
    add_errors(sr, has_stage & unknown_stage, "tahapan", "stage-unknown", params)
    rec["tahapan"] = resolved_code
    rec["program"] = program.where(program.notna(), spread([r[1] for r in resolved]))
    lvl_u = np.array([level.get(r[0]) if r[0] else None for r in resolved] + [None], dtype=object)
    lvl = lvl_u[np.where(take >= 0, take, len(resolved))]

    def p_level(idx: np.ndarray) -> list[dict[str, Any]]:
        return [
            {"stage": s, "code": c} for s, c in zip(resolved_code.iloc[idx], rec["kode_lokasi"].iloc[idx], strict=True)
        ]

    add_errors(sr, is_loc & (lvl == "provinsi"), "tahapan", "stage-level-province", p_level)
    add_errors(sr, is_prov & (lvl == "lokasi"), "tahapan", "stage-level-location", p_level)
    # A province row needs that province to run the program.
    prov_rows = np.flatnonzero(is_prov)
    runs_not = np.zeros(len(rec), dtype=bool)
    for i, c, p in zip(prov_rows, rec["kode_provinsi"].iloc[prov_rows], rec["program"].iloc[prov_rows], strict=True):
        runs_not[i] = isinstance(p, str) and p not in prov_progs.get(c, set())
    add_errors(sr, runs_not, "kode_lokasi", "location-unknown", lambda idx: [{"code": c} for c in code.iloc[idx]])
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


def resolve_temuan(sr: SheetRecords, schedule: Schedule, today: date) -> None:
    from pkp_cli.model.regions import province_code, reference

    rec = sr.records
    given = rec["kode_provinsi"].where(rec["kode_provinsi"].notna(), rec["provinsi"])
    codes = given.astype("string").str.strip()
    mapping = {u: province_code(u) for u in codes.dropna().unique()}
    prov = parse.map_dict(codes, mapping)
    missing = prov.isna().to_numpy() & codes.notna().to_numpy()
    col = "kode_provinsi" if rec["kode_provinsi"].notna().any() else "provinsi"
    add_errors(sr, missing, col, "location-unknown", lambda idx: [{"code": c} for c in codes.iloc[idx]])
    add_errors(sr, codes.isna().to_numpy(), col, "required-missing")
    rec["kode_provinsi"] = prov.astype(object)
    rec["provinsi"] = parse.map_dict(prov, reference())
    _resolve_report_date(sr, schedule, today)


def dedupe(sr: SheetRecords, key: list[str], value_cols: list[str], warn: list[pd.DataFrame]) -> None:
    """Identical rows load once; same key (and report date) with different values are all rejected."""
    ok = ~has_error(sr)
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
        add_errors(sr, mask, key[0], "duplicate-conflict", lambda rows: [conflict[int(i)] for i in rows])


def superseded_warnings(progres: pd.DataFrame) -> list[Issue]:
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
                    fmt_day(prev.iloc[idx]),
                    "superseded-cleared",
                    (("other", f"{r['_file']}:{r['_row']}"), ("column", c), ("value", fmt_day(prev.iloc[idx]))),
                )
            )
    return out
