"""`pkp validate FILE FILE` takes the schedule's year from the names of the files given, not from every name
under the folder pkp runs in: a colleague's `laporan-2031-01-02.xlsx` somewhere below the current folder made
pkp look for jadwal-nasional-2031.yaml and stop (exit 78), and a big current folder was walked whole."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from pkp_cli.cli.app import app
from tests.factories import ROOT

WEEK = ROOT / "data" / "progres" / "2022-06-03"


def test_two_files_from_a_folder_holding_another_years_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "arsip").mkdir()
    (tmp_path / "arsip" / "laporan-2031-01-02.xlsx").write_bytes(b"")  # a name with a date of 2031
    monkeypatch.chdir(tmp_path)
    first, second = sorted(WEEK.iterdir())[:2]
    env = {"NO_COLOR": "1", "PKP_NO_CACHE": "1", "XDG_CONFIG_HOME": str(tmp_path / "cfg")}
    res = CliRunner().invoke(app, ["validate", str(first), str(second)], env=env)
    assert "2031" not in res.output
    assert res.exit_code == 0, res.output
    assert "jadwal-nasional-2022.yaml" in res.output  # the files' year (2022, from their folder's name)


def test_dates_in_names_of_a_folder_that_cannot_be_walked(tmp_path: Path) -> None:
    from pkp_cli.ingest.discover import dates_in_names

    (tmp_path / "2022-05-20").mkdir()
    (tmp_path / "2022-05-20" / "bali-2022-05-20.xlsx").write_bytes(b"")
    # a file's own name; a folder's contents' names; a missing path is passed over, not an exception
    assert [d.isoformat() for d in dates_in_names([tmp_path / "2022-05-20" / "bali-2022-05-20.xlsx"])] == ["2022-05-20"]
    assert sorted(d.isoformat() for d in dates_in_names([tmp_path])) == ["2022-05-20", "2022-05-20"]
    assert dates_in_names([tmp_path / "gone"]) == []
