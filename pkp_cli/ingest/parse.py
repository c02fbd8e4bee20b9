"""Vectorised cell parsers: text as the workbooks hold it -> typed values plus a catalogue code per bad cell.

Every parser takes a Series of text (NA = empty cell) and returns (values, errors): `errors` is an object
Series holding a catalogue code where the cell is bad and None elsewhere. Parsers work on the distinct
values only (progress sheets repeat the same few dates and codes thousands of times), then map back.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from functools import cache
from typing import Any

import numpy as np
import pandas as pd

# Spellings users write that Babel's Indonesian and English month names lack.
MONTH_SUPPLEMENT = {
    "agt": 8,
    "ags": 8,
    "agu": 8,
    "agst": 8,
    "nop": 11,
    "nopember": 11,
    "pebruari": 2,
    "peb": 2,
    "sept": 9,
    "jun": 6,
    "jul": 7,
}


@cache
def month_names() -> dict[str, int]:
    """Month name -> number, from Babel's Indonesian and English data plus the supplement."""
    from babel import Locale

    names: dict[str, int] = {}
    for loc in ("id", "en"):
        months = Locale.parse(loc).months
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for num, name in months[context][width].items():
                    names[name.lower().rstrip(".")] = int(num)
    names.update(MONTH_SUPPLEMENT)
    return names


_MEMO: dict[Callable[..., Any], dict[str, tuple[Any, Any]]] = {}
_MEMO_LIMIT = 500_000


def _by_unique(
    s: pd.Series, fn: Callable[[pd.Series], tuple[pd.Series, pd.Series]], dtype: Any
) -> tuple[pd.Series, pd.Series]:
    """Apply a parser to the distinct non-blank values of `s` and map the results back.

    Results are remembered per parser: weekly workbooks repeat the same dates, codes and words across files,
    and pandas' fixed cost per call dominates on the many small sheets a folder holds.
    """
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    u = pd.Series(uniques, dtype=object).astype(str)
    blank = u.str.strip().eq("").to_numpy(dtype=bool) | u.str.match(DASH_ONLY).to_numpy(dtype=bool)
    if len(u) and blank.any():
        # A cell holding only spaces, or only a dash placeholder ("-", "Rp -"), is an empty cell.
        codes = np.where(np.isin(codes, np.flatnonzero(blank)), -1, codes)
    has = codes >= 0
    if len(u) == 0 or not has.any():
        vals = pd.Series(pd.array([None], dtype=dtype).take(np.full(len(s), -1), allow_fill=True), index=s.index)
        return vals, pd.Series(np.full(len(s), None, dtype=object), index=s.index, dtype=object)
    memo = _MEMO.setdefault(fn, {})
    if len(memo) > _MEMO_LIMIT:
        # A new dictionary, not the old one emptied: a parse on another thread (ingest/load.py parses the last
        # file's kinds beside the main thread's parse) may be between filling it and reading it back.
        memo = _MEMO[fn] = {}
    keys = u.tolist()
    todo = [k for k in dict.fromkeys(keys) if k not in memo]
    if todo:
        vals_t, errs_t = fn(pd.Series(todo, dtype=object))
        e = errs_t.to_numpy(dtype=object)
        for k, v, err in zip(todo, vals_t.to_numpy(dtype=object), e, strict=True):
            memo[k] = (v, None if err is None or (isinstance(err, float) and np.isnan(err)) else err)
    pairs = [memo[k] for k in keys]
    errs_u = np.array([p[1] for p in pairs] + [None], dtype=object)
    if dtype == "str" and not blank.any() and all(p[0] == k for p, k in zip(pairs, keys, strict=True)):
        # Text that parses to itself (codes already clean, names already canonical): the column as it is.
        vals = s.astype("str")
    else:
        vals_u = pd.array([None if _missing(p[0]) else p[0] for p in pairs], dtype=dtype)
        # Only the distinct values become Python objects; the column is built by one typed take.
        vals = pd.Series(vals_u.take(np.where(has, codes, -1), allow_fill=True), index=s.index)
    return vals, pd.Series(errs_u[np.where(has, codes, len(keys))], index=s.index, dtype=object)


