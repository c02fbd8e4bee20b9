"""The loader on workbooks built here, with addresses and counts derived by hand in the comments."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from pkp_cli.ingest.load import load_data
from pkp_cli.ingest.read import read_file
from tests.factories import ROOT, write_lokasi, write_progres


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    d = tmp_path / "data"
    (d / "progres" / "2022-05-20").mkdir(parents=True)
    write_lokasi(d / "lokasi.xlsx")
    write_progres(d / "progres" / "2022-05-20" / "bali.xlsx")
    return d


def assert_adds_up(result) -> None:
    """Per sheet: rows between the header and the last non-empty row, counted from the raw file without the
    loader's checks, equal rows_read + rows_skipped; and rows_read = rows_loaded + rows_rejected."""
    for f in result.files:
        raw = {s.name: s for s in read_file(Path(f.path))}
        for rep in f.sheets:
            sheet = raw[rep.name]
            text = sheet.grid.apply(lambda c: c.astype("str").str.strip().str.len().fillna(0) > 0)
            nonempty_rows = sheet.row_numbers[text.any(axis=1).to_numpy()]
            last = int(nonempty_rows.max())
            below = (sheet.row_numbers > rep.header_end_row) & (sheet.row_numbers <= last)
            blank_lines = ((sheet.blank_lines > rep.header_end_row) & (sheet.blank_lines < last)).sum()
            assert int(below.sum() + blank_lines) == rep.rows_read + rep.rows_skipped, (f.path, rep.name)
            assert rep.rows_read == rep.rows_loaded + rep.rows_rejected


def by_cell(issues, file_suffix: str = ""):
    return {(i.cell, i.code) for i in issues if i.file.endswith(file_suffix)}


def test_reader_recovers_absolute_origin(data_dir: Path) -> None:
    sheet = read_file(data_dir / "progres" / "2022-05-20" / "bali.xlsx")[0]
    # Rows 1-2 and column A are empty: calamine starts at B3, so grid row 0 is Excel row 3, column B.
    assert sheet.row_numbers[0] == 3
    assert sheet.origin_col == 1
    assert (6, 5, 6, 6) in sheet.merges  # F6:G6
    assert (11, 7) in sheet.percent_cells  # H11


def test_progres_accounting_and_addresses(data_dir: Path, mini_schedule) -> None:
    r = load_data([data_dir], mini_schedule, today=dt.date(2022, 6, 30))
    assert_adds_up(r)
    prog = next(f for f in r.files if f.path.endswith("bali.xlsx")).sheets[0]
    # Header ends on row 7; the last non-empty row is 18: rows 8..18 = 11 rows.
    # Heading row 8, blank row 14, totals row 18; row 16 copies row 15 (skipped);
    # rows 10 and 17 share key and report date with different dates: both rejected; 12 and 13 bad cells.
    assert prog.header_row == 6
    assert (prog.headings, prog.blank, prog.totals, prog.duplicates) == (1, 1, 1, 1)
    assert prog.rows_rejected == 4 and prog.rows_loaded == 3
    assert prog.rows_read + prog.rows_skipped == 11
    progres_errors = {(i.cell, i.code) for i in r.errors if i.file.endswith("bali.xlsx")}
    assert progres_errors == {
        ("G12", "end-before-start"),
        ("F13", "date-nonexistent"),
        ("H13", "percent-range"),
        ("C13", "location-unknown"),
        ("C10", "duplicate-conflict"),
        ("C17", "duplicate-conflict"),
    }
    g12 = next(i for i in r.errors if i.cell == "G12")
    assert (g12.sheet, g12.row, g12.column, g12.value) == ("Progres", 12, "Realisasi Selesai", "05/05/2022")
    c10 = next(i for i in r.errors if i.cell == "C10")
    assert dict(c10.params)["other"].endswith("!Progres:17")
    assert ("C16", "duplicate-row") in by_cell(r.warnings)


