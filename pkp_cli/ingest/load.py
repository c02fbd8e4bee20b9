"""Load workbooks into validated frames: every row is loaded, rejected with its address, or skipped and counted.

Flow: discover files -> read each sheet (pkp_cli.ingest.sheets) -> combine per kind and parse -> checks
(pkp_cli.ingest.checks) -> frames, the errors and warnings as Issues, and the accounting that must add up.
"""

from __future__ import annotations

import functools
import re
import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import Future
from contextlib import nullcontext, suppress
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pkp_cli.ingest import helper

# The public entry, with the load cache in front (ingest/cached.py imports this module only on a miss).
from pkp_cli.ingest.arrow_pool import give_back_freed, use_load_pool
from pkp_cli.ingest.cache import EntryWriter
from pkp_cli.ingest.cached import load_data as load_data
from pkp_cli.ingest.cell_problems import apply_reader_problems, unread_column_index
from pkp_cli.ingest.checks import (
    KEY_PREFIX,
    check_dates,
    check_lokasi_regions,
    dedupe,
    fmt_day,
    rejected_locations,
    resolve_progres,
    resolve_temuan,
    superseded_warnings,
)
from pkp_cli.ingest.contract import (
    KIND_LOKASI,
    KIND_PROGRES,
    KIND_TEMUAN,
)
from pkp_cli.ingest.cores import usable_cpus
from pkp_cli.ingest.discover import scan
from pkp_cli.ingest.early import THREADS_MIN_FILE_BYTES, EarlyReads, reading_parts
from pkp_cli.ingest.early import file_size as _size
from pkp_cli.ingest.idle import run as run_idle
from pkp_cli.ingest.parse import warm_names
from pkp_cli.ingest.read import FileProblem, col_letter
from pkp_cli.ingest.rejects import rejected_rows
from pkp_cli.ingest.sheets import (
    SheetRecords,
    combine,
    concat_errors,
    factorizing_ahead,
    has_error,
    parse_records,
    read_sheets,
)
from pkp_cli.ingest.units import NOT_WHOLE, FileUnit, merge, normalise, unit_of
from pkp_cli.model.frames import FRAME_COLUMNS, LOKASI, PROGRES, TEMUAN, LoadResult
from pkp_cli.model.issues import FileReport, Issue
from pkp_cli.model.regular_file import NotRegularFile, sha256_of
from pkp_cli.model.schedule import Schedule


class _Clock:
    """Seconds per loading phase (LoadResult.timings)."""

    def __init__(self) -> None:
        import time

        self._now = time.perf_counter
        self.timings: dict[str, float] = {}
        self.last = self._now()

    def lap(self, name: str) -> None:
        now = self._now()
        self.timings[name] = self.timings.get(name, 0.0) + now - self.last
        self.last = now


