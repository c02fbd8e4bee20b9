"""The shapes of the loaded frames: what every engine may rely on.

All frames are plain pandas DataFrames with these columns (and maybe more). Codes are `str`, dates are
`datetime64[ns]` (NaT = empty), numbers are float64 (NaN = empty), flags are pandas nullable `boolean`
(<NA> = unknown, i.e. the source had no such column). Provenance columns start with "_".
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from pkp_cli.model.issues import FileReport, Issue

# One row per location (key kode_lokasi). Names come from the region reference where the code is known.
LOKASI = [
    "kode_lokasi",  # "51.04.01" (PISEW kecamatan) or "51.04.01.2001" (KOTAKU kelurahan/desa)
    "program",  # "PISEW" | "KOTAKU"
    "kode_provinsi",  # "51"
    "provinsi",  # reference name, e.g. "Bali"
    "kode_kabupaten",  # "51.04"
    "kabupaten_kota",  # reference name, e.g. "Kabupaten Gianyar"
    "kecamatan",  # reference name of the kecamatan
    "kelurahan_desa",  # reference name (KOTAKU), else <NA>
    "nama_lokasi",  # kecamatan for PISEW, kelurahan/desa for KOTAKU
    "balai",  # optional text
    "lokasi_berulang",  # boolean, <NA> = unknown
    "kinerja",  # "Baik" | "Cukup" | "Kurang" | <NA>
    "dokumen_perencanaan",  # boolean, <NA> = unknown
    "nilai_bantuan",  # float Rupiah, NaN = empty
    "_file",
    "_sheet",
    "_row",
]

# One row per (kode_lokasi, program, tahapan, tanggal_laporan), newest-wins already applied per report date.
PROGRES = [
    "kode_lokasi",  # location code; for a province-level stage the province code "51"
    "kode_provinsi",  # "51"
    "program",  # "PISEW" | "KOTAKU"
    "tahapan",  # stage code from the schedule
    "tanggal_mulai",  # datetime64, NaT = not started
    "tanggal_selesai",  # datetime64, NaT = not finished
    "progres_persen",  # float 0..100, NaN = empty
    "keterangan",  # str or <NA>
    "tanggal_laporan",  # datetime64 report date (never NaT after loading)
    "laporan_tanpa_tanggal",  # bool: report date was not in the file and was inferred
    "_file",
    "_sheet",
    "_row",
]

# One row per (kode_provinsi, nomor_temuan).
TEMUAN = [
    "kode_provinsi",
    "provinsi",
    "nomor_temuan",
    "uraian",
    "nilai",  # float Rupiah, NaN = empty
    "status",  # "belum" | "proses" | "selesai"
    "batas_waktu",  # datetime64
    "tanggal_selesai",  # datetime64, NaT = not closed
    "tanggal_laporan",  # datetime64 report date of the file
    "_file",
    "_sheet",
    "_row",
]

# Output of pkp_cli.engines.status.compute_status: one row per (location or province, program, stage).
STATUS = [
    "kode_provinsi",
    "provinsi",
    "kode_kabupaten",  # <NA> on province-level rows
    "kabupaten_kota",  # <NA> on province-level rows
    "kode_lokasi",  # location code, or the province code on province-level rows
    "nama_lokasi",  # location name, or the province name on province-level rows
    "program",
    "tingkat",  # "provinsi" | "lokasi"
    "urutan",  # the stage's order in the schedule
    "tahapan",
    "nama_tahapan",
    "jadwal_mulai",
    "jadwal_selesai",
    "tanggal_mulai",
    "tanggal_selesai",
    "progres_persen",
    "tanggal_laporan",  # newest report on or before as-of, NaT if none
    "status",  # selesai | selesai_terlambat | terlambat | berjalan | belum_mulai | belum_jadwal
    "hari_terlambat",  # int
    "hari_kerja_terlambat",  # int
    "urutan_dilanggar",  # bool
    "tanpa_laporan",  # bool
    "laporan_basi",  # bool
    "tertunda_dipa",  # bool
    "keterangan",
]

STATUS_CODES = ["selesai", "selesai_terlambat", "terlambat", "berjalan", "belum_mulai", "belum_jadwal"]
FINISHED = ("selesai", "selesai_terlambat")


@dataclass
class LoadResult:
    lokasi: pd.DataFrame
    progres: pd.DataFrame
    temuan: pd.DataFrame
    files: list[FileReport]
    errors: list[Issue]
    warnings: list[Issue]
    errors_total: int
    warnings_total: int
    ignored: list[tuple[str, str]]
    unreadable: list[Issue]
    lokasi_missing_columns: set[str] = field(default_factory=set)
    # Code of each rejected location row -> where ("lokasi.xlsx!PISEW!D7"), for the progress rows of a later
    # load against these locations (pkp validate on one progress file).
    lokasi_rejected: dict[str, str] = field(default_factory=dict)
    # file -> [(sheet, headers, [(row, values, messages)])]: the rejected source rows, as written.
    rejected: dict[str, list[tuple[str | None, list[str], list[tuple[int, list[Any], str]]]]] = field(
        default_factory=dict
    )
    timings: dict[str, float] = field(default_factory=dict)  # seconds per loading phase (for the benchmark)
    # The files read from their bytes by this load; the others came from the load cache (pkp_cli.ingest.cache).
    parsed: list[str] = field(default_factory=list)
    # The load cache's key of this result (None without the cache): results derived from it may be kept too.
    cache_key: str | None = None
    # Set by the load cache (None otherwise): the distinct report dates of dated reports (ISO timestamps) and the
    # years of all report dates, so the status date and the newest report need not read the progress frame.
    dated_reports: list[str] | None = None
    report_years: list[int] | None = None
    # For the load cache only (empty otherwise, and once the load's entry is made): by frame, its text columns that
    # still hold the text the parse factorised, as that factorisation (codes, distinct values), so the entry keeps
    # them as Arrow dictionaries (cache._table) instead of compressing the text again.
    text_codes: dict[str, dict[str, tuple[Any, Any]]] = field(default_factory=dict, repr=False, compare=False)

    def total(self, attr: str) -> int:
        return sum(f.total(attr) for f in self.files)

    @property
    def rows_rejected(self) -> int:
        return self.total("rows_rejected")

    def for_provinces(self, codes: set[str], max_errors: int) -> LoadResult:
        """A copy keeping only the errors and warnings of rows in these provinces (and of rows whose province
        cannot be told, such as a file-level problem): what a BPPW must fix. The per-file accounting stays
        whole."""
        from dataclasses import replace

        def keep(issues: list[Issue]) -> list[Issue]:
            return [i for i in issues if i.kode_provinsi is None or i.kode_provinsi in codes]

        errors, warnings = keep(self.errors), keep(self.warnings)
        return replace(
            self,
            errors=errors[:max_errors],
            errors_total=len(errors) + len(self.unreadable),
            warnings=warnings[:max_errors],
            warnings_total=len(warnings),
        )


FRAMES = ("lokasi", "progres", "temuan")
FRAME_COLUMNS = {"lokasi": LOKASI, "progres": PROGRES, "temuan": TEMUAN}  # each frame's columns, by its name


class LazyLoadResult(LoadResult):
    """A LoadResult from the load cache whose frames are read on first use: a warm run that needs only the
    accounting and the report dates (a warm national `pkp status` whose tables are kept) reads none of them.

    `read_frames(name)` returns that frame, or all three when the entry turned out not whole and the load was
    made again from the workbooks (frames already read are kept: the same inputs give the same frames).
    `later` makes other fields on first use (the issues: thousands of objects a status report does not show).
    """

    def __init__(self, read_frames: Callable[[str], dict[str, pd.DataFrame]] | None = None,
                 later: dict[str, Callable[[], Any]] | None = None, **fields: Any) -> None:  # fmt: skip
        if read_frames is None:  # dataclasses.replace and copies: every field is given
            super().__init__(**fields)
            return
        self.__dict__["_read_frames"] = read_frames
        self.__dict__["_later"] = dict(later or {})
        for f in dataclasses.fields(LoadResult):
            if f.name in FRAMES or f.name in self._later:
                continue
            if f.name in fields:
                value = fields[f.name]
            elif f.default is not dataclasses.MISSING:
                value = f.default
            else:
                value = f.default_factory()  # type: ignore[operator]
            setattr(self, f.name, value)

    def __getattr__(self, name: str) -> Any:
        # Called only for attributes not set yet: a frame not read so far, or a field not made yet.
        later = self.__dict__.get("_later")
        if later and name in later:
            self.__dict__[name] = later.pop(name)()
            return self.__dict__[name]
        read = self.__dict__.get("_read_frames")
        if name not in FRAMES or read is None:
            raise AttributeError(name)
        for key, frame in read(name).items():
            self.__dict__.setdefault(key, frame)
        return self.__dict__[name]
