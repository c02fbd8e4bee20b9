"""Any list of Reports as one self-contained HTML page (Jinja2 templates in render/templates/, autoescaped).

A page holds everything it needs: inline CSS (readable on a phone, A4 landscape when printed, with the page
number and the as-of date in the page footer), a few lines of inline script to sort tables (no network), and the
S-curve as inline SVG drawn from the data (render/curve.py, the same series as the xlsx chart). Every screen
column is shown with its description as a tooltip and in a legend under the table; status cells are coloured
from the one palette. Ids are derived from table names, so the same reports always give the same bytes.
"""

from __future__ import annotations

from datetime import date
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pkp_cli.model.provenance import PKP_MARKER
from pkp_cli.render import cells
from pkp_cli.render.palette import STATUS_FILL, fill
from pkp_cli.text.labels import label
from pkp_cli.views.model import NUMERIC_KINDS, Column, Report, Table

if TYPE_CHECKING:
    from jinja2 import Environment

TEMPLATES = Path(__file__).parent / "templates"


@cache
def environment() -> Environment:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["css_string"] = css_string
    return env


def css_string(text: str) -> Any:
    """A CSS string literal of any text (every character but letters, digits and spaces escaped), marked safe
    for the <style> element, where HTML escaping would be the wrong escaping."""
    from markupsafe import Markup

    # an escape is six hex digits and one space, which CSS takes as the escape's end (never as text)
    out = "".join(ch if ch.isascii() and (ch.isalnum() or ch == " ") else f"\\{ord(ch):06x} " for ch in text)
    return Markup(f'"{out}"')


def _status_css() -> list[tuple[str, str]]:
    return [(_status_class(vocab, code), hexa) for (vocab, code), hexa in STATUS_FILL.items()]


def _status_class(vocab: str | None, code: object) -> str:
    return "st-" + f"{vocab or 'status'}-{code}".replace(".", "-").replace("_", "-")


class _Ids:
    """Element ids from table names: stable, unique within a page."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def __call__(self, name: str) -> str:
        from pkp_cli.render.safe import safe_name

        base = safe_name(name, default="tabel").replace(".", "-")
        ident, n = base, 2
        while ident in self.used:
            ident, n = f"{base}-{n}", n + 1
        self.used.add(ident)
        return ident


def _cell(col: Column, shown: str, value: Any) -> dict[str, Any]:
    classes = []
    sort_value = None
    if col.kind in NUMERIC_KINDS:
        classes.append("num")
    if col.kind in NUMERIC_KINDS or col.kind in ("date", "date_short"):
        m = cells.machine(col, value)
        sort_value = "" if m is None else str(m)
    if col.kind == "status" and not cells.missing(value) and fill(col.vocab, value):
        classes.append("st " + _status_class(col.vocab, value))
    if col.kind in ("text", "list", "stages"):
        classes.append("wrap")
    return {"text": shown, "cls": " ".join(classes), "v": sort_value}


def cell_html(c: dict[str, Any], tag: str = "td") -> str:
    """A cell `_cell` made, as the template's `cell` macro writes it (autoescaped the same way): a big table's body
    is joined from its distinct cells (`_body`), not written cell by cell through the template."""
    from markupsafe import escape

    attrs = (f' class="{escape(c["cls"])}"' if c["cls"] else "") + (
        f' data-v="{escape(c["v"])}"' if c["v"] is not None else ""
    )
    if "links" in c:
        inner = " ".join(f'<a href="{escape(href)}">{escape(fmt)}</a>' for fmt, href in c["links"])
    else:
        inner = str(escape(c["text"]))
    return f"<{tag}{attrs}>{inner}</{tag}>"


def _body(columns: list[list[str]]) -> Any:
    """The table body from its columns' cells: one line per row, as the template's row loop wrote it."""
    from markupsafe import Markup

    return Markup("".join(f"<tr>{''.join(r)}</tr>\n" for r in zip(*columns, strict=True)))


def _head(col: Column, lang: str) -> dict[str, Any]:
    return {"text": col.header(lang), "desc": col.description(lang), "cls": "num" if col.kind in NUMERIC_KINDS else ""}


def _table_section(t: Table, ident: str, lang: str, lead: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """A table's section for the template; `lead`: a first cell for each row (the index's links)."""
    cols = t.screen_columns
    section: dict[str, Any] = {
        "id": ident,
        "name": t.name,
        "title": t.title,
        "notes": t.notes,
        "legend": [_head(c, lang) for c in cols],
        "kind": "rows",
        "empty": "",
        "body": "",
        "total": None,
        "heads": [_head(c, lang) for c in cols],
        "count": len(t.rows),
    }
    if t.layout == "card" and len(t.rows) == 1:
        rec = t.rows.iloc[0]
        section["kind"] = "card"
        section["fields"] = [
            {**_cell(c, cells.text(c, rec.get(c.key), lang), rec.get(c.key)), "head": c.header(lang),
             "desc": c.description(lang)}
            for c in cols
        ]  # fmt: skip
        return section
    if t.rows.empty and t.total is None:
        section["empty"] = t.empty or label("none", lang)
        return section
    columns = [] if lead is None else [[cell_html(c) for c in lead]]
    for c in cols:
        made = partial(_distinct_cell, c, lang)
        columns.append(cells.per_distinct(cells.column_values(t.rows, c.key), made))
    section["body"] = _body(columns) if cols else ""
    if t.total is not None:
        section["total"] = [_cell(c, cells.text(c, t.total.get(c.key), lang), t.total.get(c.key)) for c in cols]
    return section


def _distinct_cell(col: Column, lang: str, value: Any) -> str:
    return cell_html(_cell(col, cells.text(col, value, lang), value))


def _chart_section(t: Table, ident: str, lang: str, as_of: date | None) -> dict[str, Any] | None:
    from pkp_cli.render.curve import curve, svg

    c = curve(t, lang, as_of)
    if c.empty:
        return None
    geometry = svg(c, lang, label("as_of", lang))
    return {"id": ident, "name": t.name, "title": t.title, "kind": "chart", "svg": geometry, "notes": t.notes,
            "legend": [], "series": c.series}  # fmt: skip


def sections(reports: list[Report]) -> list[dict[str, Any]]:
    """What the page shows, in order: each report's header lines (when they differ from the last), its tables
    (screen tables as tables or cards, chart tables as charts) and its notes."""
    ids = _Ids()
    out: list[dict[str, Any]] = []
    for r in reports:
        as_of = r.meta.get("as_of")
        for t in r.tables:
            if t.chart == "s_curve":
                chart = _chart_section(t, ids(t.name), r.lang, as_of if isinstance(as_of, date) else None)
                if chart is not None:
                    out.append(chart)
            elif t.screen:
                out.append(_table_section(t, ids(t.name), r.lang))
    return out


def footer_text(reports: list[Report]) -> str:
    """The page footer when printed: the report's header lines (as-of date, sample marker)."""
    return " · ".join(reports[0].header) if reports else ""


