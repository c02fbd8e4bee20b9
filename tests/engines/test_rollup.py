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
from typing import Any

import numpy as np
import pandas as pd
import pytest

from pkp_cli.engines.rollup import ROLLUP_VALUES, planned_share, rollup, s_curve, week_ends, worst_first
from pkp_cli.engines.status import compute_status
from pkp_cli.model.frames import LOKASI, PROGRES, STATUS_CODES
from pkp_cli.model.schedule import Schedule, check_schedule_text, load_schedule
from pkp_cli.views.status_tables import (
    DETAIL_COLUMNS,
    KABUPATEN_COLUMNS,
    LATE_STAGE_COLUMNS,
    NATIONAL_COLUMNS,
    PERSIAPAN_COLUMNS,
    TERLAMBAT_COLUMNS,
    detail_view,
    filter_status,
    lokasi_view,
    national_view,
    province_view,
)

SCHEDULE = """\
tahun_anggaran: 2022
batas_akhir: 2022-12-15
program:
  PISEW:
    tahapan_kunci:
      konstruksi: K
    tahapan:
      - {kode: A, nama: Persiapan provinsi, tingkat: provinsi, mulai: 2022-03-01, selesai: 2022-03-10}
      - {kode: B, nama: Survei, tingkat: lokasi, mulai: 2022-03-01, selesai: 2022-03-20}
      - {kode: K, nama: Konstruksi, tingkat: lokasi, mulai: 2022-04-01, selesai: 2022-04-10, setelah: [B],
         bobot: 2}
"""
AS_OF = date(2022, 4, 5)


@pytest.fixture
def schedule(tmp_path: Path) -> Schedule:
    model, problems = check_schedule_text(SCHEDULE)
    assert model is not None, [p.message("en") for p in problems]
    path = tmp_path / "jadwal.yaml"
    path.write_text(SCHEDULE, encoding="utf-8")
    return load_schedule(path)


def _lokasi() -> pd.DataFrame:
    rows = []
    for code in ("51.01.01", "51.01.02", "51.02.01"):
        rows.append(
            {
                "kode_lokasi": code,
                "program": "PISEW",
                "kode_provinsi": "51",
                "provinsi": "Bali",
                "kode_kabupaten": code[:5],
                "kabupaten_kota": f"Kabupaten {code[:5]}",
                "nama_lokasi": f"Kecamatan {code}",
            }
        )
    df = pd.DataFrame(rows)
    for col in LOKASI:
        if col not in df:
            df[col] = pd.NA
    return df[LOKASI]


def _report(code: str, stage: str, laporan: str, **fields: Any) -> dict[str, Any]:
    return {
        "kode_lokasi": code,
        "kode_provinsi": "51",
        "program": "PISEW",
        "tahapan": stage,
        "tanggal_laporan": laporan,
        **fields,
    }


def _progres() -> pd.DataFrame:
    rows = [
        _report("51", "A", "2022-04-05", tanggal_mulai="2022-03-01", tanggal_selesai="2022-03-12"),
        _report("51.01.01", "B", "2022-04-05", tanggal_mulai="2022-03-01", tanggal_selesai="2022-03-20"),
        _report("51.01.01", "K", "2022-04-01", tanggal_mulai="2022-04-01", progres_persen=10.0, keterangan="mulai"),
        _report(
            "51.01.01",
            "K",
            "2022-04-05",
            tanggal_mulai="2022-04-01",
            progres_persen=60.0,
            keterangan="lancar",
        ),
        _report("51.01.02", "B", "2022-04-05", tanggal_mulai="2022-03-02", tanggal_selesai="2022-03-25"),
        _report("51.01.02", "K", "2022-04-05", tanggal_mulai="2022-04-03", progres_persen=20.0),
        _report("51.02.01", "B", "2022-04-05", tanggal_mulai="2022-03-05", keterangan="warga belum sepakat"),
    ]
    df = pd.DataFrame(rows, columns=sorted({k for r in rows for k in r} | set(PROGRES)))
    for col in ("tanggal_mulai", "tanggal_selesai", "tanggal_laporan"):
        df[col] = pd.to_datetime(df[col])
    df["progres_persen"] = df["progres_persen"].astype(float)
    df["laporan_tanpa_tanggal"] = False
    return df[PROGRES]


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


