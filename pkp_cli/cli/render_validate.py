"""Rendering of a validation: the summary, the errors and warnings, and the rejects workbooks."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from pkp_cli.cli.workspace import Workspace, say
from pkp_cli.text.labels import label


def validate_json(ws: Workspace) -> dict[str, Any]:
    from pkp_cli.model.regions import REFERENCE_EDITION

    r = ws.loaded
    files = [f.as_dict() for f in r.files]
    return ws.envelope(
        files,
        reference_edition=REFERENCE_EDITION,
        files=files,
        rows_read=r.total("rows_read"),
        rows_loaded=r.total("rows_loaded"),
        rows_rejected=r.total("rows_rejected"),
        rows_skipped=r.total("rows_skipped"),
        errors_total=r.errors_total,
        errors_truncated=r.errors_total > len(r.errors) + len(r.unreadable),
        errors=[i.as_dict(ws.lang) for i in [*r.unreadable, *r.errors]],
        warnings=[i.as_dict(ws.lang) for i in r.warnings],
        ignored=[{"path": p, "reason": why} for p, why in r.ignored],
    )


def render_validate(ws: Workspace, fmt: str) -> None:
    from pkp_cli.render import formats

    doc = validate_json(ws)
    if fmt == "json":
        sys.stdout.write(formats.to_json(doc))
        return
    issue_cols = ["file", "sheet", "row", "cell", "column", "value", "code", "message"]
    if fmt == "csv":
        sys.stdout.write(formats.to_csv(doc["errors"] + doc["warnings"], issue_cols))
        return
    lang = ws.lang
    heads = [
        label(k, lang)
        for k in ("v.file", "v.sheet", "v.kind", "v.header", "v.read", "v.loaded", "v.rejected", "v.skipped")
    ]
    rows = []
    for f in doc["files"]:
        for s in f["sheets"]:
            rows.append(
                [
                    f["path"],
                    s["name"] or "",
                    s["kind"],
                    s["header_row"],
                    s["rows_read"],
                    s["rows_loaded"],
                    s["rows_rejected"],
                    s["rows_skipped"],
                ]
            )
    err_heads = [label(f"v.{c}", lang) for c in issue_cols if c != "code"]
    err_rows = [[e.get(c) for c in issue_cols if c != "code"] for e in doc["errors"]]
    warn_rows = [[e.get(c) for c in issue_cols if c != "code"] for e in doc["warnings"]]
    total = [
        label("v.total", lang),
        f"{doc['rows_read']} {label('v.read', lang)}",
        f"{doc['rows_loaded']} {label('v.loaded', lang)}",
        f"{doc['rows_rejected']} {label('v.rejected', lang)}",
        f"{doc['rows_skipped']} {label('v.skipped', lang)}",
    ]
    if fmt in ("markdown", "md"):
        out = [formats.to_markdown(heads, rows, label("v.files", lang))]
        out.append("\n" + ", ".join(total) + "\n")
        if err_rows:
            out.append("\n" + formats.to_markdown(err_heads, err_rows, label("v.errors", lang)))
        if warn_rows:
            out.append("\n" + formats.to_markdown(err_heads, warn_rows, label("v.warnings", lang)))
        sys.stdout.write("".join(out))
        return
    from pkp_cli.render.table import console, table

    con = console()
    if ws.data.is_sample:
        con.print(label("sample_marker", lang))
    con.print(table(label("v.files", lang), heads, rows))
    con.print(", ".join(total))
    if err_rows:
        con.print(table(f"{label('v.errors', lang)} ({doc['errors_total']})", err_heads, err_rows))
    if warn_rows:
        con.print(table(f"{label('v.warnings', lang)} ({ws.loaded.warnings_total})", err_heads, warn_rows))
    if doc["ignored"]:
        reasons = ", ".join(f"{i['path']} ({label('ignored.' + i['reason'], lang)})" for i in doc["ignored"])
        con.print(label("v.ignored", lang) + ": " + reasons)


def write_rejects(ws: Workspace, folder: Path) -> int:
    """One <source>-ditolak.xlsx per source file that had rejected rows; returns an exit code."""
    from pkp_cli.render.safe import inside, safe_name
    from pkp_cli.render.xlsx import clip, write_table_workbook

    rej = ws.loaded.rejected
    written = 0
    used: set[str] = set()
    for source, sheets in rej.items():
        stem = safe_name(Path(source).stem)
        name = f"{stem}-ditolak.xlsx"
        n = 2
        while name in used:
            name, n = f"{stem}-{n}-ditolak.xlsx", n + 1
        used.add(name)
        tables = []
        for sheet_name, headers, rows in sheets:
            hdr = [h or f"({i + 1})" for i, h in enumerate(headers)] + [
                label("v.row", ws.lang),
                label("v.error", ws.lang),
            ]
            body = []
            for row_no, vals, msg in rows:
                cells, cut = zip(*(clip(v) for v in vals), strict=True) if vals else ((), ())
                cut_names = [hdr[i] for i, c in enumerate(cut) if c]
                if cut_names:
                    msg = f"{msg}; {label('v.cell_cut', ws.lang)}: {', '.join(cut_names)}"
                body.append([*cells, row_no, msg])
            tables.append((sheet_name or "data", hdr, body))
        write_table_workbook(inside(folder, name), tables)
        written += 1
    say(f"{written} {label('v.rejects_written', ws.lang)} {folder}")
    return 0
