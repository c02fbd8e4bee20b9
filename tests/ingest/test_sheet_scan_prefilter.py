"""The sheet scan's prefilter (`_SheetScan._suspect_date`) decides whether a chunk of sheet XML needs the
per-cell date check. It may say yes too often (the full check then finds nothing), never too rarely: a
date-styled cell holding no date that the prefilter misses would reach calamine as a date or as empty."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pkp_cli.ingest.workbook import _SUSPECT_TRIES, _SheetScan

DATE_STYLE, PLAIN_STYLE = "3", "0"
# values a cell may hold: good serials, serial 60 (29 Feb 1900, no date), signs, long numbers, exponents, text
VALUES = ["44733", "44733.5", "60", "60.25", "61", "600", "-1", "12345678", "1E+20", "1e+3", "&amp;", "0", "", "6"]


def cell(ref: str, style: str | None, value: str, kind: str = "n", formula: bool = False) -> str:
    s = f' s="{style}"' if style is not None else ""
    f = "<f>A1+1</f>" if formula else ""
    return f'<c r="{ref}"{s} t="{kind}">{f}<v>{value}</v></c>'


def sheet(cells: list[str]) -> bytes:
    rows = "".join(f'<row r="{i + 1}">{c}</row>' for i, c in enumerate(cells))
    return f"<worksheet><sheetData>{rows}</sheetData></worksheet>".encode()


def scan() -> _SheetScan:
    return _SheetScan("xl/worksheets/sheet1.xml", set(), {DATE_STYLE})


cells_st = st.lists(
    st.tuples(
        st.sampled_from([DATE_STYLE, PLAIN_STYLE, None]),
        st.sampled_from(VALUES),
        st.sampled_from(["n", "s", "str"]),
        st.booleans(),
    ),
    max_size=12,
)


@given(cells_st)
def test_prefilter_never_misses_what_the_full_check_finds(spec: list[tuple[str | None, str, str, bool]]) -> None:
    buf = sheet([cell(f"A{i + 1}", style, value, kind, f) for i, (style, value, kind, f) in enumerate(spec)])
    full = scan()
    full._odd_dates(buf)
    if full.bad_dates:
        assert scan()._suspect_date(buf)


def test_sixty_in_a_date_cell_is_suspect_and_in_a_plain_cell_is_not() -> None:
    # 60 as a progress percentage (no style) is common and must not cost the per-cell check; as a date it is
    # 29 February 1900, which never was
    assert not scan()._suspect_date(sheet([cell("F2", None, "60"), cell("F3", PLAIN_STYLE, "60.5")]))
    assert scan()._suspect_date(sheet([cell("F2", None, "60"), cell("D2", DATE_STYLE, "60")]))
    assert scan()._suspect_date(sheet([cell("D2", DATE_STYLE, "60.75", formula=True)]))
    # 61 is 1 March 1900 and 600 a day in 1901: dates
    assert not scan()._suspect_date(sheet([cell("D2", DATE_STYLE, "61"), cell("D3", DATE_STYLE, "600")]))


def test_long_numbers_outside_date_cells_do_not_trigger_the_full_check() -> None:
    # a budget column (Rupiah, 8+ digits) beside date columns
    buf = sheet([cell("J2", None, "150000000"), cell("D2", DATE_STYLE, "44733"), cell("K2", None, "-5")])
    assert not scan()._suspect_date(buf)
    assert scan()._suspect_date(buf + sheet([cell("D9", DATE_STYLE, "150000000")]))


def test_past_the_tries_the_chunk_is_scanned_whole() -> None:
    # _SUSPECT_TRIES candidates in plain cells, then the one bad date cell: the prefilter stops trying cells one
    # by one at the boundary and answers yes; one candidate fewer and it looks at each (still yes, found last)
    plain = [cell(f"F{i + 2}", None, "60") for i in range(_SUSPECT_TRIES)]
    bad = cell("D1", DATE_STYLE, "60")
    assert scan()._suspect_date(sheet([*plain, bad]))
    assert scan()._suspect_date(sheet([*plain[:-1], bad]))
    assert not scan()._suspect_date(sheet(plain))