# The placeholders tables use for "nothing here": "-", "--", "–", "—", "Rp -", "-,-".
DASH_ONLY = re.compile(r"^\s*(?:[Rr][Pp]\.?\s*)?[-\u2010-\u2015]+(?:\s*[,.]\s*[-\u2010-\u2015]+)?\s*$")


def _missing(v: Any) -> bool:
    return v is None or (not isinstance(v, str) and bool(pd.isna(v)))


def isin_set(s: pd.Series, members: set[Any] | dict[Any, Any]) -> np.ndarray:
    """`s.isin(members)` through the distinct values (pandas' isin on Arrow strings is slow on big sets)."""
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    hit = np.array([u in members for u in np.asarray(uniques, dtype=object)], dtype=bool)
    return np.where(codes >= 0, hit[np.maximum(codes, 0)] if len(hit) else False, False)


def map_dict(s: pd.Series, mapping: dict[Any, Any], dtype: Any = "str") -> pd.Series:
    """`s.map(mapping)` through the distinct values; missing keys give a missing value."""
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    vals = pd.array([mapping.get(u) for u in np.asarray(uniques, dtype=object)], dtype=dtype)
    return pd.Series(vals.take(codes, allow_fill=True), index=s.index)


# Year first (2022-05-20, 2022/05/20, 2022.05.20); a date cell that also holds a time of day (13:05) is still
# that day.
_ISO = re.compile(r"^\s*(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?\s*$")
_DMY = re.compile(r"^\s*(\d{1,2})\s*([/.\-])\s*(\d{1,2})\s*\2\s*(\d{2}|\d{4})\s*$")
_DMONY = re.compile(r"^\s*(\d{1,2})[\s\-]+([A-Za-z]+)\.?[\s\-]+(\d{2}|\d{4})\s*$")
_NUMBER = re.compile(r"^\s*-?\d+(?:[.,]\d+)?\s*$")
# A date without its year: "8 Juni", "8/6". Rejected with the fiscal year to add (checks.add_year_hints).
_DMON = re.compile(r"^\s*(\d{1,2})[\s\-]+([A-Za-z]+)\.?\s*$")
_DM = re.compile(r"^\s*(\d{1,2})\s*[/\-]\s*(\d{1,2})\s*$")

# Spellings of weekdays that Babel's Indonesian and English names lack.
WEEKDAY_SUPPLEMENT = {"jum'at": 4, "jumat": 4, "ahad": 6, "senen": 0}


@cache
def weekday_names() -> dict[str, int]:
    """Weekday name -> number (Monday 0), from Babel's Indonesian and English data plus the supplement."""
    from babel import Locale

    names: dict[str, int] = {}
    for loc in ("id", "en"):
        days = Locale.parse(loc).days
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for num, name in days[context][width].items():
                    names[name.lower().rstrip(".")] = int(num)
    names.update(WEEKDAY_SUPPLEMENT)
    return names


# Every weekday name starts with a letter: a text that does not is parsed without Babel's locale data, whose
# loading (about 0.1 s) a column of ISO dates would otherwise pay once per process.
_LETTER_FIRST = re.compile(r"^\s*[^\W\d_]")


def warm_names() -> None:
    """Load the month and weekday names now (Babel's Indonesian and English data, about 30 ms): called before the
    helper child is forked (ingest/load.py, `_start_child`), so that the names a title date needs are loaded once
    for both processes, not again in the child, whose share of the files the parent may wait for. The parent loads
    the Indonesian data anyway (every report's dates are written with it)."""
    month_names()
    _weekday_prefix()


@cache
def _weekday_prefix() -> re.Pattern[str]:
    """A weekday name before the date ("Jumat, 3 Juni 2022", "Fri 3 June 2022")."""
    alts = "|".join(re.escape(n) for n in sorted(weekday_names(), key=len, reverse=True))
    return re.compile(rf"^\s*({alts})\.?\s*,?\s+(?=\d)", re.IGNORECASE)


# Up to this many distinct texts a date column is parsed text by text in plain Python (`_dates_one_by_one`):
# pandas' string methods cost about 2 ms a call whatever the length, and the vectorised parse makes a dozen; a
# folder of weekly workbooks holds a few hundred distinct dates.
ONE_BY_ONE_DATES = 2_000


