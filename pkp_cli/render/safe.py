"""Safe output: text from workbooks never becomes a live formula, names from data never leave the folder,
files appear whole (written to a temp name and renamed into place)."""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from pkp_cli.errors import Exit, PkpError
from pkp_cli.model.provenance import PKP_MARKER, WRITTEN_NAME
from pkp_cli.text.labels import label

# OWASP: a cell starting with one of these may be evaluated by a spreadsheet.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\0")
# The same signs in their full-width and small forms (an East Asian input method types "＝"; some spreadsheets
# read it as "="), and what may stand before the sign unseen: a spreadsheet that trims a cell, or a user who
# does, finds the formula behind spaces, no-break spaces, ideographic spaces, line breaks and zero-width marks.
_FORMULA_SIGNS = frozenset("=+-@\uff1d\uff0b\uff0d\uff20\ufe66\ufe62\ufe63\u2212")
_UNSEEN = re.compile(r"^[\s\u200b-\u200f\u2028-\u202f\u2060-\u2064\ufeff\u00ad\u180e]+")
_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)*$")
_WINDOWS_DEVICES = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(1, 10)),
    *(f"lpt{i}" for i in range(1, 10)),
}


def neutralise(value: Any) -> Any:
    """Prefix text that a spreadsheet would read as a formula with an apostrophe; numbers pass unchanged."""
    if not isinstance(value, str) or not value or _NUMBER.match(value):
        return value
    if value.startswith(FORMULA_START):
        return "'" + value
    head = _UNSEEN.sub("", value, count=1)
    if head and head[0] in _FORMULA_SIGNS:
        return "'" + value
    return value


def safe_name(name: str, default: str = "berkas", max_len: int = 80) -> str:
    """A file name from data: ASCII, [a-z0-9_.-], no leading dots, no device names, never empty."""
    s = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    s = re.sub(r"[^A-Za-z0-9_.-]+", "-", s).strip("-._").lower()
    s = re.sub(r"-{2,}", "-", s)[:max_len].strip("-._")
    if not s or s.split(".")[0] in _WINDOWS_DEVICES:
        s = f"{default}-{s}" if s else default
    return s


def inside(folder: Path, name: str) -> Path:
    """folder/name, refusing anything that would land outside folder."""
    base = folder.resolve()
    target = (base / name).resolve()
    if not target.is_relative_to(base) or target == base:
        raise PkpError(Exit.CANT_WRITE, f"{name}: di luar folder keluaran / outside the output folder")
    return target


