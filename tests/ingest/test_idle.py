"""Work a command names for the load's waits (pkp_cli/ingest/idle.py): done once, in order, when the load's main
thread is about to wait for its last read; dropped when no wait came; a failing task reaches nobody."""

from __future__ import annotations

import datetime as dt
import threading
import time
from pathlib import Path

import pytest

from pkp_cli.ingest import early, idle, load
from pkp_cli.model.schedule import load_schedule
from tests.factories import write_lokasi
from tests.hostile.corpus import REPO

HEADER = "Kode Lokasi;Program;Tahapan;Tanggal Mulai;Tanggal Selesai;Progres (%);Tanggal Laporan;Keterangan\n"


def test_tasks_run_once_in_order_and_a_failing_one_is_dropped() -> None:
    seen: list[str] = []

    def boom() -> None:
        seen.append("boom")
        raise RuntimeError("a bug in a task")

    with idle.preparing(lambda: seen.append("a"), boom, lambda: seen.append("c")):
        idle.run()
        idle.run()  # nothing left
    assert seen == ["a", "boom", "c"]


def test_tasks_no_wait_ran_are_dropped_and_the_outer_ones_come_back() -> None:
    seen: list[str] = []
    with idle.preparing(lambda: seen.append("outer")):
        with idle.preparing(lambda: seen.append("inner")):
            pass
        idle.run()
    idle.run()  # outside any block: nothing
    assert seen == ["outer"]


def _folder(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    (data / "progres.csv").write_text(HEADER + "51.04.01;PISEW;L1;02/04/2022;;10;30/06/2022;a\n", encoding="utf-8")
    write_lokasi(data / "zz-lokasi.xlsx")  # discovered after the CSV: the file still being read
    return data


def test_the_load_runs_them_on_its_main_thread_while_the_last_file_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(load, "THREADS_MIN_FILE_BYTES", 0)  # two reading threads, as for the bench's big files
    monkeypatch.setattr(early, "THREADS_MIN_FILE_BYTES", 0)
    real_read = load.read_sheets
    still_reading = threading.Event()

    def slow_read(path: Path, *args: object) -> object:
        if path.name.startswith("zz-"):  # the location workbook: slow, as a big workbook is
            still_reading.set()
            time.sleep(0.5)
            still_reading.clear()
        return real_read(path, *args)

    monkeypatch.setattr(load, "read_sheets", slow_read)
    seen: list[tuple[str, bool]] = []
    schedule = load_schedule(REPO / "schedules" / "jadwal-nasional-2022.yaml")
    with idle.preparing(lambda: seen.append((threading.current_thread().name, still_reading.is_set()))):
        result = load.load_data([_folder(tmp_path)], schedule, today=dt.date(2022, 6, 30))
    assert seen == [("MainThread", True)]  # once, on the main thread, while the workbook was being read
    plain = load.load_data([tmp_path / "data"], schedule, today=dt.date(2022, 6, 30))
    assert (len(result.lokasi), len(result.progres), result.rows_rejected) == (
        len(plain.lokasi),
        len(plain.progres),
        plain.rows_rejected,
    )  # the load is what it is without tasks


def test_a_load_that_never_waits_does_not_run_them(tmp_path: Path) -> None:
    seen: list[str] = []
    schedule = load_schedule(REPO / "schedules" / "jadwal-nasional-2022.yaml")
    with idle.preparing(lambda: seen.append("ran")):  # small files: read one by one on the main thread
        load.load_data([_folder(tmp_path)], schedule, today=dt.date(2022, 6, 30))
    assert seen == []


def test_the_cli_readies_the_dates_of_the_commands_language(monkeypatch: pytest.MonkeyPatch) -> None:
    from pkp_cli.cli.app import _output_ready
    from pkp_cli.cli.options import Format, Lang
    from pkp_cli.text import formats

    langs: list[str] = []
    monkeypatch.setattr(formats, "fmt_date", lambda day, lang, pattern="": langs.append(lang) or "")
    for lang in (Lang.en, None):
        tasks = _output_ready({"lang": lang, "fmt": Format.csv})
        for task in tasks:
            task()
    assert langs == ["en", "id"]  # the default language when none is asked for
    assert len(_output_ready({"fmt": Format.table})) == len(_output_ready({"fmt": Format.csv})) + 1  # + renderer
