"""`pkp validate`: check workbooks, with every error at its cell, and account for every row."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from pkp_cli.cli.i18n import t
from pkp_cli.cli.options import AsOfOpt, DataOpt, Format, FormatOpt, LangOpt, ProvinceOpt, RulesOpt, ScheduleOpt
from pkp_cli.errors import Exit, most_severe

HELP = t(
    "Periksa workbook: setiap baris dimuat, ditolak (dengan sel dan alasannya) atau dilewati.\n\n"
    "Contoh:\n\n  pkp validate data/progres/2022-06-03/progres-bali.xlsx --rejects ditolak/\n\n"
    "  pkp validate --format json > hasil.json",
    "Check workbooks: every row is loaded, rejected (with its cell and reason) or skipped.\n\n"
    "Example:\n\n  pkp validate data/progres/2022-06-03/progres-bali.xlsx --rejects rejects/\n\n"
    "  pkp validate --format json > result.json",
)


def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help=t("Berkas atau folder; kosong = data bawaan.", "Files or folders; none = the default data."),
            show_default=False,
        ),
    ] = None,
    province: ProvinceOpt = None,
    data: DataOpt = None,
    schedule: ScheduleOpt = None,
    rules: RulesOpt = None,
    as_of: AsOfOpt = None,
    lang: LangOpt = None,
    fmt: FormatOpt = Format.table,
    rejects: Annotated[
        Path | None,
        typer.Option(
            "--rejects",
            help=t("Folder untuk <sumber>-ditolak.xlsx.", "Folder for <source>-ditolak.xlsx."),
            show_default=False,
        ),
    ] = None,
    max_errors: Annotated[
        int,
        typer.Option(
            "--max-errors",
            min=0,
            help=t("Jumlah galat yang dicatat (semua tetap dihitung).", "Error records kept (all are counted)."),
        ),
    ] = 10_000,
) -> int:
    from pkp_cli.cli.render_validate import render_validate, write_rejects
    from pkp_cli.cli.workspace import open_workspace, say

    ws = open_workspace(
        data=data,
        schedule=schedule,
        as_of=as_of,
        lang=lang,
        paths=paths,
        # With --province every record is kept first, so the filter sees them all; the limit comes after.
        max_errors=max_errors if not province else 10**9,
        collect_rejects=rejects is not None,
    )
    from pkp_cli.cli.analysis import only_provinces, open_rules

    open_rules(ws, rules, required=False)  # a bad rules file is a configuration error, found here too
    if province:
        only_provinces(ws, province, max_errors)
    loaded = ws.loaded
    render_validate(ws, fmt.value)
    code = 0
    if rejects is not None:
        code = write_rejects(ws, rejects)
    if loaded.unreadable:
        for issue in loaded.unreadable:
            say(f"pkp: {issue.file}: {issue.message(ws.lang)}")
        code = most_severe(code, Exit.NO_INPUT)
    if loaded.errors if province else loaded.rows_rejected:
        code = most_severe(code, Exit.REJECTED)
    return code


def register(app: Any, guarded: Any) -> None:
    app.command("validate", help=HELP)(guarded(validate))
