"""A warm run (its load in the cache) does not import the loader: the readers, parsers and checks behind
`pkp_cli.ingest.load` cost about 25 ms of a 0.25 s budget over `import pandas` (issue 13). Nor PyYAML (the
schedule comes validated from the cache: about 40 ms with its parse) nor the `holidays` package. Nor, without a
config file, `tomllib`; and `--province` alone reads neither the status frame nor the progress history (the
province's tables and the provinces' names are kept in the cache: tests/cli/test_status_province_cache.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.factories import ROOT

PROBE = """
import sys
from pkp_cli.cli.app import main
sys.argv = ["pkp", "status", "--province", "Bali"]
try:
    main()
except SystemExit:
    pass
print("LOADER", "pkp_cli.ingest.load" in sys.modules, "pkp_cli.ingest.sheets" in sys.modules, file=sys.stderr)
print("YAML", "yaml" in sys.modules, "holidays" in sys.modules, file=sys.stderr)
print("TOML", "tomllib" in sys.modules, file=sys.stderr)
"""


def _run(env: dict[str, str]) -> tuple[str, str]:
    res = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    lines = [x for x in res.stderr.splitlines() if x.startswith(("LOADER", "YAML", "TOML"))]
    assert "corrupt" not in res.stderr, res.stderr
    return " / ".join(lines), res.stdout


def test_a_warm_status_run_does_not_import_the_loader(tmp_path: Path) -> None:
    env = {**os.environ, "NO_COLOR": "1", "XDG_CACHE_HOME": str(tmp_path / "cache"),
           "XDG_CONFIG_HOME": str(tmp_path / "config")}  # fmt: skip
    env.pop("PKP_NO_CACHE", None)
    cold, first = _run(env)
    # An empty cache: the workbooks are read, the schedule parsed, the holiday list taken from the table shipped for
    # the installed `holidays` (pkp_cli/engines/holidays-id.json: the package is not imported either).
    # (With another release of `holidays` installed than the table's, the package answers: it is imported.)
    from tests.engines.test_holiday_table import SAME_PACKAGE

    assert cold == f"LOADER True True / YAML True {not SAME_PACKAGE} / TOML False"  # no config file: nothing to parse
    from pkp_cli.ingest import cache

    entries = sorted((tmp_path / "cache" / "pkp").glob("pkp-file-*.pkpc"))
    kinds = [cache.load_file(e.parent, e.name[len("pkp-file-") : -len(".pkpc")])[0].get("derived") for e in entries]
    assert {"status", "status-province", "status-provinces"} <= set(kinds)
    # A status entry the warm run would read is refused: were it read, the run would say "corrupt, rebuilt".
    for entry, kind in zip(entries, kinds, strict=True):
        if kind == "status":
            entry.write_bytes(b"not an entry")
    warm, second = _run(env)
    # The same files again: the load, the schedule and the province's tables come from the cache.
    assert warm == "LOADER False False / YAML False False / TOML False"
    assert second == first and "deviasi +15,9" in second  # and the answer is the same
