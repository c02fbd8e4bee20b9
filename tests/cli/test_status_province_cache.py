"""The province `pkp status --province` tables kept in the cache (issue 13: a warm `pkp status --province Bali`
within 0.25 s of importing pandas): the second run prints them without computing them, without reading the
status frame (the provinces' names are kept beside it) and without reading the progress history; every part of
their key (the query, the status date, the schedule, the data) makes another entry; a damaged entry is rebuilt
with a note; and every output format is the same with the entries, without them, and with the cache off."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pkp_cli.cli.app import app
from pkp_cli.ingest import cache
from pkp_cli.views import status as view
from tests.factories import ROOT

runner = CliRunner()
KIND = "status-province"
NAMES = "status-provinces"
FORMATS = ["json", "csv", "markdown", "table"]


@pytest.fixture(scope="module")
def warmed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A copy of the bundled sample and a cache holding its load and status, without any kept tables."""
    root = tmp_path_factory.mktemp("province-cache")
    shutil.copytree(ROOT / "data", root / "data")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(root / "xdg"))
        mp.setenv("XDG_CONFIG_HOME", str(root / "no-config"))
        _run(root / "data", ROOT / "schedules" / "jadwal-nasional-2022.yaml", "--as-of", "2022-06-03")
    for p in _kept(root / "xdg" / "pkp", KIND) + _kept(root / "xdg" / "pkp", NAMES):
        p.unlink()  # the load and the status stay; the province tables and names are each test's to make
    return root / "data", root / "xdg"


class Sample:
    def __init__(self, data: Path, schedule: Path, store: Path) -> None:
        self.data, self.schedule, self.store = data, schedule, store

    def run(self, *args: str, fmt: str = "json", cache_on: bool = True, province: str = "Bali") -> tuple[str, str]:
        return _run(self.data, self.schedule, "--province", province, *args, fmt=fmt, cache_on=cache_on)

    def kept(self, kind: str = KIND) -> list[Path]:
        return _kept(self.store, kind)


@pytest.fixture
def sample(warmed: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Sample:
    """The warmed sample with a cache of this test's own (a copy) and a schedule of its own (same content)."""
    data, xdg = warmed
    shutil.copytree(xdg, tmp_path / "xdg")
    schedule = tmp_path / "jadwal-nasional-2022.yaml"
    shutil.copy(ROOT / "schedules" / "jadwal-nasional-2022.yaml", schedule)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "no-config"))
    monkeypatch.delenv("PKP_NO_CACHE", raising=False)
    return Sample(data, schedule, tmp_path / "xdg" / "pkp")


def _run(data: Path, schedule: Path, *args: str, fmt: str = "json", cache_on: bool = True) -> tuple[str, str]:
    env = {"NO_COLOR": "1", "COLUMNS": "120", "PKP_NO_CACHE": None if cache_on else "1"}
    res = runner.invoke(app, ["status", "--data", str(data), "--schedule", str(schedule), "-f", fmt, *args], env=env)
    assert res.exit_code == 0, res.output
    return res.stdout, res.stderr


def _kept(store: Path, kind: str) -> list[Path]:
    """The entries of one kind of kept tables in the cache (file entries whose header says so)."""
    found = []
    for p in sorted(store.glob("pkp-file-*.pkpc")) if store.is_dir() else []:
        entry = cache.load_file(store, p.name[len("pkp-file-") : -len(".pkpc")])
        if entry is not None and entry[0].get("derived") == kind:
            found.append(p)
    return found


def _refuse(*args: object, **kwargs: object) -> None:
    raise AssertionError("computed or read again: the warm run should have used the kept province tables")


def test_a_warm_province_run_reads_only_the_kept_tables(sample: Sample, monkeypatch: pytest.MonkeyPatch) -> None:
    first = {fmt: sample.run(fmt=fmt)[0] for fmt in FORMATS}
    # one entry of tables and one of names for the four formats: they hold data, not text
    assert len(sample.kept()) == 1 and len(sample.kept(NAMES)) == 1
    assert '"provinsi": "Bali"' in first["json"] and "deviasi +15,9" in first["table"]
    # The warm run neither computes the tables, nor reads the status entry, nor reads a loaded frame.
    monkeypatch.setattr(view, "province_tables", _refuse)
    monkeypatch.setattr(cache, "load_frame", _refuse)
    monkeypatch.setattr(cache, "_read_frame", _refuse)
    for fmt in FORMATS:
        assert sample.run(fmt=fmt)[0] == first[fmt], fmt
    monkeypatch.undo()
    # The same text with the cache off (computed from the loaded frames).
    for fmt in FORMATS:
        assert sample.run(fmt=fmt, cache_on=False)[0] == first[fmt], fmt


