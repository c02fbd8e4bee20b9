"""Click's usage errors said by pkp, in one line and in the user's language.

Click words its errors in English over three lines ("Usage: ...", "Try ...", "Error: No such option"). pkp
says them in one line, "pkp: --format xml: nilai tidak sah (pilihan: table, json, csv, markdown, md)", naming
the option and the value, in the language chosen before the command ran (--lang, PKP_LANG, the config file).
"""

from __future__ import annotations

import sys
from typing import Any

WORDS = {
    "no_such_option": ("opsi tidak dikenal", "no such option"),
    "bad_value": ("nilai tidak sah", "invalid value"),
    "choose": ("pilihan", "choose from"),
    "missing": ("wajib diisi", "is required"),
    "needs_value": ("memerlukan nilai", "requires a value"),
    "extra": ("argumen tidak dikenal", "unexpected argument"),
    "no_command": ("perintah tidak dikenal", "no such command"),
    "did_you_mean": ("maksud Anda", "did you mean"),
    "help": ("lihat", "see"),
    "at_least": ("minimal", "at least"),
    "whole": ("harus bilangan bulat", "must be a whole number"),
    "number": ("harus angka", "must be a number"),
    "empty_path": ("jalur kosong", "empty path"),
}


def _w(key: str, lang: str) -> str:
    return WORDS[key][0 if lang == "id" else 1]


def error_lang() -> str:
    """The language of a usage error: --lang / PKP_LANG, else the config file's, else Indonesian."""
    from pkp_cli.cli.i18n import help_lang

    argv = sys.argv[1:]
    if "--lang" in argv or any(a.startswith("--lang=") for a in argv) or "PKP_LANG" in __import__("os").environ:
        return help_lang()
    try:
        from pkp_cli.settings import load_config

        return str(load_config().get("lang"))
    except Exception:  # a broken config is reported by the command itself, not here
        return "id"


def _given(opts: list[str]) -> str | None:
    """The value typed after one of `opts` on the command line ("--format xml" or "--format=xml")."""
    argv = sys.argv[1:]
    for i, a in enumerate(argv):
        for o in opts:
            if a == o and i + 1 < len(argv):
                return argv[i + 1]
            if a.startswith(o + "="):
                return a.split("=", 1)[1]
    return None


def _detail(text: str, lang: str) -> str:
    """The reason of a bad value, from the validator's English: the choices, a bound, a type."""
    import re

    text = text.removeprefix("Value error, ").strip()
    if text == "empty path":  # cli/options.py path_value
        return _w("empty_path", lang)
    if "is not one of" in text:
        return f"{_w('choose', lang)}: " + ", ".join(re.findall(r"'([^']*)'", text.split("is not one of", 1)[1]))
    bound = re.search(r"greater than or equal to (\S+)", text)
    if bound:
        return f"{_w('at_least', lang)} {bound.group(1)}"
    if "valid integer" in text:
        return _w("whole", lang)
    if "valid number" in text:
        return _w("number", lang)
    return text.rstrip(".")


def message(exc: Any, lang: str) -> str:
    """One line for a click.UsageError (or subclass); Click's own words if anything is unexpected."""
    try:
        return _message(exc, lang)
    except Exception:  # never let the wording of an error become a crash
        return str(exc.format_message())


def _message(exc: Any, lang: str) -> str:
    # typer 0.29 vendors click as typer._click (the version is pinned in pyproject.toml)
    from typer._click import exceptions as click

    cmd = exc.ctx.command_path if getattr(exc, "ctx", None) is not None else "pkp"
    hint = f" ({_w('help', lang)} {cmd} --help)"
    if isinstance(exc, click.NoSuchOption):
        near = f"; {_w('did_you_mean', lang)}: {', '.join(exc.possibilities)}?" if exc.possibilities else ""
        return f"{exc.option_name}: {_w('no_such_option', lang)}{near}{hint}"
    if isinstance(exc, click.MissingParameter) and exc.param is not None:
        name = exc.param.opts[0] if exc.param.opts else getattr(exc.param, "name", "")
        return f"{name}: {_w('missing', lang)}{hint}"
    if isinstance(exc, click.BadOptionUsage):
        return f"{exc.option_name}: {_w('needs_value', lang)}{hint}"
    if isinstance(exc, click.BadParameter) and exc.param is not None:
        opts = list(exc.param.opts)
        name = opts[0] if opts else getattr(exc.param, "name", "")
        value = _given(opts)
        shown = name if value is None else f"{name} {value}" if value.strip() else f'{name} "{value}"'
        return f"{shown}: {_w('bad_value', lang)} ({_detail(exc.message, lang)}){hint}"
    text = exc.format_message()
    if "No such command" in text:
        return f"{text.split(chr(39))[1] if chr(39) in text else text}: {_w('no_command', lang)}{hint}"
    if "unexpected extra argument" in text:
        return f"{_w('extra', lang)}: {text.split('(')[-1].rstrip(')')}{hint}"
    return text + hint