def render_html(reports: list[Report], title: str | None = None) -> str:
    """The page of any list of reports."""
    lang = reports[0].lang if reports else "id"
    first = reports[0] if reports else None
    shown_title = title or (first.title if first and first.title else label("pack.title", lang))
    notes = [n for r in reports for n in r.notes]
    return (
        environment()
        .get_template("pack.html.j2")
        .render(
            lang=lang,
            title=shown_title,
            header=first.header if first else [],
            sample=label("sample_marker", lang),
            sections=sections(reports),
            notes=notes,
            footer=footer_text(reports),
            page=label("pack.page", lang),
            legend=label("legend", lang),
            sort_hint=label("pack.sort_hint", lang),
            status_css=_status_css(),
            marker=PKP_MARKER,
        )
    )


def write_html(reports: list[Report], path: Path, title: str | None = None) -> None:
    """Any list of reports as one self-contained page at `path`, written atomically."""
    from pkp_cli.render.safe import atomic_write_text

    atomic_write_text(path, render_html(reports, title))


def render_index(index: Report, links: list[list[tuple[str, str]]], title: str,
                 total_links: list[tuple[str, str]] | None = None) -> str:  # fmt: skip
    """The index page: the index report's table with a first column of links to each pack's files.

    `links` has one list per row of the report's first table, `total_links` the total row's: (format, file name
    relative to the index)."""
    lang = index.lang
    ids = _Ids()
    screen = [t for t in index.tables if t.screen]
    lead = [{"links": row_links, "cls": "links", "v": None, "text": ""} for row_links in links]
    tables = [_table_section(t, ids(t.name), lang, lead if i == 0 else None) for i, t in enumerate(screen)]
    main = tables[0] if tables else None
    if main is not None and main["kind"] == "rows":
        main["heads"].insert(0, {"text": label("pack.files", lang), "desc": "", "cls": "links"})
        if main["total"] is not None:
            main["total"].insert(0, {"links": total_links or [], "cls": "links", "v": None, "text": ""})
    return (
        environment()
        .get_template("index.html.j2")
        .render(
            lang=lang,
            title=title,
            header=index.header,
            sample=label("sample_marker", lang),
            sections=tables,
            notes=index.notes,
            footer=" · ".join(index.header),
            page=label("pack.page", lang),
            legend=label("legend", lang),
            sort_hint=label("pack.sort_hint", lang),
            status_css=_status_css(),
            marker=PKP_MARKER,
        )
    )
