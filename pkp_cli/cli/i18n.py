"""Language of help text: decided before options are parsed (argv, PKP_LANG), Indonesian by default."""

from __future__ import annotations

import os
import sys
from typing import Any


def help_lang() -> str:
    argv = sys.argv[1:]
    for i, a in enumerate(argv):
        if a == "--lang" and i + 1 < len(argv):
            return "en" if argv[i + 1] == "en" else "id"
        if a.startswith("--lang="):
            return "en" if a.split("=", 1)[1] == "en" else "id"
    return "en" if os.environ.get("PKP_LANG") == "en" else "id"


def t(id_text: str, en_text: str) -> str:
    return en_text if help_lang() == "en" else id_text


def legend_command(tables: str, head: tuple[str, str] | None = None) -> Any:
    """A command class whose --help ends with the legend of its tables (views/specs.py `tables`), built only when
    the help is shown: `pkp --help` and every command that runs never pay for the column catalogue."""
    from typer.core import TyperCommand

    class LegendCommand(TyperCommand):
        def format_epilog(self, ctx: Any, formatter: Any) -> None:
            if not self.epilog:
                from pkp_cli.views import specs
                from pkp_cli.views.legend import help_epilog

                lang = help_lang()
                self.epilog = help_epilog(getattr(specs, tables), lang, head[lang == "en"] if head else None)
            super().format_epilog(ctx, formatter)

    return LegendCommand
