"""The default cache folder ($XDG_CACHE_HOME/pkp) when something that is no folder stands in its way: the command runs
without the cache and says so once on stderr (before, every run was silently a cold one); the thing in the way is
left as it was. A configured `cache_dir` that is no folder stays a configuration error (tests elsewhere)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from pkp_cli.cli.app import app
from tests.factories import ROOT

runner = CliRunner()
ARGS = ["status", "--province", "Bali", "--data", str(ROOT / "data"), "--lang", "en"]


def _run(tmp_path: Path, cache_home: Path | None) -> tuple[int, str, str]:
    env = {"XDG_CONFIG_HOME": str(tmp_path / "no-config"), "NO_COLOR": "1", "COLUMNS": "120"}
    env.update({"XDG_CACHE_HOME": str(cache_home), "PKP_NO_CACHE": None} if cache_home else {"PKP_NO_CACHE": "1"})
    res = runner.invoke(app, ARGS, env=env)  # type: ignore[arg-type]  # (None unsets a variable)
    return res.exit_code, res.stdout, res.stderr


def _notes(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("pkp: cache ")]


@pytest.fixture(scope="module")
def without_cache(tmp_path_factory: pytest.TempPathFactory) -> str:
    code, out, err = _run(tmp_path_factory.mktemp("off"), None)
    assert code == 0 and not _notes(err), err
    return out


def test_a_file_named_like_the_cache_folder_is_said_once_and_left_alone(tmp_path: Path, without_cache: str) -> None:
    home = tmp_path / "xdg"
    home.mkdir()
    (home / "pkp").write_text("mine", encoding="utf-8")
    code, out, err = _run(tmp_path, home)
    assert code == 0, err
    assert out == without_cache  # the same report as with the cache off
    assert _notes(err) == [
        f"pkp: cache {home / 'pkp'}: bukan folder, tanpa cache / is not a folder, running without the cache"
    ]
    assert (home / "pkp").read_text(encoding="utf-8") == "mine"
    assert sorted(p.name for p in home.iterdir()) == ["pkp"]  # nothing written beside it


def test_a_file_above_the_cache_folder_is_named(tmp_path: Path, without_cache: str) -> None:
    blocker = tmp_path / "cache-home"
    blocker.write_text("mine", encoding="utf-8")
    code, out, err = _run(tmp_path, blocker / "sub")
    assert code == 0, err
    assert out == without_cache
    assert _notes(err) == [
        f"pkp: cache {blocker / 'sub' / 'pkp'}: {blocker} bukan folder, tanpa cache / {blocker} is not a folder, "
        "running without the cache"
    ]
    assert blocker.read_text(encoding="utf-8") == "mine"


def test_a_cache_folder_yet_to_be_made_is_made_without_a_note(tmp_path: Path, without_cache: str) -> None:
    home = tmp_path / "not-yet" / "xdg"  # (nothing of it exists: made by the cache's first write)
    code, out, err = _run(tmp_path, home)
    assert code == 0, err
    assert out == without_cache
    assert not _notes(err), err
    assert any((home / "pkp").glob("pkp-file-*.pkpc"))


def test_a_link_to_nothing_in_its_place_is_said_too(tmp_path: Path, without_cache: str) -> None:
    home = tmp_path / "xdg"
    home.mkdir()
    (home / "pkp").symlink_to(tmp_path / "gone")
    code, out, err = _run(tmp_path, home)
    assert code == 0 and out == without_cache, err
    assert len(_notes(err)) == 1 and "is not a folder, running without the cache" in _notes(err)[0]
    assert (home / "pkp").is_symlink() and not (tmp_path / "gone").exists()  # the link left as it was, nothing made
