"""A cache key holds each file's size, modification time, inode and change time (ingest/cache.py, `identity`): an
edit that keeps the size and the inode, with its modification time put back as `touch -r` or a copying tool does,
still makes another key (the change time moves on every write and no user command sets it back). Before, such an
edit kept the old key and a warm run showed the answer from before the edit."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from pkp_cli.ingest import cache
from tests.ingest.test_cache_damaged_entries import ROOT, _pkp

NTB = Path("data/progres/2022-06-03/progres-ntb-2022-06-03.csv")
BEFORE = b"1;52;PISEW;PSW-01;11/03/2022;21/03/2022;;"
AFTER = b"1;52;PISEW;PSW-01;11/03/2022;01/01/2022;;"  # the same length: the end date moved before the start


def _edit_in_place(path: Path, old: bytes, new: bytes) -> None:
    """Rewrite bytes of `path` in place (same inode, same size) and put its modification time back."""
    st = path.stat()
    data = path.read_bytes()
    assert len(old) == len(new) and old in data
    with path.open("r+b") as fh:
        fh.write(data.replace(old, new, 1))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (st.st_size, st.st_mtime_ns, st.st_ino)


def test_an_edit_with_its_time_put_back_makes_another_key(tmp_path: Path) -> None:
    path = tmp_path / "progres.csv"
    path.write_bytes(b"head\n" + BEFORE + b"\n")
    parts = {"format": 3}
    file_before = cache.file_key(path, "progres.csv", parts)
    load_before = cache.cache_key(parts, [(path, "progres.csv")])
    assert cache.file_key(path, "progres.csv", parts) == file_before  # nothing changed: the same key (warm runs)
    assert cache.cache_key(parts, [(path, "progres.csv")]) == load_before
    _edit_in_place(path, BEFORE, AFTER)
    assert cache.file_key(path, "progres.csv", parts) != file_before
    assert cache.cache_key(parts, [(path, "progres.csv")]) != load_before


@pytest.mark.slow
def test_a_warm_run_after_such_an_edit_answers_as_without_the_cache(tmp_path: Path) -> None:
    work = tmp_path / "work"
    shutil.copytree(ROOT / "data", work / "data")
    shutil.copytree(ROOT / "schedules", work / "schedules")
    args = ["status", "--province", "NTB", "--format", "json", "--as-of", "2022-06-03"]
    home = tmp_path / "home"
    first = _pkp(args, work, home)
    assert first.returncode == 0, first.stderr
    _edit_in_place(work / NTB, BEFORE, AFTER)
    plain = _pkp(args, work, tmp_path / "none", no_cache=True)
    # the edit shows: the row is rejected (its end before its start), exit 65, and NTB's status changes
    assert plain.returncode == 65 and "1 baris ditolak" in plain.stderr and plain.stdout != first.stdout
    warm = _pkp(args, work, home)
    assert warm.returncode == 65 and "1 baris ditolak" in warm.stderr, warm.stderr
    assert warm.stdout == plain.stdout
