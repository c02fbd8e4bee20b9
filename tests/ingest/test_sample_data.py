"""The bundled TA 2022 sample (data/) and its generator (scripts/make_sample.py).

Everything here reads the real generated workbooks (openpyxl, csv), nothing is mocked: the committed data
equals a fresh generation byte for byte, holds the seed's exact counts, every report carries every
province-level stage row, and the seed's story (Bali waiting only for its DIPA revision, Sulawesi Selatan
still interviewing) is visible in the cells. A flipped story fact changes the workbooks: the story is data.
"""

from __future__ import annotations

import copy
import csv
import gzip
import importlib.util
import json
import re
import sys
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import openpyxl
import pytest
import yaml

from tests.factories import ROOT

DATA = ROOT / "data"
SCHEDULE = ROOT / "schedules" / "jadwal-nasional-2022.yaml"
STORY = ROOT / "scripts" / "sample_story.yaml"
REPORT_DATES = [date(2022, 5, 20), date(2022, 5, 27), date(2022, 6, 3)]
BULAN = (
    "januari",
    "februari",
    "maret",
    "april",
    "mei",
    "juni",
    "juli",
    "agustus",
    "september",
    "oktober",
    "november",
    "desember",
)
CODE_RE = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")
BALI, SULSEL = "51", "73"


# ----------------------------------------------------------------------------------------------- fixtures


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_sample", ROOT / "scripts" / "make_sample.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def gen() -> ModuleType:
    return _generator()


