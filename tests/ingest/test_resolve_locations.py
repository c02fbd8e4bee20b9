"""The per-location work of checks.resolve_progres (each distinct code's location, province, province code, final
code, program and rejected place, decided as whole Arrow arrays) against the per-code Python it replaced, kept
below verbatim as the oracle: on adversarial progress and location tables (duplicate location codes with
different programs, a location's program None, NaN or missing, codes no location has, province codes and names,
non-ASCII and lone-surrogate text, empty tables, one row) every column of the records, the errors and the
warnings are the same, or both raise the same exception. (The report dates compared with today as numpy
datetimes, and the progress warnings found per stage pair, are checked against their old code here too.)"""

from __future__ import annotations

import copy
import random
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pkp_cli.ingest import checks
from pkp_cli.ingest.checks import (
    KEY_PREFIX,
    _check_progres_names,
    _column,
    _dense_codes,
    _resolve_stages,
    _spread_keys,
    add_year_hints,
    group_ids,
    key_columns,
)
from pkp_cli.ingest.sheets import SheetRecords, add_errors, factorized, has_error
from pkp_cli.model.schedule import Schedule, load_schedule
from tests.conftest import MINI_SCHEDULE

TODAY = date(2022, 6, 30)


def old_resolve_progres(
    sr: SheetRecords,
    lokasi: pd.DataFrame,
    schedule: Schedule,
    today: date,
    warnings: list[pd.DataFrame] | None = None,
    rejected: dict[str, str] | None = None,
) -> None:
    """checks.resolve_progres before its per-code work was made whole-array (commit c0e3c37), verbatim, with
    that commit's report dates and progress warnings (below)."""
    from pkp_cli.model.regions import province_code

    warnings = [] if warnings is None else warnings
    rec = sr.records
    add_year_hints(sr, schedule.year)
    loc_prog = dict(zip(lokasi["kode_lokasi"].tolist(), lokasi["program"].tolist(), strict=True))
    prov_progs: dict[str, set[str]] = {}
    # The few (province, program) pairs, not a Python set built per group of 83,000 rows.
    for prov_code, prog_code in lokasi[["kode_provinsi", "program"]].drop_duplicates().itertuples(index=False):
        if isinstance(prov_code, str):
            prov_progs.setdefault(prov_code, set()).add(prog_code)
    code = rec["kode_lokasi"].astype("str")
    bad_code = has_error(sr, "kode_lokasi") | code.isna().to_numpy()
    # Everything about a code is decided once per distinct code (83,000 at most), then spread by a take.
    code_ix, code_uniques = factorized(sr, "kode_lokasi", code)
    code_u = [str(c) for c in np.asarray(code_uniques, dtype=object)]
    # code_ix, each row's distinct code, is -1 for none: every per-code array spread by it below ends with the value
    # for none, which -1 takes (no remapped copy of the 1.66 M codes).
    loc_u = [loc_prog.get(c) for c in code_u]
    prov_u = [None if p is not None else province_code(c) for c, p in zip(code_u, loc_u, strict=True)]

    def spread_code(values: list[Any]) -> pd.Series:
        return pd.Series(pd.array(values, dtype="str").take(code_ix, allow_fill=True), index=rec.index)

    def spread_flag(values: list[Any]) -> np.ndarray:
        # Which rows' code has a value: a take of booleans, not of text.
        known = np.append(~pd.isna(np.array(values, dtype=object)), False)  # one vectorised pass, not 83,000 calls
        return known[code_ix]

    is_loc = spread_flag(loc_u)
    is_prov = spread_flag(prov_u)
    unknown = ~bad_code & ~is_loc & ~is_prov
    if rejected:
        where = spread_code([rejected.get(c) for c in code_u])
        was_rejected = unknown & where.notna().to_numpy()
        add_errors(
            sr,
            was_rejected,
            "kode_lokasi",
            "location-rejected",
            lambda idx: [{"code": c, "where": w} for c, w in zip(code.iloc[idx], where.iloc[idx], strict=True)],
        )
        unknown &= ~was_rejected
    add_errors(sr, unknown, "kode_lokasi", "location-unknown", lambda idx: [{"code": c} for c in code.iloc[idx]])
    rec["kode_provinsi"] = spread_code(
        [c[:2] if p is not None else pv for c, p, pv in zip(code_u, loc_u, prov_u, strict=True)]
    )
    if is_prov.any():
        rec["kode_lokasi"] = code.where(~is_prov, spread_code(prov_u))
    else:
        rec["kode_lokasi"] = code  # no province row: the codes as they are (no copy of 1.66 M strings)
    # The final code of each distinct code as a sortable integer, kept for the duplicate and superseded checks.
    final_u = [pv if pv is not None else c for c, pv in zip(code_u, prov_u, strict=True)]
    rec[KEY_PREFIX + "kode_lokasi"] = _column(rec, _spread_keys(final_u, code_ix))
    _check_progres_names(sr, is_loc, is_prov, warnings)
    # Program: from the column, else from the location; province rows may take it from the stage. Compared and
    # chosen as integer ids of the few distinct program texts: no 1.66 M-row text column of the location's
    # program, nor of the program chosen, is made.
    given = rec["program"].astype("str")
    given_ix, given_u = factorized(sr, "program", given)
    names = [str(p) for p in np.asarray(given_u, dtype=object)]
    loc_ix, loc_names = pd.factorize(pd.Series(loc_u, dtype=object))  # None and NaN (no program): -1
    for p in np.asarray(loc_names, dtype=object):
        if str(p) not in names:
            names.append(str(p))
    # (The few program ids in the narrowest integer that holds them: the per-row take is 1.66 M of those.)
    id_type = np.int16 if len(names) < 2**15 else np.int64
    loc_id_u = np.array([names.index(str(p)) for p in np.asarray(loc_names, dtype=object)] + [-1], dtype=id_type)
    # Per distinct code, then per row; a row without a code (code_ix -1) has no location's program.
    loc_id_of_code = np.append(loc_id_u[np.where(loc_ix >= 0, loc_ix, len(loc_names))], id_type(-1))
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
    _resolve_stages(sr, schedule, program_id, names, is_loc, is_prov, own_program)
    # A province row needs that province to run the program.
    prov_rows = np.flatnonzero(is_prov)
    if len(prov_rows):  # (an empty take of the two text columns still joins their 85 chunks: 13 MB, no rows)
        runs_not = np.zeros(len(rec), dtype=bool)
        provs, progs = rec["kode_provinsi"].iloc[prov_rows], rec["program"].iloc[prov_rows]
        for i, c, p in zip(prov_rows, provs, progs, strict=True):
            runs_not[i] = isinstance(p, str) and p not in prov_progs.get(c, set())
        add_errors(sr, runs_not, "kode_lokasi", "location-unknown", lambda idx: [{"code": c} for c in code.iloc[idx]])
    old_resolve_report_date(sr, schedule, today)
    old_progress_warnings(sr, schedule, warnings)


