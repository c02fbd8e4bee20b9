"""Cache entries pkp cannot read, did not write, or that no parser should be trusted with (ingest/cache.py,
ingest/kept_json.py, ingest/cache_notes.py): found by a hostile pass over the cache (round twenty-three).

What each must do: the answer is the one without the cache; no traceback; a note on stderr that says what
happened. pkp's own damaged entry is "corrupt, rebuilt" and is made again; what pkp did not write (a link, a FIFO,
a folder, a file without pkp's marker) is "not pkp's, left alone": never read, never removed, never written over;
another user's entry (after one `sudo pkp` run) is "cannot be read, not used"; a cache pkp can read but not write
(a read-only copy) is used as it is.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pyarrow as pa
import pytest

from pkp_cli.ingest import cache
from pkp_cli.ingest.kept_json import MAGIC, kept_bytes, read_kept, write_kept
from tests.hostile.test_paths_hostile import _as_nobody

KEY = "a" * 32


def _file(folder: Path, key: str = KEY) -> Path:
    return folder / f"{cache.FILE_PREFIX}{key}{cache.FILE_SUFFIX}"


def _saved(folder: Path) -> Path:
    assert cache.save_file(folder, KEY, {"kind": "t"}, {"progres": pa.table({"n": [1, 2, 3]})})
    assert cache.load_file(folder, KEY) is not None
    return _file(folder)


def _resealed(entry: Path, head: bytes) -> None:
    """`entry` with its header text replaced by `head` and sealed again (a right checksum: what a hostile writer,
    not a failing disk, makes)."""
    _, start = cache.entry_parts(entry.read_bytes())
    body = entry.read_bytes()[start:]
    entry.write_bytes(cache.FILE_MAGIC + cache._sealed(head, cache.crc32(body)) + body)


def test_a_header_nested_past_the_recursion_limit_is_rebuilt(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """(Was: RecursionError, pkp's internal error on every run until the cache was deleted.)"""
    entry = _saved(tmp_path)
    _resealed(entry, b'{"key": "' + KEY.encode() + b'", "tables": ' + b"[" * 50_000 + b"]" * 50_000 + b"}")
    assert cache.load_file(tmp_path, KEY) is None
    assert "corrupt, rebuilt" in capsys.readouterr().err
    assert not entry.exists()  # pkp's own (its marker): removed, so the next run writes it anew


@pytest.mark.parametrize("tables", ["[]", "null", '"x"', "5"])
def test_a_header_whose_tables_are_not_a_mapping_is_rebuilt(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], tables: str
) -> None:
    """(Was: AttributeError, pkp's internal error on every run, for a list or null.)"""
    entry = _saved(tmp_path)
    _resealed(entry, json.dumps({"key": KEY}).encode()[:-1] + b', "tables": ' + tables.encode() + b"}")
    assert cache.load_file(tmp_path, KEY) is None
    assert "corrupt, rebuilt" in capsys.readouterr().err and not entry.exists()


@pytest.mark.parametrize("left", [0, 1, len(cache.FILE_MAGIC) - 1])
def test_an_entry_cut_short_before_its_marker_is_made_again(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], left: int
) -> None:
    """An entry emptied (or its marker half written), as a crash leaves a file renamed before its bytes reached
    the disk, is pkp's: removed and written anew. (Was: "corrupt, rebuilt" on every run, and never rebuilt: pkp
    refused to remove a file without its whole marker, and to write over one.)"""
    entry = _saved(tmp_path)
    entry.write_bytes(cache.FILE_MAGIC[:left])
    assert cache.load_file(tmp_path, KEY) is None
    assert "corrupt, rebuilt (ValueError)" in capsys.readouterr().err and not entry.exists()
    assert _saved(tmp_path) == entry and "pkp: cache" not in capsys.readouterr().err


