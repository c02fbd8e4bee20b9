"""A cache write that stops early (a full disk: ENOSPC at the first byte, or after part of the magic) leaves nothing
behind: pkp removes the temporary file or folder it just made even before its magic or marker is whole. Before,
such a temporary lacked the magic that marks pkp's files, so it was neither removed nor ever pruned: every run on
a full disk left one empty file per workbook (134 after two runs of the sample). And a cache folder that is not a
folder is no damaged entry: nothing to note."""

from __future__ import annotations

import errno
import os
import time
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from pkp_cli.ingest import cache, kept_json


class _Full:
    """A binary file that takes `room` bytes, then fails as a full disk does."""

    def __init__(self, fh: Any, room: int) -> None:
        self.fh, self.room = fh, room

    def write(self, data: Any) -> int:
        data = bytes(data)
        if len(data) > self.room:
            self.fh.write(data[: self.room])
            self.fh.flush()
            self.room = 0
            raise OSError(errno.ENOSPC, "No space left on device")
        self.room -= len(data)
        return int(self.fh.write(data))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.fh, name)

    def __enter__(self) -> _Full:
        return self

    def __exit__(self, *exc: object) -> None:
        self.fh.close()


def _disk_with_room(monkeypatch: pytest.MonkeyPatch, room: int) -> None:
    real_fdopen, real_open = os.fdopen, Path.open

    def fdopen(fd: int, mode: str = "r", *args: Any, **kw: Any) -> Any:
        fh = real_fdopen(fd, mode, *args, **kw)
        return _Full(fh, room) if "w" in mode else fh

    def path_open(self: Path, mode: str = "r", *args: Any, **kw: Any) -> Any:
        fh = real_open(self, mode, *args, **kw)
        return _Full(fh, room) if "w" in mode else fh

    monkeypatch.setattr(os, "fdopen", fdopen)
    monkeypatch.setattr(Path, "open", path_open)


@pytest.mark.parametrize("room", [0, 5, len(cache.FILE_MAGIC) + 3, 2000])
def test_a_file_entry_cut_short_leaves_no_temporary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, room: int) -> None:
    table = pa.table({"n": list(range(1000))})
    _disk_with_room(monkeypatch, room)
    for stream in (False, True):
        assert cache.save_file(tmp_path, "a" * 32, {}, {"t": table}, stream=stream) == 0
        assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("room", [0, 5, 40])
def test_a_kept_json_entry_cut_short_leaves_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, room: int
) -> None:
    _disk_with_room(monkeypatch, room)
    kept_json.write_kept(tmp_path / f"pkp-schedule-{'0' * 24}.json", '{"a": 1}')
    assert list(tmp_path.iterdir()) == []


def test_a_load_entry_cut_short_leaves_no_temporary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The marker itself cut short (the first file written into the temporary folder)."""
    real_write_text = Path.write_text

    def write_text(self: Path, text: str, *args: Any, **kw: Any) -> int:
        if self.name == cache.MARKER:
            real_write_text(self, text[:7], *args, **kw)
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write_text(self, text, *args, **kw)

    monkeypatch.setattr(Path, "write_text", write_text)
    cache._save_tables(tmp_path, "b" * 32, {"lokasi": pa.table({"n": [1]})}, "{}")
    assert list(tmp_path.iterdir()) == []


def _age(path: Path, seconds: float) -> None:
    t = time.time() - seconds
    os.utime(path, (t, t))


def test_stale_temporaries_cut_short_are_pruned_and_nothing_else(tmp_path: Path) -> None:
    """Left by an earlier pkp (or a run killed at its first byte): empty or a beginning of the magic, older than an
    hour: pruned. Younger (a run may be writing it now), or under the name but holding anything else: kept."""
    made = {}
    for name, content in [
        (".pkp-file-tmp-empty", b""),
        (".pkp-file-tmp-part", cache.FILE_MAGIC[:9]),
        (".pkp-file-tmp-other", b"my notes"),
        (".pkp-json-tmp-empty", b""),
        (".pkp-json-tmp-other", b"{}"),
    ]:
        made[name] = tmp_path / name
        made[name].write_bytes(content)
        _age(made[name], cache.STALE_TMP_SECONDS + 60)
    young = tmp_path / ".pkp-file-tmp-young"
    young.write_bytes(b"")
    _age(young, cache.STALE_TMP_SECONDS - 60)
    folder_cut = tmp_path / ".pkp-load-tmp-cut"
    folder_cut.mkdir()
    (folder_cut / cache.MARKER).write_text(cache.MARKER_TEXT[:5], encoding="utf-8")
    folder_mine = tmp_path / ".pkp-load-tmp-mine"
    folder_mine.mkdir()
    (folder_mine / cache.MARKER).write_text("", encoding="utf-8")
    (folder_mine / "my-notes.txt").write_text("keep", encoding="utf-8")  # not a file pkp writes there
    for folder in (folder_cut, folder_mine):
        _age(folder, cache.STALE_TMP_SECONDS + 60)
    cache.prune_files(tmp_path)
    kept_json.prune_kept(tmp_path)
    cache._prune(tmp_path)
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == sorted([".pkp-file-tmp-other", ".pkp-json-tmp-other", young.name, folder_mine.name])


def test_a_cache_folder_that_is_a_file_is_no_damaged_entry(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "pkp"
    folder.write_text("not a folder", encoding="utf-8")
    assert cache.load_file(folder, "a" * 32) is None
    assert capsys.readouterr().err == ""
    assert cache.save_file(folder, "a" * 32, {}, {"t": pa.table({"n": [1]})}) == 0
    assert folder.read_text(encoding="utf-8") == "not a folder"
