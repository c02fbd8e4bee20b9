"""The tables of `pkp status`, built from the status frame and its roll-ups.

Every function returns DataFrames with stable snake_case column identifiers (the same words as the status
frame and the roll-ups); the CLI layer translates headers and status codes through pkp_cli.text.labels and
formats dates and numbers. Nothing here prints or colours.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import numpy as np
import pandas as pd

from pkp_cli.engines.rollup import LATE, ROLLUP_VALUES, rollup, worst_first
from pkp_cli.model.schedule import Schedule

NATIONAL_COLUMNS = ["kode_provinsi", "provinsi", *ROLLUP_VALUES]
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
PERSIAPAN_COLUMNS = [
    "program",
    "tahapan",
    "nama_tahapan",
    "jadwal_mulai",
    "jadwal_selesai",
    "tanggal_mulai",
    "tanggal_selesai",
    "progres_persen",
    "status",
    "hari_terlambat",
    "hari_kerja_terlambat",
    "urutan_dilanggar",
    "tertunda_dipa",
    "keterangan",
]
KABUPATEN_COLUMNS = ["kode_kabupaten", "kabupaten_kota", *ROLLUP_VALUES]
TERLAMBAT_COLUMNS = [
    "kode_kabupaten",
    "kabupaten_kota",
    "kode_lokasi",
    "nama_lokasi",
    "program",
    "tahapan",
    "nama_tahapan",
    "jadwal_selesai",
    "hari_terlambat",
    "hari_kerja_terlambat",
    "keterangan",
]
# The fields of one stage's standing, in the order every stage table shows them.
STAGE_FIELDS = [
    "tahapan",
    "nama_tahapan",
    "jadwal_mulai",
    "jadwal_selesai",
    "tanggal_mulai",
    "tanggal_selesai",
    "progres_persen",
    "status",
    "hari_terlambat",
    "hari_kerja_terlambat",
    "urutan_dilanggar",
    "tanpa_laporan",
    "laporan_basi",
    "tertunda_dipa",
]
LOKASI_STAGE_COLUMNS = ["program", "tingkat", *STAGE_FIELDS, "tanggal_laporan", "keterangan"]
LOKASI_REPORT_COLUMNS = ["tanggal_laporan", "tahapan", "nama_tahapan", "progres_persen", "keterangan"]
DETAIL_COLUMNS = ["provinsi", "kabupaten_kota", "kode_lokasi", "nama_lokasi", "program", *STAGE_FIELDS, "keterangan"]


def _as_list(values: str | Iterable[str] | None) -> list[str] | None:
    if values is None:
        return None
    return [values] if isinstance(values, str) else list(values)


def filter_status(
    status: pd.DataFrame,
    *,
    kabupaten: str | Iterable[str] | None = None,
    program: str | Iterable[str] | None = None,
    stage: str | Iterable[str] | None = None,
    codes: str | Iterable[str] | None = None,
    late_only: bool = False,
) -> pd.DataFrame:
    """Rows matching every given filter (codes as stored; the CLI resolves names to codes first).

    `kabupaten` keeps the kabupaten's locations and drops province-level rows (they belong to no
    kabupaten). `late_only` keeps rows with a slip: terlambat and selesai_terlambat.
    """
    keep = np.ones(len(status), dtype=bool)
    for column, wanted in (
        ("kode_kabupaten", _as_list(kabupaten)),
        ("program", _as_list(program)),
        ("tahapan", _as_list(stage)),
        ("status", _as_list(codes)),
    ):
        if wanted is not None:
            keep &= status[column].isin(wanted).to_numpy(dtype=bool)
    if late_only:
        keep &= status["status"].isin(LATE).to_numpy(dtype=bool)
    return status.loc[keep]


def _names(status: pd.DataFrame, code: str, name: str) -> pd.DataFrame:
    return status[[code, name]].dropna(subset=[code]).drop_duplicates(code)


def national_view(status: pd.DataFrame, schedule: Schedule, as_of: date) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(one row per province worst first: NATIONAL_COLUMNS, the most-late stages: LATE_STAGE_COLUMNS)."""
    per_province = rollup(status, schedule, as_of, by=["kode_provinsi"])
    names = _names(status, "kode_provinsi", "provinsi")
    per_province = per_province.merge(names, on="kode_provinsi", how="left")
    return worst_first(per_province[NATIONAL_COLUMNS], keys=["kode_provinsi"]), late_stages(status)


