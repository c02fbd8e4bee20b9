"""StageIndex: stage codes and names as typed, against the bundled schedule (the codes and names below are its
own: PSW-09 "Sosialisasi tingkat kabupaten dan kecamatan", PSW-11 "Survei pendahuluan bersama camat", KTK-11
"Survei pendahuluan bersama lurah/kepala desa", PSW-06 / KTK-06 "Revisi DIPA")."""

from __future__ import annotations

import pytest

from pkp_cli.model.schedule import load_schedule
from pkp_cli.model.stage_names import StageIndex, code_key, name_key
from tests.factories import ROOT


@pytest.fixture(scope="module")
def index() -> StageIndex:
    return StageIndex.of(load_schedule(ROOT / "schedules" / "jadwal-nasional-2022.yaml"))


@pytest.mark.parametrize("text", ["PSW-09", "PSW 09", "PSW-9", "psw09", "PSW_09", "PSW.09", " psw - 09 "])
def test_every_code_form_is_psw_09(index: StageIndex, text: str) -> None:
    assert index.resolve(text) == [("PISEW", "PSW-09")]


@pytest.mark.parametrize(
    "text",
    [
        "Survei pendahuluan bersama camat",
        "SURVEI PENDAHULUAN BERSAMA CAMAT",
        "survei  pendahuluan   bersama camat ",
        "Survei\u00a0pendahuluan bersama camat",  # a non-breaking space, as pasted from a web page
        "PSW-11 Survei pendahuluan bersama camat",  # the code and its own name in one cell
        "PSW 11 - Survei pendahuluan",  # the code decides; the name is the beginning of its own
    ],
)
def test_names_in_any_case_and_spacing(index: StageIndex, text: str) -> None:
    assert index.resolve(text) == [("PISEW", "PSW-11")]


def test_a_name_in_two_programs_means_both(index: StageIndex) -> None:
    assert index.resolve("revisi dipa") == [("PISEW", "PSW-06"), ("KOTAKU", "KTK-06")]
    assert index.resolve("Revisi DIPA", "KOTAKU") == [("KOTAKU", "KTK-06")]


def test_a_code_of_another_program_is_not_that_programs_stage(index: StageIndex) -> None:
    assert index.resolve("KTK-09", "PISEW") == []
    # ... but the PISEW stage with the same number is suggested.
    assert index.suggest("KTK-09", "PISEW") == ["PSW-09 Sosialisasi tingkat kabupaten dan kecamatan"]


def test_a_shortened_name_is_suggested_not_guessed(index: StageIndex) -> None:
    assert index.resolve("Survei pendahuluan") == []
    assert index.suggest("Survei pendahuluan") == [
        "PSW-11 Survei pendahuluan bersama camat",
        "KTK-11 Survei pendahuluan bersama lurah/kepala desa",
    ]
    assert index.suggest("Survei pendahuluan", "PISEW") == ["PSW-11 Survei pendahuluan bersama camat"]


def test_typos_and_codes_with_a_wrong_name_get_suggestions(index: StageIndex) -> None:
    assert index.suggest("Sosialisai tingkat kabupaten dan kecamatan", "PISEW") == [
        "PSW-09 Sosialisasi tingkat kabupaten dan kecamatan"
    ]
    # A code followed by another stage's name is not guessed either way; the code's own stage comes first.
    assert index.resolve("PSW-09 Survei pendahuluan") == []
    assert index.suggest("PSW-09 Survei pendahuluan", "PISEW")[:2] == [
        "PSW-09 Sosialisasi tingkat kabupaten dan kecamatan",
        "PSW-11 Survei pendahuluan bersama camat",
    ]
    assert index.suggest("zzz") == [] and index.suggest("") == []


def test_keys() -> None:
    assert code_key("PSW-09") == code_key("psw 9") == "psw9"
    assert name_key("  Perencanaan teknis (DED dan RAB) ") == "perencanaan teknis ded dan rab"
