"""Safe YAML loading that remembers the line of every mapping key and sequence item."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import Resolver
from yaml.scanner import Scanner

from pkp_cli.text.messages import render

try:
    from yaml._yaml import CParser as _LibyamlParser
except ImportError:  # PyYAML built without libyaml
    _CParser: Any = None
else:
    _CParser = _LibyamlParser


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
    """YAML that cannot be read, or that the bounds below refuse: its line and a catalogue code."""

    def __init__(self, line: int | None, detail: str, code: str = "yaml-invalid", params: dict[str, Any] | None = None):
        super().__init__(detail)
        self.line = line
        self.detail = detail
        self.code = code
        self.params = params if params is not None else {"detail": detail}


# A schedule or rules file is small: these bounds refuse hostile YAML quickly, in bounded memory.
MAX_YAML_BYTES = 1_000_000
MAX_DEPTH = 64  # nested collections
MAX_NODES = 100_000  # nodes once every alias is expanded (a "billion laughs" file has 10**9)
MAX_NUMBER_CHARS = 100  # a 5,000-digit integer costs seconds to convert and means nothing here
_LIBYAML_TOO_DEEP = "exceeded maximum nesting depth"  # libyaml's own bound, as its error words it


class _Refused(yaml.MarkedYAMLError):
    """Raised inside the loader: a catalogue code and its parameters, at a YAML mark."""

    def __init__(self, mark: Any, code: str, **params: Any):
        super().__init__(problem=code, problem_mark=mark)
        self.code = code
        self.params = params


def _short(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else f"{text[:limit]}…"


class _Bounds(Composer, SafeConstructor, Resolver):
    """The safe loader's composing and constructing, with bounds: nesting depth, size after alias expansion,
    numbers and dates that exist, and no duplicate keys (the later one would silently win). The events come from
    the parser of the concrete loader below."""

    check_event: Any  # the parser's (Python's or libyaml's), given by the concrete loader
    peek_event: Any

    def __init__(self) -> None:
        Composer.__init__(self)
        SafeConstructor.__init__(self)
        Resolver.__init__(self)
        self._depth = 0
        self._sizes: dict[int, int] = {}  # id(node) -> nodes under it, aliases expanded

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            node = super().compose_node(parent, index)
            if id(node) not in self._sizes:  # an alias inside its own anchor: infinite when expanded
                raise _Refused(event.start_mark, "yaml-alias-loop", alias=event.anchor)
            return node
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise _Refused(self.peek_event().start_mark, "yaml-too-deep", limit=MAX_DEPTH)
        try:
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        if isinstance(node, yaml.SequenceNode):
            size = 1 + sum(self._sizes.get(id(c), 1) for c in node.value)
        elif isinstance(node, yaml.MappingNode):
            size = 1 + sum(self._sizes.get(id(k), 1) + self._sizes.get(id(v), 1) for k, v in node.value)
        else:
            size = 1
        if size > MAX_NODES:
            raise _Refused(getattr(node, "start_mark", None), "yaml-too-complex", limit=MAX_NODES)
        self._sizes[id(node)] = size
        return node

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        if isinstance(node, yaml.MappingNode):
            first: dict[Any, int] = {}
            for key_node, _ in node.value:
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                    continue  # a merged key may be overridden; that is what << is for
                key = self.construct_object(key_node)
                try:
                    seen = first.get(key)
                except TypeError:
                    continue
                if seen is not None:
                    raise _Refused(key_node.start_mark, "yaml-key-duplicate", key=_short(str(key)), first=seen)
                first[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)

    def _number_text(self, node: Any) -> str:
        text = str(self.construct_scalar(node))
        if len(text) > MAX_NUMBER_CHARS:
            raise _Refused(node.start_mark, "yaml-number-invalid", value=_short(text))
        return text

    def construct_yaml_int(self, node: Any) -> Any:
        text = self._number_text(node)
        try:
            return super().construct_yaml_int(node)
        except (ValueError, OverflowError):
            raise _Refused(node.start_mark, "yaml-number-invalid", value=_short(text)) from None

    def construct_yaml_float(self, node: Any) -> Any:
        import math

        text = self._number_text(node)
        try:
            value = super().construct_yaml_float(node)
        except (ValueError, OverflowError):
            value = math.nan
        if not math.isfinite(value):
            raise _Refused(node.start_mark, "yaml-number-invalid", value=_short(text))
        return value

    def construct_yaml_timestamp(self, node: Any) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError):
            raise _Refused(node.start_mark, "yaml-date-invalid", value=_short(str(node.value))) from None


class PythonBoundedLoader(Reader, Scanner, Parser, _Bounds):
    """The bounded loader on PyYAML's pure-Python reader, scanner and parser: where libyaml is missing, and the
    yardstick of the tests (the same data, lines and problems as BoundedLoader)."""

    def __init__(self, stream: str):
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        _Bounds.__init__(self)


if _CParser is not None:

    class _CBoundedLoader(_Bounds, _CParser):
        """libyaml's scanner and parser (in C, about 6 times faster on a schedule: 42 -> 7 ms, most of a cold run's
        schedule load) under the same Python composing with its bounds: libyaml's own composer would skip them."""

        def __init__(self, stream: str):
            _CParser.__init__(self, stream)
            _Bounds.__init__(self)

    BoundedLoader: type[Any] = _CBoundedLoader
