"""A line report as plain text: its header lines, then its notes, one per line, nothing added.

For reports that are lines by design (the weekly digest a cron mail shows): no table layout, no colour, no
width, whatever the terminal. The view decides every line and how many there are."""

from __future__ import annotations

from pkp_cli.views.model import Report


def render(report: Report) -> str:
    lines = [*([report.title] if report.title else []), *report.header, *report.notes]
    return "".join(f"{line}\n" for line in lines)