def load_uncached(
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
    cache_dir: Path | None,
    early: EarlyReads | None = None,
    writer: EntryWriter | None = None,
) -> LoadResult:
    """The load itself. `early`: reads `load_data` started before this module was imported (ingest/early.py),
    with the discovery they come from. `writer`: the load's cache entry, handed each frame (and its text columns'
    codes) as soon as it is made."""
    clock = _Clock()
    use_load_pool()  # before the readers allocate (ingest/arrow_pool.py says why)
    found = early.discovery() if early is not None else None
    if found is None:
        found = scan(paths, display_root)
    files, ignored = found.files, found.ignored
    reports: list[FileReport] = []
    unreadable = [
        Issue(shown, None, None, None, None, None, code, tuple(p.items())) for shown, code, p in found.unreadable
    ]
    units: list[FileUnit] = []
    warn_frames: list[pd.DataFrame] = []
    file_warnings: list[Issue] = []
    seen_hash: dict[str, str] = {}
    # What decides how a file reads, besides the file itself (the per-file cache key).
    reading = reading_parts(schedule, max_uncompressed_mb)
    if cache_dir is not None:
        from pkp_cli.ingest import cache
    # First each file's identity: its cache entry, else its digest (a byte-identical copy is not read twice).
    # Only files that share their size with another can be copies: the others are not hashed (reading and
    # hashing an 88 MB CSV costs a fifth of a second before its reading could start).
    sizes = Counter(_size(path) for path, _ in files)
    slots: list[_Slot] = []
    for path, shown in files:
        unit = None
        key = None
        if cache_dir is not None:
            try:
                key = cache.file_key(path, shown, reading)
            except OSError:
                key = None
            entry = cache.load_file(cache_dir, key) if key else None
            if entry is not None:
                try:
                    unit = unit_of(*entry)
                except NOT_WHOLE as exc:
                    cache.note_corrupt(cache_dir / str(key), exc)
                    unit = None
        if unit is not None and (unit.digest or sizes[_size(path)] == 1):
            digest = unit.digest
        elif sizes[_size(path)] == 1:
            digest = ""  # nothing else has its size: not a copy of anything here (an unreadable file says so later)
            # (a cached file whose entry has no digest, when another file of its size turns up, is hashed below)
        else:
            try:
                digest = sha256_of(path)
            except NotRegularFile as exc:  # replaced by a FIFO or a device since it was found: never opened
                problem = Issue(shown, None, None, None, None, None, "input-not-regular", (("kind", exc.kind),))
                slots.append(_Slot(path, shown, key, "", None, problem=problem))
                continue
            except OSError as exc:
                reason = exc.strerror or str(exc)
                problem = Issue(shown, None, None, None, None, None, "file-unreadable", (("reason", reason),))
                slots.append(_Slot(path, shown, key, "", None, problem=problem))
                continue
        if digest and digest in seen_hash:
            slots.append(_Slot(path, shown, key, digest, None, duplicate_of=seen_hash[digest]))
            continue
        if digest:
            seen_hash[digest] = shown
        slots.append(_Slot(path, shown, key, digest, unit))
    # Then the files to read, two at a time: the readers (pyarrow, calamine) release the GIL, so a big CSV and
    # the location workbook, or a folder of workbooks, are read side by side on a 2-core machine. (Those `early`
    # started are under way since before this module was imported: their reads are taken from there.)
    to_read = [(s.path, s.shown) for s in slots if s.unit is None and s.problem is None and s.duplicate_of is None]
    # Many small files: read and parsed here and by a forked child on the other core (ingest/helper.py).
    child, results = _start_child(slots, to_read, schedule, max_uncompressed_mb, early, collect_rejects, cache_dir)
    if child is None:
        left = [f for f in to_read if f not in results]  # (a child that could not start: what was read stays)
        ahead = _Ahead(left) if PARSE_AHEAD else None
        results.update(_read_all(left, schedule, max_uncompressed_mb, early, ahead))
        made = _fresh_units(slots, results)
    else:
        ahead = None
        made = _share_with(child, results, slots, to_read, schedule, max_uncompressed_mb, cache_dir, clock,
                           keep_grids=collect_rejects, early=early)  # fmt: skip
    for slot in slots:
        shown, unit = slot.shown, slot.unit
        if slot.problem is not None:
            unreadable.append(slot.problem)
            continue
        if slot.duplicate_of is not None:
            other = slot.duplicate_of
            file_warnings.append(Issue(shown, None, None, None, None, None, "file-duplicate", (("other", other),)))
            ignored.append((shown, "duplicate-file"))
            continue
        if unit is None:
            outcome = results[(slot.path, shown)]
            if isinstance(outcome, FileProblem):
                unreadable.append(
                    Issue(shown, None, None, None, None, None, outcome.code, tuple(outcome.params.items()))
                )
                continue
            unit = made[(slot.path, shown)]
        if not unit.reports:
            ignored.append((shown, "no-pkp-table"))
            units.append(unit)  # cached as such: an unchanged file without a pkp table is not read again
            continue
        for name in unit.ignored_sheets:
            ignored.append((f"{shown}!{name}", "not-a-pkp-sheet"))
        reports.append(FileReport(shown, unit.reports))
        units.append(unit)
    clock.lap("read")

    kinds = _parse_fresh(units, cache_dir, clock, keep_grids=collect_rejects, ahead=ahead)
    missing_cols: set[str] = set()
    for kind in (KIND_LOKASI, KIND_PROGRES, KIND_TEMUAN):
        for unit in units:
            file_warnings.extend(unit.reader_warnings.get(kind, []))
    for unit in units:
        file_warnings.extend(unit.file_warnings)
        missing_cols |= unit.missing_columns
    for combined in kinds.values():
        if combined.warnings is not None and len(combined.warnings):
            warn_frames.append(combined.warnings.assign(sheet_id=id(combined)))
    clock.lap("merge")

    lok = kinds[KIND_LOKASI]
    text_codes: dict[str, dict[str, tuple[np.ndarray, Any]]] = {}  # for the load's cache entry (see `_frame`)
    lokasi_ref = None
    lokasi_rejected: dict[str, str] = {}
    if not lok.members and lokasi_paths:
        ref_result = load_data(lokasi_paths, schedule, today=today, max_errors=0, lang=lang, cache_dir=cache_dir)
        lokasi_ref, lokasi_rejected = ref_result.lokasi, ref_result.lokasi_rejected
    # Locations first: progress rows are checked against them.
    if lok.members:
        dedupe(lok, ["kode_lokasi"], [c for c in LOKASI if not c.startswith("_")], warn_frames)
        lokasi = _frame(lok, LOKASI, text_codes.setdefault("lokasi", {}))
        lokasi_rejected = rejected_locations(lok)
    else:
        lokasi = lokasi_ref if lokasi_ref is not None else _frame(lok, LOKASI)
    if writer is not None:
        writer.frame("lokasi", lokasi, text_codes.pop("lokasi", None))
    clock.lap("lokasi_checks")
    prog = kinds[KIND_PROGRES]
    if prog.members:
        resolve_progres(prog, lokasi, schedule, today, warn_frames, lokasi_rejected)
        check_dates(prog, "tanggal_mulai", "tanggal_selesai", "tanggal_laporan")
        _fill_undated(prog, today, file_warnings)
    clock.lap("progres_checks")
    give_back_freed()  # see give_back_freed: freed heap left below the checks' columns is not reused after them
    if prog.members:
        dedupe(
            prog,
            ["kode_lokasi", "program", "tahapan", "tanggal_laporan"],
            ["tanggal_mulai", "tanggal_selesai", "progres_persen", "keterangan"],
            warn_frames,
        )
    clock.lap("progres_duplicates")
    give_back_freed()
    tem = kinds[KIND_TEMUAN]
    if tem.members:
        resolve_temuan(tem, schedule, today, lokasi, warn_frames)
        _fill_undated(tem, today, file_warnings)
        dedupe(
            tem,
            ["kode_provinsi", "nomor_temuan", "tanggal_laporan"],
            ["uraian", "nilai", "status", "batas_waktu", "tanggal_selesai"],
            warn_frames,
        )
    clock.lap("temuan")
    combined_sets = list(kinds.values())
    # The errors and warnings as Issues (the cells as written, `_raw_*`, are read for them) before the frames: then
    # the records keep only what the accounting reads (see _accounting_only) while the superseded check runs.
    errors, errors_total = _issues(combined_sets, "errors", max_errors, lang)
    warns, warnings_total = _issues_from_frames(combined_sets, warn_frames, max_errors)
    clock.lap("issues")
    progres = _frame(prog, PROGRES, text_codes.setdefault("progres", {}))
    temuan = _frame(tem, TEMUAN, text_codes.setdefault("temuan", {}))
    if writer is not None:
        writer.frame("progres", progres, text_codes.pop("progres", None))
        writer.frame("temuan", temuan, text_codes.pop("temuan", None))
    clock.lap("frames")
    superseded_keys = _loaded_keys(prog, ["kode_lokasi", "program", "tahapan"])
    if not collect_rejects:  # the rejected rows' file reads every cell of the records
        for combined in combined_sets:
            _accounting_only(combined)
    superseded = superseded_warnings(progres, superseded_keys)
    del superseded_keys
    clock.lap("superseded")

    # Accounting: a record with an error rejects its whole source row (a wide row holds several records).
    for combined in kinds.values():
        if not combined.members:
            continue
        rec = combined.records
        key = rec["_sid"].to_numpy(dtype=np.int64) * (1 << 32) + rec["_src"].to_numpy(dtype=np.int64)
        bad = np.unique(key[has_error(combined)])
        no_dup = np.zeros(len(rec), dtype=bool)
        dup_mask = rec["_dup"].fillna(False).to_numpy(dtype=bool) if "_dup" in rec.columns else no_dup
        dup = np.setdiff1d(np.unique(key[dup_mask]), bad)
        member_bad = np.bincount((bad >> 32).astype(np.int64), minlength=len(combined.members))
        member_dup = np.bincount((dup >> 32).astype(np.int64), minlength=len(combined.members))
        for i, member in enumerate(combined.members):
            n_bad, n_dup = int(member_bad[i]), int(member_dup[i])
            member.report.rows_rejected = n_bad
            member.report.duplicates = n_dup
            member.report.rows_loaded = member.data_rows - n_bad - n_dup

    clock.lap("accounting")
    warns = file_warnings + superseded + warns
    # No `give_back_freed` here: what the checks freed is reused at once by the status engine's arrays (handed back,
    # it was faulted in again: about 30,000 page faults, 0.1 s of system time in a cold national `pkp status`), and
    # the peak stays where it was (bench/analysis.md, perf-nat8).
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
        lokasi_rejected=lokasi_rejected,
        rejected=rejected_rows(combined_sets, lang) if collect_rejects else {},
        timings=clock.timings,
        parsed=[u.shown for u in units if not u.from_cache],
        text_codes={name: codes for name, codes in text_codes.items() if codes},
    )


