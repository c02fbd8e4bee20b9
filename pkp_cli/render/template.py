"""Write the progress template of a province (views/template.py) as the workbook a BPPW fills.

Sheets: "Petunjuk" (instructions, first), "Progres" (title rows with the report date to fill, the contract's
headers, a row per stage pre-filled, the cells to fill shaded) and a hidden "Daftar" (the stage list behind the
dropdown). Excel data validation guards the cells: dates within the fiscal year, progress 0-100, the stage and
program as dropdowns. Unlike pkp's reports the template carries no pkp marker: filled in, it is data.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from pkp_cli.text.labels import label
from pkp_cli.views.template import COLUMNS, Template

SHEET = "Progres"
INSTRUCTIONS = "Petunjuk"
LIST_SHEET = "Daftar"
DATE_CELL = "B2"  # the report date ("Keadaan s.d." in A2)
HEADER_ROW = 4
INPUT_FILL = "FFF2CC"
HEADER_FILL = "D9E2F3"
DATE_FORMAT = "dd/mm/yyyy"
INSTRUCTION_KEYS = [f"tpl.i{i}" for i in range(1, 10)]


def _letter(key: str) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(next(i for i, c in enumerate(COLUMNS, 1) if c.key == key))


def build_workbook(t: Template, lang: str = "id") -> Any:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    guide = wb.active
    guide.title = INSTRUCTIONS
    ws = wb.create_sheet(SHEET)
    lists = wb.create_sheet(LIST_SHEET)
    bold = Font(bold=True)
    shade = PatternFill("solid", start_color=INPUT_FILL, end_color=INPUT_FILL)
    head_fill = PatternFill("solid", start_color=HEADER_FILL, end_color=HEADER_FILL)
    wrap = Alignment(wrap_text=True, vertical="top")
    first, last = HEADER_ROW + 1, HEADER_ROW + max(len(t.rows), 1)
    year_start, year_end = date(t.year, 1, 1), date(t.year, 12, 31)
    fmt = {"year": t.year, "province": t.name, "code": t.code, "sheet": SHEET, "cell": DATE_CELL}

    # --- instructions
    guide.column_dimensions["A"].width = 110
    guide["A1"] = label("tpl.title", lang).format(**fmt)
    guide["A1"].font = Font(bold=True, size=13)
    for i, key in enumerate(INSTRUCTION_KEYS, 3):
        guide.cell(row=i, column=1, value=label(key, lang).format(**fmt)).alignment = wrap

    # --- the progress sheet
    ws["A1"] = label("tpl.sheet_title", lang).format(**fmt)
    ws["A1"].font = Font(bold=True, size=12)
    ws["A2"] = "Keadaan s.d."
    ws["A2"].font = bold
    ws[DATE_CELL].number_format = DATE_FORMAT
    ws[DATE_CELL].fill = shade
    ws["C2"] = label("tpl.date_hint", lang).format(**fmt)
    for j, col in enumerate(COLUMNS, 1):
        cell = ws.cell(row=HEADER_ROW, column=j, value=col.header)
        cell.font, cell.fill, cell.alignment = bold, head_fill, wrap
        ws.column_dimensions[get_column_letter(j)].width = col.width
    for i, rec in enumerate(t.rows.itertuples(index=False), first):
        for j, col in enumerate(COLUMNS, 1):
            value = getattr(rec, col.key)
            cell = ws.cell(row=i, column=j)
            if value is not None and not (isinstance(value, float) and value != value):
                cell.value = value
                if isinstance(value, str):
                    cell.data_type = "s"  # a name is text, never a formula
            if col.kind == "date":
                cell.number_format = DATE_FORMAT
            elif col.kind == "percent":
                cell.number_format = "0.00"
            if col.fill:
                cell.fill = shade
    ws.freeze_panes = f"A{first}"
    ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(COLUMNS))}{last}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"

    # --- the stage list behind the dropdown
    lists.append(["Kode Tahapan", "Uraian", "Program", "Jadwal Mulai", "Jadwal Selesai"])
    for s in t.stages:
        lists.append([s.code, s.name, s.program, s.start, s.end])
    for row in lists.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # a stage name from the schedule file is text, never a formula
    lists.sheet_state = "hidden"

    # --- data validation
    def _dv(**kw: Any) -> Any:
        dv = DataValidation(allow_blank=True, showErrorMessage=True, showInputMessage=True, errorStyle="stop", **kw)
        ws.add_data_validation(dv)
        return dv

    dates = _dv(
        type="date",
        operator="between",
        formula1=_serial(year_start),
        formula2=_serial(year_end),
        errorTitle=label("tpl.dv_date_title", lang),
        error=label("tpl.dv_date", lang).format(**fmt),
        promptTitle=label("tpl.dv_date_title", lang),
        prompt=label("tpl.dv_date_prompt", lang).format(**fmt),
    )
    dates.add(DATE_CELL)
    dates.add(f"{_letter('tanggal_mulai')}{first}:{_letter('tanggal_selesai')}{last}")
    percent = _dv(
        type="decimal",
        operator="between",
        formula1="0",
        formula2="100",
        errorTitle=label("tpl.dv_percent_title", lang),
        error=label("tpl.dv_percent", lang),
    )
    percent.add(f"{_letter('progres_persen')}{first}:{_letter('progres_persen')}{last}")
    stage_list = _dv(
        type="list",
        formula1=f"{LIST_SHEET}!$A$2:$A${len(t.stages) + 1}",
        errorTitle=label("tpl.dv_stage_title", lang),
        error=label("tpl.dv_stage", lang),
    )
    stage_list.add(f"{_letter('tahapan')}{first}:{_letter('tahapan')}{last}")
    programs = _dv(
        type="list",
        formula1='"' + ",".join(t.programs) + '"',
        errorTitle=label("tpl.dv_program_title", lang),
        error=label("tpl.dv_program", lang).format(programs=", ".join(t.programs)),
    )
    programs.add(f"{_letter('program')}{first}:{_letter('program')}{last}")
    wb.active = 0
    return wb


def _serial(d: date) -> str:
    """An Excel date serial number (the 1900 date system), which data validation formulas compare with."""
    return str((datetime(d.year, d.month, d.day) - datetime(1899, 12, 30)).days)


def write_template(t: Template, path: Path, lang: str = "id") -> None:
    """The template workbook at `path`, written atomically, byte-identical for the same data and schedule."""
    from pkp_cli.render.xlsx import save

    save(build_workbook(t, lang), path, datetime(t.year, 1, 1), marker=False)
