"""The readiness and audit reports on the hand-built fixtures of tests/engines/test_readiness.py and
tests/engines/test_audit.py (figures derived there by hand)."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd

from pkp_cli.engines.query import Query
from pkp_cli.engines.readiness import stage_groups
from pkp_cli.render import csvfile, jsondoc, markdown, terminal
from pkp_cli.views import audit as audit_view
from pkp_cli.views import readiness as view
from pkp_cli.views.facts import Facts
from pkp_cli.views.specs import AUDIT_TABLES, READINESS_STAGE_KEYS, READINESS_TABLES
from tests.engines import test_audit as au
from tests.engines import test_readiness as rd


def facts(lang: str = "id", as_of: date = date(2022, 6, 1)) -> Facts:
    return Facts(lang, as_of, 2022, "test", False, "test.yaml", "0", as_of, 14)


def readiness(lang: str = "id", as_of: date = date(2022, 6, 1), q: Query = Query()):
    inp = view.ReadinessInputs(rd.lokasi_frame(), rd.status_frame(), rd.temuan_frame(), rd.SCHEDULE, facts(lang, as_of))
    return view.build(inp, q)


# --- readiness ----------------------------------------------------------------------------------------------------


def test_readiness_tables_and_their_columns() -> None:
    report = readiness()
    assert report.names() == ["kesiapan", "lokasi", "temuan"] and report.main_name() == "kesiapan"
    # One board per program on screen, in the schedule's program order.
    assert [t.title for t in report.instances("kesiapan")] == [
        "Papan kesiapan provinsi — PISEW",
        "Papan kesiapan provinsi — KOTAKU",
    ]
    keys = [k for k in READINESS_TABLES["kesiapan"] if k not in READINESS_STAGE_KEYS]
    files = [*keys, *[f"{f}.{g.key}" for g in stage_groups(rd.SCHEDULE) for f in ("status", "tanggal")]]
    assert [c.key for c in report.combined("kesiapan")[0]] == files  # the screen cells are not in files
    board = report.tables[0]
    assert [c.header("id") for c in board.screen_columns] == [
        "provinsi",
        "Wawancara pendamping",
        "Briefing pendamping",
        "Revisi DIPA",
        "Mobilisasi pendamping",
        "Rekrutmen fasilitator",
    ]
    for name in ("lokasi", "temuan"):
        assert [c.key for c in report.combined(name)[0]] == READINESS_TABLES[name]


def test_board_cells_in_words_and_codes_in_files() -> None:
    report = readiness()
    pisew = report.tables[0].rows.set_index("kode_provinsi")
    # Bali's interviews finished on 10 May; Sulawesi Selatan's started 12 May and are late.
    assert pisew.loc["51", "tahap.wwc"] == "selesai\n10 Mei"
    assert pisew.loc["73", "tahap.wwc"] == "terlambat\n12 Mei"
    assert pisew.loc["51", "tahap.mob"] == "belum waktunya"  # not started: no date
    doc = json.loads(jsondoc.render(report))
    bali = next(r for r in doc["tables"]["kesiapan"] if (r["kode_provinsi"], r["program"]) == ("51", "PISEW"))
    assert (bali["status.wwc"], bali["tanggal.wwc"], bali["status.krek"]) == ("selesai", "2022-05-10", None)
    assert not [k for k in bali if k.startswith("tahap.")]
    assert "\n" not in markdown.render(report).split("| Bali |")[1].split("\n")[0]  # one line in markdown
    assert readiness("en").tables[0].rows.set_index("kode_provinsi").loc["51", "tahap.wwc"] == "finished\n10 May"


def test_audit_figures_are_one_row_per_province_so_a_sum_counts_each_once() -> None:
    report = readiness()
    assert not [c.key for c in report.combined("kesiapan")[0] + report.combined("lokasi")[0] if "temuan" in c.key]
    _, rows, totals = report.combined("temuan")
    # Bali: A1 (overdue since 20 May) and A2 open, A3 closed; Sulawesi Selatan: none.
    assert rows[["kode_provinsi", "temuan_terbuka", "temuan_terbuka_nilai", "temuan_lewat_batas"]].values.tolist() == [
        ["51", 2, 12_000_000.0, 1],
        ["73", 0, 0.0, 0],
    ]
    assert (totals[0]["temuan_terbuka"], totals[0]["temuan_lewat_batas"]) == (2, 1)  # not 4: Bali has two programs
    assert "temuan audit di bawah" in report.tables[1].notes[0]  # the board says where the findings are


def test_readiness_figures_and_filters() -> None:
    report = readiness(q=Query(provinces=("51",), program="PISEW"))
    loc = report.combined("lokasi")[1]
    assert loc[["program", "jumlah_lokasi", "kelembagaan_persen", "survei_persen", "tunggu_dipa"]].values.tolist() == [
        ["PISEW", 2, 100.0, 100.0, True]
    ]
    assert [t.title for t in report.instances("kesiapan")] == ["Papan kesiapan provinsi — PISEW"]
    assert report.combined("temuan")[1]["kode_provinsi"].tolist() == ["51"] and report.combined("temuan")[2] == []


def test_findings_reported_after_the_status_date_are_not_counted_on_the_board() -> None:
    # The findings file is dated 27 May: on 26 May nothing of it is known.
    report = readiness(as_of=date(2022, 5, 26))
    rows = report.combined("temuan")[1]
    assert rows["temuan_terbuka"].tolist() == [0, 0]
    (table,) = [t for t in report.tables if t.name == "temuan"]
    assert table.notes[-1] == (
        "3 temuan hanya ada di berkas temuan bertanggal sesudah tanggal posisi (terbaru 27 Mei 2022); tidak dihitung."
    )


# --- audit ----------------------------------------------------------------------------------------------------------

REPORTS = [date(2022, 5, 20), date(2022, 5, 27), date(2022, 6, 1), date(2022, 6, 10)]


def audit(temuan: pd.DataFrame, as_of: date, lang: str = "id", q: Query = Query()):
    return audit_view.build(audit_view.AuditInputs(temuan, REPORTS, facts(lang, as_of)), q)


def test_audit_tables_columns_and_total() -> None:
    report = audit(au.temuan_frame(), date(2022, 6, 10))
    assert report.names() == ["provinsi", "lewat_batas", "perubahan"] and report.main_name() == "provinsi"
    for name in report.names():
        assert [c.key for c in report.combined(name)[0]] == AUDIT_TABLES[name], name
    _, rows, (total,) = report.combined("provinsi")
    bali = rows.set_index("kode_provinsi").loc["51"]
    # The 10 June report: T1 open, T2 in progress, T3 and T4 closed; T4 closed on 5 June, after 1 June.
    assert (bali["temuan"], bali["belum"], bali["proses"], bali["temuan_selesai"], bali["ditutup_baru"]) == (
        4,
        1,
        1,
        2,
        1,
    )
    assert (total["temuan"], total["temuan_selesai"], total["hari_lewat_batas_maks"]) == (6, 3, 40)
    assert report.meta["laporan_sebelumnya"] == date(2022, 6, 1)
    changes = report.combined("perubahan")[1]
    assert changes[["kode_provinsi", "nomor_temuan", "perubahan"]].values.tolist() == [
        ["51", "T4", "ditutup"],
        ["73", "T2", "ditutup"],
    ]
    assert changes["tanggal_perubahan"].tolist() == [pd.Timestamp("2022-06-05"), pd.Timestamp("2022-06-10")]


def test_audit_counts_nothing_from_a_later_findings_file_and_says_so() -> None:
    later_only = au._frame(au.JUNE_10, "2022-06-10")
    report = audit(later_only, date(2022, 6, 1))
    assert report.combined("provinsi")[1].empty and report.combined("lewat_batas")[1].empty
    assert report.tables[0].notes == [
        "6 temuan hanya ada di berkas temuan bertanggal sesudah tanggal posisi (terbaru 10 Juni 2022); tidak dihitung."
    ]
    csv_lines = csvfile.render(report, "provinsi").splitlines()
    assert csv_lines == [",".join(AUDIT_TABLES["provinsi"])]


def test_audit_in_english_says_statuses_in_english() -> None:
    screen = terminal.render(audit(au.temuan_frame(), date(2022, 6, 1), "en"), width=120)
    assert "in progress" in screen and "newly overdue" in screen
    for word in ("belum", "proses", "selesai", "ditutup", "baru lewat batas", "Jumlah", "Tidak ada"):
        assert word not in screen, word


def test_audit_without_a_previous_report_says_so() -> None:
    inp = audit_view.AuditInputs(au.temuan_frame(), [date(2022, 6, 10)], facts("id", date(2022, 6, 10)))
    report = audit_view.build(inp)
    (changes,) = [t for t in report.tables if t.name == "perubahan"]
    assert changes.rows.empty and changes.notes == [
        "Tidak ada tanggal laporan sebelum tanggal posisi; perubahan tidak dihitung."
    ]
    assert report.meta["laporan_sebelumnya"] is None


def _same_tables(got: list, want: list) -> None:
    assert [(t.name, t.title, t.notes, t.total) for t in got] == [(t.name, t.title, t.notes, t.total) for t in want]
    for g, w in zip(got, want, strict=True):
        if w.rows.empty:
            assert g.rows.empty, w.name  # (an empty table shows the same whatever its dtypes)
        else:
            pd.testing.assert_frame_equal(g.rows, w.rows)


def test_audit_tables_shared_across_provinces_are_each_provinces_own(monkeypatch) -> None:
    """A pack asks for one province's audit tables at a time; from the second province on, the findings are worked
    out for every province once and each province's part taken from that (each working out costs a fixed 70 ms
    on the sample): the same tables as each province's own, at dates with and without changes, with findings
    only a later file holds, and without a previous report."""
    calls: list[int] = []
    real = audit_view._findings

    def counted(temuan, *a):
        calls.append(len(temuan))
        return real(temuan, *a)

    later = pd.concat([au.temuan_frame(), au._frame(au.JUNE_10, "2022-06-20")], ignore_index=True)
    june = au.temuan_frame()
    cases = [(june, date(2022, 6, 10), REPORTS), (june, date(2022, 6, 1), REPORTS), (later, date(2022, 6, 10), REPORTS),
             (june, date(2022, 6, 10), [date(2022, 6, 10)])]  # fmt: skip
    for temuan, day, reports in cases:
        shared = audit_view.AuditInputs(temuan, reports, facts("id", day))
        monkeypatch.setattr(audit_view, "_findings", counted)
        calls.clear()
        got = {code: audit_view.audit_tables(shared, Query(provinces=(code,))) for code in ("51", "73", "99")}
        monkeypatch.setattr(audit_view, "_findings", real)
        assert calls == [len(temuan[temuan["kode_provinsi"] == "51"]), len(temuan)]  # one province, then all
        for code, tables in got.items():
            own = audit_view.AuditInputs(temuan, reports, facts("id", day))
            _same_tables(tables, audit_view.audit_tables(own, Query(provinces=(code,))))
    bali = got["51"]
    # 10 June, no previous report: Bali's one overdue finding (T1, due 31 May); no changes, said so
    assert bali[0].rows["kode_provinsi"].tolist() == ["51"] and bali[1].title.endswith("(1)")
    assert bali[2].rows.empty and bali[2].notes == [
        "Tidak ada tanggal laporan sebelum tanggal posisi; perubahan tidak dihitung."
    ]
