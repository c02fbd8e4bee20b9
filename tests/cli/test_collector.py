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
    sys.stderr.write(f"ENABLED {gc.isenabled()}\\n")
    from pydantic.plugin import _loader
    sys.stderr.write(f"PLUGINS {_loader._plugins}\\n")
    sys.stderr.flush()
    real_exit(code)
os._exit = exit_
sys.argv = ["pkp", "status", "--province", "Bali", "--format", "json"]
from pkp_cli.ingest import discover
dates_in_names = discover.dates_in_names
def watched(*args, **kwargs):  # the sample's dated folder names import pandas here
    sys.stderr.write(f"PANDAS_BEFORE {'pandas' in sys.modules} COLLECTING {gc.isenabled()}\\n")
    got = dates_in_names(*args, **kwargs)
    sys.stderr.write(f"PANDAS_AFTER {'pandas' in sys.modules} COLLECTING {gc.isenabled()}\\n")
    return got
discover.dates_in_names = watched
from pkp_cli.ingest import cached
load_data = cached.load_data
def loading(*args, **kwargs):  # the load runs with the collector paused, then its objects are frozen too
    sys.stderr.write(f"LOADING {gc.isenabled()} FROZEN_BEFORE {gc.get_freeze_count()}\\n")
    return load_data(*args, **kwargs)
cached.load_data = loading
from pkp_cli.cli.app import run
run()
"""


def test_the_console_script_freezes_its_imports_before_the_data_is_read(tmp_path: Path) -> None:
    env = {**os.environ, "PKP_NO_CACHE": "1", "XDG_CACHE_HOME": str(tmp_path / "cache"), "NO_COLOR": "1"}
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    env.pop("PYDANTIC_DISABLE_PLUGINS", None)
    proc = subprocess.run([sys.executable, "-c", _RUN], capture_output=True, text=True, cwd=ROOT, env=env)
    assert proc.returncode == 0, proc.stderr
    assert '"Bali"' in proc.stdout or "Bali" in proc.stdout  # the command ran on the sample as usual
    frozen = [line for line in proc.stderr.splitlines() if line.startswith("FROZEN ")]
    # pandas, pyarrow, numpy and the loader alone are tens of thousands of objects
    assert frozen and int(frozen[0].split()[1]) > 10_000
    # pandas was imported with the collector paused, and the collector runs again for the data
    assert "PANDAS_BEFORE False COLLECTING False" in proc.stderr
    assert "PANDAS_AFTER True COLLECTING False" in proc.stderr
    assert "ENABLED True" in proc.stderr
    loading = [line.split() for line in proc.stderr.splitlines() if line.startswith("LOADING ")]
    assert loading and loading[0][1] == "False"  # the load ran with the collector paused
    assert int(frozen[0].split()[1]) > int(loading[0][3])  # and what it made was frozen after it
    # pydantic's plugins were not looked for (every installed package's metadata read: app.run says why)
    assert "PLUGINS None" in proc.stderr


def test_a_process_that_calls_main_itself_keeps_its_collector() -> None:
    script = (
        "import gc\n"
        "from pkp_cli.cli import collector\n"
        "collector.freeze_imports()\n"  # not the console script: nothing frozen
        "print(gc.get_freeze_count())\n"
        "print(gc.isenabled())\n"
        "collector.one_shot()\n"
        "print(gc.isenabled())\n"  # paused while the imports are made
        "collector.freeze_imports()\n"
        "n = gc.get_freeze_count()\n"
        "collector.freeze_imports()\n"  # once only
        "print(n > 0, gc.get_freeze_count() == n, gc.isenabled())\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["0", "True", "False", "True", "True", "True"]


def test_a_collector_switched_off_by_the_caller_stays_off() -> None:
    script = (
        "import gc\n"
        "from pkp_cli.cli import collector\n"
        "gc.disable()\n"
        "collector.one_shot()\n"
        "collector.freeze_imports()\n"
        "print(gc.isenabled())\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False"]
