"""pkp_cli.engines.readiness on hand-built frames: the seed's story in miniature.

Province 51 finished recruitment, briefing, institutions and the survey, and waits only for the DIPA
revision; province 73 is still interviewing. Province 51 also runs a small KOTAKU program whose schedule has
no survey key stage.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from pkp_cli.engines.audit import open_findings
from pkp_cli.engines.readiness import LONG_COLUMNS, group_values, readiness_board, readiness_long, stage_groups
from pkp_cli.model.frames import LOKASI, STATUS, TEMUAN
from pkp_cli.model.schedule import Schedule, check_schedule_text

SCHEDULE_YAML = """\
tahun_anggaran: 2022
batas_akhir: 2022-12-15
program:
  PISEW:
    tahapan_kunci: {revisi_dipa: dipa, kelembagaan: lem, survei: srv}
    tahapan:
      - {kode: wwc, nama: Wawancara pendamping, tingkat: provinsi, mulai: 2022-04-15, selesai: 2022-05-15}
      - {kode: brf, nama: Briefing pendamping, tingkat: provinsi, mulai: 2022-05-16, selesai: 2022-05-31}
      - {kode: dipa, nama: Revisi DIPA, tingkat: provinsi, mulai: 2022-05-01, selesai: 2022-06-15}
      - kode: mob
        nama: Mobilisasi pendamping
        tingkat: provinsi
        mulai: 2022-06-16
        selesai: 2022-06-30
        setelah: [brf, dipa]
        perlu_revisi_dipa: true
      - {kode: lem, nama: Pembentukan kelembagaan, tingkat: lokasi, mulai: 2022-05-01, selesai: 2022-06-30}
      - {kode: srv, nama: Survei pendahuluan, tingkat: lokasi, mulai: 2022-05-01, selesai: 2022-06-30}
  KOTAKU:
    tahapan_kunci: {kelembagaan: klem}
    tahapan:
      - {kode: krek, nama: Rekrutmen fasilitator, tingkat: provinsi, mulai: 2022-04-15, selesai: 2022-05-31}
      - {kode: klem, nama: Pembentukan BKM, tingkat: lokasi, mulai: 2022-05-01, selesai: 2022-06-30}
