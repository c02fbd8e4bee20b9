"""Where provinces stand beyond the roll-up: who reported when, the most-late stages, construction flags."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

LATE = ("terlambat", "selesai_terlambat")
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


def late_stages(status: pd.DataFrame) -> pd.DataFrame:
    """Stages with at least one `terlambat` row: most such rows first, then schedule order."""
    work = status[["program", "tingkat", "tahapan", "nama_tahapan", "urutan", "status", "hari_terlambat"]]
    late = work[work["status"].isin(LATE)]
    keys = ["urutan", "program", "tingkat", "tahapan", "nama_tahapan"]
    counts = (
        late.assign(**{c: (late["status"] == c).astype(np.int64) for c in LATE})
        .groupby(keys, sort=True, observed=True)
        .agg(
            terlambat=("terlambat", "sum"),
            selesai_terlambat=("selesai_terlambat", "sum"),
            median_terlambat=("hari_terlambat", "median"),
            maks_terlambat=("hari_terlambat", "max"),
        )
        .reset_index()
    )
    counts = counts[counts["terlambat"] > 0]
    counts = counts.sort_values(["terlambat", "urutan"], ascending=[False, True], kind="stable")
    counts["median_terlambat"] = counts["median_terlambat"].astype(np.float64)
    counts["maks_terlambat"] = counts["maks_terlambat"].astype(np.float64)
    return counts[LATE_STAGE_COLUMNS].reset_index(drop=True)


def construction_counts(forecast: pd.DataFrame, by: str = "kode_provinsi") -> pd.DataFrame:
    """Per `by`: locations whose construction is kritis, and those projected past the deadline."""
    flags = forecast.groupby(by, observed=True)[["kritis", "melewati_batas_akhir"]].sum().astype(np.int64)
    return flags.rename(columns={"kritis": "konstruksi_kritis", "melewati_batas_akhir": "konstruksi_lewat_batas"})
