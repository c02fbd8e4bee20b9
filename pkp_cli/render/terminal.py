"""Any report as terminal tables (rich): colour only on a terminal, plain text at a fixed width when piped.

Headers and free text break at spaces only. When even the narrowest layout (every column at its longest
word) does not fit the width, columns give way in the order the view set (`Column.priority`, highest first,
then from the right) and a line under the table names them; words are never split.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import partial

from pkp_cli.render import cells
from pkp_cli.render.table import (
    GAP,
    LEAST_WIDTH,
    WRAP_FLOOR,
    WRAP_WORD_CAP,
    NotPlain,
    _columns_env,
    cell_len,
    console,
    drawn_table,
    narrow,
    plain_lines,
    plain_table,
    table,
)
from pkp_cli.text.labels import label
from pkp_cli.text.visible import visible
from pkp_cli.views.model import NUMERIC_KINDS, WRAPPING_KINDS, Column, Report, Table

STATUS_STYLE = {"terlambat": "red", "selesai_terlambat": "yellow", "selesai": "green", "berjalan": "cyan"}


def _longest_word(s: str) -> int:
    return max((cell_len(w) for w in s.split()), default=0)


def _narrowest(col: Column, head: str, values: list[str]) -> int:
    """The least width a column gets without splitting a word: free text as plan_widths floors it, any other
    column as wide as its widest cell (dates and numbers never wrap), its header wrapping at spaces."""
    head_word = _longest_word(head)
    if col.kind in WRAPPING_KINDS:
        full = max([cell_len(v) for v in values] + [head_word, 1])
        words = max([_longest_word(v) for v in values] + [0])
        return max(head_word, min(full, max(WRAP_FLOOR, min(WRAP_WORD_CAP, words))))
    return max([head_word] + [cell_len(v) for v in values] + [1])


def fit_columns(cols: list[Column], heads: list[str], body: list[list[str]], width: int) -> list[int]:
    """Indexes of the columns kept so that their narrowest layout fits `width`."""
    keep = list(range(len(cols)))
    narrow = [_narrowest(c, heads[i], [r[i] for r in body]) for i, c in enumerate(cols)]

    def need(ix: list[int]) -> int:
        return sum(narrow[i] for i in ix) + GAP * max(len(ix) - 1, 0)

    # give way: highest priority number first, rightmost first among equals; priority 0 never goes
    order = sorted((i for i in keep if cols[i].priority > 0), key=lambda i: (-cols[i].priority, -i))
    for i in order:
        if need(keep) <= width:
            break
        keep.remove(i)
    return keep


def _body(t: Table, cols: list[Column], lang: str, limit: int | None) -> list[list[str]]:
    frame = t.rows if limit is None else t.rows.head(limit)
    columns = [cells.texts(c, cells.column_values(frame, c.key), lang) for c in cols]
    rows = [list(r) for r in zip(*columns, strict=True)] if columns else []
    if t.total is not None:
        rows.append([cells.text(c, t.total.get(c.key), lang) for c in cols])
    return rows


def _card(t: Table, lang: str) -> list[str]:
    """A one-row table as "header value" pairs: a province's summary line."""
    if t.rows.empty:
        return [f"  {t.empty}"] if t.empty else []
    rec = t.rows.iloc[0]
    parts = []
    for c in t.screen_columns:
        shown = cells.text(c, rec.get(c.key), lang)
        if shown:
            parts.append(f"{c.header(lang)} {shown}")
    return [", ".join(parts)]


class _RichOut:
    """The report's lines and tables printed by rich on a console (captured)."""

    def __init__(self, width: int | None):
        self.con = console(width=width)
        self.width = self.con.width
        self.parts: list[str] = []  # what the console captured, and the tables drawn beside it (drawn_table)
        self.con.begin_capture()

    def line(self, text: str | None = None) -> None:
        if text is None:
            self.con.print()
        else:
            self.con.print(text)

    def table(self, title: str, heads: list[str], body: list[list[str]], wrap: set[int], right: set[int],
              styles: Callable[[], list[str | None]]) -> None:  # fmt: skip
        # Without escape codes a long table is drawn from its distinct cells (same text as rich's drawing).
        self.parts.append(self.con.end_capture())
        try:
            drawn = drawn_table(self.con, title, heads, body, wrap, right, self.width)
        finally:
            self.con.begin_capture()
        if drawn is not None:
            self.parts.append(drawn)
        else:
            self.con.print(table(title, heads, body, styles(), wrap, right, self.width))

    def text(self) -> str:
        self.parts.append(self.con.end_capture())
        return "".join(self.parts)