ReadOutcome = tuple[list[SheetRecords], list[str]] | FileProblem
READ_THREADS = 2  # files read at a time (bench/bench.py sets 1 to profile the reading in one thread)
PARSE_AHEAD = True  # parse the files read while the last one is still being read (`_Ahead`; tests compare both ways)


def _start_child(
    slots: list[_Slot],
    to_read: list[tuple[Path, str]],
    schedule: Schedule,
    max_mb: int,
    early: EarlyReads | None,
    keep_grids: bool,
    cache_dir: Path | None,
) -> tuple[helper.Child | None, dict[tuple[Path, str], ReadOutcome]]:
    """A child reading and parsing files of `to_read` beside this process (ingest/helper.py), if worth it, and
    what was read here before it started. Not when the grids are kept (the rejected rows' file reads them: a
    child's files come back parsed, without them)."""
    sizes = [_size(path) for path, _ in to_read]
    if not helper.worth(sizes) or (early is not None and early.started()) or keep_grids:
        return None, {}
    of = {(s.path, s.shown): s for s in slots}

    def work(queue: helper.Queue) -> tuple[dict[str, Any], Callable[[], None] | None]:
        return read_share(queue, [of[f] for f in to_read], schedule, max_mb, cache_dir, early)

    # The biggest first: the last files taken, when one side may wait for the other, are the quickest. The first
    # is read before the fork: what a first read loads (the readers' modules, compiled patterns) is then loaded
    # once, for both. So are the month and weekday names of title dates, which that first file (the location
    # workbook, as a rule) does not need: without them the child loaded them again (about 30 ms of its share).
    order = sorted(range(len(to_read)), key=lambda i: -sizes[i])
    first = _read_all([to_read[order[0]]], schedule, max_mb, early)
    with suppress(Exception):  # only a head start: whatever fails here fails again where a date needs a name
        warm_names()
    if early is not None:
        early.settle()  # the child takes its reads from the pre-read's answer too (ingest/preread.py)
    return helper.start(order[1:], work), first


def _share_with(
    child: helper.Child,
    results: dict[tuple[Path, str], ReadOutcome],
    slots: list[_Slot],
    to_read: list[tuple[Path, str]],
    schedule: Schedule,
    max_mb: int,
    cache_dir: Path | None,
    clock: _Clock,
    keep_grids: bool,
    early: EarlyReads | None = None,
) -> dict[tuple[Path, str], FileUnit]:
    """The files read and parsed here while `child` reads and parses the others: the units to parse or parsed (by
    file); the child's are set on their slots (`_take_child`). `results` (the file read before the fork) gets what
    is read here."""
    try:
        made = _fresh_units(slots, results)
        # The file read before the fork is parsed while the child starts on the queue: its kind's parse (the
        # location workbook's, with the region checks, as a rule: the biggest file) is then shared out too.
        _parse_fresh(list(made.values()), cache_dir, clock, keep_grids=keep_grids, keep_sets=True)
        more = _read_taken(child.queue, to_read, schedule, max_mb, early)
        results.update(more)
        mine = _fresh_units(slots, more)
        _parse_fresh(list(mine.values()), cache_dir, clock, keep_grids=keep_grids, keep_sets=True)
        made.update(mine)
        helped = _take_child(child, slots)
    except BaseException:  # a stop or an error here: the child's work is not wanted
        child.stop()
        raise
    missing = [f for f in to_read if f not in results and f[1] not in helped]
    if missing:  # what the child took and did not read (it failed, or the file cannot be read: said here)
        more = _read_all(missing, schedule, max_mb, early)  # (a refusal the pre-read saw is not read again)
        results.update(more)
        made.update(_fresh_units(slots, more))  # parsed with the rest (`_parse_fresh` of every unit)
    return made


