"""A file entry leaves out the columns that need no bytes (cache._slim): a cell-as-written column `_raw_X` equal to
its parsed column `X` in every row, and a column with no value at all; they are put back on reading, so that what
an entry reads back is the table it was given, whatever its rows (dirty cells keep their `_raw_X` column)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pkp_cli.ingest import cache
from pkp_cli.ingest.load import load_data
from tests.factories import write_lokasi

TEXT = st.one_of(st.none(), st.sampled_from(["51.04.01", "PISEW", " 51.04.01", "Persiapan", ""]), st.text(max_size=4))
TYPES = {
    "large_string": pa.large_string(),
    "string": pa.string(),
    "int64": pa.int64(),
    "timestamp": pa.timestamp("ns"),
    "dictionary": pa.dictionary(pa.int8(), pa.large_string()),
}


def _column(values: list[str | None], kind: str) -> pa.Array:
    if kind in ("large_string", "string"):
        return pa.array(values, type=TYPES[kind])
    if kind == "dictionary":
        return pa.array(values, type=pa.large_string()).dictionary_encode().cast(TYPES[kind])
    numbers = [None if v is None else len(v) for v in values]
    return pa.array(numbers, type=pa.int64()).cast(TYPES[kind])


@pytest.fixture(autouse=True)
def slim_small_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    # small tables stand for big ones (entries of fewer than SLIM_MIN_ROWS rows are written whole)
    monkeypatch.setattr(cache, "SLIM_MIN_ROWS", 0)


@st.composite
def tables(draw: st.DrawFn) -> pa.Table:
    n = draw(st.integers(0, 12))
    columns: dict[str, pa.ChunkedArray] = {}
    for i in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(sorted(TYPES)))
        values = draw(st.lists(TEXT, min_size=n, max_size=n))
        parsed = _column(values, kind)
        how = draw(st.sampled_from(["same", "equal", "differs", "other-type", "none", "null"]))
        if how == "null":
            parsed = pa.nulls(n, parsed.type)
        columns[f"c{i}"] = pa.chunked_array([parsed], parsed.type)
        if how == "same":  # the very array (text that parsed to itself)
            columns[f"_raw_c{i}"] = columns[f"c{i}"]
        elif how == "equal":  # equal values in other buffers and chunks
            cut = draw(st.integers(0, n))
            columns[f"_raw_c{i}"] = pa.chunked_array([parsed[:cut], parsed[cut:]], parsed.type)
        elif how == "differs":
            dirty = list(values)
            if n:
                dirty[draw(st.integers(0, n - 1))] = draw(TEXT)
            columns[f"_raw_c{i}"] = pa.chunked_array([_column(dirty, kind)])
        elif how == "other-type":
            columns[f"_raw_c{i}"] = pa.chunked_array([_column(values, "string" if kind != "string" else "int64")])
    if draw(st.booleans()):  # row numbers: counting up by one, or nearly
        first = draw(st.integers(-5, 2**31 - 20))
        counted = list(range(first, first + n))
        if n and draw(st.booleans()):
            counted[draw(st.integers(0, n - 1))] += draw(st.sampled_from([-1, 1, 7]))
        columns["_row"] = pa.chunked_array([pa.array(counted, type=draw(st.sampled_from([pa.int64(), pa.int32()])))])
    if draw(st.booleans()):  # a count that ends at its type's largest value
        columns["_top"] = pa.chunked_array([pa.array(range(127 - n + 1, 128), type=pa.int8())])
    if draw(st.booleans()):
        columns["_raw_nothing"] = pa.chunked_array([pa.nulls(n, pa.large_string())])  # its X is missing
    names = list(columns)
    order = draw(st.permutations(names))
    return pa.table({k: columns[k] for k in order})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(table=tables(), other=tables(), stream=st.booleans(), note=st.text(max_size=5))
def test_an_entry_reads_back_the_table_it_was_given(
    tmp_path: Path, table: pa.Table, other: pa.Table, stream: bool, note: str
) -> None:
    # in memory or streamed into the file (the header's room padded with spaces), one table or two
    key = "e" * 32
    size = cache.save_file(tmp_path, key, {"shown": note}, {"progres": table, "lokasi": other}, stream=stream)
    assert size == (tmp_path / f"{cache.FILE_PREFIX}{key}{cache.FILE_SUFFIX}").stat().st_size
    loaded = cache.load_file(tmp_path, key)
    assert loaded is not None
    assert loaded[0]["shown"] == note
    for name, given_table in (("progres", table), ("lokasi", other)):
        back = loaded[1][name]
        assert back.schema == given_table.schema
        assert back.equals(given_table)
        for column in given_table.column_names:
            assert back.column(column).to_pylist() == given_table.column(column).to_pylist()


def _big(dirty: bool) -> pa.Table:
    n = 300_000
    codes = pa.array([f"51.{i % 97:02d}.{i % 89:02d}" for i in range(n)], type=pa.large_string())
    raw = codes if not dirty else pa.array([f" 51.{i % 97:02d}.{i % 89:02d}" for i in range(n)], pa.large_string())
    return pa.table({"kode_lokasi": codes, "_raw_kode_lokasi": raw, "provinsi": pa.nulls(n, pa.large_string())})


def _size(folder: Path, key: str) -> int:
    return (folder / f"{cache.FILE_PREFIX}{key}{cache.FILE_SUFFIX}").stat().st_size


def test_a_streamed_entry_is_the_entry_written_in_memory(tmp_path: Path) -> None:
    table = _big(dirty=True)
    assert cache.save_file(tmp_path, "1" * 32, {"n": 1}, {"frame": table, "small": table.slice(0, 3)}, stream=True)
    assert cache.save_file(tmp_path, "2" * 32, {"n": 1}, {"frame": table, "small": table.slice(0, 3)})
    streamed, kept = (_header_and_body(tmp_path / f"{cache.FILE_PREFIX}{k * 32}{cache.FILE_SUFFIX}") for k in "12")
    # the same header (but its padding, and each entry's own key) and bytes
    assert streamed[0].pop("key") == "1" * 32 and kept[0].pop("key") == "2" * 32
    assert streamed[0] == kept[0] and streamed[1] == kept[1]


def test_columns_that_need_no_bytes_are_not_written(tmp_path: Path) -> None:
    clean, dirty = _big(dirty=False), _big(dirty=True)
    assert cache.save_file(tmp_path, "a" * 32, {}, {"progres": clean}) > 0
    assert cache.save_file(tmp_path, "b" * 32, {}, {"progres": clean.select(["kode_lokasi"])}) > 0
    assert cache.save_file(tmp_path, "c" * 32, {}, {"progres": dirty}) > 0
    # the raw column equal to the codes and the empty column cost next to nothing; dirty raw cells are kept
    assert _size(tmp_path, "a" * 32) < _size(tmp_path, "b" * 32) + 2_000
    assert _size(tmp_path, "c" * 32) > 1.5 * _size(tmp_path, "b" * 32)
    for key, table in (("a" * 32, clean), ("c" * 32, dirty)):
        loaded = cache.load_file(tmp_path, key)
        assert loaded is not None and loaded[1]["progres"].equals(table)


def _header_and_body(path: Path) -> tuple[dict, bytes]:
    data = path.read_bytes()
    header, at = cache.entry_parts(data)  # (its checksum checked)
    return header, data[at:]


def _rewrite(path: Path, header: dict, body: bytes) -> None:
    """An entry written as pkp writes one, checksum included: what it holds is what the test damages."""
    path.write_bytes(cache.entry_bytes(header, body))


@pytest.mark.parametrize("damage", ["schema", "same", "rows", "extra"])
def test_an_entry_whose_columns_cannot_be_put_back_is_rebuilt_with_a_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], damage: str
) -> None:
    key = "d" * 32
    cache.save_file(tmp_path, key, {}, {"progres": _big(dirty=False).slice(0, 50)})
    path = tmp_path / f"{cache.FILE_PREFIX}{key}{cache.FILE_SUFFIX}"
    header, body = _header_and_body(path)
    restore = header["tables"]["progres"][2]
    assert restore["same"] == {"_raw_kode_lokasi": "kode_lokasi"} and restore["nulls"] == ["provinsi"]
    if damage == "schema":
        restore["schema"] = "bm90IGEgc2NoZW1h"
    elif damage == "same":
        restore["same"] = {"_raw_kode_lokasi": "gone"}
    elif damage == "rows":
        restore["rows"] = 49
    else:
        header["tables"]["progres"].append({})
    _rewrite(path, header, body)
    capsys.readouterr()
    assert cache.load_file(tmp_path, key) is None
    assert "corrupt, rebuilt" in capsys.readouterr().err
    assert not path.exists()


def test_small_tables_are_written_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "SLIM_MIN_ROWS", 1024)
    for n, slimmed in ((1023, False), (1024, True)):
        key = str(n % 10) * 32
        table = _big(dirty=False).slice(0, n)
        cache.save_file(tmp_path, key, {}, {"progres": table})
        header, _ = _header_and_body(tmp_path / f"{cache.FILE_PREFIX}{key}{cache.FILE_SUFFIX}")
        assert bool(header["tables"]["progres"][2]) is slimmed
        loaded = cache.load_file(tmp_path, key)
        assert loaded is not None and loaded[1]["progres"].equals(table)


def test_row_numbers_are_not_written(tmp_path: Path) -> None:
    n = 300_000
    rows = pa.table({"_row": pa.array(range(2, n + 2), pa.int64()), "_src": pa.array(range(n), pa.int64())})
    cache.save_file(tmp_path, "9" * 32, {}, {"progres": rows})
    assert _size(tmp_path, "9" * 32) < 10_000
    loaded = cache.load_file(tmp_path, "9" * 32)
    assert loaded is not None and loaded[1]["progres"].equals(rows)


def test_an_entry_of_the_former_layout_still_reads(tmp_path: Path) -> None:
    # spans of two items and no column left out: what pkp wrote before
    key = "f" * 32
    table = pa.table({"kode_lokasi": ["51.04.01"], "_raw_kode_lokasi": ["51.04.01"]})
    cache.save_file(tmp_path, key, {"shown": "x"}, {"progres": table})
    path = tmp_path / f"{cache.FILE_PREFIX}{key}{cache.FILE_SUFFIX}"
    header, _body = _header_and_body(path)
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    blob = sink.getvalue().to_pybytes()
    header["tables"] = {"progres": [0, len(blob)]}
    _rewrite(path, header, blob)
    loaded = cache.load_file(tmp_path, key)
    assert loaded is not None and loaded[1]["progres"].equals(table)


CSV_HEADER = "Kode Lokasi,Program,Tahapan,Progres (%),Tanggal Mulai,Tanggal Selesai,Tanggal Laporan,Keterangan\n"


def test_dirty_cells_read_from_an_entry_give_the_load_without_the_cache(tmp_path: Path, mini_schedule) -> None:
    """A progress CSV whose cells differ from their parse in some rows (spaces, case, bad values): the load that
    takes it from its entry (the location workbook changed) is the load without the cache."""
    from tests.ingest.test_cache import same

    data = tmp_path / "data"
    (data / "progres" / "2022-05-20").mkdir(parents=True)
    write_lokasi(data / "lokasi.xlsx")
    rows = []
    for i in range(1200):
        code = ["51.04.01", " 51.04.02", "51.04.03 ", "x", "", "51.04.01"][i % 6]
        program = ["PISEW", "pisew", " PISEW", "PISEW"][i % 4]
        stage = ["Persiapan", "persiapan", "Pelaksanaan", "??"][i % 4]
        pct = ["10", "10%", "abc", "", "0,5"][i % 5]
        note = ["", "catatan", "  "][i % 3]
        rows.append(f"{code},{program},{stage},{pct},01/05/2022,,20/05/2022,{note}\n")
    (data / "progres" / "2022-05-20" / "bali.csv").write_text(CSV_HEADER + "".join(rows), encoding="utf-8")
    today = dt.date(2022, 6, 30)
    store = tmp_path / "cache"
    first = load_data([data], mini_schedule, today=today, cache_dir=store)
    lokasi = data / "lokasi.xlsx"
    lokasi.write_bytes(lokasi.read_bytes())  # another inode and time: the location workbook is read again
    again = load_data([data], mini_schedule, today=today, cache_dir=store)
    assert again.parsed == [str(lokasi)]
    fresh = load_data([data], mini_schedule, today=today)
    same(first, fresh)
    same(again, fresh)
    assert fresh.errors  # dirty indeed


def test_an_entry_of_another_layout_is_never_looked_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two builds of one version with different entry layouts (a development build and the release it came from)
    look up different keys, so neither reads the other's entries as damaged and rebuilds them on every run."""
    data = tmp_path / "a.csv"
    data.write_text("x\n1\n", encoding="utf-8")
    now = (cache.file_key(data, "a.csv", {}), cache.derived_key("status", {"asof": "2022-06-01"}))
    monkeypatch.setattr(cache, "ENTRY_LAYOUT", cache.ENTRY_LAYOUT + 1)
    other = (cache.file_key(data, "a.csv", {}), cache.derived_key("status", {"asof": "2022-06-01"}))
    assert now[0] != other[0]
    assert now[1] != other[1]


