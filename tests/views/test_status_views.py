"""The status reports on the three-location fixture of tests/engines/test_rollup.py (figures derived there by hand):
which tables, which rows, what the filters keep, and that a filter never changes a headline."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from pkp_cli.engines.query import Query
from pkp_cli.engines.status import compute_status
from pkp_cli.views import status as view
from pkp_cli.views.facts import Facts
from pkp_cli.views.specs import STATUS_TABLES
from tests.factories import (
    THREE_LOCATION_AS_OF,
    three_location_lokasi,
    three_location_progres,
    three_location_schedule,
)

AS_OF = THREE_LOCATION_AS_OF


@pytest.fixture
def inputs(tmp_path: Path):
    def make(as_of: date = AS_OF, stale_days: int = 14) -> view.StatusInputs:
        schedule = three_location_schedule(tmp_path)
        progres = three_location_progres()
        status = compute_status(three_location_lokasi(), progres, schedule, as_of)
        facts = Facts("id", as_of, 2022, "test", False, "jadwal.yaml", schedule.sha256, date(2022, 4, 5), stale_days)
        return view.StatusInputs(status, progres, schedule, facts, stale_days)

    return make


def rows(report, name: str) -> pd.DataFrame:
    return report.combined(name)[1]


def test_national(inputs) -> None:
    report = view.build(inputs(), Query())
    assert report.names() == ["provinsi", "tahapan_terlambat", "program", "kurva_s"]
    prov = rows(report, "provinsi")
    assert prov[["kode_provinsi", "provinsi"]].values.tolist() == [["51", "Bali"]]
    assert prov["deviasi"].item() == pytest.approx(-24.0)  # 46 % actual - 70 % planned
    # the open late stage is B at L3 (16 days late), the only open late row
    assert prov["tahapan_terburuk"].item() == "B" and prov["maks_terlambat"].item() == 16
    assert prov["laporan_terakhir"].item() == pd.Timestamp("2022-04-05") and not prov["belum_melapor"].item()
    (total,) = report.combined("provinsi")[2]
    assert total["deviasi"] == pytest.approx(-24.0) and total["provinsi"] == "NASIONAL"
    late = rows(report, "tahapan_terlambat")
    # only B has a row open past due (L3); its late rows are L2 (finished 5 days late) and L3 (16 days)
    assert late[["tahapan", "terlambat", "selesai_terlambat"]].values.tolist() == [["B", 1, 1]]
    assert (late["median_terlambat"].item(), late["maks_terlambat"].item()) == (10.5, 16.0)
    assert list(rows(report, "program")["program"]) == ["PISEW"]


def test_every_table_has_the_columns_its_spec_names(inputs) -> None:
    for q in (Query(), Query(provinces=("51",)), Query(lokasi="51.01.01")):
        report = view.build(inputs(), q)
        for name in report.names():
            assert [c.key for c in report.combined(name)[0]] == STATUS_TABLES[name], name
    report = view.build(inputs(), Query(), detail_rows=True)
    assert [c.key for c in report.combined("rincian")[0]] == STATUS_TABLES["rincian"]


def test_province(inputs) -> None:
    report = view.build(inputs(), Query(provinces=("51",)))
    assert report.names() == ["ringkasan", "persiapan", "kabupaten", "terlambat", "konstruksi", "kurva_s"]
    assert report.main_name() == "terlambat"
    summary = rows(report, "ringkasan").iloc[0]
    assert (summary["rencana_persen"], summary["realisasi_persen"]) == pytest.approx((70.0, 46.0))
    assert rows(report, "persiapan")[["tahapan", "status", "hari_terlambat"]].values.tolist() == [
        ["A", "selesai_terlambat", 2]
    ]
    assert rows(report, "kabupaten")["kode_kabupaten"].tolist() == ["51.02", "51.01"]  # worst first
    late = rows(report, "terlambat")
    assert late[["kode_lokasi", "tahapan", "hari_terlambat", "keterangan"]].values.tolist() == [
        ["51.02.01", "B", 16, "warga belum sepakat"]
    ]


def test_filters_narrow_rows_never_the_headline(inputs) -> None:
    whole = rows(view.build(inputs(), Query(provinces=("51",))), "ringkasan").iloc[0]
    for q in (
        Query(provinces=("51",), late_only=True),
        Query(provinces=("51",), kabupaten=("51.01",)),
        Query(provinces=("51",), stages=("K",)),
        Query(provinces=("51",), statuses=("berjalan",)),
    ):
        report = view.build(inputs(), q)
        head = rows(report, "ringkasan").iloc[0]
        assert (head["deviasi"], head["terlambat"]) == (whole["deviasi"], whole["terlambat"]), q
        assert any("Filter" in n for n in next(report.instances("ringkasan")).notes)
    kab = view.build(inputs(), Query(provinces=("51",), kabupaten=("51.01",)))
    # the kabupaten filter lists that kabupaten's rows only, and no province-level preparation rows
    assert rows(kab, "kabupaten")["kode_kabupaten"].tolist() == ["51.01"]
    assert rows(kab, "persiapan").empty and rows(kab, "terlambat").empty  # the late location is in 51.02
    stage = view.build(inputs(), Query(provinces=("51",), stages=("B",), late_only=True))
    assert rows(stage, "terlambat")["kode_lokasi"].tolist() == ["51.02.01"]


def test_location_and_replay(inputs) -> None:
    report = view.build(inputs(), Query(lokasi="51.01.01"))
    # the province stage that gates it, then its own stages, in schedule order
    assert rows(report, "tahapan")[["tingkat", "tahapan", "status"]].values.tolist() == [
        ["provinsi", "A", "selesai_terlambat"],
        ["lokasi", "B", "selesai"],
        ["lokasi", "K", "berjalan"],
    ]
    assert rows(report, "laporan")[["tanggal_laporan", "tahapan", "keterangan"]].values.tolist() == [
        [pd.Timestamp("2022-04-01"), "K", "mulai"],
        [pd.Timestamp("2022-04-05"), "K", "lancar"],
    ]
    replay = view.build(inputs(as_of=date(2022, 4, 4)), Query(lokasi="51.01.01"))
    assert list(rows(replay, "laporan")["keterangan"]) == ["mulai"]


def test_detail_and_its_filters(inputs) -> None:
    assert len(rows(view.build(inputs(), Query(), detail_rows=True), "rincian")) == 7
    # a kabupaten filter drops province rows; late_only keeps terlambat and selesai_terlambat
    assert len(rows(view.build(inputs(), Query(kabupaten=("51.01",)), detail_rows=True), "rincian")) == 4
    late = rows(view.build(inputs(), Query(late_only=True), detail_rows=True), "rincian")
    assert sorted(zip(late["kode_lokasi"], late["tahapan"], strict=True)) == [
        ("51", "A"),
        ("51.01.02", "B"),
        ("51.02.01", "B"),
    ]
    both = Query(stages=("K",), statuses=("berjalan",))
    assert len(rows(view.build(inputs(), both, detail_rows=True), "rincian")) == 2
    assert rows(view.build(inputs(), Query(program="KOTAKU"), detail_rows=True), "rincian").empty


def test_stale_data_is_said_and_marked(inputs) -> None:
    # newest report 5 Apr; as of 20 Apr is 15 days later, over stale_days 14: stale
    report = view.build(inputs(as_of=date(2022, 4, 20)), Query())
    assert report.meta["stale"] is True and report.warnings and "15" in report.warnings[0]
    assert rows(report, "provinsi")["belum_melapor"].tolist() == [True]
    # exactly stale_days later is not stale (the boundary: more than stale_days)
    edge = view.build(inputs(as_of=date(2022, 4, 19)), Query())
    assert edge.meta["stale"] is False and not edge.warnings
    assert rows(edge, "provinsi")["belum_melapor"].tolist() == [False]


def test_a_province_the_program_leaves_empty_is_named_by_its_code(inputs) -> None:
    """The fixture's locations are all PISEW: --program KOTAKU leaves Bali no row. The province's tables (kept in
    the cache as data, views/status.py::province_tables) are then empty and the titles name it by its code."""
    report = view.build(inputs(), Query(provinces=("51",), program="KOTAKU"))
    assert report.names() == ["ringkasan", "persiapan", "kabupaten", "terlambat", "konstruksi", "kurva_s"]
    assert rows(report, "ringkasan").empty and rows(report, "kabupaten").empty
    assert report.tables[0].title == "51 (51) — KOTAKU"
    assert report.tables[1].title.startswith("51 — ")


def test_filtered_rows_can_be_only_the_columns_a_table_reads() -> None:
    """The national late-stages table reads 7 of the status frame's columns: a national --late-only keeps about
    1.2 M rows, and copying every column of them set the cold run's peak memory (1,010 MB against 930)."""
    status = pd.DataFrame({"status": ["terlambat", "selesai", "selesai_terlambat", "berjalan"], "tahapan": list("ABCD"),
                           "program": ["P", "P", "Q", "Q"], "other": [1, 2, 3, 4]})  # fmt: skip
    late = Query(late_only=True).rows(status, ["tahapan", "status"])
    assert list(late.columns) == ["tahapan", "status"]
    assert late["tahapan"].tolist() == ["A", "C"]  # terlambat and selesai_terlambat, nothing else
    assert Query(program="Q", late_only=True).rows(status, ["tahapan"])["tahapan"].tolist() == ["C"]
    assert Query().rows(status).equals(status)  # no filter, no columns named: every row and column
