"""What the parse ahead (ingest/load.py `_Ahead`) writes to stderr while the last file is still being read.

A workbook is read by calamine with file descriptor 2 pointed at a temporary file (workbook._calamine: a Rust
panic's backtrace must not reach the user). The parse ahead runs on the main thread during exactly that time, so
anything it writes to stderr, a Python warning from pandas, numpy or pyarrow included, goes to that temporary file
and is thrown away with it; a warning shown once (the default filter) is then never shown for the rest of the run.
Run in a child process: the redirection acts on the real file descriptor 2, which pytest's capture replaces."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.factories import write_lokasi
from tests.hostile.corpus import REPO

HEADER = "Kode Lokasi;Program;Tahapan;Tanggal Mulai;Tanggal Selesai;Progres (%);Tanggal Laporan;Keterangan\n"

CHILD = """
import datetime as dt, sys, threading, warnings
from pathlib import Path
from pkp_cli.ingest import load, workbook
from pkp_cli.model.schedule import load_schedule

load.THREADS_MIN_FILE_BYTES = 0  # two reading threads for files of any size (the bench's files are big)
parsed = threading.Event()
real_aside, real_parse = workbook._stderr_aside, load._Ahead.parse

def aside():
    real_aside()
    if threading.current_thread() is not threading.main_thread():
        assert parsed.wait(30)  # the location workbook is in calamine's hands while the parse ahead runs

def parse(self, outcomes):
    try:
        real_parse(self, outcomes)
        # What a pandas, numpy or pyarrow call of the parse may say (here said by the test itself).
        warnings.warn("review8 probe: a warning raised by the parse ahead", UserWarning)
    finally:
        parsed.set()

workbook._stderr_aside = aside
load._Ahead.parse = parse
schedule = load_schedule(Path(sys.argv[2]))
load.load_data([Path(sys.argv[1])], schedule, today=dt.date(2022, 6, 30))
print("loaded")
"""


def test_a_warning_raised_by_the_parse_ahead_reaches_stderr(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "progres.csv").write_text(HEADER + "51.04.01;PISEW;L1;02/04/2022;;10;30/06/2022;a\n", encoding="utf-8")
    write_lokasi(data / "zz-lokasi.xlsx")  # discovered after the CSV: the file still being read
    schedule = REPO / "schedules" / "jadwal-nasional-2022.yaml"
    got = subprocess.run(
        [sys.executable, "-c", CHILD, str(data), str(schedule)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert got.returncode == 0 and "loaded" in got.stdout, got.stderr[-2000:]
    assert "review8 probe" in got.stderr
