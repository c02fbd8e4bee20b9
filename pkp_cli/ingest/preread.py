"""A folder of small workbooks read by a forked child while the command opens the schedule and imports pandas.

A cold `pkp status` on a folder of small workbooks (the bundled sample: 67 of 5-20 kB) spends its first 0.2-0.4 s
in `import pandas` (the schedule's opening needs it: the dates in the files' names) on one core while the other
idles; the reads' part that needs no pandas (the zip guard, the sheet scan, calamine's read into Arrow: 0.12-0.18 s
of CPU on the sample) only started after it, shared by the process and its helper child (helper.py). `start`,
called by the CLI before the schedule is opened, forks a child that does that part for every workbook of the
folder, exactly as the loader's read does it (`forked.write_sheets`), writing each sheet's Arrow batch into one
memfd. The loader claims it (`claim`, from early.py, for the same paths and settings) and takes each file's read
from it (`PreRead.take`: the grids made from the batches, or the file's FileProblem); the first take waits for the
child's answer, before the loader forks its helper child, which inherits the mapping and takes its files' reads
from it too.

Only where it pays: where `helper.may_fork` allows, for MIN_FILES to MAX_FILES workbooks all under
`early.THREADS_MIN_FILE_BYTES` (a big one is early.py's) and MAX_TOTAL_BYTES together, and a load that is likely
cold (`likely_cold`: no load entry in the cache newer than the newest file: a warm run loads from its entry and
reads nothing); what the child holds is bounded (MAX_HELD_BYTES). A child that
fails, answers garbage or does not answer in time only costs time: the loader reads those files itself; so does a
file changed since the child looked at it (its identity, as the cache keys it, taken before the fork). One
pending at a time; a pending read the load does not claim is stopped (`discard`, `claim` of other paths).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pkp_cli.ingest import forked, helper
from pkp_cli.ingest.cache import ENTRY_PREFIX, identity, identity_of

if TYPE_CHECKING:
    from collections.abc import Callable

    from pkp_cli.ingest.discover import Discovery
    from pkp_cli.ingest.read import RawSheet

MIN_FILES = helper.MIN_FILES  # fewer: read before the child would be ready
MAX_FILES = 400  # more: the first take would wait for all of them (a year of weekly folders goes to the helper)
MAX_TOTAL_BYTES = 32_000_000  # the workbooks' own sizes together: a folder of small ones (the sample: 0.7 MB)
# The memfd holds every sheet read until the loader takes it; a folder of workbooks that inflate a lot (each within
# the zip guard's limit) would hold them all at once: past this the child reads no further (the loader reads the
# rest itself, one at a time).
MAX_HELD_BYTES = 512_000_000
WORKBOOK_SUFFIXES = forked.WORKBOOK_SUFFIXES
# The wait for the child's answer (from the first take): far above the reads' time (about 2 ms a small workbook on
# the bench's machine), a bound for a child that hangs.
WAIT_S = 10.0
WAIT_S_PER_FILE = 0.05


class PreRead:
    """The child reading `files` (`start`); `take` gives each file's read once it has answered."""

    def __init__(self, key: tuple[Any, ...], found: Discovery, files: list[tuple[Path, str]], ids: list[str],
                 child: helper.Child, fd: int) -> None:  # fmt: skip
        self.key = key
        self.found: Discovery | None = found
        self.files = {f: i for i, f in enumerate(files)}
        self.ids = ids  # each file's identity (cache.identity) from before the child read it
        self.child: helper.Child | None = child
        self.fd = fd
        self.answers: dict[int, Any] = {}
        self.mapped: Any = None
        self.size = 0
        self.served = 0  # reads taken from the child (tests and traces read it)

    def settle(self) -> None:
        """Wait for the child's answer (bounded) and map what it wrote; then nothing is left to wait for, and a
        process forked from here (the loader's helper child) takes its reads from the same mapping."""
        if self.child is None:
            return
        child, self.child = self.child, None
        try:
            got = child.take(WAIT_S + WAIT_S_PER_FILE * len(self.files))
            child.wait()
            if isinstance(got.get("files"), dict):
                self.answers = got["files"]
                self.mapped, self.size = forked.mapped(self.fd)
        finally:
            self._close_fd()

    def take(self, path: Path, shown: str) -> Callable[[], list[RawSheet]] | None:
        """What makes the file's sheets from the child's read, or its FileProblem (raised); None: the child did not
        read it (the loader reads it itself)."""
        i = self.files.pop((path, shown), None)
        if i is None:
            return None
        self.settle()
        # A file changed since the child looked at it (saved again, or copied in, while pkp started) is read again:
        # its cache entries are keyed by what the file is now, and must hold what it holds now.
        if identity_of(path) != self.ids[i]:
            return None
        got = self.answers.pop(i, None)
        if not isinstance(got, dict):
            return None
        made = forked.outcome(got, self.mapped, self.size)
        self.served += made is not None
        return made

    def stop(self) -> None:
        if self.child is not None:
            self.child.stop()
            self.child = None
        self._close_fd()
        self.files.clear()
        self.answers.clear()

    def _close_fd(self) -> None:
        self.fd = forked.close_fd(self.fd)


