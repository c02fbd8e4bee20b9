"""Roll-ups, S-curve and the status views on a 3-location fixture, every number computed by hand.

Schedule (PISEW only): A province-level 1-10 Mar (10 days, bobot 1); B per location 1-20 Mar (20 days,
bobot 1); K construction per location 1-10 Apr (10 days, bobot 2). One province 51, three locations:
L1 = 51.01.01 and L2 = 51.01.02 in kabupaten 51.01, L3 = 51.02.01 in kabupaten 51.02. As of Tue 5 Apr 2022:

| row     | status            | slip | planned share on 5 Apr  | actual share        | weight |
|---------|-------------------|------|-------------------------|---------------------|--------|
| 51  A   | selesai_terlambat | 2    | 1 (window over)         | 1 (done 12 Mar)     | 1      |
| L1  B   | selesai           | 0    | 1                       | 1 (done 20 Mar)     | 1      |
| L1  K   | berjalan          | 0    | (5-1+1)/10 = 0.5        | 60 % -> 0.6         | 2      |
| L2  B   | selesai_terlambat | 5    | 1                       | 1 (done 25 Mar)     | 1      |
| L2  K   | berjalan          | 0    | 0.5                     | 20 % -> 0.2         | 2      |
| L3  B   | terlambat         | 16   | 1                       | 0 (open)            | 1      |
| L3  K   | belum_mulai       | 0    | 0.5                     | 0                   | 2      |

Province 51: weight 1 + 3*1 + 3*2 = 10; planned 1 + 3 + 3*2*0.5 = 7 -> 70 %; actual 1 + (1 + 1 + 0) +
(2*0.6 + 2*0.2 + 0) = 4.6 -> 46 %; deviation -24 points; slips of late rows 2, 5, 16: median 5, max 16.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pkp_cli.engines.rollup import ROLLUP_VALUES, planned_share, rollup, s_curve, week_ends, worst_first
from pkp_cli.engines.status import compute_status
from pkp_cli.model.frames import STATUS_CODES
from pkp_cli.model.schedule import Schedule
from tests.factories import (
    THREE_LOCATION_AS_OF,
    THREE_LOCATION_SCHEDULE,
    three_location_lokasi,
    three_location_progres,
    three_location_schedule,
)

SCHEDULE = THREE_LOCATION_SCHEDULE
AS_OF = THREE_LOCATION_AS_OF


@pytest.fixture
def schedule(tmp_path: Path) -> Schedule:
    return three_location_schedule(tmp_path)


def _lokasi() -> pd.DataFrame:
    return three_location_lokasi()


def _progres() -> pd.DataFrame:
    return three_location_progres()


@pytest.fixture
def progres() -> pd.DataFrame:
    return _progres()


@pytest.fixture
def status(schedule: Schedule, progres: pd.DataFrame) -> pd.DataFrame:
    return compute_status(_lokasi(), progres, schedule, AS_OF)


def test_planned_share_boundaries():
    m, s = np.datetime64("2022-04-01"), np.datetime64("2022-04-10")
    days = np.array(["2022-03-31", "2022-04-01", "2022-04-05", "2022-04-10", "2022-04-11"], dtype="datetime64[D]")
    # before the window 0; on mulai 1/10; on 5 Apr 5/10; on selesai 10/10; after it stays 1
    assert planned_share(m, s, days).tolist() == [0.0, 0.1, 0.5, 1.0, 1.0]


def test_fixture_statuses_are_as_in_the_table(status):
    got = status.set_index(["kode_lokasi", "tahapan"])[["status", "hari_terlambat"]]
    assert got.to_dict("index") == {
        ("51", "A"): {"status": "selesai_terlambat", "hari_terlambat": 2},
        ("51.01.01", "B"): {"status": "selesai", "hari_terlambat": 0},
        ("51.01.01", "K"): {"status": "berjalan", "hari_terlambat": 0},
        ("51.01.02", "B"): {"status": "selesai_terlambat", "hari_terlambat": 5},
        ("51.01.02", "K"): {"status": "berjalan", "hari_terlambat": 0},
        ("51.02.01", "B"): {"status": "terlambat", "hari_terlambat": 16},  # 21 Mar .. 5 Apr
        ("51.02.01", "K"): {"status": "belum_mulai", "hari_terlambat": 0},
    }


def test_rollup_per_province_and_national(status, schedule):
    per_prov = rollup(status, schedule, AS_OF, by="kode_provinsi")
    assert list(per_prov.columns) == ["kode_provinsi", *ROLLUP_VALUES]
    r = per_prov.iloc[0]
    assert r["kode_provinsi"] == "51" and r["jumlah"] == 7
    assert r["rencana_persen"] == pytest.approx(70.0)
    assert r["realisasi_persen"] == pytest.approx(46.0)
    assert r["deviasi"] == pytest.approx(-24.0)
    counts = {c: int(r[c]) for c in STATUS_CODES}
    assert counts == {
        "selesai": 1,
        "selesai_terlambat": 2,
        "terlambat": 1,
        "berjalan": 2,
        "belum_mulai": 1,
        "belum_jadwal": 0,
    }
    assert (r["median_terlambat"], r["maks_terlambat"], r["tahapan_terburuk"]) == (5.0, 16.0, "B")
    national = rollup(status, schedule, AS_OF)
    assert list(national.columns) == ROLLUP_VALUES
    assert national.iloc[0].to_dict() == pytest.approx(per_prov.drop(columns="kode_provinsi").iloc[0].to_dict())


def test_rollup_per_kabupaten_leaves_out_province_rows(status, schedule):
    # 51.01 (L1, L2): weight 2*1 + 2*2 = 6; planned 2*1 + 2*2*0.5 = 4 -> 66.667 %;
    #   actual (1 + 1) + (2*0.6 + 2*0.2) = 3.6 -> 60 %; deviation -6.667; one late row (L2 B, 5 days).
    # 51.02 (L3): weight 1 + 2 = 3; planned 1 + 2*0.5 = 2 -> 66.667 %; actual 0 -> 0 %; deviation -66.667.
    per_kab = worst_first(rollup(status, schedule, AS_OF, by=["kode_kabupaten"]))
    assert list(per_kab["kode_kabupaten"]) == ["51.02", "51.01"]  # worst first
    worst, better = per_kab.iloc[0], per_kab.iloc[1]
    assert worst["jumlah"] == 2 and better["jumlah"] == 4
    assert worst["rencana_persen"] == pytest.approx(200 / 3)
    assert worst["realisasi_persen"] == pytest.approx(0.0)
    assert worst["deviasi"] == pytest.approx(-200 / 3)
    assert (worst["terlambat"], worst["belum_mulai"], worst["tahapan_terburuk"]) == (1, 1, "B")
    assert better["rencana_persen"] == pytest.approx(200 / 3)
    assert better["realisasi_persen"] == pytest.approx(60.0)
    assert better["deviasi"] == pytest.approx(60.0 - 200 / 3)
    assert (better["median_terlambat"], better["maks_terlambat"]) == (5.0, 5.0)
    assert pd.isna(better["tahapan_terburuk"])  # finished late, but nothing open past due


def test_worst_first_ties():
    df = pd.DataFrame(
        {
            "kode_provinsi": ["52", "53", "51", "54"],
            "deviasi": [-5.0, -5.0, -5.0 - 1e-12, -10.0],  # float noise must not split a tie
            "terlambat": [1, 3, 1, 0],
        }
    )
    # lowest deviation (54), then most terlambat (53), then code (51 before 52)
    assert list(worst_first(df, keys=["kode_provinsi"])["kode_provinsi"]) == ["54", "53", "51", "52"]


def test_week_ends_are_fridays_then_as_of(schedule):
    points = week_ends(schedule, AS_OF)
    assert points[0] == date(2022, 1, 7) and points[-2] == date(2022, 4, 1) and points[-1] == AS_OF
    assert len(points) == 14 and all(p.weekday() == 4 for p in points[:-1])
    assert week_ends(schedule, date(2022, 4, 8))[-1] == date(2022, 4, 8)  # a Friday is not repeated
    assert len(week_ends(schedule, date(2022, 4, 8))) == 14


def test_s_curve_uses_only_what_is_known_at_each_week(status, schedule, progres):
    curve = s_curve(status, schedule, AS_OF, progres=progres).set_index("tanggal")
    at = {d: curve.loc[pd.Timestamp(d)] for d in ("2022-01-07", "2022-03-04", "2022-03-11", "2022-03-25", "2022-04-01")}
    # 7 Jan: nothing planned or done
    assert (at["2022-01-07"]["rencana_persen"], at["2022-01-07"]["realisasi_persen"]) == (0.0, 0.0)
    # 4 Mar: A 4/10 (w 1) + B 4/20 x 3 = 0.4 + 0.6 = 1.0 of 10 -> 10 %; nothing finished
    assert at["2022-03-04"]["rencana_persen"] == pytest.approx(10.0)
    assert at["2022-03-04"]["realisasi_persen"] == 0.0
    # 11 Mar: A 1 + B 11/20 x 3 = 2.65 -> 26.5 %; A finished on 12 Mar, after this point -> 0 %
    assert at["2022-03-11"]["rencana_persen"] == pytest.approx(26.5)
    assert at["2022-03-11"]["realisasi_persen"] == 0.0
    # 25 Mar: planned 1 + 3 = 4 -> 40 %; A (12 Mar), L1 B (20 Mar), L2 B (25 Mar, on the day) -> 30 %
    assert at["2022-03-25"]["rencana_persen"] == pytest.approx(40.0)
    assert at["2022-03-25"]["realisasi_persen"] == pytest.approx(30.0)
    # 1 Apr: K 1/10 x 2 x 3 = 0.6 -> 46 %; actual 3 + L1 K at its 1 Apr report (10 %) x 2 = 3.2 -> 32 %
    # (the 60 % of 5 Apr is not known yet on 1 Apr)
    assert at["2022-04-01"]["rencana_persen"] == pytest.approx(46.0)
    assert at["2022-04-01"]["realisasi_persen"] == pytest.approx(32.0)
    # the last point is as_of and equals the roll-up: 70 % planned, 46 % actual
    last = curve.iloc[-1]
    assert curve.index[-1] == pd.Timestamp(AS_OF)
    assert (last["rencana_persen"], last["realisasi_persen"]) == (pytest.approx(70.0), pytest.approx(46.0))
    assert last["deviasi"] == pytest.approx(-24.0)
    # cumulative: never decreasing here
    assert curve["realisasi_persen"].is_monotonic_increasing and curve["rencana_persen"].is_monotonic_increasing


def test_s_curve_without_history_knows_only_the_newest_report(status, schedule):
    curve = s_curve(status, schedule, AS_OF).set_index("tanggal")
    # L1 K's newest report is dated 5 Apr: on 1 Apr its progress is unknown -> 30 % (finished stages only)
    assert curve.loc[pd.Timestamp("2022-04-01"), "realisasi_persen"] == pytest.approx(30.0)
    assert curve.iloc[-1]["realisasi_persen"] == pytest.approx(46.0)


def test_s_curve_per_group(status, schedule, progres):
    per_prov = s_curve(status, schedule, AS_OF, by="kode_provinsi", progres=progres)
    assert list(per_prov.columns) == [
        "kode_provinsi",
        "tanggal",
        "rencana_persen",
        "realisasi_persen",
        "deviasi",
    ]
    assert set(per_prov["kode_provinsi"]) == {"51"} and len(per_prov) == 14
    per_kab = s_curve(status, schedule, AS_OF, by="kode_kabupaten", progres=progres)
    # province row A has no kabupaten and is left out. 51.01 on 1 Apr: weight 6, planned 2*1 + 2*2*0.1 = 2.4
    # -> 40 %; actual L1 B + L2 B + L1 K 0.1*2 = 2.2 -> 36.667 %
    row = per_kab[(per_kab["kode_kabupaten"] == "51.01") & (per_kab["tanggal"] == pd.Timestamp("2022-04-01"))]
    assert row["rencana_persen"].item() == pytest.approx(40.0)
    assert row["realisasi_persen"].item() == pytest.approx(2.2 / 6 * 100)


def test_s_curve_shows_what_is_known_now_about_past_weeks(schedule, progres):
    """Computed as of 5 Apr, the point of Fri 1 Apr counts the stages finished by then, though they were reported
    only on 5 Apr: A (12 Mar), L1 B (20 Mar), L2 B (25 Mar) = weight 3, plus L1 K at 10 % (reported 1 Apr) = 0.2,
    of 10: 32 %. A replay as of 1 Apr knows only the report of 1 Apr: 0.2 of 10 = 2 %."""
    now = s_curve(compute_status(_lokasi(), progres, schedule, AS_OF), schedule, AS_OF, progres=progres)
    at_first = now[now["tanggal"] == pd.Timestamp("2022-04-01")]
    assert at_first["realisasi_persen"].item() == pytest.approx(32.0)
    day = date(2022, 4, 1)
    replay = s_curve(compute_status(_lokasi(), progres, schedule, day), schedule, day, progres=progres)
    assert replay["tanggal"].iloc[-1] == pd.Timestamp(day)
    assert replay["realisasi_persen"].iloc[-1] == pytest.approx(2.0)
