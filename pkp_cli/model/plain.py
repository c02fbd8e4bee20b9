"""The plain way of reading a validated YAML mapping into pkp's dataclasses, shared by the schedule and the rules.

A value is taken plainly only when it is exactly of the type its field takes (a YAML `true` for a bool, a YAML
float or int for a float, a list for a tuple...), nothing is missing or extra and every bound is kept. Anything else
raises NotPlain, and pydantic's strict models decide (they may still accept it, or say what is wrong): importing
pydantic and building its models costs 0.1-0.2 s of a run that would otherwise not need it.
"""

from __future__ import annotations

import importlib
import math
import re
from collections.abc import Callable
from typing import Any


class NotPlain(Exception):
    """The value is not plainly valid: pydantic decides (it may still be valid, or say what is wrong)."""


def exact(value: Any, kind: type) -> Any:
    if type(value) is not kind:
        raise NotPlain
    return value


def text(value: Any) -> str:
    """A text of at least one character (Field(min_length=1))."""
    got: str = exact(value, str)
    if not got:
        raise NotPlain
    return got


def keys(raw: Any, allowed: frozenset[str] | tuple[str, ...], required: tuple[str, ...] = ()) -> dict[str, Any]:
    """A mapping with text keys, only `allowed` ones, and every `required` one (extra="forbid")."""
    mapping: dict[str, Any] = exact(raw, dict)
    if any(type(k) is not str or k not in allowed for k in mapping) or any(k not in mapping for k in required):
        raise NotPlain
    return mapping


def number(value: Any) -> float:
    """A float field's value: a float, or an int (not a bool) as the float pydantic's strict float makes of it; an
    int beyond 2**53 (pydantic refuses those past 64 bits; a float could not hold it exactly) is left to pydantic."""
    if type(value) is float:
        return value
    if type(value) is int and abs(value) <= 2**53:
        return float(value)
    raise NotPlain


def positive(value: Any) -> float:
    """A finite number above zero (Field(gt=0); inf or nan is left to pydantic)."""
    got = number(value)
    if not (math.isfinite(got) and got > 0):
        raise NotPlain
    return got


def matching(value: Any, pattern: re.Pattern[str]) -> str:
    """A text the whole of which `pattern` matches (Field(pattern=...): pydantic's `$` is the text's end only,
    Python's also before a final newline, so the plain way uses fullmatch and leaves any doubt to pydantic)."""
    got: str = exact(value, str)
    if pattern.fullmatch(got) is None:
        raise NotPlain
    return got


def one_of(value: Any, allowed: tuple[str, ...]) -> str:
    """A text among `allowed` (a Literal)."""
    got: str = exact(value, str)
    if got not in allowed:
        raise NotPlain
    return got


def texts(value: Any) -> tuple[str, ...]:
    """A list of texts, as the tuple the model holds (tuple[str, ...] after the list-to-tuple validator)."""
    return tuple(exact(x, str) for x in exact(value, list))


class Validator:
    """What `check_yaml_model` validates with: the plain way (`plain_model`) when it applies, else pydantic's strict
    model (`spec`, "module:Class", imported only then; its ValidationError is what check_yaml_model reports), whose
    validated model `from_spec` turns into the plain one."""

    def __init__(self, plain_model: Callable[[Any], Any], spec: str, from_spec: Callable[[Any], Any]) -> None:
        self.plain_model, self.spec, self.from_spec = plain_model, spec, from_spec

    def model_validate(self, raw: Any) -> Any:
        model = self.plain_model(raw)
        if model is not None:
            return model
        module, name = self.spec.split(":")
        return self.from_spec(getattr(importlib.import_module(module), name).model_validate(raw))
