"""Paths that are not plain files or folders: every one listed with a reason, 66 when named, none opened.

pkp must never block on a FIFO or read /dev/zero forever: these tests run pkp as a subprocess with a timeout,
so a hang fails the test instead of the suite.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from pkp_cli.ingest.discover import scan
from tests.hostile.corpus import assert_one_line, data_folder, run_pkp


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "socket"])
def test_a_named_special_file_is_66_at_once(tmp_path: Path, kind: str) -> None:
    data_folder(tmp_path)
    if kind == "fifo":
        target = tmp_path / "progres.csv"
        os.mkfifo(target)
    elif kind == "socket":
        target = tmp_path / "progres.csv"
        sock = socket.socket(socket.AF_UNIX)
        sock.bind(str(target))
    else:
        target = Path("/dev/zero")
    assert [u[1] for u in scan([target]).unreadable] == ["input-not-regular"]
    res = run_pkp(["validate", str(target)], cwd=tmp_path, timeout=60)
    assert res.returncode == 66, res.stderr
    line = assert_one_line(res.stderr, str(target))
    assert {"fifo": "FIFO", "dev-zero": "character device", "socket": "socket"}[kind] in line


def test_special_files_links_and_loops_inside_a_folder_are_listed(tmp_path: Path) -> None:
    data = data_folder(tmp_path)
    os.mkfifo(data / "pipe.csv")
    (data / "dangling.xlsx").symlink_to(tmp_path / "nowhere.xlsx")
    (data / "loop").symlink_to(data)  # a link back to its own folder: not followed
    (data / "self.csv").symlink_to(data / "self.csv")  # a link to itself
    found = scan([data])
    assert {Path(p).name: why for p, why in found.ignored} == {
        "pipe.csv": "special",
        "dangling.xlsx": "broken-link",
        "loop": "link-to-folder",
        "self.csv": "broken-link",
    }
    assert [p.name for p, _ in found.files] == ["lokasi.xlsx"]
    res = run_pkp(["validate", "--data", str(data)], cwd=tmp_path, timeout=60)  # never opens the FIFO
    assert res.returncode == 65, res.stderr  # the location workbook's own rejected row; nothing else


def _as_nobody(code: str, cwd: Path, probe: str = "import pkp_cli.ingest.discover") -> subprocess.CompletedProcess[str]:
    """Run python code as an unprivileged user (root reads everything, so the test needs one).

    The package is copied next to the data (a folder the user can read), since a checkout in a private folder
    (a fresh clone under mktemp's 0700 folder, say) is not readable by that user. `probe`: what the code imports,
    tried first as that user (a virtual environment in a private folder skips the test: its libraries cannot be
    read by that user)."""
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: cannot make a folder unreadable")
    lib = cwd / "lib"
    if not lib.exists():
        shutil.copytree(Path(__file__).resolve().parents[2] / "pkp_cli", lib / "pkp_cli", ignore=_BULKY)
        for d in [lib, *lib.rglob("*")]:
            os.chmod(d, 0o755 if d.is_dir() else 0o644)

    def run(source: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable, "-c", source],
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, "PYTHONPATH": str(lib)},
        )

    tried = run(probe)
    if tried.returncode != 0:
        pytest.skip(f"the installed dependencies are not readable by an unprivileged user here: {tried.stderr[-200:]}")
    return run(code)


_BULKY = shutil.ignore_patterns("_bundled", "__pycache__")


def test_an_unreadable_subfolder_is_listed_and_a_named_one_is_66() -> None:
    root = Path(tempfile.mkdtemp(prefix="pkp-hostile-"))
    try:
        os.chmod(root, 0o755)
        data = root / "data"
        (data / "locked").mkdir(parents=True)
        (data / "locked" / "progres.csv").write_text("x", encoding="utf-8")
        (data / "ok.csv").write_text("Kode Lokasi;Tahapan\n51;P1\n", encoding="utf-8")
        os.chmod(data, 0o755)
        os.chmod(data / "ok.csv", 0o644)
        os.chmod(data / "locked", 0o000)
        code = (
            "import json; from pathlib import Path; from pkp_cli.ingest.discover import scan\n"
            "a = scan([Path('data')]); b = scan([Path('data/locked')])\n"
            "print(json.dumps([[str(p) for p, _ in a.files], a.ignored, b.unreadable]))\n"
        )
        if os.geteuid() == 0:
            res = _as_nobody(code, root)
            assert res.returncode == 0, res.stderr
            files, ignored, unreadable = json.loads(res.stdout)
        else:
            cwd = Path.cwd()
            os.chdir(root)
            try:
                a, b = scan([Path("data")]), scan([Path("data/locked")])
            finally:
                os.chdir(cwd)
            files, ignored, unreadable = [str(p) for p, _ in a.files], a.ignored, b.unreadable
        assert files == ["data/ok.csv"]
        assert [list(i) for i in ignored] == [["data/locked", "folder-unreadable"]]
        assert [u[:2] for u in unreadable] == [["data/locked", "folder-unreadable"]]
    finally:
        os.chmod(root / "data" / "locked", 0o755)
        shutil.rmtree(root)


def test_a_missing_named_path_is_reported_not_skipped(tmp_path: Path) -> None:
    found = scan([tmp_path / "missing.xlsx"])
    assert found.files == [] and found.unreadable[0][1] == "file-unreadable"
