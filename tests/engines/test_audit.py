"""pkp_cli.engines.audit on a hand-built TEMUAN frame, as known at a date, with hand-derived counts."""

from __future__ import annotations

import pandas as pd

from pkp_cli.engines.audit import (
    CHANGE_COLUMNS,
    SUMMARY_COLUMNS,
    audit_changes,
    audit_summary,
    findings_at,
    overdue_findings,
    previous_report_date,
)
from pkp_cli.model.frames import TEMUAN

D = pd.Timestamp
NaT = pd.NaT


def temuan_frame() -> pd.DataFrame:
    """Province 51: four findings; province 73: two. Newest file dated 10 June 2022."""
    rows = [
        # nomor, nilai, status, batas_waktu, tanggal_selesai
        ("51", "T1", 100.0, "belum", D("2022-05-31"), NaT),  # overdue at 1 June
        ("51", "T2", 200.0, "proses", D("2022-06-30"), NaT),  # in progress, not due
        ("51", "T3", 300.0, "selesai", D("2022-05-15"), D("2022-05-20")),  # closed before
        ("51", "T4", 400.0, "selesai", D("2022-05-25"), D("2022-06-05")),  # closed after 1 June
        ("73", "T1", 50.0, "belum", D("2022-05-01"), NaT),  # long overdue
        ("73", "T2", float("nan"), "selesai", D("2022-07-01"), NaT),  # closed, date only from the report
    ]
    df = pd.DataFrame(
        [
            {
                "kode_provinsi": p,
                "provinsi": {"51": "Bali", "73": "Sulawesi Selatan"}[p],
                "nomor_temuan": n,
                "uraian": f"temuan {n}",
                "nilai": v,
                "status": s,
                "batas_waktu": b,
                "tanggal_selesai": e,
                "tanggal_laporan": D("2022-06-10"),
                "_file": "temuan.xlsx",
                "_sheet": "Temuan",
                "_row": i + 2,
            }
            for i, (p, n, v, s, b, e) in enumerate(rows)
        ],
        columns=TEMUAN,
    )
    return df.astype({"tanggal_selesai": "datetime64[ns]"})


def test_a_finding_closed_after_the_date_is_not_closed_then() -> None:
    at = findings_at(temuan_frame(), D("2022-06-01")).set_index(["kode_provinsi", "nomor_temuan"])
    assert at.loc[("51", "T4"), "status_per_tanggal"] == "proses"
    assert at.loc[("51", "T3"), "status_per_tanggal"] == "selesai"
    # Closed without a closing date: known closed from the report date (10 June), not before.
    assert at.loc[("73", "T2"), "status_per_tanggal"] == "proses"
    # T4 was due 25 May and not closed on 1 June: overdue 7 days then.
    assert at.loc[("51", "T4"), "hari_lewat_batas"] == 7
    assert at.loc[("51", "T1"), "hari_lewat_batas"] == 1
    assert at.loc[("51", "T2"), "hari_lewat_batas"] == 0


def test_summary_per_province() -> None:
    out = audit_summary(temuan_frame(), D("2022-06-01")).set_index("kode_provinsi")
    assert list(out.reset_index().columns) == SUMMARY_COLUMNS
    bali = out.loc["51"]
    assert (bali["jumlah"], bali["belum"], bali["proses"], bali["selesai"]) == (4, 1, 2, 1)
    assert (bali["nilai_belum"], bali["nilai_proses"], bali["nilai_selesai"]) == (100.0, 600.0, 300.0)
    assert bali["nilai_total"] == 1000.0
    assert (bali["lewat_batas"], bali["nilai_lewat_batas"], bali["hari_lewat_batas_maks"]) == (2, 500.0, 7)
    sulsel = out.loc["73"]
    assert (sulsel["belum"], sulsel["proses"], sulsel["selesai"]) == (1, 1, 0)
    assert sulsel["hari_lewat_batas_maks"] == 31
    assert out["ditutup_baru"].isna().all()


def test_summary_at_the_newest_date_with_changes_since_the_previous_report() -> None:
    out = audit_summary(temuan_frame(), D("2022-06-10"), previous=D("2022-06-01")).set_index("kode_provinsi")
    bali = out.loc["51"]
    assert (bali["belum"], bali["proses"], bali["selesai"]) == (1, 1, 2)
    # T4 closed on 5 June; nothing in Bali became overdue between 1 and 10 June (T1 was already overdue).
    assert (bali["ditutup_baru"], bali["lewat_batas_baru"]) == (1, 0)
    assert (out.loc["73", "ditutup_baru"], out.loc["73", "lewat_batas_baru"]) == (1, 0)
    # 73/T2 is closed but has no amount: its sum is unknown (NaN), not Rp 0; the total adds what is known.
    assert pd.isna(out.loc["73", "nilai_selesai"])
    assert out.loc["73", "nilai_total"] == 50.0
    assert out.loc["73", "nilai_proses"] == 0.0


def test_changes_list_closed_and_newly_overdue() -> None:
    changes = audit_changes(temuan_frame(), D("2022-06-01"), D("2022-05-20"))
    assert list(changes.columns) == CHANGE_COLUMNS
    got = {(r.kode_provinsi, r.nomor_temuan, r.perubahan, r.tanggal) for r in changes.itertuples()}
    # Closed on 20 May is not in (20 May, 1 June]; T1 (due 31 May) and T4 (due 25 May) became overdue.
    assert got == {
        ("51", "T1", "baru_lewat_batas", D("2022-05-31")),
        ("51", "T4", "baru_lewat_batas", D("2022-05-25")),
    }


def test_overdue_findings_longest_first() -> None:
    late = overdue_findings(temuan_frame(), D("2022-06-01"))
    assert list(zip(late["kode_provinsi"], late["nomor_temuan"], late["hari_lewat_batas"], strict=True)) == [
        ("73", "T1", 31),
        ("51", "T4", 7),
        ("51", "T1", 1),
    ]


def test_previous_report_date() -> None:
    dates = [D("2022-05-20"), None, D("2022-06-10"), D("2022-05-27"), D("2022-05-27")]
    assert previous_report_date(dates, D("2022-06-10")) == D("2022-05-27")
    assert previous_report_date(dates, D("2022-05-27")) == D("2022-05-20")
    assert previous_report_date(dates, D("2022-05-20")) is None