def umask() -> int:
    """The process's umask (read by setting it and setting it back: there is no other portable way)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# pkp's temporary files: `.<name>.pkp<pid>-<random>.tmp` next to the file being written. The pid tells a
# leftover of a killed run (SIGKILL, power loss) from a write in progress in another pkp.
_TMP = re.compile(r"^\.(?P<name>.+)\.pkp(?P<pid>\d{1,10})-[A-Za-z0-9_]{8}\.tmp$")


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # this run writes one file at a time and removes its own temp file on failure
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError, OverflowError):
        return True  # another user's process, or cannot tell: leave it
    return True


def remove_stale_temp_files(folder: Path) -> list[Path]:
    """Remove temporary files a killed pkp run left in `folder`: only regular files named by pkp's own pattern
    whose process is gone; anything else is never touched. Returns what was removed."""
    import stat

    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        m = _TMP.match(entry.name)
        if not m or _alive(int(m.group("pid"))):
            continue
        try:
            if not stat.S_ISREG(entry.stat(follow_symlinks=False).st_mode):
                continue
            os.unlink(entry.path)
            removed.append(Path(entry.path))
        except OSError:
            continue
    return removed


def atomic_write(path: Path, write: Callable[[IO[bytes]], None], *, owner_checked: bool = False) -> None:
    """Write through a temporary file in the same folder, then rename it into place.

    The file gets the mode a plain open() would give (0666 less the umask): mkstemp's 0600 would make
    reports on a shared folder unreadable to colleagues. The file appears whole or not at all: on any failure,
    Ctrl-C (KeyboardInterrupt) or SIGTERM (Terminated, raised by pkp's handler) the temporary file is removed;
    a full disk is "cannot write output" (73). A temporary file left by a run that was killed outright is
    removed by the next write into the folder.

    pkp never overwrites what it did not write: a file already at `path` is replaced only when the folder's
    record says pkp wrote it and it has not changed since (`owned`); otherwise 73 naming it. `owner_checked`:
    the caller has recognised the file as pkp's by its content (a history snapshot's footer)."""
    if not owner_checked and os.path.lexists(path) and not owned(path):
        raise PkpError(Exit.CANT_WRITE, f"{path}: {_NOT_OURS}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_temp_files(path.parent)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.pkp{os.getpid()}-", suffix=".tmp")
    except OSError as exc:
        raise PkpError(Exit.CANT_WRITE, f"{path}: {exc.strerror}") from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            os.chmod(tmp, 0o666 & ~umask())
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        pause_for_tests(path)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise PkpError(Exit.CANT_WRITE, f"{path}: {exc.strerror or exc}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if not owner_checked:
        _record(path)


# --- what pkp wrote in a folder -------------------------------------------------------------------------------
# `.pkp-written.json` beside the files: name -> size, modification time, inode and sha256 of each file as pkp
# left it. A file is pkp's to replace when its stat is unchanged, or (copied, touched) its bytes are.
_WRITTEN_MAX = 4_000_000  # bytes of record read at most: a bigger one is not pkp's
_NOT_OURS = (
    "ada berkas dengan nama ini yang tidak ditulis pkp (atau sudah diubah); pkp tidak menimpanya: pindahkan atau "
    "hapus berkas itu, atau pilih --out lain / a file of this name exists that pkp did not write (or that was "
    "changed since): pkp does not overwrite it; move or remove it, or choose another --out"
)


def _read_written(folder: Path) -> dict[str, Any]:
    """The folder's record of what pkp wrote; empty when missing, too big or not pkp's (never trusted then)."""
    import json

    try:
        with open(folder / WRITTEN_NAME, "rb") as fh:
            raw = fh.read(_WRITTEN_MAX + 1)
        doc = json.loads(raw) if len(raw) <= _WRITTEN_MAX else None
    except (OSError, ValueError):
        return {}
    if not isinstance(doc, dict) or doc.get("generator") != PKP_MARKER or not isinstance(doc.get("files"), dict):
        return {}
    return {k: v for k, v in doc["files"].items() if isinstance(v, dict)}


def _sha256(path: Path) -> str:
    import hashlib

    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _stat_key(st: os.stat_result) -> list[int]:
    return [st.st_size, st.st_mtime_ns, st.st_ino]


def owned(path: Path) -> bool:
    """Whether the file at `path` is one pkp wrote and nobody changed since (a symlink or folder never is)."""
    import stat

    entry = _read_written(path.parent).get(path.name)
    try:
        st = os.lstat(path)
    except OSError:
        return False
    if entry is None or not stat.S_ISREG(st.st_mode):
        return False
    if entry.get("stat") == _stat_key(st):
        return True
    try:  # copied or touched: the same bytes are still pkp's
        return entry.get("size") == st.st_size and entry.get("sha256") == _sha256(path)
    except OSError:
        return False


def _record(path: Path) -> None:
    """Add the file just written to its folder's record (rewritten whole, through a temporary file; entries of
    files that are gone are dropped). Failing to record only means a later run will not overwrite the file."""
    import json

    folder = path.parent
    try:
        files = {n: e for n, e in _read_written(folder).items() if os.path.lexists(folder / n)}
        st = os.stat(path)
        files[path.name] = {"stat": _stat_key(st), "size": st.st_size, "sha256": _sha256(path)}
        data = json.dumps({"generator": PKP_MARKER, "files": files}, sort_keys=True, indent=0).encode()
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{WRITTEN_NAME}.pkp{os.getpid()}-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, folder / WRITTEN_NAME)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        return


def pause_for_tests(path: Path) -> None:
    """Test-only: stop between the temporary write and the rename when PKP_TEST_PAUSE (a file-name pattern such as
    `*.parquet`) matches, so a test can kill the process there and check that the old file is still whole."""
    pattern = os.environ.get("PKP_TEST_PAUSE")
    if not pattern:
        return
    import fnmatch
    import sys
    import time

    if fnmatch.fnmatch(path.name, pattern):
        print(f"PKP_TEST_PAUSE {path.name}", file=sys.stderr, flush=True)
        while True:  # until the test kills the process
            time.sleep(60)


def atomic_write_text(path: Path, text: str) -> None:
    """atomic_write for text, UTF-8."""
    data = text.encode("utf-8")

    def write(fh: IO[bytes]) -> None:
        fh.write(data)

    atomic_write(path, write)


def prepare_folder(out: Path) -> None:
    """The output folder, made if missing; anything else there (a file, no permission) is exit 73 naming it.

    Here rather than in render/pack.py: `pkp weekly` prepares its history folder before the load, and the pack
    module imports pandas, which a cold load imports beside its early reads (ingest/early.py)."""
    if out.exists() and not out.is_dir():
        what = f"{label('pack.out_not_folder', 'id')} / {label('pack.out_not_folder', 'en')}"
        raise PkpError(Exit.CANT_WRITE, f"{out}: {what}")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PkpError(Exit.CANT_WRITE, f"{exc.filename or out}: {exc.strerror}") from exc
