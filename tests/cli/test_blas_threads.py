"""The console script keeps numpy's OpenBLAS to the calling thread (issue 13): pkp does no linear algebra, and each
OpenBLAS worker started at `import numpy` spins about 0.1 s of CPU on a core the reads want. A value the user set
is kept; a process that calls `main()` itself (a library user, the tests) is not changed."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.factories import ROOT

# Runs the console script's `run()` with a `main` that imports numpy and says what OpenBLAS was told and how many
# threads the process has then (OpenBLAS starts its workers at import).
_RUN = """
import os, sys
from pkp_cli.cli import app
def main():
    import numpy
    print("SETTING", os.environ.get("OPENBLAS_NUM_THREADS"))
    if os.path.isdir("/proc/self/task"):
        print("THREADS", len(os.listdir("/proc/self/task")))
    sys.exit(0)
app.main = main
app.run()
"""


def _run(extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    env.update(extra)
    proc = subprocess.run([sys.executable, "-c", _RUN], capture_output=True, text=True, cwd=ROOT, env=env)
    assert proc.returncode == 0, proc.stderr
    return dict(line.split(" ", 1) for line in proc.stdout.splitlines())


def _openblas_numpy() -> bool:
    proc = subprocess.run(
        [sys.executable, "-c", "import numpy; print(numpy.show_config(mode='dicts')['Build Dependencies']['blas'])"],
        capture_output=True,
        text=True,
    )
    return "openblas" in proc.stdout.lower()


def test_the_console_script_keeps_openblas_to_one_thread() -> None:
    got = _run({})
    assert got["SETTING"] == "1"
    if "THREADS" in got and _openblas_numpy():
        assert got["THREADS"] == "1"  # numpy imported, and no worker beside the main thread


def test_a_value_the_user_set_is_kept() -> None:
    assert _run({"OPENBLAS_NUM_THREADS": "2"})["SETTING"] == "2"


@pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="counts threads through /proc")
def test_without_the_setting_openblas_would_start_a_worker() -> None:
    """What the first test's thread count shows: the same import with OpenBLAS left to its default starts workers
    on a machine of two or more cores (else there is nothing to show)."""
    if (os.cpu_count() or 1) < 2 or not _openblas_numpy():
        pytest.skip("one core, or a numpy without OpenBLAS")
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    code = "import os, numpy; print(len(os.listdir('/proc/self/task')))"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert int(proc.stdout) > 1
