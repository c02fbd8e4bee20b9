"""Parsers: hand-picked forms, and hypothesis for round trips and for the two validation paths agreeing."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from pkp_cli.ingest import parse
from pkp_cli.ingest.row_schema import LokasiRow, ProgresRow, TemuanRow

ID_MONTHS = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]


def one(fn, text):
    vals, errs = fn(pd.Series([text], dtype=object))
    return vals.iloc[0], errs.iloc[0]


@pytest.mark.parametrize(
    "text",
    [
        "2022-05-20",
        "2022-05-20 00:00:00",
        "20/05/2022",
        "20-05-2022",
        "20.05.2022",
        "20 Mei 2022",
        "20 Mei 22",
        "20 mei 2022",
        "20 May 2022",
        "20 MEI 2022",
    ],
)
def test_every_date_form_is_20_may_2022(text: str) -> None:
    assert one(parse.parse_dates, text) == (pd.Timestamp("2022-05-20"), None)


@pytest.mark.parametrize(
    "text,month",
    [
        ("17 Agt 2022", 8),
        ("17 Ags 2022", 8),
        ("5 Nop 2022", 11),
        ("1 Pebruari 2022", 2),
        ("3 Okt 2022", 10),
        ("3 Des 2022", 12),
    ],
)
def test_supplement_spellings(text: str, month: int) -> None:
    assert one(parse.parse_dates, text)[0].month == month


@pytest.mark.parametrize(
    "text,code",
    [
        ("31/02/2022", "date-nonexistent"),
        ("Mei 2022", "date-invalid"),
        ("44701", "date-number"),
        ("20 Mai 2022", "date-invalid"),
    ],
)
def test_bad_dates(text: str, code: str) -> None:
    assert one(parse.parse_dates, text)[1] == code


@pytest.mark.parametrize(
    "text",
    [
        "Jumat, 3 Juni 2022",  # 3 June 2022 was a Friday
        "Jum'at, 3 Juni 2022",
        "jumat 03/06/2022",
        "JUMAT, 3 JUNI 2022",
        "Jum, 3 Jun 2022",
        "Friday, 3 June 2022",
        "Fri 2022-06-03",
        "2022/06/03",
        "2022/6/3",
        "2022.06.03",
    ],
)
def test_weekday_before_the_date_and_year_first(text: str) -> None:
    assert one(parse.parse_dates, text) == (pd.Timestamp("2022-06-03"), None)


@pytest.mark.parametrize(
    "text,code",
    [
        ("8 Juni", "date-no-year"),
        ("Rabu, 8 Juni", "date-no-year"),
        ("8/6", "date-no-year"),
        ("8-6", "date-no-year"),
        ("45/13", "date-invalid"),  # no day and month either
        ("8 Jumat", "date-invalid"),  # not a month
        ("Senin, 3 Juni 2022", "date-weekday"),  # 3 June 2022 was a Friday
        ("2022/13/01", "date-nonexistent"),
    ],
)
def test_dates_rejected_with_a_reason(text: str, code: str) -> None:
    assert one(parse.parse_dates, text) == (pd.NaT, code) or one(parse.parse_dates, text)[1] == code


@pytest.mark.parametrize("text", ["-", " - ", "--", "–", "—", "Rp -", "Rp. -", "-,-", "Rp -,-"])
def test_a_dash_placeholder_is_an_empty_cell(text: str) -> None:
    for fn in (parse.parse_rupiah, parse.parse_dates, parse.parse_percent, parse.parse_kinerja):
        value, err = one(fn, text)
        assert err is None and pd.isna(value), (fn, text)


@pytest.mark.parametrize(
    "text,status",
    [
        ("Sudah TL", "selesai"),
        ("sudah t.l.", "selesai"),
        ("Tuntas", "selesai"),
        ("Sesuai rekomendasi", "selesai"),
        ("Dalam Proses", "proses"),
        ("Belum sesuai", "proses"),
        ("On Progress", "proses"),
        ("Belum TL", "belum"),
        ("BELUM-TL", "belum"),
        ("Belum ditindaklanjuti", "belum"),
    ],
)
def test_audit_status_words(text: str, status: str) -> None:
    assert one(parse.parse_temuan_status, text) == (status, None)


def test_an_audit_status_that_is_none_of_the_three_is_rejected() -> None:
    assert one(parse.parse_temuan_status, "Tidak dapat ditindaklanjuti")[1] == "status-invalid"


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31)), st.integers(0, 4))
def test_date_round_trip(d: dt.date, form: int) -> None:
    text = [
        d.isoformat(),
        d.strftime("%d/%m/%Y"),
        d.strftime("%d-%m-%Y"),
        d.strftime("%d.%m.%Y"),
        f"{d.day} {ID_MONTHS[d.month - 1]} {d.year}",
    ][form]
    assert one(parse.parse_dates, text) == (pd.Timestamp(d), None)


@pytest.mark.parametrize(
    "text,value",
    [
        ("Rp 600.000.000", 600e6),
        ("600.000.000,00", 600e6),
        ("600 jt", 600e6),
        ("600 juta", 600e6),
        ("1,2 M", 1.2e9),
        ("1,2 miliar", 1.2e9),
        ("600,000,000", 600e6),
        ("600000000", 600e6),
        ("Rp600.000.000,-", 600e6),
    ],
)
def test_rupiah_forms(text: str, value: float) -> None:
    assert one(parse.parse_rupiah, text) == (pytest.approx(value), None)


@pytest.mark.parametrize("text", ["abc", "12,34,5", "Rp", "1.2.3,4,5"])
def test_rupiah_rejects(text: str) -> None:
    assert one(parse.parse_rupiah, text)[1] == "rupiah-invalid"


@given(st.integers(0, 10**12))
def test_rupiah_indonesian_grouping_round_trip(n: int) -> None:
    grouped = f"{n:,}".replace(",", ".")
    assert one(parse.parse_rupiah, f"Rp {grouped}")[0] == n


@given(st.decimals(min_value=0, max_value=100, places=1))
def test_percent_decimal_comma_round_trip(x) -> None:
    text = str(x).replace(".", ",")
    assert one(parse.parse_percent, text)[0] == pytest.approx(float(x))
    assert one(parse.parse_percent, text + "%")[0] == pytest.approx(float(x))


def test_percent_formatted_cell_scales() -> None:
    vals, _errs = parse.parse_percent(pd.Series(["0.455", "0.455", "45,5%"]), pd.Series([True, False, True]))
    assert list(vals) == [pytest.approx(45.5), pytest.approx(0.455), pytest.approx(45.5)]


def test_codes_keep_text_and_reject_decimals() -> None:
    vals, errs = parse.parse_code(pd.Series(["51", "51.1", "51.04.10", "51.10"]))
    assert list(vals) == ["51", "51.1", "51.04.10", "51.10"]
    assert list(errs) == [None, "code-decimal", None, None]


CELL = st.one_of(
    st.none(),
    st.sampled_from(
        [
            "",
            "Ya",
            "Tidak",
            "x",
            "Baik",
            "kurang",
            "20/05/2022",
            "31/02/2022",
            "Rp 600.000.000",
            "600 jt",
            "abc",
            "51.04.01",
            "51.1",
            "PISEW",
            "kotaku",
            "45,5",
            "120",
            "-5",
            "-",
            "Rp -",
            "Jumat, 3 Juni 2022",
            "Senin, 3 Juni 2022",
            "8 Juni",
            "2022/06/08",
            "Sudah TL",
            "Tuntas",
            "Belum TL",
        ]
    ),
    st.text(max_size=8),
)


def _vector_codes(kind: str, row: dict) -> set[tuple[str, str]]:
    from pkp_cli.ingest.sheets import parse_records

    # The loader hands parsers Arrow-backed text, as read from a workbook.
    rec = pd.DataFrame({k: pd.Series([v], dtype="str") for k, v in row.items()})
    errs = parse_records(rec, kind)
    return {(e["column"], e["code"]) for f in errs for _, e in f.iterrows()}


def _pydantic_codes(model, row: dict) -> set[tuple[str, str]]:
    try:
        model(**row)
    except ValidationError as exc:
        return {(str(e["loc"][0]), e["type"]) for e in exc.errors()}
    return set()


@given(
    st.fixed_dictionaries(
        {
            "kode_lokasi": CELL,
            "program": CELL,
            "lokasi_berulang": CELL,
            "kinerja": CELL,
            "dokumen_perencanaan": CELL,
            "nilai_bantuan": CELL,
        }
    )
)
def test_pydantic_and_vectorised_agree_on_lokasi_rows(row: dict) -> None:
    assert _pydantic_codes(LokasiRow, row) == _vector_codes("lokasi", row)


@given(
    st.fixed_dictionaries(
        {
            "kode_lokasi": CELL,
            "tahapan": CELL,
            "tanggal_mulai": CELL,
            "tanggal_selesai": CELL,
            "progres_persen": CELL,
        }
    )
)
def test_pydantic_and_vectorised_agree_on_progres_rows(row: dict) -> None:
    assert _pydantic_codes(ProgresRow, row) == _vector_codes("progres", row)


@given(
    st.fixed_dictionaries(
        {
            "nomor_temuan": CELL,
            "kode_provinsi": CELL,
            "nilai": CELL,
            "status": CELL,
            "batas_waktu": CELL,
            "tanggal_selesai": CELL,
        }
    )
)
def test_pydantic_and_vectorised_agree_on_temuan_rows(row: dict) -> None:
    assert _pydantic_codes(TemuanRow, row) == _vector_codes("temuan", row)


# --- one date in plain Python (titles, file and folder names) agrees with the vectorised parser ---------------

# The pieces dates are written with, and pieces of what stands around them (split at "|"; " " and "" included).
_PIECE_TEXT = (
    "| |  |,|.|-|/|_|T|:|0|1|2|3|05|12|13|29|30|31|00|99|1899|1900|2022|2261|2262|9999|22|2022-05-20|20/05/2022|"
    "31.02.22|Mei|mei|MEI|Juni|Agt|Sept|Pebruari|Mar|Xyz|Jumat|jum'at|Fri|FRIDAY|Senin|Sen|Ahad|Rp|Rp -|--|13:05|"
    "13:05:07.5|s.d.|Keadaan|x"
)
_DATE_PIECES = st.sampled_from(_PIECE_TEXT.split("|"))


def _vectorised_one(text: str) -> dt.date | None:
    vals, _errs = parse.parse_dates(pd.Series([text], dtype=object))
    v = vals.iloc[0]
    return None if pd.isna(v) else v.date()


@pytest.mark.parametrize(
    "text, expected",
    [
        ("27 Mei 2022", dt.date(2022, 5, 27)),
        ("Jumat, 3 Juni 2022", dt.date(2022, 6, 3)),  # 3 June 2022 was a Friday
        ("Kamis, 3 Juni 2022", None),  # ... not a Thursday: no date
        ("20-05-22", dt.date(2022, 5, 20)),  # two-digit year is 20xx
        ("2022/05/20 13:05", dt.date(2022, 5, 20)),  # a time of day after the date is that day
        ("31/02/2022", None),  # no such day
        ("8 Juni", None),  # no year
        ("1/1/1899", None),  # Excel's day zero is no date
        ("1/1/2262", None),  # past the frames' nanosecond range
        ("Rp -", None),  # a placeholder is an empty cell
        ("   ", None),
    ],
)
def test_one_date_hand_picked(text: str, expected: dt.date | None) -> None:
    assert parse._one_date(text) == expected
    assert _vectorised_one(text) == expected


@given(st.lists(_DATE_PIECES, max_size=8).map("".join) | st.lists(_DATE_PIECES, max_size=6).map(" ".join))
def test_one_date_agrees_with_parse_dates(text: str) -> None:
    assert parse._one_date(text) == _vectorised_one(text)


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=24))
def test_one_date_agrees_on_any_ascii(text: str) -> None:
    assert parse._one_date(text) == _vectorised_one(text)


def test_a_full_memo_is_replaced_not_emptied(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # The last file's batch may be parsed on another thread beside the main thread's parse (ingest/load.py
    # `parse_rest_when_read`): a parse between filling its memo and reading it back must keep what it put there
    # when the other one finds the memo full.
    monkeypatch.setattr(parse, "_MEMO_LIMIT", 2)
    monkeypatch.setattr(parse, "_MEMO", {})
    parse.parse_code(pd.Series(["51", "52", "53"], dtype="str"))
    held = next(iter(parse._MEMO.values()))
    before = dict(held)
    vals, _errs = parse.parse_code(pd.Series(["54"], dtype="str"))
    assert held == before and len(held) == 3  # the full one, as another parse holds it
    assert vals.tolist() == ["54"]
