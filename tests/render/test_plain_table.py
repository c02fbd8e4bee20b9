"""Piped output is put together without rich when every text is narrow (render/table.py `plain_table`,
`plain_lines`; render/terminal.py `_PlainOut`): the text must be exactly what rich prints, and anything else goes
to rich."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from rich.cells import cell_len as rich_cell_len

from pkp_cli.render import table as tables
from pkp_cli.render import terminal
from pkp_cli.views.model import Report, Table
from tests.factories import ROOT, stage_table

_NARROW_RANGES = [(0x20, 0x7E), (0xA1, 0xAC), (0xAE, 0x2FF), (0x2010, 0x2027), (0x2030, 0x205E)]


def test_every_narrow_character_is_one_cell_and_no_white_space_but_the_space() -> None:
    for lo, hi in _NARROW_RANGES:
        for code in range(lo, hi + 1):
            ch = chr(code)
            assert tables.narrow(ch), hex(code)
            assert rich_cell_len(ch) == 1 and ch.isprintable() and (ch == " " or not ch.isspace()), hex(code)
    # next to them: white space, a soft hyphen, a combining accent, zero-width and wide characters, controls
    for ch in "\t\n\r\x0b\x7f\xa0\xad\u0301\u200b\u2028\u202e\u3000世😀":
        assert not tables.narrow(ch), hex(ord(ch))


# Narrow texts with what rich's wrap treats specially: runs of spaces (at the ends too), long and short words.
_BIT = st.sampled_from(["a", "Ab", "tenaga", "pendamping", "Z9.", "-", "—", "…", "é", "%", " ", "  ", "31,9", "x" * 13])
_TEXT = st.lists(_BIT, max_size=16).map("".join)


@given(_TEXT)
def test_a_narrow_text_measures_as_rich_measures_it(text: str) -> None:
    assert tables.narrow(text)
    assert tables.cell_len(text) == rich_cell_len(text)


@given(_TEXT, st.integers(1, 40), st.sampled_from(["left", "right"]))
@example(" a", 1, "left")  # a leading space makes the word wider than the column (found by CI's seed)
@example("bench/.cache/data-83000x20/csv/progres-semua-desa.csv", 36, "left")  # a path folded (validate's file)
@example("xxxxxxxxxxxxx   a", 4, "right")  # a folded word's spaces: a piece of only spaces
@example("  xxxxxxxxxxxxx", 5, "left")
def test_a_cell_is_laid_out_as_rich_lays_it_out(text: str, width: int, justify: str) -> None:
    con = tables.console(width=200)
    got = tables.plain_lines(text, width, justify)  # a word wider than the column too: folded as rich folds it
    options = con.options.update(width=width, justify=justify, no_wrap=False, overflow="fold", height=None)
    assert got == ["".join(seg.text for seg in line) for line in con.render_lines(text, options)]


@given(_TEXT, st.integers(20, 130))
def test_a_line_is_printed_as_rich_prints_it(text: str, width: int) -> None:
    out = terminal._PlainOut(width)
    try:
        out.line(text)
    except tables.NotPlain:
        return
    con = tables.console(width=width)
    with con.capture() as cap:
        con.print(text)
    assert [x.rstrip() for x in out.text().splitlines()] == [x.rstrip() for x in cap.get().splitlines()]


def _rich(title: str, headers: list[str], rows: list[list[str]], wrap: set[int], right: set[int], width: int) -> str:
    con = tables.console(width=width)
    with con.capture() as cap:
        con.print(tables.table(title, headers, rows, None, wrap, right, width))
    return "".join(line.rstrip() + "\n" for line in cap.get().splitlines())


@given(n_cols=st.integers(1, 5), data=st.data(), width=st.integers(20, 130))
def test_a_plain_table_is_what_rich_draws(n_cols: int, data: st.DataObject, width: int) -> None:
    title = data.draw(_TEXT)
    headers = data.draw(st.lists(_TEXT.filter(lambda h: h.strip() != ""), min_size=n_cols, max_size=n_cols))
    rows = data.draw(st.lists(st.lists(_TEXT, min_size=n_cols, max_size=n_cols), max_size=5))
    wrap = set(data.draw(st.lists(st.integers(0, n_cols - 1), max_size=n_cols)))
    right = set(data.draw(st.lists(st.integers(0, n_cols - 1), max_size=n_cols))) - wrap
    try:
        got = tables.plain_table(title, headers, rows, wrap, right, width)
    except tables.NotPlain:
        return
    assert "".join(line.rstrip() + "\n" for line in got.splitlines()) == _rich(title, headers, rows, wrap, right, width)


def test_a_text_rich_lays_out_otherwise_is_left_to_rich() -> None:
    for title, cell in (("t", "世界"), ("t", "a\tb"), ("a title longer than the table", "x")):
        with pytest.raises(tables.NotPlain):
            tables.plain_table(title, ["h"], [[cell]], {0}, set(), 20)


def test_a_word_wider_than_its_column_is_folded_as_rich_folds_it() -> None:
    """validate's warnings name the file on every row: a path wider than its column is cut into pieces of the
    column's width, by the plain way as by rich (before, one such cell sent the whole report to rich)."""
    path = "data/progres/2022-06-03/progres-semua-desa-nasional.csv"
    rows = [[path, "97", "F97"], [path, "2.017", "F2017"]]
    got = tables.plain_table("Peringatan (2)", ["berkas", "baris", "sel"], rows, {0}, {1}, 40)
    # 40 wide: baris 5 and sel 5 wide, two gaps of 2: the path's column 26, its 56 characters in pieces of 26
    assert [line.rstrip() for line in got.splitlines()[3:9]] == [
        "data/progres/2022-06-03/pr     97  F97",
        "ogres-semua-desa-nasional.",
        "csv",
        "data/progres/2022-06-03/pr  2.017  F2017",
        "ogres-semua-desa-nasional.",
        "csv",
    ]
    assert "".join(line.rstrip() + "\n" for line in got.splitlines()) == _rich(
        "Peringatan (2)", ["berkas", "baris", "sel"], rows, {0}, {1}, 40
    )


