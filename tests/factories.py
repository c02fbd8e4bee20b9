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
