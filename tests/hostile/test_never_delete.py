"""pkp never deletes what it did not create, and nothing it writes carries a live formula (issue: hostile input,
the two serious items)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from pkp_cli.cli.app import app
from pkp_cli.ingest import cache
from tests.conftest import MINI_SCHEDULE
from tests.factories import output_files, write_lokasi

runner = CliRunner()


def _old_folders(where: Path, n: int) -> list[Path]:
    made = []
    for i in range(n):
        d = where / f"user-folder-{i:02d}"
        d.mkdir()
        (d / "thesis.docx").write_text("irreplaceable", encoding="utf-8")
        old = time.time() - 86_400 * (30 + i)
        os.utime(d, (old, old))
        made.append(d)
    return made


def _config(tmp_path: Path, text: str) -> dict[str, str]:
    conf = tmp_path / "xdg-config"
    (conf / "pkp").mkdir(parents=True)
    (conf / "pkp" / "config.toml").write_text(text, encoding="utf-8")
    return {"XDG_CONFIG_HOME": str(conf), "NO_COLOR": "1"}


def test_empty_cache_dir_is_a_config_error_and_deletes_nothing(tmp_path: Path) -> None:
    """The reproduction of the report: 12 old folders in the current folder, `cache_dir = ""`, a real run."""
    home = tmp_path / "work"
    home.mkdir()
    folders = _old_folders(home, 12)
    env = {**os.environ, **_config(tmp_path, 'cache_dir = ""\n')}
    env.pop("PKP_NO_CACHE", None)
    res = subprocess.run(
        [sys.executable, "-m", "pkp_cli", "status", "--province", "Bali"],
        cwd=home,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert res.returncode == 78, res.stderr
    assert "cache_dir" in res.stderr and "Traceback" not in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1
    assert all((d / "thesis.docx").is_file() for d in folders)
    assert sorted(p.name for p in home.iterdir()) == [d.name for d in folders]


@pytest.mark.parametrize("value", ['"   "', '"/etc/hostname-as-file"', '"/etc/hostname-as-file/sub"', '"LINK"'])
def test_cache_dir_blank_or_a_file_is_78(tmp_path: Path, value: str) -> None:
    """Blank, a file, a folder under a file, a link to nothing: none can hold the cache (the last two were taken as
    folders to be made, and every run was silently a cold one)."""
    a_file = tmp_path / "a-file"
    a_file.write_text("x", encoding="utf-8")
    (tmp_path / "link").symlink_to(tmp_path / "gone")
    value = value.replace("/etc/hostname-as-file", str(a_file)).replace("LINK", str(tmp_path / "link"))
    env = _config(tmp_path, f"cache_dir = {value}\n")
    res = runner.invoke(app, ["status", "--province", "Bali"], env=env)
    assert res.exit_code == 78
    assert "cache_dir" in res.stderr
    if "/" in value:  # what is in the way is named
        blocker = tmp_path / "link" if "link" in value else a_file
        assert f"{blocker} is not a folder" in res.stderr or f"{blocker}: bukan folder / not a folder" in res.stderr
    assert a_file.read_text(encoding="utf-8") == "x" and not (tmp_path / "gone").exists()


def test_pruning_touches_only_pkp_entries(tmp_path: Path) -> None:
    """A cache folder shared with a user's own folders (and look-alikes without pkp's marker): only pkp's
    entries beyond the KEEP_ENTRIES newest go."""
    folder = tmp_path / "shared"
    folder.mkdir()
    users = _old_folders(folder, 12)
    look_alike = folder / (cache.ENTRY_PREFIX + "f" * 32)  # pkp's name pattern, but no marker: not ours
    look_alike.mkdir()
    os.utime(look_alike, (1, 1))
    ours = []
    for i in range(cache.KEEP_ENTRIES + 3):
        entry = folder / f"{cache.ENTRY_PREFIX}{i:032x}"
        entry.mkdir()
        (entry / cache.MARKER).write_text(cache.MARKER_TEXT, encoding="utf-8")
        os.utime(entry, (1000 + i, 1000 + i))
        ours.append(entry)
    stale_tmp = folder / (cache.TMP_PREFIX + "abc123")
    stale_tmp.mkdir()
    (stale_tmp / cache.MARKER).write_text(cache.MARKER_TEXT, encoding="utf-8")
    os.utime(stale_tmp, (1, 1))
    cache._prune(folder)
    assert all(d.is_dir() for d in users) and look_alike.is_dir()
    assert [e.is_dir() for e in ours] == [False] * 3 + [True] * cache.KEEP_ENTRIES  # the 3 oldest of ours went
    assert not stale_tmp.exists()  # left by a killed run, carries the marker


def test_a_foreign_folder_with_the_entry_name_is_never_removed_as_corrupt(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    entry = folder / (cache.ENTRY_PREFIX + "a" * 32)
    entry.mkdir(parents=True)
    (entry / "meta.json").write_text("{}", encoding="utf-8")  # no marker: somebody else's
    assert cache.load(folder, "a" * 32) is None
    assert (entry / "meta.json").is_file()


def _file_entry(folder: Path, name: str, age_days: float, ours: bool = True, size: int = 100) -> Path:
    p = folder / name
    p.write_bytes((cache.FILE_MAGIC if ours else b"my own notes\n") + b"x" * size)
    old = time.time() - 86_400 * age_days
    os.utime(p, (old, old))
    return p


@pytest.mark.parametrize("bound", ["count", "bytes"])
def test_file_entry_pruning_touches_only_pkp_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bound: str) -> None:
    """Per-file entries share the cache folder with a user's files and look-alikes: over a bound, only pkp's own
    file entries go, oldest first; a look-alike (pkp's name, not its magic bytes) and a symlink are not touched
    nor counted."""
    folder = tmp_path / "shared"
    folder.mkdir()
    users = _old_folders(folder, 3)
    notes = _file_entry(folder, "notes.txt", 90, ours=True)  # pkp's bytes but not its name: not ours
    look_alike = _file_entry(folder, f"{cache.FILE_PREFIX}{'e' * 32}{cache.FILE_SUFFIX}", 99, ours=False)
    elsewhere = _file_entry(tmp_path, f"{cache.FILE_PREFIX}{'d' * 32}{cache.FILE_SUFFIX}", 98)
    link = folder / elsewhere.name
    link.symlink_to(elsewhere)
    ours = [_file_entry(folder, f"{cache.FILE_PREFIX}{i:032x}{cache.FILE_SUFFIX}", 50 - i) for i in range(5)]
    stale_tmp = _file_entry(folder, cache.FILE_TMP_PREFIX + "abc123", 2)
    user_tmp = _file_entry(folder, cache.FILE_TMP_PREFIX + "mine", 2, ours=False)
    if bound == "count":
        monkeypatch.setattr(cache, "MAX_FILE_ENTRIES", 2)
    else:
        # Each of ours is len(FILE_MAGIC) + 100 bytes: two fit.
        monkeypatch.setattr(cache, "MAX_FILE_BYTES", 2 * (len(cache.FILE_MAGIC) + 100) + 10)
    cache.prune_files(folder)
    assert all((d / "thesis.docx").is_file() for d in users)
    assert notes.is_file() and look_alike.is_file() and link.is_symlink() and elsewhere.is_file() and user_tmp.is_file()
    assert [p.exists() for p in ours] == [False, False, False, True, True]  # the three oldest of ours went
    assert not stale_tmp.exists()  # left by a killed run, carries the magic


def test_a_foreign_file_with_a_file_entry_name_is_never_removed_nor_overwritten(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import pyarrow as pa

    folder = tmp_path / "c"
    folder.mkdir()
    key = "b" * 32
    foreign = folder / f"{cache.FILE_PREFIX}{key}{cache.FILE_SUFFIX}"
    foreign.write_bytes(b"somebody else's data")
    assert cache.load_file(folder, key) is None
    assert "not pkp's, left alone (no pkp marker)" in capsys.readouterr().err  # (was "corrupt, rebuilt": never was)
    assert cache.save_file(folder, key, {"x": 1}, {"t": pa.table({"a": [1]})}) == 0
    assert foreign.read_bytes() == b"somebody else's data"
    assert [p.name for p in folder.iterdir()] == [foreign.name]  # no temporary file left behind


def test_rejects_workbook_never_holds_a_formula_anywhere(tmp_path: Path) -> None:
    """Headers, data cells and sheet names from a hostile CSV and xlsx: every written cell is text or a number."""
    data = tmp_path / "data"
    (data / "progres" / "2022-05-20").mkdir(parents=True)
    write_lokasi(data / "lokasi.xlsx")
    (data / "progres" / "2022-05-20" / "bali.csv").write_text(
        "Kode Lokasi;Program;Tahapan;Tanggal Mulai;=1+1;@SUM(A1)\n"
        "51.04.01;PISEW;L1;01/05/2022;=2+2;+3\n"
        '51.04.01;PISEW;L1;31/02/2022;-4-4;=HYPERLINK("http://x")\n',
        encoding="utf-8",
    )
    wb = openpyxl.load_workbook(data / "lokasi.xlsx")
    wb["PISEW"]["J1"] = "=1+1"
    wb["PISEW"]["J1"].data_type = "s"  # a header that is text in the source but looks like a formula
    wb.save(data / "lokasi.xlsx")
    (tmp_path / "schedules").mkdir()
    (tmp_path / "schedules" / "jadwal-nasional-2022.yaml").write_text(MINI_SCHEDULE, encoding="utf-8")
    out = tmp_path / "ditolak"
    res = runner.invoke(app, ["validate", "--data", str(data), "--rejects", str(out)], env={"NO_COLOR": "1"})
    assert res.exit_code == 65, res.output
    written = [out / name for name in output_files(out)]
    assert [p.name for p in written] == ["bali-ditolak.xlsx", "lokasi-ditolak.xlsx"]
    seen = set()
    for path in written:
        book = openpyxl.load_workbook(path)
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for c in row:
                    assert c.data_type in ("s", "n"), (path.name, c.coordinate, c.value)
                    seen.add(c.value)
    assert {"=1+1", "@SUM(A1)", '=HYPERLINK("http://x")'} <= seen  # kept as the sender wrote them, as text


def test_long_cells_are_cut_with_a_note(tmp_path: Path) -> None:
    from pkp_cli.render.xlsx import EXCEL_CELL_MAX, clip

    long = "x" * (EXCEL_CELL_MAX + 5)
    assert clip(long) == ("x" * EXCEL_CELL_MAX, True)
    assert clip("short") == ("short", False) and clip(7) == (7, False)


def test_the_writer_never_emits_a_cell_excel_refuses(tmp_path: Path) -> None:
    """Text of any length and any character: the workbook opens, every cell within Excel's 32,767 characters,
    control characters kept through OOXML's _xHHHH_ escape (calamine reads them back)."""
    import fastexcel

    from pkp_cli.render.xlsx import EXCEL_CELL_MAX, write_table_workbook

    long = "y" * (EXCEL_CELL_MAX + 10)
    rows = [[long], ["a\x00b\x1f<&>_x0041_"], [float("nan")], [7], ["=1+1"], ["#N/A"], [True]]
    write_table_workbook(tmp_path / "w.xlsx", [("s", ["h"], rows)])
    book = openpyxl.load_workbook(tmp_path / "w.xlsx")
    cells = [c for row in book.worksheets[0].iter_rows() for c in row]
    assert cells[1].value == "y" * EXCEL_CELL_MAX and cells[3].value == "nan" and cells[4].value == 7
    # a formula and an error value as typed by the sender: text cells, never evaluated; a bool is its text
    assert [(c.value, c.data_type) for c in cells[5:]] == [("=1+1", "s"), ("#N/A", "s"), ("True", "s")]
    back = fastexcel.read_excel(str(tmp_path / "w.xlsx")).load_sheet(0, header_row=None).to_arrow().column(0)
    assert back[2].as_py() == "a\x00b\x1f<&>_x0041_"


@pytest.mark.parametrize("kind", ["fifo", "folder", "huge", "nested"])
def test_a_config_file_that_is_no_small_regular_file_is_78(tmp_path: Path, kind: str) -> None:
    """A FIFO would block the read, a huge file would be read whole, deep nesting recursed: each is one line, 78."""
    conf = tmp_path / "xdg-config" / "pkp"
    conf.mkdir(parents=True)
    target = conf / "config.toml"
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "folder":
        target.mkdir()
    elif kind == "huge":
        target.write_text("# " + "x" * 70_000 + "\n", encoding="utf-8")
    else:
        target.write_text("a = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    res = runner.invoke(app, ["config"], env={"XDG_CONFIG_HOME": str(tmp_path / "xdg-config"), "NO_COLOR": "1"})
    assert res.exit_code == 78, res.output
    assert "config.toml" in res.stderr and "Traceback" not in res.stderr
