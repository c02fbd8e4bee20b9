"""compute_status on hand-built frames, with hand-derived statuses and slips at every boundary.

The schedule (below) has, for PISEW: two province-level stages REK (recruitment) and DIPA (budget
revision), a location stage SRV (survey) that must wait for the province's REK, and construction KONS
that waits for SRV and needs the DIPA revision. KOTAKU has a location stage BKM and a province-level
stage LAP that comes after it (a province stage waiting for every location).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from pkp_cli.engines.status import compute_status, default_as_of
from pkp_cli.engines.workdays import WorkCalendar
from pkp_cli.model.frames import STATUS
from pkp_cli.model.schedule import Schedule
from tests.factories import lokasi_frame, lokasi_row, progres_frame, progres_row, schedule_from

SCHEDULE = """\
tahun_anggaran: 2022
batas_akhir: 2022-12-15
program:
  PISEW:
    tahapan_kunci:
      rekrutmen: REK
      revisi_dipa: DIPA
      survei: SRV
      konstruksi: KONS
    tahapan:
      - {kode: REK, nama: Rekrutmen, tingkat: provinsi, mulai: 2022-03-01, selesai: 2022-03-31}
      - {kode: DIPA, nama: Revisi DIPA, tingkat: provinsi, mulai: 2022-03-01, selesai: 2022-04-29}
      - kode: SRV
        nama: Survei pendahuluan
        tingkat: lokasi
        mulai: 2022-04-01
        selesai: 2022-04-29
        setelah: [REK]
      - kode: KONS
        nama: Konstruksi
        tingkat: lokasi
        mulai: 2022-06-01
        selesai: 2022-09-30
        setelah: [SRV]
        perlu_revisi_dipa: true
        bobot: 3
  KOTAKU:
    tahapan:
      - {kode: BKM, nama: Pembentukan BKM, tingkat: lokasi, mulai: 2022-05-09, selesai: 2022-05-20}
      - {kode: LAP, nama: Laporan provinsi, tingkat: provinsi, mulai: 2022-06-01, selesai: 2022-06-10,
         setelah: [BKM]}
