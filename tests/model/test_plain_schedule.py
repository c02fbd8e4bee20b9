"""The schedule's plain way (model/schedule.py `plain_model`) against pydantic's strict models (model/schedule_spec.py):
whatever the plain way takes, pydantic takes too and gives the same values; anything else goes to pydantic."""

from __future__ import annotations

import math
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from pkp_cli.model.schedule import (
    KEY_STAGE_ROLES,
    check_schedule_text,
    from_json,
    from_spec,
    load_schedule,
    plain_model,
    to_json,
)
from pkp_cli.model.schedule_spec import ScheduleSpec
from pkp_cli.model.yamlio import load_yaml_with_lines
from tests.model.mutate import disagreements, each_field_replaced, mutate

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted((ROOT / "schedules").glob("jadwal-*.yaml"))


def _spec_model(raw: Any) -> Any:
    try:
        return from_spec(ScheduleSpec.model_validate(raw))
    except ValidationError:
        return None


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_schedules_take_the_plain_way_with_pydantics_values(path: Path) -> None:
    raw, _lines = load_yaml_with_lines(path.read_text(encoding="utf-8"))
    plain = plain_model(raw)
    assert plain is not None
    assert plain == _spec_model(raw)
    assert from_json(to_json(plain)) == plain


def test_a_plain_schedule_is_read_without_pydantic() -> None:
    """The point of the plain way: neither pydantic nor the spec models are imported for a shipped schedule."""
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from pkp_cli.model.schedule import load_schedule\n"
        f"load_schedule(Path({str(SHIPPED[0])!r}))\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'pydantic' or m.endswith('schedule_spec')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


def test_not_plain_values_go_to_pydantic_and_keep_its_messages() -> None:
    text = (ROOT / "schedules" / SHIPPED[0].name).read_text(encoding="utf-8")
    # an infinite weight is valid (pydantic's gt=0 takes it) but not plain: the same model either way
    raw, _ = load_yaml_with_lines(text)
    first = next(iter(raw["program"].values()))["tahapan"][0]
    first["bobot"] = math.inf
    assert plain_model(raw) is None
    spec = _spec_model(raw)
    assert spec is not None and next(iter(spec.program.values())).tahapan[0].bobot == math.inf
    # an integer weight is plain: the float pydantic's strict float makes of it
    first["bobot"] = 2
    plain = plain_model(raw)
    assert plain is not None and plain == _spec_model(raw)
    assert next(iter(plain.program.values())).tahapan[0].bobot == 2.0
    # a wrong type: pydantic's message, at the field's line
    model, probs = check_schedule_text(text.replace("tahun_anggaran: 2022", "tahun_anggaran: '2022'", 1))
    assert model is None and [p.code for p in probs] == ["schedule-field"]
    assert probs[0].params["field"] == "tahun_anggaran"


def test_damaged_kept_json_is_not_taken() -> None:
    plain = load_schedule(SHIPPED[0]).model
    text = to_json(plain)
    assert from_json(text) == plain
    for bad in (text[:-1], text.replace('"mulai":"', '"mulai":"x', 1), text.replace(":2022,", ":true,", 1), "[]", ""):
        assert from_json(bad) is None
    assert from_json(text.replace('"bobot":1.0', '"bobot":1', 1)) is None  # not exactly what to_json writes


# Values of every type a YAML mapping can hold, and a few near misses of each field's type.
_NEAR_MISSES = [None, True, False, 0, 1, -1, 0.0, -0.5, 2, 2**53 + 1, 10**400, math.inf, math.nan, "", " ", "x"]
_NEAR_MISSES += ["provinsi", "lokasi", "desa", 1999, 2000, 2100, 2101, [], ["x"], [1], {}, date(2022, 5, 1)]
_NEAR_MISSES += [datetime(2022, 5, 1, 12, 0)]
_odd = st.one_of(
    st.sampled_from(_NEAR_MISSES),  # half the values: near misses of some field's type or bound
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-5, 3000),
        st.floats(allow_nan=True, allow_infinity=True),
        st.text(max_size=3),
        st.dates(date(1999, 1, 1), date(2101, 1, 1)),
        st.lists(st.text(max_size=2), max_size=2),
        st.tuples(st.text(max_size=2)),
        st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
    ),
)


_stage = st.fixed_dictionaries(
    {
        "kode": st.text(min_size=1, max_size=4),
        "nama": st.text(min_size=1, max_size=4),
        "tingkat": st.sampled_from(["provinsi", "lokasi"]),
        "mulai": st.dates(date(2022, 1, 1), date(2022, 12, 31)),
        "selesai": st.dates(date(2022, 1, 1), date(2022, 12, 31)),
    },
    optional={
        "setelah": st.lists(st.text(min_size=1, max_size=3), max_size=3),
        "perlu_revisi_dipa": st.booleans(),
        "dapat_dipercepat": st.booleans(),
        "bobot": st.one_of(st.floats(min_value=0.01, max_value=10), st.integers(1, 10)),
    },
)
_keys = st.dictionaries(st.sampled_from(KEY_STAGE_ROLES), st.one_of(st.none(), st.text(max_size=3)))
_program = st.fixed_dictionaries(
    {"tahapan": st.lists(_stage, min_size=1, max_size=3)}, optional={"tahapan_kunci": _keys}
)
_valid = st.fixed_dictionaries(
    {
        "tahun_anggaran": st.integers(2000, 2100),  # valid: the mutations bring the near misses
        "batas_akhir": st.dates(date(2022, 1, 1), date(2022, 12, 31)),
        "program": st.dictionaries(st.text(max_size=3), _program, min_size=1, max_size=2),
    }
)


@st.composite
def _near_valid(draw: st.DrawFn) -> Any:
    """A valid schedule with a few values replaced, keys dropped or added (often still valid: None, an empty
    list, an int weight, a datetime...)."""
    return mutate(draw, draw(_valid), _odd, ["lain", "bobot", "setelah", "tahapan_kunci"])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=st.one_of(_near_valid(), _near_valid(), _near_valid(), st.dictionaries(st.text(max_size=3), _odd), _odd))
def test_the_plain_way_takes_only_what_pydantic_takes_with_the_same_values(raw: Any) -> None:
    plain = plain_model(raw)
    spec = _spec_model(raw)
    if plain is not None:
        assert spec is not None
        assert plain == spec
        assert all(type(s.bobot) is float and math.isfinite(s.bobot) for p in plain.program.values() for s in p.tahapan)
        assert from_json(to_json(plain)) == plain


def _small_schedule() -> dict[str, Any]:
    stage = {"kode": "K1", "nama": "Survei", "tingkat": "lokasi", "mulai": date(2022, 3, 1)}
    stage["selesai"] = date(2022, 4, 1)
    full = {**stage, "kode": "K2", "setelah": ["K1"], "perlu_revisi_dipa": True, "dapat_dipercepat": False}
    full["bobot"] = 2.5
    return {
        "tahun_anggaran": 2022,
        "batas_akhir": date(2022, 12, 31),
        "program": {"KOTAKU": {"tahapan_kunci": {"survei": "K1", "konstruksi": None}, "tahapan": [stage, full]}},
    }


_CASES = each_field_replaced(_small_schedule(), _NEAR_MISSES)


def test_every_field_with_every_near_miss_goes_where_pydantic_says() -> None:
    """Each near miss at each place of a small valid schedule: the plain way takes it only if pydantic does, with
    the same values."""
    assert plain_model(_small_schedule()) is not None  # the base itself is plain
    assert len(_CASES) > 500
    assert disagreements(_CASES, plain_model, _spec_model) == []
