"""perf-bali10 (side branch): a piece of sheet XML under IRREGULAR_RE2_MIN_BYTES gets `re`'s exact irregular-tag test
alone, no RE2 pass (whose superset answer the exact test confirmed anyway): the same verdict, without the kernel call
and the pattern's compilation on the tail of every small sheet."""

from __future__ import annotations

from typing import Any

import pytest

from pkp_cli.ingest import workbook
from pkp_cli.ingest.used_range import irregular

PIECES = [
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>kode</t></is></c></row>',
    b'<row r="2"><c r="A2"><v>1</v></c><c r="B2" s="1"><v>0.5</v></c></row></sheetData>',
    b"<row><c><v>1</v></c></row>",  # no references: irregular
    b'<row r="3"><x:c r="A3"><v>1</v></x:c></row>',  # prefixed tag: irregular
    b'<c r="A1" r="B2"><v>1</v></c>',  # two references
]


@pytest.mark.parametrize("piece", PIECES)
def test_small_piece_without_re2(piece: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_a: Any, **_k: Any) -> bool:
        raise AssertionError("RE2 pass on a small piece")

    monkeypatch.setattr(workbook, "_rare_found", refuse)
    scan = workbook._SheetScan("xl/worksheets/sheet1.xml", set(), set())
    scan._chunk(piece, len(piece))
    assert scan.irregular == irregular(piece)


def test_bigger_piece_still_prefiltered(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = workbook._rare_found

    def counting(buf: Any, pattern: str = workbook._RARE_RE2, end: int | None = None) -> bool:
        calls.append(len(buf))
        return real(buf, pattern, end)

    monkeypatch.setattr(workbook, "_rare_found", counting)
    piece = b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (i, i, i) for i in range(1, 400))
    assert len(piece) >= workbook.IRREGULAR_RE2_MIN_BYTES
    scan = workbook._SheetScan("xl/worksheets/sheet1.xml", set(), set())
    scan._chunk(piece, len(piece))
    assert calls and not scan.irregular