def old_resolve_report_date(sr: SheetRecords, schedule: Schedule, today: date) -> None:
    rec = sr.records
    col = rec["tanggal_laporan"]
    inferred = col.isna().to_numpy()
    if inferred.any():  # (else the column as it is: no 1.66 M-row copy)
        col = col.where(col.notna(), rec["_rdate"])
    rec["tanggal_laporan"] = col.astype("datetime64[ns]")
    rec["laporan_tanpa_tanggal"] = inferred & rec["_rdate"].isna().to_numpy()
    year = schedule.year
    future = (rec["tanggal_laporan"] > pd.Timestamp(today)).fillna(False).to_numpy(dtype=bool)
    # Outside the year: compared with its bounds as numpy datetimes (the schedule's year is 2000-2100), where a
    # missing date (NaT) compares False, as before: no year of every row is made.
    rep = rec["tanggal_laporan"].to_numpy(dtype="datetime64[ns]")
    outside = (rep < np.datetime64(date(year, 1, 1), "ns")) | (rep >= np.datetime64(date(year + 1, 1, 1), "ns"))
    from_col = ~inferred
    add_errors(sr, future & from_col, "tanggal_laporan", "report-future")
    add_errors(sr, outside & from_col & ~future, "tanggal_laporan", "report-outside-year", {"year": year})
    # A title or file-name date that is wrong makes every row of the sheet wrong; say so on the key cell.
    add_errors(sr, future & ~from_col, "kode_lokasi", "report-future")
    add_errors(sr, outside & ~from_col & ~future, "kode_lokasi", "report-outside-year", {"year": year})


