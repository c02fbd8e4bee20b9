"""Reads started early (ingest/early.py): each file's read up to Arrow runs on a thread before pandas is imported,
and the loader takes the result. Every outcome must be what a direct read gives: the same sheets, the same
refusal (a hostile file's FileProblem), the same order of reports; a file the cache holds is never read, and a
file is read once."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from pkp_cli.ingest import early, read
from pkp_cli.ingest.cached import load_data
from pkp_cli.ingest.read import FileProblem, RawSheet, read_file
from tests.factories import write_lokasi
from tests.hostile.corpus import lie_about_size, members, progres_xlsx, with_xml_value, write_members

SHEET = "xl/worksheets/sheet1.xml"
HEADER = "Kode Lokasi;Program;Tahapan;Tanggal Mulai;Keterangan\n"


@pytest.fixture
def every_file_early(monkeypatch: pytest.MonkeyPatch) -> None:
    """Early reads for files of any size (the bench's files are big; these are a few kB). (Two CPUs are counted
    whatever runs the tests: tests/conftest.py sets PKP_CPUS.)"""
    monkeypatch.setattr(early, "THREADS_MIN_FILE_BYTES", 0)


def _files(folder: Path) -> dict[str, Path]:
    """Good, odd and hostile files, each of another size (a file sharing its size with another is not read early:
    it may be a copy)."""
    folder.mkdir(parents=True, exist_ok=True)
    out: dict[str, Path] = {}

    def csv(name: str, data: bytes) -> None:
        out[name] = folder / name
        out[name].write_bytes(data)

    csv("simple.csv", (HEADER + "51.04.01;PISEW;L1;02/04/2022;a\n").encode())
    csv("blank-lines.csv", (HEADER + "\n51.04.01;PISEW;L1;02/04/2022;ab\n\n").encode())  # the exact line scan
    # A quoted line break and a quote never closed: pyarrow refuses, the exact (python) reader reads.
    csv("quoted.csv", (HEADER + '51.04.01;PISEW;L1;02/04/2022;"two\nlines"\n51.04.02;PISEW;L2;x;"open\n').encode())
    csv("cp1252.csv", (HEADER + "51.04.01;PISEW;L1;02/04/2022;Désa Tegal\n").encode("cp1252"))  # not UTF-8
    csv("ragged.csv", (HEADER + "51.04.01;PISEW\n51.04.02;PISEW;L1;02/04/2022;x;extra;cells\n").encode())
    csv("empty.csv", b"")
    csv("noise.csv", bytes(range(0, 32)) * 8)  # control bytes: not a CSV
    csv("wide.csv", (";" * 20_000 + "\n").encode())  # wider than Excel
    out["old.xls"] = folder / "old.xls"
    out["old.xls"].write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    out["note.pdf"] = folder / "note.pdf"
    out["note.pdf"].write_bytes(b"%PDF-1.4" + b"\0" * 700)
    # xlsx: a good one with an impossible date serial (a cell problem), a DTD, a member whose header lies
    out["dates.xlsx"] = progres_xlsx(folder / "dates.xlsx", [dt.datetime(2022, 4, 2), 1e15, "teks"])
    dtd = progres_xlsx(folder / "dtd.xlsx", [dt.datetime(2022, 4, 2), dt.datetime(2022, 4, 3)])
    parts = members(dtd)
    parts["xl/workbook.xml"] = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "a">]>' + parts["xl/workbook.xml"]
    out["dtd.xlsx"] = write_members(dtd, parts)
    lie = progres_xlsx(folder / "lie.xlsx", [dt.datetime(2022, 4, 2)] * 3)
    out["lie.xlsx"] = lie_about_size(lie, SHEET, len(members(lie)[SHEET]) + 10)
    far = progres_xlsx(folder / "far.xlsx", [dt.datetime(2022, 4, 2)] * 4)
    out["far.xlsx"] = with_xml_value(far, SHEET, 'r="A1"', 'r="XFE1"')  # beyond Excel's last column
    out["lokasi.xlsx"] = folder / "lokasi.xlsx"
    write_lokasi(out["lokasi.xlsx"])
    sizes = [p.stat().st_size for p in out.values()]
    assert len(set(sizes)) == len(sizes), sizes  # the fixture's own promise
    return out


def _outcome(fn: Any) -> list[RawSheet] | tuple[str, dict[str, Any]]:
    try:
        return list(fn())
    except FileProblem as exc:
        return (exc.code, exc.params)


def _same(a: list[RawSheet] | tuple[str, dict[str, Any]], b: list[RawSheet] | tuple[str, dict[str, Any]]) -> None:
    if isinstance(a, tuple) or isinstance(b, tuple):
        assert a == b
        return
    assert [s.name for s in a] == [s.name for s in b]
    for x, y in zip(a, b, strict=True):
        pd.testing.assert_frame_equal(x.grid, y.grid, check_exact=True)
        assert x.row_numbers.tolist() == y.row_numbers.tolist()
        assert x.blank_lines.tolist() == y.blank_lines.tolist()
        assert (x.origin_col, x.merges, x.percent_cells, x.problems) == (
            y.origin_col,
            y.merges,
            y.percent_cells,
            y.problems,
        )
        assert [list(c) for c in x.columns()] == [list(c) for c in y.columns()]


def test_each_early_read_gives_what_a_direct_read_gives(tmp_path: Path, every_file_early: None) -> None:
    files = _files(tmp_path / "data")
    named = list(files.values())  # named one by one: a folder's discovery passes over .pdf and .xls
    reads = early.start(named, None, display_root=None, max_mb=1024, cache_dir=None)  # type: ignore[arg-type]
    try:
        found = reads.discovery()
        assert found is not None
        assert sorted(reads.started()) == sorted(found.files)  # every file found was started
        outcomes = {}
        for path, shown in found.files:
            outcomes[path.name] = _outcome(lambda p=path, s=shown: reads.take(p, s, 1024)())  # type: ignore[misc]
    finally:
        reads.close()
    assert set(outcomes) == set(files)
    for name, path in files.items():
        _same(outcomes[name], _outcome(lambda p=path: read_file(p, 1024)))  # type: ignore[misc]
    # The fixture holds what it says (checked by hand against the catalogue): refusals and cell problems.
    refused = {n: o[0] for n, o in outcomes.items() if isinstance(o, tuple)}
    assert refused == {
        "noise.csv": "file-not-workbook",
        "wide.csv": "csv-too-wide",
        "old.xls": "file-not-workbook",  # the suffix decides before the OLE mark
        "note.pdf": "file-not-workbook",
        "dtd.xlsx": "xml-dtd",
        "lie.xlsx": "zip-size-lie",
        "far.xlsx": "xlsx-beyond-excel",
    }
    quoted = outcomes["quoted.csv"]
    assert not isinstance(quoted, tuple)
    assert quoted[0].row_numbers.tolist() == [1, 2, 4]  # the exact reader: a record's first line
    assert [p[2] for p in quoted[0].problems] == ["csv-quote-unclosed"]
    dates = outcomes["dates.xlsx"]
    assert not isinstance(dates, tuple) and [p[2] for p in dates[0].problems] == ["date-invalid"]


def _spy_reads(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """(file name, thread name) of every read of a file (read_stage: the one way a file is read)."""
    calls: list[tuple[str, str]] = []
    real = read.read_stage

    def spy(path: Path, max_mb: int = 1024) -> Any:
        calls.append((path.name, threading.current_thread().name))
        return real(path, max_mb)

    monkeypatch.setattr(read, "read_stage", spy)
    return calls


def _facts(res: Any) -> Any:
    return (
        [(i.file, i.code, i.params) for i in res.unreadable],
        [(f.as_dict()) for f in res.files],
        [(i.file, i.sheet, i.row, i.cell, i.code) for i in res.errors],
        [(i.file, i.sheet, i.row, i.cell, i.code) for i in res.warnings],
        res.ignored,
        res.errors_total,
        res.warnings_total,
    )


def test_a_load_with_early_reads_reports_everything_as_without_them_in_the_same_order(
    tmp_path: Path, mini_schedule: Any, monkeypatch: pytest.MonkeyPatch, every_file_early: None
) -> None:
    _files(tmp_path / "data")
    calls = _spy_reads(monkeypatch)
    today = dt.date(2022, 6, 30)
    with_early = load_data([tmp_path / "data"], mini_schedule, today=today)
    early_calls = list(calls)
    calls.clear()
    monkeypatch.setattr(early, "READ_THREADS", 1)  # no early reads
    without = load_data([tmp_path / "data"], mini_schedule, today=today)
    assert _facts(with_early) == _facts(without)
    for frame in ("lokasi", "progres", "temuan"):
        pd.testing.assert_frame_equal(getattr(with_early, frame), getattr(without, frame), check_exact=True)
    # The folder's hostile files are refused in discovery (name) order, as a direct read refuses them (the .pdf
    # and .xls are passed over by the discovery: not read at all).
    assert [(Path(i.file).name, i.code) for i in with_early.unreadable] == [
        ("dtd.xlsx", "xml-dtd"),
        ("far.xlsx", "xlsx-beyond-excel"),
        ("lie.xlsx", "zip-size-lie"),
        ("noise.csv", "file-not-workbook"),
        ("wide.csv", "csv-too-wide"),
    ]
    # Each file read once, all of them on the early threads; without them, all in the loader.
    read_ones = sorted(p.name for p in (tmp_path / "data").iterdir() if p.suffix in (".csv", ".xlsx"))
    assert sorted(n for n, _ in early_calls) == read_ones
    assert all(t.startswith("pkp-read") for _, t in early_calls)
    assert not any(t.startswith("pkp-read") for _, t in calls)


def test_a_file_the_cache_holds_is_not_read(
    tmp_path: Path, mini_schedule: Any, monkeypatch: pytest.MonkeyPatch, every_file_early: None
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    write_lokasi(data / "lokasi.xlsx")
    progres = data / "progres.csv"
    progres.write_text(HEADER + "51.04.01;PISEW;L1;02/04/2022;a\n", encoding="utf-8")
    store = tmp_path / "cache"
    store.mkdir()
    today = dt.date(2022, 6, 30)
    calls = _spy_reads(monkeypatch)
    first = load_data([data], mini_schedule, today=today, cache_dir=store)
    assert sorted(n for n, _ in calls) == ["lokasi.xlsx", "progres.csv"]
    assert all(t.startswith("pkp-read") for _, t in calls)
    calls.clear()
    # One file changed: the load is not in the cache, the location workbook's own entry is.
    progres.write_text(HEADER + "51.04.01;PISEW;L1;02/04/2022;a\n51.04.02;PISEW;L1;03/04/2022;b\n", encoding="utf-8")
    second = load_data([data], mini_schedule, today=today, cache_dir=store)
    assert [n for n, _ in calls] == ["progres.csv"]  # read once, early; the workbook not at all
    assert calls[0][1].startswith("pkp-read")
    assert [Path(p).name for p in second.parsed] == ["progres.csv"]
    assert len(second.progres) == len(first.progres) + 1
    calls.clear()
    load_data([data], mini_schedule, today=today, cache_dir=store)  # warm: the whole load from the cache
    assert calls == []


def test_copies_and_small_folders_are_left_to_the_loader(
    tmp_path: Path, mini_schedule: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    write_lokasi(data / "lokasi.xlsx")
    (data / "copy.xlsx").write_bytes((data / "lokasi.xlsx").read_bytes())
    (data / "progres.csv").write_text(HEADER + "51.04.01;PISEW;L1;02/04/2022;a\n", encoding="utf-8")
    calls = _spy_reads(monkeypatch)
    # Small files only (under THREADS_MIN_FILE_BYTES): nothing starts early, as before.
    load_data([data], mini_schedule, today=dt.date(2022, 6, 30))
    assert not any(t.startswith("pkp-read") for _, t in calls)
    calls.clear()
    monkeypatch.setattr(early, "THREADS_MIN_FILE_BYTES", 0)
    res = load_data([data], mini_schedule, today=dt.date(2022, 6, 30))
    # The two copies share a size: the loader hashes them and reads one; only the CSV was read early.
    assert [(n, t.startswith("pkp-read")) for n, t in calls] == [("progres.csv", True), ("copy.xlsx", False)]
    assert [w.code for w in res.warnings if w.code == "file-duplicate"] == ["file-duplicate"]


PROBE = r"""
import json, sys, threading
import pkp_cli.ingest.read as rd

