"""The colours of status cells in files (xlsx fills, HTML backgrounds) and of the S-curve's lines: one palette,
so a workbook and a page of the same pack agree. Light fills, so black text stays readable when printed.
"""

from __future__ import annotations

# (vocab, code) -> RGB hex fill; a code not listed is not coloured.
STATUS_FILL: dict[tuple[str, str], str] = {
    ("status", "terlambat"): "F4B6B0",
    ("status", "selesai_terlambat"): "FCE4A8",
    ("status", "berjalan"): "C9DDF2",
    ("status", "selesai"): "CDEBC5",
    ("status", "belum_mulai"): "E4E4E4",
    ("audit.status", "belum"): "F4B6B0",
    ("audit.status", "proses"): "FCE4A8",
    ("audit.status", "selesai"): "CDEBC5",
}

# S-curve lines: one hue per group (program), planned dashed and actual solid in the same hue.
CURVE_COLOURS = ["1F5FA8", "C0504D", "4F8A3A", "7A4FA0", "D28A1E", "2A8C8C"]
AS_OF_COLOUR = "555555"


def fill(vocab: str | None, code: object) -> str | None:
    """The fill of a status cell, or None."""
    return STATUS_FILL.get((vocab or "status", str(code)))


def legend(vocabs: set[str]) -> list[tuple[str, str, str]]:
    """(vocab, code, hex) of every coloured code of the vocabularies a pack uses, in palette order."""
    return [(v, c, hexa) for (v, c), hexa in STATUS_FILL.items() if v in vocabs]


def curve_colour(i: int) -> str:
    return CURVE_COLOURS[i % len(CURVE_COLOURS)]
