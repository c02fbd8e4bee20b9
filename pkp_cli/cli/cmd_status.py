"""`pkp status`: where each province, kabupaten/kota, location and stage stands against the schedule."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from pkp_cli.cli.i18n import t
from pkp_cli.cli.options import (
    AsOfOpt,
    DataOpt,
    Format,
    FormatOpt,
    LangOpt,
    ProgramOpt,
    ProvinceOpt,
    ScheduleOpt,
)

HELP = t(
    "Posisi terhadap Jadwal Nasional: per provinsi (tanpa filter), satu provinsi (persiapan, kabupaten/kota, "
    "lokasi terlambat), atau satu lokasi (--lokasi). CSV memuat tabel utama tampilan; --detail satu baris per "
    "lokasi dan tahapan.\n\n"
    "Contoh:\n\n  pkp status --province Bali\n\n"
    "  pkp status --province Sulsel --late-only --format csv > sulsel.csv\n\n"
    "  pkp status --lokasi 51.01.04 --as-of 2022-05-27",
    "Standing against the national schedule: per province (no filter), one province (preparations, "
    "kabupaten/kota, late locations), or one location (--lokasi). CSV holds the view's main table; --detail one "
    "row per location and stage.\n\n"
    "Example:\n\n  pkp status --province Bali\n\n"
    "  pkp status --province Sulsel --late-only --format csv > sulsel.csv\n\n"
    "  pkp status --lokasi 51.01.04 --as-of 2022-05-27",
)


def status(
    province: ProvinceOpt = None,
    lokasi: Annotated[
        str | None, typer.Option("--lokasi", help=t("Kode lokasi.", "Location code."), show_default=False)
    ] = None,
    kabupaten: Annotated[
        list[str] | None,
        typer.Option(
            "--kabupaten",
            help=t(
                "Kabupaten/kota (kode atau nama); boleh diulang.",
                "Kabupaten/kota (code or name); repeatable.",
            ),
            show_default=False,
        ),
    ] = None,
    program: ProgramOpt = None,
    stage: Annotated[
        list[str] | None,
        typer.Option(
            "--stage",
            "--tahapan",
            help=t("Tahapan (kode atau nama); boleh diulang.", "Stage (code or name); repeatable."),
            show_default=False,
        ),
    ] = None,
    status_code: Annotated[
        list[str] | None,
        typer.Option("--status", help=t("Kode status; boleh diulang.", "Status code; repeatable."), show_default=False),
    ] = None,
    late_only: Annotated[bool, typer.Option("--late-only", help=t("Hanya yang terlambat.", "Late only."))] = False,
    detail: Annotated[
        bool,
        typer.Option("--detail", help=t("Satu baris per lokasi dan tahapan.", "One row per location and stage.")),
    ] = False,
    data: DataOpt = None,
    schedule: ScheduleOpt = None,
    as_of: AsOfOpt = None,
    lang: LangOpt = None,
    fmt: FormatOpt = Format.table,
) -> int:
    from pkp_cli.cli.analysis import (
        StatusQuery,
        compute_for_workspace,
        note_rejections,
        resolve_query,
    )
    from pkp_cli.cli.render_status import render_status
    from pkp_cli.cli.workspace import open_workspace

    ws = open_workspace(data=data, schedule=schedule, as_of=as_of, lang=lang)
    st = compute_for_workspace(ws)
    query = resolve_query(
        ws, st, StatusQuery(province, lokasi, kabupaten, program, stage, status_code, late_only, detail)
    )
    render_status(ws, st, query, fmt.value)
    sys.stdout.flush()
    return note_rejections(ws)


def register(app: Any, guarded: Any) -> None:
    app.command("status", help=HELP)(guarded(status))
