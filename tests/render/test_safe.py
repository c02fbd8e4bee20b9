"""Files pkp writes: the permissions the user's umask gives (not the temporary file's 0600), whole or not at all,
and a failed write is exit 73 naming the file."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest

from pkp_cli.errors import Exit, PkpError
from pkp_cli.model.provenance import WRITTEN_NAME
from pkp_cli.render.safe import atomic_write, atomic_write_text


@pytest.fixture
def umask() -> Iterator[None]:
    old = os.umask(0o022)
    os.umask(old)
    yield
    os.umask(old)


@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o027, 0o640), (0o002, 0o664), (0o077, 0o600)])
def test_written_files_get_the_umask_permissions(tmp_path: Path, umask: None, mask: int, mode: int) -> None:
    os.umask(mask)
    path = tmp_path / "laporan.md"
    atomic_write_text(path, "isi\n")
    assert stat.S_IMODE(path.stat().st_mode) == mode  # 0666 & ~umask, as open() would give
    assert path.read_text() == "isi\n"


def test_rejects_workbooks_are_readable_by_colleagues(tmp_path: Path, umask: None) -> None:
    """`validate --rejects` wrote 0600 files before (mkstemp's mode): unreadable on a shared folder."""
    from typer.testing import CliRunner

    from pkp_cli.cli.app import app

    os.umask(0o022)
    bad = tmp_path / "progres-bali-2022-06-03.csv"
    bad.write_text("Kode Lokasi;Program;Tahapan;Tanggal Mulai\n51;PISEW;PSW-01;32/13/2022\n", encoding="utf-8")
    out = tmp_path / "ditolak"
    res = CliRunner().invoke(app, ["validate", str(bad), "--rejects", str(out)], env={"NO_COLOR": "1"})
    assert res.exit_code == 65, res.output
    (written,) = out.glob("*-ditolak.xlsx")
    assert stat.S_IMODE(written.stat().st_mode) == 0o644


def test_a_failed_write_names_the_file_and_leaves_nothing(tmp_path: Path) -> None:
    path = tmp_path / "bali.xlsx"

    def disk_full(fh: IO[bytes]) -> None:
        fh.write(b"half")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with pytest.raises(PkpError) as err:
        atomic_write(path, disk_full)
    assert err.value.code == Exit.CANT_WRITE
    assert str(path) in err.value.message and os.strerror(errno.ENOSPC) in err.value.message
    assert list(tmp_path.iterdir()) == []  # neither the file nor its temporary copy


def test_a_failed_write_keeps_the_previous_file_whole(tmp_path: Path) -> None:
    path = tmp_path / "bali.md"
    atomic_write_text(path, "minggu lalu\n")

    def interrupted(fh: IO[bytes]) -> None:
        fh.write(b"setengah")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        atomic_write(path, interrupted)
    assert path.read_text() == "minggu lalu\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".pkp-written.json", "bali.md"]  # no temporary file


# --- pkp overwrites only what it wrote ------------------------------------------------------------------------


def test_a_file_pkp_did_not_write_is_never_overwritten(tmp_path: Path) -> None:
    """A colleague's notes named bali.md in the output folder were replaced by the pack without a word."""
    mine = tmp_path / "bali.md"
    mine.write_text("catatan saya\n")
    with pytest.raises(PkpError) as err:
        atomic_write_text(mine, "paket\n")
    assert err.value.code == Exit.CANT_WRITE and str(mine) in err.value.message
    assert "tidak ditulis pkp" in err.value.message and "did not write" in err.value.message
    assert mine.read_text() == "catatan saya\n" and sorted(p.name for p in tmp_path.iterdir()) == ["bali.md"]


def test_pkp_replaces_its_own_file_until_someone_changes_it(tmp_path: Path) -> None:
    path = tmp_path / "bali.md"
    atomic_write_text(path, "minggu 21\n")
    atomic_write_text(path, "minggu 22\n")  # its own, unchanged: replaced
    assert path.read_text() == "minggu 22\n"
    os.utime(path, ns=(0, 0))  # touched (a copy that kept the bytes): still its own by content
    atomic_write_text(path, "minggu 23\n")
    assert path.read_text() == "minggu 23\n"
    path.write_text("minggu 23, dengan catatan rapat\n")  # edited by a person: theirs now
    with pytest.raises(PkpError):
        atomic_write_text(path, "minggu 24\n")
    assert path.read_text() == "minggu 23, dengan catatan rapat\n"


@pytest.mark.parametrize(
    "record", ["", "{", "[]", '{"generator": "bukan-pkp", "files": {"bali.md": {}}}', "x" * 5_000_000]
)
def test_a_record_that_is_not_pkps_vouches_for_nothing(tmp_path: Path, record: str) -> None:
    """A broken, foreign or oversized record (truncated by a crash, written by someone else) proves nothing."""
    (tmp_path / WRITTEN_NAME).write_text(record)
    mine = tmp_path / "bali.md"
    mine.write_text("catatan saya\n")
    with pytest.raises(PkpError):
        atomic_write_text(mine, "paket\n")
    assert mine.read_text() == "catatan saya\n"


def test_a_symlink_or_folder_in_the_way_is_not_pkps(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.md"
    target.write_text("milik orang lain\n")
    atomic_write_text(tmp_path / "bali.md", "paket\n")
    (tmp_path / "bali.md").unlink()
    (tmp_path / "bali.md").symlink_to(target)  # the record still names bali.md, but this is a link now
    with pytest.raises(PkpError):
        atomic_write_text(tmp_path / "bali.md", "paket\n")
    assert target.read_text() == "milik orang lain\n" and (tmp_path / "bali.md").is_symlink()
    (tmp_path / "ringkasan.md").mkdir()
    with pytest.raises(PkpError):
        atomic_write_text(tmp_path / "ringkasan.md", "paket\n")
