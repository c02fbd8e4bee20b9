"""`pkp history`: the weeks stored by `pkp weekly`, read from each snapshot's footer (no row is read)."""

from pathlib import Path
from typing import Any

from pkp_cli.cli.i18n import t
from pkp_cli.cli.options import Format, FormatOpt, LangOpt, OutOpt, TableOpt
from pkp_cli.cli.weekly import HistoryOpt

HELP = t(
    "Minggu yang tersimpan di riwayat pkp weekly: minggu, tanggal posisi, baris, sha256 jadwal, jumlah berkas "
    "masukan; dibaca dari metadata Parquet saja. Berkas rusak atau asing disebut dan dilewati.\n\n"
    "Contoh:\n\n  pkp history --history riwayat/\n\n  pkp history --history riwayat/ --format json",
    "The weeks stored by pkp weekly: week, status date, rows, schedule sha256, input files; read from the "
    "Parquet metadata only. Corrupt or foreign files are named and skipped.\n\n"
    "Example:\n\n  pkp history --history riwayat/\n\n  pkp history --history riwayat/ --format json",
)


def history_cmd(
    history: HistoryOpt = None,
    lang: LangOpt = None,
    fmt: FormatOpt = Format.table,
    table: TableOpt = None,
    out: OutOpt = None,
) -> int:
    from pkp_cli.cli.workspace import resolve_lang, say
    from pkp_cli.errors import Exit, PkpError
    from pkp_cli.history.store import scan
    from pkp_cli.render.emit import emit
    from pkp_cli.settings import default_history_dir, load_config
    from pkp_cli.text.labels import label
    from pkp_cli.views import history as view
    from pkp_cli.views.facts import Facts

    cfg = load_config()
    code = resolve_lang(lang, cfg)
    folder = history or Path(cfg.get("history") or default_history_dir())
    if not folder.is_dir():
        raise PkpError(Exit.NO_INPUT, f"{folder}: {label('h.missing', code)}")
    listing = scan(folder)
    for bad in listing.bad:
        say(f"pkp: {bad.path}: {label(f'riwayat.alasan.{bad.reason}', code)} ({bad.detail})")
    facts = Facts(code, None, None, None, False, None, None)
    emit(view.build(listing, folder, facts), fmt.value, table=table, out=out)
    return 0


def register(app: Any, guarded: Any) -> None:
    from pkp_cli.cli.i18n import legend_command

    app.command("history", help=HELP, cls=legend_command("HISTORY_TABLES"))(guarded(history_cmd))
