"""Benchmark of `pkp report`: all 22 provinces plus the national pack in the three default formats (xlsx, html,
md) from the bundled data, wall time of the whole command; writes its section of bench/results.md.

    python bench/packs.py                     # 5 runs each, updates bench/results.md
    python bench/packs.py --runs 1 --out r.md # one run each, into another file

Each run is a fresh `python -m pkp_cli report --quiet` process into an empty folder: once with the load cache
off (PKP_NO_CACHE=1: reads and validates every workbook) and once with it warm. The goal (issue 11): under 10 s
on the 2-core machine. Only the section between the packs markers is replaced; the rest of the file is
bench/bench.py's.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
START, END = "<!-- packs:start -->", "<!-- packs:end -->"
GOAL_S = 10.0


def run_once(env: dict[str, str]) -> tuple[float, float, int, int]:
    """(wall seconds, CPU seconds (user + system), exit code, files written) of one `pkp report` into a fresh
    folder. The CPU time says what the run costs when other work shares the machine and stretches the wall."""
    import resource

    out = Path(tempfile.mkdtemp(prefix="pkp-bench-packs-"))
    try:
        cmd = [sys.executable, "-m", "pkp_cli", "report", "--quiet", "--data", str(REPO / "data"), "--out", str(out)]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True)
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        if proc.returncode != 0:
            sys.stderr.write(proc.stderr.decode("utf-8", "replace"))
        return wall, cpu, proc.returncode, sum(1 for p in out.iterdir() if p.is_file())
    finally:
        shutil.rmtree(out, ignore_errors=True)


Row = tuple[str, list[float], list[float], int, int]  # label, wall times, CPU times, exit code, files


def measure(runs: int) -> list[Row]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("PKP_")}
    cache = tempfile.mkdtemp(prefix="pkp-bench-cache-")
    config = tempfile.mkdtemp(prefix="pkp-bench-config-")
    base.update(XDG_CACHE_HOME=cache, XDG_CONFIG_HOME=config)
    rows = []
    try:
        for label, extra in (("no cache (PKP_NO_CACHE=1)", {"PKP_NO_CACHE": "1"}), ("cache warm", {})):
            env = {**base, **extra}
            if not extra:
                run_once(env)  # warm the cache
            times, cpus, code, files = [], [], 0, 0
            for _ in range(runs):
                wall, cpu, code, files = run_once(env)
                times.append(wall)
                cpus.append(cpu)
            rows.append((label, times, cpus, code, files))
    finally:
        shutil.rmtree(cache, ignore_errors=True)
        shutil.rmtree(config, ignore_errors=True)
    return rows


def section(rows: list[Row], load_before: float) -> str:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    lines = [
        START,
        "## Meeting packs (`pkp report`)",
        "",
        f"Written by `python bench/packs.py` on {datetime.now():%Y-%m-%d %H:%M}; {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}; load average (1 min) {load_before:.2f} at the start and {load:.2f} "
        "at the end (above ~0.5 other work shared the CPUs and stretched the wall times; the CPU time of the "
        "command is the steadier figure). Whole command, best of the runs listed: 22 province packs and the "
        "national pack in xlsx, html and md, plus index.html and index.md, from the bundled data (data/).",
        "",
        "| figure | wall | wall runs | CPU (user + system) | exit | files | goal (wall < 10 s) |",
        "|---|---|---|---|---|---|---|",
    ]
    for label, times, cpus, code, files in rows:
        best = min(times)
        verdict = "**PASS**" if best < GOAL_S and code == 0 else "**MISS**"
        runs = ", ".join(f"{t:.2f}" for t in times)
        lines.append(
            f"| pkp report, {label} | {best:.2f} s | {runs} | {min(cpus):.2f} s | {code} | {files} | {verdict} |"
        )
    lines.append(END)
    return "\n".join(lines) + "\n"


def write(path: Path, text: str) -> None:
    old = path.read_text(encoding="utf-8") if path.is_file() else ""
    if START in old and END in old:
        head, rest = old.split(START, 1)
        tail = rest.split(END, 1)[1].lstrip("\n")
        new = head + text + ("\n" + tail if tail else "")
    else:
        new = old.rstrip("\n") + ("\n\n" if old else "") + text
    path.write_text(new, encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--out", type=Path, default=HERE / "results.md")
    args = ap.parse_args()
    load_before = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    rows = measure(args.runs)
    text = section(rows, load_before)
    write(args.out, text)
    sys.stdout.write(text)
    return 0 if all(row[3] == 0 for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
