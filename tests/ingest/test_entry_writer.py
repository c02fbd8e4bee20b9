"""The load's own cache entry written while the load goes on (cache.EntryWriter): inside a command's deferral each
frame goes to the writing thread as soon as the load has made it, and the entry is renamed into place only once
the load is done and sealed. The entry is the one `save` writes (a warm load reads back the load's frames, issues
and dictionaries); a load that fails midway, or a writing that fails, leaves no entry and no temporary folder."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest

from pkp_cli.ingest import background, cache, load
from pkp_cli.ingest.load import load_data
from tests.ingest.test_cache import same
from tests.ingest.test_load_entry_dictionaries import TODAY, _entry_frame, _folder, _listed


@pytest.fixture
def threads(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Every frame the writing thread writes, with the thread it is written on; frames of any size get one (the
    national data's are tens of MB; these a few kB)."""
    seen: list[tuple[str, str]] = []
    real = cache._write_table

    def write(path: Path, table: Any) -> int:
        seen.append((path.name, threading.current_thread().name))
        return real(path, table)

    monkeypatch.setattr(background, "SMALL_WRITE_BYTES", 0)
    monkeypatch.setattr(cache, "_write_table", write)
    return seen


def _entries(store: Path) -> list[str]:
    """What the cache folder holds: "file" and "load" entries, anything else (a temporary folder) by its name."""
    kinds = {"pkp-file-": "file", "pkp-load-": "load"}
    return sorted(next((k for p, k in kinds.items() if e.name.startswith(p)), e.name) for e in store.iterdir())


def test_frames_written_as_the_load_goes_make_the_entry_save_makes(
    tmp_path: Path, mini_schedule: Any, threads: list[tuple[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _folder(tmp_path, ["L1", "L2"])
    fresh = load_data([data], mini_schedule, today=TODAY)
    checked: list[list[str]] = []  # the frame files already written when the progress rows are checked
    real = load.resolve_progres

    def resolve(*args: Any, **kwargs: Any) -> Any:
        for thread in threading.enumerate():
            if thread.name == "pkp-cache-write":
                thread.join(0.5)  # the location frame's write, given the time to be done
        checked.append([name for name, _ in threads])
        return real(*args, **kwargs)

    monkeypatch.setattr(load, "resolve_progres", resolve)
    store = tmp_path / "early"
    with background.deferring():
        first = load_data([data], mini_schedule, today=TODAY, cache_dir=store)
    assert checked == [["lokasi.arrow"]]  # written before the progress rows' checks
    assert sorted(threads) == [(f"{n}.arrow", "pkp-cache-write") for n in ("lokasi", "progres", "temuan")]
    threads.clear()
    at_end = tmp_path / "at-end"
    load_data([data], mini_schedule, today=TODAY, cache_dir=at_end)  # outside a deferral: `save`, at once
    assert [t for _, t in threads] == ["MainThread"] * 3
    early_meta = json.loads(next(store.glob("pkp-load-*/meta.json")).read_text())
    late_meta = json.loads(next(at_end.glob("pkp-load-*/meta.json")).read_text())
    assert early_meta == late_meta and early_meta["warnings"]
    for name in ("lokasi", "progres", "temuan"):
        assert _entry_frame(store, name).equals(_entry_frame(at_end, name))
    listed = ["kode_lokasi", "kode_provinsi", "program", "tahapan", "keterangan"]
    assert _listed(_entry_frame(store, "progres")) == listed  # the dictionaries: handed early with their frames
    same(fresh, first)
    warm = load_data([data], mini_schedule, today=TODAY, cache_dir=store)
    assert "cache" in warm.timings
    same(fresh, warm)


def test_a_load_that_fails_midway_leaves_no_entry(
    tmp_path: Path, mini_schedule: Any, threads: list[tuple[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _folder(tmp_path, ["L1"])

    def fails(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("a bug in the checks")

    monkeypatch.setattr(load, "resolve_progres", fails)
    store = tmp_path / "cache"
    with pytest.raises(RuntimeError), background.deferring():
        load_data([data], mini_schedule, today=TODAY, cache_dir=store)
    assert [name for name, _ in threads] == ["lokasi.arrow"]  # begun, then dropped
    assert _entries(store) == ["file"] * 2  # the files' own entries only: no load entry, no temporary folder


def test_a_writing_that_fails_leaves_no_entry_and_the_load_stands(
    tmp_path: Path, mini_schedule: Any, threads: list[tuple[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _folder(tmp_path, ["L1"])
    fresh = load_data([data], mini_schedule, today=TODAY)
    real = cache._write_table

    def full_disk(path: Path, table: Any) -> int:
        if path.name == "progres.arrow":
            raise OSError(28, "No space left on device")
        return real(path, table)

    monkeypatch.setattr(cache, "_write_table", full_disk)
    store = tmp_path / "cache"
    with background.deferring():
        first = load_data([data], mini_schedule, today=TODAY, cache_dir=store)
    same(fresh, first)
    assert _entries(store) == ["file"] * 2
    monkeypatch.setattr(cache, "_write_table", real)
    with background.deferring():
        load_data([data], mini_schedule, today=TODAY, cache_dir=store)  # the next run keeps it
    assert _entries(store) == ["file", "file", "load"]
