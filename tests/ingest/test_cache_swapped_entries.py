"""An entry under another entry's name is not trusted (ingest/cache.py, `_same_key`; ingest/kept_json.py for the
schedule and holidays, tests/ingest/test_kept_json.py).

Every entry is whole and checksummed, so two entries' files swapped (or one copied over another, as a careless
restore or sync might) each read back without a fault: until each entry held its own key, a workbook's rows were
loaded under another workbook's name and a load's frames came back for another load, without a word. Now such an
entry is noted on stderr, removed and rebuilt, and the answer is the one without the cache.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyarrow as pa
import pytest

from pkp_cli.ingest import cache
from tests.ingest.test_cache_damaged_entries import _pkp, _sample_with_cache


def _file(folder: Path, key: str) -> Path:
    return folder / f"{cache.FILE_PREFIX}{key}{cache.FILE_SUFFIX}"


def _swap(one: Path, two: Path) -> None:
    held = one.with_name(one.name + ".held")
    one.rename(held)
    two.rename(one)
    held.rename(two)


def test_a_file_entry_under_another_key_is_noted_removed_and_not_used(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a, b = "a" * 32, "b" * 32
    for key, n in ((a, 1), (b, 2)):
        assert cache.save_file(tmp_path, key, {"kind": "t"}, {"progres": pa.table({"n": [n]})})
        loaded = cache.load_file(tmp_path, key)
        assert loaded is not None and loaded[0]["key"] == key and loaded[1]["progres"]["n"].to_pylist() == [n]
    _swap(_file(tmp_path, a), _file(tmp_path, b))
    assert cache.load_file(tmp_path, a) is None  # (was: b's table, [2], for a)
    assert cache.load_file(tmp_path, b) is None
    err = capsys.readouterr().err
    assert err.count("corrupt, rebuilt") == 2 and str(_file(tmp_path, a)) in err and str(_file(tmp_path, b)) in err
    assert not _file(tmp_path, a).exists() and not _file(tmp_path, b).exists()  # pkp's own: removed, rebuilt later


def _workbook_entries(store: Path) -> list[Path]:
    out = []
    for path in sorted(store.glob(f"{cache.FILE_PREFIX}*")):
        header, _ = cache.entry_parts(path.read_bytes())
        if "derived" not in header:
            out.append(path)
    return out


@pytest.mark.slow
def test_two_workbooks_entries_swapped_in_a_real_run(tmp_path: Path) -> None:
    """The bundled sample's cache with its load entry gone (so each workbook comes from its own entry) and two
    workbooks' entries swapped: the answer is the one without the cache, both entries are named on stderr, and
    the next run is quiet with the same answer."""
    args = ["validate", "--format", "json"]
    work, home, plain = _sample_with_cache(tmp_path, args)
    store = home / "pkp"
    for entry in store.glob(f"{cache.ENTRY_PREFIX}*"):
        shutil.rmtree(entry)
    files = _workbook_entries(store)
    assert len(files) > 60
    one, two = files[3], files[4]
    _swap(one, two)
    run = _pkp(args, work, home)
    assert run.returncode == plain.returncode and run.stdout == plain.stdout  # (was: one workbook's rows twice)
    notes = [line for line in run.stderr.splitlines() if "corrupt, rebuilt" in line]
    assert len(notes) == 2 and {one.name, two.name} == {Path(n.split()[2].rstrip(":")).name for n in notes}, notes
    again = _pkp(args, work, home)
    assert "corrupt" not in again.stderr and again.stdout == plain.stdout


@pytest.mark.slow
def test_two_loads_entries_swapped_in_a_real_run(tmp_path: Path) -> None:
    """Two load entries (a `pkp status` of the data folder, a `pkp validate` of its progress folder alone) with their
    folders' names swapped: each command answers as without the cache (was: the other load's accounting and
    frames), noting the entry."""
    args = ["status", "--format", "json", "--as-of", "2022-06-01"]
    work, home, plain = _sample_with_cache(tmp_path, args)
    part = ["validate", "data/progres", "--format", "json"]
    plain_part = _pkp(part, work, tmp_path / "none", no_cache=True)
    (one,) = (home / "pkp").glob(f"{cache.ENTRY_PREFIX}*")
    assert _pkp(part, work, home).stdout == plain_part.stdout
    # the validate's own load (its 65 progress files), not its load of the whole folder for the locations
    made = set((home / "pkp").glob(f"{cache.ENTRY_PREFIX}*")) - {one}
    two = min(made, key=lambda p: len(json.loads((p / "meta.json").read_text(encoding="utf-8"))["files"]))
    _swap(one, two)
    for command, answer in ((args, plain), (part, plain_part)):
        run = _pkp(command, work, home)
        assert run.returncode == answer.returncode and run.stdout == answer.stdout, run.stderr
        notes = [line for line in run.stderr.splitlines() if "corrupt, rebuilt" in line]
        assert len(notes) == 1 and cache.ENTRY_PREFIX in notes[0], run.stderr
