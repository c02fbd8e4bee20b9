"""Terminal tables with rich: colour only on a terminal (NO_COLOR respected), a fixed width when piped."""

from __future__ import annotations

import os
import sys
from typing import Any


def console(stderr: bool = False) -> Any:
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    tty = stream.isatty()
    width = None if tty else int(os.environ.get("COLUMNS", "120"))
    return Console(
        file=stream,
        width=width,
        no_color=bool(os.environ.get("NO_COLOR")) or not tty,
        color_system="auto" if tty else None,
        highlight=False,
        soft_wrap=False,
        emoji=False,
        markup=False,
    )


def table(
    title: str | None,
    headers: list[str],
    rows: list[list[Any]],
    styles: list[str | None] | None = None,
    wrap: set[int] | None = None,
) -> Any:
    from rich import box
    from rich.table import Table

    t = Table(title=title, box=box.SIMPLE_HEAVY, title_justify="left", show_lines=False)
    for i, h in enumerate(headers):
        # Only free-text columns wrap; dates, codes and numbers stay on one line.
        t.add_column(h, overflow="fold", no_wrap=wrap is not None and i not in wrap)
    for i, r in enumerate(rows):
        style = styles[i] if styles and i < len(styles) else None
        t.add_row(*["" if v is None else str(v) for v in r], style=style)
    return t
