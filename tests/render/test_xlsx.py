"""The xlsx renderer on a hand-built report: every column kind typed and formatted, the sheet layout, the S-curve
chart, the legend sheet, text that looks like a formula stored as text, and the same bytes for the same report.

The report (built below) has three tables: `ringkasan` (a one-row card), `rincian` (two rows and a total, one
column per kind) and `kurva_s` (two programs x three Fridays, drawn as a chart)."""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from pkp_cli.render.xlsx import DATE_FORMAT, HEADER_ROW, write_xlsx
from pkp_cli.views.columns import COLUMNS, columns
from pkp_cli.views.model import Column, Report, Table

FORMULAS = ["=SUM(A1:A9)", "+62 812 555", "-5 hari", "@kontak", "\tTAB", "\rCR"]


def _report(lang: str = "id") -> Report:
    remark = COLUMNS["keterangan"]
    grant = Column("nilai", "rupiah", ("nilai", "amount"), ("Nilai bantuan.", "Grant."))
    rows = pd.DataFrame(
        {
            "kode_lokasi": ["51.04.01", "51.04.02"],
            "status": ["terlambat", "selesai"],
            "jadwal_selesai": pd.to_datetime(["2022-05-20", "2022-06-03"]),
            "rencana_persen": [16.0, 45.5],
            "deviasi": [-3.25, 2.0],
            "hari_terlambat": [14, 0],
            "tertunda_dipa": [True, False],
            "nilai": [600_000_000.0, None],
            "keterangan": ["=SUM(A1:A9)", "<script>alert(1)</script>"],
        }
    )
    detail = Table(
        "rincian",
        "Rincian",
        [*columns("kode_lokasi", "status", "jadwal_selesai", "rencana_persen", "deviasi", "hari_terlambat",
                  "tertunda_dipa"), grant, remark],
        rows,
        total={"kode_lokasi": "JUMLAH", "hari_terlambat": 14, "nilai": 600_000_000.0},
        notes=["catatan di bawah tabel"],
    )  # fmt: skip
    card = Table(
        "ringkasan",
        "Bali (51)",
        columns("provinsi", "rencana_persen", "laporan_terakhir"),
        pd.DataFrame({"provinsi": ["Bali"], "rencana_persen": [16.0], "laporan_terakhir": [pd.Timestamp(2022, 6, 3)]}),
        layout="card",
    )
    fridays = pd.to_datetime(["2022-05-20", "2022-05-27", "2022-06-03"])
    curve = Table(
        "kurva_s",
        "Kurva S",
        columns("kode_provinsi", "program", "tanggal", "rencana_persen", "realisasi_persen", "deviasi"),
        pd.DataFrame(
            {
                "kode_provinsi": ["51"] * 6,
                "program": ["KOTAKU"] * 3 + ["PISEW"] * 3,
                "tanggal": list(fridays) * 2,
                "rencana_persen": [1.0, 2.0, 3.0, 2.0, 4.0, 6.0],
                "realisasi_persen": [0.0, 5.0, 9.0, 1.0, 1.5, 2.0],
                "deviasi": [-1.0, 3.0, 6.0, -1.0, -2.5, -4.0],
            }
        ),
        screen=False,
        chart="s_curve",
    )
    return Report(
        "report",
        lang,
        title="Paket",
        header=["DATA CONTOH (bawaan pkp)", "Posisi per: 3 Juni 2022"],
        meta={"as_of": date(2022, 6, 3)},
        tables=[card, detail, curve],
        notes=["catatan laporan"],
    )


@pytest.fixture
def book(tmp_path: Path) -> openpyxl.Workbook:
    path = tmp_path / "paket.xlsx"
    write_xlsx([_report()], path)
    return openpyxl.load_workbook(path)


def test_a_sheet_per_table_and_the_legend_sheet(book: openpyxl.Workbook) -> None:
    assert book.sheetnames == ["ringkasan", "rincian", "kurva_s", "Keterangan"]
    for ws in book.worksheets:
        assert ws.freeze_panes == f"A{HEADER_ROW + 1}", ws.title
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith(f"A{HEADER_ROW}:"), ws.title
        # the sample marker and the as-of date head every sheet (and every printed page: rows 1-2 repeat)
        assert "DATA CONTOH" in ws["A1"].value and "3 Juni 2022" in ws["A1"].value, ws.title
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1, ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ws.print_title_rows == f"$1:${HEADER_ROW}", ws.title
        assert ws[f"A{HEADER_ROW}"].font.b, ws.title
    # 2 rows + total: the filter covers the header and the data rows, not the total
    assert book["rincian"].auto_filter.ref == f"A{HEADER_ROW}:I{HEADER_ROW + 2}"


