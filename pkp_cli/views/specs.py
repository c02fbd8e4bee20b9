"""The tables of every command, by name, with their column keys: what `--help` and the README describe.

Pure data (no pandas): `pkp --help` reads it. The views build their tables with these lists.
"""

from __future__ import annotations

# Pieces the tables share, in the order every table shows them.
PROVINCE = ["kode_provinsi", "provinsi"]
WHERE = [*PROVINCE, "kode_kabupaten", "kabupaten_kota"]
LOCATION = ["kode_lokasi", "nama_lokasi"]
STAGE = ["tahapan", "nama_tahapan"]
WINDOW = ["jadwal_mulai", "jadwal_selesai"]
ACTUAL = ["tanggal_mulai", "tanggal_selesai"]
LATENESS = ["hari_terlambat", "hari_kerja_terlambat"]
PLAN_VS_ACTUAL = ["rencana_persen", "realisasi_persen", "deviasi"]
STATUS_COUNTS = ["selesai", "selesai_terlambat", "terlambat", "berjalan", "belum_mulai", "belum_jadwal"]
SLIP = ["median_terlambat", "maks_terlambat"]

ROLLUP_SHOWN = [*PLAN_VS_ACTUAL, "jumlah", *STATUS_COUNTS, *SLIP, "tahapan_terburuk"]
REPORTING = ["laporan_terakhir", "belum_melapor"]
CONSTRUCTION_COUNTS = ["konstruksi_kritis", "konstruksi_lewat_batas"]
NATIONAL_KEYS = [*PROVINCE, *ROLLUP_SHOWN, *CONSTRUCTION_COUNTS, *REPORTING]
PROGRAM_KEYS = ["program", *ROLLUP_SHOWN]
KABUPATEN_KEYS = [*WHERE, *ROLLUP_SHOWN]
SUMMARY_KEYS = NATIONAL_KEYS
PERSIAPAN_KEYS = [
    *PROVINCE, "program", *STAGE, *WINDOW, *ACTUAL, "status", *LATENESS, "urutan_dilanggar", "tertunda_dipa",
    "tanggal_laporan", "keterangan",
]  # fmt: skip
LATE_LOCATION_KEYS = [*WHERE, *LOCATION, "program", *STAGE, "jadwal_selesai", *LATENESS, "laporan_basi", "keterangan"]
CONSTRUCTION_KEYS = [
    *PROVINCE, "kabupaten_kota", *LOCATION, "program", "rencana_persen", "progres_persen", "deviasi",
    "perkiraan_selesai", "perkiraan_geser_hari", "kritis", "melewati_batas_akhir",
]  # fmt: skip
# One stage's standing, wherever stages are listed one per row.
STAGE_FIELDS = [
    *STAGE, *WINDOW, *ACTUAL, "progres_persen", "status", *LATENESS, "urutan_dilanggar", "tanpa_laporan",
    "laporan_basi", "tertunda_dipa",
]  # fmt: skip
LOKASI_STAGE_KEYS = ["kode_lokasi", "program", "tingkat", *STAGE_FIELDS, "tanggal_laporan", "keterangan"]
LOKASI_REPORT_KEYS = ["tanggal_laporan", *STAGE, "progres_persen", "keterangan"]
DETAIL_KEYS = [*WHERE, *LOCATION, "program", "tingkat", *STAGE_FIELDS, "tanggal_laporan", "keterangan"]
CURVE_KEYS = ["kode_provinsi", "program", "tanggal", *PLAN_VS_ACTUAL]
LATE_STAGE_KEYS = ["program", "tingkat", *STAGE, "terlambat", "selesai_terlambat", *SLIP]

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

# --- pkp candidates ---------------------------------------------------------------------------------------
# `syarat.<id>` and `penalti.<id>` stand for one column per rule of the rules file (built when the report is).
STARTABLE = ["tahapan_lebih_awal", "tahapan_jendela_terbuka"]
CANDIDATE_KEYS = [
    *LOCATION, *WHERE, "program", "skor", "skor_mentah", "memenuhi", "syarat_gagal", "alasan", *STARTABLE,
    "syarat.<id>", "penalti.<id>",
]  # fmt: skip
WAITING_KEYS = ["program", *STAGE, "menunggu", "menunggu_kode", "jumlah_lokasi"]
CARD_LOCATION_KEYS = [
    *LOCATION, *PROVINCE, "kabupaten_kota", "program", "skor", "skor_mentah", "skor_maks", "memenuhi",
    "syarat_gagal", *STARTABLE,
]  # fmt: skip
CARD_KEYS = ["bagian", "aturan", "wajib", "bobot_aturan", "hasil", "poin", "data"]
CANDIDATES_TABLES: dict[str, list[str]] = {
    "kandidat": CANDIDATE_KEYS,
    "menunggu": WAITING_KEYS,
    "lokasi": CARD_LOCATION_KEYS,  # --explain
    "kartu": CARD_KEYS,  # --explain
}

