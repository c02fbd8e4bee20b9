"""The acceleration rules file: the bundled default is valid, and every kind of mistake names its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from pkp_cli.errors import Exit, PkpError
from pkp_cli.model.rules import check_rules_text, load_rules
from tests.factories import ROOT

DEFAULT = ROOT / "schedules" / "percepatan-2022.yaml"

GOOD = """\
skor_maks: 100
syarat:
  - {id: berulang, kolom: lokasi_berulang, nilai: true, wajib: true, bobot: 50}
  - {id: survei, tahapan_kunci: survei, bobot: 50}
penalti:
  - {id: terlambat, jenis: terlambat, per: tahapan, bobot: 5, maks: 20}
"""


def problems(text: str) -> list[tuple[int | None, str]]:
    model, probs = check_rules_text(text)
    assert model is None
    return [(p.line, p.code) for p in probs]


def test_the_default_rules_are_valid_and_add_up_to_the_maximum() -> None:
    rules = load_rules(DEFAULT)
    assert rules.skor_maks == 100
    assert sum(r.bobot for r in rules.syarat) == 100
    # The three conditions of the instruction together: repeat location, good performance, planning documents.
    assert {r.id for r in rules.syarat if r.wajib} == {"berulang", "kinerja", "dokumen"}
    assert {p.jenis for p in rules.penalti} == {"terlambat", "urutan_dilanggar", "laporan_basi"}
    assert len(rules.sha256) == 64


def test_a_good_file_and_the_default_status_list() -> None:
    model, probs = check_rules_text(GOOD)
    assert probs == []
    assert model is not None
    assert model.syarat[1].met_statuses == ("selesai", "selesai_terlambat")


def test_unknown_key_names_its_line() -> None:
    text = GOOD.replace("bobot: 50}\n", "bobot: 50, warna: merah}\n", 1)
    assert problems(text) == [(3, "rules-field")]
    block = "skor_maks: 10\nsyarat:\n  - id: a\n    kolom: kinerja\n    nilai: Baik\n    bobot: 10\n    x: 1\n"
    assert problems(block) == [(7, "rules-field")]


@pytest.mark.parametrize("weight", ["-5", "0"])
def test_weights_must_be_positive(weight: str) -> None:
    text = f"skor_maks: 10\nsyarat:\n  - id: a\n    kolom: kinerja\n    nilai: Baik\n    bobot: {weight}\n"
    assert problems(text) == [(6, "rules-field")]
    pen = GOOD + f"  - {{id: basi, jenis: laporan_basi, per: lokasi, bobot: {weight}, maks: 10}}\n"
    assert problems(pen) == [(7, "rules-field")]


def test_a_yaml_boolean_where_text_is_expected_is_an_error() -> None:
    # `id: NO` is YAML 1.1 for False: strict models refuse it instead of naming a rule "False".
    assert problems("skor_maks: 10\nsyarat:\n  - id: NO\n    kolom: kinerja\n    nilai: Baik\n    bobot: 10\n") == [
        (3, "rules-field")
    ]
    # `nilai: No` on a text column: the same surprise, caught with the line of `nilai`.
    text = "skor_maks: 10\nsyarat:\n  - id: a\n    kolom: kinerja\n    nilai: No\n    bobot: 10\n"
    assert problems(text) == [(5, "rules-value-text")]


def test_a_python_tag_is_refused_by_the_safe_loader() -> None:
    text = "skor_maks: 10\nsyarat:\n  - !!python/object/apply:os.system [echo hi]\n"
    assert problems(text) == [(3, "yaml-invalid")]


def test_semantic_mistakes_name_their_lines() -> None:
    text = """\
skor_maks: 100
syarat:
  - id: a
    kolom: warna
    bobot: 10
  - id: b
    tahapan_kunci: survey
    bobot: 10
  - id: c
    tahapan_kunci: survei
    status: [selesai, done]
    bobot: 10
  - id: d
    kolom: lokasi_berulang
    nilai: ya
    bobot: 10
  - id: e
    kolom: kinerja
    nilai: [Baik, Bagus]
    bobot: 10
  - id: f
    kolom: nilai_bantuan
    bobot: 10
  - id: g
    kolom: kinerja
    tahapan_kunci: survei
    bobot: 10
  - id: a
    kolom: nilai_bantuan
    minimal: 9
    maksimal: 1
    bobot: 10
penalti:
  - id: p
    jenis: terlambat
    per: tahapan
    bobot: 10
    maks: 5
"""
    assert problems(text) == [
        (28, "rules-id-duplicate"),
        (4, "rules-column-unknown"),
        (7, "rules-role-unknown"),
        (11, "rules-status-unknown"),
        (15, "rules-value-bool"),
        (19, "rules-value-unknown"),
        (21, "rules-range-missing"),
        (24, "rules-kind"),
        (30, "rules-range-inverted"),
        (38, "rules-cap-below-weight"),
    ]


def test_wrong_enums_and_weights_above_the_maximum() -> None:
    text = GOOD.replace("per: tahapan", "per: provinsi")
    assert problems(text) == [(6, "rules-field")]
    text = GOOD.replace("skor_maks: 100", "skor_maks: 90")
    assert problems(text) == [(1, "rules-weights-exceed")]
    assert problems("skor_maks: 10\nsyarat: []\n") == [(2, "rules-no-requirements")]
    assert problems("- a\n- b\n") == [(1, "rules-not-mapping")]


def test_load_rules_exits_78_and_names_the_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "aturan.yaml"
    bad.write_text(GOOD.replace("bobot: 5,", "bobot: -5,"), encoding="utf-8")
    with pytest.raises(PkpError) as err:
        load_rules(bad, lang="en")
    assert err.value.code == Exit.CONFIG
    assert str(bad) in err.value.message
    assert "line 6" in err.value.message
    with pytest.raises(PkpError) as missing:
        load_rules(tmp_path / "nope.yaml")
    assert missing.value.code == Exit.CONFIG
