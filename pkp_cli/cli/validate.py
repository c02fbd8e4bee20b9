"""`pkp validate`: check workbooks, with every error at its cell, and account for every row."""

from pathlib import Path
from typing import Annotated, Any

import typer

from pkp_cli.cli.i18n import t
from pkp_cli.cli.options import (
    AsOfOpt,
    DataOpt,
    Format,
    FormatOpt,
    LangOpt,
    OutOpt,
    ProvinceOpt,
    RulesOpt,
    ScheduleOpt,
    TableOpt,
    path_value,
)
from pkp_cli.errors import Exit, most_severe

HELP = t(
    "Periksa workbook: setiap baris dimuat, ditolak (dengan sel dan alasannya) atau dilewati.\n\n"
    "Contoh:\n\n  pkp validate data/progres/2022-06-03/ --rejects ditolak/\n\n"
    "  pkp validate --province Bali --format csv > galat-bali.csv\n\n"
    "  pkp validate --format json > hasil.json",
    "Check workbooks: every row is loaded, rejected (with its cell and reason) or skipped.\n\n"
    "Example:\n\n  pkp validate data/progres/2022-06-03/ --rejects rejects/\n\n"
    "  pkp validate --province Bali --format csv > errors-bali.csv\n\n"
    "  pkp validate --format json > result.json",
)


def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            parser=path_value,
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
    table: TableOpt = None,
    out: OutOpt = None,
    rejects: Annotated[
        Path | None,
        typer.Option(
            "--rejects",
            parser=path_value,
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
    from pkp_cli.cli.workspace import open_workspace, say

    # The modules that import pandas are imported after the load has started its reads (ingest/early.py).
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
    from pkp_cli.engines.query import resolve_provinces
    from pkp_cli.model.regions import reference
    from pkp_cli.render.emit import emit
    from pkp_cli.render.rejects import write_rejects
    from pkp_cli.views import validate as view

    ws.rules(rules, required=False)  # a bad rules file is a configuration error, found here too
    loaded = ws.loaded
    if province:
        provinces = {k: v for k, v in reference().items() if len(k) == 2}
        loaded = loaded.for_provinces(set(resolve_provinces(province, provinces)), max_errors)
    emit(view.build(loaded, ws.facts(), province_filter=bool(province)), fmt.value, table=table, out=out)
    code = 0
    if rejects is not None:
        from pkp_cli.text.labels import label

        written = write_rejects(loaded, ws.lang, rejects)
        say(f"{written} {label('v.rejects_written', ws.lang)} {rejects}")
    if loaded.unreadable:
        for issue in loaded.unreadable:
            say(f"pkp: {issue.file}: {issue.message(ws.lang)}")
        code = most_severe(code, Exit.NO_INPUT)
    if loaded.errors if province else loaded.rows_rejected:
        code = most_severe(code, Exit.REJECTED)
    return code


def register(app: Any, guarded: Any) -> None:
    from pkp_cli.cli.i18n import legend_command

    app.command("validate", help=HELP, cls=legend_command("VALIDATE_TABLES"))(guarded(validate))
