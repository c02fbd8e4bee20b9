"""The parse made while the last file is still being read (ingest/load.py, `_Ahead`): a kind's batch parsed from
the files read by then is used only when no later file holds a sheet of that kind, and a load gives exactly what
it gives without parsing ahead (frames, errors, warnings and their order, the readers' own findings, the
accounting, the rejected rows). Also the columns factorised one ahead on a helper thread (sheets._Factorizer)."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from pkp_cli.ingest import load, sheets
from pkp_cli.ingest.sheets import SheetRecords
from pkp_cli.model import regions
from pkp_cli.model.regions import PARTIAL_KECAMATAN
from tests.factories import write_lokasi

HEADER = "Kode Lokasi;Program;Tahapan;Tanggal Mulai;Tanggal Selesai;Progres (%);Tanggal Laporan;Keterangan\n"
# Good rows and rows with errors of several columns (a bad code, an unknown stage, a date that is not one, a
# percent out of range, a duplicate) and, last, a quote never closed (a reader problem, turned into an error at
# its record by apply_reader_problems).
ROWS = [
    "51.04.01;PISEW;L1;02/04/2022;10/05/2022;100;30/06/2022;a",
    "51.04.01;PISEW;L2;03/05/2022;;40;30/06/2022;b",
    "51.04.01;PISEW;L2;03/05/2022;;40;30/06/2022;b",
    "51.04.99;PISEW;L1;02/04/2022;;10;30/06/2022;unknown location",
    "5104;PISEW;L1;02/04/2022;;10;30/06/2022;code too short",
    "51.04.01;PISEW;ZZ;02/04/2022;;10;30/06/2022;unknown stage",
    "51.04.01;PISEW;L3;31/02/2022;;10;30/06/2022;no such day",
    "51.04.01;PISEW;L3;01/07/2022;;140;30/06/2022;percent over",
    "51;PISEW;P1;01/03/2022;;50;30/06/2022;province row",
    '51.04.01;PISEW;L3;01/07/2022;;5;30/06/2022;"open',
]


def _write(folder: Path, rows: list[str], name: str = "progres.csv") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def threaded(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two reading threads for files of any size (the bench's files are big; these are a few hundred bytes)."""
    monkeypatch.setattr(load, "THREADS_MIN_FILE_BYTES", 0)


def _last_read_waits_for_the_parse(monkeypatch: pytest.MonkeyPatch, last: str) -> dict[str, Any]:
    """Make the file named `last` the one still being read: its sheets are made only once the parse ahead of the
    others is done (so the test does not depend on which thread is faster). Returns what `take` gave per kind."""
    parsed = threading.Event()
    real_read, real_parse, real_take = load.read_sheets, load._Ahead.parse, load._Ahead.take
    taken: dict[str, Any] = {}

    def read_sheets(path: Path, *args: Any) -> Any:
        if path.name == last:
            assert parsed.wait(30), "the parse ahead never ran"
        return real_read(path, *args)

    def parse(self: Any, outcomes: Any) -> None:
        try:
            real_parse(self, outcomes)
        finally:
            parsed.set()

    def take(self: Any, kind: str, members: list[SheetRecords], wait: bool = True) -> Any:
        got = real_take(self, kind, members, wait)
        taken[kind] = got
        return got

    monkeypatch.setattr(load, "read_sheets", read_sheets)
    monkeypatch.setattr(load._Ahead, "parse", parse)
    monkeypatch.setattr(load._Ahead, "take", take)
    return taken


def _facts(res: Any) -> Any:
    return (
        [(i.file, i.code, i.params) for i in res.unreadable],
        [f.as_dict() for f in res.files],
        [(i.file, i.sheet, i.row, i.cell, i.column, i.value, i.code, i.params, i.kode_provinsi) for i in res.errors],
        [(i.file, i.sheet, i.row, i.cell, i.column, i.value, i.code, i.params, i.kode_provinsi) for i in res.warnings],
        res.ignored,
        res.errors_total,
        res.warnings_total,
        res.lokasi_rejected,
        sorted(res.lokasi_missing_columns),
    )


