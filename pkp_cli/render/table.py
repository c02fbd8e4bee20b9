"""Terminal tables with rich: colour only on a terminal (NO_COLOR respected), a fixed width when piped."""

from __future__ import annotations

import os
import re
import sys
from typing import Any

GAP = 2  # spaces between two columns (one padding cell and one blank separator of the box)
WRAP_FLOOR = 10  # a free-text column is not squeezed below this many characters (or its widest word)
WRAP_WORD_CAP = 20  # ... nor does one long word (a URL, say) claim more than this
PIPED_WIDTH, LEAST_WIDTH = 120, 20  # the width when piped; the least pkp lays tables out in (COLUMNS=0, say)


# Characters rich lays out one cell wide that are no white space but the ASCII space (Latin letters, punctuation such as
# "—" and "…"; tests/render/test_plain_table.py checks each against rich's own measure). A text made of these alone
# measures its length, and is laid out here as rich lays it out, without importing rich (`plain_table`).
_NARROW = re.compile("[\x20-\x7e\u00a1-\u00ac\u00ae-\u02ff\u2010-\u2027\u2030-\u205e]*")
# A word as rich's wrap finds one: the white space before it, the word, the white space after it.
_WORD = re.compile(r"\s*\S+\s*")
_TRAILING_SPACE = re.compile(r"\s+$")
RULE = "\u2501"  # the header's rule in rich's SIMPLE_HEAVY box


class NotPlain(Exception):
    """A text `plain_table` or `terminal.render` does not lay out without rich (rich then lays out the report)."""


def narrow(text: str) -> bool:
    return _NARROW.fullmatch(text) is not None


def cell_len(text: str) -> int:
    """The cells a text takes on a terminal, as rich measures it (rich is imported only for other characters)."""
    if _NARROW.fullmatch(text) is not None:
        return len(text)
    from rich.cells import cell_len as rich_cell_len

    return rich_cell_len(text)


def _columns_env() -> int:
    """COLUMNS as the width when piped; anything but a number (a typo, "-5") is the default, not a crash."""
    raw = os.environ.get("COLUMNS", "").strip()
    return int(raw) if raw.isdigit() and int(raw) > 0 else PIPED_WIDTH


def console(stderr: bool = False, width: int | None = None) -> Any:
    """A rich console on stdout (or stderr): colour on a terminal only; `width` or the terminal's, 120 piped."""
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    tty = stream.isatty()
    width = width or (None if tty else _columns_env())
    con = Console(
        file=stream,
        width=width,
        no_color=bool(os.environ.get("NO_COLOR")) or not tty,
        color_system="auto" if tty else None,
        highlight=False,
        soft_wrap=False,
        emoji=False,
        markup=False,
    )
    if con.width < LEAST_WIDTH:  # a terminal or COLUMNS narrower than any table: laid out at the least width
        con.width = LEAST_WIDTH
    return con


def _longest_word(text: str) -> int:
    return max((cell_len(w) for w in text.split()), default=0)


def plan_widths(headers: list[str], rows: list[list[str]], wrap: set[int], width: int) -> list[int]:
    """Column widths (content only) for a table `width` characters wide, GAP between columns.

    A column not in `wrap` (dates, codes, numbers, status labels) is always as wide as its widest cell, so
    its values never break; its header wraps at its spaces when room is short. A free-text column in `wrap`
    gets its full width when it fits, else the room left, shared so that the widest text gives way first
    (never below WRAP_FLOOR or its widest word, capped at WRAP_WORD_CAP). Room is found first by wrapping
    headers (the biggest saving first: a two-line header costs one line, a wrapped name one line per row),
    then by wrapping the free text.
    """
    n = len(headers)
    cells = [[cell_len(r[i]) for r in rows] for i in range(n)]
    full = [max([cell_len(h) for h in headers[i].splitlines() or [""]] + cells[i]) for i in range(n)]
    widths = list(full)
    room = width - GAP * max(n - 1, 0)
    if sum(widths) <= room:
        return widths
    fixed = [i for i in range(n) if i not in wrap]
    compact = {i: max([1, _longest_word(headers[i]), *cells[i]]) for i in fixed}
    for i in sorted(fixed, key=lambda i: (compact[i] - full[i], i)):
        if sum(widths) <= room:
            break
        widths[i] = compact[i]
    if sum(widths) <= room:
        return widths
    free = [i for i in range(n) if i in wrap]
    head_word = [_longest_word(h) for h in headers]
    for i in free:
        # Short of room, a free column wants its widest cell; a longer header wraps at its spaces (an empty
        # column of reasons never takes the room of the reasons next to it).
        widths[i] = max([1, head_word[i], *cells[i]])
    # Never below the header's longest word: narrower, and rich would split it ("administra si").
    floor = {
        i: max(
            head_word[i],
            min(widths[i], max(WRAP_FLOOR, min(WRAP_WORD_CAP, max([_longest_word(r[i]) for r in rows] + [0])))),
        )
        for i in free
    }
    if sum(widths[i] for i in fixed) + sum(floor.values()) > room:
        # Last resort, too many columns for the width: every column may wrap at its spaces ("26 September"
        # over "2022"), none below its widest word (free text: capped at WRAP_WORD_CAP); narrower than that
        # and rich breaks words.
        words = {i: max([head_word[i]] + [_longest_word(r[i]) for r in rows]) for i in range(n)}
        floor = {
            i: words[i] if i in fixed else max(head_word[i], min(widths[i], words[i], WRAP_WORD_CAP)) for i in range(n)
        }
        free = list(range(n))
    budget = room - sum(widths[i] for i in range(n) if i not in free)
    # water-filling from the top: lower a common ceiling until the columns fit (or reach their floors)
    ceiling = max(widths[i] for i in free)
    while ceiling > 1 and sum(max(floor[i], min(widths[i], ceiling)) for i in free) > budget:
        ceiling -= 1
    for i in free:
        widths[i] = max(floor[i], min(widths[i], ceiling))
    return widths


