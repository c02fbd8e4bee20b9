"""Cache writes deferred beside a command (pkp_cli/ingest/background.py): on a thread inside `deferring()`,
waited for at its end (also when the command ends with an exit code or an error), not waited for when the
user stops the command, never a traceback; outside `deferring()` a write happens at once, as before."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
import typer

from pkp_cli.errors import Exit, PkpError, Terminated
from pkp_cli.ingest import background


def _write(path: Path, seen: list[str], gate: threading.Event | None = None) -> None:
    if gate is not None:
        gate.wait(10)
    seen.append(threading.current_thread().name)
    path.write_text("entry", encoding="utf-8")


def test_outside_deferring_a_write_happens_at_once_in_the_callers_thread(tmp_path: Path) -> None:
    seen: list[str] = []
    background.later(_write, tmp_path / "e", seen)
    assert (tmp_path / "e").read_text() == "entry"
    assert seen == [threading.current_thread().name]


def test_outside_deferring_a_failing_write_raises_as_any_call() -> None:
    def boom() -> None:
        raise RuntimeError("bug in a writer")

    with pytest.raises(RuntimeError):
        background.later(boom)


def test_inside_deferring_writes_run_on_threads_and_are_done_at_the_end(tmp_path: Path) -> None:
    seen: list[str] = []
    gate = threading.Event()
    with background.deferring():
        background.later(_write, tmp_path / "a", seen, gate)
        background.later(_write, tmp_path / "b", seen)
        assert not (tmp_path / "a").exists()  # the first waits for the gate: the block went on without it
        threading.Timer(0.3, gate.set).start()  # opens after the block's end: only a wait there sees the file
    assert (tmp_path / "a").exists() and (tmp_path / "b").exists()
    assert seen and all(name == "pkp-cache-write" for name in seen)


def test_a_held_write_starts_only_when_the_command_is_done(tmp_path: Path) -> None:
    # The status frame's entry is held: serialising it beside the national view set the cold run's peak memory.
    seen: list[str] = []
    with background.deferring():
        background.later(_write, tmp_path / "held", seen, hold=True)
        background.later(_write, tmp_path / "now", seen)
        for thread in threading.enumerate():  # the unheld write runs now: wait for it, then nothing else ran
            if thread.name == "pkp-cache-write":
                thread.join(10)
        assert (tmp_path / "now").exists() and not (tmp_path / "held").exists()
    assert (tmp_path / "held").read_text() == "entry"  # started and waited for at the end, on a thread
    assert seen == ["pkp-cache-write", "pkp-cache-write"]


def test_a_held_write_outside_deferring_happens_at_once(tmp_path: Path) -> None:
    background.later(_write, tmp_path / "e", [], hold=True)
    assert (tmp_path / "e").read_text() == "entry"


@pytest.mark.parametrize("stop", [KeyboardInterrupt(), Terminated()])
def test_a_stopped_command_never_starts_its_held_writes(tmp_path: Path, stop: BaseException) -> None:
    with pytest.raises(type(stop)), background.deferring():
        background.later(_write, tmp_path / "e", [], hold=True)
        raise stop
    with background.deferring():  # and a later command does not inherit them
        pass
    assert not (tmp_path / "e").exists()


@pytest.mark.parametrize("ending", [typer.Exit(65), PkpError(Exit.NO_INPUT, "x"), ValueError("a bug")])
def test_a_command_ending_with_an_exit_code_or_an_error_still_waits(tmp_path: Path, ending: BaseException) -> None:
    # `pkp validate` with rejected rows ends with exit 65: its cache entries must still be written
    seen: list[str] = []
    gate = threading.Event()
    with pytest.raises(type(ending)), background.deferring():
        background.later(_write, tmp_path / "e", seen, gate)
        threading.Timer(0.3, gate.set).start()
        raise ending
    assert (tmp_path / "e").read_text() == "entry"


@pytest.mark.parametrize("stop", [KeyboardInterrupt(), Terminated()])
def test_a_stopped_command_does_not_wait(tmp_path: Path, stop: BaseException) -> None:
    seen: list[str] = []
    gate = threading.Event()
    with pytest.raises(type(stop)), background.deferring():
        background.later(_write, tmp_path / "e", seen, gate)
        raise stop
    assert not (tmp_path / "e").exists()  # the block ended while the write still waited
    gate.set()


def test_a_failing_deferred_write_reaches_nobody(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    def boom() -> None:
        raise RuntimeError("bug in a writer")

    with background.deferring():
        background.later(boom)
        background.later(_write, tmp_path / "e", [])
    assert (tmp_path / "e").exists()
    assert "Traceback" not in capfd.readouterr().err


def test_deferring_nests_and_restores(tmp_path: Path) -> None:
    with background.deferring():
        with background.deferring():
            background.later(_write, tmp_path / "inner", [])
        assert (tmp_path / "inner").exists()
    seen: list[str] = []
    background.later(_write, tmp_path / "after", seen)
    assert seen == [threading.current_thread().name]  # at once again after the outer block


def test_the_console_script_exits_only_after_its_cache_writes(tmp_path: Path) -> None:
    # `python -m pkp_cli` ends with os._exit (no interpreter teardown, no wait for threads): the command itself
    # must have waited. After one cold run: the load entry, one file entry per workbook read (the sample's 65
    # progress workbooks of three weeks, 22 + 21 + 22, its lokasi and temuan workbooks), the status entry, the
    # province's tables and the provinces' names (views/status.py::province_tables, Workspace.province_names),
    # and no temporary names.
    import os
    import subprocess
    import sys

    from tests.factories import ROOT

    env = {**os.environ, "NO_COLOR": "1", "XDG_CACHE_HOME": str(tmp_path / "c"), "XDG_CONFIG_HOME": str(tmp_path)}
    env["PKP_TEST_WRITE_DELAY"] = "1.5"  # each deferred write starts late: exiting without waiting would lose them
    env.pop("PKP_NO_CACHE", None)
    res = subprocess.run(
        [sys.executable, "-m", "pkp_cli", "status", "--province", "Bali"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert res.returncode == 0, res.stderr
    (store,) = (tmp_path / "c").iterdir()
    names = sorted(p.name for p in store.iterdir())
    loads = [n for n in names if n.startswith("pkp-load-")]
    files = [n for n in names if n.startswith("pkp-file-")]
    assert len(loads) == 1 and (store / loads[0] / "meta.json").is_file()
    assert len(files) == 67 + 1 + 2  # 67 workbooks + the status frame + the province's tables and names
    assert not [n for n in names if n.startswith(".")]
