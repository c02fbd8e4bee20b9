"""Goldens of every command's output on the bundled data, byte for byte, and the facts they show asserted directly.

What the goldens show (read by hand once against data/ and schedules/, at 3 June 2022, the newest report, unless
a case says otherwise):

status-bali.{txt,md,json}: Bali (51) is the province ahead of schedule (everything finished early, remarks
"Dipercepat"). For both programs the recruitment steps 01-04 and the briefing 05 are `selesai`, every one
finished before its window opened (announcement 1-11 March for a 14-31 March window, briefing 9-11 May for a
1-10 June window), so 0 days late. The DIPA revision (PSW-06 / KTK-06) is `berjalan` since 4 April (window 1
April - 10 June, not yet due). Contract signing (07) and mobilisation (08) are `belum_jadwal` and flagged
`tertunda_dipa`. The summary card: 276 stage rows = 16 province-level + 26 locations x 10; 88 selesai, 2
berjalan (the DIPA revisions), 186 belum waktunya, 0 terlambat; planned 16.0 %, actual 31.9 %, +15.9 points;
newest report 3 June. 8 kabupaten/kota, all at 30.0 % actual; the all-PISEW ones (planned 15.2 %) first, the
all-KOTAKU ones (9.5 %) last. No late locations, no construction flags ("tidak ada"). The screen keeps every
date and status label on one line; the remarks column gives way on 120 columns and a line says so. The
markdown adds a legend (each column's description) under every table. The JSON is the one envelope (as_of,
fiscal_year, data_source "data", schedule and its sha256, newest_report, stale false, main_table) with the
tables by name: ringkasan, persiapan, kabupaten, terlambat (empty), konstruksi (empty), kurva_s (weekly
Fridays from 7 January to 3 June, per program).

status-national.txt: 22 provinces worst first (Maluku Utara -11.7 points first, Bali +15.9 last), the NASIONAL
total row (planned 15.5 %, actual 14.9 %, -0.6), fixed columns (the ones that give way on 120 columns are named
under the table), the worst stage per province by days late (Kalimantan Tengah: KTK-03, 14 days), the most-late
stages (PSW-04 and KTK-04, 6 provinces each, first) and the two programs.

status-aceh-oct.txt (--province Aceh --as-of 2022-10-03): four months after the newest report, so the header
warns that the figures come from old data; the late-locations table has rows (locations whose 09-11 stages
closed in June/July without a report of their end), limited to 30 on screen with the rest counted, and the
construction table lists kritis locations (planned about 40 % at 3 October, 0 % done).

validate.txt: every file and sheet of the sample with its header row and counts, the total line (0 rejected),
no errors, no warnings, nothing ignored.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from tests.factories import ROOT
from tests.golden.harness import WIDTH, Case, compare, run_case

CASES = [
    Case("status-bali.txt", ("status", "--province", "Bali"), subprocess=True),
    Case("status-bali.md", ("status", "--province", "Bali", "--format", "markdown")),
    Case("status-bali.json", ("status", "--province", "Bali", "--format", "json")),
    Case("status-national.txt", ("status",)),
    Case("status-aceh-oct.txt", ("status", "--province", "Aceh", "--as-of", "2022-10-03")),
    Case("validate.txt", ("validate",)),
]


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[int, str, str]]:
    home = tmp_path_factory.mktemp("config")
    return {case.name: run_case(case, home) for case in CASES}


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden(case: Case, outputs: dict[str, tuple[int, str, str]]) -> None:
    compare(case, *outputs[case.name])


def _doc(outputs: dict[str, tuple[int, str, str]]) -> dict:
    doc = json.loads(outputs["status-bali.json"][1])
    assert doc["as_of"] == "2022-06-03" and doc["fiscal_year"] == 2022 and doc["data_source"] == "data"
    assert doc["schedule"] == "schedules/jadwal-nasional-2022.yaml"
    sched = (ROOT / "schedules" / "jadwal-nasional-2022.yaml").read_bytes()
    assert doc["schedule_sha256"] == hashlib.sha256(sched).hexdigest()
    assert (doc["newest_report"], doc["stale"], doc["main_table"]) == ("2022-06-03", False, "terlambat")
    return doc


@pytest.mark.slow
def test_bali_preparations(outputs) -> None:
    prep = {r["tahapan"]: r for r in _doc(outputs)["tables"]["persiapan"]}
    assert list(prep) == [f"{p}-0{i}" for p in ("PSW", "KTK") for i in range(1, 9)]
    for p in ("PSW", "KTK"):
        for i in range(1, 6):  # recruitment 01-04 and briefing 05: done before their windows opened
            r = prep[f"{p}-0{i}"]
            assert r["status"] == "selesai" and r["hari_terlambat"] == 0, r
            assert r["tanggal_selesai"] < r["jadwal_mulai"], r
        dipa = prep[f"{p}-06"]
        assert (dipa["status"], dipa["tanggal_mulai"], dipa["tanggal_selesai"]) == ("berjalan", "2022-04-04", None)
        for i in (7, 8):  # contract and mobilisation: not yet due, waiting for the DIPA revision
            r = prep[f"{p}-0{i}"]
            assert r["status"] == "belum_jadwal" and r["tertunda_dipa"] and r["tanggal_mulai"] is None, r
    assert not any(r["urutan_dilanggar"] for r in prep.values())


@pytest.mark.slow
def test_bali_summary_kabupaten_and_curve(outputs) -> None:
    tables = _doc(outputs)["tables"]
    (s,) = tables["ringkasan"]
    locations = 26
    assert s["jumlah"] == 16 + locations * 10
    assert (s["selesai"], s["berjalan"], s["belum_jadwal"]) == (10 + locations * 3, 2, 186)
    assert s["terlambat"] == s["selesai_terlambat"] == s["belum_mulai"] == 0
    assert s["realisasi_persen"] == pytest.approx(100 * 88 / 276, abs=1e-4)
    kab = tables["kabupaten"]
    assert len(kab) == 8 and sum(k["jumlah"] for k in kab) == locations * 10
    assert {k["realisasi_persen"] for k in kab} == {30}
    # planned share at 3 June of a KOTAKU kelurahan: KTK-09 19/33 days, KTK-10 12/39, KTK-11 3/45, of 10 stages
    kotaku = 100 * (19 / 33 + 12 / 39 + 3 / 45) / 10
    # ... and of a PISEW kecamatan: PSW-09 26/33, PSW-10 19/40, PSW-11 12/47
    pisew = 100 * (26 / 33 + 19 / 40 + 12 / 47) / 10
    by_name = {k["kabupaten_kota"]: k for k in kab}
    assert by_name["Kota Denpasar"]["rencana_persen"] == pytest.approx(kotaku, abs=1e-3)
    assert by_name["Kabupaten Tabanan"]["rencana_persen"] == pytest.approx(pisew, abs=1e-3)
    devs = [k["deviasi"] for k in kab]
    assert devs == sorted(devs)  # worst (lowest deviation) first
    assert tables["terlambat"] == [] and tables["konstruksi"] == []
    curve = [c for c in tables["kurva_s"] if c["program"] == "PISEW"]
    assert curve[0]["tanggal"] == "2022-01-07" and curve[-1]["tanggal"] == "2022-06-03"
    ahead = [c["tanggal"] for c in curve if c["realisasi_persen"] > c["rencana_persen"]]
    assert ahead == [c["tanggal"] for c in curve if c["tanggal"] >= "2022-03-11"]  # ahead since 11 March


@pytest.mark.slow
def test_screen_is_plain_fixed_width_and_unbroken(outputs) -> None:
    text = outputs["status-bali.txt"][1]
    lines = text.splitlines()
    assert "\x1b" not in text
    assert all(len(line) <= WIDTH for line in lines) and all(line == line.rstrip() for line in lines)
    assert lines[0] == "Posisi per: 3 Juni 2022" and "Bali (51)" in lines
    card = " ".join(lines[lines.index("Bali (51)") + 1 : lines.index("Bali (51)") + 3])
    assert "rencana % 16,0" in card and "deviasi +15,9" in card and "belum waktunya 186" in card
    # a date and a status label are never broken over two lines
    prep = [line for line in lines if line.startswith(("PISEW ", "KOTAKU "))]
    assert len(prep) == 16 and sum("belum waktunya" in line for line in prep) == 4
    assert any("31 Maret 2022  1 Maret 2022   11 Maret 2022" in line for line in prep)
    assert "Bali — lokasi terlambat (0)" in lines and "  (tidak ada)" in lines
    md = outputs["status-bali.md"][1]
    md_prep = [line for line in md.splitlines() if line.startswith(("| PISEW |", "| KOTAKU |"))]
    assert (
        sum("| belum waktunya |" in line for line in md_prep) == 4
        and "## Bali — lokasi terlambat (0)\n\ntidak ada\n" in md
    )
    assert "*Keterangan kolom*" in md and "- **deviasi**: Realisasi dikurangi rencana" in md


@pytest.mark.slow
def test_national_and_late_cases(outputs) -> None:
    national = outputs["status-national.txt"][1].splitlines()
    rows = [line for line in national if line[:1].isalpha() and "%" not in line]
    assert any(line.startswith("NASIONAL") and "-0,6" in line for line in national)
    assert next(line for line in national if line.startswith("Maluku Utara")).split()[4] == "-11,7"
    late = outputs["status-aceh-oct.txt"]
    assert "PERHATIAN" in late[1] and "PERHATIAN" in late[2]  # said on the screen and first on stderr
    assert "lokasi terlambat (0)" not in late[1] and "konstruksi kritis atau melewati batas akhir (0)" not in late[1]
    assert "baris lagi" in late[1]  # more late rows than the screen shows
    assert rows


def test_sample_envelope_names_the_bundled_schedule(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """From an empty folder pkp uses its bundled sample; the envelope names no installation path."""
    import os

    from typer.testing import CliRunner

    from pkp_cli.cli.app import app

    monkeypatch.chdir(tmp_path)
    for k in [k for k in os.environ if k.startswith("PKP_")]:
        monkeypatch.delenv(k)
    res = CliRunner().invoke(
        app, ["status", "--province", "Bali", "-f", "json"], env={"NO_COLOR": "1", "XDG_CONFIG_HOME": str(tmp_path)}
    )
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["data_source"] == "sample" and doc["schedule"] == "bundled:jadwal-nasional-2022.yaml"


def test_plan_widths_wraps_headers_then_text_never_dates() -> None:
    from pkp_cli.render.table import GAP, plan_widths

    heads = ["nama tahapan", "jadwal selesai", "menunggu revisi DIPA"]
    rows = [["Penandatanganan kontrak tenaga pendamping", "24 Juni 2022", "ya"]]
    assert plan_widths(heads, rows, {0}, 200) == [41, 14, 20]  # room enough: everything on one line
    # short of room: the flag's header wraps first (the biggest saving), the date column keeps its value
    assert plan_widths(heads, rows, {0}, 41 + 14 + 8 + 2 * GAP) == [41, 14, 8]
    widths = plan_widths(heads, rows, {0}, 40)  # shorter still: the stage name wraps, the date does not
    assert widths[1] >= len("24 Juni 2022") and sum(widths) + 2 * GAP <= 40
