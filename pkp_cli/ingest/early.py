"""Reading started early: the part of each file's read that needs no pandas, on threads, while the command imports
pandas and the loader.

A cold `pkp validate` or `pkp status` otherwise imports pandas (about half a second of the main thread) and only
then starts reading, although the reads' heavy parts (the file's bytes, zlib's inflation in the zip guard,
calamine's read of a sheet into Arrow, pyarrow's parse of a CSV into Arrow) need no pandas and release the GIL.
`start` is called by `load_data` once it knows the load is not in the load cache, before it imports the loader
(ingest/load.py, which imports pandas): it finds the files (the discovery the loader then uses, so both see the
same list) and starts `read.read_stage` of each file the loader will read; the loader's `_read_all` takes each
file's result (`take`) and makes the sheets from it as it would have made them itself. A refusal (FileProblem)
is handed over as the result, so every file's outcome, and the order the loader reports them in (discovery
order), are those of a direct read: the same function runs, only earlier and on another thread.

Only files that certainly will be read are started: not a file whose per-file cache entry exists (the cache may
hold it: the loader decides), not a file that shares its size with another (it may be a copy, which the loader
reads once, after hashing). The biggest workbook among them, when big (THREADS_MIN_FILE_BYTES), is read by a forked
child where one may be forked (ingest/forked.py: no GIL shared with the import); reading threads start only when
a CSV among the rest is big enough for them to pay (CSV_SUFFIXES): a folder of small workbooks is read as before.

A folder of small workbooks may be under way since before the schedule was opened (ingest/preread.py, started
by the CLI): `start` claims that read, with the discovery it was started from, and nothing else starts early.

No pandas here, nor in what the threads import (read.py, workbook.py, zipguard.py import it where grids are made).
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pkp_cli.ingest.discover import Discovery
    from pkp_cli.ingest.forked import ForkedRead
    from pkp_cli.ingest.preread import PreRead
    from pkp_cli.ingest.read import RawSheet
    from pkp_cli.model.schedule import Schedule

READ_THREADS = 2  # files read at a time (bench/bench.py sets 1 to profile the reading in one thread: no early read)
# A second reading thread pays only while the other waits on a big file in calamine or pyarrow (which release the
# GIL). Small workbooks are mostly per-sheet Python and pandas work under the GIL: on the bundled sample (67 files
# of 5-20 kB) one thread was as fast or faster (cold `pkp status`: 1.78-1.79 s wall against 1.90-1.96 s).
THREADS_MIN_FILE_BYTES = 2_000_000
# Early reads start only when a big CSV is among the files. pyarrow's parse holds no GIL, so the import goes on
# beside it (cold CSV validate: -0.73 s wall, -0.20 s CPU, median of 6 pairs). A big workbook's read starts with
# the sheet scan, regular expressions that hold the GIL for milliseconds at a time, against the import's own work:
# on the bench's XLSX validate early reads on a thread cost +0.44 s wall and +0.20 s CPU (median of 5 pairs). In a
# forked child (its own GIL) the biggest workbook's read gains instead: XLSX validate 0.92x, CSV validate (the location
# workbook beside the CSV) 0.95x, first runs, 7 pairs each (bench/analysis.md, round twenty-seven).
CSV_SUFFIXES = (".csv", ".txt")
# The GIL's switch interval while the early reads run beside the imports (seconds; Python's default is 0.005).
# An import reads hundreds of small files, and each read lets the GIL go: with the default interval the main thread
# then waits up to 5 ms each time for a reading thread that holds the GIL (the sheet scan's regular expressions,
# numpy's scans of a CSV), and `import pandas` took 1.6-2.7 s instead of 0.4-0.5 beside the bench's reads; at 1 ms
# it took 0.4-0.8 s (bench/analysis.md, branch early-read). Back to what it was once the loader is imported.
SWITCH_INTERVAL = 0.001

Finish = Callable[[], "list[RawSheet]"]


def file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return -1  # not to be skipped: hashing it says what is wrong


def stage_key(schedule: Schedule | None) -> list[list[str]]:
    """What in the schedule decides how a sheet reads (its stage codes and names find wide-form stage columns):
    part of the per-file cache key, so that a schedule change in dates only does not read every file again."""
    if schedule is None:
        return []
    return sorted([st.kode, st.nama] for _, st in schedule.stages())


def reading_parts(schedule: Schedule | None, max_mb: int) -> dict[str, Any]:
    """What decides how a file reads, besides the file itself (the per-file cache key)."""
    return {"format": 3, "stages": stage_key(schedule), "max_mb": max_mb}


class EarlyReads:
    """The discovery, and the early reads started for some of its files (keyed by (path, shown))."""

    def __init__(
        self,
        found: Discovery,
        files: list[tuple[Path, str]],
        max_mb: int,
        forked: dict[tuple[Path, str], ForkedRead] | None = None,
        pre: PreRead | None = None,
        ids: dict[tuple[Path, str], str | None] | None = None,
    ) -> None:
        from pkp_cli.ingest.cache import identity_of
        from pkp_cli.ingest.read import read_stage

        self.found: Discovery | None = found
        self.max_mb = max_mb
        self._forked = forked or {}
        self.pre = pre  # the small workbooks' reads begun before the schedule was opened (ingest/preread.py)
        # Each early read's file as it was before the read began (cache.identity): a file changed since is read
        # again by the loader (its cache entries are keyed by what it is when the loader looks, after this read).
        self._ids = dict(ids or {})
        self._futures: dict[tuple[Path, str], Future[Finish]] = {}
        self._pool: ThreadPoolExecutor | None = None
        self._interval: float | None = None
        if files:
            self._interval = sys.getswitchinterval()
            sys.setswitchinterval(min(SWITCH_INTERVAL, self._interval))
            self._pool = ThreadPoolExecutor(max_workers=min(READ_THREADS, len(files)), thread_name_prefix="pkp-read")
            for path, shown in files:  # in discovery order: the loader wants them in that order
                self._ids[(path, shown)] = identity_of(path)
                self._futures[(path, shown)] = self._pool.submit(read_stage, path, max_mb)

    def discovery(self) -> Discovery | None:
        """The files found (once: the loader owns it from then on). Called once the loader is imported: the
        switch interval goes back to what it was."""
        self._restore()
        found, self.found = self.found, None
        return found

    def _restore(self) -> None:
        if self._interval is not None:
            sys.setswitchinterval(self._interval)
            self._interval = None

    def started(self) -> list[tuple[Path, str]]:
        """The files read on threads or by a child of their own (not the pre-read's: see `settle`)."""
        return [*self._futures, *self._forked]

    def settle(self) -> None:
        """Wait for the pre-read's answer: a process forked after this takes its reads from it too."""
        if self.pre is not None:
            self.pre.settle()

    def take(self, path: Path, shown: str, max_mb: int) -> Finish | None:
        """The file's early read: what makes its sheets, or its FileProblem raised (None: not started early)."""
        forked = self._forked.pop((path, shown), None)
        if forked is not None:
            if max_mb != self.max_mb:
                forked.stop()
                return None
            return self._unchanged(path, shown, forked.take)
        if self.pre is not None and max_mb == self.max_mb:
            got = self.pre.take(path, shown)
            if got is not None:
                return got
        future = self._futures.pop((path, shown), None)
        if future is None or max_mb != self.max_mb:
            return None
        return self._unchanged(path, shown, future.result)

    def _unchanged(self, path: Path, shown: str, result: Callable[[], Finish | None]) -> Finish | None:
        """The read's `result` (its FileProblem raised), or None when the file changed since it began."""
        from pkp_cli.ingest.cache import identity_of
        from pkp_cli.ingest.read import FileProblem

        try:
            got = result()
        except FileProblem:
            if identity_of(path) != self._ids.get((path, shown)):
                return None
            raise
        return got if identity_of(path) == self._ids.get((path, shown)) else None

    def close(self) -> None:
        """Drop what was not taken; wait for reads under way (as the loader's reading threads are waited for:
        calamine cannot be stopped, and it has file descriptor 2 pointed aside while it runs)."""
        self._restore()
        if self.pre is not None:
            self.pre.stop()
        for forked in self._forked.values():
            forked.stop()
        self._forked.clear()
        for future in self._futures.values():
            future.cancel()
        self._futures.clear()
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None


def start(
    paths: list[Path],
    schedule: Schedule,
    *,
    display_root: Path | None,
    max_mb: int,
    cache_dir: Path | None,
) -> EarlyReads:
    """Find the files and start the early reads of those the loader will certainly read (see the module)."""
    from pkp_cli.ingest import preread
    from pkp_cli.ingest.arrow_pool import use_load_pool
    from pkp_cli.ingest.cores import usable_cpus
    from pkp_cli.ingest.discover import scan

    use_load_pool()  # before the readers allocate (ingest/arrow_pool.py says why)
    pre = preread.claim(paths, display_root, max_mb)
    if pre is not None and pre.found is not None:
        found, pre.found = pre.found, None  # (the files it reads are those found then)
        return EarlyReads(found, [], max_mb, pre=pre)  # (its files are all small: nothing else starts early)
    found = scan(paths, display_root)
    if READ_THREADS < 2 or usable_cpus() < 2:
        return EarlyReads(found, [], max_mb)
    sizes = {path: file_size(path) for path, _ in found.files}
    count = Counter(sizes[path] for path, _ in found.files)  # as the loader counts them (a path given twice: 2)
    chosen = [(path, shown) for path, shown in found.files if sizes[path] >= 0 and count[sizes[path]] == 1]
    if cache_dir is not None and chosen:
        from pkp_cli.ingest import cache

        reading = reading_parts(schedule, max_mb)
        kept = []
        for path, shown in chosen:
            try:
                key = cache.file_key(path, shown, reading)
            except OSError:
                continue
            if not cache.has_file(cache_dir, key):
                kept.append((path, shown))
        chosen = kept
    # The biggest workbook, when big, is read by a forked child (ingest/forked.py) from now on.
    from pkp_cli.ingest import forked
    from pkp_cli.ingest.cache import identity_of

    books = [f for f in chosen if f[0].suffix.lower() in forked.WORKBOOK_SUFFIXES]
    biggest = max(books, key=lambda f: sizes[f[0]], default=None)
    children = {}
    ids = {}
    if biggest is not None and sizes[biggest[0]] >= THREADS_MIN_FILE_BYTES:
        ids[biggest] = identity_of(biggest[0])  # (before the child reads it)
        child = forked.start(biggest[0], sizes[biggest[0]], max_mb)
        if child is not None:
            children[biggest] = child
            chosen = [f for f in chosen if f != biggest]
    if not any(sizes[path] >= THREADS_MIN_FILE_BYTES and path.suffix.lower() in CSV_SUFFIXES for path, _ in chosen):
        chosen = []
    return EarlyReads(found, chosen, max_mb, children, ids=ids)
