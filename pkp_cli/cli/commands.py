"""Registers every command module with the app (each imports its heavy libraries only when run)."""

from __future__ import annotations

from typing import Any


def register(app: Any, guarded: Any) -> None:
    from pkp_cli.cli import audit, candidates, config, readiness, report, sample, schedule, status, template, validate

    for module in (status, candidates, readiness, audit, report, template, validate, schedule, sample, config):
        module.register(app, guarded)
