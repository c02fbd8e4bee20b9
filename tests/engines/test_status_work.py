"""What the status engine hands on to the national view (engines.status.StatusWork) gives the same answers as the
view working it out again from the frame; and the engine's faster paths agree with the plain ones.

A cold `pkp status` computes the status frame and keeps its grid and each progress row's status row, so that the
forecast and the S-curve do not rebuild them from 1.66 M rows; a frame read from the cache has neither and takes
the plain way. Both must give the same tables to the last bit, so each test compares the two on random progress
histories over MINI_SCHEDULE (two programs, province and location stages, a DIPA gate, a construction stage):
reports after the status date, undated and unknown locations and stages, a location whose code is a province's,
several reports per stage.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from pkp_cli.engines import rollup as rollup_module
from pkp_cli.engines.construction import forecast, projected_ends
from pkp_cli.engines.rollup import construction_codes, rollups, s_curve
from pkp_cli.engines.status import StatusWork, _lookup_codes, compute_status, compute_status_work
from pkp_cli.model.schedule import Schedule
from tests.factories import lokasi_frame, lokasi_row, progres_frame, progres_row

AS_OF = date(2022, 7, 15)
STAGES = {"PISEW": ["P1", "P2", "L1", "L2", "L3"], "KOTAKU": ["K0", "K1"]}
LOCATIONS = [
    ("51.01.01", "PISEW"),
    ("51.01.02", "PISEW"),
    ("51.02.01", "KOTAKU"),
    ("52.01.01", "PISEW"),
    ("52.01.01", "KOTAKU"),  # one location in both programs
    ("53.01.01", "KOTAKU"),
    ("52", "PISEW"),  # a location code equal to a province code: the province unit is kept
]


def _history(seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    lokasi = lokasi_frame([lokasi_row(code, program) for code, program in LOCATIONS])
    units = [*LOCATIONS, ("51", "PISEW"), ("52", "PISEW"), ("51", "KOTAKU"), ("53", "KOTAKU")]
    rows = []
    for _ in range(160):
        code, program = units[rng.integers(len(units))]
        stage = str(rng.choice([*STAGES[program], "XX"]))  # XX: a stage the schedule does not know
        if rng.random() < 0.05:
            code = "59.09.09"  # a location the lokasi data does not know
        laporan = date(2022, 4, 1) + timedelta(days=int(rng.integers(0, 150)))  # some after AS_OF
        fields: dict[str, object] = {"tanggal_mulai": None, "tanggal_selesai": None, "progres_persen": None}
        if rng.random() < 0.6:
            fields["tanggal_mulai"] = (laporan - timedelta(days=int(rng.integers(0, 60)))).isoformat()
        if rng.random() < 0.4:
            fields["tanggal_selesai"] = (laporan - timedelta(days=int(rng.integers(-10, 20)))).isoformat()
        if rng.random() < 0.7:
            fields["progres_persen"] = float(rng.integers(0, 101))
        fields["laporan_tanpa_tanggal"] = bool(rng.random() < 0.1)
        rows.append(progres_row(code, stage, laporan.isoformat(), program, **fields))
    progres = progres_frame(rows)
    # a report without a date at all: it belongs to no status date
    progres.loc[3, "tanggal_laporan"] = pd.NaT
    return lokasi, progres


@pytest.fixture(params=[1, 2, 3, 4, 5])
def computed(request, mini_schedule: Schedule) -> tuple[pd.DataFrame, StatusWork, pd.DataFrame, Schedule]:
    lokasi, progres = _history(request.param)
    status, work = compute_status_work(lokasi, progres, mini_schedule, AS_OF)
    return status, work, progres, mini_schedule


def test_compute_status_work_returns_the_frame_of_compute_status(computed):
    status, work, progres, schedule = computed
    lokasi = lokasi_frame([lokasi_row(code, program) for code, program in LOCATIONS])
    pd.testing.assert_frame_equal(compute_status(lokasi, progres, schedule, AS_OF), status)
    assert work.fits(status) and not work.fits(status.iloc[1:])
    assert len(work.progres_rows) == len(progres)


def test_progres_rows_point_at_the_status_row_of_the_same_location_program_and_stage(computed):
    status, work, progres, _ = computed
    rows = work.progres_rows
    known = rows >= 0
    assert known.any() and (~known).any()
    for i in np.flatnonzero(known):
        got = status.iloc[rows[i]]
        want = progres.iloc[i]
        assert (str(got["kode_lokasi"]), str(got["program"]), str(got["tahapan"])) == (
            want["kode_lokasi"],
            want["program"],
            want["tahapan"],
        )
        assert want["tanggal_laporan"] <= pd.Timestamp(AS_OF)
    # reports after the status date and undated ones point nowhere, as do those of no status row (an unknown
    # location or stage, a stage of the other level: a province stage reported on a location)
    keys = set(zip(status["kode_lokasi"].astype(str), status["program"].astype(str), status["tahapan"].astype(str),
                   strict=True))  # fmt: skip
    for i in np.flatnonzero(~known):
        want = progres.iloc[i]
        late = pd.isna(want["tanggal_laporan"]) or want["tanggal_laporan"] > pd.Timestamp(AS_OF)
        assert late or (want["kode_lokasi"], want["program"], want["tahapan"]) not in keys


def test_forecast_with_the_engines_grid_equals_the_grid_from_the_frame(computed):
    status, work, _, schedule = computed
    pd.testing.assert_frame_equal(forecast(status, schedule, AS_OF, work.grid), forecast(status, schedule, AS_OF))


def test_projected_ends_of_some_stages_equal_the_full_projection_there(computed):
    status, _, _, schedule = computed
    full = projected_ends(status, schedule, AS_OF)
    part = projected_ends(status, schedule, AS_OF, stages=construction_codes(schedule))
    # L3 waits for L2 (PISEW's schedule order), which waits for nothing in MINI_SCHEDULE; the rest stay NaT
    projected = status["tahapan"].isin(["L3"]).to_numpy()
    assert projected.any()
    np.testing.assert_array_equal(part[projected], full[projected])
    assert np.isnat(part[~status["tahapan"].isin(["L3", "L2", "L1", "P1", "P2"]).to_numpy()]).all()


def test_s_curve_with_the_engines_progress_rows_equals_matching_by_codes(computed):
    status, work, progres, schedule = computed
    for by in (["program"], None, ["kode_provinsi"]):
        pd.testing.assert_frame_equal(
            s_curve(status, schedule, AS_OF, by=by, progres=progres, progres_rows=work.progres_rows),
            s_curve(status, schedule, AS_OF, by=by, progres=progres),
            check_exact=True,
        )


def test_worst_stage_by_table_equals_by_sorting(computed, monkeypatch):
    status, _, _, schedule = computed
    bys: list[list[str] | None] = [["kode_provinsi"], None, ["program"], ["kode_kabupaten"]]
    dense = rollups(status, schedule, AS_OF, bys)
    monkeypatch.setattr(rollup_module, "_DENSE_PAIRS", 0)  # every grouping takes np.unique's way
    for a, b in zip(dense, rollups(status, schedule, AS_OF, bys), strict=True):
        pd.testing.assert_frame_equal(a, b, check_exact=True)
    assert dense[0]["tahapan_terburuk"].notna().any()


def test_status_from_text_held_by_python_objects_equals_arrow_text(mini_schedule):
    # Arrow text takes Arrow's index_in; Python objects (or categoricals) are factorised: the same frame
    lokasi, progres = _history(7)
    plain = progres.astype({c: object for c in ("kode_lokasi", "program", "tahapan")})
    pd.testing.assert_frame_equal(
        compute_status(lokasi, plain, mini_schedule, AS_OF), compute_status(lokasi, progres, mini_schedule, AS_OF)
    )
    coded = progres.astype({c: "category" for c in ("kode_lokasi", "program", "tahapan")})
    pd.testing.assert_frame_equal(
        compute_status(lokasi, coded, mini_schedule, AS_OF), compute_status(lokasi, progres, mini_schedule, AS_OF)
    )


@pytest.mark.parametrize("dtype", ["str", object])
def test_lookup_codes_missing_absent_and_unknown_rows_are_minus_one(dtype):
    # by hand: index [a, b, c]; values a, z (absent), missing, c, b (masked out), a
    values = pd.Series(["a", "z", None, "c", "b", "a"], dtype=dtype)
    known = np.array([True, True, True, True, False, True])
    got = _lookup_codes(values, known, pd.Index(["a", "b", "c"], dtype="str"))
    assert got.tolist() == [0, -1, -1, 2, -1, 0]


def test_the_view_takes_the_work_once_and_lets_it_go(computed, mini_schedule):
    # StatusInputs asks its source once (the workspace forgets it then); drop_work lets it go, after which the
    # view works the grid out from the frame again (work() is None) and the tables stay the same
    from pkp_cli.engines.query import Query
    from pkp_cli.views.facts import Facts
    from pkp_cli.views.status import StatusInputs, national_tables

    status, work, progres, schedule = computed
    asked: list[int] = []

    def source() -> StatusWork:
        asked.append(1)
        return work

    facts = Facts(lang="id", as_of=AS_OF, fiscal_year=2022, data_source="x", is_sample=False, schedule="x",
                  schedule_sha256=schedule.sha256, newest_report=AS_OF, stale_days=14, extra={})  # fmt: skip
    inp = StatusInputs(status, progres, schedule, facts, 14, work=source)
    assert inp.work() is work and inp.work() is work and asked == [1]
    inp.drop_work()
    assert inp.work() is None
    with_work = national_tables(StatusInputs(status, progres, schedule, facts, 14, work=lambda: work), Query())
    without = national_tables(StatusInputs(status, progres, schedule, facts, 14), Query())
    assert list(with_work) == list(without)
    for name in with_work:
        pd.testing.assert_frame_equal(with_work[name], without[name], check_exact=True)


def test_a_cold_national_run_uses_the_engines_work_and_prints_what_the_frame_way_prints(tmp_path, monkeypatch):
    # The bundled sample, cache off: the status frame is computed in the run, so the forecast gets its grid and
    # the S-curve its progress rows from the engine (grid_from_status is never called); with the status frame
    # read back from the cache (second run, kept national tables removed) they are worked out from the frame.
    # Both print the same JSON.
    from typer.testing import CliRunner

    from pkp_cli.cli.app import app
    from pkp_cli.engines import construction
    from pkp_cli.ingest import cache
    from tests.factories import ROOT

    runner = CliRunner()
    args = ["status", "--data", str(ROOT / "data"), "--as-of", "2022-06-03", "-f", "json"]
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "no-config"))

    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("the grid was worked out again from the frame")

    monkeypatch.setattr(construction, "grid_from_status", refuse)
    cold = runner.invoke(app, args, env={"PKP_NO_CACHE": "1"})
    assert cold.exit_code == 0, cold.output
    assert '"provinsi": "Bali"' in cold.stdout
    monkeypatch.undo()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "no-config"))
    monkeypatch.delenv("PKP_NO_CACHE", raising=False)
    first = runner.invoke(app, args)  # computes and keeps the status frame (with its work) and the tables
    assert first.exit_code == 0 and first.stdout == cold.stdout
    store = tmp_path / "xdg" / "pkp"
    for p in store.glob("pkp-file-*.pkpc"):  # drop the kept national tables: the status frame stays
        entry = cache.load_file(store, p.name[len("pkp-file-") : -len(".pkpc")])
        if entry is not None and entry[0].get("derived") == "status-national":
            p.unlink()
    called: list[int] = []
    original = construction.grid_from_status
    monkeypatch.setattr(construction, "grid_from_status", lambda *a: called.append(1) or original(*a))
    again = runner.invoke(app, args)
    assert again.exit_code == 0, again.output
    assert called == [1]  # the frame came from the cache: its grid worked out from it
    assert again.stdout == cold.stdout
