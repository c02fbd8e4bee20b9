"""`pkp status`: where each province, kabupaten/kota, location and stage stands against the schedule."""

from typing import Annotated, Any

import typer

from pkp_cli.cli.i18n import t
from pkp_cli.cli.options import (
    AsOfOpt,
    DataOpt,
    Format,
    FormatOpt,
    KabupatenOpt,
    LangOpt,
    OutOpt,
    ProgramOpt,
    ProvinceOpt,
    ScheduleOpt,
    StageOpt,
    TableOpt,
)

HELP = t(
    "Posisi terhadap Jadwal Nasional: per provinsi (tanpa filter), satu provinsi (persiapan, kabupaten/kota, "
    "lokasi terlambat, konstruksi), atau satu lokasi (--lokasi); --detail satu baris per lokasi dan tahapan. "
    "Filter hanya mempersempit baris yang ditampilkan; angka ringkasan tetap untuk seluruh provinsi.\n\n"
    "Contoh:\n\n  pkp status --province Bali\n\n"
    "  pkp status --province Sulsel --late-only --format csv > sulsel.csv\n\n"
    "  pkp status --province Bali --format csv --table kabupaten\n\n"
    "  pkp status --lokasi 51.01.04 --as-of 2022-05-27",
    "Standing against the national schedule: per province (no filter), one province (preparations, "
    "kabupaten/kota, late locations, construction), or one location (--lokasi); --detail one row per location "
    "and stage. Filters narrow the rows listed only; the summary figures stay those of the whole province.\n\n"
    "Example:\n\n  pkp status --province Bali\n\n"
    "  pkp status --province Sulsel --late-only --format csv > sulsel.csv\n\n"
    "  pkp status --province Bali --format csv --table kabupaten\n\n"
    "  pkp status --lokasi 51.01.04 --as-of 2022-05-27",
)


def status(
    province: ProvinceOpt = None,
    lokasi: Annotated[
        str | None, typer.Option("--lokasi", help=t("Kode lokasi.", "Location code."), show_default=False)
    ] = None,
    kabupaten: KabupatenOpt = None,
    program: ProgramOpt = None,
    stage: StageOpt = None,
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
    table: TableOpt = None,
    out: OutOpt = None,
) -> int:
    from pkp_cli.cli.workspace import open_workspace

    # The modules that import pandas are imported after the load has started its reads (ingest/early.py).
    ws = open_workspace(data=data, schedule=schedule, as_of=as_of, lang=lang)

    from pkp_cli.engines import query as qr
    from pkp_cli.render.emit import emit
    from pkp_cli.views import status as view

    prog = qr.resolve_program(ws.schedule, program)
    provinces: tuple[str, ...] = ()
    kabs: tuple[str, ...] = ()
    lokasi_code = None
    if kabupaten or lokasi:  # names and codes in the data: the status frame is read
        st = ws.status()
        pairs = st[["kode_provinsi", "provinsi"]].drop_duplicates()  # not 1.66 M rows one by one in Python
        provinces = qr.resolve_provinces(province, dict(zip(pairs["kode_provinsi"], pairs["provinsi"], strict=False)))
        kabs = qr.resolve_kabupaten_within(kabupaten, st, provinces)
        if kabs and not provinces:  # a kabupaten alone shows its province
            provinces = tuple(dict.fromkeys(k[:2] for k in kabs))
        lokasi_code = qr.resolve_lokasi(lokasi, st)
        qr.check_lokasi_within(lokasi_code, provinces, kabs, st)
    elif province:  # the provinces' names only: kept beside the status frame, which a warm run then does not read
        provinces = qr.resolve_provinces(province, ws.province_names())
    query = qr.Query(
        provinces=provinces,
        kabupaten=kabs,
        program=prog,
        stages=qr.resolve_stages(stage, ws.schedule, prog),
        statuses=qr.resolve_statuses(status_code),
        late_only=late_only,
        lokasi=lokasi_code,
    )
    # The frames are read when the view needs them: a warm national report kept by the workspace needs neither.
    inputs = view.StatusInputs(ws.status, lambda: ws.loaded.progres, ws.schedule, ws.facts(), ws.stale_days,
                               keep=ws.kept_tables, work=ws.status_work, after_peak=ws.start_held_writes)  # fmt: skip
    emit(view.build(inputs, query, detail), fmt.value, table=table, out=out)
    return ws.exit_code()


def register(app: Any, guarded: Any) -> None:
    from pkp_cli.cli.i18n import legend_command

    app.command("status", help=HELP, cls=legend_command("STATUS_TABLES"))(guarded(status))
