"""The holiday override file named in the config (`holidays_file`): CSV lines `tanggal,libur|kerja`.

Whatever the path holds, the answer is the two sets of days or one config error (78) on one line: a
workbook, a binary file, a FIFO, a folder or a file too large for a list of days is refused with its reason.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pkp_cli.errors import Exit, PkpError

MAX_HOLIDAYS_BYTES = 1_000_000  # a list of days; a year holds a few dozen lines
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _text(path: Path) -> str:
    from pkp_cli.model.regular_file import NotRegularFile, TooLarge, read_regular_file

    where = f"holidays_file {path}"
    try:
        data = read_regular_file(path, MAX_HOLIDAYS_BYTES)
    except NotRegularFile as exc:
        raise PkpError(Exit.CONFIG, f"{where}: bukan berkas biasa / not a regular file ({exc.kind})") from None
    except TooLarge as exc:
        raise PkpError(
            Exit.CONFIG, f"{where}: {exc.size} bita melebihi batas / bytes exceed the limit of {exc.limit}"
        ) from None
    except OSError as exc:
        raise PkpError(Exit.CONFIG, f"{where}: {exc.strerror or exc}") from None
    if data.startswith((_ZIP_MAGIC, _OLE_MAGIC)):
        raise PkpError(
            Exit.CONFIG,
            f"{where}: workbook Excel, bukan CSV; simpan sebagai CSV (tanggal,libur|kerja) / "
            "an Excel workbook, not CSV; save it as CSV (tanggal,libur|kerja)",
        )
    for bom, encoding in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            data, enc = data[len(bom) :], encoding
            break
    else:
        enc = "utf-8"
    try:
        text = data.decode(enc)
    except UnicodeDecodeError as exc:
        raise PkpError(
            Exit.CONFIG, f"{where}: bukan teks UTF-8 / not UTF-8 text (byte {exc.start + 1}: {exc.reason})"
        ) from None
    if "\0" in text:
        raise PkpError(Exit.CONFIG, f"{where}: berkas biner, bukan CSV / a binary file, not CSV")
    return text


def read_holidays_file(path: Path) -> tuple[frozenset[date], frozenset[date]]:
    """(extra days off, extra working days) from the file; PkpError(CONFIG) with one line for anything else."""
    from pkp_cli.ingest.parse import parse_date_text

    off: set[date] = set()
    work: set[date] = set()
    for n, line in enumerate(_text(path).splitlines(), 1):
        if not line.strip() or line.startswith("#") or line.lower().startswith("tanggal"):
            continue
        parts = [p.strip() for p in line.split(",")]
        d = parse_date_text(parts[0]) if len(parts[0]) <= 40 else None
        kind = parts[1].lower() if len(parts) > 1 else "libur"
        if d is None or kind not in ("libur", "kerja"):
            shown = line if len(line) <= 60 else f"{line[:60]}…"
            raise PkpError(Exit.CONFIG, f"holidays_file {path}: baris/line {n}: {shown!r}")
        (off if kind == "libur" else work).add(d)
    return frozenset(off), frozenset(work)
