"""`pkp validate` on a copy of the bundled sample whose lokasi Provinsi column uses the short names BPPW write
(issue 10): nothing is rejected and nothing warned, as for the sample itself."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from pkp_cli.cli.app import app
from pkp_cli.model.aliases import province_short_names
from pkp_cli.model.regions import reference
from tests.factories import ROOT


def _short_name(code: str) -> str:
    """The first short name of a province in the reference file (Sulsel, NTB, DIY...), else its name as
    "PROV. <NAME>"."""
    shorts = [s for s, c in province_short_names().items() if c == code]
    return shorts[0] if shorts else f"PROV. {reference()[code].upper()}"


def test_validate_sample_with_short_province_names_rejects_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    path = data / "lokasi" / "lokasi-ta2022.xlsx"
    wb = openpyxl.load_workbook(path)
    changed: dict[str, str] = {}
    for ws in wb.worksheets:
        header = next(r for r in ws.iter_rows(min_row=1, max_row=10) if any(c.value == "Provinsi" for c in r))
        col = next(c.column for c in header if c.value == "Provinsi")
        code_col = next(c.column for c in header if str(c.value).startswith("Kode"))
        for row in range(header[0].row + 1, ws.max_row + 1):
            code = ws.cell(row, code_col).value
            if isinstance(code, str) and code[:2].isdigit():
                ws.cell(row, col).value = changed.setdefault(code[:2], _short_name(code[:2]))
    wb.save(path)
    # Short names were written (NTB, Sulsel, Jabar ... and "PROV. BALI" for a province with none).
    assert {changed["52"], changed["73"], changed["32"], changed["51"]} == {"NTB", "Sulsel", "Jabar", "PROV. BALI"}
    res = CliRunner().invoke(app, ["validate", "--data", str(data), "-f", "json"], env={"NO_COLOR": "1"})
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert (doc["rows_rejected"], doc["errors_total"], doc["warnings_total"]) == (0, 0, 0)
    original = CliRunner().invoke(app, ["validate", "--data", str(ROOT / "data"), "-f", "json"])
    assert doc["rows_loaded"] == json.loads(original.stdout)["rows_loaded"]  # every row, as the sample itself
