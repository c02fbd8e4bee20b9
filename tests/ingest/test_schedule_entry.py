"""The validated schedule kept in pkp's cache folder (ingest/schedule_entry.py): the same Schedule as reading the
file, read back from the entry when the bytes are the same, read from the file again when they change, when
the entry is damaged or is not exactly what pydantic wrote, and never kept for a file with problems."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pkp_cli.errors import PkpError
from pkp_cli.ingest import schedule_entry
from pkp_cli.ingest.kept_json import MAGIC, kept_bytes, read_kept
from pkp_cli.ingest.schedule_entry import load_schedule_kept
from pkp_cli.model import yamlio
from pkp_cli.model.schedule import load_schedule
from tests.conftest import MINI_SCHEDULE
from tests.factories import ROOT


def _file(tmp_path: Path, text: str = MINI_SCHEDULE) -> Path:
    p = tmp_path / "jadwal-nasional-2022.yaml"
    p.write_text(text, encoding="utf-8")
    return p


def _entries(store: Path) -> list[Path]:
    return sorted(store.glob("pkp-schedule-*.json"))


def test_kept_and_read_back_as_the_same_schedule(tmp_path: Path) -> None:
    path, store = _file(tmp_path), tmp_path / "cache"
    plain = load_schedule(path)
    first = load_schedule_kept(path, "id", store)
    (entry,) = _entries(store)
    second = load_schedule_kept(path, "id", store)
    assert first == plain and second == plain  # model, path and sha256
    assert second.stage_table().equals(plain.stage_table())
    # Read back from the entry: a name edited in it (a test-only edit, still pydantic's own form) shows.
    entry.write_bytes(kept_bytes(_x(read_kept(entry) or ""), entry.name))  # (its checksum line made anew)
    edited = load_schedule_kept(path, "id", store)
    assert edited.model != plain.model and edited.stages()[0][1].nama.startswith("X")


def test_a_changed_file_is_read_again(tmp_path: Path) -> None:
    path, store = _file(tmp_path), tmp_path / "cache"
    load_schedule_kept(path, "id", store)
    path.write_text(MINI_SCHEDULE.replace("2022-12-31", "2022-12-30", 1), encoding="utf-8")
    changed = load_schedule_kept(path, "id", store)
    assert changed.deadline.isoformat() == "2022-12-30"  # not the kept 2022-12-31
    assert len(_entries(store)) == 2  # one entry per content


def _x(text: str) -> str:
    """A first stage name edited (X...), to see whether an entry was used."""
    return text.replace('"nama":"', '"nama":"X', 1)


@pytest.mark.parametrize(
    "damage",
    [
        lambda t: t[: len(t) // 2],  # cut short
        lambda t: "not json",
        # Lax-only forms: pydantic would read them ("false" as False, 1 as 1.0) but never writes them so.
        lambda t: _x(t).replace('"perlu_revisi_dipa":false', '"perlu_revisi_dipa":"false"'),
        lambda t: _x(t).replace('"bobot":1.0', '"bobot":1'),
    ],
)
def test_a_damaged_or_foreign_entry_is_not_used(tmp_path: Path, damage) -> None:  # type: ignore[no-untyped-def]
    path, store = _file(tmp_path), tmp_path / "cache"
    plain = load_schedule_kept(path, "id", store)
    (entry,) = _entries(store)
    good = entry.read_text(encoding="utf-8")
    text = read_kept(entry)
    assert text is not None and '"perlu_revisi_dipa":false' in text and '"bobot":1.0' in text  # the damage's forms
    assert good.startswith(MAGIC)
    entry.write_bytes(kept_bytes(damage(text), entry.name))  # pkp's entry, its JSON damaged (checksum line anew)
    again = load_schedule_kept(path, "id", store)
    assert again == plain  # from the file, no "X" name
    assert entry.read_text(encoding="utf-8") == good  # and kept anew


def test_a_changed_digit_in_a_kept_schedule_is_found_by_its_checksum(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A damaged byte that leaves valid JSON and a valid schedule (a stage's end a day later): the checksum line
    finds it; the schedule comes from the YAML, with a note, and is kept anew."""
    path, store = _file(tmp_path), tmp_path / "cache"
    plain = load_schedule_kept(path, "id", store)
    (entry,) = _entries(store)
    good = entry.read_bytes()
    assert b'"selesai":"2022-05-15"' in good
    entry.write_bytes(good.replace(b'"selesai":"2022-05-15"', b'"selesai":"2022-05-16"', 1))
    capsys.readouterr()
    assert load_schedule_kept(path, "id", store) == plain
    assert "corrupt, rebuilt" in capsys.readouterr().err
    assert entry.read_bytes() == good


def test_a_file_without_the_magic_is_neither_used_nor_overwritten(tmp_path: Path) -> None:
    # The cache folder may be a user's folder: a file under an entry's name that pkp did not write (no magic,
    # e.g. an older format's entry or a user's file) is read from the YAML around, and left as it is.
    path, store = _file(tmp_path), tmp_path / "cache"
    plain = load_schedule_kept(path, "id", store)
    (entry,) = _entries(store)
    foreign = _x(read_kept(entry) or "")  # pydantic's own form, but no magic
    entry.write_text(foreign, encoding="utf-8")
    for _ in range(2):
        assert load_schedule_kept(path, "id", store) == plain  # no "X" name: the entry was not used
    assert entry.read_text(encoding="utf-8") == foreign


def test_a_schedule_with_problems_is_refused_every_time_and_not_kept(tmp_path: Path) -> None:
    path, store = _file(tmp_path, MINI_SCHEDULE.replace("tahun_anggaran: 2022", "tahun_anggaran: NO")), tmp_path / "c"
    for _ in range(2):
        with pytest.raises(PkpError) as err:
            load_schedule_kept(path, "en", store)
        assert "tahun_anggaran" in str(err.value)
    assert _entries(store) == []


def test_without_a_store_nothing_is_kept(tmp_path: Path) -> None:
    path = _file(tmp_path)
    assert load_schedule_kept(path, "id", None) == load_schedule(path)
    assert list(tmp_path.glob("**/pkp-schedule-*")) == []


def test_the_size_bound_is_yamlio_s() -> None:
    assert schedule_entry._MAX_BYTES == yamlio.MAX_YAML_BYTES


def test_a_kept_schedule_comes_back_without_pyyaml(tmp_path: Path) -> None:
    path, store = _file(tmp_path), tmp_path / "cache"
    load_schedule_kept(path, "id", store)
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from pkp_cli.ingest.schedule_entry import load_schedule_kept\n"
        f"s = load_schedule_kept(Path({str(path)!r}), 'id', Path({str(store)!r}))\n"
        "print(s.year, 'yaml' in sys.modules)\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("PKP_")}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "2022 False"
