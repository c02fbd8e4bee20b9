"""The candidates reports on the hand-built fixture of tests/engines/test_candidates.py (scores derived there):
the reasons in words in both languages, the tables and their columns, the two kinds of stages to start, the
score card, and what the files carry."""

from __future__ import annotations

import json
import re
from typing import Any

import pandas as pd
import pytest

from pkp_cli.engines.query import Query
from pkp_cli.render import csvfile, jsondoc, terminal
from pkp_cli.views import candidates as view
from pkp_cli.views.columns import COLUMNS
from pkp_cli.views.facts import Facts
from pkp_cli.views.specs import CANDIDATES_TABLES
from tests.engines.test_candidates import AS_OF, RULES, SCHEDULE, D, lokasi_frame, make_rules, status_frame


def facts(lang: str = "id", as_of: pd.Timestamp = AS_OF) -> Facts:
    day = as_of.date()
    return Facts(lang, day, 2022, "test", False, "test.yaml", "0", day, 14)


def inputs(lokasi: pd.DataFrame, status: pd.DataFrame, lang: str = "id", rules: Any = RULES,
           as_of: pd.Timestamp = AS_OF) -> view.CandidateInputs:  # fmt: skip
    return view.CandidateInputs(lokasi, status, SCHEDULE, rules, facts(lang, as_of))


def one(loc: dict[str, Any] | None = None, overrides: dict[str, dict[str, Any]] | None = None, lang: str = "id",
        rules: Any = RULES) -> view.CandidateInputs:  # fmt: skip
    lokasi = lokasi_frame([{"kode_lokasi": "51.01.01", **(loc or {})}])
    status = status_frame(lokasi, {("51.01.01", k): v for k, v in (overrides or {}).items()})
    return inputs(lokasi, status, lang, rules)


def row(inp: view.CandidateInputs) -> pd.Series:
    rows = view.build(inp, show_all=True).combined("kandidat")[1]
    assert len(rows) == 1
    return rows.iloc[0]


# --- the reasons in words -------------------------------------------------------------------------------------


def test_full_location_reasons_in_words() -> None:
    assert row(one())["alasan"] == (
        "lokasi berulang, kinerja baik, dokumen perencanaan ada; "
        "pembentukan kelembagaan selesai 20 Mei 2022, survei pendahuluan selesai 24 Mei 2022"
    )


def test_reasons_in_english_have_no_indonesian_words() -> None:
    # The key stages by their role in English (the schedule's stage names are data, and Indonesian).
    assert row(one(lang="en"))["alasan"] == (
        "repeat location, good performance, planning documents available; "
        "community institutions finished 20 May 2022, preliminary survey finished 24 May 2022"
    )


@pytest.mark.parametrize(
    ("loc", "overrides", "phrase"),
    [
        ({"kinerja": "Cukup"}, None, "kinerja cukup (syarat wajib tidak terpenuhi)"),
        ({"dokumen_perencanaan": False}, None, "dokumen perencanaan belum ada"),
        ({"lokasi_berulang": pd.NA}, None, "lokasi berulang: data tidak tersedia"),
        ({}, {"srv": {"status": "selesai_terlambat", "hari_terlambat": 3}}, "1 tahapan terlambat (-5)"),
        ({}, {"lem": {"laporan_basi": True}, "srv": {"laporan_basi": True}}, "laporan basi (-10)"),
        ({}, {"lem": {"status": "berjalan", "tanggal_selesai": pd.NaT}}, "pembentukan kelembagaan berjalan 2 Mei 2022"),
    ],
)
def test_each_rule_in_words(loc: dict[str, Any], overrides: dict[str, dict[str, Any]] | None, phrase: str) -> None:
    assert phrase in row(one(loc, overrides))["alasan"]


def test_an_unapplied_penalty_says_nothing_and_groups_are_separated() -> None:
    text = row(one(overrides={"sos": {"urutan_dilanggar": True}}))["alasan"]
    # columns; key stages; penalties applied
    assert text.split("; ")[2] == "1 tahapan melanggar urutan (-10)"
    assert "terlambat" not in text and "basi" not in text


def test_a_stage_requirement_without_its_stage_and_a_numeric_one() -> None:
    rules = make_rules(
        "skor_maks: 20\nsyarat:\n  - {id: kon, tahapan_kunci: konstruksi, wajib: true, bobot: 10}\n"
        "  - {id: besar, kolom: nilai_bantuan, minimal: 500000000, bobot: 10}\n"
    )
    lokasi = lokasi_frame([{"kode_lokasi": "51.01.01"}])
    status = status_frame(lokasi)
    status = status[status["tahapan"] != "kon"]
    assert row(inputs(lokasi, status, rules=rules))["alasan"] == (
        "nilai bantuan Rp 600.000.000; konstruksi: data tidak tersedia"
    )


# --- the tables -------------------------------------------------------------------------------------------------


