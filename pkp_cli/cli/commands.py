"""Registers every command module with the app (each imports its heavy libraries only when run)."""

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