def test_progres_values(data_dir: Path, mini_schedule) -> None:
    r = load_data([data_dir], mini_schedule, today=dt.date(2022, 6, 30))
    assert_adds_up(r)
    p = r.progres.set_index(["kode_lokasi", "tahapan"])
    # The province row: code 51, report date from the title row "Keadaan s.d. 20 Mei 2022".
    assert p.loc[("51", "P1"), "tanggal_mulai"] == pd.Timestamp("2022-03-01")
    assert p.loc[("51", "P1"), "tanggal_selesai"] == pd.Timestamp("2022-05-20")
    assert p.loc[("51", "P1"), "tanggal_laporan"] == pd.Timestamp("2022-05-20")
    # "l2" is stage L2 in any case; its program comes from the location; 0.455 formatted as % is 45.5.
    assert p.loc[("51.04.02", "L2"), "program"] == "PISEW"
    assert p.loc[("51.04.02", "L2"), "progres_persen"] == pytest.approx(45.5)
    assert p.loc[("51.04.02", "L2"), "tanggal_mulai"] == pd.Timestamp("2022-05-01")
    assert p.loc[("51.04.01", "L3"), "progres_persen"] == pytest.approx(45.5)
    assert len(r.progres) == 3


def test_lokasi_names_and_flags(data_dir: Path, mini_schedule) -> None:
    r = load_data([data_dir], mini_schedule, today=dt.date(2022, 6, 30))
    assert_adds_up(r)
    sheets = {s.name: s for f in r.files for s in f.sheets if s.kind == "lokasi"}
    # PISEW: three data rows (2-4), the JUMLAH row skipped; row 4 names another province.
    assert (sheets["PISEW"].rows_read, sheets["PISEW"].rows_rejected, sheets["PISEW"].rows_skipped) == (
        3,
        1,
        1,
    )
    assert ("D4", "name-contradiction") in by_cell(r.errors)
    assert ("F3", "name-variant") in by_cell(r.warnings)  # Blahbatu for Blahbatuh
    lok = r.lokasi.set_index("kode_lokasi")
    assert lok.loc["51.04.02", "kecamatan"] == "Blahbatuh"  # the code wins
    assert lok.loc["51.04.01", "kabupaten_kota"] == "Kabupaten Gianyar"
    # An empty cell of a present column means Tidak; a missing column stays unknown (<NA>).
    assert lok.loc["51.04.02", "dokumen_perencanaan"] is False or not lok.loc["51.04.02", "dokumen_perencanaan"]
    assert pd.isna(lok.loc["51.04.01.2001", "kinerja"])
    assert pd.isna(lok.loc["51.04.01.2001", "dokumen_perencanaan"])
    assert lok.loc["51.04.01.2001", "nama_lokasi"] == "Batubulan"
    assert lok.loc["51.04.01", "nilai_bantuan"] == 600_000_000
    assert "dokumen_perencanaan" in r.lokasi_missing_columns


def test_csv_semicolon_bom_with_line_numbers(tmp_path: Path, mini_schedule) -> None:
    d = tmp_path / "data"
    d.mkdir()
    write_lokasi(d / "lokasi.xlsx")
    text = (
        "LAPORAN PROGRES;;;;;\r\n"
        "Keadaan s.d. 27 Mei 2022;;;;;\r\n"
        "Kode Lokasi;Tahapan;Tanggal Mulai;Tanggal Selesai;Progres (%);Keterangan\r\n"
        "51;P1;01/03/2022;;;\r\n"
        "51.04.01;L3;;;12,5;\r\n"
        "\r\n"
        "51.04.01;L9;;;;\r\n"
        "JUMLAH;;;;;\r\n"
    )
    (d / "sulsel.csv").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    r = load_data([d], mini_schedule, today=dt.date(2022, 6, 30))
    assert_adds_up(r)
    s = next(f for f in r.files if f.path.endswith(".csv")).sheets[0]
    # Header on line 3, last non-empty line 8: lines 4..8 = 5 = 3 read + 2 skipped (empty line 6, JUMLAH).
    assert (s.name, s.header_row, s.rows_read, s.rows_loaded, s.rows_rejected, s.rows_skipped) == (
        None,
        3,
        3,
        2,
        1,
        2,
    )
    assert ("B7", "stage-unknown") in by_cell(r.errors)
    l3 = r.progres[r.progres["tahapan"] == "L3"].iloc[0]
    assert l3["progres_persen"] == 12.5 and l3["tanggal_laporan"] == pd.Timestamp("2022-05-27")


