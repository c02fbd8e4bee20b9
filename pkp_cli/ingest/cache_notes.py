"""The notes a command prints for cache entries it cannot use: damaged (rebuilt from the workbooks), not pkp's
(left alone), or not readable (left as they are).

Each such entry is named on stderr with why it could not be used. A cache folder damaged whole (a failing disk,
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
# Inside `summarised()`: how many were named, and per kind of note how many more were only counted.
_counts: dict[str, int] | None = None
# What each kind of note says: an entry of pkp's own that is damaged (removed, and made again by this run); a thing
# under an entry's name that pkp did not write (a link, a FIFO, a folder, a file without pkp's marker: never read,
# never removed, so the answer is made without it, on every run while it stays); an entry pkp cannot read (another
# user's, as after one `sudo pkp`: not used, left as it is).
_SAYS = {
    "corrupt": ("rusak, dimuat ulang", "corrupt, rebuilt"),
    "foreign": ("bukan milik pkp, dibiarkan", "not pkp's, left alone"),
    "unreadable": ("tidak dapat dibaca, tidak dipakai", "cannot be read, not used"),
}


def say(line: str) -> None:
    """One line on stderr, escaped (text/visible.py, `say_line`: the CLI's own messages go the same way)."""
    from pkp_cli.text.visible import say_line

    say_line(line)


def note_corrupt(entry: Path, why: str) -> None:
    """Say that `entry` could not be used (`why`, in English: what lay there or the error's kind) and is rebuilt."""
    note(entry, why, "corrupt")


def note(entry: Path, why: str, kind: str) -> None:
    """Say why `entry` is not used (`kind`: a key of _SAYS; `why` in English: what lay there or the error's kind)."""
    with _LOCK:
        if _counts is not None:
            if _counts["named"] >= NAMED:
                _counts[kind] = _counts.get(kind, 0) + 1
                return
            _counts["named"] += 1
    id_text, en_text = _SAYS[kind]
    say(f"pkp: cache {entry}: {id_text} / {en_text} ({why})")


@contextlib.contextmanager
def summarised() -> Iterator[None]:
    """Within the block, name the first NAMED entries not used and count the rest; say the counts at its end."""
    global _counts
    with _LOCK:
        outer, _counts = _counts, {"named": 0}
    try:
        yield
    finally:
        with _LOCK:
            counts = _counts or {}
            _counts = outer
        for kind, (id_text, en_text) in _SAYS.items():
            more = counts.get(kind, 0)
            if more:
                say(f"pkp: cache: {more} entri lain {id_text} / {more} more entries {en_text}")
