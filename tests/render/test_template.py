"""`pkp template`: the progress workbook for a BPPW, read back (rows, formats, data validation), filled in well
(loads with no rejection) and badly (rejected at the cells the sender typed wrong).

Bali in the sample has 26 locations (PISEW kecamatan and KOTAKU kelurahan/desa) and both programs; the schedule
has 18 stages per program, 8 province-level and 10 per location. So the template has 2 x 8 + 26 x 10 = 276 rows
(row 5 to row 280 under the header in row 4) and the stage list 36 codes.
"""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from pkp_cli.cli.app import app
from pkp_cli.ingest.contract import match_header
from pkp_cli.ingest.load import load_data
from pkp_cli.model.schedule import load_schedule
from pkp_cli.views.template import COLUMNS, READS_AS
from tests.factories import ROOT, output_files

ROWS = 2 * 8 + 26 * 10
FIRST, LAST = 5, 4 + ROWS
SCHEDULE = ROOT / "schedules" / "jadwal-nasional-2022.yaml"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("templat")
    res = CliRunner().invoke(
        app,
        ["template", "--province", "Bali", "--data", str(ROOT / "data"), "--out", str(out)],
        env={"NO_COLOR": "1", "XDG_CONFIG_HOME": str(out / "cfg")},
    )
    assert res.exit_code == 0, res.output
    assert "1 templat ditulis ke" in res.stderr
    return out / "progres-bali.xlsx"


def _col(key: str) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(next(i for i, c in enumerate(COLUMNS, 1) if c.key == key))


def test_headers_are_the_contracts_own() -> None:
    for c in COLUMNS:
        canonical, exact = match_header(c.header, "progres")
        if c.key in READS_AS:
            assert (canonical, exact) == (READS_AS[c.key], True), c.header
        else:  # information columns: nothing claims them exactly (a partial claim loses to the exact one)
            assert not exact, c.header


def test_rows_are_pre_filled_with_codes_names_and_windows(template: Path) -> None:
    wb = openpyxl.load_workbook(template)
    assert wb.sheetnames[0] == "Petunjuk" and wb.sheetnames[1] == "Progres"
    assert wb["Daftar"].sheet_state == "hidden"
    assert "Isi sel B2" in wb["Petunjuk"]["A3"].value  # the instructions, in Indonesian
    ws = wb["Progres"]
    assert [c.value for c in ws[4]] == [c.header for c in COLUMNS]
    assert ws.max_row == LAST and ws.freeze_panes == "A5"
    first = {c.key: ws[f"{_col(c.key)}{FIRST}"] for c in COLUMNS}
    # PISEW's province-level stages come first, on the province code
    assert (first["kode_lokasi"].value, first["program"].value, first["tahapan"].value) == ("51", "PISEW", "PSW-01")
    window = (first["jadwal_mulai"].value, first["jadwal_selesai"].value)
    assert window == (datetime(2022, 3, 14), datetime(2022, 3, 31))
    assert first["tanggal_mulai"].value is None and first["tanggal_mulai"].number_format == "dd/mm/yyyy"
    assert first["tanggal_mulai"].fill.fgColor.rgb.endswith("FFF2CC")  # the cells to fill are shaded
    codes = [ws[f"{_col('kode_lokasi')}{r}"].value for r in range(FIRST, LAST + 1)]
    assert codes.count("51") == 16 and len(set(codes)) == 1 + 26
    loc = next(r for r in range(FIRST, LAST + 1) if ws[f"A{r}"].value != "51")
    assert ws[f"{_col('kabupaten_kota')}{loc}"].value.startswith(("Kabupaten", "Kota"))
    assert ws[f"{_col('tahapan')}{loc}"].value == "PSW-09"