def test_csv_quoted_multiline_record_keeps_its_start_line(tmp_path: Path, mini_schedule) -> None:
    d = tmp_path / "data"
    d.mkdir()
    write_lokasi(d / "lokasi.xlsx")
    text = 'Kode Lokasi,Tahapan,Tanggal Mulai,Keterangan\n51.04.01,L1,"02/04/2022","baris\nkedua"\n51.04.01,L2,x,\n'
    (d / "progres-2022-05-20.csv").write_bytes(text.encode("cp1252"))
    r = load_data([d], mini_schedule, today=dt.date(2022, 6, 30))
    assert_adds_up(r)
    # The quoted record spans lines 2-3, so the next record starts on line 4.
    assert ("C4", "date-invalid") in by_cell(r.errors)
    assert r.progres.iloc[0]["keterangan"] == "baris\nkedua"
    assert r.progres.iloc[0]["tanggal_laporan"] == pd.Timestamp("2022-05-20")  # from the file name


def test_wide_form_unpivots_with_own_cells(tmp_path: Path, mini_schedule) -> None:
    d = tmp_path / "data"
    d.mkdir()
    write_lokasi(d / "lokasi.xlsx")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"], ws["B1"], ws["C1"], ws["E1"] = "Kode Lokasi", "Program", "L1", "Survei Pendahuluan"
    ws.merge_cells("C1:D1")
    ws.merge_cells("E1:G1")
    for col, text in zip("CDEFG", ["Mulai", "Selesai", "Mulai", "Selesai", "Progres (%)"], strict=True):
        ws[f"{col}2"] = text
    ws.append(["51.04.01", "PISEW", "02/04/2022", "20/04/2022", "01/05/2022", None, None])
    ws.append(["51.04.02", "PISEW", None, None, None, None, None])
    ws.append(["51.04.02", "PISEW", "10/05/2022", "05/05/2022", None, None, None])
    wb.save(d / "progres-2022-05-20.xlsx")
    r = load_data([d], mini_schedule, today=dt.date(2022, 6, 30))
    assert_adds_up(r)
    s = next(f for f in r.files if f.path.endswith("progres-2022-05-20.xlsx")).sheets[0]
    # Rows 3-5 are data rows: row 3 gives two stage records, row 4 reports nothing, row 5 is rejected.
    assert (s.rows_read, s.rows_loaded, s.rows_rejected, s.rows_skipped) == (3, 2, 1, 0)
    assert by_cell(r.errors, "progres-2022-05-20.xlsx") == {("D5", "end-before-start")}
    got = r.progres.sort_values("tahapan")[["kode_lokasi", "tahapan", "tanggal_mulai"]].to_numpy().tolist()
    assert got == [
        ["51.04.01", "L1", pd.Timestamp("2022-04-02")],
        ["51.04.01", "L2", pd.Timestamp("2022-05-01")],
    ]