def old_progress_warnings(sr: SheetRecords, schedule: Schedule, warnings: list[pd.DataFrame]) -> None:
    """Progress above 0 on a row with no start date, or reported before the stage's window opens (for a stage
    that may not be done early): a warning at the progress cell."""
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
    keys = [c[at] if isinstance(c, np.ndarray) else c.iloc[at] for c in key_columns(rec, ["program", "tahapan"])]
    gid = group_ids(keys)[0]
    pair, pairs = _dense_codes(gid, int(gid.max(initial=-1)) + 1)
    del gid
    # A record of each pair (the pair's key is its values': any record of it will do), read cell by cell: a take
    # of a few rows from a column of many chunks (a CSV's) first joins all its chunks (1.66 M texts, about 15 MB
    # of fresh memory a column).
    rep = np.zeros(len(pairs), dtype=np.int64)
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


# Codes as progress rows write them: desa, kecamatan and kabupaten codes, province codes and names (short, with a
# prefix, in full-width or Arabic-Indic digits, padded), codes no location or province has, non-ASCII text.
CODES = [
    "51.04.01.2001",
    "51.04.01.2002",
    "51.04.01",
    "51.04",
    "52.01.01.2001",
    "51",
    "52",
    "99",
    "5",
    "..",
    ".51",
    "Bali",
    "NTB",
    "Prov. Bali",
    " 51 ",
    "\uff15\uff11",
    "\u0665\u0661",
    "Sulawési",
    "51.04.01.200\u00e9",
    "\u00c4",
    "",
]
PROGRAMS = ["PISEW", "KOTAKU", "kotaku", "", "X"]
STAGES = [None, "P1", "P2", "L1", "L2", "K0", "K1", "XX", "p 1", "Rekrutmen"]
# Report and start dates: today, the stages' window openings and the year's bounds, a day either side of them.
EDGES = [
    TODAY,
    date(2022, 7, 1),
    date(2022, 2, 28),
    date(2022, 3, 1),
    date(2022, 4, 1),
    date(2021, 12, 31),
    date(2023, 1, 1),
]
DAY = st.one_of(st.none(), st.sampled_from(EDGES), st.dates(date(2021, 12, 1), date(2022, 8, 1)))
PROGRESS_ROW = st.tuples(
    st.one_of(st.none(), st.sampled_from(CODES)),
    st.one_of(st.none(), st.sampled_from(["PISEW", "KOTAKU"])),
    st.sampled_from(STAGES),
    DAY,
    DAY,
    st.one_of(st.none(), st.sampled_from([0.0, 10.0, 100.0])),
    st.one_of(st.none(), st.sampled_from(["Bali", "NTB", "Jawa Barat", "BALI"])),
    st.booleans(),  # an error on the row's code already (a cell the parse rejected)
)
# A location's program: text, None, NaN or (object tables) pandas' NA; its code may repeat with another program.
LOCATION_ROW = st.tuples(
    st.one_of(st.none(), st.sampled_from(CODES)),
    st.one_of(st.none(), st.just(float("nan")), st.sampled_from(PROGRAMS)),
)


def _schedule(tmp: Path) -> Schedule:
    path = tmp / "jadwal-nasional-2022.yaml"
    if not path.exists():
        path.write_text(MINI_SCHEDULE, encoding="utf-8")
    return load_schedule(path)


