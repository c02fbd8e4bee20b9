"""The benchmark script runs end to end at tiny sizes (CI runs only this smoke mode; see bench/bench.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import ROOT

BENCH = ROOT / "bench" / "bench.py"

FIGURE_LINES = (
    "| floor: bare reads of the CSV and the lokasi workbook |",
    "| floor: bare reads of the XLSX and the lokasi workbook |",
    "| pkp validate CSV + lokasi, cache off |",
    "| pkp validate XLSX + lokasi, empty cache (writes it) |",
    "| pkp status national (all villages), cold |",
    "| pkp status national (all villages), warm |",
    "| peer: a plain pandas program's national status (no checks, no cache) |",
    '| python -c "import pandas" |',
    "| pkp status --province Bali (sample), cache warm |",
    "| pkp --help |",
    "| bare two-command Typer app --help |",
    "| compute_status: all-villages table (engine only) |",
)
GOAL_LINES = (
    "| pkp validate CSV (cache off) within 2.0x the bare reads |",
    "| pkp validate XLSX (cache off) within 1.3x the bare reads |",
    "| pkp status national, cold (empty cache / cache warm), under 4.0 s |",
    "| pkp status national, peak memory under 1 GB |",
    "| pkp status --province Bali, cache warm, at most +0.25 s over import pandas |",
    "| pkp --help within 1.3x a bare Typer app |",
)
YEAR_LINES = ("| cold: 2 weeks, empty cache |", "| warm: the same again |", "| after adding the last week's folder |")


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
    for line in (*FIGURE_LINES, *GOAL_LINES, *YEAR_LINES):
        assert line in text, f"missing from the results: {line}"
    # Adding the last week read only its 22 workbooks (the rest came from the per-file cache).
    added = next(ln for ln in text.splitlines() if ln.startswith(YEAR_LINES[2]))
    assert "| 22 |" in added and "MORE THAN" not in added, added
    # The loaded accounting adds up on both loads (each file's line ends in PASS, none in FAIL).
    accounting = text.split("## Load accounting", 1)[1].split("##", 1)[0]
    rows = [ln for ln in accounting.splitlines() if ln.startswith(("| CSV |", "| XLSX |", "| year,"))]
    assert len(rows) == 5, accounting
    assert all(ln.endswith("| **PASS** |") for ln in rows), accounting
    # The national peer (bench/peer_status.py) gave pkp's answer, rows per province and status, so it was timed.
    peer = next(ln for ln in text.splitlines() if ln.startswith(FIGURE_LINES[6]))
    assert "the same answer per province (checked); pkp's cold run " in peer, peer
    # Every goal has a verdict.
    goals, as_ratios = text.split("## Goals", 1)[1].split("##", 1)[0].split("The absolute goals as ratios", 1)
    verdicts = [ln for ln in goals.splitlines() if ln.startswith("| ") and not ln.startswith(("| goal", "|---"))]
    assert verdicts and all(ln.endswith(("**PASS** |", "**MISS** |", "**SKIPPED** |")) for ln in verdicts)
    # The national and Bali goals also as ratios to their yardsticks in this run, beside the issue's own ratio
    # (4.0 s over its 0.83 s floor: 4.819x; (0.35 + 0.6) s over its 0.35 s import of pandas: 2.714x), not judged.
    reported = [ln for ln in as_ratios.splitlines() if ln.startswith("| pkp status")]
    assert len(reported) == 4 and all(ln.endswith(("| within |", "| beyond |")) for ln in reported), as_ratios
    assert "4.819x (4.0 s over 0.83 s)" in reported[0] and "2.714x (0.35 + 0.6 s over 0.35 s)" in reported[2]
    # Each peak is the measured process's own: the bench makes its data in children, so that what it holds does not
    # become every process's peak (Linux keeps a process's peak across exec). A bare Typer app's --help needs about
    # 20-30 MB; made in the bench's own process, the data set it (and every other) at the bench's peak.
    bare = next(ln for ln in text.splitlines() if ln.startswith("| bare two-command Typer app --help |"))
    peak_mb = float(bare.split("|")[5].strip().removesuffix(" MB"))
    assert peak_mb < 60, bare
    own = next(ln for ln in text.splitlines() if ln.startswith("- The benchmark's own peak memory: "))
    assert float(own.split(": ", 1)[1].split(" MB", 1)[0]) < 60, own


@pytest.mark.slow
def test_export_bench_smoke(tmp_path: Path) -> None:
    """bench/export.py (the national `status --detail` written as CSV and JSON) runs end to end at tiny sizes."""
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "export.py"), "--smoke", "--cache", str(tmp_path / "cache")],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, f"export --smoke exited {proc.returncode}:\n{proc.stderr[-4000:]}"
    lines = proc.stdout.splitlines()
    assert any(ln.startswith("| CSV | ") for ln in lines) and any(ln.startswith("| JSON | ") for ln in lines)
    assert "rows of 24 columns" in proc.stdout, proc.stdout
