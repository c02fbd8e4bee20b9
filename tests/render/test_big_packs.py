"""A province's meeting pack on the national data holds tables of tens of thousands of rows. Their xlsx sheets are
written row by row as text (render/xlsx_rows.py) and their cells made once per distinct value; their HTML table
bodies are joined from distinct cells. Each is held here to the bytes of the way it was made before (openpyxl's
own writer, a cell made per row, the template's cell macro), on generated cells, hostile text included."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet._writer import WorksheetWriter

from pkp_cli.render import html, xlsx, xlsx_rows
from pkp_cli.views.model import Column, Report, Table

# Text openpyxl takes in a cell (it refuses C0 controls): XML's specials, quotes, leading and trailing blanks.
texts = st.lists(st.sampled_from([*"ab &<>\"'=\t\n\r é", "\u00a0", "\u2028", "_x0041_"]), max_size=8).map("".join)
values = st.one_of(
    st.none(),
    texts,
    st.integers(-(10**18), 10**18),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(min_value=date(1901, 1, 1), max_value=date(2100, 12, 31)),
    st.datetimes(min_value=datetime(1901, 1, 1), max_value=datetime(2100, 12, 31)),
)
styles = st.sampled_from(["", "bold", "fill", "date", "wrap", "percent"])


def _style(cell: Any, how: str) -> None:
    if how == "bold":
        cell.font = Font(bold=True)
    elif how == "fill":
        cell.fill = PatternFill("solid", start_color="FFC7CE", end_color="FFC7CE")
    elif how == "date":
        cell.number_format = "[$-421]d mmmm yyyy"
    elif how == "wrap":
        cell.alignment = Alignment(wrap_text=True)
    elif how == "percent":
        cell.number_format = "0.0%"


def _sheet_bytes(ws: Any, writer: type) -> bytes:
    buf = io.BytesIO()
    writer(ws, out=buf).write()
    return buf.getvalue()


def _same_both_ways(make: Any) -> bytes:
    """The sheet `make` fills, written by openpyxl's writer and by RowsWriter (each on a workbook of its own: a
    writer registers styles as it goes): the same bytes."""
    want = _sheet_bytes(make(), WorksheetWriter)
    got = _sheet_bytes(make(), xlsx_rows.RowsWriter)
    assert got == want
    return got


@given(text=st.text(alphabet=st.sampled_from([*"a&<>\"'\r\n\t ;#"]), max_size=12))
def test_escaping_is_elementtrees(text: str) -> None:
    import xml.etree.ElementTree as ET

    assert xlsx_rows._cdata(text) == ET._escape_cdata(text)  # type: ignore[attr-defined]
    assert xlsx_rows._escaped(text, xlsx_rows._ATTRIBUTE) == ET._escape_attrib(text)  # type: ignore[attr-defined]


@given(rows=st.lists(st.lists(st.tuples(values, styles), max_size=5), max_size=6), height=st.booleans())
def test_rows_written_as_text_are_openpyxls_bytes(rows: list[list[tuple[Any, str]]], height: bool) -> None:
    def make() -> Any:
        ws = openpyxl.Workbook().active
        for r, row in enumerate(rows, 1):
            for c, (v, how) in enumerate(row, 1):
                cell = ws.cell(r, c)
                cell.value = v
                if isinstance(v, str):
                    cell.data_type = "s"  # as pkp stores text: never a formula
                _style(cell, how)
        if height and rows:
            ws.row_dimensions[1].height = 45.0
        return ws

    _same_both_ways(make)


def test_cells_only_openpyxl_writes_keep_its_writer(monkeypatch: pytest.MonkeyPatch) -> None:
    """A formula, rich text, a comment or a hyperlink make their row openpyxl's own (the same bytes); every other
    row is written without openpyxl's per-cell writer, which is what the speed comes from."""
    calls: list[Any] = []
    real = xlsx_rows.WorksheetWriter.write_row

    def counted(self: Any, xf: Any, row: Any, row_idx: int) -> None:
        calls.append(row_idx)
        real(self, xf, row, row_idx)

    monkeypatch.setattr(xlsx_rows.WorksheetWriter, "write_row", counted)

    def make() -> Any:
        ws = openpyxl.Workbook().active
        ws.append(["plain", 1.5, date(2022, 5, 20), True, None, "  padded "])
        ws.append(["=SUM(B1:B1)", 2])
        ws.append([CellRichText([TextBlock(InlineFont(b=True), "rich"), " text"])])
        ws.append(["noted"])
        ws["A4"].comment = Comment("a remark", "pkp")
        ws.append(["linked"])
        ws["A5"].hyperlink = "https://example.org/?a=1&b=<2>"
        ws.append(["last", -0.0, float("nan")])
        return ws

    calls.clear()
    _sheet_bytes(make(), xlsx_rows.RowsWriter)
    assert calls == [2, 3, 4, 5]  # rows 1 and 6 written as text
    calls.clear()
    _same_both_ways(make)


