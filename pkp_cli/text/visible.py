"""Text from outside (a workbook cell, a file or folder name, a config value) made safe to show on a terminal."""

from __future__ import annotations

import contextlib
import sys


def visible(s: str, keep: str = "\n") -> str:
    """Text from a workbook as it may reach a terminal: control and format characters (an escape sequence that
    recolours or clears the screen, sets the window title, a carriage return that overwrites the line, a
    right-to-left override) shown as \\xNN or \\uNNNN; the characters in `keep` stay as they are."""
    if s.isprintable():
        return s
    return "".join(
        ch if ch.isprintable() or ch in keep else (f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")
        for ch in s
    )


def say_line(line: str) -> None:
    """One line on stderr; a closed stderr is not worth a traceback. A path or value in it (from a config file,
    an environment variable, a workbook) cannot drive the terminal nor break the line: control characters,
    a line break included, are shown as \\xNN."""
    with contextlib.suppress(OSError, ValueError):
        print(visible(line, ""), file=sys.stderr, flush=True)
