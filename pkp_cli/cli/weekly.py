"""`pkp weekly`: this week against the last, stored as a snapshot; the summary into --out, a digest on stdout.

Runs unattended (cron, a systemd timer): one run per history folder at a time (a lock taken without waiting),
every file written whole, nothing asked, no colour, messages on stderr.
"""

from datetime import date
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
    ProvinceOpt,
    RulesOpt,
    ScheduleOpt,
    TableOpt,
    path_value,
)

HELP = t(
    "Ringkasan mingguan untuk dijalankan terjadwal (cron, systemd): posisi minggu ini disimpan sebagai snapshot "
    "di riwayat (satu berkas Parquet per minggu ISO) dan dibandingkan dengan minggu sebelumnya: tahapan selesai, "
    "baru terlambat, pulih, makin terlambat, perubahan deviasi per provinsi, provinsi yang belum melapor, kandidat "
    "percepatan masuk dan keluar, temuan audit ditutup dan baru lewat batas, dan tren bila riwayat memuat tiga "
    "minggu atau lebih. Ringkasan ditulis ke --out (ringkasan-<minggu>.md, .xlsx, .html); stdout memuat ikhtisar "
    "paling banyak 15 baris, berita terburuk dahulu.\n\n"
    "Contoh:\n\n  pkp weekly --history riwayat/ --out ringkasan/\n\n"
    "  pkp weekly --history riwayat/ --out ringkasan/ --quiet\n\n"
    "  pkp weekly --history riwayat/ --since 2022-05-20 -f json > mingguan.json",
    "Weekly summary for scheduled runs (cron, systemd): this week's position is stored as a snapshot in the "
    "history (one Parquet file per ISO week) and compared with the previous week: stages finished, newly late, "
    "recovered, slipping further, deviation change per province, provinces that did not report, acceleration "
    "candidates in and out, audit findings closed and newly overdue, and trends once the history holds three "
    "weeks or more. The summary is written into --out (ringkasan-<week>.md, .xlsx, .html); stdout carries a "
    "digest of at most 15 lines, worst news first.\n\n"
    "Example:\n\n  pkp weekly --history riwayat/ --out ringkasan/\n\n"
    "  pkp weekly --history riwayat/ --out ringkasan/ --quiet\n\n"
    "  pkp weekly --history riwayat/ --since 2022-05-20 -f json > weekly.json",
)

HistoryOpt = Annotated[
    Path | None,
    typer.Option(
        "--history",
        parser=path_value,
        help=t(
            "Folder riwayat snapshot (bawaan: kunci history di konfigurasi, lalu $XDG_DATA_HOME/pkp/history).",
            "Snapshot history folder (default: the config's history key, else $XDG_DATA_HOME/pkp/history).",
        ),
        show_default=False,
    ),
]
SUMMARY_FORMATS = ("md", "xlsx", "html")


def weekly(
    province: ProvinceOpt = None,
    data: DataOpt = None,
    schedule: ScheduleOpt = None,
    rules: RulesOpt = None,
    as_of: AsOfOpt = None,
    lang: LangOpt = None,
    fmt: FormatOpt = Format.table,
    table: TableOpt = None,
    history: HistoryOpt = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            parser=path_value,
            help=t(
                "Folder ringkasan (bawaan: kunci output di konfigurasi, lalu folder kerja).",
                "Folder for the summary files (default: the config's output key, else the current folder).",
            ),
            show_default=False,
        ),
    ] = None,
    quiet: Annotated[
        bool,
        typer.Option(
            "--quiet",
            "-q",
            help=t(
                "Tanpa ikhtisar di stdout; stderr hanya untuk masalah.",
                "No digest on stdout; stderr only for problems.",
            ),
        ),
    ] = False,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            metavar="YYYY-MM-DD",
            help=t(
                "Bandingkan dengan snapshot minggu tanggal ini, bukan minggu sebelumnya.",
                "Compare with the snapshot of this date's week instead of the previous one.",
            ),
            show_default=False,
        ),
    ] = None,
) -> int:
    from pkp_cli.cli import workspace

    workspace.QUIET[0] = quiet
    try:
        return _run(province, data, schedule, rules, as_of, lang, fmt.value, table, history, out, quiet, since)
    finally:
        workspace.QUIET[0] = False


