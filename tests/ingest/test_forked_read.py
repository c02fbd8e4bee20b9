"""The biggest workbook of a cold load read by a forked child from the load's start (pkp_cli/ingest/forked.py): its
outcome is what a direct read gives (the same sheets, the same refusal of a hostile file), a load with it gives
what a load without it gives, it is used only where it is allowed, and whatever goes wrong in the child (it fails,
answers garbage, hangs) only costs time: the loader reads the file itself."""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from pkp_cli.cli.app import app
from pkp_cli.ingest import early, forked, helper
from pkp_cli.ingest.cached import load_data
from pkp_cli.ingest.read import read_file
from tests.factories import write_lokasi
from tests.hostile.corpus import progres_xlsx
from tests.ingest.test_early_reads import _files, _outcome, _same
from tests.ingest.test_helper_process import _same as _same_load

pytestmark = pytest.mark.skipif(not hasattr(os, "memfd_create"), reason="the forked read needs fork and memfd (Linux)")
TODAY = dt.date(2022, 6, 30)


@pytest.fixture
def forking(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Workbooks of any size forked (the bench's are megabytes; these a few kB), on the 2-core machine whatever runs
    the tests; counts the children started."""
    seen = {"children": 0}
    real = forked.start

    def start(*args: Any) -> Any:
        child = real(*args)
        seen["children"] += child is not None
        return child

    monkeypatch.setattr(early, "THREADS_MIN_FILE_BYTES", 0)
    monkeypatch.setattr(helper, "_usable_cpus", lambda: 2)
    monkeypatch.setattr(forked, "start", start)
    return seen


def _forked_outcome(path: Path) -> Any:
    with helper.allowed():
        reads = early.start([path], None, display_root=None, max_mb=1024, cache_dir=None)  # type: ignore[arg-type]
        try:
            found = reads.discovery()
            assert found is not None and reads.started() == found.files
            ((p, shown),) = found.files
            return _outcome(lambda: reads.take(p, shown, 1024)())
        finally:
            reads.close()


def test_each_forked_read_gives_what_a_direct_read_gives(tmp_path: Path, forking: dict[str, int]) -> None:
    """Good, odd and hostile workbooks (a bad date serial, a DTD, a size that lies, a cell beyond Excel): each one's
    sheets, or its refusal, as the loader's own read gives them."""
    files = {n: p for n, p in _files(tmp_path / "data").items() if p.suffix == ".xlsx"}
    outcomes = {name: _forked_outcome(path) for name, path in files.items()}
    assert forking["children"] == len(files) == 5
    for name, path in files.items():
        _same(outcomes[name], _outcome(lambda p=path: read_file(p, 1024)))  # type: ignore[misc]
    refused = {n: o[0] for n, o in outcomes.items() if isinstance(o, tuple)}
    assert refused == {"dtd.xlsx": "xml-dtd", "lie.xlsx": "zip-size-lie", "far.xlsx": "xlsx-beyond-excel"}
    dates = outcomes["dates.xlsx"]
    assert not isinstance(dates, tuple) and [p[2] for p in dates[0].problems] == ["date-invalid"]


def _data(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    write_lokasi(data / "lokasi.xlsx")
    progres_xlsx(data / "progres.xlsx", [dt.datetime(2022, 4, 2), 1e15, "teks"])
    return data


def test_a_load_with_a_forked_read_is_a_load_without(
    tmp_path: Path, mini_schedule: Any, forking: dict[str, int]
) -> None:
    data = _data(tmp_path)
    without = load_data([data], mini_schedule, today=TODAY)
    with helper.allowed():
        with_child = load_data([data], mini_schedule, today=TODAY)
    assert forking["children"] == 1
    _same_load(with_child, without)
    assert without.errors and without.files  # the comparison holds something


def test_only_where_allowed(tmp_path: Path, mini_schedule: Any, forking: dict[str, int], monkeypatch: Any) -> None:
    """Never in a library caller's process (outside `allowed()`), nor with PKP_NO_HELPER, nor on one core."""
    data = _data(tmp_path)
    load_data([data], mini_schedule, today=TODAY)
    with helper.allowed():
        monkeypatch.setenv("PKP_NO_HELPER", "1")
        load_data([data], mini_schedule, today=TODAY)
        monkeypatch.delenv("PKP_NO_HELPER")
        monkeypatch.setattr(helper, "_usable_cpus", lambda: 1)
        load_data([data], mini_schedule, today=TODAY)
    assert forking["children"] == 0


@pytest.mark.parametrize("trouble", ["fails", "exits", "garbage spans", "spans outside", "hangs"])
def test_trouble_in_the_child_costs_only_time(
    tmp_path: Path, mini_schedule: Any, forking: dict[str, int], monkeypatch: pytest.MonkeyPatch, trouble: str
) -> None:
    """What the forked child runs instead of its read (the fork copies this process: the patch holds there)."""
    data = _data(tmp_path)
    without = load_data([data], mini_schedule, today=TODAY)

    def answer(path: Path, max_mb: int, fd: int) -> Any:
        if trouble == "fails":
            raise RuntimeError("a bug in the child")
        if trouble == "exits":
            os._exit(3)
        if trouble == "garbage spans":
            return {"sheets": [("Progres", "x", None)], "found": {}}
        if trouble == "spans outside":
            return {"sheets": [("Progres", 0, 10**9)], "found": {}}
        time.sleep(60)
        return {}

    monkeypatch.setattr(forked, "_answer", answer)
    monkeypatch.setattr(forked, "WAIT_S", 0.5)
    monkeypatch.setattr(forked, "WAIT_S_PER_MB", 0.0)
    started = time.perf_counter()
    with helper.allowed():
        with_child = load_data([data], mini_schedule, today=TODAY)
    assert forking["children"] == 1 and time.perf_counter() - started < 30  # a hung child stopped, not waited for
    _same_load(with_child, without)
    assert helper._live == []  # every child reaped


def test_a_child_not_taken_is_stopped(tmp_path: Path, forking: dict[str, int], monkeypatch: pytest.MonkeyPatch) -> None:
    """A load that ends before it takes the read (an error elsewhere): closing the early reads stops the child."""
    monkeypatch.setattr(forked, "_answer", lambda *args: time.sleep(60))
    path = _data(tmp_path) / "progres.xlsx"
    with helper.allowed():
        reads = early.start([path], None, display_root=None, max_mb=1024, cache_dir=None)  # type: ignore[arg-type]
        (child,) = list(helper._live)
        reads.close()
    assert helper._live == []
    with pytest.raises(ChildProcessError):
        os.waitpid(child.pid, os.WNOHANG)  # reaped


def test_validate_prints_the_same_with_and_without_the_child(
    tmp_path: Path, forking: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _data(tmp_path)
    monkeypatch.setenv("PKP_NO_CACHE", "1")
    argv = ["validate", str(data / "progres.xlsx"), str(data / "lokasi.xlsx"), "--format", "json"]
    got = CliRunner().invoke(app, argv)
    assert forking["children"] == 1
    monkeypatch.setenv("PKP_NO_HELPER", "1")
    again = CliRunner().invoke(app, argv)
    assert forking["children"] == 1
    assert (got.exit_code, got.output) == (again.exit_code, again.output)
    assert '"date-invalid"' in got.output and got.exit_code == 65  # what the user reads: the bad serial's cell
