"""Which files in the given folders are data: workbooks and CSV, not hidden, lock or pkp-written files."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

from pkp_cli.ingest import parse
from pkp_cli.model.provenance import PKP_MARKER

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".csv")


def discover(
    paths: Iterable[Path], display_root: Path | None = None
) -> tuple[list[tuple[Path, str]], list[tuple[str, str]]]:
    """(files to read with their display names, ignored entries with reasons). Folders are recursive.

    Names are shown as given on the command line, or relative to `display_root` (the bundled sample, whose
    absolute path inside site-packages means nothing to a user)."""
    found: list[tuple[Path, str]] = []
    ignored: list[tuple[str, str]] = []
    for root in paths:
        candidates = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for p in candidates:
            shown = str(p.relative_to(display_root)) if display_root and p.is_relative_to(display_root) else str(p)
            rel_parts = p.relative_to(root).parts if p != root else (p.name,)
            if any(part.startswith(".") for part in rel_parts):
                ignored.append((shown, "hidden"))
            elif p.name.startswith("~$"):
                ignored.append((shown, "excel-lock-file"))
            elif p.suffix.lower() not in WORKBOOK_SUFFIXES:
                if root.is_file():
                    found.append((p, shown))
                else:
                    ignored.append((shown, "not-a-workbook"))
            elif p.suffix.lower() != ".csv" and _written_by_pkp(p):
                ignored.append((shown, "written-by-pkp"))
            else:
                found.append((p, shown))
    return found, ignored


def _written_by_pkp(path: Path) -> bool:
    import zipfile

    try:
        with zipfile.ZipFile(path) as zf:
            if "docProps/custom.xml" not in zf.namelist():
                return False
            return PKP_MARKER.encode() in zf.read("docProps/custom.xml")
    except (zipfile.BadZipFile, OSError, KeyError):
        return False


def dates_in_names(paths: Iterable[Path]) -> list[date]:
    """Dates written in file and folder names (cheap: nothing is opened)."""
    out = []
    for root in paths:
        items = [root] if root.is_file() else list(root.rglob("*"))
        for p in items:
            d = parse.find_date_in_text(p.name)
            if d:
                out.append(d)
    return out
