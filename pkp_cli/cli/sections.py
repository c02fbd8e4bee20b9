"""Titled tables for the screen and markdown, from DataFrames with stable column identifiers.

Formatting follows the column names, the same everywhere: dates (`tanggal_*`, `jadwal_*`, `batas_waktu`) as
"3 Juni 2022", percentages and deviations with one decimal in the language's separators, day counts as
whole numbers, status codes as labels, flags as "ya" or blank.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any

from pkp_cli.text.labels import label

DATE_PREFIXES = ("tanggal_", "jadwal_", "batas_waktu", "tanggal")
PERCENT_COLUMNS = {
    "rencana_persen",
    "realisasi_persen",
    "deviasi",
    "progres_persen",
    "persen_kelembagaan",
    "persen_survei",
    "skor",
}
INT_PREFIXES = ("hari", "jumlah", "median_terlambat", "maks_terlambat", "terlambat_hari")
RUPIAH_COLUMNS = {"nilai", "nilai_bantuan", "nilai_terbuka", "nilai_temuan"}
STATUS_COLUMNS = {"status"}
WRAP_COLUMNS = {"nama_tahapan", "keterangan", "nama_lokasi", "kabupaten_kota", "alasan", "uraian", "provinsi"}
STATUS_STYLE = {"terlambat": "red", "selesai_terlambat": "yellow", "selesai": "green", "berjalan": "cyan"}
NUMBER_COLUMNS = {"selesai", "selesai_terlambat", "terlambat", "berjalan", "belum_mulai", "belum_jadwal"}


@dataclass
class Section:
    title: str
    frame: Any  # pandas DataFrame; None for a heading with its note only (e.g. a province's summary)
    columns: list[str]
    limit: int | None = None  # rows shown on screen (all in markdown when None)
    note: str | None = None  # lines after the table (the body, for a heading only)


def is_number(column: str) -> bool:
    """Columns shown as numbers (right-aligned on screen)."""
    return (
        column in PERCENT_COLUMNS
        or column in RUPIAH_COLUMNS
        or column in NUMBER_COLUMNS
        or (column.startswith(INT_PREFIXES))
    )


def cell(column: str, value: Any, lang: str) -> str:
    import pandas as pd

    from pkp_cli.render import formats

    if isinstance(value, (list, tuple)):
        return ", ".join(cell(column, v, lang) for v in value)
    if value is None or (not isinstance(value, str) and not isinstance(value, dict) and pd.isna(value)):
        return ""
    if column in STATUS_COLUMNS or column.startswith("status_"):
        return label(f"status.{value}", lang) if isinstance(value, str) else str(value)
    if isinstance(value, (bool,)) or str(type(value)).endswith("bool_'>"):
        return label("yes", lang) if bool(value) else ""
    if column.startswith(DATE_PREFIXES) and not column.startswith("hari"):
        return formats.fmt_date(value, lang)
    if column in RUPIAH_COLUMNS:
        return formats.fmt_rupiah(value, lang)
    if column in PERCENT_COLUMNS:
        return formats.fmt_number(value, lang, 1)
    if column.startswith(INT_PREFIXES) or column in NUMBER_COLUMNS:
        try:
            return formats.fmt_number(float(value), lang, 0)
        except (TypeError, ValueError):
            return str(value)
    return str(value)


def _rows(section: Section, lang: str, limit: int | None) -> tuple[list[str], list[list[str]], list[str | None]]:
    df = section.frame
    heads = [label(f"col.{c}", lang) for c in section.columns]
    shown = df if limit is None else df.head(limit)
    rows = [
        [cell(c, v, lang) for c, v in zip(section.columns, rec, strict=True)]
        for rec in shown[section.columns].itertuples(index=False)
    ]
    styles = [STATUS_STYLE.get(s) for s in shown["status"]] if "status" in shown.columns else []
    return heads, rows, styles


def _md_paragraphs(text: str) -> str:
    """Each line of a note as its own markdown paragraph (a single newline would join them)."""
    from pkp_cli.render import formats

    return "".join(f"{formats.md_escape(line)}\n\n" for line in text.splitlines() if line.strip())


def render_sections(sections: list[Section], fmt: str, lang: str, header: list[str] | None = None) -> None:
    """Print sections as rich tables (screen) or markdown; header lines first (e.g. the sample marker).

    A section without rows says so in one line instead of an empty table. On screen the sections are
    separated by a blank line, a column blank in every row shown is left out (markdown keeps every column),
    and no line carries trailing blanks (piped output stays stable and diffable).
    """
    from pkp_cli.render import formats

    none = label("none", lang)
    if fmt in ("markdown", "md"):
        out = [f"{line}\n\n" for line in header or []]
        for s in sections:
            if s.frame is None or s.frame.empty:
                body = (s.note or "") if s.frame is None else none
                out.append(f"## {formats.md_escape(s.title)}\n\n{_md_paragraphs(body)}")
                continue
            heads, rows, _ = _rows(s, lang, None)
            out.append(formats.to_markdown(heads, rows, s.title) + "\n")
            if s.note:
                out.append(_md_paragraphs(s.note))
        sys.stdout.write("".join(out).rstrip("\n") + "\n")
        return
    from pkp_cli.render.table import console, table

    con = console()
    with con.capture() as cap:
        for line in header or []:
            con.print(line)
        for s in sections:
            con.print()
            if s.frame is None or s.frame.empty:
                con.print(s.title)
                con.print((s.note or "") if s.frame is None else f"  ({none})")
                continue
            heads, rows, styles = _rows(s, lang, s.limit)
            # a column blank in every row shown (a flag never raised, say) only costs width on screen
            keep = [i for i in range(len(heads)) if any(r[i] for r in rows)]
            cols = [s.columns[i] for i in keep]
            heads, rows = [heads[i] for i in keep], [[r[i] for i in keep] for r in rows]
            wrap = {i for i, c in enumerate(cols) if c in WRAP_COLUMNS}
            right = {i for i, c in enumerate(cols) if is_number(c)}
            con.print(table(s.title, heads, rows, styles, wrap, right, con.width))
            hidden = len(s.frame) - len(rows)
            if hidden > 0:
                con.print(f"  … {hidden} {label('more_rows', lang)}")
            if s.note:
                con.print(s.note)
    sys.stdout.write("".join(line.rstrip() + "\n" for line in cap.get().splitlines()))
