"""Cells as the BPPW write them (issue 10): each accepted, or rejected with a message that says how to fix it.

Workbooks are built here; the expected cells and messages are derived by hand in the comments. Region names come
from the pinned reference: 51 Bali, 51.03 Kabupaten Badung, 51.04 Kabupaten Gianyar, 51.04.01 Sukawati,
51.04.02 Blahbatuh, 52 Nusa Tenggara Barat, 53 Nusa Tenggara Timur.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from pkp_cli.ingest.load import load_data
from pkp_cli.model.regions import province_code, reference
from tests.factories import write_lokasi
from tests.ingest.test_load import assert_adds_up

TODAY = dt.date(2022, 6, 30)


def _sheet(path: Path, rows: list[list[object]], title: str = "Sheet") -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for r in rows:
        ws.append(r)
    wb.save(path)


def _issues(issues, suffix: str) -> dict[str, tuple[str, str]]:
    """cell -> (code, Indonesian message) of the issues of one file."""
    return {i.cell: (i.code, i.message("id")) for i in issues if i.file.endswith(suffix)}


# --- province names ---------------------------------------------------------------------------------------------

ISSUE_SHORT_NAMES = {
    "NTB": "52",
    "NTT": "53",
    "Sulsel": "73",
    "Jabar": "32",
    "Jateng": "33",
    "Jatim": "35",
    "Kalteng": "62",
    "Kalbar": "61",
    "Sumut": "12",
    "Sumbar": "13",
    "NAD": "11",
    "DIY": "34",
    "D.I. Yogyakarta": "34",
    "Prov. Maluku Utara": "82",
}
FAMILY = {
    "sulsel": "73",
    "SUL-SEL": "73",
    "N.T.B.": "52",
    "Provinsi NTB": "52",
    "PROPINSI JAWA BARAT": "32",
    "DI Yogyakarta": "34",
    "Kep. Riau": "21",
    "DKI Jakarta": "31",
    "prov. bali": "51",
    "51": "51",
}


@pytest.mark.parametrize("text,code", [*ISSUE_SHORT_NAMES.items(), *FAMILY.items()])
def test_one_alias_table_for_options_and_cells(text: str, code: str) -> None:
    assert province_code(text) == code


def test_every_short_name_means_one_province_and_shadows_no_name() -> None:
    from pkp_cli.model.aliases import province_key, province_short_names

    names = {province_key(v): k for k, v in reference().items() if len(k) == 2}
    for short, code in province_short_names().items():
        assert code in reference(), short
        # A short name never reads as another province's own name.
        assert names.get(province_key(short), code) == code, short


def _first_kecamatan(prov: str) -> str:
    return min(k for k in reference() if len(k) == 8 and k.startswith(prov + "."))


def test_lokasi_provinsi_short_names_load_without_errors_or_warnings(tmp_path: Path, mini_schedule) -> None:
    d = tmp_path / "data"
    d.mkdir()
    rows: list[list[object]] = [
        ["Kode Kecamatan", "Program", "Provinsi", "Lokasi Berulang", "Kinerja", "Dokumen Perencanaan"]
    ]
    # One kecamatan per short name (D.I. Yogyakarta and DIY share 34: a second kecamatan of it).
    used: set[str] = set()
    for text, prov in {**ISSUE_SHORT_NAMES, **FAMILY}.items():
        code = _first_kecamatan(prov)
        if code in used:
            code = sorted(k for k in reference() if len(k) == 8 and k.startswith(prov + ".") and k not in used)[0]
        used.add(code)
        rows.append([code, "PISEW", text, "Tidak", None, "Tidak"])
    _sheet(d / "lokasi.xlsx", rows, "PISEW")
    ntb = _first_kecamatan("52")
    _sheet(d / "progres-2022-05-20.xlsx", [["Kode Lokasi", "Tahapan", "Tanggal Mulai"], [ntb, "L1", "02/04/2022"]])
    r = load_data([d], mini_schedule, today=TODAY)
    assert_adds_up(r)
    assert r.errors == [] and r.warnings == []
    assert len(r.lokasi) == len(ISSUE_SHORT_NAMES) + len(FAMILY)
    # The reference name replaces the short one; the progress row of the NTB location loads.
    assert r.lokasi.set_index("kode_lokasi").loc[ntb, "provinsi"] == "Nusa Tenggara Barat"
    assert r.progres["kode_lokasi"].tolist() == [ntb]


def test_a_name_that_is_another_region_or_none_says_what_to_write(tmp_path: Path, mini_schedule) -> None:
    d = tmp_path / "data"
    d.mkdir()
    _sheet(
        d / "lokasi.xlsx",
        [
            ["Kode Kecamatan", "Program", "Provinsi", "Kabupaten/Kota"],
            ["51.04.01", "PISEW", "NTB", "Gianyar"],  # row 2: another province, by its short name
            ["51.04.02", "PISEW", "Bali", "Badung"],  # row 3: another kabupaten of Bali
            ["51.04.03", "PISEW", "Xanadu", "Gianyar"],  # row 4: no region at all
        ],
        "PISEW",
    )
    r = load_data([d], mini_schedule, today=TODAY)
    assert_adds_up(r)
    assert _issues(r.errors, "lokasi.xlsx") == {
        "C2": (
            "name-contradiction",
            "nama ini adalah Nusa Tenggara Barat (52), bukan Bali (kode 51); perbaiki nama atau kode",
        ),
        "D3": (
            "name-contradiction",
            "nama ini adalah Kabupaten Badung (51.03), bukan Kabupaten Gianyar (kode 51.04); perbaiki nama atau kode",
        ),
        "C4": ("name-unmatched", "nama tidak cocok dengan kode 51 (Bali); tulis 'Bali' atau perbaiki kode"),
    }
    # No message ends in an empty suggestion ("...; "), in either language.
    for issue in r.errors:
        for lang in ("id", "en"):
            assert not issue.message(lang).rstrip().endswith(";"), issue


# --- progress rows of a rejected location -----------------------------------------------------------------------


def test_progress_rows_of_a_rejected_location_say_where_it_was_rejected(tmp_path: Path, mini_schedule) -> None:
    d = tmp_path / "data"
    d.mkdir()
    write_lokasi(d / "lokasi.xlsx")  # PISEW!D4: 51.04.03 named "Jawa Timur", rejected
    rows = [["Kode Lokasi", "Tahapan", "Tanggal Mulai"], ["51.04.03", "L1", "02/04/2022"], ["51.04.03", "L2", None]]
    rows.append(["51.04.09", "L1", None])  # row 4: in no location row at all
    _sheet(d / "progres-2022-05-20.xlsx", rows)
    r = load_data([d], mini_schedule, today=TODAY)
    assert_adds_up(r)
    where = f"{d / 'lokasi.xlsx'}!PISEW!D4"
    fix = f"lokasi 51.04.03 ditolak di {where}; perbaiki sel itu, baris ini ikut dimuat"
    assert _issues(r.errors, "progres-2022-05-20.xlsx") == {
        "A2": ("location-rejected", fix),
        "A3": ("location-rejected", fix),
        "A4": ("location-unknown", "lokasi 51.04.09 tidak ada dalam data lokasi"),
    }
    # The same when the progress file is validated alone against the location file (pkp validate FILE).
    alone = load_data([d / "progres-2022-05-20.xlsx"], mini_schedule, lokasi_paths=[d / "lokasi.xlsx"], today=TODAY)
    assert _issues(alone.errors, "progres-2022-05-20.xlsx")["A2"] == ("location-rejected", fix)


# --- stages as typed --------------------------------------------------------------------------------------------


def test_stage_cells_as_typed_and_suggestions(tmp_path: Path, mini_schedule) -> None:
    d = tmp_path / "data"
    d.mkdir()
    write_lokasi(d / "lokasi.xlsx")
    rows = [
        ["Kode Lokasi", "Program", "Tahapan", "Tanggal Mulai"],
        ["51.04.01", "PISEW", "l 1", "02/04/2022"],  # row 2: L1
        ["51.04.02", "PISEW", "L-01", "02/04/2022"],  # row 3: L1
        ["51.04.01", "PISEW", "  SURVEI   pendahuluan ", "02/05/2022"],  # row 4: L2
        ["51", "PISEW", "p_1", "01/03/2022"],  # row 5: P1
        ["51.04.02", "PISEW", "Survei", None],  # row 6: shortened: suggested, not guessed
        ["51.04.02", "PISEW", "Sosialisai", None],  # row 7: a typo
        ["51.04.02", "PISEW", "Zzz", None],  # row 8: nothing near
        ["51", None, "Rekrutmen", None],  # row 9: a name in both programs, no Program
    ]
    _sheet(d / "progres-2022-05-20.xlsx", rows)
    r = load_data([d], mini_schedule, today=TODAY)
    assert_adds_up(r)
    got = r.progres.sort_values("_row")[["_row", "kode_lokasi", "tahapan"]].to_numpy().tolist()
    assert got == [[2, "51.04.01", "L1"], [3, "51.04.02", "L1"], [4, "51.04.01", "L2"], [5, "51", "P1"]]
    assert _issues(r.errors, "progres-2022-05-20.xlsx") == {
        "C6": ("stage-suggest", "tahapan 'Survei' tidak ada dalam jadwal PISEW; maksud Anda 'L2 Survei Pendahuluan'?"),
        "C7": ("stage-suggest", "tahapan 'Sosialisai' tidak ada dalam jadwal PISEW; maksud Anda 'L1 Sosialisasi'?"),
        "C8": ("stage-unknown", "tahapan 'Zzz' tidak ada dalam jadwal PISEW"),
        "C9": (
            "stage-ambiguous",
            "nama tahapan 'Rekrutmen' ada di PISEW, KOTAKU; tambahkan kolom Program atau tulis kodenya (P1, K0)",
        ),
    }


def test_wide_form_stage_headers_as_typed(tmp_path: Path, mini_schedule) -> None:
    d = tmp_path / "data"
    d.mkdir()
    write_lokasi(d / "lokasi.xlsx")
    wb = openpyxl.Workbook()
    ws = wb.active
    # "l-01" and "SOSIALISASI" are not written as the schedule does; both are stages (L1 twice: two locations).
    ws["A1"], ws["B1"], ws["C1"], ws["E1"] = "Kode Lokasi", "Program", "l-01", "survei  PENDAHULUAN"
    ws.merge_cells("C1:D1")
    ws.merge_cells("E1:F1")
    for col, text in zip("CDEF", ["Mulai", "Selesai", "Mulai", "Selesai"], strict=True):
        ws[f"{col}2"] = text
    ws.append(["51.04.01", "PISEW", "02/04/2022", "20/04/2022", "01/05/2022", None])
    wb.save(d / "progres-2022-05-20.xlsx")
    r = load_data([d], mini_schedule, today=TODAY)
    assert_adds_up(r)
    assert _issues(r.errors, "progres-2022-05-20.xlsx") == {}
    assert sorted(r.progres["tahapan"]) == ["L1", "L2"]


# --- dates ------------------------------------------------------------------------------------------------------


def test_dates_with_weekdays_year_first_and_without_year(tmp_path: Path, mini_schedule) -> None:
    d = tmp_path / "data"
    d.mkdir()
    write_lokasi(d / "lokasi.xlsx")
    rows = [
        ["Kode Lokasi", "Tahapan", "Tanggal Mulai", "Tanggal Selesai", "Tanggal Laporan"],
        ["51.04.01", "L1", "Sabtu, 2 April 2022", "2022/04/20", "Jumat, 20 Mei 2022"],  # row 2: all dates
        ["51.04.02", "L1", "8 April", "20/04/2022", "20/05/2022"],  # row 3: no year
        ["51.04.02", "L2", "Senin, 2 Mei 2022", None, "20/05/2022"],  # row 4: 2 May 2022 is a Monday: ok
        ["51.04.01", "L2", "Rabu, 2 Mei 2022", None, "20/05/2022"],  # row 5: not a Wednesday
    ]
    _sheet(d / "progres.xlsx", rows)
    r = load_data([d], mini_schedule, today=TODAY)
    assert_adds_up(r)
    assert _issues(r.errors, "progres.xlsx") == {
        "C3": ("date-no-year", "tahun tidak ada; tulis 8 April 2022"),
        "C5": ("date-weekday", "nama hari tidak cocok dengan tanggalnya; periksa hari dan tanggal"),
    }
    row2 = r.progres[r.progres["_row"] == 2].iloc[0]
    assert (row2["tanggal_mulai"], row2["tanggal_selesai"], row2["tanggal_laporan"]) == (
        pd.Timestamp("2022-04-02"),
        pd.Timestamp("2022-04-20"),
        pd.Timestamp("2022-05-20"),
    )
    # English names the year the same way.
    c3 = next(i for i in r.errors if i.cell == "C3")
    assert c3.message("en") == "the year is missing; write 8 April 2022"


# --- audit findings ---------------------------------------------------------------------------------------------


def test_findings_as_written(tmp_path: Path, mini_schedule) -> None:
    d = tmp_path / "data"
    d.mkdir()
    write_lokasi(d / "lokasi.xlsx")  # every location is in Bali (51)
    rows = [
        ["Nomor Temuan", "Kode Provinsi", "Provinsi", "Nilai Temuan (Rp)", "Status Tindak Lanjut", "Batas Waktu"],
        ["T1", None, "Bali", "-", "Sudah TL", "30/04/2022"],  # row 2: no amount; closed
        ["T2", None, "prov. bali", "Rp -", "Tuntas", "30/04/2022"],  # row 3: closed
        ["T3", "51", "Bali", "Rp 5.000.000", "Dalam Proses", "30/04/2022"],  # row 4: in progress
        ["T4", None, "Bali", "—", "Belum TL", "30/04/2022"],  # row 5: open
        ["T5", None, "NTB", None, "Belum", "30/04/2022"],  # row 6: a real province with no program here
        ["T6", None, "Atlantis", None, "Belum", "30/04/2022"],  # row 7: no province at all
        ["T7", "51", "NTT", None, "Belum", "30/04/2022"],  # row 8: code and name disagree
        ["T8", None, "Bali", None, "Tidak dapat ditindaklanjuti", "30/04/2022"],  # row 9: none of the three
    ]
    _sheet(d / "temuan-2022-05-20.xlsx", rows)
    r = load_data([d], mini_schedule, today=TODAY)
    assert_adds_up(r)
    t = r.temuan.set_index("nomor_temuan")
    assert t["status"].to_dict() == {"T1": "selesai", "T2": "selesai", "T3": "proses", "T4": "belum", "T5": "belum"}
    assert pd.isna(t.loc["T1", "nilai"]) and pd.isna(t.loc["T2", "nilai"]) and pd.isna(t.loc["T4", "nilai"])
    assert t.loc["T3", "nilai"] == 5_000_000
    assert t.loc["T5", "kode_provinsi"] == "52"
    errors = _issues(r.errors, "temuan-2022-05-20.xlsx")
    assert errors["C7"][0] == "province-unknown"
    assert errors["C8"] == (
        "name-contradiction",
        "nama ini adalah Nusa Tenggara Timur (53), bukan Bali (kode 51); perbaiki nama atau kode",
    )
    assert errors["E9"][0] == "status-invalid" and "Sudah TL" in errors["E9"][1] and "Tuntas" in errors["E9"][1]
    assert set(errors) == {"C7", "C8", "E9"}
    warnings = _issues(r.warnings, "temuan-2022-05-20.xlsx")
    assert warnings == {
        "C6": (
            "province-no-program",
            "provinsi Nusa Tenggara Barat (52) tidak menjalankan program dalam data ini; temuan tetap dimuat",
        )
    }
    # A finding's province problem never speaks of "lokasi", in either language.
    for issue in [*r.errors, *r.warnings]:
        if issue.file.endswith("temuan-2022-05-20.xlsx"):
            assert "lokasi" not in issue.message("id").lower() and "location" not in issue.message("en").lower()


# --- names on progress sheets -----------------------------------------------------------------------------------


def test_progress_sheet_names_are_checked_against_the_code(tmp_path: Path, mini_schedule) -> None:
    d = tmp_path / "data"
    d.mkdir()
    write_lokasi(d / "lokasi.xlsx")
    rows = [
        ["Kode Lokasi", "Provinsi", "Kabupaten", "Tahapan", "Tanggal Mulai"],
        ["51.04.01", "Bali", "KAB. GIANYAR", "L1", "02/04/2022"],  # row 2: as the reference
        ["51.04.02", "NTB", "Gianyar", "L1", "02/04/2022"],  # row 3: another province
        ["51.04.01", "Bali", "Gianyer", "L2", "02/05/2022"],  # row 4: a spelling variant: warning, loads
        ["51.04.02", "Bali", "Badung", "L2", "02/05/2022"],  # row 5: another kabupaten of Bali
        ["51", "Prov. Bali", None, "P1", "01/03/2022"],  # row 6: a province row
        ["51", "Sulsel", None, "P2", "01/04/2022"],  # row 7: a province row of another province
    ]
    _sheet(d / "progres-2022-05-20.xlsx", rows)
    r = load_data([d], mini_schedule, today=TODAY)
    assert_adds_up(r)
    errors = _issues(r.errors, "progres-2022-05-20.xlsx")
    assert {cell: code for cell, (code, _) in errors.items()} == {
        "B3": "name-contradiction",
        "C5": "name-contradiction",
        "B7": "name-contradiction",
    }
    assert errors["B7"][1] == "nama ini adalah Sulawesi Selatan (73), bukan Bali (kode 51); perbaiki nama atau kode"
    assert _issues(r.warnings, "progres-2022-05-20.xlsx") == {
        "C4": ("name-variant", "nama berbeda dengan referensi; dipakai nama referensi 'Kabupaten Gianyar'")
    }
    assert sorted(r.progres["_row"]) == [2, 4, 6]


# --- progress that cannot be right yet --------------------------------------------------------------------------


def test_progress_without_start_or_before_the_window_warns(tmp_path: Path, mini_schedule) -> None:
    d = tmp_path / "data"
    d.mkdir()
    write_lokasi(d / "lokasi.xlsx")
    # L3 (Konstruksi) opens on 2022-07-01; L2 opened on 2022-05-01. The report date is 2022-05-20.
    rows = [
        ["Kode Lokasi", "Tahapan", "Tanggal Mulai", "Progres (%)", "Tanggal Laporan"],
        ["51.04.01", "L3", None, "10", "20/05/2022"],  # row 2: progress, no start
        ["51.04.02", "L3", "01/05/2022", "5,5", "20/05/2022"],  # row 3: before the window opens
        ["51.04.01", "L2", "02/05/2022", "30", "20/05/2022"],  # row 4: window open: fine
        ["51.04.02", "L2", None, "0", "20/05/2022"],  # row 5: 0 %: fine
    ]
    _sheet(d / "progres.xlsx", rows)
    r = load_data([d], mini_schedule, today=TODAY)
    assert_adds_up(r)
    assert _issues(r.errors, "progres.xlsx") == {}
    assert _issues(r.warnings, "progres.xlsx") == {
        "D2": ("progress-no-start", "progres 10% tanpa tanggal mulai; isi tanggal mulai"),
        "D3": (
            "progress-before-window",
            "progres 5.5% dilaporkan 2022-05-20, sebelum jadwal tahapan dibuka 2022-07-01",
        ),
    }
    assert len(r.progres) == 4  # warnings load
