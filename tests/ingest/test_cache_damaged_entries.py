"""Damaged cache entries are noted, removed and rebuilt; what is not a regular file under an entry's name is never
read. Every cache entry carries a CRC-32 that is checked before any of its bytes is parsed (ingest/cache.py).

A damaged Arrow buffer is not always an error to Arrow: bit flips in a load entry's progress frame made a warm
`pkp status` die of a segmentation fault, and in a file entry raised pkp's internal error on every later run, until
the user deleted the cache. Damage anywhere (header, body, the checksum itself, a byte cut or added) is now noted on
stderr, the entry removed and rebuilt from the workbooks, with the same result as without the cache. A FIFO under
an entry's name blocked every run for good; a link to /dev/zero read without end."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pkp_cli.ingest import cache

ROOT = Path(__file__).resolve().parents[2]


def _entry(tmp_path: Path) -> tuple[Path, bytes]:
    table = pa.table({"kode_lokasi": pa.array(["51.01", "51.02", None], pa.large_string()), "n": [1, 2, 3]})
    assert cache.save_file(tmp_path, "a" * 32, {"kind": "t"}, {"progres": table, "small": table.slice(0, 1)})
    path = tmp_path / f"{cache.FILE_PREFIX}{'a' * 32}{cache.FILE_SUFFIX}"
    return path, path.read_bytes()


def test_an_entry_reads_back_and_its_layout_is_the_documented_one(tmp_path: Path) -> None:
    _path, data = _entry(tmp_path)
    at = len(cache.FILE_MAGIC)
    size = int.from_bytes(data[at : at + 8], "little")
    header, start = cache.entry_parts(data)
    assert start == at + 12 + size and set(header["tables"]) == {"progres", "small"}
    # The CRC: of the body, then the length and the header (zlib's CRC-32, computed here independently).
    expected = zlib.crc32(data[at : at + 8] + data[at + 12 : start], zlib.crc32(data[start:]))
    assert int.from_bytes(data[at + 8 : at + 12], "little") == expected
    loaded = cache.load_file(tmp_path, "a" * 32)
    assert loaded is not None and loaded[1]["progres"]["n"].to_pylist() == [1, 2, 3]


@given(st.data())
def test_any_flipped_bit_after_the_magic_is_found(data: st.DataObject) -> None:
    with tempfile.TemporaryDirectory() as folder:  # (hypothesis runs this many times: not tmp_path)
        _path, good = _entry(Path(folder))
    at = data.draw(st.integers(len(cache.FILE_MAGIC), len(good) - 1), label="byte")
    bit = data.draw(st.integers(0, 7), label="bit")
    bad = bytearray(good)
    bad[at] ^= 1 << bit
    with pytest.raises(ValueError):
        cache.entry_parts(bytes(bad))


@pytest.mark.parametrize("where", ["header", "body", "crc", "length", "cut", "added"])
def test_a_damaged_file_entry_is_noted_removed_and_not_used(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], where: str
) -> None:
    path, data = _entry(tmp_path)
    at = len(cache.FILE_MAGIC)
    _header, start = cache.entry_parts(data)
    bad = bytearray(data)
    if where == "cut":
        bad = bad[:-1]
    elif where == "added":
        bad += b"\x00"
    else:
        i = {"length": at, "crc": at + 8, "header": at + 20, "body": (start + len(data)) // 2}[where]
        bad[i] ^= 0x01
    path.write_bytes(bytes(bad))
    capsys.readouterr()
    assert cache.load_file(tmp_path, "a" * 32) is None
    assert "corrupt, rebuilt" in capsys.readouterr().err
    assert not path.exists()


def _pkp(
    args: list[str], cwd: Path, cache_home: Path, no_cache: bool = False, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PKP_")}
    env.update({"NO_COLOR": "1", "COLUMNS": "200", "XDG_CACHE_HOME": str(cache_home)})
    env["XDG_CONFIG_HOME"] = str(cwd / "no-config")
    if no_cache:
        env["PKP_NO_CACHE"] = "1"
    return subprocess.run(
        [sys.executable, "-m", "pkp_cli", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )


def _flip(path: Path) -> None:
    """Flip the lowest bit of the bytes at 40 % and 70 % of the file: in the sample's progress frame (an Arrow
    file, uncompressed) either flip alone made the run before the checksums die of a segmentation fault."""
    data = bytearray(path.read_bytes())
    for at in (len(data) * 4 // 10, len(data) * 7 // 10):
        data[at] ^= 0x01
    path.write_bytes(bytes(data))


def _sample_with_cache(tmp_path: Path, args: list[str]) -> tuple[Path, Path, subprocess.CompletedProcess[str]]:
    """The bundled sample in a folder of its own; `args`' answer without the cache; a cache made by a `pkp status`
    (its load entry, the workbooks' entries, the status frame of today's run). Gives (folder, cache home, answer)."""
    work = tmp_path / "work"
    shutil.copytree(ROOT / "data", work / "data")
    shutil.copytree(ROOT / "schedules", work / "schedules")
    plain = _pkp(args, work, tmp_path / "none", no_cache=True)
    assert plain.returncode == 0, plain.stderr
    home = tmp_path / "home"
    assert _pkp(["status", "--format", "json"], work, home).returncode == 0
    return work, home, plain


@pytest.mark.slow
@pytest.mark.parametrize("part", ["progres.arrow", "lokasi.arrow", "temuan.arrow", "meta.json", cache.SUMS])
def test_a_damaged_load_entry_is_rebuilt_in_a_real_run(tmp_path: Path, part: str) -> None:
    """The bundled sample's load entry, one of its files damaged: `pkp status` at a date no status entry holds (so
    the frames are read; `pkp audit` for the findings' frame) answers as without the cache, says the entry was
    rebuilt, and exits 0 (was: a segmentation fault for the progress frame, exit -11)."""
    args = ["audit" if part == "temuan.arrow" else "status", "--format", "json", "--as-of", "2022-06-01"]
    work, home, plain = _sample_with_cache(tmp_path, args)
    (entry,) = (home / "pkp").glob(f"{cache.ENTRY_PREFIX}*")
    if part == cache.SUMS:
        # The checksum of meta.json, which every use of the entry checks (a frame's is checked when the frame is
        # read: a flipped digit of the findings' checksum would show only in a command that reads them).
        sums = json.loads((entry / part).read_text(encoding="utf-8"))
        sums["meta.json"][0] ^= 1  # ([CRC-32, size])
        (entry / part).write_text(json.dumps(sums), encoding="utf-8")
    else:
        _flip(entry / part)
    run = _pkp(args, work, home)
    assert run.returncode == 0, run.stderr
    assert run.stdout == plain.stdout
    assert f"cache {entry}: rusak, dimuat ulang / corrupt, rebuilt" in run.stderr


@pytest.mark.slow
def test_damaged_file_entries_are_rebuilt_in_a_real_run(tmp_path: Path) -> None:
    """Every per-file entry of the sample damaged and the load entry gone (as when one workbook changed): each is
    noted and read again from its workbook; the answer is the one without the cache, exit 0 (was: pkp's internal
    error, exit 1, on this and every later run)."""
    args = ["status", "--format", "json", "--as-of", "2022-06-01"]
    work, home, plain = _sample_with_cache(tmp_path, args)
    files = sorted((home / "pkp").glob(f"{cache.FILE_PREFIX}*"))
    for path in files:
        _flip(path)
    for entry in (home / "pkp").glob(f"{cache.ENTRY_PREFIX}*"):
        shutil.rmtree(entry)
    run = _pkp(args, work, home)
    assert run.returncode == 0, run.stderr
    assert run.stdout == plain.stdout
    # Each of the sample's 67 workbooks' entries noted once (the status frames' entries, for another date, unread):
    # the first five named, the other 62 counted in one line at the end (ingest/cache_notes.py).
    workbooks = [p for p in (work / "data").rglob("*") if p.suffix in (".xlsx", ".csv")]
    notes = [line for line in run.stderr.splitlines() if "corrupt, rebuilt" in line]
    assert len(workbooks) == 67 and len(notes) == 6
    assert all(line.startswith(f"pkp: cache {home / 'pkp' / cache.FILE_PREFIX}") for line in notes[:5])
    assert notes[5] == "pkp: cache: 62 entri lain rusak, dimuat ulang / 62 more entries corrupt, rebuilt"
    again = _pkp(args, work, home)  # and the rebuilt entries are good
    assert again.returncode == 0 and "corrupt" not in again.stderr and again.stdout == plain.stdout


@pytest.mark.slow
def test_what_is_not_a_regular_file_under_an_entry_name_is_never_read(tmp_path: Path) -> None:
    """FIFOs as a file entry, as the load entry's progress frame and as the kept schedule and holidays; a link to
    /dev/zero and a folder as file entries: the run answers as without the cache, within its time (a FIFO blocked
    the read for good), notes what it could not use, and leaves what is not its own in place. The load entry is
    pkp's (its marker): damaged, rebuilt; the others are not pkp's and are said to be left alone (they were said
    to be "rebuilt", which they never were: pkp writes nothing over what is not its own)."""
    args = ["status", "--format", "json", "--as-of", "2022-06-01"]
    work, home, plain = _sample_with_cache(tmp_path, args)
    store = home / "pkp"
    # Workbooks' entries (a derived entry, such as the status frame of another date, is not read by this run).
    files = [
        p for p in sorted(store.glob(f"{cache.FILE_PREFIX}*")) if "derived" not in cache.entry_parts(p.read_bytes())[0]
    ]
    planted = []
    for path, kind in zip(files, ["fifo", "zero", "folder"], strict=False):
        path.unlink()
        if kind == "fifo":
            os.mkfifo(path)
        elif kind == "zero":
            path.symlink_to("/dev/zero")
        else:
            path.mkdir()
        planted.append(path)
    (entry,) = store.glob(f"{cache.ENTRY_PREFIX}*")
    (entry / "progres.arrow").unlink()
    os.mkfifo(entry / "progres.arrow")
    for kept in [*store.glob("pkp-schedule-*.json"), *store.glob("pkp-holidays-*.json")]:
        kept.unlink()
        os.mkfifo(kept)
        planted.append(kept)
    run = _pkp(args, work, home, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout == plain.stdout
    # Noted: the load entry (its progress frame a FIFO) as rebuilt; the FIFO, the link and the folder as file
    # entries and the kept schedule's and holidays' FIFOs as not pkp's. Six notes: five named, one counted.
    notes = [line for line in run.stderr.splitlines() if line.startswith("pkp: cache")]
    corrupt = [line for line in notes if "corrupt, rebuilt" in line]
    assert len(corrupt) == 1 and str(entry) in corrupt[0], notes
    assert "(progres.arrow: not a regular file (FIFO))" in corrupt[0]
    foreign = [line for line in notes if "bukan milik pkp, dibiarkan / not pkp's, left alone (" in line]
    whys = ["not a regular file (FIFO))", "not a regular file (link))", "not a regular file (folder))"]
    named = [(p, why) for p, why in zip(planted, [*whys, *whys[:1] * 2], strict=True) if str(p) in run.stderr]
    assert all(any(str(p) in line and why in line for line in foreign) for p, why in named), notes
    assert (
        len(named) == 4
        and notes[-1] == "pkp: cache: 1 entri lain bukan milik pkp, dibiarkan / 1 more entries not pkp's, left alone"
    )
    assert all(p.exists() or p.is_symlink() for p in planted)  # not pkp's: left where they are


@pytest.mark.slow
def test_a_file_put_inside_a_damaged_load_entry_is_left_where_it_is(tmp_path: Path) -> None:
    """pkp never deletes what it did not make: a file somebody put in a load entry's folder survives the entry's
    removal (was: the whole folder went with `rmtree`). pkp's own files go, the folder stays unmarked, and while it
    stays the load is not kept, said on each run; the answers are those without the cache."""
    args = ["status", "--format", "json", "--as-of", "2022-06-01"]
    work, home, plain = _sample_with_cache(tmp_path, args)
    (entry,) = (home / "pkp").glob(f"{cache.ENTRY_PREFIX}*")
    (entry / "catatan.txt").write_text("milik saya", encoding="utf-8")
    _flip(entry / "meta.json")
    run = _pkp(args, work, home)
    assert run.returncode == 0 and run.stdout == plain.stdout, run.stderr
    assert f"cache {entry}: rusak, dimuat ulang / corrupt, rebuilt" in run.stderr
    assert f"cache {entry}: bukan milik pkp, dibiarkan; muatan ini tidak disimpan / not pkp's" in run.stderr
    assert sorted(p.name for p in entry.iterdir()) == ["catatan.txt"]
    assert (entry / "catatan.txt").read_text(encoding="utf-8") == "milik saya"
    again = _pkp(args, work, home)
    assert again.returncode == 0 and again.stdout == plain.stdout
    assert "not pkp's, left alone" in again.stderr and "corrupt" not in again.stderr
    assert sorted(p.name for p in entry.iterdir()) == ["catatan.txt"]


def test_pruning_leaves_what_is_not_pkps_inside_an_old_entry(tmp_path: Path) -> None:
    """The least recently used load entries are pruned file by file: pkp's files and marker go, a folder and a FIFO
    put inside stay (with the folder); an entry holding only pkp's files goes whole."""
    entries = []
    for i in range(cache.KEEP_ENTRIES + 2):
        entry = tmp_path / f"{cache.ENTRY_PREFIX}{i:032x}"
        entry.mkdir()
        (entry / cache.MARKER).write_text(cache.MARKER_TEXT, encoding="utf-8")
        for name in ("meta.json", cache.SUMS, "progres.arrow"):
            (entry / name).write_bytes(b"x")
        entries.append(entry)
    (entries[0] / "sub").mkdir()
    os.mkfifo(entries[0] / "lokasi.arrow")  # under a name pkp writes, but not a file pkp wrote
    for i, entry in enumerate(entries):
        os.utime(entry, (1_000 + i, 1_000 + i))  # entry 0 the least recently used
    cache._prune(tmp_path)
    assert sorted(p.name for p in entries[0].iterdir()) == ["lokasi.arrow", "sub"]
    assert not entries[1].exists()
    assert all(cache.is_ours(e) for e in entries[2:])
