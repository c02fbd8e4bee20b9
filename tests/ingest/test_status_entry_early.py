"""The status frame's cache entry is written beside the end of a command (issue 13, national cold run): held while
the view makes its big temporaries, started once the view's tables are made (`background.start_held`, called by
`Workspace.kept_tables`), instead of after the output. The frame crosses to the writing thread as a shallow copy:
what is written is the frame as the engine made it, whatever the command does to its own frame afterwards."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pkp_cli.ingest import background, cache


def _write(path: Path) -> None:
    path.write_text("entry", encoding="utf-8")


def _join_writers() -> None:
    for thread in threading.enumerate():
        if thread.name == "pkp-cache-write":
            thread.join(10)


def test_start_held_starts_the_held_writes_before_the_command_ends(tmp_path: Path) -> None:
    with background.deferring():
        background.later(_write, tmp_path / "held", hold=True)
        _join_writers()
        assert not (tmp_path / "held").exists()  # held: not started by itself
        background.start_held()
        _join_writers()
        assert (tmp_path / "held").read_text() == "entry"  # written inside the block, before its end


def test_start_held_outside_deferring_does_nothing() -> None:
    background.start_held()  # nothing is held outside deferring(): no error, nothing to start


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "kode": pd.Categorical(["51", "52", "51"]),
            "teks": pd.array(["a", None, "c"], dtype="str"),
            "hari": np.array([1, 2, 3], dtype=np.int64),
        }
    )


def test_the_entry_holds_the_frame_as_it_was_when_saved(tmp_path: Path) -> None:
    frame = _frame()
    with background.deferring():
        cache.save_frame(tmp_path, "0" * 32, "status", frame)
        # the command changes its own frame after the save and before the (held) write runs
        frame.loc[0, "hari"] = 99
        frame["teks"] = pd.array(["x", "y", "z"], dtype="str")
    kept = cache.load_frame(tmp_path, "0" * 32, "status")
    assert kept is not None
    pd.testing.assert_frame_equal(kept, _frame(), check_exact=True)


def test_kept_tables_starts_the_held_status_entry_once_the_tables_are_made(tmp_path: Path, monkeypatch: Any) -> None:
    # A national cold run: the status frame's entry is held by the engine's save; the view's tables are computed
    # inside kept_tables; the entry must be started right after, before kept_tables returns (the report is printed
    # after that).
    from pkp_cli.cli.workspace import Workspace

    monkeypatch.setattr("pkp_cli.ingest.locate.cache_dir", lambda cfg: tmp_path)
    ws = Workspace.__new__(Workspace)
    ws.loaded = type("L", (), {"cache_key": "k"})()  # type: ignore[assignment]
    monkeypatch.setattr(Workspace, "_status_inputs", lambda self, calendar: {"load": "k"})
    monkeypatch.setattr(Workspace, "calendar", lambda self: None)
    ws.cfg = None  # type: ignore[assignment]
    started: list[bool] = []

    def compute() -> dict[str, pd.DataFrame]:
        background.later(_write, tmp_path / "status-entry", hold=True)  # as Workspace.status does
        return {"t": pd.DataFrame({"a": [1]})}

    with background.deferring():
        ws.kept_tables("status-national", {}, compute)
        _join_writers()
        started.append((tmp_path / "status-entry").exists())
    assert started == [True]
