"""Any report as markdown: for pasting into chats and minutes. Every row, every screen column, and under each
table the legend: each column's description."""

from __future__ import annotations

import re
from functools import partial
from typing import Any

from pkp_cli.render import cells
from pkp_cli.text.labels import label
from pkp_cli.views.model import Column, Report, Table

# A "<" that could open an HTML tag, comment or autolink (a letter, "/", "!" or "?" after it): a markdown viewer
# would run it as HTML, so it is written &lt;. "rencana < 70 %" keeps its "<", readable when pasted into a chat.
_TAG_OPEN = re.compile(r"<(?=[A-Za-z/!?])")


def escape(v: Any) -> str:
    s = "" if v is None else str(v)
    s = s.replace("\\", "\\\\").replace("|", "\\|").replace("`", "\\`").replace("\n", " ")
    return _TAG_OPEN.sub("&lt;", s)


def bold(text: str) -> str:
    """Markdown bold, nothing for an empty cell (a bare "****" shows as stars)."""
    return f"**{text}**" if text else ""


def table_lines(headers: list[str], columns: list[list[str]]) -> list[str]:
    """The table's lines from its headers and its cells column by column, each cell escaped already (once per
    distinct value: a national `status --detail` is 1.66 M rows)."""
    out = ["| " + " | ".join(escape(h) for h in headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in zip(*columns, strict=True)]
    return out


def _notes(notes: list[str]) -> list[str]:
    """Paragraphs, with consecutive "- " lines kept together as one list."""
    out: list[str] = []
    prev_item = False
    for line in notes:
        item = line.startswith("- ")
        if not (item and prev_item) and out:
            out.append("")
        out.append(("- " + escape(line[2:])) if item else escape(line))
        prev_item = item
    return out


def legend(t: Table, lang: str) -> list[str]:
    """The legend under a table: each screen column's header and description."""
    items = [f"- **{escape(c.header(lang))}**: {escape(c.description(lang))}" for c in t.screen_columns]
    return [f"*{label('legend', lang)}*", "", *items] if items else []


def _cell(column: Column, lang: str, value: Any) -> str:
    return escape(cells.text(column, value, lang))


def _table(t: Table, lang: str) -> list[str]:
    out = [f"## {escape(t.title)}", ""]
    cols = t.screen_columns
    if t.layout == "card" and not t.rows.empty:
        rec = t.rows.iloc[0]
        out += [f"- **{escape(c.header(lang))}**: {escape(cells.text(c, rec.get(c.key), lang))}".rstrip() for c in cols]
    elif t.rows.empty and t.total is None:
        out.append(escape(t.empty or label("none", lang)))
    else:
        body = [cells.per_distinct(cells.column_values(t.rows, c.key), partial(_cell, c, lang)) for c in cols]
        if t.total is not None:
            for column, c in zip(body, cols, strict=True):
                column.append(escape(bold(cells.text(c, t.total.get(c.key), lang))))
        out += table_lines([c.header(lang) for c in cols], body)
    if t.notes:
        out += ["", *_notes(t.notes)]
    lines = legend(t, lang)
    if lines:
        out += ["", *lines]
    return out


def render(report: Report) -> str:
    lang = report.lang
    blocks: list[list[str]] = []
    if report.title:
        blocks.append([f"# {escape(report.title)}"])
    blocks += [[escape(line)] for line in report.header]
    blocks += [_table(t, lang) for t in report.tables if t.screen]
    if report.notes:
        blocks.append(_notes(report.notes))
    return "\n\n".join("\n".join(b) for b in blocks).rstrip("\n") + "\n"