def table(
    title: str | None,
    headers: list[str],
    rows: list[list[Any]],
    styles: list[str | None] | None = None,
    wrap: set[int] | None = None,
    right: set[int] | None = None,
    width: int | None = None,
    widths: list[int] | None = None,
) -> Any:
    """A rich table. With `wrap` given (the free-text columns), the widths are planned for `width`
    (default: the console's) so that only those columns and the headers wrap, or are `widths` when given
    (planned already); `right` columns (numbers) are right-aligned. Without `wrap`, rich sizes every column
    itself."""
    from rich import box
    from rich.table import Table

    body = [["" if v is None else str(v) for v in r] for r in rows]
    if wrap is None:
        t = Table(title=title, box=box.SIMPLE_HEAVY, title_justify="left", show_lines=False)
        for h in headers:
            t.add_column(h, overflow="fold")
    else:
        t = Table(
            title=title,
            box=box.SIMPLE_HEAVY,
            title_justify="left",
            show_lines=False,
            show_edge=False,
            pad_edge=False,
            padding=(0, 1, 0, 0),
        )
        if widths is None:
            widths = plan_widths(headers, body, wrap, width if width is not None else console().width)
        for i, (h, w) in enumerate(zip(headers, widths, strict=True)):
            t.add_column(h, width=w, overflow="fold", justify="right" if right and i in right else "left")
    for i, r in enumerate(body):
        style = styles[i] if styles and i < len(styles) else None
        t.add_row(*r, style=style)
    return t


# Body rows from which a table is drawn by `drawn_table` (one row goes through rich as it is). Small tables too:
# a province's 16-row stage table took rich 10-15 ms to lay out, about half of the Bali report's rendering.
DRAWN_MIN_ROWS = 2


def drawn_table(
    con: Any,
    title: str | None,
    headers: list[str],
    rows: list[list[Any]],
    wrap: set[int],
    right: set[int],
    width: int,
    min_rows: int = DRAWN_MIN_ROWS,
) -> str | None:
    """The text `table(title, headers, rows, None, wrap, right, width)` prints on `con` when it prints no
    escape codes (piped, or NO_COLOR): rich draws the title, the header and the first row, and the other rows
    are put together from each distinct cell text wrapped once by rich itself (`_cell_lines`), top-aligned and
    joined by the GAP, as rich's table joins them. Rich lays every cell of every row out again (a 200-row
    warnings table whose file column wraps the same long path on every row took about 0.2 s); the result is
    the same text. None (draw it with rich) when the console prints escape codes, the table has fewer than
    `min_rows` rows, its planned widths do not fit (rich would narrow them), or the first row as put together
    here differs from rich's own drawing of it."""
    if con.color_system is not None or len(rows) < max(min_rows, 2) or not headers:
        return None
    body = [["" if v is None else str(v) for v in r] for r in rows]
    widths = plan_widths(headers, body, wrap, width)
    if min(widths) < 1 or sum(widths) + GAP * (len(widths) - 1) > con.width:
        return None
    con.begin_capture()
    try:
        con.print(table(title, headers, body[:1], None, wrap, right, width, widths=widths))
    finally:
        head = con.end_capture()
    cache: dict[Any, Any] = {}
    justify = ["right" if i in right else "left" for i in range(len(widths))]
    first = _row_lines(con, body[0], widths, justify, cache)
    drawn = [line.rstrip() for line in head.splitlines()]
    if len(drawn) < len(first) or drawn[len(drawn) - len(first) :] != [line.rstrip() for line in first]:
        return None
    out = [head]
    for r in body[1:]:
        out.extend(line + "\n" for line in _row_lines(con, r, widths, justify, cache))
    return "".join(out)


def _row_lines(con: Any, row: list[str], widths: list[int], justify: list[str], cache: dict[Any, Any]) -> list[str]:
    """One body row as rich's table draws it: each cell's lines, the shorter cells filled with blank lines
    below (cells are top-aligned), the columns joined by GAP spaces (a padding cell and the box's blank
    divider; the last column has no padding)."""
    cells = [_cell_lines(con, text, w, j, cache) for text, w, j in zip(row, widths, justify, strict=True)]
    height = max(len(c) for c in cells)
    gap = " " * GAP
    return [
        gap.join(c[k] if k < len(c) else " " * w for c, w in zip(cells, widths, strict=True)) for k in range(height)
    ]


