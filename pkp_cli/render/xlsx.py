"""xlsx output with openpyxl: text is always stored as text (never a formula), files carry pkp's marker."""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any

from pkp_cli.render.safe import atomic_write

PKP_MARKER = "pkp-cli-output"


def _sheet_title(name: str, used: set[str]) -> str:
    base = "".join("_" if ch in "[]:*?/\\" else ch for ch in name)[:31] or "data"
    title, n = base, 2
    while title.lower() in used:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(title.lower())
    return title


def write_table_workbook(path: Path, tables: list[tuple[str, list[str], list[list[Any]]]]) -> None:
    """Write sheets of (title, headers, rows) to path, atomically."""
    from openpyxl import Workbook
    from openpyxl.packaging.custom import StringProperty

    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for title, headers, rows in tables:
        ws = wb.create_sheet(_sheet_title(title, used))
        ws.append(headers)
        for row in rows:
            ws.append(list(row))
            for cell in ws[ws.max_row]:
                # A string that openpyxl would store as a formula is forced back to plain text.
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"
    wb.custom_doc_props.append(StringProperty(name="generator", value=PKP_MARKER))

    def write(fh: IO[bytes]) -> None:
        wb.save(fh)

    atomic_write(path, write)
