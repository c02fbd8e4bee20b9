"""Which files in the given folders are data: workbooks and CSV, not hidden, lock or pkp-written files.

Every path is accounted for: a file is read, or listed as ignored with its reason, or (when it was named on
the command line and cannot be read at all) reported as unreadable, which exits 66. Nothing is skipped in
silence: a subfolder pkp may not enter, a FIFO, a socket, a device, a broken link or a link to a folder (not
followed, so link loops cannot trap the walk) each gets a reason. A FIFO or a device is never opened.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pkp_cli.model.provenance import PKP_MARKER

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".csv")


@dataclass
class Discovery:
    files: list[tuple[Path, str]] = field(default_factory=list)  # (path, name as shown)
    ignored: list[tuple[str, str]] = field(default_factory=list)  # (name as shown, reason)
    # Named on the command line but not readable at all: (name as shown, catalogue code, params).
    unreadable: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)


def _kind(mode: int) -> str:
    from pkp_cli.model.regular_file import kind_of

    return kind_of(mode)


def _walk(root: Path) -> list[tuple[Path, str]]:
    """Every entry under the folder `root` as (path, what): 'file', 'special', 'folder-unreadable',
    'broken-link' or 'link-to-folder'. Links to folders are not followed; a folder that cannot be listed is
    an entry of its own."""
    out: list[tuple[Path, str]] = []
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as it:
                entries = list(it)
        except OSError:
            out.append((folder, "folder-unreadable"))
            continue
        for entry in entries:
            path = Path(entry.path)
            try:
                if entry.is_symlink():
                    try:
                        mode = os.stat(entry.path).st_mode  # the target
                    except OSError:  # dangling, or a loop of links
                        out.append((path, "broken-link"))
                        continue
                    if stat.S_ISDIR(mode):
                        out.append((path, "link-to-folder"))
                    else:
                        out.append((path, "file" if stat.S_ISREG(mode) else "special"))
                    continue
                mode = entry.stat(follow_symlinks=False).st_mode
            except OSError:
                out.append((path, "special"))
                continue
            if stat.S_ISDIR(mode):
                stack.append(path)
            else:
                out.append((path, "file" if stat.S_ISREG(mode) else "special"))
    return sorted(out)


def printable_name(name: str) -> str:
    """A file name as pkp shows it (terminal, JSON, CSV, workbooks): a byte that is not UTF-8 (kept by Python as a
    lone surrogate, which no encoder accepts) as \\xNN, a control or format character (an escape sequence, a line
    break, a right-to-left override) as \\xNN or \\uNNNN, so a name can neither break a writer nor drive the
    terminal. Only the name shown changes; the file is opened by its real path."""
    if name.isprintable():
        return name
    out = []
    for ch in name:
        o = ord(ch)
        if 0xDC80 <= o <= 0xDCFF:
            out.append(f"\\x{o - 0xDC00:02x}")
        elif ch.isprintable():
            out.append(ch)
        else:
            out.append(f"\\x{o:02x}" if o < 0x100 else f"\\u{o:04x}")
    return "".join(out)


def scan(paths: Iterable[Path], display_root: Path | None = None) -> Discovery:
    """The files to read, the ignored entries with reasons, and the named paths that cannot be read.

    Names are shown as given on the command line, or relative to `display_root` (the bundled sample, whose
    absolute path inside site-packages means nothing to a user)."""
    found = Discovery()
    for root in paths:

        def shown_as(p: Path, root: Path = root) -> str:
            name = str(p.relative_to(display_root)) if display_root and p.is_relative_to(display_root) else str(p)
            return printable_name(name)

        try:
            root_mode = root.stat().st_mode  # follows a link named on the command line
        except OSError as exc:
            found.unreadable.append((shown_as(root), "file-unreadable", {"reason": exc.strerror or str(exc)}))
            continue
        if stat.S_ISREG(root_mode):
            entries = [(root, "file")]
        elif stat.S_ISDIR(root_mode):
            try:
                os.scandir(root).close()
            except OSError as exc:
                found.unreadable.append((shown_as(root), "folder-unreadable", {"reason": exc.strerror or str(exc)}))
                continue
            entries = _walk(root)
        else:
            found.unreadable.append((shown_as(root), "input-not-regular", {"kind": _kind(root_mode)}))
            continue
        for p, what in entries:
            shown = shown_as(p)
            why = _ignored_because(p, root, what)
            if why is None:
                found.files.append((p, shown))
            else:
                found.ignored.append((shown, why))
    return found


def _ignored_because(p: Path, root: Path, what: str) -> str | None:
    """Why `p` (an entry under `root`, of _walk's kind `what`) is not read; None: it is a file to read."""
    rel_parts = p.relative_to(root).parts if p != root else (p.name,)
    if what != "file":
        return what
    if any(part.startswith(".") for part in rel_parts):
        return "hidden"
    if p.name.startswith("~$"):
        return "excel-lock-file"
    if p.suffix.lower() not in WORKBOOK_SUFFIXES:
        return None if p == root else "not-a-workbook"
    if p.suffix.lower() != ".csv" and _written_by_pkp(p):
        return "written-by-pkp"
    return None


def holds_workbook(folder: Path) -> bool:
    """Whether `scan([folder])` of a folder would find a file to read: stops at the first one, where a scan
    opens every workbook to check pkp's marker (66 zip directories for the bundled sample)."""
    try:
        if not stat.S_ISDIR(folder.stat().st_mode):
            return False
        os.scandir(folder).close()
    except OSError:
        return False
    return any(_ignored_because(p, folder, what) is None for p, what in _walk(folder))


def discover(
    paths: Iterable[Path], display_root: Path | None = None
) -> tuple[list[tuple[Path, str]], list[tuple[str, str]]]:
    """(files to read with their display names, ignored entries with reasons). Folders are recursive."""
    found = scan(paths, display_root)
    return found.files, found.ignored


# A workbook up to this size is read whole to look for its marker part's name first (one read, where the zip
# directory's parse cost about 0.1 ms a workbook: the bundled sample's 64 workbooks are 8-12 kB each).
_MARKER_PRECHECK_BYTES = 1 << 18
_MARKER_PART = "docProps/custom.xml"


def _written_by_pkp(path: Path) -> bool:
    import zipfile

    if not _may_hold_marker(path):
        return False
    try:
        with zipfile.ZipFile(path) as zf:
            if _MARKER_PART not in zf.namelist():
                return False
            info = zf.getinfo(_MARKER_PART)
            if info.file_size > 1 << 20:  # pkp's marker part is a few hundred bytes
                return False
            with zf.open(info) as fh:
                return PKP_MARKER.encode() in fh.read(1 << 20)
    except (zipfile.BadZipFile, OSError, KeyError, EOFError, ValueError, NotImplementedError, RuntimeError):
        return False


def _may_hold_marker(path: Path) -> bool:
    """False only when the file's bytes do not hold the marker part's name anywhere: a zip's directory names each
    member in full, in bytes (the name is ASCII: the same bytes in UTF-8 and in cp437, and in a Unicode-path
    extra field), so no member of that name can be listed. A bigger file, or one that cannot be read here, is
    left to the zip reader (True); a path that is no longer a regular file (a FIFO put in its place since the
    walk) is not opened for reading at all, and not pkp's (the read says what it is)."""
    from pkp_cli.model.regular_file import NotRegularFile, open_regular

    try:
        with os.fdopen(open_regular(path), "rb") as fh:
            data = fh.read(_MARKER_PRECHECK_BYTES + 1)
    except NotRegularFile:
        return False
    except OSError:
        return True
    # The name's last part, as Python's zip reader on Windows would also find it behind a backslash.
    return len(data) > _MARKER_PRECHECK_BYTES or b"custom.xml" in data


def dates_in_names(paths: Iterable[Path]) -> list[date]:
    """Dates written in file and folder names (cheap: nothing is opened): a file's own name, a folder's
    contents' names. A folder that cannot be listed, or changes while it is walked, is passed over (os.walk
    ignores such errors; the load itself reports what it cannot read)."""
    out = []
    for root in paths:
        try:
            names = [root.name] if root.is_file() else [n for _, ds, fs in os.walk(root) for n in (*ds, *fs)]
        except OSError:
            continue
        for name in names:
            # Every date form find_date_in_text knows has digits: a name without one holds none, and the date
            # parser (with pandas) is imported only for a name that may (ingest/early.py: the reading may start
            # before pandas is imported).
            if not any(ch.isdecimal() for ch in name):
                continue
            from pkp_cli.ingest import parse

            d = parse.find_date_in_text(name)
            if d:
                out.append(d)
    return out