def test_a_users_file_under_an_entry_name_is_left_alone_and_said_to_be(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    entry = _file(tmp_path)
    entry.write_bytes(b"catatan saya, bukan cache")
    assert cache.load_file(tmp_path, KEY) is None
    err = capsys.readouterr().err
    assert f"cache {entry}: bukan milik pkp, dibiarkan / not pkp's, left alone (no pkp marker)" in err, err
    assert "rebuilt" not in err  # (was "corrupt, rebuilt" on every run: it never was)
    assert cache.save_file(tmp_path, KEY, {"kind": "t"}, {"progres": pa.table({"n": [1]})}) == 0
    assert entry.read_bytes() == b"catatan saya, bukan cache"


def test_a_link_under_an_entry_name_is_never_followed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Even to a whole entry of the right key: pkp writes no link, so a link is not its entry (nor its target)."""
    real = _saved(tmp_path / "elsewhere")
    before = real.stat()
    link = _file(tmp_path)
    link.symlink_to(real)
    assert cache.load_file(tmp_path, KEY) is None
    assert "not pkp's, left alone (" in capsys.readouterr().err
    assert link.is_symlink() and real.stat().st_mtime_ns == before.st_mtime_ns  # neither touched


def test_a_cache_that_cannot_be_written_is_still_used(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Marking an entry used (its modification time) fails in a read-only cache (another user's, a read-only
    copy): the entry is used as it is. (Was: every entry "corrupt, rebuilt" on every run, none ever used.)"""
    _saved(tmp_path)
    kept = tmp_path / "pkp-schedule-000000000000000000000001.json"
    write_kept(kept, '{"a": 1}')

    def refused(*args: object, **kwargs: object) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "utime", refused)
    loaded = cache.load_file(tmp_path, KEY)
    assert loaded is not None and loaded[1]["progres"]["n"].to_pylist() == [1, 2, 3]
    assert read_kept(kept) == '{"a": 1}'
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("planted", ["link", "fifo", "folder", "foreign"])
def test_a_kept_schedule_that_is_not_pkps_is_said_and_left(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], planted: str
) -> None:
    """(Was: no note, and for a link its target was read, trusted and its modification time set.)"""
    kept = tmp_path / "pkp-schedule-000000000000000000000001.json"
    copy = tmp_path / "salinan.json"
    copy.write_bytes(kept_bytes('{"a": 1}', kept.name))  # a whole entry of this very name, but not under it
    os.utime(copy, (0, 0))
    if planted == "link":
        kept.symlink_to(copy)
    elif planted == "fifo":
        os.mkfifo(kept)
    elif planted == "folder":
        kept.mkdir()
    else:
        kept.write_text("jadwal saya", encoding="utf-8")
    assert read_kept(kept) is None
    assert f"cache {kept}: bukan milik pkp, dibiarkan / not pkp's, left alone (" in capsys.readouterr().err
    write_kept(kept, '{"a": 2}')  # not written over
    assert os.path.lexists(kept) and (kept.is_symlink() or not kept.is_file() or kept.read_text() == "jadwal saya")
    assert copy.stat().st_mtime == 0 and copy.read_bytes() == kept_bytes('{"a": 1}', kept.name)


