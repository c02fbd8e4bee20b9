"""A load entry's small table is made in memory and written at once (cache._write_table): the same bytes and CRC
as streamed through the summing file object, which a table above COMPRESS_ABOVE_BYTES still is (compressed)."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest

from pkp_cli.ingest import cache


def _table() -> pa.Table:
    return pa.table({"kode": [f"51.{i:04d}" for i in range(2000)], "n": list(range(2000))})


def test_a_small_table_is_written_at_once_with_the_bytes_a_stream_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    table = _table()
    monkeypatch.setattr(cache, "COMPRESS_ABOVE_BYTES", table.nbytes)  # the boundary: not above, so small
    streamed = tmp_path / "streamed.arrow"
    with streamed.open("wb") as fh:  # what the streamed way writes, uncompressed (as a small table is)
        summed = cache._Summed(fh)
        options = pa.ipc.IpcWriteOptions(compression=None, use_threads=True)
        with pa.ipc.new_file(pa.PythonFile(summed, mode="w"), table.schema, options=options) as writer:
            writer.write_table(table)

    def no_stream(fh: object) -> None:
        raise AssertionError("a small table went through the stream")

    monkeypatch.setattr(cache, "_Summed", no_stream)
    crc = cache._write_table(tmp_path / "small.arrow", table)
    data = (tmp_path / "small.arrow").read_bytes()
    assert data == streamed.read_bytes()
    assert crc == summed.crc == cache.crc32(data)
    assert pa.ipc.open_file(pa.py_buffer(data)).read_all().equals(table)


def test_a_table_above_the_bound_is_streamed_and_compressed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    table = _table()
    monkeypatch.setattr(cache, "COMPRESS_ABOVE_BYTES", table.nbytes - 1)  # one byte over: big
    writes: list[int] = []
    real = cache._Summed

    class Counting(real):  # type: ignore[misc, valid-type]
        def write(self, data: object) -> int:
            writes.append(1)
            return super().write(data)

    monkeypatch.setattr(cache, "_Summed", Counting)
    crc = cache._write_table(tmp_path / "big.arrow", table)
    data = (tmp_path / "big.arrow").read_bytes()
    assert writes and crc == cache.crc32(data)
    reader = pa.ipc.open_file(pa.py_buffer(data))
    assert reader.read_all().equals(table)
    if pa.Codec.is_available("lz4_frame"):
        assert len(data) < table.nbytes  # compressed (2,000 similar codes)