def _cell_lines(con: Any, text: str, width: int, justify: str, cache: dict[Any, Any]) -> list[str]:
    """A cell's text as rich lays it out in a table column `width` wide (folded, justified, padded to the
    width), once per distinct (text, width, justify). A printable text without white space at its ends that
    fits is one line, padded on the other side (what rich's wrap and justify make of it); anything else is
    rich's own rendering of the text alone."""
    key = (text, width, justify)
    got: list[str] | None = cache.get(key)
    if got is not None:
        return got
    size = cell_len(text)
    if size <= width and text.isprintable() and text == text.strip():
        got = [text + " " * (width - size) if justify == "left" else " " * (width - size) + text]
    else:
        base = cache.get("options")
        if base is None:
            base = cache["options"] = con.options  # a property that measures the console each time
        options = base.update(
            width=width, justify=justify, no_wrap=False, overflow="fold", height=None, highlight=False
        )
        got = ["".join(seg.text for seg in line) for line in con.render_lines(text, options)]
    cache[key] = got
    return got


def plain_lines(text: str, width: int, justify: str) -> list[str]:
    """A narrow text (`narrow`: no line break, no tab) as rich lays it out in a table cell `width` wide: broken before
    the words that do not fit (rich's `divide_line`; a word wider than the column folded into pieces of the width,
    its spaces counted, as rich's `chop_cells` cuts a text of one-cell characters), each line cut of the spaces
    beyond the width, then padded to the width on the right (left-justified) or stripped and padded on the left
    (right-justified). A file's path is such a word: `pkp validate`'s warnings table folds one on every row."""
    breaks: list[int] = []
    offset = 0
    m = _WORD.match(text)
    while m is not None:
        start, word = m.start(), m.group(0)
        length = len(word.rstrip())
        if width - offset >= length:
            offset += len(word)
        elif length > width:
            pieces = range(0, len(word), width)
            for k in pieces:
                if start:
                    breaks.append(start)
                if k == pieces[-1]:
                    offset = len(word) - k
                else:
                    start += width
        elif offset and start:
            breaks.append(start)
            offset = len(word)
        m = _WORD.match(text, m.end())
    lines = []
    for a, b in zip([0, *breaks], [*breaks, len(text)], strict=True):
        line = text[a:b]
        if len(line) > width:
            space = _TRAILING_SPACE.search(line)
            if space is not None:
                line = line[: len(line) - min(len(space.group(0)), len(line) - width)]
        if justify == "right":
            line = line.rstrip()[:width]
            lines.append(" " * (width - len(line)) + line)
        else:
            line = line[:width]
            lines.append(line + " " * (width - len(line)))
    return lines


def plain_table(title: str | None, headers: list[str], rows: list[list[Any]], wrap: set[int], right: set[int],
                width: int) -> str:  # fmt: skip
    """The text `table(title, headers, rows, None, wrap, right, width)` prints on a console without escape codes, put
    together without rich when every text in it is narrow (`narrow`): the title, left-justified in the table's
    width; the headers wrapped in their columns and aligned to the bottom; the rule; each row's cells wrapped and
    aligned to the top; the columns joined by GAP (a padding cell and the box's blank divider). NotPlain where rich
    would do anything else (a text not narrow, a word wider than its column, planned widths that do not fit)."""
    body = [["" if v is None else str(v) for v in r] for r in rows]
    if not headers or not all(map(narrow, [title or "", *headers, *(cell for r in body for cell in r)])):
        raise NotPlain(title)
    widths = plan_widths(headers, body, wrap, width)
    total = sum(widths) + GAP * (len(widths) - 1)
    if min(widths) < 1 or total > width or len(title or "") > total:
        raise NotPlain(title)
    justify = ["right" if i in right else "left" for i in range(len(widths))]
    gap = " " * GAP

    def row_lines(texts: list[str], bottom: bool) -> list[str]:
        cells = [plain_lines(t, w, j) for t, w, j in zip(texts, widths, justify, strict=True)]
        height = max(len(c) for c in cells)
        blank = [[" " * w] * (height - len(c)) for c, w in zip(cells, widths, strict=True)]
        shaped = [b + c if bottom else c + b for c, b in zip(cells, blank, strict=True)]
        return [gap.join(c[k] for c in shaped) + "\n" for k in range(height)]

    out = [title + "\n"] if title else []
    out.extend(row_lines(headers, bottom=True))
    out.append(RULE * total + "\n")
    drawn: dict[tuple[str, ...], list[str]] = {}
    for r in body:
        key = tuple(r)
        if key not in drawn:
            drawn[key] = row_lines(r, bottom=False)
        out.extend(drawn[key])
    return "".join(out)
