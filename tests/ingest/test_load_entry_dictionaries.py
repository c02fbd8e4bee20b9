"""A load's cache entry holds the frames' text columns that still hold what the parse factorised (codes, programs,
stages, notes) as Arrow dictionaries of that factorisation (cache._table, LoadResult.text_codes): the national CSV's
110 MB of such text was compressed again at the end of every first run, 27 MB of codes now. What a warm load reads
back is the frame the load made, to the dtype, whatever rows the checks rejected."""

from __future__ import annotations

import datetime as dt
import json
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
from tests.factories import write_lokasi
from tests.ingest.test_cache import same

TODAY = dt.date(2022, 6, 30)
CSV_HEADER = "Kode Lokasi,Program,Tahapan,Progres (%),Tanggal Mulai,Tanggal Selesai,Tanggal Laporan,Keterangan\n"


def _folder(tmp_path: Path, stages: list[str]) -> Path:
    """A location workbook and a progress CSV of 1,500 rows: clean rows, rows the checks reject (no code, a code of
    no location), duplicate copies, missing and non-ASCII notes."""
    data = tmp_path / "data"
    (data / "progres" / "2022-05-20").mkdir(parents=True)
    write_lokasi(data / "lokasi.xlsx")
    rows = []
    codes = ["51.04.01", "51.04.02", "51.04.03", "", "51.99.99"]
    for i in range(1500):
        code, stage = codes[i % 5], stages[(i // 5) % len(stages)]
        report = dt.date(2022, 1, 1) + dt.timedelta(days=i // (5 * len(stages)))  # one report a day per stage
        note = ["", "catatan", "ŠKOLA 日本"][i % 3]
        rows.append(f"{code},PISEW,{stage},{i % 100},01/01/2022,,{report:%d/%m/%Y},{note}\n")
    rows += rows[:10]  # duplicate copies: not loaded
    (data / "progres" / "2022-05-20" / "bali.csv").write_text(CSV_HEADER + "".join(rows), encoding="utf-8")
    return data


def _entry_frame(store: Path, name: str) -> pa.Table:
    (entry,) = [p for p in store.iterdir() if p.name.startswith(cache.ENTRY_PREFIX)]
    return pa.ipc.open_file(pa.py_buffer((entry / f"{name}.arrow").read_bytes())).read_all()


def _listed(table: pa.Table) -> list[str]:
    return json.loads((table.schema.metadata or {}).get(cache.TEXT_DICTIONARIES, b"[]"))


@pytest.mark.parametrize(
    "stages, encoded",
    [
        # the province code: the checks' own factorisation (each distinct location code's province, by the row's
        # code), the others the parse's
        (["L1", "L2", "P1"], ["kode_lokasi", "kode_provinsi", "program", "tahapan", "keterangan"]),
        # stage names: the checks put the stages' codes in the column, which the parse's factorisation is not of
        (["Sosialisasi", "Survei Pendahuluan"], ["kode_lokasi", "kode_provinsi", "program", "keterangan"]),
    ],
)
def test_the_entry_keeps_the_parsed_text_as_dictionaries_and_reads_back_the_frames(
    tmp_path: Path, mini_schedule, stages: list[str], encoded: list[str]
) -> None:
    data = _folder(tmp_path, stages)
    store = tmp_path / "cache"
    fresh = load_data([data], mini_schedule, today=TODAY)
    assert 0 < len(fresh.progres) < 1500  # rows were rejected and copies left out: the codes are those rows'
    first = load_data([data], mini_schedule, today=TODAY, cache_dir=store)
    assert first.text_codes == {}  # handed to the entry's write, not kept with the result
    table = _entry_frame(store, "progres")
    assert _listed(table) == encoded
    assert {f.name for f in table.schema if pa.types.is_dictionary(f.type)} == {*encoded, "_file", "_sheet"}
    # Codes in the narrowest integer their dictionary needs: a few programs, stages, notes or codes: one byte a row
    # (the fixture's 3 locations' codes and provinces too: the province dictionary is one value per distinct code).
    assert {table.schema.field(n).type.index_type for n in encoded} == {pa.int8()}
    assert table.column("kode_provinsi").cast(pa.large_string()).unique().to_pylist() == ["51"]
    assert _listed(_entry_frame(store, "lokasi")) == ["program"]
    warm = load_data([data], mini_schedule, today=TODAY, cache_dir=store)
    assert "cache" in warm.timings  # from the entry
    same(fresh, first)
    same(fresh, warm)
    for name in ("lokasi", "progres", "temuan"):
        assert list(getattr(warm, name).dtypes) == list(getattr(fresh, name).dtypes)


def test_without_the_cache_no_codes_are_kept(tmp_path: Path, mini_schedule) -> None:
    """Nothing writes them: the load lets its factorisations go as before."""
    result = load_data([_folder(tmp_path, ["L1"])], mini_schedule, today=TODAY)
    assert result.text_codes == {}


TEXT = st.one_of(
    st.none(), st.sampled_from(["51.04.01", "PISEW", "", " ", "Désa", "日本", "nan", "None"]), st.text(max_size=4)
)


@st.composite
def frames(draw: st.DrawFn) -> tuple[pd.DataFrame, dict[str, tuple[np.ndarray, object]]]:
    """A frame of text columns (missing values as the loader has them) and, for some, the factorisation of their
    text; one factorisation of another column's text of the same length (the checks replaced the column: left
    as text only when its values are of another type)."""
    n = draw(st.integers(0, 30))
    frame, codes = {}, {}
    for name in ("kode_lokasi", "program", "keterangan"):
        values = draw(st.lists(TEXT, min_size=n, max_size=n))
        column = pd.Series(pa.chunked_array([pa.array(values, type=pa.large_string())]).to_pandas(), dtype="str")
        frame[name] = column
        if draw(st.booleans()):
            made, uniques = _factorize(column)
            codes[name] = (np.asarray(made, dtype=np.int32), uniques)
    frame["progres_persen"] = np.arange(n, dtype=np.float64)
    return pd.DataFrame(frame), codes


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frames())
def test_a_frame_written_with_its_codes_reads_back_as_itself(made) -> None:
    frame, codes = made
    table = cache._table(frame, codes)
    assert sorted(_listed(table)) == sorted(codes)
    back = cache._text_again(pa.ipc.open_file(_ipc(table)).read_all()).to_pandas()
    pd.testing.assert_frame_equal(back, frame)


def _ipc(table: pa.Table) -> pa.Buffer:
    sink = pa.BufferOutputStream()
    with pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue()


def test_codes_of_another_length_or_type_leave_the_column_as_text() -> None:
    frame = pd.DataFrame({"kode_lokasi": pd.Series(["a", "b", "a"], dtype="str"), "n": [1, 2, 3]})
    made, uniques = _factorize(frame["kode_lokasi"])
    short = (np.asarray(made, dtype=np.int32)[:2], uniques)
    table = cache._table(frame, {"kode_lokasi": short, "n": (np.zeros(3, np.int32), pd.Index(["x"], dtype="str"))})
    assert _listed(table) == [] and table.schema.field("kode_lokasi").type == pa.large_string()


@pytest.mark.parametrize(
    "damage", ["codes outside", "listed column is text", "listing not a list", "dictionary of numbers"]
)
def test_a_damaged_dictionary_column_is_a_damaged_entry(
    tmp_path: Path, mini_schedule, capsys: pytest.CaptureFixture[str], damage: str
) -> None:
    """Written with its checksums right (what no crash or disk error makes, but an entry must not be trusted for its
    checksum alone): the warm load says the entry is damaged, rebuilds it and gives the load's frames."""
    data = _folder(tmp_path, ["L1"])
    store = tmp_path / "cache"
    fresh = load_data([data], mini_schedule, today=TODAY)
    load_data([data], mini_schedule, today=TODAY, cache_dir=store)
    (entry,) = [p for p in store.iterdir() if p.name.startswith(cache.ENTRY_PREFIX)]
    table = _entry_frame(store, "progres")
    i = table.schema.get_field_index("kode_lokasi")
    meta = dict(table.schema.metadata)
    if damage == "codes outside":
        column = table.column(i).combine_chunks()
        bad = pa.DictionaryArray.from_arrays(
            pa.array(np.full(len(column), len(column.dictionary)), type=column.indices.type),
            column.dictionary,
            safe=False,
        )
        table = table.set_column(i, table.schema.field(i), bad)
    elif damage == "listed column is text":
        meta[cache.TEXT_DICTIONARIES] = json.dumps(["progres_persen"]).encode()
    elif damage == "dictionary of numbers":  # made "text" again, it would be a column of numbers under a text name
        numbers = pa.DictionaryArray.from_arrays(pa.array(np.zeros(table.num_rows, np.int32)), pa.array([1.5]))
        table = table.set_column(i, pa.field("kode_lokasi", numbers.type), numbers)
    else:
        meta[cache.TEXT_DICTIONARIES] = b'{"kode_lokasi": 1}'
    table = table.replace_schema_metadata(meta)
    path = entry / "progres.arrow"
    crc = cache._write_table(path, table)
    sums = json.loads((entry / cache.SUMS).read_text())
    sums["progres.arrow"] = [crc, path.stat().st_size]
    (entry / cache.SUMS).write_text(json.dumps(sums))
    capsys.readouterr()
    warm = load_data([data], mini_schedule, today=TODAY, cache_dir=store)
    same(fresh, warm)  # (the frame read on first use: then the entry is found damaged and the load made again)
    assert "corrupt, rebuilt" in capsys.readouterr().err


@pytest.mark.parametrize(
    "distinct, width", [(1, pa.int8()), (127, pa.int8()), (128, pa.int16()), (32767, pa.int16()), (32768, pa.int32())]
)
def test_the_codes_take_the_narrowest_integer_their_dictionary_needs(distinct: int, width: pa.DataType) -> None:
    """At each boundary: a dictionary of 127 values has codes up to 126 (one byte), of 128 up to 127 (two); the
    missing value (-1) stays missing and the text is the same."""
    values = pd.Index(pd.array([f"v{i}" for i in range(distinct)], dtype="str"))
    codes = np.array([distinct - 1, -1, 0], dtype=np.int32)
    column = cache.dictionary_array(codes, values, pa.large_string(), has_missing=True)
    assert column is not None and column.type.index_type == width
    assert column.cast(pa.large_string()).to_pylist() == [f"v{distinct - 1}", None, "v0"]


def test_issues_as_json_and_back_are_the_same_issues() -> None:
    """The load entry keeps its issues as JSON (`issue_to_json`, the field names looked up once per class)."""
    from pkp_cli.model.issues import Issue

    issues = [
        Issue("a.xlsx", "Progres", 7, "F7", "Progres (%)", "10.3", "progress-early", (("pct", 10.3), ("n", 2))),
        Issue("b.csv", None, None, None, None, None, "file-duplicate", (("other", "a.csv"),), kode_provinsi="51"),
        Issue("c.csv", "x", 1, "A1", "Kode", None, "date-invalid"),
    ]
    assert [cache.issue_from_json(json.loads(json.dumps(cache.issue_to_json(i)))) for i in issues] == issues
    assert list(cache.issue_to_json(issues[1])) == [
        "file", "sheet", "row", "cell", "column", "value", "code", "params", "kode_provinsi"
    ]  # fmt: skip
