"""Registers every command module with the app (each imports its heavy libraries only when run).

The command modules do not use `from __future__ import annotations`: `pkp --help` makes every command's
parameters (Typer builds the whole group), and with annotations kept as text it compiled and evaluated each of
them again (about 480 `eval` calls: 0.04 s against 0.015 s of the help's own work, which made `pkp --help` 1.3-1.4x
a bare Typer app; bench/analysis.md, round twenty-two). tests/cli/test_help_imports.py keeps it so.
"""

from __future__ import annotations

from typing import Any


def register(app: Any, guarded: Any) -> None:
    from pkp_cli.cli import (
        audit,
        candidates,
        config,
        history,
        readiness,
        report,
        sample,
        schedule,
        status,
        template,
        validate,
        weekly,
    )

    for module in (status, candidates, readiness, audit, report, template, weekly, history, validate, schedule,
                   sample, config):  # fmt: skip
        module.register(app, guarded)