else:  # PyYAML built without libyaml
    BoundedLoader = PythonBoundedLoader


# (The stubs type add_constructor for loaders with a parser; _Bounds gets its parser from the concrete loader.)
_Bounds.add_constructor("tag:yaml.org,2002:int", _Bounds.construct_yaml_int)  # type: ignore[type-var]
_Bounds.add_constructor("tag:yaml.org,2002:float", _Bounds.construct_yaml_float)  # type: ignore[type-var]
_Bounds.add_constructor("tag:yaml.org,2002:timestamp", _Bounds.construct_yaml_timestamp)  # type: ignore[type-var]


def read_yaml_file(path: Any, limit: int = MAX_YAML_BYTES) -> bytes:
    """The bytes of a schedule or rules file, read only if it is a regular file within `limit` bytes.

    A FIFO, a device or a huge file is refused before anything is read (a schedule is small). Raises
    YamlSyntaxError with a catalogue code, or OSError when the file cannot be opened."""
    from pkp_cli.model.regular_file import NotRegularFile, TooLarge, read_regular_file

    try:
        return read_regular_file(path, limit)
    except NotRegularFile as exc:
        raise YamlSyntaxError(None, exc.kind, "input-not-regular", {"kind": exc.kind}) from None
    except TooLarge as exc:
        raise YamlSyntaxError(None, "too large", "yaml-too-large", {"size": exc.size, "limit": limit}) from None


def load_yaml_with_lines(text: str, loader_class: type[Any] = BoundedLoader) -> tuple[Any, Any]:
    """Parse with the bounded safe loader only; return (data, line tree).

    The line tree mirrors the data: for a mapping, {key: (line, subtree)}; for a sequence,
    [(line, subtree), ...]; for a scalar, None. Lines are 1-based.
    """
    if len(text) > MAX_YAML_BYTES:
        raise YamlSyntaxError(None, "too large", "yaml-too-large", {"size": len(text), "limit": MAX_YAML_BYTES})
    loader = None
    try:
        # Python's reader refuses a character YAML does not allow as it is made, libyaml's as it reads
        loader = loader_class(text)
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.reader.ReaderError as exc:
        # A character YAML does not allow (NUL, an escape sequence, UTF-16 read as UTF-8): refused at its line.
        raise _not_allowed(text, exc) from None
    except _Refused as exc:
        mark = exc.problem_mark
        raise YamlSyntaxError(mark.line + 1 if mark is not None else None, exc.code, exc.code, exc.params) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        line = mark.line + 1 if mark is not None else None
        if problem == _LIBYAML_TOO_DEEP:  # libyaml's scanner looks ahead inside [ and {: its bound (1,000) comes first
            raise _too_deep(line) from None
        raise YamlSyntaxError(line, problem) from exc
    except RecursionError:  # the depth bound makes this unreachable; kept so no traceback can escape
        raise _too_deep(None) from None
    finally:
        if loader is not None:
            loader.dispose()
    return data, _lines(node)


def _not_allowed(text: str, exc: yaml.reader.ReaderError) -> YamlSyntaxError:
    """The line and the character of a reader's refusal. Python's reader counts characters; libyaml (its encoding
    given as "?") counts the bytes of the text as UTF-8."""
    at = max(exc.position, 0)
    breaks = text.encode("utf-8", "surrogatepass")[:at].count(b"\n") if exc.encoding == "?" else text.count("\n", 0, at)
    detail = f"karakter #x{exc.character:04x} tidak diizinkan / character #x{exc.character:04x} is not allowed"
    return YamlSyntaxError(breaks + 1, detail)


def _too_deep(line: int | None) -> YamlSyntaxError:
    return YamlSyntaxError(line, "too deep", "yaml-too-deep", {"limit": MAX_DEPTH})


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
    """Safe-load YAML text into a strict model (pydantic's, or a class with pydantic's `model_validate`), then run
    `semantic(model, raw, lines)`.

    Returns (model or None, problems); every problem names its YAML line and a catalogue code
    (`yaml-invalid`, `<kind>-not-mapping`, `<kind>-field`, or whatever `semantic` reports).
    """
    try:
        raw, lines = load_yaml_with_lines(text)
    except YamlSyntaxError as exc:
        return None, [Problem(exc.line, exc.code, exc.params)]
    if not isinstance(raw, dict):
        return None, [Problem(1, f"{kind}-not-mapping", {})]
    try:
        model = model_cls.model_validate(raw)
    except ValueError as exc:
        # pydantic is imported only by a model that used it (the schedule's plain way does not: model/schedule.py)
        from pydantic import ValidationError

        if not isinstance(exc, ValidationError):
            raise
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
