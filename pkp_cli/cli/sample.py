"""`pkp sample DIR`: copy the bundled sample out for a user to explore and edit."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from pkp_cli.cli.i18n import t
from pkp_cli.cli.options import LangOpt, path_value
from pkp_cli.errors import Exit, PkpError

HELP = t(
    "Salin data contoh bawaan (workbook TA 2022 dan jadwal) ke sebuah folder untuk dicoba dan diubah.\n\n"
    "Contoh:\n\n  pkp sample contoh/ && pkp status --data contoh/data --province Bali",
    "Copy the bundled sample (TA 2022 workbooks and schedules) into a folder to explore and edit.\n\n"
    "Example:\n\n  pkp sample demo/ && pkp status --data demo/data --province Bali",
)


def sample(
    target: Annotated[Path, typer.Argument(parser=path_value, help=t("Folder tujuan.", "Target folder."))],
    lang: LangOpt = None,
) -> int:
    import shutil

    from pkp_cli.cli.workspace import say
    from pkp_cli.settings import bundled_root

    src = bundled_root()
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise PkpError(Exit.CANT_WRITE, f"{target}: folder tidak kosong / folder is not empty")
    try:
        for part in ("data", "schedules"):
            shutil.copytree(src / part, target / part, dirs_exist_ok=True)
    except OSError as exc:
        raise PkpError(Exit.CANT_WRITE, f"{target}: {exc.strerror}") from exc
    say(f"{target}/data, {target}/schedules")
    return 0


def register(app: Any, guarded: Any) -> None:
    app.command("sample", help=HELP)(guarded(sample))
