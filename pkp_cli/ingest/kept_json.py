"""Small JSON entries in pkp's cache folder: the validated schedule and the national holiday list.

Each entry is one file named `pkp-schedule-<24 hex>.json` or `pkp-holidays-<24 hex>.json` whose text starts
with MAGIC, then a line with the CRC-32 of the entry's own name and the JSON after it (a damaged digit in a
stage's date would still be JSON, and a valid schedule; an entry renamed to another's name, as when two entries'
files were swapped, would be another schedule, whole); it is written under a temporary name (TMP_PREFIX +
random, same magic) and renamed into place.
The magic is what lets pkp clear a temporary file a killed run left behind, and keep the number of entries
bounded, without ever touching a file it did not write: the cache folder may be a folder the user chose.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from pathlib import Path

MAGIC = "pkp-cli kept json v1\n"
TMP_PREFIX = ".pkp-json-tmp-"
_NAME = re.compile(r"^pkp-(schedule|holidays)-[0-9a-f]{24}\.json$")
_TMP_NAME = re.compile(r"^\.pkp-json-tmp-[A-Za-z0-9_]+$")
# "crc32n": of the name and the text (an entry of the earlier "crc32" line, of the text only, is rebuilt quietly)
_SUM = b"crc32n "
_SUM_LINE = re.compile(re.escape(_SUM) + rb"[0-9a-f]{8}")
MAX_BYTES = 1 << 24  # an entry is a few KB: a bigger file under an entry's name is not pkp's
# A new schedule file (an edit of the YAML) or a new holidays package makes a new entry; each is a few KB.
MAX_ENTRIES = 64


def read_kept(entry: Path) -> str | None:
    """The text kept in `entry`, or None: missing, or written by an earlier pkp without this checksum line (then
    rebuilt); damaged, or another entry's under this name (rebuilt with a note, as any cache entry); not pkp's (a
    link, a FIFO, a folder, a file without the magic: left alone, with a note) or not readable (with a note)."""
    from pkp_cli.ingest.cache import note_corrupt, read_entry_bytes

    magic = MAGIC.encode()
    data = read_entry_bytes(entry, MAX_BYTES, _NAME, magic)  # (as every one-file entry: no link followed, no FIFO)
    if data is None:
        return None
    line_end = data.find(b"\n", len(magic))
    line = data[len(magic) : line_end] if line_end >= 0 else b""
    if not _SUM_LINE.fullmatch(line):
        return None
    body = data[line_end + 1 :]
    try:
        if int(line[len(_SUM) :], 16) != _sum(entry.name, body):
            raise ValueError("checksum (damaged, or another entry's under this name)")
        text = body.decode("utf-8")
    except ValueError as exc:
        note_corrupt(entry, exc)
        _remove(entry, _NAME)
        return None
    with contextlib.suppress(OSError):
        os.utime(entry, follow_symlinks=False)  # used: the last to go when the folder is over its bound
    return text


def write_kept(entry: Path, text: str) -> None:
    """Keep `text` in `entry` (a temporary file renamed into place), then keep the folder within its bound.
    Failures are silent: the cache is only an aid."""
    folder = entry.parent
    tmp: Path | None = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if not _NAME.match(entry.name) or (os.path.lexists(entry) and not _ours(entry, _NAME)):
            return  # somebody else's file (or link) under pkp's name: left as it is
        fd, name = tempfile.mkstemp(dir=folder, prefix=TMP_PREFIX)
        tmp = Path(name)
        with os.fdopen(fd, "wb") as fh:
            fh.write(kept_bytes(text, entry.name))
        os.replace(tmp, entry)
        tmp = None
    except (OSError, ValueError):
        pass
    finally:
        if tmp is not None:
            _remove(tmp, _TMP_NAME, cut_short=True)  # (a full disk stops the write anywhere, the magic included)
    prune_kept(folder)


def kept_bytes(text: str, name: str) -> bytes:
    """The bytes of the entry named `name` keeping `text`: the magic, the checksum line, the text."""
    body = text.encode("utf-8")
    return MAGIC.encode() + _SUM + f"{_sum(name, body):08x}\n".encode() + body


def _sum(name: str, body: bytes) -> int:
    from pkp_cli.ingest.cache import crc32

    return crc32(name.encode("utf-8") + b"\n" + body)


def prune_kept(folder: Path) -> None:
    """Drop temporary files of killed runs and keep at most MAX_ENTRIES entries (least recently used go first);
    only pkp's own files (name and magic) are ever touched."""
    from pkp_cli.ingest.cache import prune_store

    prune_store(folder, _NAME, _TMP_NAME, MAGIC.encode(), MAX_ENTRIES)


def _ours(path: Path, pattern: re.Pattern[str]) -> bool:
    from pkp_cli.ingest.cache import is_our_file

    return is_our_file(path, pattern, MAGIC.encode())


def _remove(path: Path, pattern: re.Pattern[str], cut_short: bool = False) -> None:
    from pkp_cli.ingest.cache import remove_our_file

    remove_our_file(path, pattern, MAGIC.encode(), cut_short)
