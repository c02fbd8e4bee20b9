"""The workbook contract: canonical columns per kind of sheet, their header aliases and value types.

Headers match case-, space- and punctuation-insensitively. An exact canonical name or alias beats a
partial one (an alias found as whole words inside a longer header). Headers that start with "Jadwal" or
"Rencana" are planned dates and never map to an actual-date column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

KIND_LOKASI = "lokasi"
KIND_PROGRES = "progres"
KIND_TEMUAN = "temuan"

_CODE_ALIASES = (
    "Kode Lokasi",
    "Kode Wilayah",
    "Kode Kecamatan",
    "Kode Desa/Kel",
    "Kode Kelurahan/Desa",
    "Kode Desa/Kelurahan",
    "Kode Kel/Desa",
    "Kode Desa",
    "Kode Kelurahan",
    "location_code",
)
_PROGRAM_ALIASES = ("Program", "Kegiatan")
_PROVINCE_ALIASES = ("Provinsi", "Prov", "province", "Nama Provinsi")
_KABUPATEN_ALIASES = ("Kabupaten/Kota", "Kab/Kota", "Kabupaten", "Kota", "regency", "Kab Kota", "Kab")


@dataclass(frozen=True)
class Column:
    name: str
    aliases: tuple[str, ...]
    type: str  # code | program | text | bool | kinerja | rupiah | date | percent | stage | status | province
    required: bool = False


CONTRACT: dict[str, tuple[Column, ...]] = {
    KIND_LOKASI: (
        Column("kode_lokasi", _CODE_ALIASES, "code", required=True),
        Column("program", _PROGRAM_ALIASES, "program", required=True),
        Column("provinsi", _PROVINCE_ALIASES, "text"),
        Column("kabupaten_kota", _KABUPATEN_ALIASES, "text"),
        Column("kecamatan", ("Kecamatan", "district", "Kec"), "text"),
        Column(
            "kelurahan_desa",
            ("Kelurahan/Desa", "Desa/Kelurahan", "Desa", "Kelurahan", "village", "Kel/Desa"),
            "text",
        ),
        Column("balai", ("Balai", "BPPW", "Satker"), "text"),
        Column("lokasi_berulang", ("Lokasi Berulang", "Berulang", "repeat_location"), "bool"),
        Column("kinerja", ("Kinerja", "Kinerja Sebelumnya", "performance"), "kinerja"),
        Column("dokumen_perencanaan", ("Dokumen Perencanaan", "planning_document"), "bool"),
        Column("nilai_bantuan", ("Nilai Bantuan", "Nilai Bantuan (Rp)", "Pagu", "grant", "BLM"), "rupiah"),
    ),
    KIND_PROGRES: (
        Column("kode_lokasi", (*_CODE_ALIASES, "Kode Provinsi"), "code", required=True),
        Column("program", _PROGRAM_ALIASES, "program"),
        Column("tahapan", ("Tahapan", "Kode Tahapan", "Tahap", "stage", "Nama Tahapan"), "stage", required=True),
        # Names the sheet may carry beside the code; checked against it (a contradiction rejects the row).
        Column("provinsi", _PROVINCE_ALIASES, "text"),
        Column("kabupaten_kota", _KABUPATEN_ALIASES, "text"),
        Column(
            "tanggal_mulai",
            ("Tanggal Mulai", "Realisasi Mulai", "Mulai", "actual_start", "Tgl Mulai"),
            "date",
        ),
        Column(
            "tanggal_selesai",
            ("Tanggal Selesai", "Realisasi Selesai", "Selesai", "actual_end", "Tgl Selesai"),
            "date",
        ),
        Column(
            "progres_persen",
            (
                "Progres",
                "Progres (%)",
                "Realisasi (%)",
                "Persen",
                "percent",
                "Progres Fisik",
                "Progres Fisik (%)",
            ),
            "percent",
        ),
        Column("keterangan", ("Keterangan", "Catatan", "Ket", "note", "Kendala"), "text"),
        Column("tanggal_laporan", ("Tanggal Laporan", "Per Tanggal", "report_date", "Tgl Laporan"), "date"),
    ),
    KIND_TEMUAN: (
        Column("nomor_temuan", ("Nomor Temuan", "No Temuan", "finding_id", "No. Temuan"), "text", required=True),
        Column("kode_provinsi", ("Kode Provinsi", "Kode Prov", "province_code"), "code"),
        Column("provinsi", ("Provinsi", "Prov", "province", "BPPW Provinsi"), "text"),
        Column("uraian", ("Uraian", "Uraian Temuan", "description"), "text"),
        Column("nilai", ("Nilai", "Nilai Temuan (Rp)", "Nilai Temuan", "amount"), "rupiah"),
        Column("status", ("Status", "Status Tindak Lanjut", "status_tl"), "status", required=True),
        Column("batas_waktu", ("Batas Waktu", "Tenggat", "due_date", "Batas Waktu Tindak Lanjut"), "date"),
        Column("tanggal_selesai", ("Tanggal Selesai", "Tanggal Tindak Lanjut", "closed_date"), "date"),
        Column("tanggal_laporan", ("Tanggal Laporan", "Per Tanggal", "report_date"), "date"),
    ),
}

# Sub-headers under a wide-form stage header.
WIDE_SUBHEADERS = {
    "tanggal_mulai": ("Mulai", "Tanggal Mulai", "Realisasi Mulai", "Tgl Mulai"),
    "tanggal_selesai": ("Selesai", "Tanggal Selesai", "Realisasi Selesai", "Tgl Selesai"),
    "progres_persen": ("Progres", "Progres (%)", "Persen", "%", "Realisasi (%)"),
    "keterangan": ("Keterangan", "Ket", "Catatan"),
}

NO_COLUMN = {"no", "nomor", "no urut", "nomor urut", "#"}
PLANNED_PREFIXES = ("jadwal", "rencana", "target")
TOTALS_WORDS = ("jumlah", "total", "subtotal", "sub total", "rekap", "grand total")
NAME_COLUMNS = {"provinsi", "kabupaten_kota", "kecamatan", "kelurahan_desa", "uraian", "balai"}


def norm(text: object) -> str:
    """Header normal form: lower case, punctuation and runs of spaces folded to one space."""
    s = str(text).lower()
    s = re.sub(r"[^0-9a-z%]+", " ", s)
    return s.strip()


@cache
def alias_index(kind: str) -> dict[str, str]:
    """Normalised alias -> canonical column, for one kind."""
    out: dict[str, str] = {}
    for col in CONTRACT[kind]:
        out[norm(col.name)] = col.name
        for alias in col.aliases:
            out.setdefault(norm(alias), col.name)
    return out


@cache
def match_header(header: str, kind: str) -> tuple[str | None, bool]:
    """(canonical column, exact) for one header text, or (None, False)."""
    h = norm(header)
    if not h or h in NO_COLUMN:
        return None, False
    planned = h.startswith(PLANNED_PREFIXES)
    idx = alias_index(kind)
    hit = idx.get(h)
    if hit is not None:
        if planned and hit.startswith("tanggal_"):
            return None, False
        return hit, True
    best: tuple[int, str] | None = None
    padded = f" {h} "
    # An alias found as whole words in the header starts with one of the header's words: only those aliases are
    # tried (most header texts share no word with any alias), in the index's order, as the loop over all did.
    by_word = _aliases_by_first_word(kind)
    tried = sorted({entry for word in set(h.split(" ")) for entry in by_word.get(word, ())})
    for _, alias, canon in tried:
        if planned and canon.startswith("tanggal_"):
            continue
        if len(alias) >= 3 and f" {alias} " in padded and (best is None or len(alias) > best[0]):
            best = (len(alias), canon)
    return (best[1], False) if best else (None, False)


@cache
def _aliases_by_first_word(kind: str) -> dict[str, tuple[tuple[int, str, str], ...]]:
    """First word of each normalised alias -> (its place in `alias_index(kind)`, the alias, its column)."""
    out: dict[str, list[tuple[int, str, str]]] = {}
    for at, (alias, canon) in enumerate(alias_index(kind).items()):
        out.setdefault(alias.split(" ")[0], []).append((at, alias, canon))
    return {word: tuple(entries) for word, entries in out.items()}


def columns_of(kind: str) -> dict[str, Column]:
    return {c.name: c for c in CONTRACT[kind]}