class _PlainOut:
    """The same text put together without rich (piped output, every text narrow: `table.plain_table`); NotPlain for
    anything rich would lay out otherwise (a character not narrow, a word wider than the width)."""

    def __init__(self, width: int):
        self.width = width
        self.parts: list[str] = []

    def line(self, text: str | None = None) -> None:
        if text is not None and not narrow(text):
            raise NotPlain(text)
        # wrapped at the width as rich's print wraps it (its spaces at the ends go with render's rstrip)
        self.parts.extend(line + "\n" for line in plain_lines(text or "", self.width, "left"))

    def table(self, title: str, heads: list[str], body: list[list[str]], wrap: set[int], right: set[int],
              styles: Callable[[], list[str | None]]) -> None:  # fmt: skip
        self.parts.append(plain_table(title, heads, body, wrap, right, self.width))

    def text(self) -> str:
        return "".join(self.parts)


def render(report: Report, width: int | None = None) -> str:
    """The report as terminal text. Piped (no escape codes), it is put together without rich when it can be (rich's
    import and layout were about a third of the Bali report's run after the view, 40 ms), else rich prints it."""
    if not sys.stdout.isatty():
        try:
            # console()'s width when piped: the one asked for, else COLUMNS or 120, never below LEAST_WIDTH
            return _layout(report, _PlainOut(max(width or _columns_env(), LEAST_WIDTH)))
        except NotPlain:
            pass
    return _layout(report, _RichOut(width))


def _layout(report: Report, out: _RichOut | _PlainOut) -> str:
    width = out.width
    lang = report.lang
    for line in report.header:
        out.line(visible(line))
    for t in report.tables:
        if not t.screen:
            continue
        out.line()
        if t.layout == "card":
            out.line(visible(t.title))
            for line in _card(t, lang):
                out.line(visible(line))
            _notes(out, t.notes)
            continue
        if t.rows.empty and t.total is None:
            out.line(visible(t.title))
            out.line(f"  ({t.empty or label('none', lang)})")
            _notes(out, t.notes)
            continue
        cols = t.screen_columns
        heads = [c.header(lang) for c in cols]
        body = _body(t, cols, lang, t.limit)
        keep = fit_columns(cols, heads, body, width)
        dropped = [cols[i] for i in range(len(cols)) if i not in keep]
        cols, heads = [cols[i] for i in keep], [heads[i] for i in keep]
        body = [[r[i] for i in keep] for r in body]
        wrap = {i for i, c in enumerate(cols) if c.kind in WRAPPING_KINDS}
        right = {i for i, c in enumerate(cols) if c.kind in NUMERIC_KINDS}
        out.table(visible(t.title), heads, body, wrap, right, partial(_styles, t, len(body)))
        hidden = len(t.rows) - (len(t.rows) if t.limit is None else min(t.limit, len(t.rows)))
        if hidden > 0:
            out.line(f"  … {hidden} {label('more_rows', lang)}")
        if dropped:
            names = ", ".join(c.header(lang) for c in dropped)
            out.line(f"  ({label('columns_hidden', lang)}: {names})")
        _notes(out, t.notes)
    if report.notes:
        out.line()
        _notes(out, report.notes)
    return "".join(line.rstrip() + "\n" for line in out.text().splitlines())


def _notes(out: _RichOut | _PlainOut, notes: list[str]) -> None:
    for line in notes:
        out.line(visible(line))


def _styles(t: Table, n: int) -> list[str | None]:
    if t.styles is not None:
        return [STATUS_STYLE.get(s or "") for s in t.styles[:n]]
    coloured = [c.key for c in t.columns if c.kind == "status" and c.vocab == "status" and c.key in t.rows]
    if not coloured:
        return []
    return [STATUS_STYLE.get(str(s)) for s in t.rows[coloured[0]].head(n)]
