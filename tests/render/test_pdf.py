"""PDF packs: the page printed by Debian's chromium, through Playwright (one browser for every pack) and through
`chromium --headless --print-to-pdf` (the path without Playwright); both give A4 landscape pages with the as-of
date and the page number in the footer and the column legends unfolded. Skips without chromium, fails in CI."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from pkp_cli.render import pdf
from pkp_cli.render.html import write_html
from tests.render.test_xlsx import _report


@pytest.fixture
def page(tmp_path: Path) -> Path:
    if pdf.find_browser() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is not installed; .ci/run installs it (apt-get install chromium)")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    path = tmp_path / "paket.html"
    write_html([_report()], path)
    return path


def _check(path: Path) -> None:
    data = path.read_bytes()
    assert data.startswith(b"%PDF-")
    # A4 landscape: 842 x 595 points
    box = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", data)
    assert box and (round(float(box.group(1))), round(float(box.group(2)))) == (842, 595)
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True).stdout
        assert "DATA CONTOH (bawaan pkp) · Posisi per: 3 Juni 2022" in text  # the footer
        assert re.search(r"Halaman 1 / \d", text)
        assert "Realisasi dikurangi rencana" in text  # a column's description: the legends print unfolded


def test_printed_by_the_chromium_command(page: Path, tmp_path: Path) -> None:
    out = tmp_path / "cli.pdf"
    pdf._print_cli(page, out, pdf.find_browser() or "")
    _check(out)


def test_printed_through_playwright(page: Path, tmp_path: Path) -> None:
    pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")
    out = tmp_path / "pw.pdf"
    pdf.print_pdfs([(page, out)], pdf.find_browser() or "")
    _check(out)


def test_the_browser_is_found_as_configured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "chrome"
    fake.write_text("#!/bin/sh\n")
    monkeypatch.setenv("PKP_CHROMIUM", str(fake))
    assert pdf.find_browser() == str(fake)
    monkeypatch.setenv("PKP_CHROMIUM", str(tmp_path / "missing"))
    assert pdf.find_browser() is None