seen = []
real = rd.read_stage


def spy(path, max_mb=1024):
    seen.append([path.name, threading.current_thread().name, "pandas" in sys.modules])
    return real(path, max_mb)


rd.read_stage = spy
sys.argv = ["pkp", *sys.argv[1:]]
code = 0
try:
    from pkp_cli.cli.app import main

    main()
except SystemExit as exc:
    code = exc.code
sys.stdout.flush()
print("\n@@PROBE@@" + json.dumps({"code": code, "seen": seen, "threads": threading.active_count()}))
"""


def _probe(args: list[str], cwd: Path) -> dict[str, Any]:
    env = {"PKP_NO_CACHE": "1", "NO_COLOR": "1", "COLUMNS": "120", "XDG_CONFIG_HOME": str(cwd / "xdg")}
    import os

    proc = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=300, cwd=cwd,
        env={**os.environ, **env},
    )  # fmt: skip
    assert "@@PROBE@@" in proc.stdout, proc.stderr[-3000:]
    result: dict[str, Any] = json.loads(proc.stdout.rpartition("@@PROBE@@")[2])
    return result


def test_a_cold_validate_starts_reading_before_pandas_is_imported(tmp_path: Path) -> None:
    """The point of the early reads: the big CSV's read starts on a reading thread while pandas is not imported
    yet (the command imports it while the file is read)."""
    from tests.conftest import MINI_SCHEDULE

    (tmp_path / "jadwal.yaml").write_text(MINI_SCHEDULE, encoding="utf-8")
    lines = [HEADER] + [f"51.04.01;PISEW;L{1 + i % 2};02/04/2022;baris nomor {i:07d}\n" for i in range(60_000)]
    big = tmp_path / "progres.csv"
    big.write_text("".join(lines), encoding="utf-8")
    assert big.stat().st_size >= early.THREADS_MIN_FILE_BYTES
    out = _probe(["validate", str(big), "--schedule", str(tmp_path / "jadwal.yaml"), "--format", "json"], tmp_path)
    assert out["code"] in (0, 65), out
    # The CSV first, early; then the default data folder (the bundled sample: small files) for the locations
    # the progress rows are checked against, read by the loader as before.
    assert out["seen"][0] == ["progres.csv", "pkp-read_0", False]
    assert all(thread == "MainThread" for _name, thread, _pandas in out["seen"][1:])


def test_help_starts_no_reading_thread(tmp_path: Path) -> None:
    out = _probe(["--help"], tmp_path)
    assert (out["code"], out["seen"], out["threads"]) == (0, [], 1)


def test_workbooks_alone_are_read_by_the_loader(
    tmp_path: Path, mini_schedule: Any, monkeypatch: pytest.MonkeyPatch, every_file_early: None
) -> None:
    """A big workbook's read starts with the sheet scan, which holds the GIL against the imports: without a big
    CSV among the files (CSV_SUFFIXES) nothing is read early on a thread, as measured on the bench's XLSX validate
    (a forked child reads the biggest workbook where one may be forked, within `helper.allowed()`:
    tests/ingest/test_forked_read.py; not here)."""
    data = tmp_path / "data"
    data.mkdir()
    write_lokasi(data / "lokasi.xlsx")
    progres_xlsx(data / "progres.xlsx", [dt.datetime(2022, 4, 2)])
    calls = _spy_reads(monkeypatch)
    load_data([data], mini_schedule, today=dt.date(2022, 6, 30))
    assert sorted(n for n, _ in calls) == ["lokasi.xlsx", "progres.xlsx"]
    assert not any(t.startswith("pkp-read") for _, t in calls)
    calls.clear()
    (data / "progres.csv").write_text(HEADER + "51.04.01;PISEW;L1;02/04/2022;a\n", encoding="utf-8")
    load_data([data], mini_schedule, today=dt.date(2022, 6, 30))  # with a CSV: all three early
    assert sorted((n, t.startswith("pkp-read")) for n, t in calls) == [
        ("lokasi.xlsx", True),
        ("progres.csv", True),
        ("progres.xlsx", True),
    ]


@pytest.mark.parametrize(
    "command",
    [
        ["status"],
        ["weekly", "--history", "{tmp}/riwayat", "--out", "{tmp}/ringkasan"],
        ["report", "--out", "{tmp}/paket", "--format", "md"],
    ],
    ids=["status", "weekly", "report"],
)
def test_every_loading_command_starts_reading_before_pandas_is_imported(tmp_path: Path, command: list[str]) -> None:
    """The cron job (`weekly`) and the meeting packs (`report`) load national folders too: like `validate`, they
    import their pandas modules only after the load has started its reads (a module imported before the load
    that imports pandas, as `render.pack` does, would undo it)."""
    from tests.conftest import MINI_SCHEDULE

    (tmp_path / "jadwal.yaml").write_text(MINI_SCHEDULE, encoding="utf-8")
    data = tmp_path / "data"
    data.mkdir()
    lines = [HEADER] + [f"51.04.01;PISEW;L{1 + i % 2};02/04/2022;baris nomor {i:07d}\n" for i in range(60_000)]
    (data / "progres.csv").write_text("".join(lines), encoding="utf-8")
    args = [a.format(tmp=tmp_path) for a in command]
    out = _probe([*args, "--data", str(data), "--schedule", str(tmp_path / "jadwal.yaml")], tmp_path)
    # No location workbook: every progress row is rejected (exit 65, data errors), as it would be without early reads.
    assert out["code"] == 65, out
    assert out["seen"][0] == ["progres.csv", "pkp-read_0", False], out