"""


@pytest.fixture
def schedule(tmp_path: Path) -> Schedule:
    return schedule_from(tmp_path, SCHEDULE)


def loc(code: str, program: str = "PISEW") -> dict[str, Any]:
    return lokasi_row(code, program)


def report(code: str, stage: str, laporan: str, **fields: Any) -> dict[str, Any]:
    return progres_row(code, stage, laporan, "KOTAKU" if stage in ("BKM", "LAP") else "PISEW", **fields)


def row(status: pd.DataFrame, code: str, stage: str) -> pd.Series:
    hit = status[(status["kode_lokasi"] == code) & (status["tahapan"] == stage)]
    assert len(hit) == 1, (code, stage, len(hit))
    return hit.iloc[0]


def slip(r: pd.Series) -> tuple[str, int, int]:
    """(status, calendar days late, working days late) of one status row."""
    return (r["status"], r["hari_terlambat"], r["hari_kerja_terlambat"])


def one(schedule: Schedule, as_of: date, reports: list[dict[str, Any]], **kw: Any) -> pd.DataFrame:
    lok = lokasi_frame([loc("51.04.01"), loc("51.04.02"), loc("52.01.01"), loc("51.04.01.2001", "KOTAKU")])
    return compute_status(lok, progres_frame(reports), schedule, as_of, **kw)


# --- shape ----------------------------------------------------------------------------------------------


def test_every_location_and_province_stage_gets_a_row_even_without_reports(schedule):
    status = one(schedule, date(2022, 4, 1), [report("51.04.01", "SRV", "2022-04-01")])
    assert list(status.columns) == STATUS
    # PISEW: provinces 51 and 52 x (REK, DIPA) = 4; locations 51.04.01, 51.04.02, 52.01.01 x (SRV, KONS) = 6.
    # KOTAKU: province 51 x LAP = 1; location 51.04.01.2001 x BKM = 1. Total 12.
    assert len(status) == 12
    assert set(status.loc[status["tingkat"] == "provinsi", "kode_lokasi"]) == {"51", "52"}
    prov = row(status, "52", "REK")
    assert prov["nama_lokasi"] == "Provinsi 52" and pd.isna(prov["kode_kabupaten"])
    assert prov["tanpa_laporan"] and not prov["laporan_basi"]
    # province rows come first within a province and program, then locations, stages in schedule order
    assert list(status["kode_lokasi"].iloc[:6]) == [
        "51",
        "51",
        "51.04.01",
        "51.04.01",
        "51.04.02",
        "51.04.02",
    ]
    assert status["hari_terlambat"].dtype == np.int64 and status["urutan_dilanggar"].dtype == bool


# --- windows and status codes -------------------------------------------------------------------------


def test_window_boundaries_d_equal_mulai_and_selesai(schedule):
    # SRV window is [1 Apr, 29 Apr] 2022, inclusive.
    before = one(schedule, date(2022, 3, 31), [])
    assert row(before, "51.04.02", "SRV")["status"] == "belum_jadwal"  # D < mulai
    on_start = one(schedule, date(2022, 4, 1), [])
    assert row(on_start, "51.04.02", "SRV")["status"] == "belum_mulai"  # D = mulai
    started = [report("51.04.02", "SRV", "2022-04-20", tanggal_mulai="2022-04-04")]
    on_end = one(schedule, date(2022, 4, 29), started)
    r = row(on_end, "51.04.02", "SRV")
    assert slip(r) == ("berjalan", 0, 0)  # D = selesai
    day_after = one(schedule, date(2022, 4, 30), started)
    r = row(day_after, "51.04.02", "SRV")
    # 30 Apr is one calendar day past due, and a Saturday: 1 day late, 0 working days late
    assert slip(r) == ("terlambat", 1, 0)
    # not started and past due is late too
    assert row(day_after, "51.04.01", "SRV")["status"] == "terlambat"


def test_finished_on_the_due_date_is_on_time(schedule):
    status = one(
        schedule,
        date(2022, 5, 20),
        [report("51.04.02", "SRV", "2022-05-20", tanggal_mulai="2022-04-04", tanggal_selesai="2022-04-29")],
    )
    r = row(status, "51.04.02", "SRV")
    assert slip(r) == ("selesai", 0, 0)


def test_finished_late_across_idul_fitri_and_cuti_bersama(schedule):
    # Due Fri 29 Apr 2022, finished Mon 9 May: 10 calendar days (30 Apr .. 9 May).
    # Working days in (29 Apr, 9 May]: Sat 30, Sun 1, Mon 2 + Tue 3 (Idul Fitri), Wed 4 - Fri 6 (cuti
    # bersama), Sat 7, Sun 8 are off; only Mon 9 counts -> 1. Without cuti bersama 4-6 May are worked -> 4.
    reports = [report("51.04.02", "SRV", "2022-05-13", tanggal_mulai="2022-04-04", tanggal_selesai="2022-05-09")]
    r = row(one(schedule, date(2022, 5, 13), reports), "51.04.02", "SRV")
    assert slip(r) == ("selesai_terlambat", 10, 1)
    no_cuti = one(schedule, date(2022, 5, 13), reports, calendar=WorkCalendar(cuti_bersama=False))
    assert row(no_cuti, "51.04.02", "SRV")["hari_kerja_terlambat"] == 4


def test_open_past_due_counts_up_to_as_of(schedule):
    # DIPA due Fri 29 Apr, still open on Fri 13 May: 14 calendar days. Working days in (29 Apr, 13 May]:
    # 30 Apr - 8 May are all off (see above), then Mon 9 - Fri 13 May -> 5.
    status = one(schedule, date(2022, 5, 13), [report("51", "DIPA", "2022-05-13", tanggal_mulai="2022-03-02")])
    r = row(status, "51", "DIPA")
    assert slip(r) == ("terlambat", 14, 5)


# --- order and gates ----------------------------------------------------------------------------------


def test_province_level_predecessor_is_resolved_in_the_location_province(schedule):
    reports = [
        # province 51 finished recruitment on 8 Apr; province 52 on 25 Mar
        report("51", "REK", "2022-04-15", tanggal_mulai="2022-03-01", tanggal_selesai="2022-04-08"),
        report("52", "REK", "2022-04-15", tanggal_mulai="2022-03-01", tanggal_selesai="2022-03-25"),
        # 51.04.01 started its survey on 4 Apr, before its province finished REK (8 Apr): violated
        report("51.04.01", "SRV", "2022-04-15", tanggal_mulai="2022-04-04"),
        # 51.04.02 started on 8 Apr, the day REK finished: allowed (same-day hand-over)
        report("51.04.02", "SRV", "2022-04-15", tanggal_mulai="2022-04-08"),
        # 52.01.01 started on 4 Apr too, but ITS province finished REK on 25 Mar: fine
        report("52.01.01", "SRV", "2022-04-15", tanggal_mulai="2022-04-04"),
    ]
    status = one(schedule, date(2022, 4, 15), reports)
    assert row(status, "51.04.01", "SRV")["urutan_dilanggar"]
    assert not row(status, "51.04.02", "SRV")["urutan_dilanggar"]
    assert not row(status, "52.01.01", "SRV")["urutan_dilanggar"]


def test_started_while_predecessor_still_open_is_a_violation(schedule):
    # REK of province 51 not finished; SRV started -> violated. KONS not started -> not violated.
    status = one(schedule, date(2022, 4, 15), [report("51.04.01", "SRV", "2022-04-15", tanggal_mulai="2022-04-04")])
    assert row(status, "51.04.01", "SRV")["urutan_dilanggar"]
    assert not row(status, "51.04.01", "KONS")["urutan_dilanggar"]
    # a stage reported finished without a start date counts as started on its finish date
    done = one(schedule, date(2022, 4, 15), [report("51.04.02", "SRV", "2022-04-15", tanggal_selesai="2022-04-14")])
    assert row(done, "51.04.02", "SRV")["urutan_dilanggar"]


def test_province_stage_after_a_location_stage_waits_for_every_location(schedule):
    lok = lokasi_frame([loc("51.04.01.2001", "KOTAKU"), loc("51.04.01.2002", "KOTAKU")])
    first_done = [
        report("51.04.01.2001", "BKM", "2022-06-03", tanggal_mulai="2022-05-09", tanggal_selesai="2022-05-20"),
        report("51.04.01.2002", "BKM", "2022-06-03", tanggal_mulai="2022-05-09"),
        report("51", "LAP", "2022-06-03", tanggal_mulai="2022-06-01"),
    ]
    status = compute_status(lok, progres_frame(first_done), schedule, date(2022, 6, 3))
    assert row(status, "51", "LAP")["urutan_dilanggar"]  # 51.04.01.2002 had not finished BKM
    both_done = [*first_done[:1], report("51.04.01.2002", "BKM", "2022-06-03", tanggal_selesai="2022-05-31")]
    both_done.append(first_done[2])
    status = compute_status(lok, progres_frame(both_done), schedule, date(2022, 6, 3))
    assert not row(status, "51", "LAP")["urutan_dilanggar"]  # last BKM on 31 May, LAP began 1 Jun


def test_waiting_for_the_dipa_revision(schedule):
    reports = [
        report("52", "DIPA", "2022-06-10", tanggal_mulai="2022-03-01", tanggal_selesai="2022-04-20"),
        report("51.04.02", "KONS", "2022-06-10", tanggal_mulai="2022-06-01", tanggal_selesai="2022-06-09"),
    ]
    status = one(schedule, date(2022, 6, 10), reports)
    assert row(status, "51.04.01", "KONS")["tertunda_dipa"]  # province 51 has no DIPA revision yet
    assert not row(status, "51.04.02", "KONS")["tertunda_dipa"]  # finished: no longer waiting
    assert not row(status, "52.01.01", "KONS")["tertunda_dipa"]  # province 52 revised its DIPA
    assert not row(status, "51.04.01", "SRV")["tertunda_dipa"]  # SRV does not need the revision


# --- replay and reports -------------------------------------------------------------------------------


def test_replay_with_an_earlier_as_of_hides_the_later_report(schedule):
    reports = [
        report("51.04.01", "SRV", "2022-05-06", tanggal_mulai="2022-04-04", keterangan="menunggu camat"),
        report(
            "51.04.01",
            "SRV",
            "2022-05-20",
            tanggal_mulai="2022-04-04",
            tanggal_selesai="2022-05-18",
            keterangan="selesai",
        ),
    ]
    earlier = row(one(schedule, date(2022, 5, 13), reports), "51.04.01", "SRV")
    # on 13 May only the 6 May report exists: open, 14 days past the 29 Apr due date, 5 working days
    assert slip(earlier) == ("terlambat", 14, 5)
    assert earlier["tanggal_laporan"] == pd.Timestamp("2022-05-06")
    assert earlier["keterangan"] == "menunggu camat"
    later = row(one(schedule, date(2022, 5, 20), reports), "51.04.01", "SRV")
    # finished 18 May: 19 calendar days (30 Apr .. 18 May); working days Mon 9 - Fri 13 (5), Mon 16 is
    # Waisak, Tue 17 and Wed 18 -> 7
    assert slip(later) == ("selesai_terlambat", 19, 7)
    assert later["keterangan"] == "selesai"


def test_actual_dates_after_as_of_are_unknown(schedule):
    # a report of 6 May announcing a finish on 12 May: on 10 May that finish has not happened yet
    reports = [
        report("51.04.01", "SRV", "2022-05-06", tanggal_mulai="2022-04-04", tanggal_selesai="2022-05-12"),
        report("51.04.02", "SRV", "2022-05-06", tanggal_mulai="2022-05-11"),
    ]
    status = one(schedule, date(2022, 5, 10), reports)
    r = row(status, "51.04.01", "SRV")
    assert r["status"] == "terlambat" and pd.isna(r["tanggal_selesai"])
    r = row(status, "51.04.02", "SRV")
    assert r["status"] == "terlambat" and pd.isna(r["tanggal_mulai"])


def test_stale_report_boundary(schedule):
    reports = [report("51.04.01", "SRV", "2022-05-06", tanggal_mulai="2022-04-04")]
    # 14 days old on 20 May is not yet stale (older than 14 days is); on 21 May it is
    assert not row(one(schedule, date(2022, 5, 20), reports), "51.04.01", "SRV")["laporan_basi"]
    assert row(one(schedule, date(2022, 5, 21), reports), "51.04.01", "SRV")["laporan_basi"]
    lenient = one(schedule, date(2022, 5, 21), reports, stale_days=30)
    assert not row(lenient, "51.04.01", "SRV")["laporan_basi"]
    # a report after as_of does not count: no report at all on 5 May
    early = row(one(schedule, date(2022, 5, 5), reports), "51.04.01", "SRV")
    assert early["tanpa_laporan"] and pd.isna(early["tanggal_laporan"])


def test_reports_for_unknown_locations_or_stages_are_ignored(schedule):
    reports = [
        report("99.01.01", "SRV", "2022-05-06", tanggal_mulai="2022-04-04"),
        report("51.04.01", "XXX", "2022-05-06", tanggal_mulai="2022-04-04"),
        report("51.04.01", "REK", "2022-05-06", tanggal_mulai="2022-04-04"),  # province stage on a location
    ]
    status = one(schedule, date(2022, 5, 6), reports)
    assert status["tanpa_laporan"].all()
    assert len(status) == 12


def test_default_as_of_ignores_undated_reports():
    progres = progres_frame(
        [
            report("51.04.01", "SRV", "2022-05-06"),
            report("51.04.01", "SRV", "2022-05-13"),
            {**report("51.04.01", "SRV", "2022-06-30"), "laporan_tanpa_tanggal": True},
        ]
    )
    progres["laporan_tanpa_tanggal"] = [False, False, True]
    assert default_as_of(progres) == date(2022, 5, 13)
    progres["laporan_tanpa_tanggal"] = True
    assert default_as_of(progres) is None
    assert default_as_of(progres.iloc[:0]) is None
