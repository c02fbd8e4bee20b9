"""Integer keys of the cross-file checks: `group_ids` groups and sorts as the text columns do, and the superseded
reports found from the loader's integer keys are those found from the text; the name check's case-folded
comparison."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from pkp_cli.ingest.checks import _same_casefolded, _spread_keys, group_ids, superseded_warnings


def test_group_ids_equal_rows_share_an_id_and_missing_equals_missing() -> None:
    a = pd.Series(["51.04", "51.04", None, None, "51.01"], dtype="str")
    b = pd.Series(["L1", "L1", "L1", "L1", "L1"], dtype="str")
    gid, missing = group_ids([a, b])
    # Rows 0/1 share (51.04, L1); rows 2/3 share (missing, L1), as DataFrame.duplicated counts them.
    assert gid[0] == gid[1] and gid[2] == gid[3] and len(set(gid.tolist())) == 3
    assert missing.tolist() == [False, False, True, True, False]


def test_group_ids_sorted_follow_the_text_order_missing_last() -> None:
    a = pd.Series(["b", "a", None, "a", "b"], dtype="str")
    b = pd.Series([2.0, 1.0, 0.0, 0.5, np.nan])
    gid, _ = group_ids([a, b], sort=True)
    # By text then number, missing last: (a, 0.5) row 3, (a, 1) row 1, (b, 2) row 0, (b, NaN) row 4, (NaN, 0) row 2.
    assert np.argsort(gid, kind="stable").tolist() == [3, 1, 0, 4, 2]


def test_group_ids_take_precomputed_keys() -> None:
    keys = _spread_keys(["z", None, "a"], np.array([0, 2, 1, -1, 0]))
    # Ranks: a 0, z 1; None and the row without an item are missing (-1).
    assert keys.tolist() == [1, 0, -1, -1, 1]
    gid_keys, miss_keys = group_ids([keys], sort=True)
    gid_text, miss_text = group_ids([pd.Series(["z", "a", None, None, "z"], dtype="str")], sort=True)
    assert gid_keys.tolist() == gid_text.tolist() and miss_keys.tolist() == miss_text.tolist()


def _progres() -> pd.DataFrame:
    day = pd.Timestamp
    return pd.DataFrame(
        {
            "kode_lokasi": pd.Series(["51.04.01", "51.04.01", "51.04.01", "52.01.01", "51.04.01"], dtype="str"),
            "program": pd.Series(["PISEW"] * 5, dtype="str"),
            "tahapan": pd.Series(["L1", "L1", "L2", "L1", "L1"], dtype="str"),
            "tanggal_mulai": [day("2022-03-01"), pd.NaT, day("2022-03-02"), pd.NaT, pd.NaT],
            "tanggal_selesai": [pd.NaT] * 5,
            "tanggal_laporan": [
                day("2022-04-01"),
                day("2022-05-01"),
                day("2022-04-01"),
                day("2022-05-01"),
                day("2022-06-01"),
            ],
            "_file": pd.Categorical(["a.csv", "b.csv", "a.csv", "b.csv", "c.csv"]),
            "_row": [2, 3, 4, 5, 6],
        }
    )


def test_superseded_from_keys_equals_from_text() -> None:
    progres = _progres()
    from_text = superseded_warnings(progres)
    # 51.04.01 / L1 had a start date on 1 April (a.csv:2) and none on 1 May (b.csv:3): one warning at a.csv:2.
    # The 1 June report (c.csv:6) has no date either, but the report before it had none: no second warning.
    assert [(i.file, i.row, i.code, dict(i.params)["other"]) for i in from_text] == [
        ("a.csv", 2, "superseded-cleared", "b.csv:3")
    ]
    keys = [
        _spread_keys(sorted(set(progres[c])), pd.factorize(progres[c], sort=True)[0])
        for c in ("kode_lokasi", "program", "tahapan")
    ]
    assert superseded_warnings(progres, keys) == from_text


@given(st.lists(st.tuples(st.text(max_size=6), st.text(max_size=6)), max_size=20))
def test_same_casefolded_is_casefold_equality(pairs: list[tuple[str, str]]) -> None:
    # Names compared as the name check compares them: ASCII pairs by Arrow's lower case, the rest by casefold.
    a = pd.Series([p[0] for p in pairs] + ["BALI", "Straße"], dtype="str")
    b = pd.Series([p[1] for p in pairs] + ["bali", "STRASSE"], dtype="str")
    want = [x.casefold() == y.casefold() for x, y in zip(a, b, strict=True)]
    assert _same_casefolded(a, b).tolist() == want
