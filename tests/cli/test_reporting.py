"""One province's late-week report moves the default status date; the others are then marked as not having
reported, on the national table and each province's summary (issue: the as-of date and replay)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from pkp_cli.cli.app import app
from tests.factories import ROOT

runner = CliRunner()


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample plus Bali's 3 June workbook re-dated 20 June (title row "Keadaan s.d. 20 Juni 2022")."""
    root = tmp_path_factory.mktemp("lapor")
    shutil.copytree(ROOT / "data", root / "data")
    shutil.copytree(ROOT / "schedules", root / "schedules")
    src = root / "data" / "progres" / "2022-06-03" / "progres-bali-2022-06-03.xlsx"
    (root / "data" / "progres" / "2022-06-20").mkdir()
    wb = openpyxl.load_workbook(src)
    ws = wb.worksheets[0]
    titles = [
        c for row in ws.iter_rows(max_row=6) for c in row if isinstance(c.value, str) and "3 Juni 2022" in c.value
    ]
    assert titles, "the Bali workbook has a dated title row"
    for c in titles:
        c.value = c.value.replace("3 Juni 2022", "20 Juni 2022")
    wb.save(root / "data" / "progres" / "2022-06-20" / "progres-bali-2022-06-20.xlsx")
    return root / "data"


def status(data: Path, *args: str) -> tuple[dict, str]:
    res = runner.invoke(app, ["status", "--data", str(data), "-f", "json", *args], env={"NO_COLOR": "1"})
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout), res.stderr


def test_the_late_report_sets_the_date_and_the_others_are_marked(data: Path) -> None:
    doc, _ = status(data)
    assert doc["as_of"] == "2022-06-20" and doc["newest_report"] == "2022-06-20" and doc["stale"] is False
    rows = {r["provinsi"]: r for r in doc["tables"]["provinsi"]}
    assert rows["Bali"]["laporan_terakhir"] == "2022-06-20" and rows["Bali"]["belum_melapor"] is False
    # 3 June is 17 days before 20 June, more than stale_days (14): not reported in the last 14 days
    others = [r for name, r in rows.items() if name != "Bali"]
    assert len(others) == 21 and all(r["belum_melapor"] and r["laporan_terakhir"] == "2022-06-03" for r in others)
    assert doc["provinces_not_reported"] == 21
    screen = runner.invoke(app, ["status", "--data", str(data)], env={"NO_COLOR": "1", "COLUMNS": "120"}).stdout
    # the note names the 14 days it means (not "this week": pkp weekly's "belum melapor minggu ini" is another test)
    assert "21 provinsi belum melapor dalam 14 hari sebelum tanggal posisi (laporan terbaru lebih tua)" in screen
    english = runner.invoke(
        app, ["status", "--data", str(data), "--lang", "en"], env={"NO_COLOR": "1", "COLUMNS": "200"}
    )
    assert "21 provinces have not reported in the 14 days before the status date" in english.stdout


def test_a_province_summary_says_when_it_last_reported(data: Path) -> None:
    doc, _ = status(data, "--province", "Aceh")
    (summary,) = doc["tables"]["ringkasan"]
    assert (summary["laporan_terakhir"], summary["belum_melapor"]) == ("2022-06-03", True)


def test_a_date_far_after_the_newest_report_is_said_first(data: Path) -> None:
    doc, err = status(data, "--as-of", "2022-09-01")
    assert doc["stale"] is True and doc["newest_report"] == "2022-06-20"
    warning = [line for line in err.splitlines() if line.startswith("pkp:")]
    assert warning and "73 hari sesudah laporan terbaru (20 Juni 2022)" in warning[0]
