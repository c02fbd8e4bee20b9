"""Hypothesis over the readers: random CSV text in random encodings, random bytes in the members of a real
workbook, random values in date-formatted cells. Whatever comes in, a reader returns sheets or raises
FileProblem (66 with a catalogue reason), never anything else; a load accounts for every row; and where the raw
file can be counted without pkp (one-line CSV records), every record is loaded, rejected or skipped.

The CI profile (conftest: derandomized, 60 examples; 25 for those that load) keeps this to about 15 s.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pkp_cli.ingest.read import FileProblem, read_file
from pkp_cli.text.messages import CATALOGUE
from tests.conftest import MINI_SCHEDULE
from tests.factories import schedule_from, write_lokasi
from tests.hostile.corpus import HEADER, load, members, progres_xlsx, write_members

FUZZ = settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture], deadline=None)
# Each example of these loads a workbook (about 0.1 s): fewer examples keep the hostile suite near a minute.
HEAVY = settings(FUZZ, max_examples=25)

_WORK = Path(tempfile.mkdtemp(prefix="pkp-fuzz-"))
_LOKASI = _WORK / "lokasi.xlsx"
write_lokasi(_LOKASI)
_SCHEDULE = schedule_from(_WORK, MINI_SCHEDULE)
_TEMPLATE = progres_xlsx(_WORK / "template.xlsx", [dt.datetime(2022, 4, 2), dt.datetime(2022, 5, 2)])
_PARTS = members(_TEMPLATE)


def _read(path: Path) -> list:
    try:
        return read_file(path, 8)
    except FileProblem as exc:
        assert exc.code in CATALOGUE
        return []


def _accounted(path: Path) -> object:
    r = load([_LOKASI, path], _SCHEDULE)
    for f in r.files:
        for s in f.sheets:
            assert s.rows_read == s.rows_loaded + s.rows_rejected
    return r


# ----------------------------------------------------------------------------------------------- CSV

PLAIN = st.text(alphabet=st.sampled_from("0123456789./-ABCabc ÉéüÜ–PISEWL"), max_size=12)
WILD = st.text(alphabet=st.sampled_from(";,\t\"\r\n\x00 aA1/.'é"), max_size=12)
FIELDS = st.lists(st.one_of(PLAIN, WILD), min_size=1, max_size=7)


@FUZZ
@given(
    rows=st.lists(FIELDS, max_size=12),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-be", "utf-32", "cp1252"]),
    eol=st.sampled_from(["\n", "\r\n", "\r"]),
)
def test_any_csv_text_is_read_or_refused_and_accounted(rows: list[list[str]], encoding: str, eol: str) -> None:
    text = HEADER + eol + eol.join(";".join(r) for r in rows) + eol
    data = text.encode(encoding, errors="replace")
    path = _WORK / "fuzz.csv"
    path.write_bytes(data)
    _read(path)
    _accounted(path)


@HEAVY
@given(
    rows=st.lists(st.lists(PLAIN, min_size=5, max_size=5), max_size=15), encoding=st.sampled_from(["utf-8", "utf-16"])
)
@example(rows=[["", "", "", "", ""], ["", "", "", "", "0"]], encoding="utf-8")  # a blank line between: skipped, counted
def test_one_line_records_are_each_loaded_rejected_or_skipped(rows: list[list[str]], encoding: str) -> None:
    """No quote or line break inside a field: every line up to the last non-blank one is a record (a blank one
    among them is skipped and counted; blank lines after the last are the file's end), countable without pkp."""
    path = _WORK / "plain.csv"
    path.write_bytes(("\n".join([HEADER] + [";".join(r) for r in rows]) + "\n").encode(encoding))
    r = _accounted(path)
    filled = [i for i, row in enumerate(rows) if any(v.strip() for v in row)]
    expected = filled[-1] + 1 if filled else 0
    report = [f for f in r.files if f.path.endswith("plain.csv")]  # type: ignore[attr-defined]
    counted = sum(s.rows_read + s.rows_skipped for f in report for s in f.sheets)
    assert counted == expected


# ---------------------------------------------------------------------------------------------- xlsx


@HEAVY
@given(
    member=st.sampled_from(sorted(_PARTS)),
    how=st.sampled_from(["replace", "truncate", "flip", "insert"]),
    noise=st.binary(min_size=1, max_size=64),
    at=st.floats(min_value=0, max_value=1),
)
def test_random_bytes_in_any_member_are_read_or_refused(member: str, how: str, noise: bytes, at: float) -> None:
    parts = dict(_PARTS)
    body = parts[member]
    i = int(at * len(body))
    if how == "replace":
        body = noise
    elif how == "truncate":
        body = body[:i]
    elif how == "flip":
        body = body[:i] + bytes(b ^ 0x5A for b in noise[: len(body) - i]) + body[i + len(noise) :]
    else:
        body = body[:i] + noise + body[i:]
    parts[member] = body
    path = write_members(_WORK / "fuzz.xlsx", parts)
    _read(path)
    _accounted(path)


@FUZZ
@given(at=st.integers(min_value=0, max_value=10_000), noise=st.binary(min_size=1, max_size=16))
@example(at=5021, noise=b"\x1f")  # found by a newcomer's random run: a member's offset below 0, exit 1 at seek
def test_random_bytes_in_the_zip_container_are_read_or_refused(at: int, noise: bytes) -> None:
    data = bytearray(_TEMPLATE.read_bytes())
    i = at % len(data)
    data[i : i + len(noise)] = noise
    path = _WORK / "container.xlsx"
    path.write_bytes(bytes(data))
    _read(path)


CELL = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.text(max_size=20),
    st.sampled_from(["NaN", "INF", "-inf", "1E+400", "1e-400", "+5", "0x10", ""]),
)


