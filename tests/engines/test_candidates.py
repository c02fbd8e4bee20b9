"""pkp_cli.engines.candidates on hand-built frames with hand-derived scores (codes and data; the words are
tests/views/test_candidates_view.py's, on the same fixture).

The fixture: one PISEW schedule with three province-level stages (recruitment, DIPA revision, mobilisation)
and five location stages; the rules below (weights 25/25/20/15/15, sum 100; planning documents optional, as a
variant of the bundled rules). A "full" location meets every requirement with no penalty and scores exactly
100, so each test changes one thing and checks that the score moves by exactly that rule's weight.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from pkp_cli.engines.candidates import (
    distinct_sets,
    explain,
    rule_columns,
    score_candidates,
    startable_stages,
    waiting_stages,
)
from pkp_cli.errors import UnknownValue
from pkp_cli.model.frames import LOKASI, STATUS
from pkp_cli.model.rules import Rules, check_rules_text, load_rules
from pkp_cli.model.schedule import Schedule, check_schedule_text
from tests.factories import ROOT

SCHEDULE_YAML = """\
tahun_anggaran: 2022
batas_akhir: 2022-12-15
program:
  PISEW:
    tahapan_kunci: {rekrutmen: rek, revisi_dipa: dipa, kelembagaan: lem, survei: srv, konstruksi: kon}
    tahapan:
      - {kode: rek, nama: Rekrutmen pendamping, tingkat: provinsi, mulai: 2022-04-01, selesai: 2022-05-31}
      - {kode: dipa, nama: Revisi DIPA, tingkat: provinsi, mulai: 2022-05-01, selesai: 2022-06-15}
      - kode: mob
        nama: Mobilisasi pendamping
        tingkat: provinsi
        mulai: 2022-06-16
        selesai: 2022-06-30
        setelah: [rek, dipa]
        perlu_revisi_dipa: true
      - {kode: lem, nama: Pembentukan kelembagaan, tingkat: lokasi, mulai: 2022-05-01, selesai: 2022-06-30}
      - {kode: srv, nama: Survei pendahuluan, tingkat: lokasi, mulai: 2022-05-01, selesai: 2022-06-30}
      - kode: sos
        nama: Sosialisasi desa
        tingkat: lokasi
        mulai: 2022-07-01
        selesai: 2022-07-15
        setelah: [rek]
        dapat_dipercepat: true
      - kode: ren
        nama: Penyusunan rencana
        tingkat: lokasi
        mulai: 2022-07-01
        selesai: 2022-07-31
        setelah: [lem, srv]
        dapat_dipercepat: true
      - kode: kon
        nama: Konstruksi
        tingkat: lokasi
        mulai: 2022-08-01
        selesai: 2022-11-30
        setelah: [srv]
        perlu_revisi_dipa: true
        dapat_dipercepat: true
"""

RULES_YAML = """\
skor_maks: 100
syarat:
  - {id: berulang, kolom: lokasi_berulang, nilai: true, wajib: true, bobot: 25}
  - {id: kinerja, kolom: kinerja, nilai: Baik, wajib: true, bobot: 25}
  - {id: dokumen, kolom: dokumen_perencanaan, nilai: true, bobot: 20}
  - {id: kelembagaan, tahapan_kunci: kelembagaan, bobot: 15}
  - {id: survei, tahapan_kunci: survei, status: [selesai, selesai_terlambat], bobot: 15}
penalti:
  - {id: terlambat, jenis: terlambat, per: tahapan, bobot: 5, maks: 20}
  - {id: urutan, jenis: urutan_dilanggar, per: tahapan, bobot: 10, maks: 20}
  - {id: basi, jenis: laporan_basi, per: lokasi, bobot: 10, maks: 10}
