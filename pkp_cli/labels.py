"""Screen labels in both languages. Stable codes live in data and JSON; people read these labels.

Sections are kept apart so each area adds its own labels without touching the others'.
"""

from __future__ import annotations

LABELS: dict[str, tuple[str, str]] = {
    # --- common ---------------------------------------------------------------------------------------
    "sample_marker": ("DATA CONTOH (bawaan pkp)", "SAMPLE DATA (bundled with pkp)"),
    "data_unavailable": ("data tidak tersedia", "data not available"),
    "yes": ("ya", "yes"),
    "no": ("tidak", "no"),
    # --- validate ---------------------------------------------------------------------------------------
    "v.file": ("berkas", "file"),
    "v.files": ("Berkas", "Files"),
    "v.sheet": ("sheet", "sheet"),
    "v.kind": ("jenis", "kind"),
    "v.header": ("baris judul", "header row"),
    "v.read": ("dibaca", "read"),
    "v.loaded": ("dimuat", "loaded"),
    "v.rejected": ("ditolak", "rejected"),
    "v.skipped": ("dilewati", "skipped"),
    "v.total": ("Jumlah", "Total"),
    "v.row": ("baris", "row"),
    "v.cell": ("sel", "cell"),
    "v.column": ("kolom", "column"),
    "v.value": ("nilai", "value"),
    "v.message": ("pesan", "message"),
    "v.error": ("galat", "error"),
    "v.errors": ("Galat", "Errors"),
    "v.warnings": ("Peringatan", "Warnings"),
    "v.ignored": ("Diabaikan", "Ignored"),
    "v.rejects_written": ("berkas baris ditolak ditulis ke", "rejects workbooks written to"),
    "sch.title": ("Jadwal Nasional", "National schedule"),
    "sch.valid": ("jadwal valid", "schedule is valid"),
    # --- columns --------------------------------------------------------------------------------------
    "col.program": ("program", "program"),
    "col.tahapan": ("tahapan", "stage"),
    "col.nama_tahapan": ("nama tahapan", "stage name"),
    "col.tingkat": ("tingkat", "level"),
    "col.jadwal_mulai": ("jadwal mulai", "planned start"),
    "col.jadwal_selesai": ("jadwal selesai", "planned end"),
    "col.setelah": ("setelah", "after"),
    "col.perlu_revisi_dipa": ("perlu revisi DIPA", "needs DIPA revision"),
    "col.dapat_dipercepat": ("dapat dipercepat", "can be accelerated"),
    "col.bobot": ("bobot", "weight"),
    # --- status codes ---------------------------------------------------------------------------------
    "status.selesai": ("selesai", "finished"),
    "status.selesai_terlambat": ("selesai terlambat", "finished late"),
    "status.terlambat": ("terlambat", "late"),
    "status.berjalan": ("berjalan", "in progress"),
    "status.belum_mulai": ("belum mulai", "not started"),
    "status.belum_jadwal": ("belum jadwalnya", "not yet due"),
    # --- status views (issue 4) -----------------------------------------------------------------------
    # --- acceleration, readiness, audit (issue 5) -----------------------------------------------------
    # pkp candidates: results of a requirement or penalty (stable codes in data, these on screen)
    "percepatan.hasil.terpenuhi": ("terpenuhi", "met"),
    "percepatan.hasil.gagal": ("tidak terpenuhi", "not met"),
    "percepatan.hasil.tidak_diketahui": ("data tidak tersedia", "data not available"),
    "percepatan.hasil.dikenakan": ("dikenakan", "applied"),
    "percepatan.hasil.tidak_dikenakan": ("tidak dikenakan", "not applied"),
    "percepatan.wajib_gagal": ("syarat wajib tidak terpenuhi", "required, not met"),
    # words for the location columns a requirement can test ("lokasi berulang, kinerja baik, ...")
    "percepatan.kolom.lokasi_berulang": ("lokasi berulang", "repeat location"),
    "percepatan.kolom.lokasi_berulang.ya": ("lokasi berulang", "repeat location"),
    "percepatan.kolom.lokasi_berulang.tidak": ("bukan lokasi berulang", "not a repeat location"),
    "percepatan.kolom.dokumen_perencanaan": ("dokumen perencanaan", "planning documents"),
    "percepatan.kolom.dokumen_perencanaan.ya": ("dokumen perencanaan ada", "planning documents available"),
    "percepatan.kolom.dokumen_perencanaan.tidak": ("dokumen perencanaan belum ada", "no planning documents"),
    "percepatan.kolom.kinerja": ("kinerja", "performance"),
    "percepatan.kolom.kinerja.Baik": ("baik", "good"),
    "percepatan.kolom.kinerja.Cukup": ("cukup", "fair"),
    "percepatan.kolom.kinerja.Kurang": ("kurang", "poor"),
    "percepatan.kolom.nilai_bantuan": ("nilai bantuan", "grant value"),
    # the key-stage roles, used when a location has no row for the stage
    "percepatan.peran.rekrutmen": ("rekrutmen tenaga pendamping", "facilitator recruitment"),
    "percepatan.peran.revisi_dipa": ("revisi DIPA", "DIPA revision"),
    "percepatan.peran.kelembagaan": ("pembentukan kelembagaan", "community institutions"),
    "percepatan.peran.survei": ("survei pendahuluan", "preliminary survey"),
    "percepatan.peran.konstruksi": ("konstruksi", "construction"),
    # penalties: "{n}" is the number of stages counted
    "percepatan.penalti.terlambat.tahapan": ("{n} tahapan terlambat", "{n} late stage(s)"),
    "percepatan.penalti.terlambat.lokasi": ("ada tahapan terlambat", "has late stages"),
    "percepatan.penalti.urutan_dilanggar.tahapan": (
        "{n} tahapan melanggar urutan",
        "{n} stage(s) out of order",
    ),
    "percepatan.penalti.urutan_dilanggar.lokasi": ("urutan tahapan dilanggar", "stages out of order"),
    "percepatan.penalti.laporan_basi.tahapan": (
        "{n} tahapan dengan laporan basi",
        "{n} stage(s) with stale reports",
    ),
    "percepatan.penalti.laporan_basi.lokasi": ("laporan basi", "stale report"),
    "percepatan.penalti.tanpa_laporan.tahapan": (
        "{n} tahapan tanpa laporan",
        "{n} stage(s) without a report",
    ),
    "percepatan.penalti.tanpa_laporan.lokasi": ("belum pernah melapor", "never reported"),
    # column headers of pkp candidates and of its score card (--explain)
    "percepatan.skor": ("skor", "score"),
    "percepatan.skor_maks": ("skor maksimal", "maximum score"),
    "percepatan.memenuhi": ("memenuhi syarat", "eligible"),
    "percepatan.syarat_gagal": ("syarat wajib gagal", "failed requirements"),
    "percepatan.alasan": ("alasan", "reasons"),
    "percepatan.tahapan_dipercepat": ("tahapan dapat dimulai sekarang", "stages that can start now"),
    "percepatan.hari": ("hari lebih awal", "days early"),
    "percepatan.bagian.syarat": ("syarat", "requirement"),
    "percepatan.bagian.penalti": ("penalti", "penalty"),
    "percepatan.wajib": ("wajib", "required"),
    "percepatan.bobot": ("bobot", "weight"),
    "percepatan.maks": ("maks", "cap"),
    "percepatan.hasil": ("hasil", "result"),
    "percepatan.poin": ("poin", "points"),
    "percepatan.nilai": ("data", "data"),
    "percepatan.jumlah": ("jumlah", "count"),
    # pkp readiness
    "kesiapan.balai": ("BPPW / Balai", "BPPW / Balai"),
    "kesiapan.jumlah_lokasi": ("jumlah lokasi", "locations"),
    "kesiapan.kelembagaan_selesai": ("kelembagaan terbentuk", "institutions formed"),
    "kesiapan.kelembagaan_persen": ("kelembagaan terbentuk (%)", "institutions formed (%)"),
    "kesiapan.survei_selesai": ("survei pendahuluan selesai", "preliminary survey done"),
    "kesiapan.survei_persen": ("survei pendahuluan selesai (%)", "preliminary survey done (%)"),
    "kesiapan.tertunda_dipa": ("menunggu revisi DIPA", "waiting for the DIPA revision"),
    "kesiapan.temuan_terbuka": ("temuan terbuka", "open findings"),
    "kesiapan.temuan_terbuka_nilai": ("nilai temuan terbuka (Rp)", "open findings (Rp)"),
    "kesiapan.temuan_lewat_batas": ("temuan lewat batas waktu", "overdue findings"),
    "kesiapan.laporan_terakhir": ("laporan terakhir", "newest report"),
    "kesiapan.tanggal": ("tanggal", "date"),
    # pkp audit
    "audit.jumlah": ("jumlah temuan", "findings"),
    "audit.belum": ("belum ditindaklanjuti", "open"),
    "audit.proses": ("dalam proses", "in progress"),
    "audit.selesai": ("selesai", "closed"),
    "audit.nilai_belum": ("nilai belum (Rp)", "open (Rp)"),
    "audit.nilai_proses": ("nilai proses (Rp)", "in progress (Rp)"),
    "audit.nilai_selesai": ("nilai selesai (Rp)", "closed (Rp)"),
    "audit.nilai_total": ("nilai total (Rp)", "total (Rp)"),
    "audit.lewat_batas": ("lewat batas waktu", "overdue"),
    "audit.nilai_lewat_batas": ("nilai lewat batas (Rp)", "overdue (Rp)"),
    "audit.hari_lewat_batas": ("hari lewat batas", "days overdue"),
    "audit.hari_lewat_batas_maks": ("terlama lewat batas (hari)", "longest overdue (days)"),
    "audit.ditutup_baru": ("ditutup sejak laporan sebelumnya", "closed since the previous report"),
    "audit.lewat_batas_baru": (
        "baru lewat batas sejak laporan sebelumnya",
        "newly overdue since the previous report",
    ),
    "audit.perubahan": ("perubahan", "change"),
    "audit.perubahan.ditutup": ("ditutup", "closed"),
    "audit.perubahan.baru_lewat_batas": ("baru lewat batas waktu", "newly overdue"),
}


def label(key: str, lang: str = "id") -> str:
    pair = LABELS.get(key)
    if pair is None:
        return key.rsplit(".", 1)[-1]
    return pair[0 if lang == "id" else 1]
