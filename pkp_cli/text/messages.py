"""The error and warning catalogue: code -> (Indonesian, English) template. The only source of messages.

Templates use str.format fields. Every rejected or warned row carries one of these codes; vectorised checks
and the pydantic row model both report by code, so the two paths can be compared.
"""

from __future__ import annotations

from typing import Any

CATALOGUE: dict[str, tuple[str, str]] = {
    # --- cells ---------------------------------------------------------------------------------------
    "date-invalid": (
        "bukan tanggal yang dikenal (contoh: 20/05/2022, 20 Mei 2022, 2022-05-20)",
        "not a recognised date (e.g. 20/05/2022, 20 Mei 2022, 2022-05-20)",
    ),
    "date-nonexistent": ("tanggal tidak ada di kalender", "the date does not exist"),
    "date-number": (
        "angka di kolom tanggal; format kolom sebagai tanggal atau tulis 20/05/2022",
        "a number in a date column; format the column as a date or write 20/05/2022",
    ),
    "number-invalid": ("bukan angka", "not a number"),
    "percent-range": ("persen harus di antara 0 dan 100", "percent must be between 0 and 100"),
    "rupiah-invalid": (
        "bukan nilai Rupiah yang dikenal (contoh: Rp 600.000.000, 600 jt, 1,2 M)",
        "not a recognised Rupiah amount (e.g. Rp 600.000.000, 600 jt, 1,2 M)",
    ),
    "rupiah-negative": ("nilai Rupiah tidak boleh negatif", "a Rupiah amount cannot be negative"),
    "code-decimal": (
        "kode tertulis sebagai angka desimal; format kolom sebagai Teks",
        "a code typed as a decimal number; format the column as Text",
    ),
    "code-format": (
        "kode wilayah harus berbentuk {expected}",
        "the region code must look like {expected}",
    ),
    "code-unknown": (
        "kode wilayah tidak ada dalam referensi Kemendagri ({edition})",
        "region code not in the Kemendagri reference ({edition})",
    ),
    "program-invalid": ("program harus PISEW atau KOTAKU", "program must be PISEW or KOTAKU"),
    "program-mismatch": (
        "bentuk kode tidak cocok dengan program {program}",
        "the code's form does not match program {program}",
    ),
    "bool-invalid": ("harus Ya/Tidak (Y/T, 1/0)", "must be Ya/Tidak (yes/no, 1/0)"),
    "kinerja-invalid": ("kinerja harus Baik, Cukup atau Kurang", "performance must be Baik, Cukup or Kurang"),
    "status-invalid": (
        "status harus Belum (Belum TL, Belum ditindaklanjuti), Proses (Dalam Proses, Belum sesuai) atau Selesai "
        "(Sudah TL, Tuntas, Sesuai)",
        "status must be Belum (Belum TL, open), Proses (Dalam Proses, in progress) or Selesai (Sudah TL, Tuntas, "
        "closed)",
    ),
    "required-missing": ("wajib diisi", "required"),
    "name-variant": (
        "nama berbeda dengan referensi; dipakai nama referensi {reference!r}",
        "name differs from the reference; using the reference name {reference!r}",
    ),
    "name-contradiction": (
        "nama ini adalah {other}, bukan {reference} (kode {code}); perbaiki nama atau kode",
        "this name is {other}, not {reference} (code {code}); fix the name or the code",
    ),
    "end-before-start": (
        "tanggal selesai sebelum tanggal mulai {start}",
        "end date before the start date {start}",
    ),
    "date-after-report": (
        "tanggal realisasi sesudah tanggal laporan {report}",
        "actual date after the report date {report}",
    ),
    "report-future": ("tanggal laporan di masa depan", "report date is in the future"),
    "report-outside-year": (
        "tanggal laporan di luar tahun anggaran {year}",
        "report date outside fiscal year {year}",
    ),
    # --- cross-file ----------------------------------------------------------------------------------
    "location-unknown": (
        "lokasi {code} tidak ada dalam data lokasi",
        "location {code} is not in the location data",
    ),
    "stage-unknown": (
        "tahapan {stage!r} tidak ada dalam jadwal {program}",
        "stage {stage!r} is not in the {program} schedule",
    ),
    "stage-ambiguous": (
        "nama tahapan {stage!r} ada di {programs}; tambahkan kolom Program atau tulis kodenya ({codes})",
        "stage name {stage!r} exists in {programs}; add a Program column or write its code ({codes})",
    ),
    "stage-level-province": (
        "tahapan {stage} tingkat provinsi, tetapi kode {code} adalah lokasi",
        "stage {stage} is province-level but {code} is a location",
    ),
    "stage-level-location": (
        "tahapan {stage} tingkat lokasi, tetapi kode {code} adalah provinsi",
        "stage {stage} is location-level but {code} is a province",
    ),
    "program-differs": (
        "program {given} berbeda dengan program lokasi {program}",
        "program {given} differs from the location's program {program}",
    ),
    # --- cells as the BPPW write them (issue 10) ------------------------------------------------------
    "name-unmatched": (
        "nama tidak cocok dengan kode {code} ({reference}); tulis {reference!r} atau perbaiki kode",
        "the name does not match code {code} ({reference}); write {reference!r} or fix the code",
    ),
    "location-rejected": (
        "lokasi {code} ditolak di {where}; perbaiki sel itu, baris ini ikut dimuat",
        "location {code} was rejected at {where}; fix that cell and this row loads too",
    ),
    "stage-suggest": (
        "tahapan {stage!r} tidak ada dalam jadwal {program}; maksud Anda {suggestion}?",
        "stage {stage!r} is not in the {program} schedule; did you mean {suggestion}?",
    ),
    "date-no-year": ("tahun tidak ada; tulis {suggestion}", "the year is missing; write {suggestion}"),
    "date-weekday": (
        "nama hari tidak cocok dengan tanggalnya; periksa hari dan tanggal",
        "the weekday does not match the date; check both",
    ),
    "province-unknown": (
        "provinsi tidak dikenal; tulis kode (51), nama (Bali) atau singkatan (Sulsel, NTB, DIY)",
        "unknown province; write its code (51), name (Bali) or short name (Sulsel, NTB, DIY)",
    ),
    "province-no-program": (
        "provinsi {province} tidak menjalankan program dalam data ini; temuan tetap dimuat",
        "province {province} runs no program in this data; the finding is loaded",
    ),
    "progress-no-start": (
        "progres {percent}% tanpa tanggal mulai; isi tanggal mulai",
        "progress {percent}% without a start date; fill in the start date",
    ),
    "progress-before-window": (
        "progres {percent}% dilaporkan {report}, sebelum jadwal tahapan dibuka {start}",
        "progress {percent}% reported on {report}, before the stage's window opens on {start}",
    ),
    # --- duplicates ----------------------------------------------------------------------------------
    "duplicate-row": ("baris identik dengan {other}; dilewati", "identical to {other}; skipped"),
    "duplicate-conflict": (
        "kunci dan tanggal laporan sama dengan {other}, tetapi isinya berbeda",
        "same key and report date as {other} but different values",
    ),
    "superseded": (
        "diganti laporan yang lebih baru {other}",
        "replaced by the newer report {other}",
    ),
    "superseded-cleared": (
        "laporan lebih baru {other} mengosongkan {column} yang sebelumnya {value}",
        "the newer report {other} clears {column}, which was {value}",
    ),
    "file-duplicate": ("berkas identik dengan {other}; dilewati", "byte-identical to {other}; skipped"),
    # --- sheets and files ----------------------------------------------------------------------------
    "column-conflict": (
        "kolom {column} diklaim oleh dua judul: {headers}",
        "column {column} is claimed by two headers: {headers}",
    ),
    "column-missing": (
        "kolom {column} tidak ada; data dianggap tidak diketahui",
        "column {column} is missing; treated as unknown",
    ),
    "report-date-missing": (
        "{count} baris tanpa tanggal laporan; dipakai {date}",
        "{count} rows without a report date; using {date}",
    ),
    # --- file-level (exit 66) ------------------------------------------------------------------------
    "file-unreadable": ("berkas tidak terbaca: {reason}", "file unreadable: {reason}"),
    "file-too-large": (
        "ukuran tak terkompresi {size} MB melebihi batas {limit} MB",
        "uncompressed size {size} MB exceeds the limit of {limit} MB",
    ),
    "file-not-workbook": ("bukan workbook xlsx atau CSV", "not an xlsx workbook or CSV"),
    "file-encrypted": ("workbook terenkripsi atau dilindungi kata sandi", "the workbook is encrypted"),
    # --- hostile input: files and cells the readers refuse (exit 66; a cell problem rejects its row) -----
    "file-ole": (
        "workbook terenkripsi atau berformat .xls lama; simpan ulang sebagai .xlsx atau CSV",
        "an encrypted workbook or the old .xls format; save it again as .xlsx or CSV",
    ),
    "file-too-large-inflated": (
        "ukuran tak terkompresi melebihi batas {limit} MB (dihentikan setelah {size} MB)",
        "the uncompressed size exceeds the limit of {limit} MB (stopped after {size} MB)",
    ),
    "zip-ratio": (
        "{member}: rasio kompresi 1:{ratio} melebihi 1:{limit} ({size} MB setelah dibuka; bom zip?)",
        "{member}: compression ratio 1:{ratio} exceeds 1:{limit} ({size} MB inflated; a zip bomb?)",
    ),
    "zip-size-lie": (
        "{member}: kepala zip menyatakan {declared} bita, isinya {actual} bita",
        "{member}: the zip header declares {declared} bytes, the data holds {actual}",
    ),
    "zip-method": (
        "{member}: metode kompresi zip {method} tidak didukung",
        "{member}: zip compression method {method} is not supported",
    ),
    "xml-dtd": (
        "{member}: memuat DTD atau deklarasi entitas XML (ditolak demi keamanan)",
        "{member}: holds a DTD or an XML entity declaration (refused for safety)",
    ),
    "xlsx-part-missing": ("bagian workbook {member} tidak ada", "the workbook part {member} is missing"),
    "xlsx-xml-invalid": ("{member}: XML rusak: {reason}", "{member}: malformed XML: {reason}"),
    "xlsx-range-too-large": (
        "sheet {sheet}: rentang terpakai {cells} sel melebihi batas {limit}",
        "sheet {sheet}: the used range of {cells} cells exceeds the limit of {limit}",
    ),
    "xlsx-beyond-excel": (
        "sheet {sheet}: {columns} kolom x {rows} baris, melampaui sel terakhir Excel XFD1048576",
        "sheet {sheet}: {columns} columns x {rows} rows, beyond Excel's last cell XFD1048576",
    ),
    "csv-too-wide": (
        "{columns} kolom dalam satu baris, melebihi batas {limit} (jumlah kolom Excel)",
        "{columns} fields in a line, above the limit of {limit} (Excel's number of columns)",
    ),
    "cell-error": (
        "sel berisi galat Excel {value} (nilai rumus yang gagal); perbaiki rumusnya atau isi nilainya",
        "the cell holds the Excel error {value} (a formula that failed); fix the formula or type the value",
    ),
    "csv-header-quote-unclosed": (
        "tanda kutip di baris judul kolom {line} (kolom {column}) tidak ditutup; judul kolom tidak dapat dibaca",
        "a quote in the header line {line} (column {column}) is never closed; the headers cannot be read",
    ),
    "csv-quote-unclosed": (
        "tanda kutip di sel ini tidak ditutup dengan benar; baris-baris berikutnya dibaca tersendiri",
        "the quote in this cell is not closed properly; the lines after it are read on their own",
    ),
    # --- schedule and rules (exit 78) ----------------------------------------------------------------
    "yaml-invalid": ("YAML tidak valid: {detail}", "invalid YAML: {detail}"),
    # --- hostile input: bounded YAML, files that are not regular (exit 78) ----------------------------
    "yaml-too-large": (
        "berkas {size} bita, melebihi batas {limit} bita",
        "the file holds {size} bytes, above the limit of {limit}",
    ),
    "yaml-too-deep": ("bersarang lebih dari {limit} tingkat", "nested deeper than {limit} levels"),
    "yaml-too-complex": (
        "lebih dari {limit} simpul setelah alias diperluas",
        "more than {limit} nodes once aliases are expanded",
    ),
    "yaml-alias-loop": ("alias *{alias} merujuk ke dirinya sendiri", "alias *{alias} refers to itself"),
    "yaml-key-duplicate": (
        "kunci {key!r} ganda (yang pertama di baris {first})",
        "duplicate key {key!r} (the first on line {first})",
    ),
    "yaml-date-invalid": ("tanggal {value} tidak ada di kalender", "the date {value} does not exist"),
    "yaml-number-invalid": (
        "angka {value} ditolak (terlalu panjang, tak hingga atau NaN)",
        "number {value} refused (too long, infinite or NaN)",
    ),
    "input-not-regular": ("bukan berkas biasa ({kind})", "not a regular file ({kind})"),
    "folder-unreadable": ("folder tidak dapat dibuka: {reason}", "cannot open the folder: {reason}"),
    "schedule-field": ("{field}: {detail}", "{field}: {detail}"),
    "schedule-not-mapping": (
        "isi berkas harus berupa pemetaan",
        "the file must hold a mapping",
    ),
    "schedule-deadline-year": (
        "batas_akhir {value} di luar tahun anggaran {year}",
        "batas_akhir {value} is outside fiscal year {year}",
    ),
    "schedule-code-duplicate": ("kode tahapan {code!r} ganda", "duplicate stage code {code!r}"),
    "schedule-name-duplicate": (
        "nama tahapan {name!r} ganda dalam program {program}",
        "duplicate stage name {name!r} in program {program}",
    ),
    "schedule-end-before-start": (
        "{code}: selesai {end} sebelum mulai {start}",
        "{code}: end {end} before start {start}",
    ),
    "schedule-outside-year": (
        "{code}: {field} {value} di luar tahun anggaran {year}",
        "{code}: {field} {value} is outside fiscal year {year}",
    ),
    "schedule-key-unknown": (
        "tahapan_kunci.{role}: tahapan {code!r} tidak dikenal",
        "tahapan_kunci.{role}: unknown stage {code!r}",
    ),
    "schedule-after-unknown": (
        "{code}: setelah {dep!r} bukan tahapan program {program}",
        "{code}: setelah {dep!r} is not a stage of program {program}",
    ),
    "schedule-cycle": ("urutan setelah melingkar: {cycle}", "cyclic setelah: {cycle}"),
    # --- acceleration rules (issue 5, exit 78) -------------------------------------------------------
    "rules-field": ("{field}: {detail}", "{field}: {detail}"),
    "rules-not-mapping": ("isi berkas aturan harus berupa pemetaan", "the rules file must hold a mapping"),
    "rules-no-requirements": ("syarat tidak boleh kosong", "syarat must list at least one requirement"),
    "rules-id-duplicate": ("id {id!r} ganda", "duplicate id {id!r}"),
    "rules-kind": (
        "syarat {id}: isi tepat satu dari kolom atau tahapan_kunci",
        "requirement {id}: give exactly one of kolom or tahapan_kunci",
    ),
    "rules-column-unknown": (
        "syarat {id}: kolom {column!r} tidak dikenal; pilihan: {allowed}",
        "requirement {id}: unknown column {column!r}; choose from: {allowed}",
    ),
    "rules-role-unknown": (
        "syarat {id}: tahapan_kunci {role!r} tidak dikenal; pilihan: {allowed}",
        "requirement {id}: unknown tahapan_kunci {role!r}; choose from: {allowed}",
    ),
    "rules-status-unknown": (
        "syarat {id}: status {status!r} tidak dikenal; pilihan: {allowed}",
        "requirement {id}: unknown status {status!r}; choose from: {allowed}",
    ),
    "rules-value-bool": (
        "syarat {id}: nilai untuk kolom {column} harus true atau false",
        "requirement {id}: the value for column {column} must be true or false",
    ),
    "rules-value-text": (
        "syarat {id}: nilai untuk kolom {column} harus teks atau daftar teks (tulis dalam tanda kutip)",
        "requirement {id}: the value for column {column} must be text or a list of texts (quote it)",
    ),
    "rules-value-unknown": (
        "syarat {id}: nilai {value!r} tidak dikenal untuk kolom {column}; pilihan: {allowed}",
        "requirement {id}: unknown value {value!r} for column {column}; choose from: {allowed}",
    ),
    "rules-key-not-for-kind": (
        "syarat {id}: {key} tidak berlaku untuk syarat ini",
        "requirement {id}: {key} does not apply to this requirement",
    ),
    "rules-range-missing": (
        "syarat {id}: kolom angka {column} memerlukan minimal dan/atau maksimal",
        "requirement {id}: numeric column {column} needs minimal and/or maksimal",
    ),
    "rules-range-inverted": (
        "syarat {id}: minimal {low} lebih besar dari maksimal {high}",
        "requirement {id}: minimal {low} is greater than maksimal {high}",
    ),
    "rules-cap-below-weight": (
        "penalti {id}: maks {cap} lebih kecil dari bobot {weight}",
        "penalty {id}: maks {cap} is below bobot {weight}",
    ),
    "rules-weights-exceed": (
        "jumlah bobot syarat {total} melebihi skor_maks {high}; skor tertinggi tidak dapat dibedakan",
        "requirement weights add up to {total}, above skor_maks {high}; top scores would look equal",
    ),
}


def render(msg_code: str, lang: str = "id", /, **params: Any) -> str:
    """The message for `code` in `lang` ("id" or "en"), filled with params."""
    tmpl = CATALOGUE[msg_code][0 if lang == "id" else 1]
    try:
        return tmpl.format(**params)
    except (KeyError, IndexError, ValueError):
        return tmpl
