"""The console script's process leaves its imports out of the garbage collector's later passes (gc.freeze, issue
13, Bali cold); a process that calls `main()` itself (the tests, CliRunner) keeps its ordinary collector."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.factories import ROOT

# Runs the console script's `run()` and, at its os._exit, says how many objects the collector left out.
_RUN = """
import gc, os, sys
real_exit = os._exit
def exit_(code):
    sys.stderr.write(f"FROZEN {gc.get_freeze_count()}\\n")
    sys.stderr.flush()
    real_exit(code)
os._exit = exit_
sys.argv = ["pkp", "status", "--province", "Bali", "--format", "json"]
from pkp_cli.cli.app import run
run()
"""


def test_the_console_script_freezes_its_imports_before_the_data_is_read(tmp_path: Path) -> None:
    env = {**os.environ, "PKP_NO_CACHE": "1", "XDG_CACHE_HOME": str(tmp_path / "cache"), "NO_COLOR": "1"}
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    proc = subprocess.run([sys.executable, "-c", _RUN], capture_output=True, text=True, cwd=ROOT, env=env)
    assert proc.returncode == 0, proc.stderr
    assert '"Bali"' in proc.stdout or "Bali" in proc.stdout  # the command ran on the sample as usual
    frozen = [line for line in proc.stderr.splitlines() if line.startswith("FROZEN ")]
    # pandas, pyarrow, numpy and the loader alone are tens of thousands of objects
    assert frozen and int(frozen[0].split()[1]) > 10_000


def test_a_process_that_calls_main_itself_keeps_its_collector() -> None:
    script = (
        "import gc\n"
        "from pkp_cli.cli import collector\n"
        "collector.freeze_imports()\n"  # not the console script: nothing frozen
        "print(gc.get_freeze_count())\n"
        "collector.one_shot()\n"
        "collector.freeze_imports()\n"
        "n = gc.get_freeze_count()\n"
        "collector.freeze_imports()\n"  # once only
        "print(n > 0, gc.get_freeze_count() == n)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["0", "True", "True"]