def _rich_only(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(width: int) -> None:
        raise tables.NotPlain(width)

    monkeypatch.setattr(terminal, "_PlainOut", refuse)


@pytest.mark.parametrize("width", [20, 40, 80, 120, 200])
def test_a_report_reads_the_same_put_together_or_printed_by_rich(width: int, monkeypatch: pytest.MonkeyPatch) -> None:
    cols, rows = stage_table()
    summary = "rencana % 16,0, realisasi % 31,9, deviasi +15,9, tahapan 276, selesai 88, terlambat 0 " * 3
    tabs = [Table("t", "Bali — persiapan", cols, rows), Table("u", "Bali — lokasi terlambat (0)", cols, rows.head(0))]
    report = Report("status", "id", header=["Posisi per: 3 Juni 2022", "", summary], tables=tabs, notes=["catatan"])
    plain = terminal.render(report, width=width)
    _rich_only(monkeypatch)
    assert plain == terminal.render(report, width=width)


_PROBE = """
import sys
from pkp_cli.cli.app import main
sys.argv = ["pkp", "status", "--province", "Bali"]
try:
    main()
except SystemExit:
    pass
print("RICH", "rich" in sys.modules, file=sys.stderr)
"""


def test_the_bali_report_piped_imports_no_rich(tmp_path: Path) -> None:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "120", "PKP_NO_CACHE": "1",
           "XDG_CONFIG_HOME": str(tmp_path / "config")}  # fmt: skip
    res = subprocess.run([sys.executable, "-c", _PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert "deviasi +15,9" in res.stdout, res.stderr
    assert "RICH False" in res.stderr
