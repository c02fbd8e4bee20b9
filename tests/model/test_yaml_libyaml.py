"""Schedules and rules are scanned and parsed by libyaml (C) under pkp's own Python composing, which keeps the
bounds; PyYAML's pure-Python parser is the yardstick. Where the Python parser reads a text, libyaml gives the same
data and line tree, or the same problem (code and line) from the bounds and values. Where the Python parser finds
a syntax error, libyaml may read on: it takes tabs as separation and a comment right after a block scalar's `|`
(both seen by the search below, 5,000 texts: 149 texts, all such); a schedule read so is still checked whole by
its model."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from pkp_cli.model.yamlio import BoundedLoader, PythonBoundedLoader, YamlSyntaxError, load_yaml_with_lines
from tests.conftest import MINI_SCHEDULE
from tests.factories import ROOT
from tests.hostile.test_yaml_hostile import SCHEDULE_CASES


def outcome(text: str, loader: type[Any]) -> tuple[Any, ...]:
    try:
        data, lines = load_yaml_with_lines(text, loader)
    except YamlSyntaxError as exc:
        # libyaml words a syntax error its own way (and finds some a line later or earlier): the code is compared
        return ("problem", exc.code, exc.line if exc.code != "yaml-invalid" else None)
    return ("data", repr(data), lines)


def test_libyaml_is_what_pkp_uses() -> None:
    # PyYAML's wheels carry libyaml: the fast path is the one the suite exercises
    assert yaml.__with_libyaml__ and BoundedLoader is not PythonBoundedLoader


@pytest.mark.parametrize(
    "text",
    [
        pytest.param((ROOT / "schedules" / name).read_text(encoding="utf-8"), id=name)
        for name in ("jadwal-nasional-2022.yaml", "percepatan-2022.yaml")
    ]
    + [pytest.param(MINI_SCHEDULE, id="mini")]
    + [pytest.param(text, id=case) for case, (text, _, _) in SCHEDULE_CASES.items()],
)
def test_the_same_answer_as_the_python_parser(text: str) -> None:
    assert outcome(text, BoundedLoader) == outcome(text, PythonBoundedLoader)


@pytest.mark.parametrize(
    ("text", "line", "char"),
    [
        ("a: 1\nb: \x00x\n", 2, 0x00),
        ("a: é\nb: ü\nc: \x07\n", 3, 0x07),  # multi-byte characters before it: libyaml counts bytes
        ("a: 1\n\nb: [\x1b]\n", 3, 0x1B),
    ],
)
def test_a_character_yaml_does_not_allow_is_named_at_its_line(text: str, line: int, char: int) -> None:
    for loader in (BoundedLoader, PythonBoundedLoader):
        with pytest.raises(YamlSyntaxError) as err:
            load_yaml_with_lines(text, loader)
        assert (err.value.code, err.value.line) == ("yaml-invalid", line)
        assert f"#x{char:04x}" in err.value.detail


_PIECES = st.sampled_from(
    ["a", "b", ": ", ":", "- ", "-", "\n", "  ", "\t", "[", "]", "{", "}", ", ", "&x ", "*x", "<<: ", "'", '"',
     "#", "1", "2022-02-30", "1e400", ".inf", "9" * 120, "?", "|", ">", "!!str ", "é", "\x00", "%YAML 1.1\n", "---"]
)  # fmt: skip


@given(st.lists(_PIECES, max_size=40).map("".join))
def test_what_the_python_parser_reads_libyaml_reads_alike(text: str) -> None:
    python = outcome(text, PythonBoundedLoader)
    if python[:2] == ("problem", "yaml-invalid"):
        return  # libyaml's leniencies (the module's docstring)
    assert outcome(text, BoundedLoader) == python


def test_libyamls_leniencies_are_those_two() -> None:
    # A tab after a key's colon, and "|#": the Python parser refuses both, libyaml reads them
    assert outcome("a:\t1\n", PythonBoundedLoader)[:2] == ("problem", "yaml-invalid")
    assert outcome("a:\t1\n", BoundedLoader) == ("data", "{'a': 1}", {"a": (1, None)})
    assert outcome("|#\n", PythonBoundedLoader)[:2] == ("problem", "yaml-invalid")
    assert outcome("|#\n", BoundedLoader) == ("data", "''", None)
