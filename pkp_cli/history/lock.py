"""One weekly run at a time per history folder: an exclusive `flock` on `<history>/.lock`, taken without waiting.

The lock file is created once and never written to; the kernel drops the lock when the process ends, however
it ends (a killed run leaves no stale lock to clean up).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pkp_cli.errors import Exit, PkpError
from pkp_cli.history.store import LOCK_NAME


@contextmanager
def hold(folder: Path, busy_message: str) -> Iterator[Path]:
    """Hold the folder's lock for the block; PkpError(LOCKED) at once, naming the lock, if another run holds it."""
    import fcntl

    path = folder / LOCK_NAME
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        raise PkpError(Exit.CANT_WRITE, f"{path}: {exc.strerror}") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise PkpError(Exit.LOCKED, f"{path}: {busy_message}") from None
    except OSError as exc:  # no lock support (some network file systems): say so rather than run unguarded
        os.close(fd)
        raise PkpError(Exit.CANT_WRITE, f"{path}: flock: {exc.strerror}") from None
    try:
        yield path
    finally:
        os.close(fd)  # closing the descriptor releases the lock
