"""Small JSON entries (ingest/kept_json.py: the validated schedule and the holiday list): written under a temporary
name and renamed, read back only with pkp's magic, temporary files of killed runs cleared, the number of entries
bounded, and nothing without pkp's magic ever removed or overwritten."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from pkp_cli.ingest import kept_json
from pkp_cli.ingest.kept_json import MAGIC, TMP_PREFIX, kept_bytes, prune_kept, read_kept, write_kept

HOUR = 3600


def _name(i: int, kind: str = "schedule") -> str:
    return f"pkp-{kind}-{i:024x}.json"


def _age(path: Path, seconds: float) -> None:
    t = time.time() - seconds
    os.utime(path, (t, t), follow_symlinks=False)


def test_written_then_read_back(tmp_path: Path) -> None:
    entry = tmp_path / "cache" / _name(1)
    write_kept(entry, '{"a": 1}')
    # the magic, the CRC-32 of the entry's name, a newline and the text (zlib's: 0xa11838cd for
    # "pkp-schedule-000000000000000000000001.json\n{"a": 1}"), the text
    assert entry.read_bytes() == MAGIC.encode() + b'crc32n a11838cd\n{"a": 1}' == kept_bytes('{"a": 1}', entry.name)
    assert read_kept(entry) == '{"a": 1}'
    assert [p.name for p in entry.parent.iterdir()] == [entry.name]  # no temporary file left


@pytest.mark.parametrize(
    ("kept", "noted"),
    [
        (MAGIC.encode() + b'crc32n a11838cd\n{"a": 2}', True),  # a digit changed: still JSON, not what was kept
        (MAGIC.encode() + b'crc32n a11838cc\n{"a": 1}', True),  # the checksum line damaged
        (MAGIC.encode() + b'crc32n a11838cd\n{"a": 1', True),  # cut short
        (MAGIC.encode() + b'crc32n a11838cd\n{"a": 1}\xff', True),  # a byte more
        (MAGIC.encode() + b'{"a": 1}', False),  # an earlier pkp's entry (no checksum line): rebuilt, no note
        (MAGIC.encode() + b'crc32 fba18e97\n{"a": 1}', False),  # an earlier one's (of the text only): the same
        (MAGIC.encode() + b"crc32n a11838c\n{}", False),  # no checksum line of the form
    ],
)
def test_a_damaged_entry_is_not_used_and_goes_with_a_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kept: bytes, noted: bool
) -> None:
    entry = tmp_path / _name(1)
    entry.write_bytes(kept)
    assert read_kept(entry) is None
    err = capsys.readouterr().err
    assert ("corrupt, rebuilt" in err) is noted
    assert entry.exists() is not noted  # a damaged entry goes; an old one stays until it is written anew
    write_kept(entry, '{"a": 1}')
    assert read_kept(entry) == '{"a": 1}'


def test_an_entry_under_another_entrys_name_is_not_used(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Two entries' files swapped (or one copied over the other): each is whole, with its checksum line, but not
    what its name was made for (another schedule, another year's holidays): neither is used, each goes with a
    note, and what is written next under the name is read back."""
    one, two = tmp_path / _name(1), tmp_path / _name(2)
    write_kept(one, '{"year": 2022}')
    write_kept(two, '{"year": 2023}')
    data_one, data_two = one.read_bytes(), two.read_bytes()
    one.write_bytes(data_two)
    two.write_bytes(data_one)
    assert read_kept(one) is None and read_kept(two) is None
    err = capsys.readouterr().err
    assert err.count("corrupt, rebuilt") == 2 and one.name in err and two.name in err
    assert not one.exists() and not two.exists()
    write_kept(one, '{"year": 2022}')
    assert read_kept(one) == '{"year": 2022}'


def test_missing_or_foreign_reads_as_nothing(tmp_path: Path) -> None:
    assert read_kept(tmp_path / _name(1)) is None
    (tmp_path / _name(2)).write_text('{"a": 1}', encoding="utf-8")  # the JSON, but not pkp's magic
    assert read_kept(tmp_path / _name(2)) is None
    (tmp_path / _name(3)).write_bytes(b"\xff\xfe")  # not text
    assert read_kept(tmp_path / _name(3)) is None


def test_a_foreign_file_under_the_name_is_not_overwritten(tmp_path: Path) -> None:
    entry = tmp_path / _name(1)
    entry.write_text("a user's notes", encoding="utf-8")
    write_kept(entry, "[]")
    assert entry.read_text(encoding="utf-8") == "a user's notes"
    assert [p.name for p in tmp_path.iterdir()] == [entry.name]


def test_a_name_that_is_not_an_entry_is_not_written(tmp_path: Path) -> None:
    write_kept(tmp_path / "notes.json", "[]")
    assert list(tmp_path.iterdir()) == []


def test_stale_temporary_files_of_killed_runs_go_and_nothing_else(tmp_path: Path) -> None:
    stale = tmp_path / f"{TMP_PREFIX}abc123"
    stale.write_text(MAGIC + "[", encoding="utf-8")  # a write cut short
    _age(stale, HOUR + 60)
    fresh = tmp_path / f"{TMP_PREFIX}def456"  # another run may be writing it now
    fresh.write_text(MAGIC + "[", encoding="utf-8")
    _age(fresh, HOUR - 60)  # the boundary: younger than an hour stays
    foreign = tmp_path / f"{TMP_PREFIX}ghi789"  # pkp's temporary name, not pkp's content
    foreign.write_text("keep me", encoding="utf-8")
    _age(foreign, 10 * HOUR)
    prune_kept(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([fresh.name, foreign.name])


def test_entries_are_bounded_least_recently_used_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kept_json, "MAX_ENTRIES", 3)
    entries = [tmp_path / _name(i, "holidays" if i % 2 else "schedule") for i in range(4)]
    for age, entry in zip((40, 30, 20, 10), entries, strict=True):
        entry.write_bytes(kept_bytes("[]", entry.name))
        _age(entry, age)
    assert read_kept(entries[0]) == "[]"  # the oldest is used now: the second oldest goes instead
    lookalike = tmp_path / _name(9)  # an entry's name without the magic: neither counted first nor removed
    lookalike.write_text("[]", encoding="utf-8")
    _age(lookalike, 1000)
    prune_kept(tmp_path)
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == sorted([entries[0].name, entries[2].name, entries[3].name, lookalike.name])
    # At the bound nothing goes.
    prune_kept(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == left


def test_a_symlink_under_an_entry_name_is_left_alone(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.txt"
    target.write_text(MAGIC + "[]", encoding="utf-8")
    store = tmp_path / "store"
    store.mkdir()
    link = store / _name(1)
    link.symlink_to(target)
    write_kept(link, '["x"]')
    assert link.is_symlink() and target.read_text(encoding="utf-8") == MAGIC + "[]"
