"""Builders shared by the tests: workbooks written with openpyxl, the repo's paths.

Each builder writes a real file (no mocks); the addresses and values it writes are the ones the tests' comments
derive expected results from.
"""

from __future__ import annotations

import datetime as dt
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd

from pkp_cli.model.frames import LOKASI, PROGRES
from pkp_cli.model.provenance import WRITTEN_NAME
from pkp_cli.model.schedule import Schedule, check_schedule_text, load_schedule

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"


def write_lokasi(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "PISEW"
    ws.append(
        [
            "No",
            "Kode Kecamatan",
            "Program",
            "Provinsi",
            "Kabupaten/Kota",
            "Kecamatan",
            "Lokasi Berulang",
            "Kinerja",
            "Dokumen Perencanaan",
            "Nilai Bantuan (Rp)",
        ]
    )
    ws.append(
        [
            1,
            "51.04.01",
            "PISEW",
            "Prov. Bali",
            "KAB. GIANYAR",
            "SUKAWATI",
            "Ya",
            "Baik",
            "Ada",
            "Rp 600.000.000",
        ]
    )
    ws.append([2, "51.04.02", "PISEW", "Bali", "Kab. Gianyar", "Blahbatu", "Tidak", "Cukup", None, "600 jt"])
    ws.append([3, "51.04.03", "PISEW", "Jawa Timur", "Gianyar", "Gianyar", None, "baik", "Tidak", "1,2 M"])
    ws.append(["JUMLAH", None, None, None, None, None, None, None, None, "Rp 2.400.000.000"])
    k = wb.create_sheet("KOTAKU")
    k.append(["Kode Desa/Kel", "Program", "Kelurahan/Desa", "Lokasi Berulang"])
    k.append(["51.04.01.2001", "KOTAKU", "Batubulan", "Y"])
    wb.save(path)


def write_progres(path: Path) -> None:
    """Empty rows 1-2 and column A, title rows, a merged two-row header, every date form, a % cell."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Progres"
    ws["B3"] = "LAPORAN PROGRES PISEW"
    ws["B4"] = "Keadaan s.d. 20 Mei 2022"
    for col, text in zip(
        "BCDEFHI",
        ["No", "Kode Lokasi", "Program", "Tahapan", "Realisasi", "Progres (%)", "Keterangan"],
        strict=True,
    ):
        ws[f"{col}6"] = text
    ws.merge_cells("F6:G6")
    ws["F7"], ws["G7"] = "Mulai", "Selesai"
    ws["B8"] = "KABUPATEN GIANYAR"
    rows = {
        9: [1, "51", "PISEW", "P1", "1 Maret 2022", "20/05/2022", None, "selesai"],
        10: [2, "51.04.01", "PISEW", "Sosialisasi", dt.datetime(2022, 4, 2), "20-04-2022", None, None],
        11: [3, "51.04.02", None, "l2", "01.05.2022", None, 0.455, None],
        12: [4, "51.04.02", None, "L1", "10/05/2022", "05/05/2022", None, None],
        13: [5, "51.04.09", None, "L1", "31/02/2022", None, "120", None],
        15: [6, "51.04.01", "PISEW", "L3", None, None, "45,5%", None],
        16: [7, "51.04.01", "PISEW", "L3", None, None, "45,5%", None],
        17: [8, "51.04.01", "PISEW", "L1", "2 Apr 22", "21 April 2022", None, None],
        18: ["JUMLAH", None, None, None, None, None, None, None],
    }
    for r, vals in rows.items():
        for col, v in zip("BCDEFGHI", vals, strict=True):
            if v is not None:
                ws[f"{col}{r}"] = v
    ws["H11"].number_format = "0.0%"
    wb.save(path)


# --- a three-location fixture for roll-ups and views (every figure derived by hand in tests/engines/test_rollup.py)


def schedule_from(tmp_path: Path, text: str) -> Schedule:
    """A schedule written to a file and loaded (checked first, so a broken test schedule says why)."""
    model, problems = check_schedule_text(text)
    assert model is not None, [p.message("en") for p in problems]
    path = tmp_path / "jadwal.yaml"
    path.write_text(text, encoding="utf-8")
    return load_schedule(path)


def lokasi_row(code: str, program: str = "PISEW", **fields: Any) -> dict[str, Any]:
    """One location with names derived from its code ("Kabupaten 51.04", "Lokasi 51.04.01")."""
    prov, kab = code[:2], code[:5]
    return {
        "kode_lokasi": code,
        "program": program,
        "kode_provinsi": prov,
        "provinsi": f"Provinsi {prov}",
        "kode_kabupaten": kab,
        "kabupaten_kota": f"Kabupaten {kab}",
        "kecamatan": f"Kecamatan {code[:8]}",
        "nama_lokasi": f"Lokasi {code}",
        **fields,
    }


def lokasi_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """A LOKASI frame as the loader gives it (missing columns empty)."""
    df = pd.DataFrame(rows)
    for col in LOKASI:
        if col not in df:
            df[col] = pd.NA
    return df[LOKASI]


def progres_row(code: str, stage: str, laporan: str, program: str = "PISEW", **fields: Any) -> dict[str, Any]:
    """One progress report of a stage at a location (or at a province: a two-digit code)."""
    return {
        "kode_lokasi": code,
        "kode_provinsi": code[:2],
        "program": program,
        "tahapan": stage,
        "tanggal_laporan": laporan,
        **fields,
    }


def progres_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """A PROGRES frame with the loader's dtypes: dates datetime64, progress float, flags bool."""
    df = pd.DataFrame(rows, columns=sorted({k for r in rows for k in r} | set(PROGRES)))
    for col in ("tanggal_mulai", "tanggal_selesai", "tanggal_laporan"):
        df[col] = pd.to_datetime(df[col])
    df["progres_persen"] = df["progres_persen"].astype(float)
    df["laporan_tanpa_tanggal"] = df["laporan_tanpa_tanggal"].astype("boolean").fillna(False).astype(bool)
    return df[PROGRES]


# --- a three-location fixture for roll-ups and views (every figure derived by hand in tests/engines/test_rollup.py)

THREE_LOCATION_SCHEDULE = """\
tahun_anggaran: 2022
batas_akhir: 2022-12-15
program:
  PISEW:
    tahapan_kunci:
      konstruksi: K
    tahapan:
      - {kode: A, nama: Persiapan provinsi, tingkat: provinsi, mulai: 2022-03-01, selesai: 2022-03-10}
      - {kode: B, nama: Survei, tingkat: lokasi, mulai: 2022-03-01, selesai: 2022-03-20}
      - {kode: K, nama: Konstruksi, tingkat: lokasi, mulai: 2022-04-01, selesai: 2022-04-10, setelah: [B],
         bobot: 2}
"""
THREE_LOCATION_AS_OF = date(2022, 4, 5)


def three_location_schedule(tmp_path: Path) -> Schedule:
    return schedule_from(tmp_path, THREE_LOCATION_SCHEDULE)


def three_location_lokasi() -> pd.DataFrame:
    """L1 51.01.01 and L2 51.01.02 in kabupaten 51.01, L3 51.02.01 in 51.02; all in Bali (51)."""
    return lokasi_frame(
        [
            lokasi_row(c, provinsi="Bali", nama_lokasi=f"Kecamatan {c}", kecamatan=pd.NA)
            for c in ("51.01.01", "51.01.02", "51.02.01")
        ]
    )


def three_location_progres() -> pd.DataFrame:
    r = progres_row
    return progres_frame(
        [
            r("51", "A", "2022-04-05", tanggal_mulai="2022-03-01", tanggal_selesai="2022-03-12"),
            r("51.01.01", "B", "2022-04-05", tanggal_mulai="2022-03-01", tanggal_selesai="2022-03-20"),
            r("51.01.01", "K", "2022-04-01", tanggal_mulai="2022-04-01", progres_persen=10.0, keterangan="mulai"),
            r("51.01.01", "K", "2022-04-05", tanggal_mulai="2022-04-01", progres_persen=60.0, keterangan="lancar"),
            r("51.01.02", "B", "2022-04-05", tanggal_mulai="2022-03-02", tanggal_selesai="2022-03-25"),
            r("51.01.02", "K", "2022-04-05", tanggal_mulai="2022-04-03", progres_persen=20.0),
            r("51.02.01", "B", "2022-04-05", tanggal_mulai="2022-03-05", keterangan="warga belum sepakat"),
        ]
    )


# --- a two-week fixture for `pkp weekly` (every change derived by hand in tests/cli/test_weekly.py) -------------

WEEKLY_SCHEDULE = """\
tahun_anggaran: 2022
batas_akhir: 2022-12-31
program:
  PISEW:
    tahapan_kunci: {rekrutmen: P1, revisi_dipa: P2, survei: L3}
    tahapan:
      - {kode: P1, nama: Rekrutmen, tingkat: provinsi, mulai: 2022-03-01, selesai: 2022-05-10}
      - {kode: P2, nama: Revisi DIPA, tingkat: provinsi, mulai: 2022-04-01, selesai: 2022-06-30}
      - {kode: L1, nama: Sosialisasi, tingkat: lokasi, mulai: 2022-04-01, selesai: 2022-05-10}
      - {kode: L2, nama: Kelembagaan, tingkat: lokasi, mulai: 2022-05-01, selesai: 2022-05-24}
      - {kode: L3, nama: Survei, tingkat: lokasi, mulai: 2022-05-01, selesai: 2022-06-30}
"""
# A candidate must be a repeat location with good performance whose survey (key stage L3) is finished.
WEEKLY_RULES = """\
skor_maks: 100
syarat:
  - {id: berulang, kolom: lokasi_berulang, nilai: true, wajib: true, bobot: 30}
  - {id: kinerja, kolom: kinerja, nilai: Baik, wajib: true, bobot: 30}
  - {id: survei, tahapan_kunci: survei, wajib: true, bobot: 40}
"""
# Bali (51): A 51.04.01, B 51.04.02, C 51.04.03; Nusa Tenggara Barat (52): D 52.01.01.
# (kode, lokasi berulang, kinerja in week 1, kinerja in week 2)
WEEKLY_LOCATIONS = [
    ("51.04.01", "Ya", "Baik", "Baik"),
    ("51.04.02", "Tidak", "Baik", "Baik"),
    ("51.04.03", "Ya", "Kurang", "Kurang"),
    ("52.01.01", "Ya", "Baik", "Kurang"),
]
D = dt.datetime
# (kode lokasi, tahapan, mulai, selesai) per province and report date
WEEKLY_REPORTS: dict[tuple[str, str], list[tuple[str, str, Any, Any]]] = {
    ("bali", "2022-05-20"): [
        ("51", "P1", D(2022, 3, 1), D(2022, 5, 5)),
        ("51", "P2", D(2022, 4, 1), None),
        ("51.04.01", "L1", D(2022, 4, 2), D(2022, 5, 1)),
        ("51.04.01", "L2", D(2022, 5, 10), None),
        ("51.04.01", "L3", D(2022, 5, 5), None),
        ("51.04.02", "L1", D(2022, 4, 5), None),
        ("51.04.03", "L1", D(2022, 4, 10), None),
    ],
    ("ntb", "2022-05-20"): [
        ("52", "P1", D(2022, 3, 1), D(2022, 5, 12)),
        ("52.01.01", "L1", D(2022, 4, 2), D(2022, 5, 2)),
        ("52.01.01", "L2", D(2022, 5, 12), None),
        ("52.01.01", "L3", D(2022, 5, 3), D(2022, 5, 18)),
    ],
    ("bali", "2022-05-27"): [  # Nusa Tenggara Barat sends nothing this week
        ("51", "P1", D(2022, 3, 1), D(2022, 5, 5)),
        ("51", "P2", D(2022, 4, 1), None),
        ("51.04.01", "L1", D(2022, 4, 2), D(2022, 5, 1)),
        ("51.04.01", "L2", D(2022, 5, 10), None),
        ("51.04.01", "L3", D(2022, 5, 5), D(2022, 5, 25)),
        ("51.04.02", "L1", D(2022, 4, 5), D(2022, 5, 22)),
        ("51.04.03", "L1", D(2022, 4, 10), None),
    ],
}
# (nomor, kode provinsi, status, batas waktu, tanggal selesai) in week 1 and week 2
WEEKLY_FINDINGS = {
    1: [
        ("T-1", "51", "Proses", D(2022, 5, 31), None),
        ("T-2", "51", "Belum", D(2022, 5, 25), None),
        ("T-3", "52", "Belum", D(2022, 5, 15), None),
        ("T-4", "52", "Selesai", D(2022, 5, 20), D(2022, 5, 10)),
    ],
    2: [
        ("T-1", "51", "Selesai", D(2022, 5, 31), D(2022, 5, 23)),
        ("T-2", "51", "Belum", D(2022, 5, 25), None),
        ("T-3", "52", "Belum", D(2022, 5, 15), None),
        ("T-4", "52", "Selesai", D(2022, 5, 20), D(2022, 5, 10)),
    ],
}


def write_weekly_fixture(root: Path, week: int) -> dict[str, Path]:
    """The data of week 1 (reports of 20 May 2022), or of week 2 (adds Bali's reports of 27 May and updates the
    lokasi and audit workbooks in place, as a BPPW would). Returns the paths to pass to `pkp weekly`."""
    data = root / "data"
    for sub in ("lokasi", "progres", "temuan"):
        (data / sub).mkdir(parents=True, exist_ok=True)
    schedule, rules = root / "jadwal-nasional-2022.yaml", root / "percepatan-2022.yaml"
    schedule.write_text(WEEKLY_SCHEDULE, encoding="utf-8")
    rules.write_text(WEEKLY_RULES, encoding="utf-8")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "PISEW"
    ws.append(["Kode Kecamatan", "Program", "Lokasi Berulang", "Kinerja", "Dokumen Perencanaan"])
    for code, berulang, kinerja1, kinerja2 in WEEKLY_LOCATIONS:
        ws.append([code, "PISEW", berulang, kinerja1 if week == 1 else kinerja2, "Ada"])
    wb.save(data / "lokasi" / "lokasi.xlsx")
    for (province, day), rows in WEEKLY_REPORTS.items():
        if week == 1 and day != "2022-05-20":
            continue
        folder = data / "progres" / day
        folder.mkdir(exist_ok=True)
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "Progres"
        ws.append(["Kode Lokasi", "Program", "Tahapan", "Tanggal Mulai", "Tanggal Selesai", "Tanggal Laporan"])
        for code, stage, start, end in rows:
            ws.append([code, "PISEW", stage, start, end, dt.datetime.fromisoformat(day)])
        wb.save(folder / f"progres-{province}-{day}.xlsx")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Temuan"
    ws.append(["Nomor Temuan", "Kode Provinsi", "Uraian", "Nilai", "Status", "Batas Waktu", "Tanggal Selesai",
               "Tanggal Laporan"])  # fmt: skip
    report_day = D(2022, 5, 20) if week == 1 else D(2022, 5, 27)
    for number, prov, status, due, closed in WEEKLY_FINDINGS[week]:
        ws.append([number, prov, f"Temuan {number}", "Rp 1.000.000", status, due, closed, report_day])
    wb.save(data / "temuan" / "temuan.xlsx")
    return {"data": data, "schedule": schedule, "rules": rules}


def output_files(folder: Path) -> list[str]:
    """The names of the files in an output folder, sorted, but pkp's record of them (.pkp-written.json)."""
    return sorted(p.name for p in folder.iterdir() if p.name != WRITTEN_NAME)


def stage_table() -> tuple[list[Any], pd.DataFrame]:
    """The columns and three rows of a province's stage table as the terminal shows it (a name that wraps)."""
    from pkp_cli.views.model import Column

    cols = [
        Column("tahapan", "code", ("tahapan", "stage"), ("", "")),
        Column("nama", "text", ("nama tahapan", "stage name"), ("", "")),
        Column("hari", "int", ("hari terlambat", "days late"), ("", "")),
    ]
    names = ["Pengumuman rekrutmen tenaga pendamping", "Revisi DIPA", "Seleksi administrasi calon tenaga pendamping"]
    rows = pd.DataFrame({"tahapan": ["PSW-01", "PSW-06", "PSW-02"], "nama": names, "hari": [0, 3, 12]})
    return cols, rows
