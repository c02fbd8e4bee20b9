"""Many small files read and parsed by a forked child beside the loader (pkp_cli/ingest/helper.py): a load with a
child gives exactly what a load without one gives (frames, issues and their order, reports, accounting, the
files said parsed, the cache entries); the child is used only where the module says; and whatever goes wrong in
the child (it fails, answers garbage, hangs, dies) only costs time: the loader reads its files itself."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import threading
import time
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from pkp_cli.ingest import helper, load
from pkp_cli.ingest.cached import load_data
from pkp_cli.model.schedule import load_schedule
from tests.hostile.corpus import run_pkp
from tests.ingest.test_early_reads import _files

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "data"
TODAY = dt.date(2022, 6, 3)

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the helper child needs fork (Linux)")


@pytest.fixture
def schedule() -> Any:
    return load_schedule(REPO / "schedules" / "jadwal-nasional-2022.yaml")


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Counts the children started and the files read in this process (the child's reads are not seen here)."""
    seen: dict[str, Any] = {"children": 0, "here": [], "slow": 0.0}
    real_start, real_read = helper.start, load.read_sheets

    def start(order: list[int], work: Any) -> Any:
        seen["children"] += 1
        return real_start(order, work)

    def read_sheets(path: Path, shown: str, *args: Any) -> Any:
        if os.getpid() == parent:
            seen["here"].append(shown)
            time.sleep(seen["slow"])  # (a test that needs the child to take files slows this process down)
        return real_read(path, shown, *args)

    parent = os.getpid()
    monkeypatch.setattr(helper, "start", start)
    monkeypatch.setattr(load, "read_sheets", read_sheets)
    monkeypatch.setattr(helper, "_usable_cpus", lambda: 2)  # as on the 2-core machine, whatever runs the tests
    return seen


def _facts(res: Any) -> Any:
    return (
        [(i.file, i.code, i.params) for i in res.unreadable],
        [f.as_dict() for f in res.files],
        [(i.file, i.sheet, i.row, i.cell, i.code, i.params) for i in res.errors],
        [(i.file, i.sheet, i.row, i.cell, i.code, i.params) for i in res.warnings],
        res.ignored,
        res.errors_total,
        res.warnings_total,
        sorted(res.parsed),
        res.lokasi_missing_columns,
        res.lokasi_rejected,
    )


def _same(a: Any, b: Any) -> None:
    assert _facts(a) == _facts(b)
    for name in ("lokasi", "progres", "temuan"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name), check_exact=True)


def _load(folder: Path, schedule: Any, cache: Path | None = None, child: bool = True) -> Any:
    if not child:
        return load_data([folder], schedule, today=TODAY, cache_dir=cache)
    with helper.allowed():
        return load_data([folder], schedule, today=TODAY, cache_dir=cache)


def test_the_sample_loads_with_a_child_as_without(tmp_path: Path, schedule: Any, spy: dict[str, Any]) -> None:
    without = _load(SAMPLE, schedule, child=False)
    assert spy["children"] == 0 and len(spy["here"]) == 67  # outside the CLI's commands: never a child
    spy["here"].clear()
    spy["slow"] = 0.01
    with_child = _load(SAMPLE, schedule)
    assert spy["children"] == 1
    # The child read some of the 67 files (both take the next file when done with the last: how many each reads
    # depends on how the machine shares its cores, which a busy test run does not promise).
    assert len(spy["here"]) < 67, len(spy["here"])
    _same(with_child, without)
    assert len(with_child.parsed) == 67  # the child's files count as parsed now, not as from the cache


