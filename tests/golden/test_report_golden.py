"""Golden of the Bali meeting pack in markdown (`pkp report --province Bali --format md`), byte for byte, with the
facts it shows asserted directly. Read by hand once against data/ and schedules/ at 3 June 2022.

report-bali.md: the pack's title "Bahan rapat koordinasi — Bali (51)", the as-of date and the data source
("data": the repo's ./data, so no sample marker). Then, every row and each table with its legend:
- the summary card (planned 16.0 %, actual 31.9 %, +15.9 points; 276 stage rows, 88 finished, 2 in progress (the
  DIPA revisions), 186 not yet due, 0 late; newest report 3 June);
- the readiness board, one table per program (`pkp readiness --province Bali`): recruitment steps and briefing
  finished (announcement 11 March ... briefing 11 May), the DIPA revision in progress since 4 April, contracts
  and mobilisation not yet due; its locations' figures: 16 PISEW and 10 KOTAKU locations, all with institutions
  formed and survey done (100 %), waiting for the DIPA revision;
- the status tables of `pkp status --province Bali`: the 16 province-level preparations (01-05 finished before
  their windows opened, 06 in progress, 07 and 08 waiting for the DIPA revision, with the BPPW's remarks); the
  8 kabupaten/kota, all at 30.0 % actual, worst first; no late location and no construction flag ("tidak ada").
  Unlike the screen, the late-locations table lists the working days late beside the calendar days;
- the acceleration candidates of `pkp candidates --province Bali`: 6 of 26 locations meet the three required
  conditions (score 100 each, reasons in words), none can start a stage early (their next stage, 12, waits for
  mobilisation, which waits for the DIPA revision: the `menunggu` table, 4 PISEW and 2 KOTAKU locations);
- the audit follow-up of `pkp audit --province Bali`: 2 findings, 1 open and 1 in progress, both overdue
  (01/LHP due 19 April: 45 days; 02/LHP due 1 June: 2 days), and the change since 27 May: 02/LHP newly overdue.
The S-curve is a chart (xlsx, HTML), not a markdown table.
"""

from __future__ import annotations

import os
import re
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
        "## Papan kesiapan provinsi — PISEW",
        "## Papan kesiapan provinsi — KOTAKU",
        "## Lokasi, revisi DIPA dan laporan terakhir per program",
        "## Bali — persiapan",
        "## Bali — per kabupaten/kota",
        "## Bali — lokasi terlambat (0)",
        "## Bali — konstruksi kritis atau melewati batas akhir (0)",
        "## Lokasi yang dapat dipercepat — Bali (6)",
        "## Tahapan lokasi yang memenuhi syarat yang belum dapat dimulai",
        "## Tindak lanjut temuan audit",
        "## Temuan lewat batas waktu, terlama dahulu (2)",
        "## Perubahan sejak laporan 27 Mei 2022 (1)",
    ]
    card = ["rencana %**: 16,0", "realisasi %**: 31,9", "deviasi**: +15,9", "tahapan**: 276", "selesai**: 88",
            "berjalan**: 2", "belum waktunya**: 186", "terlambat**: 0"]  # fmt: skip
    for fact in card:
        assert f"- **{fact}" in lines, fact
    prep = [line for line in lines if line.startswith(("| PISEW | PSW-0", "| KOTAKU | KTK-0"))]
    assert len(prep) == 16
    assert sum("| selesai |" in line for line in prep) == 10 and sum("| berjalan |" in line for line in prep) == 2
    assert all("| ya | Menunggu revisi DIPA |" in line for line in prep if "-07 |" in line)
    kab = [line for line in lines if line.startswith(("| Kabupaten ", "| Kota "))]
    assert len(kab) == 8 and all("| 30,0 |" in line for line in kab)
    assert bali_md.count("\ntidak ada\n") == 2
    assert bali_md.count("*Keterangan kolom*") == len(titles)
    board = [line for line in lines if line.startswith("| Bali | selesai 11 Mar |")]
    assert len(board) == 2 and all("| berjalan 4 Apr | belum waktunya | belum waktunya |" in b for b in board)
    assert "| Bali | PISEW | 16 | 16 | 100,0 | 16 | 100,0 | ya | 3 Juni 2022 |" in lines
    assert "| Bali | KOTAKU | 10 | 10 | 100,0 | 10 | 100,0 | ya | 3 Juni 2022 |" in lines
    candidates = [line for line in lines if re.match(r"\| 51\.\d\d\.\d\d", line)]
    assert len(candidates) == 6 and all(" | 100 | lokasi berulang, kinerja baik, dokumen perencanaan ada" in c
                                        for c in candidates)  # fmt: skip
    assert "| Bali | 2 | 1 | 1 | 0 |  | 2 |  | 45 | 0 | 1 |" in lines
    assert any(line.startswith("| Bali | 02/LHP-IBM/51/2022 |") and "| baru lewat batas | 1 Juni 2022 | 2 |" in line
               for line in lines)  # fmt: skip
    assert "- **hari kerja terlambat**: Seperti hari terlambat, dalam hari kerja" in bali_md
