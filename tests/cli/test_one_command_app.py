"""The console script builds only the command it runs (`app._app_for`): Typer converts every command's parameters
when the app is built, so an app holding the one command named is what `main()` runs. Its help, usage errors and
exit codes must be those of the whole app."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from pkp_cli.cli import app as cli

NAMES = [info.name for info in cli.app.registered_commands]


def test_every_command_has_its_own_app() -> None:
    assert len(NAMES) == 12  # audit, candidates, config, history, readiness, report, sample, schedule, status, ...
    for name in NAMES:
        one = cli._app_for([name, "--help"])
        assert one is not cli.app
        assert [info.name for info in one.registered_commands] == [name]


@pytest.mark.parametrize("args", [[], ["--help"], ["--version"], ["statu"], ["--lang", "en", "status"]])
def test_anything_else_runs_the_whole_app(args: list[str]) -> None:
    assert cli._app_for(args) is cli.app


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("extra", [["--help"], ["--bogus"], ["--lang", "xx", "--help"]])
def test_one_command_app_says_what_the_whole_app_says(name: str, extra: list[str]) -> None:
    env = {"NO_COLOR": "1", "COLUMNS": "100"}
    whole = CliRunner().invoke(cli.app, [name, *extra], env=env, prog_name="pkp")
    one = CliRunner().invoke(cli._app_for([name]), [name, *extra], env=env, prog_name="pkp")
    assert one.output == whole.output
    assert one.exit_code == whole.exit_code
    if extra == ["--help"]:
        assert f"pkp {name}" in one.output  # the usage line names the command under pkp
