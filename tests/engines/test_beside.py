"""The engines' second thread (engines/beside.py): with one usable CPU (ingest/cores.py) the work runs on the
caller's thread, each task when submitted, with the same answers and a task's error handed on as a thread's is."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from pkp_cli.engines import beside
from pkp_cli.engines.status import compute_status
from pkp_cli.ingest.cached import load_data
from pkp_cli.model.schedule import load_schedule

REPO = Path(__file__).resolve().parents[2]


def _names_seen(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the threads started from now on."""
    seen: list[str] = []
    real = threading.Thread.start

    def start(self: threading.Thread) -> None:
        seen.append(self.name)
        real(self)

    monkeypatch.setattr(threading.Thread, "start", start)
    return seen


def test_one_cpu_computes_the_same_status_on_the_callers_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    schedule = load_schedule(REPO / "schedules" / "jadwal-nasional-2022.yaml")
    loaded = load_data([REPO / "data"], schedule, today=date(2022, 6, 3))
    as_of = date(2022, 6, 3)
    monkeypatch.setattr(beside, "usable_cpus", lambda: 2)
    seen = _names_seen(monkeypatch)
    two = compute_status(loaded.lokasi, loaded.progres, schedule, as_of)
    assert any(name.startswith("pkp-status") for name in seen)  # the second thread ran its part
    seen.clear()
    monkeypatch.setattr(beside, "usable_cpus", lambda: 1)
    one = compute_status(loaded.lokasi, loaded.progres, schedule, as_of)
    assert not any(name.startswith("pkp-status") for name in seen)
    assert len(one) == 7_502  # the sample's status rows (bench/results.md: 6,146 progress rows -> 7,502)
    pd.testing.assert_frame_equal(one, two, check_exact=True)


def test_inline_runs_each_task_when_submitted_and_hands_on_its_error() -> None:
    order: list[str] = []

    def task(name: str) -> str:
        order.append(name)
        return name.upper()

    def broken() -> Any:
        raise ValueError("bad input")

    with beside.Inline() as pool:
        first = pool.submit(task, "a")
        order.append("caller")
        failed = pool.submit(broken)
    assert order == ["a", "caller"]
    assert first.result() == "A"
    with pytest.raises(ValueError, match="bad input"):
        failed.result()


def test_second_thread_by_cpus(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(beside, "usable_cpus", lambda: 1)
    assert isinstance(beside.second_thread("x"), beside.Inline)
    monkeypatch.setattr(beside, "usable_cpus", lambda: 2)
    with beside.second_thread("x") as pool:
        assert not isinstance(pool, beside.Inline)
        assert pool.submit(threading.current_thread).result().name.startswith("x")
