"""The national holiday list kept in pkp's cache folder: the same working days as built from `holidays`, read
back from the file, and built again when the file is damaged."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np

from pkp_cli.engines import workdays
from pkp_cli.engines.workdays import WorkCalendar
from pkp_cli.ingest.kept_json import MAGIC, kept_bytes, read_kept


def _count(cal: WorkCalendar) -> int:
    # After Fri 20 May 2022 up to Fri 3 June 2022: 10 weekdays, minus the holidays 26 May (Kenaikan Isa Almasih)
    # and 1 June (Hari Lahir Pancasila); no cuti bersama falls in that span: 10 - 2 = 8.
    return int(
        cal.count_after(
            np.array(["2022-05-20"], dtype="datetime64[D]"), np.array(["2022-06-03"], dtype="datetime64[D]")
        )[0]
    )


def test_the_stored_list_gives_the_same_days_and_is_read_back(tmp_path: Path) -> None:
    workdays._national_holidays.cache_clear()
    plain = _count(WorkCalendar())
    assert plain == 8
    stored = WorkCalendar(store=tmp_path)
    assert _count(stored) == plain
    (entry,) = tmp_path.glob("pkp-holidays-*.json")
    # Read back from the file: a day written into it counts (a test-only edit, to see the file is used).
    text = read_kept(entry)
    assert text is not None
    entry.write_bytes(kept_bytes(text.replace("[", '["2022-05-23", ', 1), entry.name))  # (with its checksum line anew)
    workdays._national_holidays.cache_clear()
    assert _count(WorkCalendar(store=tmp_path)) == plain - 1
    assert date(2022, 5, 23) in set(workdays._national_holidays((2022,), ("public", "government"), tmp_path))


def test_a_damaged_list_is_built_again(tmp_path: Path) -> None:
    workdays._national_holidays.cache_clear()
    _count(WorkCalendar(store=tmp_path))
    (entry,) = tmp_path.glob("pkp-holidays-*.json")
    good = entry.read_text(encoding="utf-8")
    assert good.startswith(MAGIC + "crc32n ") and (read_kept(entry) or "").startswith('["')
    entry.write_bytes(kept_bytes("not json", entry.name))  # pkp's entry (magic and checksum), the list not a list
    workdays._national_holidays.cache_clear()
    assert _count(WorkCalendar(store=tmp_path)) == 8
    assert entry.read_text(encoding="utf-8") == good  # rewritten


def test_a_file_without_the_magic_is_neither_used_nor_overwritten(tmp_path: Path) -> None:
    workdays._national_holidays.cache_clear()
    _count(WorkCalendar(store=tmp_path))
    (entry,) = tmp_path.glob("pkp-holidays-*.json")
    entry.write_text('["2022-05-23"]', encoding="utf-8")  # valid JSON, but not written by pkp
    workdays._national_holidays.cache_clear()
    assert _count(WorkCalendar(store=tmp_path)) == 8  # 23 May is not taken as a holiday
    assert entry.read_text(encoding="utf-8") == '["2022-05-23"]'


def test_indonesia_alone_gives_the_package_list() -> None:
    # The module loaded on its own gives exactly country_holidays("ID")'s days and names, for several years and
    # both category sets (with and without cuti bersama).
    import holidays

    years = [2021, 2022, 2023, 2024, 2025, 2026]
    for categories in (workdays.CATEGORIES_WITH_CUTI_BERSAMA, workdays.CATEGORIES_WITHOUT_CUTI_BERSAMA):
        alone = workdays._indonesia_holidays(years, categories)
        package = holidays.country_holidays("ID", years=years, categories=categories)
        assert sorted(alone.items()) == sorted(package.items())
        assert len(alone) > 15 * len(years)  # about 16-25 days a year: a real list, not an empty one


def test_building_the_list_does_not_import_every_country() -> None:
    # A fresh interpreter (this one may have imported holidays.countries already): only Indonesia's module.
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from pkp_cli.engines.workdays import _indonesia_holidays\n"
        "days = _indonesia_holidays([2022], ('public', 'government'))\n"
        "assert len(days) == 20, len(days)\n"  # 2022: 16 public days + 4 cuti bersama days (29 Apr, 4-6 May)
        "print(sorted(m for m in sys.modules if m.startswith('holidays.countries')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