def _records(rows: list[tuple[Any, ...]], text: str) -> SheetRecords:
    def day(d: date | None) -> Any:
        return pd.NaT if d is None else pd.Timestamp(d)

    n = len(rows)
    rec = pd.DataFrame(
        {
            "kode_lokasi": pd.Series([r[0] for r in rows], dtype=text),
            "program": pd.Series([r[1] for r in rows], dtype=text),
            "tahapan": pd.Series([r[2] for r in rows], dtype=text),
            "tanggal_laporan": pd.Series([day(r[3]) for r in rows], dtype="datetime64[ns]"),
            "_rdate": pd.Series([pd.Timestamp(2022, 6, 1)] * n, dtype="datetime64[ns]"),
            "tanggal_mulai": pd.Series([day(r[4]) for r in rows], dtype="datetime64[ns]"),
            "progres_persen": pd.Series([np.nan if r[5] is None else r[5] for r in rows], dtype=float),
            "provinsi": pd.Series([r[6] for r in rows], dtype=text),
            "_sid": np.zeros(n, dtype=np.int64),
            "_src": np.arange(n, dtype=np.int64),
        }
    )
    errors = pd.DataFrame({"rec": pd.Series([], dtype=np.int64), "column": [], "code": [], "params": []})
    sr = SheetRecords("p.csv", None, None, None, rec, errors)  # type: ignore[arg-type]
    add_errors(sr, np.array([r[7] for r in rows], dtype=bool), "kode_lokasi", "code-format")
    return sr


def _lokasi(rows: list[tuple[Any, Any]], text: str) -> pd.DataFrame:
    codes = [r[0] for r in rows]
    return pd.DataFrame(
        {
            "kode_lokasi": pd.Series(codes, dtype=text),
            "program": pd.Series([r[1] for r in rows], dtype=text),
            "kode_provinsi": pd.Series([c[:2] if isinstance(c, str) else None for c in codes], dtype=text),
        }
    )


def _run(fn: Any, sr: SheetRecords, lokasi: pd.DataFrame, schedule: Schedule, rejected: dict[str, str]) -> Any:
    sr = copy.deepcopy(sr)
    warnings: list[pd.DataFrame] = []
    try:
        fn(sr, lokasi.copy(deep=True), schedule, TODAY, warnings, dict(rejected))
    except Exception as exc:  # the same failure both ways (text pandas' "str" cannot hold)
        return type(exc)
    return sr, [w.drop(columns="sheet_id") for w in warnings]


def _same(old: Any, new: Any) -> None:
    if isinstance(old, type) or isinstance(new, type):
        assert old == new
        return
    (sr_old, warn_old), (sr_new, warn_new) = old, new
    pd.testing.assert_frame_equal(sr_new.records, sr_old.records, check_exact=True)
    for c in sr_old.records.columns:
        if isinstance(sr_old.records[c].dtype, pd.StringDtype):
            assert sr_new.records[c].dtype == sr_old.records[c].dtype, c
    pd.testing.assert_frame_equal(sr_new.errors, sr_old.errors, check_exact=True)
    assert len(warn_new) == len(warn_old)
    for a, b in zip(warn_new, warn_old, strict=True):
        pd.testing.assert_frame_equal(a, b, check_exact=True)


@pytest.fixture(scope="module")
def schedule(tmp_path_factory: pytest.TempPathFactory) -> Schedule:
    return _schedule(tmp_path_factory.mktemp("schedule"))


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow], max_examples=150)
@given(
    rows=st.lists(PROGRESS_ROW, max_size=30),
    locations=st.lists(LOCATION_ROW, max_size=12),
    text=st.sampled_from(["str", "object"]),
    lokasi_text=st.sampled_from(["str", "object", "string"]),
    rejected=st.dictionaries(st.sampled_from(CODES), st.sampled_from(["lokasi.xlsx!A!D7", ""]), max_size=3),
)
def test_as_the_per_code_python(
    rows: list[tuple[Any, ...]],
    locations: list[tuple[Any, Any]],
    text: str,
    lokasi_text: str,
    rejected: dict[str, str],
    schedule: Schedule,
) -> None:
    if lokasi_text != "object":
        # pandas' text columns hold missing as their own NA: None and NaN alike
        locations = [(c, None if p is None or p != p else p) for c, p in locations]
    sr, lokasi = _records(rows, text), _lokasi(locations, lokasi_text)
    _same(
        _run(old_resolve_progres, sr, lokasi, schedule, rejected),
        _run(checks.resolve_progres, sr, lokasi, schedule, rejected),
    )


