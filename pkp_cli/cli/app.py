"""The `pkp` command: a Typer app whose commands live in small modules, imported only when run."""

from __future__ import annotations

import contextlib
import errno
import io
import os
import sys
from collections.abc import Callable
from typing import Any

import typer

from pkp_cli.cli.i18n import t
from pkp_cli.errors import Exit, PkpError, Terminated, UnknownValue, help_table, most_severe

# "\b" keeps click from re-wrapping the exit-code table.
EPILOG = t("Kode keluar:", "Exit codes:") + "\n\n\b\n" + help_table(t("id", "en"))


def _typer_app() -> typer.Typer:
    return typer.Typer(
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


app = _typer_app()


# A write to stdout or to an output file failed for lack of room: "cannot write output" (73), not a bug.
_NO_ROOM = {getattr(errno, name) for name in ("ENOSPC", "EDQUOT", "EFBIG") if hasattr(errno, name)}


def _say(line: str) -> None:
    """One line on stderr, escaped (text/visible.py, `say_line`)."""
    from pkp_cli.text.visible import say_line

    say_line(line)


def _silence_stdout() -> None:
    """The reader of stdout has gone (a closed pipe): send what is left to /dev/null, so the interpreter's last
    flush has nowhere to fail and prints no 'Exception ignored' lines."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def _stopped(exc: BaseException) -> int:
    """Ctrl-C or SIGTERM: one line, and the code a shell reports for that signal (temporary files are gone)."""
    if isinstance(exc, Terminated):
        _say("pkp: dihentikan (SIGTERM) / terminated")
        return int(Exit.TERMINATED)
    _say("pkp: dihentikan (Ctrl-C) / interrupted")
    return int(Exit.INTERRUPTED)


def _cannot_write(exc: OSError) -> int:
    where = f"{exc.filename}: " if exc.filename else ""
    _say(f"pkp: tidak dapat menulis keluaran / cannot write output: {where}{exc.strerror or exc}")
    return int(Exit.CANT_WRITE)


def _bug(exc: Exception) -> Any:
    if os.environ.get("PKP_DEBUG") == "1":
        raise exc
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    _say(
        f"pkp: galat internal / internal error: {type(exc).__name__}: {first} "
        "(PKP_DEBUG=1 menampilkan traceback / shows the traceback)"
    )
    raise typer.Exit(int(Exit.BUG)) from None


def _output_ready(options: dict[str, Any]) -> list[Callable[[], object]]:
    """Tasks that ready what a command needs after its load, whatever the data, done while the load waits
    (ingest/idle.py): Babel's locale data for the dates every report's header writes (about 0.015-0.04 s the
    first time), the status engine's module (the workspace finds the newest report's date with it), and for a
    table the terminal renderer's modules (rich's too on a terminal: about 0.03 s)."""
    import functools
    import importlib
    from datetime import date

    lang = getattr(options.get("lang"), "value", options.get("lang"))

    def dates() -> None:
        from pkp_cli.text.formats import fmt_date

        fmt_date(date(2000, 1, 1), "en" if lang == "en" else "id")

    modules = ["pkp_cli.engines.status"]
    if getattr(options.get("fmt"), "value", None) == "table":
        modules.append("pkp_cli.render.terminal")
        if sys.stdout.isatty():  # piped, the table is laid out without rich (render/terminal.py)
            modules += ["rich.console", "rich.table"]
    return [dates, *(functools.partial(importlib.import_module, name) for name in modules)]


def guarded(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Run a command body: expected failures exit with their code and one line; anything else is a bug (1).

    stdout is flushed here, inside the guard, so a full disk or a closed pipe is reported like any other
    failure (73 / quietly) instead of surfacing in the interpreter's shutdown."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from pkp_cli.ingest.background import deferring
        from pkp_cli.ingest.cache_notes import summarised
        from pkp_cli.ingest.helper import allowed
        from pkp_cli.ingest.idle import preparing

        try:
            # cache writes run beside the command; it waits for them once its output is out. Damaged cache
            # entries: a few named, the rest counted and said once at the end. What the output will need is
            # prepared while the load waits for its last read. Many small files are read on both cores.
            with summarised(), deferring(), preparing(*_output_ready(kwargs)), allowed():
                code = fn(*args, **kwargs)
                sys.stdout.flush()
        except PkpError as exc:
            _say(f"pkp: {exc.message}")
            raise typer.Exit(int(exc.code)) from None
        except UnknownValue as exc:
            _say(f"pkp: {unknown_value_text(exc)}")
            raise typer.Exit(int(Exit.USAGE)) from None
        except typer.Exit:
            raise
        except (KeyboardInterrupt, Terminated) as exc:
            raise typer.Exit(_stopped(exc)) from None
        except BrokenPipeError:
            _silence_stdout()
            raise typer.Exit(0) from None
        except OSError as exc:
            if exc.errno not in _NO_ROOM or os.environ.get("PKP_DEBUG") == "1":
                return _bug(exc)
            raise typer.Exit(_cannot_write(exc)) from None
        except Exception as exc:
            return _bug(exc)
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
        elif exc.reason == "outside_filter":
            text = f"{exc.option} {exc.value}: {label('outside_filter', lang).format(where=exc.suggestions[0])}"
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

    app.callback()(root)
    commands.register(app, guarded)


_register()


def _app_for(args: list[str]) -> typer.Typer:
    """The app to run for these arguments: when the first names a command, an app holding that command alone
    (the root options and the command registered by its own module, as on `app`), else `app`. Typer turns every
    command's parameters into Click's when the app is built: about 10 ms for all of them, 2 ms for one."""
    for info in app.registered_commands if args else []:
        if info.name == args[0] and info.callback is not None:
            one = _typer_app()
            one.callback()(root)
            sys.modules[info.callback.__module__].register(one, guarded)
            return one
    return app


def _on_sigterm(signum: int, frame: Any) -> None:
    raise Terminated(signum)


def _quiet_unraisable(unraisable: Any) -> None:
    """Errors in finalizers after a failure (a half-written file closed by the garbage collector, say) are noise
    once pkp has said what went wrong in its one line; PKP_DEBUG=1 shows them."""


def main() -> None:
    import signal

    from typer._click import exceptions as click  # typer 0.29 vendors click (pinned in pyproject.toml)

    signal.signal(signal.SIGTERM, _on_sigterm)
    # A stream whose encoding cannot hold every character (PYTHONIOENCODING=ascii, an old cron locale) shows
    # the others as \u escapes instead of ending the run in a UnicodeEncodeError.
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
    if os.environ.get("PKP_DEBUG") != "1":
        sys.unraisablehook = _quiet_unraisable
    command = typer.main.get_command(_app_for(sys.argv[1:]))
    from pkp_cli.cli.coercion import install

    install(command)  # option values coerced without pydantic where typer's answer is plain (cli/coercion.py)
    try:
        code = command.main(prog_name="pkp", standalone_mode=False)
    except click.UsageError as exc:
        from pkp_cli.cli.usage import error_lang, message

        _say(f"pkp: {message(exc, error_lang())}")
        code = int(Exit.USAGE)
    except typer.Abort:  # Ctrl-C outside a command (Click turns it into Abort)
        code = _stopped(KeyboardInterrupt())
    except (KeyboardInterrupt, Terminated) as exc:
        code = _stopped(exc)
    except SystemExit as exc:
        code = exc.code
    except BrokenPipeError:  # help or usage text to a closed pipe
        _silence_stdout()
        code = 0
    except OSError as exc:  # help or usage text to a full device
        if exc.errno not in _NO_ROOM or os.environ.get("PKP_DEBUG") == "1":
            raise
        code = _cannot_write(exc)
    # Click's own exits (--help) return None or 0; keep every other code as the command set it.
    code = code if isinstance(code, int) else (0 if code is None else 2)
    try:
        sys.stdout.flush()  # what help or a command left in the buffer: fail here, with a code, not at shutdown
    except BrokenPipeError:
        _silence_stdout()
    except OSError as exc:
        code = most_severe(code, _cannot_write(exc))
    sys.exit(code)


def run() -> None:
    """The console script (and `python -m pkp_cli`): `main()`, then leave without the interpreter's teardown.

    Tearing down the modules and objects of pandas, pyarrow and the loaded frames costs a tenth of a second
    or more of CPU after the output is written, on every run. Everything pkp writes is closed by then (files by
    their `with` blocks, stdout flushed by `main()`), so the process ends with `os._exit` once stdout and stderr
    are flushed. Anything unusual takes the ordinary way out: an exception that is not an exit (PKP_DEBUG=1),
    a failing flush, a thread still running, or a non-integer exit code."""
    import threading

    from pkp_cli.cli.collector import one_shot

    one_shot()
    # pkp uses no pydantic plugins (hooks other packages register in their metadata): looking for them when pkp's
    # models are built reads every installed package's entry points, about 6 ms of a cold run with 75 packages
    # installed. A value the user set is kept.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "1")
    # pkp does no linear algebra, but numpy's OpenBLAS starts a worker thread per core at `import numpy`, and each
    # spins about 0.1 s of CPU before it sleeps: on two cores a tenth of a second taken from the reads that start
    # right after (a cold CSV validate and `pkp status --province Bali` alike, bench/analysis.md round nineteen).
    # Read by OpenBLAS when numpy is imported, which is after this; a value the user set is kept.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    try:
        main()
    except SystemExit as exc:
        code = exc.code
        if not isinstance(code, int) or threading.active_count() > 1:
            raise
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (OSError, ValueError):
            raise exc from None
        os._exit(code)
