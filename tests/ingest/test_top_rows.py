"""`top_rows` (the first rows of a text grid as Python values, for the header search and the title date) gives
exactly what pandas' own `grid.iloc[:k].to_numpy(dtype=object)` gives, missing cells as NaN."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from pkp_cli.ingest.read import _as_text_grid, arrow_text_grid, top_rows


def _arrow_text_grid(batch: object) -> pd.DataFrame:
    return arrow_text_grid(batch)[0]


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    if a.shape != b.shape:
        return False
    for x, y in zip(a.ravel(), b.ravel(), strict=True):
        if isinstance(x, float) and isinstance(y, float) and math.isnan(x) and math.isnan(y):
            continue
        if type(x) is not type(y) or x != y:
            return False
    return True


GRIDS = {
    "calamine batch": _arrow_text_grid(
        pa.record_batch(
            [pa.array(["Judul 27 Mei 2022", None, "kode", "51.01"]), pa.array(["", " ", "nama", None])],
            names=["a", "b"],
        )
    ),
    "csv grid": _as_text_grid(pd.DataFrame([["x", ""], ["", "y"], ["  ", "z"]], dtype=object)),
    "object grid (fallback)": pd.DataFrame([["a", None], [None, "b"]], dtype=object),
    "no columns": pd.DataFrame(index=pd.RangeIndex(3)),
}


@pytest.mark.parametrize("name", list(GRIDS))
@pytest.mark.parametrize("k", [0, 1, 2, 3, 10])
def test_top_rows_is_the_frames_own_conversion(name: str, k: int) -> None:
    grid = GRIDS[name]
    assert _same(top_rows(grid, k), grid.iloc[:k].to_numpy(dtype=object))
