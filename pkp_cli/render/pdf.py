"""PDF packs: the HTML pack printed by a headless Chromium (A4 landscape; the page's print CSS puts the page number
and the as-of date in the footer through @page margin boxes, so a browser's own print gives the same pages).

Chromium is found as PKP_CHROMIUM, else `chromium`, `chromium-browser`, `google-chrome` on PATH; pkp never
downloads one. With Playwright for Python installed (`pip install "pkp-cli[pdf]"`) one browser prints every pack;
without it each pack is printed by `chromium --headless --print-to-pdf`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from pkp_cli.errors import Exit, PkpError

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# The flags known to run headless here: no sandbox as root, no GPU, and none of the background connections that
# a closed network refuses (see the README).
FLAGS = [
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
]
TIMEOUT_S = 120


def find_browser() -> str | None:
    """The Chromium program to print with, or None."""
    given = os.environ.get("PKP_CHROMIUM")
    if given:
        return given if Path(given).is_file() else shutil.which(given)
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    return None


def _flags() -> list[str]:
    root = hasattr(os, "geteuid") and os.geteuid() == 0
    return [*FLAGS, "--no-sandbox"] if root else list(FLAGS)


def print_pdfs(jobs: list[tuple[Path, Path]], browser: str) -> None:
    """Print each (html file, pdf path); each PDF is written to a temporary name and renamed into place."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        for html, pdf in jobs:
            _print_cli(html, pdf, browser)
        return
    _print_playwright(jobs, browser)


def _finish(tmp: Path, pdf: Path) -> None:
    from pkp_cli.render.safe import atomic_write

    data = tmp.read_bytes()

    def write(fh: object) -> None:
        fh.write(data)  # type: ignore[attr-defined]

    atomic_write(pdf, write)


def _print_cli(html: Path, pdf: Path, browser: str) -> None:
    with tempfile.TemporaryDirectory(prefix="pkp-chromium-") as work:
        tmp = Path(work) / "out.pdf"
        cmd = [
            browser,
            *_flags(),
            f"--user-data-dir={Path(work) / 'profile'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={tmp}",
            html.resolve().as_uri(),
        ]
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=TIMEOUT_S, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise PkpError(Exit.CANT_WRITE, f"{pdf}: {browser}: {exc}") from exc
        if proc.returncode != 0 or not tmp.is_file():
            tail = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
            raise PkpError(Exit.CANT_WRITE, f"{pdf}: {browser} ({proc.returncode}): {tail[0]}")
        _finish(tmp, pdf)


def _print_playwright(jobs: list[tuple[Path, Path]], browser: str) -> None:
    from playwright.sync_api import Error, sync_playwright

    with tempfile.TemporaryDirectory(prefix="pkp-chromium-") as work:
        try:
            with sync_playwright() as pw:
                b = pw.chromium.launch(executable_path=browser, headless=True, args=_flags())
                try:
                    page = b.new_page()
                    for html, pdf in jobs:
                        page.goto(html.resolve().as_uri())
                        # the legends under the tables are folded on screen; print them open
                        page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
                        tmp = Path(work) / "out.pdf"
                        page.pdf(path=str(tmp), prefer_css_page_size=True, print_background=True)
                        _finish(tmp, pdf)
                finally:
                    b.close()
        except Error as exc:
            raise PkpError(Exit.CANT_WRITE, f"{browser}: {str(exc).splitlines()[0]}") from exc
