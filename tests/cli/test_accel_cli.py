"""`pkp candidates`, `pkp readiness` and `pkp audit` on the bundled sample: what the user reads (the numbers, the
rows, the messages), in both languages, at the default piped width of 120 columns.

Figures read by hand from data/ at 3 June 2022 (the newest report): Bali has 26 locations; 6 are repeat
locations with good performance and planning documents (the three required conditions), 51.03.02.2006
Penarungan has no planning documents; 59 findings in 22 provinces, in one file dated 3 June 2022, 20 open,
18 in progress, 21 closed; Bali's two are both overdue and carry no amount.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pkp_cli.cli.app import app
from tests.factories import ROOT, output_files

DATA = str(ROOT / "data")


def run(*args: str, lang: str | None = None, width: int = 120):
    argv = [args[0], "--data", DATA, *args[1:], *(["--lang", lang] if lang else [])]
    return CliRunner().invoke(app, argv, env={"NO_COLOR": "1", "COLUMNS": str(width)})


def ok(*args: str, lang: str | None = None, width: int = 120) -> str:
    res = run(*args, lang=lang, width=width)
    assert res.exit_code == 0, res.output
    return res.stdout


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


# --- candidates -----------------------------------------------------------------------------------------------


def test_candidates_bali_lists_the_six_that_meet_all_three_conditions() -> None:
    doc = json.loads(ok("candidates", "--province", "Bali", "-f", "json"))
    rows = doc["tables"]["kandidat"]
    assert [(r["kode_lokasi"], r["skor"]) for r in rows] == [
        ("51.01.04", 100),
        ("51.02.03", 100),
        ("51.02.04", 100),
        ("51.03.05.1005", 100),
        ("51.06.02.1004", 100),
        ("51.08.02", 100),
    ]
    assert doc["rules"].endswith("percepatan-2022.yaml") and len(doc["rules_sha256"]) == 64
    screen = ok("candidates", "--province", "Bali")
    assert "Lokasi yang dapat dipercepat — Bali (6)" in screen
    assert "6 dari 26 lokasi memenuhi syarat wajib; 0 di antaranya" in " ".join(screen.split())
    assert "20 lokasi tidak memenuhi syarat wajib (tampilkan dengan pkp candidates --all)." in screen


def test_candidates_all_shows_the_excluded_with_the_condition_they_fail() -> None:
    rows = csv_rows(ok("candidates", "--province", "Bali", "--all", "-f", "csv"))
    assert len(rows) == 26
    penarungan = next(r for r in rows if r["kode_lokasi"] == "51.03.02.2006")
    # 80 = 100 - 20 (documents): a repeat location with good performance, but no planning documents.
    assert (penarungan["skor"], penarungan["memenuhi"], penarungan["syarat_gagal"]) == ("80", "false", "dokumen")
    assert (penarungan["syarat.dokumen"], penarungan["syarat.kinerja"]) == ("gagal", "terpenuhi")
    assert "dokumen perencanaan belum ada (syarat wajib tidak terpenuhi)" in penarungan["alasan"]
    assert penarungan["tahapan_lebih_awal"] == "" and "tahapan_jendela_terbuka" in penarungan


def test_candidates_say_what_bali_waits_for() -> None:
    table = ok("candidates", "--province", "Bali", "-f", "csv", "--table", "menunggu")
    rows = csv_rows(table)
    # Technical planning waits for mobilisation, which waits for the DIPA revision: 4 PISEW, 2 KOTAKU.
    assert [(r["tahapan"], r["menunggu_kode"], r["jumlah_lokasi"]) for r in rows] == [
        ("PSW-12", "PSW-08", "4"),
        ("KTK-12", "KTK-08", "2"),
    ]
    assert rows[0]["menunggu"] == "PSW-08 Mobilisasi tenaga pendamping (menunggu PSW-06 Revisi DIPA)"


def test_candidates_explain_one_location() -> None:
    screen = ok("candidates", "--explain", "51.03.02.2006")
    assert "Kartu skor: 51.03.02.2006 Penarungan — Kabupaten Badung, Bali (KOTAKU)" in screen
    lines = {line.split()[1]: line for line in screen.splitlines() if line.startswith(("syarat ", "penalti "))}
    assert lines["dokumen"].split()[2:6] == ["ya", "20", "tidak", "terpenuhi"]
    assert "KTK-10 Identifikasi dan pembentukan" in lines["kelembagaan"]
    doc = json.loads(ok("candidates", "--explain", "51.03.02.2006", "-f", "json"))
    (me,) = doc["tables"]["lokasi"]
    assert (me["skor"], me["memenuhi"], me["syarat_gagal"]) == (80, False, ["dokumen"])
    assert doc["main_table"] == "kartu" and [r["aturan"] for r in doc["tables"]["kartu"]][:3] == [
        "berulang",
        "kinerja",
        "dokumen",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("candidates", "--explain", "51.01.99"), "--explain 51.01.99: tidak dikenal (maksud Anda: 51.01.02, "),
        (("candidates", "--program", "XYZ"), "--program XYZ: tidak dikenal (pilihan: PISEW, KOTAKU)"),
        (("readiness", "--province", "Atlantis"), "--province Atlantis: tidak dikenal"),
        (
            ("audit", "-f", "csv", "--table", "nope"),
            "--table nope: tidak dikenal (pilihan: provinsi, lewat_batas, perubahan)",
        ),
    ],
)
def test_usage_errors_name_the_option_and_the_value(args: tuple[str, ...], message: str) -> None:
    res = run(*args)
    assert res.exit_code == 2
    assert f"pkp: {message}" in res.stderr


def test_candidates_out_writes_every_table(tmp_path: Path) -> None:
    res = run("candidates", "--province", "Bali", "-f", "csv", "--out", str(tmp_path))
    assert res.exit_code == 0, res.output
    assert output_files(tmp_path) == ["candidates-kandidat.csv", "candidates-menunggu.csv"]
    assert len(csv_rows((tmp_path / "candidates-kandidat.csv").read_text(encoding="utf-8"))) == 6


# --- readiness ------------------------------------------------------------------------------------------------


def test_readiness_bali_board_and_its_tables() -> None:
    screen = ok("readiness", "--province", "Bali")
    assert "Papan kesiapan provinsi — PISEW" in screen and "Papan kesiapan provinsi — KOTAKU" in screen
    bali = [line for line in screen.splitlines() if line.startswith("Bali ")]
    # Board rows (two programs, stage status on the first line), then the locations table's two rows: 16 PISEW
    # and 10 KOTAKU locations, institutions and survey done at all of them, waiting for the DIPA revision.
    assert bali[0].split()[1:6] == ["selesai"] * 5 and "berjalan" in bali[0]
    locations = [line.split() for line in bali if "Juni 2022" in line]
    assert [r[1:8] for r in locations] == [
        ["PISEW", "16", "16", "100,0", "16", "100,0", "ya"],
        ["KOTAKU", "10", "10", "100,0", "10", "100,0", "ya"],
    ]
    assert ok("readiness", "--province", "Bali", "--table", "list").splitlines() == [
        "kesiapan *\tPapan kesiapan provinsi — PISEW",
        "lokasi\tLokasi, revisi DIPA dan laporan terakhir per program",
        "temuan\tTemuan audit terbuka per provinsi",
    ]


def test_readiness_audit_figures_once_per_province() -> None:
    rows = csv_rows(ok("readiness", "-f", "csv", "--table", "temuan"))
    # 22 provinces and the national total; 38 open findings (20 open + 18 in progress), counted once each.
    assert len(rows) == 23 and rows[-1]["provinsi"] == "Jumlah"
    assert sum(int(r["temuan_terbuka"]) for r in rows[:-1]) == int(rows[-1]["temuan_terbuka"]) == 38
    bali = next(r for r in rows if r["provinsi"] == "Bali")
    assert (bali["temuan_terbuka"], bali["temuan_terbuka_nilai"], bali["temuan_lewat_batas"]) == ("2", "", "2")
    board = csv_rows(ok("readiness", "-f", "csv"))
    assert len(board) == 44 and not [k for k in board[0] if "temuan" in k]


def test_readiness_and_audit_before_the_findings_report_count_none_of_it() -> None:
    """The findings file is dated 3 June; on 27 May it was not known."""
    rows = csv_rows(ok("readiness", "-f", "csv", "--table", "temuan", "--as-of", "2022-05-27"))
    assert {r["temuan_terbuka"] for r in rows} == {"0"}
    screen = ok("audit", "--as-of", "2022-05-27")
    assert "59 temuan hanya ada di berkas temuan bertanggal sesudah tanggal posisi (terbaru 3 Juni 2022)" in screen
    assert csv_rows(ok("audit", "-f", "csv", "--as-of", "2022-05-27")) == []


# --- audit ----------------------------------------------------------------------------------------------------


def test_audit_national_totals_and_overdue() -> None:
    doc = json.loads(ok("audit", "-f", "json"))
    (total,) = doc["totals"]["provinsi"]
    assert [total[k] for k in ("temuan", "belum", "proses", "temuan_selesai", "lewat_batas")] == [59, 20, 18, 21, 36]
    assert doc["laporan_sebelumnya"] == "2022-05-27" and len(doc["tables"]["lewat_batas"]) == 36
    screen = ok("audit")
    total_line = next(line for line in screen.splitlines() if line.startswith("Jumlah"))
    assert total_line.split()[1:5] == ["59", "20", "18", "21"]
    bali = csv_rows(ok("audit", "--province", "Bali", "-f", "csv", "--table", "lewat_batas"))
    assert [(r["nomor_temuan"], r["status_temuan"], r["hari_lewat_batas"]) for r in bali] == [
        ("01/LHP-IBM/51/2022", "belum", "45"),
        ("02/LHP-IBM/51/2022", "proses", "2"),
    ]


# --- English, and the width -----------------------------------------------------------------------------------

# Words pkp itself writes in Indonesian on these screens (labels, statuses, rule words); the data's own words
# (stage names, findings' descriptions, place names) stay as written.
INDONESIAN = ["selesai", "terlambat", "berjalan", "waktunya", "proses", "terpenuhi", "dikenakan", "syarat",
              "penalti", "menunggu", "Jumlah", "Posisi", "ya", "hari", "lokasi", "kinerja", "baik", "temuan",
              "Papan", "Tindak"]  # fmt: skip


@pytest.mark.parametrize(
    "args",
    [("candidates",), ("candidates", "--explain", "51.01.04"), ("readiness",), ("audit",)],
    ids=["candidates", "explain", "readiness", "audit"],
)
def test_english_screens_leave_no_indonesian_of_pkps_own(args: tuple[str, ...]) -> None:
    screen = ok(*args, lang="en")
    data_words = {"terlambat"} if args[0] == "audit" else set()  # "Laporan ... kegiatan terlambat": a finding
    if "--explain" in args:  # the rules' ids are identifiers (berulang, kinerja, ..., terlambat, urutan, basi)
        data_words |= {"kinerja", "terlambat"}
    found = [w for w in INDONESIAN if w not in data_words and re.search(rf"\b{w}\b", screen)]
    assert found == []


@pytest.mark.parametrize(
    "args", [("candidates",), ("readiness",), ("audit",)], ids=["candidates", "readiness", "audit"]
)
def test_at_120_columns_headers_keep_their_words(args: tuple[str, ...]) -> None:
    from pkp_cli.views.columns import COLUMNS
    from pkp_cli.views.specs import AUDIT_TABLES, CANDIDATES_TABLES, READINESS_TABLES

    screen = ok(*args)
    lines = screen.splitlines()
    assert all(len(line) <= 120 for line in lines)
    tokens = set(screen.split())
    specs = {"candidates": CANDIDATES_TABLES, "readiness": READINESS_TABLES, "audit": AUDIT_TABLES}[args[0]]
    headers = {COLUMNS[k].header("id") for keys in specs.values() for k in keys if COLUMNS[k].screen and "<" not in k}
    if args[0] == "readiness":  # the stage columns are headed with the schedule's names
        from pkp_cli.model.schedule import load_schedule

        headers |= {
            st.nama
            for _, st in load_schedule(ROOT / "schedules" / "jadwal-nasional-2022.yaml").stages()
            if st.tingkat == "provinsi"
        }
    hidden = " ".join(line for line in lines if "kolom disembunyikan" in line)
    shown = [h for h in headers if h not in hidden]
    # Every word of every header shown is whole somewhere on the screen (a header split mid-word, as
    # "administra si", would leave a fragment instead); a header that gave way is named under its table.
    missing = {h: [w for w in h.split() if w not in tokens] for h in shown}
    assert {h: ws for h, ws in missing.items() if ws and _is_shown(h, args[0])} == {}
    assert not re.search(r"\badministra\b", screen)


def _is_shown(header: str, command: str) -> bool:
    """Headers of tables that a national run of the command shows: not the score card's (--explain only), the
    failed conditions (--all only) or the BPPW (files only on the board)."""
    card_only = {"jenis", "aturan", "wajib", "bobot", "hasil", "poin", "data", "skor maks"}
    return not (command == "candidates" and header in card_only) and header not in {"syarat wajib gagal", "BPPW"}


def test_narrower_screens_drop_the_least_needed_columns_and_say_so() -> None:
    # 100 columns: the board's stages finished in every province (the announcement and the administrative
    # selection, by 3 June) give way; the stages still open stay.
    board = ok("readiness", width=100)
    hidden = " ".join(line.strip() for line in board.split("Papan kesiapan provinsi — KOTAKU")[0].splitlines()[-3:])
    assert "kolom disembunyikan karena layar sempit: Pengumuman rekrutmen tenaga pendamping, Seleksi" in hidden
    assert "Revisi DIPA" in board and "Penandatanganan" in board
    # 80 columns: the overdue findings keep their number, description and days overdue; the amount goes first.
    audit = ok("audit", width=80)
    overdue = audit.split("Temuan lewat batas waktu")[1].split("Perubahan sejak")[0]
    assert "hari" in overdue and "04/LHP-IBM/35/2022" in overdue and "56" in overdue
    assert "(kolom disembunyikan karena layar sempit: nilai (Rp))" in overdue


def test_sulawesi_selatan_is_still_at_the_interview_and_appointment_step() -> None:
    doc = json.loads(ok("readiness", "--province", "Sulsel", "-f", "json"))
    for program in ("PISEW", "KOTAKU"):
        (row,) = [r for r in doc["tables"]["kesiapan"] if r["program"] == program]
        stages = [(row[k], row[k.replace("status.", "tanggal.", 1)]) for k in row if k.startswith("status.")]
        # 03 interviews finished late on 30 May; 04 appointment started 31 May, late; 05 briefing not started
        assert stages[2:5] == [("selesai_terlambat", "2022-05-30"), ("terlambat", "2022-05-31"), ("belum_mulai", None)]
        (loc,) = [r for r in doc["tables"]["lokasi"] if r["program"] == program]
        assert (loc["kelembagaan_persen"], loc["survei_persen"]) == (0, 0)