def _read_taken(
    queue: helper.Queue,
    files: list[tuple[Path, str]],
    schedule: Schedule,
    max_mb: int,
    early: EarlyReads | None = None,
) -> dict[tuple[Path, str], ReadOutcome]:
    """The files this process takes from `queue` (the others are the child's), read one at a time (or taken from
    the pre-read, ingest/preread.py)."""
    results: dict[tuple[Path, str], ReadOutcome] = {}
    while (i := queue.next()) is not None:
        results.update(_read_all([files[i]], schedule, max_mb, early))
    return results


def _fresh_units(slots: list[_Slot], results: dict[tuple[Path, str], ReadOutcome]) -> dict[tuple[Path, str], FileUnit]:
    """The files of `results` that could be read, as units to parse (in discovery order)."""
    out = {}
    for slot in slots:
        outcome = results.get((slot.path, slot.shown))
        if outcome is None or isinstance(outcome, FileProblem):
            continue
        got, ignored_sheets = outcome
        unit = FileUnit(slot.shown, slot.digest, [s.report for s in got], ignored_sheets, key=slot.key, fresh=got)
        out[(slot.path, slot.shown)] = unit
    return out


def _take_child(child: helper.Child, slots: list[_Slot]) -> set[str]:
    """The units the child read, set on their slots as units from the cache are; the shown names of the files it
    read. (Their cache entries are the child's to write: it is waited for when the command is done.)"""
    from pkp_cli.ingest import background

    answers = child.take()
    background.later(child.wait, size=0)
    helped: set[str] = set()
    for slot in slots:
        entry = answers.get(slot.shown) if slot.unit is None else None
        if entry is None:
            continue
        try:
            header, blobs = entry
            unit = unit_of(header, {kind: helper.table_of(b) for kind, b in blobs.items()})
        except NOT_WHOLE:
            continue
        unit.key = slot.key
        unit.from_cache = False  # parsed now, by the child: a file the load says it parsed
        slot.unit = unit
        helped.add(slot.shown)
    return helped


def read_share(
    queue: helper.Queue,
    files: list[_Slot],
    schedule: Schedule,
    max_mb: int,
    cache_dir: Path | None,
    early: EarlyReads | None = None,
) -> tuple[dict[str, Any], Callable[[], None] | None]:
    """What a helper child does (ingest/helper.py): read the files it takes from `queue` and parse them as the
    loader does; its answer is each file as the per-file cache entry it would be (`entry_of`, its tables as Arrow
    IPC bytes), by shown name; then (once the parent has the answer) it writes those entries to the cache. A file
    that cannot be read is left out (the parent reads it and reports it)."""
    from pkp_cli.ingest.units import entry_of

    results = _read_taken(queue, [(s.path, s.shown) for s in files], schedule, max_mb, early)
    units = list(_fresh_units(files, results).values())
    _parse_fresh(units, None, _Clock(), keep_grids=False, keep_sets=True)
    answer: dict[str, Any] = {}
    entries = []
    for u in units:
        header, tables = entry_of(u)
        # As Arrow IPC: a file's table is a slice of its batch's, which pickle would send whole with every slice.
        answer[u.shown] = (header, {kind: helper.table_bytes(t) for kind, t in tables.items()})
        if u.key is not None:
            entries.append((u.key, header, tables))
    if cache_dir is None or not entries:
        return answer, None
    from pkp_cli.ingest import cache

    return answer, functools.partial(cache.save_files, cache_dir, entries)


@dataclass
class _Slot:
    """A file found, in discovery order: from the cache (unit), to read, a duplicate, or not readable."""

    path: Path
    shown: str
    key: str | None
    digest: str
    unit: FileUnit | None
    problem: Issue | None = None
    duplicate_of: str | None = None


def _read_all(
    files: list[tuple[Path, str]],
    schedule: Schedule,
    max_mb: int,
    early: EarlyReads | None = None,
    ahead: _Ahead | None = None,
) -> dict[tuple[Path, str], ReadOutcome]:
    """Each file's sheets (or why it cannot be read), read on up to two threads; a file read early (`early`)
    is taken from there: its FileProblem, or its sheets made from what was read. While a file is still being
    read, the main thread parses ahead (`ahead`) the progress sheets of the files already read."""

    def one(item: tuple[Path, str]) -> ReadOutcome:
        try:
            pre = early.take(item[0], item[1], max_mb) if early is not None else None
            return read_sheets(item[0], item[1], schedule, max_mb, pre)
        except FileProblem as exc:
            return exc

    if len(files) < 2 or READ_THREADS < 2 or usable_cpus() < 2 or not _worth_threads(files):
        return {f: one(f) for f in files}
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=READ_THREADS) as pool:
        futures = {f: pool.submit(one, f) for f in files}
        if ahead is not None:
            from concurrent.futures import FIRST_COMPLETED, wait

            pending = set(futures.values())
            while len(pending) > 1:
                _done, pending = wait(pending, return_when=FIRST_COMPLETED)
            done = {f: fut for f, fut in futures.items() if fut not in pending}
            # One file still being read: parse what the others hold meanwhile (not after a failure: which one is
            # raised, as below, stays the first in discovery order); what the last one holds is parsed beside that
            # parse once it is read (`parse_rest_when_read`).
            if pending and not any(fut.exception() for fut in done.values()):
                outcomes = {f: fut.result() for f, fut in done.items()}
                last = next(f for f, fut in futures.items() if fut in pending)
                ahead.parse_rest_when_read(outcomes, last, futures[last])
                ahead.parse(outcomes)
        if not all(fut.done() for fut in futures.values()):
            run_idle()  # the main thread would only wait for the last read
        return {f: fut.result() for f, fut in futures.items()}


