"""From shared options to a loaded, validated workspace; says on stderr which data and schedule were used.

The workspace holds what every command reads (config, data, schedule, loaded frames, the status date) and the
facts every report states about them. It computes nothing itself beyond asking the engines once.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pkp_cli.errors import Exit, PkpError

if TYPE_CHECKING:
    from collections.abc import Callable

    import pandas as pd

    from pkp_cli.ingest.locate import Resolved
    from pkp_cli.model.frames import LoadResult
    from pkp_cli.model.schedule import Schedule
    from pkp_cli.settings import Config
    from pkp_cli.views.facts import Facts

# Set by `pkp --lang en <command>` (the option before the command), for the commands that follow; and the
# language of the running command, for messages said at the CLI's edge.
GLOBAL_LANG: list[str | None] = [None]
CURRENT_LANG: list[str] = ["id"]
# Set by --quiet (pkp weekly): only problems go to stderr, not which data and schedule were used.
QUIET: list[bool] = [False]


def say(text: str) -> None:
    """A message for the person, on stderr (stdout carries only the result); control characters from a path or
    a value in it are shown as \\xNN (its own line breaks stay)."""
    from pkp_cli.text.visible import visible

    print(visible(text), file=sys.stderr)


def inform(text: str) -> None:
    """Information (not a problem) for the person, on stderr; silent with --quiet."""
    if not QUIET[0]:
        say(text)


def resolve_lang(lang: Any, cfg: Config) -> str:
    """--lang after the command, else before it, else the config file's language (default id)."""
    if lang is not None:
        code = str(getattr(lang, "value", lang))
    elif GLOBAL_LANG[0]:
        code = GLOBAL_LANG[0]
    else:
        code = str(cfg.get("lang"))
    CURRENT_LANG[0] = code
    return code


def why_text(why: str, lang: str) -> str:
    """The reason a data folder or schedule was chosen, in the user's language."""
    from pkp_cli.text.labels import LABELS, label

    return label(f"why.{why}", lang) if f"why.{why}" in LABELS else why


def parse_as_of(text: str | None, lang: str) -> date | None:
    """--as-of as a calendar date (YYYY-MM-DD); anything else is a usage error in the user's language."""
    if text is None:
        return None
    from pkp_cli.text.labels import label

    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise PkpError(Exit.USAGE, f"--as-of {text}: {label('as_of_invalid', lang)}") from None


def open_schedule(
    schedule_opt: Path | None, data: Resolved, cfg: Config, lang: str, read: list[Path] | None = None
) -> tuple[Resolved, Schedule]:
    """The schedule of the year the names of what is read say (`read`: the paths given, else the data folder)."""
    from pkp_cli.cli.collector import freeze_imports
    from pkp_cli.ingest.discover import dates_in_names
    from pkp_cli.ingest.locate import cache_dir, resolve_year_file
    from pkp_cli.ingest.schedule_entry import load_schedule_kept

    years = [d.year for d in dates_in_names(read or [data.path])]
    year = max(years) if years else None
    src = resolve_year_file("jadwal-nasional", schedule_opt, "PKP_SCHEDULE", "schedule", cfg, data, year)
    try:
        store = cache_dir(cfg)  # the validated schedule is kept there (None: cache off)
    except PkpError:
        store = None  # a cache_dir that is no folder is reported where the data is loaded, as before
    sched = load_schedule_kept(src.path, lang, store)
    # The command's imports are done by now (pandas too, when the names hold dates; else the loader imports it):
    # the console script's collector resumes, leaving them out of its later passes (cli/collector.py).
    freeze_imports()
    return src, sched