"""

D = pd.Timestamp
NaT = pd.NaT
AS_OF = D("2022-06-01")


def make_schedule() -> Schedule:
    model, probs = check_schedule_text(SCHEDULE_YAML)
    assert model is not None, [p.message("en") for p in probs]
    return Schedule(model=model, path=Path("test.yaml"), sha256="0")


SCHEDULE = make_schedule()
NAMES = {"51": "Bali", "73": "Sulawesi Selatan"}


def lokasi_frame() -> pd.DataFrame:
    codes = [("51.01.01", "PISEW"), ("51.01.02", "PISEW"), ("73.01.01", "PISEW"), ("73.01.02", "PISEW")]
    codes.append(("51.01.01.2001", "KOTAKU"))
    rows = [
        {
            "kode_lokasi": k,
            "program": p,
            "kode_provinsi": k[:2],
            "provinsi": NAMES[k[:2]],
            "kode_kabupaten": k[:5],
            "kabupaten_kota": f"Kabupaten {k[:5]}",
            "nama_lokasi": k,
            "balai": f"BPPW {NAMES[k[:2]]}",
        }
        for k, p in codes
    ]
    return pd.DataFrame(rows, columns=LOKASI)


def status_frame(changes: dict[tuple[str, str], dict[str, Any]] | None = None) -> pd.DataFrame:
    """Written by hand: (kode_lokasi, tahapan) -> status, start, end, report date, waiting on DIPA."""
    spec: dict[tuple[str, str], tuple[str, Any, Any, Any, bool]] = {
        ("51", "wwc"): ("selesai", D("2022-04-20"), D("2022-05-10"), D("2022-05-27"), False),
        ("51", "brf"): ("selesai", D("2022-05-16"), D("2022-05-18"), D("2022-05-27"), False),
        ("51", "dipa"): ("berjalan", D("2022-05-10"), NaT, D("2022-05-27"), False),
        ("51", "mob"): ("belum_jadwal", NaT, NaT, NaT, True),
        ("51.01.01", "lem"): ("selesai", D("2022-05-02"), D("2022-05-20"), D("2022-05-27"), False),
        ("51.01.01", "srv"): ("selesai", D("2022-05-03"), D("2022-05-24"), D("2022-05-27"), False),
        ("51.01.02", "lem"): ("selesai_terlambat", D("2022-05-02"), D("2022-05-21"), D("2022-05-27"), False),
        ("51.01.02", "srv"): ("selesai", D("2022-05-03"), D("2022-05-24"), D("2022-05-27"), False),
        ("73", "wwc"): ("terlambat", D("2022-05-12"), NaT, D("2022-05-30"), False),
        ("73", "brf"): ("belum_mulai", NaT, NaT, NaT, False),
        ("73", "dipa"): ("berjalan", D("2022-05-10"), NaT, D("2022-05-25"), False),
        ("73", "mob"): ("belum_jadwal", NaT, NaT, NaT, True),
        ("73.01.01", "lem"): ("berjalan", D("2022-05-15"), NaT, D("2022-05-25"), False),
        ("73.01.01", "srv"): ("belum_mulai", NaT, NaT, NaT, False),
        ("73.01.02", "lem"): ("selesai", D("2022-05-02"), D("2022-05-20"), D("2022-05-25"), False),
        ("73.01.02", "srv"): ("belum_mulai", NaT, NaT, NaT, False),
        ("51", "krek"): ("selesai", D("2022-04-20"), D("2022-05-25"), D("2022-05-26"), False),
        ("51.01.01.2001", "klem"): ("belum_mulai", NaT, NaT, NaT, False),
    }
    table = SCHEDULE.stage_table().set_index("tahapan")
    rows = []
    for (kode, tahapan), (st, mulai, selesai, laporan, dipa) in spec.items():
        stage = table.loc[tahapan]
        level = stage["tingkat"]
        row = {
            "kode_provinsi": kode[:2],
            "provinsi": NAMES[kode[:2]],
            "kode_kabupaten": pd.NA if level == "provinsi" else kode[:5],
            "kabupaten_kota": pd.NA if level == "provinsi" else f"Kabupaten {kode[:5]}",
            "kode_lokasi": kode,
            "nama_lokasi": NAMES[kode] if level == "provinsi" else kode,
            "program": stage["program"],
            "tingkat": level,
            "urutan": stage["urutan"],
            "tahapan": tahapan,
            "nama_tahapan": stage["nama_tahapan"],
            "jadwal_mulai": stage["jadwal_mulai"],
            "jadwal_selesai": stage["jadwal_selesai"],
            "tanggal_mulai": mulai,
            "tanggal_selesai": selesai,
            "progres_persen": float("nan"),
            "tanggal_laporan": laporan,
            "status": st,
            "hari_terlambat": 17 if st == "terlambat" else 0,
            "hari_kerja_terlambat": 0,
            "urutan_dilanggar": False,
            "tanpa_laporan": pd.isna(laporan),
            "laporan_basi": False,
            "tertunda_dipa": dipa,
            "keterangan": pd.NA,
        }
        row.update((changes or {}).get((kode, tahapan), {}))
        rows.append(row)
    df = pd.DataFrame(rows, columns=STATUS)
    return df.astype({c: "datetime64[ns]" for c in ("tanggal_mulai", "tanggal_selesai", "tanggal_laporan")})


def temuan_frame() -> pd.DataFrame:
    rows = [
        ("51", "A1", 5_000_000.0, "belum", D("2022-05-20"), NaT),
        ("51", "A2", 7_000_000.0, "proses", D("2022-07-01"), NaT),
        ("51", "A3", 9_000_000.0, "selesai", D("2022-05-01"), D("2022-04-28")),
    ]
    return pd.DataFrame(
        [
            {
                "kode_provinsi": p,
                "provinsi": NAMES[p],
                "nomor_temuan": n,
                "uraian": n,
                "nilai": v,
                "status": s,
                "batas_waktu": b,
                "tanggal_selesai": e,
                "tanggal_laporan": D("2022-05-27"),
            }
            for p, n, v, s, b, e in rows
        ],
        columns=TEMUAN,
    ).astype({"tanggal_selesai": "datetime64[ns]"})


def board(status: pd.DataFrame | None = None) -> pd.DataFrame:
    out = readiness_board(lokasi_frame(), status_frame() if status is None else status, SCHEDULE)
    return out.set_index(["kode_provinsi", "program"])


def test_one_row_per_province_and_program_with_its_balai() -> None:
    out = board()
    assert list(out.index) == [("51", "KOTAKU"), ("51", "PISEW"), ("73", "PISEW")]
    assert out.loc[("51", "PISEW"), "balai"] == "BPPW Bali"
    assert out.loc[("73", "PISEW"), "provinsi"] == "Sulawesi Selatan"


def test_stage_columns_are_keyed_by_stage_code_in_schedule_order() -> None:
    out = board()
    stage_cols = [c for c in out.columns if c.startswith(("status.", "tanggal."))]
    assert stage_cols == [
        "status.wwc",
        "tanggal.wwc",
        "status.brf",
        "tanggal.brf",
        "status.dipa",
        "tanggal.dipa",
        "status.mob",
        "tanggal.mob",
        "status.krek",
        "tanggal.krek",
    ]
    bali = out.loc[("51", "PISEW")]
    # Finished: the end date; open: the start date; not started: no date.
    assert (bali["status.wwc"], bali["tanggal.wwc"]) == ("selesai", D("2022-05-10"))
    assert (bali["status.dipa"], bali["tanggal.dipa"]) == ("berjalan", D("2022-05-10"))
    assert bali["status.mob"] == "belum_jadwal"
    assert pd.isna(bali["tanggal.mob"])
    assert pd.isna(bali["status.krek"])  # a KOTAKU stage on a PISEW row
    sulsel = out.loc[("73", "PISEW")]
    assert (sulsel["status.wwc"], sulsel["tanggal.wwc"]) == ("terlambat", D("2022-05-12"))
    assert out.loc[("51", "KOTAKU"), "status.krek"] == "selesai"


def test_shares_of_locations_with_institutions_and_survey_done() -> None:
    out = board()
    bali = out.loc[("51", "PISEW")]
    # Finished late still counts as formed.
    assert (bali["jumlah_lokasi"], bali["kelembagaan_selesai"], bali["kelembagaan_persen"]) == (2, 2, 100.0)
    assert (bali["survei_selesai"], bali["survei_persen"]) == (2, 100.0)
    sulsel = out.loc[("73", "PISEW")]
    assert (sulsel["kelembagaan_selesai"], sulsel["kelembagaan_persen"]) == (1, 50.0)
    assert (sulsel["survei_selesai"], sulsel["survei_persen"]) == (0, 0.0)
    kotaku = out.loc[("51", "KOTAKU")]
    assert (kotaku["jumlah_lokasi"], kotaku["kelembagaan_persen"]) == (1, 0.0)
    assert pd.isna(kotaku["survei_persen"])  # KOTAKU's schedule names no survey stage


def test_dipa_wait_and_newest_report() -> None:
    out = board()
    bali = out.loc[("51", "PISEW")]
    assert bool(bali["tertunda_dipa"])
    assert not bool(out.loc[("51", "KOTAKU"), "tertunda_dipa"])
    sulsel = out.loc[("73", "PISEW")]
    assert bali["laporan_terakhir"] == D("2022-05-27")
    assert sulsel["laporan_terakhir"] == D("2022-05-30")
    assert out.loc[("51", "KOTAKU"), "laporan_terakhir"] == D("2022-05-26")


def test_the_board_carries_no_audit_figures_they_are_per_province() -> None:
    # Findings have no program: on a per-program board a sum down the column would count Bali's twice.
    assert not [c for c in board().columns if c.startswith("temuan")]
    # A1 (overdue since 20 May) and A2 are open; A3 is closed: one row for Bali, none for a province without.
    found = open_findings(temuan_frame(), AS_OF).set_index("kode_provinsi")
    assert list(found.index) == ["51"]
    assert found.loc["51", ["temuan_terbuka", "temuan_terbuka_nilai", "temuan_lewat_batas"]].tolist() == [
        2,
        12_000_000.0,
        1,
    ]


def test_open_findings_without_amounts_sum_to_unknown() -> None:
    found = open_findings(temuan_frame().assign(nilai=float("nan")), AS_OF).set_index("kode_provinsi")
    assert found.loc["51", "temuan_terbuka"] == 2
    assert pd.isna(found.loc["51", "temuan_terbuka_nilai"])
    # Nothing open: Rp 0, not unknown.
    closed = open_findings(temuan_frame().assign(status="selesai"), AS_OF).set_index("kode_provinsi")
    assert (closed.loc["51", "temuan_terbuka"], closed.loc["51", "temuan_terbuka_nilai"]) == (0, 0.0)


def test_the_dipa_revision_done_changes_the_row() -> None:
    done = status_frame(
        {
            ("51", "dipa"): {"status": "selesai", "tanggal_selesai": D("2022-05-31")},
            ("51", "mob"): {"tertunda_dipa": False},
        }
    )
    bali = board(done).loc[("51", "PISEW")]
    assert (bali["status.dipa"], bali["tanggal.dipa"]) == ("selesai", D("2022-05-31"))
    assert not bool(bali["tertunda_dipa"])


def test_long_form() -> None:
    long = readiness_long(status_frame())
    assert list(long.columns) == LONG_COLUMNS
    bali = long[(long["kode_provinsi"] == "51") & (long["program"] == "PISEW")]
    assert bali["tahapan"].tolist() == ["wwc", "brf", "dipa", "mob"]


def test_stage_groups_join_the_programs_stages_of_one_name() -> None:
    groups = stage_groups(SCHEDULE)
    # Schedule order; each program's province-level stages (KOTAKU's recruitment has its own name here).
    assert [(g.key, g.name, g.codes) for g in groups] == [
        ("wwc", "Wawancara pendamping", {"PISEW": "wwc"}),
        ("brf", "Briefing pendamping", {"PISEW": "brf"}),
        ("dipa", "Revisi DIPA", {"PISEW": "dipa"}),
        ("mob", "Mobilisasi pendamping", {"PISEW": "mob"}),
        ("krek", "Rekrutmen fasilitator", {"KOTAKU": "krek"}),
    ]
    shared = make_schedule_shared_names()
    (first,) = [g for g in stage_groups(shared) if g.name == "Revisi DIPA"]
    assert (first.key, first.codes) == ("dipa/kdipa", {"PISEW": "dipa", "KOTAKU": "kdipa"})


def make_schedule_shared_names() -> Schedule:
    text = SCHEDULE_YAML.replace(
        "      - {kode: krek, nama: Rekrutmen fasilitator,",
        "      - {kode: kdipa, nama: Revisi DIPA, tingkat: provinsi, mulai: 2022-05-01, selesai: 2022-06-15}\n"
        "      - {kode: krek, nama: Rekrutmen fasilitator,",
    )
    model, probs = check_schedule_text(text)
    assert model is not None, [p.message("en") for p in probs]
    return Schedule(model=model, path=Path("shared.yaml"), sha256="0")


def test_group_values_take_each_rows_own_program() -> None:
    out = readiness_board(lokasi_frame(), status_frame(), SCHEDULE)
    (rek,) = [g for g in stage_groups(SCHEDULE) if g.key == "krek"]
    keys = zip(out["kode_provinsi"], out["program"], strict=True)
    values = dict(zip(keys, group_values(out, rek, "status"), strict=True))
    assert values[("51", "KOTAKU")] == "selesai" and pd.isna(values[("51", "PISEW")])
