"""Safe YAML loading that remembers the line of every mapping key and sequence item."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from pkp_cli.text.messages import render


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a schedule or rules file: its YAML line and a catalogue code."""

    line: int | None
    code: str
    params: dict[str, Any]

    def message(self, lang: str = "id") -> str:
        text = render(self.code, lang, **self.params)
        if self.line is None:
            return text
        return f"{'baris' if lang == 'id' else 'line'} {self.line}: {text}"


class YamlSyntaxError(ValueError):
    def __init__(self, line: int | None, detail: str):
        super().__init__(detail)
        self.line = line
        self.detail = detail


def load_yaml_with_lines(text: str) -> tuple[Any, Any]:
    """Parse with the safe loader only; return (data, line tree).

    The line tree mirrors the data: for a mapping, {key: (line, subtree)}; for a sequence,
    [(line, subtree), ...]; for a scalar, None. Lines are 1-based.
    """
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.load(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise YamlSyntaxError(mark.line + 1 if mark is not None else None, problem) from exc
    return data, _lines(node)


def _lines(node: Any) -> Any:
    if isinstance(node, yaml.MappingNode):
        out = {}
        for k, v in node.value:
            key = yaml.safe_load(yaml.serialize(k)) if not isinstance(k, yaml.ScalarNode) else k.value
            out[str(key)] = (k.start_mark.line + 1, _lines(v))
        return out
    if isinstance(node, yaml.SequenceNode):
        return [(item.start_mark.line + 1, _lines(item)) for item in node.value]
    return None


def locate_line(lines: Any, path: tuple[Any, ...]) -> int | None:
    """The line of the deepest element of `path` that exists in the line tree."""
    found: int | None = None
    cur = lines
    for part in path:
        if isinstance(cur, dict) and str(part) in cur:
            found, cur = cur[str(part)]
        elif isinstance(cur, list) and isinstance(part, int) and 0 <= part < len(cur):
            found, cur = cur[part]
        else:
            break
    return found


def check_yaml_model(
    text: str,
    model_cls: Any,
    kind: str,
    semantic: Any,
) -> tuple[Any, list[Any]]:
    """Safe-load YAML text into a strict pydantic model, then run `semantic(model, raw, lines)`.

    Returns (model or None, problems); every problem names its YAML line and a catalogue code
    (`yaml-invalid`, `<kind>-not-mapping`, `<kind>-field`, or whatever `semantic` reports).
    """
    from pydantic import ValidationError

    try:
        raw, lines = load_yaml_with_lines(text)
    except YamlSyntaxError as exc:
        return None, [Problem(exc.line, "yaml-invalid", {"detail": exc.detail})]
    if not isinstance(raw, dict):
        return None, [Problem(1, f"{kind}-not-mapping", {})]
    try:
        model = model_cls.model_validate(raw)
    except ValidationError as exc:
        return None, [
            Problem(
                locate_line(lines, tuple(err["loc"])),
                f"{kind}-field",
                {"field": ".".join(map(str, err["loc"])), "detail": err["msg"]},
            )
            for err in exc.errors()
        ]
    probs = semantic(model, raw, lines)
    return (None if probs else model), probs
