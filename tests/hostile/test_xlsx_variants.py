"""xlsx cells of the second hostile round: serial 60 (29 February 1900, the day Excel invents) in a date cell,
and cells holding an Excel error (#DIV/0!, #REF!, #N/A: a formula's cached value). calamine reads an error cell
as empty, so the row loaded as "not started" (a date) or "no progress" (a percent) with no word; each is now an
error at its cell, the error's text kept as the value."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pkp_cli.text.messages import render
from tests.hostile.corpus import (
    assert_one_line,
    cells,
    data_folder,
    load,
    members,
    progres_xlsx,
    run_pkp,
    with_shared_strings,
    with_xml_value,
    write_members,
)

SHEET = "xl/worksheets/sheet1.xml"


@pytest.mark.parametrize("serial", [60, 60.5])
def test_serial_60_is_no_date(tmp_path: Path, mini_schedule, serial: float) -> None:
    data = data_folder(tmp_path)
    progres_xlsx(data / "bali.xlsx", [dt.datetime(2022, 4, 2), serial, 61])
    r = load([data], mini_schedule)
    assert ("D3", "date-invalid") in cells(r.errors, "bali.xlsx")
    assert next(i for i in r.errors if i.cell == "D3").value == str(serial)
    report = next(f for f in r.files if f.path.endswith("bali.xlsx"))
    assert report.total("rows_read") == report.total("rows_loaded") + report.total("rows_rejected") == 3


@pytest.mark.parametrize("error", ["#DIV/0!", "#REF!", "#N/A", "#VALUE!", "#NAME?", "#NUM!", "#NULL!"])
def test_an_error_in_a_date_cell_rejects_the_row_at_its_cell(tmp_path: Path, mini_schedule, error: str) -> None:
    data = data_folder(tmp_path)
    path = progres_xlsx(data / "bali.xlsx", [dt.datetime(2022, 4, 2), 44700])
    xml = error.replace("&", "&amp;")
    with_xml_value(path, SHEET, '<c r="D3" s="1" t="n"><v>44700</v>', f'<c r="D3" s="1" t="e"><f>1/0</f><v>{xml}</v>')
    r = load([data], mini_schedule)
    assert cells(r.errors, "bali.xlsx") == {("D3", "cell-error")}
    issue = next(i for i in r.errors if i.cell == "D3")
    assert issue.value == error and error in issue.message("en")
    assert len(r.progres) == 1  # the row with the error is not loaded as "not started"


def test_an_error_in_a_text_cell_pkp_reads_and_in_one_it_does_not(tmp_path: Path, mini_schedule) -> None:
    """An error in Keterangan (read) rejects the row; one in a column pkp does not read changes nothing."""
    import openpyxl

    data = data_folder(tmp_path)
    path = data / "bali.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Kode Lokasi", "Program", "Tahapan", "Tanggal Mulai", "Keterangan", "Catatan Lain"])
    ws.append(["51.04.01", "PISEW", "L1", "01/04/2022", "ok", 1])
    ws.append(["51.04.01", "PISEW", "L2", "02/04/2022", 2, "x"])
    wb.save(path)
    with_xml_value(path, SHEET, '<c r="F2" t="n"><v>1</v>', '<c r="F2" t="e"><v>#N/A</v>')
    with_xml_value(path, SHEET, '<c r="E3" t="n"><v>2</v>', '<c r="E3" t="e"><f>VLOOKUP(1,A:A,2)</f><v>#REF!</v>')
    r = load([data], mini_schedule)
    assert cells(r.errors, "bali.xlsx") == {("E3", "cell-error")}
    assert list(r.progres["tahapan"]) == ["L1"]


def test_the_new_codes_render_in_both_languages() -> None:
    for lang in ("id", "en"):
        assert "{" not in render("cell-error", lang, value="#REF!")
        assert "{" not in render("csv-header-quote-unclosed", lang, line=1, column="B")


def _with_shared_strings(path: Path, e2_value: str) -> None:
    """The workbook with a shared-strings part ("lain", "catatan") and cell E2 a shared-string cell holding
    `e2_value` (openpyxl writes inline strings, Excel writes shared ones)."""
    import re

    parts = members(path)
    with_shared_strings(parts, ["lain", "catatan"])
    cell = f'<c r="E2" t="s"><v>{e2_value}</v></c>'.encode()
    parts[SHEET], n = re.subn(rb'<c r="E2"[^>]*>.*?</c>', cell, parts[SHEET])
    assert n == 1
    write_members(path, parts)


def _keterangan_workbook(path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["Kode Lokasi", "Program", "Tahapan", "Tanggal Mulai", "Keterangan"])
    wb.active.append(["51.04.01", "PISEW", "L1", "01/04/2022", "ditulis inline"])
    wb.save(path)


@pytest.mark.parametrize("index", ["-1", "abc", "0.5", " 1", "99999999999"])
def test_a_shared_string_cell_that_holds_no_index_is_66(tmp_path: Path, index: str) -> None:
    """calamine read `<c t="s"><v>-1</v>` as shared string 0: a remark (or a code) silently taken from another
    cell. A value that is no index is a malformed sheet (66), like an index past the end, naming the cell."""
    data = data_folder(tmp_path)
    _keterangan_workbook(data / "bali.xlsx")
    _with_shared_strings(data / "bali.xlsx", index)
    res = run_pkp(["validate", "--data", str(data)], cwd=tmp_path, timeout=120)
    assert res.returncode == 66, res.stderr
    line = assert_one_line(res.stderr, "bali.xlsx")
    assert f"E2: shared-string index '{index}'" in line and SHEET in line


def test_a_shared_string_index_in_range_reads_its_string(tmp_path: Path, mini_schedule) -> None:
    data = data_folder(tmp_path)
    _keterangan_workbook(data / "bali.xlsx")
    _with_shared_strings(data / "bali.xlsx", "1")
    r = load([data], mini_schedule)
    assert list(r.progres["keterangan"]) == ["catatan"]
