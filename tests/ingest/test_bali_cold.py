"""The sample's cold load (issue 13, Bali cold, perf-bali): the per-kind records joined column by column instead
of through pd.concat, and the region names looked up from the small part of the reference they need. Each gives
what the plain way gives."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from pkp_cli.ingest import contract, sheets
from tests.factories import ROOT

_TEXT = st.sampled_from(["51.01", "Selesai", "", "é", "27 Mei 2022"]) | st.none()
# name -> (kind of column); a part holds any subset of them in any order
_POOL = {"_row": "int", "_grp": "int", "kode_lokasi": "str", "tahapan": "str", "keterangan": "str", "_pct": "bool"}


@st.composite
def _parts(draw: st.DrawFn) -> list[pd.DataFrame]:
    out = []
    for _ in range(draw(st.integers(1, 4))):
        n = draw(st.integers(0, 4))
        names = draw(st.permutations(list(_POOL)))
        names = names[: draw(st.integers(1, len(names)))]
        cols: dict[str, object] = {}
        for c in names:
            kind = _POOL[c]
            if kind == "int":
                # sometimes float instead: dtypes that differ between parts go to pd.concat
                dtype = draw(st.sampled_from([np.int64, np.int64, np.float64]))
                cols[c] = np.arange(n, dtype=dtype)
            elif kind == "bool":
                cols[c] = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)), dtype=bool)
            else:
                values = draw(st.lists(_TEXT, min_size=n, max_size=n))
                # sometimes an object column: not an Arrow text array, so pd.concat decides
                cols[c] = pd.array(values, dtype=draw(st.sampled_from(["str", "str", object])))
        out.append(pd.DataFrame(cols, copy=False))
    return out


def _same(got: pd.DataFrame, want: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    assert list(got.columns) == list(want.columns)
    assert list(got.dtypes) == list(want.dtypes)
    assert got.columns.dtype == want.columns.dtype
    assert type(got.index) is type(want.index) and got.index.equals(want.index)
    for c in got.columns:
        assert type(got[c].array) is type(want[c].array)


@given(_parts())
def test_concat_records_is_pd_concat(parts: list[pd.DataFrame]) -> None:
    _same(sheets._concat_records(parts), pd.concat(parts, ignore_index=True))


def test_concat_records_fills_a_missing_text_column_and_orders_columns_by_first_appearance() -> None:
    # Worked by hand: part a has x, t; part b has u, x, t. Result: x, t, u; u is missing in a's two rows.
    a = pd.DataFrame({"x": np.array([1, 2]), "t": pd.array(["p", None], dtype="str")})
    b = pd.DataFrame({"u": pd.array(["k"], dtype="str"), "x": np.array([3]), "t": pd.array(["q"], dtype="str")})
    got = sheets._concat_records([a, b])
    assert list(got.columns) == ["x", "t", "u"]
    assert got["x"].tolist() == [1, 2, 3]
    assert got["u"].isna().tolist() == [True, True, False]
    assert str(got["u"].dtype) == "str"
    _same(got, pd.concat([a, b], ignore_index=True))


def _match_header_every_alias(header: str, kind: str) -> tuple[str | None, bool]:
    """contract.match_header as it was: the partial match tries every alias of the kind."""
    h = contract.norm(header)
    if not h or h in contract.NO_COLUMN:
        return None, False
    planned = h.startswith(contract.PLANNED_PREFIXES)
    idx = contract.alias_index(kind)
    hit = idx.get(h)
    if hit is not None:
        if planned and hit.startswith("tanggal_"):
            return None, False
        return hit, True
    best: tuple[int, str] | None = None
    for alias, canon in idx.items():
        if planned and canon.startswith("tanggal_"):
            continue
        if len(alias) >= 3 and f" {alias} " in f" {h} " and (best is None or len(alias) > best[0]):
            best = (len(alias), canon)
    return (best[1], False) if best else (None, False)


_WORDS = sorted(
    {w for kind in contract.CONTRACT for alias in contract.alias_index(kind) for w in alias.split(" ")}
    | {"jadwal", "rencana", "realisasi", "x", "51", "", "(%)", "Tgl.", "KODE", "no"}
)


@given(st.lists(st.sampled_from(_WORDS), max_size=6), st.sampled_from(sorted(contract.CONTRACT)))
def test_match_header_tries_the_aliases_that_can_match_and_finds_what_every_alias_finds(
    words: list[str], kind: str
) -> None:
    header = " ".join(words)
    contract.match_header.cache_clear()
    assert contract.match_header(header, kind) == _match_header_every_alias(header, kind)


def test_match_header_every_alias_and_two_joined() -> None:
    for kind in contract.CONTRACT:
        aliases = list(contract.alias_index(kind))
        for a in aliases:
            for header in (a, f"jadwal {a}", f"{a} lokasi", *(f"{a} {b}" for b in aliases[:12])):
                assert contract.match_header(header, kind) == _match_header_every_alias(header, kind), header
    # Worked by hand: "Realisasi Tanggal Mulai Kegiatan" holds the alias "tanggal mulai" (and shorter ones):
    # the longest wins, a partial match.
    assert contract.match_header("Realisasi Tanggal Mulai Kegiatan", "progres") == ("tanggal_mulai", False)


def test_alias_index_by_first_word_holds_every_alias_once_in_order() -> None:
    for kind in contract.CONTRACT:
        entries = sorted(e for group in contract._aliases_by_first_word(kind).values() for e in group)
        assert [(alias, canon) for _, alias, canon in entries] == list(contract.alias_index(kind).items())


def test_the_sample_loads_without_the_whole_region_reference_or_rapidfuzz(tmp_path: Path) -> None:
    """The bundled sample's names all match their codes: its load reads only the reference's small file and the
    kecamatan runs its desa codes are in (the whole desa file is 84,000 names), and never imports rapidfuzz
    (which only judges a name that differs). A fresh process, so nothing earlier loaded either."""
    script = (
        "import sys\n"
        "from datetime import date\n"
        "from pathlib import Path\n"
        "from pkp_cli.ingest.cached import load_data\n"
        "from pkp_cli.model import regions\n"
        "from pkp_cli.model.schedule import load_schedule\n"
        f"root = Path({str(ROOT)!r})\n"
        "s = load_schedule(root / 'schedules' / 'jadwal-nasional-2022.yaml')\n"
        "r = load_data([root / 'data'], s, today=date(2022, 6, 3), cache_dir=None)\n"
        "print(len(r.progres), len(r.lokasi), len(r.temuan), len(r.errors))\n"
        "print(regions.reference.cache_info().currsize, 'rapidfuzz' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=tmp_path)
    loaded, reference_and_rapidfuzz = out.stdout.splitlines()
    assert int(loaded.split()[0]) > 0  # the sample's progress rows loaded (the checks ran on them)
    assert reference_and_rapidfuzz == "0 False"
