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

candidates-bali.{txt,md,json}: "Lokasi yang dapat dipercepat — Bali (6)": 6 of Bali's 26 locations meet the three
required conditions of the bundled rules (repeat location, good past performance, planning documents); 20 are
excluded, among them 51.03.02.2006 Penarungan, a repeat location with good performance but no planning documents
(80 points, shown with --all). All six score 100 (every requirement met, no penalty): 51.01.04 Melaya,
51.02.03 Selemadeg Barat, 51.02.04 Kerambitan, 51.08.02 Seririt (PISEW) and 51.03.05.1005 Tanjung Benoa,
51.06.02.1004 Kawan (KOTAKU). The reasons read "lokasi berulang, kinerja baik, dokumen perencanaan ada;
pembentukan kelembagaan selesai 23 April 2022, survei pendahuluan selesai 6 Mei 2022" (the key stages by their
role). No location can start a stage before its window, and none has an open window it has not started: the
two stage columns are empty. Socialisation, institutions and survey are done everywhere, and the next stage that
may be done early, technical planning (PSW-12 / KTK-12), waits for the facilitators' mobilisation (PSW-08 /
KTK-08), which waits for the DIPA revision (PSW-06 / KTK-06): 4 PISEW and 2 KOTAKU locations, in the table
`menunggu`. The screen fits 120 columns with the reasons wrapped; the JSON carries per location the result code
of every rule (`syarat.<id>`) and the points of every penalty (`penalti.<id>`), the rules file and its sha256.

candidates-explain.txt (--explain 51.03.02.2006): Penarungan's score card: 80 of 100, the planning documents
requirement `tidak terpenuhi` and required, so it is excluded ("syarat wajib gagal dokumen"); each key stage
with its code, schedule name, status and date (KTK-10 finished 22 April, KTK-11 3 May); no penalty (the newest
report, 3 June, is fresh); technical planning KTK-12 waits for mobilisation, which waits for the DIPA revision.

readiness.txt and readiness.md (national) and readiness-bali.json: one board per program (PISEW, then KOTAKU),
22 provinces each, every province-level stage a column headed with the schedule's stage name, each cell the
status and its date (the end date when finished, else the start). Bali: the four recruitment steps and the
briefing `selesai` (announcement 11 Mar ... appointment 14 Apr, briefing 11 Mei), the DIPA revision `berjalan`
since 4 Apr, contracts and mobilisation `belum waktunya`; its locations table: institutions and survey done at
all 16 PISEW and 10 KOTAKU locations, "tunggu DIPA: ya". Sulawesi Selatan: interviews finished late (30 Mei),
appointment started 31 Mei and late, briefing not started. Jawa Barat, Jawa Timur and Kalimantan Selatan have
their DIPA revision done (14-18 Mei) and contracts signed; the other 19 provinces wait for it. The open audit
findings are a table of their own, one row per province (38 open in all; Bali 2, both overdue, no amounts),
so no figure is repeated on two program rows; the board's note says where they are. The JSON (Bali only) has
the status code and ISO date of every stage (`status.PSW-06/KTK-06`, `tanggal.PSW-06/KTK-06`), not the words.

audit.txt (national): 59 findings in 22 provinces, 20 open, 18 in progress, 21 closed, 36 overdue (Rp
558.045.000 of them with an amount), the longest 56 days (Jawa Timur 04/LHP-IBM/35/2022, due 8 April), the
national total row; the overdue findings longest first (the first 60 on screen); the changes since the previous
report date (27 May): 1 closed, 10 newly overdue.
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
    Case("candidates-bali.txt", ("candidates", "--province", "Bali"), subprocess=True),
    Case("candidates-bali.md", ("candidates", "--province", "Bali", "--format", "markdown")),
    Case("candidates-bali.json", ("candidates", "--province", "Bali", "--format", "json")),
    Case("candidates-explain.txt", ("candidates", "--explain", "51.03.02.2006")),
    Case("readiness.txt", ("readiness",)),
    Case("readiness.md", ("readiness", "--format", "markdown")),
    Case("readiness-bali.json", ("readiness", "--province", "Bali", "--format", "json")),
    Case("audit.txt", ("audit",)),
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


# --- candidates, readiness, audit: the key facts, asserted directly (they hold whatever the layout) ---------------


def _json(outputs: dict[str, tuple[int, str, str]], name: str) -> dict:
    return json.loads(outputs[name][1])


def _stage(schedule_codes: list[str], tables: dict, program: str) -> list[tuple[str | None, str | None]]:
    """(status, date) of each province-level stage of the Bali row of `program`, in schedule order."""
    (row,) = [r for r in tables["kesiapan"] if r["program"] == program]
    keys = [k[len("status.") :] for k in row if k.startswith("status.")]
    return [(row[f"status.{k}"], row[f"tanggal.{k}"]) for k in keys]


