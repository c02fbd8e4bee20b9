"""Working days in Indonesia: weekends, national holidays and cuti bersama, plus local overrides.

Holidays come from the `holidays` package, country ID, categories `public` (national holidays) and
`government` (cuti bersama, the collective leave days of civil servants, e.g. 29 Apr and 4-6 May 2022
around Idul Fitri). An override may add days off (a regional holiday, an ad-hoc closure) and declare days
that are working days after all (a Saturday worked in exchange, a cuti bersama the office did not take).

Counting is vectorised (a running count of working days, or `numpy.busday_count` over a very wide span); the
`holidays` package is imported only when a calendar is first needed, so commands that never count working days
do not pay for it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

# Saturday and Sunday are off in every government office the programs deal with.
WEEKMASK = "1111100"
CATEGORIES_WITH_CUTI_BERSAMA = ("public", "government")
CATEGORIES_WITHOUT_CUTI_BERSAMA = ("public",)

DayArray = npt.NDArray[np.datetime64]
# count_after tabulates working days over the span of its dates up to this many days (about 270 years, 24 MB);
# a wider span (a stray year-9999 date) counts pair by pair.
_TABLE_MAX_DAYS = 100_000


@lru_cache(maxsize=32)
def _national_holidays(
    years: tuple[int, ...], categories: tuple[str, ...], store: Path | None = None
) -> tuple[date, ...]:
    """The package's holidays for these years; cached because building them takes milliseconds each.

    With `store` (pkp's cache folder), the list is also kept on disk: importing `holidays` and building the
    list cost about a tenth of a second, a good part of a warm `pkp status`.
    """
    from pkp_cli.ingest.kept_json import read_kept, write_kept

    entry = _holiday_entry(store, years, categories) if store is not None else None
    text = read_kept(entry) if entry is not None else None
    if text is not None:
        try:
            return tuple(date.fromisoformat(d) for d in json.loads(text))
        except (ValueError, TypeError, RecursionError):  # (RecursionError: JSON nested past the limit)
            pass  # damaged: built again below and written anew
    found = _bundled_days(years, categories)
    if found is None:
        found = tuple(sorted(_indonesia_holidays(list(years), categories)))
    if entry is not None:
        write_kept(entry, json.dumps([d.isoformat() for d in found]))
    return found


def _indonesia_holidays(years: list[int], categories: tuple[str, ...]) -> Any:
    """`holidays.country_holidays("ID", years=..., categories=...)`, without importing every country.

    The package's `holidays.countries` imports all of its 250 countries (about 0.1 s, a good part of a cold
    `pkp status` on the bundled sample), and the country code resolves through it. Indonesia's module is loaded
    on its own from the package's folder instead; its own imports are the package's shared modules, not the
    other countries. Should the package lay its files out differently, the ordinary call is used.
    """
    import importlib.util
    import sys

    try:
        spec = importlib.util.find_spec("holidays")
        if spec is None or spec.origin is None:
            raise ImportError("holidays")
        module = sys.modules.get("holidays.countries.indonesia") or sys.modules.get(_ALONE)
        if module is None:
            path = Path(spec.origin).parent / "countries" / "indonesia.py"
            alone = importlib.util.spec_from_file_location(_ALONE, path)
            if alone is None or alone.loader is None:
                raise ImportError(str(path))
            module = importlib.util.module_from_spec(alone)
            alone.loader.exec_module(module)
            sys.modules[_ALONE] = module
        return module.Indonesia(years=years, categories=categories)
    except Exception:  # any layout surprise: the package's own way, same answer
        import holidays

        return holidays.country_holidays("ID", years=years, categories=categories)


# The package's days for TABLE_YEARS, computed once (scripts/holidays_table.py) and shipped with pkp: a cold run
# (no list kept in the cache yet) reads them instead of importing `holidays` and building the list (30-50 ms of
# CPU), when the installed package is the one they were computed with (its version and its Indonesia module's size).
HOLIDAY_TABLE = Path(__file__).with_name("holidays-id.json")
TABLE_YEARS = range(2015, 2036)
_CATEGORY_SETS = (CATEGORIES_WITH_CUTI_BERSAMA, CATEGORIES_WITHOUT_CUTI_BERSAMA)


def _installed_holidays() -> tuple[str, int] | None:
    """(version, size of countries/indonesia.py) of the installed `holidays`, without importing it: the version
    from its one `holidays-<version>.dist-info` folder beside it; None when that is not plain."""
    import importlib.util
    import os

    spec = importlib.util.find_spec("holidays")
    if spec is None or spec.origin is None:
        return None
    package = Path(spec.origin).parent
    try:
        infos = [n for n in os.listdir(package.parent) if n.startswith("holidays-") and n.endswith(".dist-info")]
        size = (package / "countries" / "indonesia.py").stat().st_size
    except OSError:
        return None
    if len(infos) != 1:
        return None
    return infos[0][len("holidays-") : -len(".dist-info")], size


def holiday_table_text() -> str:
    """The table as scripts/holidays_table.py writes it (from the installed package)."""
    installed = _installed_holidays()
    if installed is None:
        raise RuntimeError("the installed holidays package cannot be identified")
    days = {
        "+".join(categories): {
            str(year): [d.isoformat() for d in sorted(_indonesia_holidays([year], categories))] for year in TABLE_YEARS
        }
        for categories in _CATEGORY_SETS
    }
    doc = {"version": installed[0], "indonesia_py_size": installed[1], "days": days}
    return json.dumps(doc, indent=0, sort_keys=True) + "\n"


def _bundled_days(years: tuple[int, ...], categories: tuple[str, ...]) -> tuple[date, ...] | None:
    """The shipped table's days of these years (each year's own list: the package's list for several years is
    theirs together), or None: a year or category set outside it, another package installed, a damaged table."""
    if not years or any(y not in TABLE_YEARS for y in years) or categories not in _CATEGORY_SETS:
        return None
    try:
        doc = json.loads(HOLIDAY_TABLE.read_text(encoding="utf-8"))
        if _installed_holidays() != (doc["version"], doc["indonesia_py_size"]):
            return None
        per_year = doc["days"]["+".join(categories)]
        return tuple(sorted({date.fromisoformat(d) for y in years for d in per_year[str(y)]}))
    except (OSError, ValueError, KeyError, TypeError):
        return None


# The name Indonesia's module is loaded under (not the package's own name: its parent package stays unimported).
_ALONE = "pkp_cli._holidays_indonesia"


def _holiday_entry(store: Path, years: tuple[int, ...], categories: tuple[str, ...]) -> Path | None:
    """pkp-holidays-<key>.json, keyed by the installed `holidays` package (its file's size and time) and the
    years and categories asked for; None when the package cannot be found (then nothing is stored)."""
    import importlib.util

    spec = importlib.util.find_spec("holidays")
    if spec is None or spec.origin is None:
        return None
    try:
        st = Path(spec.origin).stat()
    except OSError:
        return None
    from pkp_cli.ingest.kept_json import MAGIC

    # The format's magic in the key: an entry of an older format is never read (nor overwritten).
    key = json.dumps([MAGIC, spec.origin, st.st_size, st.st_mtime_ns, list(years), list(categories)])
    return store / f"pkp-holidays-{hashlib.sha256(key.encode()).hexdigest()[:24]}.json"


def _as_days(values: Any) -> DayArray:
    """Any date-like array (datetime64 of any unit, Series, dates) as datetime64[D]; NaT stays NaT. Days already
    are not copied (the callers only read them)."""
    arr = np.asarray(values)
    if arr.dtype.kind != "M":
        arr = np.asarray(arr, dtype="datetime64[D]")
    return arr.astype("datetime64[D]", copy=False)


@dataclass(frozen=True)
class WorkCalendar:
    """Which days are working days.

    `extra_off`: more days off (from the holiday override file). `extra_work`: days that are working days
    even though they fall on a weekend or a listed holiday. `cuti_bersama=False` drops the government
    category, for an office that worked through the collective leave.
    """

    extra_off: frozenset[date] = field(default_factory=frozenset)
    extra_work: frozenset[date] = field(default_factory=frozenset)
    cuti_bersama: bool = True
    store: Path | None = field(default=None, compare=False)  # where the national list may be kept (pkp's cache)

    @classmethod
    def with_overrides(
        cls, extra_off: Iterable[date] = (), extra_work: Iterable[date] = (), *, cuti_bersama: bool = True
    ) -> WorkCalendar:
        return cls(frozenset(extra_off), frozenset(extra_work), cuti_bersama)

    def holidays_between(self, first_year: int, last_year: int) -> DayArray:
        """Weekday-or-not days off of these years: national list + extra_off - extra_work, sorted."""
        categories = CATEGORIES_WITH_CUTI_BERSAMA if self.cuti_bersama else CATEGORIES_WITHOUT_CUTI_BERSAMA
        days = set(_national_holidays(tuple(range(first_year, last_year + 1)), categories, self.store))
        days |= {d for d in self.extra_off if first_year <= d.year <= last_year}
        days -= self.extra_work
        return np.array(sorted(days), dtype="datetime64[D]")

    def _weekend_work_days(self) -> DayArray:
        """extra_work days that fall on a weekend: busday_count never counts them, so they are added."""
        weekend = [d for d in self.extra_work if d.weekday() >= 5]
        return np.array(sorted(weekend), dtype="datetime64[D]")

    def is_working_day(self, days: Any) -> npt.NDArray[np.bool_]:
        """Element-wise: is this day a working day? NaT gives False."""
        arr = _as_days(days)
        out = np.zeros(arr.shape, dtype=bool)
        ok = ~np.isnat(arr)
        if not ok.any():
            return out
        years = arr[ok].astype("datetime64[Y]").astype(int) + 1970
        hol = self.holidays_between(int(years.min()), int(years.max()))
        out[ok] = np.is_busday(arr[ok], weekmask=WEEKMASK, holidays=hol)
        extra = self._weekend_work_days()
        if extra.size:
            out[ok] |= np.isin(arr[ok], extra)
        return out

    def count_after(self, start: Any, end: Any) -> npt.NDArray[np.int64]:
        """Working days d with start < d <= end, element-wise; 0 where end <= start or either is NaT.

        This is the "days strictly after the due date up to and including the finish (or as-of) date"
        that a slip in working days means: finishing on the due date is 0, the next working day is 1.
        """
        s = _as_days(start)
        e = _as_days(end)
        s, e = np.broadcast_arrays(s, e)
        ok = e > s  # False where either is NaT: numpy never orders NaT
        if not ok.any():
            return np.zeros(s.shape, dtype=np.int64)
        # The counted pairs' first start and last end, read in place (NaT is the int64 minimum, never among them):
        # no copies of the 1.19 M late rows of the national status only to find two dates.
        s_int, e_int = s.view(np.int64), e.view(np.int64)
        lo_int = int(np.min(s_int, where=ok, initial=np.iinfo(np.int64).max))
        hi_int = int(np.max(e_int, where=ok, initial=np.iinfo(np.int64).min))
        lo, hi = np.datetime64(lo_int, "D"), np.datetime64(hi_int, "D")
        first = int(lo.astype("datetime64[Y]").astype(int)) + 1970
        last = int(hi.astype("datetime64[Y]").astype(int)) + 1970
        hol = self.holidays_between(first, last)
        extra = self._weekend_work_days()
        span = hi_int - lo_int + 1
        if span <= _TABLE_MAX_DAYS:
            # One running count of working days over the days the pairs span, then two lookups per pair:
            # busday_count searches the holiday list for every pair (a third of a second on 1.66 M rows).
            days = np.arange(lo, hi + np.timedelta64(1, "D"), dtype="datetime64[D]")
            working = np.is_busday(days, weekmask=WEEKMASK, holidays=hol)
            if extra.size:
                working |= np.isin(days, extra)
            running = np.concatenate(([0], np.cumsum(working, dtype=np.int64)))  # running[i]: in days[:i]
            # (start, end] = days[start - lo + 1 : end - lo + 1], looked up on every row, a row not counted at 0
            # (running[0] - running[0] = 0): on 1.66 M status rows every temporary is 13 MB, so the rows are not
            # taken apart and put back, and the offsets are made in one array
            skip = ~ok
            at = np.asarray(e_int - (lo_int - 1))  # (an array also for one pair of dates)
            at[skip] = 0
            counts = np.asarray(running[at], dtype=np.int64)  # (an array also for one pair of dates)
            np.subtract(s_int, lo_int - 1, out=at)
            at[skip] = 0
            counts -= running[at]
            return counts
        out = np.zeros(s.shape, dtype=np.int64)
        s_ok, e_ok = s[ok], e[ok]
        # busday_count counts [begin, end): shift both by one day to count (start, end].
        one = np.timedelta64(1, "D")
        counts = np.busday_count(s_ok + one, e_ok + one, weekmask=WEEKMASK, holidays=hol)
        if extra.size:
            # weekend days declared working: how many fall in (start, end], by binary search.
            counts += np.searchsorted(extra, e_ok, side="right") - np.searchsorted(extra, s_ok, side="right")
        out[ok] = counts
        return out


DEFAULT_CALENDAR = WorkCalendar()


def working_days_after(start: Any, end: Any, calendar: WorkCalendar | None = None) -> npt.NDArray[np.int64]:
    """Working days in (start, end] element-wise with the given (or default) calendar."""
    return (calendar or DEFAULT_CALENDAR).count_after(start, end)
