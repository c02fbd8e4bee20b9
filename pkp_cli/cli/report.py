"""`pkp report`: the meeting packs (a pack per province and a national pack, with an index) in one run."""

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from pkp_cli.cli.i18n import t
from pkp_cli.cli.options import AsOfOpt, DataOpt, LangOpt, ProvinceOpt, RulesOpt, ScheduleOpt, path_value

HELP = t(
    "Bahan rapat koordinasi: satu paket per provinsi (ringkasan, kesiapan, persiapan, kabupaten/kota, lokasi "
    "terlambat, konstruksi kritis, kandidat percepatan, temuan audit, kurva S) dan satu paket nasional, sebagai "
    "Excel, HTML dan Markdown (PDF bila Chromium terpasang), dengan index.html dan index.md yang menautkan "
    "semuanya, provinsi terburuk dahulu.\n\n"
    "Contoh:\n\n  pkp report --out laporan/\n\n"
    "  pkp report --province Bali --province Sulsel --format xlsx --out laporan/\n\n"
    "  pkp report --as-of 2022-05-27 --format html --quiet --out laporan-27-mei/",
    "Meeting packs: one pack per province (summary, readiness, preparations, kabupaten/kota, late locations, "
    "critical construction, acceleration candidates, audit findings, S-curve) and a national pack, as Excel, "
    "HTML and Markdown (PDF when Chromium is installed), with an index.html and index.md linking them all, "
    "worst province first.\n\n"
    "Example:\n\n  pkp report --out reports/\n\n"
    "  pkp report --province Bali --province Sulsel --format xlsx --out reports/\n\n"
    "  pkp report --as-of 2022-05-27 --format html --quiet --out reports-27-may/",
)


class PackFormat(StrEnum):
    xlsx = "xlsx"
    html = "html"
    md = "md"
    pdf = "pdf"


def report(
    province: ProvinceOpt = None,
    fmt: Annotated[
        list[PackFormat] | None,
        typer.Option(
            "--format",
            "-f",
            help=t(
                "Bentuk berkas; boleh diulang; bawaan: xlsx, html, md (pdf memerlukan Chromium).",
                "File format; repeatable; default: xlsx, html, md (pdf needs Chromium).",
            ),
            show_default=False,
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            parser=path_value,
            help=t(
                "Folder keluaran; bawaan: <output>/laporan-<tanggal posisi> (output dari berkas konfigurasi), "
                "selain itu ./laporan-<tanggal posisi>.",
                "Output folder; default: <output>/laporan-<as-of date> (output from the config file), "
                "else ./laporan-<as-of date>.",
            ),
            show_default=False,
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help=t("Tanpa bilah kemajuan.", "No progress bar."))] = False,
    data: DataOpt = None,
    schedule: ScheduleOpt = None,
    rules: RulesOpt = None,
    as_of: AsOfOpt = None,
    lang: LangOpt = None,
) -> int:
    import sys

    from pkp_cli.cli.workspace import open_workspace, resolve_lang, say
    from pkp_cli.errors import Exit, PkpError
    from pkp_cli.settings import load_config
    from pkp_cli.text.labels import label

    given = list(dict.fromkeys(f.value for f in fmt)) if fmt else []
    browser = None
    if "pdf" in given:  # refused before any loading: nothing to print with (the default formats hold no pdf)
        from pkp_cli.render.pdf import find_browser

        browser = find_browser()
        if browser is None:
            raise PkpError(Exit.USAGE, label("pack.pdf_missing", resolve_lang(lang, load_config())))
    # The modules that import pandas are imported after the load has started its reads (ingest/early.py).
    ws = open_workspace(data=data, schedule=schedule, as_of=as_of, lang=lang)

    from pkp_cli.engines.query import resolve_provinces
    from pkp_cli.render.pack import DEFAULT_FORMATS, write_packs
    from pkp_cli.views import pack as pack_view
    from pkp_cli.views.audit import AuditInputs
    from pkp_cli.views.candidates import CandidateInputs
    from pkp_cli.views.readiness import ReadinessInputs
    from pkp_cli.views.status import StatusInputs

    formats = given or list(DEFAULT_FORMATS)
    st = ws.status()
    present = dict(zip(st["kode_provinsi"], st["provinsi"], strict=False))
    provinces = resolve_provinces(province, present)
    loaded, facts = ws.loaded, ws.facts()
    inputs = StatusInputs(st, loaded.progres, ws.schedule, facts, ws.stale_days, keep=ws.kept_tables)
    rule_set = ws.rules(rules, required=False)  # no rules file for the data's year: no candidates tables
    sources = pack_view.PackSources(
        readiness=ReadinessInputs(loaded.lokasi, st, loaded.temuan, ws.schedule, facts),
        candidates=None if rule_set is None else CandidateInputs(loaded.lokasi, st, ws.schedule, rule_set, facts),
        audit=AuditInputs(loaded.temuan, loaded.progres["tanggal_laporan"].unique(), facts),
    )
    extras = pack_view.province_extras(sources)
    packs = pack_view.build(inputs, provinces, rejected=ws.loaded.rows_rejected, extras=extras)
    for line in packs.warnings:
        say(f"pkp: {line}")
    configured = ws.cfg.get("output")
    # one folder per status date, inside the configured output folder when there is one: last week's packs stay
    week = f"laporan-{ws.as_of.isoformat()}"
    target = out or (Path(configured) / week if configured else Path(week))
    written = write_packs(packs, target, formats, progress=not quiet and sys.stderr.isatty(), browser=browser)
    if not quiet:
        say(f"{len(packs.packs)} {label('pack.written', ws.lang)} {target} ({', '.join(formats)}): {written.index[0]}")
    return ws.exit_code()


def register(app: Any, guarded: Any) -> None:
    from pkp_cli.cli.i18n import legend_command

    head = ("Tabel paket (satu sheet di xlsx):", "Tables of the packs (a sheet each in xlsx):")
    app.command("report", help=HELP, cls=legend_command("REPORT_TABLES", head))(guarded(report))
