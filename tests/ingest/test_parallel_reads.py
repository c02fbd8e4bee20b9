"""Workbooks are read two at a time: what the readers share in the process (file descriptor 2, pointed aside while
calamine runs) is whole again afterwards, and a message said after a parallel load reaches the user."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from pkp_cli.ingest import workbook
from tests.conftest import MINI_SCHEDULE
from tests.factories import write_lokasi, write_progres
from tests.hostile.corpus import run_pkp


def test_overlapping_readers_give_stderr_back(tmp_path: Path) -> None:
    before = os.fstat(2)
    inside = threading.Barrier(2)

    def reader() -> None:
        with workbook._calamine("x: "):
            inside.wait()  # both readers are inside at once, then leave in either order

    threads = [threading.Thread(target=reader) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    after = os.fstat(2)
    assert (after.st_dev, after.st_ino) == (before.st_dev, before.st_ino)
    assert workbook._STDERR["readers"] == 0


def test_a_message_after_a_parallel_load_is_said(tmp_path: Path) -> None:
    """Two workbooks read side by side, then a configuration error (a holidays file that is a workbook): its
    one line reaches stderr (it was lost when each reader saved and restored descriptor 2 on its own)."""
    data = tmp_path / "data"
    (data / "progres" / "2022-05-20").mkdir(parents=True)
    write_lokasi(data / "lokasi.xlsx")
    write_progres(data / "progres" / "2022-05-20" / "bali.xlsx")
    (tmp_path / "schedules").mkdir()
    (tmp_path / "schedules" / "jadwal-nasional-2022.yaml").write_text(MINI_SCHEDULE, encoding="utf-8")
    holidays = tmp_path / "libur.csv"
    write_lokasi(holidays)  # an Excel workbook under a .csv name
    conf = tmp_path / "conf"
    (conf / "pkp").mkdir(parents=True)
    (conf / "pkp" / "config.toml").write_text(f'holidays_file = "{holidays}"\n', encoding="utf-8")
    env = {"XDG_CONFIG_HOME": str(conf), "PKP_NO_CACHE": "1"}
    res = run_pkp(["status", "--data", str(data)], cwd=tmp_path, timeout=120, env=env)
    assert res.returncode == 78, res.stderr
    assert f"pkp: holidays_file {holidays}:" in res.stderr


def test_one_sink_for_every_read_and_no_descriptor_left_open(tmp_path: Path) -> None:
    """Descriptor 2 is pointed at the null device, opened once per process (a temporary file per sheet read cost
    10 ms on the sample), and pointed back after each workbook; no descriptor is left open by a read."""
    before = os.fstat(2)
    paths = [tmp_path / f"p{i}.xlsx" for i in range(3)]
    for path in paths:
        write_progres(path)
    workbook.xlsx_stage(paths[0])
    sink = workbook._STDERR["sink"]
    open_fds = set(os.listdir("/proc/self/fd"))
    workbook.xlsx_stage(paths[1])
    workbook.xlsx_stage(paths[2])
    assert sink is not None and sink >= 0 and workbook._STDERR["sink"] == sink
    assert set(os.listdir("/proc/self/fd")) == open_fds
    after = os.fstat(2)
    assert (after.st_dev, after.st_ino) == (before.st_dev, before.st_ino)
    assert (workbook._STDERR["readers"], workbook._STDERR["saved"]) == (0, None)
