"""Whole-column tests on the status frame's categorical columns, made on their few categories.

The status engine stores its name and status columns as categoricals (engines/status.py::_name_array): a test of
1.66 M rows (`isin`, the position in a list of codes) is then a lookup of each row's small integer code in a table
made from the categories, instead of a hash of every row. Any other column is tested as pandas would.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd


def category_codes(values: pd.Series, categories: Sequence[str]) -> npt.NDArray[np.int64]:
    """Each row's position in `categories` (-1 for any other value or a missing one), as
    `pd.Categorical(values, categories=categories).codes`."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        where = pd.Index(categories).get_indexer(pd.Index(values.cat.categories))
        table = np.append(where, -1).astype(np.int64)  # code -1 (missing) reads the last entry
        return np.asarray(table[np.asarray(values.cat.codes)], dtype=np.int64)
    return np.asarray(pd.Index(list(categories)).get_indexer(pd.Index(values)), dtype=np.int64)  # missing or other: -1


def is_in(values: pd.Series, wanted: Collection[Any]) -> npt.NDArray[np.bool_]:
    """`values.isin(wanted)` as a numpy bool array."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        table = np.append(pd.Index(values.cat.categories).isin(list(wanted)), False)  # code -1: missing
        return np.asarray(table[np.asarray(values.cat.codes)], dtype=bool)
    return values.isin(wanted).to_numpy(dtype=bool)
