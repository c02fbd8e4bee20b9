"""Send a report where the user asked: stdout in one format, or every table as its own file in a folder."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path
from typing import IO, TYPE_CHECKING

from pkp_cli.errors import Exit, PkpError, UnknownValue
from pkp_cli.text.labels import label
from pkp_cli.views.model import Report

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

SUFFIX = {"table": "txt", "markdown": "md", "md": "md", "json": "json", "csv": "csv"}


def write(report: Report, fmt: str, out: SupportsWrite[str], table: str | None = None) -> None:
    """The report in `fmt` written to `out`: CSV and JSON a block of rows at a time (a national table of 1.66 M
    rows is never held as one text), the others as one text."""
    if fmt == "json":
        from pkp_cli.render import jsondoc

        jsondoc.write(report, out)
    elif fmt == "csv":
        from pkp_cli.render import csvfile

        csvfile.write(report, pick_table(report, table), out)
    else:
        out.write(rendered(report, fmt, table))


def rendered(report: Report, fmt: str, table: str | None = None) -> str:
    """The report as text in `fmt` (csv: the one table `table`, else the report's main table)."""
    if fmt in ("json", "csv"):
        buf = io.StringIO()
        write(report, fmt, buf, table)
        return buf.getvalue()
    if fmt in ("markdown", "md"):
        from pkp_cli.render import markdown

        return markdown.render(report)
    from pkp_cli.render import terminal

    return terminal.render(report)


def pick_table(report: Report, wanted: str | None) -> str:
    names = report.names()
    if wanted is None:
        main = report.main_name()
        if main is None:
            raise PkpError(Exit.USAGE, label("no_tables", report.lang))
        return main
    if wanted in names:
        return wanted
    typed = re.sub(r"[\s\-]+", "_", wanted.strip().casefold())
    if typed in names:
        return typed
    raise UnknownValue("--table", wanted, list(names), "choose")


def table_list(report: Report) -> str:
    """`--table list`: each table's name and title, the main one marked."""
    main = report.main_name()
    lines = []
    for name in report.names():
        first = next(report.instances(name))
        mark = " *" if name == main else ""
        lines.append(f"{name}{mark}\t{first.title}")
    return "\n".join(lines) + "\n"


def emit(report: Report, fmt: str, *, table: str | None = None, out: Path | None = None,
         stream: IO[str] | None = None) -> list[Path]:  # fmt: skip
    """Write the report; return the files written (with --out). Warnings go first, to stderr."""
    from pkp_cli.text.visible import visible

    for line in report.warnings:
        print(visible(f"pkp: {line}", ""), file=sys.stderr)
    stream = stream or sys.stdout
    if table == "list":
        stream.write(table_list(report))
        return []
    if out is None:
        write(report, fmt, stream, table)
        return []
    return write_folder(report, fmt, out, table)


class _Utf8:
    """Text written to a binary file as UTF-8, "\n" as it is (as atomic_write_text writes): no TextIOWrapper,
    which a failed write (a full disk) would leave holding the file, to flush it again when collected."""

    def __init__(self, fh: IO[bytes]):
        self.fh = fh

    def write(self, text: str) -> int:
        self.fh.write(text.encode("utf-8"))
        return len(text)


def write_folder(report: Report, fmt: str, out: Path, table: str | None = None) -> list[Path]:
    """Every table as its own CSV (or the whole report as one file in other formats), each written whole."""
    from pkp_cli.render.safe import atomic_write, inside
    from pkp_cli.text.visible import visible

    def write_file(path: Path, table: str | None) -> None:
        atomic_write(path, lambda fh: write(report, fmt, _Utf8(fh), table))

    written = []
    if fmt == "csv":
        names = [pick_table(report, table)] if table else report.names()
        for name in names:
            path = inside(out, f"{report.command}-{name}.csv")
            write_file(path, name)
            written.append(path)
    else:
        path = inside(out, f"{report.command}.{SUFFIX[fmt]}")
        write_file(path, None)
        written.append(path)
    print(visible(f"{len(written)} {label('files_written', report.lang)} {out}", ""), file=sys.stderr)
    return written
