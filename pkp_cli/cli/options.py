"""Every shared option, defined once; commands stack them with Annotated types."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from pkp_cli.cli.i18n import t

EMPTY_PATH = "empty path"  # the reason cli/usage.py words in the user's language


def path_value(value: str) -> Path:
    """A path given on the command line. An empty or blank one is a usage error: Path("") is the current folder,
    where `--history ""` would have stored its snapshots and `--out ""` its files."""
    if not value.strip():
        raise typer.BadParameter(EMPTY_PATH)
    return Path(value)


class Lang(StrEnum):
    id = "id"
    en = "en"


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"
    md = "md"


DataOpt = Annotated[
    Path | None,
    typer.Option(
        "--data",
        parser=path_value,
        help=t("Folder data (workbook progres, lokasi, temuan).", "Data folder."),
        show_default=False,
    ),
]
ScheduleOpt = Annotated[
    Path | None,
    typer.Option(
        "--schedule",
        parser=path_value,
        help=t("Berkas Jadwal Nasional (YAML).", "National schedule file (YAML)."),
        show_default=False,
    ),
]
RulesOpt = Annotated[
    Path | None,
    typer.Option(
        "--rules",
        parser=path_value,
        help=t("Berkas aturan percepatan (YAML).", "Acceleration rules file (YAML)."),
        show_default=False,
    ),
]
AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="YYYY-MM-DD",
        help=t(
            "Tanggal posisi (YYYY-MM-DD); bawaan: tanggal laporan terbaru.",
            "Status date (YYYY-MM-DD); default: the newest report date.",
        ),
        show_default=False,
    ),
]
LangOpt = Annotated[
    Lang | None,
    typer.Option("--lang", help=t("Bahasa keluaran: id atau en.", "Output language: id or en."), show_default=False),
]
FormatOpt = Annotated[
    Format,
    typer.Option("--format", "-f", help=t("Bentuk keluaran.", "Output format.")),
]
ProvinceOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--province",
        "--provinsi",
        "-p",
        help=t(
            "Provinsi (kode, nama atau singkatan seperti Sulsel); boleh diulang; kosong = semua.",
            "Province (code, name or short name like Sulsel); repeatable; omitted = all.",
        ),
        show_default=False,
    ),
]
ProgramOpt = Annotated[
    str | None,
    typer.Option("--program", help=t("PISEW atau KOTAKU.", "PISEW or KOTAKU."), show_default=False),
]
TableOpt = Annotated[
    str | None,
    typer.Option(
        "--table",
        metavar="NAMA|list",
        help=t(
            "Tabel untuk CSV (bawaan: tabel utama); `--table list` menyebut semua tabel laporan.",
            "Table for CSV (default: the main table); `--table list` names every table of the report.",
        ),
        show_default=False,
    ),
]
OutOpt = Annotated[
    Path | None,
    typer.Option(
        "--out",
        parser=path_value,
        help=t(
            "Tulis ke folder ini: dengan --format csv setiap tabel menjadi berkas <perintah>-<tabel>.csv.",
            "Write into this folder: with --format csv each table becomes <command>-<table>.csv.",
        ),
        show_default=False,
    ),
]
KabupatenOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--kabupaten",
        help=t(
            "Kabupaten/kota (kode atau nama); boleh diulang.",
            "Kabupaten/kota (code or name); repeatable.",
        ),
        show_default=False,
    ),
]
StageOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--stage",
        "--tahapan",
        help=t(
            "Tahapan (kode atau nama; nama yang sama di dua program berarti keduanya); boleh diulang.",
            "Stage (code or name; a name both programs use means both); repeatable.",
        ),
        show_default=False,
    ),
]
