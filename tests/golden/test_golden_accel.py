"""Goldens of `pkp candidates --province Bali` and `pkp readiness` on the bundled data, byte for byte.

Each command runs as a real subprocess from the repository root with no --data option (so the `data/` folder
there is found the way a user's would be), NO_COLOR=1, COLUMNS=120, no PKP_* variables and an empty config
folder. The four runs start together and are compared with the files under tests/golden/. To accept a new
output on purpose: `PKP_UPDATE_GOLDENS=1 python -m pytest tests/test_golden_accel.py` rewrites the files
(those tests then skip, saying so); read the diff before committing it.

What the goldens show (read by hand once, at 3 June 2022, the newest report):

candidates-bali.md / .json: titled "Lokasi yang dapat dipercepat — Bali (7)": 7 of Bali's 26 locations meet the
required conditions (repeat location, good past performance); 19 are excluded. Six score 100 (every requirement
met, no penalty): 51.01.04 Melaya, 51.02.03 Selemadeg Barat, 51.02.04 Kerambitan, 51.08.02 Seririt (PISEW) and
51.03.05.1005 Tanjung Benoa, 51.06.02.1004 Kawan (KOTAKU); 51.03.02.2006 Penarungan scores 80 because it has no
planning documents. The reasons read as the issue asks ("lokasi berulang, kinerja baik, dokumen perencanaan ada;
identifikasi dan pembentukan kelembagaan (BKAD/KKAD) selesai 23 April 2022, survei pendahuluan bersama camat
selesai 6 Mei 2022"). No location can start a stage now ("tidak ada"): socialisation, institutions and survey
are done everywhere, and the next stage that may be done early, technical planning (PSW-12 / KTK-12), waits for
the facilitators' mobilisation (PSW-08 / KTK-08), which waits for the DIPA revision (PSW-06 / KTK-06): 4 PISEW
and 3 KOTAKU locations, as the note under the table says. The JSON rows carry exactly the issue's keys.

readiness.md / .json: 44 rows, 22 provinces x (PISEW, KOTAKU). Bali: the four recruitment steps and the briefing
`selesai` (announcement 11 Mar ... appointment 14 Apr, briefing 11 Mei), the DIPA revision `berjalan` since 4
Apr, contracts and mobilisation `belum jadwalnya`, waiting for the DIPA revision ("ya"), institutions and survey
done at 100 % of its 16 PISEW and 10 KOTAKU locations, 2 open audit findings, both overdue, without Rupiah
amounts. Sulawesi Selatan: interviews finished late (30 Mei), appointment started 31 Mei and late, briefing not
started, 0 % institutions and survey. Jawa Barat, Jawa Timur and Kalimantan Selatan have their DIPA revision
done (14-18 Mei) and contracts signed; the other 19 provinces, Bali among them, still wait for it ("tunggu DIPA:
ya"). Amounts left empty are open findings without a Rupiah value (unknown, not Rp 0).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import GOLDEN, ROOT

UPDATE = os.environ.get("PKP_UPDATE_GOLDENS") == "1"

CASES = {
    "candidates-bali.md": ["candidates", "--province", "Bali", "--format", "markdown"],
    "candidates-bali.json": ["candidates", "--province", "Bali", "--format", "json"],
    "readiness.md": ["readiness", "--format", "markdown"],
    "readiness.json": ["readiness", "--format", "json"],
}

pytestmark = pytest.mark.slow


def _env(config_home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PKP_")}
    env.update(NO_COLOR="1", COLUMNS="120", XDG_CONFIG_HOME=str(config_home))
    return env


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """stdout of every case; the four processes run at the same time."""
    env = _env(tmp_path_factory.mktemp("config"))
    procs = {
        name: subprocess.Popen(
            [sys.executable, "-m", "pkp_cli", *args],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for name, args in CASES.items()
    }
    out = {}
    for name, proc in procs.items():
        stdout, stderr = proc.communicate(timeout=600)
        assert proc.returncode == 0, f"{name}: exit {proc.returncode}\n{stderr.decode(errors='replace')[-3000:]}"
        out[name] = stdout
    return out


@pytest.mark.parametrize("name", list(CASES))
def test_golden(name: str, outputs: dict[str, bytes]) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(outputs[name])
        pytest.skip(f"PKP_UPDATE_GOLDENS=1: wrote {path.relative_to(ROOT)}; review the diff before committing")
    assert path.exists(), f"{path} is missing: run PKP_UPDATE_GOLDENS=1 python -m pytest {Path(__file__).name}"
    expected = path.read_bytes()
    got = outputs[name]
    assert got == expected, (
        f"pkp {' '.join(CASES[name])} differs from {path.relative_to(ROOT)}; if the change is intended, "
        "regenerate with PKP_UPDATE_GOLDENS=1 and read the diff"
    )


# --- the key facts, asserted directly (they must hold whatever the layout) ---------------------------------


def _doc(outputs: dict[str, bytes], name: str) -> dict:
    return json.loads(outputs[name])


def _board(outputs: dict[str, bytes]) -> dict[tuple[str, str], dict]:
    return {(r["provinsi"], r["program"]): r for r in _doc(outputs, "readiness.json")["rows"]}


def test_bali_waits_only_for_the_dipa_revision(outputs: dict[str, bytes]) -> None:
    board = _board(outputs)
    for program in ("PISEW", "KOTAKU"):
        row = board[("Bali", program)]
        stages = row["tahapan"]
        by_role = {s["peran"]: s for s in stages if s["peran"]}
        dipa = by_role["revisi_dipa"]
        before = stages[: stages.index(by_role["rekrutmen"]) + 2]  # the four recruitment steps and the briefing
        assert len(before) == 5 and all(s["status"] == "selesai" for s in before), (program, before)
        assert (dipa["status"], dipa["tanggal"]) == ("berjalan", "2022-04-04")
        after = stages[stages.index(dipa) + 1 :]  # contracts and mobilisation
        assert [s["status"] for s in after] == ["belum_jadwal", "belum_jadwal"]
        assert all(s["tertunda_dipa"] for s in after)
        assert row["tertunda_dipa"] is True
        assert (row["kelembagaan_persen"], row["survei_persen"]) == (100, 100)
        assert row["balai"] == "BPPW Bali" and row["laporan_terakhir"] == "2022-06-03"


def test_sulawesi_selatan_is_still_at_the_interview_and_appointment_step(outputs: dict[str, bytes]) -> None:
    for program in ("PISEW", "KOTAKU"):
        row = _board(outputs)[("Sulawesi Selatan", program)]
        stages = row["tahapan"]
        appoint = next(s for s in stages if s["peran"] == "rekrutmen")
        interview = stages[stages.index(appoint) - 1]
        assert (interview["status"], interview["tanggal"]) == ("selesai_terlambat", "2022-05-30")
        assert (appoint["status"], appoint["tanggal"]) == ("terlambat", "2022-05-31")
        assert stages[stages.index(appoint) + 1]["status"] == "belum_mulai"  # no briefing yet
        assert (row["kelembagaan_persen"], row["survei_persen"]) == (0, 0)


def test_the_board_has_every_province_and_program_once(outputs: dict[str, bytes]) -> None:
    rows = _doc(outputs, "readiness.json")["rows"]
    assert len(rows) == 44 and len({(r["kode_provinsi"], r["program"]) for r in rows}) == 44
    md = outputs["readiness.md"].decode()
    # The stage columns are headed with the schedule's stage names, never codes.
    assert "| Revisi DIPA |" in md and "| Mobilisasi tenaga pendamping |" in md and "PSW-06" not in md
    assert "| Bali | PISEW | selesai 11 Mar |" in md


def test_bali_candidates_keep_the_issue_shape(outputs: dict[str, bytes]) -> None:
    doc = _doc(outputs, "candidates-bali.json")
    rows = doc["rows"]
    assert doc["as_of"] == "2022-06-03" and doc["rules"].endswith("percepatan-2022.yaml")
    keys = ["kode_lokasi", "nama_lokasi", "provinsi", "kabupaten_kota", "program", "skor", "alasan"]
    assert all(list(r) == [*keys, "tahapan_dipercepat"] for r in rows)
    assert [(r["kode_lokasi"], r["skor"]) for r in rows] == [
        ("51.01.04", 100),
        ("51.02.03", 100),
        ("51.02.04", 100),
        ("51.03.05.1005", 100),
        ("51.06.02.1004", 100),
        ("51.08.02", 100),
        ("51.03.02.2006", 80),
    ]
    first = rows[0]
    assert [a["kode"] for a in first["alasan"]] == ["berulang", "kinerja", "dokumen", "kelembagaan", "survei"]
    assert first["alasan"][3]["teks"].endswith("selesai 23 April 2022")
    # Nothing can start now: planning waits for mobilisation, which waits for the DIPA revision.
    assert all(r["tahapan_dipercepat"] == [] for r in rows)
    md = outputs["candidates-bali.md"].decode()
    assert "7 dari 26 lokasi memenuhi syarat wajib; 0 di antaranya" in md
    assert "menunggu PSW-08 Mobilisasi tenaga pendamping (menunggu PSW-06 Revisi DIPA)" in md