# --- pkp readiness ----------------------------------------------------------------------------------------
# `tahap.<tahapan>`, `status.<tahapan>` and `tanggal.<tahapan>` stand for three columns per province-level
# stage of the schedule (one per stage name; built from the schedule when the report is).
READINESS_STAGE_KEYS = ["tahap.<tahapan>", "status.<tahapan>", "tanggal.<tahapan>"]
READINESS_BOARD_KEYS = [*PROVINCE, "program", "balai", *READINESS_STAGE_KEYS]
READINESS_LOCATION_KEYS = [
    *PROVINCE, "program", "jumlah_lokasi", "kelembagaan_selesai", "kelembagaan_persen", "survei_selesai",
    "survei_persen", "tunggu_dipa", "laporan_terakhir",
]  # fmt: skip
READINESS_AUDIT_KEYS = [*PROVINCE, "temuan_terbuka", "temuan_terbuka_nilai", "temuan_lewat_batas"]
READINESS_TABLES: dict[str, list[str]] = {
    "kesiapan": READINESS_BOARD_KEYS,
    "lokasi": READINESS_LOCATION_KEYS,
    "temuan": READINESS_AUDIT_KEYS,
}

# --- pkp audit --------------------------------------------------------------------------------------------
FINDING = ["nomor_temuan", "uraian", "nilai"]
AUDIT_SUMMARY_KEYS = [
    *PROVINCE, "temuan", "belum", "proses", "temuan_selesai", "nilai_belum", "nilai_proses", "nilai_selesai",
    "nilai_total", "lewat_batas", "nilai_lewat_batas", "hari_lewat_batas_maks", "ditutup_baru", "lewat_batas_baru",
]  # fmt: skip
AUDIT_OVERDUE_KEYS = [*PROVINCE, *FINDING, "status_temuan", "batas_waktu", "hari_lewat_batas"]
AUDIT_CHANGE_KEYS = [*PROVINCE, *FINDING, "perubahan", "tanggal_perubahan", "hari_lewat_batas"]
AUDIT_TABLES: dict[str, list[str]] = {
    "provinsi": AUDIT_SUMMARY_KEYS,
    "lewat_batas": AUDIT_OVERDUE_KEYS,
    "perubahan": AUDIT_CHANGE_KEYS,
}

# pkp report: the index (a row per pack); a province's pack, in this order: the status tables of one province,
# its readiness board and locations' figures after the summary, its candidates and audit follow-up before the
# S-curve; the national pack: the national status tables and the provinces that have not reported.
PACK_INDEX_KEYS = [
    *PROVINCE, *PLAN_VS_ACTUAL, "terlambat", "maks_terlambat", "konstruksi_kritis", *REPORTING,
]  # fmt: skip
NOT_REPORTED_KEYS = [*PROVINCE, "laporan_terakhir"]
REPORT_TABLES: dict[str, list[str]] = {
    "paket": PACK_INDEX_KEYS,
    "ringkasan": SUMMARY_KEYS,
    "kesiapan": READINESS_BOARD_KEYS,
    "kesiapan_lokasi": READINESS_LOCATION_KEYS,
    "persiapan": PERSIAPAN_KEYS,
    "kabupaten": KABUPATEN_KEYS,
    "terlambat": LATE_LOCATION_KEYS,
    "konstruksi": CONSTRUCTION_KEYS,
    "kandidat": CANDIDATE_KEYS,
    "menunggu": WAITING_KEYS,
    "audit": AUDIT_SUMMARY_KEYS,
    "lewat_batas": AUDIT_OVERDUE_KEYS,
    "perubahan": AUDIT_CHANGE_KEYS,
    "provinsi": NATIONAL_KEYS,
    "belum_melapor": NOT_REPORTED_KEYS,
    "tahapan_terlambat": LATE_STAGE_KEYS,
    "program": PROGRAM_KEYS,
    "kurva_s": CURVE_KEYS,
}

