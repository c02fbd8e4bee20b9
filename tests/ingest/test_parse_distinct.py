"""parse_distinct (the loader's parsers run on distinct values only) gives exactly what the parser gives on the
whole column: values, dtype and error codes, for clean, odd and repeated cells."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pkp_cli.ingest import parse
from pkp_cli.ingest.sheets import parse_distinct

# Cells as they arrive: canonical codes, codes with spaces or typed as numbers, dates in every form, words.
CELLS = {
    "code": [
        "51",
        "51.04",
        "51.04.01",
        "51.04.01.2001",
        " 51.04.01 ",
        "51.1",
        "5104",
        "51.04.01.2001 ",
        " 51.04",
        "x",
        "  ",
    ],
    "date": ["2022-05-20", "20/05/2022", "20 Mei 2022", "31/02/2022", "45000", "Mei", " ", "20-05-22"],
    "program": ["PISEW", "kotaku", "KOTAKU (APBN)", "Pisew ", "other", ""],
    "text": ["Sukawati", " Sukawati", "SUKAWATI ", "   ", "Desa Batubulan"],
    "stage": ["L1", "l1", " L1", "Sosialisasi", "   "],
    "bool": ["Ya", "tidak", "Y", "0", "ada", "mungkin", " "],
    "kinerja": ["Baik", "cukup", "KURANG", "sangat baik", "lumayan"],
    "rupiah": ["Rp 600.000.000", "600 jt", "1,2 M", "-5", "abc", "600,000,000"],
}


def _same(a: tuple[pd.Series, pd.Series], b: tuple[pd.Series, pd.Series]) -> None:
    pd.testing.assert_series_equal(a[0].reset_index(drop=True), b[0].reset_index(drop=True), check_names=False)
    ea = [None if x is None or (isinstance(x, float) and np.isnan(x)) else x for x in a[1]]
    eb = [None if x is None or (isinstance(x, float) and np.isnan(x)) else x for x in b[1]]
    assert ea == eb


@pytest.mark.parametrize("value_type", list(CELLS))
@given(data=st.data())
def test_distinct_values_parse_as_the_whole_column(value_type: str, data: st.DataObject) -> None:
    picks = data.draw(st.lists(st.sampled_from([*CELLS[value_type], None]), min_size=0, max_size=60))
    # Repeats make the distinct values fewer than half the rows, the case parse_distinct takes over.
    column = pd.Series(picks * 3, dtype="str")
    _same(parse_distinct(column, value_type), parse.PARSERS[value_type](column))


def test_clean_codes_skip_the_parser_and_keep_the_column() -> None:
    # Every code is canonical: no parser call, and the column itself is the parsed column (no copy).
    column = pd.Series(["51.04.01", "51.04.02", "51"] * 10, dtype="str")
    vals, errs = parse_distinct(column, "code")
    assert vals is column
    assert errs.isna().all()
    # One code typed as a decimal number among them is still found.
    column = pd.Series(["51.04.01", "51.1", "51"] * 10, dtype="str")
    vals, errs = parse_distinct(column, "code")
    assert list(errs[:3]) == [None, "code-decimal", None]
