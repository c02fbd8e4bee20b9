"""Audit follow-up (tindak lanjut temuan hasil audit): where each province stands, as known at a date.

The TEMUAN frame holds one row per finding and findings report (`tanggal_laporan`, the date of the file
that says it). At a date D only the reports dated on or before D count, each finding as its newest such
report says: a findings file dated after D was not known at D, so it is not counted in D's position (and
`unseen_findings` says how many findings it holds). Within what is known, a finding counts as closed at D
only when it is `selesai` and closed on or before D (its `tanggal_selesai`, or the report date when the
closing date is empty); one closed after D was not closed at D and, since when its follow-up began is not
recorded, counts as `proses` (in progress) at D. Overdue at D: not closed at D and `batas_waktu` < D; days
overdue = D - batas_waktu.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import pandas as pd

AUDIT_STATUSES = ("belum", "proses", "selesai")

SUMMARY_COLUMNS = [
    "kode_provinsi",
    "provinsi",
    "jumlah",
    "belum",
    "proses",
    "selesai",
    "nilai_belum",
    "nilai_proses",
    "nilai_selesai",
    "nilai_total",
    "lewat_batas",
    "nilai_lewat_batas",
    "hari_lewat_batas_maks",
    "ditutup_baru",
    "lewat_batas_baru",
]

CHANGE_COLUMNS = [
    "kode_provinsi",
    "provinsi",
    "nomor_temuan",
    "uraian",
    "nilai",
    "perubahan",  # "ditutup" | "baru_lewat_batas"
    "tanggal",  # closing date, or the deadline that passed
    "hari_lewat_batas",
]


def _day(value: date | pd.Timestamp) -> pd.Timestamp:
    return pd.Timestamp(value).normalize()


def _typed(temuan: pd.DataFrame) -> pd.DataFrame:
    """Dates as datetime64 and amounts as float even when the frame is empty (no audit file: object columns)."""
    dates = {
        c: pd.to_datetime(temuan[c]).astype("datetime64[ns]")
        for c in ("batas_waktu", "tanggal_selesai", "tanggal_laporan")
    }
    return temuan.assign(**dates, nilai=pd.to_numeric(temuan["nilai"]).astype(float))


def _closed_on(temuan: pd.DataFrame) -> pd.Series:
    """When each finding was closed (NaT if not closed): tanggal_selesai, else the report that said so."""
    done = temuan["status"] == "selesai"
    return temuan["tanggal_selesai"].fillna(temuan["tanggal_laporan"]).where(done)


_FINDING = ["kode_provinsi", "nomor_temuan"]


def known_findings(temuan: pd.DataFrame, as_of: date | pd.Timestamp) -> pd.DataFrame:
    """Each finding as its newest report dated on or before `as_of` says (reports after it are not known
    then); in the frame's order. A row without a report date is taken as known."""
    temuan = _typed(temuan)
    known = temuan[~(temuan["tanggal_laporan"] > _day(as_of)).to_numpy(bool)]
    newest = known.sort_values("tanggal_laporan", kind="stable").drop_duplicates(_FINDING, keep="last")
    return newest.sort_index()


def unseen_findings(temuan: pd.DataFrame, as_of: date | pd.Timestamp) -> tuple[int, pd.Timestamp | None]:
    """(how many findings only reports dated after `as_of` hold, the newest such report date or None)."""
    temuan = _typed(temuan)
    later = temuan["tanggal_laporan"] > _day(as_of)
    if not later.any():
        return 0, None
    seen = known_findings(temuan, as_of).set_index(_FINDING).index
    unseen = temuan.loc[later.to_numpy(bool), _FINDING].drop_duplicates()
    count = int((~pd.MultiIndex.from_frame(unseen).isin(seen)).sum())
    return count, pd.Timestamp(temuan.loc[later, "tanggal_laporan"].max())


def findings_at(temuan: pd.DataFrame, as_of: date | pd.Timestamp) -> pd.DataFrame:
    """Each finding as known at `as_of` (known_findings): TEMUAN columns plus

    status_per_tanggal (belum | proses | selesai at as_of), ditutup_pada (closing date, NaT if not closed
    at as_of), lewat_batas (bool), hari_lewat_batas (int, 0 unless overdue).
    """
    day = _day(as_of)
    temuan = known_findings(temuan, day)
    closed_on = _closed_on(temuan)
    closed = (closed_on <= day).fillna(False).astype(bool)
    later = (temuan["status"] == "selesai") & ~closed
    state = temuan["status"].where(~later, "proses").where(~closed, "selesai")
    overdue = ~closed & (temuan["batas_waktu"] < day).fillna(False).astype(bool)
    days = (day - temuan["batas_waktu"]).dt.days.where(overdue, 0).fillna(0).astype(int)
    return temuan.assign(
        status_per_tanggal=state,
        ditutup_pada=closed_on.where(closed),
        lewat_batas=overdue,
        hari_lewat_batas=days,
    )


def overdue_findings(temuan: pd.DataFrame, as_of: date | pd.Timestamp) -> pd.DataFrame:
    """The findings overdue at `as_of`, longest overdue first (then province and number)."""
    at = findings_at(temuan, as_of)
    late = at[at["lewat_batas"]]
    return late.sort_values(
        ["hari_lewat_batas", "kode_provinsi", "nomor_temuan"], ascending=[False, True, True], kind="stable"
    ).reset_index(drop=True)