# --- pkp weekly and pkp history (issue 12) ---------------------------------------------------------------
WEEKLY_COUNTS = [
    "selesai_minggu_ini",
    "baru_terlambat",
    "pulih",
    "makin_terlambat",
]
WEEKLY_SUMMARY_KEYS = [
    "minggu",
    "tanggal_posisi",
    "minggu_pembanding",
    "tanggal_pembanding",
    "direkonstruksi",
    "deviasi_sebelumnya",
    "deviasi",
    "perubahan_deviasi",
    "arah",
    *WEEKLY_COUNTS,
    "provinsi_belum_melapor",
    "kandidat_masuk",
    "kandidat_keluar",
    "temuan_ditutup",
    "temuan_baru_lewat_batas",
]
WEEKLY_PROVINCE_KEYS = [
    "kode_provinsi",
    "provinsi",
    "deviasi_sebelumnya",
    "deviasi",
    "perubahan_deviasi",
    "arah",
    *WEEKLY_COUNTS,
    "terlambat",
    "belum_melapor_minggu_ini",
    "laporan_terakhir",
    "kandidat_masuk",
    "kandidat_keluar",
    "temuan_ditutup",
    "temuan_baru_lewat_batas",
]
# the first week, with nothing to compare: where each province stands
WEEKLY_FIRST_KEYS = ["kode_provinsi", "provinsi", "deviasi", "terlambat", "laporan_terakhir"]
WEEKLY_ROW_KEYS = [
    "kode_provinsi",
    "provinsi",
    "kabupaten_kota",
    "kode_lokasi",
    "nama_lokasi",
    "program",
    "tahapan",
    "nama_tahapan",
    "jadwal_selesai",
    "tanggal_selesai",
    "status_sebelumnya",
    "status",
    "hari_terlambat_sebelumnya",
    "hari_terlambat",
    "tambah_hari",
]
WEEKLY_NOT_REPORTED_KEYS = ["kode_provinsi", "provinsi", "laporan_terakhir"]
WEEKLY_CANDIDATE_KEYS = [
    "perubahan_kandidat",
    "kode_provinsi",
    "provinsi",
    "kabupaten_kota",
    "kode_lokasi",
    "nama_lokasi",
    "program",
    "skor_sebelumnya",
    "skor",
]
WEEKLY_FINDING_KEYS = [
    "perubahan",
    "kode_provinsi",
    "provinsi",
    "nomor_temuan",
    "uraian",
    "nilai",
    "tanggal_perubahan",
    "hari_lewat_batas",
]
WEEKLY_STAGE_KEYS = ["program", "tahapan", "nama_tahapan", *WEEKLY_COUNTS, "terlambat"]
WEEKLY_MOVED_KEYS = [
    "program",
    "tahapan",
    "jadwal_mulai_sebelumnya",
    "jadwal_mulai",
    "jadwal_selesai_sebelumnya",
    "jadwal_selesai",
]
WEEKLY_TREND_NATIONAL_KEYS = ["minggu", "tanggal", "rencana_persen", "realisasi_persen", "deviasi"]
# one `deviasi` column per stored week, keyed by the week (2022-W20, 2022-W21, ...)
WEEKLY_TREND_PROVINCE_KEYS = ["kode_provinsi", "provinsi", "deviasi"]
HISTORY_KEYS = [
    "minggu",
    "tanggal_posisi",
    "baris",
    "jadwal_sha256",
    "aturan_sha256",
    "masukan",
    "versi_pkp",
    "path",
]
HISTORY_BAD_KEYS = ["path", "alasan_riwayat", "rincian_masalah"]
WEEKLY_TABLES: dict[str, list[str]] = {
    "jadwal_berubah": WEEKLY_MOVED_KEYS,
    "ringkasan": WEEKLY_SUMMARY_KEYS,
    "provinsi": WEEKLY_PROVINCE_KEYS,
    "baru_terlambat": WEEKLY_ROW_KEYS,
    "temuan": WEEKLY_FINDING_KEYS,
    "belum_melapor": WEEKLY_NOT_REPORTED_KEYS,
    "makin_terlambat": WEEKLY_ROW_KEYS,
    "kandidat": WEEKLY_CANDIDATE_KEYS,
    "selesai": WEEKLY_ROW_KEYS,
    "pulih": WEEKLY_ROW_KEYS,
    "tahapan": WEEKLY_STAGE_KEYS,
    "tren_nasional": WEEKLY_TREND_NATIONAL_KEYS,
    "tren_deviasi": WEEKLY_TREND_PROVINCE_KEYS,
    "riwayat_bermasalah": HISTORY_BAD_KEYS,
}
HISTORY_TABLES: dict[str, list[str]] = {"minggu": HISTORY_KEYS, "bermasalah": HISTORY_BAD_KEYS}
