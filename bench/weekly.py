"""Benchmark of `pkp weekly` and `pkp history` with a year of national-scale snapshots in the history.

    python bench/weekly.py            # 83,000 locations x 20 stages, 52 stored weeks; appends to bench/results.md
    python bench/weekly.py --smoke    # 2,000 locations, 5 stored weeks; prints the figures only

What it does:
1. Reuses bench/bench.py's generator (the all-villages CSV and its lokasi workbook, cached in bench/.cache/) and
   puts those two files, and only those, in a data folder.
2. Runs the weekly job once in-process on that data to get a real week's state, then writes it as the
   snapshots of the 52 ISO weeks before the data's own week (each week's roll-ups shifted a little, so the
   trends have something to show), with the store's own writer. Cached, like the data.
3. Times, each in a fresh process, best of a few runs: `pkp weekly` on that data with the 52 weeks present
   (load cache warm, and cold with PKP_NO_CACHE=1), with its peak memory; `pkp history` on the folder; and a
   breakdown of one weekly run by phase (in-process), to show where the time goes.
4. Appends (or replaces) the "pkp weekly" section of bench/results.md; --smoke only prints.

Goals (issue 12): `pkp weekly` under 10 s wall and under 2 GB peak with 52 national-scale weeks present (only the
weeks compared and the roll-ups needed for trends are read); `pkp history` under 1 s.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench  # noqa: E402  (bench/bench.py: the data generator and helpers, not a package)

RESULTS = HERE / "results.md"
SECTION = "## pkp weekly and pkp history"
START, END = "<!-- weekly:start -->", "<!-- weekly:end -->"
WEEKS = 52
GOAL_WEEKLY_S = 10.0
GOAL_WEEKLY_MB = 2048
GOAL_HISTORY_S = 1.0
RESULT_TAG = "WEEKLY_RESULT "


def data_folder(cache: Path, sizes: dict[str, int]) -> tuple[Path, Path]:
    """The generated CSV and lokasi workbook in a folder of their own (the generator's XLSX copy would be read
    as a duplicate source); returns (data folder, schedule)."""
    schedule, stages, _ = bench.write_bench_schedule(cache)
    info = bench.generate(cache, sizes["locations"], sizes["xlsx_rows"], stages, bench.SEED)
    folder = cache / f"weekly-data-{Path(info['folder']).name}"
    folder.mkdir(exist_ok=True)
    for key in ("csv", "lokasi"):
        link = folder / Path(info[key]).name
        if not link.exists():
            link.symlink_to(Path(info[key]).resolve())
    return folder, schedule


def child_seed(a: dict[str, Any]) -> dict[str, Any]:
    """Write the stored weeks: one real week's state under the names of the WEEKS weeks before the data's week."""
    import numpy as np

    from pkp_cli.cli.workspace import open_workspace
    from pkp_cli.history import job, store
    from pkp_cli.history.inputs import fingerprint

    ws = open_workspace(data=Path(a["data"]), schedule=Path(a["schedule"]), as_of=None, lang="id")
    rules = ws.rules(None, required=False)
    src = job.Sources(ws.loaded.lokasi, ws.loaded.progres, ws.loaded.temuan, ws.status(), ws.schedule, rules,
                      ws.as_of, ws.stale_days, ws.calendar())  # fmt: skip
    from pkp_cli.engines.weekly import week_state

    state = week_state(src.status, src.lokasi, src.progres, src.temuan, src.schedule, rules, src.as_of)
    history = Path(a["history"])
    history.mkdir(parents=True, exist_ok=True)
    base = {
        "data_source": str(a["data"]),
        "schedule": str(a["schedule"]),
        "rules": str(rules.path) if rules else None,
        "inputs": fingerprint(Path(a["data"])),
        "rows_rejected": 0,
        "files_unreadable": 0,
        "pkp_version": "bench",
        "fiscal_year": ws.schedule.year,
        "schedule_sha256": ws.schedule.sha256,
        "rules_sha256": rules.sha256 if rules else None,
    }
    t0 = time.perf_counter()
    for i in range(1, a["weeks"] + 1):
        day = ws.as_of - timedelta(weeks=i)
        tables = state.tables()
        shift = float(np.sin(i / 5.0))  # the roll-ups move a little from week to week
        tables["rollup"] = tables["rollup"].assign(deviasi=tables["rollup"]["deviasi"] + shift)
        meta = {**base, "week": store.iso_week(day), "as_of": day.isoformat(), "created": "bench"}
        store.write(history, meta, tables)
    return {"seconds": time.perf_counter() - t0, "as_of": ws.as_of.isoformat(), "rows": len(src.status)}


def child_phases(a: dict[str, Any]) -> dict[str, Any]:
    """One weekly run in-process, timed by phase (what `pkp weekly` does, minus option parsing and stdout)."""
    from pkp_cli.cli.workspace import open_workspace
    from pkp_cli.engines.weekly import compare, week_state
    from pkp_cli.history import job, store
    from pkp_cli.history.inputs import fingerprint
    from pkp_cli.render.emit import rendered
    from pkp_cli.views import weekly as view

    laps: dict[str, float] = {}
    peaks: dict[str, float] = {}
    clock = [time.perf_counter()]

    def lap(name: str) -> None:
        now = time.perf_counter()
        laps[name] = round(now - clock[0], 3)
        peaks[name] = round(bench._rss_mb())
        clock[0] = now

    ws = open_workspace(data=Path(a["data"]), schedule=Path(a["schedule"]), as_of=None, lang="id")
    rules = ws.rules(None, required=False)
    lap("load (workspace, cache warm)")
    status = ws.status()
    lap("status engine")
    src = job.Sources(ws.loaded.lokasi, ws.loaded.progres, ws.loaded.temuan, status, ws.schedule, rules, ws.as_of,
                      ws.stale_days, ws.calendar())  # fmt: skip
    state = week_state(status, src.lokasi, src.progres, src.temuan, src.schedule, rules, src.as_of)
    lap("week state (roll-ups, candidates, audit)")
    listing = store.scan(Path(a["history"]))
    lap(f"scan history ({len(listing.snapshots)} footers)")
    week = store.iso_week(ws.as_of)
    baseline = job._read_state(listing.before(week)[-1], [])
    lap("read the previous week (status columns needed)")
    assert baseline is not None
    changes = compare(baseline.state, state)
    lap("compare")
    trends = job._trends(listing, week, state, [])
    lap("trends (roll-ups of every stored week)")
    fingerprint(Path(a["data"]))
    lap("input fingerprints (sha256)")
    with tempfile.TemporaryDirectory() as tmp:
        store.write(Path(tmp), {"week": week, "as_of": ws.as_of.isoformat()}, state.tables())
        lap("write the snapshot")
        result = job.WeekResult(week, state, baseline, changes, trends, [], [])
        report = view.build(view.WeeklyInputs(ws.facts(), result))
        rendered(report, "markdown")
        lap("summary view + markdown")
        from pkp_cli.render.html import write_html
        from pkp_cli.render.xlsx import write_xlsx

        write_xlsx([report], Path(tmp) / "ringkasan.xlsx")
        lap("summary xlsx")
        write_html([report], Path(tmp) / "ringkasan.html")
        lap("summary html")
    return {"phases": laps, "peaks": peaks, "rss_mb": bench._rss_mb()}


CHILDREN = {"seed": child_seed, "phases": child_phases}


def run_child(name: str, args: dict[str, Any], script: str = __file__, tag: str = RESULT_TAG) -> dict[str, Any]:
    """`script --child NAME ARGS` in a fresh process (this script's by default; bench/export.py's too): its result,
    the line it prints after `tag`."""
    proc = subprocess.run(
        [sys.executable, str(Path(script).resolve()), "--child", name, json.dumps(args)],
        capture_output=True, text=True, timeout=3600, cwd=bench.REPO, env=args.get("env"),
    )  # fmt: skip
    if proc.returncode != 0:
        raise bench.BenchError(f"child {name} failed (exit {proc.returncode}):\n{proc.stderr[-3000:]}")
    for line in proc.stdout.splitlines():
        if line.startswith(tag):
            return dict(json.loads(line[len(tag) :]))
    raise bench.BenchError(f"child {name} printed no result:\n{proc.stderr[-2000:]}")


MEASURE = """
import json, resource, subprocess, sys, time
t0 = time.perf_counter()
proc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
wall = time.perf_counter() - t0
use = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"seconds": wall, "cpu": use.ru_utime + use.ru_stime, "peak_mb": use.ru_maxrss / 1024,
                  "exit": proc.returncode, "stderr": proc.stderr.decode()[-800:]}))
