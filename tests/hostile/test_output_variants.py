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
