"""bench/packs.py replaces only its own section of bench/results.md (bench/bench.py owns the rest)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from tests.factories import ROOT


def _module():
    spec = importlib.util.spec_from_file_location("bench_packs", ROOT / "bench" / "packs.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_packs_section_is_added_then_replaced_in_place(tmp_path: Path) -> None:
    packs = _module()
    results = tmp_path / "results.md"
    results.write_text("# pkp benchmark results\n\n## Goals\n\n| goal |\n", encoding="utf-8")
    rows = [("no cache (PKP_NO_CACHE=1)", [5.5, 5.25], [4.0, 3.9], 0, 71), ("cache warm", [12.0], [3.0], 0, 71)]
    packs.write(results, packs.section(rows, 0.1))
    first = results.read_text(encoding="utf-8")
    assert first.startswith("# pkp benchmark results\n\n## Goals\n\n| goal |\n\n<!-- packs:start -->")
    assert "| pkp report, no cache (PKP_NO_CACHE=1) | 5.25 s | 5.50, 5.25 | 3.90 s | 0 | 71 | **PASS** |" in first
    assert "| pkp report, cache warm | 12.00 s | 12.00 | 3.00 s | 0 | 71 | **MISS** |" in first  # over 10 s
    results.write_text(first + "\n## Later section\n", encoding="utf-8")
    packs.write(results, packs.section(rows[:1], 0.1))
    second = results.read_text(encoding="utf-8")
    assert second.count("<!-- packs:start -->") == 1 and "cache warm" not in second
    assert second.startswith("# pkp benchmark results") and second.endswith("## Later section\n")


def test_the_national_run_is_reported_under_the_bundled_rows() -> None:
    packs = _module()
    national = {"seconds": 181.74, "runs": [181.74], "cpu": 170.2, "peak_mb": 1527.6, "packs": 35, "files": 107,
                "mb": 512.4, "locations": 83_000}  # fmt: skip
    text = packs.section([("cache warm", [5.0], [4.0], 0, 72)], 0.1, national)
    assert "83,000 locations x 20 stages, every province: 35 packs, 107 files, 512 MB" in text
    assert "| pkp report, national data, cache warm | 181.7 s | 181.7 | 170.2 s | 1528 MB |" in text
    assert text.index("cache warm | 5.00 s") < text.index("national data, cache warm") < text.index("packs:end")
    assert "national data" not in packs.section([("cache warm", [5.0], [4.0], 0, 72)], 0.1)