"""


def measure(cmd: list[str], env: dict[str, str], reps: int) -> dict[str, Any]:
    """Best wall time and the largest peak RSS of `reps` runs, each in a fresh process."""
    runs = []
    for _ in range(reps):
        out = subprocess.run([sys.executable, "-c", MEASURE, *cmd], capture_output=True, text=True, env=env,
                             timeout=3600)  # fmt: skip
        runs.append(json.loads(out.stdout))
    if any(r["exit"] not in (0, 65) for r in runs):
        raise bench.BenchError(f"{' '.join(cmd)} failed: {runs[-1]}")
    return {
        "seconds": min(r["seconds"] for r in runs),
        "runs": [round(r["seconds"], 2) for r in runs],
        "cpu": min(r["cpu"] for r in runs),
        "peak_mb": max(r["peak_mb"] for r in runs),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--smoke", action="store_true", help="small sizes, printed only")
    ap.add_argument("--child", nargs=2, metavar=("NAME", "ARGS_JSON"), help=argparse.SUPPRESS)
    ap.add_argument("--reps", type=int, default=3)
    args = ap.parse_args(argv)
    if args.child:
        result = CHILDREN[args.child[0]](json.loads(args.child[1]))
        print(RESULT_TAG + json.dumps(result), flush=True)
        return 0
    sizes, weeks, reps = (bench.SMOKE, 5, 1) if args.smoke else (bench.FULL, WEEKS, args.reps)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    locations = sizes["locations"]
    cache = bench.HERE / ".cache"
    cache.mkdir(exist_ok=True)
    data, schedule = data_folder(cache, sizes)
    # The stored weeks are cached like the data; the runs add (and replace) the data's own week beside them.
    history = cache / f"weekly-history-{data.name}-{weeks}"
    done = cache / f"{history.name}.json"
    if not done.exists():
        shutil.rmtree(history, ignore_errors=True)
        bench.log(f"writing {weeks} stored weeks into {history}")
        seeded = run_child("seed", {"data": str(data), "schedule": str(schedule), "history": str(history),
                                    "weeks": weeks})  # fmt: skip
        done.write_text(json.dumps(seeded))
    seeded = json.loads(done.read_text())
    size_mb = sum(p.stat().st_size for p in history.glob("*.parquet")) / 1e6
    xdg = cache / "weekly-xdg"
    env = {**os.environ, "XDG_CONFIG_HOME": str(xdg / "config"), "XDG_CACHE_HOME": str(xdg / "cache"),
           "NO_COLOR": "1"}  # fmt: skip
    env.pop("PKP_NO_CACHE", None)
    with tempfile.TemporaryDirectory() as tmp:
        pkp = bench.pkp_command()
        weekly = [*pkp, "weekly", "--data", str(data), "--schedule", str(schedule), "--history", str(history),
                  "--out", tmp, "--quiet"]  # fmt: skip
        bench.log("pkp weekly, load cache warm")
        subprocess.run(weekly, env=env, capture_output=True, timeout=3600)  # warm the load cache
        warm = measure(weekly, env, reps)
        bench.log("pkp weekly, load cache off")
        cold = measure(weekly, {**env, "PKP_NO_CACHE": "1"}, max(1, reps - 1))
    bench.log("pkp history")
    listing = measure([*pkp, "history", "--history", str(history), "--format", "json"], env, reps)
    bench.log("phases")
    phases = run_child("phases", {"data": str(data), "schedule": str(schedule), "history": str(history), "env": env})
    stored = len(list(history.glob("*.parquet")))
    text = render(locations, weeks, seeded, size_mb, stored, warm, cold, listing, phases, load)
    if args.smoke:
        print(text)
        return 0
    write_section(text)
    print(text)
    return 0


def _goal(value: float, goal: float) -> str:
    return f"{'PASS' if value <= goal else 'MISS'} (goal {goal:g})"


def render(locations: int, weeks: int, seeded: dict[str, Any], size_mb: float, stored: int, warm: dict[str, Any],
           cold: dict[str, Any], listing: dict[str, Any], phases: dict[str, Any], load: str) -> str:  # fmt: skip
    lines = [
        SECTION,
        "",
        f"Written by `python bench/weekly.py` on {date.today().isoformat()} ({bench._cpu_model()}, "
        f"{os.cpu_count()} cores, {bench._mem_total_gb()}; load average {load} when it started: the machine is "
        "shared, so wall times carry that noise).",
        "",
        f"History: {weeks} stored national-scale weeks ({locations:,} locations x {bench.STAGES} stages = "
        f"{seeded.get('rows', 0):,} status rows each; {size_mb:,.0f} MB of Parquet, zstd), the data's own week "
        f"({seeded.get('as_of')}) run against them ({stored} files after the runs).",
        "",
        "| measurement | wall s | CPU s (user + system) | peak MB | verdict (wall, memory) |",
        "|---|---|---|---|---|",
        f"| `pkp weekly`, load cache warm (wall runs {warm['runs']}) | {warm['seconds']:.2f} | {warm['cpu']:.2f} | "
        f"{warm['peak_mb']:,.0f} | {_goal(warm['seconds'], GOAL_WEEKLY_S)}, {_goal(warm['peak_mb'], GOAL_WEEKLY_MB)} |",
        f"| `pkp weekly`, load cache off (wall runs {cold['runs']}) | {cold['seconds']:.2f} | {cold['cpu']:.2f} | "
        f"{cold['peak_mb']:,.0f} | {_goal(cold['seconds'], GOAL_WEEKLY_S)}, {_goal(cold['peak_mb'], GOAL_WEEKLY_MB)} |",
        f"| `pkp history --format json` (wall runs {listing['runs']}) | {listing['seconds']:.2f} | "
        f"{listing['cpu']:.2f} | {listing['peak_mb']:,.0f} | {_goal(listing['seconds'], GOAL_HISTORY_S)} |",
        "",
        "Where one weekly run's time goes (in-process, load cache warm):",
        "",
        "| phase | seconds | peak MB so far |",
        "|---|---|---|",
        *[f"| {name} | {sec:.2f} | {phases['peaks'][name]:,} |" for name, sec in phases["phases"].items()],
        "",
    ]
    return "\n".join(lines)


def write_section(text: str, start: str = START, end: str = END, section: str = SECTION) -> None:
    """Replace a benchmark's part of bench/results.md, between its markers (or append it); the rest of the file
    belongs to bench/bench.py and the other benchmarks (this one's markers by default; bench/export.py's too)."""
    old = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    block = f"{start}\n{text.rstrip()}\n{end}\n"
    if start in old and end in old:
        head, rest = old.split(start, 1)
        new = head + block + rest.split(end, 1)[1].lstrip("\n")
    elif section in old:  # written before the markers: the section runs to the end of the file
        new = old.split(section, 1)[0] + block
    else:
        new = old.rstrip("\n") + "\n\n" + block
    RESULTS.write_text(new, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
