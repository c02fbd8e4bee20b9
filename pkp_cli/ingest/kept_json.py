"""Small JSON entries in pkp's cache folder: the validated schedule and the national holiday list.

Each entry is one file named `pkp-schedule-<24 hex>.json` or `pkp-holidays-<24 hex>.json` whose text starts
with MAGIC; it is written under a temporary name (TMP_PREFIX + random, same magic) and renamed into place.
The magic is what lets pkp clear a temporary file a killed run left behind, and keep the number of entries
bounded, without ever touching a file it did not write: the cache folder may be a folder the user chose.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import time
from pathlib import Path

MAGIC = "pkp-cli kept json v1\n"
TMP_PREFIX = ".pkp-json-tmp-"
_NAME = re.compile(r"^pkp-(schedule|holidays)-[0-9a-f]{24}\.json$")
_TMP_NAME = re.compile(r"^\.pkp-json-tmp-[A-Za-z0-9_]+$")
# A new schedule file (an edit of the YAML) or a new holidays package makes a new entry; each is a few KB.
MAX_ENTRIES = 64
STALE_TMP_SECONDS = 3600  # the load cache's rule: a temporary file this old was left by a killed run


def read_kept(entry: Path) -> str | None:
    """The text kept in `entry`, or None (missing, unreadable, or not written by pkp: then rebuilt)."""
    try:
        text = entry.read_text(encoding="utf-8")
    except (OSError, ValueError):
        return None
    if not text.startswith(MAGIC):
        return None
    with contextlib.suppress(OSError):
        os.utime(entry)  # used: the last to go when the folder is over its bound
    return text[len(MAGIC) :]


def write_kept(entry: Path, text: str) -> None:
    """Keep `text` in `entry` (a temporary file renamed into place), then keep the folder within its bound.
    Failures are silent: the cache is only an aid."""
    folder = entry.parent
    tmp: Path | None = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if not _NAME.match(entry.name) or (entry.exists() and not _ours(entry, _NAME)):
            return  # somebody else's file under pkp's name: left as it is
        fd, name = tempfile.mkstemp(dir=folder, prefix=TMP_PREFIX)
        tmp = Path(name)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(MAGIC + text)
        os.replace(tmp, entry)
        tmp = None
    except (OSError, ValueError):
        pass
    finally:
        if tmp is not None:
            _remove(tmp, _TMP_NAME)
    prune_kept(folder)


def prune_kept(folder: Path) -> None:
    """Drop temporary files of killed runs and keep at most MAX_ENTRIES entries (least recently used go first);
    only pkp's own files (name and magic) are ever touched."""
    now = time.time()
    entries: list[tuple[float, Path]] = []
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        p = folder / name
        try:
            if _NAME.match(name):
                entries.append((p.lstat().st_mtime, p))
            elif _TMP_NAME.match(name) and now - p.lstat().st_mtime > STALE_TMP_SECONDS:
                _remove(p, _TMP_NAME)
        except OSError:
            continue
    if len(entries) <= MAX_ENTRIES:
        return
    ours = sorted((e for e in entries if _ours(e[1], _NAME)), key=lambda e: e[0])  # oldest use first
    for _, p in ours[: max(0, len(ours) - MAX_ENTRIES)]:
        _remove(p, _NAME)


def _ours(path: Path, pattern: re.Pattern[str]) -> bool:
    try:
        if not pattern.match(path.name) or path.is_symlink() or not path.is_file():
            return False
        with path.open("rb") as fh:
            return fh.read(len(MAGIC)) == MAGIC.encode()
    except OSError:
        return False


def _remove(path: Path, pattern: re.Pattern[str]) -> None:
    if _ours(path, pattern):
        with contextlib.suppress(OSError):
            path.unlink()
