"""xlsx output with openpyxl, for every workbook pkp writes (meeting packs, rejects, templates).

Any list of Reports becomes one workbook (`write_xlsx`): a sheet per table with typed cells by column kind
(Excel dates with an Indonesian display format, percents as numbers with a percent format, Rupiah with thousands
separators), a bold frozen header row with an autofilter, widths from the content, status cells filled from the
one palette, print setup (A4 landscape, fit to width, title and header rows repeated), a native line chart on
every curve table, and a "Keterangan" sheet with each column's description and the status colours.

Text is always stored as text, never a formula, whatever it starts with. Files carry pkp's marker (so pkp never
reads its own output as data) and the same content gives the same bytes: fixed workbook dates and zip member
timestamps (`save`).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from pkp_cli.model.provenance import PKP_MARKER
from pkp_cli.render import cells
from pkp_cli.render.safe import atomic_write

if TYPE_CHECKING:
    from pkp_cli.views.model import Column, Report, Table

EXCEL_CELL_MAX = 32_767  # characters Excel keeps in one cell
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the zip format's earliest date: every member gets it
FIXED_TIME = datetime(2000, 1, 1)  # workbook dates when a report states no as-of date
HEADER_ROW = 2  # row 1: the table's title and the report's header lines; row 2: column headers
MAX_WIDTH, TEXT_WIDTH, MIN_WIDTH = 30, 60, 6
# Excel number formats by column kind; [$-421] is the Indonesian locale (month names), [$-409] English.
DATE_FORMAT = {"id": "[$-421]d mmmm yyyy", "en": "[$-409]d mmmm yyyy"}
SHORT_DATE_FORMAT = {"id": "[$-421]d mmm", "en": "[$-409]d mmm"}
NUMBER_FORMAT = {
    "int": "#,##0",
    "days": "#,##0",
    "number": "#,##0.0",
    "percent": "0.0%",
    "points": "+0.0;-0.0;0.0",
    "rupiah": '"Rp "#,##0',
}
HEADER_FILL = "D9E2F3"
# XML 1.0 cannot hold C0 controls (but tab, LF, CR) or U+FFFE/U+FFFF; OOXML writes them as _xHHHH_, and a
# literal "_xHHHH_" in the text must then be escaped itself (as _x005F_xHHHH_) to survive the round trip.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")


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
    """A cell for `ws.append` whose text is stored as a string, whatever it starts with (never a formula)."""
    from openpyxl.cell import Cell, WriteOnlyCell
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

    if isinstance(value, str):
        # control characters (a finding's text from a workbook, say) are refused by openpyxl: shown escaped
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        value = ILLEGAL_CHARACTERS_RE.sub(lambda m: f"\\x{ord(m.group()):02x}", value)
    cell = WriteOnlyCell(ws, value=value) if isinstance(ws, WriteOnlyWorksheet) else Cell(ws, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def clip(value: Any) -> tuple[Any, bool]:
    """(the value as Excel can hold it, whether it was cut to EXCEL_CELL_MAX characters)."""
    if isinstance(value, str) and len(value) > EXCEL_CELL_MAX:
        return value[:EXCEL_CELL_MAX], True
    return value, False


# --- deterministic saving -----------------------------------------------------------------------------------


def _excel_writer() -> Any:
    """openpyxl's ExcelWriter, each sheet serialised in memory instead of through a temporary file (creating and
    removing a file per sheet was a third of the time of writing a pack), its rows as text (render/xlsx_rows.py)."""
    import io

    from openpyxl.writer.excel import ExcelWriter

    from pkp_cli.render.xlsx_rows import RowsWriter

    class _InMemory(ExcelWriter):
        def write_worksheet(self, ws: Any) -> None:
            if self.workbook.write_only:
                out = getattr(ws._writer, "out", None)
                if not isinstance(out, io.BytesIO):  # a write-only sheet streamed to a temporary file
                    super().write_worksheet(ws)
                    return
                if not ws.closed:  # a write-only sheet streamed into memory (write_table_workbook)
                    ws.close()
                ws._rels = ws._writer._rels
                self._archive.writestr(ws.path[1:], out.getvalue())
                self.manifest.append(ws)
                return
            from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing

            ws._drawing = SpreadsheetDrawing()
            ws._drawing.charts = ws._charts
            ws._drawing.images = ws._images
            buf = io.BytesIO()
            writer = RowsWriter(ws, out=buf)
            writer.write()
            ws._rels = writer._rels
            self._archive.writestr(ws.path[1:], buf.getvalue())
            self.manifest.append(ws)

    return _InMemory


class _FixedTimeZip(zipfile.ZipFile):
    """A zip whose members all carry ZIP_TIME: the clock never reaches the bytes."""

    def writestr(self, zinfo_or_arcname: Any, data: Any, compress_type: int | None = None,
                 compresslevel: int | None = None) -> None:  # fmt: skip
        if not isinstance(zinfo_or_arcname, zipfile.ZipInfo):
            zinfo = zipfile.ZipInfo(zinfo_or_arcname, date_time=ZIP_TIME)
            zinfo.external_attr = 0o600 << 16
            zinfo_or_arcname = zinfo
        super().writestr(zinfo_or_arcname, data, compress_type or self.compression, compresslevel)

    def write(self, filename: Any, arcname: Any = None, compress_type: int | None = None,
              compresslevel: int | None = None) -> None:  # fmt: skip
        # openpyxl's write-only sheets arrive as temporary files, whose modification time zip would copy
        with open(filename, "rb") as fh:
            self.writestr(arcname or str(filename), fh.read(), compress_type, compresslevel)


def save(wb: Any, path: Path, when: datetime = FIXED_TIME, *, marker: bool = True) -> None:
    """Write a workbook atomically, the workbook dates set to `when` and fixed zip times; with pkp's marker
    (a report pkp wrote is never read back as data) unless `marker` is False (a template, which becomes data)."""
    from openpyxl.packaging.custom import StringProperty

    wb.properties.created = when
    wb.properties.modified = when
    wb.properties.creator = "pkp"
    if marker:
        wb.custom_doc_props.append(StringProperty(name="generator", value=PKP_MARKER))

    def write(fh: IO[bytes]) -> None:
        _excel_writer()(wb, _FixedTimeZip(fh, "w", zipfile.ZIP_DEFLATED, allowZip64=True)).save()

    atomic_write(path, write)


def write_table_workbook(path: Path, tables: list[tuple[str, list[str], list[list[Any]]]]) -> None:
    """Write sheets of (title, headers, rows) of plain text and numbers to path, atomically (the rejects
    workbook): a finite number is a number cell, anything else text, never a formula or an error value whatever
    it starts with (cut to EXCEL_CELL_MAX), None no cell. Control characters are kept through OOXML's _xHHHH_
    escape, so the sender's value comes back exactly. openpyxl's write-only mode (the one xlsx library); only
    the strings openpyxl would read as a formula or an error value become cells of their own (a cell object per
    value is what made 100,000 rows take 18 s)."""
    import io
    import math

    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ERROR_CODES
    from openpyxl.worksheet._writer import WorksheetWriter

    wb = Workbook(write_only=True)
    used: set[str] = set()
    for title, headers, rows in tables:
        ws = wb.create_sheet(_sheet_title(title, used))
        # streamed into memory, not openpyxl's temporary file in /tmp: a full or limited disk fails in
        # atomic_write, naming the workbook, and a killed run leaves nothing behind anywhere
        ws._writer = WorksheetWriter(ws, out=io.BytesIO())
        ws._writer.write_top()

        def values(row: list[Any], ws: Any = ws) -> list[Any]:
            out: list[Any] = []
            for v in row:
                if v is None or (
                    type(v) is not str
                    and isinstance(v, (int, float))
                    and not isinstance(v, bool)
                    and (isinstance(v, int) or math.isfinite(v))
                ):
                    out.append(v)
                    continue
                text = v if type(v) is str else str(v)
                if len(text) > EXCEL_CELL_MAX:
                    text = text[:EXCEL_CELL_MAX]
                if _NOT_XML.search(text):
                    text = _NOT_XML.sub(lambda m: f"_x{ord(m.group()):04X}_", text)
                if text.startswith("=") or text in ERROR_CODES:
                    cell = WriteOnlyCell(ws, value=text)
                    cell.data_type = "s"
                    out.append(cell)
                else:
                    out.append(text)
            return out

        ws.append(values(list(headers)))
        for row in rows:
            ws.append(values(row))
    save(wb, path)


# --- reports ------------------------------------------------------------------------------------------------


@dataclass
class _Styles:
    """openpyxl style objects made once per workbook (creating them per cell is what makes writing slow)."""

    lang: str
    fills: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        from openpyxl.styles import Alignment, Border, Font, Side

        self.bold = Font(bold=True)
        self.title = Font(bold=True, size=12)
        self.italic = Font(italic=True)
        self.wrap = Alignment(wrap_text=True, vertical="top")
        self.top = Alignment(vertical="top")
        self.header_border = Border(bottom=Side(style="thin"))

    def fill(self, hexa: str) -> Any:
        from openpyxl.styles import PatternFill

        if hexa not in self.fills:
            self.fills[hexa] = PatternFill("solid", start_color=hexa, end_color=hexa)
        return self.fills[hexa]


def _value(col: Column, v: Any, lang: str) -> tuple[Any, str | None, str | None]:
    """(the cell value, its number format, its fill) for a value of a column kind."""
    from pkp_cli.render.palette import fill

    kind = col.kind
    if kind in ("list", "stages"):
        shown = cells.text(col, v, lang)
        return (shown or None), None, None
    if cells.missing(v):
        return None, None, None
    if kind in ("date", "date_short"):
        fmt = DATE_FORMAT if kind == "date" else SHORT_DATE_FORMAT
        return cells.as_date(v), fmt.get(lang, fmt["id"]), None
    if kind == "percent":
        return float(v) / 100.0, NUMBER_FORMAT[kind], None
    if kind in ("int", "days"):
        f = float(v)
        return (int(f) if f.is_integer() else f), NUMBER_FORMAT[kind], None
    if kind in ("number", "points", "rupiah"):
        return float(v), NUMBER_FORMAT[kind], None
    if kind == "status":
        return cells.text(col, v, lang), None, fill(col.vocab, v)
    if kind == "bool":
        return (cells.text(col, v, lang) or None), None, None
    return clip(str(v))[0], None, None


def _cell(ws: Any, st: _Styles, col: Column, v: Any, *, bold: bool = False) -> Any:
    return _made_cell(ws, st, col, _value(col, v, st.lang), bold=bold)


def _made_cell(ws: Any, st: _Styles, col: Column, made: tuple[Any, str | None, str | None], *, bold: bool = False
               ) -> Any:  # fmt: skip
    """The cell of a value `_value` made: a province's late locations are tens of thousands of rows of a few
    thousand distinct values, each made once (`cells.per_distinct`)."""
    value, fmt, hexa = made
    cell = text_cell(ws, value)
    if fmt:
        cell.number_format = fmt
    if hexa:
        cell.fill = st.fill(hexa)
    if bold:
        cell.font = st.bold
    if col.kind in ("text", "list", "stages"):
        cell.alignment = st.wrap
    return cell


def _data_rows(ws: Any, st: _Styles, cols: list[Column], made: list[list[Any]]) -> None:
    """The table's rows as a block (render/xlsx_rows.py): a distinct value's cell made once, where it first appears
    (its value, type and styles registered with the workbook in the order cell by cell would), and each row the
    index of its cell. Made cell by cell, openpyxl's cell objects and style setters were most of a big sheet's
    making, and its memory."""
    from pkp_cli.render.xlsx_rows import Block, attach

    protos: list[list[Any]] = [[] for _ in cols]
    codes: list[list[int]] = [[] for _ in cols]
    firsts: list[dict[int, int]] = [{} for _ in cols]  # per column: id of a made value (kept alive in `made`)
    for rec in zip(*made, strict=True):
        for c, m, first, cells_, row_codes in zip(cols, rec, firsts, protos, codes, strict=True):
            k = first.get(id(m))
            if k is None:
                k = first[id(m)] = len(cells_)
                cells_.append(_made_cell(ws, st, c, m))
            row_codes.append(k)
    attach(ws, Block(ws._current_row + 1, protos, codes))


def _width(col: Column, header: str, shown: list[str]) -> float:
    """A column as wide as its widest value (free text capped, wrapping), its header wrapping at spaces."""
    longest = max([len(s) for s in shown] + [0])
    head = max([len(w) for w in header.split()] + [0])
    cap = TEXT_WIDTH if col.kind in ("text", "list", "stages") else MAX_WIDTH
    return float(min(max(longest, head, MIN_WIDTH), cap) + 2)


def _header_lines(header: str, width: float) -> int:
    """How many lines a header wraps to at its column's width (words kept whole)."""
    lines, used = 1, 0
    for word in header.split():
        if used and used + 1 + len(word) > width - 2:
            lines, used = lines + 1, len(word)
        else:
            used += (1 if used else 0) + len(word)
    return lines


