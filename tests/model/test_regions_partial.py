"""`regions.reference_for`: the names a load's codes can have, found in the desa file's text without parsing all
of it. It must say what `reference()` says about every code it is given and every prefix of them."""

from __future__ import annotations

import gzip
import json

import pytest

from pkp_cli.model import regions


@pytest.fixture(scope="module")
def full() -> dict[str, str]:
    return dict(regions.reference())


@pytest.fixture(autouse=True)
def _fresh_reference():  # type: ignore[no-untyped-def]
    # reference_for uses the whole reference when it is already loaded: these tests want the text search.
    regions.reference.cache_clear()
    yield
    regions.reference.cache_clear()


def test_the_pinned_desa_file_is_what_the_search_relies_on() -> None:
    # One JSON object whose keys are desa codes NN.NN.NN.NNNN..., in sorted order.
    with gzip.open(regions._data_dir() / "desa.json.gz", "rb") as fh:
        keys = list(json.loads(fh.read()))
    assert keys == sorted(keys)
    assert all(regions._DESA_HEAD.match(k) and len(k) > 9 for k in keys)


@pytest.mark.parametrize("name", ["wilayah.json.gz", "desa.json.gz"])
def test_the_data_files_unpack_as_gzip_unpacks_them(name: str) -> None:
    # ISA-L's inflate (regions._unpacked) against the standard library's, on the pinned files; and the reference
    # holds exactly the two files' entries.
    with gzip.open(regions._data_dir() / name, "rb") as fh:
        assert regions._unpacked(name) == fh.read()


def test_the_reference_is_both_files() -> None:
    want: dict[str, str] = {}
    for name in ("wilayah.json.gz", "desa.json.gz"):
        with gzip.open(regions._data_dir() / name, "rt", encoding="utf-8") as fh:
            want.update(json.load(fh))
    assert regions.reference() == want
    assert len(want) > 90_000  # provinces, kabupaten, kecamatan and desa


def _expected(full: dict[str, str], codes: list[str]) -> dict[str, str]:
    heads = {c[:9] for c in codes if len(c) > 9}
    out = dict(regions._wilayah())
    out.update({k: v for k, v in full.items() if len(k) > 9 and k[:9] in heads})
    return out


def test_codes_of_a_few_kecamatan(full: dict[str, str]) -> None:
    desa = sorted(k for k in full if len(k) > 9)
    # The first and last desa of the file, one in the middle, an unknown desa in a known kecamatan, one in an
    # unknown kecamatan, a kecamatan (PISEW) code, a province, junk.
    codes = [desa[0], desa[-1], desa[len(desa) // 2], desa[0][:9] + "9999", "99.99.99.9999", "51.01.01", "51", "x"]
    got = regions.reference_for(codes)
    assert got == _expected(full, codes)
    for c in (desa[0], desa[-1], desa[len(desa) // 2], "51.01.01", "51"):
        assert got[c] == full[c]
    assert desa[0][:9] + "9999" not in got and "99.99.99.9999" not in got
    # Only those kecamatan's desa were read, not the whole file.
    assert len(got) < len(full) // 4


def test_many_kecamatan_take_the_whole_reference(full: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    desa = sorted(k for k in full if len(k) > 9)
    heads = sorted({k[:9] for k in desa})
    monkeypatch.setattr(regions, "PARTIAL_KECAMATAN", 2)
    got = regions.reference_for([h + "2001" for h in heads[:3]])  # 3 kecamatan > 2
    assert got == full


def test_the_bisection_on_a_small_object() -> None:
    # White space around keys, a comma and an escaped quote inside a value, keys in order.
    text = b'{ "10.01.01.2001": "a,\\"b", "10.01.01.2002":"c" ,"10.01.02.2001":"d"}'
    assert regions._first_key_from(text, b"10.01.01.") == text.index(b'"10.01.01.2001"')
    assert regions._first_key_from(text, b"10.01.01/") == text.index(b'"10.01.02.2001"')
    assert regions._first_key_from(text, b"10.01.01.2002") == text.index(b'"10.01.01.2002"')
    assert regions._first_key_from(text, b"10.01.03.") == text.rindex(b"}")  # past the last key
    assert regions._first_key_from(text, b"0") == text.index(b'"10.01.01.2001"')  # before the first


def test_the_codes_are_looked_at_only_until_there_are_too_many_kecamatan(
    full: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # 83,000 codes of a national load cost about 0.07 s to look at one by one; past PARTIAL_KECAMATAN distinct
    # kecamatan the answer is the whole reference whatever the rest are, so the rest are not looked at.
    heads = sorted({k[:9] for k in full if len(k) > 9})
    monkeypatch.setattr(regions, "PARTIAL_KECAMATAN", 2)

    def codes():  # type: ignore[no-untyped-def]
        yield from (h + "2001" for h in heads[:3])  # the third kecamatan is one too many
        raise AssertionError("looked past the third kecamatan")

    assert regions.reference_for(codes()) == full
