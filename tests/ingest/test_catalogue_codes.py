"""Every code of the message catalogue is produced by pkp and asserted by a test.

The first test loads one small folder written here that makes most of the row-level codes the other tests do
not make, each at the cell named below. The last two walk the catalogue: a code no source file uses is dead,
and a code no test names is untested.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from pkp_cli.ingest.load import load_data
from pkp_cli.text.messages import CATALOGUE
from tests.factories import ROOT

LOKASI = """\
Kode Lokasi;Program;Provinsi;Lokasi Berulang;Kinerja;Nilai Bantuan
51.04.01;PISEW;Bali;Ya;Baik;Rp 600.000.000
51.04.1;PISEW;Bali;Ya;Baik;
51.99.99;PISEW;Bali;Ya;Baik;
51.04.02;PISAW;Bali;Ya;Baik;
51.04.03;KOTAKU;Bali;Ya;Baik;
51.04.04;PISEW;Bali;mungkin;Baik;
51.04.05;PISEW;Bali;Ya;hebat;
51.04.06;PISEW;Bali;Ya;Baik;-5.000.000
"""
PROGRES = """\
Kode Lokasi;Program;Tahapan;Tanggal Mulai;Tanggal Selesai;Progres (%);Tanggal Laporan
51.04.01;PISEW;L3;01/05/2022;;abc;20/05/2022
51.04.01;PISEW;L1;01/04/2021;;;01/12/2021
51.04.01;PISEW;P1;01/04/2022;;;20/05/2022
51;PISEW;L2;01/04/2022;;;20/05/2022
51.04.01;KOTAKU;K1;01/04/2022;;;20/05/2022
"""
TWO_STARTS = """\
Kode Lokasi;Tahapan;Tanggal Mulai;Mulai
51;P1;01/04/2022;01/04/2022
"""


def test_row_level_codes_at_their_cells(tmp_path: Path, mini_schedule) -> None:
    d = tmp_path / "data"
    (d / "progres" / "2022-05-20").mkdir(parents=True)
    (d / "lokasi.csv").write_text(LOKASI, encoding="utf-8")
    (d / "progres" / "2022-05-20" / "bali.csv").write_text(PROGRES, encoding="utf-8")
    (d / "progres" / "2022-05-20" / "dua.csv").write_text(TWO_STARTS, encoding="utf-8")
    r = load_data([d], mini_schedule, today=dt.date(2022, 6, 30))
    got = {(Path(i.file).name, i.cell, i.code) for i in [*r.errors, *r.warnings]}
    expected = {
        ("lokasi.csv", "A3", "code-format"),  # 51.04.1: a kecamatan code is NN.NN.NN
        ("lokasi.csv", "A4", "code-unknown"),  # 51.99.99 is no kecamatan of the reference
        ("lokasi.csv", "B5", "program-invalid"),  # PISAW
        ("lokasi.csv", "A6", "program-mismatch"),  # a kecamatan code for a KOTAKU location
        ("lokasi.csv", "D7", "bool-invalid"),  # Lokasi Berulang "mungkin"
        ("lokasi.csv", "E8", "kinerja-invalid"),  # Kinerja "hebat"
        ("lokasi.csv", "F9", "rupiah-negative"),  # -5.000.000
        ("lokasi.csv", None, "column-missing"),  # no Dokumen Perencanaan column: unknown, not "no"
        ("bali.csv", "F2", "number-invalid"),  # Progres (%) "abc"
        ("bali.csv", "G3", "report-outside-year"),  # a report of 1 Dec 2021 for TA 2022
        ("bali.csv", "C4", "stage-level-province"),  # P1 is province-level, 51.04.01 a location
        ("bali.csv", "C5", "stage-level-location"),  # L2 is location-level, 51 a province
        ("bali.csv", "B6", "program-differs"),  # KOTAKU for a PISEW location
        ("dua.csv", "C2", "column-conflict"),  # "Tanggal Mulai" and "Mulai" both claim tanggal_mulai
    }
    assert expected <= got, expected - got


def _source_text() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "pkp_cli").rglob("*.py") if p.name != "messages.py")


def test_every_catalogue_code_is_produced_somewhere() -> None:
    source = _source_text()
    # yamlio builds these two per file kind: f"{kind}-field", f"{kind}-not-mapping"
    built = re.compile(r"^(schedule|rules)-(field|not-mapping)$")
    dead = [c for c in CATALOGUE if f'"{c}"' not in source and f"'{c}'" not in source and not built.match(c)]
    assert dead == [], f"catalogue codes no code produces: {dead}"


def test_every_catalogue_code_is_asserted_by_a_test() -> None:
    tests = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "tests").rglob("*.py"))
    untested = [c for c in CATALOGUE if f'"{c}"' not in tests and f"'{c}'" not in tests]
    assert untested == [], f"catalogue codes no test asserts: {untested}"