def _banner(report: Report) -> str:
    return " · ".join(report.header)


def _title_row(ws: Any, st: _Styles, title: str, banner: str) -> None:
    cell = text_cell(ws, clip(f"{title} — {banner}" if banner else title)[0])
    cell.font = st.title
    ws.append([cell])


def _header_row(ws: Any, st: _Styles, heads: list[str]) -> None:
    row = []
    for h in heads:
        cell = text_cell(ws, h)
        cell.font = st.bold
        cell.fill = st.fill(HEADER_FILL)
        cell.alignment = st.wrap
        cell.border = st.header_border
        row.append(cell)
    ws.append(row)


def _print_setup(ws: Any, footer: str) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4 (Worksheet.PAPERSIZE_A4)
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"1:{HEADER_ROW}"
    ws.print_options.gridLines = False
    ws.oddFooter.left.text = footer.replace("&", "&&")
    ws.oddFooter.right.text = "&P / &N"
    ws.freeze_panes = f"A{HEADER_ROW + 1}"


def _rows_sheet(ws: Any, st: _Styles, t: Table, banner: str, footer: str) -> int:
    """A table as rows; returns the number of the last data row (the header row when empty)."""
    from openpyxl.utils import get_column_letter

    lang = st.lang
    cols = t.columns
    heads = [c.header(lang) for c in cols]
    values = [cells.column_values(t.rows, c.key) for c in cols]
    lines = 1
    for i, (c, vals) in enumerate(zip(cols, values, strict=True)):
        shown = cells.texts(c, vals, lang)
        if t.total is not None:
            shown.append(cells.text(c, t.total.get(c.key), lang))
        width = _width(c, heads[i], shown)
        ws.column_dimensions[get_column_letter(i + 1)].width = width
        lines = max(lines, _header_lines(heads[i], width))
    ws.row_dimensions[HEADER_ROW].height = 15.0 * lines  # not every spreadsheet grows a wrapped row itself
    _print_setup(ws, footer)
    _title_row(ws, st, t.title, banner)
    _header_row(ws, st, heads)
    made = [cells.per_distinct(vals, partial(_value, c, lang=lang)) for c, vals in zip(cols, values, strict=True)]
    _data_rows(ws, st, cols, made)
    last = HEADER_ROW + len(t.rows)
    if t.total is not None:
        ws.append([_cell(ws, st, c, t.total.get(c.key), bold=True) for c in cols])
    if cols:
        ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(cols))}{max(last, HEADER_ROW)}"
    if t.rows.empty and t.total is None:
        _italic_line(ws, st, t.empty or _label("none", lang))
    _notes(ws, st, t.notes)
    return last