def test_english_and_other_tables_use_the_same_entry(sample: Sample, monkeypatch: pytest.MonkeyPatch) -> None:
    """The kept tables hold codes and numbers: --lang en and --table are only other renderings of the entry."""
    sample.run()
    english = sample.run("--lang", "en", fmt="table", cache_on=False)[0]
    kab = sample.run("--table", "kabupaten", fmt="csv", cache_on=False)[0]
    monkeypatch.setattr(view, "province_tables", _refuse)
    assert sample.run("--lang", "en", fmt="table")[0] == english
    assert sample.run("--table", "kabupaten", fmt="csv")[0] == kab
    assert "deviation +15.9" in english and "kode_kabupaten" in kab.splitlines()[0] and "51.01" in kab
    assert len(sample.kept()) == 1


def _edit_schedule(sample: Sample) -> None:
    text = sample.schedule.read_text(encoding="utf-8")
    # PSW-01's window ends a week earlier: the planned shares of every province change.
    sample.schedule.write_text(text.replace("selesai: 2022-03-31", "selesai: 2022-03-24", 1), encoding="utf-8")


def _drop_a_report(sample: Sample) -> None:
    # A copy of the data without Bali's report of 3 June: Bali's newest report is 27 May, and its figures then.
    copy = sample.store.parent.parent / "data"
    shutil.copytree(sample.data, copy)
    (copy / "progres" / "2022-06-03" / "progres-bali-2022-06-03.xlsx").unlink()
    sample.data = copy


@pytest.mark.parametrize(
    ("args", "change"),
    [
        (["--as-of", "2022-05-27"], None),
        (["--program", "PISEW"], None),
        (["--stage", "PSW-03"], None),
        (["--late-only"], None),
        (["--province", "Sulsel"], None),
        ([], _edit_schedule),
        ([], _drop_a_report),
    ],
    ids=["as-of", "program", "stage", "late-only", "second-province", "schedule", "data"],
)
def test_each_key_part_makes_another_entry(sample: Sample, args: list[str], change, monkeypatch) -> None:
    base = sample.run()[0]
    assert len(sample.kept()) == 1
    calls: list[int] = []
    real = view.province_tables

    def counting(*a, **k):
        calls.append(1)
        return real(*a, **k)

    monkeypatch.setattr(view, "province_tables", counting)
    if change is not None:
        change(sample)
    warm = sample.run(*args)[0]
    assert calls == [1]  # computed again, not taken from the first entry
    assert len(sample.kept()) == 2
    assert warm != base  # each of these changes what the report shows
    assert warm == sample.run(*args, cache_on=False)[0]  # what pkp computes without the cache
    calls.clear()
    again = sample.run(*args)[0]
    assert calls == [] and again == warm  # and the new entry serves the next run


def test_the_names_entry_resolves_every_province_of_the_data(sample: Sample) -> None:
    """One names entry serves every --province: another province, a short name, an unknown name's suggestion."""
    sample.run()
    (names,) = sample.kept(NAMES)
    assert '"provinsi": "Sulawesi Selatan"' in sample.run(province="Sulsel")[0]
    res = runner.invoke(app, ["status", "--data", str(sample.data), "--schedule", str(sample.schedule),
                              "--province", "Balii"], env={"NO_COLOR": "1"})  # fmt: skip
    assert res.exit_code == 2 and "--province Balii: tidak dikenal (maksud Anda: Bali, " in res.stderr
    assert sample.kept(NAMES) == [names]


def test_a_damaged_entry_is_rebuilt_with_a_note(sample: Sample) -> None:
    base = sample.run()[0]
    for kind in (KIND, NAMES):
        (entry,) = sample.kept(kind)
        entry.write_bytes(entry.read_bytes()[: entry.stat().st_size // 2])
        out, err = sample.run()
        assert "corrupt, rebuilt" in err and out == base, kind
        assert len(sample.kept(kind)) == 1  # written again, whole
        out, err = sample.run()
        assert "corrupt" not in err and out == base


def test_a_foreign_entry_under_the_key_is_not_used(sample: Sample) -> None:
    """A national tables entry under the province key: not trusted, rebuilt with the note."""
    base = sample.run()[0]
    (entry,) = sample.kept()
    key = entry.name[len("pkp-file-") : -len(".pkpc")]
    header, tables = cache.load_file(sample.store, key)
    cache.save_file(sample.store, key, {**header, "derived": "status-national"}, tables)
    out, err = sample.run()
    assert "corrupt, rebuilt" in err and out == base
