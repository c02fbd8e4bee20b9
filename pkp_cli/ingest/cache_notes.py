"""The notes a command prints for damaged cache entries (each rebuilt from its workbooks).

Each damaged entry is named on stderr with why it could not be used. A cache folder damaged whole (a failing disk,
a bad copy) would print a line per workbook, 67 on the sample and a thousand for a year of weekly folders, above
the command's own messages: inside a command (`summarised()`, which the CLI wraps around each one) the first
NAMED are named and the rest counted, said in one line at the command's end. Outside a command (library use)
every note is printed, as before. A note names a path under the cache folder, which comes from the environment or
the config (XDG_CACHE_HOME, `cache_dir`): shown escaped, so that it cannot drive the terminal.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from pathlib import Path

NAMED = 5
_LOCK = threading.Lock()  # notes may come from the loader's threads
_counts: dict[str, int] | None = None  # inside `summarised()`: {"named": n, "more": m}


def say(line: str) -> None:
    """One line on stderr, escaped (text/visible.py, `say_line`: the CLI's own messages go the same way)."""
    from pkp_cli.text.visible import say_line

    say_line(line)


def note_corrupt(entry: Path, why: str) -> None:
    """Say that `entry` could not be used (`why`, in English: what lay there or the error's kind) and is rebuilt."""
    with _LOCK:
        if _counts is not None:
            if _counts["named"] >= NAMED:
                _counts["more"] += 1
                return
            _counts["named"] += 1
    say(f"pkp: cache {entry}: rusak, dimuat ulang / corrupt, rebuilt ({why})")


@contextlib.contextmanager
def summarised() -> Iterator[None]:
    """Within the block, name the first NAMED damaged entries and count the rest; say the count at its end."""
    global _counts
    with _LOCK:
        outer, _counts = _counts, {"named": 0, "more": 0}
    try:
        yield
    finally:
        with _LOCK:
            more = _counts["more"] if _counts is not None else 0
            _counts = outer
        if more:
            say(f"pkp: cache: {more} entri lain rusak, dimuat ulang / {more} more entries corrupt, rebuilt")
