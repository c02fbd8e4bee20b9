"""pkp_cli.engines.audit on a hand-built TEMUAN frame, as known at a date, with hand-derived counts.

The fixture holds two findings reports: one dated 1 June 2022 (what was known then) and one dated 10 June.
A date sees only the reports dated on or before it, each finding as its newest such report says.
"""

from __future__ import annotations

import pandas as pd

from pkp_cli.engines.audit import (
    CHANGE_COLUMNS,
    SUMMARY_COLUMNS,
    audit_changes,
    audit_summary,
    findings_at,
    open_findings,
    overdue_findings,
    previous_report_date,
    unseen_findings,
)
from pkp_cli.model.frames import TEMUAN

D = pd.Timestamp
NaT = pd.NaT


def _frame(rows: list[tuple], report: str) -> pd.DataFrame:
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
                "tanggal_laporan": D(report),
                "_file": f"temuan-{report}.xlsx",
                "_sheet": "Temuan",
                "_row": i + 2,
            }
            for i, (p, n, v, s, b, e) in enumerate(rows)
        ],
        columns=TEMUAN,
    )
    return df.astype({"tanggal_selesai": "datetime64[ns]"})


# nomor, nilai, status, batas_waktu, tanggal_selesai
JUNE_10 = [
    ("51", "T1", 100.0, "belum", D("2022-05-31"), NaT),  # overdue at 1 June
    ("51", "T2", 200.0, "proses", D("2022-06-30"), NaT),  # in progress, not due
    ("51", "T3", 300.0, "selesai", D("2022-05-15"), D("2022-05-20")),  # closed before 1 June
    ("51", "T4", 400.0, "selesai", D("2022-05-25"), D("2022-06-05")),  # closed after 1 June
    ("73", "T1", 50.0, "belum", D("2022-05-01"), NaT),  # long overdue
    ("73", "T2", float("nan"), "selesai", D("2022-07-01"), NaT),  # closed, date only from the report
]
# The same findings as the 1 June report had them: T4 and 73/T2 still in progress.
JUNE_1 = [
    ("51", "T1", 100.0, "belum", D("2022-05-31"), NaT),
    ("51", "T2", 200.0, "proses", D("2022-06-30"), NaT),
    ("51", "T3", 300.0, "selesai", D("2022-05-15"), D("2022-05-20")),
    ("51", "T4", 400.0, "proses", D("2022-05-25"), NaT),
    ("73", "T1", 50.0, "belum", D("2022-05-01"), NaT),
    ("73", "T2", float("nan"), "proses", D("2022-07-01"), NaT),
]


def temuan_frame() -> pd.DataFrame:
    """Province 51: four findings; province 73: two. Reports of 1 June and 10 June 2022."""
    return pd.concat([_frame(JUNE_1, "2022-06-01"), _frame(JUNE_10, "2022-06-10")], ignore_index=True)


def test_a_finding_closed_after_the_date_is_not_closed_then() -> None:
    at = findings_at(temuan_frame(), D("2022-06-01")).set_index(["kode_provinsi", "nomor_temuan"])
    assert len(at) == 6  # each finding once: the 1 June report (the 10 June one is not known yet)
    assert at.loc[("51", "T4"), "status_per_tanggal"] == "proses"
    assert at.loc[("51", "T3"), "status_per_tanggal"] == "selesai"
    # Closed without a closing date (10 June report): known closed from the report date, not before.
    assert at.loc[("73", "T2"), "status_per_tanggal"] == "proses"
    assert (
        findings_at(temuan_frame(), D("2022-06-10"))
        .set_index(["kode_provinsi", "nomor_temuan"])
        .loc[("73", "T2"), "status_per_tanggal"]
        == "selesai"
    )
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


def test_a_findings_file_dated_after_the_date_is_not_counted_then() -> None:
    """Issue 10: the only findings report is dated 10 June; at 1 June nothing of it is known."""
    later_only = _frame(JUNE_10, "2022-06-10")
    assert findings_at(later_only, D("2022-06-01")).empty
    assert audit_summary(later_only, D("2022-06-01")).empty
    assert overdue_findings(later_only, D("2022-06-01")).empty
    assert open_findings(later_only, D("2022-06-01")).empty
    assert unseen_findings(later_only, D("2022-06-01")) == (6, D("2022-06-10"))
    # On its own date it counts: 51 has four findings, 73 two.
    assert audit_summary(later_only, D("2022-06-10")).set_index("kode_provinsi")["jumlah"].to_dict() == {
        "51": 4,
        "73": 2,
    }
    assert unseen_findings(later_only, D("2022-06-10")) == (0, None)


def test_each_finding_counts_once_as_its_newest_known_report_says() -> None:
    both = temuan_frame()  # 12 rows: two reports of the same six findings
    summary = audit_summary(both, D("2022-06-10")).set_index("kode_provinsi")
    assert summary["jumlah"].to_dict() == {"51": 4, "73": 2}
    # The 10 June report's statuses: T3 and T4 closed in Bali.
    assert summary.loc["51", "selesai"] == 2
    # 1 June sees the 1 June report only; a finding new in the 10 June report would be unseen then.
    extra = _frame([("51", "T5", 10.0, "belum", D("2022-07-01"), NaT)], "2022-06-10")
    assert unseen_findings(pd.concat([both, extra], ignore_index=True), D("2022-06-01")) == (1, D("2022-06-10"))


def test_a_closing_date_after_the_status_date_is_replayed_as_in_progress() -> None:
    # A report that gives a closing date after its own date (a planned date, say): closed only from then on.
    odd = _frame([("51", "T9", 10.0, "selesai", D("2022-05-20"), D("2022-06-05"))], "2022-06-01")
    at = findings_at(odd, D("2022-06-01")).iloc[0]
    assert (at["status_per_tanggal"], bool(at["lewat_batas"]), at["hari_lewat_batas"]) == ("proses", True, 12)
    assert findings_at(odd, D("2022-06-05")).iloc[0]["status_per_tanggal"] == "selesai"


def test_overdue_starts_the_day_after_the_due_date() -> None:
    due = _frame([("51", "T1", 10.0, "belum", D("2022-06-01"), NaT)], "2022-06-01")
    assert not bool(findings_at(due, D("2022-06-01")).iloc[0]["lewat_batas"])
    late = findings_at(due.assign(tanggal_laporan=D("2022-06-01")), D("2022-06-02")).iloc[0]
    assert (bool(late["lewat_batas"]), late["hari_lewat_batas"]) == (True, 1)
