"""Big tables in file entries: a loaded file's records with zstd (a third of lz4's bytes, written as fast), derived
frames that warm runs read back with lz4; both read back exactly, and an entry written with the other codec (an
older pkp's) still reads."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from pkp_cli.ingest import cache


def _big_table() -> pa.Table:
    # about 2.6 MB of repeated codes and dates: over COMPRESS_ABOVE_BYTES (1 MiB), so compressed
    n = 200_000
    codes = pa.array([f"51.{i % 97:02d}.{i % 13:02d}" for i in range(n)], type=pa.large_string())
    return pa.table({"kode_lokasi": codes, "n": pa.array(range(n), type=pa.int64())})


def _size(folder: Path, key: str) -> int:
    return (folder / f"{cache.FILE_PREFIX}{key}{cache.FILE_SUFFIX}").stat().st_size


def test_file_entries_use_zstd_and_read_back_exactly(tmp_path: Path):
    table = _big_table()
    assert table.nbytes > cache.COMPRESS_ABOVE_BYTES
    assert cache.save_file(tmp_path, "a" * 32, {"shown": "x"}, {"progres": table}) > 0  # FILE_CODEC (zstd)
    assert cache.save_file(tmp_path, "b" * 32, {"shown": "x"}, {"progres": table}, ("lz4", None)) > 0
    for key in ("a" * 32, "b" * 32):  # the other codec (what pkp wrote before) reads as well
        loaded = cache.load_file(tmp_path, key)
        assert loaded is not None
        assert loaded[1]["progres"].equals(table)
    # zstd level 1 on repeated codes: well under lz4's bytes (the national CSV's records: 29 MB against 88 MB)
    assert _size(tmp_path, "a" * 32) < 0.8 * _size(tmp_path, "b" * 32)


def test_derived_frames_keep_lz4(tmp_path: Path):
    # save_files with DERIVED_CODEC (what save_frame and save_kept_tables pass) writes what lz4 writes
    table = _big_table()
    cache.save_files(tmp_path, [("c" * 32, {"derived": "status"}, {"frame": table})], cache.DERIVED_CODEC)
    cache.save_file(tmp_path, "d" * 32, {"derived": "status"}, {"frame": table}, ("lz4", None))
    assert _size(tmp_path, "c" * 32) == _size(tmp_path, "d" * 32)
    assert cache.DERIVED_CODEC == ("lz4", None)
