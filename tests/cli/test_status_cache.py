"""The status frame kept next to its load: a warm run reads it instead of computing it, gets exactly what the
engine computes, and another status date (or a damaged entry) computes it again."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from pkp_cli.cli.workspace import open_workspace
from pkp_cli.engines import status as engine
from pkp_cli.ingest import cache
from tests.factories import ROOT


@pytest.fixture
def fresh_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "no-config"))
    monkeypatch.delenv("PKP_NO_CACHE", raising=False)
    monkeypatch.chdir(ROOT)  # ./data: the bundled sample
    return tmp_path / "xdg" / "pkp"


def _open(as_of: str | None = None):
    return open_workspace(data=None, schedule=None, as_of=as_of, lang=None)


def _refuse(*args, **kwargs):
    raise AssertionError("compute_status ran: the status should have come from the cache")


def test_a_warm_run_reads_the_status_it_kept(fresh_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = _open().status()
    kept = [p for p in fresh_cache.glob("pkp-file-*.pkpc") if cache.load_file(fresh_cache, p.name[9:41])]
    assert any(cache.load_file(fresh_cache, p.name[9:41])[0].get("derived") == "status" for p in kept)
    monkeypatch.setattr(engine, "compute_status", _refuse)
    second = _open().status()
    pd.testing.assert_frame_equal(first, second)  # dtypes too: categorical names, the status categorical


def test_another_date_or_a_damaged_entry_computes_again(
    fresh_cache: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    base = _open().status()
    calls = []
    real = engine.compute_status_work  # what the workspace calls (the frame and the engine's work for the view)

    def counting(*args, **kwargs):
        calls.append(args[3])
        return real(*args, **kwargs)

    monkeypatch.setattr(engine, "compute_status_work", counting)
    other = _open("2022-05-27").status()
    assert [d.isoformat() for d in calls] == ["2022-05-27"]
    assert not other.equals(base)
    # Damage every status entry: the next run notes it and computes the status again, equal to the first.
    for p in fresh_cache.glob("pkp-file-*.pkpc"):
        header = cache.load_file(fresh_cache, p.name[9:41])
        if header and header[0].get("derived") == "status":
            p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2])
            os.utime(p)
    capsys.readouterr()
    again = _open().status()
    assert "corrupt, rebuilt" in capsys.readouterr().err
    assert len(calls) == 2
    pd.testing.assert_frame_equal(base, again)