@pytest.fixture(scope="module")
def story() -> dict[str, Any]:
    return yaml.safe_load(STORY.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def schedule() -> dict[str, Any]:
    return yaml.safe_load(SCHEDULE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def fresh(gen: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("fresh") / "data"
    gen.generate(out)
    return out


@pytest.fixture(scope="module")
def flipped(gen: ModuleType, story: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The story with one fact changed: Bali's DIPA revision finished on 2 June 2022."""
    changed = copy.deepcopy(story)
    bali = next(p for p in changed["provinsi"] if p["kode"] == BALI)
    bali["langkah"]["revisi_dipa"]["selesai"] = date(2022, 6, 2)
    out = tmp_path_factory.mktemp("flipped") / "data"
    gen.generate(out, changed)
    return out


# ----------------------------------------------------------------------------- a small independent reader


def _text(v: Any) -> str:
    return "" if v is None else str(v).strip()


def _date(v: Any) -> date | None:
    """Excel date cells, '20 Mei 2022' and '20/05/2022', as the sample writes them."""
    if v is None or v == "":
        return None
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    s = str(v).strip()
    if "/" in s:
        return datetime.strptime(s, "%d/%m/%Y").date()
    day, month, year = s.split()
    return date(int(year), BULAN.index(month.lower()) + 1, int(day))


def _percent(v: Any) -> float | None:
    if v is None or v == "":
        return None
    return float(str(v).replace(",", "."))


def _grids(path: Path) -> Iterator[tuple[str | None, list[list[Any]], set[tuple[int, int]]]]:
    """(sheet name, cell grid, merged-cell starts) per sheet; CSV is one nameless sheet."""
    if path.suffix == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as fh:
            yield None, [list(r) for r in csv.reader(fh, delimiter=";")], set()
        return
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        grid = [list(r) for r in ws.iter_rows(values_only=True)]
        yield ws.title, grid, {(m.min_row - 1, m.min_col - 1) for m in ws.merged_cells.ranges}


ROLE = {
    "kode lokasi": "kode",
    "kode wilayah": "kode",
    "program": "program",
    "tahapan": "tahapan",
    "tahap": "tahapan",
    "kode tahapan": "tahapan",
    "tanggal mulai": "mulai",
    "mulai": "mulai",
    "tanggal selesai": "selesai",
    "selesai": "selesai",
    "progres (%)": "persen",
    "realisasi (%)": "persen",
    "keterangan": "keterangan",
    "catatan": "keterangan",
    "ket": "keterangan",
    "tanggal laporan": "laporan",
}


def _stage_code(value: str, program: str, schedule: dict[str, Any]) -> str:
    for st in schedule["program"][program]["tahapan"]:
        if value in (st["kode"],) or value.casefold() == st["nama"].casefold():
            return st["kode"]
    raise AssertionError(f"unknown stage {value!r} for {program}")


def progress_records(path: Path, schedule: dict[str, Any]) -> list[dict[str, Any]]:
    """Long rows of one progress file, whatever its shape (title rows, two-row header, wide form, CSV)."""
    out = []
    for sheet, grid, _ in _grids(path):
        h = next(i for i, row in enumerate(grid) if any(ROLE.get(_text(c).lower()) == "kode" for c in row))
        upper = [_text(c) for c in grid[h]]
        lower = [_text(c) for c in grid[h + 1]] if h + 1 < len(grid) else []
        two_rows = any(c.lower() == "mulai" for c in lower)
        labels = [lo or up for up, lo in zip(upper, lower, strict=True)] if two_rows else upper
        roles = {ROLE[c.lower()]: j for j, c in enumerate(labels) if c.lower() in ROLE and c.lower() != "mulai"}
        roles |= {ROLE[c.lower()]: j for j, c in enumerate(labels) if c.lower() in ("mulai", "selesai")}
        wide: dict[str, dict[str, int]] = {}  # stage code -> role -> column
        if two_rows and "tahapan" not in roles:
            current = ""
            for j, (up, lo) in enumerate(zip(upper, lower, strict=True)):
                current = up or current
                if lo and CODE_RE.match(current) is None and current.upper() == current and "-" in current:
                    wide.setdefault(current, {})[ROLE[lo.lower()]] = j
        for row in grid[h + (2 if two_rows else 1) :]:
            cells = list(row) + [None] * (len(labels) - len(row))
            kode = _text(cells[roles["kode"]])
            if not CODE_RE.match(kode):
                continue  # title, heading or JUMLAH row
            program = _text(cells[roles["program"]])
            base = {"file": path.name, "sheet": sheet, "kode": kode, "program": program}
            base["laporan"] = _date(cells[roles["laporan"]]) if "laporan" in roles else None
            if wide:
                for code, cols in wide.items():
                    out.append(
                        base
                        | {
                            "tahapan": code,
                            "mulai": _date(cells[cols["mulai"]]),
                            "selesai": _date(cells[cols["selesai"]]),
                            "persen": _percent(cells[cols["persen"]]),
                            "keterangan": None,
                        }
                    )
                continue
            out.append(
                base
                | {
                    "tahapan": _stage_code(_text(cells[roles["tahapan"]]), program, schedule),
                    "mulai": _date(cells[roles["mulai"]]),
                    "selesai": _date(cells[roles["selesai"]]),
                    "persen": _percent(cells[roles["persen"]]),
                    "keterangan": _text(cells[roles["keterangan"]]) or None,
                }
            )
    return out


def progress_files(root: Path, on: date) -> dict[str, Path]:
    """Report files of one date, keyed by the province slug in the file name."""
    folder = root / "progres" / on.isoformat()
    return {p.name.split("-")[1]: p for p in sorted(folder.iterdir())}


def lokasi_rows(root: Path) -> dict[str, list[dict[str, Any]]]:
    wb = openpyxl.load_workbook(root / "lokasi" / "lokasi-ta2022.xlsx")
    out = {}
    for ws in wb.worksheets:
        grid = [list(r) for r in ws.iter_rows(values_only=True)]
        h = next(i for i, row in enumerate(grid) if "Program" in row)
        header = [_text(c) for c in grid[h]]
        out[ws.title] = [dict(zip(header, row, strict=True)) for row in grid[h + 1 :] if row[1]]
    return out


def reference() -> tuple[dict[str, str], dict[str, str]]:
    spec = importlib.util.find_spec("lokal")
    assert spec and spec.submodule_search_locations
    base = Path(next(iter(spec.submodule_search_locations))) / "data"
    with gzip.open(base / "wilayah.json.gz", "rt", encoding="utf-8") as fh:
        wilayah = json.load(fh)
    with gzip.open(base / "desa.json.gz", "rt", encoding="utf-8") as fh:
        desa = json.load(fh)
    return wilayah, desa


def step_code(story: dict[str, Any], step: str, program: str) -> str:
    return story["langkah"][step][program]


# ------------------------------------------------------------------------------------------------- tests


def test_committed_data_equals_a_fresh_generation(fresh: Path) -> None:
    committed = {p.relative_to(DATA): p for p in DATA.rglob("*") if p.is_file()}
    generated = {p.relative_to(fresh): p for p in fresh.rglob("*") if p.is_file()}
    assert sorted(committed) == sorted(generated)
    differ = [str(k) for k, p in committed.items() if p.read_bytes() != generated[k].read_bytes()]
    assert differ == [], "regenerate with: python scripts/make_sample.py"


def test_schedule_validates_and_has_key_stages(schedule: dict[str, Any]) -> None:
    from pkp_cli.model.schedule import load_schedule

    loaded = load_schedule(SCHEDULE)
    assert loaded.year == 2022 and loaded.deadline == date(2022, 12, 31)
    for program in ("PISEW", "KOTAKU"):
        for role in ("rekrutmen", "revisi_dipa", "kelembagaan", "survei", "konstruksi"):
            assert loaded.key_stage(program, role), (program, role)
    assert "PERKIRAAN" in SCHEDULE.read_text(encoding="utf-8").split("tahun_anggaran")[0]


def test_location_counts(story: dict[str, Any]) -> None:
    rows = lokasi_rows(DATA)
    expected = {"PISEW": (450, 139, 22), "KOTAKU": (265, 125, 22)}
    provinces = {}
    for program, (n_loc, n_kab, n_prov) in expected.items():
        codes = [r[next(k for k in r if k.startswith("Kode"))] for r in rows[program]]
        assert len(codes) == len(set(codes)) == n_loc
        assert len({c[:5] for c in codes}) == n_kab
        provinces[program] = {c[:2] for c in codes}
        assert len(provinces[program]) == n_prov
        assert {r["Program"] for r in rows[program]} == {program}
    assert provinces["PISEW"] == provinces["KOTAKU"]
    assert {BALI, SULSEL} <= provinces["PISEW"]
    assert not any(p.startswith("9") for p in provinces["PISEW"])  # Papua codes changed since 2022
    assert all(int(r["Kode Kecamatan"][3:5]) < 70 for r in rows["PISEW"])  # PISEW: kabupaten only


def test_location_names_match_the_reference() -> None:
    wilayah, desa = reference()
    rows = lokasi_rows(DATA)
    for r in rows["PISEW"]:
        assert r["Kecamatan"].casefold() == wilayah[r["Kode Kecamatan"]].casefold()
        assert r["Provinsi"] == wilayah[r["Kode Kecamatan"][:2]]
    for r in rows["KOTAKU"]:
        assert r["Kelurahan/Desa"].casefold() == desa[r["Kode Desa/Kel"]].casefold()
        assert r["Kecamatan"].casefold() == wilayah[r["Kode Desa/Kel"][:8]].casefold()


def test_location_attributes_have_plausible_spreads() -> None:
    for program, rows in lokasi_rows(DATA).items():
        repeat = [r for r in rows if r["Lokasi Berulang"] == "Ya"]
        assert 0.30 <= len(repeat) / len(rows) <= 0.40
        assert {r["Kinerja"] for r in repeat} == {"Baik", "Cukup", "Kurang"}
        assert all(r["Kinerja"] is None for r in rows if r["Lokasi Berulang"] == "Tidak")
        assert {r["Dokumen Perencanaan"] for r in rows} == {"Ada", "Tidak"}
        grants = [r["Nilai Bantuan (Rp)"] for r in rows]
        low, high = (550e6, 650e6) if program == "PISEW" else (500e6, 1e9)
        assert all(low <= g <= high for g in grants)


def test_three_report_dates_and_one_silent_week(story: dict[str, Any]) -> None:
    folders = sorted(p.name for p in (DATA / "progres").iterdir())
    assert folders == [d.isoformat() for d in REPORT_DATES]
    for on in REPORT_DATES:
        sent = set(progress_files(DATA, on))
        expected = {p["berkas"] for p in story["provinsi"] if on not in p.get("bentuk", {}).get("tidak_mengirim", [])}
        assert sent == expected
    assert sum(len(progress_files(DATA, on)) for on in REPORT_DATES) == 3 * 22 - 1


def test_every_report_has_every_province_level_stage(story: dict[str, Any], schedule: dict[str, Any]) -> None:
    slug_to_code = {p["berkas"]: p["kode"] for p in story["provinsi"]}
    for on in REPORT_DATES:
        for slug, path in progress_files(DATA, on).items():
            rows = progress_records(path, schedule)
            for program in ("PISEW", "KOTAKU"):
                want = {st["kode"] for st in schedule["program"][program]["tahapan"] if st["tingkat"] == "provinsi"}
                got = {r["tahapan"] for r in rows if r["kode"] == slug_to_code[slug] and r["program"] == program}
                assert got == want, (path.name, program)


def test_progress_dates_are_consistent(schedule: dict[str, Any]) -> None:
    konstruksi = {p["tahapan_kunci"]["konstruksi"] for p in schedule["program"].values()}
    for on in REPORT_DATES:
        for path in progress_files(DATA, on).values():
            for r in progress_records(path, schedule):
                for d in (r["mulai"], r["selesai"]):
                    assert d is None or date(2022, 1, 1) <= d <= on, (path.name, r)
                if r["selesai"]:
                    assert r["mulai"] and r["selesai"] >= r["mulai"], (path.name, r)
                if r["persen"] is not None:
                    assert r["tahapan"] in konstruksi and 0 <= r["persen"] <= 100, (path.name, r)
                if r["laporan"] is not None:
                    assert r["laporan"] == on


def _rows_of(root: Path, slug: str, on: date, schedule: dict[str, Any]) -> list[dict[str, Any]]:
    return progress_records(progress_files(root, on)[slug], schedule)


def _province_row(rows: list[dict[str, Any]], kode: str, program: str, stage: str) -> dict[str, Any]:
    return next(r for r in rows if r["kode"] == kode and r["program"] == program and r["tahapan"] == stage)


def test_bali_finished_recruitment_and_waits_for_the_dipa_revision(
    story: dict[str, Any], schedule: dict[str, Any]
) -> None:
    rows = _rows_of(DATA, "bali", date(2022, 6, 3), schedule)
    for program in ("PISEW", "KOTAKU"):
        for step in ("pengumuman", "seleksi", "wawancara", "penetapan", "briefing"):
            row = _province_row(rows, BALI, program, step_code(story, step, program))
            assert row["mulai"] and row["selesai"], (program, step)
        dipa = _province_row(rows, BALI, program, step_code(story, "revisi_dipa", program))
        assert dipa["mulai"] == date(2022, 4, 4) and dipa["selesai"] is None
        for step in ("kontrak", "mobilisasi"):
            row = _province_row(rows, BALI, program, step_code(story, step, program))
            assert row["mulai"] is None and row["selesai"] is None


def test_bali_locations_finished_institutions_and_survey_by_20_may(
    story: dict[str, Any], schedule: dict[str, Any]
) -> None:
    rows = _rows_of(DATA, "bali", date(2022, 5, 20), schedule)
    lokasi = lokasi_rows(DATA)
    for program, code_col in (("PISEW", "Kode Kecamatan"), ("KOTAKU", "Kode Desa/Kel")):
        mine = {r[code_col] for r in lokasi[program] if r[code_col].startswith(BALI + ".")}
        for step in ("sosialisasi", "kelembagaan", "survei"):
            stage = step_code(story, step, program)
            done = {r["kode"] for r in rows if r["tahapan"] == stage and r["selesai"]}
            assert done == mine, (program, step)


def test_sulawesi_selatan_still_interviewing_in_may(story: dict[str, Any], schedule: dict[str, Any]) -> None:
    for on in (date(2022, 5, 20), date(2022, 5, 27)):
        rows = _rows_of(DATA, "sulsel", on, schedule)
        for program in ("PISEW", "KOTAKU"):
            row = _province_row(rows, SULSEL, program, step_code(story, "wawancara", program))
            assert row["mulai"] == date(2022, 5, 9) and row["selesai"] is None, (on, program)
            assert "Mei" in (row["keterangan"] or "")
            appoint = _province_row(rows, SULSEL, program, step_code(story, "penetapan", program))
            assert appoint["mulai"] is None


def test_provinces_spread_between_the_two(story: dict[str, Any], schedule: dict[str, Any]) -> None:
    """Some provinces are further than Bali (DIPA revised, contracts signed), some are behind."""
    on = date(2022, 6, 3)
    revised, appointed = set(), set()
    for slug, path in progress_files(DATA, on).items():
        kode = next(p["kode"] for p in story["provinsi"] if p["berkas"] == slug)
        rows = progress_records(path, schedule)
        if _province_row(rows, kode, "PISEW", step_code(story, "revisi_dipa", "PISEW"))["selesai"]:
            revised.add(slug)
        if _province_row(rows, kode, "PISEW", step_code(story, "penetapan", "PISEW"))["selesai"]:
            appointed.add(slug)
    assert 1 <= len(revised) < 22 and "bali" not in revised
    assert 1 <= len(appointed) < 22 and "sulsel" not in appointed


def test_the_story_lives_in_data_flip_bali_dipa(flipped: Path, schedule: dict[str, Any], story: dict[str, Any]) -> None:
    on = date(2022, 6, 3)
    rows = _rows_of(flipped, "bali", on, schedule)
    for program in ("PISEW", "KOTAKU"):
        dipa = _province_row(rows, BALI, program, step_code(story, "revisi_dipa", program))
        assert dipa["selesai"] == date(2022, 6, 2)
        contract = _province_row(rows, BALI, program, step_code(story, "kontrak", program))
        assert contract["mulai"] == date(2022, 6, 3)  # Bali signs the day after the revision
    # Only Bali's 3 June report changes: the revision was not yet known on 20 and 27 May.
    changed = [
        str(p.relative_to(flipped))
        for p in sorted(flipped.rglob("*"))
        if p.is_file() and p.read_bytes() != (DATA / p.relative_to(flipped)).read_bytes()
    ]
    assert changed == ["progres/2022-06-03/progres-bali-2022-06-03.xlsx"]


def test_generator_names_no_province(story: dict[str, Any]) -> None:
    source = (ROOT / "scripts" / "make_sample.py").read_text(encoding="utf-8")
    wilayah, _ = reference()
    for prov in story["provinsi"]:
        assert wilayah[prov["kode"]] not in source
        assert f'"{prov["kode"]}"' not in source and prov["berkas"] not in re.findall(r"\w+", source)


def test_audit_findings() -> None:
    wb = openpyxl.load_workbook(DATA / "temuan" / "temuan-audit-ta2022.xlsx")
    grid = [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
    assert any(_text(c) == "Per Tanggal 3 Juni 2022" for row in grid[:3] for c in row)
    h = next(i for i, row in enumerate(grid) if "Nomor Temuan" in row)
    rows = [dict(zip(grid[h], row, strict=True)) for row in grid[h + 1 :] if row[1]]
    on = date(2022, 6, 3)
    assert len({r["Kode Provinsi"] for r in rows}) == 22
    assert {r["Status Tindak Lanjut"] for r in rows} == {"Belum", "Proses", "Selesai"}
    closed = [_date(r["Tanggal Tindak Lanjut"]) for r in rows if r["Status Tindak Lanjut"] == "Selesai"]
    assert all(c is not None and c <= on for c in closed)
    assert all(r["Tanggal Tindak Lanjut"] is None for r in rows if r["Status Tindak Lanjut"] != "Selesai")
    assert any(date(2022, 5, 20) < c <= on for c in closed if c)
    overdue = [r for r in rows if r["Status Tindak Lanjut"] != "Selesai" and _date(r["Batas Waktu"]) < on]
    assert len(overdue) >= 5


def test_shapes_cover_the_habits_of_real_workbooks(schedule: dict[str, Any]) -> None:
    on = date(2022, 5, 27)
    files = progress_files(DATA, on)
    csvs = [p for p in files.values() if p.suffix == ".csv"]
    assert csvs and csvs[0].read_bytes().startswith(b"\xef\xbb\xbf") and b";" in csvs[0].read_bytes()
    assert b"\r\n" in csvs[0].read_bytes() and b"0,00" in csvs[0].read_bytes()
    seen = {
        "title": False,
        "two_row": False,
        "wide": False,
        "jumlah": False,
        "offset": False,
        "text_date": False,
    }
    for path in files.values():
        for _, grid, merges in _grids(path):
            first = [_text(c) for row in grid[:8] for c in row]
            seen["title"] |= any(t.startswith("Keadaan s.d. 27 Mei 2022") for t in first)
            seen["two_row"] |= any(t == "Realisasi" for t in first) and bool(merges)
            seen["wide"] |= "PSW-09" in first or "KTK-09" in first
            seen["jumlah"] |= any(_text(row[0]) == "JUMLAH" for row in grid if row)
            seen["offset"] |= bool(grid) and not any(grid[0]) and all(row[0] is None for row in grid)
            seen["text_date"] |= any(
                isinstance(c, str) and re.fullmatch(r"\d+ Mei 2022", c) for row in grid for c in row
            )
    assert all(seen.values()), seen


def test_bundled_data_loads_without_rejections() -> None:
    """The lead's loader reads the whole sample: nothing rejected, the seed's counts in the frames."""
    load = pytest.importorskip("pkp_cli.ingest.load")
    from pkp_cli.model.schedule import load_schedule

    result = load.load_data([DATA], load_schedule(SCHEDULE))
    problems = [(e.file, e.row, e.cell, e.code) for e in result.errors[:10]]
    assert result.rows_rejected == 0 and result.errors_total == 0, problems
    assert result.ignored == [] and result.unreadable == []
    lok = result.lokasi
    for program, counts in {"PISEW": (450, 139, 22), "KOTAKU": (265, 125, 22)}.items():
        mine = lok[lok["program"] == program]
        assert (
            mine["kode_lokasi"].nunique(),
            mine["kode_kabupaten"].nunique(),
            mine["kode_provinsi"].nunique(),
        ) == counts
    assert sorted(result.progres["tanggal_laporan"].dt.date.unique()) == REPORT_DATES
    assert result.temuan["kode_provinsi"].nunique() == 22
