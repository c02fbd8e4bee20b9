"""Every column a report can show: its kind, its header and a one-line description, in both languages.

One text serves the terminal's headers, the markdown legend, `--help`, the README's command reference, the
xlsx "Keterangan" sheet and the HTML footnotes. A table takes its columns from here by key
(`columns("provinsi", "deviasi", ...)`) and may change a header for itself (`COLUMNS[k].but(label=...)`).
"""

from __future__ import annotations

from typing import Any

from pkp_cli.views.model import Column, Kind


def _c(key: str, kind: Kind, label: tuple[str, str], desc: tuple[str, str], **opts: Any) -> Column:
    return Column(key, kind, label, desc, **opts)


_STATUS = "status"
_ALL: list[Column] = [
    # --- where -------------------------------------------------------------------------------------------
    _c(
        "kode_provinsi",
        "code",
        ("kode prov", "prov code"),
        ("Kode provinsi Kemendagri.", "Kemendagri province code."),
        screen=False,
    ),
    _c(
        "provinsi",
        "text",
        ("provinsi", "province"),
        ("Nama provinsi (referensi Kemendagri).", "Province name (Kemendagri reference)."),
    ),
    _c(
        "kode_kabupaten",
        "code",
        ("kode kab", "regency code"),
        ("Kode kabupaten/kota Kemendagri.", "Kemendagri regency/city code."),
        screen=False,
    ),
    _c(
        "kabupaten_kota",
        "text",
        ("kabupaten/kota", "regency/city"),
        ("Nama kabupaten/kota (referensi Kemendagri).", "Regency or city name (Kemendagri reference)."),
    ),
    _c(
        "kode_lokasi",
        "code",
        ("kode lokasi", "location code"),
        (
            "Kode lokasi: kecamatan (PISEW, NN.NN.NN) atau kelurahan/desa (KOTAKU, NN.NN.NN.NNNN); kode provinsi untuk tahapan tingkat provinsi.",
            "Location code: kecamatan (PISEW, NN.NN.NN) or kelurahan/desa (KOTAKU, NN.NN.NN.NNNN); the province code for province-level stages.",
        ),
    ),
    _c(
        "nama_lokasi",
        "text",
        ("lokasi", "location"),
        ("Nama kecamatan (PISEW) atau kelurahan/desa (KOTAKU).", "Kecamatan (PISEW) or kelurahan/desa (KOTAKU) name."),
    ),
    _c(
        "wilayah",
        "text",
        ("wilayah", "area"),
        ("Kabupaten/kota dan provinsi lokasi.", "The location's regency/city and province."),
    ),
    _c("balai", "text", ("BPPW", "BPPW"), ("Balai (BPPW) yang melapor.", "The reporting regional office (BPPW).")),
    _c(
        "program",
        "code",
        ("program", "program"),
        ("PISEW (kecamatan) atau KOTAKU (kelurahan/desa).", "PISEW (kecamatan) or KOTAKU (kelurahan/desa)."),
    ),
    _c(
        "tingkat",
        "status",
        ("tingkat", "level"),
        (
            "Tahapan tingkat provinsi (sekali per provinsi dan program) atau tingkat lokasi.",
            "Province-level stage (once per province and program) or location-level stage.",
        ),
        vocab="tingkat",
    ),
    # --- stages and the schedule --------------------------------------------------------------------------
    _c(
        "tahapan",
        "code",
        ("tahapan", "stage"),
        ("Kode tahapan dalam Jadwal Nasional.", "Stage code in the national schedule."),
    ),
    _c(
        "nama_tahapan",
        "text",
        ("nama tahapan", "stage name"),
        ("Nama tahapan dalam Jadwal Nasional.", "Stage name in the national schedule."),
    ),
    _c(
        "urutan",
        "int",
        ("urutan", "order"),
        ("Urutan tahapan dalam jadwal.", "The stage's order in the schedule."),
        screen=False,
    ),
    _c(
        "jadwal_mulai",
        "date",
        ("jadwal mulai", "planned start"),
        ("Awal jendela tahapan menurut Jadwal Nasional.", "Start of the stage's window in the national schedule."),
    ),
    _c(
        "jadwal_selesai",
        "date",
        ("jadwal selesai", "planned end"),
        (
            "Akhir jendela tahapan: selesai sesudah tanggal ini berarti terlambat.",
            "End of the stage's window: finishing after it is late.",
        ),
    ),
    _c(
        "setelah",
        "list",
        ("setelah", "after"),
        ("Tahapan yang harus selesai lebih dahulu.", "Stages that must finish first."),
    ),
    _c(
        "perlu_revisi_dipa",
        "bool",
        ("perlu revisi DIPA", "needs DIPA revision"),
        (
            "Tahapan ini baru dapat berjalan setelah revisi DIPA selesai.",
            "The stage can only run once the DIPA revision is done.",
        ),
    ),
    _c(
        "dapat_dipercepat",
        "bool",
        ("dapat dipercepat", "can be accelerated"),
        (
            "Pedoman mengizinkan tahapan ini dikerjakan sebelum jendelanya.",
            "The guidelines allow doing this stage before its window.",
        ),
    ),
    _c(
        "bobot",
        "number",
        ("bobot", "weight"),
        (
            "Bobot tahapan dalam rencana dan realisasi tertimbang.",
            "The stage's weight in the weighted planned and actual progress.",
        ),
    ),
    # --- one stage's standing -----------------------------------------------------------------------------
    _c(
        "tanggal_mulai",
        "date",
        ("realisasi mulai", "actual start"),
        ("Tanggal mulai menurut laporan terakhir.", "Start date in the newest report."),
    ),
    _c(
        "tanggal_selesai",
        "date",
        ("realisasi selesai", "actual end"),
        (
            "Tanggal selesai menurut laporan terakhir; kosong bila belum selesai.",
            "End date in the newest report; empty while open.",
        ),
    ),
    _c(
        "tanggal_laporan",
        "date",
        ("tgl laporan", "report date"),
        (
            "Tanggal laporan terakhir yang dipakai (pada atau sebelum tanggal posisi).",
            "Date of the newest report used (on or before the status date).",
        ),
    ),
    _c(
        "progres_persen",
        "percent",
        ("progres %", "progress %"),
        (
            "Progres fisik yang dilaporkan (0-100); hanya tahapan konstruksi.",
            "Reported physical progress (0-100); the construction stage only.",
        ),
    ),
    _c(
        "status",
        "status",
        ("status", "status"),
        (
            "selesai (tepat waktu), selesai terlambat, terlambat (belum selesai, lewat jadwal selesai), berjalan, belum mulai (jendela sudah dibuka), belum waktunya.",
            "finished (on time), finished late, late (open past its planned end), in progress, not started (window open), not yet due.",
        ),
        vocab=_STATUS,
    ),
    _c(
        "hari_terlambat",
        "days",
        ("hari terlambat", "days late"),
        (
            "Hari kalender lewat jadwal selesai: sampai tanggal selesai, atau sampai tanggal posisi bila belum selesai.",
            "Calendar days past the planned end: to the actual end, or to the status date while open.",
        ),
    ),
    _c(
        "hari_kerja_terlambat",
        "days",
        ("hari kerja terlambat", "working days late"),
        (
            "Seperti hari terlambat, dalam hari kerja (tanpa akhir pekan, libur nasional dan cuti bersama).",
            "As days late, in working days (no weekends, public holidays or cuti bersama).",
        ),
    ),
    _c(
        "urutan_dilanggar",
        "bool",
        ("urutan dilanggar", "order broken"),
        (
            "Tahapan dimulai sebelum tahapan yang harus mendahuluinya selesai.",
            "The stage started before a stage it must follow had finished.",
        ),
    ),
    _c(
        "tanpa_laporan",
        "bool",
        ("tanpa laporan", "no report"),
        (
            "Belum ada laporan untuk tahapan ini sampai tanggal posisi.",
            "No report for this stage up to the status date.",
        ),
    ),
    _c(
        "laporan_basi",
        "bool",
        ("laporan basi", "stale report"),
        (
            "Laporan terakhir lebih tua dari stale_days hari sebelum tanggal posisi.",
            "The newest report is older than stale_days days before the status date.",
        ),
    ),
    _c(
        "tertunda_dipa",
        "bool",
        ("menunggu revisi DIPA", "waiting for DIPA revision"),
        (
            "Tahapan yang memerlukan revisi DIPA, sementara revisi DIPA provinsi belum selesai.",
            "A stage that needs the DIPA revision while the province's revision is not done.",
        ),
    ),
    _c(
        "keterangan",
        "text",
        ("keterangan", "remark"),
        ("Catatan BPPW pada laporan terakhir.", "The BPPW's remark in the newest report."),
    ),
    # --- roll-ups ----------------------------------------------------------------------------------------
    _c(
        "jumlah",
        "int",
        ("tahapan", "stages"),
        (
            "Baris tahapan dalam kelompok: tahapan tingkat provinsi ditambah tahapan setiap lokasi.",
            "Stage rows in the group: province-level stages plus every location's stages.",
        ),
        priority=3,
    ),
    _c(
        "rencana_persen",
        "percent",
        ("rencana %", "planned %"),
        (
            "Rencana kumulatif tertimbang bobot: bagian jendela setiap tahapan yang sudah lewat pada tanggal posisi.",
            "Weighted cumulative plan: the share of each stage's window elapsed at the status date.",
        ),
    ),
    _c(
        "realisasi_persen",
        "percent",
        ("realisasi %", "actual %"),
        (
            "Realisasi kumulatif tertimbang bobot: tahapan selesai dihitung penuh, konstruksi menurut progres %.",
            "Weighted cumulative actual: finished stages count in full, construction by its progress %.",
        ),
    ),
    _c(
        "deviasi",
        "points",
        ("deviasi", "deviation"),
        (
            "Realisasi dikurangi rencana, dalam poin persentase (negatif = tertinggal).",
            "Actual minus planned, in percentage points (negative = behind).",
        ),
    ),
    _c(
        "selesai",
        "int",
        ("selesai", "finished"),
        (
            "Tahapan selesai tepat waktu (tidak termasuk yang selesai terlambat).",
            "Stages finished on time (finished-late stages not included).",
        ),
    ),
    _c(
        "selesai_terlambat",
        "int",
        ("selesai terlambat", "finished late"),
        ("Tahapan yang selesai sesudah jadwal selesainya.", "Stages finished after their planned end."),
        priority=2,
    ),
    _c(
        "terlambat",
        "int",
        ("terlambat", "late"),
        (
            "Tahapan yang belum selesai dan sudah lewat jadwal selesainya (hanya yang masih terbuka).",
            "Open stages past their planned end (open ones only).",
        ),
    ),
    _c(
        "berjalan",
        "int",
        ("berjalan", "in progress"),
        (
            "Tahapan yang sudah mulai, belum selesai, dan belum lewat jadwal.",
            "Stages started, not finished, not yet past their planned end.",
        ),
        priority=2,
    ),
    _c(
        "belum_mulai",
        "int",
        ("belum mulai", "not started"),
        (
            "Tahapan yang jendelanya sudah dibuka tetapi belum dimulai.",
            "Stages whose window is open but that have not started.",
        ),
        priority=2,
    ),
    _c(
        "belum_jadwal",
        "int",
        ("belum waktunya", "not yet due"),
        (
            "Tahapan yang jendelanya belum dibuka dan belum dimulai.",
            "Stages whose window has not opened and that have not started.",
        ),
        priority=3,
    ),
    _c(
        "median_terlambat",
        "days",
        ("median hari terlambat", "median days late"),
        (
            "Median hari terlambat atas tahapan terlambat dan selesai terlambat.",
            "Median days late over late and finished-late stages.",
        ),
        priority=2,
    ),
    _c(
        "maks_terlambat",
        "days",
        ("maks hari terlambat", "max days late"),
        (
            "Hari terlambat terbesar atas tahapan terlambat dan selesai terlambat.",
            "Largest days late over late and finished-late stages.",
        ),
    ),
    _c(
        "tahapan_terburuk",
        "code",
        ("tahapan terburuk", "worst stage"),
        (
            "Tahapan terbuka yang paling lama terlambat (seri: paling banyak lokasi, lalu urutan jadwal); kosong bila tidak ada yang terlambat.",
            "The open stage with the most days late (ties: most locations, then schedule order); empty when nothing is late.",
        ),
    ),
    _c(
        "konstruksi_kritis",
        "int",
        ("konstruksi kritis", "construction critical"),
        (
            "Lokasi dengan konstruksi kritis: tertinggal > 10 poin saat rencana < 70 %, > 5 poin saat rencana >= 70 %, atau diperkirakan lewat batas akhir.",
            "Locations whose construction is critical: > 10 points behind while planned < 70 %, > 5 points at 70 % or more, or projected past the deadline.",
        ),
    ),
    _c(
        "konstruksi_lewat_batas",
        "int",
        ("lewat batas akhir", "past deadline"),
        (
            "Lokasi yang konstruksinya diperkirakan selesai sesudah batas akhir tahun anggaran.",
            "Locations whose construction is projected to end after the fiscal year's deadline.",
        ),
        priority=2,
    ),
    _c(
        "laporan_terakhir",
        "date",
        ("laporan terakhir", "newest report"),
        (
            "Tanggal laporan terbaru yang diterima (pada atau sebelum tanggal posisi).",
            "Date of the newest report received (on or before the status date).",
        ),
    ),
    _c(
        "belum_melapor",
        "bool",
        ("belum melapor", "not reported"),
        (
            "Tidak ada laporan dalam stale_days hari sebelum tanggal posisi: laporan terbaru lebih tua dari itu "
            "(pkp weekly memakai arti lain: tidak melapor sejak minggu sebelumnya).",
            "No report in the stale_days days before the status date: the newest report is older than that "
            "(pkp weekly uses another meaning: no report since the week before).",
        ),
    ),
    # --- construction ------------------------------------------------------------------------------------
    _c(
        "perkiraan_selesai",
        "date",
        ("perkiraan selesai", "projected end"),
        (
            "Perkiraan tanggal selesai konstruksi dari laju progresnya sendiri atau pergeseran tahapan sebelumnya.",
            "Projected end of construction from its own pace or the slip of the stages before it.",
        ),
    ),
    _c(
        "perkiraan_geser_hari",
        "days",
        ("perkiraan geser (hari)", "projected slip (days)"),
        (
            "Perkiraan selesai dikurangi jadwal selesai, hari kalender (negatif = lebih awal).",
            "Projected end minus planned end, calendar days (negative = early).",
        ),
        priority=2,
    ),
    _c(
        "kritis",
        "bool",
        ("kritis", "critical"),
        (
            "Konstruksi kritis menurut aturan kontrak kritis (lihat konstruksi kritis).",
            "Construction critical by the critical-contract rule (see construction critical).",
        ),
    ),
    _c(
        "melewati_batas_akhir",
        "bool",
        ("lewat batas akhir", "past deadline"),
        (
            "Diperkirakan selesai sesudah batas akhir tahun anggaran.",
            "Projected to end after the fiscal year's deadline.",
        ),
    ),
    _c(
        "tanggal",
        "date",
        ("tanggal", "date"),
        (
            "Tanggal titik kurva (setiap Jumat, dan tanggal posisi).",
            "The curve point's date (every Friday, and the status date).",
        ),
    ),
    # --- acceleration ------------------------------------------------------------------------------------
    _c(
        "skor",
        "number",
        ("skor", "score"),
        (
            "Skor percepatan 0..skor_maks: bobot syarat yang terpenuhi dikurangi penalti (aturan di percepatan-<tahun>.yaml).",
            "Acceleration score 0..skor_maks: weights of the requirements met minus penalties (rules in percepatan-<year>.yaml).",
        ),
    ),
    _c(
        "skor_mentah",
        "number",
        ("skor sebelum dibatasi", "raw score"),
        (
            "Bobot syarat yang terpenuhi dikurangi penalti, sebelum dibatasi ke 0..skor_maks.",
            "Weights of the requirements met minus penalties, before clamping to 0..skor_maks.",
        ),
        screen=False,
    ),
    _c(
        "skor_maks",
        "number",
        ("skor maks", "max score"),
        ("Skor tertinggi menurut berkas aturan.", "The highest score the rules file allows."),
    ),
    _c(
        "memenuhi",
        "bool",
        ("memenuhi syarat", "eligible"),
        (
            "Memenuhi semua syarat wajib (lokasi berulang, kinerja baik, dokumen perencanaan ada, dalam aturan bawaan).",
            "Meets every required condition (repeat location, good performance, planning documents, in the bundled rules).",
        ),
    ),
    _c(
        "syarat_gagal",
        "list",
        ("syarat wajib gagal", "required, not met"),
        ("Syarat wajib yang tidak terpenuhi.", "Required conditions not met."),
    ),
    _c(
        "alasan",
        "text",
        ("alasan", "reasons"),
        (
            "Syarat yang terpenuhi dan penalti yang dikenakan, dalam kata-kata (bahasa laporan; kodenya di kolom syarat.<id> dan penalti.<id>).",
            "The requirements met and penalties applied, in words (the report's language; the codes are in the syarat.<id> and penalti.<id> columns).",
        ),
    ),
    _c(
        "tahapan_lebih_awal",
        "stages",
        ("mulai lebih awal (hari)", "start early (days)"),
        (
            "Percepatan: tahapan yang boleh dipercepat dan dapat dimulai sekarang, sebelum jendelanya dibuka (tahapan sebelumnya selesai, tidak menunggu revisi DIPA); angka dalam kurung = hari lebih awal dari jadwal mulai, misalnya PSW-12 (31).",
            "Acceleration: stages that may be done early and can start now, before their window opens (the stages before them finished, not waiting for the DIPA revision); the number in brackets = days before the planned start, e.g. PSW-12 (31).",
        ),
    ),
    _c(
        "tahapan_jendela_terbuka",
        "stages",
        ("jendela dibuka, belum mulai (sisa hari)", "window open, not started (days left)"),
        (
            "Risiko terlambat, bukan percepatan: tahapan yang jendelanya sudah dibuka dan dapat dimulai tetapi belum dimulai; angka dalam kurung = hari tersisa sampai jadwal selesai.",
            "A late risk, not acceleration: stages whose window is open and that can start but have not; the number in brackets = days left to the planned end.",
        ),
        priority=2,
    ),
    _c(
        "syarat.<id>",
        "status",
        ("syarat <id>", "requirement <id>"),
        (
            "Satu kolom per syarat di berkas aturan: terpenuhi, gagal, tidak_diketahui (data tidak tersedia).",
            "One column per requirement of the rules file: terpenuhi (met), gagal (not met), tidak_diketahui (data not available).",
        ),
        vocab="percepatan.hasil",
        screen=False,
    ),
    _c(
        "penalti.<id>",
        "number",
        ("penalti <id>", "penalty <id>"),
        (
            "Satu kolom per penalti di berkas aturan: poin yang dikurangkan (0 atau negatif).",
            "One column per penalty of the rules file: the points it takes off (0 or negative).",
        ),
        screen=False,
    ),
    _c(
        "menunggu",
        "text",
        ("menunggu", "waits for"),
        (
            "Tahapan yang harus selesai dahulu (dan revisi DIPA bila tahapan itu, atau tahapan yang ditunggunya, menunggunya).",
            "The stages that must finish first (and the DIPA revision when the stage, or a stage it waits for, waits for it).",
        ),
    ),
    _c(
        "menunggu_kode",
        "list",
        ("kode yang ditunggu", "codes waited for"),
        (
            "Kode tahapan yang ditunggu: tahapan sebelumnya yang belum selesai, lalu revisi DIPA bila tahapan ini menunggunya.",
            "Codes of the stages waited for: the unfinished stages before it, then the DIPA revision when the stage waits for it.",
        ),
        screen=False,
    ),
    _c("jumlah_lokasi", "int", ("lokasi", "locations"), ("Jumlah lokasi.", "Number of locations.")),
    _c(
        "bagian",
        "status",
        ("jenis", "kind"),
        (
            "Syarat (menambah bobot bila terpenuhi) atau penalti (mengurangi).",
            "Requirement (adds its weight when met) or penalty (subtracts).",
        ),
        vocab="percepatan.bagian",
    ),
    _c(
        "aturan",
        "code",
        ("aturan", "rule"),
        ("Id aturan dalam berkas aturan percepatan.", "The rule's id in the acceleration rules file."),
    ),
    _c(
        "wajib",
        "bool",
        ("wajib", "required"),
        (
            "Syarat wajib: bila gagal, lokasi tidak memenuhi syarat.",
            "A required condition: failing it excludes the location.",
        ),
    ),
    _c(
        "bobot_aturan",
        "text",
        ("bobot", "weight"),
        (
            "Bobot syarat, atau bobot per tahapan/lokasi dan batas penalti.",
            "The requirement's weight, or the penalty's weight per stage/location and its cap.",
        ),
    ),
    _c(
        "hasil",
        "status",
        ("hasil", "result"),
        (
            "terpenuhi, tidak terpenuhi, data tidak tersedia; penalti: dikenakan atau tidak.",
            "met, not met, data not available; penalties: applied or not.",
        ),
        vocab="percepatan.hasil",
    ),
    _c(
        "poin",
        "number",
        ("poin", "points"),
        ("Poin yang ditambahkan (+) atau dikurangi (-) aturan ini.", "Points this rule adds (+) or subtracts (-)."),
    ),
    _c(
        "data",
        "text",
        ("data", "data"),
        (
            "Data di balik hasil: nilai kolom, tanggal tahapan, jumlah tahapan.",
            "The data behind the result: column value, stage dates, stages counted.",
        ),
    ),
    # --- readiness ---------------------------------------------------------------------------------------
    _c(
        "kelembagaan_selesai",
        "int",
        ("kelembagaan terbentuk", "institutions formed"),
        (
            "Lokasi yang sudah menyelesaikan tahapan kunci kelembagaan.",
            "Locations that finished the key stage kelembagaan.",
        ),
        priority=2,
    ),
    _c(
        "kelembagaan_persen",
        "percent",
        ("kelembagaan %", "institutions %"),
        ("Persen lokasi dengan kelembagaan terbentuk.", "Share of locations with institutions formed."),
    ),
    _c(
        "survei_selesai",
        "int",
        ("survei selesai", "survey done"),
        ("Lokasi yang sudah menyelesaikan survei pendahuluan.", "Locations that finished the preliminary survey."),
        priority=2,
    ),
    _c(
        "survei_persen",
        "percent",
        ("survei %", "survey %"),
        ("Persen lokasi dengan survei pendahuluan selesai.", "Share of locations with the preliminary survey done."),
    ),
    _c(
        "tunggu_dipa",
        "bool",
        ("tunggu DIPA", "DIPA wait"),
        (
            "Ada tahapan provinsi (kontrak, mobilisasi) yang menunggu revisi DIPA.",
            "A province-level stage (contracts, mobilisation) waits for the DIPA revision.",
        ),
    ),
    _c(
        "tahap.<tahapan>",
        "text",
        ("<nama tahapan>", "<stage name>"),
        (
            'Satu kolom per tahapan tingkat provinsi dalam jadwal, berjudul nama tahapannya: status, lalu tanggal selesai bila sudah selesai, selain itu tanggal mulai (misalnya "selesai 11 Mar"). Di layar saja; CSV dan JSON memuatnya sebagai status.<tahapan> dan tanggal.<tahapan>.',
            'One column per province-level stage of the schedule, headed with its name: the status, then the end date when finished, else the start date (e.g. "finished 11 Mar"). On screen only; CSV and JSON carry it as status.<tahapan> and tanggal.<tahapan>.',
        ),
        files=False,
    ),
    _c(
        "status.<tahapan>",
        "status",
        ("status <tahapan>", "status <stage>"),
        (
            "Status tahapan tingkat provinsi; <tahapan> = kode tahapan setiap program yang bernama sama, misalnya status.PSW-06/KTK-06.",
            "Status of the province-level stage; <tahapan> = the codes of each program's stage of that name, e.g. status.PSW-06/KTK-06.",
        ),
        vocab=_STATUS,
        screen=False,
    ),
    _c(
        "tanggal.<tahapan>",
        "date",
        ("tanggal <tahapan>", "date <stage>"),
        (
            "Tanggal selesai tahapan bila sudah selesai, selain itu tanggal mulai; kosong bila belum mulai.",
            "The stage's end date when finished, else its start date; empty when not started.",
        ),
        screen=False,
    ),
    # --- audit -------------------------------------------------------------------------------------------
    _c(
        "temuan",
        "int",
        ("temuan", "findings"),
        (
            "Temuan audit yang diketahui pada tanggal posisi (berkas temuan bertanggal sampai tanggal posisi).",
            "Audit findings known at the status date (findings files dated up to the status date).",
        ),
    ),
    _c("belum", "int", ("belum", "open"), ("Temuan yang belum ditindaklanjuti.", "Findings not yet followed up.")),
    _c(
        "proses",
        "int",
        ("proses", "in progress"),
        ("Temuan yang tindak lanjutnya sedang berjalan.", "Findings whose follow-up is in progress."),
    ),
    _c(
        "temuan_selesai",
        "int",
        ("selesai", "closed"),
        ("Temuan yang tindak lanjutnya selesai pada tanggal posisi.", "Findings closed by the status date."),
    ),
    _c(
        "temuan_terbuka",
        "int",
        ("temuan terbuka", "open findings"),
        ("Temuan belum atau dalam proses pada tanggal posisi.", "Findings open or in progress at the status date."),
    ),
    _c(
        "temuan_terbuka_nilai",
        "rupiah",
        ("nilai terbuka (Rp)", "open (Rp)"),
        (
            "Nilai Rupiah temuan terbuka; kosong bila temuan terbuka tanpa nilai.",
            "Rupiah value of the open findings; empty when they carry no amount.",
        ),
    ),
    _c(
        "temuan_lewat_batas",
        "int",
        ("lewat batas", "overdue"),
        ("Temuan terbuka yang sudah lewat batas waktu tindak lanjut.", "Open findings past their follow-up due date."),
    ),
    _c(
        "nilai_belum",
        "rupiah",
        ("nilai belum (Rp)", "open (Rp)"),
        ("Nilai Rupiah temuan yang belum ditindaklanjuti.", "Rupiah value of the findings not yet followed up."),
        screen=False,
    ),
    _c(
        "nilai_proses",
        "rupiah",
        ("nilai proses (Rp)", "in progress (Rp)"),
        ("Nilai Rupiah temuan yang tindak lanjutnya berjalan.", "Rupiah value of the findings in progress."),
        screen=False,
    ),
    _c(
        "nilai_selesai",
        "rupiah",
        ("nilai selesai (Rp)", "closed (Rp)"),
        ("Nilai Rupiah temuan yang selesai ditindaklanjuti.", "Rupiah value of the closed findings."),
        screen=False,
    ),
    _c(
        "nilai_total",
        "rupiah",
        ("nilai total (Rp)", "total (Rp)"),
        ("Nilai Rupiah semua temuan.", "Rupiah value of all findings."),
        priority=2,
    ),
    _c(
        "lewat_batas",
        "int",
        ("lewat batas", "overdue"),
        ("Temuan terbuka yang sudah lewat batas waktu.", "Open findings past their due date."),
    ),
    _c(
        "nilai_lewat_batas",
        "rupiah",
        ("nilai lewat batas (Rp)", "overdue (Rp)"),
        ("Nilai Rupiah temuan yang lewat batas waktu.", "Rupiah value of the overdue findings."),
    ),
    _c(
        "hari_lewat_batas_maks",
        "days",
        ("terlama lewat (hari)", "longest overdue (days)"),
        (
            "Hari terbanyak sebuah temuan terbuka lewat batas waktunya.",
            "Most days an open finding is past its due date.",
        ),
    ),
    _c(
        "ditutup_baru",
        "int",
        ("baru ditutup", "newly closed"),
        ("Temuan yang ditutup sejak tanggal laporan sebelumnya.", "Findings closed since the previous report date."),
    ),
    _c(
        "lewat_batas_baru",
        "int",
        ("baru lewat batas", "newly overdue"),
        (
            "Temuan yang menjadi lewat batas sejak tanggal laporan sebelumnya.",
            "Findings that became overdue since the previous report date.",
        ),
    ),
    _c(
        "nomor_temuan",
        "code",
        ("nomor temuan", "finding no."),
        ("Nomor temuan dalam laporan audit.", "The finding's number in the audit report."),
    ),
    _c("uraian", "text", ("uraian", "finding"), ("Uraian temuan.", "What was found.")),
    _c(
        "nilai",
        "rupiah",
        ("nilai (Rp)", "amount (Rp)"),
        ("Nilai Rupiah temuan; kosong bila tidak ada.", "The finding's Rupiah amount; empty when none."),
    ),
    _c(
        "status_temuan",
        "status",
        ("status", "status"),
        (
            "Status tindak lanjut pada tanggal posisi: belum, proses, selesai.",
            "Follow-up status at the status date: open, in progress, closed.",
        ),
        vocab="audit.status",
    ),
    _c("batas_waktu", "date", ("batas waktu", "due"), ("Batas waktu tindak lanjut.", "The follow-up due date.")),
    _c(
        "hari_lewat_batas",
        "days",
        ("hari lewat batas", "days overdue"),
        (
            "Hari kalender sejak batas waktu sampai tanggal posisi.",
            "Calendar days from the due date to the status date.",
        ),
    ),
    _c(
        "tanggal_perubahan",
        "date",
        ("tanggal", "date"),
        (
            "Tanggal temuan ditutup, atau batas waktu yang terlewati.",
            "The date the finding was closed, or the due date that passed.",
        ),
    ),
    _c(
        "perubahan",
        "status",
        ("perubahan", "change"),
        (
            "ditutup, atau baru lewat batas, sejak laporan sebelumnya.",
            "closed, or newly overdue, since the previous report.",
        ),
        vocab="audit.perubahan",
    ),
    # --- weekly and history (issue 12) -------------------------------------------------------------------
    _c("minggu", "code", ("minggu", "week"), ("Minggu ISO, misalnya 2022-W22.", "ISO week, e.g. 2022-W22.")),
    _c(
        "tanggal_posisi",
        "date",
        ("tanggal posisi", "status date"),
        ("Tanggal posisi minggu itu (laporan terbaru).", "That week's status date (its newest report)."),
    ),
    _c(
        "minggu_pembanding",
        "code",
        ("dibanding", "compared with"),
        ("Minggu yang dibandingkan.", "The week compared with."),
    ),
    _c(
        "tanggal_pembanding",
        "date",
        ("posisi pembanding", "compared as of"),
        ("Tanggal posisi minggu pembanding.", "The status date of the week compared with."),
    ),
    _c(
        "direkonstruksi",
        "bool",
        ("direkonstruksi", "reconstructed"),
        (
            "Minggu pembanding tidak ada di riwayat; dibangun ulang dari laporan bertanggal dalam data.",
            "The week compared with is not in the history; rebuilt from the dated reports in the data.",
        ),
    ),
    _c(
        "deviasi_sebelumnya",
        "points",
        ("deviasi sebelumnya", "previous deviation"),
        ("Deviasi pada minggu pembanding (poin).", "Deviation in the week compared with (points)."),
    ),
    _c(
        "perubahan_deviasi",
        "points",
        ("perubahan deviasi", "deviation change"),
        (
            "Deviasi minggu ini dikurangi deviasi minggu pembanding, dalam poin persentase (negatif = memburuk).",
            "This week's deviation minus the compared week's, in percentage points (negative = worse).",
        ),
    ),
    _c(
        "arah",
        "status",
        ("arah", "trend"),
        ("↑ membaik, ↓ memburuk, → tetap (pada satu desimal).", "↑ better, ↓ worse, → unchanged (at one decimal)."),
        vocab="arah",
    ),
    _c(
        "selesai_minggu_ini",
        "int",
        ("selesai minggu ini", "finished this week"),
        ("Tahapan yang selesai sejak minggu pembanding.", "Stages finished since the week compared with."),
    ),
    _c(
        "baru_terlambat",
        "int",
        ("baru terlambat", "newly late"),
        (
            "Tahapan yang kini terbuka melewati jadwal dan belum terlambat pada minggu pembanding.",
            "Stages open past their window now that were not late in the week compared with.",
        ),
    ),
    _c(
        "pulih",
        "int",
        ("pulih", "recovered"),
        (
            "Tahapan yang terlambat pada minggu pembanding dan kini tidak lagi (selesai, atau jadwalnya bergeser).",
            "Stages late in the week compared with and no longer late (finished, or their window moved).",
        ),
    ),
    _c(
        "makin_terlambat",
        "int",
        ("makin terlambat", "slipping"),
        (
            "Tahapan yang masih terlambat dengan hari keterlambatan bertambah.",
            "Stages still late, with more days late than in the week compared with.",
        ),
    ),
    _c(
        "belum_melapor_minggu_ini",
        "bool",
        ("belum melapor minggu ini", "not reported this week"),
        (
            "Tidak ada laporan bertanggal sesudah tanggal posisi minggu pembanding.",
            "No dated report after the status date of the week compared with.",
        ),
    ),
    _c(
        "provinsi_belum_melapor",
        "int",
        ("provinsi belum melapor", "provinces not reported"),
        (
            "Provinsi tanpa laporan bertanggal sesudah tanggal posisi minggu pembanding.",
            "Provinces without a dated report after the status date of the week compared with.",
        ),
    ),
    _c(
        "kandidat_masuk",
        "int",
        ("kandidat baru", "new candidates"),
        (
            "Lokasi yang kini memenuhi syarat wajib percepatan dan belum pada minggu pembanding.",
            "Locations that meet the required acceleration rules now and did not in the week compared with.",
        ),
    ),
    _c(
        "kandidat_keluar",
        "int",
        ("kandidat keluar", "dropped candidates"),
        (
            "Lokasi yang memenuhi syarat wajib pada minggu pembanding dan kini tidak lagi.",
            "Locations that met the required rules in the week compared with and no longer do.",
        ),
    ),
    _c(
        "temuan_ditutup",
        "int",
        ("temuan ditutup", "findings closed"),
        ("Temuan audit yang ditutup sejak minggu pembanding.", "Audit findings closed since the week compared with."),
    ),
    _c(
        "temuan_baru_lewat_batas",
        "int",
        ("temuan baru lewat batas", "findings newly overdue"),
        (
            "Temuan audit yang menjadi lewat batas waktu sejak minggu pembanding.",
            "Audit findings that became overdue since the week compared with.",
        ),
    ),
    _c(
        "status_sebelumnya",
        "status",
        ("status sebelumnya", "previous status"),
        ("Status pada minggu pembanding.", "Status in the week compared with."),
        vocab=_STATUS,
    ),
    _c(
        "hari_terlambat_sebelumnya",
        "days",
        ("hari terlambat sebelumnya", "previous days late"),
        ("Hari terlambat pada minggu pembanding.", "Days late in the week compared with."),
    ),
    _c(
        "tambah_hari",
        "days",
        ("tambah hari", "days added"),
        ("Hari keterlambatan yang bertambah sejak minggu pembanding.", "Days late added since the week compared with."),
    ),
    _c(
        "perubahan_minggu",
        "status",
        ("perubahan", "change"),
        (
            "baru terlambat, makin terlambat, selesai, atau pulih sejak minggu pembanding.",
            "newly late, slipping, finished, or recovered since the week compared with.",
        ),
        vocab="mingguan.perubahan",
    ),
    _c(
        "perubahan_kandidat",
        "status",
        ("perubahan", "change"),
        (
            "Kandidat baru atau keluar sejak minggu pembanding.",
            "New or dropped candidate since the week compared with.",
        ),
        vocab="mingguan.kandidat",
    ),
    _c(
        "skor_sebelumnya",
        "number",
        ("skor sebelumnya", "previous score"),
        ("Skor percepatan pada minggu pembanding.", "Acceleration score in the week compared with."),
    ),
    _c(
        "jadwal_mulai_sebelumnya",
        "date",
        ("jadwal mulai sebelumnya", "previous planned start"),
        ("Awal jendela menurut jadwal minggu pembanding.", "Window start in the compared week's schedule."),
    ),
    _c(
        "jadwal_selesai_sebelumnya",
        "date",
        ("jadwal selesai sebelumnya", "previous planned end"),
        ("Akhir jendela menurut jadwal minggu pembanding.", "Window end in the compared week's schedule."),
    ),
    _c(
        "baris",
        "int",
        ("baris status", "status rows"),
        ("Baris status (lokasi dan tahapan) dalam snapshot.", "Status rows (location stages) in the snapshot."),
    ),
    _c(
        "jadwal_sha256",
        "code",
        ("sha256 jadwal", "schedule sha256"),
        ("Sidik jari berkas jadwal yang dipakai.", "Fingerprint of the schedule file used."),
    ),
    _c(
        "aturan_sha256",
        "code",
        ("sha256 aturan", "rules sha256"),
        ("Sidik jari berkas aturan percepatan yang dipakai.", "Fingerprint of the acceleration rules used."),
        screen=False,
    ),
    _c(
        "masukan",
        "int",
        ("berkas masukan", "input files"),
        (
            "Berkas data yang dibaca (nama, ukuran, sha256 di metadata).",
            "Data files read (name, size, sha256 in the metadata).",
        ),
    ),
    _c(
        "versi_pkp", "code", ("versi pkp", "pkp version"), ("Versi pkp yang menulis.", "The pkp version that wrote it.")
    ),
    _c(
        "alasan_riwayat",
        "status",
        ("alasan", "reason"),
        ("Mengapa berkas dilewati.", "Why the file is skipped."),
        vocab="riwayat.alasan",
    ),
    _c("rincian_masalah", "text", ("rincian", "detail"), ("Apa yang ditemukan.", "What was found.")),
    # --- validate ----------------------------------------------------------------------------------------
    _c("file", "text", ("berkas", "file"), ("Berkas yang dibaca.", "The file read.")),
    _c(
        "sheet",
        "text",
        ("sheet", "sheet"),
        ("Sheet dalam workbook (kosong untuk CSV).", "Sheet of the workbook (empty for CSV)."),
    ),
    _c(
        "jenis",
        "status",
        ("jenis", "kind"),
        ("Jenis tabel: lokasi, progres atau temuan.", "Table kind: lokasi, progres or temuan."),
        vocab="kind",
    ),
    _c(
        "baris_judul",
        "int",
        ("baris judul", "header row"),
        ("Baris judul kolom (nomor baris Excel).", "The header row (Excel row number)."),
    ),
    _c(
        "rows_read",
        "int",
        ("dibaca", "read"),
        ("Baris data yang dibaca = dimuat + ditolak.", "Data rows read = loaded + rejected."),
    ),
    _c("rows_loaded", "int", ("dimuat", "loaded"), ("Baris yang dimuat.", "Rows loaded.")),
    _c(
        "rows_rejected",
        "int",
        ("ditolak", "rejected"),
        ("Baris yang ditolak (lihat galat).", "Rows rejected (see the errors)."),
    ),
    _c(
        "rows_skipped",
        "int",
        ("dilewati", "skipped"),
        (
            "Baris kosong, jumlah, judul kelompok dan duplikat yang dilewati.",
            "Blank, totals, heading and duplicate rows skipped.",
        ),
    ),
    _c(
        "row",
        "int",
        ("baris", "row"),
        ("Nomor baris Excel (atau baris awal rekaman CSV).", "Excel row number (or the line a CSV record starts on)."),
    ),
    _c("cell", "code", ("sel", "cell"), ("Alamat sel, misalnya D7.", "Cell address, e.g. D7.")),
    _c("column", "text", ("kolom", "column"), ("Judul kolom seperti tertulis.", "The column header as written.")),
    _c("value", "text", ("nilai", "value"), ("Isi sel seperti tertulis.", "The cell's content as written.")),
    _c(
        "code",
        "code",
        ("kode", "code"),
        ("Kode galat dalam katalog (README).", "The error's catalogue code (README)."),
        screen=False,
    ),
    _c(
        "message",
        "text",
        ("pesan", "message"),
        ("Apa yang salah dan cara memperbaikinya.", "What is wrong and how to fix it."),
    ),
    _c("path", "text", ("jalur", "path"), ("Berkas atau folder.", "File or folder.")),
    _c(
        "reason",
        "status",
        ("alasan", "reason"),
        ("Mengapa berkas tidak dibaca.", "Why the file was not read."),
        vocab="ignored",
    ),
    # --- config ------------------------------------------------------------------------------------------
    _c("key", "code", ("pengaturan", "setting"), ("Nama pengaturan.", "The setting's name.")),
    _c("value_text", "text", ("nilai", "value"), ("Nilai yang berlaku.", "The effective value.")),
    _c(
        "source",
        "status",
        ("asal", "source"),
        (
            "Asal nilai: opsi, lingkungan, berkas konfigurasi atau bawaan.",
            "Where the value came from: option, environment, config file or default.",
        ),
        vocab="why",
    ),
]
COLUMNS: dict[str, Column] = {c.key: c for c in _ALL}
if len(COLUMNS) != len(_ALL):  # pragma: no cover - a duplicate key is a programming error
    raise RuntimeError("duplicate column key in the catalogue")


def columns(*keys: str) -> list[Column]:
    return [COLUMNS[k] for k in keys]