def _card_sheet(ws: Any, st: _Styles, t: Table, banner: str, footer: str) -> None:
    """A one-row table (a summary) as "column, value, description" rows, each value typed."""
    lang = st.lang
    rec = t.rows.iloc[0]
    ws.column_dimensions["A"].width = float(max([len(c.header(lang)) for c in t.columns] + [10]) + 2)
    ws.column_dimensions["B"].width = 24.0
    ws.column_dimensions["C"].width = float(TEXT_WIDTH)
    _print_setup(ws, footer)
    _title_row(ws, st, t.title, banner)
    _header_row(ws, st, [_label("pack.field", lang), _label("pack.value", lang), _label("legend", lang)])
    for c in t.columns:
        label = text_cell(ws, c.header(lang))
        label.font = st.bold
        desc = text_cell(ws, c.description(lang))
        desc.alignment = st.wrap
        ws.append([label, _cell(ws, st, c, rec.get(c.key)), desc])
    ws.auto_filter.ref = f"A{HEADER_ROW}:C{HEADER_ROW + len(t.columns)}"
    _notes(ws, st, t.notes)


def _italic_line(ws: Any, st: _Styles, text: str) -> None:
    cell = text_cell(ws, clip(text)[0])
    cell.font = st.italic
    ws.append([cell])