def test_cells_are_typed_and_formatted_by_kind(book: openpyxl.Workbook) -> None:
    ws = book["rincian"]
    heads = [c.value for c in ws[HEADER_ROW]]
    row = {h: ws.cell(row=HEADER_ROW + 1, column=i + 1) for i, h in enumerate(heads)}
    assert row["jadwal selesai"].value == datetime(2022, 5, 20)  # an Excel date, not text
    assert row["jadwal selesai"].number_format == DATE_FORMAT["id"] == "[$-421]d mmmm yyyy"
    assert row["rencana %"].value == pytest.approx(0.16) and row["rencana %"].number_format == "0.0%"
    assert row["deviasi"].value == pytest.approx(-3.25) and row["deviasi"].number_format == "+0.0;-0.0;0.0"
    assert row["hari terlambat"].value == 14 and row["hari terlambat"].number_format == "#,##0"
    assert row["nilai"].value == 600_000_000 and row["nilai"].number_format == '"Rp "#,##0'
    assert row["menunggu revisi DIPA"].value == "ya"
    assert row["status"].value == "terlambat" and row["status"].fill.fgColor.rgb.endswith("F4B6B0")
    assert row["kode lokasi"].value == "51.04.01" and row["kode lokasi"].data_type == "s"
    total = [c.value for c in ws[HEADER_ROW + 3]]
    assert total[0] == "JUMLAH" and ws.cell(row=HEADER_ROW + 3, column=1).font.b
    widths = {h: ws.column_dimensions[chr(ord("A") + i)].width for i, h in enumerate(heads)}
    assert widths["keterangan"] > widths["hari terlambat"]  # widths follow the content
    assert "catatan di bawah tabel" in [c.value for c in ws["A"]]


def test_formula_looking_text_is_stored_as_text(tmp_path: Path) -> None:
    report = _report()
    detail = report.tables[1]
    detail.rows = pd.concat([detail.rows] * 3, ignore_index=True).iloc[: len(FORMULAS)]
    detail.rows["keterangan"] = FORMULAS
    path = tmp_path / "f.xlsx"
    write_xlsx([report], path)
    ws = openpyxl.load_workbook(path)["rincian"]
    col = [c.value for c in ws[HEADER_ROW]].index("keterangan") + 1
    cells = [ws.cell(row=HEADER_ROW + 1 + i, column=col) for i in range(len(FORMULAS))]
    # (XML reads a stored carriage return back as a line feed; it is text either way)
    assert [c.value.replace("\n", "\r") for c in cells] == FORMULAS
    assert {c.data_type for c in cells} == {"s"}
    with zipfile.ZipFile(path) as zf:
        sheets = [n for n in zf.namelist() if n.startswith("xl/worksheets/sheet")]
        assert not any(b"<f>" in zf.read(n) for n in sheets)  # no formula anywhere
    # numbers stay numbers: a negative deviation is a number, not text
    dev = [c.value for c in ws[HEADER_ROW]].index("deviasi") + 1
    assert ws.cell(row=HEADER_ROW + 1, column=dev).data_type == "n"


def test_the_card_is_one_typed_value_per_row(book: openpyxl.Workbook) -> None:
    ws = book["ringkasan"]
    rows = {r[0].value: r for r in ws.iter_rows(min_row=HEADER_ROW + 1) if r[0].value}
    assert rows["rencana %"][1].value == pytest.approx(0.16) and rows["rencana %"][1].number_format == "0.0%"
    assert rows["laporan terakhir"][1].value == datetime(2022, 6, 3)
    assert rows["laporan terakhir"][2].value == COLUMNS["laporan_terakhir"].desc[0]


