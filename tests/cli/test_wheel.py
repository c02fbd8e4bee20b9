"""A wheel of the repo, installed into a fresh venv, runs from an empty folder on its bundled sample.

The wheel is built with pip (hatchling comes from the configured package source). The fresh venv has no
packages of its own and no view of the base interpreter (`--system-site-packages` would show the *base*
Python's packages, which a fresh machine does not have). It sees the dependencies this test runs with through a
`.pth` line naming this interpreter's site-packages: a plain path line adds the folder but runs none of its
`.pth` files, so the editable install of pkp-cli there stays inert and `pkp_cli` comes from the wheel. Only the
wheel is installed (`--no-deps --no-index`, no network).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tests.factories import ROOT


def _env(tmp: Path) -> dict[str, str]:
    drop = ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "FORCE_COLOR")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PKP_") and k not in drop}
    env.update(NO_COLOR="1", COLUMNS="120", XDG_CONFIG_HOME=str(tmp / "xdg"), PYTHONIOENCODING="utf-8")
    return env


def _run(args: list[str], cwd: Path, env: dict[str, str], timeout: int = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def _venv(path: Path) -> Path:
    """An isolated venv that borrows the running interpreter's dependencies (see the module docstring)."""
    import sysconfig

    venv.EnvBuilder(system_site_packages=False, with_pip=False, clear=True).create(path)
    python = path / "bin" / "python"
    site = Path(_site_packages(python, path, dict(os.environ)))
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (site / "borrowed-deps.pth").write_text("".join(f"{p}\n" for p in sorted(ours)), encoding="utf-8")
    return python


def _where(python: Path, cwd: Path, env: dict[str, str]) -> str:
    res = _run([str(python), "-c", "import pkp_cli; print(pkp_cli.__file__)"], cwd, env)
    return res.stdout.strip() if res.returncode == 0 else ""


def _site_packages(python: Path, cwd: Path, env: dict[str, str]) -> str:
    code = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    return _run([str(python), "-c", code], cwd, env).stdout.strip()


@pytest.mark.slow
def test_wheel_runs_from_an_empty_folder(tmp_path: Path) -> None:
    env = _env(tmp_path)
    dist = tmp_path / "dist"
    built = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(dist), str(ROOT)], tmp_path, env)
    assert built.returncode == 0, built.stdout + built.stderr
    (wheel,) = dist.glob("pkp_cli-*.whl")
    empty = tmp_path / "empty"
    empty.mkdir()

    python = _venv(tmp_path / "venv")
    pip = [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index", str(wheel)]
    res = _run(pip, empty, env)
    assert res.returncode == 0, res.stdout + res.stderr
    site = _site_packages(python, empty, env)
    where = _where(python, empty, env)
    assert where.startswith(site), (where, site)
    assert not where.startswith(str(ROOT))
    pkp = python.parent / "pkp"
    assert pkp.is_file()

    procs = {
        name: subprocess.Popen(
            [str(pkp), *args], cwd=empty, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for name, args in {
            "status": ["status", "--province", "Bali"],
            "validate": ["validate", "--format", "json"],
            # the HTML templates ship in the wheel: a pack renders from the installed package
            "report": ["report", "--province", "Bali", "--format", "html", "--quiet", "--out", str(tmp_path / "packs")],
        }.items()
    }
    out = {name: (p.communicate(timeout=600), p.returncode) for name, p in procs.items()}

    (stdout, stderr), code = out["status"]
    assert code == 0, stderr
    assert "Traceback" not in stderr
    assert "sampel bawaan" in stderr
    bundled = str(Path(site) / "pkp_cli" / "_bundled" / "data")
    assert f"Data: {bundled} (sampel bawaan pkp)" in stderr
    assert "DATA CONTOH" in stdout and "Bali (51)" in stdout and "Bali — persiapan" in stdout

    (stdout, stderr), code = out["validate"]
    assert code == 0, stderr
    doc = json.loads(stdout)
    assert doc["data_source"] == "sample"
    assert doc["schedule"] == "bundled:jadwal-nasional-2022.yaml"  # no path of the installation
    assert doc["rows_rejected"] == 0 and doc["rows_loaded"] > 0
    (stdout, stderr), code = out["report"]
    assert code == 0, stderr
    page = (tmp_path / "packs" / "bali.html").read_text(encoding="utf-8")
    assert "DATA CONTOH" in page and "<svg" in page and "Bali — persiapan" in page
    assert list(empty.iterdir()) == []  # pkp wrote nothing into the folder it ran in
