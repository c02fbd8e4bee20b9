"""The tables of every command, by name, with their column keys: what `--help` and the README describe.

Pure data (no pandas): `pkp --help` reads it. The views build their tables with these lists.
"""

from __future__ import annotations

ROLLUP_SHOWN = [
    "rencana_persen",
    "realisasi_persen",
    "deviasi",
    "jumlah",
    "selesai",
    "selesai_terlambat",
    "terlambat",
    "berjalan",
    "belum_mulai",
    "belum_jadwal",
    "median_terlambat",
    "maks_terlambat",
    "tahapan_terburuk",
]
REPORTING = ["laporan_terakhir", "belum_melapor"]
CONSTRUCTION_COUNTS = ["konstruksi_kritis", "konstruksi_lewat_batas"]
NATIONAL_KEYS = ["kode_provinsi", "provinsi", *ROLLUP_SHOWN, *CONSTRUCTION_COUNTS, *REPORTING]
PROGRAM_KEYS = ["program", *ROLLUP_SHOWN]
KABUPATEN_KEYS = ["kode_provinsi", "provinsi", "kode_kabupaten", "kabupaten_kota", *ROLLUP_SHOWN]
SUMMARY_KEYS = ["kode_provinsi", "provinsi", *ROLLUP_SHOWN, *CONSTRUCTION_COUNTS, *REPORTING]
PERSIAPAN_KEYS = [
    "kode_provinsi",
    "provinsi",
    "program",
    "tahapan",
    "nama_tahapan",
    "jadwal_mulai",
    "jadwal_selesai",
    "tanggal_mulai",
    "tanggal_selesai",
    "status",
    "hari_terlambat",
    "hari_kerja_terlambat",
    "urutan_dilanggar",
    "tertunda_dipa",
    "tanggal_laporan",
    "keterangan",
]
LATE_LOCATION_KEYS = [
    "kode_provinsi",
    "provinsi",
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
    "laporan_basi",
    "keterangan",
]
CONSTRUCTION_KEYS = [
    "kode_provinsi",
    "provinsi",
    "kabupaten_kota",
    "kode_lokasi",
    "nama_lokasi",
    "program",
    "rencana_persen",
    "progres_persen",
    "deviasi",
    "perkiraan_selesai",
    "perkiraan_geser_hari",
    "kritis",
    "melewati_batas_akhir",
]
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
LOKASI_STAGE_KEYS = ["kode_lokasi", "program", "tingkat", *STAGE_FIELDS, "tanggal_laporan", "keterangan"]
LOKASI_REPORT_KEYS = ["tanggal_laporan", "tahapan", "nama_tahapan", "progres_persen", "keterangan"]
DETAIL_KEYS = [
    "kode_provinsi",
    "provinsi",
    "kode_kabupaten",
    "kabupaten_kota",
    "kode_lokasi",
    "nama_lokasi",
    "program",
    "tingkat",
    *STAGE_FIELDS,
    "tanggal_laporan",
    "keterangan",
]
CURVE_KEYS = ["kode_provinsi", "program", "tanggal", "rencana_persen", "realisasi_persen", "deviasi"]

LATE_STAGE_KEYS = [
    "program",
    "tingkat",
    "tahapan",
    "nama_tahapan",
    "terlambat",
    "selesai_terlambat",
    "median_terlambat",
    "maks_terlambat",
]

STATUS_TABLES: dict[str, list[str]] = {
    "provinsi": NATIONAL_KEYS,
    "tahapan_terlambat": LATE_STAGE_KEYS,
    "program": PROGRAM_KEYS,
    "kurva_s": CURVE_KEYS,
    "ringkasan": SUMMARY_KEYS,
    "persiapan": PERSIAPAN_KEYS,
    "kabupaten": KABUPATEN_KEYS,
    "terlambat": LATE_LOCATION_KEYS,
    "konstruksi": CONSTRUCTION_KEYS,
    "tahapan": LOKASI_STAGE_KEYS,
    "laporan": LOKASI_REPORT_KEYS,
    "rincian": DETAIL_KEYS,
}


FILE_KEYS = ["file", "sheet", "jenis", "baris_judul", "rows_read", "rows_loaded", "rows_rejected", "rows_skipped"]
ISSUE_KEYS = ["file", "sheet", "row", "cell", "column", "value", "code", "message"]
IGNORED_KEYS = ["path", "reason"]
VALIDATE_TABLES: dict[str, list[str]] = {
    "berkas": FILE_KEYS,
    "galat": ISSUE_KEYS,
    "peringatan": ISSUE_KEYS,
    "diabaikan": IGNORED_KEYS,
}

SCHEDULE_KEYS = [
    "program",
    "tahapan",
    "nama_tahapan",
    "tingkat",
    "jadwal_mulai",
    "jadwal_selesai",
    "setelah",
    "perlu_revisi_dipa",
    "dapat_dipercepat",
    "bobot",
]
SCHEDULE_TABLES: dict[str, list[str]] = {"jadwal": SCHEDULE_KEYS}
CONFIG_KEYS = ["key", "value_text", "source"]
CONFIG_TABLES: dict[str, list[str]] = {"pengaturan": CONFIG_KEYS}
