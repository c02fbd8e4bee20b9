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


@pytest.mark.parametrize(
    ("size", "where"),
    [(0, "main"), (background.SMALL_WRITE_BYTES - 1, "main"), (background.SMALL_WRITE_BYTES, "pkp-cache-write")],
)
def test_a_small_write_is_done_at_the_end_on_the_commands_thread(tmp_path: Path, size: int, where: str) -> None:
    # Below SMALL_WRITE_BYTES a write is mostly Python: on a thread it only takes turns with the command for the GIL.
    seen: list[str] = []
    with background.deferring():
        background.later(_write, tmp_path / "e", seen, size=size)
        if where == "main":
            assert not (tmp_path / "e").exists()  # not yet: after the command's output
        else:
            for thread in threading.enumerate():
                if thread.name == "pkp-cache-write":
                    thread.join(10)
            assert seen == ["pkp-cache-write"]
    assert (tmp_path / "e").read_text() == "entry"
    assert seen == (["MainThread"] if where == "main" else ["pkp-cache-write"])


@pytest.mark.parametrize("stop", [KeyboardInterrupt(), Terminated()])
def test_a_stopped_command_drops_its_small_writes(tmp_path: Path, stop: BaseException) -> None:
    with pytest.raises(type(stop)), background.deferring():
        background.later(_write, tmp_path / "e", [], size=10)
        raise stop
    with background.deferring():  # and a later command does not inherit them
        pass
    assert not (tmp_path / "e").exists()


def test_a_failing_small_write_reaches_nobody_and_the_others_are_done(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    def boom() -> None:
        raise RuntimeError("bug in a writer")

    with pytest.raises(typer.Exit), background.deferring():
        background.later(boom, size=10)
        background.later(_write, tmp_path / "e", [], size=10)
        raise typer.Exit(65)  # an exit code: the writes are still done
    assert (tmp_path / "e").read_text() == "entry"
    assert "Traceback" not in capfd.readouterr().err


def test_the_samples_cold_run_starts_no_writing_thread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Every cache write of the bundled sample is small (its 67 workbooks' entries, the load, the status frame, the
    # province's tables): a cold `pkp status --province Bali` does them at its end on its own thread, and writes
    # them all (then a warm run reads them: no workbook is parsed again).
    from typer.testing import CliRunner

    from pkp_cli.cli.app import app
    from pkp_cli.ingest import load as load_module
    from tests.factories import ROOT

    started: list[str] = []
    real_start = background._start
    monkeypatch.setattr(background, "_start", lambda fn, args: (started.append(fn.__name__), real_start(fn, args)))
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("PKP_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "c"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    cold = CliRunner().invoke(app, ["status", "--province", "Bali"])
    assert cold.exit_code == 0, cold.output
    assert "Bali (51)" in cold.output
    assert started == []
    (store,) = (tmp_path / "c").iterdir()
    assert len(list(store.glob("pkp-file-*"))) == 67 + 1 + 2 and len(list(store.glob("pkp-load-*"))) == 1
    parsed: list[object] = []
    real_parse = load_module._parse_batch
    monkeypatch.setattr(load_module, "_parse_batch", lambda *a, **k: (parsed.append(a), real_parse(*a, **k))[1])
    warm = CliRunner().invoke(app, ["status", "--province", "Bali"])
    assert warm.exit_code == 0 and warm.stdout == cold.stdout
    assert parsed == []


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
