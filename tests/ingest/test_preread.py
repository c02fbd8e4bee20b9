"""A folder of small workbooks read by a forked child from before the schedule is opened (pkp_cli/ingest/preread.py):
a load that takes its reads gives what a load without it gives (frames, issues, accounting), for the sample and for
odd and hostile files; the loader and its helper child both take their reads from it; it starts only where it pays
(a likely cold load of 8 to 400 small workbooks, in the CLI's commands); whatever goes wrong in the child only
costs time; a read no load claims is stopped."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from pkp_cli.cli.app import app
from pkp_cli.ingest import cache, early, forked, helper, preread, workbook
from pkp_cli.ingest.cached import load_data
from pkp_cli.ingest.read import DEFAULT_MAX_UNCOMPRESSED_MB
from pkp_cli.model.schedule import load_schedule
from tests.ingest.test_helper_process import REPO, SAMPLE, TODAY, _odd_folder, _same

pytestmark = pytest.mark.skipif(not hasattr(os, "memfd_create"), reason="the pre-read needs fork and memfd (Linux)")
MB = DEFAULT_MAX_UNCOMPRESSED_MB


@pytest.fixture
def schedule() -> Any:
    return load_schedule(REPO / "schedules" / "jadwal-nasional-2022.yaml")


@pytest.fixture
def two_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(helper, "_usable_cpus", lambda: 2)  # as on the 2-core machine, whatever runs the tests


def _log_reads(monkeypatch: pytest.MonkeyPatch, log: Path) -> Callable[[], list[str]]:
    """From now on each workbook read by calamine's path (here or in a child forked later: the pre-read's, forked
    before, is not seen) leaves its name in `log`; the function returned gives them, sorted."""
    log.touch()
    real = workbook.xlsx_batches

    def xlsx_batches(path: Path, *args: Any) -> Any:
        with open(log, "a") as fh:
            fh.write(path.name + "\n")
        return real(path, *args)

    monkeypatch.setattr(workbook, "xlsx_batches", xlsx_batches)
    return lambda: sorted(log.read_text().split())


def _start(folder: Path, cache_dir: Path | None = None) -> preread.PreRead | None:
    preread.start([folder], display_root=None, max_mb=MB, cache_dir=cache_dir)
    return preread._pending


def test_the_sample_loads_with_a_preread_as_without(
    tmp_path: Path, schedule: Any, two_cores: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    without = load_data([SAMPLE], schedule, today=TODAY)
    with helper.allowed():
        pre = _start(SAMPLE)
        assert pre is not None and len(pre.files) == 64  # every workbook of the sample (its 3 CSVs are the loader's)
        read_here = _log_reads(monkeypatch, tmp_path / "reads.log")
        with_pre = load_data([SAMPLE], schedule, today=TODAY)
    assert pre.served > 0 and preread._pending is None
    # Neither this process nor the helper child forked by the load (it takes its files' reads from the pre-read's
    # answer too) read a workbook itself: each of the 64 was read once, by the pre-read's child.
    assert read_here() == []
    _same(with_pre, without)
    assert len(with_pre.parsed) == 67 and with_pre.files and not with_pre.unreadable


def test_odd_and_hostile_files_load_with_a_preread_as_without(
    tmp_path: Path, schedule: Any, two_cores: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A DTD, a size that lies, a cell beyond Excel, a bad date serial, CSVs of every kind and a copy among the
    sample's workbooks: the same refusals (file, code), issues and frames as a load without the pre-read."""
    folder = _odd_folder(tmp_path / "data")
    without = load_data([folder], schedule, today=TODAY)
    with helper.allowed():
        pre = _start(folder)
        assert pre is not None and len(pre.files) == 12  # the workbooks only: the CSVs are the loader's
        read_here = _log_reads(monkeypatch, tmp_path / "reads.log")
        with_pre = load_data([folder], schedule, today=TODAY)
    assert pre.served > 0 and read_here() == []  # each workbook read once, by the pre-read (its refusals too)
    _same(with_pre, without)
    refused = sorted((Path(i.file).name, i.code) for i in without.unreadable)
    assert ("dtd.xlsx", "xml-dtd") in refused and ("lie.xlsx", "zip-size-lie") in refused
    assert without.errors and without.warnings  # the comparison holds something


