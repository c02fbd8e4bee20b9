"""Changing Bali's DIPA revision date in the data changes its readiness row and the stages it may start early.

The sample is regenerated twice into temporary folders from the bundled story (scripts/sample_story.yaml) with
one more weekly report, 10 June 2022, for every province:

- `baseline`: the story as it is (Bali's DIPA revision still in process);
- `flipped`: the same, with one fact changed as in tests/test_sample_data.py: Bali's revision finished on
  2 June 2022.

So the DIPA date is the only difference between the two, and both are read with the real loader, status engine,
readiness board and candidate scoring (library calls, no CLI).

Why the extra report and not a schedule change. In the national schedule the only stage of Bali's locations
that may still be done early is technical planning (PSW-12 / KTK-12): socialisation, institutions and the survey
are finished everywhere. Planning follows the facilitators' mobilisation (PSW-08 / KTK-08), mobilisation follows
the contracts (PSW-07 / KTK-07), and both are gated by the DIPA revision. That chain is the accountability rule
the director insists on (stages are done earlier, never skipped) and the schedule states it on purpose
("technical planning needs the facilitators in the field"). A revision finished on 2 June cannot show a finished
mobilisation in the 3 June report: the contract can start on 3 June at the earliest and mobilisation only after
the contract (the generator, like the rule, refuses a stage that starts before its predecessor ends). So at
3 June the flip rightly changes Bali's board row (revision `selesai` 2 June, no longer waiting, contracts under
way) and rightly not its offered stages. The story's own Bali facts already say that contracts follow the
revision the next day (2 days) and mobilisation right after (3 days); the next weekly report, 10 June, is where
the flip shows up in the offered stages: contracts done 5 June, mobilisation done 9 June, and planning offered
24 (PISEW, window from 4 July) and 31 (KOTAKU, from 11 July) days early. Making planning depend on the revision
instead of mobilisation would bend the schedule to make a test pass, and would change the bundled data.
"""

from __future__ import annotations

import copy
import importlib.util
import sys
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

import pandas as pd
import pytest
import yaml

from tests.factories import ROOT

STORY = ROOT / "scripts" / "sample_story.yaml"
SCHEDULE = ROOT / "schedules" / "jadwal-nasional-2022.yaml"
RULES = ROOT / "schedules" / "percepatan-2022.yaml"
BALI = "51"
JUNE_3, JUNE_10 = date(2022, 6, 3), date(2022, 6, 10)

pytestmark = pytest.mark.slow


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_sample", ROOT / "scripts" / "make_sample.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


def _story(flip: bool) -> dict[str, Any]:
    story = copy.deepcopy(yaml.safe_load(STORY.read_text(encoding="utf-8")))
    story["tanggal_laporan"] = [*story["tanggal_laporan"], JUNE_10]
    if flip:
        bali = next(p for p in story["provinsi"] if p["kode"] == BALI)
        bali["langkah"]["revisi_dipa"]["selesai"] = date(2022, 6, 2)
    return story


class Sample:
    """One generated data folder, loaded once, evaluated at any date."""

    def __init__(self, folder: Path):
        from pkp_cli.ingest.load import load_data
        from pkp_cli.model.rules import load_rules
        from pkp_cli.model.schedule import load_schedule

        self.schedule = load_schedule(SCHEDULE)
        self.rules = load_rules(RULES)
        self.loaded = load_data([folder], self.schedule)
        assert self.loaded.rows_rejected == 0

    def status(self, as_of: date) -> pd.DataFrame:
        from pkp_cli.engines.status import compute_status

        return compute_status(self.loaded.lokasi, self.loaded.progres, self.schedule, as_of)

    def board(self, as_of: date) -> pd.DataFrame:
        from pkp_cli.engines.readiness import readiness_board

        st = self.status(as_of)
        board = readiness_board(self.loaded.lokasi, st, self.schedule)
        return board.set_index(["kode_provinsi", "program"])

    def offered(self, as_of: date) -> dict[str, list[tuple[str, int]]]:
        """Bali's eligible candidates -> [(stage, days early)]."""
        from pkp_cli.engines.candidates import score_candidates

        scored = score_candidates(self.loaded.lokasi, self.status(as_of), self.schedule, self.rules, as_of)
        mine = scored[(scored["kode_provinsi"] == BALI) & scored["memenuhi"]]
        return {
            k: [(s["tahapan"], s["hari"]) for s in stages]
            for k, stages in zip(mine["kode_lokasi"], mine["tahapan_lebih_awal"], strict=True)
        }


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Sample]:
    gen = _generator()
    out = {}
    for name, flip in (("baseline", False), ("flipped", True)):
        folder = tmp_path_factory.mktemp(name) / "data"
        gen.generate(folder, _story(flip))
        out[name] = Sample(folder)
    return out


