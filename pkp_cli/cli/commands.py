"""Registers every command module with the app (each imports its heavy libraries only when run)."""

from __future__ import annotations

from typing import Any


def register(app: Any, guarded: Any) -> None:
    from pkp_cli.cli import cmd_accel, cmd_misc, cmd_status, cmd_validate

    for module in (cmd_status, cmd_accel, cmd_validate, cmd_misc):
        module.register(app, guarded)
