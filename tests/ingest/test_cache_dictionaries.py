"""A file's entry holds the text columns the parse factorised (location code, program, stage) as Arrow dictionaries
made from that factorisation (units._as_dictionaries): no second hash, a fifth of the bytes to compress. What an
entry reads back, and so every load that takes a file from its entry, is what it was with the text written out."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pkp_cli.ingest import cache
from pkp_cli.ingest.load import load_data
from pkp_cli.ingest.sheets import _factorize
from pkp_cli.ingest.units import to_arrow
from tests.factories import write_lokasi

TEXT = st.one_of(
    st.none(),
    st.sampled_from(["51.04.01", "51.04.01 ", "PISEW", "pisew", "", " ", "Désa", "ŠKOLA", "日本", "nan", "None"]),
    st.text(max_size=5),
)


def _text(values: list[str | None]) -> pd.Series:
    return pd.Series(pa.chunked_array([pa.array(values, type=pa.large_string())]).to_pandas(), dtype="str")


@st.composite
def records(draw: st.DrawFn) -> tuple[pd.DataFrame, dict, list]:
    """Records as the parse leaves them: text columns of Arrow text, some factorised (and their `_raw_` twin the
    same array), some replaced since (a checked column: its factorisation no longer describes it)."""
    n = draw(st.integers(0, 40))
    frame: dict[str, pd.Series] = {"_sid": pd.Series(np.zeros(n, dtype=np.int64))}
    kept = {}
    for name in ("kode_lokasi", "program", "tahapan"):
        values = draw(st.lists(TEXT, min_size=n, max_size=n))
        column = _text(values)
        if draw(st.booleans()):
            column = pd.Series(column.array, copy=False)  # NaN for a missing value, as the readers give it
        frame[name] = column
        frame[f"_raw_{name}"] = column
        how = draw(st.sampled_from(["kept", "replaced", "none"]))
        if how != "none":
            codes, uniques = _factorize(column)
            kept[name] = (column.array._pa_array, np.asarray(codes, dtype=np.int32), uniques)
        if how == "replaced":  # the checks put other values there: the factorisation is not of this array
            other = draw(st.lists(TEXT, min_size=n, max_size=n))
            frame[name] = _text(other)
    frame["keterangan"] = _text(draw(st.lists(TEXT, min_size=n, max_size=n)))
    return pd.DataFrame(frame), kept, list(kept.values())


def _as_text(table: pa.Table) -> pa.Table:
    for i, field in enumerate(table.schema):
        if pa.types.is_dictionary(field.type):
            table = table.set_column(i, field.name, table.column(i).cast(field.type.value_type))
    return table


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(records())
def test_dictionaries_read_back_as_the_text_they_stand_for(tmp_path_factory, made) -> None:
    rec, kept, dictionaries = made
    plain = to_arrow(rec)
    encoded = to_arrow(rec, dictionaries)
    assert encoded.column_names == plain.column_names
    assert _as_text(encoded).equals(plain)
    for name in ("kode_lokasi", "program", "tahapan"):
        i = encoded.column_names.index(name)
        replaced = name in kept and rec[name].array._pa_array is not kept[name][0]
        assert pa.types.is_dictionary(encoded.schema.field(i).type) is (name in kept and not replaced)
    # through an entry (slimmed, compressed, put back), as the loader reads it
    folder = tmp_path_factory.mktemp("entries")
    for slim_from in (0, 10**9):  # every table slimmed, and none
        cache.SLIM_MIN_ROWS, before = slim_from, cache.SLIM_MIN_ROWS
        try:
            assert cache.save_file(folder, "a" * 32, {}, {"progres": encoded})
            back = cache.load_file(folder, "a" * 32)
        finally:
            cache.SLIM_MIN_ROWS = before
        assert back is not None and _as_text(back[1]["progres"]).equals(plain)


def test_a_code_twin_is_still_left_out_of_the_entry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "SLIM_MIN_ROWS", 0)
    column = _text([f"51.{i % 7:02d}" for i in range(5000)])
    rec = pd.DataFrame({"kode_lokasi": column, "_raw_kode_lokasi": column})
    codes, uniques = _factorize(column)
    table = to_arrow(rec, [(column.array._pa_array, np.asarray(codes, np.int32), uniques)])
    assert pa.types.is_dictionary(table.schema.field("_raw_kode_lokasi").type)
    slim, restore = cache._slim(table)
    assert slim.column_names == ["kode_lokasi"] and restore["same"] == {"_raw_kode_lokasi": "kode_lokasi"}


def _header_and_body(path: Path) -> tuple[dict, bytes]:
    data = path.read_bytes()
    header, at = cache.entry_parts(data)  # (its checksum checked)
    return header, data[at:]


def test_codes_outside_their_dictionary_are_a_damaged_entry(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Arrow reads a stream whose dictionary codes point past its values without a word; turned into text in the
    load, they raised an IndexError (pkp's internal error). The entry is refused instead, noted and removed."""
    key = "c" * 32
    bad = pa.DictionaryArray.from_arrays(
        pa.array(np.array([0, 1, 7], dtype=np.int32)), pa.array(["a", "b"], pa.large_string()), safe=False
    )
    table = pa.table({"kode_lokasi": bad, "_sid": pa.array([0, 0, 0], pa.int64())})
    assert cache.save_file(tmp_path, key, {}, {"progres": table})
    path = tmp_path / f"{cache.FILE_PREFIX}{key}{cache.FILE_SUFFIX}"
    capsys.readouterr()
    assert cache.load_file(tmp_path, key) is None
    assert "corrupt, rebuilt" in capsys.readouterr().err
    assert not path.exists()


