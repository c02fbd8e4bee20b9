"""Markdown for chats and minutes: text that a markdown viewer would run as HTML is escaped, nothing else."""

from __future__ import annotations

import pytest

from pkp_cli.render.markdown import escape


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("rencana < 70 %", "rencana < 70 %"),  # a comparison stays readable when pasted into a chat
        ("<script>alert(1)</script>", "&lt;script>alert(1)&lt;/script>"),  # a tag from a workbook never runs
        ("percepatan-<tahun>.yaml", "percepatan-&lt;tahun>.yaml"),  # would be read as an unknown tag
        ("<!-- x -->", "&lt;!-- x -->"),
        ("<?php", "&lt;?php"),
        ("<https://contoh.id>", "&lt;https://contoh.id>"),  # an autolink
        ("a|b`c\nd", "a\\|b\\`c d"),
        ("<", "<"),
    ],
)
def test_escape(text: str, shown: str) -> None:
    assert escape(text) == shown
