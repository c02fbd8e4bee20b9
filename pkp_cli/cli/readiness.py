"""`pkp readiness`: the desk-wilayah board per province and program."""

from typing import Any

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
    ScheduleOpt,
    TableOpt,
)

HELP = t(
    "Papan kesiapan per provinsi dan program: tiap langkah rekrutmen, briefing, revisi DIPA, kontrak dan "
    "mobilisasi (status dan tanggal), persentase lokasi dengan kelembagaan terbentuk dan survei selesai, "
    "laporan terakhir; temuan audit terbuka per provinsi.\n\n"
    "Contoh:\n\n  pkp readiness\n\n  pkp readiness --province Bali --format markdown > kesiapan-bali.md\n\n"
    "  pkp readiness --format csv --table temuan",
    "Readiness board per province and program: each recruitment step, briefing, DIPA revision, contracts and "
    "mobilisation (status and date), the share of locations with institutions formed and survey done, the "
    "newest report; open audit findings per province.\n\n"
    "Example:\n\n  pkp readiness\n\n  pkp readiness --province Bali --format markdown > readiness-bali.md\n\n"
    "  pkp readiness --format csv --table temuan",
)


def readiness(
    province: ProvinceOpt = None,
    program: ProgramOpt = None,
    data: DataOpt = None,
    schedule: ScheduleOpt = None,
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
    from pkp_cli.views import readiness as view

    lok = ws.loaded.lokasi
    query = qr.Query(
        provinces=qr.resolve_provinces(province, dict(zip(lok["kode_provinsi"], lok["provinsi"], strict=False))),
        program=qr.resolve_program(ws.schedule, program),
    )
    inputs = view.ReadinessInputs(lok, ws.status(), ws.loaded.temuan, ws.schedule, ws.facts())
    emit(view.build(inputs, query), fmt.value, table=table, out=out)
    return ws.exit_code()


def register(app: Any, guarded: Any) -> None:
    from pkp_cli.cli.i18n import legend_command

    app.command("readiness", help=HELP, cls=legend_command("READINESS_TABLES"))(guarded(readiness))