@pytest.mark.parametrize("trouble", ["fails", "exits", "garbage", "one file's garbage", "hangs"])
def test_trouble_in_the_child_costs_only_time(
    tmp_path: Path, schedule: Any, two_cores: None, monkeypatch: pytest.MonkeyPatch, trouble: str
) -> None:
    """What the pre-read's child runs instead of its reads (the fork copies this process: the patch holds there)."""
    folder = _odd_folder(tmp_path / "data")
    without = load_data([folder], schedule, today=TODAY)
    real = forked.write_sheets

    def answer(paths: list[Path], max_mb: int, fd: int) -> Any:
        if trouble == "fails":
            raise RuntimeError("a bug in the child")
        if trouble == "exits":
            os._exit(3)
        if trouble == "garbage":
            return {i: {"sheets": [("Progres", 0, 10**9)], "found": {}} for i in range(len(paths))}
        time.sleep(60)
        return {}

    def one_bad(fh: Any, path: Path, max_mb: int) -> Any:
        if path.name == "lokasi-sample.xlsx":
            return {"sheets": "garbage", "found": None}
        return real(fh, path, max_mb)

    if trouble == "one file's garbage":
        monkeypatch.setattr(forked, "write_sheets", one_bad)
    else:
        monkeypatch.setattr(preread, "_answer", answer)
    monkeypatch.setattr(preread, "WAIT_S", 0.5)
    monkeypatch.setattr(preread, "WAIT_S_PER_FILE", 0.0)
    started = time.perf_counter()
    with helper.allowed():
        pre = _start(folder)
        assert pre is not None and pre.child is not None
        pid = pre.child.pid
        read_here = _log_reads(monkeypatch, tmp_path / "reads.log")
        with_pre = load_data([folder], schedule, today=TODAY)
    assert time.perf_counter() - started < 30  # a hung child stopped, not waited for
    _same(with_pre, without)
    # What the loader (or its helper child) read itself: the one file the pre-read answered garbage for; else all
    # (a file the helper child refuses is read again here, to say why: refusals are not sent back).
    books = sorted(p.name for p in folder.iterdir() if p.suffix == ".xlsx")
    if trouble == "one file's garbage":
        assert read_here() == ["lokasi-sample.xlsx"]
    else:
        assert sorted(set(read_here())) == books
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # stopped (or ended) and reaped


def test_a_likely_cold_load(tmp_path: Path) -> None:
    """Only a guess for a head start: a load entry written (or used) at or after the newest file's change says warm;
    an older one, another name, a missing or unreadable folder, or the cache off say cold."""
    store = tmp_path / "cache"
    assert preread.likely_cold(None, 1000.0)
    assert preread.likely_cold(store, 1000.0)  # (no folder yet: a first run)
    store.mkdir()
    assert preread.likely_cold(store, 1000.0)
    entry = store / (cache.ENTRY_PREFIX + "0" * 32)
    entry.mkdir()
    os.utime(entry, (999.0, 999.0))
    (store / "pkp-file-x.pkpc").touch()
    os.utime(store / "pkp-file-x.pkpc", (2000.0, 2000.0))  # a file entry, newer: not a load entry
    assert preread.likely_cold(store, 1000.0)
    os.utime(entry, (1000.0, 1000.0))
    assert not preread.likely_cold(store, 1000.0)  # the boundary: written in the same instant
    assert not preread.likely_cold(store, 999.5)


