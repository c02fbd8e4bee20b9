"""Part of a cold load's small files read and parsed by a forked copy of the process, on the machine's other core.

A folder of many small workbooks (the bundled sample: 64 of 5-20 kB) is read almost entirely in Python under
the GIL (the zip guard's scan, the grids, the row classes, the header, the records: about 7 ms a workbook) and
then parsed in one batch per kind: a cold `pkp status` used one core of two. Threads cannot share that work
(early.py: a second reading thread was slower on the sample); a process can. A child made by `os.fork` when the
files to read are known has pandas and the readers imported already (a fresh interpreter would spend most of the
read's time importing them): it reads and parses its share exactly as the loader reads and parses any file
(`load.read_share`), and hands back each file's result as the per-file cache entry it would be (`entry_of`: a
header and Arrow tables), which the loader merges as it merges files from the cache.

Only where it is safe and pays: Linux (fork there copies the process cheaply and its libraries are fork-safe;
macOS and Windows have no safe fork), two usable cores, a command run from the CLI (`allowed`: never inside a
library caller's process), at least MIN_FILES small files to read and no big one (a big file's read already
uses both cores: early.py). Whatever goes wrong in the child, or a child that does not answer in time (a lock
held by another thread at the fork could hang it), only costs time: the loader reads that share itself, as it
would have without a child. The child never prints (its output goes to /dev/null); once the parent has its
answer it writes its files' cache entries, as the parent writes its own (the command waits for it at its end, and
a stop stops it); it ends with `os._exit` (no atexit hook, no buffered output of the parent's flushed twice). The
answer crosses a pipe as a pickle of plain values and Arrow IPC bytes, from the process's own fork to it: nothing
pickled is ever stored or read from a file.

Measured (bench/analysis.md, round eighteen): a cold `pkp status --province Bali` on the sample 0.2 s faster
(+0.58 against +0.80 s over the pandas import, 12 pairs), a year of weekly folders' cold load 6.3-7.2 s against
11.3-12.3 s; about 0.1-0.15 s more CPU (the child's own first touches of memory, its answer and the merge).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

from pkp_cli.ingest.cores import usable_cpus as _usable_cpus

MIN_FILES = 8  # fewer small files than this are read before a child would be ready to help
MAX_FILES = 16_000  # their indexes fill at most 64 kB: a pipe's buffer on Linux (Queue)
# No file at or above this size goes to a child: early.py's reading threads already read such files beside the
# others (and its early reads are taken in the parent only).
MAX_FILE_BYTES = 2_000_000
# The parent waits for the child at most this long past the time its own share took (times GRACE), then reads
# the child's share itself: a child stuck at a lock held at the fork costs a bounded delay, never a hang.
GRACE = 3.0
MIN_WAIT_S = 5.0

_allowed = False
_live: list[Child] = []  # children not reaped yet (one writing its cache entries after its answer, as a rule)


@contextlib.contextmanager
def allowed() -> Iterator[None]:
    """Let loads inside the block use a child (the CLI's commands; a library caller's process is never forked).
    A stop (Ctrl-C, SIGTERM: pkp's Terminated) stops the children still at work with it."""
    from pkp_cli.errors import Terminated

    global _allowed
    outer, _allowed = _allowed, True
    try:
        yield
    except (KeyboardInterrupt, Terminated):
        for child in list(_live):
            child.stop()
        raise
    finally:
        _allowed = outer


def worth(sizes: list[int]) -> bool:
    """Whether the files to read (their sizes) are a share worth a child, here and now."""
    if not MIN_FILES <= len(sizes) <= MAX_FILES or max(sizes, default=0) >= MAX_FILE_BYTES:
        return False
    return may_fork()


def may_fork() -> bool:
    """Whether a child may be forked here and now (see the module: where it is safe and pays)."""
    if not _allowed or not hasattr(os, "fork") or not sys.platform.startswith("linux"):
        return False
    if os.environ.get("PKP_NO_HELPER"):
        return False
    if _busy_threads():
        return False
    return _usable_cpus() >= 2


def _busy_threads() -> bool:
    """Whether a thread of pkp's own is alive (a cache write compressing, a pool of an earlier load): at a fork,
    what it holds (a library's lock) would stay held in the child for good. A command that loads twice (a pack, the
    weekly summary) may have one: its later loads are read here alone."""
    import threading

    main = threading.main_thread()
    return any(t.name.startswith("pkp") and t is not main and t.is_alive() for t in threading.enumerate())


class Queue:
    """The indexes of the files to read, shared by the parent and its child through a pipe: each takes the next
    file when it is done with the last, so neither waits for the other while files are left (a pipe's reads are
    whole: each reads 4 bytes at a time of what was written in 4-byte indexes)."""

    def __init__(self, order: list[int]) -> None:
        self._r, w = os.pipe()
        try:
            os.set_blocking(self._r, False)
            # Written whole before anyone reads: MAX_FILES fit a pipe's usual buffer, and a smaller buffer (a
            # system short of pipe memory) is an OSError here (BlockingIOError), not a wait for a reader.
            os.set_blocking(w, False)
            view = memoryview(b"".join(i.to_bytes(4, "little") for i in order))
            while view:
                view = view[os.write(w, view) :]
        except OSError:
            os.close(self._r)
            raise
        finally:
            os.close(w)

    def next(self) -> int | None:
        """The next file's index; None when every file is taken."""
        try:
            got = os.read(self._r, 4)
        except BlockingIOError:
            return None
        return int.from_bytes(got, "little") if len(got) == 4 else None

    def close(self) -> None:
        with contextlib.suppress(OSError):
            os.close(self._r)


class Child:
    """A forked child taking files from `queue` as the parent does; `take` gives what it read."""

    def __init__(self, pid: int, fd: int, queue: Queue, started: float) -> None:
        self.pid = pid
        self.fd = fd
        self.queue = queue
        self.started = started

    def take(self, limit: float | None = None) -> dict[str, Any]:
        """Each file's entry the child read, by its shown name; empty if it failed or took too long (then it is
        stopped). Files it could not read are absent: the parent reads them, and says why they fail. `limit`: the
        seconds to wait from now (by default GRACE times the child's time so far, at least MIN_WAIT_S)."""
        if limit is None:
            limit = max(MIN_WAIT_S, GRACE * (time.perf_counter() - self.started))
        deadline = time.perf_counter() + limit
        chunks: list[bytes] = []
        ok = False
        try:
            while True:
                left = deadline - time.perf_counter()
                if left <= 0 or not select.select([self.fd], [], [], left)[0]:
                    break
                chunk = os.read(self.fd, 1 << 20)
                if not chunk:
                    ok = True
                    break
                chunks.append(chunk)
        except OSError:
            ok = False
        finally:
            os.close(self.fd)
            self.queue.close()
        data = b"".join(chunks)
        if not ok or not data.endswith(_END):  # (a child that died midway sent no end mark)
            self.stop()
            return {}
        try:
            got = pickle.loads(data[: -len(_END)])
        except Exception:  # a broken answer is no answer: the parent reads those files itself
            got = None
        if not isinstance(got, dict):
            self.stop()
            return {}
        return got

    def wait(self) -> None:
        """Wait for the child to end (after its answer it writes its files' cache entries)."""
        self._reap()

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            os.kill(self.pid, signal.SIGKILL)
        self._reap()

    def _reap(self) -> int:
        try:
            _, status = os.waitpid(self.pid, 0)
        except ChildProcessError:
            return -1
        finally:
            if self in _live:
                _live.remove(self)
        return os.waitstatus_to_exitcode(status)


Work = Callable[[Queue], tuple[dict[str, Any], Callable[[], None] | None]]
_END = b"\npkp-helper-end\n"  # after the answer: an answer cut short (a child killed while sending) has none


def start(order: list[int], work: Work) -> Child | None:
    """Fork a child that runs `work(queue)` (a queue of the file indexes `order`), sends back the answer it
    returns, then runs what it returns beside it (its cache writes) while the parent goes on; None when the pipes
    or the fork fail."""
    import warnings

    try:
        queue = Queue(order)
    except OSError:
        return None
    try:
        rfd, wfd = os.pipe()
    except OSError:
        queue.close()
        return None
    started = time.perf_counter()
    with warnings.catch_warnings():
        # Python 3.12+ warns that forking a process with threads may deadlock the child: the child here only reads
        # and parses, and a child that hangs is stopped (Child.take).
        warnings.simplefilter("ignore", DeprecationWarning)
        try:
            pid = os.fork()
        except OSError:
            for fd in (rfd, wfd):
                os.close(fd)
            queue.close()
            return None
    if pid == 0:  # the child: never returns
        _child(rfd, wfd, queue, work)
    os.close(wfd)
    child = Child(pid, rfd, queue, started)
    _live.append(child)
    return child


def _child(rfd: int, wfd: int, queue: Queue, work: Work) -> None:
    code = 1
    try:
        os.close(rfd)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.dup2(null, 2)
        answer, then = work(queue)
        view = memoryview(pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL) + _END)
        while view:
            view = view[os.write(wfd, view) :]
        os.close(wfd)  # the parent has its answer and goes on
        if then is not None:
            then()
        code = 0
    except BaseException:  # the child never reports: the parent reads the files it took itself
        code = 1
    finally:
        os._exit(code)


def table_bytes(table: Any) -> bytes:
    """An Arrow table as IPC stream bytes (only its own rows, where pickle sends a slice's whole buffers)."""
    import pyarrow as pa

    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def table_of(data: bytes) -> Any:
    import pyarrow as pa

    return pa.ipc.open_stream(pa.py_buffer(data)).read_all()
