"""`--help` stays light: no data library is imported to print help (issue 2 §7).

Each case runs the real app in a fresh interpreter with an import spy on `sys.meta_path` that records, for
the first import of each heavy package, the Python stack that asked for it; a failure names the importer.

`pkp --help` may import none of the heavy packages. A subcommand's `--help` may import none of them either,
with one exception outside pkp's control: typer 0.29 builds a pydantic TypeAdapter for every parameter of
the command it shows (typer/_coercion.py `build_runtime_param`; a bare Typer app does the same), so pydantic
is tolerated there when typer itself is the importer, and only then.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("pandas", "pydantic", "lokal", "openpyxl", "pyarrow", "fastexcel")
MARK = "@@PROBE@@"

PROBE = r"""
import json, sys, traceback

HEAVY = set(json.loads(sys.argv[1]))
seen = {}


class Spy:
    def find_spec(self, name, path=None, target=None):
        top = name.partition(".")[0]
        if top in HEAVY and top not in seen and top not in sys.modules:
            seen[top] = [(f.filename, f.lineno, f.name) for f in traceback.extract_stack()[:-1]]
        return None


sys.meta_path.insert(0, Spy())
sys.argv = ["pkp", *sys.argv[2:]]
code = 0
try:
    from pkp_cli.cli.app import main

    main()
except SystemExit as exc:
    code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
sys.stdout.flush()
print("\n@@PROBE@@" + json.dumps({"code": code, "heavy": seen}))
"""


def _probe(args: list[str]) -> tuple[int, str, dict[str, list[list]]]:
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(HEAVY), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert MARK in proc.stdout, f"probe printed no result (exit {proc.returncode}):\n{proc.stderr[-3000:]}"
    help_text, _, tail = proc.stdout.rpartition(MARK)
    result = json.loads(tail)
    return int(result["code"]), help_text, result["heavy"]


def _importer(frames: list[list], package: str) -> tuple[str, str]:
    """(who, where): who is 'typer', 'pkp_cli' or 'other'; where is the innermost frame outside the import
    machinery and the package itself, plus the innermost pkp_cli frame."""
    outside = [
        f
        for f in frames
        if "importlib" not in f[0] and not f[0].startswith("<") and f"/{package}/" not in f[0].replace("\\", "/")
    ]
    if not outside:
        return "other", "no caller frame"
    inner = outside[-1]
    path = inner[0].replace("\\", "/")
    pkp = [f for f in outside if "/pkp_cli/" in f[0].replace("\\", "/")]
    where = f"{inner[0]}:{inner[1]} in {inner[2]}"
    if pkp:
        where += f" (innermost pkp_cli frame: {pkp[-1][0]}:{pkp[-1][1]} in {pkp[-1][2]})"
    if "/pkp_cli/" in path:
        return "pkp_cli", where
    if "/typer/" in path or "/click/" in path:
        return "typer", where
    return "other", where


def _subcommands() -> list[str]:
    proc = subprocess.run([sys.executable, "-m", "pkp_cli", "--help"], capture_output=True, text=True, timeout=120)
    names, inside = [], False
    for line in proc.stdout.splitlines():
        if line.strip() == "Commands:":
            inside = True
            continue
        if inside:
            if not line.startswith("  ") or not line.strip():
                break
            names.append(line.split()[0])
    return names


SUBCOMMANDS = _subcommands()


def test_root_help_imports_no_heavy_library() -> None:
    code, text, heavy = _probe(["--help"])
    assert code == 0
    assert "Usage:" in text
    found = {pkg: _importer(frames, pkg) for pkg, frames in heavy.items()}
    assert not found, "pkp --help imported " + "; ".join(f"{p} from {w[1]}" for p, w in found.items())


def test_root_help_lists_commands() -> None:
    assert "validate" in SUBCOMMANDS


@pytest.mark.parametrize("command", SUBCOMMANDS)
def test_subcommand_help_imports_no_heavy_library(command: str) -> None:
    code, text, heavy = _probe([command, "--help"])
    assert code == 0, f"pkp {command} --help exited {code}"
    assert "Usage:" in text
    bad = []
    for pkg, frames in heavy.items():
        who, where = _importer(frames, pkg)
        if pkg == "pydantic" and who == "typer":
            continue  # typer's own parameter adapters (see the module docstring)
        bad.append(f"{pkg} from {where}")
    assert not bad, f"pkp {command} --help imported " + "; ".join(bad)


def test_command_annotations_are_objects_not_text():
    """`pkp --help` builds every command's parameters: annotations kept as text (a module with `from __future__
    import annotations`) are compiled and evaluated again there, for each of the ~100 parameters (pkp_cli/cli/
    commands.py says what that cost). Every function registered as a command has real annotation objects."""
    import inspect

    from pkp_cli.cli.app import app

    callbacks = [info.callback for info in app.registered_commands]
    callbacks += [c.callback for g in app.registered_groups for c in g.typer_instance.registered_commands]
    assert len(callbacks) >= 12
    for fn in callbacks:
        texts = {k: v for k, v in inspect.get_annotations(fn).items() if isinstance(v, str)}
        assert not texts, f"{fn.__module__}.{fn.__qualname__}: annotations as text {sorted(texts)}"
