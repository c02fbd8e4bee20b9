"""`pkp schedule`, `pkp sample` and `pkp config`: the small commands."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from pkp_cli.cli.i18n import t
from pkp_cli.cli.options import DataOpt, Format, FormatOpt, LangOpt, ProgramOpt, ScheduleOpt
from pkp_cli.errors import Exit, PkpError

SCHEDULE_HELP = t(
    "Tampilkan tahapan dan jendela waktu Jadwal Nasional, atau periksa satu berkas jadwal.\n\n"
    "Contoh:\n\n  pkp schedule --program PISEW\n\n  pkp schedule --check jadwal-baru.yaml",
    "Show the national schedule's stages and windows, or check one schedule file.\n\n"
    "Example:\n\n  pkp schedule --program PISEW\n\n  pkp schedule --check new-schedule.yaml",
)


def schedule_cmd(
    program: ProgramOpt = None,
    check: Annotated[
        Path | None,
        typer.Option("--check", help=t("Periksa berkas ini saja.", "Check this file only."), show_default=False),
    ] = None,
    data: DataOpt = None,
    schedule: ScheduleOpt = None,
    lang: LangOpt = None,
    fmt: FormatOpt = Format.table,
) -> int:
    from pkp_cli.cli.workspace import open_schedule, resolve_lang, say
    from pkp_cli.ingest.locate import resolve_data
    from pkp_cli.model.schedule import check_schedule_text
    from pkp_cli.render import formats
    from pkp_cli.settings import load_config
    from pkp_cli.text.labels import label

    cfg = load_config()
    code = resolve_lang(lang, cfg)
    if check is not None:
        try:
            text = check.read_bytes().decode("utf-8", errors="replace")
        except OSError as exc:
            raise PkpError(Exit.CONFIG, f"{check}: {exc.strerror}") from exc
        model, probs = check_schedule_text(text)
        for p in probs:
            print(f"{check}: {p.message(code)}", file=sys.stderr)
        if model is None:
            return int(Exit.CONFIG)
        say(f"{check}: {label('sch.valid', code)}")
        return 0
    src, sched = open_schedule(schedule, resolve_data(data, cfg), cfg, code)
    say(f"{'Schedule' if code == 'en' else 'Jadwal'}: {src.path} ({src.why})")
    st = sched.stage_table()
    if program:
        st = st[st["program"].str.casefold() == program.casefold()]
        if st.empty:
            raise PkpError(Exit.USAGE, f"--program {program}: {', '.join(sched.programs)}")
    cols = [
        "program",
        "tahapan",
        "nama_tahapan",
        "tingkat",
        "jadwal_mulai",
        "jadwal_selesai",
        "setelah",
        "perlu_revisi_dipa",
        "dapat_dipercepat",
        "bobot",
    ]
    rows = formats.records(st[cols].assign(setelah=st["setelah"].map(list)))
    if fmt.value == "json":
        sys.stdout.write(
            formats.to_json(
                {
                    "fiscal_year": sched.year,
                    "schedule": str(src.path),
                    "schedule_sha256": sched.sha256,
                    "rows": rows,
                }
            )
        )
        return 0
    if fmt.value == "csv":
        sys.stdout.write(formats.to_csv(rows, cols))
        return 0
    heads = [label(f"col.{c}", code) for c in cols]
    yes, no = label("yes", code), label("no", code)
    body = [
        [
            r["program"],
            r["tahapan"],
            r["nama_tahapan"],
            r["tingkat"],
            formats.fmt_date(r["jadwal_mulai"], code),
            formats.fmt_date(r["jadwal_selesai"], code),
            ", ".join(r["setelah"]),
            yes if r["perlu_revisi_dipa"] else no,
            yes if r["dapat_dipercepat"] else no,
            formats.fmt_number(r["bobot"], code, 0),
        ]
        for r in rows
    ]
    title = f"{label('sch.title', code)} {sched.year}"
    if fmt.value in ("markdown", "md"):
        sys.stdout.write(formats.to_markdown(heads, body, title))
        return 0
    from pkp_cli.render.table import console, table

    console().print(table(title, heads, body))
    return 0


SAMPLE_HELP = t(
    "Salin data contoh bawaan (workbook TA 2022 dan jadwal) ke sebuah folder untuk dicoba dan diubah.\n\n"
    "Contoh:\n\n  pkp sample contoh/ && pkp status --data contoh/data --province Bali",
    "Copy the bundled sample (TA 2022 workbooks and schedules) into a folder to explore and edit.\n\n"
    "Example:\n\n  pkp sample demo/ && pkp status --data demo/data --province Bali",
)


def sample(
    target: Annotated[Path, typer.Argument(help=t("Folder tujuan.", "Target folder."))],
    lang: LangOpt = None,
) -> int:
    import shutil

    from pkp_cli.cli.workspace import say
    from pkp_cli.settings import bundled_root

    src = bundled_root()
    if target.exists() and any(target.iterdir()):
        raise PkpError(Exit.CANT_WRITE, f"{target}: folder tidak kosong / folder is not empty")
    try:
        for part in ("data", "schedules"):
            shutil.copytree(src / part, target / part, dirs_exist_ok=True)
    except OSError as exc:
        raise PkpError(Exit.CANT_WRITE, f"{target}: {exc.strerror}") from exc
    say(f"{target}/data, {target}/schedules")
    return 0


CONFIG_HELP = t(
    "Tampilkan pengaturan yang berlaku dan asal masing-masing (opsi, lingkungan, berkas konfigurasi, bawaan).\n\n"
    "Contoh:\n\n  pkp config",
    "Show the effective settings and where each came from (option, environment, config file, default).\n\n"
    "Example:\n\n  pkp config",
)


def config_cmd(data: DataOpt = None, lang: LangOpt = None, fmt: FormatOpt = Format.table) -> int:
    from pkp_cli.cli.workspace import resolve_lang
    from pkp_cli.ingest.locate import resolve_data
    from pkp_cli.render import formats
    from pkp_cli.settings import CONFIG_KEYS, load_config

    cfg = load_config()
    code = resolve_lang(lang, cfg)
    rows: list[dict[str, Any]] = [
        {
            "key": "config_file",
            "value": str(cfg.path),
            "source": "found" if cfg.path and cfg.path.is_file() else "absent",
        }
    ]
    try:
        d = resolve_data(data, cfg)
        rows.append({"key": "data", "value": str(d.path), "source": d.why})
    except PkpError as exc:
        rows.append({"key": "data", "value": None, "source": exc.message})
    for key in CONFIG_KEYS:
        if key == "data":
            continue
        rows.append({"key": key, "value": cfg.get(key), "source": cfg.source(key)})
    if lang is not None:
        rows.append({"key": "lang (now)", "value": code, "source": "--lang"})
    if fmt.value == "json":
        sys.stdout.write(formats.to_json({"rows": rows}))
        return 0
    if fmt.value == "csv":
        sys.stdout.write(formats.to_csv(rows, ["key", "value", "source"]))
        return 0
    body = [[r["key"], "" if r["value"] is None else r["value"], r["source"]] for r in rows]
    heads = ["setting", "value", "source"] if code == "en" else ["pengaturan", "nilai", "asal"]
    if fmt.value in ("markdown", "md"):
        sys.stdout.write(formats.to_markdown(heads, body))
        return 0
    from pkp_cli.render.table import console, table

    console().print(table(None, heads, body))
    return 0


def register(app: Any, guarded: Any) -> None:
    app.command("schedule", help=SCHEDULE_HELP)(guarded(schedule_cmd))
    app.command("sample", help=SAMPLE_HELP)(guarded(sample))
    app.command("config", help=CONFIG_HELP)(guarded(config_cmd))
