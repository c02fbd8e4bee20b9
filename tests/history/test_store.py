"""history/store.py: the snapshot format read back as written, footers that say what a file is, and the files
that are not snapshots (skipped, named, never deleted)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pkp_cli.history import store


def tables(n_status: int = 3) -> dict[str, pd.DataFrame]:
    return {
        "status": pd.DataFrame(
            {
                "kode_lokasi": pd.Series([f"51.01.{i:02d}" for i in range(n_status)], dtype="str"),
                "status": pd.Series(["selesai"] * n_status, dtype="str"),
                "hari_terlambat": list(range(n_status)),
                "jadwal_selesai": pd.to_datetime(["2022-05-10"] * n_status).astype("datetime64[ns]"),
            }
        ),
        "rollup": pd.DataFrame({"kode_provinsi": pd.Series([None, "51"], dtype="str"), "deviasi": [-1.5, 2.0]}),
        "kandidat": pd.DataFrame({"kode_lokasi": pd.Series([], dtype="str"), "skor": pd.Series([], dtype="float64")}),
        "temuan": pd.DataFrame({"nomor_temuan": ["T-1"], "lewat_batas": [True]}),
    }


def write(folder: Path, week: str = "2022-W22", **meta: object) -> Path:
    return store.write(folder, {"week": week, "as_of": "2022-06-03", **meta}, tables())


def test_each_table_reads_back_alone_with_its_types(tmp_path: Path) -> None:
    path = write(tmp_path, inputs=[{"name": "a.xlsx", "size": 1, "sha256": "0" * 64}])
    snap = store.open_snapshot(path)
    assert snap.week == "2022-W22" and snap.as_of == date(2022, 6, 3)
    assert snap.meta["rows"] == {"rollup": 2, "temuan": 1, "kandidat": 0, "status": 3}
    assert set(snap.row_groups) == {"rollup", "temuan", "status"}  # an empty table has no row with data
    st = store.read(snap, "status", ["kode_lokasi", "hari_terlambat", "jadwal_selesai"])
    assert list(st.columns) == ["kode_lokasi", "hari_terlambat", "jadwal_selesai"]
    assert list(st["hari_terlambat"]) == [0, 1, 2] and st["jadwal_selesai"].dtype == "datetime64[ns]"
    roll = store.read(snap, "rollup", ["kode_provinsi", "deviasi"])
    assert pd.isna(roll["kode_provinsi"].iloc[0]) and list(roll["deviasi"]) == [-1.5, 2.0]
    assert len(store.read(snap, "kandidat", ["kode_lokasi", "skor"])) == 0
    cat = store.read(snap, "status", ["status"], categories=("status",))
    assert isinstance(cat["status"].dtype, pd.CategoricalDtype)


def test_scan_sorts_out_every_file(tmp_path: Path) -> None:
    write(tmp_path, "2022-W22")
    write(tmp_path, "2022-W21")
    (tmp_path / ".lock").touch()
    (tmp_path / ".2022-W23.parquet.pkp4242-ab_cd12x.tmp").write_bytes(b"half")
    (tmp_path / "2022-W20.parquet").write_bytes(b"garbage")
    pq.write_table(pa.table({"x": [1]}), tmp_path / "2022-W19.parquet")  # Parquet, not ours
    write(tmp_path / "sub", "2022-W18").rename(tmp_path / "2022-W17.parquet")  # a week under another week's name
    (tmp_path / "sub").rmdir()
    (tmp_path / "README.txt").write_text("x", encoding="utf-8")
    (tmp_path / "folder").mkdir()
    listing = store.scan(tmp_path)
    assert [s.week for s in listing.snapshots] == ["2022-W21", "2022-W22"]
    assert {b.path.name: b.reason for b in listing.bad} == {
        "2022-W20.parquet": store.CORRUPT,
        "2022-W19.parquet": store.FOREIGN,
        "2022-W17.parquet": store.FOREIGN,
        "README.txt": store.FOREIGN,
        "folder": store.FOREIGN,
    }
    assert [p.name for p in listing.leftovers] == [".2022-W23.parquet.pkp4242-ab_cd12x.tmp"]

    assert listing.week("2022-W21") is not None and [s.week for s in listing.before("2022-W22")] == ["2022-W21"]


def test_a_newer_format_is_skipped_not_misread(tmp_path: Path) -> None:
    path = write(tmp_path)
    meta = store.open_snapshot(path).meta
    table = pq.read_table(path)
    import json

    newer = table.replace_schema_metadata({store.META_KEY: json.dumps({**meta, "format": store.FORMAT + 1})})
    pq.write_table(newer, path)
    with pytest.raises(store.SnapshotError) as err:
        store.open_snapshot(path)
    assert err.value.reason == store.NEWER


def test_set_aside_renames_and_keeps_the_bytes(tmp_path: Path) -> None:
    bad = tmp_path / "2022-W22.parquet"
    bad.write_bytes(b"not ours")
    moved = store.set_aside(bad, "20220606T060000Z")
    assert not bad.exists() and moved.read_bytes() == b"not ours"
    bad.write_bytes(b"again")
    assert store.set_aside(bad, "20220606T060000Z").name.endswith("-2")


def test_iso_weeks() -> None:
    assert store.iso_week(date(2022, 6, 3)) == "2022-W22"
    assert store.iso_week(date(2021, 1, 3)) == "2020-W53"  # a Sunday that belongs to the previous ISO year
    assert store.week_start("2022-W22") == date(2022, 5, 30)


def test_damaged_rows_are_reported_in_printable_words(tmp_path: Path) -> None:
    """The footer reads, the rows do not: SnapshotError(CORRUPT) with a detail fit for stderr and spreadsheet cells
    (pyarrow's message quotes the bytes it choked on)."""
    path = store.write(tmp_path, {"week": "2022-W22", "as_of": "2022-06-03"}, tables(50_000))
    data = bytearray(path.read_bytes())
    footer = int.from_bytes(data[-8:-4], "little") + 8
    for i in range(len(data) // 4, len(data) - footer - 16):
        data[i] = 0xFF
    path.write_bytes(bytes(data))
    snap = store.open_snapshot(path)  # the footer is whole
    with pytest.raises(store.SnapshotError) as err:
        store.read(snap, "status")
    assert err.value.reason == store.CORRUPT and err.value.detail.isprintable()


def test_error_details_are_printable() -> None:
    # pyarrow quotes the bytes it choked on ("don't know what type: \x0f"); details go to stderr and xlsx cells
    detail = store._short(OSError("Couldn't deserialize thrift: don't know what type: \x0f\nmore"))
    assert detail == "Couldn't deserialize thrift: don't know what type: \\x0f"


def test_a_damaged_value_in_a_page_is_found_by_its_checksum(tmp_path: Path) -> None:
    """Written uncompressed, the status table's day counts lie in its file as plain int64 (0, 1, 2, in the column's
    dictionary page): one flipped bit makes another number, which Parquet decodes without a word. Every page
    carries a CRC-32 (written and checked): reading the damaged table is SnapshotError(CORRUPT), so the weekly
    digest names the file instead of comparing with a wrong last week. The other tables still read."""
    path = store.write(tmp_path, {"week": "2022-W22", "as_of": "2022-06-03"}, tables(), compression="none")
    snap = store.open_snapshot(path)
    group = snap.row_groups["status"][0]
    md = pq.read_metadata(path)
    index = md.schema.to_arrow_schema().get_field_index("hari_terlambat")
    chunk = md.row_group(group).column(index)
    data = bytearray(path.read_bytes())
    plain = (0).to_bytes(8, "little") + (1).to_bytes(8, "little") + (2).to_bytes(8, "little")
    start = chunk.dictionary_page_offset if chunk.has_dictionary_page else chunk.data_page_offset
    at = data.index(plain, start, start + chunk.total_compressed_size)  # the three values (its dictionary page)
    data[at + 8] ^= 0x04  # 1 -> 5
    path.write_bytes(bytes(data))
    with pytest.raises(store.SnapshotError) as caught:
        store.read(store.open_snapshot(path), "status", ["hari_terlambat"])
    assert caught.value.reason == store.CORRUPT and "CRC" in caught.value.detail
    assert list(store.read(store.open_snapshot(path), "rollup", ["deviasi"])["deviasi"]) == [-1.5, 2.0]
    # (without the page checksums the damaged table read back as [0, 5, 2])
    unchecked = pq.ParquetFile(path).read_row_groups([group], columns=["hari_terlambat"]).to_pydict()
    assert unchecked["hari_terlambat"] == [0, 5, 2]
