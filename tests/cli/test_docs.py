"""The README documents the contract and the error catalogue as the code has them (no drift)."""

from __future__ import annotations

from pkp_cli.errors import Exit
from pkp_cli.ingest.contract import CONTRACT
from pkp_cli.text.messages import CATALOGUE
from tests.factories import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_catalogue_code_is_in_the_readme() -> None:
    assert [code for code in CATALOGUE if f"`{code}`" not in README] == []


def test_every_contract_column_and_alias_is_in_the_readme() -> None:
    missing = [
        (kind, col.name, alias)
        for kind, cols in CONTRACT.items()
        for col in cols
        for alias in (col.name, *col.aliases)
        if alias not in README
    ]
    assert missing == []


def test_every_exit_code_is_in_the_readme_table() -> None:
    assert [int(c) for c in Exit if f"| {int(c)} |" not in README] == []


def test_the_command_reference_is_generated_from_the_model() -> None:
    """README's command reference equals what scripts/readme_reference.py writes from views/specs.py and
    views/columns.py (regenerate with `python scripts/readme_reference.py`)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("readme_reference", ROOT / "scripts" / "readme_reference.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.rewrite(README) == README, "README is out of date: python scripts/readme_reference.py"


def test_help_shows_every_column_description_of_the_command() -> None:
    """`pkp <command> --help` lists the command's tables and describes each column in the same words."""
    from typer.testing import CliRunner

    from pkp_cli.cli.app import app
    from pkp_cli.views import specs
    from pkp_cli.views.columns import COLUMNS

    tables_of = {n[: -len("_TABLES")].lower(): v for n, v in vars(specs).items() if n.endswith("_TABLES")}
    assert tables_of, "no command tables in views/specs.py"
    for command, tables in tables_of.items():
        text = CliRunner().invoke(app, [command.replace("_", "-"), "--help"], env={"COLUMNS": "200"}).stdout
        for name, keys in tables.items():
            assert f"  {name}: " in text, (command, name)
            for key in keys:
                assert COLUMNS[key].description("id") in text, (command, key)
