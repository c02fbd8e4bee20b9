"""Notes for damaged cache entries (pkp_cli/ingest/cache_notes.py): inside a command the first NAMED are named and
the rest counted in one line at its end; outside one (library use) every note is printed."""

from __future__ import annotations

from pathlib import Path

import pytest

from pkp_cli.ingest import cache_notes


def _notes(n: int) -> None:
    for i in range(n):
        cache_notes.note_corrupt(Path(f"/c/pkp-file-{i}.pkpc"), "ValueError")


def _lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line]


def test_outside_a_command_every_note_is_printed(capsys: pytest.CaptureFixture[str]) -> None:
    _notes(cache_notes.NAMED + 2)
    lines = _lines(capsys.readouterr().err)
    assert len(lines) == cache_notes.NAMED + 2
    assert lines[0] == "pkp: cache /c/pkp-file-0.pkpc: rusak, dimuat ulang / corrupt, rebuilt (ValueError)"


def test_as_many_notes_as_named_are_all_named_without_a_count(capsys: pytest.CaptureFixture[str]) -> None:
    assert cache_notes.NAMED == 5
    with cache_notes.summarised():
        _notes(5)
    lines = _lines(capsys.readouterr().err)
    assert [line.split(":")[1] for line in lines] == [f" cache /c/pkp-file-{i}.pkpc" for i in range(5)]


def test_one_past_named_is_counted_at_the_end(capsys: pytest.CaptureFixture[str]) -> None:
    with cache_notes.summarised():
        _notes(6)
        assert len(_lines(capsys.readouterr().err)) == 5  # the sixth not printed while the command runs
    assert _lines(capsys.readouterr().err) == [
        "pkp: cache: 1 entri lain rusak, dimuat ulang / 1 more entries corrupt, rebuilt"
    ]


def test_the_count_is_said_when_the_command_fails_and_a_later_command_starts_afresh(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(RuntimeError), cache_notes.summarised():
        _notes(67)
        raise RuntimeError("the command failed")
    lines = _lines(capsys.readouterr().err)
    assert len(lines) == 6 and lines[-1].startswith("pkp: cache: 62 entri lain rusak")
    with cache_notes.summarised():
        _notes(1)
    assert len(_lines(capsys.readouterr().err)) == 1
    _notes(7)  # and outside again: every note
    assert len(_lines(capsys.readouterr().err)) == 7
