"""One table of a report as CSV: stable identifiers as headers, machine values (ISO dates, "." decimals, codes,
true/false), every row of every instance of the table, and text that a spreadsheet would run as a formula
neutralised.

Written to its stream a block of rows at a time, each column's cells made once per distinct value in the block
(`cells.per_distinct`: formatted, neutralised and quoted as the csv module quotes them), the rows then joined: a
national `status --detail` is 1.66 M rows, which formatted cell by cell took three minutes and, held as one text,
four gigabytes; the csv module's writer alone took 5 s of them."""

from __future__ import annotations

import csv
import io
from functools import partial
from typing import TYPE_CHECKING, Any

from pkp_cli.render import cells
from pkp_cli.render.safe import neutralise
from pkp_cli.views.model import Column, Report

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

BLOCK_ROWS = 200_000


def _writer(out: SupportsWrite[str]) -> Any:
    return csv.writer(out, lineterminator="\n")


def _field(text: str) -> str:
    """`text` as the csv module writes it among other fields (quoted when it holds a comma, a quote or a line
    break): the module itself says, on a row of it and one more field."""
    buf = io.StringIO()
    _writer(buf).writerow([text, ""])
    return buf.getvalue()[: -len(",\n")]


def _cell(column: Column, value: Any) -> str:
    return _field(neutralise(cells.csv_text(column, value)))


def write(report: Report, name: str, out: SupportsWrite[str]) -> None:
    columns, rows, totals = report.combined(name)
    w = _writer(out)
    w.writerow([c.key for c in columns])
    for start in range(0, len(rows), BLOCK_ROWS) if columns else ():
        block = rows.iloc[start : start + BLOCK_ROWS]
        fields = [cells.per_distinct(cells.column_values(block, c.key), partial(_cell, c)) for c in columns]
        if len(columns) == 1:  # a row of one empty field is written "" (an empty line would be no row at all)
            fields = [[f or '""' for f in fields[0]]]
        out.write("\n".join(map(",".join, zip(*fields, strict=True))) + "\n")
    for total in totals:
        w.writerow([neutralise(cells.csv_text(c, total.get(c.key))) for c in columns])


def render(report: Report, name: str) -> str:
    buf = io.StringIO()
    write(report, name, buf)
    return buf.getvalue()