def _parse_dates_unique(u: pd.Series) -> tuple[pd.Series, pd.Series]:
    values = u.tolist()
    # ASCII only, as _one_date: Unicode digits and case folding are judged by one parser, the vectorised one.
    if len(values) <= ONE_BY_ONE_DATES and all(type(t) is str and t.isascii() for t in values):
        return _dates_one_by_one(values)
    return _parse_dates_vectorised(u)


def _dates_one_by_one(texts: list[str]) -> tuple[pd.Series, pd.Series]:
    """`_parse_dates_vectorised` text by text (`_date_verdict`): the same outcome for each text
    (tests/ingest/test_dates_one_by_one.py compares the two)."""
    # The unit pandas gives dates assembled from their parts (to_datetime of year, month, day columns).
    vals = np.full(len(texts), np.datetime64("NaT", "us"), dtype="datetime64[us]")
    errs = np.full(len(texts), None, dtype=object)
    for i, text in enumerate(texts):
        day, error = _date_verdict(text)
        if day is None:
            errs[i] = error
        else:
            vals[i] = np.datetime64(day, "us")
    return pd.Series(vals), pd.Series(errs)


def _date_verdict(text: str) -> tuple[date | None, str | None]:
    """One ASCII text's date, or the error code `_parse_dates_vectorised` gives it: the same patterns in the same
    order, in plain Python (pandas' string methods cost about 2 ms a call whatever the length)."""
    weekday = None
    found = _weekday_prefix().search(text) if _LETTER_FIRST.match(text) else None
    if found:
        weekday = weekday_names().get(found.group(1).lower())
        text = _weekday_prefix().sub("", text)
    y = m = d = -1
    if iso := _ISO.search(text):
        y, m, d = int(iso.group(1)), int(iso.group(3)), int(iso.group(4))
    elif dmy := _DMY.search(text):
        d, m, y = int(dmy.group(1)), int(dmy.group(3)), int(dmy.group(4))
    elif txt := _DMONY.search(text):
        month = month_names().get(txt.group(2).lower())
        if month is not None:
            d, m, y = int(txt.group(1)), month, int(txt.group(3))
    if 0 <= y < 100:
        y += 2000
    if not 1900 <= y <= 2261:
        if _no_year_one(text):
            return None, "date-no-year"
        return None, "date-number" if _NUMBER.match(text) else "date-invalid"
    try:
        day = date(y, m, d)
    except ValueError:
        return None, "date-nonexistent"
    if weekday is not None and day.weekday() != weekday:
        return None, "date-weekday"  # the weekday named is not the date's
    return day, None


def _no_year_one(text: str) -> bool:
    """`_no_year` of one text."""
    out = False
    if dmon := _DMON.search(text):
        day = int(dmon.group(1))
        out = dmon.group(2).lower() in month_names() and 1 <= day <= 31
    if dm := _DM.search(text):
        dd, mm = int(dm.group(1)), int(dm.group(2))
        out = 1 <= dd <= 31 and 1 <= mm <= 12
    return out


