"""A worksheet's rows written as text, byte for byte what openpyxl writes, without its element tree per cell.

Without lxml (not a dependency), openpyxl builds three ElementTree elements per text cell and serialises each
through et_xmlfile's namespace-aware writer: about 30 microseconds a cell, most of writing a province's meeting
pack on the national data (a late-locations sheet of 67,628 rows x 17 columns took 24 s). Here each row is one
string: the cell's attributes and value come from openpyxl's own `_set_attributes` and `safe_string`, escaped as
ElementTree escapes, and written through the same text writer (so the same encoding). A cell this does not
know how to write exactly as openpyxl does (a formula, rich text, a comment) makes its row openpyxl's own; so does
a writer without the text writer this relies on. tests/render/test_xlsx_rows.py holds the bytes equal on
generated sheets.
"""

from __future__ import annotations

from typing import Any

from openpyxl.cell._writer import _set_attributes
from openpyxl.compat import safe_string
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._writer import WorksheetWriter


def _cdata(text: str) -> str:
    # ElementTree's text escaping (xml.etree.ElementTree._escape_cdata)
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def _attrib(text: str) -> str:
    # ElementTree's attribute escaping (xml.etree.ElementTree._escape_attrib)
    text = _cdata(text)
    if '"' in text:
        text = text.replace('"', "&quot;")
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    if "\n" in text:
        text = text.replace("\n", "&#10;")
    if "\t" in text:
        text = text.replace("\t", "&#09;")
    return text


def _attrs(attrs: Any) -> str:
    return "".join(f' {k}="{_attrib(str(v))}"' for k, v in attrs.items())


def _own(cell: Any) -> bool:
    """Whether only openpyxl's writer writes `cell` exactly: a formula, rich text, a comment, a hyperlink (which
    its writer also collects)."""
    kind = cell.data_type
    return (
        kind == "f"
        or (kind == "s" and not isinstance(cell._value, str))
        or cell._comment is not None
        or cell._hyperlink is not None
    )


def cell_xml(cell: Any, styled: bool) -> str:
    """The `<c>` element openpyxl writes for `cell` (openpyxl.cell._writer.etree_write_cell); not for a cell
    `_own` names. Its attributes (a coordinate, a style number, a type) never need escaping."""
    kind = cell.data_type
    if kind == "d":  # a date: openpyxl's conversion (a serial number, or ISO text in an iso_dates workbook)
        value, attrs = _set_attributes(cell, styled)
        head = "<c" + _attrs(attrs)
    else:
        value = cell._value
        style = f' s="{cell.style_id}"' if styled else ""
        head = f'<c r="{get_column_letter(cell.column)}{cell.row}"{style} t="{"inlineStr" if kind == "s" else kind}"'
    if value is None or value == "":
        return head + " />"
    if kind == "s":
        stripped = value.strip()
        space = ' xml:space="preserve"' if stripped and value != stripped else ""
        return f"{head}><is><t{space}>{_cdata(value)}</t></is></c>"
    text = safe_string(value)
    return f"{head}><v>{_cdata(text)}</v></c>" if text else f"{head}><v /></c>"


class RowsWriter(WorksheetWriter):
    """openpyxl's worksheet writer with its rows written by `cell_xml`."""

    def write_row(self, xf: Any, row: list[Any], row_idx: int) -> None:
        raw = getattr(xf, "_file", None)  # et_xmlfile's text writer, what xf.write itself writes through
        if not callable(raw) or any(map(_own, row)):
            super().write_row(xf, row, row_idx)
            return
        attrs = {"r": f"{row_idx}"}
        attrs.update(self.ws.row_dimensions.get(row_idx, {}))
        parts = [f"<row{_attrs(attrs)}>"]
        for cell in row:
            style = cell._style
            styled = style is not None and any(style)  # (Cell.has_style)
            if cell._value is None and not styled:
                continue
            parts.append(cell_xml(cell, styled))
        parts.append("</row>")
        raw("".join(parts))
