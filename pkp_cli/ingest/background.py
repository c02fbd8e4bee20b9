"""Cache writes that run beside the command's own work.

Writing the national data's cache entries (a 15 MB compressed file entry, the load entry, the status entry)
costs about a second and a half of a cold `pkp status`, almost all of it in Arrow's compression and file
writes, which release the GIL. The CLI turns deferral on for a command (`deferring()`): each write then runs
on its own thread while the command computes and prints, and the command waits for them before it exits,
after its output is out (the exit code is the command's: a failed write is only a slower next run). Anywhere
else (library use, tests) every write happens at once, as before.

Only data the command can no longer change crosses to a thread: Arrow tables, frozen issues, copied lists, and
shallow copies of pandas frames (under pandas' copy-on-write, a change the command makes to its own frame later
copies the changed block first: the copy keeps what was saved; tests/ingest/test_cache.py shows it). A write that
fails leaves the cache as it was (the cache is an aid); a run stopped before its writes finish leaves at most a
temporary file, which the cache's pruning removes once stale (never renamed into place, so never trusted).

A small write (`later(..., size=...)` below SMALL_WRITE_BYTES) is not worth a thread: it is nearly all Python (Arrow's
writers, file names, JSON), which holds the GIL, so beside the command it only takes turns with it, and each
turn costs both threads a hand-over (bench/analysis.md, round seventeen: the sample's 70 small entries on a
thread cost a cold `pkp status --province Bali` about 0.1 s more CPU than written on the command's thread).
Small writes are done on the command's own thread at its end, after its output is out.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

_pending: list[threading.Thread] | None = None
# Writes held until the command's output is out (`later(..., hold=True)`): a derived frame's entry (the status
# frame, about 50 MB of buffers while it is serialised) would otherwise be compressed while the national view
# builds its own temporaries, and set the cold run's peak memory.
_held: list[tuple[Callable[..., Any], tuple[Any, ...]]] = []
# Writes too small to be worth a thread, done on the command's thread when it is done (`finish`).
_small: list[tuple[Callable[..., Any], tuple[Any, ...]]] = []
# Below this many bytes of tables a write has next to nothing to compress (tables under cache.COMPRESS_ABOVE_BYTES
# are written as they are) and is mostly Python.
SMALL_WRITE_BYTES = 4 << 20


def _quietly(fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
    # A write is an optimisation: whatever goes wrong in it must not reach the user as a traceback.
    with contextlib.suppress(Exception):
        fn(*args)


def _on_thread(fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
    delay = os.environ.get("PKP_TEST_WRITE_DELAY")  # test-only: a slow disk, to show the command waits
    if delay:
        with contextlib.suppress(ValueError):
            time.sleep(float(delay))
    _quietly(fn, args)


def later(fn: Callable[..., Any], *args: Any, hold: bool = False, size: int | None = None) -> None:
    """Run `fn(*args)` on a thread when deferring, else now (and then as any call: its errors are the caller's).

    With `hold`, the thread starts only when the command is done (`finish`), after its output is out. `size`: the
    bytes of the tables the write serialises; below SMALL_WRITE_BYTES it is done on the command's thread when the
    command is done, instead of on a thread."""
    if _pending is None:
        fn(*args)
    elif size is not None and size < SMALL_WRITE_BYTES:
        _small.append((fn, args))
    elif hold:
        _held.append((fn, args))
    else:
        _start(fn, args)


def deferring_now() -> bool:
    """Whether writes are deferred here (a command's `deferring()` block): `later` runs them on a thread."""
    return _pending is not None


def _start(fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
    assert _pending is not None
    thread = threading.Thread(target=_on_thread, args=(fn, args), name="pkp-cache-write", daemon=True)
    thread.start()
    _pending.append(thread)


def start_held() -> None:
    """Start the held writes now: the command's memory-heavy work is done, its output is still to come (the national
    status view calls this once its tables are made, so the status frame's entry is written while they are kept and
    printed instead of after). Outside `deferring()` nothing is held: nothing to do."""
    while _held and _pending is not None:
        _start(*_held.pop(0))


def finish() -> None:
    """Start the held writes, do the small ones, then wait for every deferred write."""
    start_held()
    while _small and _pending is not None:
        _quietly(*_small.pop(0))
    for thread in _pending or []:
        thread.join()
    if _pending is not None:
        _pending.clear()


@contextlib.contextmanager
def deferring() -> Iterator[None]:
    """Defer writes inside the block and wait for them at its end, whatever ended it (an exit code raised, an
    error reported), except a stop (Ctrl-C, SIGTERM: pkp's Terminated): then the command exits at once and a
    write cut short leaves only its temporary name."""
    from pkp_cli.errors import Terminated

    global _pending, _held, _small
    outer, _pending = _pending, []
    outer_held, _held = _held, []
    outer_small, _small = _small, []
    try:
        yield
    except (KeyboardInterrupt, Terminated):
        _held.clear()  # never started: nothing half-written
        _small.clear()
        raise
    except BaseException:
        finish()
        raise
    else:
        finish()
    finally:
        _pending, _held, _small = outer, outer_held, outer_small
