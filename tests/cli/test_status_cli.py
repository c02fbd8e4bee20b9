"""`pkp status` on the bundled sample: the seed's story, read from the JSON the command prints."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pkp_cli.cli.app import app
from tests.factories import ROOT

runner = CliRunner()


def status_json(*args: str) -> dict:
    res = runner.invoke(app, ["status", "--data", str(ROOT / "data"), "-f", "json", *args], env={"NO_COLOR": "1"})
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def test_bali_preparations_tell_the_seed_story() -> None:
    doc = status_json("--province", "Bali")
    assert doc["as_of"] == "2022-06-03" and doc["fiscal_year"] == 2022
    (bali,) = doc["tables"]["ringkasan"]
    assert bali["kode_provinsi"] == "51" and bali["provinsi"] == "Bali"
    prep = {r["tahapan"]: r for r in doc["tables"]["persiapan"] if r["program"] == "PISEW"}
    # Recruitment steps 01-04 and the briefing are done; the DIPA revision is open; contracts and
    # mobilisation wait for it (gated, not yet due at 3 June).
    for code in ("PSW-01", "PSW-02", "PSW-03", "PSW-04", "PSW-05"):
        assert prep[code]["status"] == "selesai", code
    assert prep["PSW-06"]["status"] == "berjalan" and prep["PSW-06"]["tanggal_selesai"] is None
    assert prep["PSW-07"]["tertunda_dipa"] and prep["PSW-08"]["tertunda_dipa"]


def test_sulsel_still_interviewing_on_27_may() -> None:
    doc = status_json("--province", "sulsel", "--as-of", "2022-05-27")
    prep = {r["tahapan"]: r for r in doc["tables"]["persiapan"]}
    # The interview window ended 20 May; started 9 May and not finished at 27 May: late by 7 days.
    assert prep["PSW-03"]["status"] == "terlambat"
    assert prep["PSW-03"]["hari_terlambat"] == 7
    assert prep["PSW-04"]["tanggal_mulai"] is None


def test_national_view_has_every_province_once() -> None:
    doc = status_json()
    rows = doc["tables"]["provinsi"]
    assert len(rows) == 22
    assert len({r["kode_provinsi"] for r in rows}) == 22
    devs = [r["deviasi"] for r in rows]
    assert devs == sorted(devs)  # worst first
    # the national total: the roll-up of every row, not a mean of the provinces
    (total,) = doc["totals"]["provinsi"]
    assert total["provinsi"] == "NASIONAL" and total["jumlah"] == sum(r["jumlah"] for r in rows)
    assert total["selesai"] == sum(r["selesai"] for r in rows)


@pytest.mark.parametrize("args", [["--province", "Atlantis"], ["--province", "Bali", "--stage", "XYZ"]])
def test_unknown_filters_exit_2(args: list[str]) -> None:
    res = runner.invoke(app, ["status", "--data", str(ROOT / "data"), *args])
    assert res.exit_code == 2


def test_status_table_and_markdown_render(tmp_path: Path) -> None:
    for fmt in ("table", "md", "csv"):
        res = runner.invoke(
            app,
            ["status", "--data", str(ROOT / "data"), "--province", "Bali", "-f", fmt],
            env={"NO_COLOR": "1", "COLUMNS": "160"},
        )
        assert res.exit_code == 0, (fmt, res.output)
        assert "Bali" in res.stdout or fmt == "csv"


@pytest.mark.parametrize("command", ["candidates", "readiness", "audit"])
def test_acceleration_commands_run_on_the_sample(command: str) -> None:
    res = runner.invoke(app, [command, "--data", str(ROOT / "data"), "-f", "json"], env={"NO_COLOR": "1"})
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc.get("tables") or doc.get("rows")


def test_construction_not_started_late_in_the_year_is_kritis_and_past_the_deadline() -> None:
    doc = status_json("--province", "Bali", "--as-of", "2022-11-25")
    k = doc["tables"]["konstruksi"]
    (summary,) = doc["tables"]["ringkasan"]
    # No Bali location has started construction. On 25 Nov the PISEW window (22 Aug - 30 Nov, 101 days) is
    # 96/101 = 95 % elapsed, KOTAKU's (29 Aug - 2 Dec) 89/96 = 93 %: planned >= 70 % and 0 % done is more than
    # 5 points behind (kritis), and a full window started after 25 Nov cannot end by 31 Dec (batas_akhir).
    assert len(k) == 26 and all(r["kritis"] and r["melewati_batas_akhir"] for r in k)
    assert (summary["konstruksi_kritis"], summary["konstruksi_lewat_batas"]) == (26, 26)
    first = next(r for r in k if r["program"] == "PISEW")
    assert first["rencana_persen"] == pytest.approx(100 * 96 / 101, abs=1e-3)
    assert first["progres_persen"] == 0


def test_national_rows_count_construction_kritis_per_province() -> None:
    doc = status_json("--as-of", "2022-11-25")
    bali = next(r for r in doc["tables"]["provinsi"] if r["kode_provinsi"] == "51")
    # Same facts as the province view on that day: all 26 Bali locations kritis and past batas_akhir.
    assert (bali["konstruksi_kritis"], bali["konstruksi_lewat_batas"]) == (26, 26)
    # 3 June: construction not due anywhere
    assert all(r["konstruksi_kritis"] == 0 for r in status_json()["tables"]["provinsi"])
    # 25 Nov is months after the newest report (3 June): said first, in the envelope and on stderr
    assert doc["stale"] is True and doc["newest_report"] == "2022-06-03"
