"""`pkp sample DIR`: copy the bundled sample out for a user to explore and edit."""

import os
import re
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
    from pkp_cli.cli.workspace import say
    from pkp_cli.settings import bundled_root

    src = bundled_root()
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise PkpError(Exit.CANT_WRITE, f"{target}: folder tidak kosong / folder is not empty")
    _copy_whole(src, target, ("data", "schedules"))
    say(f"{target}/data, {target}/schedules")
    return 0


def _copy_whole(src: Path, target: Path, parts: tuple[str, ...]) -> None:
    """Copy `parts` of `src` into `target` whole or not at all: into a temporary folder next to `target` first,
    renamed into place once every file is there. A failure (a full disk, a file-size limit, no permission) or an
    interruption removes the temporary folder, which pkp created, and leaves `target` as it was; the reason is
    the first file's (shutil.Error carries no strerror of its own)."""
    import shutil
    import tempfile

    tmp: Path | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.pkp-sample-"))
        for part in parts:
            shutil.copytree(src / part, tmp / part)
        if target.exists():  # an empty folder: the parts move in
            for part in parts:
                os.rename(tmp / part, target / part)
            tmp.rmdir()
        else:
            os.rename(tmp, target)
        tmp = None
    except OSError as exc:
        reason = exc.strerror
        if reason is None and isinstance(exc, shutil.Error) and exc.args and exc.args[0]:
            first = str(exc.args[0][0][-1])  # "[Errno 27] File too large: 'src' -> 'dst'"
            found = re.match(r"\[Errno \d+\] ([^:]+)", first)
            reason = found.group(1) if found else first[:200]
        raise PkpError(Exit.CANT_WRITE, f"{target}: {reason or exc}") from None
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


def register(app: Any, guarded: Any) -> None:
    app.command("sample", help=HELP)(guarded(sample))