def test_an_emptied_kept_schedule_is_made_again(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    kept = tmp_path / "pkp-schedule-000000000000000000000001.json"
    write_kept(kept, '{"a": 1}')
    kept.write_bytes(MAGIC.encode()[:5])
    assert read_kept(kept) is None and "corrupt, rebuilt" in capsys.readouterr().err and not kept.exists()
    write_kept(kept, '{"a": 1}')
    assert read_kept(kept) == '{"a": 1}'


def test_kept_json_nested_past_the_recursion_limit_is_made_again(tmp_path: Path) -> None:
    """A kept schedule or holiday list whose text (checksum right) is nested past Python's recursion limit: read
    from the YAML (the holiday package) again. (Was: RecursionError, pkp's internal error on every run.)"""
    from pkp_cli.engines.workdays import _national_holidays
    from pkp_cli.ingest.schedule_entry import load_schedule_kept

    root = Path(__file__).resolve().parents[2]
    path = root / "schedules" / "jadwal-nasional-2022.yaml"
    good = load_schedule_kept(path, "en", tmp_path)
    (entry,) = tmp_path.glob("pkp-schedule-*.json")
    deep = "[" * 50_000 + "]" * 50_000
    entry.write_bytes(kept_bytes(deep, entry.name))
    assert load_schedule_kept(path, "en", tmp_path).model == good.model
    assert entry.read_bytes() != kept_bytes(deep, entry.name)  # written anew
    _national_holidays.cache_clear()
    days = _national_holidays((2022,), ("public",), tmp_path)
    (holidays,) = tmp_path.glob("pkp-holidays-*.json")
    holidays.write_bytes(kept_bytes(deep, holidays.name))
    _national_holidays.cache_clear()
    assert _national_holidays((2022,), ("public",), tmp_path) == days


def _load_entry(folder: Path, key: str = KEY) -> Path:
    """A load entry's folder as pkp writes it: the marker, and meta.json (what is read first)."""
    entry = folder / f"{cache.ENTRY_PREFIX}{key}"
    entry.mkdir(parents=True)
    (entry / cache.MARKER).write_text(cache.MARKER_TEXT, encoding="utf-8")
    (entry / "meta.json").write_text("{}", encoding="utf-8")
    (entry / cache.SUMS).write_text(json.dumps({"meta.json": [cache.crc32(b"{}"), 2]}), encoding="utf-8")
    return entry


def test_a_load_entry_without_its_meta_is_made_again(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """(Was: read as missing, without a word, and never written again: the folder was still there, pkp's.)"""
    entry = _load_entry(tmp_path)
    (entry / "meta.json").unlink()
    assert cache.load(tmp_path, KEY) is None
    assert "corrupt, rebuilt (FileNotFoundError)" in capsys.readouterr().err and not entry.exists()


def test_a_load_entry_with_its_marker_cut_short_is_made_again(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    entry = _load_entry(tmp_path)
    (entry / cache.MARKER).write_text(cache.MARKER_TEXT[:4], encoding="utf-8")
    assert cache.load(tmp_path, KEY) is None
    assert "corrupt, rebuilt" in capsys.readouterr().err and not entry.exists()


def test_a_load_entry_nested_past_the_recursion_limit_is_rebuilt(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """crc32.json has no checksum of its own: any text there is parsed. (Was: RecursionError, exit 1 on every run.)"""
    entry = _load_entry(tmp_path)
    (entry / cache.SUMS).write_bytes(b"[" * 20_000 + b"]" * 20_000)  # (within its 64 KB bound)
    assert cache.load(tmp_path, KEY) is None
    assert "corrupt, rebuilt" in capsys.readouterr().err and not entry.exists()


def test_a_load_entrys_file_grown_past_its_size_is_not_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """crc32.json holds each file's size beside its CRC-32: meta.json grown since (here to 150 MB, sparse: no disk
    used) is refused by its size before a byte of it is read into memory. (Was: read whole, then found wrong: a
    file of several GB under an entry's name ran the machine out of memory.)"""
    entry = _load_entry(tmp_path)
    os.truncate(entry / "meta.json", 150 << 20)
    assert cache.load(tmp_path, KEY) is None
    assert "(meta.json: more than 2 bytes)" in capsys.readouterr().err


def test_a_load_entrys_file_as_a_link_is_not_followed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    entry = _load_entry(tmp_path)
    mine = tmp_path / "meta-saya.json"
    mine.write_text("{}", encoding="utf-8")
    os.utime(mine, (0, 0))
    (entry / "meta.json").unlink()
    (entry / "meta.json").symlink_to(mine)
    assert cache.load(tmp_path, KEY) is None
    assert "meta.json: not a regular file (link)" in capsys.readouterr().err
    assert (entry / "meta.json").is_symlink() and mine.stat().st_mtime == 0  # the link stays, its target untouched


def test_another_users_cache_is_not_used_and_no_error(tmp_path: Path) -> None:
    """A cache written by root (one `sudo pkp` run: its entry folders are 0700), read by another user: each entry
    is said not to be readable and not used; the command goes on. (Was: PermissionError, exit 1 on every run.)"""
    root = Path(tempfile.mkdtemp(prefix="pkp-trust-"))
    try:
        os.chmod(root, 0o755)
        store = root / "cache"
        store.mkdir(mode=0o755)
        entry = _load_entry(store)
        os.chmod(entry, 0o700)
        _saved(store)
        os.chmod(_file(store), 0o600)
        kept = store / "pkp-schedule-000000000000000000000001.json"
        write_kept(kept, '{"a": 1}')
        os.chmod(kept, 0o600)
        code = (
            "from pathlib import Path; from pkp_cli.ingest import cache, kept_json\n"
            f"s = Path('cache'); print(cache.load(s, '{KEY}'), cache.load_file(s, '{KEY}'), "
            f"kept_json.read_kept(s / '{kept.name}'))\n"
        )
        if os.geteuid() == 0:
            res = _as_nobody(code, root, probe="import pyarrow, pkp_cli.ingest.cache")
        else:
            for p in (entry, _file(store), kept):
                os.chmod(p, 0)
            res = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=60)
        assert res.returncode == 0, res.stderr
        assert res.stdout.split() == ["None", "None", "None"]
        notes = res.stderr.splitlines()
        assert len(notes) == 3 and all(
            "tidak dapat dibaca, tidak dipakai / cannot be read, not used (" in n for n in notes
        )
        assert entry.is_dir() and _file(store).exists() and kept.exists()  # not touched
        assert stat.S_IMODE(entry.stat().st_mode) in (0o700, 0)
    finally:
        for p in root.rglob("*"):
            with contextlib.suppress(OSError):
                os.chmod(p, 0o755 if p.is_dir() else 0o644)
        shutil.rmtree(root, ignore_errors=True)