def _expand(keys: list[str], rules: Any) -> list[str]:
    out = []
    for k in keys:
        if k == "syarat.<id>":
            out += [f"syarat.{r.id}" for r in rules.syarat]
        elif k == "penalti.<id>":
            out += [f"penalti.{p.id}" for p in rules.penalti]
        else:
            out.append(k)
    return out


def test_every_table_has_the_columns_its_spec_names() -> None:
    inp = one()
    for report in (view.build(inp), view.score_card(inp, "51.01.01")):
        for name in report.names():
            got = [c.key for c in report.combined(name)[0]]
            assert got == _expand(CANDIDATES_TABLES[name], RULES), name
    assert view.build(inp).names() == ["kandidat", "menunggu"] and view.build(inp).main_name() == "kandidat"
    assert view.score_card(inp, "51.01.01").names() == ["lokasi", "kartu", "menunggu"]


def _scope_inputs() -> view.CandidateInputs:
    lokasi = lokasi_frame(
        [
            {"kode_lokasi": "51.01.01"},
            {"kode_lokasi": "51.01.02", "dokumen_perencanaan": False},  # 80, eligible (documents optional here)
            {"kode_lokasi": "51.01.03", "kinerja": "Cukup"},  # 75, excluded
            {"kode_lokasi": "52.01.01"},
        ]
    )
    return inputs(lokasi, status_frame(lokasi))


def test_filters_narrow_the_rows_never_the_summary() -> None:
    inp = _scope_inputs()
    report = view.build(inp, Query(provinces=("51",)), top=1)
    (t,) = [t for t in report.tables if t.name == "kandidat"]
    assert t.rows["kode_lokasi"].tolist() == ["51.01.01"]
    # 2 of Bali's 3 eligible (51.01.03 fails kinerja), both with stages to start early (sos and ren, 30 days)
    assert t.notes[0].startswith("2 dari 3 lokasi memenuhi syarat wajib; 2 di antaranya dapat memulai")
    assert t.notes[1] == "1 lokasi tidak memenuhi syarat wajib (tampilkan dengan pkp candidates --all)."
    assert t.title == "Lokasi yang dapat dipercepat — Provinsi 51 (1)"
    everyone = view.build(inp, show_all=True, min_score=76).combined("kandidat")[1]
    assert everyone["kode_lokasi"].tolist() == ["51.01.01", "52.01.01", "51.01.02"]


def test_the_stage_lists_in_json_csv_and_on_screen(monkeypatch: pytest.MonkeyPatch) -> None:
    report = view.build(one())
    doc = json.loads(jsondoc.render(report))
    (first,) = doc["tables"]["kandidat"]
    # sos and ren can start 30 days before their windows (1 July); nothing has an open window on 1 June.
    assert first["tahapan_lebih_awal"] == [
        {"tahapan": "sos", "nama_tahapan": "Sosialisasi desa", "hari": 30},
        {"tahapan": "ren", "nama_tahapan": "Penyusunan rencana", "hari": 30},
    ]
    assert first["tahapan_jendela_terbuka"] == []
    assert (first["syarat.dokumen"], first["penalti.terlambat"], first["skor"]) == ("terpenuhi", 0, 100)
    lines = csvfile.render(report, "kandidat").splitlines()
    header = lines[0].split(",")
    cell = dict(zip(header, next(__import__("csv").reader([lines[1]])), strict=True))
    # The number in brackets is days early, and the column says so where columns are described.
    assert cell["tahapan_lebih_awal"] == "sos (30); ren (30)"
    assert (
        "hari lebih awal" in COLUMNS["tahapan_lebih_awal"].desc[0] and "days" in COLUMNS["tahapan_lebih_awal"].desc[1]
    )
    monkeypatch.setenv("COLUMNS", "300")  # a piped console's width
    wide = terminal.render(report)
    assert "sos Sosialisasi desa (30); ren Penyusunan rencana (30)" in wide
    assert "mulai lebih awal (hari)" in wide  # the header says the unit


def test_window_open_stages_are_a_late_risk_apart_from_acceleration() -> None:
    lokasi = lokasi_frame([{"kode_lokasi": "51.01.01"}])
    status = status_frame(lokasi, {("51.01.01", s): {"status": "belum_mulai"} for s in ("sos", "ren")})
    report = view.build(inputs(lokasi, status, as_of=D("2022-07-05")))
    (r,) = json.loads(jsondoc.render(report))["tables"]["kandidat"]
    assert r["tahapan_lebih_awal"] == []
    assert [(s["tahapan"], s["hari"]) for s in r["tahapan_jendela_terbuka"]] == [("sos", 10), ("ren", 26)]
    note = next(t for t in report.tables if t.name == "kandidat").notes[0]
    assert "0 di antaranya dapat memulai tahapan sebelum jendelanya" in note and "1 punya tahapan" in note


