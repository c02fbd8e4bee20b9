"""Builders and checks shared by the hostile-input suite: every file is made here, in code, from bytes.

The checks are the promise of issue 8: an exit code from the table, one `pkp:` line on stderr (pkp's own
"Data: ... / Jadwal: ..." notes may precede it), never a traceback or finalizer noise, and for a load: each row
of the raw file loaded, rejected or skipped, counted independently of the loader.
"""

from __future__ import annotations

import csv
import io
import os
import struct
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

from pkp_cli.ingest.load import load_data
from pkp_cli.model.issues import Issue
from pkp_cli.model.schedule import Schedule
from tests.conftest import MINI_SCHEDULE
from tests.factories import ROOT, write_lokasi

NOISE = ("Traceback", "Exception ignored", "panicked", "RUST_BACKTRACE", "Error:")
HEADER = "Kode Lokasi;Program;Tahapan;Tanggal Mulai;Keterangan"


def assert_one_line(stderr: str, must: str = "") -> str:
    """Exactly one `pkp:` line, no traceback or noise; returns that line."""
    for word in NOISE:
        assert word not in stderr, stderr
    lines = [ln for ln in stderr.splitlines() if ln.startswith("pkp:")]
    assert len(lines) == 1, stderr
    assert must in lines[0], lines[0]
    return lines[0]


def data_folder(tmp_path: Path) -> Path:
    """A data folder with the location workbook and a schedule next to it (as pkp finds them)."""
    data = tmp_path / "data"
    data.mkdir(parents=True, exist_ok=True)
    write_lokasi(data / "lokasi.xlsx")
    (tmp_path / "schedules").mkdir(exist_ok=True)
    (tmp_path / "schedules" / "jadwal-nasional-2022.yaml").write_text(MINI_SCHEDULE, encoding="utf-8")
    return data


def load(paths: list[Path], schedule: Schedule, **kw: Any) -> Any:
    import datetime as dt

    return load_data(paths, schedule, today=dt.date(2022, 6, 30), **kw)


def csv_records_by_line(text: str, delim: str = ";") -> int:
    """Non-blank lines after the header line: what a CSV of one-line records holds, counted without pkp."""
    lines = text.replace("\r\n", "\n").split("\n")
    return sum(1 for ln in lines[1:] if ln.strip(" \t" + delim))


def assert_csv_accounted(result: Any, name: str, expected_records: int) -> None:
    """Every record of the raw CSV is loaded, rejected or skipped: rows_read + rows_skipped = the count."""
    report = next(f for f in result.files if f.path.endswith(name))
    for sheet in report.sheets:
        assert sheet.rows_read == sheet.rows_loaded + sheet.rows_rejected
    assert report.total("rows_read") + report.total("rows_skipped") == expected_records, report.as_dict()


def cells(issues: list[Issue], name: str) -> set[tuple[str | None, str]]:
    return {(i.cell, i.code) for i in issues if i.file.endswith(name)}


# ------------------------------------------------------------------------------------------------- xlsx


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def write_members(path: Path, parts: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", method) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return path


def with_shared_strings(parts: dict[str, bytes], strings: list[str]) -> None:
    """Give a workbook's parts a shared-strings table holding `strings` (indices 0, 1, ...), as Excel writes text
    cells (openpyxl writes inline strings)."""
    items = "".join(f"<si><t>{s}</t></si>" for s in strings)
    parts["xl/sharedStrings.xml"] = (
        f'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'count="{len(strings)}" uniqueCount="{len(strings)}">{items}</sst>'
    ).encode()
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        b'sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    )


def progres_xlsx(path: Path, dates: list[Any], date_format: str = "dd/mm/yyyy") -> Path:
    """A progress sheet: header row 1, one row per value in `dates` (rows 2..), column D date-formatted."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Progres"
    ws.append(["Kode Lokasi", "Program", "Tahapan", "Tanggal Mulai", "Keterangan"])
    for i, v in enumerate(dates):
        ws.append(["51.04.01", "PISEW", "L1" if i % 2 == 0 else "L2", v, f"baris {i}"])
        ws.cell(ws.max_row, 4).number_format = date_format
    wb.save(path)
    return path


def with_xml_value(path: Path, member: str, old: str, new: str) -> Path:
    parts = members(path)
    text = parts[member].decode()
    assert old in text, (old, text[:400])
    parts[member] = text.replace(old, new, 1).encode()
    return write_members(path, parts)


def lie_about_size(path: Path, member: str, declared: int) -> Path:
    """Rewrite the zip headers (central directory and local) so `member` declares `declared` bytes."""
    data = bytearray(path.read_bytes())
    name = member.encode()
    for sig, size_at, name_at, len_at in ((b"PK\x01\x02", 24, 46, 28), (b"PK\x03\x04", 22, 30, 26)):
        i = data.find(sig)
        while i >= 0:
            (n,) = struct.unpack("<H", data[i + len_at : i + len_at + 2])
            if data[i + name_at : i + name_at + n] == name:
                struct.pack_into("<L", data, i + size_at, declared)
            i = data.find(sig, i + 4)
    path.write_bytes(bytes(data))
    return path


# ---------------------------------------------------------------------------------------------- process


def run_pkp(args: list[str], cwd: Path, timeout: float = 120, **kw: Any) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1", "PKP_NO_CACHE": "1", "COLUMNS": "200", **kw.pop("env", {})}
    return subprocess.run(
        [sys.executable, "-m", "pkp_cli", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        **kw,
    )


def semicolon_csv(rows: list[list[str]]) -> str:
    buf = io.StringIO()
    csv.writer(buf, delimiter=";", lineterminator="\n").writerows(rows)
    return buf.getvalue()


REPO = ROOT
