"""Writers of the second hostile round: `pkp sample` under a file-size limit said "pkp: DIR: None" and left a
half-copied folder; now the copy appears whole or not at all, with the reason."""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hostile.corpus import assert_one_line


def _sample_with_limit(target: Path, limit_bytes: int) -> subprocess.CompletedProcess[str]:
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit_bytes, limit_bytes))

    return subprocess.run(
        [sys.executable, "-m", "pkp_cli", "sample", str(target)],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=limit,
        env={"NO_COLOR": "1", "PATH": "/usr/bin:/bin", "HOME": str(target.parent), "PYTHONDONTWRITEBYTECODE": "1"},
    )


@pytest.mark.parametrize("exists", [False, True], ids=["new-folder", "empty-folder"])
def test_sample_under_a_file_size_limit_leaves_nothing(tmp_path: Path, exists: bool) -> None:
    target = tmp_path / "contoh"
    if exists:
        target.mkdir()
    res = _sample_with_limit(target, 1024)
    assert res.returncode == 73, res.stderr
    line = assert_one_line(res.stderr, "contoh")
    assert "None" not in line and "File too large" in line
    assert sorted(p.name for p in tmp_path.iterdir()) == (["contoh"] if exists else [])
    if exists:
        assert list(target.iterdir()) == []


def test_sample_still_copies_whole(tmp_path: Path) -> None:
    target = tmp_path / "contoh"
    res = _sample_with_limit(target, resource.RLIM_INFINITY)
    assert res.returncode == 0, res.stderr
    assert sorted(p.name for p in target.iterdir()) == ["data", "schedules"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["contoh"]  # no temporary folder left
    assert any(target.glob("data/**/*.xlsx")) and any(target.glob("schedules/*.yaml"))


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_a_report_streamed_into_a_full_disk_leaves_nothing(tmp_path: Path, fmt: str) -> None:
    """CSV and JSON are written to their file a block of rows at a time: the disk filling up part way (a file-size
    limit of 64 kB; the sample's detail table is bigger) is exit 73 naming the file, with no traceback, no second
    complaint from a text wrapper left holding the closed file, and no temporary file left behind."""
    from tests.factories import ROOT

    out = tmp_path / "keluaran"

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (65_536, 65_536))

    res = subprocess.run(
        [sys.executable, "-m", "pkp_cli", "status", "--detail", "--format", fmt, "--out", str(out)],
        capture_output=True, text=True, timeout=300, preexec_fn=limit, cwd=ROOT,
        env={"NO_COLOR": "1", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONDONTWRITEBYTECODE": "1",
             "XDG_CACHE_HOME": str(tmp_path / "cache"), "XDG_CONFIG_HOME": str(tmp_path / "config")},
    )  # fmt: skip
    assert res.returncode == 73, res.stderr
    name = "status-rincian.csv" if fmt == "csv" else "status.json"
    assert f"{out / name}: File too large" in res.stderr
    assert "Traceback" not in res.stderr and "Exception ignored" not in res.stderr
    assert [p.name for p in out.iterdir()] == []
