"""The holiday override file of the config (`holidays_file`): CSV lines `tanggal,libur|kerja`."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pkp_cli.errors import Exit, PkpError


def read_holidays_file(path: Path) -> tuple[frozenset[date], frozenset[date]]:
    """(extra days off, extra working days); any unreadable file or line is a config error (78)."""
    from pkp_cli.ingest.parse import parse_date_text

    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise PkpError(Exit.CONFIG, f"holidays_file {path}: {getattr(exc, 'strerror', None) or exc}") from exc
    off: set[date] = set()
    work: set[date] = set()
    for n, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#") or line.lower().startswith("tanggal"):
            continue
        parts = [p.strip() for p in line.split(",")]
        d = parse_date_text(parts[0])
        kind = parts[1].lower() if len(parts) > 1 else "libur"
        if d is None or kind not in ("libur", "kerja"):
            raise PkpError(Exit.CONFIG, f"holidays_file {path}: baris/line {n}: {line[:80]!r}")
        (off if kind == "libur" else work).add(d)
    return frozenset(off), frozenset(work)