class _Ahead:
    """The parse of each kind's batch, made while the last file is still being read (a 1.66 M-row CSV is read
    before the location workbook beside it, or after it: the main thread would only wait). Each kind's batch is
    made from the files read by then, on the guess that the last file holds no sheet of that kind (a big progress
    file and a location workbook: the common pair); `_parse_fresh` uses it only when the batch's members turn out
    to be exactly those (the same objects, in the same order), else it parses the batch as always. Parsing reads
    the members and builds a new frame: a guess thrown away has changed nothing. The location rows' checks
    against the region reference come with their parse (`_parse_batch`); what needs every file (progress against
    locations, duplicates across files) comes after, as always."""

    def __init__(self, files: list[tuple[Path, str]]) -> None:
        self.order = {f: i for i, f in enumerate(files)}
        self.batches: dict[str, tuple[list[int], SheetRecords, list[Issue]]] = {}
        self._rest: threading.Thread | None = None
        self._rest_batches: dict[str, tuple[list[int], SheetRecords, list[Issue]]] = {}
        # Held by the location rows' region checks in the parse of the last file's kinds (`parse_rest_when_read`)
        # and by `_warm_reference`: the region reference, which those checks read too when the locations need it
        # whole, is read once, not by both threads at the same time. (Only the checks: the parse before them runs
        # beside a `_warm_reference` under way, which held the whole parse back by up to 0.14 s.)
        self._reference_lock = threading.Lock()

    def parse(self, outcomes: dict[tuple[Path, str], ReadOutcome]) -> None:
        for kind, members in self._kinds(outcomes).items():
            batch, warnings = _parse_batch(members, kind)
            self.batches[kind] = ([id(m) for m in members], batch, warnings)
        progres = self.batches.get(KIND_PROGRES)
        if progres is not None and KIND_LOKASI not in self.batches:
            with self._reference_lock:
                _warm_reference(progres[1])

    def _kinds(self, outcomes: dict[tuple[Path, str], ReadOutcome]) -> dict[str, list[SheetRecords]]:
        """Each kind's members among `outcomes`, in discovery order, for the kinds that can be parsed ahead."""
        ready = sorted((self.order[f], got) for f, got in outcomes.items() if not isinstance(got, FileProblem))
        out = {}
        for kind in (KIND_LOKASI, KIND_PROGRES, KIND_TEMUAN):
            members = [s for _, (got, _ignored) in ready for s in got if s.layout.kind == kind]
            # `combine` sets `_sid`/`_rdate` on the members themselves when one already holds them: not then.
            if not members or any(c in m.records.columns for m in members for c in ("_sid", "_rdate")):
                continue
            out[kind] = members
        return out

    def parse_rest_when_read(
        self, done: dict[tuple[Path, str], ReadOutcome], last: tuple[Path, str], future: Future[ReadOutcome]
    ) -> None:
        """Once the last file is read, the batches of the kinds only it holds (the location workbook beside a big
        progress CSV, as a rule), parsed on a thread of their own while the main thread still parses the others
        (`parse`), which mostly waits for the factorisations of its columns (no GIL held): the location rows'
        parse and region checks, about 0.16 s of Python on the bench, were made after that parse. A kind that
        the other files hold too is left to the main thread (no member is read by both threads). Whatever goes
        wrong there is dropped: the main thread parses that batch itself, as without this, and so raises what
        it raises."""

        def parse_rest() -> None:
            try:
                outcome = future.result()
                if isinstance(outcome, FileProblem):
                    return
                in_last = {id(s) for s in outcome[0]}
                for kind, members in self._kinds({**done, last: outcome}).items():
                    if all(id(m) in in_last for m in members):
                        batch, warnings = _parse_batch(members, kind, self._reference_lock)
                        self._rest_batches[kind] = ([id(m) for m in members], batch, warnings)
            except Exception:  # the main thread parses the batch again, and meets it there
                self._rest_batches.clear()

        def start(_: Future[ReadOutcome]) -> None:
            rest = threading.Thread(target=parse_rest, name="pkp-parse-rest", daemon=True)
            try:
                rest.start()
            except RuntimeError:  # no thread to be had: the main thread parses it, as without this
                return
            self._rest = rest

        future.add_done_callback(start)

    def parsed_here(self, kind: str) -> bool:
        """Whether this kind's batch was parsed ahead on the main thread (`parse`): taken without waiting for the rest
        thread."""
        return kind in self.batches

    def take(
        self, kind: str, members: list[SheetRecords], wait: bool = True
    ) -> tuple[SheetRecords, list[Issue]] | None:
        """The batch parsed ahead for exactly these members, else None. Without `wait`, only a batch the main thread
        parsed (the rest thread's are taken once it is done)."""
        if wait and self._rest is not None:
            if self._rest.is_alive():
                run_idle()  # the main thread would only wait for the rest thread's parse
            self._rest.join()
            self._rest = None
            self.batches.update(self._rest_batches)
            self._rest_batches = {}
        got = self.batches.pop(kind, None)
        if got is None or got[0] != [id(m) for m in members]:
            return None
        return got[1], got[2]


def _warm_reference(batch: SheetRecords) -> None:
    """Read the whole region reference now (0.1 s: 84,000 desa names unpacked and parsed), while the last file is
    still being read, when the progress rows already read name desa in more kecamatan than `reference_for` looks
    up one by one: the location sheets of those locations (the file still being read, as a rule) make the
    location checks read it all anyway, after every read. (`reference_for` gives the whole reference once it is
    read: the names it gives for any code are the same.)"""
    import pyarrow.compute as pc

    from pkp_cli.model.regions import PARTIAL_KECAMATAN, arrays_of, reference

    kept = batch.factorizations.get("kode_lokasi")
    if kept is None:
        return
    codes = kept[2]  # the distinct codes (83,000 at most), as pandas' Arrow-backed text
    arrow = getattr(codes.array, "_pa_array", None)
    if arrow is None:
        return
    desa = pc.filter(arrow, pc.fill_null(pc.match_substring_regex(arrow, r"^[0-9]{2}\.[0-9]{2}\.[0-9]{2}\..+"), False))
    if len(pc.unique(pc.utf8_slice_codeunits(desa, 0, 9))) > PARTIAL_KECAMATAN:
        arrays_of(reference())  # and its Arrow arrays, which the location checks look their codes up in


