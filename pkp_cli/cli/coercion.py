"""Typer's coercion of option values, without pydantic for the plain values pkp's options take.

typer 0.29 (pinned) coerces each parameter's value through a pydantic TypeAdapter built on the parameter's
first use, even for an option not given (its None): importing pydantic and typer's adapters and building the
adapters cost 80-120 ms of CPU on every pkp command. For the values pkp's options mostly hold the adapter's
answer is known without it: an option not given (None: typer's own `RuntimeParam.coerce` answers before any
adapter), a text for a `str` option (the same text), texts for a `list[str]` option (them, as a list), a member
of the option's enum (itself, as a default is) or its value exactly (`--format json`: the member), what the
option's own `parser` returns when it returns (pydantic's `Any` takes it as it is; for a list argument, what it
returns for each text), and for an `int` option an int, or a text of ASCII digits, inside the option's min and max
(`--max-errors`' default: `pkp validate` built pydantic's adapters for it, about 0.19 s before its reads
started). Anything else (a choice in other letters or unknown, a parser that raises, a type pkp's options do not
use) goes to typer's own coercion, built when first needed: the same values and messages as before
(tests/cli/test_plain_coercion.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any, get_origin

from typer._coercion import RuntimeParam, TypeDescriptor, build_runtime_param


@dataclass(frozen=True)
class PlainParam(RuntimeParam):
    descriptor: TypeDescriptor | None = None
    _typer: list[RuntimeParam] = field(default_factory=list)  # typer's own, once built

    def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
        annotation = self.annotation
        parser = self.parameter_info.parser
        if parser is not None:
            if isinstance(value, str):
                try:
                    return parser(value)
                except Exception:
                    pass
            elif get_origin(annotation) is list and isinstance(value, (list, tuple)) and _texts(value):
                try:
                    return [parser(v) for v in value]
                except Exception:
                    pass
        elif annotation is int:
            number = _plain_int(value)
            if number is not None and _within(number, self.parameter_info):  # (else typer's own message)
                return number
        elif annotation is str:
            if type(value) is str:
                return value
        elif annotation == list[str]:
            if isinstance(value, (list, tuple)) and _texts(value):
                return list(value)
        elif isinstance(annotation, type) and issubclass(annotation, Enum):
            if type(value) is annotation:
                return value
            if type(value) is str and self.parameter_info.case_sensitive:
                member = next((m for m in annotation if m.value == value), None)
                if member is not None:  # a choice given exactly as written: its member
                    return member
        return self.typer()._coerce_value(value, param=param, ctx=ctx)

    def typer(self) -> RuntimeParam:
        if not self._typer:
            assert self.descriptor is not None
            self._typer.append(build_runtime_param(self.descriptor))
        return self._typer[0]


def _texts(values: list[Any] | tuple[Any, ...]) -> bool:
    return all(type(v) is str for v in values)


def _within(number: int, info: Any) -> bool:
    """Inside the option's bounds, and not an option that clamps (typer's adapter clamps it)."""
    return not info.clamp and (info.min is None or number >= info.min) and (info.max is None or number <= info.max)


def _plain_int(value: Any) -> int | None:
    """An int as pydantic surely reads it: an int (not a bool), or a text of ASCII digits with an optional minus
    (no sign, space, underscore or other digits: those are left to pydantic's own rules)."""
    if type(value) is int:
        return value
    digits = value.removeprefix("-") if type(value) is str else ""
    if digits.isascii() and digits.isdigit() and len(digits) <= 18:  # (Python refuses texts of 4,300 digits)
        return int(value)
    return None


def _plain(param: Any) -> None:
    descriptor = getattr(param, "type_descriptor", None)
    # a file option (typer opens it) is left to typer
    plain = isinstance(descriptor, TypeDescriptor) and descriptor.file_annotation is None
    if plain and descriptor is not None and getattr(param, "_runtime_param", 0) is None:
        param._runtime_param = PlainParam(
            parameter_info=descriptor.parameter_info, annotation=descriptor.annotation, descriptor=descriptor
        )


def install(command: Any) -> None:
    """Give every typer parameter of `command` (and its subcommands) the plain coercion first; the help option,
    which typer makes when a command is parsed (its value None when not given), too."""
    for param in getattr(command, "params", []):
        _plain(param)
    get_help_option = getattr(command, "get_help_option", None)
    if get_help_option is not None:

        def help_option(ctx: Any) -> Any:
            option = get_help_option(ctx)
            if option is not None:
                _plain(option)
            return option

        command.get_help_option = help_option
    for sub in getattr(command, "commands", {}).values():
        install(sub)
