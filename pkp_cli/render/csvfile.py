"""One table of a report as CSV: stable identifiers as headers, machine values (ISO dates, "." decimals, codes,
true/false), every row of every instance of the table, and text that a spreadsheet would run as a formula
neutralised."""

from __future__ import annotations

import csv
import io

from pkp_cli.render import cells
from pkp_cli.render.safe import neutralise
from pkp_cli.views.model import Report


def render(report: Report, name: str) -> str:
    columns, rows, totals = report.combined(name)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([c.key for c in columns])
    data = [[neutralise(cells.csv_text(c, v)) for v in _column(rows, c.key)] for c in columns]
    for rec in zip(*data, strict=True):
        w.writerow(rec)
    for total in totals:
        w.writerow([neutralise(cells.csv_text(c, total.get(c.key))) for c in columns])
    return buf.getvalue()


def _column(rows: object, key: str) -> list[object]:
    import pandas as pd

    assert isinstance(rows, pd.DataFrame)
    return rows[key].tolist() if key in rows else [None] * len(rows)
