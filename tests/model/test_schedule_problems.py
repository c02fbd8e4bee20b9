"""Every check of a schedule file, one small YAML each: the catalogue code, the line it names, the message.

The base file is MINI (below, line numbers in the comments); each case changes one line and says which line
the problem is reported at.
"""

from __future__ import annotations

import pytest

from pkp_cli.model.rules import check_rules_text
from pkp_cli.model.schedule import check_schedule_text

MINI = """\
tahun_anggaran: 2022
batas_akhir: 2022-12-31
program:
  PISEW:
    tahapan_kunci: {rekrutmen: P1}
    tahapan:
      - kode: P1
        nama: Rekrutmen
        tingkat: provinsi
        mulai: 2022-03-01
        selesai: 2022-05-31
      - kode: L1
        nama: Sosialisasi
        tingkat: lokasi
        mulai: 2022-04-01
        selesai: 2022-05-15
        setelah: [P1]
"""


def problems(text: str) -> list[tuple[int | None, str, str]]:
    model, probs = check_schedule_text(text)
    assert (model is None) == bool(probs)
    return [(p.line, p.code, p.message("en")) for p in probs]


def test_the_base_file_is_valid() -> None:
    assert problems(MINI) == []


@pytest.mark.parametrize(
    ("old", "new", "line", "code", "words"),
    [
        ("tahun_anggaran: 2022", "tahun_anggaran: dua ribu", 1, "schedule-field", "tahun_anggaran"),
        ("batas_akhir: 2022-12-31", "batas_akhir: 2023-01-31", 2, "schedule-deadline-year", "outside fiscal year"),
        # (the second P1 must follow nothing, or it would also follow itself: a cycle)
        ("      - kode: L1", "      - kode: P1", 12, "schedule-code-duplicate", "duplicate stage code 'P1'"),
        ("        nama: Sosialisasi", "        nama: REKRUTMEN", 13, "schedule-name-duplicate", "'REKRUTMEN'"),
        ("        selesai: 2022-05-15", "        selesai: 2022-03-15", 16, "schedule-end-before-start", "L1: end"),
        ("        mulai: 2022-04-01", "        mulai: 2021-12-01", 15, "schedule-outside-year", "mulai 2021-12-01"),
        ("{rekrutmen: P1}", "{rekrutmen: P9}", 5, "schedule-key-unknown", "unknown stage 'P9'"),
        ("        setelah: [P1]", "        setelah: [P7]", 17, "schedule-after-unknown", "'P7' is not a stage"),
    ],
)
def test_each_problem_at_its_line(old: str, new: str, line: int, code: str, words: str) -> None:
    assert old in MINI
    text = MINI.replace(old, new, 1)
    if code == "schedule-code-duplicate":
        text = text.replace("        setelah: [P1]\n", "")
    found = problems(text)
    assert [(ln, c) for ln, c, _ in found] == [(line, code)], found
    assert words in found[0][2]


def test_a_cycle_and_a_non_mapping() -> None:
    cyclic = MINI.replace("        selesai: 2022-05-31\n", "        selesai: 2022-05-31\n        setelah: [L1]\n", 1)
    ((_, code, text),) = problems(cyclic)
    assert code == "schedule-cycle" and ("P1 -> L1 -> P1" in text or "L1 -> P1 -> L1" in text)
    assert [c for _, c, _ in problems("- just\n- a list\n")] == ["schedule-not-mapping"]


def test_a_rules_key_that_does_not_apply_to_the_requirement() -> None:
    text = """\
skor_maks: 100
syarat:
  - {id: berulang, kolom: lokasi_berulang, nilai: true, bobot: 40, wajib: true, status: [selesai]}
penalti: []
"""
    model, probs = check_rules_text(text)
    assert model is None
    assert [(p.line, p.code) for p in probs] == [(3, "rules-key-not-for-kind")]
    assert "status" in probs[0].message("en")
