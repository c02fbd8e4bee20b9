"""xlsx output with openpyxl: text is always stored as text (never a formula), files carry pkp's marker."""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any

from pkp_cli.model.provenance import PKP_MARKER
from pkp_cli.render.safe import atomic_write

EXCEL_CELL_MAX = 32_767  # characters Excel keeps in one cell


def _sheet_title(name: str, used: set[str]) -> str:
    # Excel refuses []:*?/\ in sheet names and a leading or trailing apostrophe; a name from data never starts
    # a formula (a sheet name is never evaluated, but keep it plain text all the same).
    base = "".join("_" if ch in "[]:*?/\\" else ch for ch in name).strip("'")[:31] or "data"
    title, n = base, 2
    while title.lower() in used:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(title.lower())
    return title


def text_cell(ws: Any, value: Any) -> Any:
    """A write-only cell whose text is stored as a string, whatever it starts with (never a formula)."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def clip(value: Any) -> tuple[Any, bool]:
    """(the value as Excel can hold it, whether it was cut to EXCEL_CELL_MAX characters)."""
    if isinstance(value, str) and len(value) > EXCEL_CELL_MAX:
        return value[:EXCEL_CELL_MAX], True
    return value, False


def write_table_workbook(path: Path, tables: list[tuple[str, list[str], list[list[Any]]]]) -> None:
    """Write sheets of (title, headers, rows) to path, atomically; every string cell is text.

    Write-only mode streams rows (100,000 rows in seconds, memory flat)."""
    from openpyxl import Workbook
    from openpyxl.packaging.custom import StringProperty

    wb = Workbook(write_only=True)
    used: set[str] = set()
    for title, headers, rows in tables:
        ws = wb.create_sheet(_sheet_title(title, used))
        ws.append([text_cell(ws, clip(h)[0]) for h in headers])
        for row in rows:
            ws.append([text_cell(ws, v) for v in row])
    wb.custom_doc_props.append(StringProperty(name="generator", value=PKP_MARKER))

    def write(fh: IO[bytes]) -> None:
        wb.save(fh)

    atomic_write(path, write)