def _parse_batch(
    members: list[SheetRecords], kind: str, reference_lock: threading.Lock | None = None
) -> tuple[SheetRecords, list[Issue]]:
    """A kind's sheets as one batch, parsed; the readers' findings on rows that hold no record (warnings).
    `reference_lock`: held while the location rows' region checks run (`_Ahead`)."""
    factorizing = factorizing_ahead(members, kind)
    batch = combine(members)
    parsed = parse_records(batch.records, kind, batch.factorizations, factorizing, batch.dictionaries)
    batch.errors = concat_errors([batch.errors, *parsed])
    # The readers' own findings (a date serial calamine could not turn into a date, a quote never closed):
    # errors at their records; warnings for rows that hold no record.
    warnings = apply_reader_problems(batch)
    if kind == KIND_LOKASI:
        # The checks of a location row that need nothing but the row and the region reference (the rest of them,
        # which read the files' own findings, and normalise: `_check_lokasi_rows`).
        found: list[pd.DataFrame] = []
        with reference_lock or nullcontext():
            check_lokasi_regions(batch, found)
        batch.warnings = pd.concat([w.drop(columns="sheet_id") for w in found], ignore_index=True) if found else None
    else:
        batch.records = normalise(batch.records, kind, batch.members)
    return batch, warnings


def _worth_threads(files: list[tuple[Path, str]]) -> bool:
    """Whether some file is big enough that reading beside it gains (see THREADS_MIN_FILE_BYTES, ingest/early.py)."""
    return any(_size(path) >= THREADS_MIN_FILE_BYTES for path, _ in files)


def _parse_fresh(
    units: list[FileUnit],
    cache_dir: Path | None,
    clock: _Clock,
    keep_grids: bool = True,
    ahead: _Ahead | None = None,
    keep_sets: bool = False,
) -> dict[str, SheetRecords]:
    """Parse and row-check the files read from their bytes, in one batch per kind; cut the batches into one set
    per file and keep them in the cache; then each kind's sets of all files as one, in discovery order.

    Without `keep_grids` (only the rejected-rows file reads the grids after parsing) each sheet's grid is let go
    once parsed: the records hold what the checks need, and the cells they do not (a date column's text, once
    parsed and kept compact) are freed for the rest of the load.

    The kinds this thread parsed ahead come first: the cache entries of the files they complete (the big progress
    CSV's) are made and written while the location batch is still being parsed on the rest thread, which this
    thread would only wait for (`_Ahead.take`)."""
    fresh = [u for u in units if u.fresh is not None]
    unit_of_file = {u.shown: u for u in fresh}
    members_of = {
        kind: [s for u in fresh for s in u.fresh or [] if s.layout.kind == kind]
        for kind in (KIND_LOKASI, KIND_PROGRES, KIND_TEMUAN)
    }
    here = [k for k in members_of if members_of[k] and ahead is not None and ahead.parsed_here(k)]
    batches: dict[str, SheetRecords] = {}
    # Every unit parsed here now (no file from the cache, none parsed before): the batch is the merged set.
    whole = all(u.fresh is not None for u in units)
    keeping = cache_dir is not None or not whole or keep_sets
    written: set[int] = set()
    for kind in [*here, *(k for k in members_of if k not in here)]:
        members = members_of[kind]
        if not members:
            continue
        parsed = ahead.take(kind, members, wait=kind not in here) if ahead is not None else None
        batch, warnings = parsed if parsed is not None else _parse_batch(members, kind)
        for issue in warnings:  # kept with each file
            unit_of_file[issue.file].reader_warnings.setdefault(kind, []).append(issue)
        if kind == KIND_LOKASI:
            _check_lokasi_rows(batch, fresh)
            batch.records = normalise(batch.records, kind, batch.members)
        batches[kind] = batch
        if keeping:
            _keep_sets(units, kind, batch)
        if not keep_grids:
            for member in batch.members:
                member.sheet.grid = _NO_GRID
                member.records = _NO_GRID  # its records as read, before `combine` made the batch of them
        if cache_dir is not None and here and kind == here[-1]:
            _write_entries(cache_dir, fresh, batches, written)  # the files complete so far
    clock.lap("parse")
    give_back_freed()  # the reading's and parsing's temporaries, before the checks and the cache write allocate
    if cache_dir is not None:
        _write_entries(cache_dir, fresh, batches, written)
        clock.lap("cache_write")
    for kind, batch in batches.items():
        # The files' entries took the codes they hold. The load's own entry takes those of the text its frames hold
        # (`_frame`), when this batch is the load's set (`whole`); without the cache none are wanted.
        batch.dictionaries = _held_by(batch, FRAME_COLUMNS[kind]) if cache_dir is not None and whole else []
    for u in fresh:
        u.fresh = None  # the grids are no longer needed
    out: dict[str, SheetRecords] = {}
    for kind in (KIND_LOKASI, KIND_PROGRES, KIND_TEMUAN):
        if whole:
            # Every file was read now, in discovery order: the batch is the merged set.
            out[kind] = batches.get(kind) or merge([], kind)
        else:
            out[kind] = merge([u.sets[kind] for u in units if kind in u.sets], kind)
    if whole and not keep_sets:
        for u in fresh:
            u.sets = {}
    return out


def _held_by(batch: SheetRecords, columns: list[str]) -> list[tuple[Any, np.ndarray, Any]]:
    """The factorisations of `batch` whose text one of `columns` holds (the cells as written alone are not kept)."""
    held = {id(a) for c in columns if c in batch.records.columns if (a := _arrow_of(batch.records[c])) is not None}
    return [d for d in batch.dictionaries if id(d[0]) in held]


