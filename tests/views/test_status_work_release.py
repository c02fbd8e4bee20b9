"""The national view lets the status engine's grid go once the forecast has used it, before the S-curve makes its
1.66 M-row temporaries (a cold national run's peak memory), and still hands the S-curve each progress row's status
row; and the S-curve's progress rows, taken before they are made days or floats, are the ones it took before."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pkp_cli.engines import rollup as rollup_module
from pkp_cli.engines.query import Query
from pkp_cli.engines.status import compute_status_work
from pkp_cli.views import status as view
from pkp_cli.views.facts import Facts
from tests.factories import (
    THREE_LOCATION_AS_OF,
    three_location_lokasi,
    three_location_progres,
    three_location_schedule,
)


def test_the_s_curve_gets_the_progress_rows_after_the_grid_is_let_go(tmp_path: Path, monkeypatch) -> None:
    schedule = three_location_schedule(tmp_path)
    progres = three_location_progres()
    status, work = compute_status_work(three_location_lokasi(), progres, schedule, THREE_LOCATION_AS_OF)
    facts = Facts("id", THREE_LOCATION_AS_OF, 2022, "test", False, "j.yaml", schedule.sha256, date(2022, 4, 5), 14)
    inp = view.StatusInputs(status, progres, schedule, facts, 14, work=lambda: work)
    seen: dict[str, Any] = {}
    curve = view.s_curve

    def watched(*args: Any, **kwargs: Any) -> pd.DataFrame:
        seen["work_held"] = inp._work_value is not None
        seen["rows"] = kwargs.get("progres_rows")
        return curve(*args, **kwargs)

    monkeypatch.setattr(view, "s_curve", watched)
    view.national_tables(inp, Query())
    assert seen["work_held"] is False  # let go before the S-curve
    assert seen["rows"] is work.progres_rows  # and its progress rows still handed on


def test_days_at_converts_only_the_rows_taken_as_the_whole_column_would() -> None:
    # a time of day, a date before 1970 (numpy floors it to its day) and NaT
    dates = pd.Series(pd.to_datetime(["2022-05-20 13:45", "1969-12-31 23:00", None, "2022-01-01 00:00"]))
    at = np.array([3, 1, 1, 2, 0], dtype=np.int64)
    got = rollup_module._days_at(dates, at)
    want = dates.to_numpy(dtype="datetime64[D]")[at]
    assert got.dtype == want.dtype == np.dtype("datetime64[D]")
    np.testing.assert_array_equal(got, want)
    assert str(got[1]) == "1969-12-31" and np.isnat(got[3])


def test_the_national_view_says_when_its_peak_is_past(tmp_path: Path, monkeypatch) -> None:
    # once the roll-ups are done (the 1.66 M-row temporaries of a cold national run's peak; the late stages and the
    # reporting dates run beside them on a second thread): the CLI then starts the status frame's held cache entry
    # (Workspace.start_held_writes), once
    schedule = three_location_schedule(tmp_path)
    progres = three_location_progres()
    status, work = compute_status_work(three_location_lokasi(), progres, schedule, THREE_LOCATION_AS_OF)
    facts = Facts("id", THREE_LOCATION_AS_OF, 2022, "test", False, "j.yaml", schedule.sha256, date(2022, 4, 5), 14)
    events: list[str] = []
    inp = view.StatusInputs(
        status, progres, schedule, facts, 14, work=lambda: work, after_peak=lambda: events.append("after_peak")
    )
    rollups = inp.rollups

    def watched(*args: Any) -> Any:
        out = rollups(*args)
        events.append("rollups done")
        return out

    monkeypatch.setattr(inp, "rollups", watched)
    view.national_tables(inp, Query())
    view.national_tables(inp, Query())
    assert events == ["rollups done", "after_peak", "rollups done"]