CSV_HEADER = "Kode Lokasi,Program,Tahapan,Progres (%),Tanggal Mulai,Tanggal Selesai,Tanggal Laporan,Keterangan\n"


@pytest.mark.parametrize("ahead", [True, False])
def test_a_file_taken_from_its_entry_loads_as_without_the_cache(
    tmp_path: Path, mini_schedule, monkeypatch: pytest.MonkeyPatch, ahead: bool
) -> None:
    """Clean and dirty cells, missing codes, non-ASCII text, duplicate rows: the progress CSV's entry holds its
    codes, programs and stages as dictionaries, and the load that takes the CSV from it (the location workbook
    changed) is the load without the cache."""
    from pkp_cli.ingest import load as load_module
    from pkp_cli.ingest import sheets
    from tests.ingest.test_cache import same

    monkeypatch.setattr(load_module, "PARSE_AHEAD", ahead)
    monkeypatch.setattr(sheets, "FACTORIZE_AHEAD_ROWS", 0)  # the percent cells factorised on the helper, as when big
    data = tmp_path / "data"
    (data / "progres" / "2022-05-20").mkdir(parents=True)
    write_lokasi(data / "lokasi.xlsx")
    rows = []
    for i in range(1500):
        code = ["51.04.01", "51.04.02", "51.04.03", "", "51.04.01", "51.99.99"][i % 6]
        program = ["PISEW", "PISEW", "PISEW", "Pisew"][i % 4]
        stage = ["Persiapan", "Pelaksanaan", "Persiapan", "Sosialisasi Désa"][i % 4]
        note = ["", "catatan", "ŠKOLA 日本"][i % 3]
        rows.append(f"{code},{program},{stage},{i % 100},01/05/2022,,20/05/2022,{note}\n")
    rows += rows[:10]  # duplicates
    (data / "progres" / "2022-05-20" / "bali.csv").write_text(CSV_HEADER + "".join(rows), encoding="utf-8")
    today = dt.date(2022, 6, 30)
    store = tmp_path / "cache"
    first = load_data([data], mini_schedule, today=today, cache_dir=store)
    entries = [p for p in store.iterdir() if p.name.startswith(cache.FILE_PREFIX)]
    encoded = set()
    for path in entries:
        got = cache.load_file(store, path.name[len(cache.FILE_PREFIX) : -len(cache.FILE_SUFFIX)])
        assert got is not None
        for table in got[1].values():
            encoded |= {f.name for f in table.schema if pa.types.is_dictionary(f.type)}
    assert {"kode_lokasi", "keterangan", "_raw_progres_persen"} <= encoded
    lokasi = data / "lokasi.xlsx"
    lokasi.write_bytes(lokasi.read_bytes())  # another inode and time: the location workbook is read again
    again = load_data([data], mini_schedule, today=today, cache_dir=store)
    assert again.parsed == [str(lokasi)]
    fresh = load_data([data], mini_schedule, today=today)
    same(first, fresh)
    same(again, fresh)


def test_a_column_and_its_twin_are_decoded_once() -> None:
    """`merge` decodes a dictionary array held by two columns (a code and its cells as written) once, so that the two
    share their text as when parsed (decoded twice, the national CSV's entry took about 100 MB more to merge)."""
    from pkp_cli.ingest.units import _same_data

    codes = pa.array(["51.01", "51.02", "51.01", None, "51.02"], pa.large_string()).dictionary_encode()
    alike = pa.array(["51.01", "51.02", "51.01", None, "51.02"], pa.large_string()).dictionary_encode()
    table = pa.table(
        {"kode_lokasi": codes.slice(0, 4), "_raw_kode_lokasi": codes.slice(0, 4), "other": alike.slice(0, 4),
         "part": codes.slice(1)}
    )  # fmt: skip
    keys = [_same_data(table.column(i)) for i in range(4)]
    assert keys[0] == keys[1]
    assert keys[2] != keys[0] and keys[3] != keys[0]  # equal values elsewhere, or a slice: decoded on their own
