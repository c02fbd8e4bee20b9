"""The CLI edge: help with examples, exit codes from the one table, stdout that parses, no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from pkp_cli.cli.app import app
from tests.conftest import MINI_SCHEDULE
from tests.factories import output_files, write_lokasi, write_progres

runner = CliRunner()


def run(*args: str, env: dict[str, str] | None = None):
    return runner.invoke(app, list(args), env={"NO_COLOR": "1", "COLUMNS": "120", **(env or {})})


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    d = tmp_path / "data"
    (d / "progres" / "2022-05-20").mkdir(parents=True)
    write_lokasi(d / "lokasi.xlsx")
    write_progres(d / "progres" / "2022-05-20" / "bali.xlsx")
    (tmp_path / "schedules").mkdir()
    (tmp_path / "schedules" / "jadwal-nasional-2022.yaml").write_text(MINI_SCHEDULE, encoding="utf-8")
    return tmp_path


def test_every_command_has_help_with_an_example() -> None:
    names = [c.name for c in app.registered_commands]
    assert {"validate", "schedule", "sample", "config"} <= set(names)
    for name in names:
        res = run(name, "--help")
        assert res.exit_code == 0, name
        assert "Contoh" in res.output, name


def test_validate_json_counts_and_exit_65(workspace: Path) -> None:
    res = run("validate", "--data", str(workspace / "data"), "--format", "json")
    assert res.exit_code == 65
    doc = json.loads(res.stdout)
    assert doc["rows_rejected"] == 5  # 1 lokasi row (D4) + 4 progress rows (see test_load)
    sheets = doc["tables"]["berkas"]
    assert doc["rows_read"] + doc["rows_skipped"] == sum(s["rows_read"] + s["rows_skipped"] for s in sheets)
    assert doc["errors_total"] == len(doc["tables"]["galat"]) and not doc["errors_truncated"]
    assert {"file", "sheet", "row", "cell", "column", "value", "code", "message"} == set(doc["tables"]["galat"][0])
    assert doc["data_source"] == str(workspace / "data")
    assert doc["schedule"].endswith("jadwal-nasional-2022.yaml")


def test_validate_max_errors_keeps_count(workspace: Path) -> None:
    doc = json.loads(run("validate", "--data", str(workspace / "data"), "-f", "json", "--max-errors", "2").stdout)
    assert len(doc["tables"]["galat"]) == 2 and doc["errors_total"] == 7 and doc["errors_truncated"]


def test_validate_english(workspace: Path) -> None:
    doc = json.loads(run("validate", "--data", str(workspace / "data"), "-f", "json", "--lang", "en").stdout)
    msgs = {e["cell"]: e["message"] for e in doc["tables"]["galat"]}
    assert msgs["G12"] == "end date before the start date 2022-05-10"


def test_rejects_workbook_keeps_text_as_text(workspace: Path, tmp_path: Path) -> None:
    ws = openpyxl.load_workbook(workspace / "data" / "lokasi.xlsx")
    ws["PISEW"]["F4"] = '=HYPERLINK("http://x")'
    ws["PISEW"]["F4"].data_type = "s"  # text in the source that looks like a formula
    ws.save(workspace / "data" / "lokasi.xlsx")
    out = tmp_path / "ditolak"
    res = run("validate", "--data", str(workspace / "data"), "--rejects", str(out))
    assert res.exit_code == 65
    wb = openpyxl.load_workbook(out / "lokasi-ditolak.xlsx")
    cells = [c for row in wb["PISEW"].iter_rows() for c in row]
    formula = [c for c in cells if isinstance(c.value, str) and c.value.startswith("=HYPERLINK")]
    assert formula and all(c.data_type == "s" for c in formula)
    assert wb["PISEW"]["A1"].value == "No"  # original headers
    assert output_files(out) == ["bali-ditolak.xlsx", "lokasi-ditolak.xlsx"]


def test_missing_data_folder_exits_66(tmp_path: Path) -> None:
    res = run("validate", "--data", str(tmp_path / "nope"))
    assert res.exit_code == 66
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run("validate", "--data", str(empty)).exit_code == 66
    assert run("validate", env={"PKP_DATA": str(empty)}).exit_code == 66


def test_bad_schedule_exits_78_with_line(workspace: Path) -> None:
    bad = workspace / "bad.yaml"
    bad.write_text(MINI_SCHEDULE.replace("kode: L2", "kode: NO"), encoding="utf-8")
    res = run("validate", "--data", str(workspace / "data"), "--schedule", str(bad))
    assert res.exit_code == 78
    assert "baris 10" in res.stderr  # L2 is on line 10 of MINI_SCHEDULE


def test_two_schedules_for_one_year_exit_78(workspace: Path) -> None:
    (workspace / "schedules" / "jadwal-nasional-2022.yml").write_text(MINI_SCHEDULE, encoding="utf-8")
    res = run("validate", "--data", str(workspace / "data"))
    assert res.exit_code == 78
    assert "jadwal-nasional-2022.yaml" in res.stderr and "jadwal-nasional-2022.yml" in res.stderr


def test_schedule_check(tmp_path: Path) -> None:
    good = tmp_path / "s.yaml"
    good.write_text(MINI_SCHEDULE, encoding="utf-8")
    assert run("schedule", "--check", str(good)).exit_code == 0
    bad = tmp_path / "b.yaml"
    bad.write_text("!!python/object/apply:os.system ['echo pwned']\n", encoding="utf-8")
    res = run("schedule", "--check", str(bad))
    assert res.exit_code == 78 and "pwned" not in res.stdout


def test_usage_error_exits_2() -> None:
    assert run("validate", "--format", "xml").exit_code == 2


@pytest.mark.slow
def test_subprocess_unreadable_file_exit_66_without_traceback(workspace: Path) -> None:
    (workspace / "data" / "broken.xlsx").write_bytes(b"PK\x03\x04 broken")
    proc = subprocess.run(
        [sys.executable, "-m", "pkp_cli", "validate", "--data", str(workspace / "data"), "-f", "json"],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
        cwd=workspace,
    )
    assert proc.returncode == 66  # 66 outranks 65 (rows rejected too)
    assert "Traceback" not in proc.stderr
    assert "broken.xlsx" in proc.stderr
    json.loads(proc.stdout)  # stdout stays pure JSON
    assert "Data: " in proc.stderr and "(--data)" in proc.stderr


@pytest.mark.slow
def test_zip_bomb_bound_from_config(workspace: Path, tmp_path: Path) -> None:
    import zipfile

    with zipfile.ZipFile(workspace / "data" / "bomb.xlsx", "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * (3 * 1024 * 1024))
    cfg = tmp_path / "xdg" / "pkp"
    cfg.mkdir(parents=True)
    (cfg / "config.toml").write_text("max_uncompressed_mb = 2\n", encoding="utf-8")
    res = run("validate", "--data", str(workspace / "data"), env={"XDG_CONFIG_HOME": str(tmp_path / "xdg")})
    assert res.exit_code == 66
    assert "bomb.xlsx" in res.stderr


def test_bad_config_exits_78(tmp_path: Path) -> None:
    cfg = tmp_path / "pkp"
    cfg.mkdir()
    (cfg / "config.toml").write_text("stale_days = 'x'\n", encoding="utf-8")
    assert run("config", env={"XDG_CONFIG_HOME": str(tmp_path)}).exit_code == 78


def test_refuses_to_run_without_xml_protection(workspace: Path) -> None:
    res = run("validate", "--data", str(workspace / "data"), env={"OPENPYXL_DEFUSEDXML": "False"})
    assert res.exit_code == 1 and "defusedxml" in res.stderr


def test_defusedxml_is_active() -> None:
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML is True


def test_sample_copies_the_bundle_out_and_refuses_a_full_folder(tmp_path: Path) -> None:
    target = tmp_path / "contoh"
    assert run("sample", str(target)).exit_code == 0
    assert (target / "data" / "lokasi" / "lokasi-ta2022.xlsx").is_file()
    assert (target / "schedules" / "jadwal-nasional-2022.yaml").is_file()
    res = run("validate", "--data", str(target / "data"), "-f", "json")
    assert res.exit_code == 0
    doc = json.loads(res.stdout)
    assert doc["rows_rejected"] == 0 and doc["data_source"] == str(target / "data")
    assert run("sample", str(target)).exit_code == 73  # never overwrites


def test_validate_checks_a_rules_file_when_given(workspace: Path) -> None:
    bad = workspace / "aturan.yaml"
    bad.write_text("skor_maks: 100\nsyarat: []\npenalti: []\nbonus: 1\n", encoding="utf-8")
    res = run("validate", "--data", str(workspace / "data"), "--rules", str(bad))
    assert res.exit_code == 78 and "bonus" in res.stderr
    # Without --rules and without a rules file for the year, validate does not ask for one.
    assert run("validate", "--data", str(workspace / "data")).exit_code == 65


def test_odd_files_never_crash_and_ignored_files_are_named(workspace: Path) -> None:
    import datetime as dt

    d = workspace / "data"
    (d / "notes.txt").write_text("catatan", encoding="utf-8")
    (d / "kosong.csv").write_bytes(b"")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Kode Lokasi", "Tahapan", "Mulai", "Selesai", "Progres (%)"])
    ws.append(["51", "P1", "=1/0", True, "=A1"])  # formulas without cached values, a boolean in a date column
    ws.append(["51", "P2", dt.time(10, 0), dt.datetime(2022, 5, 2, 13, 0), None])
    ws.merge_cells("A3:B3")  # a merged cell in the data area
    wb.save(d / "aneh-2022-05-20.xlsx")
    res = run("validate", "--data", str(d))
    assert res.exit_code == 65 and "Traceback" not in res.output
    # the ignored files are listed with the reason in words
    shown = [line.split() for line in res.stdout.replace(str(workspace) + "/", "").splitlines()]
    assert ["data/notes.txt", "bukan", "workbook"] in shown and [
        "data/kosong.csv",
        "tidak",
        "ada",
        "tabel",
        "pkp",
    ] in shown
    doc = json.loads(run("validate", "--data", str(d), "-f", "json").stdout)
    odd = {(e["cell"], e["code"]) for e in doc["tables"]["galat"] if e["file"].endswith("aneh-2022-05-20.xlsx")}
    # D2 holds TRUE; C3 a time of day only (no date); B3 is empty (merged into A3).
    assert {("D2", "date-invalid"), ("C3", "date-invalid"), ("B3", "required-missing")} <= odd
    assert {i["reason"] for i in doc["tables"]["diabaikan"]} >= {"not-a-workbook", "no-pkp-table"}


def test_validate_province_lists_only_that_provinces_rows(workspace: Path) -> None:
    everything = json.loads(run("validate", "--data", str(workspace / "data"), "-f", "json").stdout)
    bali = run("validate", "--data", str(workspace / "data"), "-f", "json", "--province", "Bali")
    # Every row of the fixture is in Bali (51): the same errors, and rows rejected (65).
    assert bali.exit_code == 65 and json.loads(bali.stdout)["tables"]["galat"] == everything["tables"]["galat"]
    jatim = run("validate", "--data", str(workspace / "data"), "-f", "json", "--province", "Jatim")
    doc = json.loads(jatim.stdout)
    # No row of Jawa Timur: nothing to fix there (exit 0), while the accounting still covers every file.
    assert jatim.exit_code == 0 and doc["tables"]["galat"] == [] and doc["errors_total"] == 0
    assert doc["rows_rejected"] == everything["rows_rejected"]
    assert run("validate", "--data", str(workspace / "data"), "--province", "Atlantis").exit_code == 2
