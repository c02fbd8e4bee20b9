"""Option values coerced without pydantic (cli/coercion.py): for every parameter of every pkp command, the plain
coercion gives what typer's own gives (the same value, or the same error and message)."""

from __future__ import annotations

import subprocess
import sys
from enum import Enum
from pathlib import Path
from typing import Any

import pytest
import typer
from typer._click.exceptions import BadParameter
from typer._coercion import build_runtime_param

from pkp_cli.cli import app as app_module
from pkp_cli.cli.coercion import PlainParam, install

ROOT = Path(__file__).resolve().parents[2]


def _params() -> list[tuple[Any, Any]]:
    """(command, parameter) of every command and the root, help options included."""
    found = []
    for info in app_module.app.registered_commands:
        command = typer.main.get_command(app_module._app_for([str(info.name)]))
        install(command)
        for cmd in [command, *getattr(command, "commands", {}).values()]:
            ctx = cmd.make_context("pkp", [], resilient_parsing=True)
            help_option = cmd.get_help_option(ctx)
            for param in [*cmd.params, *([help_option] if help_option is not None else [])]:
                if hasattr(param, "type_descriptor"):
                    found.append((cmd, param))
    return found


PARAMS = _params()


def _values(param: Any) -> list[Any]:
    annotation = param.type_descriptor.annotation
    values: list[Any] = [None, "x", "", " ", "Bali", "51.01.04", "2022-05-27", "-", "/tmp/x", "a\nb", True, 3]
    values += [("Bali",), ("Bali", "NTB"), (), ["x"], ("x", 1), ("data/a.csv", "", "-"), ("x", None)]
    # ints and texts of them, at and around the bounds pkp's int options have (--max-errors >= 0, --top >= 1)
    values += [0, 1, -1, 10_000, 2**63, False, 2.0, "0", "1", "-1", "-0", "007", "10000", " 5", "5 ", "+5", "1_000"]
    values += ["\u0663", "1e3", "0x10", "9" * 18, "9" * 19, "9" * 5000, "--1", "-"]
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        values += list(annotation) + [m.value for m in annotation] + ["nope", "JSON"]
    return values


def _outcome(runtime: Any, value: Any, param: Any, ctx: Any) -> tuple[str, Any]:
    try:
        got = runtime.coerce(value, param=param, ctx=ctx)
    except BadParameter as exc:
        return "error", exc.format_message()
    except Exception as exc:  # whatever typer raises, the plain coercion must raise the same
        return "raised", (type(exc).__name__, str(exc))
    return "value", (type(got).__name__, got)


def test_every_pkp_parameter_is_covered() -> None:
    assert len(PARAMS) > 50
    assert all(isinstance(p._runtime_param, PlainParam) for _, p in PARAMS)


@pytest.mark.parametrize(("cmd", "param"), PARAMS, ids=[f"{c.name}-{p.name}" for c, p in PARAMS])
def test_plain_coercion_gives_typers_answer(cmd: Any, param: Any) -> None:
    ctx = cmd.make_context("pkp", [], resilient_parsing=True)
    plain = param._runtime_param
    own = build_runtime_param(param.type_descriptor)
    for value in _values(param):
        assert _outcome(plain, value, param, ctx) == _outcome(own, value, param, ctx), value


@pytest.mark.parametrize(
    "argv",
    [
        ["status", "--province", "Bali", "--format", "json"],
        # a list argument with a parser (the paths) and an int option's default (--max-errors)
        ["validate", "data/progres", "data/lokasi", "--format", "json"],
        ["validate", "data", "--max-errors", "5", "--format", "json"],
    ],
)
def test_a_run_imports_no_pydantic(tmp_path: Path, argv: list[str]) -> None:
    """The point of it: typer's pydantic adapters are neither imported nor built for `pkp status --province Bali`
    or `pkp validate` of files (nor is pydantic for the schedule: model/schedule.py)."""
    code = (
        "import sys\n"
        "from pkp_cli.cli.app import main\n"
        f"sys.argv = ['pkp', *{argv!r}]\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'pydantic'), file=sys.stderr)\n"
    )
    env = {"PATH": "/usr/bin:/bin", "XDG_CACHE_HOME": str(tmp_path / "cache"), "XDG_CONFIG_HOME": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env, check=False)
    assert out.stderr.strip().splitlines()[-1] == "[]", out.stderr
