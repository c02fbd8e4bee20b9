"""Formula look-alikes of the second hostile round: the sign behind spaces, line breaks or zero-width marks, and
its full-width and small forms, never reach a CSV pkp writes live; text from a schedule file never becomes a
formula in the template's hidden stage list."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest

from pkp_cli.render.safe import neutralise
from tests.conftest import MINI_SCHEDULE
from tests.hostile.corpus import data_folder, run_pkp

LOOK_ALIKES = [
    " =1+1",
    "  @SUM(A1)",
    "\u3000=2+2",  # ideographic space
    "\u00a0=3+3",  # no-break space
    "\n=4+4",
    "\r\n=5+5",
    "\u200b=6+6",  # zero-width space
    "\ufeff=7+7",
    "\uff1d8+8",  # full-width equals sign
    "\uff0b9",  # full-width plus
    "\uff0d10",  # full-width hyphen-minus
    "\uff20SUM(1)",  # full-width commercial at
    "\ufe6611",  # small equals sign
    " \uff1d12",
]


@pytest.mark.parametrize("value", LOOK_ALIKES)
def test_look_alikes_are_neutralised(value: str) -> None:
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["-5", "+15.9", "-0,5", " Bali", "a=b", "Rp 1.000", "", "  ", "\u3000Desa"])
def test_plain_text_and_numbers_pass(value: str) -> None:
    assert neutralise(value) == value


def test_validate_csv_neutralises_look_alikes_from_a_workbook(tmp_path: Path) -> None:
    """Each look-alike typed in a date cell is shown in the error table's value column: neutralised there."""
    data = data_folder(tmp_path)
    folder = data / "progres" / "2022-05-20"
    folder.mkdir(parents=True)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Progres"
    ws.append(["Kode Lokasi", "Program", "Tahapan", "Tanggal Mulai", "Keterangan"])
    for v in LOOK_ALIKES:
        ws.append(["51.04.01", "PISEW", "L1", None, None])
        ws.cell(ws.max_row, 4).value = v
        ws.cell(ws.max_row, 4).data_type = "s"
    wb.save(folder / "bali.xlsx")
    res = run_pkp(["validate", "--data", str(data), "--format", "csv", "--table", "galat"], cwd=tmp_path)
    assert res.returncode == 65, res.stderr
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    shown = [cell for row in rows for cell in row.values() if cell]
    for cell in shown:
        head = cell.lstrip(" \t\r\n\u3000\u00a0\u200b\ufeff")
        assert not (head[:1] in set("=+-@\uff1d\uff0b\uff0d\uff20\ufe66") and cell[:1] != "'"), cell
    # Zero-width marks are shown escaped ("\\u200b=6+6", no formula); the others carry the apostrophe.
    assert sum(1 for cell in shown if cell.startswith("'")) >= len(LOOK_ALIKES) - 4


def test_template_stage_list_never_holds_a_formula_from_the_schedule(tmp_path: Path) -> None:
    data = data_folder(tmp_path)
    hostile = MINI_SCHEDULE.replace(
        "nama: Sosialisasi, tingkat: lokasi, mulai: 2022-04-01",
        "nama: '=HYPERLINK(\"x\")', tingkat: lokasi, mulai: 2022-04-01",
        1,
    )
    hostile = hostile.replace("nama: Konstruksi", 'nama: "@SUM(1)"')
    assert hostile != MINI_SCHEDULE
    (tmp_path / "schedules" / "jadwal-nasional-2022.yaml").write_text(hostile, encoding="utf-8")
    out = tmp_path / "out"
    res = run_pkp(["template", "--data", str(data), "--province", "Bali", "--out", str(out)], cwd=tmp_path)
    assert res.returncode == 65, res.stderr  # the factory's location list holds one bad row
    (written,) = out.glob("*.xlsx")
    book = openpyxl.load_workbook(written)
    seen = set()
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for c in row:
                assert c.data_type != "f", (sheet.title, c.coordinate, c.value)
                seen.add(c.value)
    assert {'=HYPERLINK("x")', "@SUM(1)"} <= seen