def test_a_writer_without_its_text_writer_falls_back() -> None:
    """Should et_xmlfile's writer change (RowsWriter writes through its text writer), openpyxl's writer writes."""

    class Bare:
        def __init__(self, xf: Any) -> None:
            self.xf = xf

        def element(self, *a: Any, **k: Any) -> Any:
            return self.xf.element(*a, **k)

        def write(self, arg: Any) -> None:
            self.xf.write(arg)

    class Opaque(xlsx_rows.RowsWriter):
        def write_row(self, xf: Any, row: list[Any], row_idx: int) -> None:
            super().write_row(Bare(xf), row, row_idx)

    ws = openpyxl.Workbook().active
    ws.append(["a & b", 3])
    assert _sheet_bytes(ws, Opaque) == _sheet_bytes(ws, WorksheetWriter)


# --- pack tables: distinct cells ---------------------------------------------------------------------------------


def col(key: str, kind: Any) -> Column:
    return Column(key, kind, (key, key), (f"{key} <desc>", f"{key} desc"))


COLUMNS = [col("kode", "code"), col("nama", "text"), col("pct", "percent"), col("tgl", "date"),
           col("hari", "days"), col("st", "status"), col("ok", "bool")]  # fmt: skip


def _frame(n: int) -> pd.DataFrame:
    pool = ["=SUM(A1)", "<b>x</b>", "a & b", " padded ", "", None, "Kab. Aceh"]
    return pd.DataFrame(
        {
            "kode": [f"11.{i % 7:02d}" for i in range(n)],
            "nama": [pool[i % len(pool)] for i in range(n)],
            "pct": [float(i % 5) * 12.5 if i % 4 else None for i in range(n)],
            "tgl": pd.to_datetime(["2022-05-20" if i % 3 else None for i in range(n)]),
            "hari": [i % 4 for i in range(n)],
            "st": [["terlambat", "selesai", "berjalan", None][i % 4] for i in range(n)],
            "ok": [bool(i % 2) for i in range(n)],
        }
    )


def _report(n: int, lang: str = "id") -> Report:
    table = Table("lokasi_terlambat", "Lokasi terlambat", COLUMNS, _frame(n), total={"kode": "Total", "hari": 9})
    return Report("pack", lang, meta={"as_of": date(2022, 9, 2)}, tables=[table])


def _per_row_data_rows(ws: Any, st_: Any, cols: list[Column], made: list[list[Any]]) -> None:
    """The rows as they were made before: a cell made per row (the reference)."""
    for rec in zip(*made, strict=True):
        ws.append([xlsx._made_cell(ws, st_, c, m) for c, m in zip(cols, rec, strict=True)])


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("n", [0, 1, 7, 60])
def test_xlsx_cells_made_once_per_value_are_the_same_workbook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                               n: int, lang: str) -> None:  # fmt: skip
    got, want = tmp_path / "got.xlsx", tmp_path / "want.xlsx"
    xlsx.write_xlsx([_report(n, lang)], got)
    monkeypatch.setattr(xlsx, "_data_rows", _per_row_data_rows)
    monkeypatch.setattr(xlsx_rows.RowsWriter, "write_row", WorksheetWriter.write_row)
    xlsx.write_xlsx([_report(n, lang)], want)
    assert got.read_bytes() == want.read_bytes()
    ws = openpyxl.load_workbook(got)["lokasi_terlambat"]
    assert ws.max_row == 2 + n + 1  # title, header, the rows, the total
    if n:
        first = [c.value for c in ws[3]]
        assert first[0] == "11.00" and first[1] == "=SUM(A1)" and ws["B3"].data_type == "s"  # text, never a formula


