"""One weekly run, without words: this week's state, the week it is compared with, the changes, the trends, and
the snapshot stored. The caller holds the history lock (history/lock.py) for the whole run.

The week compared with (the baseline) is the newest stored week before this one, or the stored week of
`--since`; when there is none it is rebuilt from the dated reports in the data (a replay of the status at
that week's newest report date), marked as reconstructed and not stored. A stored week that turns out
unreadable is reported and skipped, and the next older one is tried.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pkp_cli.errors import Exit, PkpError
from pkp_cli.history import store

if TYPE_CHECKING:
    import pandas as pd

    from pkp_cli.engines.weekly import Changes, Trends, WeekState
    from pkp_cli.model.rules import Rules
    from pkp_cli.model.schedule import Schedule

MIN_TREND_WEEKS = 3
_WEEK = timedelta(days=7)


@dataclass
class Sources:
    """What the run reads: the loaded frames, the status at as_of, the schedule and rules."""

    lokasi: pd.DataFrame
    progres: pd.DataFrame
    temuan: pd.DataFrame
    status: pd.DataFrame
    schedule: Schedule
    rules: Rules | None
    as_of: date
    stale_days: int = 14
    calendar: Any = None


@dataclass
class Baseline:
    week: str
    as_of: date
    state: WeekState
    snapshot: store.Snapshot | None  # None: reconstructed from the dated reports

    @property
    def reconstructed(self) -> bool:
        return self.snapshot is None


@dataclass
class WeekResult:
    week: str
    state: WeekState
    baseline: Baseline | None
    changes: Changes | None
    trends: Trends | None
    plan_changed: list[str]  # "jadwal" and/or "aturan": their sha256 differs from the baseline snapshot's
    stored_weeks: list[str]  # the weeks in the history after this run, oldest first
    bad: list[store.BadFile] = field(default_factory=list)
    set_aside: list[tuple[Path, Path]] = field(default_factory=list)  # (file at this week's name, its new name)
    snapshot: Path | None = None
    write_error: PkpError | None = None
    replaced_as_of: date | None = None  # the status date of the week's snapshot this run replaced, if any


def run(src: Sources, folder: Path, meta: dict[str, Any], since: date | None = None,
        provinces: tuple[str, ...] = ()) -> WeekResult:  # fmt: skip
    """Compute, compare, store. `meta` holds the snapshot metadata the caller knows (data source, schedule and
    rules names, inputs, rejected rows); `provinces` narrows the changes, never the snapshot."""
    from pkp_cli.engines.weekly import compare, week_state

    week = store.iso_week(src.as_of)
    state = week_state(src.status, src.lokasi, src.progres, src.temuan, src.schedule, src.rules, src.as_of)
    listing = store.scan(folder)
    bad = list(listing.bad)
    baseline = _baseline(src, listing, week, since, bad)
    plan_changed: list[str] = []
    if baseline is not None and baseline.snapshot is not None:
        if baseline.snapshot.meta.get("schedule_sha256") != src.schedule.sha256:
            plan_changed.append("jadwal")
        rules_sha = src.rules.sha256 if src.rules is not None else None
        if baseline.snapshot.meta.get("rules_sha256") != rules_sha:
            plan_changed.append("aturan")
    changes = (
        compare(baseline.state, state, plan_changed="jadwal" in plan_changed, provinces=provinces)
        if baseline is not None
        else None
    )
    trends = _trends(listing, week, state, bad)
    result = WeekResult(week, state, baseline, changes, trends, plan_changed, [], bad)
    same_week = listing.week(week)
    _store(result, folder, src, meta)
    if result.snapshot is not None and same_week is not None:
        result.replaced_as_of = same_week.as_of
    stored = {s.week for s in listing.snapshots if s.path.exists()} | ({week} if result.snapshot else set())
    result.stored_weeks = sorted(stored)
    return result


def _baseline(src: Sources, listing: store.Listing, week: str, since: date | None,
              bad: list[store.BadFile]) -> Baseline | None:  # fmt: skip
    if since is not None:
        wanted = store.iso_week(since)
        if wanted >= week:
            raise PkpError(Exit.USAGE, f"--since {since.isoformat()}: {wanted} >= {week}")
        snap = listing.week(wanted)
        if snap is not None:
            got = _read_state(snap, bad)
            if got is not None:
                return got
        day = _newest_report_in(src.progres, store.week_start(wanted), store.week_start(wanted) + _WEEK) or since
        return _replay(src, day)
    for snap in reversed(listing.before(week)):
        got = _read_state(snap, bad)
        if got is not None:
            return got
    newest = _newest_report_in(src.progres, None, store.week_start(week))
    return _replay(src, newest) if newest is not None else None


def _newest_report_in(progres: pd.DataFrame, start: date | None, end: date) -> date | None:
    """The newest dated report date in [start, end) (undated rows, whose date was inferred, do not count)."""
    import pandas as pd

    if progres.empty:
        return None
    dated = ~progres["laporan_tanpa_tanggal"].astype("boolean").fillna(True).to_numpy(dtype=bool)
    days = pd.to_datetime(progres["tanggal_laporan"])
    keep = dated & (days < pd.Timestamp(end)).to_numpy(dtype=bool)
    if start is not None:
        keep &= (days >= pd.Timestamp(start)).to_numpy(dtype=bool)
    newest = days[keep].max()
    return None if pd.isna(newest) else newest.date()


def _replay(src: Sources, day: date) -> Baseline:
    """The state at `day` from the data as loaded now: only reports dated on or before it count."""
    from pkp_cli.engines.status import compute_status
    from pkp_cli.engines.weekly import week_state

    status = compute_status(
        src.lokasi, src.progres, src.schedule, day, stale_days=src.stale_days, calendar=src.calendar
    )
    state = week_state(status, src.lokasi, src.progres, src.temuan, src.schedule, src.rules, day)
    return Baseline(store.iso_week(day), day, state, None)


def _read_state(snap: store.Snapshot, bad: list[store.BadFile]) -> Baseline | None:
    """A stored week as a state (only the status columns a comparison reads); None, and reported, if unreadable."""
    from pkp_cli.engines.weekly import (
        EARLIER_STATUS_COLUMNS,
        KANDIDAT_COLUMNS,
        ROLLUP_COLUMNS,
        STATUS_CATEGORIES,
        TEMUAN_COLUMNS,
        WeekState,
    )

    try:
        status = store.read(snap, "status", EARLIER_STATUS_COLUMNS, categories=STATUS_CATEGORIES)
        roll = store.read(snap, "rollup", ROLLUP_COLUMNS)
        kandidat = store.read(snap, "kandidat", KANDIDAT_COLUMNS)
        temuan = store.read(snap, "temuan", TEMUAN_COLUMNS)
    except store.SnapshotError as exc:
        bad.append(store.BadFile(snap.path, exc.reason, exc.detail))
        return None
    kandidat["memenuhi"] = kandidat["memenuhi"].fillna(False).astype(bool)
    temuan["lewat_batas"] = temuan["lewat_batas"].fillna(False).astype(bool)
    return Baseline(snap.week, snap.as_of, WeekState(snap.as_of, status, roll, kandidat, temuan), snap)


def _trends(listing: store.Listing, week: str, state: WeekState, bad: list[store.BadFile]) -> Trends | None:
    """Trends when the history holds at least three weeks up to this one (this week counted once, as now)."""
    from pkp_cli.engines.weekly import ROLLUP_COLUMNS, trends

    earlier = listing.before(week)
    if len(earlier) + 1 < MIN_TREND_WEEKS:
        return None
    weeks = [(week, state.as_of, state.rollup)]
    for snap in earlier:
        try:
            weeks.append((snap.week, snap.as_of, store.read(snap, "rollup", ROLLUP_COLUMNS)))
        except store.SnapshotError as exc:
            if not any(b.path == snap.path for b in bad):
                bad.append(store.BadFile(snap.path, exc.reason, exc.detail))
    return trends(weeks) if len(weeks) >= MIN_TREND_WEEKS else None


def _store(result: WeekResult, folder: Path, src: Sources, meta: dict[str, Any]) -> None:
    """Write this week's snapshot, replacing the week's file; a file there that is not a readable snapshot is
    renamed aside first (never deleted). A failure is kept for the caller: the summary is still written."""
    from pkp_cli import __version__

    now = datetime.now(UTC)
    full = {
        **meta,
        "week": result.week,
        "as_of": src.as_of.isoformat(),
        "pkp_version": __version__,
        "created": now.isoformat(timespec="seconds"),
        "fiscal_year": src.schedule.year,
        "schedule_sha256": src.schedule.sha256,
        "rules_sha256": src.rules.sha256 if src.rules is not None else None,
    }
    target = folder / f"{result.week}.parquet"
    try:
        if any(b.path == target for b in result.bad) and target.exists():
            result.set_aside.append((target, store.set_aside(target, now.strftime("%Y%m%dT%H%M%SZ"))))
        result.snapshot = store.write(folder, full, result.state.tables())
    except PkpError as exc:
        result.write_error = exc
