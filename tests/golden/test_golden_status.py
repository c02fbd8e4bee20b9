"""Goldens of `pkp status --province Bali` on the bundled data (data/, schedules/), byte for byte.

Each golden is the stdout of a real subprocess run from the repo root without --data, so the data resolves
as "./data (folder di direktori kerja)", the schedule as schedules/jadwal-nasional-2022.yaml "di samping folder
data", and every path in the output is relative: status-bali.md (markdown), status-bali.json (JSON) and
status-bali.txt (the screen, piped: NO_COLOR=1, COLUMNS=120, so no colour and a fixed width).
`PKP_UPDATE_GOLDENS=1 python -m pytest tests/test_golden_status.py` rewrites them (and skips the comparison);
read the diff before committing.

What the goldens show, read by hand against data/progres/2022-06-03/progres-bali-2022-06-03.xlsx and the
schedule (position at 3 June 2022, the newest report):

- Bali (51) is the province ahead of schedule (everything finished early, remarks "Dipercepat"). For both
  programs the recruitment steps 01-04 and the briefing 05 are `selesai`, every one of them finished before
  its window even opened (announcement 1-11 March for a 14-31 March window, briefing 9-11 May for a 1-10
  June window), so 0 days late. The DIPA revision (PSW-06 / KTK-06) is `berjalan` since 4 April (window 1
  April - 10 June, not yet due). Contract signing (07, window from 13 June) and mobilisation (08, from 20
  June) are `belum_jadwal` and flagged `tertunda_dipa`: they wait for the DIPA revision.
- Summary of the province: 276 location/province stages = 16 province-level (8 per program) + 26 locations
  (16 PISEW kecamatan, 10 KOTAKU kelurahan/desa) x 10 location stages; 88 selesai (10 preparations + every
  location's stages 09-11: socialisation, institutions, preliminary survey), 2 berjalan (the DIPA
  revisions), 186 belum_jadwal, 0 terlambat. Planned 16.0 %, actual 31.9 %, deviation +15.9 points.
- 8 kabupaten/kota, all at 30.0 % actual (3 of 10 stages done everywhere); planned 15.2 % for a PISEW
  kecamatan and 9.5 % for a KOTAKU kelurahan (the KOTAKU windows open a week later), so the all-PISEW
  kabupaten (Tabanan, Karangasem, Buleleng) have the lowest deviation (+14.8) and come first, the all-KOTAKU
  ones (Badung, Bangli, Kota Denpasar) last (+20.5); Jembrana and Klungkung are mixed.
- No late locations: the late-locations section is empty ("tidak ada").
- Per program: KOTAKU 108 stage rows (10 locations x 10 + 8 province-level), 35 selesai (5 preparation steps +
  3 stages x 10 locations); PISEW 168 rows (16 x 10 + 8), 53 selesai (5 + 3 x 16).
- Construction (PSW-15 / KTK-15, from 22 Aug) has not started anywhere, so none of Bali's 26 locations is kritis
  or projected past batas_akhir: that section is empty too, and the JSON says jumlah 26, kritis 0.
- JSON: the one envelope (as_of 2022-06-03, fiscal_year 2022, data_source "data", schedule
  "schedules/jadwal-nasional-2022.yaml" and its sha256), one row for Bali with ringkasan, persiapan,
  kabupaten, terlambat (empty) and kurva_s (weekly Fridays from 7 January to 3 June: the actual curve runs
  ahead of the plan from 11 March, when the announcements finished).
- Screen: the stage names wrap inside their column, dates and status labels never break, headers of narrow
  columns wrap at their spaces, columns blank in every row (max days late, worst stage: nothing is late)
  are left out, no line is wider than 120 or ends in blanks.

The facts above are asserted on the JSON below as well, so the goldens are not the only proof.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import GOLDEN, ROOT

GOLDEN = GOLDEN
FORMATS = {"md": "markdown", "json": "json", "txt": "table"}
WIDTH = 120


def _env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PKP_") and k not in ("FORCE_COLOR", "TERM")}
    # an empty config folder: a user's config.toml must not change the goldens
    env.update(NO_COLOR="1", COLUMNS=str(WIDTH), XDG_CONFIG_HOME=str(tmp), PYTHONIOENCODING="utf-8")
    return env


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, subprocess.CompletedProcess[str]]:
    """stdout/stderr of the three formats, run side by side (each run loads the whole sample)."""
    env = _env(tmp_path_factory.mktemp("xdg"))
    procs = {
        ext: subprocess.Popen(
            [sys.executable, "-m", "pkp_cli", "status", "--province", "Bali", "--format", fmt],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for ext, fmt in FORMATS.items()
    }
    out = {}
    for ext, p in procs.items():
        stdout, stderr = p.communicate(timeout=600)
        out[ext] = subprocess.CompletedProcess(p.args, p.returncode, stdout.decode(), stderr.decode())
    return out


@pytest.mark.slow
@pytest.mark.parametrize("ext", list(FORMATS))
def test_golden(runs: dict[str, subprocess.CompletedProcess[str]], ext: str) -> None:
    run = runs[ext]
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    # the data and schedule were found the default way, relative to the repo root
    assert "Data: data (folder di direktori kerja)" in run.stderr
    assert "Jadwal: schedules/jadwal-nasional-2022.yaml (di samping folder data)" in run.stderr
    path = GOLDEN / f"status-bali.{ext}"
    if os.environ.get("PKP_UPDATE_GOLDENS") == "1":
        GOLDEN.mkdir(exist_ok=True)
        path.write_bytes(run.stdout.encode("utf-8"))
        pytest.skip(f"golden regenerated: {path.relative_to(ROOT)} (review the diff)")
    assert path.is_file(), f"{path} missing: run with PKP_UPDATE_GOLDENS=1"
    expected = path.read_bytes().decode("utf-8")
    assert run.stdout == expected, f"{path.name} differs; if intended: PKP_UPDATE_GOLDENS=1"


def _bali(runs: dict[str, subprocess.CompletedProcess[str]]) -> dict:
    doc = json.loads(runs["json"].stdout)
    assert doc["as_of"] == "2022-06-03" and doc["fiscal_year"] == 2022
    assert doc["data_source"] == "data"
    assert doc["schedule"] == "schedules/jadwal-nasional-2022.yaml"
    sched = (ROOT / "schedules" / "jadwal-nasional-2022.yaml").read_bytes()
    assert doc["schedule_sha256"] == hashlib.sha256(sched).hexdigest()
    assert list(doc) == ["as_of", "fiscal_year", "data_source", "schedule", "schedule_sha256", "rows"]
    (bali,) = doc["rows"]
    assert bali["kode_provinsi"] == "51" and bali["provinsi"] == "Bali"
    return bali


@pytest.mark.slow
def test_bali_preparations(runs: dict[str, subprocess.CompletedProcess[str]]) -> None:
    prep = {r["tahapan"]: r for r in _bali(runs)["persiapan"]}
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
def test_bali_summary_and_kabupaten(runs: dict[str, subprocess.CompletedProcess[str]]) -> None:
    bali = _bali(runs)
    s = bali["ringkasan"]
    locations = 26
    assert s["jumlah"] == 16 + locations * 10
    assert (s["selesai"], s["berjalan"], s["belum_jadwal"]) == (10 + locations * 3, 2, 186)
    assert s["terlambat"] == s["selesai_terlambat"] == s["belum_mulai"] == 0
    assert s["realisasi_persen"] == pytest.approx(100 * 88 / 276, abs=1e-4)
    per_program = {p["program"]: p for p in bali["per_program"]}
    assert (per_program["KOTAKU"]["jumlah"], per_program["KOTAKU"]["selesai"]) == (8 + 10 * 10, 5 + 3 * 10)
    assert (per_program["PISEW"]["jumlah"], per_program["PISEW"]["selesai"]) == (8 + 16 * 10, 5 + 3 * 16)
    kab = bali["kabupaten"]
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
    assert [k["kabupaten_kota"] for k in kab][:3] == ["Kabupaten Tabanan", "Kabupaten Karangasem", "Kabupaten Buleleng"]
    assert bali["terlambat"] == []
    curve = bali["kurva_s"]
    assert curve[0]["tanggal"] == "2022-01-07" and curve[-1]["tanggal"] == "2022-06-03"
    ahead = [c["tanggal"] for c in curve if c["realisasi_persen"] > c["rencana_persen"]]
    assert ahead == [c["tanggal"] for c in curve if c["tanggal"] >= "2022-03-11"]  # ahead since 11 March
    assert curve[-1]["rencana_persen"] == s["rencana_persen"] and curve[-1]["realisasi_persen"] == s["realisasi_persen"]


@pytest.mark.slow
def test_screen_is_plain_fixed_width_and_unbroken(runs: dict[str, subprocess.CompletedProcess[str]]) -> None:
    text = runs["txt"].stdout
    lines = text.splitlines()
    assert "\x1b" not in text
    assert all(len(line) <= WIDTH for line in lines)
    assert all(line == line.rstrip() for line in lines)
    assert "rencana 16,0 %, realisasi 31,9 %, deviasi +15,9 poin" in lines
    assert "276 tahapan: 88 selesai, 0 terlambat, 2 berjalan, 186 belum waktunya" in lines
    # a date and a status label are never broken over two lines
    prep = [line for line in lines if line.startswith(("PISEW ", "KOTAKU "))]
    assert len(prep) == 16
    assert sum("belum waktunya" in line for line in prep) == 4
    assert all(line.count("2022") >= 1 for line in prep)
    assert any("31 Maret 2022  1 Maret 2022   11 Maret 2022" in line for line in prep)
    assert "Bali — lokasi terlambat (0)" in lines and "  (tidak ada)" in lines
    assert "Bali — konstruksi kritis atau melewati batas akhir (0)" in lines
    md = runs["md"].stdout
    assert md.count("| belum waktunya |") == 4 and "## Bali — lokasi terlambat (0)\n\ntidak ada\n" in md


def test_plan_widths_wraps_headers_then_text_never_dates() -> None:
    from pkp_cli.render.table import GAP, plan_widths

    heads = ["nama tahapan", "jadwal selesai", "menunggu revisi DIPA"]
    rows = [["Penandatanganan kontrak tenaga pendamping", "24 Juni 2022", "ya"]]
    # room enough: everything on one line
    assert plan_widths(heads, rows, {0}, 200) == [41, 14, 20]
    # short of room: the flag's header wraps first (the biggest saving), the date column keeps its value
    assert plan_widths(heads, rows, {0}, 41 + 14 + 8 + 2 * GAP) == [41, 14, 8]
    # shorter still: the stage name wraps, the date does not
    widths = plan_widths(heads, rows, {0}, 40)
    assert widths[1] >= len("24 Juni 2022") and sum(widths) + 2 * GAP <= 40


def test_sample_envelope_names_the_bundled_schedule(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """From an empty folder pkp uses its bundled sample; the envelope names no installation path."""
    from typer.testing import CliRunner

    from pkp_cli.cli.app import app

    monkeypatch.chdir(tmp_path)
    for k in [k for k in os.environ if k.startswith("PKP_")]:
        monkeypatch.delenv(k)
    res = CliRunner().invoke(
        app,
        ["status", "--province", "Bali", "-f", "json"],
        env={"NO_COLOR": "1", "XDG_CONFIG_HOME": str(tmp_path / "xdg")},
    )
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["data_source"] == "sample"
    assert doc["schedule"] == "bundled:jadwal-nasional-2022.yaml"
    assert "sampel bawaan" in res.stderr and "(bawaan pkp)" in res.stderr