def _parse_dates_vectorised(u: pd.Series) -> tuple[pd.Series, pd.Series]:
    n = len(u)
    y = np.full(n, -1, dtype=np.int64)
    m = np.full(n, -1, dtype=np.int64)
    d = np.full(n, -1, dtype=np.int64)
    # A weekday before the date is dropped here and checked against the date at the end.
    weekday = np.full(n, np.nan)
    if u.str.match(_LETTER_FIRST).any():
        wd_match = u.str.extract(_weekday_prefix())[0]
        weekday = wd_match.str.lower().map(weekday_names()).to_numpy(dtype=float, na_value=np.nan)
        if wd_match.notna().any():
            u = u.str.replace(_weekday_prefix(), "", regex=True)
    iso = u.str.extract(_ISO)
    ok = iso[0].notna().to_numpy()
    y[ok] = iso.loc[ok, 0].astype(int)
    m[ok] = iso.loc[ok, 2].astype(int)
    d[ok] = iso.loc[ok, 3].astype(int)
    dmy = u.str.extract(_DMY)
    ok2 = dmy[0].notna().to_numpy() & ~ok
    d[ok2] = dmy.loc[ok2, 0].astype(int)
    m[ok2] = dmy.loc[ok2, 2].astype(int)
    y[ok2] = dmy.loc[ok2, 3].astype(int)
    txt = u.str.extract(_DMONY)
    ok3 = txt[0].notna().to_numpy() & ~ok & ~ok2
    if ok3.any():
        months = month_names()
        mon = txt.loc[ok3, 1].str.lower().map(months)
        good = mon.notna().to_numpy()
        idx = np.flatnonzero(ok3)[good]
        d[idx] = txt.loc[ok3, 0].astype(int).to_numpy()[good]
        m[idx] = mon.to_numpy()[good].astype(int)
        y[idx] = txt.loc[ok3, 2].astype(int).to_numpy()[good]
    y = np.where((y >= 0) & (y < 100), 2000 + y, y)
    # Excel shows a time-only cell as a date in 1899 (its day zero): that is no date. Nor is a year past 2261,
    # which the frames' nanosecond dates cannot hold (31/12/9999 crashed the load).
    matched = (y >= 1900) & (y <= 2261)
    parts = pd.DataFrame({"year": np.where(matched, y, 2000), "month": np.where(matched, m, 1)})
    parts["day"] = np.where(matched, d, 1)
    vals = pd.to_datetime(parts, errors="coerce").to_numpy().copy()
    vals[~matched] = np.datetime64("NaT")
    errs = np.full(n, None, dtype=object)
    numeric = u.str.match(_NUMBER).to_numpy()
    errs[~matched] = "date-invalid"
    errs[~matched & numeric] = "date-number"
    errs[~matched & _no_year(u)] = "date-no-year"
    errs[matched & pd.isna(vals)] = "date-nonexistent"
    has_wd = ~np.isnan(weekday) & matched & ~pd.isna(vals)
    if has_wd.any():
        actual = pd.DatetimeIndex(vals[has_wd]).day_of_week.to_numpy()
        wrong = np.flatnonzero(has_wd)[actual != weekday[has_wd]]
        errs[wrong] = "date-weekday"
        vals[wrong] = np.datetime64("NaT")
    return pd.Series(vals), pd.Series(errs)


def _no_year(u: pd.Series) -> np.ndarray:
    """Day and month with no year: "8 Juni" (a known month name), "8/6" (a possible day and month)."""
    out = np.zeros(len(u), dtype=bool)
    txt = u.str.extract(_DMON)
    has = txt[0].notna().to_numpy()
    if has.any():
        day = txt.loc[has, 0].astype(int).to_numpy()
        month = txt.loc[has, 1].str.lower().isin(month_names()).to_numpy(dtype=bool)
        out[np.flatnonzero(has)] = month & (day >= 1) & (day <= 31)
    num = u.str.extract(_DM)
    has = num[0].notna().to_numpy()
    if has.any():
        dd = num.loc[has, 0].astype(int).to_numpy()
        mm = num.loc[has, 1].astype(int).to_numpy()
        out[np.flatnonzero(has)] = (dd >= 1) & (dd <= 31) & (mm >= 1) & (mm <= 12)
    return out


