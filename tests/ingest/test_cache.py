"""The load cache: a hit gives exactly what a fresh load gives, and any change to the inputs misses; per file, only
new and changed files are read again, and an entry that is not whole is rebuilt with a note."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from pkp_cli.ingest.load import load_data
from tests.factories import ROOT, write_lokasi, write_progres

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
    assert a.lokasi_rejected == b.lokasi_rejected


def test_hit_equals_a_fresh_load(data_dir: Path, tmp_path: Path, mini_schedule) -> None:
    cache = tmp_path / "cache"
    fresh = load_data([data_dir], mini_schedule, today=TODAY)
    first = load_data([data_dir], mini_schedule, today=TODAY, cache_dir=cache)
    second = load_data([data_dir], mini_schedule, today=TODAY, cache_dir=cache)
    assert "cache" not in first.timings and "cache" in second.timings  # the second came from the cache
    same(fresh, first)
    same(fresh, second)
    assert first.parsed == [str(data_dir / "lokasi.xlsx"), str(data_dir / "progres" / "2022-05-20" / "bali.xlsx")]
    assert second.parsed == []  # nothing was read from a workbook
    names = sorted(p.name for p in cache.iterdir() if not p.name.startswith("."))
    # One load entry (the whole result) and one entry per file.
    assert [n.split("-")[1] for n in names] == ["file", "file", "load"]


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
    (entry,) = [p for p in cache.iterdir() if p.name.startswith("pkp-load-")]
    (entry / "progres.arrow").write_bytes(b"not arrow")
    again = load_data([data_dir], mini_schedule, today=TODAY, cache_dir=cache)
    assert "cache" not in again.timings and len(again.progres) == 3
    assert "cache" in load_data([data_dir], mini_schedule, today=TODAY, cache_dir=cache).timings  # rebuilt
    rejects = load_data([data_dir], mini_schedule, today=TODAY, cache_dir=cache, collect_rejects=True)
    assert rejects.rejected  # the rows as written need the workbooks themselves


def test_frames_are_read_on_first_use_and_one_not_whole_loads_again(
    data_dir: Path, tmp_path: Path, mini_schedule, capsys: pytest.CaptureFixture[str]
) -> None:
    """A hit reads its frames only when used (a warm national status needs none); a frame whose file opens (its
    schema and footer are whole) but whose rows cannot be read is noted and comes from the workbooks again."""
    cache = tmp_path / "cache"
    fresh = load_data([data_dir], mini_schedule, today=TODAY, cache_dir=cache)
    (entry,) = [p for p in cache.iterdir() if p.name.startswith("pkp-load-")]
    path = entry / "progres.arrow"
    body = bytearray(path.read_bytes())
    footer = int.from_bytes(body[-10:-6], "little")  # Arrow file: ..., footer, its int32 length, "ARROW1"
    body[8 : len(body) - 10 - footer] = b"\xff" * (len(body) - 18 - footer)  # the messages between, not the footer
    path.write_bytes(bytes(body))
    capsys.readouterr()
    warm = load_data([data_dir], mini_schedule, today=TODAY, cache_dir=cache)
    assert "cache" in warm.timings and not {"lokasi", "progres", "temuan"} & set(vars(warm))  # none read yet
    # The report dates come with the entry: the newest dated report (20 May) without the progress frame.
    assert warm.dated_reports == ["2022-05-20T00:00:00"] and warm.report_years == [2022]
    assert capsys.readouterr().err == ""
    same(fresh, warm)  # reading progres fails here: noted, and the load made again
    assert "corrupt, rebuilt" in capsys.readouterr().err
    again = load_data([data_dir], mini_schedule, today=TODAY, cache_dir=cache)
    assert "cache" in again.timings  # the entry was written again, whole
    same(fresh, again)
    assert capsys.readouterr().err == ""


def test_an_entry_pruned_by_another_run_while_in_use_is_reloaded_and_said_so(
    data_dir: Path, tmp_path: Path, mini_schedule, capsys: pytest.CaptureFixture[str]
) -> None:
    # Another pkp process may prune a load entry (8 newer loads) while this run has not read its frames yet: the
    # frames come from the workbooks again, and the note says why, not "corrupt".
    import shutil

    cache = tmp_path / "cache"
    fresh = load_data([data_dir], mini_schedule, today=TODAY, cache_dir=cache)
    warm = load_data([data_dir], mini_schedule, today=TODAY, cache_dir=cache)
    assert "cache" in warm.timings and "progres" not in vars(warm)  # the entry is open, its frames not read
    (entry,) = [p for p in cache.iterdir() if p.name.startswith("pkp-load-")]
    shutil.rmtree(entry)
    capsys.readouterr()
    same(fresh, warm)
    err = capsys.readouterr().err
    assert "removed by another pkp run, reloaded" in err and "corrupt" not in err, err


def _another_week(data_dir: Path) -> Path:
    """bali.xlsx as the report of 27 May (another title date, so not a byte-identical copy)."""
    target = data_dir / "progres" / "2022-05-27" / "bali.xlsx"
    target.parent.mkdir(parents=True)
    wb = openpyxl.load_workbook(data_dir / "progres" / "2022-05-20" / "bali.xlsx")
    wb.active["B4"] = "Keadaan s.d. 27 Mei 2022"
    wb.save(target)
    return target


def _touch(path: Path) -> None:
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))


def test_a_changed_or_new_file_is_read_alone(data_dir: Path, tmp_path: Path, mini_schedule) -> None:
    cache = tmp_path / "cache"
    week2 = _another_week(data_dir)
    first = load_data([data_dir], mini_schedule, today=TODAY, cache_dir=cache)
    assert len(first.parsed) == 3
    # Week 2 changes: its province row (C9) names an unknown location. Only week 2 is read again, and the
    # result equals a load without the cache.
    wb = openpyxl.load_workbook(week2)
    wb.active["C9"] = "51.04.09"
    wb.save(week2)
    _touch(week2)
    changed = load_data([data_dir], mini_schedule, today=TODAY, cache_dir=cache)
    assert changed.parsed == [str(week2)]
    same(changed, load_data([data_dir], mini_schedule, today=TODAY))
    assert any(i.file == str(week2) and i.cell == "C9" and i.code == "location-unknown" for i in changed.errors)
    # A new week's file: only it is read.
    week3 = data_dir / "progres" / "2022-06-03" / "bali.xlsx"
    week3.parent.mkdir()
    wb.active["B4"] = "Keadaan s.d. 3 Juni 2022"
    wb.save(week3)
    added = load_data([data_dir], mini_schedule, today=TODAY, cache_dir=cache)
    assert added.parsed == [str(week3)]
    same(added, load_data([data_dir], mini_schedule, today=TODAY))


def test_cross_file_checks_run_again_on_cached_files(data_dir: Path, tmp_path: Path, mini_schedule) -> None:
    """Only the location workbook changes; the unchanged progress file, taken from its entry, is checked anew."""
    cache = tmp_path / "cache"
    fresh = load_data([data_dir], mini_schedule, today=TODAY, cache_dir=cache)
    assert not any(i.code == "location-unknown" and i.cell == "C10" for i in fresh.errors)
    lokasi = data_dir / "lokasi.xlsx"
    wb = openpyxl.load_workbook(lokasi)
    wb["PISEW"].delete_rows(2)  # 51.04.01 (Sukawati) is no longer a location
    wb.save(lokasi)
    _touch(lokasi)
    again = load_data([data_dir], mini_schedule, today=TODAY, cache_dir=cache)
    assert again.parsed == [str(lokasi)]
    # bali.xlsx row 10 names 51.04.01: now rejected, at its cell, though bali.xlsx came from the cache.
    assert any(i.code == "location-unknown" and i.cell == "C10" for i in again.errors)
    same(again, load_data([data_dir], mini_schedule, today=TODAY))


@pytest.mark.parametrize("damage", ["garbage", "truncated", "another-table"])
def test_a_file_entry_not_whole_is_rebuilt_with_a_note(
    data_dir: Path, tmp_path: Path, mini_schedule, capsys: pytest.CaptureFixture[str], damage: str
) -> None:
    import pyarrow as pa

    from pkp_cli.ingest import cache as cache_mod

    cache = tmp_path / "cache"
    load_data([data_dir], mini_schedule, today=TODAY, cache_dir=cache)
    entries = sorted(cache.glob("pkp-file-*"))
    assert len(entries) == 2
    for entry in entries:
        data = entry.read_bytes()
        if damage == "garbage":
            entry.write_bytes(cache_mod.FILE_MAGIC + b"\x00" * 40)
        elif damage == "truncated":
            entry.write_bytes(data[: len(data) // 2])
        else:  # whole and readable, but not records: a table without _sid, _grp, _src, _row
            header = {"shown": "x", "digest": "0", "reports": [], "ignored_sheets": [], "file_warnings": []}
            header |= {"missing_columns": [], "kinds": {"progres": {"members": []}}}
            cache_mod.save_file(
                cache, entry.name[len("pkp-file-") : -len(".pkpc")], header, {"progres": pa.table({"a": [1]})}
            )
    capsys.readouterr()
    # Another "today": the whole-load entry misses, so the file entries are asked for.
    other = dt.date(2022, 6, 29)
    rebuilt = load_data([data_dir], mini_schedule, today=other, cache_dir=cache)
    err = capsys.readouterr().err
    assert err.count("corrupt, rebuilt") == 2, err
    assert len(rebuilt.parsed) == 2
    same(rebuilt, load_data([data_dir], mini_schedule, today=other))
    # Rebuilt: the next load reads no workbook.
    again = load_data([data_dir], mini_schedule, today=dt.date(2022, 6, 28), cache_dir=cache)
    assert again.parsed == [] and "corrupt" not in capsys.readouterr().err


def test_a_file_entry_holds_only_its_own_rows(tmp_path: Path) -> None:
    """Files read in one batch are kept each with its own rows, not a slice that carries the batch's buffers:
    the sample's wide-form workbooks (Jawa Tengah, Kalimantan Barat; 39 and 63 records) once took 1.2 MB each,
    and a year of weekly folders took over 1 GB."""
    from pkp_cli.ingest import cache as cache_mod
    from pkp_cli.model.schedule import load_schedule

    schedule = load_schedule(ROOT / "schedules" / "jadwal-nasional-2022.yaml")
    store = tmp_path / "cache"
    load_data([ROOT / "data"], schedule, today=dt.date(2022, 12, 31), cache_dir=store)
    per_row = []
    for entry in store.glob("pkp-file-*.pkpc"):
        header, tables = cache_mod.load_file(store, entry.name[len("pkp-file-") : -len(".pkpc")])
        rows = sum(t.num_rows for t in tables.values())
        per_row.append((entry.stat().st_size / max(rows, 1), header["shown"]))
    assert len(per_row) == 67  # every workbook of the sample has its entry
    # About 500 bytes a record (raw and parsed values of ~20 columns); 2 KB leaves room, 1.2 MB / 39 does not.
    assert max(per_row)[0] < 2_000, max(per_row)


def test_a_copy_of_a_cached_file_is_still_found(data_dir: Path, tmp_path: Path, mini_schedule) -> None:
    """Files of a size no other file has are not hashed (nothing can be their copy), so their entries may hold
    no digest; a byte-identical copy that turns up later is still found and skipped."""
    cache = tmp_path / "cache"
    src = data_dir / "progres" / "2022-05-20" / "bali.xlsx"
    load_data([data_dir], mini_schedule, today=TODAY, cache_dir=cache)
    copy = data_dir / "progres" / "salinan" / "bali.xlsx"
    copy.parent.mkdir()
    copy.write_bytes(src.read_bytes())
    again = load_data([data_dir], mini_schedule, today=TODAY, cache_dir=cache)
    assert (str(copy), "duplicate-file") in again.ignored
    assert any(w.code == "file-duplicate" and w.file == str(copy) for w in again.warnings)
    assert again.parsed == []  # the original came from its entry, the copy was not read
    same(again, load_data([data_dir], mini_schedule, today=TODAY))


def test_a_deferred_load_entry_holds_the_load_as_it_was_saved(
    data_dir: Path, tmp_path: Path, mini_schedule, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The load entry's frames become Arrow tables and its issues JSON on the writing thread (ingest/cache.py, `save`),
    # while the command goes on with the result: a change the command makes to its frames or lists of issues after
    # the save must not reach the entry (shallow copies under copy-on-write, copied lists).
    from pkp_cli.ingest import background
    from pkp_cli.model.issues import Issue

    cache = tmp_path / "cache"
    fresh = load_data([data_dir], mini_schedule, today=TODAY)
    # A write as small as this one is done at the block's end (background.SMALL_WRITE_BYTES), a bigger one on a
    # thread: each starts a second late. Either way after the changes.
    monkeypatch.setenv("PKP_TEST_WRITE_DELAY", "1")
    with background.deferring():
        result = load_data([data_dir], mini_schedule, today=TODAY, cache_dir=cache)
        assert not list(cache.glob("pkp-load-*"))  # not written yet
        result.progres.loc[result.progres.index[0], "progres_persen"] = 999.0  # in place, as `.loc` writes
        result.lokasi.loc[result.lokasi.index[0], "nama_lokasi"] = "changed"
        result.warnings.append(Issue("x.xlsx", None, None, None, None, None, "file-empty"))
        result.files.clear()
    monkeypatch.delenv("PKP_TEST_WRITE_DELAY")
    hit = load_data([data_dir], mini_schedule, today=TODAY, cache_dir=cache)
    assert "cache" in hit.timings
    same(fresh, hit)
    assert 999.0 not in set(hit.progres["progres_persen"]) and "changed" not in set(hit.lokasi["nama_lokasi"])


def test_the_day_in_the_key_is_the_sessions_under_the_tests(
    data_dir: Path, tmp_path: Path, mini_schedule, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A load without a given day takes today, which is part of its cache key; the tests hold one day for their whole
    session (PKP_TEST_TODAY, tests/conftest.py), so runs that straddle midnight still share their entries."""
    from pkp_cli.ingest import cached

    store = tmp_path / "cache"
    monkeypatch.setenv("PKP_TEST_TODAY", "2022-06-01")
    load_data([data_dir], mini_schedule, cache_dir=store)
    assert "cache" in load_data([data_dir], mini_schedule, cache_dir=store).timings  # the same day: the entry
    monkeypatch.setenv("PKP_TEST_TODAY", "2022-06-02")
    assert "cache" not in load_data([data_dir], mini_schedule, cache_dir=store).timings  # the next day: another key
    assert cached._today() == dt.date(2022, 6, 2)
    monkeypatch.setenv("PKP_TEST_TODAY", "2 Juni 2022")  # no ISO date: the real day
    assert cached._today() == dt.date.today()