@dataclass
class Workspace:
    lang: str
    cfg: Config
    data: Resolved
    schedule_src: Resolved
    schedule: Schedule
    loaded: LoadResult
    as_of: date
    as_of_given: bool
    _status: pd.DataFrame | None = field(default=None, repr=False)
    _status_work: Any = field(default=None, repr=False)  # engines.status.StatusWork of a computed _status
    _calendar: Any = field(default=None, repr=False)

    @property
    def data_source(self) -> str:
        return "sample" if self.data.is_sample else str(self.data.path)

    @property
    def schedule_shown(self) -> str:
        """The schedule as JSON names it (no absolute path of the installation)."""
        return "bundled:" + self.schedule_src.path.name if self.schedule_src.is_sample else str(self.schedule_src.path)

    @property
    def stale_days(self) -> int:
        return int(self.cfg.get("stale_days"))

    def calendar(self) -> Any:
        """The working-day calendar, with the holiday override file from the config (date,libur|kerja); read
        once per run."""
        if self._calendar is None:
            from pkp_cli.engines.workdays import WorkCalendar
            from pkp_cli.ingest.holidays import read_holidays_file
            from pkp_cli.ingest.locate import cache_dir

            store = cache_dir(self.cfg)  # the national holiday list is kept there (None: cache off)
            path = self.cfg.get("holidays_file")
            if not path:
                self._calendar = WorkCalendar(store=store)
            else:
                off, work = read_holidays_file(Path(path))
                self._calendar = WorkCalendar(extra_off=off, extra_work=work, store=store)
        return self._calendar

    def status(self) -> pd.DataFrame:
        """The status of every location and province stage at the status date (computed once; with the load
        cache on, kept next to the load it came from, so a warm `pkp status` on 1.66 M rows does not compute
        it again)."""
        if self._status is None:
            from pkp_cli.engines.status import compute_status_work
            from pkp_cli.ingest import cache
            from pkp_cli.ingest.locate import cache_dir

            calendar = self.calendar()  # reads (and checks) the holiday override file, as every run does
            store = cache_dir(self.cfg)
            key = None
            if store is not None and self.loaded.cache_key is not None:
                key = cache.derived_key("status", self._status_inputs(calendar))
                self._status = cache.load_frame(store, key, "status")
            if self._status is None:
                self._status, self._status_work = compute_status_work(
                    self.loaded.lokasi,
                    self.loaded.progres,
                    self.schedule,
                    self.as_of,
                    stale_days=self.stale_days,
                    calendar=calendar,
                )
                # The engine's freed temporaries (about 200 MB of heap on the national data) are not handed back to the
                # system here: the view's own, of the same row-length sizes, reuse them (half its page faults, about
                # 0.4 s less system time in a cold national run) and the run's peak is no higher (bench/analysis.md,
                # perf-status7).
                if key is not None and store is not None:
                    cache.save_frame(store, key, "status", self._status)
        return self._status

    def status_work(self) -> Any:
        """What the status engine worked out for the status frame (engines.status.StatusWork), when this run
        computed it; None when it came from the cache. Handed over once: the workspace then forgets it, so that
        the view that took it decides when its memory goes."""
        self.status()
        work, self._status_work = self._status_work, None
        return work

    def _status_inputs(self, calendar: Any) -> dict[str, Any]:
        """Everything the status frame depends on besides the load: date, schedule, staleness, the calendar."""
        import importlib.util

        spec = importlib.util.find_spec("holidays")
        package = None
        if spec is not None and spec.origin:
            st = Path(spec.origin).stat()
            package = [spec.origin, st.st_size, st.st_mtime_ns]
        override = [sorted(d.isoformat() for d in days) for days in (calendar.extra_off, calendar.extra_work)]
        return {
            "load": self.loaded.cache_key,
            "as_of": self.as_of.isoformat(),
            "schedule": self.schedule.sha256,
            "stale_days": self.stale_days,
            "holidays_override": override,
            "cuti_bersama": calendar.cuti_bersama,
            "holidays": package,
        }

    def start_held_writes(self) -> None:
        """Start the cache writes held until the command's memory-heavy work is done (ingest/background.py); the
        status views call this once their biggest temporaries are gone."""
        from pkp_cli.ingest import background

        background.start_held()

    def kept_tables(self, kind: str, parts: dict[str, Any], compute: Callable[[], dict[str, pd.DataFrame]]
                    ) -> dict[str, pd.DataFrame]:  # fmt: skip
        """Small tables computed from the status frame (a view's data: codes and numbers, a few hundred rows),
        kept in the cache under the status frame's key plus `parts` (what else they depend on: the query), so a
        warm run reads neither the status frame nor the progress history. Without the cache: computed."""
        from pkp_cli.ingest import cache
        from pkp_cli.ingest.locate import cache_dir

        store = cache_dir(self.cfg)
        if store is None or self.loaded.cache_key is None:
            return compute()
        key = cache.derived_key(kind, {"status": self._status_inputs(self.calendar()), "parts": parts})
        kept = cache.load_kept_tables(store, key, kind)
        if kept is not None:
            return kept
        tables = compute()
        from pkp_cli.ingest import background

        # The view's big temporaries are gone now: the status frame's entry (held since the engine made the frame,
        # about 0.2 s of conversion, compression and writing on the national data) is written beside the rest of
        # the command (these tables kept, the report printed) instead of after it.
        background.start_held()
        cache.save_kept_tables(store, key, kind, tables)
        return tables

    def province_names(self) -> dict[str, str]:
        """Code -> name of the provinces in the status frame (what --province resolves against), kept in the cache
        beside it: a warm `pkp status --province` run does not read the status frame for them."""

        def pairs() -> dict[str, pd.DataFrame]:
            # drop_duplicates on the two columns: not 1.66 M rows one by one in Python
            return {"provinsi": self.status()[["kode_provinsi", "provinsi"]].drop_duplicates()}

        kept = self.kept_tables("status-provinces", {}, pairs)["provinsi"]
        return dict(zip(kept["kode_provinsi"], kept["provinsi"], strict=False))

    def newest_report(self) -> date | None:
        return _newest_dated(self.loaded, until=self.as_of)

    def facts(self, **extra: Any) -> Facts:
        from pkp_cli.views.facts import Facts

        return Facts(
            lang=self.lang,
            as_of=self.as_of,
            fiscal_year=self.schedule.year,
            data_source=self.data_source,
            is_sample=self.data.is_sample,
            schedule=self.schedule_shown,
            schedule_sha256=self.schedule.sha256,
            newest_report=self.newest_report(),
            stale_days=self.stale_days,
            extra=extra,
        )

    def rules(self, rules_opt: Path | None, required: bool = True) -> Any:
        """The acceleration rules for the data's year (--rules, PKP_RULES, config, next to the data, bundled).

        With required=False a missing rules file is not an error (pkp validate checks it only when there is one).
        """
        from pkp_cli.ingest.locate import resolve_year_file
        from pkp_cli.model.rules import load_rules

        try:
            src = resolve_year_file(
                "percepatan", rules_opt, "PKP_RULES", "rules", self.cfg, self.data, self.schedule.year
            )
        except PkpError:
            if required or rules_opt is not None:
                raise
            return None
        inform(f"{'Rules' if self.lang == 'en' else 'Aturan'}: {src.path} ({why_text(src.why, self.lang)})")
        return load_rules(src.path, self.lang)

    def exit_code(self) -> int:
        """Say unreadable files and rejected rows on stderr; the exit code that goes with them."""
        from pkp_cli.text.labels import label

        loaded = self.loaded
        code = 0
        for issue in loaded.unreadable:
            say(f"pkp: {issue.file}: {issue.message(self.lang)}")
            code = int(Exit.NO_INPUT)
        n = loaded.rows_rejected
        if n:
            where = f" --data {self.data.path}" if not self.data.is_sample else ""
            say(f"pkp: {n} {label('rejected_note', self.lang)}: pkp validate{where}")
            code = code or int(Exit.REJECTED)
        return code