def parse_dates(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Day-first dates: Excel date cells, 2022-05-20, 2022/05/20, 20/05/2022, 20-05-22, 20.05.2022, 20 Mei 2022,
    each maybe after a weekday name ("Jumat, 3 Juni 2022"; a weekday that is not the date's is an error)."""
    return _by_unique(s, _parse_dates_unique, "datetime64[ns]")


_ISO_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


@cache
def parse_date_text(text: str) -> date | None:
    """One date by the same rules (for titles, file and folder names); titles repeat, so results are kept."""
    iso = _ISO_DAY.fullmatch(text)
    if iso and int(iso.group(1)) >= 1900:
        # The form of dated folder and file names ("2022-05-20"): the same answer without a pandas call each.
        try:
            return date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        except ValueError:
            return None  # no such day
    if text.isascii():
        return _one_date(text)
    vals, _errs = parse_dates(pd.Series([text], dtype=object))
    v = vals.iloc[0]
    return None if pd.isna(v) else v.date()


def _one_date(text: str) -> date | None:
    """`parse_dates` on one ASCII text, in plain Python: the same patterns in the same order, without pandas' cost
    per call (about 6 ms, and the sheets of a folder carry a dozen distinct title dates). Non-ASCII text takes
    the vectorised path, so Unicode digits and case folding are never judged twice, two ways."""
    if not text.strip() or DASH_ONLY.match(text):
        return None  # a blank or a placeholder is an empty cell (_by_unique)
    return _date_verdict(text)[0]


_DATE_IN_TEXT = re.compile(
    r"(\d{4}[-/]\d{1,2}[-/]\d{1,2}|\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}|\d{1,2}[\s\-_]+[A-Za-z]{3,10}\.?[\s\-_]+\d{2,4})"
)


@cache
def find_date_in_text(text: str) -> date | None:
    """The first parseable date inside free text ("Keadaan s.d. 27 Mei 2022", "progres_2022-05-20")."""
    for match in _DATE_IN_TEXT.finditer(text):
        found = parse_date_text(match.group(1).replace("_", " "))
        if found is not None:
            return found
    return None


def _to_float(u: pd.Series) -> pd.Series:
    return pd.to_numeric(u, errors="coerce").astype("float64")


def parse_percent(s: pd.Series, percent_format: pd.Series | None = None) -> tuple[pd.Series, pd.Series]:
    """45,5 / 45.5 / 45,5% -> 45.5. A cell formatted as a percentage holds 0.455 for 45.5 %."""
    vals, bad, codes = parse_percent_sparse(s, percent_format)
    errs = np.full(len(s), None, dtype=object)
    errs[bad] = codes
    return vals, pd.Series(errs, index=s.index, dtype=object)


_PERCENT_ERRORS = np.array([None, "number-invalid", "percent-range"], dtype=object)


def parse_percent_sparse(
    s: pd.Series, percent_format: pd.Series | None = None, factorization: tuple[np.ndarray, Any] | None = None
) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """`parse_percent` with its errors as (the rows that have one, their codes). Each distinct text is judged
    once, as it is and as a percentage cell (x 100); the rows take their value and error by one take each,
    with no per-row float or object temporaries (a progress column has 1.66 M rows and a few hundred values).
    `factorization`: `pd.factorize(s)`'s (codes, distinct values), made already (on a helper thread)."""
    codes, uniques = factorization if factorization is not None else pd.factorize(s, use_na_sentinel=True)
    n_u = len(uniques)
    codes = np.asarray(codes)
    if not n_u:
        return pd.Series(np.full(len(s), np.nan), index=s.index, dtype="float64", copy=False), _NO_ROWS, _NO_CODES
    u = pd.Series(uniques, dtype=object).astype(str).str.strip()
    empty = u.eq("").to_numpy(dtype=bool) | u.str.match(DASH_ONLY).to_numpy(dtype=bool)
    explicit = u.str.endswith("%").to_numpy(dtype=bool)
    t = u.str.rstrip("%").str.strip().str.replace(",", ".", regex=False)
    num = _to_float(t.where(t.str.match(r"^-?\d+(?:\.\d+)?$"), None)).to_numpy()

    def judged(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        # Per distinct text, then one slot for the empty cells (code -1): its value and error (0 none,
        # 1 number-invalid, 2 percent-range); an empty or placeholder text is an empty cell.
        bad = np.isnan(values)
        out_of_range = ~bad & ((values < 0) | (values > 100))
        err = np.where(bad, 1, np.where(out_of_range, 2, 0)).astype(np.int8)
        values = np.where(bad | out_of_range, np.nan, values)
        err[empty] = 0
        values[empty] = np.nan
        return np.append(values, np.nan), np.append(err, np.int8(0))

    plain_v, plain_e = judged(num)
    # The empty cells' code -1 reads the tables' last slot, the one appended for them (slot n_u): no remapped
    # copy of the codes unless some cell is formatted as a percentage (never in a CSV).
    at = codes
    scaled = None
    if percent_format is not None:
        scaled = percent_format.fillna(False).to_numpy(dtype=bool)
        if scaled.any():
            at = np.where(codes >= 0, codes, n_u)
            scaled = scaled & ~np.append(explicit, True)[at]
    if scaled is not None and scaled.any():
        scaled_v, scaled_e = judged(np.where(explicit, num, num * 100.0))
        table_v, table_e = np.concatenate([plain_v, scaled_v]), np.concatenate([plain_e, scaled_e])
        at = at + scaled * (n_u + 1)
    else:
        table_v, table_e = plain_v, plain_e
    vals = table_v[at]
    err = table_e[at]
    bad_rows = np.flatnonzero(err) if table_e.any() else _NO_ROWS
    return pd.Series(vals, index=s.index, dtype="float64", copy=False), bad_rows, _PERCENT_ERRORS[err[bad_rows]]


_NO_ROWS = np.zeros(0, dtype=np.int64)
_NO_CODES = np.zeros(0, dtype=object)


_SCALE = [
    (re.compile(r"(?:jt|juta)$"), 1e6),
    (re.compile(r"(?:m|miliar|milyar|mlyr)$"), 1e9),
    (re.compile(r"(?:rb|ribu)$"), 1e3),
]


def _parse_rupiah_unique(u: pd.Series) -> tuple[pd.Series, pd.Series]:
    t = u.str.strip().str.lower()
    t = t.str.replace(r"^rp\.?\s*", "", regex=True).str.replace(r"\s+", "", regex=True)
    negative = t.str.startswith("-")
    t = t.str.lstrip("-")
    scale = pd.Series(1.0, index=u.index)
    for pat, factor in _SCALE:
        hit = t.str.contains(pat)
        scale[hit] = factor
        t = t.where(~hit, t.str.replace(pat, "", regex=True))
    t = t.str.rstrip(",-").str.rstrip(".")
    out = pd.Series(np.nan, index=u.index)
    # Indonesian grouping: "." thousands, "," decimal.
    ind = t.str.match(r"^\d{1,3}(?:\.\d{3})+(?:,\d+)?$")
    out[ind] = _to_float(t[ind].str.replace(".", "", regex=False).str.replace(",", ".", regex=False))
    # Several "," with 3-digit groups: English grouping.
    eng = ~ind & t.str.match(r"^\d{1,3}(?:,\d{3}){2,}(?:\.\d+)?$")
    out[eng] = _to_float(t[eng].str.replace(",", "", regex=False))
    # A plain number, decimal comma or point ("1,2" M, numeric cells).
    plain = ~ind & ~eng & t.str.match(r"^\d+(?:[.,]\d+)?$")
    out[plain] = _to_float(t[plain].str.replace(",", ".", regex=False))
    out = out * scale
    errs = np.full(len(u), None, dtype=object)
    errs[out.isna().to_numpy()] = "rupiah-invalid"
    neg = negative.to_numpy() & out.notna().to_numpy()
    errs[neg] = "rupiah-negative"
    out[neg] = np.nan
    return out, pd.Series(errs)


def parse_rupiah(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Rp 600.000.000 / 600.000.000,00 / 600 jt / 1,2 M / 600,000,000 -> float Rupiah."""
    return _by_unique(s, _parse_rupiah_unique, "float64")


def _parse_code_unique(u: pd.Series) -> tuple[pd.Series, pd.Series]:
    t = u.str.strip()
    errs = np.full(len(u), None, dtype=object)
    # A whole number typed in a number cell arrives as "51"; a decimal one as "51.1" and is ambiguous
    # (Excel already dropped any trailing zero), so it is rejected rather than guessed.
    decimal = t.str.match(r"^\d+\.\d+$") & ~t.str.match(r"^\d{2}\.\d{2}(?:\.\d{2}(?:\.\d{4})?)?$")
    errs[decimal.to_numpy()] = "code-decimal"
    return t, pd.Series(errs)


def parse_code(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Codes are text; whole-number cells keep their digits; a decimal number cell is an error."""
    return _by_unique(s, _parse_code_unique, "str")


_TRUE = {"ya", "y", "1", "true", "benar", "ada", "yes", "iya", "v", "✓"}
_FALSE = {"tidak", "t", "n", "0", "false", "salah", "tidak ada", "no", "belum", "-", "tdk", "x"}


def _parse_bool_unique(u: pd.Series) -> tuple[pd.Series, pd.Series]:
    t = u.str.strip().str.lower().str.rstrip(".")
    vals = pd.Series(pd.array([None] * len(u), dtype="boolean"))
    vals[t.isin(_TRUE).to_numpy()] = True
    vals[t.isin(_FALSE).to_numpy()] = False
    errs = np.where(vals.isna().to_numpy(), np.array("bool-invalid", dtype=object), np.array(None, dtype=object))
    return vals, pd.Series(errs, dtype=object)


def parse_bool(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Ya/Tidak, Y/T/N, 1/0, true/false, Ada/Tidak ada. An empty cell means Tidak (caller decides)."""
    return _by_unique(s, _parse_bool_unique, "boolean")


def enum_key(u: pd.Series) -> pd.Series:
    """Comparable form of a word from a short list: lower case, no dots ("T.L." = "TL"), runs of spaces, "_", "-"
    and "/" one space."""
    return u.str.strip().str.lower().str.replace(".", "", regex=False).str.replace(r"[\s_\-/]+", " ", regex=True)


def _enum_parser(mapping: dict[str, str], code: str) -> Callable[[pd.Series], tuple[pd.Series, pd.Series]]:
    def parse(u: pd.Series) -> tuple[pd.Series, pd.Series]:
        key = enum_key(u).str.strip()
        vals = key.map(mapping)
        errs = np.where(vals.isna().to_numpy(), np.array(code, dtype=object), np.array(None, dtype=object))
        return vals.astype(object), pd.Series(errs, dtype=object)

    return parse


KINERJA = {
    "baik": "Baik",
    "good": "Baik",
    "cukup": "Cukup",
    "fair": "Cukup",
    "kurang": "Kurang",
    "poor": "Kurang",
}
KINERJA.update({"sangat baik": "Baik", "kurang baik": "Kurang", "buruk": "Kurang"})
# The follow-up status of an audit finding, as BPPW and auditors write it (BPK's categories "sesuai / belum sesuai
# rekomendasi / belum ditindaklanjuti" among them). "Tidak dapat ditindaklanjuti" is none of the three and stays an
# error. The README's catalogue and the status-invalid message list the main words.
TEMUAN_STATUS = {
    **dict.fromkeys(
        [
            "belum",
            "belum tl",
            "belum ditindaklanjuti",
            "belum ditindak lanjuti",
            "belum tindak lanjut",
            "belum ada tl",
            "belum ada tindak lanjut",
            "open",
            "terbuka",
            "not started",
        ],
        "belum",
    ),
    **dict.fromkeys(
        [
            "proses",
            "dalam proses",
            "sedang proses",
            "proses tl",
            "dalam proses tl",
            "on process",
            "on progress",
            "in progress",
            "belum sesuai",
            "belum sesuai rekomendasi",
            "tl belum sesuai",
            "belum tuntas",
            "sebagian",
        ],
        "proses",
    ),
    **dict.fromkeys(
        [
            "selesai",
            "sudah",
            "sudah tl",
            "sudah ditindaklanjuti",
            "sudah ditindak lanjuti",
            "sudah tindak lanjut",
            "selesai tl",
            "tuntas",
            "tl tuntas",
            "sesuai",
            "sesuai rekomendasi",
            "tl sesuai",
            "closed",
            "done",
        ],
        "selesai",
    ),
}
PROGRAMS = {"pisew": "PISEW", "kotaku": "KOTAKU", "kotaku apbn": "KOTAKU", "kotaku (apbn)": "KOTAKU"}


def parse_kinerja(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    return _by_unique(s, _enum_parser(KINERJA, "kinerja-invalid"), "str")


def parse_temuan_status(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    return _by_unique(s, _enum_parser(TEMUAN_STATUS, "status-invalid"), "str")


def parse_program(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    return _by_unique(s, _enum_parser(PROGRAMS, "program-invalid"), "str")


def parse_text(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Free text, stripped; an empty cell is missing."""
    vals = s.astype("str").str.strip()
    vals = vals.where(vals.str.len() > 0)
    return vals, pd.Series(np.full(len(s), None, dtype=object), index=s.index, dtype=object)


# The parser of each value type of the contract (pkp_cli.ingest.contract.Column.type); percent cells take their
# number-format flags separately (see parse_percent).
PARSERS: dict[str, Callable[[pd.Series], tuple[pd.Series, pd.Series]]] = {
    "code": parse_code,
    "program": parse_program,
    "text": parse_text,
    "stage": parse_text,
    "bool": parse_bool,
    "kinerja": parse_kinerja,
    "rupiah": parse_rupiah,
    "date": parse_dates,
    "status": parse_temuan_status,
    "percent": lambda s: parse_percent(s),
}