def test_the_names_of_title_dates_are_loaded_before_the_fork(
    schedule: Any, spy: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sample's progress workbooks have title dates ("Keadaan s.d. 27 Mei 2022"), whose month and weekday names
    come from Babel's locale data (about 30 ms to load); the file read before the fork, the biggest, is the
    location workbook, which has none. Loaded before the fork, the child has them from its parent."""
    from pkp_cli.ingest import parse

    parse.month_names.cache_clear()
    parse._weekday_prefix.cache_clear()
    parse.weekday_names.cache_clear()
    at_fork: list[tuple[int, int]] = []
    real_start = helper.start

    def start(order: list[int], work: Any) -> Any:
        at_fork.append((parse.month_names.cache_info().currsize, parse._weekday_prefix.cache_info().currsize))
        return real_start(order, work)

    monkeypatch.setattr(helper, "start", start)
    spy["slow"] = 0.01
    _load(SAMPLE, schedule)
    assert at_fork == [(1, 1)]


def test_names_that_fail_to_load_before_the_fork_cost_nothing(
    schedule: Any, spy: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The names' loading before the fork is a head start only: a failure there (a broken locale package) is
    dropped, and the load goes on with its child as before."""

    def broken() -> None:
        raise RuntimeError("no locale data")

    monkeypatch.setattr(load, "warm_names", broken)
    without = _load(SAMPLE, schedule, child=False)
    spy["here"].clear()
    spy["slow"] = 0.01
    _same(_load(SAMPLE, schedule), without)
    assert spy["children"] == 1


def test_the_cache_gets_the_same_entries_and_a_warm_load_reads_nothing(
    tmp_path: Path, schedule: Any, spy: dict[str, Any]
) -> None:
    cold = _load(SAMPLE, schedule, tmp_path / "with")
    plain = _load(SAMPLE, schedule, tmp_path / "without", child=False)
    _same(cold, plain)
    names = sorted(p.name for p in (tmp_path / "with").iterdir() if p.name.startswith("pkp-file-"))
    assert len(names) == 67  # an entry per file read, by either process
    assert names == sorted(p.name for p in (tmp_path / "without").iterdir() if p.name.startswith("pkp-file-"))
    # The child's entries hold what the loader's own would: a load from the per-file entries alone (the load
    # entry removed) parses nothing and gives the same.
    for entry in (tmp_path / "with").iterdir():
        if entry.name.startswith("pkp-load-"):
            shutil.rmtree(entry)
    spy["here"].clear()
    spy["children"] = 0
    from_files = _load(SAMPLE, schedule, tmp_path / "with")
    assert from_files.parsed == [] and spy["here"] == [] and spy["children"] == 0
    _same_but_parsed(from_files, plain)


def _same_but_parsed(a: Any, b: Any) -> None:
    fa, fb = list(_facts(a)), list(_facts(b))
    del fa[7], fb[7]
    assert fa == fb
    for name in ("lokasi", "progres", "temuan"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name), check_exact=True)


def _odd_folder(folder: Path) -> Path:
    """Good, odd and hostile files (tests/ingest/test_early_reads.py), a byte-identical copy and the sample's
    location workbook and a few of its progress workbooks: more than MIN_FILES to read."""
    _files(folder)
    shutil.copy(folder / "simple.csv", folder / "simple-copy.csv")
    shutil.copy(SAMPLE / "lokasi" / "lokasi-ta2022.xlsx", folder / "lokasi-sample.xlsx")
    for path in sorted((SAMPLE / "progres" / "2022-06-03").iterdir())[:6]:
        shutil.copy(path, folder / path.name)
    return folder


def test_odd_and_hostile_files_load_with_a_child_as_without(tmp_path: Path, schedule: Any, spy: dict[str, Any]) -> None:
    folder = _odd_folder(tmp_path / "data")
    without = _load(folder, schedule, child=False)
    spy["here"].clear()
    with_child = _load(folder, schedule)
    assert spy["children"] == 1
    _same(with_child, without)
    assert without.unreadable and without.errors and without.warnings  # the comparison holds something


def _child_does(monkeypatch: pytest.MonkeyPatch, work: Any) -> None:
    """What the forked child runs instead of reading its share (the fork copies this process: the patch holds)."""
    monkeypatch.setattr(load, "read_share", work)