@HEAVY
@given(values=st.lists(CELL, min_size=1, max_size=6))
@example(values=["&"])  # text in a number cell (found by the random profile): was read as an empty date
@example(values=["abc", 44713.0])
def test_any_value_in_a_date_cell_is_loaded_or_an_error_at_that_cell(values: list[object]) -> None:
    """Values written straight into the sheet XML of date-formatted cells: none is silently empty."""
    rows = "".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>51.04.01</t></is></c>'
        f'<c r="B{n}" t="inlineStr"><is><t>PISEW</t></is></c>'
        f'<c r="C{n}" t="inlineStr"><is><t>L{1 + n % 3}</t></is></c>'
        + (f'<c r="D{n}" s="1"><v>{_xml(v)}</v></c>' if not isinstance(v, str) or v else "")
        + "</row>"
        for n, v in enumerate(values, 2)
    )
    parts = dict(_PARTS)
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    head, _, rest = sheet.partition("<sheetData>")
    first_row = rest[: rest.index("</row>") + 6]
    parts["xl/worksheets/sheet1.xml"] = (head + "<sheetData>" + first_row + rows + "</sheetData></worksheet>").encode()
    path = write_members(_WORK / "dates.xlsx", parts)
    r = _accounted(path)
    report = [f for f in r.files if f.path.endswith("dates.xlsx")]  # type: ignore[attr-defined]
    loaded = r.progres  # type: ignore[attr-defined]
    bad = {i.row for i in r.errors if i.file.endswith("dates.xlsx")}  # type: ignore[attr-defined]
    for n, v in enumerate(values, 2):
        if isinstance(v, str) and not v.strip():
            continue  # no cell, or only spaces: an empty cell, by the contract
        number = _number(v)
        if number is None or not (0 <= number <= 2958465):
            assert n in bad, (n, v)  # never read as an empty date
    assert report and sum(s.rows_read + s.rows_skipped for f in report for s in f.sheets) == len(values)
    assert len(loaded) + len(bad) >= 0


def _xml(v: object) -> str:
    text = repr(v) if isinstance(v, float) else str(v)
    return text.replace("&", "&amp;").replace("<", "&lt;")


def _number(v: object) -> float | None:
    import math

    try:
        x = float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def test_the_fuzz_template_is_a_good_workbook() -> None:
    assert [s.name for s in read_file(_TEMPLATE)] == ["Progres"]
    with zipfile.ZipFile(_TEMPLATE) as zf:
        assert "xl/styles.xml" in zf.namelist()
