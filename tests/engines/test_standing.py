"""Who reported when, the most-late stages and the worst stage of a group, on fixtures built here.

Written after a mutation run over the engines found these orderings and filters untested (the survivors are
listed in the closing note): each test below fails if the order or the filter it names is changed.

Schedule: three location stages X, Y, Z (in that order), windows ending 10, 10 and 6 April; as of 15 April an
open stage of X or Y is 5 days late, of Z 9 days.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from pkp_cli.engines import standing
from pkp_cli.engines.rollup import rollup
from pkp_cli.engines.status import compute_status
from tests.factories import lokasi_frame, lokasi_row, progres_frame, progres_row, schedule_from

SCHEDULE = """\
tahun_anggaran: 2022
batas_akhir: 2022-12-31
program:
  PISEW:
    tahapan:
      - {kode: X, nama: Sosialisasi, tingkat: lokasi, mulai: 2022-04-01, selesai: 2022-04-10}
      - {kode: Y, nama: Kelembagaan, tingkat: lokasi, mulai: 2022-04-01, selesai: 2022-04-10}
      - {kode: Z, nama: Survei, tingkat: lokasi, mulai: 2022-04-01, selesai: 2022-04-06}
"""
AS_OF = date(2022, 4, 15)
OPEN = {"tanggal_mulai": "2022-04-02"}
DONE = {"tanggal_mulai": "2022-04-02", "tanggal_selesai": "2022-04-05"}


def status_of(tmp_path: Path, l1: dict[str, dict], l2: dict[str, dict]):
    schedule = schedule_from(tmp_path, SCHEDULE)
    rows = [progres_row("51.01.01", s, "2022-04-15", **f) for s, f in l1.items()]
    rows += [progres_row("51.01.02", s, "2022-04-15", **f) for s, f in l2.items()]
    lok = lokasi_frame([lokasi_row("51.01.01"), lokasi_row("51.01.02")])
    return compute_status(lok, progres_frame(rows), schedule, AS_OF), schedule


def worst(tmp_path: Path, l1: dict[str, dict], l2: dict[str, dict]) -> str:
    st, schedule = status_of(tmp_path, l1, l2)
    return str(rollup(st, schedule, AS_OF, by=["kode_provinsi"])["tahapan_terburuk"].item())


def test_worst_stage_is_most_days_late_then_most_locations_then_schedule_order(tmp_path: Path) -> None:
    # Z 9 days at one location beats Y 5 days at two
    assert worst(tmp_path, {"X": OPEN, "Y": OPEN, "Z": OPEN}, {"X": DONE, "Y": OPEN, "Z": DONE}) == "Z"
    # Z done: X and Y both 5 days, Y at two locations
    assert worst(tmp_path, {"X": OPEN, "Y": OPEN, "Z": DONE}, {"X": DONE, "Y": OPEN, "Z": DONE}) == "Y"
    # X and Y both 5 days at one location: the earlier in the schedule
    assert worst(tmp_path, {"X": OPEN, "Y": OPEN, "Z": DONE}, {"X": DONE, "Y": DONE, "Z": DONE}) == "X"


def test_late_stages_most_open_rows_first_then_schedule_order(tmp_path: Path) -> None:
    # Y open late at both locations (2), X and Z at one each: Y first, then X before Z (schedule order)
    st, _ = status_of(tmp_path, {"X": OPEN, "Y": OPEN, "Z": OPEN}, {"X": DONE, "Y": OPEN, "Z": DONE})
    late = standing.late_stages(st)
    assert late[["tahapan", "terlambat"]].values.tolist() == [["Y", 2], ["X", 1], ["Z", 1]]
    assert late["maks_terlambat"].tolist() == [5.0, 5.0, 9.0]


def test_newest_report_ignores_undated_rows_and_reports_after_the_date() -> None:
    rows = [
        progres_row("51.01.01", "X", "2022-04-08"),
        progres_row("51.01.01", "X", "2022-04-12", laporan_tanpa_tanggal=True),  # its date was inferred
        progres_row("51.01.01", "Y", "2022-04-20"),  # after the status date
        progres_row("52.01.01", "X", "2022-04-11"),
    ]
    newest = standing.newest_reports(progres_frame(rows), AS_OF)
    assert newest.to_dict() == {"51": pd.Timestamp("2022-04-08"), "52": pd.Timestamp("2022-04-11")}
    # a flag left empty is a dated report (the loader sets it only when it inferred the date)
    frame = progres_frame(rows[:1])
    frame["laporan_tanpa_tanggal"] = pd.array([pd.NA], dtype="boolean")
    assert standing.newest_reports(frame, AS_OF).to_dict() == {"51": pd.Timestamp("2022-04-08")}


@pytest.mark.parametrize(("newest", "marked"), [("2022-04-01", False), ("2022-03-31", True), (None, True)])
def test_not_reported_boundary(newest: str | None, marked: bool) -> None:
    # as of 15 April with stale_days 14 the cut-off is 1 April: a report that day is recent enough
    series = pd.Series([pd.Timestamp(newest) if newest else pd.NaT], index=["51"])
    assert standing.not_reported(series, AS_OF, 14).tolist() == [marked]