def test_report_date_rules(tmp_path: Path, mini_schedule) -> None:
    d = tmp_path / "data"
    d.mkdir()
    write_lokasi(d / "lokasi.xlsx")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Kode Lokasi", "Tahapan", "Tanggal Mulai", "Tanggal Laporan"])
    ws.append(["51.04.01", "L1", "02/04/2022", "20/05/2022"])  # ok
    ws.append(["51.04.02", "L1", "25/05/2022", "20/05/2022"])  # started after its report date
    ws.append(["51.04.01", "L2", None, "20/05/2023"])  # outside the fiscal year and in the future
    ws.append(["51.04.02", "L2", "02/05/2022", None])  # undated: takes the newest dated report date
    wb.save(d / "progres.xlsx")
    r = load_data([d], mini_schedule, today=dt.date(2022, 6, 30))
    assert_adds_up(r)
    assert by_cell(r.errors, "progres.xlsx") == {("C3", "date-after-report"), ("D4", "report-future")}
    undated = r.progres[r.progres["laporan_tanpa_tanggal"]]
    assert len(undated) == 1 and undated.iloc[0]["tanggal_laporan"] == pd.Timestamp("2022-05-20")
    assert any(w.code == "report-date-missing" for w in r.warnings)


def test_newer_report_replaces_and_warns_when_clearing(tmp_path: Path, mini_schedule) -> None:
    d = tmp_path / "data"
    for day in ("2022-05-20", "2022-05-27"):
        (d / day).mkdir(parents=True)
    write_lokasi(d / "lokasi.xlsx")
    for day, end in (("2022-05-20", "15/05/2022"), ("2022-05-27", None)):
        wb = openpyxl.Workbook()
        wb.active.append(["Kode Lokasi", "Tahapan", "Tanggal Mulai", "Tanggal Selesai"])
        wb.active.append(["51.04.01", "L1", "02/04/2022", end])
        wb.save(d / day / "bali.xlsx")
    r = load_data([d], mini_schedule, today=dt.date(2022, 6, 30))
    assert_adds_up(r)
    # Both reports stay in the history (status replays by date); the newer one cleared an end date.
    assert sorted(r.progres["tanggal_laporan"].dt.day) == [20, 27]
    assert [w.code for w in r.warnings if w.code.startswith("superseded")] == ["superseded-cleared"]


def test_duplicate_file_and_ignored_files(data_dir: Path, mini_schedule) -> None:
    from pkp_cli.render.xlsx import write_table_workbook

    shutil.copy(data_dir / "lokasi.xlsx", data_dir / "lokasi-copy.xlsx")
    (data_dir / "~$bali.xlsx").write_bytes(b"lock")
    (data_dir / ".hidden.xlsx").write_bytes(b"x")
    write_table_workbook(data_dir / "report.xlsx", [("x", ["a"], [["=1+1"]])])
    r = load_data([data_dir], mini_schedule, today=dt.date(2022, 6, 30))
    assert_adds_up(r)
    reasons = {Path(p).name: why for p, why in r.ignored}
    # Files are read in name order: "lokasi-copy.xlsx" sorts first, so the original is the skipped copy.
    assert reasons["lokasi.xlsx"] == "duplicate-file"
    assert reasons["~$bali.xlsx"] == "excel-lock-file"
    assert reasons[".hidden.xlsx"] == "hidden"
    assert reasons["report.xlsx"] == "written-by-pkp"
    assert any(w.code == "file-duplicate" for w in r.warnings)


