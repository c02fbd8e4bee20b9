"""A file changed after an early read of it (ingest/preread.py, forked.py, early.py's threads) and before the
loader looks at it: the loader keys its cache entries by what the file is when it looks, so an early read of what
it was before must not be used (it would be shown now, and kept under the new key for every later run). Each
early read remembers the file's identity from before it began; a take whose file changed since is dropped and the
loader reads the file itself. Here the early read itself changes the file right after reading it (the fork copies
the patch into the child): the load, and a later load from the per-file cache, give what a plain load of the
changed file gives."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from pkp_cli.ingest import early, forked, helper, preread, read
from pkp_cli.ingest.cached import load_data
from pkp_cli.ingest.read import DEFAULT_MAX_UNCOMPRESSED_MB
from pkp_cli.model.schedule import load_schedule
from tests.factories import write_lokasi
from tests.hostile.corpus import progres_xlsx
from tests.ingest.test_helper_process import REPO, SAMPLE, TODAY, _same, _same_but_parsed

pytestmark = pytest.mark.skipif(not hasattr(os, "memfd_create"), reason="the forked reads need fork and memfd (Linux)")
MB = DEFAULT_MAX_UNCOMPRESSED_MB
HEADER = "Kode Lokasi;Program;Tahapan;Tanggal Mulai;Keterangan\n"
ROW = "51.04.01;PISEW;L1;02/04/2022;a\n"
NEW_DATES = [dt.datetime(2022, 5, 9), dt.datetime(2022, 5, 10), "bukan tanggal"]


@pytest.fixture
def schedule() -> Any:
    return load_schedule(REPO / "schedules" / "jadwal-nasional-2022.yaml")


@pytest.fixture(autouse=True)
def two_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(helper, "_usable_cpus", lambda: 2)


def _changed_after_reading(monkeypatch: pytest.MonkeyPatch, module: Any, name: str, target: Path) -> None:
    """`module.name` (a read) rewrites `target` as another workbook (or CSV) once it has read it the first time (the
    loader's own read of it, when it reads it again, leaves it as it is)."""
    real = getattr(module, name)
    changed: list[Path] = []

    def read_then_change(*args: Any) -> Any:
        try:
            return real(*args)  # (a refusal too: the file is changed after it)
        finally:
            path = next(a for a in args if isinstance(a, Path))
            if path == target and not changed:
                changed.append(path)
                if target.suffix == ".csv":
                    target.write_text(
                        HEADER + "51.04.01;PISEW;L1;02/04/2022;a\n51.04.01;PISEW;L1;09/05/2022;ditambah\n"
                    )
                else:
                    progres_xlsx(target, NEW_DATES)

    monkeypatch.setattr(module, name, read_then_change)


def _check(folder: Path, schedule: Any, got: Any, store: Path) -> None:
    """`got` is a plain load of the folder as it is now; so is a load from its per-file cache entries."""
    plain = load_data([folder], schedule, today=TODAY)
    _same(got, plain)
    for entry in store.iterdir():
        if entry.name.startswith("pkp-load-"):
            shutil.rmtree(entry)  # the per-file entries answer the next load
    again = load_data([folder], schedule, today=TODAY, cache_dir=store)
    _same_but_parsed(again, plain)


def test_the_preread(tmp_path: Path, schedule: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "data"
    shutil.copytree(SAMPLE, folder)
    target = folder / "progres" / "2022-06-03" / "progres-bali-2022-06-03.xlsx"
    _changed_after_reading(monkeypatch, forked, "write_sheets", target)
    store = tmp_path / "cache"
    with helper.allowed():
        preread.start([folder], display_root=None, max_mb=MB, cache_dir=store)
        pre = preread._pending
        assert pre is not None
        pre.settle()  # the child has read every workbook, the one above before it changed
        monkeypatch.undo()  # (the loader's own reads as they are)
        monkeypatch.setattr(helper, "_usable_cpus", lambda: 2)
        got = load_data([folder], schedule, today=TODAY, cache_dir=store)
    assert pre.served > 0  # the others came from the pre-read
    _check(folder, schedule, got, store)
    assert any(i.file.endswith("progres-bali-2022-06-03.xlsx") for i in got.errors)  # the new file's bad date


def _small_data(folder: Path) -> Path:
    folder.mkdir()
    write_lokasi(folder / "lokasi.xlsx")
    progres_xlsx(folder / "progres.xlsx", [dt.datetime(2022, 4, 2), dt.datetime(2022, 4, 3)])
    return folder


def test_the_forked_read(tmp_path: Path, schedule: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _small_data(tmp_path / "data")
    big = max(folder.iterdir(), key=lambda p: p.stat().st_size)  # the one the forked child reads
    monkeypatch.setattr(early, "THREADS_MIN_FILE_BYTES", 0)
    _changed_after_reading(monkeypatch, forked, "write_sheets", big)
    store = tmp_path / "cache"
    with helper.allowed():
        got = load_data([folder], schedule, today=TODAY, cache_dir=store)
    monkeypatch.undo()
    _check(folder, schedule, got, store)


@pytest.mark.parametrize("before", ["a row", "a refusal"])
def test_a_reading_thread(tmp_path: Path, schedule: Any, monkeypatch: pytest.MonkeyPatch, before: str) -> None:
    """A CSV of one row, or one refused (control bytes: not a CSV), rewritten as a CSV of two rows once read."""
    folder = _small_data(tmp_path / "data")
    csv = folder / "progres.csv"
    if before == "a row":
        csv.write_text(HEADER + ROW)
    else:
        csv.write_bytes(bytes(range(0, 32)) * 8)
    (folder / "progres.xlsx").unlink()
    monkeypatch.setattr(early, "THREADS_MIN_FILE_BYTES", 0)
    monkeypatch.setattr(forked, "start", lambda *args: None)  # (the location workbook on a thread too)
    _changed_after_reading(monkeypatch, read, "read_stage", csv)
    store = tmp_path / "cache"
    got = load_data([folder], schedule, today=TODAY, cache_dir=store)
    monkeypatch.undo()
    _check(folder, schedule, got, store)
    (report,) = [f.as_dict() for f in got.files if f.as_dict()["path"].endswith("progres.csv")]
    assert report["rows_read"] == 2 and not got.unreadable  # what the file holds after the thread read it
