"""CSV that breaks the readers' assumptions: quotes never closed, huge fields, UTF-16/32, a workbook named .csv.

Each case: nothing is swallowed (every line after the header is loaded, rejected at its address or skipped,
counted by hand in the comments and by `csv_records_by_line` independently of pkp), and a problem is said at
the line where it starts.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pkp_cli.ingest.read import FileProblem, read_file
from tests.hostile.corpus import (
    HEADER,
    assert_csv_accounted,
    cells,
    csv_records_by_line,
    data_folder,
    load,
    progres_xlsx,
)

UNCLOSED = (
    HEADER + "\n"
    "51.04.01;PISEW;L1;01/03/2022;ok\n"  # line 2: loaded
    '51.04.02;PISEW;L1;"oops;x\n'  # line 3: the quote in D3 is never closed
    "51.04.01;PISEW;L2;xx/03/2022;bad date\n"  # line 4: read on its own: date-invalid at D4
    "51.04.01;PISEW;L3;01/07/2022;ok\n"  # line 5: loaded
)


def test_unclosed_quote_is_an_error_at_its_line_and_the_lines_after_it_are_read(tmp_path: Path, mini_schedule) -> None:
    data = data_folder(tmp_path)
    (data / "bali.csv").write_text(UNCLOSED, encoding="utf-8")
    r = load([data], mini_schedule)
    # Before: one record (line 2) and the rest swallowed into D3; now 4 records, 2 of them rejected.
    assert_csv_accounted(r, "bali.csv", 4)
    got = cells(r.errors, "bali.csv")
    assert ("D3", "csv-quote-unclosed") in got and ("D4", "date-invalid") in got
    assert {i.row for i in r.errors if i.file.endswith("bali.csv")} == {3, 4}
    d3 = next(i for i in r.errors if i.cell == "D3")
    assert d3.value == "oops;x" and "not closed" in d3.message("en")
    assert sorted(r.progres["tahapan"]) == ["L1", "L3"]


@pytest.mark.parametrize(
    ("body", "bad_cell", "records"),
    [
        # The last line, no newline at the end of the file: the quote runs into the end of the data.
        ('51.04.01;PISEW;L1;01/03/2022;ok\n51.04.01;PISEW;L2;01/04/2022;"never closed', "E3", 2),
        # A quote that closes only on a later line, followed by text: it had swallowed line 3.
        ('51.04.01;PISEW;L1;01/03/2022;"oops\n51.04.01;PISEW;L2;01/04/2022;"x"y\n', "E2", 2),
        # In the No column, which pkp does not read: the whole line stays in that one cell, so the row has no
        # code and is skipped as a heading, with the broken quote named at A2 (a warning: no record to reject).
        ('"1;51.04.01;PISEW;L1;01/03/2022;ok\n2;51.04.01;PISEW;L2;01/04/2022;ok\n', "A2", 2),
    ],
)
def test_broken_quotes_anywhere(tmp_path: Path, mini_schedule, body: str, bad_cell: str, records: int) -> None:
    data = data_folder(tmp_path)
    header = ("No;" if bad_cell == "A2" else "") + HEADER
    (data / "bali.csv").write_text(header + "\n" + body, encoding="utf-8")
    r = load([data], mini_schedule)
    assert_csv_accounted(r, "bali.csv", records)
    assert (bad_cell, "csv-quote-unclosed") in cells(r.errors, "bali.csv") | cells(r.warnings, "bali.csv")
    assert next(f for f in r.files if f.path.endswith("bali.csv")).total("rows_loaded") == 1  # the good line


def test_a_broken_quote_on_the_header_line_is_a_warning_at_its_cell(tmp_path: Path, mini_schedule) -> None:
    data = data_folder(tmp_path)
    text = 'Kode Lokasi;Program;Tahapan;"Tanggal Mulai\n51.04.01;PISEW;L1;01/03/2022\n'
    (data / "bali.csv").write_text(text, encoding="utf-8")
    r = load([data], mini_schedule)
    assert_csv_accounted(r, "bali.csv", 1)
    assert ("D1", "csv-quote-unclosed") in cells(r.warnings, "bali.csv")  # no record there to reject
    assert next(f for f in r.files if f.path.endswith("bali.csv")).total("rows_loaded") == 1


def test_quoted_line_breaks_and_inner_quotes_still_load(tmp_path: Path, mini_schedule) -> None:
    data = data_folder(tmp_path)
    text = (
        HEADER + "\n"
        '51.04.01;PISEW;L1;01/03/2022;"two\nlines"\n'  # one record on lines 2-3
        '51.04.01;PISEW;L2;01/04/2022;"a"b\n'  # a quote closed early on its own line: read as ab
    )
    (data / "bali.csv").write_text(text, encoding="utf-8")
    r = load([data], mini_schedule)
    assert cells(r.errors, "bali.csv") == set()
    assert sorted(r.progres["keterangan"]) == ["ab", "two\nlines"]
    assert sorted(r.progres["tahapan"]) == ["L1", "L2"]


@pytest.mark.parametrize("force_exact_reader", [False, True])
def test_a_field_over_131072_characters_is_loaded_or_rejected_at_its_cell(
    tmp_path: Path, mini_schedule, force_exact_reader: bool
) -> None:
    long = "x" * 200_000
    data = data_folder(tmp_path)
    lines = [HEADER, f"51.04.01;PISEW;L1;01/03/2022;{long}", f"51.04.01;PISEW;L2;{long};ok"]
    if force_exact_reader:  # a quoted line break sends the file to the csv module (field_size_limit)
        lines.append('51.04.01;PISEW;L3;01/07/2022;"a\nb"')
    (data / "bali.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    r = load([data], mini_schedule)
    assert_csv_accounted(r, "bali.csv", 3 if force_exact_reader else 2)
    assert cells(r.errors, "bali.csv") == {("D3", "date-invalid")}
    assert r.progres.loc[r.progres["tahapan"] == "L1", "keterangan"].iloc[0] == long


TEXT = [
    ["Kode Lokasi", "Program", "Tahapan", "Tanggal Mulai", "Keterangan"],
    ["51.04.01", "PISEW", "L1", "01/03/2022", "Jl. Raya – Dénpasar"],
    ["51.04.02", "PISEW", "L2", "02/05/2022", "ü ok"],
]


@pytest.mark.parametrize(
    ("encoding", "bom", "delim", "suffix"),
    [
        ("utf-16-le", b"\xff\xfe", ";", ".csv"),
        ("utf-16-be", b"\xfe\xff", ";", ".csv"),
        ("utf-16-le", b"\xff\xfe", "\t", ".txt"),  # Excel's "Unicode Text"
        ("utf-16-le", b"\xff\xfe", "\t", ".csv"),
        ("utf-16-le", b"", ";", ".csv"),  # no BOM: told by the zero bytes
        ("utf-16-be", b"", ",", ".csv"),
        ("utf-32-le", b"\xff\xfe\x00\x00", ";", ".csv"),
        ("utf-8", b"\xef\xbb\xbf", ";", ".csv"),
    ],
)
def test_every_unicode_encoding_is_read(
    tmp_path: Path, mini_schedule, encoding: str, bom: bytes, delim: str, suffix: str
) -> None:
    data = data_folder(tmp_path)
    text = "\r\n".join(delim.join(row) for row in TEXT) + "\r\n"
    path = data / f"bali{suffix}"
    path.write_bytes(bom + text.encode(encoding))
    r = load([data] if suffix == ".csv" else [data / "lokasi.xlsx", path], mini_schedule)
    assert_csv_accounted(r, path.name, 2)
    assert cells(r.errors, path.name) == set()
    assert sorted(r.progres["keterangan"]) == ["Jl. Raya – Dénpasar", "ü ok"]


def test_an_xlsx_saved_under_a_csv_name_is_read_as_a_workbook(tmp_path: Path, mini_schedule) -> None:
    import datetime as dt

    data = data_folder(tmp_path)
    progres_xlsx(data / "bali.csv", [dt.datetime(2022, 3, 1), dt.datetime(2022, 5, 2)])
    r = load([data], mini_schedule)
    report = next(f for f in r.files if f.path.endswith("bali.csv"))
    assert report.sheets[0].name == "Progres" and report.total("rows_loaded") == 2


def test_an_old_xls_or_encrypted_file_named_csv_is_66_with_a_reason(tmp_path: Path) -> None:
    path = tmp_path / "bali.csv"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    with pytest.raises(FileProblem) as err:
        read_file(path)
    assert err.value.code == "file-ole"


def test_binary_noise_named_csv_is_listed_never_a_crash(tmp_path: Path, mini_schedule) -> None:
    import random

    data = data_folder(tmp_path)
    rng = random.Random(8)
    (data / "noise.csv").write_bytes(bytes(rng.randrange(256) for _ in range(20_000)))
    r = load([data], mini_schedule)
    shown = {p for p, _ in r.ignored} | {i.file for i in r.unreadable} | {f.path for f in r.files}
    assert any(s.endswith("noise.csv") for s in shown)


def test_line_count_helper_counts_by_hand() -> None:
    # Header + 3 lines, one blank, one of only delimiters: 2 records.
    assert csv_records_by_line("h;h\na;b\n\n;;\nc;d\n") == 2


@pytest.mark.parametrize("where", ["first line", "a later line"])
def test_a_line_wider_than_excel_is_66_with_its_width(tmp_path: Path, where: str) -> None:
    """100,000 fields in a line took half a minute to read: more than Excel's 16,384 columns is refused."""
    wide = ";".join(["x"] * 20_000)
    text = f"{wide}\n51;P1\n" if where == "first line" else f"{HEADER}\n51.04.01;PISEW;L1;01/03/2022;ok\n{wide}\n"
    (tmp_path / "wide.csv").write_text(text, encoding="utf-8")
    with pytest.raises(FileProblem) as err:
        read_file(tmp_path / "wide.csv")
    assert (err.value.code, err.value.params["columns"]) == ("csv-too-wide", 20_000)


def test_a_ragged_cp1252_file_reads_without_finalizer_noise(tmp_path: Path, monkeypatch) -> None:
    """pyarrow's invalid-row callback decoded cp1252 rows as UTF-8 and printed 'Exception ignored' (found by
    fuzzing): the fast reader now simply hands such a file to the exact one."""
    import sys

    seen: list[object] = []
    monkeypatch.setattr(sys, "unraisablehook", seen.append)
    path = tmp_path / "bali.csv"
    # The one cp1252 byte is among the last three, where a cut UTF-8 character could be: UTF-8 is tried first.
    path.write_bytes("a;b\nc;d\nx;y;Dé".encode("cp1252"))
    (sheet,) = read_file(path)
    assert seen == []
    assert sheet.grid.shape == (3, 3) and sheet.grid.iat[2, 2] == "Dé"
