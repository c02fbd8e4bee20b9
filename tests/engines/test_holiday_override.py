"""The holiday override file named in the config (date,libur|kerja) changes the working-day count."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from pkp_cli.engines.workdays import WorkCalendar
from pkp_cli.errors import PkpError
from pkp_cli.ingest.holidays import read_holidays_file


def calendar_from(tmp_path: Path, text: str):
    path = tmp_path / "libur.csv"
    path.write_text(text, encoding="utf-8")
    off, work = read_holidays_file(path)
    return WorkCalendar(extra_off=off, extra_work=work)


def test_override_days_move_the_count(tmp_path: Path) -> None:
    # Mon 13 Jun to Fri 17 Jun 2022 after Fri 10 Jun: 5 working days with the national calendar.
    start, end = np.array(["2022-06-10"], dtype="datetime64[D]"), np.array(["2022-06-17"], dtype="datetime64[D]")
    assert calendar_from(tmp_path, "").count_after(start, end)[0] == 5
    # A regional day off on Wednesday removes one; Saturday 11 Jun worked adds one back.
    cal = calendar_from(tmp_path, "tanggal,jenis\n15/06/2022,libur\n11 Juni 2022,kerja\n")
    assert cal.count_after(start, end)[0] == 5
    cal = calendar_from(tmp_path, "2022-06-15,libur\n")
    assert cal.count_after(start, end)[0] == 4


def test_a_bad_line_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(PkpError) as err:
        calendar_from(tmp_path, "2022-06-15,cuti\n")
    assert int(err.value.code) == 78 and "line 1" in err.value.message