# --- views ---------------------------------------------------------------------------------------------


def test_national_view(status, schedule):
    provinces, stages = national_view(status, schedule, AS_OF)
    assert list(provinces.columns) == NATIONAL_COLUMNS
    assert provinces[["kode_provinsi", "provinsi"]].values.tolist() == [["51", "Bali"]]
    assert provinces["deviasi"].item() == pytest.approx(-24.0)
    assert list(stages.columns) == LATE_STAGE_COLUMNS
    # only B has a row open past due (L3); its late rows are L2 (finished 5 days late) and L3 (16 days)
    assert stages[["tahapan", "terlambat", "selesai_terlambat"]].values.tolist() == [["B", 1, 1]]
    assert (stages["median_terlambat"].item(), stages["maks_terlambat"].item()) == (10.5, 16.0)


def test_province_view(status, schedule):
    view = province_view(status, schedule, AS_OF, "51")
    assert list(view["persiapan"].columns) == PERSIAPAN_COLUMNS
    assert view["persiapan"][["tahapan", "status", "hari_terlambat"]].values.tolist() == [["A", "selesai_terlambat", 2]]
    assert list(view["kabupaten"].columns) == KABUPATEN_COLUMNS
    assert view["kabupaten"][["kode_kabupaten", "kabupaten_kota"]].values.tolist() == [
        ["51.02", "Kabupaten 51.02"],
        ["51.01", "Kabupaten 51.01"],
    ]
    assert list(view["terlambat"].columns) == TERLAMBAT_COLUMNS
    late = view["terlambat"].iloc[0]
    assert len(view["terlambat"]) == 1
    assert (late["kode_lokasi"], late["tahapan"], late["hari_terlambat"], late["keterangan"]) == (
        "51.02.01",
        "B",
        16,
        "warga belum sepakat",
    )
    assert all(len(v) == 0 for v in province_view(status, schedule, AS_OF, "99").values())


def test_lokasi_view(status, progres):
    view = lokasi_view(status, progres, "51.01.01")
    # the province stage that gates it, then its own stages, in schedule order
    assert view["tahapan"][["tingkat", "tahapan", "status"]].values.tolist() == [
        ["provinsi", "A", "selesai_terlambat"],
        ["lokasi", "B", "selesai"],
        ["lokasi", "K", "berjalan"],
    ]
    assert view["laporan"][["tanggal_laporan", "tahapan", "keterangan"]].values.tolist() == [
        [pd.Timestamp("2022-04-01"), "K", "mulai"],
        [pd.Timestamp("2022-04-05"), "K", "lancar"],
    ]
    replay = lokasi_view(status, progres, "51.01.01", as_of=date(2022, 4, 4))
    assert list(replay["laporan"]["keterangan"]) == ["mulai"]
    assert len(lokasi_view(status, progres, "00.00.00")["tahapan"]) == 0


def test_detail_view_and_filters(status):
    assert list(detail_view(status).columns) == DETAIL_COLUMNS
    assert len(detail_view(status)) == 7
    # a kabupaten filter drops province rows; late_only keeps terlambat and selesai_terlambat
    assert len(filter_status(status, kabupaten="51.01")) == 4
    late = filter_status(status, late_only=True)
    assert sorted(zip(late["kode_lokasi"], late["tahapan"], strict=True)) == [
        ("51", "A"),
        ("51.01.02", "B"),
        ("51.02.01", "B"),
    ]
    assert len(filter_status(status, stage=["K"], codes=["berjalan"])) == 2
    assert len(filter_status(status, program="KOTAKU")) == 0
