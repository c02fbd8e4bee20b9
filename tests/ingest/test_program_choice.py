"""The program of each progress row (checks.resolve_progres, decided through integer ids of the distinct program
texts): the row's own when it names one, else its location's, else (a province row) its stage's; a row naming
another program than its location's is rejected as program-differs. Checked against that rule written out per row,
on random mixes of locations, province rows, unknown codes, programs and stages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pkp_cli.ingest.load import load_data
from tests.factories import write_lokasi

TODAY = dt.date(2022, 6, 30)
# The factory's locations (51.04.03 is rejected there: its province name is another province's).
LOCATION_PROGRAM = {"51.04.01": "PISEW", "51.04.02": "PISEW", "51.04.01.2001": "KOTAKU"}
# MINI_SCHEDULE's stages: P1, P2 (province) and L1-L3 (location) are PISEW's; K0 (province) and K1 KOTAKU's.
STAGE_PROGRAM = {"P1": "PISEW", "P2": "PISEW", "L1": "PISEW", "L2": "PISEW", "K0": "KOTAKU", "K1": "KOTAKU"}

ROW = st.tuples(
    st.sampled_from(["51.04.01", "51.04.02", "51.04.03", "51.04.01.2001", "51", "52", "51.04.09", ""]),
    st.sampled_from([None, "PISEW", "KOTAKU", "kotaku", "Pisew"]),  # "" above: a row without a code
    st.sampled_from([None, "P1", "L1", "L2", "K0", "K1", "XX"]),
)


@pytest.fixture(scope="module")
def lokasi(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("lokasi") / "lokasi.xlsx"
    write_lokasi(path)
    return path


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=40)
@given(rows=st.lists(ROW, min_size=1, max_size=25))
def test_program_of_each_row(
    rows: list[tuple[str, str | None, str | None]], lokasi: Path, mini_schedule, tmp_path: Path
) -> None:
    folder = tmp_path / "progres"
    folder.mkdir(exist_ok=True)
    path = folder / "progres.csv"
    # Each row its own report date (no duplicates, no newer report of the same key): line i + 2 of the file.
    lines = [
        f"{code};{prog or ''};{stage or ''};{(dt.date(2022, 1, 1) + dt.timedelta(days=i)).isoformat()}"
        for i, (code, prog, stage) in enumerate(rows)
    ]
    path.write_text("Kode Lokasi;Program;Tahapan;Tanggal Laporan\n" + "\n".join(lines) + "\n", encoding="utf-8")
    result = load_data([path], mini_schedule, today=TODAY, lokasi_paths=[lokasi], max_errors=10_000)

    differs = {e.row for e in result.errors if e.code == "program-differs"}
    expected_differs = set()
    expected_program: dict[int, str | None] = {}
    for i, (code, prog, stage) in enumerate(rows):
        given_prog = prog.upper() if prog else None  # the parser's canonical names
        own = LOCATION_PROGRAM.get(code)
        if own is not None and given_prog is not None and given_prog != own:
            expected_differs.add(i + 2)
        expected_program[i + 2] = given_prog or own or STAGE_PROGRAM.get(stage or "")
    assert differs == expected_differs
    for row, program in zip(result.progres["_row"], result.progres["program"], strict=True):
        assert program == expected_program[int(row)]
    # The issue names both programs.
    for e in result.errors:
        if e.code == "program-differs":
            code, prog, _stage = rows[e.row - 2]
            assert dict(e.params) == {"given": prog.upper(), "program": LOCATION_PROGRAM[code]}