@pytest.mark.slow
def test_bali_waits_only_for_the_dipa_revision(outputs) -> None:
    doc = _json(outputs, "readiness-bali.json")
    tables = doc["tables"]
    assert {r["provinsi"] for r in tables["kesiapan"]} == {"Bali"} and len(tables["kesiapan"]) == 2
    for program in ("PISEW", "KOTAKU"):
        stages = _stage([], tables, program)
        # recruitment 01-04 and the briefing 05 done; the DIPA revision (06) open since 4 April; 07 and 08 not due
        assert [s for s, _ in stages[:5]] == ["selesai"] * 5
        assert stages[5] == ("berjalan", "2022-04-04")
        assert stages[6:] == [("belum_jadwal", None), ("belum_jadwal", None)]
        (loc,) = [r for r in tables["lokasi"] if r["program"] == program]
        assert (loc["tunggu_dipa"], loc["kelembagaan_persen"], loc["survei_persen"]) == (True, 100, 100)
        assert loc["laporan_terakhir"] == "2022-06-03"
    assert {r["balai"] for r in tables["kesiapan"]} == {"BPPW Bali"}
    assert tables["temuan"] == [
        {
            "kode_provinsi": "51",
            "provinsi": "Bali",
            "temuan_terbuka": 2,
            "temuan_terbuka_nilai": None,
            "temuan_lewat_batas": 2,
        }
    ]


@pytest.mark.slow
def test_the_board_has_every_province_and_program_once(outputs) -> None:
    md = outputs["readiness.md"][1]
    # The stage columns are headed with the schedule's stage names, never codes; one board per program.
    assert "| Revisi DIPA |" in md and "| Mobilisasi tenaga pendamping |" in md and "| PSW-06 |" not in md
    assert md.count("## Papan kesiapan provinsi — ") == 2
    assert md.count("| Bali | selesai 11 Mar |") == 2
    rows = [
        line
        for line in md.split("## Lokasi, revisi DIPA")[1].split("## ")[0].splitlines()
        if line.startswith("| ") and "program" not in line
    ]
    assert len(rows) == 44
    screen = outputs["readiness.txt"][1]
    assert "administra" not in screen.replace("administrasi", "")  # no header split mid-word
    assert all(len(line) <= WIDTH for line in screen.splitlines())


@pytest.mark.slow
def test_bali_candidates(outputs) -> None:
    doc = _json(outputs, "candidates-bali.json")
    rows = doc["tables"]["kandidat"]
    assert doc["as_of"] == "2022-06-03" and doc["rules"] == "schedules/percepatan-2022.yaml"
    assert [(r["kode_lokasi"], r["skor"]) for r in rows] == [
        ("51.01.04", 100),
        ("51.02.03", 100),
        ("51.02.04", 100),
        ("51.03.05.1005", 100),
        ("51.06.02.1004", 100),
        ("51.08.02", 100),
    ]
    first = rows[0]
    assert first["alasan"].endswith(
        "pembentukan kelembagaan selesai 23 April 2022, survei pendahuluan selesai 6 Mei 2022"
    )
    assert [k for k in first if k.startswith("syarat.")] == [
        f"syarat.{k}" for k in ("berulang", "kinerja", "dokumen", "kelembagaan", "survei")
    ]
    # Nothing can start now: planning waits for mobilisation, which waits for the DIPA revision.
    assert all(r["tahapan_lebih_awal"] == [] and r["tahapan_jendela_terbuka"] == [] for r in rows)
    assert [(w["tahapan"], w["menunggu_kode"], w["jumlah_lokasi"]) for w in doc["tables"]["menunggu"]] == [
        ("PSW-12", ["PSW-08"], 4),
        ("KTK-12", ["KTK-08"], 2),
    ]
    md = outputs["candidates-bali.md"][1]
    assert "6 dari 26 lokasi memenuhi syarat wajib; 0 di antaranya" in md
    assert "PSW-08 Mobilisasi tenaga pendamping (menunggu PSW-06 Revisi DIPA)" in md
    card = outputs["candidates-explain.txt"][1]
    assert "Kartu skor: 51.03.02.2006 Penarungan — Kabupaten Badung, Bali (KOTAKU)" in card
    assert "skor 80, skor maks 100, syarat wajib gagal dokumen" in card


@pytest.mark.slow
def test_audit_national(outputs) -> None:
    lines = outputs["audit.txt"][1].splitlines()
    total = next(line for line in lines if line.startswith("Jumlah"))
    assert total.split()[1:5] == ["59", "20", "18", "21"] and "Rp 558.045.000" in total
    assert "Temuan lewat batas waktu, terlama dahulu (36)" in lines
    assert "Perubahan sejak laporan 27 Mei 2022 (11)" in lines
