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
    "v.summary": (
        "Jumlah: {rows_read} dibaca, {rows_loaded} dimuat, {rows_rejected} ditolak, {rows_skipped} dilewati",
        "Total: {rows_read} read, {rows_loaded} loaded, {rows_rejected} rejected, {rows_skipped} skipped",
    ),
    "v.province_filter": (
        "Hanya galat dan peringatan baris provinsi yang diminta (dan galat tingkat berkas); hitungan baris tetap "
        "untuk seluruh berkas.",
        "Only the errors and warnings of the provinces asked for (and file-level errors); row counts stay whole.",
    ),
    "kind.lokasi": ("lokasi", "locations"),
    "kind.progres": ("progres", "progress"),
    "kind.temuan": ("temuan", "findings"),
    "v.cell_cut": (
        "isi sel dipotong ke 32.767 karakter (batas Excel)",
        "cell text cut to 32,767 characters (Excel's limit)",
    ),
    "v.errors": ("Galat", "Errors"),
    "v.warnings": ("Peringatan", "Warnings"),
    "v.ignored": ("Diabaikan", "Ignored"),
    "ignored.hidden": ("berkas tersembunyi", "hidden file"),
    "ignored.excel-lock-file": ("berkas kunci Excel", "Excel lock file"),
    "ignored.not-a-workbook": ("bukan workbook", "not a workbook"),
    "ignored.written-by-pkp": ("ditulis oleh pkp", "written by pkp"),
    "ignored.duplicate-file": ("salinan identik berkas lain", "identical copy of another file"),
    "ignored.no-pkp-table": ("tidak ada tabel pkp", "no pkp table"),
    "ignored.not-a-pkp-sheet": ("bukan sheet pkp", "not a pkp sheet"),
    "ignored.special": (
        "bukan berkas biasa (FIFO, soket atau perangkat)",
        "not a regular file (FIFO, socket or device)",
    ),
    "ignored.folder-unreadable": ("folder tidak dapat dibuka", "folder cannot be opened"),
    "ignored.broken-link": ("tautan rusak", "broken link"),
    "ignored.link-to-folder": ("tautan ke folder, tidak diikuti", "link to a folder, not followed"),
    "v.rejects_written": ("berkas baris ditolak ditulis ke", "rejects workbooks written to"),
    "sch.title": ("Jadwal Nasional", "National schedule"),
    "sch.valid": ("jadwal valid", "schedule is valid"),
    "t.settings": ("Pengaturan yang berlaku", "Effective settings"),
    "why.found": ("ada", "found"),
    "why.absent": ("tidak ada", "absent"),
    "why.default": ("bawaan", "default"),
    "why.unset": ("tidak diatur", "unset"),
    "why.sample": ("sampel bawaan pkp", "sample bundled with pkp"),
    "why.bundled": ("bawaan pkp", "bundled with pkp"),
    "why.folder in current directory": ("folder di direktori kerja", "folder in current directory"),
    "why.next to the data": ("di samping folder data", "next to the data"),
    "none": ("tidak ada", "none"),  # the body of a section without rows
    "legend": ("Keterangan kolom", "Column legend"),
    "as_of_invalid": (
        "bukan tanggal yang ada; tulis YYYY-MM-DD, misalnya 2022-06-03",
        "not a date that exists; write YYYY-MM-DD, e.g. 2022-06-03",
    ),
    "as_of_outside_year": (
        "di luar tahun anggaran {year} dan data tidak memuat laporan tahun itu",
        "outside fiscal year {year} and the data holds no report of that year",
    ),
    "filter_note": (
        "Filter {filters}: hanya mempersempit baris yang ditampilkan; angka ringkasan untuk seluruh kelompok.",
        "Filters {filters} narrow the rows listed only; the summary figures are for the whole group.",
    ),
    "national_total": ("NASIONAL", "NATIONAL"),
    "program_scope": (
        "Program: {program} (semua angka, termasuk ringkasan dan total, hanya untuk program ini)",
        "Program: {program} (every figure, the summary and totals included, is for this program only)",
    ),
    "not_reported_note": (
        "{n} provinsi belum melapor dalam {days} hari sebelum tanggal posisi (laporan terbaru lebih tua): {names}",
        "{n} provinces have not reported in the {days} days before the status date (newest report older): {names}",
    ),
    "t.programs": ("Per program", "Per program"),
    "t.curve": ("Kurva S (rencana vs realisasi kumulatif)", "S-curve (cumulative planned vs actual)"),
    "newest_report": ("laporan terbaru", "newest report"),
    "stale_data": (
        "PERHATIAN: tanggal posisi {days} hari sesudah laporan terbaru ({newest}), lebih dari stale_days = {limit}; "
        "angka di bawah dihitung dari data lama",
        "WARNING: the status date is {days} days after the newest report ({newest}), more than stale_days = {limit}; "
        "the figures below come from old data",
    ),
    "no_report_yet": (
        "PERHATIAN: belum ada laporan bertanggal sampai {as_of}; angka di bawah menganggap belum ada yang dikerjakan",
        "WARNING: no report is dated on or before {as_of}; the figures below count nothing as done",
    ),
    "columns_hidden": ("kolom disembunyikan karena layar sempit", "columns hidden, the screen is narrow"),
    "no_tables": ("laporan ini tidak memiliki tabel", "this report has no tables"),
    "choose_from": ("pilihan:", "choose from:"),
    "files_written": ("berkas ditulis ke", "files written to"),
    "as_of": ("Posisi per", "Status as of"),
    "more_rows": ("baris lagi (lihat --format csv)", "more rows (see --format csv)"),
    "rejected_note": ("baris ditolak dan tidak dihitung; lihat", "rows rejected and left out; see"),
    "unknown": ("tidak dikenal", "unknown"),
    "ambiguous": ("tidak tunggal; sebut salah satu", "ambiguous; name one of them"),
    "choose": ("tidak dikenal", "unknown"),
    "did_you_mean": ("maksud Anda", "did you mean"),
    "not_in_data": ("tidak ada dalam data", "is not in the data"),
    "tpl.neither": ("sebut --province NAMA atau --all (salah satu)", "name --province NAME or --all (one of them)"),
    "tpl.both": (
        "--province dan --all tidak dapat dipakai bersama; pilih salah satu",
        "--province and --all cannot be used together; choose one",
    ),
    "outside_filter": (
        "ada di {where}, di luar --province / --kabupaten yang diminta",
        "is in {where}, outside --province / --kabupaten as asked",
    ),
    "t.candidates": ("Lokasi yang dapat dipercepat", "Locations that can be accelerated"),
    "t.readiness": ("Papan kesiapan provinsi", "Province readiness board"),
    "t.audit": ("Tindak lanjut temuan audit", "Audit follow-up"),
    "t.detail": ("Rincian per lokasi dan tahapan", "Detail per location and stage"),
    "t.reports": ("Laporan", "Reports"),
    "t.provinces": ("Posisi per provinsi (terburuk dahulu)", "Standing per province (worst first)"),
    "t.late_stages": ("Tahapan paling terlambat", "Most-late stages"),
    "t.preparation": ("persiapan", "preparations"),
    "t.kabupaten": ("per kabupaten/kota", "per kabupaten/kota"),
    "t.construction": (
        "konstruksi kritis atau melewati batas akhir",
        "construction critical or ending after the deadline",
    ),
    "t.late_locations": ("lokasi terlambat", "late locations"),
    # --- status codes ---------------------------------------------------------------------------------
    "status.selesai": ("selesai", "finished"),
    "status.selesai_terlambat": ("selesai terlambat", "finished late"),
    "status.terlambat": ("terlambat", "late"),
    "status.berjalan": ("berjalan", "in progress"),
    "status.belum_mulai": ("belum mulai", "not started"),
    "status.belum_jadwal": ("belum waktunya", "not yet due"),
    # --- status views (issue 4) -----------------------------------------------------------------------
    "tingkat.provinsi": ("provinsi", "province"),
    "tingkat.lokasi": ("lokasi", "location"),
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
    "percepatan.frasa_teks": ("{name} {value}", "{value} {name}"),  # "kinerja baik" / "good performance"
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
    # pkp candidates: the screen's texts ("{n}" and the other names in braces are filled in)
    "percepatan.ringkasan": (
        "{ok} dari {total} lokasi memenuhi syarat wajib; {early} di antaranya dapat memulai tahapan sebelum "
        "jendelanya dibuka (percepatan), {open} punya tahapan yang jendelanya sudah dibuka tetapi belum dimulai "
        "(risiko terlambat).",
        "{ok} of {total} locations meet the required conditions; {early} of them can start a stage before its "
        "window opens (acceleration), {open} have a stage whose window is open but that has not started (late "
        "risk).",
    ),
    "percepatan.dikecualikan": (
        "{n} lokasi tidak memenuhi syarat wajib (tampilkan dengan pkp candidates --all).",
        "{n} locations fail a required condition (show them with pkp candidates --all).",
    ),
    "percepatan.tertahan": (
        "Tahapan lokasi yang memenuhi syarat yang belum dapat dimulai",
        "Stages of the eligible locations that cannot start yet",
    ),
    "percepatan.menunggu": ("menunggu", "waits for"),
    "percepatan.tidak_ada": ("tidak ada", "none"),
    "percepatan.kartu": ("Kartu skor", "Score card"),
    "percepatan.kartu.mentah": ("Skor sebelum dibatasi ke 0..{maks}: {n}", "Score before clamping to 0..{maks}: {n}"),
    "percepatan.kartu.tertahan": ("Belum dapat dimulai", "Cannot start yet"),
    "t.card_rules": ("Syarat dan penalti", "Requirements and penalties"),
    "percepatan.per.tahapan": ("{bobot} per tahapan, maks {maks}", "{bobot} per stage, cap {maks}"),
    "percepatan.per.lokasi": ("{bobot} per lokasi, maks {maks}", "{bobot} per location, cap {maks}"),
    "percepatan.laporan_terakhir": ("laporan terakhir {d}", "newest report {d}"),
    "percepatan.bagian.syarat": ("syarat", "requirement"),
    "percepatan.bagian.penalti": ("penalti", "penalty"),
    # pkp readiness
    "kesiapan.catatan": (
        "Setiap tahapan: status, lalu tanggal selesai bila sudah selesai, selain itu tanggal mulai. Temuan audit "
        "dicatat per provinsi (bukan per program): lihat tabel temuan audit di bawah.",
        "Each stage: its status, then the end date when finished, else the start date. Audit findings are per "
        "province (not per program): see the audit findings table below.",
    ),
    "kesiapan.sel": (
        "status, lalu tanggal selesai bila sudah selesai, selain itu tanggal mulai",
        "status, then the end date when finished, else the start date",
    ),
    "t.readiness_locations": (
        "Lokasi, revisi DIPA dan laporan terakhir per program",
        "Locations, DIPA revision and newest report per program",
    ),
    "t.readiness_audit": ("Temuan audit terbuka per provinsi", "Open audit findings per province"),
    "kesiapan.temuan_catatan": (
        "Satu baris per provinsi: temuan audit tidak dicatat per program. Nilai kosong: temuan terbuka tanpa "
        "nilai Rupiah.",
        "One row per province: audit findings are not recorded per program. An empty amount: open findings "
        "without a Rupiah value.",
    ),
    # pkp audit
    "t.audit_overdue": ("Temuan lewat batas waktu, terlama dahulu", "Overdue findings, longest first"),
    "t.audit_changes": ("Perubahan sejak laporan {d}", "Changes since the report of {d}"),
    "audit.tidak_ada": ("Tidak ada.", "None."),
    "audit.tidak_dihitung": (
        "{n} temuan hanya ada di berkas temuan bertanggal sesudah tanggal posisi (terbaru {d}); tidak dihitung.",
        "{n} findings are only in findings files dated after the status date (newest {d}); not counted.",
    ),
    "t.audit_changes_none": ("Perubahan sejak laporan sebelumnya", "Changes since the previous report"),
    "audit.tanpa_sebelumnya": (
        "Tidak ada tanggal laporan sebelum tanggal posisi; perubahan tidak dihitung.",
        "No report date before the status date; changes are not counted.",
    ),
    "audit.jumlah_semua": ("Jumlah", "Total"),
    "audit.status.belum": ("belum", "open"),
    "audit.status.proses": ("proses", "in progress"),
    "audit.status.selesai": ("selesai", "closed"),
    "audit.perubahan.ditutup": ("ditutup", "closed"),
    "audit.perubahan.baru_lewat_batas": ("baru lewat batas", "newly overdue"),
    # --- meeting packs and templates (issue 11) -------------------------------------------------------
    "pack.title": ("Bahan rapat koordinasi", "Meeting pack"),
    "pack.national": ("Nasional", "National"),
    "pack.index_title": ("Bahan rapat koordinasi: daftar paket", "Meeting packs: index"),
    "pack.source": ("Sumber data", "Data source"),
    "pack.sample_source": ("data contoh bawaan pkp", "sample data bundled with pkp"),
    "pack.schedule": ("Jadwal", "Schedule"),
    "pack.field": ("kolom", "column"),
    "pack.value": ("nilai", "value"),
    "pack.sheet": ("sheet", "sheet"),
    "pack.legend_sheet": ("Keterangan", "Legend"),
    "pack.status_colours": ("Warna status", "Status colours"),
    "pack.files": ("berkas", "files"),
    "pack.pack": ("paket", "pack"),
    "pack.not_reported": ("Provinsi yang belum melapor", "Provinces that have not reported"),
    "pack.curve_chart": ("Kurva S", "S-curve"),
    "pack.rejected": (
        "{n} baris data ditolak dan tidak dihitung dalam paket ini; jalankan pkp validate untuk melihatnya.",
        "{n} data rows were rejected and are left out of these packs; run pkp validate to see them.",
    ),
    "pack.written": ("paket ditulis ke", "packs written to"),
    "pack.generated": ("Dibuat oleh pkp dari data per", "Made by pkp from the data as of"),
    "pack.page": ("Halaman", "Page"),
    "pack.sort_hint": ("Klik judul kolom untuk mengurutkan.", "Click a column header to sort."),
    "pack.pdf_missing": (
        "--format pdf memerlukan peramban Chromium; pasang dengan: sudo apt-get install chromium "
        "(atau tetapkan PKP_CHROMIUM ke program Chromium/Chrome)",
        "--format pdf needs a Chromium browser; install it with: sudo apt-get install chromium "
        "(or set PKP_CHROMIUM to a Chromium/Chrome program)",
    ),
    "pack.pdf_failed": ("Chromium gagal mencetak PDF", "Chromium failed to print the PDF"),
    "pack.out_not_folder": ("bukan folder", "is not a folder"),
    "tpl.title": (
        "Petunjuk pengisian laporan progres — BPPW {province} — TA {year}",
        "How to fill in the progress report — BPPW {province} — FY {year}",
    ),
    "tpl.sheet_title": (
        "LAPORAN PROGRES — BPPW {province} ({code}) — TA {year}",
        "PROGRESS REPORT — BPPW {province} ({code}) — FY {year}",
    ),
    "tpl.date_hint": ("<- isi tanggal keadaan laporan di sel {cell}", "<- fill in the report date in cell {cell}"),
    "tpl.i1": (
        "1. Isi sel {cell} di sheet {sheet} dengan tanggal keadaan laporan (hari terakhir yang dilaporkan), "
        "sebagai tanggal, dalam tahun anggaran {year}.",
        "1. Fill cell {cell} of sheet {sheet} with the report date (the last day the report covers), as a date "
        "within fiscal year {year}.",
    ),
    "tpl.i2": (
        "2. Satu baris per lokasi dan tahapan. Kode Lokasi, Program dan Tahapan sudah terisi: jangan diubah, "
        "jangan menambah atau menghapus baris, jangan menggabungkan sel.",
        "2. One row per location and stage. Kode Lokasi, Program and Tahapan are filled in: do not change them, "
        "add or delete rows, or merge cells.",
    ),
    "tpl.i3": (
        "3. Tanggal Mulai: hari tahapan dimulai; Tanggal Selesai: hari tahapan selesai. Isi sebagai tanggal "
        "(dd/mm/yyyy) dalam tahun anggaran {year}; kosongkan bila belum mulai atau belum selesai.",
        "3. Tanggal Mulai: the day the stage started; Tanggal Selesai: the day it finished. Enter dates "
        "(dd/mm/yyyy) within fiscal year {year}; leave empty when not started or not finished.",
    ),
    "tpl.i4": (
        "4. Progres (%): angka 0 sampai 100, untuk tahapan pelaksanaan konstruksi.",
        "4. Progres (%): a number from 0 to 100, for the construction stage.",
    ),
    "tpl.i5": (
        "5. Keterangan: kendala atau catatan singkat (misalnya menunggu revisi DIPA).",
        "5. Keterangan: an obstacle or a short note (waiting for the DIPA revision, say).",
    ),
    "tpl.i6": (
        "6. Kolom Kabupaten/Kota, Nama Lokasi, Uraian Tahapan, Jadwal Mulai dan Jadwal Selesai hanya informasi "
        "(jendela menurut Jadwal Nasional); kolom ini tidak dibaca.",
        "6. The columns Kabupaten/Kota, Nama Lokasi, Uraian Tahapan, Jadwal Mulai and Jadwal Selesai are for "
        "information (the national schedule's windows); they are not read.",
    ),
    "tpl.i7": (
        "7. Sel berwarna kuning adalah sel yang diisi. Excel menolak tanggal di luar tahun anggaran, progres di "
        "luar 0-100 dan tahapan yang tidak ada dalam daftar.",
        "7. The yellow cells are the ones to fill. Excel refuses dates outside the fiscal year, progress outside "
        "0-100 and stages not in the list.",
    ),
    "tpl.i8": (
        "8. Simpan sebagai .xlsx dengan nama progres-<provinsi>-<tanggal laporan>.xlsx dan kirim ke Tim "
        "Pengawasan dan Pengendalian Pusat.",
        "8. Save as .xlsx named progres-<province>-<report date>.xlsx and send it to the central Supervision and "
        "Control Team.",
    ),
    "tpl.i9": (
        "9. Laporan minggu berikutnya: isi ulang berkas yang sama dan ubah tanggal keadaan laporan.",
        "9. Next week's report: update the same file and change the report date.",
    ),
    "tpl.dv_date_title": ("Tanggal", "Date"),
    "tpl.dv_date": (
        "Isi tanggal dalam tahun anggaran {year} (01/01/{year} sampai 31/12/{year}).",
        "Enter a date within fiscal year {year} (01/01/{year} to 31/12/{year}).",
    ),
    "tpl.dv_date_prompt": ("Tanggal dalam TA {year}, dd/mm/yyyy", "A date in FY {year}, dd/mm/yyyy"),
    "tpl.dv_percent_title": ("Progres (%)", "Progress (%)"),
    "tpl.dv_percent": ("Isi angka 0 sampai 100.", "Enter a number from 0 to 100."),
    "tpl.dv_stage_title": ("Tahapan", "Stage"),
    "tpl.dv_stage": ("Pilih kode tahapan dari daftar.", "Choose a stage code from the list."),
    "tpl.dv_program_title": ("Program", "Program"),
    "tpl.dv_program": ("Pilih {programs}.", "Choose {programs}."),
    "tpl.written": ("templat ditulis ke", "templates written to"),
    # --- pkp weekly and pkp history (issue 12) ----------------------------------------------------------
    "w.title": ("Ringkasan mingguan {week}", "Weekly summary {week}"),
    "w.compared": ("Dibanding {week} (posisi {as_of})", "Compared with {week} (as of {as_of})"),
    "w.reconstructed": (
        "direkonstruksi dari laporan bertanggal dalam data; tidak disimpan",
        "reconstructed from the dated reports in the data; not stored",
    ),
    "w.first": (
        "Minggu pertama: belum ada minggu sebelumnya di riwayat atau di data untuk dibandingkan",
        "First week: no earlier week in the history or the data to compare with",
    ),
    "w.plan.jadwal": (
        "JADWAL BERUBAH sejak {week} (sha256 berbeda): perubahan rencana, bukan kemajuan; {n} tahapan bergeser",
        "SCHEDULE CHANGED since {week} (sha256 differs): a change of plan, not of progress; {n} stages moved",
    ),
    "w.plan.aturan": (
        "ATURAN PERCEPATAN BERUBAH sejak {week} (sha256 berbeda): kandidat masuk/keluar sebagian karena aturan",
        "ACCELERATION RULES CHANGED since {week} (sha256 differs): candidates in/out partly follow the rules",
    ),
    "w.rejected": (
        "{n} baris ditolak dan tidak dihitung (lihat pkp validate); ringkasan tetap ditulis",
        "{n} rows rejected and left out (see pkp validate); the summary is still written",
    ),
    "w.unreadable": (
        "{n} berkas masukan tidak terbaca dan tidak dihitung",
        "{n} input files unreadable and left out",
    ),
    "w.bad_history": (
        "Riwayat: {n} berkas dilewati (rusak atau bukan snapshot pkp, tidak dihapus): {names}",
        "History: {n} files skipped (corrupt or not a pkp snapshot, not deleted): {names}",
    ),
    "w.set_aside": ("berkas lama disisihkan sebagai", "old file set aside as"),
    "w.no_snapshot": ("snapshot minggu ini tidak tersimpan", "this week's snapshot was not stored"),
    "w.provinces": (
        "Hanya provinsi: {names}; snapshot tetap nasional",
        "Provinces only: {names}; the snapshot stays national",
    ),
    "w.no_rules": (
        "tanpa aturan percepatan: kandidat tidak dibandingkan",
        "no acceleration rules: candidates not compared",
    ),
    "w.locked": ("pkp lain sedang berjalan dan memegang kunci ini", "another pkp run holds this lock"),
    "w.snapshot": ("Snapshot", "Snapshot"),
    "w.replaced_newer": (
        "snapshot tersimpan per {old} diganti dengan tanggal posisi yang lebih awal, {new}",
        "the stored snapshot as of {old} was replaced by an earlier status date, {new}",
    ),
    "w.since_not_before": (
        "{wanted} tidak sebelum minggu tanggal posisi ({week}, {as_of})",
        "{wanted} is not before the week of the status date ({week}, {as_of})",
    ),
    "w.detail_cap": (
        "{shown} dari {n} baris (terburuk dahulu); semua baris: pkp status --late-only --format csv",
        "{shown} of {n} rows (worst first); every row: pkp status --late-only --format csv",
    ),
    "w.t.ringkasan": ("Ringkasan perubahan", "Changes in brief"),
    "w.t.provinsi": ("Per provinsi (deviasi memburuk dahulu)", "Per province (deviation worsening first)"),
    "w.t.baru_terlambat": ("Baru terlambat minggu ini", "Newly late this week"),
    "w.t.makin_terlambat": ("Masih terlambat dan makin terlambat", "Still late and slipping further"),
    "w.t.selesai": ("Selesai minggu ini", "Finished this week"),
    "w.t.pulih": ("Pulih dari terlambat", "Recovered from late"),
    "w.t.belum_melapor": ("Belum melapor minggu ini", "Not reported this week"),
    "w.t.kandidat": ("Kandidat percepatan masuk dan keluar", "Acceleration candidates in and out"),
    "w.t.temuan": ("Temuan audit: baru lewat batas dan ditutup", "Audit findings: newly overdue and closed"),
    "w.t.tahapan": ("Perubahan per tahapan", "Changes per stage"),
    "w.t.jadwal_berubah": ("Tahapan yang jendelanya bergeser", "Stages whose window moved"),
    "w.t.tren_deviasi": ("Tren deviasi per provinsi (poin)", "Deviation trend per province (points)"),
    "w.t.tren_nasional": (
        "Tren nasional: rencana vs realisasi per minggu",
        "National trend: planned vs actual per week",
    ),
    "w.t.riwayat": ("Berkas riwayat yang dilewati", "History files skipped"),
    # the digest: at most 15 plain lines for a cron mail, worst news first
    "w.d.title": (
        "pkp mingguan {week} ({as_of}) dibanding {prev} ({prev_as_of}{rec})",
        "pkp weekly {week} ({as_of}) vs {prev} ({prev_as_of}{rec})",
    ),
    "w.d.rec": (", direkonstruksi", ", reconstructed"),
    "w.d.first": (
        "pkp mingguan {week} ({as_of}): minggu pertama, tidak ada pembanding",
        "pkp weekly {week} ({as_of}): first week, nothing to compare with",
    ),
    "w.d.baru_terlambat": ("Baru terlambat: {n} tahapan", "Newly late: {n} stages"),
    "w.d.temuan_baru_lewat_batas": ("Temuan audit baru lewat batas: {n}", "Audit findings newly overdue: {n}"),
    "w.d.belum_melapor": ("Belum melapor minggu ini: {n} provinsi", "Not reported this week: {n} provinces"),
    "w.d.makin_terlambat": ("Makin terlambat: {n} tahapan", "Slipping further: {n} stages"),
    "w.d.kandidat": (
        "Kandidat percepatan: {out} keluar, {new} baru",
        "Acceleration candidates: {out} dropped, {new} new",
    ),
    "w.d.selesai": ("Selesai minggu ini: {n} tahapan", "Finished this week: {n} stages"),
    "w.d.pulih": ("Pulih dari terlambat: {n} tahapan", "Recovered from late: {n} stages"),
    "w.d.temuan_ditutup": ("Temuan audit ditutup: {n}", "Audit findings closed: {n}"),
    "w.d.deviasi": (
        "Deviasi nasional {dev} poin ({change} {arrow})",
        "National deviation {dev} points ({change} {arrow})",
    ),
    "w.d.worst": ("terburuk", "worst"),
    "w.d.terlambat": ("Terlambat sekarang: {n} tahapan", "Late now: {n} stages"),
    "w.d.tren": ("Tren deviasi nasional: {values}", "National deviation trend: {values}"),
    "w.d.files": ("Ringkasan: {files}", "Summary: {files}"),
    "w.d.no_files": ("Ringkasan tidak tertulis: {reason}", "Summary not written: {reason}"),
    "w.d.more": ("{n} baris lagi di ringkasan", "{n} more lines in the summary"),
    "arah.naik": ("↑", "↑"),
    "arah.turun": ("↓", "↓"),
    "arah.tetap": ("→", "→"),
    "mingguan.perubahan.baru_terlambat": ("baru terlambat", "newly late"),
    "mingguan.perubahan.makin_terlambat": ("makin terlambat", "slipping"),
    "mingguan.perubahan.selesai": ("selesai", "finished"),
    "mingguan.perubahan.pulih": ("pulih", "recovered"),
    "mingguan.kandidat.masuk": ("baru", "new"),
    "mingguan.kandidat.keluar": ("keluar", "dropped"),
    "riwayat.alasan.rusak": ("rusak (bukan Parquet yang utuh)", "corrupt (not a whole Parquet file)"),
    "riwayat.alasan.asing": ("bukan snapshot pkp", "not a pkp snapshot"),
    "riwayat.alasan.versi_baru": ("format lebih baru dari pkp ini", "a newer format than this pkp"),
    "h.title": ("Riwayat mingguan", "Weekly history"),
    "h.folder": ("Folder riwayat: {path} ({n} minggu)", "History folder: {path} ({n} weeks)"),
    "h.missing": ("folder riwayat tidak ada (pkp weekly membuatnya)", "no history folder (pkp weekly creates it)"),
    "h.leftovers": (
        "{n} sisa penulisan yang terputus (dibersihkan oleh penulisan pkp berikutnya di folder ini)",
        "{n} interrupted writes (cleaned up by pkp's next write into this folder)",
    ),
    "h.t.minggu": ("Minggu tersimpan", "Stored weeks"),
}


def label(key: str, lang: str = "id") -> str:
    pair = LABELS.get(key)
    if pair is None:
        return key.rsplit(".", 1)[-1]
    return pair[0 if lang == "id" else 1]
