"""Every documented filter of `pkp status`, alone and combined, on every view, in every format: it runs, and every
row it lists satisfies the filter, while the headline (the province's summary card) stays that of the whole
province (issue: right answers under filters)."""

from __future__ import annotations

import itertools
import json

import pytest
from typer.testing import CliRunner

from pkp_cli.cli.app import app
from tests.factories import ROOT

runner = CliRunner()
VIEWS = {
    "national": [],
    "province": ["--province", "Bali"],
    "lokasi": ["--lokasi", "51.02.03"],
    "detail": ["--detail", "--province", "Bali"],
}
FILTERS = {
    "kabupaten-name": ["--kabupaten", "Tabanan"],
    "kabupaten-city": ["--kabupaten", "Kota Denpasar"],
    "kabupaten-code": ["--kabupaten", "51.02"],
    "program": ["--program", "pisew"],
    "stage-code": ["--stage", "PSW-10"],
    "stage-name": ["--stage", "Revisi DIPA"],
    "status": ["--status", "selesai"],
    "late-only": ["--late-only"],
}
AS_OF = ["--as-of", "2022-07-15"]  # late rows exist on this day (windows of 09-10 closed in June)


def status_json(*args: str) -> dict:
    res = runner.invoke(app, ["status", "--data", str(ROOT / "data"), "-f", "json", *AS_OF, *args])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def _listed(doc: dict) -> list[dict]:
    """The rows the filters narrow (roll-up tables and the S-curve describe whole groups)."""
    return [r for name in ("persiapan", "terlambat", "tahapan", "rincian") for r in doc["tables"].get(name, [])]


def _check(filter_name: str, doc: dict) -> None:
    rows = _listed(doc)
    if filter_name.startswith("kabupaten"):
        wanted = {"kabupaten-name": "51.02", "kabupaten-city": "51.71", "kabupaten-code": "51.02"}[filter_name]
        assert all(r["kode_lokasi"][:5] == wanted for r in rows)
        assert all(k["kode_kabupaten"] == wanted for k in doc["tables"].get("kabupaten", []))
    elif filter_name == "program":
        assert all(r["program"] == "PISEW" for r in rows)
    elif filter_name == "stage-code":
        assert all(r["tahapan"] == "PSW-10" for r in rows)
    elif filter_name == "stage-name":
        assert all(r["tahapan"] in ("PSW-06", "KTK-06") for r in rows)
    elif filter_name == "status":
        assert all(r["status"] == "selesai" for r in rows)
    elif filter_name == "late-only":
        assert all(r["status"] in ("terlambat", "selesai_terlambat") for r in rows)


@pytest.mark.parametrize("view", list(VIEWS))
@pytest.mark.parametrize("filter_name", list(FILTERS))
def test_each_filter_on_each_view(view: str, filter_name: str) -> None:
    if view == "lokasi" and filter_name == "kabupaten-city":  # 51.02.03 is in Tabanan: a contradiction, not rows
        res = runner.invoke(app, ["status", "--data", str(ROOT / "data"), *AS_OF, *VIEWS[view], *FILTERS[filter_name]])
        assert res.exit_code == 2 and "--lokasi 51.02.03: ada di Kabupaten Tabanan, Bali, di luar" in res.stderr
        return
    doc = status_json(*VIEWS[view], *FILTERS[filter_name])
    _check(filter_name, doc)


def test_a_stage_name_two_programs_share_means_both() -> None:
    doc = status_json("--province", "Bali", "--stage", "Revisi DIPA")
    assert sorted(r["tahapan"] for r in doc["tables"]["persiapan"]) == ["KTK-06", "PSW-06"]
    only = status_json("--province", "Bali", "--stage", "Revisi DIPA", "--program", "KOTAKU")
    assert [r["tahapan"] for r in only["tables"]["persiapan"]] == ["KTK-06"]


PAIRS = [(a, b) for a, b in itertools.combinations(list(FILTERS), 2) if a.split("-")[0] != b.split("-")[0]]


@pytest.mark.parametrize(("first", "second"), PAIRS[::2])
def test_filters_combined_on_a_province(first: str, second: str) -> None:
    doc = status_json("--province", "Bali", *FILTERS[first], *FILTERS[second])
    _check(first, doc)
    _check(second, doc)


def test_the_headline_never_moves_with_a_filter() -> None:
    whole = status_json("--province", "Sulsel")["tables"]["ringkasan"][0]
    for args in FILTERS.values():
        if args[0] == "--kabupaten":
            continue  # Bali's kabupaten are not in Sulawesi Selatan
        head = status_json("--province", "Sulsel", *args)["tables"]["ringkasan"][0]
        if args[0] == "--program":  # the program defines the population, and the JSON says so
            continue
        assert (head["rencana_persen"], head["realisasi_persen"], head["deviasi"]) == (
            whole["rencana_persen"],
            whole["realisasi_persen"],
            whole["deviasi"],
        ), args


@pytest.mark.parametrize("fmt", ["table", "markdown", "csv"])
def test_filtered_views_render_in_every_format(fmt: str) -> None:
    for view, args in VIEWS.items():
        res = runner.invoke(
            app,
            ["status", "--data", str(ROOT / "data"), "-f", fmt, *AS_OF, *args, "--kabupaten", "51.02", "--late-only"],
            env={"NO_COLOR": "1", "COLUMNS": "120"},
        )
        assert res.exit_code == 0, (view, res.output)
        assert res.stdout.strip(), view


def test_every_province_table_reaches_csv() -> None:
    """Each table a province screen shows can be had as CSV (issue: the province CSV was header-only)."""
    for name, first_col in (
        ("persiapan", "kode_provinsi"),
        ("kabupaten", "kode_provinsi"),
        ("terlambat", "kode_provinsi"),
        ("konstruksi", "kode_provinsi"),
    ):
        res = runner.invoke(
            app, ["status", "--data", str(ROOT / "data"), "-p", "Aceh", "-f", "csv", "--table", name, *AS_OF]
        )
        assert res.exit_code == 0, res.output
        lines = res.stdout.splitlines()
        assert lines[0].split(",")[0] == first_col
        if name in ("persiapan", "kabupaten", "terlambat"):
            assert len(lines) > 1, name  # rows, not only the header
    listing = runner.invoke(app, ["status", "--data", str(ROOT / "data"), "-p", "Bali", "-f", "csv", "--table", "list"])
    assert [line.split("\t")[0] for line in listing.stdout.splitlines()] == [
        "ringkasan",
        "persiapan",
        "kabupaten",
        "terlambat *",
        "konstruksi",
        "kurva_s",
    ]
