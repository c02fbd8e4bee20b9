"""A big column's cells as written (`_raw_<column>`) are kept as a categorical of its distinct values when the
column parsed to something else (sheets._compact_raw): the same texts, in two bytes a row. What is read from them
(the value an error shows, the suggestion for a date without a year) and what the per-file cache keeps must be
what the plain text gave. Small inputs stand for big ones by lowering the row threshold."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pkp_cli.ingest import sheets
from pkp_cli.ingest.contract import KIND_PROGRES
from pkp_cli.ingest.load import load_data
from tests.factories import write_lokasi

TODAY = dt.date(2022, 6, 30)

DATE_CELLS = st.one_of(
    st.none(),
    st.sampled_from(["20/05/2022", "2022-05-20", "31/02/2022", "8 Juni", "20 Mei 2022", "-", " ", "kemarin", "45"]),
    st.text(max_size=6),
)


def _parsed(cells: list[str | None], threshold: int) -> tuple[pd.DataFrame, list[pd.DataFrame]]:
    rec = pd.DataFrame({"tanggal_mulai": pd.Series(cells, dtype="str")})
    old = sheets.COMPACT_RAW_ROWS
    sheets.COMPACT_RAW_ROWS = threshold
    try:
        errs = sheets.parse_records(rec, KIND_PROGRES)
    finally:
        sheets.COMPACT_RAW_ROWS = old
    return rec, errs


def test_a_big_date_column_keeps_its_cells_compact() -> None:
    # 8 rows, 2 distinct texts and an empty cell: 3 * 4 <= 8 rows, so at a threshold of 8 rows the cells are kept as
    # a categorical of "20/05/2022" and "kemarin" (the parsed dates are another column).
    cells = ["20/05/2022"] * 6 + ["kemarin", None]
    rec, _errs = _parsed(cells, threshold=8)
    raw = rec["_raw_tanggal_mulai"]
    assert isinstance(raw.dtype, pd.CategoricalDtype)
    assert sorted(raw.cat.categories) == ["20/05/2022", "kemarin"]
    assert raw.iloc[:7].tolist() == cells[:7] and pd.isna(raw.iloc[7])
    # Below the threshold, or mostly distinct, the text as it was read.
    rec_small, _ = _parsed(cells, threshold=9)
    assert str(rec_small["_raw_tanggal_mulai"].dtype) == "str"
    rec_distinct, _ = _parsed([f"{d:02d}/05/2022" for d in range(1, 9)], threshold=1)
    assert str(rec_distinct["_raw_tanggal_mulai"].dtype) == "str"


@given(st.lists(DATE_CELLS, min_size=1, max_size=40))
def test_compact_cells_are_the_cells_written(cells: list[str | None]) -> None:
    """Whatever the texts: the compact column holds each row's text (missing where the text column is), and the
    parsed values and errors are those of the plain text."""
    plain, plain_errs = _parsed(cells, threshold=10**9)
    compact, compact_errs = _parsed(cells, threshold=1)
    expected = plain["_raw_tanggal_mulai"].to_numpy(dtype=object)
    got = compact["_raw_tanggal_mulai"].to_numpy(dtype=object)
    assert [None if pd.isna(v) else v for v in got] == [None if pd.isna(v) else v for v in expected]
    pd.testing.assert_series_equal(plain["tanggal_mulai"], compact["tanggal_mulai"])
    assert [e.to_dict("list") for e in plain_errs] == [e.to_dict("list") for e in compact_errs]


def _csv(path: Path, rows: list[str]) -> None:
    path.write_text("Kode Lokasi;Program;Tahapan;Tanggal Mulai;Tanggal Laporan\n" + "\n".join(rows) + "\n", "utf-8")


def test_messages_read_from_compact_cells(tmp_path: Path, mini_schedule, monkeypatch: pytest.MonkeyPatch) -> None:
    """A bad date and a date without its year in a column kept compact: the error shows the cell as written, and
    the suggestion adds the year to it (read from `_raw_tanggal_mulai`)."""
    data = tmp_path / "data"
    data.mkdir()
    write_lokasi(data / "lokasi.xlsx")
    rows = ["51.04.01;PISEW;L1;01/04/2022;20/05/2022"] * 6 + [
        "51.04.02;PISEW;L1;31/02/2022;20/05/2022",
        "51.04.03;PISEW;L1;8 Juni;20/05/2022",
    ]
    _csv(data / "progres.csv", rows)
    monkeypatch.setattr(sheets, "COMPACT_RAW_ROWS", 1)
    compact = load_data([data], mini_schedule, today=TODAY)
    monkeypatch.setattr(sheets, "COMPACT_RAW_ROWS", 10**9)
    plain = load_data([data], mini_schedule, today=TODAY)
    shown = {(e.code, e.value, tuple(e.params)) for e in compact.errors if e.column == "Tanggal Mulai"}
    assert ("date-nonexistent", "31/02/2022", ()) in shown
    assert ("date-no-year", "8 Juni", (("suggestion", "8 Juni 2022"), ("year", 2022))) in shown
    assert compact.errors == plain.errors and compact.warnings == plain.warnings
    pd.testing.assert_frame_equal(compact.progres, plain.progres)


def test_cached_compact_and_plain_files_load_together(
    tmp_path: Path, mini_schedule, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One file's entry keeps its dates' cells compact (8 rows, 1 distinct start date), a file added later has too
    few rows (2) to be compact; the second load joins the first file's entry with the new file's cells: the
    result is a fresh load's (Arrow cannot join a dictionary column with a text one without the cells decoded)."""
    monkeypatch.setattr(sheets, "COMPACT_RAW_ROWS", 4)
    data = tmp_path / "data"
    data.mkdir()
    write_lokasi(data / "lokasi.xlsx")
    _csv(data / "a.csv", [f"51.04.0{1 + i % 3};PISEW;L{1 + i // 3};01/04/2022;20/05/2022" for i in range(8)])
    cache = tmp_path / "cache"
    load_data([data], mini_schedule, today=TODAY, cache_dir=cache)
    _csv(data / "b.csv", ["51.04.01;PISEW;L2;31/02/2022;27/05/2022", "51.04.02;PISEW;L2;02/05/2022;27/05/2022"])
    joined = load_data([data], mini_schedule, today=TODAY, cache_dir=cache)
    assert [Path(p).name for p in joined.parsed] == ["b.csv"]  # a.csv came from its entry
    fresh = load_data([data], mini_schedule, today=TODAY)
    pd.testing.assert_frame_equal(joined.progres, fresh.progres)
    assert joined.errors == fresh.errors and joined.warnings == fresh.warnings
    assert [e.value for e in joined.errors if e.column == "Tanggal Mulai"] == ["31/02/2022"]
    # a.csv: 8 rows, of which the 2 of 51.04.03 (its location row is rejected: the factory's wrong province) do not
    # load; b.csv: 2 rows, of which the one dated 31/02 does not: 6 + 1.
    assert len(joined.progres) == 7
    assert sorted({Path(str(f)).name for f in joined.progres["_file"]}) == ["a.csv", "b.csv"]
