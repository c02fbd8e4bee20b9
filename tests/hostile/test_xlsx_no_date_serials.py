"""A date-formatted cell holding a number that is no date serial, however the cell is written, is reported as
`date-invalid` with the value the user wrote.

calamine turns such a number into whatever it makes of it: 3000000 into "+10113-09-19 00:00:00", NaN into
1899-12-30, and a number of 301 digits into nothing (the start date then read as "not filled in", with no
message). Before, the sheet scan found these cells only when written canonically (`<c r="D2" s="1"><v>`), with
the value right after the tag and at most 64 characters long: with whitespace before `<v>`, with a long value, or
in an irregular sheet (the style before the reference), the user read calamine's rendering or nothing at all."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from tests.hostile.corpus import members, progres_xlsx, run_pkp, write_members

SHEET = "xl/worksheets/sheet1.xml"
LONG = "1" + "0" * 300  # 1e300: a float, far past 9999-12-31

# How the cell D2 is written; {s} is its date style, {v} its value.
FORMS = {
    "canonical": '<c r="D2" s="{s}"><v>{v}</v></c>',
    "whitespace before the value": '<c r="D2" s="{s}">\n  <v>{v}</v>\n</c>',
    "style before the reference (irregular)": '<c s="{s}" r="D2"><v>{v}</v></c>',
    "tab and single quotes (irregular)": "<c\ts='{s}' r='D2'>\n<v>{v}</v></c>",
}
VALUES = ["3000000", "NaN", "-5", pytest.param(LONG, id="301-digits")]


def _workbook(tmp_path: Path, form: str, value: str) -> Path:
    path = progres_xlsx(tmp_path / "progres.xlsx", [dt.datetime(2022, 4, 2)])
    parts = members(path)
    text = parts[SHEET].decode()
    cell = re.search(r'<c r="D2" s="(\d+)"[^>]*><v>[^<]*</v></c>', text)
    assert cell is not None
    parts[SHEET] = text.replace(cell.group(0), FORMS[form].format(s=cell.group(1), v=value)).encode()
    return write_members(path, parts)


@pytest.mark.parametrize("value", VALUES)
@pytest.mark.parametrize("form", list(FORMS))
def test_a_date_cell_holding_no_date_is_reported_with_the_value_written(tmp_path: Path, form: str, value: str) -> None:
    path = _workbook(tmp_path, form, value)
    got = run_pkp(["validate", str(path), "--format", "json"], cwd=tmp_path)
    assert got.returncode == 65, got.stderr[-400:]
    errors = json.loads(got.stdout)["tables"]["galat"]
    # What the user reads: the cell D2 of row 2 is no valid date, and its value is the one written (not
    # calamine's "+10113-09-19 00:00:00" or "1899-12-30 00:00:00", and not missing for the 301 digits).
    dates = [(e["cell"], e["row"], e["value"]) for e in errors if e["code"] == "date-invalid"]
    assert dates == [("D2", 2, value)], (form, value, errors)


def test_the_rebuild_unstyles_only_the_cells_whose_serial_is_no_date() -> None:
    # Style 1 is a date style. Only the cells whose value is no date lose it, whatever their tag's form; a good
    # date, a text cell (t="s"), an empty value and another style keep theirs.
    from pkp_cli.ingest.used_range import unstyled

    xml = (
        b'<row r="1"><c r="A1" s="1"><v>44000</v></c><c s="1" r="B1"><v>NaN</v></c>'
        b'<c\ts=\'1\' r=\'C1\'>\n<v>3000000</v></c><c r="D1" s="1" t="s"><v>-5</v></c>'
        b'<c r="E1" s="1"><v></v></c><c r="F1" s="2"><v>-5</v></c><x:c s="1"><x:v>60</x:v></x:c></row>'
    )
    assert unstyled(xml, frozenset({"1"})) == (
        b'<row r="1"><c r="A1" s="1"><v>44000</v></c><c r="B1"><v>NaN</v></c>'
        b'<c r=\'C1\'>\n<v>3000000</v></c><c r="D1" s="1" t="s"><v>-5</v></c>'
        b'<c r="E1" s="1"><v></v></c><c r="F1" s="2"><v>-5</v></c><x:c><x:v>60</x:v></x:c></row>'
    )
