"""The rules' plain way (model/rules.py `plain_model`) against pydantic's strict models (model/rules_spec.py):
whatever the plain way takes, pydantic takes too and gives the same values; anything else goes to pydantic, whose
verdict and messages stand."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from pkp_cli.model.rules import PENALTY_KINDS, PENALTY_PER, check_rules_text, from_spec, plain_model
from pkp_cli.model.rules_spec import RulesSpec
from pkp_cli.model.yamlio import load_yaml_with_lines
from tests.model.mutate import disagreements, each_field_replaced, mutate

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted((ROOT / "schedules").glob("percepatan-*.yaml"))


def _spec_model(raw: Any) -> Any:
    try:
        return from_spec(RulesSpec.model_validate(raw))
    except ValidationError:
        return None


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_rules_take_the_plain_way_with_pydantics_values(path: Path) -> None:
    raw, _lines = load_yaml_with_lines(path.read_text(encoding="utf-8"))
    plain = plain_model(raw)
    assert plain is not None
    assert plain == _spec_model(raw)
    # the shipped file writes its weights as ints (bobot: 25): floats, as pydantic's strict float makes them
    assert all(type(r.bobot) is float for r in plain.syarat) and type(plain.skor_maks) is float


def test_the_shipped_rules_are_read_without_pydantic() -> None:
    """The point of the plain way: `pkp validate` checks the rules beside the data (schedules/percepatan-2022.yaml)
    without importing pydantic (0.15-0.2 s of every validate run before; the whole run:
    tests/cli/test_plain_coercion.py test_a_run_imports_no_pydantic)."""
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from pkp_cli.model.rules import load_rules\n"
        f"rules = load_rules(Path({str(SHIPPED[0])!r}))\n"
        "found = sorted(m for m in sys.modules if m.split('.')[0] == 'pydantic' or m.endswith('_spec'))\n"
        "print(len(rules.syarat), found)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "5 []"


def test_not_plain_values_go_to_pydantic_and_keep_its_messages() -> None:
    text = SHIPPED[0].read_text(encoding="utf-8")
    raw, _ = load_yaml_with_lines(text)
    # valid but not plain: an infinite cap (gt=0 takes it), an int past 2**53 (pydantic's float takes it)
    raw["penalti"][0]["maks"] = math.inf
    raw["syarat"][0]["bobot"] = 2**53 + 1
    assert plain_model(raw) is None
    spec = _spec_model(raw)
    assert spec is not None and spec.penalti[0].maks == math.inf and spec.syarat[0].bobot == float(2**53 + 1)
    # a bool for a float, an id with a space, a trailing newline in an id: pydantic's message at the field's line
    for old, new, field in (
        ("skor_maks: 100", "skor_maks: true", "skor_maks"),
        ("{id: berulang,", "{id: 'beru lang',", "syarat.0.id"),
        ("{id: berulang,", '{id: "berulang\\n",', "syarat.0.id"),
        ("per: tahapan, bobot: 5", "per: desa, bobot: 5", "penalti.0.per"),
    ):
        model, probs = check_rules_text(text.replace(old, new, 1))
        assert model is None and [p.code for p in probs] == ["rules-field"], (new, probs)
        assert probs[0].params["field"] == field


# Values of every type a YAML mapping can hold; half of them near misses of some field's type or bound.
_NEAR_MISSES = [None, True, False, 0, 1, -1, 0.0, -0.5, 2**53, 2**53 + 1, 10**400, math.inf, math.nan]
_NEAR_MISSES += ["", "a b", "a\n", "Baik", "selesai", "terlambat", "lokasi", "tahapan", "kinerja", "x-1_Z"]
_NEAR_MISSES += [[], ["Baik"], ["selesai", 1], [None], ("Baik",), {}, {"id": "a"}]
_odd = st.one_of(
    st.sampled_from(_NEAR_MISSES),
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-5, 300),
        st.floats(allow_nan=True, allow_infinity=True),
        st.text(max_size=3),
        st.lists(st.text(max_size=2), max_size=2),
        st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
    ),
)
_id = st.from_regex(r"[A-Za-z0-9_-]{1,4}", fullmatch=True)
_weight = st.one_of(st.floats(min_value=0.01, max_value=50), st.integers(1, 50))  # valid: mutations make them not
_requirement = st.fixed_dictionaries(
    {"id": _id, "bobot": _weight},
    optional={
        "kolom": st.sampled_from(["lokasi_berulang", "kinerja", "nilai_bantuan", "x"]),
        "nilai": st.one_of(st.booleans(), st.text(max_size=4), st.lists(st.text(max_size=4), max_size=3)),
        "minimal": _weight,
        "maksimal": _weight,
        "tahapan_kunci": st.sampled_from(["survei", "kelembagaan", "x"]),
        "status": st.lists(st.sampled_from(["selesai", "terlambat", "x"]), max_size=2),
        "wajib": st.booleans(),
    },
)
_penalty = st.fixed_dictionaries(
    {
        "id": _id,
        "jenis": st.sampled_from([*PENALTY_KINDS, "x"]),
        "per": st.sampled_from([*PENALTY_PER, "x"]),
        "bobot": _weight,
        "maks": _weight,
    }
)
_valid = st.fixed_dictionaries(
    {"skor_maks": _weight, "syarat": st.lists(_requirement, max_size=3)},
    optional={"penalti": st.lists(_penalty, max_size=2)},
)


@st.composite
def _near_valid(draw: st.DrawFn) -> Any:
    """Rules of the right shape with a few values replaced, keys dropped or added."""
    return mutate(draw, draw(_valid), _odd, ["lain", "bobot", "nilai", "penalti"])


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=st.one_of(_near_valid(), _near_valid(), _near_valid(), st.dictionaries(st.text(max_size=3), _odd), _odd))
def test_the_plain_way_takes_only_what_pydantic_takes_with_the_same_values(raw: Any) -> None:
    plain = plain_model(raw)
    spec = _spec_model(raw)
    if plain is not None:
        assert spec is not None
        assert plain == spec
        numbers = [plain.skor_maks, *(r.bobot for r in plain.syarat), *(p.maks for p in plain.penalti)]
        assert all(type(x) is float for x in numbers)


_SMALL_RULES: dict[str, Any] = {
    "skor_maks": 100,
    "syarat": [
        {"id": "a", "kolom": "kinerja", "nilai": ["Baik"], "wajib": True, "bobot": 25.0},
        {"id": "b-2", "tahapan_kunci": "survei", "status": ["selesai"], "bobot": 15},
        {"id": "c_3", "kolom": "nilai_bantuan", "minimal": 1.5, "maksimal": 9, "bobot": 10},
    ],
    "penalti": [{"id": "p", "jenis": "terlambat", "per": "tahapan", "bobot": 5, "maks": 20.0}],
}


_CASES = each_field_replaced(_SMALL_RULES, _NEAR_MISSES)


def test_every_field_with_every_near_miss_goes_where_pydantic_says() -> None:
    """Each near miss at each place of small valid rules: the plain way takes it only if pydantic does, with the
    same values."""
    assert plain_model(_SMALL_RULES) is not None  # the base itself is plain
    assert len(_CASES) > 500
    assert disagreements(_CASES, plain_model, _spec_model) == []
