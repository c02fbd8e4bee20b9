"""Golden of the Bali meeting pack in markdown (`pkp report --province Bali --format md`), byte for byte, with the
facts it shows asserted directly. Read by hand once against data/ and schedules/ at 3 June 2022.

report-bali.md: the pack's title "Bahan rapat koordinasi — Bali (51)", the as-of date and the data source
("data": the repo's ./data, so no sample marker). Then the same tables as `pkp status --province Bali` in the
same order, every row, each with its legend: the summary card (planned 16.0 %, actual 31.9 %, +15.9 points; 276
stage rows, 88 finished, 2 in progress (the DIPA revisions), 186 not yet due, 0 late; newest report 3 June); the
16 province-level preparations (PISEW and KOTAKU 01-05 finished before their windows opened, 06 in progress
since 4 April, 07 and 08 not yet due and waiting for the DIPA revision, with the BPPW's remarks); the 8
kabupaten/kota, all at 30.0 % actual, worst (lowest deviation) first; no late location and no construction flag
("tidak ada"). Unlike the screen, the late-locations table of a pack lists the working days late beside the
calendar days (its legend says both). The S-curve is a chart (xlsx, HTML), not a markdown table.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pkp_cli.cli.app import app
from tests.factories import ROOT
from tests.golden.harness import compare_text, env


@pytest.fixture(scope="module")
def bali_md(tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("report")
    here = Path.cwd()
    os.chdir(ROOT)  # the data resolves as "./data", as in the other goldens
    try:
        res = CliRunner().invoke(
            app,
            ["report", "--province", "Bali", "--format", "md", "--out", str(out), "--quiet"],
            env={**env(out / "cfg"), "PKP_NO_CACHE": "1"},
        )
    finally:
        os.chdir(here)
    assert res.exit_code == 0, res.output
    return (out / "bali.md").read_text(encoding="utf-8")


@pytest.mark.slow
def test_golden(bali_md: str) -> None:
    compare_text("report-bali.md", bali_md)


@pytest.mark.slow
def test_what_the_golden_shows(bali_md: str) -> None:
    lines = bali_md.splitlines()
    assert lines[0] == "# Bahan rapat koordinasi — Bali (51)"
    assert "Posisi per: 3 Juni 2022" in lines and "Sumber data: data" in lines
    titles = [line for line in lines if line.startswith("## ")]
    assert titles == [
        "## Bali (51)",
        "## Bali — persiapan",
        "## Bali — per kabupaten/kota",
        "## Bali — lokasi terlambat (0)",
        "## Bali — konstruksi kritis atau melewati batas akhir (0)",
    ]
    card = ["rencana %**: 16,0", "realisasi %**: 31,9", "deviasi**: +15,9", "tahapan**: 276", "selesai**: 88",
            "berjalan**: 2", "belum waktunya**: 186", "terlambat**: 0"]  # fmt: skip
    for fact in card:
        assert f"- **{fact}" in lines, fact
    prep = [line for line in lines if line.startswith(("| PISEW | PSW-", "| KOTAKU | KTK-"))]
    assert len(prep) == 16
    assert sum("| selesai |" in line for line in prep) == 10 and sum("| berjalan |" in line for line in prep) == 2
    assert all("| ya | Menunggu revisi DIPA |" in line for line in prep if "-07 |" in line)
    kab = [line for line in lines if line.startswith(("| Kabupaten ", "| Kota "))]
    assert len(kab) == 8 and all("| 30,0 |" in line for line in kab)
    assert bali_md.count("\ntidak ada\n") == 2
    assert bali_md.count("*Keterangan kolom*") == 5
    assert "- **hari kerja terlambat**: Seperti hari terlambat, dalam hari kerja" in bali_md
