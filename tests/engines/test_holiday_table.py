"""The national holidays shipped as a table (pkp_cli/engines/holidays-id.json): the installed package's days, read
without importing it; anything the table cannot answer for goes to the package, as before."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pkp_cli.engines import workdays

ROOT = Path(__file__).resolve().parents[2]
TABLE = json.loads(workdays.HOLIDAY_TABLE.read_text(encoding="utf-8"))
# A fresh install may bring a newer `holidays` than the table was computed from (pyproject allows any 0.x from
# 0.108): pkp then asks the package, and the tests that need the table's own package say so and skip.
SAME_PACKAGE = workdays._installed_holidays() == (TABLE["version"], TABLE["indonesia_py_size"])
needs_table_package = pytest.mark.skipif(
    not SAME_PACKAGE,
    reason=f"holidays {TABLE['version']} made the table, another is installed: rerun scripts/holidays_table.py",
)


@needs_table_package
def test_the_table_is_the_installed_packages() -> None:
    assert workdays.HOLIDAY_TABLE.read_text(encoding="utf-8") == workdays.holiday_table_text()


def test_the_table_is_used_only_with_the_package_it_was_computed_from(monkeypatch: pytest.MonkeyPatch) -> None:
    cuti = workdays.CATEGORIES_WITH_CUTI_BERSAMA
    own = (TABLE["version"], TABLE["indonesia_py_size"])
    monkeypatch.setattr(workdays, "_installed_holidays", lambda: own)
    days = workdays._bundled_days((2022,), cuti)
    assert days is not None and [d.isoformat() for d in days] == TABLE["days"]["+".join(cuti)]["2022"]
    for other in ((own[0] + ".1", own[1]), (own[0], own[1] + 1), None):  # a newer release; a patched module; none
        monkeypatch.setattr(workdays, "_installed_holidays", lambda other=other: other)
        assert workdays._bundled_days((2022,), cuti) is None


@pytest.mark.parametrize("years", [(2022,), (2021, 2022), (2015, 2016, 2017), (2030, 2031, 2032, 2033, 2034, 2035)])
@pytest.mark.parametrize(
    "categories", [workdays.CATEGORIES_WITH_CUTI_BERSAMA, workdays.CATEGORIES_WITHOUT_CUTI_BERSAMA]
)
@needs_table_package
def test_several_years_are_the_packages_list_for_them_together(
    years: tuple[int, ...], categories: tuple[str, ...]
) -> None:
    assert workdays._bundled_days(years, categories) == tuple(
        sorted(workdays._indonesia_holidays(list(years), categories))
    )


def test_outside_the_table_the_package_answers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cuti = workdays.CATEGORIES_WITH_CUTI_BERSAMA
    assert workdays._bundled_days((2014, 2015), cuti) is None
    assert workdays._bundled_days((2036,), cuti) is None
    assert workdays._bundled_days((2022,), ("public", "government", "optional")) is None
    for text in ("not json", "{}", json.dumps({"version": "0.0", "indonesia_py_size": 1, "days": {}})):
        damaged = tmp_path / "holidays-id.json"
        damaged.write_text(text, encoding="utf-8")
        monkeypatch.setattr(workdays, "HOLIDAY_TABLE", damaged)
        assert workdays._bundled_days((2022,), cuti) is None
        workdays._national_holidays.cache_clear()
        try:
            days = workdays._national_holidays((2022,), cuti)
        finally:
            workdays._national_holidays.cache_clear()
        assert days == tuple(sorted(workdays._indonesia_holidays([2022], cuti)))


@needs_table_package
def test_a_cold_calendar_does_not_import_the_package() -> None:
    code = (
        "import sys\n"
        "import numpy as np\n"
        "from pkp_cli.engines.workdays import WorkCalendar\n"
        "n = WorkCalendar().count_after(np.array(['2022-05-20'], dtype='datetime64[D]'),"
        " np.array(['2022-06-03'], dtype='datetime64[D]'))[0]\n"
        "print(int(n), sorted(m for m in sys.modules if m.split('.')[0] == 'holidays' or 'holidays_indonesia' in m))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "8 []"