"""

AS_OF = pd.Timestamp("2022-06-01")
D = pd.Timestamp


def make_schedule() -> Schedule:
    model, probs = check_schedule_text(SCHEDULE_YAML)
    assert model is not None, [p.message("en") for p in probs]
    return Schedule(model=model, path=Path("test.yaml"), sha256="0")


def make_rules(text: str = RULES_YAML) -> Rules:
    model, probs = check_rules_text(text)
    assert model is not None, [p.message("en") for p in probs]
    return Rules(model=model, path=Path("rules.yaml"), sha256="0")


SCHEDULE = make_schedule()
RULES = make_rules()


def lokasi_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """LOKASI rows; a full location unless overridden: repeat, Baik, planning documents."""
    full = []
    for r in rows:
        kode = r["kode_lokasi"]
        prov = kode[:2]
        full.append(
            {
                "kode_lokasi": kode,
                "program": "PISEW",
                "kode_provinsi": prov,
                "provinsi": f"Provinsi {prov}",
                "kode_kabupaten": kode[:5],
                "kabupaten_kota": f"Kabupaten {kode[:5]}",
                "kecamatan": f"Kecamatan {kode}",
                "kelurahan_desa": pd.NA,
                "nama_lokasi": f"Kecamatan {kode}",
                "balai": f"BPPW {prov}",
                "lokasi_berulang": True,
                "kinerja": "Baik",
                "dokumen_perencanaan": True,
                "nilai_bantuan": 600_000_000.0,
                "_file": "lokasi.xlsx",
                "_sheet": "Lokasi",
                "_row": 2,
                **r,
            }
        )
    df = pd.DataFrame(full, columns=LOKASI)
    return df.astype({"lokasi_berulang": "boolean", "dokumen_perencanaan": "boolean", "nilai_bantuan": "float64"})


def status_frame(
    lokasi: pd.DataFrame,
    overrides: dict[tuple[str, str], dict[str, Any]] | None = None,
    provinces: dict[str, dict[str, dict[str, Any]]] | None = None,
) -> pd.DataFrame:
    """A STATUS frame as compute_status would give it, written by hand.

    Defaults, as of 1 June 2022: recruitment finished on 20 May in every province, the DIPA revision open in
    its window, mobilisation not yet due; every location's kelembagaan finished on 20 May and survei on
    24 May (both fresh reports), the later stages not yet due. `overrides[(kode, tahapan)]` and
    `provinces[kode_provinsi][tahapan]` replace fields of one row.
    """
    overrides = overrides or {}
    provinces = provinces or {}
    table = SCHEDULE.stage_table()
    defaults = {
        "rek": {"status": "selesai", "tanggal_mulai": D("2022-04-05"), "tanggal_selesai": D("2022-05-20")},
        "dipa": {"status": "berjalan", "tanggal_mulai": D("2022-05-10")},
        "lem": {"status": "selesai", "tanggal_mulai": D("2022-05-02"), "tanggal_selesai": D("2022-05-20")},
        "srv": {"status": "selesai", "tanggal_mulai": D("2022-05-03"), "tanggal_selesai": D("2022-05-24")},
    }
    rows = []

    def row(kode: str, nama: str, level: str, st: pd.Series, kab: Any, prov: str, extra: dict[str, Any]) -> None:
        base = {
            "kode_provinsi": prov,
            "provinsi": f"Provinsi {prov}",
            "kode_kabupaten": kab,
            "kabupaten_kota": pd.NA if level == "provinsi" else f"Kabupaten {kab}",
            "kode_lokasi": kode,
            "nama_lokasi": nama,
            "program": st["program"],
            "tingkat": level,
            "urutan": st["urutan"],
            "tahapan": st["tahapan"],
            "nama_tahapan": st["nama_tahapan"],
            "jadwal_mulai": st["jadwal_mulai"],
            "jadwal_selesai": st["jadwal_selesai"],
            "tanggal_mulai": pd.NaT,
            "tanggal_selesai": pd.NaT,
            "progres_persen": float("nan"),
            "tanggal_laporan": pd.NaT,
            "status": "belum_jadwal",
            "hari_terlambat": 0,
            "hari_kerja_terlambat": 0,
            "urutan_dilanggar": False,
            "tanpa_laporan": True,
            "laporan_basi": False,
            "tertunda_dipa": False,
            "keterangan": pd.NA,
        }
        base.update(defaults.get(st["tahapan"], {}))
        if pd.notna(base["tanggal_mulai"]):
            base.update(tanggal_laporan=D("2022-05-27"), tanpa_laporan=False)
        base.update(extra)
        rows.append(base)

    for prov in sorted(set(lokasi["kode_provinsi"]) | set(provinces)):
        for _, st in table[table["tingkat"] == "provinsi"].iterrows():
            row(
                prov,
                f"Provinsi {prov}",
                "provinsi",
                st,
                pd.NA,
                prov,
                provinces.get(prov, {}).get(st["tahapan"], {}),
            )
    for _, loc in lokasi.iterrows():
        for _, st in table[table["tingkat"] == "lokasi"].iterrows():
            extra = overrides.get((loc["kode_lokasi"], st["tahapan"]), {})
            row(
                loc["kode_lokasi"],
                loc["nama_lokasi"],
                "lokasi",
                st,
                loc["kode_kabupaten"],
                loc["kode_provinsi"],
                extra,
            )
    df = pd.DataFrame(rows, columns=STATUS)
    return df.astype(
        {c: bool for c in ("urutan_dilanggar", "tanpa_laporan", "laporan_basi", "tertunda_dipa")}
        | {"hari_terlambat": int, "hari_kerja_terlambat": int}
    )


def score_one(
    loc: dict[str, Any] | None = None,
    overrides: dict[str, dict[str, Any]] | None = None,
    rules: Rules = RULES,
    provinces: dict[str, dict[str, dict[str, Any]]] | None = None,
) -> pd.Series:
    lokasi = lokasi_frame([{"kode_lokasi": "51.01.01", **(loc or {})}])
    status = status_frame(lokasi, {("51.01.01", k): v for k, v in (overrides or {}).items()}, provinces)
    out = score_candidates(lokasi, status, SCHEDULE, rules, AS_OF)
    assert len(out) == 1
    return out.iloc[0]


# --- requirements -----------------------------------------------------------------------------------------


def test_full_location_scores_the_maximum_with_the_data_behind_each_rule() -> None:
    row = score_one()
    assert row["skor"] == 100
    assert row["memenuhi"]
    assert row["syarat_gagal"] == []
    assert {c: row[f"syarat.{c}"] for c in ("berulang", "dokumen", "survei")} == {
        "berulang": "terpenuhi",
        "dokumen": "terpenuhi",
        "survei": "terpenuhi",
    }
    # The data each rule read: the column value, or the key stage with its status and date.
    assert bool(row["syarat.berulang.nilai"]) is True and row["syarat.kinerja.nilai"] == "Baik"
    assert (row["syarat.kelembagaan.tahapan"], row["syarat.kelembagaan.status"]) == ("lem", "selesai")
    assert row["syarat.kelembagaan.tanggal"] == D("2022-05-20")  # finished: the end date
    assert row["syarat.survei.nama_tahapan"] == "Survei pendahuluan"
    assert (row["penalti.terlambat"], row["penalti.terlambat.jumlah"]) == (0, 0)


def test_the_engine_writes_no_words() -> None:
    out = score_candidates(
        lokasi_frame([{"kode_lokasi": "51.01.01"}]),
        status_frame(lokasi_frame([{"kode_lokasi": "51.01.01"}])),
        SCHEDULE,
        RULES,
        AS_OF,
    )
    assert "alasan" not in out.columns and "alasan_teks" not in out.columns
    assert rule_columns(RULES) == [c for c in out.columns if c.startswith(("syarat.", "penalti."))]


@pytest.mark.parametrize(
    ("loc", "overrides", "rule", "weight"),
    [
        ({"dokumen_perencanaan": False}, None, "dokumen", 20),
        ({}, {"lem": {"status": "berjalan", "tanggal_selesai": pd.NaT}}, "kelembagaan", 15),
        ({}, {"srv": {"status": "berjalan", "tanggal_selesai": pd.NaT}}, "survei", 15),
        ({"lokasi_berulang": False}, None, "berulang", 25),
        ({"kinerja": "Cukup"}, None, "kinerja", 25),
    ],
)
def test_each_requirement_moves_the_score_by_exactly_its_weight(
    loc: dict[str, Any], overrides: dict[str, dict[str, Any]] | None, rule: str, weight: int
) -> None:
    row = score_one(loc, overrides)
    assert row["skor"] == 100 - weight
    assert row[f"syarat.{rule}"] == "gagal"


def test_a_failed_wajib_requirement_excludes_but_keeps_the_score() -> None:
    row = score_one({"kinerja": "Cukup"})
    assert not row["memenuhi"]
    assert row["syarat_gagal"] == ["kinerja"]
    assert row["skor"] == 75
    assert (row["syarat.kinerja"], row["syarat.kinerja.nilai"]) == ("gagal", "Cukup")


def test_a_failed_optional_requirement_does_not_exclude() -> None:
    row = score_one({"dokumen_perencanaan": False})
    assert row["memenuhi"]
    assert row["syarat.dokumen"] == "gagal"


BUNDLED_RULES = load_rules(ROOT / "schedules" / "percepatan-2022.yaml")


def test_the_bundled_rules_require_all_three_conditions_of_the_instruction() -> None:
    # The director: a repeat location, with good performance, that already has planning documents.
    required = {r.kolom for r in BUNDLED_RULES.syarat if r.wajib}
    assert required == {"lokasi_berulang", "kinerja", "dokumen_perencanaan"}
    # A repeat location with good performance but no planning documents is excluded by the bundled rules
    # (it keeps its score: 100 - 20 for the documents), and listed with the condition it fails.
    lokasi = lokasi_frame([{"kode_lokasi": "51.01.01", "dokumen_perencanaan": False}, {"kode_lokasi": "51.01.02"}])
    out = score_candidates(lokasi, status_frame(lokasi), SCHEDULE, BUNDLED_RULES, AS_OF).set_index("kode_lokasi")
    assert (bool(out.loc["51.01.01", "memenuhi"]), out.loc["51.01.01", "syarat_gagal"]) == (False, ["dokumen"])
    assert out.loc["51.01.01", "skor"] == 80
    assert bool(out.loc["51.01.02", "memenuhi"]) and out.loc["51.01.02", "skor"] == 100
    # The optional variant stays in the file, as a comment.
    text = (ROOT / "schedules" / "percepatan-2022.yaml").read_text(encoding="utf-8")
    assert "# - {id: dokumen, kolom: dokumen_perencanaan, nilai: true, wajib: false, bobot: 20}" in text


def test_finished_late_counts_as_met_for_the_default_status_list() -> None:
    row = score_one(overrides={"lem": {"status": "selesai_terlambat", "hari_terlambat": 0}})
    assert row["syarat.kelembagaan"] == "terpenuhi"
    assert row["skor"] == 100


def test_a_missing_column_is_unknown_and_never_excludes() -> None:
    lokasi = lokasi_frame([{"kode_lokasi": "51.01.01"}, {"kode_lokasi": "51.01.02"}])
    # The source had no lokasi_berulang column: the contract gives <NA> everywhere.
    lokasi["lokasi_berulang"] = pd.array([pd.NA, pd.NA], dtype="boolean")
    out = score_candidates(lokasi, status_frame(lokasi), SCHEDULE, RULES, AS_OF)
    assert out["syarat.berulang"].tolist() == ["tidak_diketahui"] * 2
    assert out["memenuhi"].all()
    assert out["skor"].tolist() == [75, 75]
    assert out["syarat.berulang.nilai"].isna().all()


def test_a_column_absent_from_the_frame_is_unknown_too() -> None:
    lokasi = lokasi_frame([{"kode_lokasi": "51.01.01"}]).drop(columns=["kinerja", "nilai_bantuan"])
    row = score_candidates(lokasi, status_frame(lokasi), SCHEDULE, RULES, AS_OF).iloc[0]
    assert row["syarat.kinerja"] == "tidak_diketahui"
    assert row["memenuhi"]
    assert row["skor"] == 75


def test_a_stage_requirement_without_a_key_stage_is_unknown() -> None:
    rules = make_rules("skor_maks: 10\nsyarat:\n  - {id: kon, tahapan_kunci: konstruksi, wajib: true, bobot: 10}\n")
    lokasi = lokasi_frame([{"kode_lokasi": "51.01.01"}])
    status = status_frame(lokasi)
    status = status[status["tahapan"] != "kon"]  # no row for the stage at all
    row = score_candidates(lokasi, status, SCHEDULE, rules, AS_OF).iloc[0]
    assert row["syarat.kon"] == "tidak_diketahui"
    assert row["memenuhi"]
    assert pd.isna(row["syarat.kon.status"]) and row["syarat.kon.tahapan"] == "kon"


def test_numeric_and_list_requirements() -> None:
    rules = make_rules(
        "skor_maks: 10\nsyarat:\n"
        "  - {id: besar, kolom: nilai_bantuan, minimal: 500000000, bobot: 4}\n"
        "  - {id: kinerja, kolom: kinerja, nilai: [Baik, Cukup], bobot: 6}\n"
    )
    lokasi = lokasi_frame(
        [
            {"kode_lokasi": "51.01.01"},
            {"kode_lokasi": "51.01.02", "nilai_bantuan": 400_000_000.0, "kinerja": "Cukup"},
            {"kode_lokasi": "51.01.03", "nilai_bantuan": float("nan"), "kinerja": "Kurang"},
            # On the bound: `minimal` is inclusive.
            {"kode_lokasi": "51.01.04", "nilai_bantuan": 500_000_000.0, "kinerja": "Kurang"},
            {"kode_lokasi": "51.01.05", "nilai_bantuan": 499_999_999.0, "kinerja": "Kurang"},
        ]
    )
    out = score_candidates(lokasi, status_frame(lokasi), SCHEDULE, rules, AS_OF).set_index("kode_lokasi")
    assert out["skor"].to_dict() == {"51.01.01": 10, "51.01.02": 6, "51.01.03": 0, "51.01.04": 4, "51.01.05": 0}
    assert out.loc["51.01.03", "syarat.besar"] == "tidak_diketahui"
    assert out.loc["51.01.01", "syarat.besar.nilai"] == 600_000_000.0


def test_maksimal_is_inclusive_too() -> None:
    rules = make_rules(
        "skor_maks: 10\nsyarat:\n  - {id: kecil, kolom: nilai_bantuan, maksimal: 500000000, bobot: 10}\n"
    )
    lokasi = lokasi_frame(
        [
            {"kode_lokasi": "51.01.01", "nilai_bantuan": 500_000_000.0},
            {"kode_lokasi": "51.01.02", "nilai_bantuan": 500_000_001.0},
        ]
    )
    out = score_candidates(lokasi, status_frame(lokasi), SCHEDULE, rules, AS_OF).set_index("kode_lokasi")
    assert out["skor"].to_dict() == {"51.01.01": 10, "51.01.02": 0}


# --- penalties --------------------------------------------------------------------------------------------


def test_each_penalty_moves_the_score_by_exactly_its_weight() -> None:
    late = score_one(overrides={"srv": {"status": "selesai_terlambat", "hari_terlambat": 3}})
    assert late["skor"] == 95
    assert (late["penalti.terlambat"], late["penalti.terlambat.jumlah"]) == (-5, 1)

    order = score_one(overrides={"sos": {"urutan_dilanggar": True}})
    assert order["skor"] == 90
    assert order["penalti.urutan"] == -10

    stale = score_one(overrides={"lem": {"laporan_basi": True}, "srv": {"laporan_basi": True}})
    assert stale["skor"] == 90
    assert (stale["penalti.basi"], stale["penalti.basi.jumlah"]) == (-10, 1)


def test_a_late_stage_counts_from_one_day_late() -> None:
    assert score_one(overrides={"srv": {"status": "selesai_terlambat", "hari_terlambat": 1}})["skor"] == 95
    assert score_one(overrides={"srv": {"hari_terlambat": 0}})["skor"] == 100


def test_a_location_with_one_fresh_report_is_not_stale() -> None:
    row = score_one(overrides={"lem": {"laporan_basi": True}})
    assert row["penalti.basi"] == 0
    assert row["skor"] == 100


def test_a_penalty_is_capped_at_maks() -> None:
    late = {"hari_terlambat": 4}
    row = score_one(overrides={k: late for k in ("lem", "srv", "sos", "ren", "kon")})
    # 5 late stages x 5 = 25, capped at 20.
    assert row["penalti.terlambat"] == -20
    assert row["skor"] == 80
    three = score_one(overrides={k: {"urutan_dilanggar": True} for k in ("sos", "ren", "kon")})
    assert three["penalti.urutan"] == -20
    assert three["skor"] == 80


def test_the_score_is_clamped_to_zero() -> None:
    row = score_one(
        {"lokasi_berulang": False, "kinerja": "Kurang", "dokumen_perencanaan": False},
        {
            "lem": {"status": "belum_mulai", "tanggal_mulai": pd.NaT, "tanggal_selesai": pd.NaT},
            "srv": {"status": "terlambat", "hari_terlambat": 2, "tanggal_selesai": pd.NaT},
            "sos": {"urutan_dilanggar": True},
        },
    )
    assert row["skor_mentah"] == -15
    assert row["skor"] == 0


def test_tanpa_laporan_counts_only_stages_that_are_due() -> None:
    rules = make_rules(
        "skor_maks: 100\nsyarat:\n  - {id: b, kolom: lokasi_berulang, nilai: true, bobot: 100}\n"
        "penalti:\n  - {id: diam, jenis: tanpa_laporan, per: tahapan, bobot: 7, maks: 50}\n"
        "  - {id: sepi, jenis: tanpa_laporan, per: lokasi, bobot: 11, maks: 11}\n"
    )
    # Defaults: lem and srv reported; sos, ren, kon have no report but are belum_jadwal: no penalty.
    assert score_one(rules=rules)["skor"] == 100
    silent = {"tanggal_mulai": pd.NaT, "tanggal_selesai": pd.NaT, "tanggal_laporan": pd.NaT}
    row = score_one(
        overrides={
            "lem": {**silent, "status": "belum_mulai", "tanpa_laporan": True},
            "srv": {**silent, "status": "belum_mulai", "tanpa_laporan": True},
        },
        rules=rules,
    )
    # Two due stages without a report (7 x 2) and a location that never reported (11).
    assert row["skor"] == 100 - 14 - 11


# --- stages that can start now ----------------------------------------------------------------------------


def offered(row: pd.Series) -> dict[str, int]:
    return {s["tahapan"]: s["hari"] for s in row["tahapan_lebih_awal"]}


def test_offered_stages_with_the_days_they_could_gain() -> None:
    row = score_one()
    # sos: after the province's recruitment (finished), window opens 1 July: 30 days early.
    # ren: after lem and srv (both finished): 30 days. kon waits on the DIPA revision (still open).
    assert offered(row) == {"sos": 30, "ren": 30}
    assert row["tahapan_lebih_awal"][0] == {"tahapan": "sos", "nama_tahapan": "Sosialisasi desa", "hari": 30}
    assert row["tahapan_jendela_terbuka"] == []  # no window is open on 1 June


def test_a_dipa_gated_stage_is_offered_only_once_the_revision_is_done() -> None:
    waiting = score_one()
    assert "kon" not in offered(waiting)
    done = {"51": {"dipa": {"status": "selesai", "tanggal_selesai": D("2022-05-30")}}}
    assert offered(score_one(provinces=done))["kon"] == 61  # 1 August - 1 June
    # The status engine's own flag also holds a stage back.
    flagged = score_one(provinces=done, overrides={"kon": {"tertunda_dipa": True}})
    assert "kon" not in offered(flagged)


def test_a_province_level_predecessor_blocks_a_location_stage_in_its_own_province() -> None:
    lokasi = lokasi_frame([{"kode_lokasi": "51.01.01"}, {"kode_lokasi": "52.01.01"}])
    status = status_frame(lokasi, provinces={"51": {"rek": {"status": "berjalan", "tanggal_selesai": pd.NaT}}})
    out = score_candidates(lokasi, status, SCHEDULE, RULES, AS_OF).set_index("kode_lokasi")
    assert "sos" not in offered(out.loc["51.01.01"])
    assert offered(out.loc["52.01.01"])["sos"] == 30


def test_a_location_predecessor_blocks_and_started_or_late_stages_are_not_offered() -> None:
    row = score_one(overrides={"srv": {"status": "berjalan", "tanggal_selesai": pd.NaT}, "sos": {"status": "berjalan"}})
    assert offered(row) == {}
    late = score_one(overrides={"sos": {"status": "terlambat", "hari_terlambat": 1}})
    assert "sos" not in offered(late)


def _startable(as_of: str) -> dict[str, tuple[bool, int]]:
    lokasi = lokasi_frame([{"kode_lokasi": "51.01.01"}])
    # The status at that date as the status engine gives it: sos and ren not started, their windows opening
    # on 1 July (belum_jadwal before, belum_mulai from 1 July on).
    window = "belum_mulai" if pd.Timestamp(as_of) >= D("2022-07-01") else "belum_jadwal"
    status = status_frame(lokasi, {("51.01.01", s): {"status": window} for s in ("sos", "ren")})
    stages = startable_stages(lokasi, status, SCHEDULE, pd.Timestamp(as_of))
    return {
        t: (bool(e), int(h)) for t, e, h in zip(stages["tahapan"], stages["lebih_awal"], stages["hari"], strict=True)
    }


def test_a_stage_whose_window_is_open_is_not_acceleration() -> None:
    # 5 July: sos (1-15 July) and ren (1-31 July) are open and not started: on time, a late risk, with 10 and
    # 26 days left to their planned ends; none is "early" any more.
    assert _startable("2022-07-05") == {"sos": (False, 10), "ren": (False, 26)}
    # The day a window opens, starting is on time (14 and 30 days left); the day before, it is 1 day early.
    assert _startable("2022-07-01") == {"sos": (False, 14), "ren": (False, 30)}
    assert _startable("2022-06-30") == {"sos": (True, 1), "ren": (True, 1)}


def test_the_two_kinds_of_stages_go_to_their_own_columns() -> None:
    lokasi = lokasi_frame([{"kode_lokasi": "51.01.01"}])
    # 5 July, the DIPA revision done on 30 May: sos and ren are open and not started (the status engine says
    # belum_mulai); kon (window from 1 August, after srv and the revision) can start 27 days early.
    opened = {"status": "belum_mulai"}
    status = status_frame(
        lokasi,
        {("51.01.01", "sos"): opened, ("51.01.01", "ren"): opened},
        provinces={"51": {"dipa": {"status": "selesai", "tanggal_selesai": D("2022-05-30")}}},
    )
    row = score_candidates(lokasi, status, SCHEDULE, RULES, D("2022-07-05")).iloc[0]
    assert row["tahapan_lebih_awal"] == [{"tahapan": "kon", "nama_tahapan": "Konstruksi", "hari": 27}]
    assert row["tahapan_jendela_terbuka"] == [
        {"tahapan": "sos", "nama_tahapan": "Sosialisasi desa", "hari": 10},
        {"tahapan": "ren", "nama_tahapan": "Penyusunan rencana", "hari": 26},
    ]


# --- ranking, shape, explain ------------------------------------------------------------------------------


def test_sorted_by_score_then_code_with_the_json_columns() -> None:
    lokasi = lokasi_frame(
        [
            {"kode_lokasi": "51.01.03"},
            {"kode_lokasi": "51.01.02", "dokumen_perencanaan": False},
            {"kode_lokasi": "51.01.01"},
        ]
    )
    out = score_candidates(lokasi, status_frame(lokasi), SCHEDULE, RULES, AS_OF)
    assert out["kode_lokasi"].tolist() == ["51.01.01", "51.01.03", "51.01.02"]
    assert out["skor"].tolist() == [100, 100, 80]
    documented = ["kode_lokasi", "nama_lokasi", "kode_provinsi", "provinsi", "kode_kabupaten", "kabupaten_kota"]
    documented += ["program", "skor", "skor_mentah", "memenuhi", "syarat_gagal", "tahapan_lebih_awal"]
    documented += ["tahapan_jendela_terbuka", "jumlah_lebih_awal", "jumlah_jendela_terbuka"]
    assert out.columns.tolist() == [*documented, *rule_columns(RULES)]
    assert out["jumlah_lebih_awal"].tolist() == [2, 2, 2]  # sos and ren, 30 days early, everywhere


def test_explain_gives_every_rule_with_its_data() -> None:
    lokasi = lokasi_frame([{"kode_lokasi": "51.01.01", "dokumen_perencanaan": pd.NA}, {"kode_lokasi": "51.01.02"}])
    status = status_frame(
        lokasi,
        {
            # sos started while a stage before it was open: the status engine flagged the order.
            ("51.01.01", "sos"): {
                "status": "berjalan",
                "tanggal_mulai": D("2022-05-25"),
                "urutan_dilanggar": True,
            },
            ("51.01.01", "srv"): {"status": "selesai_terlambat", "hari_terlambat": 2},
        },
    )
    card = explain("51.01.01", lokasi, status, SCHEDULE, RULES, AS_OF)
    assert card.skor == 100 - 20 - 5 - 10
    assert card.memenuhi
    r = card.rincian.set_index("id")
    assert r.loc["dokumen", "hasil"] == "tidak_diketahui"
    assert r.loc["kelembagaan", "tanggal"] == D("2022-05-20")
    assert (r.loc["terlambat", "per"], r.loc["terlambat", "maks"], r.loc["berulang", "kolom"]) == (
        "tahapan",
        20,
        "lokasi_berulang",
    )
    assert r.loc["berulang", "poin"] == 25
    assert bool(r.loc["berulang", "nilai"]) is True
    assert r.loc["survei", "tahapan"] == "srv"
    assert r.loc["survei", "status"] == "selesai_terlambat"
    assert r.loc["survei", "tanggal"] == D("2022-05-24")
    assert r.loc["terlambat", "jumlah"] == 1
    assert r.loc["terlambat", "tahapan_dihitung"] == "srv"  # the stages counted
    assert r.loc["urutan", "poin"] == -10
    assert r.loc["basi", "hasil"] == "tidak_dikenakan"
    assert r.loc["basi", "tanggal"] == D("2022-05-27")
    # sos has started, so only the planning stage is offered (lem and srv finished, srv late).
    assert card.tahapan_lebih_awal == [{"tahapan": "ren", "nama_tahapan": "Penyusunan rencana", "hari": 30}]
    # The same numbers as the ranked list.
    ranked = score_candidates(lokasi, status, SCHEDULE, RULES, AS_OF).set_index("kode_lokasi")
    assert ranked.loc["51.01.01", "skor"] == card.skor


def test_explain_unknown_location_names_the_option_and_nearby_codes() -> None:
    lokasi = lokasi_frame([{"kode_lokasi": "51.01.01"}, {"kode_lokasi": "51.01.02"}, {"kode_lokasi": "52.01.01"}])
    with pytest.raises(UnknownValue) as err:
        explain("51.01.09", lokasi, status_frame(lokasi), SCHEDULE, RULES, AS_OF)
    # Same kabupaten first (the codes sharing "51.01").
    assert (err.value.option, err.value.value, err.value.suggestions) == (
        "--explain",
        "51.01.09",
        ["51.01.01", "51.01.02"],
    )
    with pytest.raises(UnknownValue) as none_near:
        explain("99.99.99", lokasi, status_frame(lokasi), SCHEDULE, RULES, AS_OF)
    assert none_near.value.suggestions == []


# --- what holds a stage back ----------------------------------------------------------------------------------


def test_waiting_stages_say_what_they_wait_for_and_through_what() -> None:
    lokasi = lokasi_frame([{"kode_lokasi": "51.01.01"}, {"kode_lokasi": "51.01.02"}])
    # Province 51's recruitment is still open: sos (after rek) waits for it at both locations; kon waits for
    # srv at 51.01.02 (survey open) and, everywhere, for the DIPA revision (perlu_revisi_dipa, not done).
    status = status_frame(
        lokasi,
        {("51.01.02", "srv"): {"status": "berjalan", "tanggal_selesai": pd.NaT}},
        provinces={"51": {"rek": {"status": "berjalan", "tanggal_selesai": pd.NaT}}},
    )
    held = waiting_stages(lokasi, status, SCHEDULE)
    got = {
        (k, t): (w, g)
        for k, t, w, g in zip(
            held["kode_lokasi"], held["tahapan"], held["menunggu"], held["menunggu_dipa"], strict=True
        )
    }
    assert got == {
        ("51.01.01", "sos"): (("rek",), ()),
        ("51.01.01", "kon"): (("dipa",), ()),
        ("51.01.02", "sos"): (("rek",), ()),
        ("51.01.02", "ren"): (("srv",), ()),
        ("51.01.02", "kon"): (("srv", "dipa"), ()),
    }
    # Mobilisation (a province stage) flagged as waiting for the revision: a stage after it waits through it.
    gated = status_frame(lokasi, provinces={"51": {"mob": {"tertunda_dipa": True}}})
    schedule = make_schedule_with_sos_after_mob()
    held = waiting_stages(lokasi, gated, schedule)
    sos = held[held["tahapan"] == "sos"]
    assert sos["menunggu"].tolist() == [("mob",), ("mob",)] and sos["menunggu_dipa"].tolist() == [("mob",), ("mob",)]


def make_schedule_with_sos_after_mob() -> Schedule:
    model, probs = check_schedule_text(
        SCHEDULE_YAML.replace("        setelah: [rek]\n        dapat", "        setelah: [mob]\n        dapat")
    )
    assert model is not None, [p.message("en") for p in probs]
    return Schedule(model=model, path=Path("test.yaml"), sha256="0")


def test_distinct_sets_give_one_id_per_set() -> None:
    # rows 0 and 2 hold {1, 70}; row 1 holds nothing; row 3 holds {0}: three distinct sets, items past 64 too.
    ids, sets = distinct_sets(4, pd.Series([0, 0, 2, 2, 3]).to_numpy(), pd.Series([1, 70, 70, 1, 0]).to_numpy())
    assert ids[0] == ids[2] and len({int(ids[0]), int(ids[1]), int(ids[3])}) == 3
    assert sorted(sets[i] for i in (int(ids[0]), int(ids[1]), int(ids[3]))) == [[], [0], [1, 70]]
