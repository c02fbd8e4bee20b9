"""Write meeting packs: every pack in every format asked for, then `index.html` and `index.md` linking them.

File names come from the pack's name made safe (`bali.xlsx`, `sulawesi-selatan.html`, `nasional.md`) and never
leave the output folder; each file is written to a temporary name beside it and renamed into place. A progress
bar (packs done / total, the current pack) is drawn on stderr only when it is a terminal.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pkp_cli.render.safe import atomic_write_text, inside, prepare_folder, safe_name
from pkp_cli.text.labels import label
from pkp_cli.views.model import Report
from pkp_cli.views.pack import PackSet

FORMATS = ("xlsx", "html", "md", "pdf")
DEFAULT_FORMATS = ("xlsx", "html", "md")


@dataclass
class Written:
    files: list[Path]
    index: list[Path]


def stems(names: Sequence[str]) -> list[str]:
    """A safe, unique file stem per pack name ("Sulawesi Selatan" -> "sulawesi-selatan"); "index" is reserved."""
    used = {"index"}
    out = []
    for name in names:
        base = safe_name(name, default="paket")
        stem, n = base, 2
        while stem in used:
            stem, n = f"{base}-{n}", n + 1
        used.add(stem)
        out.append(stem)
    return out


@contextmanager
def _progress(total: int, show: bool) -> Iterator[Any]:
    """A rich progress bar on stderr (or a stand-in that draws nothing)."""
    if not show:

        class _Quiet:
            def advance(self, name: str) -> None:
                pass

        yield _Quiet()
        return
    from rich.console import Console
    from rich.markup import escape
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from pkp_cli.text.visible import visible

    with Progress(
        TextColumn("{task.description:<24}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(file=sys.stderr),
        transient=True,
    ) as bar:
        task = bar.add_task("", total=total)

        class _Bar:
            def advance(self, name: str) -> None:
                # The pack's name is a province's name from the data: shown as text, never as the terminal's
                # control characters (a window title, a cleared screen) nor as rich markup ("[bold]").
                bar.update(task, advance=1, description=escape(visible(name, "")))

        yield _Bar()


def write_packs(ps: PackSet, out: Path, formats: Sequence[str] = DEFAULT_FORMATS, *, progress: bool = False,
                browser: str | None = None) -> Written:  # fmt: skip
    """Every pack of `ps` in `formats` into `out`, then the two index files; the paths written."""
    from pkp_cli.render import markdown
    from pkp_cli.render.html import write_html
    from pkp_cli.render.xlsx import write_xlsx

    prepare_folder(out)
    names = stems([p.stem for p in ps.packs])
    files: list[Path] = []
    pdf_jobs: list[tuple[Path, Path]] = []
    links: list[list[tuple[str, str]]] = []
    scratch = None  # pages printed to PDF when no HTML was asked for: kept out of sight, removed afterwards
    with ExitStack() as stack, _progress(len(ps.packs), progress) as bar:
        for pack, stem in zip(ps.packs, names, strict=True):
            bar.advance(pack.stem)
            report = pack.report
            row_links = []
            for fmt in formats:
                if fmt == "pdf":
                    continue
                path = inside(out, f"{stem}.{fmt}")
                if fmt == "xlsx":
                    write_xlsx([report], path)
                elif fmt == "html":
                    write_html([report], path, title=report.title)
                elif fmt == "md":
                    atomic_write_text(path, markdown.render(report))
                files.append(path)
                row_links.append((fmt, path.name))
            if "pdf" in formats:
                html = inside(out, f"{stem}.html")
                if "html" not in formats:
                    scratch = scratch or Path(stack.enter_context(tempfile.TemporaryDirectory(prefix=".pkp-", dir=out)))
                    html = scratch / f"{stem}.html"
                    write_html([report], html, title=report.title)
                pdf = inside(out, f"{stem}.pdf")
                pdf_jobs.append((html, pdf))
                row_links.append(("pdf", pdf.name))
            links.append(row_links)
            del report  # before the next pack is built: one pack's tables in memory at a time
        if pdf_jobs:
            from pkp_cli.render.pdf import print_pdfs

            assert browser is not None
            print_pdfs(pdf_jobs, browser)
            files += [pdf for _, pdf in pdf_jobs]
    index = write_index(ps, out, links)
    return Written(files, index)


def write_index(ps: PackSet, out: Path, links: list[list[tuple[str, str]]]) -> list[Path]:
    """index.html and index.md: every province pack worst first, the national pack as the total row, each with
    links to its files (`links`: one list per pack, in pack order)."""
    from pkp_cli.render.html import render_index

    index = ps.index
    rows = [row for p, row in zip(ps.packs, links, strict=True) if p.code is not None]
    total = next((row for p, row in zip(ps.packs, links, strict=True) if p.code is None), None)
    title = index.title or label("pack.index_title", index.lang)
    html_path, md_path = inside(out, "index.html"), inside(out, "index.md")
    atomic_write_text(html_path, render_index(index, rows, title, total))
    atomic_write_text(md_path, index_markdown(index, rows, total))
    return [html_path, md_path]


def _md_links(row_links: list[tuple[str, str]]) -> str:
    return " ".join(f"[{fmt}]({href})" for fmt, href in row_links)


def index_markdown(index: Report, links: list[list[tuple[str, str]]],
                   total_links: list[tuple[str, str]] | None = None) -> str:  # fmt: skip
    """The index as markdown: the header lines, the pack table with a first column of links, the legend."""
    from pkp_cli.render import cells
    from pkp_cli.render.markdown import bold, escape, legend

    lang = index.lang
    t = index.tables[0]
    cols = t.screen_columns
    lines = [f"# {escape(index.title or '')}", ""]
    for line in index.header:
        lines += [escape(line), ""]
    heads = [label("pack.files", lang), *(c.header(lang) for c in cols)]
    lines.append("| " + " | ".join(escape(h) for h in heads) + " |")
    lines.append("|" + "|".join("---" for _ in heads) + "|")
    body = [cells.texts(c, cells.column_values(t.rows, c.key), lang) for c in cols]
    for row_links, rec in zip(links, zip(*body, strict=True), strict=True):
        lines.append("| " + " | ".join([_md_links(row_links), *(escape(v) for v in rec)]) + " |")
    if t.total is not None:
        shown = [bold(escape(cells.text(c, t.total.get(c.key), lang))) for c in cols]
        lines.append("| " + " | ".join([_md_links(total_links or []), *shown]) + " |")
    lines += ["", *legend(t, lang)]
    for note in index.notes:
        lines += ["", escape(note)]
    return "\n".join(lines).rstrip("\n") + "\n"
