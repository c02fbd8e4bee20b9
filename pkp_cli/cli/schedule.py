"""`pkp schedule`: the stages and windows of the national schedule, or a check of one schedule file."""

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from pkp_cli.cli.i18n import t
from pkp_cli.cli.options import (
    DataOpt,
    Format,
    FormatOpt,
    LangOpt,
    OutOpt,
    ProgramOpt,
    ScheduleOpt,
    TableOpt,
    path_value,
)
from pkp_cli.errors import Exit

HELP = t(
    "Tampilkan tahapan dan jendela waktu Jadwal Nasional, atau periksa satu berkas jadwal.\n\n"
    "Contoh:\n\n  pkp schedule --program PISEW\n\n  pkp schedule --check schedules/jadwal-nasional-2022.yaml",
    "Show the national schedule's stages and windows, or check one schedule file.\n\n"
    "Example:\n\n  pkp schedule --program PISEW\n\n  pkp schedule --check schedules/jadwal-nasional-2022.yaml",
)


def schedule_cmd(
    program: ProgramOpt = None,
    check: Annotated[
        Path | None,
        typer.Option(
            "--check",
            parser=path_value,
            help=t("Periksa berkas ini saja.", "Check this file only."),
            show_default=False,
        ),
    ] = None,
    data: DataOpt = None,
    schedule: ScheduleOpt = None,
    lang: LangOpt = None,
    fmt: FormatOpt = Format.table,
    table: TableOpt = None,
    out: OutOpt = None,
) -> int:
    from pkp_cli.cli.workspace import open_schedule, resolve_lang, say, why_text
    from pkp_cli.engines.query import resolve_program
    from pkp_cli.ingest.locate import resolve_data
    from pkp_cli.render.emit import emit
    from pkp_cli.settings import load_config
    from pkp_cli.views import schedule as view
    from pkp_cli.views.facts import Facts

    cfg = load_config()
    code = resolve_lang(lang, cfg)
    if check is not None:
        return _check(check, code)
    src, sched = open_schedule(schedule, resolve_data(data, cfg), cfg, code)
    say(f"{'Schedule' if code == 'en' else 'Jadwal'}: {src.path} ({why_text(src.why, code)})")
    shown = "bundled:" + src.path.name if src.is_sample else str(src.path)
    facts = Facts(code, None, sched.year, None, False, shown, sched.sha256)
    emit(view.build(sched, facts, resolve_program(sched, program)), fmt.value, table=table, out=out)
    return 0


def _check(path: Path, lang: str) -> int:
    from pkp_cli.cli.workspace import say
    from pkp_cli.model.schedule import check_schedule_text, read_yaml_bytes
    from pkp_cli.text.labels import label
    from pkp_cli.text.visible import visible

    text = read_yaml_bytes(path, lang).decode("utf-8", errors="replace")  # bounded: a FIFO or 124 MB file is 78
    model, probs = check_schedule_text(text)
    for p in probs:
        print(visible(f"{path}: {p.message(lang)}", ""), file=sys.stderr)
    if model is None:
        return int(Exit.CONFIG)
    say(f"{path}: {label('sch.valid', lang)}")
    return 0


def register(app: Any, guarded: Any) -> None:
    from pkp_cli.cli.i18n import legend_command

    app.command("schedule", help=HELP, cls=legend_command("SCHEDULE_TABLES"))(guarded(schedule_cmd))