def _arrow_of(column: pd.Series) -> Any | None:
    return getattr(column.array, "_pa_array", None)


def _keep_sets(units: list[FileUnit], kind: str, batch: SheetRecords) -> None:
    """A kind's parsed batch cut into each file's set (`FileUnit.sets`), for the cache and the merge."""
    from pkp_cli.ingest.units import split, to_arrow

    owner = {id(s): i for i, u in enumerate(units) for s in u.fresh or []}
    units_of = [owner[id(m)] for m in batch.members]
    # One file's batch is written whole: its text columns as dictionaries of the parse's factorisations
    # (a part of a batch of several files would carry the whole batch's dictionary into its entry).
    one_file = len(set(units_of)) == 1
    parts = split(batch, units_of, to_arrow(batch.records, batch.dictionaries if one_file else None))
    for i, part in parts.items():
        units[i].sets[kind] = part


def _write_entries(cache_dir: Path, fresh: list[FileUnit], batches: dict[str, SheetRecords], written: set[int]) -> None:
    """Write the cache entries of the fresh files whose every kind is parsed (`batches`), once each. Arrow tables
    (immutable) only: the writing may run beside the rest of the command (ingest/background.py)."""
    from pkp_cli.ingest import background, cache
    from pkp_cli.ingest.units import entry_of

    done = [
        u
        for u in fresh
        if id(u) not in written and u.key is not None and all(s.layout.kind in batches for s in u.fresh or [])
    ]
    written.update(id(u) for u in done)
    if done:
        entries = [(u.key, *entry_of(u)) for u in done]
        size = cache.tables_bytes(table for _, _, tables in entries for table in tables.values())
        background.later(cache.save_files, cache_dir, entries, size=size)


_NO_GRID = pd.DataFrame()  # a parsed sheet's grid and records once let go (never mutated)


def _check_lokasi_rows(batch: SheetRecords, fresh: list[FileUnit]) -> None:
    """The location sheets' columns: a missing one is named (a warning per sheet); an empty cell of a present
    yes/no column is Tidak. (After the regions' checks, `_parse_batch`.)"""
    sid = batch.records["_sid"].to_numpy()
    unit_of_member = {id(s): u for u in fresh for s in u.fresh or []}
    for i, member in enumerate(batch.members):
        unit = unit_of_member[id(member)]
        for c in ("lokasi_berulang", "kinerja", "dokumen_perencanaan"):
            if c not in member.layout.columns:
                unit.missing_columns.add(c)
                where = (member.file, member.sheet.name, None, None, None, None)
                unit.file_warnings.append(Issue(*where, "column-missing", (("column", c),)))
            elif c != "kinerja":
                # An empty cell in a present column means Tidak; a missing column stays unknown.
                here = sid == i
                batch.records.loc[here, c] = batch.records.loc[here, c].fillna(False)


def _fill_undated(sr: SheetRecords, today: date, warnings: list[Issue]) -> None:
    """Undated rows take the newest dated report date (today if none) and are named in a warning per sheet."""
    rec = sr.records
    undated = rec["laporan_tanpa_tanggal"].to_numpy(dtype=bool)
    if not undated.any():
        return
    usable = ~undated & ~has_error(sr)
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
                (("count", count), ("date", fmt_day(fallback))),
            )
        )


_ACCOUNTED = ("_sid", "_src", "_dup")  # what the accounting reads of the records once the frames exist


def _accounting_only(sr: SheetRecords) -> None:
    """Let the records go but for the columns the accounting reads, once the frames are made (they share the
    data columns) and the issues read the cells as written. On the national data the records' other columns (the
    cells as written, names, keys, row numbers: about 150 MB) would otherwise stay through the superseded check,
    where the load peaked."""
    if len(sr.records.columns):
        sr.records = sr.records[[c for c in _ACCOUNTED if c in sr.records.columns]]


def _loaded(sr: SheetRecords) -> np.ndarray:
    """The records that load: no error, not a duplicate copy."""
    ok = ~has_error(sr)
    if "_dup" in sr.records.columns:
        ok &= ~sr.records["_dup"].fillna(False).to_numpy(dtype=bool)
    return ok


def _loaded_keys(sr: SheetRecords, key: list[str]) -> list[np.ndarray] | None:
    """The integer keys (checks.KEY_PREFIX) of the loaded rows' `key` columns, when the checks made them all."""
    if not sr.members or any(KEY_PREFIX + c not in sr.records.columns for c in key):
        return None
    ok = _loaded(sr)
    return [sr.records[KEY_PREFIX + c].to_numpy()[ok] for c in key]


def _frame(sr: SheetRecords, columns: list[str], text_codes: dict[str, tuple[np.ndarray, Any]] | None = None
           ) -> pd.DataFrame:  # fmt: skip
    """The loaded rows: no error, not a duplicate copy; exactly `columns`.

    With `text_codes`, each of `columns` that still holds the very text the parse factorised (the Arrow array of
    one of `sr.dictionaries`: no check since has replaced it) gets that factorisation of its loaded rows there, for
    the load's cache entry (`LoadResult.text_codes`): the national CSV's codes, programs, stages and notes are 110 MB
    of text to compress again, 27 MB as codes. The factorisations are let go either way."""
    if not sr.members:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    ok = _loaded(sr)
    every = bool(ok.all())
    if text_codes is not None and sr.dictionaries:
        by_array = {id(arrow): (codes, uniques) for arrow, codes, uniques in sr.dictionaries}
        for c in columns:
            made = by_array.get(id(_arrow_of(sr.records[c]))) if c in sr.records.columns else None
            if made is not None:
                text_codes[c] = (made[0] if every else made[0][ok], made[1])
    sr.dictionaries = []
    # When every record loads (clean data), the columns as they are: pandas shares them (copy on write) instead of
    # a filtered copy of every column, which on 1.66 M rows held about 180 MB more at the load's peak.
    picked = sr.records if every else sr.records.loc[ok]
    out = picked.reindex(columns=columns).reset_index(drop=True)
    for c in columns:
        if c.startswith(("tanggal", "batas")):
            out[c] = pd.to_datetime(out[c]).astype("datetime64[ns]")
    return out