def test_waiting_table_counts_the_locations_behind_each_wait() -> None:
    lokasi = lokasi_frame([{"kode_lokasi": "51.01.01"}, {"kode_lokasi": "51.01.02"}])
    # Province 51's recruitment still open: sos waits for it at both; kon waits for the DIPA revision.
    status = status_frame(lokasi, provinces={"51": {"rek": {"status": "berjalan", "tanggal_selesai": pd.NaT}}})
    table = next(t for t in view.build(inputs(lokasi, status)).tables if t.name == "menunggu")
    got = table.rows[["tahapan", "menunggu", "menunggu_kode", "jumlah_lokasi"]].values.tolist()
    assert got == [
        ["sos", "rek Rekrutmen pendamping", ["rek"], 2],
        ["kon", "dipa Revisi DIPA", ["dipa"], 2],
    ]


# --- the score card ---------------------------------------------------------------------------------------------


def test_score_card_rows_in_words() -> None:
    inp = one(
        {"dokumen_perencanaan": pd.NA},
        {
            "srv": {"status": "selesai_terlambat", "hari_terlambat": 2},
            "sos": {"status": "berjalan", "urutan_dilanggar": True},
        },
    )
    report = view.score_card(inp, "51.01.01")
    card = report.combined("kartu")[1].set_index("aturan")
    assert card.loc["dokumen", "data"] == "dokumen perencanaan: data tidak tersedia"
    assert card.loc["survei", "data"] == "srv Survei pendahuluan selesai terlambat 24 Mei 2022"
    assert card.loc["terlambat", "data"] == "1 tahapan terlambat (-5); srv"
    assert card.loc["terlambat", "bobot_aturan"] == "5 per tahapan, maks 20"
    assert card.loc["basi", "data"] == "laporan terakhir 27 Mei 2022"
    assert card["poin"].tolist() == [25, 25, 0, 15, 15, -5, -10, 0]
    (me,) = report.combined("lokasi")[1].to_dict("records")
    assert (me["skor"], me["skor_maks"], me["memenuhi"]) == (100 - 20 - 5 - 10, 100, True)
    assert report.main_name() == "kartu"


def test_score_card_in_english_has_no_indonesian_vocabulary() -> None:
    inp = one({"kinerja": "Cukup"}, {"srv": {"status": "selesai_terlambat", "hari_terlambat": 2}}, lang="en")
    screen = terminal.render(view.score_card(inp, "51.01.01"), width=120)
    words = ["syarat", "penalti", "terpenuhi", "dikenakan", "tahapan", "maks", "wajib", "cukup", "laporan", "tidak"]
    assert [w for w in words if re.search(rf"\b{w}\b", screen)] == []
    assert "fair performance (required, not met)" in " ".join(screen.split())
    assert "5 per stage, cap 20" in screen


def test_a_raw_score_below_zero_is_said() -> None:
    inp = one(
        {"lokasi_berulang": False, "kinerja": "Kurang", "dokumen_perencanaan": False},
        {
            "lem": {"status": "belum_mulai", "tanggal_mulai": pd.NaT, "tanggal_selesai": pd.NaT},
            "srv": {"status": "terlambat", "hari_terlambat": 2, "tanggal_selesai": pd.NaT},
            "sos": {"urutan_dilanggar": True},
        },
    )
    report = view.score_card(inp, "51.01.01")
    assert report.tables[0].notes == ["Skor sebelum dibatasi ke 0..100: -15"]


def test_waiting_stages_shared_across_provinces_are_each_provinces_own(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pack run asks for the waiting stages once a province. From the second set on they are computed for every
    location once and each set taken from that (22 calls cost 1.9 s on the sample, one 0.07 s): the same rows as
    computing each province's on its own, on the bundled sample's 22 provinces."""
    from pkp_cli.cli.workspace import open_workspace
    from pkp_cli.engines import candidates as engine
    from tests.factories import ROOT

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "no-config"))
    monkeypatch.chdir(ROOT)
    ws = open_workspace(data=None, schedule=None, as_of=None, lang=None)
    status, lokasi = ws.status(), ws.loaded.lokasi
    inp = view.CandidateInputs(lokasi, status, ws.schedule, ws.rules(None), ws.facts())
    calls: list[int] = []
    real = engine.waiting_stages

    def counted(lok: pd.DataFrame, *a: Any) -> pd.DataFrame:
        calls.append(len(lok))
        return real(lok, *a)

    monkeypatch.setattr(engine, "waiting_stages", counted)
    provinces = sorted(set(lokasi["kode_provinsi"]))
    assert len(provinces) == 22
    held = 0
    for code in provinces:
        codes = lokasi.loc[lokasi["kode_provinsi"] == code, "kode_lokasi"]
        got = inp.waiting(codes)
        own = real(lokasi[lokasi["kode_lokasi"].isin(list(codes))], status, ws.schedule)
        pd.testing.assert_frame_equal(got, own)
        held += len(got)
    assert calls == [len(lokasi[lokasi["kode_provinsi"] == provinces[0]]), len(lokasi)]  # one province, then all
    assert held == len(real(lokasi, status, ws.schedule)) > 0
