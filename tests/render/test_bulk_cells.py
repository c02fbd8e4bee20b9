"""Whole columns formatted once per distinct value, and CSV and JSON written a block of rows at a time: the same
cells, byte for byte, as formatting each cell and laying out the whole document at once (the way they were made
before, kept here as the reference), on the columns a report can hold, mixed and hostile values included."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from functools import partial
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pkp_cli.render import cells, csvfile, jsondoc
from pkp_cli.render.safe import neutralise
from pkp_cli.views.model import Column, Report, Table

KINDS = ["text", "code", "int", "number", "percent", "points", "days", "date", "rupiah", "status", "bool", "list"]


def col(key: str, kind: Any = "text") -> Column:
    return Column(key, kind, (key, key), ("", ""))


# --- the reference: each cell on its own, the document at once ----------------------------------------------------


def reference_csv(report: Report, name: str) -> str:
    columns, rows, totals = report.combined(name)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([c.key for c in columns])
    data = [[neutralise(cells.csv_text(c, v)) for v in cells.column_values(rows, c.key).tolist()] for c in columns]
    for rec in zip(*data, strict=True):
        w.writerow(rec)
    for total in totals:
        w.writerow([neutralise(cells.csv_text(c, total.get(c.key))) for c in columns])
    return buf.getvalue()


def reference_json(report: Report) -> str:
    tables: dict[str, Any] = {}
    totals: dict[str, Any] = {}
    for name in report.names():
        columns, rows, total_rows = report.combined(name)
        values = [[cells.machine(c, v) for v in cells.column_values(rows, c.key).tolist()] for c in columns]
        keys = [c.key for c in columns]
        tables[name] = [dict(zip(keys, rec, strict=True)) for rec in zip(*values, strict=True)] if keys else []
        if total_rows:
            totals[name] = [{c.key: cells.machine(c, t.get(c.key)) for c in columns} for t in total_rows]
    doc = {**{k: cells.machine_scalar(v) for k, v in report.meta.items()}, "main_table": report.main_name()}
    doc["tables"] = tables
    doc["totals"] = totals
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


# --- values a column may hold ----------------------------------------------------------------------------------------

texts = st.text(alphabet=st.sampled_from([*"ab ,;\"'=+-@\t\r\n|<>{}\\é", "\x00", "\u200b"]), max_size=6)
scalars = st.one_of(
    st.none(),
    st.just(float("nan")),
    st.booleans(),
    st.integers(-3, 3),
    st.sampled_from([0.0, -0.0, 1.0, 1.5, -2.25, 1e20, float("inf")]),
    texts,
    st.sampled_from([date(2022, 5, 20), pd.Timestamp("2022-05-20"), pd.NaT, pd.Timestamp("2022-06-01 10:00")]),
)
# Object columns mixing anything (1 == 1.0 == True to hashing: three different cells), and lists.
mixed = st.lists(st.one_of(scalars, st.lists(texts, max_size=2)), max_size=12)


@st.composite
def typed(draw: Any) -> pd.Series:
    """A column of one dtype, as views make them."""
    n = draw(st.integers(0, 12))
    which = draw(st.sampled_from(["float", "int", "bool", "datetime", "string", "category", "Int64"]))
    if which == "float":
        return pd.Series(draw(st.lists(st.sampled_from([0.0, -0.0, np.nan, 2.5, -1.0, 100.0]), min_size=n, max_size=n)),
                         dtype="float64")  # fmt: skip
    if which == "int":
        return pd.Series(draw(st.lists(st.integers(-5, 5), min_size=n, max_size=n)), dtype="int64")
    if which == "bool":
        return pd.Series(draw(st.lists(st.booleans(), min_size=n, max_size=n)), dtype=bool)
    if which == "datetime":
        days = st.sampled_from([pd.Timestamp("2022-05-20"), pd.NaT, pd.Timestamp("2022-12-31")])
        return pd.Series(draw(st.lists(days, min_size=n, max_size=n)), dtype="datetime64[ns]")
    if which == "Int64":
        ints = st.one_of(st.none(), st.integers(-2, 2))
        return pd.Series(draw(st.lists(ints, min_size=n, max_size=n)), dtype="Int64")
    values = draw(st.lists(st.one_of(st.none(), texts), min_size=n, max_size=n))
    return pd.Series(values, dtype="string" if which == "string" else "category")


def same_outcome(whole: Any, each: Any) -> None:
    """`whole()` gives what `each()` gives, or raises where it raises (a formatter given a value of another kind: a
    text in an int column is refused by Babel, cell by cell or not)."""
    try:
        want = each()
    except Exception:
        # whichever cell the formatter refuses first
        with pytest.raises(Exception):  # noqa: B017
            whole()
        return
    assert json.dumps(whole(), default=repr) == json.dumps(want, default=repr)


@given(
    values=st.one_of(mixed.map(lambda v: pd.Series(v, dtype=object)), typed()),
    kind=st.sampled_from(KINDS),
    short=st.sampled_from([0, cells.SHORT_COLUMN]),
)
def test_each_distinct_value_formatted_as_each_cell_would_be(values: pd.Series, kind: Any, short: int) -> None:
    """Short columns are grouped by a dict (`short` at its value) or, as long ones, by pandas (`short` 0)."""
    kept = cells.SHORT_COLUMN
    cells.SHORT_COLUMN = short
    try:
        _formatted_as_each_cell(values, kind)
    finally:
        cells.SHORT_COLUMN = kept


def _formatted_as_each_cell(values: pd.Series, kind: Any) -> None:
    c = col("x", kind)
    each = values.tolist()
    same_outcome(lambda: cells.texts(c, values, "id"), lambda: [cells.text(c, v, "id") for v in each])
    same_outcome(lambda: cells.texts(c, each, "en"), lambda: [cells.text(c, v, "en") for v in each])  # a list too
    machine = partial(cells.machine, c)
    same_outcome(lambda: cells.per_distinct(values, machine), lambda: [machine(v) for v in each])
    table = report_of([c], [pd.DataFrame({"x": values})])
    same_outcome(lambda: (csvfile.render(table, "t"), jsondoc.render(table)),
                 lambda: (reference_csv(table, "t"), reference_json(table)))  # fmt: skip


@pytest.mark.parametrize("short", [0, 64])
def test_values_equal_to_hashing_stay_apart(monkeypatch: pytest.MonkeyPatch, short: int) -> None:
    """1, 1.0 and True are one key to a dict and to pandas' hashing, but three different cells; -0.0 and 0.0 are one
    to hashing and may be two to a formatter (grouped by pandas, `short` 0, and by a dict)."""
    monkeypatch.setattr(cells, "SHORT_COLUMN", short)
    c = col("x", "text")
    assert cells.texts(c, pd.Series([1, 1.0, True, "1"], dtype=object), "id") == ["1", "1.0", "True", "1"]
    assert cells.texts(c, pd.Series([0.0, -0.0]), "id") == ["0.0", "-0.0"]


def test_short_columns_skip_pandas(monkeypatch: pytest.MonkeyPatch) -> None:
    """A pack of the bundled data formats thousands of columns of a few rows: pandas' factorising costs about 0.1 ms
    a call whatever the length, a dict next to nothing. Long columns still go through it."""
    calls: list[int] = []
    real = pd.factorize

    def counted(values: Any, **kw: Any) -> Any:
        calls.append(len(values))
        return real(values, **kw)

    monkeypatch.setattr(pd, "factorize", counted)
    c = col("x", "number")
    short = pd.Series([1.5, 2.0, np.nan, 1.5] * 10)
    assert cells.texts(c, short, "id")[:4] == ["1,5", "2", "", "1,5"] and calls == []
    assert len(cells.texts(c, pd.Series([1.5] * 200), "id")) == 200 and calls == [200]
    assert cells.per_distinct((v for v in [1, 2, 1]), str) == ["1", "2", "1"]  # any iterable, as before
    assert cells.per_distinct((v for v in [1, 2] * 50), str) == ["1", "2"] * 50


def test_each_distinct_value_is_formatted_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """What makes a national `status --detail` take seconds, not minutes: 30,000 rows of 3 distinct values (and
    empty cells) cost a handful of formatter calls a column, not one a cell."""
    calls = []
    real = cells.csv_text

    def counted(column: Column, v: Any) -> str:
        calls.append(v)
        return real(column, v)

    monkeypatch.setattr(cells, "csv_text", counted)
    rows = pd.DataFrame({"a": ["x", "y", None] * 10_000, "b": [1.5, 2.0, np.nan] * 10_000})
    report = Report("t", "id", tables=[Table("t", "T", [col("a"), col("b", "number")], rows)])
    out = csvfile.render(report, "t")
    assert out.count("\n") == 30_001
    assert out.splitlines()[1:4] == ["x,1.5", "y,2", ","]
    assert len(calls) <= 2 * 4  # per column: 3 values, the empty cell


def report_of(columns: list[Column], frames: list[pd.DataFrame], total: dict[str, Any] | None = None) -> Report:
    tables = [Table("t", "T", columns, f, total=total) for f in frames]
    tables.append(Table("other", "O", [col("k", "code")], pd.DataFrame({"k": ["=1+1", "a,b"]})))
    return Report("status", "id", meta={"as_of": date(2022, 5, 27), "note": 'a "quoted"\nline'}, tables=tables)


@pytest.mark.parametrize("block", [1, 2, 3, 7, 1000])
@pytest.mark.parametrize("n", [0, 1, 2, 3, 4, 7])
def test_csv_and_json_in_blocks_are_the_whole_document(monkeypatch: pytest.MonkeyPatch, block: int, n: int) -> None:
    """Blocks of 1, 2, 3, 7 rows against tables of 0 to 7 rows (a block boundary on a table's last row, one past
    it, none): the same bytes as the whole document, lists indented inside a row as json.dumps indents them."""
    monkeypatch.setattr(csvfile, "BLOCK_ROWS", block)
    monkeypatch.setattr(jsondoc, "BLOCK_ROWS", block)
    pool = ["=SUM(A1)", "a,b", 'say "hi"', "two\nlines", "", None, "plain", "@x", "-1", "é ü", "\t=x"]
    rows = pd.DataFrame(
        {
            "kode": [pool[i % len(pool)] for i in range(n)],
            "n": [float(i) - 2.5 if i % 3 else np.nan for i in range(n)],
            "ok": [bool(i % 2) for i in range(n)],
            "tgl": pd.to_datetime(["2022-05-20" if i % 2 else None for i in range(n)]),
            "daftar": [["a", "=b"] if i % 3 == 0 else [] if i % 3 == 1 else None for i in range(n)],
        }
    )
    columns = [col("kode"), col("n", "number"), col("ok", "bool"), col("tgl", "date"), col("daftar", "list")]
    total = {"kode": "Total", "n": 12.5}
    report = report_of(columns, [rows, rows.iloc[:2]], total)
    assert csvfile.render(report, "t") == reference_csv(report, "t")
    assert jsondoc.render(report) == reference_json(report)
    doc = json.loads(jsondoc.render(report))
    assert len(doc["tables"]["t"]) == n + min(n, 2)
    assert doc["tables"]["other"] == [{"k": "=1+1"}, {"k": "a,b"}]  # JSON is data: nothing neutralised
    assert "'=1+1" in csvfile.render(report, "other")  # CSV is for spreadsheets: neutralised


@pytest.mark.parametrize("values", [["", "x", None], [None], ["a,b", ""]])
def test_a_table_of_one_column(values: list[Any]) -> None:
    """A row of one empty cell is written "" by the csv module (an empty line would be no row at all)."""
    report = report_of([col("kode")], [pd.DataFrame({"kode": values})])
    assert csvfile.render(report, "t") == reference_csv(report, "t")
    assert jsondoc.render(report) == reference_json(report)
    assert list(csv.reader(io.StringIO(csvfile.render(report, "t"))))[1:] == [[v or ""] for v in values]


def test_tables_without_columns_or_rows() -> None:
    empty = Report("status", "en", tables=[Table("t", "T", [], pd.DataFrame(index=range(3))),
                                           Table("u", "U", [col("a")], pd.DataFrame({"a": []}))])  # fmt: skip
    for name in ("t", "u"):
        assert csvfile.render(empty, name) == reference_csv(empty, name)
    assert jsondoc.render(empty) == reference_json(empty)
    assert json.loads(jsondoc.render(empty))["tables"] == {"t": [], "u": []}


def test_meta_that_looks_like_the_placeholder_is_kept() -> None:
    """The rows are written where a random mark stands in the envelope: no value of the report can hold it, and a
    value that looks like one is written as it is."""
    report = report_of([col("kode")], [pd.DataFrame({"kode": ["a"]})])
    report.meta["trap"] = '"0:0"'
    assert jsondoc.render(report) == reference_json(report)
    assert json.loads(jsondoc.render(report))["trap"] == '"0:0"'


def test_markdown_cells_escaped_once_per_distinct_value(monkeypatch: pytest.MonkeyPatch) -> None:
    """Markdown too: 30,000 rows of 2 distinct values are 2 escapes a column (plus headers and the total), and the
    cells read as before: "|" escaped, the total in bold."""
    from pkp_cli.render import markdown

    calls = []
    real = markdown.escape

    def counted(v: Any) -> str:
        calls.append(v)
        return real(v)

    monkeypatch.setattr(markdown, "escape", counted)
    rows = pd.DataFrame({"a": ["x|y", "z"] * 15_000})
    text = markdown.render(Report("t", "id", tables=[Table("t", "T", [col("a")], rows, total={"a": "semua"})]))
    lines = text.splitlines()
    assert lines.count("| x\\|y |") == 15_000 and lines.count("| z |") == 15_000 and "| **semua** |" in lines
    assert len(calls) < 20


def test_xlsx_values_made_once_per_distinct_value(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    """xlsx too (a province pack's late locations are tens of thousands of rows): 6,000 rows of 2 distinct dates
    and an empty cell make 3 values a column, and every row's cell reads back as the value it holds."""
    import openpyxl

    from pkp_cli.render import xlsx

    calls = []
    real = xlsx._value

    def counted(col: Column, v: Any, lang: str) -> Any:
        calls.append(v)
        return real(col, v, lang)

    monkeypatch.setattr(xlsx, "_value", counted)
    days = pd.to_datetime(["2022-05-20", "2022-06-03", None] * 2_000)
    report = Report("t", "id", tables=[Table("t", "T", [col("tgl", "date")], pd.DataFrame({"tgl": days}))])
    xlsx.write_xlsx([report], tmp_path / "t.xlsx")
    assert len(calls) <= 4
    ws = openpyxl.load_workbook(tmp_path / "t.xlsx").worksheets[0]
    got = [r[0] for r in ws.iter_rows(min_row=xlsx.HEADER_ROW + 1, max_row=xlsx.HEADER_ROW + 6_000, values_only=True)]
    assert [g.date() if g else None for g in got[:3]] == [date(2022, 5, 20), date(2022, 6, 3), None]
    assert got[:3] * 2_000 == got
