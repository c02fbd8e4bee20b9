"""Short names users type for provinces (Sulsel, Jabar, DIY), kept as data in reference/."""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources


@cache
def province_short_names() -> dict[str, str]:
    text = resources.files("pkp_cli").joinpath("reference/singkatan-provinsi.csv").read_text(encoding="utf-8")
    return {row["singkatan"]: row["kode"] for row in csv.DictReader(text.splitlines())}
