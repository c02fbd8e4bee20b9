"""The CSV reader's short cut for plain files (no quote, no empty line, no lone carriage return): the line of
each record is its position, found without an index of every line. It must give what the exact scan gives."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pkp_cli.ingest.read import RawSheet, _csv_fast_stage, _read_csv_python, _simple_lines


def _read_csv_fast(data: bytes, delim: str, encoding: str) -> RawSheet | None:
    """The fast reader's sheet (both of its parts), or None when it hands the file to the exact reader."""
    stage = _csv_fast_stage(data, delim, encoding)
    return None if stage is None else stage()


@pytest.mark.parametrize(
    ("data", "lines"),
    [
        (b"a,b\n1,2\n", 2),  # a final line break ends the last line
        (b"a,b\n1,2", 2),  # no final line break: the last line still counts
        (b"a,b\r\n1,2\r\n", 2),  # Windows line ends
        (b"a", 1),
        # Each of these may hold a line that is no record: the exact scan decides.
        (b"", None),
        (b"a,b\n\n1,2\n", None),  # an empty line
        (b"\na,b\n1,2\n", None),  # an empty first line
        (b"\r\na,b\n", None),
        (b"a,b\n\r\n1,2\n", None),  # an empty Windows line
        (b"a,b\n1,2\n\r", None),  # a last line of a carriage return alone
        (b"a,b\r1,2\n", None),  # a carriage return alone breaks the line for pyarrow
        (b'a,b\n"1",2\n', None),  # quotes (a quoted line break, a quote never closed)
        (b"\r", None),
    ],
)
def test_simple_lines(data: bytes, lines: int | None) -> None:
    assert _simple_lines(data) == lines


LINE = st.lists(st.sampled_from(["1", "ab", " ", "", "x y"]), min_size=3, max_size=3).map(",".join)


@given(
    lines=st.lists(st.one_of(LINE, st.sampled_from(["", " ", "1,2", "\r"])), min_size=1, max_size=12),
    crlf=st.booleans(),
    final=st.booleans(),
)
def test_fast_reader_lines_match_exact_reader(lines: list[str], crlf: bool, final: bool) -> None:
    # Records, their lines and the empty lines: the fast reader (short cut or scan) as the csv module reads them.
    text = ("\r\n" if crlf else "\n").join(lines) + (("\r\n" if crlf else "\n") if final else "")
    fast = _read_csv_fast(text.encode(), ",", "utf-8")
    if fast is None:
        return  # handed to the exact reader: nothing to compare
    exact = _read_csv_python(text, ",")
    assert fast.row_numbers.tolist() == exact.row_numbers.tolist()
    assert fast.blank_lines.tolist() == exact.blank_lines.tolist()
    assert len(fast.grid) == len(exact.grid)
    if not len(exact.grid):
        return  # no record (a file of empty lines): the scan keeps a column the csv module has not
    assert fast.grid.shape == exact.grid.shape
    got = fast.grid.to_numpy(dtype=object)
    want = exact.grid.to_numpy(dtype=object)
    assert [[None if v is None or v != v else v for v in r] for r in got] == [
        [None if v is None or v != v else v for v in r] for r in want
    ]


def test_plain_file_lines_are_positions(tmp_path: object) -> None:
    # 3 records on lines 1-3 (header included), Windows line ends: row_numbers 1, 2, 3 and no empty line.
    sheet = _read_csv_fast(b"Kode,Program\r\n51.04.01,PISEW\r\n51.04.02,PISEW\r\n", ",", "utf-8")
    assert sheet is not None
    assert sheet.row_numbers.tolist() == [1, 2, 3]
    assert sheet.row_numbers.dtype == np.int64
    assert sheet.blank_lines.tolist() == []
    assert sheet.grid.iat[2, 0] == "51.04.02"
