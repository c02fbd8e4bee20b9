"""The load cache: a hit gives exactly what a fresh load gives, and any change to the inputs misses."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from pkp_cli.ingest.load import load_data
from tests.factories import write_lokasi, write_progres

TODAY = dt.date(2022, 6, 30)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    d = tmp_path / "data"
    (d / "progres" / "2022-05-20").mkdir(parents=True)
    write_lokasi(d / "lokasi.xlsx")
    write_progres(d / "progres" / "2022-05-20" / "bali.xlsx")
    return d


def same(a, b) -> None:
    for name in ("lokasi", "progres", "temuan"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name))
    assert [f.as_dict() for f in a.files] == [f.as_dict() for f in b.files]
    assert a.errors == b.errors and a.warnings == b.warnings and a.unreadable == b.unreadable
    assert (a.errors_total, a.warnings_total, a.ignored) == (b.errors_total, b.warnings_total, b.ignored)
    assert a.lokasi_missing_columns == b.lokasi_missing_columns


def test_hit_equals_a_fresh_load(data_dir: Path, tmp_path: Path, mini_schedule) -> None:
    cache = tmp_path / "cache"
    fresh = load_data([data_dir], mini_schedule, today=TODAY)
    first = load_data([data_dir], mini_schedule, today=TODAY, cache_dir=cache)
    second = load_data([data_dir], mini_schedule, today=TODAY, cache_dir=cache)
    assert "cache" not in first.timings and "cache" in second.timings  # the second came from the cache
    same(fresh, first)
    same(fresh, second)
    assert len([p for p in cache.iterdir() if not p.name.startswith(".")]) == 1


def test_a_changed_file_or_setting_misses(data_dir: Path, tmp_path: Path, mini_schedule) -> None:
    cache = tmp_path / "cache"
    load_data([data_dir], mini_schedule, today=TODAY, cache_dir=cache)
    path = data_dir / "progres" / "2022-05-20" / "bali.xlsx"
    wb = openpyxl.load_workbook(path)
    wb.active["C9"] = "51.04.09"  # the province row now names an unknown location
    wb.save(path)
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))
    changed = load_data([data_dir], mini_schedule, today=TODAY, cache_dir=cache)
    assert "cache" not in changed.timings
    assert any(i.cell == "C9" and i.code == "location-unknown" for i in changed.errors)
    # Another "today" is another result (a report date can become a future one).
    other_day = load_data([data_dir], mini_schedule, today=dt.date(2022, 5, 1), cache_dir=cache)
    assert "cache" not in other_day.timings


def test_broken_entry_falls_back_and_rejects_bypass(data_dir: Path, tmp_path: Path, mini_schedule) -> None:
    cache = tmp_path / "cache"
    load_data([data_dir], mini_schedule, today=TODAY, cache_dir=cache)
    (entry,) = [p for p in cache.iterdir() if not p.name.startswith(".")]
    (entry / "progres.parquet").write_bytes(b"not parquet")
    again = load_data([data_dir], mini_schedule, today=TODAY, cache_dir=cache)
    assert "cache" not in again.timings and len(again.progres) == 3
    assert "cache" in load_data([data_dir], mini_schedule, today=TODAY, cache_dir=cache).timings  # rebuilt
    rejects = load_data([data_dir], mini_schedule, today=TODAY, cache_dir=cache, collect_rejects=True)
    assert rejects.rejected  # the rows as written need the workbooks themselves
