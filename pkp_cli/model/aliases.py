"""Short names users type for provinces (Sulsel, Jabar, DIY, D.I. Yogyakarta), kept as data in reference/.

One table serves both the command-line options (`--province NTB`) and the cells of workbooks (a Provinsi column
holding `NTB`): both go through `pkp_cli.model.regions.province_code`, which looks a text up by `province_key`
among the reference names and the short names of `reference/singkatan-provinsi.csv`.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from functools import cache
from importlib import resources

# "Prov." / "Provinsi" / "Propinsi" (the old spelling) before a province name.
_PROVINCE_PREFIX = re.compile(r"^(?:prov(?:insi)?|prop(?:insi)?)\b\.?\s*")


def province_key(text: object) -> str:
    """Comparable form of a province as typed: lower case, no "Prov."/"Provinsi" prefix, no spaces or
    punctuation at all, so `D.I. Yogyakarta`, `DI Yogyakarta` and `di-yogyakarta` meet, as do `N.T.B.`,
    `NTB` and `Prov. NTB`. Accents are dropped first (`Sulawési` = `Sulawesi`), never the letter under them."""
    s = unicodedata.normalize("NFKD", str(text))
    if not s.isascii():
        s = "".join(c for c in s if not unicodedata.combining(c))
    s = re.sub(r"[^0-9a-z]+", " ", s.lower()).strip()
    prev = None
    while prev != s:
        prev = s
        s = _PROVINCE_PREFIX.sub("", s).strip()
    return s.replace(" ", "")


@cache
def province_short_names() -> dict[str, str]:
    """Short name as written in the reference file -> province code (Sulsel -> 73)."""
    text = resources.files("pkp_cli").joinpath("reference/singkatan-provinsi.csv").read_text(encoding="utf-8")
    return {row["singkatan"]: row["kode"] for row in csv.DictReader(text.splitlines())}
