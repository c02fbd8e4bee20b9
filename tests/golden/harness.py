"""One golden harness: a table of (golden file, command line) cases, rendered in-process at a fixed width
(CliRunner, NO_COLOR=1, COLUMNS=120, an empty config folder, the repo root as the working folder so the data
resolves as "./data"), a few as real subprocesses. `PKP_UPDATE_GOLDENS=1 python -m pytest tests/golden`
rewrites the files (the comparisons then skip, saying so); read the diff before committing.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.factories import GOLDEN, ROOT

UPDATE = os.environ.get("PKP_UPDATE_GOLDENS") == "1"
WIDTH = 120


@dataclass(frozen=True)
class Case:
    name: str  # file under tests/golden/
    args: tuple[str, ...]
    subprocess: bool = False  # run as a real process (the rest run in-process)
    exit_code: int = 0


def env(config_home: Path) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("PKP_") and k not in ("FORCE_COLOR", "TERM")}
    base.update(NO_COLOR="1", COLUMNS=str(WIDTH), XDG_CONFIG_HOME=str(config_home), PYTHONIOENCODING="utf-8")
    return base


def run_case(case: Case, config_home: Path) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of the case, from the repo root."""
    if case.subprocess:
        p = subprocess.run(
            [sys.executable, "-m", "pkp_cli", *case.args], cwd=ROOT, env=env(config_home), capture_output=True
        )
        return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")
    from typer.testing import CliRunner

    from pkp_cli.cli.app import app

    here = Path.cwd()
    os.chdir(ROOT)
    try:
        res = CliRunner().invoke(app, list(case.args), env={**env(config_home), "PKP_NO_CACHE": "1"})
    finally:
        os.chdir(here)
    return res.exit_code, res.stdout, res.stderr


def compare(case: Case, code: int, stdout: str, stderr: str) -> None:
    assert code == case.exit_code, f"{case.args}: exit {code}\n{stderr[-3000:]}"
    assert "Traceback" not in stderr
    path = GOLDEN / case.name
    if UPDATE:
        path.write_bytes(stdout.encode("utf-8"))
        pytest.skip(f"PKP_UPDATE_GOLDENS=1: wrote {path.relative_to(ROOT)}; review the diff")
    assert path.is_file(), f"{path} missing: run with PKP_UPDATE_GOLDENS=1"
    expected = path.read_bytes().decode("utf-8")
    assert stdout == expected, f"pkp {' '.join(case.args)} differs from {path.name}; if intended: PKP_UPDATE_GOLDENS=1"


def compare_text(name: str, text: str) -> None:
    """A written file's text against tests/golden/<name>, byte for byte (PKP_UPDATE_GOLDENS=1 rewrites it)."""
    path = GOLDEN / name
    if UPDATE:
        path.write_bytes(text.encode("utf-8"))
        pytest.skip(f"PKP_UPDATE_GOLDENS=1: wrote {path.relative_to(ROOT)}; review the diff")
    assert path.is_file(), f"{path} missing: run with PKP_UPDATE_GOLDENS=1"
    assert text == path.read_bytes().decode("utf-8"), f"{name} differs; if intended: PKP_UPDATE_GOLDENS=1"
