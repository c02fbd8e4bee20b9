"""The benchmark script runs end to end at tiny sizes (CI runs only this smoke mode; see bench/bench.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import ROOT

BENCH = ROOT / "bench" / "bench.py"

FIGURE_LINES = (
    "| pyarrow.csv.read_csv of the CSV |",
    "| fastexcel read_excel().load_sheet(0).to_pandas() of the XLSX |",
    '| python -c "import pandas" (wall) |',
    "| pkp load_data: progress CSV + lokasi workbook |",
    "| pkp load_data: progress XLSX + lokasi workbook |",
    "| pkp --help (wall) |",
    "| bare two-command Typer app --help (wall) |",
)
GOAL_LINES = (
    "| load + validate CSV within 2.5x the pyarrow read |",
    "| load + validate XLSX within 1.5x the fastexcel read |",
    "| peak memory of the CSV load under 2 GB |",
    "| pkp --help within 1.3x a bare Typer app |",
)


@pytest.mark.slow
def test_bench_smoke_runs_and_writes_figures(tmp_path: Path) -> None:
    out = tmp_path / "results.md"
    proc = subprocess.run(
        [sys.executable, str(BENCH), "--smoke", "--out", str(out), "--cache", str(tmp_path / "cache")],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, f"bench --smoke exited {proc.returncode}:\n{proc.stderr[-4000:]}"
    text = out.read_text(encoding="utf-8")
    for line in (*FIGURE_LINES, *GOAL_LINES):
        assert line in text, f"missing from the results: {line}"
    # The loaded accounting adds up on both loads (each file's line ends in PASS, none in FAIL).
    accounting = text.split("## Load accounting", 1)[1].split("##", 1)[0]
    rows = [ln for ln in accounting.splitlines() if ln.startswith(("| CSV |", "| XLSX |"))]
    assert len(rows) == 4, accounting
    assert all(ln.endswith("| **PASS** |") for ln in rows), accounting
    # Every goal has a verdict.
    goals = text.split("## Goals", 1)[1].split("##", 1)[0]
    verdicts = [ln for ln in goals.splitlines() if ln.startswith("| ") and not ln.startswith(("| goal", "|---"))]
    assert verdicts and all(ln.endswith(("**PASS** |", "**MISS** |", "**SKIPPED** |")) for ln in verdicts)