@pytest.mark.parametrize("where", ["lokasi-code", "lokasi-program", "progress-code", "rejected"])
def test_lone_surrogates(where: str, schedule: Schedule) -> None:
    # Text Arrow cannot hold: in an object or Python-backed column of the locations it is looked up as the
    # dictionary did; in the progress codes both fail alike (pandas' "str" cannot hold it either).
    bad = "51.04.01.2001\ud800"
    codes = ["51.04.01.2001", "51.04.01.2002", "51"] + ([bad] if where == "progress-code" else [])
    rows = [(c, "PISEW", "L1", date(2022, 5, 2), None, 10.0, None, False) for c in codes]
    lokasi_rows: list[tuple[Any, Any]] = [("51.04.01.2001", "PISEW"), ("51.04.01.2001", "KOTAKU")]
    if where == "lokasi-code":
        lokasi_rows.append((bad, "PISEW"))
    if where == "lokasi-program":
        lokasi_rows.append(("51.04.01.2002", "PIS\udc80EW"))
    rejected = {bad: "lokasi.xlsx!A!D9", "51.04.01.2002": "lokasi.xlsx!A!D8"} if where == "rejected" else {}
    for lokasi_text in ("object", pd.StringDtype("python")):
        sr, lokasi = _records(rows, "object"), _lokasi(lokasi_rows, lokasi_text)  # type: ignore[arg-type]
        old = _run(old_resolve_progres, sr, lokasi, schedule, rejected)
        _same(old, _run(checks.resolve_progres, sr, lokasi, schedule, rejected))
        assert isinstance(old, type) == (where == "progress-code")


def test_many_codes(schedule: Schedule) -> None:
    # Over 1,000 distinct codes (the old ranks by Arrow, not pandas), most without a location: codes of digits and
    # dots that are not looked up one by one, beside province names and codes.
    rnd = random.Random(13)
    pool = [
        f"{rnd.randint(10, 99)}.{rnd.randint(1, 20):02d}.{rnd.randint(1, 20):02d}.{rnd.randint(1, 9999):04d}"
        for _ in range(3000)
    ]
    pool += ["51", "52", "Bali", "NTB", "91.01", "..", ".5", "5"]
    rows = [
        (
            rnd.choice(pool),
            rnd.choice([None, "PISEW", "KOTAKU"]),
            rnd.choice(STAGES),
            date(2022, 5, 2),
            None,
            10.0,
            None,
            False,
        )
        for _ in range(6000)
    ]
    locations = [(rnd.choice(pool), rnd.choice(["PISEW", "KOTAKU", None])) for _ in range(1500)]
    sr, lokasi = _records(rows, "str"), _lokasi(locations, "str")
    rejected = {rnd.choice(pool): f"lokasi.xlsx!A!D{i}" for i in range(40)}
    for lok in (lokasi, lokasi.iloc[:0], lokasi.drop(columns=["program"]).assign(program=None)):
        _same(
            _run(old_resolve_progres, sr, lok, schedule, rejected),
            _run(checks.resolve_progres, sr, lok, schedule, rejected),
        )


def test_empty(schedule: Schedule) -> None:
    sr = _records([], "str")
    for lok in (
        _lokasi([], "str"),
        pd.DataFrame({c: pd.Series(dtype=object) for c in ("kode_lokasi", "program", "kode_provinsi")}),
    ):
        _same(_run(old_resolve_progres, sr, lok, schedule, {}), _run(checks.resolve_progres, sr, lok, schedule, {}))
