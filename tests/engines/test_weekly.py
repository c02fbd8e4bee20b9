"""engines/weekly.py on small hand-made states: each change's definition, key alignment, arrows, trends."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from pkp_cli.engines.weekly import (
    KANDIDAT_COLUMNS,
    ROLLUP_COLUMNS,
    TEMUAN_COLUMNS,
    WeekState,
    compare,
    direction,
    earlier_positions,
    trends,
)

EARLIER, LATER = date(2022, 5, 20), date(2022, 5, 27)


def status(rows: list[tuple[str, str, str, int]]) -> pd.DataFrame:
    """(kode_lokasi, tahapan, status, hari_terlambat); province 51 for codes starting 51, else 52."""
    frame = pd.DataFrame(rows, columns=["kode_lokasi", "tahapan", "status", "hari_terlambat"])
    frame["kode_provinsi"] = frame["kode_lokasi"].str[:2]
    frame["provinsi"] = frame["kode_provinsi"].map({"51": "Bali", "52": "Nusa Tenggara Barat"})
    frame["kode_kabupaten"] = frame["kode_lokasi"].str[:5]
    frame["kabupaten_kota"] = "Kab"
    frame["nama_lokasi"] = "Lokasi " + frame["kode_lokasi"]
    frame["program"] = "PISEW"
    frame["tingkat"] = "lokasi"
    frame["urutan"] = frame["tahapan"].str[1].astype(int)
    frame["nama_tahapan"] = "Tahap " + frame["tahapan"]
    frame["jadwal_mulai"] = pd.Timestamp("2022-05-01")
    frame["jadwal_selesai"] = pd.Timestamp("2022-05-10")
    frame["tanggal_selesai"] = pd.NaT
    return frame


def rollup(dev: dict[str | None, float], newest: dict[str, str]) -> pd.DataFrame:
    rows = []
    for code, d in dev.items():
        row = dict.fromkeys(ROLLUP_COLUMNS, 0)
        row.update(
            kode_provinsi=code, provinsi=code, deviasi=d, laporan_terakhir=pd.Timestamp(newest.get(code or "", "NaT"))
        )
        rows.append(row)
    frame = pd.DataFrame(rows, columns=ROLLUP_COLUMNS)
    frame["kode_provinsi"] = frame["kode_provinsi"].astype("str")
    return frame


def state(day: date, st: pd.DataFrame, roll: pd.DataFrame, kandidat: pd.DataFrame | None = None,
          temuan: pd.DataFrame | None = None) -> WeekState:  # fmt: skip
    return WeekState(
        day,
        st,
        roll,
        kandidat if kandidat is not None else pd.DataFrame(columns=KANDIDAT_COLUMNS).astype({"memenuhi": bool}),
        temuan if temuan is not None else pd.DataFrame(columns=TEMUAN_COLUMNS).astype({"lewat_batas": bool}),
    )


# Four rows, one per change, and one unchanged late row that did not slip (same days late: as-of replayed).
BEFORE = [
    ("51.01.01", "L1", "berjalan", 0),  # -> terlambat: newly late
    ("51.01.02", "L1", "terlambat", 3),  # -> selesai_terlambat: finished and recovered
    ("51.01.03", "L1", "terlambat", 3),  # -> terlambat 10: slipping
    ("51.01.04", "L1", "terlambat", 3),  # -> terlambat 3: still late, not slipping
    ("52.01.01", "L1", "selesai", 0),  # unchanged
]
AFTER = [
    ("51.01.01", "L1", "terlambat", 7),
    ("51.01.02", "L1", "selesai_terlambat", 5),
    ("51.01.03", "L1", "terlambat", 10),
    ("51.01.04", "L1", "terlambat", 3),
    ("52.01.01", "L1", "selesai", 0),
]


def _pair() -> tuple[WeekState, WeekState]:
    r_before = rollup({None: -1.0, "51": 2.0, "52": 0.0}, {"51": "2022-05-20", "52": "2022-05-20"})
    r_after = rollup({None: -2.0, "51": -1.5, "52": 0.04}, {"51": "2022-05-27", "52": "2022-05-20"})
    return state(EARLIER, status(BEFORE), r_before), state(LATER, status(AFTER), r_after)


def test_each_change_by_its_definition() -> None:
    ch = compare(*_pair())
    got = {(r.kode_lokasi, r.perubahan_minggu) for r in ch.rows.itertuples()}
    assert got == {
        ("51.01.01", "baru_terlambat"),
        ("51.01.02", "selesai"),
        ("51.01.02", "pulih"),
        ("51.01.03", "makin_terlambat"),
    }
    slip = ch.rows[ch.rows["perubahan_minggu"] == "makin_terlambat"].iloc[0]
    assert (slip["hari_terlambat_sebelumnya"], slip["hari_terlambat"], slip["tambah_hari"]) == (3, 10, 7)
    counts = ch.counts()
    assert (counts["selesai_minggu_ini"], counts["baru_terlambat"], counts["pulih"], counts["makin_terlambat"]) == (
        1, 1, 1, 1,
    )  # fmt: skip
    # 52's newest report is the earlier week's date: not reported this week; 51 reported on 27 May
    per = ch.provinces.set_index("kode_provinsi")
    assert per.loc["52", "belum_melapor_minggu_ini"] and not per.loc["51", "belum_melapor_minggu_ini"]
    # deviation: 51 fell 3.5 points (worst, listed first); 52 moved 0.04, which shows as 0.0: unchanged
    assert list(ch.provinces["kode_provinsi"]) == ["51", "52"]
    assert per.loc["51", "perubahan_deviasi"] == -3.5 and per.loc["51", "arah"] == "turun"
    assert per.loc["52", "arah"] == "tetap"
    assert ch.national["perubahan_deviasi"] == -1.0 and ch.national["arah"] == "turun"


def test_rows_in_another_order_are_matched_by_key() -> None:
    before, after = _pair()
    shuffled = before.status.iloc[[4, 2, 0, 3, 1]].reset_index(drop=True)
    pos = earlier_positions(shuffled, after.status)
    assert list(shuffled["kode_lokasi"].iloc[pos]) == list(after.status["kode_lokasi"])
    same = compare(state(EARLIER, shuffled, before.rollup), after)
    assert same.counts() == compare(before, after).counts()


def test_rows_only_in_one_week_are_not_compared() -> None:
    before, after = _pair()
    new_row = status([("51.09.09", "L1", "terlambat", 7)])
    grown = state(LATER, pd.concat([after.status, new_row], ignore_index=True), after.rollup)
    ch = compare(before, grown)
    assert ch.compared == 5 and "51.09.09" not in set(ch.rows["kode_lokasi"])


def test_candidates_in_and_out_and_findings_closed_and_overdue() -> None:
    before, after = _pair()

    def cands(rows: list[tuple[str, float, bool]]) -> pd.DataFrame:
        frame = pd.DataFrame(rows, columns=["kode_lokasi", "skor", "memenuhi"])
        frame["kode_provinsi"] = frame["kode_lokasi"].str[:2]
        frame["program"] = "PISEW"
        return frame.reindex(columns=KANDIDAT_COLUMNS)

    def finds(rows: list[tuple[str, str, bool]]) -> pd.DataFrame:
        frame = pd.DataFrame(rows, columns=["nomor_temuan", "status_temuan", "lewat_batas"])
        frame["kode_provinsi"] = "51"
        frame["batas_waktu"] = pd.Timestamp("2022-05-25")
        frame["ditutup_pada"] = pd.Timestamp("2022-05-23")
        frame["hari_lewat_batas"] = 2
        return frame.reindex(columns=TEMUAN_COLUMNS)

    before.kandidat = cands([("51.01.01", 90.0, True), ("51.01.02", 80.0, True), ("51.01.03", 40.0, False)])
    after.kandidat = cands([("51.01.01", 90.0, True), ("51.01.02", 50.0, False), ("51.01.03", 70.0, True)])
    before.temuan = finds([("T1", "proses", False), ("T2", "belum", False), ("T3", "belum", True)])
    after.temuan = finds(
        [("T1", "selesai", False), ("T2", "belum", True), ("T3", "belum", True), ("T4", "belum", True),
         ("T5", "belum", True), ("T6", "selesai", False), ("T7", "selesai", False)]
    )  # fmt: skip
    # first seen this week: T5 was due 1 May and T6 closed 10 May, both before the earlier week (20 May): old
    # news; T7 closed 23 May and T4 is due 25 May: news of this week
    after.temuan.loc[after.temuan["nomor_temuan"] == "T5", "batas_waktu"] = pd.Timestamp("2022-05-01")
    after.temuan.loc[after.temuan["nomor_temuan"] == "T6", "ditutup_pada"] = pd.Timestamp("2022-05-10")
    ch = compare(before, after)
    assert {(r.perubahan_kandidat, r.kode_lokasi, r.skor_sebelumnya, r.skor) for r in ch.candidates.itertuples()} == {
        ("keluar", "51.01.02", 80.0, 50.0),
        ("masuk", "51.01.03", 40.0, 70.0),
    }
    # T2 became overdue; T3 was already overdue; T1 closed since
    assert list(zip(ch.findings["perubahan"], ch.findings["nomor_temuan"], strict=True)) == [
        ("baru_lewat_batas", "T2"),
        ("baru_lewat_batas", "T4"),
        ("ditutup", "T1"),
        ("ditutup", "T7"),
    ]


def test_narrowed_to_a_province() -> None:
    ch = compare(*_pair(), provinces=("52",))
    assert ch.rows.empty and list(ch.provinces["kode_provinsi"]) == ["52"]
    assert ch.national["perubahan_deviasi"] == -1.0  # the national figures stay national


def test_direction_at_one_decimal() -> None:
    got = list(direction(pd.Series([0.04, 0.06, -0.06, -0.04, np.nan, 0.0])))
    assert got[:4] == ["tetap", "naik", "turun", "tetap"] and pd.isna(got[4]) and got[5] == "tetap"


def test_trends_week_by_week() -> None:
    weeks = [
        ("2022-W21", LATER, rollup({None: -2.0, "51": -1.5}, {})),
        ("2022-W20", EARLIER, rollup({None: -1.0, "51": 2.0}, {})),
    ]
    tr = trends(weeks)
    assert list(tr.national["minggu"]) == ["2022-W20", "2022-W21"]
    assert list(tr.national["deviasi"]) == [-1.0, -2.0]
    assert list(zip(tr.provinces["minggu"], tr.provinces["deviasi"], strict=True)) == [
        ("2022-W20", 2.0),
        ("2022-W21", -1.5),
    ]