def _code(schedule: Any, program: str, step: str) -> str:
    """A stage code from the schedule: the key stage of a role, or the stage after it (by offset)."""
    codes = [st.kode for _, st in schedule.stages(program)]
    role, _, offset = step.partition("+")
    return codes[codes.index(schedule.key_stage(program, role)) + int(offset or 0)]


def _row(board: pd.DataFrame, program: str) -> dict[str, Any]:
    return board.loc[(BALI, program)].to_dict()


def test_bali_board_row_changes_with_the_dipa_date(samples: dict[str, Sample]) -> None:
    base, flip = samples["baseline"], samples["flipped"]
    sched = base.schedule
    for program in ("PISEW", "KOTAKU"):
        dipa = _code(sched, program, "revisi_dipa")
        contract, mobilisation = _code(sched, program, "revisi_dipa+1"), _code(sched, program, "revisi_dipa+2")
        # Baseline, both dates: the revision is still in process and Bali waits for it.
        for day in (JUNE_3, JUNE_10):
            row = _row(base.board(day), program)
            assert (row[f"status.{dipa}"], row[f"tanggal.{dipa}"]) == ("berjalan", pd.Timestamp("2022-04-04"))
            assert row["tertunda_dipa"], (program, day)
            assert row[f"status.{contract}"] == "belum_jadwal" and pd.isna(row[f"tanggal.{contract}"])
        # Flipped, 3 June: the revision is done on 2 June, nothing waits for it, contracts start on 3 June.
        row = _row(flip.board(JUNE_3), program)
        assert (row[f"status.{dipa}"], row[f"tanggal.{dipa}"]) == ("selesai", pd.Timestamp("2022-06-02"))
        assert not row["tertunda_dipa"]
        assert (row[f"status.{contract}"], row[f"tanggal.{contract}"]) == ("berjalan", pd.Timestamp("2022-06-03"))
        assert pd.isna(row[f"tanggal.{mobilisation}"])
        # Flipped, 10 June: contracts signed on 5 June, facilitators mobilised on 9 June.
        row = _row(flip.board(JUNE_10), program)
        assert (row[f"status.{dipa}"], row[f"tanggal.{dipa}"]) == ("selesai", pd.Timestamp("2022-06-02"))
        assert row[f"tanggal.{contract}"] == pd.Timestamp("2022-06-05")
        assert row[f"tanggal.{mobilisation}"] == pd.Timestamp("2022-06-09")
        assert {row[f"status.{contract}"], row[f"status.{mobilisation}"]} <= {"selesai"}
        assert not row["tertunda_dipa"]


def test_only_bali_changes(samples: dict[str, Sample]) -> None:
    base = samples["baseline"].board(JUNE_10)
    flip = samples["flipped"].board(JUNE_10)
    others = [k for k in base.index if k[0] != BALI]
    pd.testing.assert_frame_equal(base.loc[others], flip.loc[others])
    assert not base.loc[[(BALI, "PISEW")]].equals(flip.loc[[(BALI, "PISEW")]])


def test_bali_offered_stages_change_with_the_dipa_date(samples: dict[str, Sample]) -> None:
    base, flip = samples["baseline"], samples["flipped"]
    sched = base.schedule
    planning = {p: _code(sched, p, "survei+1") for p in ("PISEW", "KOTAKU")}
    programs = dict(zip(base.loaded.lokasi["kode_lokasi"], base.loaded.lokasi["program"], strict=True))

    before = base.offered(JUNE_10)
    # The same six candidates as in the bundled data (repeat, good performance, planning documents), none
    # with a stage it can start: planning waits for mobilisation, which waits for the revision.
    assert len(before) == 6 and all(stages == [] for stages in before.values())
    # At 3 June the flip frees nothing yet: mobilisation cannot have happened by then (see the docstring).
    assert all(stages == [] for stages in flip.offered(JUNE_3).values())

    after = flip.offered(JUNE_10)
    assert set(after) == set(before)
    for code, stages in after.items():
        program = programs[code]
        window = next(st.mulai for _, st in sched.stages(program) if st.kode == planning[program])
        # Planning can start on 10 June, ahead of its window (4 July PISEW, 11 July KOTAKU).
        assert stages == [(planning[program], (window - JUNE_10).days)], code
    assert sorted({s for stages in after.values() for s in stages}) == [("KTK-12", 31), ("PSW-12", 24)]