def _same_loads(a: Any, b: Any, rejected: bool = True) -> None:
    assert _facts(a) == _facts(b)
    for frame in ("lokasi", "progres", "temuan"):
        pd.testing.assert_frame_equal(getattr(a, frame), getattr(b, frame), check_exact=True)
    if rejected:  # (collected only without the cache)
        assert repr(a.rejected) == repr(b.rejected)  # the rejected rows as written, with their reasons
        assert a.rejected  # (the fixtures reject rows)


def _both_ways(monkeypatch: pytest.MonkeyPatch, paths: list[Path], schedule: Any, last: str) -> tuple[Any, Any, Any]:
    today = dt.date(2022, 6, 30)
    taken = _last_read_waits_for_the_parse(monkeypatch, last)
    ahead = load.load_data(paths, schedule, today=today, collect_rejects=True)
    monkeypatch.setattr(load, "PARSE_AHEAD", False)
    plain = load.load_data(paths, schedule, today=today, collect_rejects=True)
    return ahead, plain, taken


def test_the_progress_batch_parsed_while_the_location_workbook_is_read_is_the_one_used(
    tmp_path: Path, mini_schedule: Any, monkeypatch: pytest.MonkeyPatch, threaded: None
) -> None:
    data = tmp_path / "data"
    _write(data, ROWS)
    write_lokasi(data / "zz-lokasi.xlsx")  # discovered (and started) after the CSV
    ahead, plain, taken = _both_ways(monkeypatch, [data], mini_schedule, "zz-lokasi.xlsx")
    assert taken["progres"] is not None  # the batch parsed ahead was used, not parsed again
    # The location workbook was the one still read: its batch was parsed once it was read, on a thread of its own
    # beside the progress parse (`parse_rest_when_read`), and used.
    assert taken["lokasi"] is not None
    _same_loads(ahead, plain)
    # The fixture holds what it says (by hand from ROWS): of ten rows, 3 load, 1 is a duplicate, 6 are rejected
    # (the unknown location, the short code, the stage, the day, the percent, the quote).
    progres = [(i.row, i.code) for i in ahead.errors if i.file.endswith("progres.csv")]
    assert progres == [
        (5, "location-unknown"),
        (6, "location-unknown"),
        (7, "stage-unknown"),
        (8, "date-nonexistent"),
        (9, "date-after-report"),
        (9, "percent-range"),
        (11, "date-after-report"),
        (11, "csv-quote-unclosed"),
    ]
    sheet = ahead.files[0].sheets[0]
    assert (sheet.rows_loaded, sheet.duplicates, sheet.rows_rejected) == (3, 1, 6)


