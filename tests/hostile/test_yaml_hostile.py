"""Schedule and rules YAML that used to crash, hang or eat memory: each is 78 with a catalogue message at its
line, quickly. The bounds: 1 MB of file, 64 levels, 100,000 nodes once aliases are expanded, numbers of at
most 100 characters, dates that exist, no duplicate keys. Also the holiday file of the config."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pkp_cli.cli.app import app
from pkp_cli.errors import PkpError
from pkp_cli.model.rules import check_rules_text, load_rules
from pkp_cli.model.schedule import check_schedule_text, load_schedule
from pkp_cli.model.yamlio import MAX_DEPTH, MAX_NODES, MAX_YAML_BYTES
from tests.conftest import MINI_SCHEDULE
from tests.factories import ROOT
from tests.hostile.corpus import assert_one_line, run_pkp

RULES = (ROOT / "schedules" / "percepatan-2022.yaml").read_text(encoding="utf-8")


def _bomb(levels: int) -> str:
    """A billion-laughs file: each level holds nine aliases of the one before (9**levels nodes expanded)."""
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


SCHEDULE_CASES = {
    # case: (text, code, line)
    "date that does not exist": (
        MINI_SCHEDULE.replace("mulai: 2022-03-01", "mulai: 2022-02-30", 1),
        "yaml-date-invalid",
        7,
    ),
    "5,000-digit year": (
        MINI_SCHEDULE.replace("tahun_anggaran: 2022", "tahun_anggaran: " + "9" * 5000),
        "yaml-number-invalid",
        1,
    ),
    "infinite number": (MINI_SCHEDULE + "x: .inf\n", "yaml-number-invalid", 16),  # MINI_SCHEDULE has 15 lines
    "3,000 nested [": ("a: " + "[" * 3000 + "]" * 3000 + "\n", "yaml-too-deep", 1),
    "deep block nesting": ("".join("  " * i + "-\n" for i in range(MAX_DEPTH + 5)), "yaml-too-deep", MAX_DEPTH + 1),
    "alias bomb": (_bomb(9), "yaml-too-complex", None),
    "alias loop": ("a: &a [1, *a]\n", "yaml-alias-loop", 1),
    "duplicate key in a stage": (
        MINI_SCHEDULE.replace("selesai: 2022-05-31}", "selesai: 2022-05-31, mulai: 2022-03-02}", 1),
        "yaml-key-duplicate",
        7,
    ),
    "duplicate top-level key": (MINI_SCHEDULE + "tahun_anggaran: 2023\n", "yaml-key-duplicate", 16),
    "too large": ("#" + "x" * MAX_YAML_BYTES + "\n", "yaml-too-large", None),
}


@pytest.mark.parametrize("case", list(SCHEDULE_CASES))
def test_hostile_schedule_text_is_one_problem_at_its_line(case: str) -> None:
    text, code, line = SCHEDULE_CASES[case]
    model, probs = check_schedule_text(text)
    assert model is None
    assert [p.code for p in probs] == [code]
    if line is not None:
        assert probs[0].line == line
    for lang in ("id", "en"):
        assert "{" not in probs[0].message(lang)


def test_a_duplicate_key_names_the_first_one() -> None:
    text, _, _ = SCHEDULE_CASES["duplicate top-level key"]
    (p,) = check_schedule_text(text)[1]
    assert p.message("en") == "line 16: duplicate key 'tahun_anggaran' (the first on line 1)"


def test_aliases_within_the_bound_still_work() -> None:
    """Anchors are legitimate YAML: a schedule may share a stage's fields (a merge key overriding is fine)."""
    text = MINI_SCHEDULE.replace(
        "      - {kode: L1, nama: Sosialisasi, tingkat: lokasi, mulai: 2022-04-01, selesai: 2022-05-15}",
        "      - &l1 {kode: L1, nama: Sosialisasi, tingkat: lokasi, mulai: 2022-04-01, selesai: 2022-05-15}",
    ).replace(
        "      - {kode: K1, nama: Sosialisasi, tingkat: lokasi, mulai: 2022-04-01, selesai: 2022-05-15}",
        "      - {<<: *l1, kode: K1}",
    )
    model, probs = check_schedule_text(text)
    assert probs == [] and model is not None
    assert MAX_NODES >= 9**5  # the bound is far above any real schedule (about a thousand nodes)


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (lambda t: t.replace("skor_maks: 100", "skor_maks: " + "1" * 5000), "yaml-number-invalid"),
        (lambda t: t.replace("skor_maks: 100", "skor_maks: 100\nskor_maks: 90"), "yaml-key-duplicate"),
        (lambda t: _bomb(8) + t, "yaml-too-complex"),
    ],
)
def test_hostile_rules_text(change, code: str) -> None:
    model, probs = check_rules_text(change(RULES))
    assert model is None and [p.code for p in probs] == [code]


