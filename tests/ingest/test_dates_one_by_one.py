"""A few thousand distinct date texts are parsed one by one in plain Python (`parse._dates_one_by_one`), more with
pandas' string methods (`parse._parse_dates_vectorised`): both give the same date or the same error code for
every text."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pkp_cli.ingest import parse

_PIECES = st.sampled_from(
    [
        "2022",
        "22",
        "1899",
        "2261",
        "2262",
        "9999",
        "05",
        "5",
        "13",
        "0",
        "00",
        "29",
        "30",
        "31",
        "02",
        "60",
        "-",
        "/",
        ".",
        " ",
        "  ",
        "T",
        ":",
        "13:05",
        "00:00:00",
        ",",
        "Mei",
        "mei",
        "Juni",
        "June",
        "Agt",
        "Sept",
        "Febr",
        "Jumat",
        "Jum'at",
        "Fri",
        "Senin",
        "Monday",
        "ahad",
        "Sab.",
        "٢٠٢٢",
        "١",
        "x",
        "é",
        "Rp",
        "1e5",
        "12.5",
        "-3",
    ]
)
_TEXTS = st.lists(_PIECES, min_size=1, max_size=7).map("".join) | st.text(max_size=12)

# Texts of each outcome, by hand: a date (ISO with a time, day-first, month name, two-digit year), each error
# (no such day, a number, no year, a weekday that is not the date's: 3 June 2022 was a Friday), a right weekday.
KNOWN = {
    "2022-06-03 00:00:00": "2022-06-03",
    "03/06/2022": "2022-06-03",
    "3 Juni 2022": "2022-06-03",
    "3-Jun-22": "2022-06-03",
    "Jumat, 3 Juni 2022": "2022-06-03",
    "Senin, 3 Juni 2022": "date-weekday",
    "31/02/2022": "date-nonexistent",
    "44715": "date-number",
    "8 Juni": "date-no-year",
    "8/6": "date-no-year",
    "kemarin": "date-invalid",
    "3 Foo 2022": "date-invalid",
}


def _outcomes(vals: pd.Series, errs: pd.Series) -> list[str]:
    """Per text its error code, else its date (no error is None or NaN, as `_by_unique` reads them)."""
    return [
        str(e) if isinstance(e, str) else str(pd.Timestamp(v).date()) if not pd.isna(v) else "NaT"
        for v, e in zip(vals.to_numpy(), errs.to_numpy(dtype=object), strict=True)
    ]


def _both(texts: list[str]) -> tuple[tuple[pd.Series, pd.Series], tuple[pd.Series, pd.Series]]:
    return parse._dates_one_by_one(texts), parse._parse_dates_vectorised(pd.Series(texts, dtype=object))


def test_known_texts() -> None:
    texts = list(KNOWN)
    (v1, e1), (v2, e2) = _both(texts)
    assert _outcomes(v1, e1) == list(KNOWN.values())
    assert _outcomes(v2, e2) == list(KNOWN.values())


@given(st.lists(_TEXTS, min_size=1, max_size=8))
def test_one_by_one_is_the_vectorised_parse(texts: list[str]) -> None:
    (v1, e1), (v2, e2) = _both(texts)
    assert v1.dtype == v2.dtype
    assert str(e1.dtype) == str(e2.dtype)
    assert _outcomes(v1, e1) == _outcomes(v2, e2)


def test_many_distinct_texts_take_the_vectorised_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = parse._parse_dates_vectorised
    monkeypatch.setattr(parse, "_parse_dates_vectorised", lambda u: calls.append(len(u)) or real(u))
    monkeypatch.setattr(parse, "ONE_BY_ONE_DATES", 2)
    parse._parse_dates_unique(pd.Series(["3 Juni 2022", "4 Juni 2022"], dtype=object))
    assert calls == []  # 2 texts: one by one
    parse._parse_dates_unique(pd.Series(["3 Juni 2022", "4 Juni 2022", "5 Juni 2022"], dtype=object))
    assert calls == [3]


@pytest.mark.parametrize("one_by_one", [True, False])
def test_dates_without_a_leading_letter_do_not_load_the_weekday_names(one_by_one: bool) -> None:
    # Babel's locale data (about 0.1 s to load) is only needed for a text that could start with a weekday name;
    # a column of ISO or day-first dates never asks for it, on either path. A weekday text still does, and is
    # still checked against its date (3 June 2022 was a Friday).
    parse.weekday_names.cache_clear()
    parse._weekday_prefix.cache_clear()
    texts = ["2022-06-03", " 03/06/2022", "44715", ""]
    run = parse._dates_one_by_one if one_by_one else lambda t: parse._parse_dates_vectorised(pd.Series(t))
    vals, errs = run(texts)
    assert _outcomes(vals, errs) == ["2022-06-03", "2022-06-03", "date-number", "date-invalid"]
    assert parse.weekday_names.cache_info().currsize == 0
    vals, errs = run(["Senin, 3 Juni 2022", " Jumat, 3 Juni 2022"])
    assert _outcomes(vals, errs) == ["date-weekday", "2022-06-03"]
    assert parse.weekday_names.cache_info().currsize == 1