def test_data_validations_read_back(template: Path) -> None:
    ws = openpyxl.load_workbook(template)["Progres"]
    dvs = {dv.type + (dv.formula1 or ""): dv for dv in ws.data_validations.dataValidation}
    dates = dvs["date44562"]  # 1 January 2022 as an Excel serial
    assert (dates.operator, dates.formula2) == ("between", "44926")  # ... to 31 December 2022
    assert str(dates.sqref) == f"B2 {_col('tanggal_mulai')}{FIRST}:{_col('tanggal_selesai')}{LAST}"
    pct = dvs["decimal0"]
    assert (pct.operator, pct.formula2, str(pct.sqref)) == ("between", "100", f"K{FIRST}:K{LAST}")
    stages = dvs["listDaftar!$A$2:$A$37"]
    assert str(stages.sqref) == f"{_col('tahapan')}{FIRST}:{_col('tahapan')}{LAST}"
    programs = dvs['list"PISEW,KOTAKU"']
    assert str(programs.sqref) == f"B{FIRST}:B{LAST}"
    assert all(dv.showErrorMessage and dv.error for dv in dvs.values())
    lists = openpyxl.load_workbook(template)["Daftar"]
    assert [lists[f"A{r}"].value for r in (2, 37)] == ["PSW-01", "KTK-18"]
    from openpyxl.utils.datetime import from_excel

    assert (from_excel(44562), from_excel(44926)) == (datetime(2022, 1, 1), datetime(2022, 12, 31))


def _load(path: Path):
    return load_data([path], load_schedule(SCHEDULE), lokasi_paths=[ROOT / "data" / "lokasi"], today=date(2022, 12, 31))


def test_a_template_filled_in_well_loads_with_no_rejection(template: Path, tmp_path: Path) -> None:
    filled = tmp_path / "progres-bali.xlsx"  # no date in the name: the report date comes from B2
    shutil.copy(template, filled)
    wb = openpyxl.load_workbook(filled)
    ws = wb["Progres"]
    ws["B2"] = date(2022, 6, 10)
    for r in range(FIRST, LAST + 1):
        if ws[f"E{r}"].value in ("PSW-01", "KTK-01"):
            ws[f"I{r}"], ws[f"J{r}"] = date(2022, 3, 1), date(2022, 3, 11)
            ws[f"L{r}"] = "Selesai lebih awal"
        if str(ws[f"E{r}"].value).endswith("-09"):
            ws[f"I{r}"] = date(2022, 5, 9)
        if str(ws[f"E{r}"].value).endswith("-15"):
            ws[f"K{r}"] = 0
    wb.save(filled)
    loaded = _load(filled)
    assert loaded.rows_rejected == 0 and loaded.errors == [] and loaded.warnings == []
    assert len(loaded.progres) == ROWS
    assert set(loaded.progres["tanggal_laporan"]) == {datetime(2022, 6, 10)}
    done = loaded.progres[loaded.progres["tahapan"] == "PSW-01"].iloc[0]
    assert done["tanggal_selesai"] == datetime(2022, 3, 11) and done["keterangan"] == "Selesai lebih awal"


def test_a_template_filled_in_badly_is_rejected_at_the_cells(template: Path, tmp_path: Path) -> None:
    bad = tmp_path / "progres-bali.xlsx"
    shutil.copy(template, bad)
    wb = openpyxl.load_workbook(bad)
    ws = wb["Progres"]
    ws["B2"] = date(2022, 6, 10)
    ws["K7"] = 150  # progress over 100
    ws["I8"] = "kemarin"  # not a date
    ws["E9"] = "PSW-99"  # a stage the schedule does not have
    ws["I10"], ws["J10"] = date(2022, 5, 20), date(2022, 5, 2)  # ends before it starts
    wb.save(bad)
    loaded = _load(bad)
    assert loaded.rows_rejected == 4
    assert sorted((e.cell, e.code) for e in loaded.errors) == [
        ("E9", "stage-suggest"),  # not in the schedule; the message names the nearest codes
        ("I8", "date-invalid"),
        ("J10", "end-before-start"),
        ("K7", "percent-range"),
    ]


def test_every_province_and_the_usage_errors(tmp_path: Path) -> None:
    env = {"NO_COLOR": "1", "XDG_CONFIG_HOME": str(tmp_path / "cfg")}
    data = ["--data", str(ROOT / "data")]
    res = CliRunner().invoke(app, ["template", "--all", "--out", str(tmp_path / "all"), *data], env=env)
    assert res.exit_code == 0, res.output
    names = output_files(tmp_path / "all")
    assert len(names) == 22 and "progres-sulawesi-selatan.xlsx" in names and "progres-bali.xlsx" in names
    res = CliRunner().invoke(app, ["template", "--out", str(tmp_path / "x"), *data], env=env)
    assert res.exit_code == 2 and "sebut --province NAMA atau --all (salah satu)" in res.stderr
    res = CliRunner().invoke(app, ["template", "-p", "Balii", "--out", str(tmp_path / "x"), *data], env=env)
    assert res.exit_code == 2 and "Bali" in res.stderr  # did you mean
