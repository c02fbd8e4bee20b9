"""Benchmark of the biggest table pkp writes: `pkp status --detail` of the national data (one row per location and
stage, 1.66 M rows of 24 columns) as CSV and as JSON into a folder.

    python bench/export.py            # 83,000 locations x 20 stages; replaces its section of bench/results.md
    python bench/export.py --smoke    # 2,000 locations; prints the figures only (tests/cli/test_bench_smoke.py)

Each format is run in fresh processes with the load cache warm (what an analyst exporting the week's table meets
after a `pkp status`), best wall and largest peak of a few runs. The yardstick is pandas writing the same table:
the CSV pkp wrote is read back (untimed) and written again by `DataFrame.to_csv`, and as records by
`DataFrame.to_json(orient="records", indent=2)`, each write alone timed in-process. pkp's figure is the whole
command (start, warm load, status engine, view, write); the yardstick is only a write, without neutralising text
a spreadsheet would run as a formula.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import weekly  # noqa: E402  (bench/weekly.py: the national data folder, whole-process measurement)

import bench  # noqa: E402  (bench/bench.py: the data generator and helpers, not a package)

SECTION = "## pkp status --detail: the national table written as CSV and JSON"
START, END = "<!-- export:start -->", "<!-- export:end -->"
RESULT_TAG = "EXPORT_RESULT "
# Measured once by hand before the formatting per distinct value (commit 4f47e51, this machine, 2026-12-04): the
# national CSV export took 175.7 s and 3.98 GB; not run again here (three minutes a run).
BEFORE = {"csv": (175.7, 3977)}


def child_pandas(a: dict[str, Any]) -> dict[str, Any]:
    """pandas writing the table pkp wrote: to_csv and to_json(records, indent 2), each timed alone."""
    import pandas as pd
    import pyarrow.csv as pacsv

    frame = pacsv.read_csv(a["csv"]).to_pandas()
    out = Path(a["out"])
    t0 = time.perf_counter()
    frame.to_csv(out / "pandas.csv", index=False)
    t1 = time.perf_counter()
    frame.to_json(out / "pandas.json", orient="records", indent=2, date_format="iso")
    t2 = time.perf_counter()
    return {"rows": len(frame), "columns": len(frame.columns), "to_csv": t1 - t0, "to_json": t2 - t1,
            "pandas": pd.__version__}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--smoke", action="store_true", help="small sizes, printed only")
    ap.add_argument("--child", nargs=2, metavar=("NAME", "ARGS_JSON"), help=argparse.SUPPRESS)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--cache", help="folder for generated data (default bench/.cache)")
    args = ap.parse_args(argv)
    if args.child:
        result = {"pandas": child_pandas}[args.child[0]](json.loads(args.child[1]))
        print(RESULT_TAG + json.dumps(result), flush=True)
        return 0
    sizes, reps = (bench.SMOKE, 1) if args.smoke else (bench.FULL, args.reps)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    cache = Path(args.cache) if args.cache else bench.HERE / ".cache"
    cache.mkdir(parents=True, exist_ok=True)
    data, schedule = weekly.data_folder(cache, sizes)
    xdg = cache / "export-xdg"
    env = {**os.environ, "XDG_CONFIG_HOME": str(xdg / "config"), "XDG_CACHE_HOME": str(xdg / "cache"),
           "NO_COLOR": "1"}  # fmt: skip
    env.pop("PKP_NO_CACHE", None)
    pkp = bench.pkp_command()
    status = [*pkp, "status", "--data", str(data), "--schedule", str(schedule)]
    subprocess.run(status, env=env, capture_output=True, timeout=3600)  # the load cache warm
    figures: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in ("csv", "json"):
            out = Path(tmp) / fmt
            bench.log(f"pkp status --detail --format {fmt}")
            figures[fmt] = weekly.measure([*status, "--detail", "--format", fmt, "--out", str(out)], env, reps)
            written = next(out.glob(f"status*.{fmt}"))
            figures[fmt]["mb"] = written.stat().st_size / 1e6
        with (Path(tmp) / "csv" / "status-rincian.csv").open(encoding="utf-8") as fh:
            rows = sum(1 for _ in fh) - 1  # one line a row: no cell of the generated data holds a line break
        bench.log("pandas writing the same table")
        peer = weekly.run_child(
            "pandas", {"csv": str(Path(tmp) / "csv" / "status-rincian.csv"), "out": tmp}, __file__, RESULT_TAG
        )
    text = render(sizes["locations"], rows, figures, peer, load, args.smoke)
    if not args.smoke:
        weekly.write_section(text, START, END, SECTION)
    print(text)
    return 0


def render(locations: int, rows: int, figures: dict[str, Any], peer: dict[str, Any], load: str, smoke: bool) -> str:
    lines = [
        SECTION,
        "",
        f"Written by `python bench/export.py` on {date.today().isoformat()} ({bench._cpu_model()}, "
        f"{os.cpu_count()} cores, {bench._mem_total_gb()}; load average {load} when it started).",
        "",
        f"`pkp status --detail --out DIR` on the national data ({locations:,} locations x {bench.STAGES} stages): "
        f"{rows:,} rows of {peer['columns']} columns, load cache warm; best wall and largest peak of "
        f"{len(figures['csv']['runs'])} runs each. The yardstick: pandas {peer['pandas']} writing the same table, "
        "the write alone (no start, load, engine or view; nothing neutralised).",
        "",
        "| format | pkp wall s (runs) | CPU s | peak MB | file MB | pandas, the write alone | before (4f47e51) |",
        "|---|---|---|---|---|---|---|",
    ]
    for fmt, peer_key in (("csv", "to_csv"), ("json", "to_json")):
        f = figures[fmt]
        before = BEFORE.get(fmt)
        was = f"{before[0]:.1f} s, {before[1]:,} MB" if before and not smoke else "not measured"
        lines.append(
            f"| {fmt.upper()} | {f['seconds']:.2f} ({', '.join(f'{x:.2f}' for x in f['runs'])}) | {f['cpu']:.2f} | "
            f"{f['peak_mb']:,.0f} | {f['mb']:,.0f} | {peer[peer_key]:.2f} s | {was} |"
        )
    lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
