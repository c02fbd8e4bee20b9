"""views/weekly.py: what the summary and the digest show, on changes built by hand."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from pkp_cli.engines.weekly import KANDIDAT_COLUMNS, ROLLUP_COLUMNS, TEMUAN_COLUMNS, WeekState
from pkp_cli.history.job import Baseline, WeekResult
from pkp_cli.views import weekly as view
from pkp_cli.views.facts import Facts

AS_OF, BEFORE = date(2022, 6, 3), date(2022, 5, 27)


def _result(n_late: int) -> WeekResult:
    from pkp_cli.engines.weekly import compare

    def state(day: date, statuses: list[str], days: list[int]) -> WeekState:
        n = len(statuses)
        status = pd.DataFrame({
            "kode_provinsi": ["51"] * n, "provinsi": ["Bali"] * n, "kode_kabupaten": ["51.01"] * n,
            "kabupaten_kota": ["Kab"] * n, "kode_lokasi": [f"51.01.{i:04d}" for i in range(n)],
            "nama_lokasi": ["L"] * n, "program": ["PISEW"] * n, "tingkat": ["lokasi"] * n, "urutan": [9] * n,
            "tahapan": ["L1"] * n, "nama_tahapan": ["Tahap"] * n, "jadwal_mulai": pd.Timestamp("2022-05-01"),
            "jadwal_selesai": pd.Timestamp("2022-05-31"), "tanggal_selesai": pd.NaT, "status": statuses,
            "hari_terlambat": days,
        })  # fmt: skip
        roll = pd.DataFrame([dict.fromkeys(ROLLUP_COLUMNS, 0) | {"kode_provinsi": k, "provinsi": k}
                             for k in (None, "51")], columns=ROLLUP_COLUMNS)  # fmt: skip
        roll["laporan_terakhir"] = pd.Timestamp(day)
        kandidat = pd.DataFrame(columns=KANDIDAT_COLUMNS).astype({"memenuhi": bool})
        temuan = pd.DataFrame(columns=TEMUAN_COLUMNS).astype({"lewat_batas": bool})
        return WeekState(day, status, roll, kandidat, temuan)

    before = state(BEFORE, ["berjalan"] * n_late, [0] * n_late)
    # worst first: location i is i days late
    now = state(AS_OF, ["terlambat"] * n_late, list(range(1, n_late + 1)))
    changes = compare(before, now)
    return WeekResult("2022-W22", now, Baseline("2022-W21", BEFORE, before, None), changes, None, [], [])


def _facts() -> Facts:
    return Facts("id", AS_OF, 2022, "data", False, "jadwal.yaml", "0" * 64, newest_report=AS_OF)


def test_location_lists_stop_at_the_cap_worst_first_with_a_note() -> None:
    inp = view.WeeklyInputs(_facts(), _result(view.DETAIL_CAP + 100))
    report = view.build(inp)
    (late,) = report.instances("baru_terlambat")
    assert len(late.rows) == view.DETAIL_CAP
    assert late.rows["hari_terlambat"].iloc[0] == view.DETAIL_CAP + 100  # the latest first
    assert late.notes == [
        f"{view.DETAIL_CAP} dari {view.DETAIL_CAP + 100} baris (terburuk dahulu); semua baris: "
        "pkp status --late-only --format csv"
    ]
    # the digest counts every row, not the shown ones
    lines = view.digest(inp).notes
    assert f"Baru terlambat: {view.DETAIL_CAP + 100} tahapan (Bali {view.DETAIL_CAP + 100})" in lines


def test_the_digest_names_the_files_written(tmp_path: Path) -> None:
    files = [tmp_path / f"ringkasan-2022-W22.{ext}" for ext in ("md", "xlsx", "html")]
    inp = view.WeeklyInputs(_facts(), _result(3), files=files)
    lines = view.digest(inp).notes
    assert lines[0] == "pkp mingguan 2022-W22 (3 Juni 2022) dibanding 2022-W21 (27 Mei 2022, direkonstruksi)"
    assert lines[-1] == f"Ringkasan: {files[0]}, .xlsx, .html"
    unwritten = view.digest(view.WeeklyInputs(_facts(), _result(3), files_error="no space")).notes
    assert unwritten[-1] == "Ringkasan tidak tertulis: no space"
