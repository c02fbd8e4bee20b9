"""Any report as one JSON envelope: the report's facts, then every table by name (its rows as objects with
stable keys and machine values), the totals, and the name of the main table.

The envelope is laid out by `json.dumps(indent=2)`; the tables' rows, which a national `status --detail` has 1.66 M
of, are written into it a block at a time in the same layout, each column's values encoded once per distinct value
(Python's JSON encoder is pure Python when it indents: the whole document cell by cell took minutes)."""

from __future__ import annotations

import io
import json
import secrets
from functools import partial
from typing import TYPE_CHECKING, Any

from pkp_cli.render import cells
from pkp_cli.views.model import Column, Report

if TYPE_CHECKING:
    import pandas as pd
    from _typeshed import SupportsWrite

BLOCK_ROWS = 100_000
# Where json.dumps(indent=2) puts a table's rows in the envelope: "tables" -> name -> [ rows -> keys.
_ROW = " " * 6
_KEY = " " * 8


def _value_text(value: Any) -> str:
    """`value` as json.dumps(indent=2) writes it at a row key's depth (a list's items indented under its key)."""
    return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + _KEY)


def _line(column: Column, head: str, tail: str, value: Any) -> str:
    return head + _value_text(cells.machine(column, value)) + tail


def _rows(columns: list[Column], rows: pd.DataFrame, out: SupportsWrite[str]) -> None:
    """A table's rows as the envelope's indented JSON array, written to `out`."""
    if not columns or not len(rows):
        out.write("[]")
        return
    # Each cell's whole line ("key": value), the row's opening brace on its first and closing one on its last:
    # a row is then its cells joined, as json.dumps lays them out.
    lines = [f"{_KEY}{json.dumps(c.key, ensure_ascii=False)}: " for c in columns]
    heads = [_ROW + "{\n" if i == 0 else "" for i in range(len(columns))]
    tails = [""] * len(columns)
    tails[-1] = "\n" + _ROW + "}"
    out.write("[\n")
    for start in range(0, len(rows), BLOCK_ROWS):
        block = rows.iloc[start : start + BLOCK_ROWS]
        cells_of = [
            cells.per_distinct(cells.column_values(block, c.key), partial(_line, c, heads[i] + lines[i], tails[i]))
            for i, c in enumerate(columns)
        ]
        if start:
            out.write(",\n")
        out.write(",\n".join(map(",\n".join, zip(*cells_of, strict=True))))
    out.write("\n    ]")


def write(report: Report, out: SupportsWrite[str]) -> None:
    tables: dict[str, str] = {}
    totals: dict[str, list[dict[str, Any]]] = {}
    mark = secrets.token_hex(16)  # stands in for each table's rows in the envelope (no data can hold it)
    parts = [report.combined(name) for name in report.names()]
    for i, (name, (columns, _frame, total_rows)) in enumerate(zip(report.names(), parts, strict=True)):
        tables[name] = f"{mark}:{i}"
        if total_rows:
            totals[name] = [{c.key: cells.machine(c, t.get(c.key)) for c in columns} for t in total_rows]
    doc = {**{k: cells.machine_scalar(v) for k, v in report.meta.items()}, "main_table": report.main_name()}
    doc["tables"] = tables
    doc["totals"] = totals  # always there, {} when no table has a total row: one envelope for every report
    text = json.dumps(doc, ensure_ascii=False, indent=2)
    for i, (columns, frame, _totals) in enumerate(parts):
        before, text = text.split(f'"{mark}:{i}"', 1)
        out.write(before)
        _rows(columns, frame, out)
    out.write(text + "\n")


def render(report: Report) -> str:
    buf = io.StringIO()
    write(report, buf)
    return buf.getvalue()
