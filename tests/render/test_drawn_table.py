"""A long table printed without escape codes is put together from its distinct cells (render/table.py
`drawn_table`): the text must be exactly what rich draws for the whole table."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pkp_cli.render import table as tables
from pkp_cli.render import terminal
from pkp_cli.views.model import Column, Report, Table
from tests.factories import stage_table


def _rich(headers: list[str], rows: list[list[str]], wrap: set[int], right: set[int], width: int) -> str:
    con = tables.console(width=width)
    with con.capture() as cap:
        con.print(tables.table("Judul", headers, rows, None, wrap, right, width))
    return cap.get()


def _drawn(headers: list[str], rows: list[list[str]], wrap: set[int], right: set[int], width: int) -> str | None:
    con = tables.console(width=width)
    return tables.drawn_table(con, "Judul", headers, rows, wrap, right, width, min_rows=2)


PATH = "/data/laporan/2022-06-03/progres-semua-desa-dengan-nama-yang-panjang.csv"


@pytest.fixture(autouse=True)
def _rich_prints(monkeypatch: pytest.MonkeyPatch) -> None:
    """The reports here are printed by rich (and drawn_table): piped, terminal.render would put them together
    without rich first (tests/render/test_plain_table.py)."""

    def refuse(width: int) -> None:
        raise tables.NotPlain(width)

    monkeypatch.setattr(terminal, "_PlainOut", refuse)


def test_a_repeated_long_path_and_wrapped_messages_come_out_as_rich_draws_them() -> None:
    # The warnings table's shape: a long path folded on every row, numbers right-aligned, messages wrapped.
    headers = ["berkas", "baris", "pesan"]
    rows = [
        [PATH, f"{i * 977:,}", f"progres {i}% dilaporkan sebelum jadwal tahapan dibuka 2022-06-21"] for i in range(30)
    ]
    for width in (40, 80, 120):
        drawn = _drawn(headers, rows, {0, 2}, {1}, width)
        assert drawn is not None  # the path was taken (else this test would compare rich with itself)
        assert drawn == _rich(headers, rows, {0, 2}, {1}, width)


def test_a_console_with_escape_codes_is_left_to_rich() -> None:
    con = tables.console(width=80)
    con._color_system = con._detect_color_system() or 1  # as on a colour terminal
    assert tables.drawn_table(con, "t", ["a"], [["x"], ["y"]], set(), set(), 80, min_rows=2) is None


def test_a_short_table_is_left_to_rich() -> None:
    rows = [["x", "1"]] * (tables.DRAWN_MIN_ROWS - 1)
    assert tables.drawn_table(tables.console(width=80), "t", ["a", "b"], rows, set(), {1}, 80) is None


# Cell texts with what rich treats specially: spaces at the ends, long words, wide and combining characters,
# tabs, line breaks and control characters, empty cells.
_ALPHABET = st.sampled_from([*"ab Z9.-/,%", "世", "é", "e\u0301", "\t", "\n", "\x07", "  ", "Ω"])
_CELL = st.lists(_ALPHABET, max_size=40).map("".join)


@given(
    n_cols=st.integers(1, 5),
    data=st.data(),
    width=st.integers(20, 130),
)
def test_drawn_text_equals_rich_for_any_cells(n_cols: int, data: st.DataObject, width: int) -> None:
    headers = data.draw(st.lists(_CELL.filter(lambda h: h.strip() != ""), min_size=n_cols, max_size=n_cols))
    rows = data.draw(st.lists(st.lists(_CELL, min_size=n_cols, max_size=n_cols), min_size=2, max_size=6))
    wrap = set(data.draw(st.lists(st.integers(0, n_cols - 1), max_size=n_cols)))
    right = set(data.draw(st.lists(st.integers(0, n_cols - 1), max_size=n_cols))) - wrap
    drawn = _drawn(headers, rows, wrap, right, width)
    if drawn is not None:
        assert drawn == _rich(headers, rows, wrap, right, width)


@pytest.mark.parametrize("width", [40, 80, 120])
def test_render_of_a_long_table_is_the_same_drawn_or_not(width: int, monkeypatch: pytest.MonkeyPatch) -> None:
    cols = [
        Column("berkas", "text", ("Berkas", "File"), ("", "")),
        Column("baris", "int", ("Baris", "Row"), ("", "")),
        Column("pesan", "text", ("Pesan", "Message"), ("", "")),
    ]
    rows = pd.DataFrame(
        {
            "berkas": [PATH] * 60,
            "baris": list(range(2, 62)),
            "pesan": [f"nilai {i} di luar rentang 0-100 (tahap {i % 7})" for i in range(60)],
        }
    )
    report = Report("validate", "id", header=["Posisi per: 3 Juni 2022"], tables=[Table("t", "Peringatan", cols, rows)])
    drawn = terminal.render(report, width=width)
    monkeypatch.setattr(tables, "DRAWN_MIN_ROWS", 10**9)
    monkeypatch.setattr(terminal, "drawn_table", lambda *a, **k: None)
    assert drawn == terminal.render(report, width=width)


def test_a_small_table_is_drawn_too(monkeypatch: pytest.MonkeyPatch) -> None:
    # Three rows, a wrapping name column (as a province's stage table): drawn from its cells, same text as rich.
    cols, rows = stage_table()
    report = Report("status", "id", header=["Posisi per: 3 Juni 2022"], tables=[Table("t", "Bali", cols, rows)])
    got: list[str | None] = []
    real = terminal.drawn_table
    monkeypatch.setattr(terminal, "drawn_table", lambda *a, **k: got.append(real(*a, **k)) or got[-1])
    drawn = terminal.render(report, width=40)
    assert len(got) == 1 and got[0] is not None and "Pengumuman rekrutmen" in drawn
    monkeypatch.setattr(terminal, "drawn_table", lambda *a, **k: None)
    assert drawn == terminal.render(report, width=40)