def _notes(ws: Any, st: _Styles, notes: list[str]) -> None:
    if notes:
        ws.append([])
        for line in notes:
            _italic_line(ws, st, line)


def _label(key: str, lang: str) -> str:
    from pkp_cli.text.labels import label

    return label(key, lang)


def _chart(ws: Any, t: Table, lang: str, as_of: date | None, last_col: int) -> None:
    """A native line chart of a curve table, drawn from the same series as the HTML's SVG (render/curve.py)."""
    from openpyxl.chart import LineChart, Reference, Series
    from openpyxl.chart.axis import DateAxis
    from openpyxl.utils import get_column_letter

    from pkp_cli.render.curve import curve

    c = curve(t, lang, as_of)
    if c.empty:
        return
    keys = [col.key for col in t.columns]
    chart = LineChart()
    title = t.title
    if as_of is not None:
        title += f" — {_label('as_of', lang)} {cells.fmt_date(as_of, lang)}"
    chart.title = title
    chart.height, chart.width = 9.0, 22.0
    chart.y_axis.title = "%"
    chart.y_axis.number_format = "0%"
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = c.y_max / 100.0
    chart.x_axis = DateAxis(crossAx=100)
    chart.x_axis.number_format = SHORT_DATE_FORMAT.get(lang, SHORT_DATE_FORMAT["id"])
    chart.x_axis.majorTimeUnit = "months"
    chart.x_axis.title = None
    chart.y_axis.delete = False
    chart.x_axis.delete = False
    first = HEADER_ROW + 1
    date_col = keys.index("tanggal") + 1
    for s in c.series:
        col = keys.index(s.measure) + 1
        lo = first + s.first_row
        hi = lo + len(c.dates) - 1
        series = Series(Reference(ws, min_col=col, min_row=lo, max_row=hi), title=s.label)
        series.graphicalProperties.line.solidFill = s.colour
        series.graphicalProperties.line.width = 22000
        if s.dashed:
            series.graphicalProperties.line.dashStyle = "dash"
        series.smooth = False
        chart.series.append(series)
    chart.set_categories(Reference(ws, min_col=date_col, min_row=first + c.series[0].first_row,
                                   max_row=first + c.series[0].first_row + len(c.dates) - 1))  # fmt: skip
    ws.add_chart(chart, f"{get_column_letter(last_col + 2)}{HEADER_ROW}")


