"""`discover.holds_workbook`: whether a folder holds a file pkp would read (how `./data` is chosen over the
bundled sample), with the same verdicts as a scan, stopping at the first file to read instead of opening every
workbook of the folder to check pkp's marker (issue 13: the sample's 66 workbooks on every run)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from pkp_cli.ingest import discover
from pkp_cli.ingest.discover import holds_workbook, scan


def _workbook(path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active.append(["kode_lokasi", "nama"])
    wb.save(path)


def _pkp_written(path: Path) -> None:
    from pkp_cli.render.xlsx import write_table_workbook

    write_table_workbook(path, [("x", ["a"], [["1"]])])


def _agrees(folder: Path) -> bool:
    got = holds_workbook(folder)
    assert got == bool(scan([folder]).files)  # the same answer as a whole scan
    return got


def test_only_files_pkp_would_not_read_is_no_data_folder(tmp_path: Path) -> None:
    d = tmp_path / "data"
    (d / "sub").mkdir(parents=True)
    (d / "~$bali.xlsx").write_bytes(b"lock")  # Excel's lock file
    (d / ".hidden.xlsx").write_bytes(b"x")  # hidden
    (d / "catatan.txt").write_text("x")  # not a workbook
    _pkp_written(d / "sub" / "laporan.xlsx")  # pkp's own output
    assert not _agrees(d)
    _workbook(d / "sub" / "bali.xlsx")  # one workbook to read, in a subfolder
    assert _agrees(d)


def test_not_a_folder(tmp_path: Path) -> None:
    assert not holds_workbook(tmp_path / "missing")
    (tmp_path / "bali.xlsx").write_bytes(b"x")
    assert not holds_workbook(tmp_path / "bali.xlsx")  # a file is no data folder
    assert _agrees(tmp_path) is True  # ... but the folder holding it is


def test_stops_at_the_first_workbook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("a.xlsx", "b.xlsx", "c.xlsx", "d.xlsx"):
        _workbook(tmp_path / name)
    opened: list[Path] = []
    real = discover._written_by_pkp

    def counting(path: Path) -> bool:
        opened.append(path)
        return real(path)

    monkeypatch.setattr(discover, "_written_by_pkp", counting)
    assert holds_workbook(tmp_path)
    assert len(opened) == 1  # one marker check, not four
    opened.clear()
    assert len(scan([tmp_path]).files) == 4 and len(opened) == 4  # a scan still checks each
