"""Every example in every command's --help (both languages) runs as written, from a folder made by `pkp sample`
(the way a new user would try them), and exits 0 without a traceback."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pkp_cli.cli.app import app

PKP = Path(sys.executable).parent / "pkp"


def examples() -> list[str]:
    found: list[str] = []
    for lang in ("id", "en"):
        for cmd in app.registered_commands:
            res = CliRunner().invoke(app, [cmd.name or "", "--help"], env={"PKP_LANG": lang, "COLUMNS": "200"})
            text = res.stdout.split("Contoh:" if "Contoh:" in res.stdout else "Example:", 1)
            if len(text) < 2:
                continue
            for line in text[1].splitlines():
                line = line.strip()
                if not line.startswith("pkp "):
                    if line and not line.startswith("pkp"):
                        break  # the examples end where the options begin
                    continue
                if line not in found:
                    found.append(line)
    return found


def test_every_command_has_examples() -> None:
    commands = {re.match(r"pkp (\S+)", e).group(1) for e in examples()}  # type: ignore[union-attr]
    assert {c.name for c in app.registered_commands} <= commands


@pytest.fixture(scope="module")
def sample_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    here = tmp_path_factory.mktemp("try")
    subprocess.run([str(PKP), "sample", "."], cwd=here, check=True, capture_output=True)
    return here


@pytest.mark.slow
@pytest.mark.parametrize("example", examples())
def test_help_example_runs_as_written(example: str, sample_folder: Path, tmp_path: Path) -> None:
    # one folder for all examples (each writes its own outputs), so the load cache serves them after the first
    work = sample_folder
    env = {
        **os.environ,
        "NO_COLOR": "1",
        "PATH": f"{PKP.parent}:{os.environ['PATH']}",
        "XDG_CONFIG_HOME": str(tmp_path),
    }
    env.pop("PKP_LANG", None)
    res = subprocess.run(["bash", "-c", example], cwd=work, env=env, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, f"{example}\n{res.stderr[-2000:]}"
    assert "Traceback" not in res.stderr
