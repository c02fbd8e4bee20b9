"""CSV variants of the second hostile round: a quote never closed in the header line itself (the headers after
it cut into one cell made a progress file pass as a location list: its rows vanished into one location, exit 0),
and a file separated by "|"."""

from __future__ import annotations

from pathlib import Path

import pytest

from pkp_cli.ingest.read import FileProblem, read_file
from pkp_cli.ingest.sheets import read_sheets
from tests.hostile.corpus import HEADER, assert_csv_accounted, data_folder, load, run_pkp

ROWS = "51.04.01;PISEW;L1;01/03/2022;a\n51.04.01;PISEW;L2;01/04/2022;b\n51.04.02;PISEW;L1;01/05/2022;c\n"


@pytest.mark.parametrize(
    "header",
    [
        'Kode Lokasi;"Program;Tahapan;Tanggal Mulai;Keterangan',  # B1 opens a quote never closed
        '"Kode Lokasi;Program;Tahapan;Tanggal Mulai;Keterangan',  # A1
        'Kode Lokasi;Program;"Tahapan;Tanggal Mulai;Keterangan\r',  # C1, CRLF file
    ],
    ids=["B1", "A1-no-table-found", "C1-crlf"],
)
def test_unclosed_quote_in_the_header_line_refuses_the_file(tmp_path: Path, mini_schedule, header: str) -> None:
    path = tmp_path / "progres-bali.csv"
    path.write_bytes((header + "\n" + ROWS).encode())
    with pytest.raises(FileProblem) as err:
        read_sheets(path, path.name, mini_schedule, 1024)
    assert err.value.code == "csv-header-quote-unclosed" and err.value.params["line"] == 1


def test_unclosed_header_quote_is_66_on_the_command_line(tmp_path: Path) -> None:
    data = data_folder(tmp_path)
    bad = data / "progres-bali-2022-05-20.csv"
    bad.write_text('Kode Lokasi;"Program;Tahapan;Tanggal Mulai;Keterangan\n' + ROWS, encoding="utf-8")
    res = run_pkp(["validate", "--data", str(data)], cwd=tmp_path)
    assert res.returncode == 66, res.stderr
    assert "progres-bali-2022-05-20.csv" in res.stderr and "Traceback" not in res.stderr


def test_a_quote_broken_above_the_header_is_still_a_warning(tmp_path: Path, mini_schedule) -> None:
    """A title line with a broken quote is read alone; the header after it is whole, the rows load."""
    data = data_folder(tmp_path)
    (data / "bali.csv").write_text('"LAPORAN PROGRES\n' + HEADER + "\n" + ROWS, encoding="utf-8")
    r = load([data], mini_schedule)
    assert_csv_accounted(r, "bali.csv", 3)  # the title line is above the header: no record
    assert len(r.progres[r.progres["kode_lokasi"] == "51.04.01"]) == 2


def test_pipe_separated_csv_is_read(tmp_path: Path, mini_schedule) -> None:
    data = data_folder(tmp_path)
    (data / "bali.csv").write_text((HEADER + "\n" + ROWS).replace(";", "|"), encoding="utf-8")
    r = load([data], mini_schedule)
    assert_csv_accounted(r, "bali.csv", 3)
    assert sorted(r.progres["tahapan"]) == ["L1", "L1", "L2"]


def test_pipe_in_text_does_not_beat_semicolons(tmp_path: Path) -> None:
    path = tmp_path / "bali.csv"
    path.write_text(HEADER + "\n" + ROWS.replace(";a", ";a|b|c"), encoding="utf-8")
    (sheet,) = read_file(path)
    assert sheet.grid.shape[1] == 5


@pytest.mark.parametrize(
    "content",
    [b"\0" * 4096, bytes(range(256)) * 8, b"\x01\x02\x03\x04" * 100],
    ids=["zeroed", "binary", "control-bytes"],
)
def test_a_csv_that_is_no_text_is_refused(tmp_path: Path, content: bytes) -> None:
    """A file zeroed by a crash or an unfinished sync was "no pkp table", exit 0: now 66, naming the file."""
    path = tmp_path / "progres-bali.csv"
    path.write_bytes(content)
    with pytest.raises(FileProblem) as err:
        read_file(path)
    assert err.value.code == "file-not-workbook"


def test_a_few_nul_bytes_in_a_text_csv_still_load(tmp_path: Path, mini_schedule) -> None:
    data = data_folder(tmp_path)
    (data / "bali.csv").write_bytes((HEADER + "\n" + ROWS.replace(";a", ";a\0")).encode() + b"\0\0\0\n")
    r = load([data], mini_schedule)
    assert_csv_accounted(r, "bali.csv", 4)  # the three rows and the NUL line, which is rejected at its cell
