"""Text from outside (a workbook cell, a file or folder name, a config value) made safe to show on a terminal."""

from __future__ import annotations


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