def test_a_failing_child_costs_only_time(
    tmp_path: Path, schedule: Any, spy: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    def fails(queue: helper.Queue, files: Any, schedule: Any, max_mb: int, cache_dir: Any) -> Any:
        for _ in range(5):
            queue.next()  # it takes files, then fails: those five are read here after all
        raise RuntimeError("a bug in the child")

    without = _load(SAMPLE, schedule, child=False)
    _child_does(monkeypatch, fails)
    spy["here"].clear()
    with_child = _load(SAMPLE, schedule)
    assert spy["children"] == 1 and sorted(spy["here"]) == sorted(without.parsed)  # every file read here
    _same(with_child, without)


# Junk, not a dict, an entry that is not whole, and an answer that cannot be sent (pickle fails in the child).
@pytest.mark.parametrize(
    "answer", [{"x": "junk"}, "not a dict", {str(SAMPLE / "lokasi" / "lokasi-ta2022.xlsx"): ({}, {})}, {"x": lambda: 0}]
)
def test_a_garbage_answer_is_no_answer(
    tmp_path: Path, schedule: Any, spy: dict[str, Any], monkeypatch: pytest.MonkeyPatch, answer: Any
) -> None:
    def garbage(queue: helper.Queue, files: Any, schedule: Any, max_mb: int, cache_dir: Any) -> Any:
        while queue.next() is not None:
            pass  # takes every file left and reads none
        return answer, None

    without = _load(SAMPLE, schedule, child=False)
    _child_does(monkeypatch, garbage)
    spy["here"].clear()
    with_child = _load(SAMPLE, schedule)
    _same(with_child, without)
    assert len(spy["here"]) == 67  # the child's files were read here


def test_a_hung_child_is_stopped_after_the_grace_and_its_files_read_here(
    tmp_path: Path, schedule: Any, spy: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    pids: list[int] = []
    real_start = helper.start

    def start(order: list[int], work: Any) -> Any:
        child = real_start(order, work)
        pids.append(child.pid)
        return child

    def hangs(queue: helper.Queue, files: Any, schedule: Any, max_mb: int, cache_dir: Any) -> Any:
        queue.next()
        time.sleep(120)

    monkeypatch.setattr(helper, "start", start)
    monkeypatch.setattr(helper, "MIN_WAIT_S", 1.0)
    monkeypatch.setattr(helper, "GRACE", 1.0)
    _child_does(monkeypatch, hangs)
    t = time.perf_counter()
    with_child = _load(SAMPLE, schedule)
    took = time.perf_counter() - t
    assert took < 60  # not the child's two minutes
    (pid,) = pids
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # stopped and reaped: no process left behind
    _same(with_child, _load(SAMPLE, schedule, child=False))


def test_a_child_that_dies_costs_only_time(
    tmp_path: Path, schedule: Any, spy: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    def dies(queue: helper.Queue, files: Any, schedule: Any, max_mb: int, cache_dir: Any) -> Any:
        queue.next()
        os.kill(os.getpid(), 9)

    _child_does(monkeypatch, dies)
    _same(_load(SAMPLE, schedule), _load(SAMPLE, schedule, child=False))


def test_a_child_killed_while_writing_its_entries_leaves_them_to_the_next_run(
    tmp_path: Path, schedule: Any, spy: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The child's answer is used; its cache entries are written after it, and a child killed then leaves them
    unwritten (and nothing half-written trusted): the next run reads exactly the files the child had read."""
    real = load.read_share
    child_files: list[str] = []

    def killed_after_answering(queue: helper.Queue, files: Any, schedule: Any, max_mb: int, *rest: Any) -> Any:
        answer, _write = real(queue, files, schedule, max_mb, *rest)
        return answer, lambda: os.kill(os.getpid(), 9)

    monkeypatch.setattr(load, "read_share", killed_after_answering)
    spy["slow"] = 0.01  # the child surely takes files
    cold = _load(SAMPLE, schedule, tmp_path / "cache")
    spy["slow"] = 0.0
    child_files = sorted(set(cold.parsed) - set(spy["here"]))
    assert child_files  # the child read some, and they are in the result
    _same_but_parsed(cold, _load(SAMPLE, schedule, child=False))
    for entry in (tmp_path / "cache").iterdir():
        if entry.name.startswith("pkp-load-"):
            shutil.rmtree(entry)  # the load entry would hold the whole result: only the per-file entries count here
    monkeypatch.setattr(load, "read_share", real)
    spy["here"].clear()
    again = _load(SAMPLE, schedule, tmp_path / "cache")
    assert sorted(again.parsed) == child_files
    _same_but_parsed(again, cold)


def test_a_stop_in_the_parent_stops_the_child(
    tmp_path: Path, schedule: Any, monkeypatch: pytest.MonkeyPatch, spy: dict[str, Any]
) -> None:
    """Ctrl-C (or pkp's Terminated) while the parent reads its share: the child is stopped and reaped at once, not
    left reading and writing on its own."""
    pids: list[int] = []
    real_start, real_read = helper.start, load.read_sheets
    parent = os.getpid()

    def start(order: list[int], work: Any) -> Any:
        child = real_start(order, work)
        pids.append(child.pid)
        return child

    def read_sheets(path: Path, shown: str, *args: Any) -> Any:
        if os.getpid() == parent and pids:
            raise KeyboardInterrupt  # the user stops the command while both read
        return real_read(path, shown, *args)

    monkeypatch.setattr(helper, "start", start)
    monkeypatch.setattr(load, "read_sheets", read_sheets)
    with pytest.raises(KeyboardInterrupt):
        _load(SAMPLE, schedule, tmp_path / "cache")
    (pid,) = pids
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)
    assert helper._live == []


def test_a_stop_after_the_load_stops_a_child_still_writing(tmp_path: Path) -> None:
    """The child writes its cache entries after its answer; a stop then (the command is stopped while it prints)
    stops the child too (`allowed()`), as a stop drops the command's own pending writes."""

    def slow_writer(queue: helper.Queue) -> Any:
        while queue.next() is not None:
            pass
        return {}, lambda: time.sleep(60)

    with pytest.raises(KeyboardInterrupt), helper.allowed():
        child = helper.start([0, 1, 2], slow_writer)
        assert child is not None
        assert child.take() == {}  # answered (nothing read), now "writing"
        assert helper._live == [child]
        raise KeyboardInterrupt
    with pytest.raises(ChildProcessError):
        os.waitpid(child.pid, os.WNOHANG)
    assert helper._live == []


def _sizes(n: int, biggest: int = 10_000) -> list[int]:
    return [biggest] + [1_000] * (n - 1)


def test_when_a_child_is_worth_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(helper, "_usable_cpus", lambda: 2)
    monkeypatch.delenv("PKP_NO_HELPER", raising=False)
    assert not helper.worth(_sizes(helper.MIN_FILES))  # outside `allowed()`: never
    with helper.allowed():
        assert helper.worth(_sizes(helper.MIN_FILES))
        assert not helper.worth(_sizes(helper.MIN_FILES - 1))
        assert helper.worth(_sizes(helper.MAX_FILES))
        assert not helper.worth(_sizes(helper.MAX_FILES + 1))
        assert helper.worth(_sizes(helper.MIN_FILES, helper.MAX_FILE_BYTES - 1))
        assert not helper.worth(_sizes(helper.MIN_FILES, helper.MAX_FILE_BYTES))  # a big file: early.py's threads
        monkeypatch.setenv("PKP_NO_HELPER", "1")
        assert not helper.worth(_sizes(helper.MIN_FILES))
        monkeypatch.delenv("PKP_NO_HELPER")
        monkeypatch.setattr(helper, "_usable_cpus", lambda: 1)
        assert not helper.worth(_sizes(helper.MIN_FILES))
        monkeypatch.setattr(helper, "_usable_cpus", lambda: 2)
        # A thread of pkp's own alive (a cache write of an earlier load): no fork while it may hold a lock.
        gate = threading.Event()
        writer = threading.Thread(target=gate.wait, args=(10,), name="pkp-cache-write")
        writer.start()
        try:
            assert not helper.worth(_sizes(helper.MIN_FILES))
        finally:
            gate.set()
            writer.join()
        assert helper.worth(_sizes(helper.MIN_FILES))
        other = threading.Thread(target=time.sleep, args=(0.5,), name="someone-else")  # not pkp's: not a reason
        other.start()
        assert helper.worth(_sizes(helper.MIN_FILES))
        other.join()
    assert not helper.worth(_sizes(helper.MIN_FILES))


def test_the_rejected_rows_file_gets_no_child(tmp_path: Path, schedule: Any, spy: dict[str, Any]) -> None:
    # A child's files come back parsed, without the grids the rejected rows' file reads.
    with helper.allowed():
        load_data([SAMPLE], schedule, today=TODAY, collect_rejects=True)
    assert spy["children"] == 0 and len(spy["here"]) == 67


def test_each_file_is_taken_once_by_one_of_the_two_processes() -> None:
    order = list(range(1000))
    rfd, wfd = os.pipe()
    queue = helper.Queue(order)
    pid = os.fork()
    if pid == 0:  # the child: takes what it can, sends the indexes it took
        try:
            os.close(rfd)
            taken = []
            while (i := queue.next()) is not None:
                taken.append(i)
                time.sleep(0.001)
            os.write(wfd, ",".join(map(str, taken)).encode())
        finally:
            os._exit(0)
    os.close(wfd)
    mine = []
    while (i := queue.next()) is not None:
        mine.append(i)
        time.sleep(0.001)
    os.waitpid(pid, 0)
    with os.fdopen(rfd, "rb") as fh:
        data = fh.read().decode()
    queue.close()
    theirs = [int(x) for x in data.split(",") if x]
    assert mine and theirs  # both took some
    assert sorted(mine + theirs) == order  # each once
    assert mine == sorted(mine) and theirs == sorted(theirs)  # in the queue's order


@pytest.mark.skipif(helper._usable_cpus() < 2, reason="one core: the CLI starts no child")
def test_the_cli_prints_the_same_with_a_child_and_the_child_prints_nothing(tmp_path: Path) -> None:
    """The bundled sample's cold `pkp status --province Bali`, with and without a child: the same stdout and stderr
    (nothing from the child), and the report itself (its first line and Bali's numbers)."""
    runs = {}
    for name, extra in (("child", {}), ("none", {"PKP_NO_HELPER": "1"})):
        env = {"XDG_CACHE_HOME": str(tmp_path / name), "NO_COLOR": "1", "COLUMNS": "120", **extra}
        res = run_pkp(["status", "--province", "Bali"], cwd=REPO, timeout=120, env=env)
        assert res.returncode == 0, res.stderr
        runs[name] = res
    assert runs["child"].stdout == runs["none"].stdout
    assert runs["child"].stderr == runs["none"].stderr
    assert "Bali (51)" in runs["child"].stdout
    assert "realisasi % 31,9" in runs["child"].stdout