def test_only_where_it_pays(tmp_path: Path, schedule: Any, two_cores: None, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "data"
    shutil.copytree(SAMPLE, folder)
    assert _start(folder) is None  # outside the CLI's commands (a library caller's process is never forked)
    with helper.allowed():
        few = tmp_path / "few"
        shutil.copytree(SAMPLE / "progres" / "2022-06-03", few)
        for extra in sorted(few.iterdir())[preread.MIN_FILES - 1 :]:
            extra.unlink()
        assert _start(few) is None  # 7 workbooks: read before a child would be ready
        shutil.copy(SAMPLE / "lokasi" / "lokasi-ta2022.xlsx", few)
        assert _start(few) is not None  # 8: the boundary
        preread.discard()
        monkeypatch.setattr(preread, "MAX_FILES", 63)
        assert _start(folder) is None  # more than MAX_FILES (64 here)
        monkeypatch.setattr(preread, "MAX_FILES", 400)
        monkeypatch.setattr(early, "THREADS_MIN_FILE_BYTES", (SAMPLE / "lokasi" / "lokasi-ta2022.xlsx").stat().st_size)
        assert _start(folder) is None  # a big workbook among them: early.py's
        monkeypatch.setattr(early, "THREADS_MIN_FILE_BYTES", 2_000_000)
        total = sum(p.stat().st_size for p in folder.rglob("*.xlsx"))
        monkeypatch.setattr(preread, "MAX_TOTAL_BYTES", total - 1)
        assert _start(folder) is None  # more than MAX_TOTAL_BYTES together
        monkeypatch.setattr(preread, "MAX_TOTAL_BYTES", total)
        assert _start(folder) is not None  # the boundary
        preread.discard()
        monkeypatch.setattr(preread, "MAX_TOTAL_BYTES", 32_000_000)
        monkeypatch.setenv("PKP_NO_HELPER", "1")
        assert _start(folder) is None
        monkeypatch.delenv("PKP_NO_HELPER")
        store = tmp_path / "cache"
        load_data([folder], schedule, today=TODAY, cache_dir=store)  # the load cache now holds it
        assert _start(folder, store) is None  # a warm run reads nothing
        (folder / "progres" / "2022-06-03" / "new.xlsx").write_bytes(b"not yet a workbook")
        os.utime(folder / "progres" / "2022-06-03" / "new.xlsx", (time.time() + 5, time.time() + 5))
        assert _start(folder, store) is not None  # a file changed since: likely cold
        preread.discard()
    assert helper._live == []


def test_a_read_no_load_claims_is_stopped(tmp_path: Path, two_cores: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(preread, "_answer", lambda *args: time.sleep(60))
    with helper.allowed():
        pre = _start(SAMPLE)
        assert pre is not None and pre.child is not None
        pid = pre.child.pid
        preread.discard()  # the load came from its cache entry
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)  # stopped and reaped
        pre = _start(SAMPLE)
        assert pre is not None and pre.child is not None
        pid = pre.child.pid
        assert preread.claim([tmp_path], None, MB) is None  # a load of other paths
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
        assert _start(SAMPLE) is not None
        assert preread.claim([SAMPLE], None, MB + 1) is None  # other settings
    assert helper._live == [] and preread._pending is None


def test_the_cli_takes_the_reads_and_prints_the_same(
    tmp_path: Path, two_cores: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cold `pkp status --province Bali` takes its reads from the pre-read and prints what it prints without
    one (Bali's numbers); the warm run after it starts none."""
    claimed: list[Any] = []
    real_claim, real_start = preread.claim, helper.start
    forks: list[int] = []

    def claim(*args: Any) -> Any:
        claimed.append(real_claim(*args))
        return claimed[-1]

    def start(*args: Any) -> Any:
        forks.append(1)
        return real_start(*args)

    monkeypatch.setattr(preread, "claim", claim)
    monkeypatch.setattr(helper, "start", start)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("NO_COLOR", "1")
    argv = ["status", "--province", "Bali"]
    cold = CliRunner().invoke(app, argv)
    assert cold.exit_code == 0, cold.output
    assert claimed[0] is not None and claimed[0].served > 0 and len(forks) == 2  # the pre-read and the helper
    warm = CliRunner().invoke(app, argv)
    assert len(forks) == 2 and len(claimed) == 1  # warm: no child, no load
    monkeypatch.setenv("PKP_NO_HELPER", "1")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "other"))
    plain = CliRunner().invoke(app, argv)
    assert cold.stdout == warm.stdout == plain.stdout
    assert "Bali (51)" in cold.stdout and "realisasi % 31,9" in cold.stdout


def test_when_the_load_is_one_of_many(tmp_path: Path, schedule: Any, two_cores: None) -> None:
    """A second load in the same command (a pack, the weekly summary) finds no pending read: it reads alone."""
    with helper.allowed():
        pre = _start(SAMPLE)
        assert pre is not None
        first = load_data([SAMPLE], schedule, today=TODAY)
        assert pre.served > 0 and preread._pending is None
        again = load_data([SAMPLE], schedule, today=TODAY)
    _same(first, again)


def test_what_the_child_holds_is_bounded(
    tmp_path: Path, schedule: Any, two_cores: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past MAX_HELD_BYTES in its memory the child reads no further: the loader reads the rest itself."""
    without = load_data([SAMPLE], schedule, today=TODAY)
    monkeypatch.setattr(preread, "MAX_HELD_BYTES", 1)  # (the fork copies it)
    with helper.allowed():
        pre = _start(SAMPLE)
        assert pre is not None
        pre.settle()
        assert len(pre.answers) == 1  # the first workbook, then no more
        read_here = _log_reads(monkeypatch, tmp_path / "reads.log")
        with_pre = load_data([SAMPLE], schedule, today=TODAY)
    assert len(set(read_here())) == 63  # the other 63 workbooks read by the loader (or its helper child)
    _same(with_pre, without)
