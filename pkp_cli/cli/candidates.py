"""`pkp candidates`: the locations that can be accelerated, with their reasons, and one location's score card."""

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
    ProgramOpt,
    ProvinceOpt,
    RulesOpt,
    ScheduleOpt,
    TableOpt,
)

HELP = t(
    "Lokasi yang dapat dipercepat: lokasi berulang, kinerja baik dan dokumen perencanaan ada (ketiganya wajib "
    "dalam aturan bawaan), dengan skor, alasannya, tahapan yang dapat dimulai sebelum jendelanya (percepatan) "
    "dan tahapan yang jendelanya sudah dibuka tetapi belum dimulai (risiko terlambat); aturan dan bobotnya dari "
    "schedules/percepatan-2022.yaml (--rules untuk berkas lain).\n\n"
    "Contoh:\n\n  pkp candidates --province Bali --top 10\n\n"
    "  pkp candidates --all --min-score 50 --format csv > kandidat.csv\n\n"
    "  pkp candidates --explain 51.01.04",
    "Locations that can be accelerated: repeat locations with good past performance and planning documents "
    "(all three required in the bundled rules), with score, reasons, the stages they can start before their "
    "window (acceleration) and the stages whose window is open but that have not started (late risk); rules "
    "and weights from schedules/percepatan-2022.yaml (--rules for another file).\n\n"
    "Example:\n\n  pkp candidates --province Bali --top 10\n\n"
    "  pkp candidates --all --min-score 50 --format csv > candidates.csv\n\n"
    "  pkp candidates --explain 51.01.04",
)


def candidates(
    province: ProvinceOpt = None,
    program: ProgramOpt = None,
    top: Annotated[int | None, typer.Option("--top", min=1, help=t("Hanya N teratas.", "Top N only."))] = None,
    min_score: Annotated[
        float | None, typer.Option("--min-score", help=t("Skor minimum.", "Minimum score."), show_default=False)
    ] = None,
    show_all: Annotated[
        bool,
        typer.Option(
            "--all",
            help=t(
                "Juga lokasi yang tidak memenuhi syarat wajib, dengan syarat yang gagal.",
                "Also the excluded locations, with the requirement they fail.",
            ),
        ),
    ] = False,
    explain_code: Annotated[
        str | None,
        typer.Option(
            "--explain",
            metavar="KODE",
            help=t(
                "Kartu skor satu lokasi: tiap syarat dan penalti, terpenuhi atau tidak, dengan datanya.",
                "One location's score card: each requirement and penalty, met or not, with its data.",
            ),
            show_default=False,
        ),
    ] = None,
    data: DataOpt = None,
    schedule: ScheduleOpt = None,
    rules: RulesOpt = None,
    as_of: AsOfOpt = None,
    lang: LangOpt = None,
    fmt: FormatOpt = Format.table,
    table: TableOpt = None,
    out: OutOpt = None,
) -> int:
    from pkp_cli.cli.workspace import open_workspace

    # The modules that import pandas are imported after the load has started its reads (ingest/early.py).
    ws = open_workspace(data=data, schedule=schedule, as_of=as_of, lang=lang)

    from pkp_cli.engines import query as qr
    from pkp_cli.render.emit import emit
    from pkp_cli.views import candidates as view

    rule_set = ws.rules(rules)
    lok = ws.loaded.lokasi
    query = qr.Query(
        provinces=qr.resolve_provinces(province, dict(zip(lok["kode_provinsi"], lok["provinsi"], strict=False))),
        program=qr.resolve_program(ws.schedule, program),
    )
    inputs = view.CandidateInputs(lok, ws.status(), ws.schedule, rule_set, ws.facts())
    if explain_code is not None:
        report = view.score_card(inputs, explain_code)
    else:
        report = view.build(inputs, query, top=top, min_score=min_score, show_all=show_all)
    emit(report, fmt.value, table=table, out=out)
    return ws.exit_code()


def register(app: Any, guarded: Any) -> None:
    from pkp_cli.cli.i18n import legend_command

    app.command("candidates", help=HELP, cls=legend_command("CANDIDATES_TABLES"))(guarded(candidates))