def _run(province: list[str] | None, data: Path | None, schedule: Path | None, rules: Path | None,
         as_of: str | None, lang: Any, fmt: str, table: str | None, history: Path | None, out: Path | None,
         quiet: bool, since: str | None) -> int:  # fmt: skip
    from pkp_cli.cli.workspace import inform, open_workspace, resolve_lang, say
    from pkp_cli.errors import most_severe
    from pkp_cli.history import job
    from pkp_cli.history.inputs import fingerprint
    from pkp_cli.history.lock import hold
    from pkp_cli.render.safe import prepare_folder
    from pkp_cli.settings import default_history_dir, load_config
    from pkp_cli.text.labels import label

    cfg = load_config()
    code = resolve_lang(lang, cfg)
    since_day = _parse_day("--since", since, code)
    folder = history or Path(cfg.get("history") or default_history_dir())
    out_dir = out or Path(cfg.get("output") or ".")
    prepare_folder(folder)  # a file at --history is "not a folder", not a failed lock under its name
    with hold(folder, label("w.locked", code)):
        # The modules that import pandas are imported after the load has started its reads (ingest/early.py).
        ws = open_workspace(data=data, schedule=schedule, as_of=as_of, lang=lang)

        from pkp_cli.engines.query import resolve_provinces
        from pkp_cli.views import weekly as view

        _check_since(since_day, ws.as_of, code)
        rule_set = ws.rules(rules, required=False)
        st = ws.status()
        present = dict(zip(st["kode_provinsi"], st["provinsi"], strict=False))
        provinces = tuple(resolve_provinces(province, present)) if province else ()
        src = job.Sources(ws.loaded.lokasi, ws.loaded.progres, ws.loaded.temuan, st, ws.schedule, rule_set,
                          ws.as_of, ws.stale_days, ws.calendar())  # fmt: skip
        meta = {
            "data_source": ws.data_source,
            "schedule": ws.schedule_shown,
            "rules": str(rule_set.path) if rule_set is not None else None,
            "inputs": fingerprint(ws.data.path),
            "rows_rejected": ws.loaded.rows_rejected,
            "files_unreadable": len(ws.loaded.unreadable),
        }
        result = job.run(src, folder, meta, since_day, provinces)
        for bad in result.bad:
            say(f"pkp: {bad.path}: {label(f'riwayat.alasan.{bad.reason}', code)} ({bad.detail})")
        for old, new in result.set_aside:
            say(f"pkp: {old}: {label('w.set_aside', code)} {new}")
        codes = [ws.exit_code()]
        if result.write_error is not None:
            say(f"pkp: {result.write_error.message}")
            codes.append(int(result.write_error.code))
        elif result.snapshot is not None:
            inform(f"{label('w.snapshot', code)}: {result.snapshot}")
            if result.replaced_as_of is not None and result.replaced_as_of > ws.as_of:
                from pkp_cli.text.formats import fmt_date

                text = label("w.replaced_newer", code).format(
                    old=fmt_date(result.replaced_as_of, code), new=fmt_date(ws.as_of, code)
                )
                say(f"pkp: {result.week}: {text}")
        inp = view.WeeklyInputs(
            ws.facts(),
            result,
            provinces=provinces,
            province_names=tuple(present.get(p, p) for p in provinces),
            rejected=ws.loaded.rows_rejected,
            unreadable=len(ws.loaded.unreadable),
            has_rules=rule_set is not None,
        )
        summary = view.build(inp)
        stem = f"ringkasan-{result.week}" + ("-" + "-".join(provinces) if provinces else "")
        files, error = _write_summary(summary, out_dir, stem)
        if error is not None:
            say(f"pkp: {error.message}")
            codes.append(int(error.code))
        else:
            inform(f"{len(files)} {label('files_written', code)} {out_dir}")
        inp.files, inp.files_error = files, (error.message if error is not None else None)
        if not quiet:
            _stdout(inp, summary, fmt, table)
    return most_severe(*codes)


def _check_since(since: date | None, as_of: date, lang: str) -> None:
    """--since names a week before the status date's week (the week this run stores)."""
    from pkp_cli.errors import Exit, PkpError
    from pkp_cli.history.store import iso_week
    from pkp_cli.text.formats import fmt_date
    from pkp_cli.text.labels import label

    if since is None or iso_week(since) < iso_week(as_of):
        return
    text = label("w.since_not_before", lang).format(
        wanted=iso_week(since), week=iso_week(as_of), as_of=fmt_date(as_of, lang)
    )
    raise PkpError(Exit.USAGE, f"--since {since.isoformat()}: {text}")


def _parse_day(option: str, text: str | None, lang: str) -> date | None:
    if text is None:
        return None
    from pkp_cli.errors import Exit, PkpError
    from pkp_cli.text.labels import label

    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise PkpError(Exit.USAGE, f"{option} {text}: {label('as_of_invalid', lang)}") from None


def _write_summary(report: Any, folder: Path, stem: str) -> tuple[list[Path], Any]:
    """The summary in every file format (the packs' renderers for xlsx and HTML), each written whole; (files
    written, the first PkpError or None)."""
    from pkp_cli.errors import PkpError
    from pkp_cli.render.emit import rendered
    from pkp_cli.render.html import write_html
    from pkp_cli.render.safe import atomic_write_text, inside
    from pkp_cli.render.xlsx import write_xlsx

    writers = {
        "md": lambda path: atomic_write_text(path, rendered(report, "markdown")),
        "xlsx": lambda path: write_xlsx([report], path),
        "html": lambda path: write_html([report], path),
    }
    from pkp_cli.render.safe import prepare_folder

    written: list[Path] = []
    try:
        prepare_folder(folder)
    except PkpError as exc:
        return written, exc
    for suffix in SUMMARY_FORMATS:
        try:
            path = inside(folder, f"{stem}.{suffix}")
            writers[suffix](path)
        except PkpError as exc:
            return written, exc
        written.append(path)
    return written, None


def _stdout(inp: Any, summary: Any, fmt: str, table: str | None) -> None:
    """The digest (plain lines) by default; the whole summary with --format json, csv or markdown."""
    import sys

    from pkp_cli.render.emit import emit
    from pkp_cli.views import weekly as view

    if fmt == "table" and table is None:
        from pkp_cli.render import plain

        sys.stdout.write(plain.render(view.digest(inp)))
    else:
        emit(summary, fmt, table=table)


def register(app: Any, guarded: Any) -> None:
    from pkp_cli.cli.i18n import legend_command

    app.command("weekly", help=HELP, cls=legend_command("WEEKLY_TABLES"))(guarded(weekly))