def test_hostile_files_are_unreadable_not_crashes(tmp_path: Path, mini_schedule) -> None:
    import zipfile

    d = tmp_path / "data"
    d.mkdir()
    write_lokasi(d / "lokasi.xlsx")
    with zipfile.ZipFile(d / "bomb.xlsx", "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * (3 * 1024 * 1024))
    good = (d / "lokasi.xlsx").read_bytes()
    (d / "truncated.xlsx").write_bytes(good[: len(good) // 2])
    (d / "plain.xlsx").write_text("not a zip")
    r = load_data([d], mini_schedule, today=dt.date(2022, 6, 30), max_uncompressed_mb=2)
    assert_adds_up(r)
    codes = {Path(i.file).name: i.code for i in r.unreadable}
    assert codes == {
        "bomb.xlsx": "file-too-large",
        "truncated.xlsx": "file-unreadable",
        "plain.xlsx": "file-unreadable",
    }
    assert len(r.lokasi) == 3


def test_decimal_code_is_rejected(tmp_path: Path, mini_schedule) -> None:
    d = tmp_path / "data"
    d.mkdir()
    write_lokasi(d / "lokasi.xlsx")
    wb = openpyxl.Workbook()
    wb.active.append(["Kode Lokasi", "Program", "Tahapan", "Tanggal Mulai"])
    wb.active.append([51, "PISEW", "P1", "01/03/2022"])  # a whole-number cell: the text "51"
    wb.active.append([51.1, "PISEW", "P1", "01/03/2022"])  # a decimal number: format the column as Text
    wb.save(d / "progres-2022-05-20.xlsx")
    r = load_data([d], mini_schedule, today=dt.date(2022, 6, 30))
    assert_adds_up(r)
    assert by_cell(r.errors, "progres-2022-05-20.xlsx") == {("A3", "code-decimal")}
    assert r.progres.iloc[0]["kode_lokasi"] == "51"


def test_bundled_sample_adds_up_and_loads_clean() -> None:
    from pkp_cli.model.schedule import load_schedule

    root = ROOT
    r = load_data([root / "data"], load_schedule(root / "schedules" / "jadwal-nasional-2022.yaml"))
    assert_adds_up(r)
    assert r.total("rows_rejected") == 0 and r.errors_total == 0


def test_cp1252_csv_is_decoded(tmp_path: Path, mini_schedule) -> None:
    d = tmp_path / "data"
    d.mkdir()
    write_lokasi(d / "lokasi.xlsx")
    text = "Kode Lokasi;Tahapan;Tanggal Mulai;Keterangan\r\n51.04.01;L1;02/04/2022;Jl. Raya – Dénpasar\r\n"
    (d / "progres-2022-05-20.csv").write_bytes(text.encode("cp1252"))
    r = load_data([d], mini_schedule, today=dt.date(2022, 6, 30))
    assert_adds_up(r)
    assert r.progres.iloc[0]["keterangan"] == "Jl. Raya – Dénpasar"


def test_a_tahapan_column_makes_a_progress_sheet_even_with_location_columns(tmp_path: Path, mini_schedule) -> None:
    d = tmp_path / "data"
    d.mkdir()
    write_lokasi(d / "lokasi.xlsx")
    wb = openpyxl.Workbook()
    wb.active.append(["Kode Lokasi", "Program", "Provinsi", "Kabupaten/Kota", "Kecamatan", "Tahapan", "Mulai"])
    wb.active.append(["51.04.01", "PISEW", "Bali", "Gianyar", "Sukawati", "L1", "02/04/2022"])
    wb.save(d / "progres-2022-05-20.xlsx")
    r = load_data([d], mini_schedule, today=dt.date(2022, 6, 30))
    assert_adds_up(r)
    sheet = next(f for f in r.files if f.path.endswith("progres-2022-05-20.xlsx")).sheets[0]
    # More lokasi columns (5) than progres ones (4) on the row, but the contract decides by the tahapan column.
    assert sheet.kind == "progres" and len(r.progres) == 1 and len(r.lokasi) == 3


def test_csv_with_quoted_delimiters_keeps_values_and_lines(tmp_path: Path, mini_schedule) -> None:
    d = tmp_path / "data"
    d.mkdir()
    write_lokasi(d / "lokasi.xlsx")
    text = (
        "Kode Lokasi;Tahapan;Tanggal Mulai;Keterangan\n"
        '51.04.01;L1;02/04/2022;"Jl. Raya; Sukawati ""lama"""\n'
        "\n"
        "51.04.02;L1;x;\n"
    )
    (d / "progres-2022-05-20.csv").write_bytes(text.encode("utf-8"))
    r = load_data([d], mini_schedule, today=dt.date(2022, 6, 30))
    assert_adds_up(r)
    assert r.progres.iloc[0]["keterangan"] == 'Jl. Raya; Sukawati "lama"'
    assert by_cell(r.errors, ".csv") == {("C4", "date-invalid")}  # line 3 is empty, the record is on line 4