def _issues(sheets: list[SheetRecords], what: str, limit: int, lang: str) -> tuple[list[Issue], int]:
    """The first `limit` errors as Issues (all are counted)."""
    total = sum(len(sr.errors) for sr in sheets)
    out: list[Issue] = []
    for sr in sheets:
        if len(out) >= limit:
            break
        out.extend(_issues_of(sr, sr.errors.sort_values(["rec"], kind="stable").head(limit - len(out))))
    out.sort(key=lambda i: (i.file, i.sheet or "", i.row or 0, i.cell or ""))
    return out, total


def _issues_from_frames(sheets: list[SheetRecords], frames: list[pd.DataFrame], limit: int) -> tuple[list[Issue], int]:
    by_id = {id(sr): sr for sr in sheets}
    total = sum(len(f) for f in frames)
    out: list[Issue] = []
    for f in frames:
        if len(out) >= limit:
            break
        part = f.head(limit - len(out))
        for sid in dict.fromkeys(part["sheet_id"].tolist()):
            out.extend(_issues_of(by_id[sid], part[part["sheet_id"] == sid]))
    return out, total


def _issues_of(sr: SheetRecords, table: pd.DataFrame) -> list[Issue]:
    """Issues for the rows of `table` (rec, column, code, params), the records they name taken in one go: a
    load of 1.66 M rows with thousands of warnings reads thousands of rows, not the whole frame row by row."""
    if not len(table):
        return []
    recs = table["rec"].to_numpy(dtype=np.int64)
    needed = ["_grp", "_sid", "_row", "kode_provinsi", "_raw_kode_lokasi"]
    needed += [f"_raw_{c}" for c in dict.fromkeys(table["column"])]
    cols = {c: _cells_at(sr.records[c], recs) for c in dict.fromkeys(needed) if c in sr.records.columns}
    out = []
    for k, (column, code, params) in enumerate(
        zip(table["column"].tolist(), table["code"].tolist(), table["params"].tolist(), strict=True)
    ):
        grp = int(cols["_grp"][k]) if "_grp" in cols and sr.group_cols else 0
        col_idx = sr.group_cols[grp].get(column) if sr.group_cols else None
        if col_idx is None:
            col_idx = unread_column_index(column)  # a row-level reader problem in a column pkp does not read
        header = sr.group_headers[grp].get(column) if sr.group_headers else None
        raw = cols[f"_raw_{column}"][k] if f"_raw_{column}" in cols else None
        member = sr.members[int(cols["_sid"][k])] if sr.members and "_sid" in cols else sr
        row = int(cols["_row"][k])
        if col_idx is None or pd.isna(col_idx) or int(col_idx) < 0:
            cell = None
            if column == "tanggal_laporan" and member.report_date_cell:
                cell = f"{col_letter(member.report_date_cell[1])}{member.report_date_cell[0]}"
        else:
            cell = f"{col_letter(int(col_idx))}{row}"
        value = None if raw is None or (isinstance(raw, float) and pd.isna(raw)) else str(raw)
        p = tuple(params.items()) if isinstance(params, dict) else ()
        out.append(
            Issue(
                member.file,
                member.sheet.name,
                row,
                cell,
                None if header is None or (isinstance(header, float) and pd.isna(header)) else str(header),
                value,
                code,
                p,
                _province_of({c: cols[c][k] for c in ("kode_provinsi", "_raw_kode_lokasi") if c in cols}),
            )
        )
    return out


def _cells_at(values: pd.Series, rows: np.ndarray) -> np.ndarray:
    """`values.iloc[rows].to_numpy(dtype=object)`, Arrow text taken chunk by chunk: pyarrow's take from a chunked
    array joins its chunks first (a CSV's column of 1.66 M codes in 85 chunks: 34 MB of fresh memory, about 25 ms,
    to read the 3,080 rows of its warnings)."""
    arr = getattr(values.array, "_pa_array", None)
    if arr is None or arr.num_chunks < 2 or not len(rows):
        return values.iloc[rows].to_numpy(dtype=object)
    import pyarrow as pa

    bounds = np.cumsum([0, *(len(c) for c in arr.chunks)])
    rows = np.asarray(rows, dtype=np.int64)
    rows = np.where(rows < 0, rows + bounds[-1], rows)  # as iloc reads a negative position
    if len(rows) and (rows.min() < 0 or rows.max() >= bounds[-1]):
        return values.iloc[rows].to_numpy(dtype=object)  # (iloc's own IndexError)
    order = np.argsort(rows, kind="stable")
    ordered = rows[order]
    which = np.searchsorted(bounds, ordered, side="right") - 1
    cuts = np.flatnonzero(np.diff(which)) + 1
    pieces = [
        arr.chunk(int(which[lo])).take(pa.array(ordered[lo:hi] - bounds[which[lo]]))
        for lo, hi in zip([0, *cuts], [*cuts, len(ordered)], strict=True)
    ]
    back = np.empty(len(order), dtype=np.int64)
    back[order] = np.arange(len(order))
    taken = pa.chunked_array(pieces, type=arr.type).take(pa.array(back))
    return values.array._from_pyarrow_array(taken).to_numpy(dtype=object)


def _province_of(r: Any) -> str | None:
    """The province of a record: resolved, else the first two digits of the code as written."""
    prov = r.get("kode_provinsi")
    if isinstance(prov, str) and prov:
        return prov
    raw = r.get("_raw_kode_lokasi")
    if isinstance(raw, str) and re.match(r"\s*\d{2}", raw):
        return raw.strip()[:2]
    return None
