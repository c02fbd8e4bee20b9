"""Where provinces stand beyond the roll-up: who reported when, the most-late stages, construction flags."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from pkp_cli.engines.codes import is_in
from pkp_cli.engines.grouped import median_max, whole_days

LATE = ("terlambat", "selesai_terlambat")
# Combinations of the late-stages keys up to this many: counted in a dense table; more, grouped by pandas.
_DENSE_GROUPS = 1 << 22
LATE_STAGE_COLUMNS = [
    "program",
    "tingkat",
    "tahapan",
    "nama_tahapan",
    "terlambat",  # rows open past due
    "selesai_terlambat",  # rows finished late
    "median_terlambat",  # hari_terlambat over both kinds
    "maks_terlambat",
]


def newest_reports(progres: pd.DataFrame, as_of: date, by: str = "kode_provinsi") -> pd.Series:
    """Per `by` value: the newest dated report on or before as_of (NaT where none). Undated rows, whose date was
    inferred, do not count as a report of that day."""
    if progres.empty:
        return pd.Series(dtype="datetime64[ns]", name="laporan_terakhir")
    dated = ~progres["laporan_tanpa_tanggal"].astype("boolean").fillna(False).to_numpy(dtype=bool)
    on_time = (progres["tanggal_laporan"] <= pd.Timestamp(as_of)).to_numpy(dtype=bool)
    rows = progres.loc[dated & on_time, [by, "tanggal_laporan"]]
    return rows.groupby(by, observed=True)["tanggal_laporan"].max().rename("laporan_terakhir")


def not_reported(newest: pd.Series, as_of: date, stale_days: int) -> pd.Series:
    """True where the newest report is older than stale_days before as_of, or there is none."""
    cutoff = pd.Timestamp(as_of) - pd.Timedelta(days=stale_days)
    return newest.isna() | (newest < cutoff)


# The keys late_stages groups by, and every status column it reads.
_LATE_STAGE_KEYS = ["urutan", "program", "tingkat", "tahapan", "nama_tahapan"]
LATE_STAGE_INPUTS = [*_LATE_STAGE_KEYS, "status", "hari_terlambat"]


def late_stages(status: pd.DataFrame) -> pd.DataFrame:
    """Stages with at least one `terlambat` row: most such rows first, then schedule order."""
    keys = _LATE_STAGE_KEYS
    late = np.flatnonzero(is_in(status["status"], LATE))
    # The groups of the five keys among the late rows, by integer codes in each key's sort order (a categorical's
    # codes are in its categories' order, as grouping by it sorts), combined into one number per row: the same
    # groups in the same order, and the same counts, median and maximum, as a grouped aggregate of the late rows.
    combined = np.zeros(len(late), dtype=np.int64)
    whole = np.ones(len(late), dtype=bool)
    size = 1
    for k in keys:
        col = status[k]
        if isinstance(col.dtype, pd.CategoricalDtype):
            codes, n = np.asarray(col.cat.codes, dtype=np.int64)[late], len(col.cat.categories)
        else:
            found, uniques = pd.factorize(col.iloc[late], sort=True)
            codes, n = np.asarray(found, dtype=np.int64), len(uniques)
        whole &= codes >= 0  # a row with an empty key belongs to no group, as grouping drops it
        size *= max(n, 1)
        combined = combined * max(n, 1) + np.maximum(codes, 0)
    if size > _DENSE_GROUPS or not whole_days(status["hari_terlambat"]):
        return _late_stages_grouped(status.iloc[late], keys)  # rare: many key values, or days that may be NaN
    late, combined = late[whole], combined[whole]
    seen = np.bincount(combined, minlength=size)
    present = np.flatnonzero(seen)  # the groups, in key order
    rank = np.zeros(size, dtype=np.int64)
    rank[present] = np.arange(len(present))
    group = rank[combined]
    first = np.full(len(present), len(late), dtype=np.int64)
    np.minimum.at(first, group, np.arange(len(late), dtype=np.int64))  # a row of each group, for its keys
    open_late = (status["status"].iloc[late] == "terlambat").to_numpy(dtype=bool)
    terlambat = np.bincount(group[open_late], minlength=len(present)).astype(np.int64)
    days = status["hari_terlambat"].to_numpy(dtype=np.int64)[late]
    median, most = median_max(group, days, len(present))
    counts = status[keys].iloc[late[first]].reset_index(drop=True)
    counts["terlambat"] = terlambat
    counts["selesai_terlambat"] = seen[present].astype(np.int64) - terlambat
    counts["median_terlambat"] = median
    counts["maks_terlambat"] = most
    return _late_stages_order(counts)


def _late_stages_grouped(late: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    work = late[LATE_STAGE_INPUTS]
    counts = (
        work.assign(**{c: (work["status"] == c).astype(np.int64) for c in LATE})
        .groupby(keys, sort=True, observed=True)
        .agg(
            terlambat=("terlambat", "sum"),
            selesai_terlambat=("selesai_terlambat", "sum"),
            median_terlambat=("hari_terlambat", "median"),
            maks_terlambat=("hari_terlambat", "max"),
        )
        .reset_index()
    )
    return _late_stages_order(counts)


def _late_stages_order(counts: pd.DataFrame) -> pd.DataFrame:
    counts = counts[counts["terlambat"] > 0]
    counts = counts.sort_values(["terlambat", "urutan"], ascending=[False, True], kind="stable")
    counts["median_terlambat"] = counts["median_terlambat"].astype(np.float64)
    counts["maks_terlambat"] = counts["maks_terlambat"].astype(np.float64)
    return counts[LATE_STAGE_COLUMNS].reset_index(drop=True)


def construction_counts(forecast: pd.DataFrame, by: str = "kode_provinsi") -> pd.DataFrame:
    """Per `by`: locations whose construction is kritis, and those projected past the deadline."""
    flags = forecast.groupby(by, observed=True)[["kritis", "melewati_batas_akhir"]].sum().astype(np.int64)
    return flags.rename(columns={"kritis": "konstruksi_kritis", "melewati_batas_akhir": "konstruksi_lewat_batas"})