_pending: PreRead | None = None


def _key(paths: list[Path], display_root: Path | None, max_mb: int) -> tuple[Any, ...]:
    return (tuple(str(p) for p in paths), str(display_root), max_mb)


def start(paths: list[Path], *, display_root: Path | None, max_mb: int, cache_dir: Path | None) -> None:
    """Fork the child reading the workbooks under `paths`, where it pays (see the module); `cache_dir`: the load
    cache's folder (None: off, every load reads)."""
    global _pending
    discard()
    if not helper.may_fork() or not hasattr(os, "memfd_create"):
        return
    from pkp_cli.ingest.discover import scan
    from pkp_cli.ingest.early import THREADS_MIN_FILE_BYTES

    found = scan(paths, display_root)
    books = [f for f in found.files if f[0].suffix.lower() in WORKBOOK_SUFFIXES]
    if not MIN_FILES <= len(books) <= MAX_FILES:
        return
    try:
        stats = [os.stat(path) for path, _ in books]
    except OSError:
        return  # the loader says what is wrong with it
    if max(st.st_size for st in stats) >= THREADS_MIN_FILE_BYTES or sum(st.st_size for st in stats) > MAX_TOTAL_BYTES:
        return
    if not likely_cold(cache_dir, max(st.st_mtime for st in stats)):
        return
    try:
        fd = os.memfd_create("pkp-preread", os.MFD_CLOEXEC)
    except OSError:
        return
    order = [path for path, _ in books]
    child = helper.start([], lambda _queue: ({"files": _answer(order, max_mb, fd)}, None))
    if child is None:
        os.close(fd)
        return
    ids = [identity(st) for st in stats]
    _pending = PreRead(_key(paths, display_root, max_mb), found, books, ids, child, fd)


def _answer(paths: list[Path], max_mb: int, fd: int) -> dict[int, Any]:
    """In the child: each workbook's read written into the shared memory `fd`, by its place in `paths`, until it
    holds MAX_HELD_BYTES; a file whose read fails otherwise than by a FileProblem is left out (the loader reads it,
    and fails as it fails), and so are the files after the limit."""
    out: dict[int, Any] = {}
    with os.fdopen(os.dup(fd), "wb") as fh:
        for i, path in enumerate(paths):
            if fh.tell() > MAX_HELD_BYTES:
                break
            with contextlib.suppress(Exception):
                out[i] = forked.write_sheets(fh, path, max_mb)
    return out


def likely_cold(cache_dir: Path | None, newest: float) -> bool:
    """Whether a load of files last modified at `newest` (their newest mtime) is likely not in the load cache: no
    load entry in `cache_dir` was written (or used) since. Only a guess, for a head start: the load cache decides."""
    if cache_dir is None:
        return True
    try:
        with os.scandir(cache_dir) as entries:
            for entry in entries:
                if entry.name.startswith(ENTRY_PREFIX) and entry.stat(follow_symlinks=False).st_mtime >= newest:
                    return False
    except OSError:
        return True
    return True


def claim(paths: list[Path], display_root: Path | None, max_mb: int) -> PreRead | None:
    """The pending read of exactly these paths and settings, now the loader's (None: none; another is stopped)."""
    global _pending
    pre, _pending = _pending, None
    if pre is not None and pre.key != _key(paths, display_root, max_mb):
        pre.stop()
        return None
    return pre


def discard() -> None:
    """Stop a pending read no load claimed (the load came from the cache, or failed before it read)."""
    global _pending
    pre, _pending = _pending, None
    if pre is not None:
        pre.stop()
