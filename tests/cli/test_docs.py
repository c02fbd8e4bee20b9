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
