"""`pkp audit`: audit follow-up per province, the overdue findings, and what changed since the last report."""

from typing import Any

from pkp_cli.cli.i18n import t
from pkp_cli.cli.options import (
    AsOfOpt,
    DataOpt,
    Format,
    FormatOpt,
    LangOpt,
    OutOpt,
    ProvinceOpt,
    ScheduleOpt,
    TableOpt,
)

HELP = t(
    "Tindak lanjut temuan audit per provinsi: belum, proses, selesai, nilai, temuan lewat batas waktu (dengan "
    "jumlah hari), dan perubahan sejak tanggal laporan sebelumnya. Berkas temuan bertanggal sesudah tanggal "
    "posisi tidak dihitung.\n\n"
    "Contoh:\n\n  pkp audit\n\n  pkp audit --province Bali --as-of 2022-06-03\n\n"
    "  pkp audit --format csv --table lewat_batas > lewat-batas.csv",
    "Audit follow-up per province: open, in progress, closed, amounts, overdue findings (with days overdue), "
    "and what changed since the previous report date. Findings files dated after the status date are not "
    "counted.\n\n"
    "Example:\n\n  pkp audit\n\n  pkp audit --province Bali --as-of 2022-06-03\n\n"
    "  pkp audit --format csv --table lewat_batas > overdue.csv",
)


def audit(
    province: ProvinceOpt = None,
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

    import pandas as pd

    from pkp_cli.engines import query as qr
    from pkp_cli.render.emit import emit
    from pkp_cli.views import audit as view

    loaded = ws.loaded
    # A province with findings but no locations can still be asked for.
    known = pd.concat([loaded.lokasi[["kode_provinsi", "provinsi"]], loaded.temuan[["kode_provinsi", "provinsi"]]])
    query = qr.Query(
        provinces=qr.resolve_provinces(province, dict(zip(known["kode_provinsi"], known["provinsi"], strict=False)))
    )
    inputs = view.AuditInputs(loaded.temuan, loaded.progres["tanggal_laporan"].unique(), ws.facts())
    emit(view.build(inputs, query), fmt.value, table=table, out=out)
    return ws.exit_code()


def register(app: Any, guarded: Any) -> None:
    from pkp_cli.cli.i18n import legend_command

    app.command("audit", help=HELP, cls=legend_command("AUDIT_TABLES"))(guarded(audit))
