"""The national holiday list kept in pkp's cache folder: the same working days as built from `holidays`, read
back from the file, and built again when the file is damaged."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np

from pkp_cli.engines import workdays
from pkp_cli.engines.workdays import WorkCalendar


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
    text = entry.read_text(encoding="utf-8")
    entry.write_text(text.replace("[", '["2022-05-23", ', 1), encoding="utf-8")
    workdays._national_holidays.cache_clear()
    assert _count(WorkCalendar(store=tmp_path)) == plain - 1
    assert date(2022, 5, 23) in set(workdays._national_holidays((2022,), ("public", "government"), tmp_path))


def test_a_damaged_list_is_built_again(tmp_path: Path) -> None:
    workdays._national_holidays.cache_clear()
    _count(WorkCalendar(store=tmp_path))
    (entry,) = tmp_path.glob("pkp-holidays-*.json")
    entry.write_text("not json", encoding="utf-8")
    workdays._national_holidays.cache_clear()
    assert _count(WorkCalendar(store=tmp_path)) == 8
    assert entry.read_text(encoding="utf-8").startswith('["')  # rewritten