def test_xlsx_each_distinct_cell_is_made_once(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """3,000 rows of a few distinct values a column: a few hundred cells made through openpyxl's style setters,
    not 21,000 (what made a national province's pack take a minute)."""
    made: list[Any] = []
    real = xlsx._made_cell

    def counted(*a: Any, **k: Any) -> Any:
        made.append(a[3])
        return real(*a, **k)

    monkeypatch.setattr(xlsx, "_made_cell", counted)
    xlsx.write_xlsx([_report(3000)], tmp_path / "big.xlsx")
    assert len(made) <= 7 * 7 + 1  # each column: at most its 7 distinct values (with the empty cell), + the total
    ws = openpyxl.load_workbook(tmp_path / "big.xlsx")["lokasi_terlambat"]
    assert ws.max_row == 3003
    assert ws["D3"].value is None and ws["D4"].value == datetime(2022, 5, 20)  # row 0 has no date, row 1 has
    assert ws["D4"].number_format == xlsx.DATE_FORMAT["id"] and ws["C4"].number_format == "0.0%"


CELLS = [
    {"text": "a & <b>", "cls": "", "v": None},
    {"text": "12,5", "cls": "num", "v": "12.5"},
    {"text": "", "cls": "num", "v": ""},
    {"text": "\"quoted\" 'x'", "cls": "st st-status-terlambat", "v": None},
    {"links": [("xlsx", "aceh.xlsx"), ("html", 'a"b&c.html')], "cls": "links", "v": None, "text": ""},
    {"links": [], "cls": "links", "v": None, "text": ""},
]


@pytest.mark.parametrize("c", CELLS)
def test_a_cell_joined_in_python_is_the_macros_cell(c: dict[str, Any]) -> None:
    macro = html.environment().get_template("_tables.html.j2").module.cell  # type: ignore[attr-defined]
    assert html.cell_html(c) == str(macro(c))
    assert html.cell_html(c, "th") == str(macro(c, "th"))


@pytest.mark.parametrize("n", [0, 1, 7, 60])
def test_html_body_of_distinct_cells_is_the_template_loop(n: int) -> None:
    """The table body as the template wrote it cell by cell (rebuilt here from `_cell` and the macro)."""
    report = _report(n)
    page = html.render_html([report])
    macro = html.environment().get_template("_tables.html.j2").module.cell  # type: ignore[attr-defined]
    frame = report.tables[0].rows
    lines = []
    for _, rec in frame.iterrows():
        row = [html._cell(c, html.cells.text(c, rec.get(c.key), "id"), rec.get(c.key)) for c in COLUMNS]
        lines.append("<tr>" + "".join(str(macro(x)) for x in row) + "</tr>\n")
    assert "<tbody>\n" + "".join(lines) + "</tbody>\n" in page
    assert page.count("<tr>") == 1 + n + 1  # the header, the rows, the total
    assert "&lt;b&gt;x&lt;/b&gt;" in page if n > 1 else True  # text from a workbook stays text


def test_html_each_distinct_cell_is_made_once(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[Any] = []
    real = html._cell

    def counted(*a: Any) -> Any:
        made.append(a[2])
        return real(*a)

    monkeypatch.setattr(html, "_cell", counted)
    page = html.render_html([_report(3000)])
    assert page.count("<tr>") == 3002
    assert len(made) <= 7 * 7 + len(COLUMNS)  # distinct values a column, + the total row's cells


# --- a block of rows: distinct cells and codes, written where they belong -----------------------------------------


def _block_sheet(with_block: bool, extra: Any = None) -> Any:
    """A sheet of a title row, a header, five data rows (a block, or the same cells made one by one) and a total."""
    from pkp_cli.render.xlsx_rows import Block, attach

    ws = openpyxl.Workbook().active
    ws.append(["title"])
    ws.append(["a", "b", "c"])
    protos = [[openpyxl.cell.Cell(ws, value=v) for v in values] for values in (["x", "y"], [1.5, None], [None])]
    protos[0][1].font = Font(bold=True)
    protos[2][0].alignment = Alignment(wrap_text=True)  # an empty cell with a style is written
    protos[0][0].data_type = "s"
    codes = [[0, 1, 0, 0, 1], [0, 0, 1, 1, 0], [0, 0, 0, 0, 0]]
    if with_block:
        attach(ws, Block(3, protos, codes))
    else:
        for i in range(5):
            ws.append([openpyxl.cell.Cell(ws, value=protos[j][codes[j][i]].value,
                                          style_array=protos[j][codes[j][i]]._style) for j in range(3)])  # fmt: skip
    ws.append(["total", 3.0])
    if extra:
        extra(ws)
    return ws


@pytest.mark.parametrize(
    "extra",
    [
        None,
        lambda ws: setattr(ws.row_dimensions[4], "height", 30.0),  # a row dimension inside the block
        lambda ws: (ws._cells.pop((5, 2), None), ws.cell(5, 2, "clash")),  # a cell put on a block row replaces
        # the block's there: the block is made cells first
        lambda ws: ws.cell(12, 5, "far"),  # the dimension reaches past the block
    ],
)
def test_a_block_is_written_as_its_cells_would_be(extra: Any) -> None:
    want = _sheet_bytes(_block_sheet(False, extra), WorksheetWriter)
    assert _sheet_bytes(_block_sheet(True, extra), xlsx_rows.RowsWriter) == want
    assert b'<dimension ref="A1:C8" />' in want if extra is None else True


def test_a_block_without_the_text_writer_is_made_cells() -> None:
    class Opaque(xlsx_rows.RowsWriter):
        def write_rows(self) -> None:
            real = self.xf

            def send(value: Any) -> Any:
                got = real.send(value)
                return type("Bare", (), {"element": got.element, "write": got.write})() if value is True else got

            self.xf = type("Gen", (), {"send": staticmethod(send), "close": real.close})()
            try:
                super().write_rows()
            finally:
                self.xf = real

    assert _sheet_bytes(_block_sheet(True), Opaque) == _sheet_bytes(_block_sheet(False), WorksheetWriter)


def test_packs_are_built_and_written_one_at_a_time(tmp_path: Path) -> None:
    """Every province of the national data: its packs were all built before any was written (1.3 GB of tables held
    at once). Now a pack's report is built when it is written and let go before the next is built."""
    import gc
    import weakref

    from pkp_cli.render.pack import write_packs
    from pkp_cli.views.pack import Pack, PackSet

    alive: list[weakref.ref[Report]] = []

    def make(n: int) -> Report:
        gc.collect()
        assert [r() for r in alive if r() is not None] == []  # the packs before this one are gone
        report = _report(n)
        alive.append(weakref.ref(report))
        return report

    packs = [Pack(f"Provinsi {n}", f"{n:02d}", lambda n=n: make(n)) for n in (3, 5, 7)]
    codes = pd.DataFrame({"kode_provinsi": ["03", "05", "07"]})
    index = Report(
        "report", "id", title="Indeks", tables=[Table("paket", "Paket", [col("kode_provinsi", "code")], codes)]
    )
    written = write_packs(PackSet(packs, index), tmp_path / "out", ["xlsx", "html", "md"])
    assert sorted(p.name for p in written.files)[:3] == ["provinsi-3.html", "provinsi-3.md", "provinsi-3.xlsx"]
    assert len(written.files) == 9 and len(alive) == 3
    assert "provinsi-7.xlsx" in (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
