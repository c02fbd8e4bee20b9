"""`pkp template`: the progress workbook each BPPW fills, pre-filled with its locations and stages."""

from pathlib import Path
from typing import Annotated, Any

import typer

from pkp_cli.cli.i18n import t
from pkp_cli.cli.options import DataOpt, LangOpt, ProvinceOpt, ScheduleOpt, path_value

HELP = t(
    "Templat laporan progres untuk BPPW: lokasi dan tahapan provinsi sudah terisi (kode, nama, jendela Jadwal "
    "Nasional), sel tanggal berformat tanggal, validasi Excel (tanggal dalam tahun anggaran, progres 0-100, "
    "daftar tahapan), petunjuk di sheet pertama. Templat yang diisi dimuat tanpa penolakan.\n\n"
    "Contoh:\n\n  pkp template --province Bali --out templat/\n\n  pkp template --all --out templat/",
    "Progress report template for the BPPW: the province's locations and stages filled in (codes, names, the "
    "national schedule's windows), date cells formatted as dates, Excel validation (dates within the fiscal "
    "year, progress 0-100, the stage list), instructions on the first sheet. A filled template loads with no "
    "rejections.\n\n"
    "Example:\n\n  pkp template --province Bali --out templates/\n\n  pkp template --all --out templates/",
)


def template(
    out: Annotated[
        Path,
        typer.Option("--out", parser=path_value, help=t("Folder keluaran.", "Output folder."), show_default=False),
    ],
    province: ProvinceOpt = None,
    every: Annotated[
        bool, typer.Option("--all", help=t("Semua provinsi dalam data lokasi.", "Every province in the location data."))
    ] = False,
    data: DataOpt = None,
    schedule: ScheduleOpt = None,
    lang: LangOpt = None,
) -> int:
    from pkp_cli.cli.workspace import open_workspace, say
    from pkp_cli.engines.query import resolve_provinces
    from pkp_cli.errors import Exit, PkpError
    from pkp_cli.render.safe import inside, prepare_folder, safe_name
    from pkp_cli.render.template import write_template
    from pkp_cli.text.labels import label
    from pkp_cli.views import template as view

    if bool(province) == every:
        from pkp_cli.cli.workspace import resolve_lang
        from pkp_cli.settings import load_config

        code = resolve_lang(lang, load_config())
        raise PkpError(Exit.USAGE, "template: " + label("tpl.both" if every else "tpl.neither", code))
    ws = open_workspace(data=data, schedule=schedule, as_of=None, lang=lang)
    lok = ws.loaded.lokasi
    present = dict(zip(lok["kode_provinsi"], lok["provinsi"], strict=False))
    codes = resolve_provinces(province, present) if province else tuple(sorted(c for c in present if c))
    prepare_folder(out)
    for code in codes:
        tpl = view.build(lok, ws.schedule, code)
        write_template(tpl, inside(out, f"progres-{safe_name(tpl.name)}.xlsx"), ws.lang)
    say(f"{len(codes)} {label('tpl.written', ws.lang)} {out}")
    return ws.exit_code()  # rejected location rows are missing from the templates: said, exit 65


def register(app: Any, guarded: Any) -> None:
    app.command("template", help=HELP)(guarded(template))
