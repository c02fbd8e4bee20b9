"""The meeting packs (views/pack.py) on the three-location fixture (one province, Bali, figures derived by hand in
tests/engines/test_rollup.py): which packs, which tables, the provinces that have not reported, the index."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from pkp_cli.engines.status import compute_status
from pkp_cli.views import pack
from pkp_cli.views import status as status_view
from pkp_cli.views.columns import columns
from pkp_cli.views.facts import Facts
from pkp_cli.views.model import Table
from tests.factories import THREE_LOCATION_AS_OF, three_location_lokasi, three_location_progres, three_location_schedule


@pytest.fixture
def inputs(tmp_path: Path):
    def make(as_of: date = THREE_LOCATION_AS_OF, stale_days: int = 14, sample: bool = False):
        schedule = three_location_schedule(tmp_path)
        progres = three_location_progres()
        status = compute_status(three_location_lokasi(), progres, schedule, as_of)
        facts = Facts("id", as_of, 2022, "uji", sample, "jadwal.yaml", schedule.sha256, date(2022, 4, 5), stale_days)
        return status_view.StatusInputs(status, progres, schedule, facts, stale_days)

    return make


def test_the_national_pack_then_each_province(inputs) -> None:
    ps = pack.build(inputs())
    assert [(p.stem, p.code) for p in ps.packs] == [("Nasional", None), ("Bali", "51")]
    national, bali = (p.report for p in ps.packs)
    assert national.names() == ["provinsi", "belum_melapor", "tahapan_terlambat", "program", "kurva_s"]
    assert bali.names() == ["ringkasan", "persiapan", "kabupaten", "terlambat", "konstruksi", "kurva_s"]
    assert bali.title == "Bahan rapat koordinasi — Bali (51)" and national.title == "Bahan rapat koordinasi — Nasional"
    assert bali.header == ["Posisi per: 5 April 2022", "Sumber data: uji"]
    # a pack shows the working days late beside the calendar days (the screen keeps them for CSV)
    late = next(bali.instances("terlambat"))
    shown = [c.key for c in late.screen_columns if c.key.startswith("hari")]
    assert shown == ["hari_terlambat", "hari_kerja_terlambat"]
    screen = next(status_view.provinces(inputs(), _query()).instances("terlambat"))
    assert not screen.column("hari_kerja_terlambat").screen


def _query():
    from pkp_cli.engines.query import Query

    return Query(provinces=("51",))


def test_the_provinces_that_have_not_reported(inputs) -> None:
    on_time = pack.build(inputs())
    assert next(on_time.packs[0].report.instances("belum_melapor")).rows.empty
    # 20 April: the newest report (5 April) is 15 days old, over stale_days 14: Bali has not reported
    late = pack.build(inputs(as_of=date(2022, 4, 20)))
    table = next(late.packs[0].report.instances("belum_melapor"))
    assert table.rows[["kode_provinsi", "provinsi"]].values.tolist() == [["51", "Bali"]]
    assert table.rows["laporan_terakhir"].tolist() == [pd.Timestamp("2022-04-05")]
    assert late.warnings and "15 hari" in late.warnings[0]


def test_the_index_ranks_the_province_packs_with_the_national_total(inputs) -> None:
    ps = pack.build(inputs(), rejected=3)
    (table,) = ps.index.tables
    assert table.rows["provinsi"].tolist() == ["Bali"]
    assert table.rows["deviasi"].item() == pytest.approx(-24.0)  # 46 % actual - 70 % planned
    assert table.total is not None and table.total["provinsi"] == "Nasional"
    assert table.total["deviasi"] == pytest.approx(-24.0)  # one province: the nation is Bali
    rejected = "3 baris data ditolak dan tidak dihitung dalam paket ini; jalankan pkp validate untuk melihatnya."
    assert rejected in ps.index.header and all(rejected in p.report.header for p in ps.packs)


def test_named_provinces_have_no_national_pack(inputs) -> None:
    ps = pack.build(inputs(), ("51",))
    assert [p.code for p in ps.packs] == ["51"] and ps.index.tables[0].total is None


def test_sample_data_is_said_on_every_pack(inputs) -> None:
    ps = pack.build(inputs(sample=True))
    for report in [p.report for p in ps.packs] + [ps.index]:
        assert report.header[0] == "DATA CONTOH (bawaan pkp)"
        assert "Sumber data: data contoh bawaan pkp" in report.header


def test_more_tables_join_a_province_pack(inputs) -> None:
    extra = Table("tambahan", "Tambahan", columns("kode_provinsi"), pd.DataFrame({"kode_provinsi": ["51"]}))
    seen: list[str] = []

    def add(code: str) -> list[Table]:
        seen.append(code)
        return [extra]

    ps = pack.build(inputs(), extras=[add])
    assert seen == []  # a province's pack is built when it is written, not with the others before any is written
    assert ps.packs[1].report.names()[-1] == "tambahan" and seen == ["51"]
    assert "tambahan" not in ps.packs[0].report.names()
