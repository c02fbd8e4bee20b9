"""The console script ends with os._exit once its output is flushed (pkp_cli.cli.app.run): nothing written may
be lost, and the exit code stays the command's. Checked on a real process with an output larger than a pipe's
buffer, against the same command run in-process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.factories import ROOT
from tests.golden.harness import env


def _process(args: list[str], config_home: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "pkp_cli", *args],
        cwd=ROOT,
        env={**env(config_home), "PKP_NO_CACHE": "1"},
        capture_output=True,
        timeout=300,
    )


def test_a_large_piped_output_arrives_whole(tmp_path: Path) -> None:
    import os

    from typer.testing import CliRunner

    from pkp_cli.cli.app import app

    args = ["status", "--detail", "--format", "csv"]
    proc = _process(args, tmp_path)
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    here = Path.cwd()
    os.chdir(ROOT)
    try:
        res = CliRunner().invoke(app, args, env={**env(tmp_path), "PKP_NO_CACHE": "1"})
    finally:
        os.chdir(here)
    assert res.exit_code == 0
    assert len(proc.stdout) > 1 << 16  # more than a pipe holds at once
    assert proc.stdout.decode("utf-8") == res.stdout


def test_the_exit_code_and_the_message_survive(tmp_path: Path) -> None:
    proc = _process(["status", "--province", "Atlantis"], tmp_path)
    assert proc.returncode == 2
    assert "pkp: --province Atlantis: tidak dikenal" in proc.stderr.decode("utf-8")