def late_stages(status: pd.DataFrame) -> pd.DataFrame:
    """Stages with at least one `terlambat` row: most such rows first, then schedule order."""
    work = status[["program", "tingkat", "tahapan", "nama_tahapan", "urutan", "status", "hari_terlambat"]]
    late = work[work["status"].isin(LATE)]
    keys = ["urutan", "program", "tingkat", "tahapan", "nama_tahapan"]
    counts = (
        late.assign(**{c: (late["status"] == c).astype(np.int64) for c in LATE})
        .groupby(keys, sort=True)
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


def province_view(status: pd.DataFrame, schedule: Schedule, as_of: date, province_code: str) -> dict[str, pd.DataFrame]:
    """{'persiapan', 'kabupaten', 'terlambat'} for one province (see the *_COLUMNS lists).

    persiapan: its province-level stages, program by program in schedule order. kabupaten: one roll-up row
    per kabupaten/kota over its locations, worst first. terlambat: every location stage open past due,
    most days late first.
    """
    mine = status[status["kode_provinsi"] == province_code]
    province_rows = mine[mine["tingkat"] == "provinsi"].sort_values("urutan", kind="stable")
    location_rows = mine[mine["tingkat"] == "lokasi"]
    per_kab = rollup(location_rows, schedule, as_of, by=["kode_kabupaten"])
    per_kab = per_kab.merge(_names(location_rows, "kode_kabupaten", "kabupaten_kota"), on="kode_kabupaten")
    late = location_rows[location_rows["status"] == "terlambat"].sort_values(
        ["hari_terlambat", "kode_lokasi", "urutan"], ascending=[False, True, True], kind="stable"
    )
    return {
        "persiapan": province_rows[PERSIAPAN_COLUMNS].reset_index(drop=True),
        "kabupaten": worst_first(per_kab[KABUPATEN_COLUMNS], keys=["kode_kabupaten"]),
        "terlambat": late[TERLAMBAT_COLUMNS].reset_index(drop=True),
    }


def lokasi_view(
    status: pd.DataFrame, progres: pd.DataFrame, code: str, *, as_of: date | None = None
) -> dict[str, pd.DataFrame]:
    """{'tahapan', 'laporan'}: one location's (or province's) whole story.

    tahapan: its stages and the province-level stages of its province and program (which gate it), in
    schedule order. laporan: every remark (keterangan) reported for it, in report-date then stage order,
    only reports on or before `as_of` when given. Both are empty for an unknown code.
    """
    own = status[status["kode_lokasi"] == code]
    above = status[
        (status["tingkat"] == "provinsi")
        & status["kode_provinsi"].isin(own["kode_provinsi"].unique())
        & status["program"].isin(own["program"].unique())
        & (status["kode_lokasi"] != code)
    ]
    stages = pd.concat([above, own]).sort_values(["urutan"], kind="stable")
    reports = progres[(progres["kode_lokasi"] == code) & progres["keterangan"].notna()]
    if as_of is not None:
        reports = reports[reports["tanggal_laporan"] <= pd.Timestamp(as_of)]
    # the location's own rows name its stages (no need to scan the whole status frame)
    order = dict(zip(own["tahapan"], own["urutan"], strict=True))
    names = dict(zip(own["tahapan"], own["nama_tahapan"], strict=True))
    reports = reports.assign(
        _urutan=reports["tahapan"].map(order),
        nama_tahapan=reports["tahapan"].map(names).astype("str"),
    ).sort_values(["tanggal_laporan", "_urutan"], kind="stable")
    return {
        "tahapan": stages[LOKASI_STAGE_COLUMNS].reset_index(drop=True),
        "laporan": reports[LOKASI_REPORT_COLUMNS].reset_index(drop=True),
    }


def detail_view(status: pd.DataFrame) -> pd.DataFrame:
    """The --detail table: one row per location/province and stage, DETAIL_COLUMNS."""
    return status[DETAIL_COLUMNS].reset_index(drop=True)


__all__ = [
    "DETAIL_COLUMNS",
    "KABUPATEN_COLUMNS",
    "LATE_STAGE_COLUMNS",
    "LOKASI_REPORT_COLUMNS",
    "LOKASI_STAGE_COLUMNS",
    "NATIONAL_COLUMNS",
    "PERSIAPAN_COLUMNS",
    "TERLAMBAT_COLUMNS",
    "detail_view",
    "filter_status",
    "late_stages",
    "lokasi_view",
    "national_view",
    "province_view",
]