def _keterangan(wb: Any, st: _Styles, used: set[str], entries: list[tuple[str, Column]], vocabs: set[str],
                banner: str, notes: list[str], footer: str) -> None:  # fmt: skip
    """The legend sheet: each sheet's columns with their descriptions, then the status colours, then notes."""
    from pkp_cli.render.palette import legend

    lang = st.lang
    ws = wb.create_sheet(_sheet_title(_label("pack.legend_sheet", lang), used))
    ws.column_dimensions["A"].width = 24.0
    ws.column_dimensions["B"].width = 28.0
    ws.column_dimensions["C"].width = float(TEXT_WIDTH + 20)
    _print_setup(ws, footer)
    _title_row(ws, st, _label("pack.legend_sheet", lang), banner)
    _header_row(ws, st, [_label("pack.sheet", lang), _label("pack.field", lang), _label("legend", lang)])
    for sheet, col in entries:
        desc = text_cell(ws, col.description(lang))
        desc.alignment = st.wrap
        ws.append([text_cell(ws, sheet), text_cell(ws, col.header(lang)), desc])
    ws.auto_filter.ref = f"A{HEADER_ROW}:C{HEADER_ROW + len(entries)}"
    colours = legend(vocabs)
    if colours:
        ws.append([])
        head = text_cell(ws, _label("pack.status_colours", lang))
        head.font = st.bold
        ws.append([head])
        for vocab, code, hexa in colours:
            swatch = text_cell(ws, _label(f"{vocab}.{code}", lang))
            swatch.fill = st.fill(hexa)
            ws.append([swatch])
    _notes(ws, st, notes)


def _when(reports: list[Report]) -> datetime:
    for r in reports:
        as_of = r.meta.get("as_of")
        if isinstance(as_of, date):
            return datetime(as_of.year, as_of.month, as_of.day)
    return FIXED_TIME


def build_workbook(reports: list[Report]) -> Any:
    """The workbook of any list of reports (see the module's docstring)."""
    from openpyxl import Workbook

    wb = Workbook()  # in memory: pack tables are small, and styled cells are cheaper than in write-only mode
    wb.remove(wb.active)
    lang = reports[0].lang if reports else "id"
    st = _Styles(lang)
    used: set[str] = set()
    entries: list[tuple[str, Column]] = []
    vocabs: set[str] = set()
    notes: list[str] = []
    banner = _banner(reports[0]) if reports else ""
    for report in reports:
        banner = _banner(report)
        footer = banner
        as_of = report.meta.get("as_of")
        for t in report.tables:
            ws = wb.create_sheet(_sheet_title(f"{t.name} {t.part}" if t.part else t.name, used))
            if t.layout == "card" and len(t.rows) == 1:
                _card_sheet(ws, st, t, banner, footer)
            else:
                _rows_sheet(ws, st, t, banner, footer)
                if t.chart == "s_curve" and len(t.rows):
                    _chart(ws, t, lang, as_of if isinstance(as_of, date) else None, len(t.columns))
            entries += [(ws.title, c) for c in t.columns]
            vocabs |= {c.vocab or "status" for c in t.columns if c.kind == "status"}
        notes += report.notes
    if entries:
        _keterangan(wb, st, used, entries, vocabs, banner, notes, banner)
    return wb


def write_xlsx(reports: list[Report], path: Path) -> None:
    """Any list of reports as one workbook at `path` (written atomically, byte-identical for the same reports)."""
    save(build_workbook(reports), path, _when(reports))
