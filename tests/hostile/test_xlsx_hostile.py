"""xlsx files whose insides are hostile: impossible date serials, DTDs, broken or missing parts, zip headers
that lie, bombs, a used range that would make calamine abort. Each is 66 with a reason naming the cause, or a
cell error at its address; never exit 1, never a crash of the process."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest

from pkp_cli.ingest.read import FileProblem, read_file
from pkp_cli.ingest.zipguard import MAX_COMPRESSION_RATIO, VerifiedZip
from pkp_cli.text.messages import render
from tests.hostile.corpus import (
    assert_one_line,
    cells,
    data_folder,
    lie_about_size,
    load,
    members,
    progres_xlsx,
    run_pkp,
    with_xml_value,
    write_members,
)

SHEET = "xl/worksheets/sheet1.xml"


def problem(path: Path, max_mb: int = 1024) -> FileProblem:
    with pytest.raises(FileProblem) as err:
        read_file(path, max_mb)
    # Every reason renders in both languages with its parameters (no template left unfilled).
    for lang in ("id", "en"):
        assert "{" not in render(err.value.code, lang, **err.value.params)
    return err.value


# -------------------------------------------------------------------------------------------- date cells

BAD_SERIALS = [1e15, 1e308, 9.99e307, -5, 2958466, 12_345_678]


def test_date_cells_with_impossible_serials_are_date_invalid_at_their_cell(tmp_path: Path, mini_schedule) -> None:
    data = data_folder(tmp_path)
    # Row 2 holds a real date; rows 3-8 the serials above (1e15 and beyond were read as empty before).
    progres_xlsx(data / "bali.xlsx", [dt.datetime(2022, 4, 2), *BAD_SERIALS])
    r = load([data], mini_schedule)
    got = {(i.cell, i.code, i.value) for i in r.errors if i.file.endswith("bali.xlsx")}
    assert {(c, code) for c, code, _ in got} == {(f"D{n}", "date-invalid") for n in range(3, 9)}
    values = {c: v for c, _, v in got}
    assert values["D3"] == "1000000000000000" and values["D4"] == "1e+308" and values["D7"] == "2958466"
    report = next(f for f in r.files if f.path.endswith("bali.xlsx"))
    assert (report.total("rows_loaded"), report.total("rows_rejected")) == (1, 6)


@pytest.mark.parametrize("raw", ["NaN", "INF", "-inf", "1E+400", "nan"])
def test_non_finite_date_cells_do_not_crash_the_reader(tmp_path: Path, mini_schedule, raw: str) -> None:
    """calamine panics on these in a date cell: the cell is unstyled before it reads the sheet."""
    data = data_folder(tmp_path)
    path = progres_xlsx(data / "bali.xlsx", [dt.datetime(2022, 4, 2), 44700])
    with_xml_value(path, SHEET, "<v>44700</v>", f"<v>{raw}</v>")
    r = load([data], mini_schedule)
    assert cells(r.errors, "bali.xlsx") == {("D3", "date-invalid")}
    assert next(i for i in r.errors if i.cell == "D3").value == raw


def test_serials_in_range_still_load(tmp_path: Path, mini_schedule) -> None:
    data = data_folder(tmp_path)
    progres_xlsx(data / "bali.xlsx", [44652, 44683.75])  # 2022-04-01, 2022-05-02 18:00 (that day)
    r = load([data], mini_schedule)
    assert cells(r.errors, "bali.xlsx") == set()
    assert sorted(r.progres["tanggal_mulai"].dt.date) == [dt.date(2022, 4, 1), dt.date(2022, 5, 2)]


# --------------------------------------------------------------------------------------- parts and XML

DTD = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'


@pytest.mark.parametrize("part", ["xl/workbook.xml", "xl/styles.xml", SHEET, "[Content_Types].xml"])
def test_a_dtd_in_any_part_is_66(tmp_path: Path, part: str) -> None:
    path = progres_xlsx(tmp_path / "bali.xlsx", [dt.datetime(2022, 4, 2)])
    parts = members(path)
    body = parts[part]
    parts[part] = DTD + (body[body.index(b"?>") + 2 :] if body.startswith(b"<?xml") else body)
    write_members(path, parts)
    err = problem(path)
    assert (err.code, err.params["member"]) == ("xml-dtd", part)


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (lambda p: p.update({"xl/workbook.xml": p["xl/workbook.xml"][:-25]}), "xlsx-xml-invalid"),
        (lambda p: p.update({"xl/styles.xml": p["xl/styles.xml"][:-25]}), "xlsx-xml-invalid"),
        (lambda p: p.update({"xl/_rels/workbook.xml.rels": b"<Relationships"}), "xlsx-xml-invalid"),
        (lambda p: p.pop("xl/_rels/workbook.xml.rels"), "xlsx-part-missing"),
        (lambda p: p.pop(SHEET), "xlsx-part-missing"),
        (lambda p: p.pop("xl/workbook.xml"), "file-not-workbook"),
        (lambda p: p.update({SHEET: b"\x00\xff garbage"}), "file-unreadable"),
    ],
)
def test_broken_or_missing_parts_are_66_with_the_part_named(tmp_path: Path, change, code: str) -> None:
    path = progres_xlsx(tmp_path / "bali.xlsx", [dt.datetime(2022, 4, 2)])
    parts = members(path)
    change(parts)
    write_members(path, parts)
    assert problem(path).code == code


def test_a_used_range_calamine_could_not_allocate_is_66(tmp_path: Path) -> None:
    import openpyxl

    for far in ("XFD1048576", "ZZ999999", "Z999999"):
        wb = openpyxl.Workbook()
        wb.active["A1"], wb.active[far] = "x", "y"
        wb.save(tmp_path / "corner.xlsx")
        expected = "xlsx-range-too-large"
        if far == "Z999999":  # past Excel's last row, which openpyxl refuses to write: edit the XML
            with_xml_value(tmp_path / "corner.xlsx", SHEET, 'r="Z999999"', 'r="Z99999999"')
            expected = "xlsx-beyond-excel"
        assert problem(tmp_path / "corner.xlsx").code == expected, far


def test_a_wide_but_small_sheet_still_loads(tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append([f"h{i}" for i in range(300)])  # columns A..KN, one row: 300 cells
    wb.active["A40"] = "x"
    wb.save(tmp_path / "wide.xlsx")
    (sheet,) = read_file(tmp_path / "wide.xlsx")
    assert sheet.grid.shape == (40, 300)


# ------------------------------------------------------------------------------------------ zip headers


def _big_sheet(path: Path, rows: int) -> Path:
    path = progres_xlsx(path, [dt.datetime(2022, 4, 2)])
    parts = members(path)
    text = parts[SHEET]
    parts[SHEET] = text.replace(b"</sheetData>", b"<row/>" * rows + b"</sheetData>")
    return write_members(path, parts)


def test_a_member_larger_than_its_header_says_is_refused_at_the_first_extra_byte(tmp_path: Path) -> None:
    path = lie_about_size(_big_sheet(tmp_path / "lie.xlsx", 2_000_000), SHEET, 1000)  # 12 MB declared as 1 KB
    err = problem(path)
    assert (err.code, err.params["member"], err.params["declared"]) == ("zip-size-lie", SHEET, 1000)


def test_a_member_smaller_than_declared_is_refused(tmp_path: Path) -> None:
    path = progres_xlsx(tmp_path / "short.xlsx", [dt.datetime(2022, 4, 2)])
    real = len(members(path)[SHEET])
    err = problem(lie_about_size(path, SHEET, real + 10))
    assert (err.code, err.params["actual"]) == ("zip-size-lie", real)


def test_the_compression_ratio_rule_says_so(tmp_path: Path) -> None:
    path = _big_sheet(tmp_path / "ratio.xlsx", 9_000_000)  # 54 MB of one repeated tag packs ~500 times
    err = problem(path)
    assert err.code == "zip-ratio" and err.params["ratio"] > MAX_COMPRESSION_RATIO
    assert f"1:{MAX_COMPRESSION_RATIO}" in render(err.code, "en", **err.params)


def test_the_size_bound_holds_on_inflated_bytes(tmp_path: Path) -> None:
    path = _big_sheet(tmp_path / "big.xlsx", 400_000)  # 2.4 MB inflated
    assert problem(path, max_mb=2).code == "file-too-large"  # the honest header says so before inflating
    vz = VerifiedZip(path, 1024)
    vz.max_bytes = 1_000_000  # a bound the headers would pass: the counter still stops the inflation
    with pytest.raises(FileProblem) as err:
        vz.verify_all()
    assert err.value.code == "file-too-large-inflated"


def test_a_damaged_member_is_66(tmp_path: Path) -> None:
    path = progres_xlsx(tmp_path / "crc.xlsx", [dt.datetime(2022, 4, 2)])
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(SHEET)
    data[info.header_offset + 30 + len(SHEET) + 40] ^= 0xFF  # a byte inside the deflate stream
    path.write_bytes(bytes(data))
    assert problem(path).code == "file-unreadable"


def test_a_24mb_bomb_declared_small_is_66_quickly_in_a_real_run(tmp_path: Path) -> None:
    """The issue's bomb shape, scaled down: a sheet of 60 MB of XML in a small file, declared as 1,000 bytes."""
    data = data_folder(tmp_path)
    path = _big_sheet(data / "bomb.xlsx", 10_000_000)
    lie_about_size(path, SHEET, 1000)
    res = run_pkp(["validate", str(path)], cwd=tmp_path, timeout=60)
    assert res.returncode == 66, res.stderr
    assert_one_line(res.stderr, "zip")


