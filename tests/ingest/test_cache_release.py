"""A cache write running beside the command lets go of what it writes as soon as it is serialised
(cache.save_files): the entries are taken off the list and each entry's tables emptied before the file is written,
so a slow disk does not keep a big load's Arrow buffers alive through the rest of the command."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from pkp_cli.ingest import cache


def test_save_files_lets_go_of_written_tables(tmp_path: Path) -> None:
    tables_a = {"progres": pa.table({"_sid": [0, 0], "_grp": [0, 0], "_src": [0, 1], "_row": [2, 3]})}
    tables_b = {"frame": pa.table({"a": [1, 2, 3]})}
    entries = [("a" * 32, {"x": 1}, tables_a), ("b" * 32, {"x": 2}, tables_b)]
    cache.save_files(tmp_path, entries)
    assert entries == [] and tables_a == {} and tables_b == {}
    # Both written whole: read back with their tables.
    header_a, read_a = cache.load_file(tmp_path, "a" * 32)
    assert header_a["x"] == 1 and read_a["progres"].column("_row").to_pylist() == [2, 3]
    header_b, read_b = cache.load_file(tmp_path, "b" * 32)
    assert header_b["x"] == 2 and read_b["frame"].num_rows == 3


def test_save_file_keeps_the_callers_tables_by_default(tmp_path: Path) -> None:
    tables = {"frame": pa.table({"a": [1]})}
    assert cache.save_file(tmp_path, "c" * 32, {"x": 3}, tables) > 0
    assert list(tables) == ["frame"]