def test_the_location_batch_is_parsed_ahead_when_the_progress_file_is_read_last(
    tmp_path: Path, mini_schedule: Any, monkeypatch: pytest.MonkeyPatch, threaded: None
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    write_lokasi(data / "lokasi.xlsx")
    _write(data, ROWS)
    ahead, plain, taken = _both_ways(monkeypatch, [data], mini_schedule, "progres.csv")
    # (The progress file's batch too, once it is read: on a thread of its own, `parse_rest_when_read`.)
    assert taken["lokasi"] is not None and taken["progres"] is not None
    _same_loads(ahead, plain)


def test_a_guess_proved_wrong_is_thrown_away(
    tmp_path: Path, mini_schedule: Any, monkeypatch: pytest.MonkeyPatch, threaded: None
) -> None:
    """The last file holds progress rows too: the batch parsed from the first alone is not used (the batch of
    both is parsed as always), and nothing of the guess shows."""
    data = tmp_path / "data"
    _write(data, ROWS[:5], "a-progres.csv")
    _write(data, [*ROWS[5:], "51.04.01;PISEW;L1;02/04/2022;10/05/2022;100;30/06/2022;another file"], "b-progres.csv")
    write_lokasi(tmp_path / "lokasi.xlsx")
    paths = [data / "a-progres.csv", data / "b-progres.csv", tmp_path / "lokasi.xlsx"]
    ahead, plain, taken = _both_ways(monkeypatch, paths, mini_schedule, "b-progres.csv")
    assert taken["progres"] is None  # parsed ahead from a-progres.csv alone, then thrown away
    _same_loads(ahead, plain)
    assert {Path(i.file).name for i in ahead.errors} == {"a-progres.csv", "b-progres.csv", "lokasi.xlsx"}


@pytest.mark.parametrize(("kecamatan", "read_early"), [(PARTIAL_KECAMATAN + 1, True), (PARTIAL_KECAMATAN, False)])
def test_the_region_reference_is_read_while_the_location_workbook_is_read_when_it_will_be_needed_whole(
    tmp_path: Path,
    mini_schedule: Any,
    monkeypatch: pytest.MonkeyPatch,
    threaded: None,
    kecamatan: int,
    read_early: bool,
) -> None:
    """Progress rows naming desa in more kecamatan than `reference_for` looks up one by one (PARTIAL_KECAMATAN):
    the whole reference is read during the parse ahead; at PARTIAL_KECAMATAN exactly, not (the boundary of
    `reference_for`'s own rule). Either way the load is the same as without parsing ahead."""
    ref = regions.reference()
    heads = sorted({c[:9] for c in ref if len(c) > 9})[:kecamatan]
    first_desa = {}
    for c in sorted(ref):
        if len(c) > 9 and c[:9] in heads and c[:9] not in first_desa:
            first_desa[c[:9]] = c
    assert len(first_desa) == kecamatan
    data = tmp_path / "data"
    _write(data, [f"{c};KOTAKU;K1;02/04/2022;;10;30/06/2022;x" for c in first_desa.values()])
    write_lokasi(data / "zz-lokasi.xlsx")
    regions.reference.cache_clear()
    seen: list[int] = []
    real_parse = load._Ahead.parse

    def parse(self: Any, outcomes: Any) -> None:
        real_parse(self, outcomes)
        seen.append(regions.reference.cache_info().currsize)  # right after the parse ahead, before the last read

    monkeypatch.setattr(load._Ahead, "parse", parse)
    ahead, plain, taken = _both_ways(monkeypatch, [data], mini_schedule, "zz-lokasi.xlsx")
    assert taken["progres"] is not None
    assert seen == [1 if read_early else 0]
    _same_loads(ahead, plain)


def test_columns_factorised_on_a_second_thread_parse_as_on_one(
    tmp_path: Path, mini_schedule: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A big batch's text columns are factorised one column ahead on a helper thread (sheets._Factorizer); the
    load is the same as with every column factorised by the parse itself."""
    data = tmp_path / "data"
    _write(data, ROWS)
    write_lokasi(data / "lokasi.xlsx")
    threads: list[str] = []
    real = sheets._factorize

    def spy(raw: Any) -> Any:
        threads.append(threading.current_thread().name)
        return real(raw)

    monkeypatch.setattr(sheets, "_factorize", spy)
    today = dt.date(2022, 6, 30)
    monkeypatch.setattr(sheets, "FACTORIZE_AHEAD_ROWS", 1)  # every batch counts as big
    ahead = load.load_data([data], mini_schedule, today=today, collect_rejects=True)
    on_helper = [t for t in threads if t.startswith("pkp-factorize")]
    # Each text column the contract parses through its distinct values, once: the location sheets' code, program,
    # provinsi, kabupaten_kota, kecamatan, kelurahan_desa (the KOTAKU sheet's), the two yes/no columns, kinerja and
    # the amount (10); the progress file's code, program, stage, three dates, the remark and the percent (8: its
    # own parse takes the factorisation made there too).
    assert len(on_helper) == 18
    threads.clear()
    monkeypatch.setattr(sheets, "FACTORIZE_AHEAD_ROWS", 10**12)
    plain = load.load_data([data], mini_schedule, today=today, collect_rejects=True)
    assert not any(t.startswith("pkp-factorize") for t in threads)
    _same_loads(ahead, plain)


def test_the_last_files_kinds_are_parsed_on_their_own_thread_beside_the_parse_ahead(
    tmp_path: Path, mini_schedule: Any, monkeypatch: pytest.MonkeyPatch, threaded: None
) -> None:
    """The location workbook read last: its batch is parsed on a thread of its own once it is read (while the
    main thread still parses the progress batch), and the load is the same as without parsing ahead."""
    data = tmp_path / "data"
    _write(data, ROWS)
    write_lokasi(data / "zz-lokasi.xlsx")
    where: list[tuple[str, str]] = []
    real = load._parse_batch

    def parse_batch(members: list[SheetRecords], kind: str, *lock: Any) -> Any:
        where.append((kind, threading.current_thread().name))
        return real(members, kind, *lock)

    monkeypatch.setattr(load, "_parse_batch", parse_batch)
    ahead, plain, taken = _both_ways(monkeypatch, [data], mini_schedule, "zz-lokasi.xlsx")
    assert taken["lokasi"] is not None and taken["progres"] is not None
    assert where[:2] == [("progres", "MainThread"), ("lokasi", "pkp-parse-rest")]  # the load parsing ahead
    assert where[2:] == [("lokasi", "MainThread"), ("progres", "MainThread")]  # the load without
    _same_loads(ahead, plain)


def test_a_failure_of_the_parse_beside_is_met_again_on_the_main_thread(
    tmp_path: Path, mini_schedule: Any, monkeypatch: pytest.MonkeyPatch, threaded: None
) -> None:
    """Whatever goes wrong in the last file's parse on its own thread is dropped there: the main thread parses
    that batch itself (and would raise there what it raises); nothing of the failure shows in the load."""
    data = tmp_path / "data"
    _write(data, ROWS)
    write_lokasi(data / "zz-lokasi.xlsx")
    real = load._parse_batch

    def parse_batch(members: list[SheetRecords], kind: str, *lock: Any) -> Any:
        if threading.current_thread().name == "pkp-parse-rest":
            raise ValueError("a failure beside")
        return real(members, kind, *lock)

    monkeypatch.setattr(load, "_parse_batch", parse_batch)
    ahead, plain, taken = _both_ways(monkeypatch, [data], mini_schedule, "zz-lokasi.xlsx")
    assert taken["progres"] is not None and taken["lokasi"] is None  # parsed again, on the main thread
    _same_loads(ahead, plain)


def test_one_sheets_columns_are_factorised_while_its_batch_is_combined(
    tmp_path: Path, mini_schedule: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A batch of one big sheet (a CSV): the helper thread's first factorisation is started from the sheet's own
    records before `combine` (sheets.factorizing_ahead), and the load is the same as with the factorisations
    made after it."""
    data = tmp_path / "data"
    _write(data, ROWS)
    write_lokasi(data / "lokasi.xlsx")
    started = threading.Event()
    before_combine: list[bool] = []
    real_factorize, real_combine = sheets._factorize, load.combine

    def spy(raw: Any) -> Any:
        started.set()
        return real_factorize(raw)

    def combine(members: list[SheetRecords]) -> Any:
        if members[0].layout.kind == "progres":
            before_combine.append(started.wait(5))  # (without it, nothing is factorised before combine returns)
        return real_combine(members)

    monkeypatch.setattr(sheets, "_factorize", spy)
    monkeypatch.setattr(load, "combine", combine)
    monkeypatch.setattr(sheets, "FACTORIZE_AHEAD_ROWS", 1)
    today = dt.date(2022, 6, 30)
    ahead = load.load_data([data / "progres.csv"], mini_schedule, today=today, collect_rejects=True)
    assert before_combine == [True]
    monkeypatch.setattr(sheets, "FACTORIZE_AHEAD_ROWS", 10**12)
    monkeypatch.setattr(sheets, "_factorize", real_factorize)
    plain = load.load_data([data / "progres.csv"], mini_schedule, today=today, collect_rejects=True)
    _same_loads(ahead, plain)


def test_the_location_parse_runs_beside_the_reference_read_and_only_its_region_checks_wait(
    tmp_path: Path, mini_schedule: Any, monkeypatch: pytest.MonkeyPatch, threaded: None
) -> None:
    """The location workbook's batch, parsed on a thread of its own once it is read, holds the region reference's
    lock for its region checks only: its parse runs beside a `_warm_reference` under way on the main thread (the
    whole parse waiting for it cost up to 0.14 s on the bench's CSV validate), while the reference is still read
    by one thread at a time. The load is the same as without parsing ahead."""
    data = tmp_path / "data"
    _write(data, ROWS)
    write_lokasi(data / "zz-lokasi.xlsx")
    held: dict[str, list[bool]] = {"parse": [], "regions": []}
    real_parse, real_regions = load.parse_records, load.check_lokasi_regions
    locks: list[Any] = []
    real_init = load._Ahead.__init__

    def init(self: Any, files: Any) -> None:
        real_init(self, files)
        locks.append(self._reference_lock)

    def parse_records(rec: Any, kind: str, *args: Any) -> Any:
        if kind == "lokasi" and threading.current_thread().name == "pkp-parse-rest":
            held["parse"].append(locks[-1].locked())
        return real_parse(rec, kind, *args)

    def check_lokasi_regions(*args: Any) -> Any:
        if threading.current_thread().name == "pkp-parse-rest":
            held["regions"].append(locks[-1].locked())
        return real_regions(*args)

    monkeypatch.setattr(load._Ahead, "__init__", init)
    monkeypatch.setattr(load, "parse_records", parse_records)
    monkeypatch.setattr(load, "check_lokasi_regions", check_lokasi_regions)
    ahead, plain, taken = _both_ways(monkeypatch, [data], mini_schedule, "zz-lokasi.xlsx")
    assert taken["lokasi"] is not None  # parsed on the rest thread, and used
    assert held == {"parse": [False], "regions": [True]}
    _same_loads(ahead, plain)


def test_the_progress_files_cache_entry_is_written_while_the_location_batch_is_parsed(
    tmp_path: Path, mini_schedule: Any, monkeypatch: pytest.MonkeyPatch, threaded: None
) -> None:
    """With the cache on, the progress file's entry (the big CSV's, a third of a second of compression) is made and
    written as soon as its batch, parsed ahead on the main thread, is taken: while the location batch is still
    parsed on the rest thread, not after it. The entries are the same as without parsing ahead (header and tables),
    and a second load, from those entries, is the same load."""
    from pkp_cli.ingest import cache

    data = tmp_path / "data"
    _write(data, ROWS)
    write_lokasi(data / "zz-lokasi.xlsx")
    progress_written = threading.Event()
    events: list[str] = []
    saved: list[list[Any]] = []
    real_save, real_parse = cache.save_files, load._parse_batch

    def save_files(folder: Path, entries: list[Any], *args: Any) -> None:
        shown = sorted(Path(header["shown"]).name for _key, header, _tables in entries)
        events.append("written " + " ".join(shown))
        # (save_files takes each entry off the list it is given, and empties its tables once serialised)
        saved.append([(key, header, dict(tables)) for key, header, tables in entries])
        if "progres.csv" in shown:
            progress_written.set()
        real_save(folder, entries, *args)

    def parse_batch(members: list[SheetRecords], kind: str, *lock: Any) -> Any:
        got = real_parse(members, kind, *lock)
        if threading.current_thread().name == "pkp-parse-rest":
            # Held until the progress entry is written (at most 10 s: the old order, writing every entry after
            # this parse, waits that long and then fails below).
            events.append("location parse done" if progress_written.wait(10) else "location parse timed out")
        return got

    monkeypatch.setattr(cache, "save_files", save_files)
    monkeypatch.setattr(load, "_parse_batch", parse_batch)
    taken = _last_read_waits_for_the_parse(monkeypatch, "zz-lokasi.xlsx")
    today = dt.date(2022, 6, 30)
    ahead = load.load_data([data], mini_schedule, today=today, cache_dir=tmp_path / "c1")
    assert taken["progres"] is not None and taken["lokasi"] is not None
    assert events == ["written progres.csv", "location parse done", "written zz-lokasi.xlsx"]
    monkeypatch.setattr(load, "PARSE_AHEAD", False)
    plain = load.load_data([data], mini_schedule, today=today, cache_dir=tmp_path / "c2")
    assert events[3:] == ["written progres.csv zz-lokasi.xlsx"]  # one write of both, after both parses

    def entries(writes: list[list[Any]]) -> dict[str, Any]:
        return {header["shown"]: (header, tables) for write in writes for _key, header, tables in write}

    early, late = entries(saved[:2]), entries(saved[2:])
    assert early.keys() == late.keys()
    assert {Path(shown).name for shown in early} == {"progres.csv", "zz-lokasi.xlsx"}
    for shown, (header, tables) in early.items():
        assert header == late[shown][0]
        assert tables and tables.keys() == late[shown][1].keys()
        assert all(tables[k].equals(late[shown][1][k]) for k in tables)
    _same_loads(ahead, plain, rejected=False)
    # Another day: the load's own entry misses, every file comes from its entry written above.
    monkeypatch.setattr(load, "PARSE_AHEAD", True)
    later = dt.date(2022, 7, 1)
    again = load.load_data([data], mini_schedule, today=later, cache_dir=tmp_path / "c1")
    assert again.parsed == []
    _same_loads(again, load.load_data([data], mini_schedule, today=later), rejected=False)


def test_a_guess_proved_wrong_with_the_cache_on_writes_every_entry_once(
    tmp_path: Path, mini_schedule: Any, monkeypatch: pytest.MonkeyPatch, threaded: None
) -> None:
    """The progress batch parsed ahead from the first file is thrown away (the last file holds progress rows too)
    while the cache is on: the batch of both is parsed on the main thread before the rest thread is waited for,
    each file's entry is written once, and the load (and a second one from the entries) is the load made without
    parsing ahead."""
    from pkp_cli.ingest import cache

    data = tmp_path / "data"
    _write(data, ROWS[:5], "a-progres.csv")
    _write(data, [*ROWS[5:], "51.04.01;PISEW;L1;02/04/2022;10/05/2022;100;30/06/2022;another file"], "b-progres.csv")
    write_lokasi(tmp_path / "lokasi.xlsx")
    paths = [data / "a-progres.csv", data / "b-progres.csv", tmp_path / "lokasi.xlsx"]
    written: list[str] = []
    real_save = cache.save_files

    def save_files(folder: Path, entries: list[Any], *args: Any) -> None:
        written.extend(Path(header["shown"]).name for _key, header, _tables in entries)
        real_save(folder, entries, *args)

    monkeypatch.setattr(cache, "save_files", save_files)
    taken = _last_read_waits_for_the_parse(monkeypatch, "b-progres.csv")
    today = dt.date(2022, 6, 30)
    ahead = load.load_data(paths, mini_schedule, today=today, cache_dir=tmp_path / "c")
    assert taken["progres"] is None  # the guess, thrown away
    assert sorted(written) == ["a-progres.csv", "b-progres.csv", "lokasi.xlsx"]
    monkeypatch.setattr(load, "PARSE_AHEAD", False)
    plain = load.load_data(paths, mini_schedule, today=today)
    _same_loads(ahead, plain, rejected=False)
    later = dt.date(2022, 7, 1)  # the load's own entry misses; every file from its entry
    again = load.load_data(paths, mini_schedule, today=later, cache_dir=tmp_path / "c")
    assert again.parsed == []
    _same_loads(again, load.load_data(paths, mini_schedule, today=later), rejected=False)
