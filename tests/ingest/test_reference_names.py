"""`checks._reference_names`: the location rows' own reference names looked up by Arrow must be exactly what
`parse.map_dict(codes, reference)` gives (values, missing values, dtype)."""

from __future__ import annotations

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from pkp_cli.ingest import parse
from pkp_cli.ingest.checks import _reference_names
from pkp_cli.model.regions import reference

_REF = {"51": "Bali", "51.01": "Kabupaten Jembrana", "51.01.01": "Negara", "51.01.01.2001": "Baler Bale Agung"}


def _both(values: list[str | None], ref: dict[str, str]) -> None:
    codes = pd.Series(values, dtype="string")  # as check_lokasi_regions holds them
    pd.testing.assert_series_equal(_reference_names(codes, ref), parse.map_dict(codes, ref), check_exact=True)


def test_known_unknown_missing_and_near_codes() -> None:
    # Each level's own code has its name; a code with a space, a longer one, an empty one and a missing one
    # have none (the hand-made reference above: "51.01.01.2001 " is not a key).
    values = ["51.01.01.2001", "51", "51.01", "51.01.01", "51.01.01.2001 ", "51.01.01.20011", "", None, "x"]
    got = _reference_names(pd.Series(values, dtype="string"), _REF)
    assert got.tolist()[:4] == ["Baler Bale Agung", "Bali", "Kabupaten Jembrana", "Negara"]
    assert got.isna().tolist() == [False] * 4 + [True] * 5
    assert str(got.dtype) == "str"
    _both(values, _REF)


def test_the_pinned_reference_every_hundredth_code() -> None:
    ref = reference()
    _both([*list(ref)[::100], "99.99.99.9999", None], ref)


@given(st.lists(st.one_of(st.none(), st.sampled_from(sorted(_REF)), st.text(alphabet="51.0 2x", max_size=15))))
def test_any_codes_as_map_dict_gives(values: list[str | None]) -> None:
    _both(values, _REF)


def test_the_whole_reference_is_made_arrays_once() -> None:
    # The whole reference's Arrow arrays are kept (the location checks and `_warm_reference` ask for them beside a
    # big progress file): the same two arrays each time, holding every code and name in the dictionary's order.
    # Any other dictionary, even one equal to a part of it, is converted afresh, so its lookups see only its own.
    from pkp_cli.model.regions import arrays_of

    ref = reference()
    keys, names = arrays_of(ref)
    assert arrays_of(ref)[0] is keys and arrays_of(ref)[1] is names
    assert keys.to_pylist() == list(ref) and names.to_pylist() == list(ref.values())
    part_keys, part_names = arrays_of(dict(_REF))
    assert part_keys.to_pylist() == list(_REF) and part_names.to_pylist() == list(_REF.values())
    assert arrays_of(dict(_REF))[0] is not part_keys
    _both(["51.01.01.2001", "51", "51.01.01.2002"], dict(_REF))  # 51.01.01.2002 is in the reference, not in _REF
    # The reference read again (a new dictionary) gets its own arrays, not the ones kept for the first.
    reference.cache_clear()
    try:
        again = reference()
        assert again is not ref and arrays_of(again)[0] is not keys
        assert arrays_of(again)[0] is arrays_of(again)[0]
        assert arrays_of(again)[0].to_pylist() == list(again)
    finally:
        reference.cache_clear()