def test_the_curve_sheet_has_a_line_chart_of_every_series(book: openpyxl.Workbook) -> None:
    ws = book["kurva_s"]
    (chart,) = ws._charts
    assert chart.tagname == "lineChart"
    # two programs x (planned, actual); each series is the 3 rows of its program in its measure's column
    refs = [s.val.numRef.f for s in chart.series]
    assert refs == [
        "'kurva_s'!$D$3:$D$5",
        "'kurva_s'!$E$3:$E$5",
        "'kurva_s'!$D$6:$D$8",
        "'kurva_s'!$E$6:$E$8",
    ]
    assert chart.series[0].cat.numRef.f == "'kurva_s'!$C$3:$C$5"  # the dates
    assert [s.tx.strRef is None and s.tx.v for s in chart.series] == [
        "KOTAKU — rencana %",
        "KOTAKU — realisasi %",
        "PISEW — rencana %",
        "PISEW — realisasi %",
    ]
    assert "3 Juni 2022" in "".join(r.t for p in chart.title.tx.rich.p for r in (p.r or []))


def test_the_legend_sheet_describes_every_column_and_status_colour(book: openpyxl.Workbook) -> None:
    ws = book["Keterangan"]
    entries = {(r[0].value, r[1].value): r[2].value for r in ws.iter_rows(min_row=HEADER_ROW + 1) if r[2].value}
    assert entries[("rincian", "deviasi")] == COLUMNS["deviasi"].desc[0]
    assert entries[("rincian", "nilai")] == "Nilai bantuan."
    swatches = {c.value: c.fill.fgColor.rgb[-6:] for c in ws["A"] if c.fill and c.fill.fill_type == "solid"}
    assert swatches["terlambat"] == "F4B6B0" and swatches["selesai"] == "CDEBC5"
    assert "catatan laporan" in [c.value for c in ws["A"]]


def test_english_dates_and_headers(tmp_path: Path) -> None:
    path = tmp_path / "en.xlsx"
    write_xlsx([_report("en")], path)
    ws = openpyxl.load_workbook(path)["rincian"]
    assert ws.cell(row=HEADER_ROW, column=3).value == "planned end"
    assert ws.cell(row=HEADER_ROW + 1, column=3).number_format == "[$-409]d mmmm yyyy"


def test_same_report_same_bytes(tmp_path: Path) -> None:
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    write_xlsx([_report()], a)
    write_xlsx([_report()], b)
    assert a.read_bytes() == b.read_bytes()
    with zipfile.ZipFile(a) as zf:
        assert {i.date_time for i in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = zf.read("docProps/core.xml").decode()
        assert "2022-06-03T00:00:00Z" in core  # the workbook's dates are the as-of date, not the clock
        assert b"pkp-cli-output" in zf.read("docProps/custom.xml")  # pkp never reads its own packs as data


def test_any_list_of_reports_makes_one_workbook(tmp_path: Path) -> None:
    """The entry point other commands reuse (the weekly summary): several reports, one workbook; a table name
    seen twice gets a numbered sheet, and the legend sheet covers both."""
    path = tmp_path / "dua.xlsx"
    write_xlsx([_report(), _report()], path)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [
        "ringkasan", "rincian", "kurva_s", "ringkasan (2)", "rincian (2)", "kurva_s (2)", "Keterangan",
    ]  # fmt: skip
    sheets = {c.value for c in wb["Keterangan"]["A"][HEADER_ROW:] if c.value}
    assert {"rincian", "rincian (2)"} <= sheets
    assert len(wb["kurva_s (2)"]._charts) == 1


def test_control_characters_are_shown_escaped_not_a_crash(tmp_path: Path) -> None:
    # openpyxl refuses \x00-\x08, \x0b, \x0c, \x0e-\x1f in a cell; text from workbooks (a finding's description)
    # or from pyarrow's error messages may carry them (pkp weekly writes both)
    report = Report("x", "id", title="t")
    text = pd.DataFrame({"uraian": ["vertical\x0btab", "bell\x07", "tab\tand\nnewline"]})
    report.tables.append(Table("a", "A", columns("uraian"), text))
    write_xlsx([report], tmp_path / "x.xlsx")
    values = [c.value for row in openpyxl.load_workbook(tmp_path / "x.xlsx")["a"].iter_rows() for c in row]
    assert {"vertical\\x0btab", "bell\\x07", "tab\tand\nnewline"} <= set(values)