def audit_changes(temuan: pd.DataFrame, as_of: date | pd.Timestamp, previous: date | pd.Timestamp) -> pd.DataFrame:
    """What changed in (previous, as_of]: findings closed, and findings that became overdue.

    Newly overdue: not closed at as_of and previous <= batas_waktu < as_of (overdue now, not at previous).
    Columns: CHANGE_COLUMNS, sorted by province, change and number.
    """
    day, before = _day(as_of), _day(previous)
    at = findings_at(temuan, day)
    closed_now = at["ditutup_pada"].notna() & (at["ditutup_pada"] > before)
    newly_late = at["lewat_batas"] & (at["batas_waktu"] >= before)
    closed = at[closed_now]
    late = at[newly_late]
    # Assign from the subset itself: a Series from the full frame would re-index an empty subset.
    closed = closed.assign(perubahan="ditutup", tanggal=closed["ditutup_pada"])
    late = late.assign(perubahan="baru_lewat_batas", tanggal=late["batas_waktu"])
    out = pd.concat([closed, late], ignore_index=True)
    return out.sort_values(["kode_provinsi", "perubahan", "nomor_temuan"], kind="stable")[CHANGE_COLUMNS].reset_index(
        drop=True
    )


def audit_summary(
    temuan: pd.DataFrame, as_of: date | pd.Timestamp, previous: date | pd.Timestamp | None = None
) -> pd.DataFrame:
    """One row per province, columns SUMMARY_COLUMNS, sorted by kode_provinsi.

    Counts and Rupiah sums per status at as_of (a sum is NaN when findings exist but none has an amount),
    overdue count, sum and the longest days overdue; with
    `previous`, ditutup_baru and lewat_batas_baru count the changes in (previous, as_of] (else <NA>).
    """
    at = findings_at(temuan, as_of)
    keys = ["kode_provinsi", "provinsi"]
    # Each count with the Rupiah sum over the same findings: {count column: (amount column, which findings)}.
    groups = {"jumlah": ("nilai_total", pd.Series(True, index=at.index))}
    for state in AUDIT_STATUSES:
        groups[state] = (f"nilai_{state}", at["status_per_tanggal"] == state)
    groups["lewat_batas"] = ("nilai_lewat_batas", at["lewat_batas"])
    wide = pd.DataFrame(
        {
            **{count: mask.astype(int) for count, (_, mask) in groups.items()},
            **{amount: at["nilai"].where(mask) for amount, mask in groups.values()},
            "hari_lewat_batas_maks": at["hari_lewat_batas"],
        }
    ).join(at[keys])
    grouped = wide.groupby(keys, sort=True, dropna=False)
    amounts = [amount for amount, _ in groups.values()]
    out = (
        grouped[list(groups)]
        .sum()
        .join(grouped[amounts].sum(min_count=1))
        .join(grouped["hari_lewat_batas_maks"].max())
        .reset_index()
    )
    # A Rupiah sum is 0 when there is nothing to add up, and NaN (unknown) when every amount is empty.
    for count, (amount, _) in groups.items():
        out[amount] = out[amount].where(out[count] > 0, 0.0)
    if previous is None:
        out["ditutup_baru"] = pd.array([pd.NA] * len(out), dtype="Int64")
        out["lewat_batas_baru"] = pd.array([pd.NA] * len(out), dtype="Int64")
    else:
        changes = audit_changes(temuan, as_of, previous)
        counts = changes.groupby(["kode_provinsi", "perubahan"]).size().unstack(fill_value=0)
        for column, change in (("ditutup_baru", "ditutup"), ("lewat_batas_baru", "baru_lewat_batas")):
            per = counts[change] if change in counts.columns else pd.Series(dtype=int)
            out[column] = out["kode_provinsi"].map(per).fillna(0).astype("Int64")
    return out[SUMMARY_COLUMNS]


OPEN_COLUMNS = ["kode_provinsi", "provinsi", "temuan_terbuka", "temuan_terbuka_nilai", "temuan_lewat_batas"]


def open_findings(temuan: pd.DataFrame, as_of: date | pd.Timestamp) -> pd.DataFrame:
    """Per province with findings known at `as_of`: the findings not closed then (count, Rupiah sum: NaN when
    none of them has an amount, 0 when there are none), and how many of them are overdue. OPEN_COLUMNS,
    sorted by kode_provinsi."""
    at = findings_at(temuan, as_of)
    keys = ["kode_provinsi", "provinsi"]
    still = (at["status_per_tanggal"] != "selesai").to_numpy(bool)
    wide = at[keys].assign(
        temuan_terbuka=still.astype(int),
        temuan_terbuka_nilai=at["nilai"].where(still),
        temuan_lewat_batas=at["lewat_batas"].astype(int),
    )
    grouped = wide.groupby(keys, sort=True, dropna=False)
    out = grouped[["temuan_terbuka", "temuan_lewat_batas"]].sum().join(grouped["temuan_terbuka_nilai"].sum(min_count=1))
    out = out.reset_index()
    out["temuan_terbuka_nilai"] = out["temuan_terbuka_nilai"].where(out["temuan_terbuka"] > 0, 0.0)
    return out[OPEN_COLUMNS]


def previous_report_date(
    dates: Iterable[date | pd.Timestamp | None], as_of: date | pd.Timestamp
) -> pd.Timestamp | None:
    """The newest report date strictly before `as_of` (None when there is none): the "since" of a change."""
    stamps = pd.to_datetime(pd.Series(list(dates), dtype=object), errors="coerce").dropna().dt.normalize()
    earlier = stamps[stamps < _day(as_of)]
    return None if earlier.empty else pd.Timestamp(earlier.max())
