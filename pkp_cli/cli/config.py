"""`pkp config`: the effective settings and where each came from."""

from typing import Any

from pkp_cli.cli.i18n import t
from pkp_cli.cli.options import DataOpt, Format, FormatOpt, LangOpt, OutOpt, TableOpt
from pkp_cli.errors import PkpError

HELP = t(
    "Tampilkan pengaturan yang berlaku dan asal masing-masing (opsi, lingkungan, berkas konfigurasi, bawaan).\n\n"
    "Contoh:\n\n  pkp config",
    "Show the effective settings and where each came from (option, environment, config file, default).\n\n"
    "Example:\n\n  pkp config",
)


def config_cmd(
    data: DataOpt = None, lang: LangOpt = None, fmt: FormatOpt = Format.table, table: TableOpt = None,
    out: OutOpt = None,
) -> int:  # fmt: skip
    from pkp_cli.cli.workspace import resolve_lang
    from pkp_cli.ingest.locate import resolve_data
    from pkp_cli.render.emit import emit
    from pkp_cli.settings import CONFIG_KEYS, default_history_dir, load_config
    from pkp_cli.views import settings as view
    from pkp_cli.views.facts import Facts

    cfg = load_config()
    code = resolve_lang(lang, cfg)
    found = cfg.path is not None and cfg.path.is_file()
    rows: list[dict[str, Any]] = [
        {"key": "config_file", "value_text": str(cfg.path), "source": "found" if found else "absent"}
    ]
    try:
        d = resolve_data(data, cfg)
        rows.append({"key": "data", "value_text": str(d.path), "source": d.why})
    except PkpError as exc:
        rows.append({"key": "data", "value_text": None, "source": exc.message})
    # where pkp weekly keeps its history and writes its summary when the config does not say
    fallback = {"history": str(default_history_dir()), "output": "."}
    for key in CONFIG_KEYS:
        if key != "data":
            value, source = cfg.get(key), cfg.source(key)
            if value is None and key in fallback:
                value, source = fallback[key], "default"
            shown = None if value is None else str(value).lower() if isinstance(value, bool) else str(value)
            rows.append({"key": key, "value_text": shown, "source": source})  # booleans as TOML writes them
    if lang is not None:
        rows.append({"key": "lang (now)", "value_text": code, "source": "--lang"})
    facts = Facts(code, None, None, None, False, None, None)
    emit(view.build(rows, facts), fmt.value, table=table, out=out)
    return 0


def register(app: Any, guarded: Any) -> None:
    from pkp_cli.cli.i18n import legend_command

    app.command("config", help=HELP, cls=legend_command("CONFIG_TABLES"))(guarded(config_cmd))
