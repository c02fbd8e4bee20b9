"""The end of a load lets the records go but for what the accounting reads (load._accounting_only): the errors and
warnings are made first, from the cells as written, and the frames share the data columns, so nothing a user reads
changes; only the memory held through the superseded check does (on the national data the records' other columns
were about 150 MB there, where a cold `pkp status` peaked)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pandas as pd
import pytest

from pkp_cli.ingest import load as load_module
from pkp_cli.ingest.load import load_data
from tests.factories import write_lokasi

TODAY = dt.date(2022, 6, 30)


def _dirty_folder(root: Path) -> Path:
    """Two weekly CSVs over the sample's locations (tests.factories.write_lokasi: 51.04.01 and 51.04.02, PISEW).

    20 May: line 2 loads; line 3 names an unknown location ("51.99.99" as written); line 4 has a start date that
    does not exist ("2/30/2022"); line 5 repeats line 2 (a duplicate). 27 May: line 2 reports L1 of 51.04.01
    again without its end date, which clears the 15 May end the older report had (superseded-cleared)."""
    d = root / "data"
    d.mkdir()
    write_lokasi(d / "lokasi.xlsx")
    (d / "progres-2022-05-20.csv").write_text(
        "Kode Lokasi;Tahapan;Tanggal Mulai;Tanggal Selesai\n"
        "51.04.01;L1;02/04/2022;15/05/2022\n"
        "51.99.99;L1;02/04/2022;\n"
        "51.04.02;L1;2/30/2022;\n"
        "51.04.01;L1;02/04/2022;15/05/2022\n",
        encoding="utf-8",
    )
    (d / "progres-2022-05-27.csv").write_text(
        "Kode Lokasi;Tahapan;Tanggal Mulai;Tanggal Selesai\n51.04.01;L1;02/04/2022;\n", encoding="utf-8"
    )
    return d


def test_the_superseded_check_runs_with_only_the_accounting_columns(tmp_path: Path, mini_schedule, monkeypatch
                                                                    ) -> None:  # fmt: skip
    seen: list[list[str]] = []
    check = load_module.superseded_warnings

    def watched(progres: pd.DataFrame, keys: object) -> object:
        # the records of the progress sets as the load holds them while this check runs
        seen.append(list(sys._getframe(1).f_locals["prog"].records.columns))
        return check(progres, keys)

    monkeypatch.setattr(load_module, "superseded_warnings", watched)
    r = load_data([_dirty_folder(tmp_path)], mini_schedule, today=TODAY)
    assert seen and set(seen[0]) <= {"_sid", "_src", "_dup"} and "_sid" in seen[0]
    # What the user reads is made before: the values as written, the superseded warning, the accounting.
    values = {(i.file.rsplit("/", 1)[-1], i.cell, i.code, i.value) for i in r.errors if ".csv" in i.file}
    assert values == {
        ("progres-2022-05-20.csv", "A3", "location-unknown", "51.99.99"),
        ("progres-2022-05-20.csv", "C4", "date-nonexistent", "2/30/2022"),
    }
    assert [w.code for w in r.warnings if w.code.startswith("superseded")] == ["superseded-cleared"]
    first = next(f for f in r.files if f.path.endswith("progres-2022-05-20.csv")).sheets[0]
    # 4 data lines: line 2 loads, lines 3 and 4 are rejected, line 5 is a duplicate of line 2
    assert (first.rows_loaded, first.rows_rejected, first.duplicates) == (1, 2, 1)
    assert len(r.progres) == 2  # line 2 of each week


@pytest.mark.parametrize("max_errors", [10_000, 1])
def test_issues_are_those_of_a_load_that_keeps_every_record(tmp_path: Path, mini_schedule, max_errors: int) -> None:
    """With the rejected rows kept (`collect_rejects`, pkp validate --rejects) the records stay whole to the end:
    the same errors, warnings, totals and frames either way."""
    data = _dirty_folder(tmp_path)
    slim = load_data([data], mini_schedule, today=TODAY, max_errors=max_errors)
    whole = load_data([data], mini_schedule, today=TODAY, max_errors=max_errors, collect_rejects=True)
    assert slim.errors == whole.errors and slim.warnings == whole.warnings
    # the two progress errors above and the fixture's location workbook's own (a province name that contradicts
    # its code); the superseded and duplicate warnings, and the location workbook's three
    assert (slim.errors_total, slim.warnings_total) == (whole.errors_total, whole.warnings_total) == (3, 5)
    pd.testing.assert_frame_equal(slim.progres, whole.progres)
    assert [f.sheets for f in slim.files] == [f.sheets for f in whole.files]


def test_accounting_only_keeps_the_accounting_columns_and_leaves_a_frame_made_before() -> None:
    records = pd.DataFrame(
        {"_sid": [0, 0], "_src": [1, 2], "_dup": [False, True], "_raw_kode_lokasi": ["51.04.01 ", "x"],
         "kode": ["a", "b"]}
    )  # fmt: skip
    sr = type("Set", (), {"records": records})()
    frame = records[["kode"]].reset_index(drop=True)  # as load._frame shares the columns
    load_module._accounting_only(sr)
    assert list(sr.records.columns) == ["_sid", "_src", "_dup"]
    assert sr.records["_src"].tolist() == [1, 2] and frame["kode"].tolist() == ["a", "b"]