@pytest.mark.parametrize(("rows", "first"), [(2_001, 1), (10**15, 1), (2_000, 2**63 - 3), (2_000, -(2**63) - 1)])
def test_a_row_count_in_the_header_is_never_trusted_beyond_the_data(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], rows: int, first: int
) -> None:
    """A table whose every column is left out (row numbers and an empty column) keeps no data column to hold its
    row count against: the row count of its stream (a table of no columns keeps its rows) is what the header must
    agree with. A damaged or planted header asking for 10^15 rows is refused, not built (numpy would fail with a
    MemoryError, which no caller expects, or take every byte of memory); nor a first row number whose count would
    leave its type (numpy's arange wraps int64 round silently)."""
    key = "e" * 32
    table = pa.table({"_row": pa.array(range(1, 2_001), type=pa.int64()), "kosong": pa.nulls(2_000, pa.string())})
    cache.save_file(tmp_path, key, {}, {"progres": table})
    path = tmp_path / f"{cache.FILE_PREFIX}{key}{cache.FILE_SUFFIX}"
    header, body = _header_and_body(path)
    restore = header["tables"]["progres"][2]
    assert restore["ranges"] == {"_row": 1} and restore["nulls"] == ["kosong"]  # nothing of it is written
    assert cache.load_file(tmp_path, key)[1]["progres"].equals(table)  # as written, it reads back
    restore["rows"], restore["ranges"]["_row"] = rows, first
    _rewrite(path, header, body)
    capsys.readouterr()
    assert cache.load_file(tmp_path, key) is None
    assert "corrupt, rebuilt" in capsys.readouterr().err
