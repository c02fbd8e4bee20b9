"""YAML of the second hostile round: a character YAML does not allow (a NUL, an escape sequence, a UTF-16 file
read as UTF-8) made the reader raise before the bounded loader's guard: exit 1. Now 78 at its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from pkp_cli.model.rules import check_rules_text
from pkp_cli.model.schedule import check_schedule_text
from tests.conftest import MINI_SCHEDULE
from tests.factories import ROOT
from tests.hostile.corpus import assert_one_line, run_pkp

RULES = (ROOT / "schedules" / "percepatan-2022.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("bad", "line"),
    [("Rekrutmen\x00", 7), ("Reki\x1b[31mrutmen", 7), ("Rek\x07", 7), ("Rek\ufffe", 7)],
    ids=["nul", "escape", "bell", "non-character"],
)
def test_forbidden_characters_are_a_problem_at_their_line(bad: str, line: int) -> None:
    text = MINI_SCHEDULE.replace("Rekrutmen", bad, 1)
    model, problems = check_schedule_text(text)
    assert model is None and len(problems) == 1
    assert problems[0].line == line and "not allowed" in problems[0].message("en")


def test_forbidden_character_in_rules() -> None:
    model, problems = check_rules_text(RULES + "\nx\x1b: 1\n")
    assert model is None and problems[0].line == RULES.count("\n") + 2


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le"])
def test_a_utf16_schedule_is_78_not_exit_1(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "jadwal.yaml"
    path.write_bytes(MINI_SCHEDULE.encode(encoding))
    res = run_pkp(["schedule", "--check", str(path)], cwd=tmp_path)
    assert res.returncode == 78, res.stderr
    assert_one_line(res.stderr, "jadwal.yaml") if res.stderr.startswith("pkp:") else None
    assert "Traceback" not in res.stderr and "internal" not in res.stderr


def test_an_escape_sequence_in_a_rules_file_is_78(tmp_path: Path) -> None:
    rules = tmp_path / "aturan.yaml"
    rules.write_text(RULES.replace("skor_maks", "\x1b[2Jskor_maks", 1), encoding="utf-8")
    res = run_pkp(["candidates", "--rules", str(rules)], cwd=tmp_path)
    assert res.returncode == 78, res.stderr
    line = assert_one_line(res.stderr, "aturan.yaml")
    assert "\x1b" not in line
