"""Any report as one JSON envelope: the report's facts, then every table by name (its rows as objects with
stable keys and machine values), the totals, and the name of the main table."""

from __future__ import annotations

import json
from typing import Any

from pkp_cli.render import cells
from pkp_cli.views.model import Report


def document(report: Report) -> dict[str, Any]:
    tables: dict[str, list[dict[str, Any]]] = {}
    totals: dict[str, list[dict[str, Any]]] = {}
    for name in report.names():
        columns, rows, total_rows = report.combined(name)
        values = [[cells.machine(c, v) for v in (rows[c.key].tolist() if c.key in rows else [None] * len(rows))]
                  for c in columns]  # fmt: skip
        keys = [c.key for c in columns]
        tables[name] = [dict(zip(keys, rec, strict=True)) for rec in zip(*values, strict=True)] if keys else []
        if total_rows:
            totals[name] = [{c.key: cells.machine(c, t.get(c.key)) for c in columns} for t in total_rows]
    doc = {**{k: cells.machine_scalar(v) for k, v in report.meta.items()}, "main_table": report.main_name()}
    doc["tables"] = tables
    doc["totals"] = totals  # always there, {} when no table has a total row: one envelope for every report
    return doc


def render(report: Report) -> str:
    return json.dumps(document(report), ensure_ascii=False, indent=2) + "\n"
