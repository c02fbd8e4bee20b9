"""Construction: kritis bands, projected ends with carried slip, extrapolation and the deadline.

Schedule: R province-level 1-10 Nov 2022; S per location 11-20 Nov (after R); K construction per location
1-10 Dec (after S). batas_akhir 10 Dec 2022, so a construction that slips past its window misses it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from pkp_cli.engines.construction import FORECAST_COLUMNS, forecast, kritis_flag, projected_ends
from pkp_cli.engines.status import compute_status
from pkp_cli.model.schedule import Schedule
from tests.factories import lokasi_frame, lokasi_row, progres_frame, progres_row, schedule_from

SCHEDULE = """\
tahun_anggaran: 2022
batas_akhir: 2022-12-10
program:
  PISEW:
    tahapan_kunci:
      konstruksi: K
    tahapan:
      - {kode: R, nama: Rekrutmen, tingkat: provinsi, mulai: 2022-11-01, selesai: 2022-11-10}
      - {kode: S, nama: Survei, tingkat: lokasi, mulai: 2022-11-11, selesai: 2022-11-20, setelah: [R]}
      - {kode: K, nama: Konstruksi, tingkat: lokasi, mulai: 2022-12-01, selesai: 2022-12-10, setelah: [S]}
"""


@pytest.fixture
def schedule(tmp_path: Path) -> Schedule:
    return schedule_from(tmp_path, SCHEDULE)


def lokasi_codes(codes: list[str]) -> pd.DataFrame:
    return lokasi_frame([lokasi_row(c) for c in codes])


def rep(code: str, stage: str, laporan: str, **fields: Any) -> dict[str, Any]:
    return progres_row(code, stage, laporan, **fields)


def by_location(frame: pd.DataFrame) -> dict[str, pd.Series]:
    return {str(r["kode_lokasi"]): r for _, r in frame.iterrows()}


def test_kritis_bands():
    # planned %, actual %, projected end after batas_akhir -> kritis
    cases = [
        (69.9, 59.9, False, False),  # period I, exactly 10 behind: not more than 10
        (69.9, 59.8, False, True),  # period I, 10.1 behind
        (69.9, 66.0, True, False),  # period I: a late end alone does not make it kritis
        (70.0, 65.0, False, False),  # period II, exactly 5 behind
        (70.0, 64.9, False, True),  # period II, 5.1 behind
        (70.0, 65.0, True, True),  # period II, 5 behind but ends after batas_akhir
        (70.0, 75.0, True, True),  # period II, ahead, still ends after batas_akhir (read as "5 or less")
        (0.0, 0.0, False, False),
    ]
    plan, actual, late, expected = (list(x) for x in zip(*cases, strict=True))
    assert kritis_flag(plan, actual, late).tolist() == expected


@pytest.fixture
def seventy(schedule: Schedule) -> pd.DataFrame:
    """As of 7 Dec: K is 7 of its 10 days in, so planned is exactly 70 %. R and S done on time."""
    codes = [f"51.01.0{i}" for i in range(1, 7)]
    reports = [rep("51", "R", "2022-12-07", tanggal_mulai="2022-11-01", tanggal_selesai="2022-11-10")]
    reports += [rep(c, "S", "2022-12-07", tanggal_mulai="2022-11-11", tanggal_selesai="2022-11-20") for c in codes]
    started = {"tanggal_mulai": "2022-12-01"}
    reports += [
        rep("51.01.01", "K", "2022-12-07", progres_persen=65.0, **started),
        rep("51.01.02", "K", "2022-12-07", progres_persen=64.0, **started),
        rep("51.01.03", "K", "2022-12-07", progres_persen=70.0, **started),
        rep("51.01.04", "K", "2022-12-07", progres_persen=100.0, **started),
        rep("51.01.05", "K", "2022-12-07", tanggal_selesai="2022-12-06", **started),
    ]  # 51.01.06 has not started K
    status = compute_status(lokasi_codes(codes), progres_frame(reports), schedule, date(2022, 12, 7))
    return forecast(status, schedule, date(2022, 12, 7))


def test_forecast_at_planned_seventy(seventy):
    assert list(seventy.columns) == FORECAST_COLUMNS
    assert len(seventy) == 6
    got = by_location(seventy)
    for r in got.values():
        assert r["rencana_persen"] == pytest.approx(70.0)
    # 51.01.01: 65 % in the 7 days 1-7 Dec -> needs ceil(7 * 100 / 65) = ceil(10.77) = 11 days -> ends
    # 1 Dec + 10 = 11 Dec, after batas_akhir (10 Dec): 5 behind but ends late -> kritis
    a = got["51.01.01"]
    assert a["perkiraan_selesai"] == pd.Timestamp("2022-12-11") and a["perkiraan_geser_hari"] == 1
    assert a["deviasi"] == pytest.approx(-5.0) and a["melewati_batas_akhir"] and a["kritis"]
    # 51.01.02: 6 behind -> kritis (ceil(700 / 64) = 11 days, also 11 Dec)
    assert got["51.01.02"]["kritis"] and got["51.01.02"]["perkiraan_selesai"] == pd.Timestamp("2022-12-11")
    # 51.01.03: on plan, 700 / 70 = 10 days -> 10 Dec, on the deadline -> not kritis
    c = got["51.01.03"]
    assert c["perkiraan_selesai"] == pd.Timestamp("2022-12-10") and not c["melewati_batas_akhir"] and not c["kritis"]
    # 51.01.04: 100 % but not reported finished: ends today at the earliest (7 Dec)
    assert got["51.01.04"]["perkiraan_selesai"] == pd.Timestamp("2022-12-07") and not got["51.01.04"]["kritis"]
    # 51.01.05: finished 6 Dec: its actual end; counts as 100 %; never kritis
    e = got["51.01.05"]
    assert e["perkiraan_selesai"] == pd.Timestamp("2022-12-06") and e["progres_persen"] == 100.0
    assert e["perkiraan_geser_hari"] == -4 and not e["kritis"]
    # 51.01.06: not started on 7 Dec, so it still needs its 10 days: 7 Dec + 9 = 16 Dec; 70 behind -> kritis
    f = got["51.01.06"]
    assert f["status"] == "belum_mulai" and f["perkiraan_selesai"] == pd.Timestamp("2022-12-16")
    assert f["progres_persen"] == 0.0 and f["melewati_batas_akhir"] and f["kritis"]


def test_forecast_below_seventy(schedule):
    # As of 6 Dec planned is 6/10 = 60 % (period I: kritis only when more than 10 points behind)
    codes = ["51.01.01", "51.01.02"]
    reports = [
        rep("51.01.01", "K", "2022-12-06", tanggal_mulai="2022-12-01", progres_persen=50.0),
        rep("51.01.02", "K", "2022-12-06", tanggal_mulai="2022-12-01", progres_persen=49.0),
    ]
    status = compute_status(lokasi_codes(codes), progres_frame(reports), schedule, date(2022, 12, 6))
    got = by_location(forecast(status, schedule, date(2022, 12, 6)))
    x, y = got["51.01.01"], got["51.01.02"]
    assert x["rencana_persen"] == pytest.approx(60.0) and x["deviasi"] == pytest.approx(-10.0)
    # 50 % in 6 days -> 12 days -> 12 Dec, after batas_akhir, but in period I that alone is not kritis
    assert x["perkiraan_selesai"] == pd.Timestamp("2022-12-12") and x["melewati_batas_akhir"] and not x["kritis"]
    assert y["deviasi"] == pytest.approx(-11.0) and y["kritis"]


def test_slip_is_carried_from_a_province_level_predecessor(schedule):
    # As of 15 Nov. Province 51: R started 2 Nov, still open past its 10 Nov due date: it cannot end before
    # 15 Nov -> projected 15 Nov, slip 5. Its location 51.01.01 has not started S (window 11-20 Nov):
    # S can start 11 + 5 = 16 Nov and needs its 10 days -> 25 Nov (slip 5); K then 1 + 5 = 6 Dec + 9 =
    # 15 Dec (slip 5), after batas_akhir.
    # Province 52 finished R early (8 Nov): an early finish carries no slip. 52.01.01 is doing S (open,
    # not due yet) -> 20 Nov; 52.01.02 finished S early on 14 Nov. Both K end on plan, 10 Dec.
    codes = ["51.01.01", "52.01.01", "52.01.02"]
    reports = [
        rep("51", "R", "2022-11-15", tanggal_mulai="2022-11-02"),
        rep("52", "R", "2022-11-15", tanggal_mulai="2022-11-01", tanggal_selesai="2022-11-08"),
        rep("52.01.01", "S", "2022-11-15", tanggal_mulai="2022-11-11"),
        rep("52.01.02", "S", "2022-11-15", tanggal_mulai="2022-11-11", tanggal_selesai="2022-11-14"),
    ]
    as_of = date(2022, 11, 15)
    status = compute_status(lokasi_codes(codes), progres_frame(reports), schedule, as_of)
    ends = status.assign(proj=projected_ends(status, schedule, as_of)).set_index(["kode_lokasi", "tahapan"])["proj"]
    expected = {
        ("51", "R"): "2022-11-15",
        ("51.01.01", "S"): "2022-11-25",
        ("51.01.01", "K"): "2022-12-15",
        ("52", "R"): "2022-11-08",
        ("52.01.01", "S"): "2022-11-20",
        ("52.01.01", "K"): "2022-12-10",
        ("52.01.02", "S"): "2022-11-14",
        ("52.01.02", "K"): "2022-12-10",
    }
    assert {k: str(v)[:10] for k, v in ends.items()} == expected
    got = by_location(forecast(status, schedule, as_of))
    assert got["51.01.01"]["melewati_batas_akhir"] and got["51.01.01"]["perkiraan_geser_hari"] == 5
    # planned 0 % before the window: nothing behind, so not kritis despite the late end (period I)
    assert got["51.01.01"]["rencana_persen"] == 0.0 and not got["51.01.01"]["kritis"]
    assert not got["52.01.01"]["melewati_batas_akhir"] and not got["52.01.02"]["melewati_batas_akhir"]


def test_pace_from_the_first_day_and_below_one_percent(schedule):
    """Boundaries a mutation run found untested: construction that started on the status date itself, with
    0.5 % done, is paced (1 day for 0.5 % -> 200 days in all -> 5 Dec + 199 days = 22 Jun 2023); with nothing
    done it is not paced and ends on plan (10 Dec). R and S are done on time, so nothing is carried."""
    codes = ["51.01.01", "51.01.02"]
    reports = [
        rep("51", "R", "2022-12-05", tanggal_mulai="2022-11-01", tanggal_selesai="2022-11-10"),
        *[rep(c, "S", "2022-12-05", tanggal_mulai="2022-11-11", tanggal_selesai="2022-11-20") for c in codes],
        rep("51.01.01", "K", "2022-12-05", tanggal_mulai="2022-12-05", progres_persen=0.5),
        rep("51.01.02", "K", "2022-12-05", tanggal_mulai="2022-12-05", progres_persen=0.0),
    ]
    as_of = date(2022, 12, 5)
    status = compute_status(lokasi_codes(codes), progres_frame(reports), schedule, as_of)
    got = by_location(forecast(status, schedule, as_of))
    assert got["51.01.01"]["perkiraan_selesai"] == pd.Timestamp("2023-06-22")
    assert got["51.01.02"]["perkiraan_selesai"] == pd.Timestamp("2022-12-10")