def _timestamp(d: date | str) -> Any:
    import pandas as pd

    return pd.Timestamp(d)


def open_workspace(
    *,
    data: Path | None,
    schedule: Path | None,
    as_of: str | None,
    lang: Any,
    paths: list[Path] | None = None,
    max_errors: int = 10_000,
    collect_rejects: bool = False,
) -> Workspace:
    from pkp_cli.cli.collector import paused
    from pkp_cli.ingest.cached import load_data
    from pkp_cli.ingest.locate import Resolved, cache_dir, resolve_data
    from pkp_cli.ingest.read import require_defusedxml
    from pkp_cli.settings import load_config

    require_defusedxml()
    cfg = load_config()
    code = resolve_lang(lang, cfg)
    wanted_day = parse_as_of(as_of, code)
    src = resolve_data(data, cfg)
    if paths:
        for p in paths:
            if not p.exists():
                raise PkpError(Exit.NO_INPUT, f"{p}: tidak ada / does not exist")
        shown = Resolved(paths[0] if len(paths) == 1 else Path("."), "PATH")
    else:
        shown = src
    read = paths or [src.path]
    root = src.path.parent if src.is_sample and not paths else None
    max_mb = int(cfg.get("max_uncompressed_mb"))
    _start_preread(read, root, max_mb, cfg, collect_rejects)
    try:
        # the year from the names of the files given, not of the folder pkp runs in (`shown` is "." for several)
        sched_src, sched = open_schedule(schedule, shown if paths else src, cfg, code, list(paths) if paths else None)
        en = code == "en"
        if paths:
            inform(("Files" if en else "Berkas") + ": " + ", ".join(str(p) for p in paths))
        else:
            inform(f"Data: {src.path} ({why_text(src.why, code)})")
        inform(f"{'Schedule' if en else 'Jadwal'}: {sched_src.path} ({why_text(sched_src.why, code)})")
        with paused():  # the console script's collector sits out the load (cli/collector.py)
            loaded = load_data(
                read,
                sched,
                lokasi_paths=[src.path] if paths else None,
                max_errors=max_errors,
                lang=code,
                max_uncompressed_mb=max_mb,
                collect_rejects=collect_rejects,
                display_root=root,
                cache_dir=cache_dir(cfg),
            )
    finally:
        from pkp_cli.ingest import preread

        preread.discard()  # (not taken: the load came from its cache entry, or stopped before it read)
    if wanted_day is not None:
        _check_as_of_year(wanted_day, sched.year, loaded, code)
    day = wanted_day or _newest_dated(loaded) or _fallback_day(sched.year)
    return Workspace(code, cfg, shown, sched_src, sched, loaded, day, wanted_day is not None)


