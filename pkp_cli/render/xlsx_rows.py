"""A worksheet's rows written as text, byte for byte what openpyxl writes, without its element tree per cell.

Without lxml (not a dependency), openpyxl builds three ElementTree elements per text cell and serialises each
through et_xmlfile's namespace-aware writer: about 30 microseconds a cell, most of writing a province's meeting
pack on the national data (a late-locations sheet of 67,628 rows x 17 columns took 24 s). Here each row is one
string: the cell's attributes and value come from openpyxl's own `_set_attributes` and `safe_string`, escaped as
ElementTree escapes, and written through the same text writer (so the same encoding). A cell this does not
know how to write exactly as openpyxl does (a formula, rich text, a comment, a hyperlink) makes its row openpyxl's
own; so does a writer without the text writer this relies on.

A big table's rows need no cell objects at all: a `Block` keeps each column's distinct cells and, per row, the one
it takes (render/xlsx.py makes them), and the writer writes them in their place as the cells would have been
written, style numbers given in the same order. tests/render/test_big_packs.py holds the bytes equal to openpyxl's
on generated sheets.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from openpyxl.cell._writer import _set_attributes
from openpyxl.compat import safe_string
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._writer import WorksheetWriter

# ElementTree's escaping (xml.etree.ElementTree._escape_cdata, _escape_attrib), what et_xmlfile writes with
_TEXT = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"))
_ATTRIBUTE = (*_TEXT, ('"', "&quot;"), ("\r", "&#13;"), ("\n", "&#10;"), ("\t", "&#09;"))


def _escaped(text: str, pairs: tuple[tuple[str, str], ...]) -> str:
    for char, entity in pairs:
        if char in text:
            text = text.replace(char, entity)
    return text


def _cdata(text: str) -> str:
    return _escaped(text, _TEXT)


def _attrs(attrs: Any) -> str:
    return "".join(f' {k}="{_escaped(str(v), _ATTRIBUTE)}"' for k, v in attrs.items())


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


def _rest(cell: Any, styled: bool) -> str:
    """What openpyxl writes of `cell` after its coordinate (`<c r="A1"` + this), `cell` placed where it is written
    (its row and column); not for a cell `_own` names. Its other attributes (a style number, a type) never need
    escaping."""
    kind = cell.data_type
    if kind == "d":  # a date: openpyxl's conversion (a serial number, or ISO text in an iso_dates workbook)
        value, attrs = _set_attributes(cell, styled)
        attrs.pop("r")
        head = _attrs(attrs)
    else:
        value = cell._value
        style = f' s="{cell.style_id}"' if styled else ""
        head = f'{style} t="{"inlineStr" if kind == "s" else kind}"'
    if value is None or value == "":
        return head + " />"
    if kind == "s":
        stripped = value.strip()
        space = ' xml:space="preserve"' if stripped and value != stripped else ""
        return f"{head}><is><t{space}>{_cdata(value)}</t></is></c>"
    text = safe_string(value)
    return f"{head}><v>{_cdata(text)}</v></c>" if text else f"{head}><v /></c>"


def cell_xml(cell: Any, styled: bool) -> str:
    """The `<c>` element openpyxl writes for `cell` (openpyxl.cell._writer.etree_write_cell)."""
    return f'<c r="{get_column_letter(cell.column)}{cell.row}"{_rest(cell, styled)}'


def _styled(cell: Any) -> bool:
    style = cell._style
    return style is not None and any(style)  # (Cell.has_style, without its property call)


@dataclass
class Block:
    """A table's rows kept as their distinct cells instead of a cell object each: per column the distinct cells
    (openpyxl Cells, not on the sheet) and for each row the one it takes. RowsWriter writes them where they
    belong, as openpyxl would have written the cells (a national province's late locations: 67,628 rows x 17
    columns, a million cell objects before)."""

    first: int  # the sheet row of the block's first row
    cells: list[list[Any]]  # per column: its distinct cells
    codes: list[list[int]]  # per column: for each row, the index of its cell in `cells`

    @property
    def rows(self) -> int:
        return len(self.codes[0]) if self.codes else 0

    def last(self) -> int:
        return self.first + self.rows - 1


_BLOCK = "_pkp_block"


def attach(ws: Any, block: Block) -> None:
    """Put `block` on `ws` at its next row (the sheet's next appended row comes after it)."""
    if not block.rows or not block.cells:
        return
    if getattr(ws, _BLOCK, None) is not None:
        raise ValueError("a sheet holds one block of rows")
    setattr(ws, _BLOCK, block)
    ws._current_row = block.last()


def materialise(ws: Any) -> None:
    """The block's rows made cells on the sheet (what writing them through openpyxl needs); a cell already placed
    on one of its rows stays (placed later, as a cell put there after the row was appended would replace it)."""
    from openpyxl.cell import Cell

    block = getattr(ws, _BLOCK, None)
    if block is None:
        return
    setattr(ws, _BLOCK, None)
    for j, (cells, codes) in enumerate(zip(block.cells, block.codes, strict=True), 1):
        for i, k in enumerate(codes):
            if (block.first + i, j) in ws._cells:
                continue
            proto = cells[k]
            cell = Cell(ws, row=block.first + i, column=j, style_array=proto._style)
            cell._value, cell.data_type = proto._value, proto.data_type
            ws._cells[(block.first + i, j)] = cell


class RowsWriter(WorksheetWriter):
    """openpyxl's worksheet writer with its rows written as text (`cell_xml`), a block of rows among them."""

    def _block(self) -> Block | None:
        """The sheet's block, checked once (the dimension and the rows both ask): made cells when cells of its
        rows are on the sheet too, or it holds a cell only openpyxl writes."""
        if not hasattr(self, "_checked"):
            block: Block | None = getattr(self.ws, _BLOCK, None)
            if block is not None:
                clash = any(block.first <= row <= block.last() for row, _ in self.ws._cells)
                if clash or any(_own(cell) for cells in block.cells for cell in cells):
                    materialise(self.ws)
                    block = None
            self._checked = block
        return self._checked

    def write_dimensions(self) -> None:
        block = self._block()
        if block is None:
            super().write_dimensions()
            return
        from openpyxl.worksheet.dimensions import SheetDimension

        rows = {row for row, _ in self.ws._cells} | {block.first, block.last()}
        cols = {col for _, col in self.ws._cells} | {1, len(block.cells)}
        ref = f"{get_column_letter(min(cols))}{min(rows)}:{get_column_letter(max(cols))}{max(rows)}"
        self.xf.send(SheetDimension(ref).to_tree())  # (Worksheet.calculate_dimension, the block's cells counted)

    def write_rows(self) -> None:
        block = self._block()
        if block is None:
            super().write_rows()
            return
        xf = self.xf.send(True)
        raw = getattr(xf, "_file", None)
        if not callable(raw):
            materialise(self.ws)  # written through openpyxl's writer, as its own cells
        pending = callable(raw)
        with xf.element("sheetData"):
            for row_idx, row in self.rows():
                if pending and block.first <= row_idx <= block.last():
                    continue  # a row dimension alone (openpyxl lists it as an empty row): the block writes it
                if pending and row_idx > block.last():
                    self._write_block(raw, block)
                    pending = False
                self.write_row(xf, row, row_idx)
            if pending:
                self._write_block(raw, block)
        self.xf.send(None)

    def _write_block(self, raw: Any, block: Block) -> None:
        dims = self.ws.row_dimensions
        letters = [get_column_letter(j) for j in range(1, len(block.cells) + 1)]
        # per column, per distinct cell: what follows its coordinate, "" when it is not written (no value, no
        # style), made where it is first written (its style number is then given in the order openpyxl gives it)
        rests: list[list[str | None]] = [[None] * len(cells) for cells in block.cells]
        for i in range(block.rows):
            r = block.first + i
            attrs = {"r": f"{r}"}
            attrs.update(dims.get(r, {}))
            parts = [f"<row{_attrs(attrs)}>"]
            for j, letter in enumerate(letters):
                k = block.codes[j][i]
                rest = rests[j][k]
                if rest is None:
                    cell = block.cells[j][k]
                    styled = _styled(cell)
                    if cell._value is None and not styled:
                        rest = ""
                    else:
                        cell.row, cell.column = r, j + 1
                        rest = _rest(cell, styled)
                    rests[j][k] = rest
                if rest:
                    parts.append(f'<c r="{letter}{r}"{rest}')
            parts.append("</row>")
            raw("".join(parts))

    def write_row(self, xf: Any, row: list[Any], row_idx: int) -> None:
        raw = getattr(xf, "_file", None)  # et_xmlfile's text writer, what xf.write itself writes through
        if not callable(raw) or any(map(_own, row)):
            super().write_row(xf, row, row_idx)
            return
        attrs = {"r": f"{row_idx}"}
        attrs.update(self.ws.row_dimensions.get(row_idx, {}))
        parts = [f"<row{_attrs(attrs)}>"]
        for cell in row:
            styled = _styled(cell)
            if cell._value is None and not styled:
                continue
            parts.append(cell_xml(cell, styled))
        parts.append("</row>")
        raw("".join(parts))
