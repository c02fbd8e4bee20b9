"""The report of `pkp history`: the stored weeks, from each snapshot's footer only, and the files skipped."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pkp_cli.history.store import BadFile, Listing
from pkp_cli.text.labels import label
from pkp_cli.views.columns import columns
from pkp_cli.views.facts import Facts
from pkp_cli.views.model import Report, Table
from pkp_cli.views.specs import HISTORY_BAD_KEYS, HISTORY_KEYS


def build(listing: Listing, folder: Path, facts: Facts) -> Report:
    lang = facts.lang
    rows = pd.DataFrame(
        [
            {
                "minggu": s.week,
                "tanggal_posisi": s.as_of,
                "baris": (s.meta.get("rows") or {}).get("status"),
                "jadwal_sha256": s.meta.get("schedule_sha256"),
                "aturan_sha256": s.meta.get("rules_sha256"),
                "masukan": len(s.meta.get("inputs") or []),
                "versi_pkp": s.meta.get("pkp_version"),
                "path": str(s.path),
            }
            for s in reversed(listing.snapshots)  # newest first
        ],
        columns=HISTORY_KEYS,
    )
    header = [label("h.folder", lang).format(path=folder, n=len(listing.snapshots))]
    notes = [label("h.leftovers", lang).format(n=len(listing.leftovers))] if listing.leftovers else []
    meta = facts.meta(history=str(folder), weeks=len(listing.snapshots), bad_files=len(listing.bad))
    report = Report("history", lang, title=label("h.title", lang), header=header, meta=meta, notes=notes, main="minggu")
    report.tables.append(Table("minggu", label("h.t.minggu", lang), columns(*HISTORY_KEYS), rows,
                               empty=label("none", lang)))  # fmt: skip
    if listing.bad:
        report.tables.append(bad_table(listing.bad, lang, "bermasalah", label("w.t.riwayat", lang)))
    return report


def bad_table(bad: list[BadFile], lang: str, name: str, title: str) -> Table:
    rows = pd.DataFrame(
        {"path": [str(b.path) for b in bad], "alasan_riwayat": [b.reason for b in bad],
         "rincian_masalah": [b.detail for b in bad]},
        columns=HISTORY_BAD_KEYS,
    )  # fmt: skip
    return Table(name, title, columns(*HISTORY_BAD_KEYS), rows, empty=label("none", lang))