def _start_preread(read: list[Path], root: Path | None, max_mb: int, cfg: Config, collect_rejects: bool) -> None:
    """The folder's small workbooks read by a forked child from now, while the schedule's opening imports pandas,
    where that pays (ingest/preread.py: a load likely cold)."""
    from pkp_cli.ingest import preread
    from pkp_cli.ingest.locate import cache_dir

    try:
        store = None if collect_rejects else cache_dir(cfg)  # (a load that lists its rejects reads every file)
    except PkpError:
        return  # the load says what is wrong with the cache folder
    preread.start(read, display_root=root, max_mb=max_mb, cache_dir=store)


def _check_as_of_year(day: date, year: int, loaded: LoadResult, lang: str) -> None:
    """--as-of outside the schedule's fiscal year is a usage error, unless the data holds reports of that year."""
    from pkp_cli.text.labels import label

    if day.year == year:
        return
    if loaded.report_years is not None:  # kept with the load: the progress frame is not read
        if day.year in loaded.report_years:
            return
    else:
        progres = loaded.progres
        if len(progres) and (progres["tanggal_laporan"].dt.year == day.year).any():
            return
    raise PkpError(Exit.USAGE, f"--as-of {day.isoformat()}: {label('as_of_outside_year', lang).format(year=year)}")


def _newest_dated(loaded: LoadResult, until: date | None = None) -> date | None:
    """The newest dated report (engines.status.default_as_of), at most `until`; from the dates kept with the load
    when there (the progress frame is then not read)."""
    from pkp_cli.engines.status import default_as_of

    cut = _timestamp(until) if until is not None else None
    if loaded.dated_reports is not None:
        known = [d for d in map(_timestamp, loaded.dated_reports) if cut is None or d <= cut]
        return max(known).date() if known else None
    progres = loaded.progres
    if cut is not None and len(progres):
        progres = progres[progres["tanggal_laporan"] <= cut]
    return default_as_of(progres)


def _fallback_day(year: int) -> date:
    """No dated report at all: today, kept inside the fiscal year."""
    today = date.today()
    return min(max(today, date(year, 1, 1)), date(year, 12, 31))