def test_files_beyond_the_bound_or_not_regular_are_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "jadwal-nasional-2022.yaml"
    with big.open("w", encoding="utf-8") as fh:  # 3 MB: refused on its size, never parsed
        fh.write(MINI_SCHEDULE)
        fh.write("# " + "x" * 3_000_000 + "\n")
    with pytest.raises(PkpError) as err:
        load_schedule(big)
    assert int(err.value.code) == 78 and "3000" in err.value.message.replace(",", "").replace(".", "")
    fifo = tmp_path / "percepatan-2022.yaml"
    os.mkfifo(fifo)
    with pytest.raises(PkpError) as err:
        load_rules(fifo)  # would block forever if opened for reading
    assert int(err.value.code) == 78 and "FIFO" in err.value.message


@pytest.mark.parametrize("case", ["date that does not exist", "alias bomb", "3,000 nested ["])
def test_schedule_check_on_the_command_line(tmp_path: Path, case: str) -> None:
    path = tmp_path / "jadwal.yaml"
    path.write_text(SCHEDULE_CASES[case][0], encoding="utf-8")
    res = CliRunner().invoke(app, ["schedule", "--check", str(path)], env={"NO_COLOR": "1"})
    assert res.exit_code == 78, res.output
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in res.stderr, res.stderr
    assert lines[0].startswith(f"{path}: ")


def test_a_124mb_schedule_is_78_at_once_in_a_real_run(tmp_path: Path) -> None:
    path = tmp_path / "jadwal.yaml"
    with path.open("wb") as fh:
        fh.truncate(124_000_000)  # sparse: 124 MB that cost nothing to make
    res = run_pkp(["schedule", "--check", str(path)], cwd=tmp_path, timeout=30)
    assert res.returncode == 78
    assert_one_line(res.stderr, "124000000")


# ------------------------------------------------------------------------------------------ holidays file


def _config(tmp_path: Path, holidays: Path) -> dict[str, str]:
    conf = tmp_path / "xdg"
    (conf / "pkp").mkdir(parents=True)
    (conf / "pkp" / "config.toml").write_text(f'holidays_file = "{holidays}"\n', encoding="utf-8")
    return {"XDG_CONFIG_HOME": str(conf)}


def _holidays(path: Path, kind: str) -> None:
    from tests.factories import write_lokasi

    if kind == "xlsx":
        write_lokasi(path)
    elif kind == "binary":
        path.write_bytes(bytes(range(256)) * 4)
    elif kind == "utf16":  # readable: the BOM says the encoding; its bad second line makes it 78 there
        path.write_bytes("\ufeff2022-06-15,libur\nnot a date,libur\n".encode("utf-16-le"))
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    elif kind == "huge":
        with path.open("wb") as fh:
            fh.truncate(50_000_000)
    else:
        path.write_text("2022-06-15,cuti\n", encoding="utf-8")


@pytest.mark.parametrize("kind", ["xlsx", "binary", "utf16", "fifo", "folder", "huge", "bad-line"])
def test_a_hostile_holidays_file_is_78_with_one_line(tmp_path: Path, kind: str) -> None:
    from pkp_cli.ingest.holidays import read_holidays_file

    path = tmp_path / "libur.csv"
    _holidays(path, kind)
    with pytest.raises(PkpError) as err:
        read_holidays_file(path)
    assert int(err.value.code) == 78 and "\n" not in err.value.message
    assert err.value.message.startswith(f"holidays_file {path}: ")
    if kind in ("utf16", "bad-line"):
        assert ("line 2" if kind == "utf16" else "line 1") in err.value.message


def test_an_xlsx_holidays_file_in_a_real_run(tmp_path: Path) -> None:
    path = tmp_path / "libur.csv"
    _holidays(path, "xlsx")
    res = run_pkp(["readiness"], cwd=tmp_path, timeout=60, env=_config(tmp_path, path))
    assert res.returncode == 78, res.stderr
    assert_one_line(res.stderr, "CSV")
