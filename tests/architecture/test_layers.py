"""The data flows one way: a test that fails on a new back-link between layers.

Every import in pkp_cli (at module level or inside a function) is read from the source with `ast`; each layer
may import only the layers the table allows. Top-level modules (errors, settings) and `model` are the
foundation every layer may use; `text` holds words, which engines and ingest must not produce.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.factories import ROOT

PACKAGE = ROOT / "pkp_cli"
FOUNDATION = {"errors", "settings", "model", "__init__", "__main__", "reference", "_bundled"}
# layer -> the layers it must never import
FORBIDDEN = {
    "model": {"ingest", "engines", "views", "render", "cli"},
    "ingest": {"engines", "views", "render", "cli"},
    "engines": {"views", "render", "text", "cli"},
    "views": {"render", "cli"},
    "render": {"cli", "engines", "ingest"},
    "text": {"ingest", "engines", "views", "render", "cli"},
    # pkp's own stored state (the weekly snapshots): reads and writes files, computes through the engines,
    # never words or reports
    "history": {"views", "text", "cli"},
}


def _layer(module: str) -> str:
    """The layer of a dotted module name under pkp_cli ("pkp_cli.engines.status" -> "engines")."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "pkp_cli" else ""


def imports_of(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "pkp_cli":
                found += [(node.lineno, f"pkp_cli.{a.name}") for a in node.names]
            else:
                found.append((node.lineno, node.module))
    return [(line, name) for line, name in found if name.startswith("pkp_cli")]


def violations(package: Path = PACKAGE) -> list[str]:
    out = []
    for path in sorted(package.rglob("*.py")):
        rel = path.relative_to(package)
        layer = rel.parts[0] if len(rel.parts) > 1 else rel.stem
        banned = FORBIDDEN.get(layer, set())
        for line, name in imports_of(path):
            if _layer(name) in banned:
                out.append(f"pkp_cli/{rel}:{line}: {layer} imports {name}")
    return out


def test_no_layer_imports_against_the_flow() -> None:
    assert violations() == []


def test_every_module_is_in_a_known_layer() -> None:
    layers = set(FORBIDDEN) | FOUNDATION | {"cli"}
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE)
        first = rel.parts[0] if len(rel.parts) > 1 else rel.stem
        assert first in layers, f"{rel}: add its layer to tests/architecture/test_layers.py"


@pytest.mark.parametrize(
    ("where", "line", "caught"),
    [
        ("engines/rogue.py", "from pkp_cli.render.terminal import render\n", True),
        ("engines/rogue.py", "def f():\n    from pkp_cli.text.labels import label\n", True),
        ("ingest/rogue.py", "import pkp_cli.engines.status\n", True),
        ("views/rogue.py", "from pkp_cli import cli\n", True),
        ("engines/fine.py", "from pkp_cli.model.frames import STATUS\n", False),
    ],
)
def test_a_back_link_is_caught(tmp_path: Path, where: str, line: str, caught: bool) -> None:
    """The check itself can fail: a copy of the package with one bad import added."""
    import shutil

    copy = tmp_path / "pkp_cli"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("_bundled", "__pycache__", "*.csv"))
    (copy / where).write_text(line, encoding="utf-8")
    found = [v for v in violations(copy) if v.startswith(f"pkp_cli/{where}:")]
    assert bool(found) == caught, found
