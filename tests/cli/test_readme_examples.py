"""Every `pkp` line in the README's "then" block runs on the bundled sample (from the repo root), as documented.

The README is read, not copied: editing an example there changes what this test runs.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pkp_cli.cli.app import app
from tests.factories import ROOT


def readme_examples() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("Lalu / then:", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    return [re.sub(r"\s+#.*$", "", line).strip() for line in block.splitlines() if line.strip().startswith("pkp ")]


def test_the_readme_has_examples() -> None:
    assert len(readme_examples()) >= 8


@pytest.mark.parametrize("line", readme_examples())
def test_readme_example_runs(line: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    args = shlex.split(line.split(">")[0])[1:]
    # Anything the example writes goes to a temporary folder, never into the repo.
    args = [str(tmp_path / a) if a.endswith("/") and not a.startswith("data/") else a for a in args]
    res = CliRunner().invoke(app, args, env={"NO_COLOR": "1", "COLUMNS": "120"})
    assert res.exit_code == 0, (line, res.output)
    assert res.stdout.strip() or args[0] == "sample"