def test_a_shared_strings_part_announcing_billions_of_strings_is_66(tmp_path: Path) -> None:
    """calamine reserves 24 bytes per announced string first: 4e9 strings in a 200-byte part would abort it."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["a", "b"])
    wb.save(tmp_path / "s.xlsx")
    parts = members(tmp_path / "s.xlsx")
    parts["xl/sharedStrings.xml"] = (
        b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        b'count="7" uniqueCount="4000000000"><si><t>a</t></si></sst>'
    )
    rels = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        b'sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    )
    parts["xl/_rels/workbook.xml.rels"] = rels
    write_members(tmp_path / "s.xlsx", parts)
    err = problem(tmp_path / "s.xlsx")
    assert (err.code, err.params["member"]) == ("xlsx-xml-invalid", "xl/sharedStrings.xml")


def test_a_cell_beyond_excels_last_column_is_66_at_once(tmp_path: Path) -> None:
    """Found by fuzzing: one cell at column ZZZZ (475,254) made a 4 x 475,254 grid that took ten minutes."""
    path = progres_xlsx(tmp_path / "far.xlsx", [dt.datetime(2022, 4, 2)])
    with_xml_value(path, SHEET, 'r="E1"', 'r="ZZZZ1"')
    err = problem(path)
    assert (err.code, err.params["columns"]) == ("xlsx-beyond-excel", 475_254)


def test_an_encrypted_workbook_and_an_unknown_zip_method_are_66(tmp_path: Path) -> None:
    ole = tmp_path / "secret.xlsx"  # Excel saves a password-protected workbook as an OLE container
    ole.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    assert problem(ole).code == "file-encrypted"
    path = progres_xlsx(tmp_path / "bzip.xlsx", [dt.datetime(2022, 4, 2)])
    write_members(path, members(path), zipfile.ZIP_BZIP2)  # no spreadsheet program writes this method
    err = problem(path)
    assert (err.code, err.params["method"]) == ("zip-method", zipfile.ZIP_BZIP2)
