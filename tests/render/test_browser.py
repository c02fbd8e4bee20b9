"""The HTML packs in a real browser: Debian's chromium, headless, driven by Playwright for Python (which never
downloads a browser here). Opens the Bali pack and the index, checks what a reader sees (the province name, every
table with the rows of its report, the S-curve with a point per Friday), clicks a column header to sort, and
requires a silent console; screenshots go to the test's temporary folder.

Where chromium or Playwright is missing the tests skip saying why; in CI (CI=true) they fail instead: .ci/run
installs chromium.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from pkp_cli.cli.app import app
from tests.factories import ROOT

CHROMIUM = "/usr/bin/chromium"
CURVE_POINTS = 22  # Fridays 7 January .. 3 June 2022
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--disable-quic", "--no-first-run"]  # fmt: skip


def _missing() -> str | None:
    exe = CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")
    if exe is None:
        return "chromium is not installed (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (pip install -e '.[test]')"
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    why = _missing()
    if why:
        if os.environ.get("CI") == "true":
            pytest.fail(f"the browser test must run in CI: {why}")
        pytest.skip(why)
    from playwright.sync_api import sync_playwright

    exe = CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=exe, headless=True, args=FLAGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def packs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("html")
    res = CliRunner().invoke(
        app,
        ["report", "--data", str(ROOT / "data"), "-p", "Bali", "-p", "Aceh", "-f", "html", "--out", str(out), "-q"],
        env={"NO_COLOR": "1", "XDG_CONFIG_HOME": str(out / "cfg")},
    )
    assert res.exit_code == 0, res.output
    return out


def _rows_of_the_report() -> dict[str, int]:
    """Rows per table of Bali's status report, from the JSON the status command prints (not from the page)."""
    res = CliRunner().invoke(
        app, ["status", "--data", str(ROOT / "data"), "-p", "Bali", "-f", "json"], env={"NO_COLOR": "1"}
    )
    tables = json.loads(res.stdout)["tables"]
    return {name: len(rows) for name, rows in tables.items()}


def _open(browser: Any, path: Path, errors: list[str], width: int = 1280) -> Any:
    page = browser.new_page(viewport={"width": width, "height": 900})
    loud = ("error", "warning")
    page.on("console", lambda m: errors.append(f"console {m.type}: {m.text}") if m.type in loud else None)
    page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
    page.on("request", lambda r: errors.append(f"request: {r.url}") if not r.url.startswith("file:") else None)
    page.goto(path.as_uri())
    return page


def test_the_bali_pack_in_a_browser(browser: Any, packs: Path, tmp_path: Path) -> None:
    errors: list[str] = []
    page = _open(browser, packs / "bali.html", errors)
    assert "Bali" in page.locator("h1").inner_text()
    assert page.locator("p.fact").first.inner_text() == "Posisi per: 3 Juni 2022"
    expected = _rows_of_the_report()  # ringkasan 1, persiapan 16, kabupaten 8, terlambat 0, konstruksi 0
    assert (expected["persiapan"], expected["kabupaten"], expected["terlambat"]) == (16, 8, 0)
    for name in ("persiapan", "kabupaten"):
        assert page.locator(f"section[data-table={name}] tbody tr").count() == expected[name], name
    for name in ("terlambat", "konstruksi"):
        assert page.locator(f"section[data-table={name}] p.empty").inner_text() == "tidak ada", name
    # the candidates and the readiness board of the same province, as their commands give them
    candidates = CliRunner().invoke(
        app, ["candidates", "--data", str(ROOT / "data"), "-p", "Bali", "-f", "json"], env={"NO_COLOR": "1"}
    )
    kandidat = json.loads(candidates.stdout)["tables"]["kandidat"]
    assert page.locator("section[data-table=kandidat] tbody tr").count() == len(kandidat) == 6
    assert page.locator("section[data-table=kesiapan] tbody tr").count() == 2  # PISEW and KOTAKU
    assert page.locator("section[data-table=ringkasan] dl.card > div").count() >= 10
    # the S-curve: two programs x (planned, actual), a point per Friday, the as-of line
    lines = page.locator("section[data-table=kurva_s] svg polyline.series")
    assert lines.count() == 4
    for i in range(4):
        assert len(lines.nth(i).get_attribute("points").split()) == CURVE_POINTS
    assert page.locator("section[data-table=kurva_s] svg[role=img]").bounding_box()["height"] > 100
    assert "3 Juni 2022" in page.locator("g.as-of text").text_content()
    # sorting: the kabupaten table by deviation, ascending, then descending
    head = page.locator("section[data-table=kabupaten] th", has_text="deviasi")
    cells = page.locator("section[data-table=kabupaten] tbody td[data-v]:nth-child(4)")
    head.click()
    values = [float(v) for v in cells.evaluate_all("cs => cs.map(c => c.dataset.v)")]
    assert values == sorted(values) and head.get_attribute("aria-sort") == "ascending"
    head.click()
    values = [float(v) for v in cells.evaluate_all("cs => cs.map(c => c.dataset.v)")]
    assert values == sorted(values, reverse=True)
    page.screenshot(path=str(tmp_path / "bali.png"), full_page=True)
    # on a phone the page keeps its width; wide tables scroll inside their box
    phone = _open(browser, packs / "bali.html", errors, width=390)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.screenshot(path=str(tmp_path / "bali-phone.png"))
    assert errors == []
    assert (tmp_path / "bali.png").stat().st_size > 10_000


def test_the_index_in_a_browser(browser: Any, packs: Path, tmp_path: Path) -> None:
    errors: list[str] = []
    page = _open(browser, packs / "index.html", errors)
    rows = page.locator("tbody tr")
    assert rows.count() == 2
    assert [rows.nth(i).locator("td").nth(1).inner_text() for i in range(2)] == ["Aceh", "Bali"]  # worst first
    page.screenshot(path=str(tmp_path / "index.png"), full_page=True)
    rows.nth(1).get_by_role("link", name="html").click()
    page.wait_for_load_state()
    assert page.url.endswith("/bali.html") and "Bali" in page.locator("h1").inner_text()
    assert errors == []
