"""The `pkp` command: a Typer app whose commands live in small modules, imported only when run."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

import typer

from pkp_cli.cli.i18n import t
from pkp_cli.errors import Exit, PkpError, UnknownValue, help_table

# "\b" keeps click from re-wrapping the exit-code table.
EPILOG = t("Kode keluar:", "Exit codes:") + "\n\n\b\n" + help_table(t("id", "en"))

app = typer.Typer(
    name="pkp",
    help=t(
        "Pemantauan progres PISEW dan KOTAKU terhadap Jadwal Nasional (Dit. PKP).\n\n"
        "Contoh: pkp status --province Bali",
        "Progress monitoring of PISEW and KOTAKU against the national schedule (Dit. PKP).\n\n"
        "Example: pkp status --province Bali",
    ),
    epilog=EPILOG,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def guarded(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Run a command body: expected failures exit with their code and one line; anything else is a bug (1)."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            code = fn(*args, **kwargs)
        except PkpError as exc:
            print(f"pkp: {exc.message}", file=sys.stderr)
            raise typer.Exit(int(exc.code)) from None
        except UnknownValue as exc:
            print(f"pkp: {unknown_value_text(exc)}", file=sys.stderr)
            raise typer.Exit(int(Exit.USAGE)) from None
        except typer.Exit:
            raise
        except KeyboardInterrupt:
            raise typer.Exit(130) from None
        except BrokenPipeError:
            raise typer.Exit(0) from None
        except Exception as exc:
            if os.environ.get("PKP_DEBUG") == "1":
                raise
            print(
                f"pkp: galat internal / internal error: {type(exc).__name__}: {exc} "
                "(PKP_DEBUG=1 menampilkan traceback / shows the traceback)",
                file=sys.stderr,
            )
            raise typer.Exit(int(Exit.BUG)) from None
        raise typer.Exit(int(code or 0))

    return wrapper


def unknown_value_text(exc: UnknownValue) -> str:
    """ "--province Balii: tidak dikenal (maksud Anda: Bali?)", in the running command's language."""
    from pkp_cli.cli.workspace import CURRENT_LANG
    from pkp_cli.text.labels import label

    lang = CURRENT_LANG[0]
    text = f"{exc.option} {exc.value}: {label(exc.reason, lang)}"
    if exc.suggestions:
        if exc.reason == "choose":
            text += f" ({label('choose_from', lang)} {', '.join(exc.suggestions)})"
        elif exc.reason == "not_in_data":
            text = f"{exc.option} {exc.value}: {exc.suggestions[0]} {label('not_in_data', lang)}"
        else:
            text += f" ({label('did_you_mean', lang)}: {', '.join(exc.suggestions)}?)"
    return text


def _version(value: bool) -> None:
    if value:
        from pkp_cli import __version__

        print(f"pkp {__version__}")
        raise typer.Exit(0)


@app.callback()
def root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help=t("Tampilkan versi.", "Show the version.")
    ),
    lang: str | None = typer.Option(
        None, "--lang", help=t("Bahasa keluaran: id atau en.", "Output language: id or en."), show_default=False
    ),
) -> None:
    """Pemantauan progres PISEW dan KOTAKU."""
    from pkp_cli.cli.workspace import GLOBAL_LANG

    if lang is not None and lang not in ("id", "en"):
        raise typer.BadParameter("id | en", param_hint="--lang")
    GLOBAL_LANG[0] = lang


def _register() -> None:
    from pkp_cli.cli import commands

    commands.register(app, guarded)


_register()


def main() -> None:
    from typer._click import exceptions as click  # typer 0.29 vendors click (pinned in pyproject.toml)

    command = typer.main.get_command(app)
    try:
        code = command.main(prog_name="pkp", standalone_mode=False)
    except click.UsageError as exc:
        from pkp_cli.cli.usage import error_lang, message

        print(f"pkp: {message(exc, error_lang())}", file=sys.stderr)
        code = int(Exit.USAGE)
    except typer.Abort:
        code = 130
    except SystemExit as exc:
        code = exc.code
    # Click's own exits (--help) return None or 0; keep every other code as the command set it.
    sys.exit(code if isinstance(code, int) else (0 if code is None else 2))
