"""`pkp report` on the bundled data: every pack in every default format, the index worst first, every workbook
opened back, the batch behaviour (default folder, write failures, rejected rows, formula-looking remarks, PDF,
progress bar, byte-identical packs under two clocks).

At 3 June 2022 (the newest report) the national table ranks Maluku Utara worst (-11.7 points) and Bali best
(+15.9): the index lists the province packs in that order with the national pack as its total row. The S-curve
has a point every Friday from 7 January to 3 June: 22 points per program.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner, Result

from pkp_cli.cli.app import app
from tests.factories import ROOT, output_files

CURVE_POINTS = 22  # Fridays 7 January .. 3 June 2022
# the readiness board has a table per program (PISEW, KOTAKU): a sheet each, named by its program
PROVINCE_SHEETS = [
    "ringkasan", "kesiapan PISEW", "kesiapan KOTAKU", "kesiapan_lokasi", "persiapan", "kabupaten", "terlambat",
    "konstruksi", "kandidat", "menunggu", "audit", "lewat_batas", "perubahan", "kurva_s", "Keterangan",
]  # fmt: skip
NATIONAL_SHEETS = ["provinsi", "belum_melapor", "tahapan_terlambat", "program", "kurva_s", "Keterangan"]
IN_CI = os.environ.get("CI") == "true"


def _env(config_home: Path, **extra: str) -> dict[str, str]:
    return {"NO_COLOR": "1", "COLUMNS": "120", "XDG_CONFIG_HOME": str(config_home), **extra}


def run(args: list[str], config_home: Path, cwd: Path = ROOT, **env: str) -> Result:
    here = Path.cwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(app, args, env=_env(config_home, **env))
    finally:
        os.chdir(here)


@pytest.fixture(scope="module")
def packs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Result]:
    out = tmp_path_factory.mktemp("packs") / "laporan"
    res = run(["report", "--data", str(ROOT / "data"), "--out", str(out)], tmp_path_factory.mktemp("cfg"))
    return out, res


def _national_order() -> list[str]:
    res = CliRunner().invoke(app, ["status", "--data", str(ROOT / "data"), "-f", "json"], env={"NO_COLOR": "1"})
    return [r["provinsi"] for r in json.loads(res.stdout)["tables"]["provinsi"]]


@pytest.mark.slow
def test_every_pack_in_every_default_format(packs: tuple[Path, Result]) -> None:
    out, res = packs
    assert res.exit_code == 0, res.output
    names = set(output_files(out))
    stems = {n.rsplit(".", 1)[0] for n in names} - {"index"}
    assert len(stems) == 23 and "nasional" in stems and "bali" in stems and "sulawesi-selatan" in stems
    assert names == {f"{s}.{f}" for s in stems for f in ("xlsx", "html", "md")} | {"index.html", "index.md"}
    assert f"23 paket ditulis ke {out} (xlsx, html, md)" in res.stderr
    assert "━" not in res.stderr  # no progress bar when stderr is not a terminal


@pytest.mark.slow
def test_the_index_lists_the_packs_worst_first(packs: tuple[Path, Result]) -> None:
    out, _ = packs
    md = (out / "index.md").read_text(encoding="utf-8")
    assert "Posisi per: 3 Juni 2022" in md and f"Sumber data: {ROOT / 'data'}" in md
    rows = [line for line in md.splitlines() if line.startswith("| [xlsx]")]
    shown = [line.split(" | ")[1] for line in rows]
    assert shown[:-1] == _national_order()  # worst first, as the national table ranks them
    assert shown[0] == "Maluku Utara" and shown[-2] == "Bali" and shown[-1] == "**Nasional**"
    assert rows[0].startswith("| [xlsx](maluku-utara.xlsx) [html](maluku-utara.html) [md](maluku-utara.md) |")
    assert "| -11,7 |" in rows[0] and "| +15,9 |" in rows[-2]
    page = (out / "index.html").read_text(encoding="utf-8")
    assert '<a href="bali.html">html</a>' in page and '<a href="nasional.xlsx">xlsx</a>' in page
    assert page.index("Maluku Utara") < page.index("Kalimantan Tengah") < page.index(">Bali<")


@pytest.mark.slow
def test_every_workbook_opens_with_its_sheets_chart_and_typed_cells(packs: tuple[Path, Result]) -> None:
    out, _ = packs
    books = sorted(out.glob("*.xlsx"))
    assert len(books) == 23
    for path in books:
        wb = openpyxl.load_workbook(path)
        assert wb.sheetnames == (NATIONAL_SHEETS if path.stem == "nasional" else PROVINCE_SHEETS), path.name
        for ws in wb.worksheets:
            assert ws.freeze_panes == "A3" and ws.auto_filter.ref, (path.name, ws.title)
        (chart,) = wb["kurva_s"]._charts
        assert len(chart.series) == 4, path.name  # two programs x (planned, actual)
        for s in chart.series:
            first, last = re.findall(r"\$(\d+)", s.val.numRef.f)
            assert int(last) - int(first) + 1 == CURVE_POINTS, (path.name, s.val.numRef.f)
    bali = openpyxl.load_workbook(out / "bali.xlsx")
    prep = bali["persiapan"]
    heads = [c.value for c in prep[2]]
    first = {h: prep.cell(row=3, column=i + 1) for i, h in enumerate(heads)}
    assert first["tahapan"].value == "PSW-01" and first["jadwal selesai"].value == datetime(2022, 3, 31)
    assert first["jadwal selesai"].number_format == "[$-421]d mmmm yyyy"
    card = {r[0].value: r[1] for r in bali["ringkasan"].iter_rows(min_row=3) if r[0].value}
    assert card["deviasi"].value == pytest.approx(15.9, abs=0.05) and card["rencana %"].number_format == "0.0%"


def _command_json(*args: str) -> dict:
    res = CliRunner().invoke(app, [*args, "--data", str(ROOT / "data"), "-f", "json"], env={"NO_COLOR": "1"})
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


@pytest.mark.slow
def test_a_province_pack_holds_its_readiness_candidates_and_audit(packs: tuple[Path, Result]) -> None:
    """Bali's pack has the rows `pkp readiness`, `pkp candidates` and `pkp audit` give for Bali."""
    out, _ = packs
    wb = openpyxl.load_workbook(out / "bali.xlsx")

    def data_rows(sheet: str) -> list[tuple]:
        """The rows under the autofilter (the notes below a table are not data)."""
        last = int(re.findall(r"\d+", wb[sheet].auto_filter.ref)[-1])
        return list(wb[sheet].iter_rows(min_row=3, max_row=last, values_only=True))

    readiness = _command_json("readiness", "-p", "Bali")["tables"]
    assert len(data_rows("kesiapan PISEW")) + len(data_rows("kesiapan KOTAKU")) == len(readiness["kesiapan"]) == 2
    assert len([r for r in data_rows("kesiapan_lokasi") if r[1] == "Bali"]) == len(readiness["lokasi"]) == 2
    candidates = _command_json("candidates", "-p", "Bali")["tables"]
    assert len(candidates["kandidat"]) == 6
    kandidat = wb["kandidat"]
    codes = [kandidat.cell(row=r, column=1).value for r in range(3, 3 + 6)]
    assert codes == [c["kode_lokasi"] for c in candidates["kandidat"]]
    audit = _command_json("audit", "-p", "Bali")["tables"]
    heads = [c.value for c in wb["audit"][2]]
    (line,) = [r for r in data_rows("audit") if r[heads.index("provinsi")] == "Bali"]
    assert line[heads.index("temuan")] == audit["provinsi"][0]["temuan"]
    assert len([r for r in data_rows("lewat_batas") if r[1] == "Bali"]) == len(audit["lewat_batas"])
    md = (out / "bali.md").read_text(encoding="utf-8")
    titles = [line for line in md.splitlines() if line.startswith("## ")]
    assert titles[1:3] == ["## Papan kesiapan provinsi — PISEW", "## Papan kesiapan provinsi — KOTAKU"]
    assert "## Lokasi yang dapat dipercepat — Bali (6)" in titles and titles[-1].startswith("## Perubahan sejak")


@pytest.mark.slow
def test_a_province_pack_shows_working_days_late_beside_calendar_days(packs: tuple[Path, Result]) -> None:
    out, _ = packs
    md = (out / "aceh.md").read_text(encoding="utf-8")
    late = md.split("## Aceh — lokasi terlambat", 1)[1].split("\n## ", 1)[0]
    # (no late location at 3 June: the table is empty, its legend lists the columns it shows)
    assert "- **hari terlambat**:" in late and "- **hari kerja terlambat**:" in late
    screen = (ROOT / "tests" / "golden" / "status-bali.md").read_text(encoding="utf-8")
    assert "- **hari kerja terlambat**:" not in screen.split("lokasi terlambat", 1)[1].split("\n## ", 1)[0]


@pytest.mark.slow
def test_named_provinces_only_worst_first_without_the_national_pack(tmp_path: Path) -> None:
    out = tmp_path / "out"
    res = run(["report", "-p", "Bali", "-p", "Sulsel", "--format", "xlsx", "--out", str(out)], tmp_path)
    assert res.exit_code == 0, res.output
    assert output_files(out) == ["bali.xlsx", "index.html", "index.md", "sulawesi-selatan.xlsx"]
    rows = [line for line in (out / "index.md").read_text().splitlines() if line.startswith("| [xlsx]")]
    assert [r.split(" | ")[1] for r in rows] == ["Sulawesi Selatan", "Bali"]  # -9.8 before +15.9; no total row


def test_a_rerun_replaces_the_packs_but_never_a_file_pkp_did_not_write(tmp_path: Path) -> None:
    """An analyst's own bali.md in the output folder was overwritten by the pack without a word. pkp now keeps a
    record of what it wrote (.pkp-written.json) and replaces only those files, while nobody changed them."""
    out = tmp_path / "out"
    args = ["report", "-p", "Bali", "--format", "md", "--out", str(out)]
    assert run(args, tmp_path).exit_code == 0
    first = (out / "bali.md").read_text()
    again = run(args, tmp_path)  # the next meeting: pkp's own files are replaced
    assert again.exit_code == 0, again.output
    assert (out / "bali.md").read_text() == first
    (out / "bali.md").write_text("# Bali\n\ncatatan rapat saya\n")  # the analyst edits the pack
    res = run(args, tmp_path)
    assert res.exit_code == 73, res.output
    (line,) = [x for x in res.stderr.splitlines() if x.startswith("pkp:")]
    assert line.startswith(f"pkp: {out / 'bali.md'}: ada berkas dengan nama ini yang tidak ditulis pkp")
    assert (out / "bali.md").read_text() == "# Bali\n\ncatatan rapat saya\n"


@pytest.mark.slow
def test_default_folder_and_sample_marker_on_every_page_and_sheet(tmp_path: Path) -> None:
    """From an empty folder: the bundled sample, written to ./laporan-<as-of>, marked as sample data."""
    cfg = tmp_path / "cfg"
    work = tmp_path / "work"
    work.mkdir()
    res = run(["report", "--province", "Bali", "--quiet"], cfg, cwd=work)
    assert res.exit_code == 0, res.output
    out = work / "laporan-2022-06-03"
    assert output_files(out) == ["bali.html", "bali.md", "bali.xlsx", "index.html", "index.md"]
    assert res.stderr.count("paket ditulis") == 0  # --quiet
    for name in ("bali.md", "bali.html", "index.md", "index.html"):
        assert "DATA CONTOH (bawaan pkp)" in (out / name).read_text(encoding="utf-8"), name
    wb = openpyxl.load_workbook(out / "bali.xlsx")
    for ws in wb.worksheets:
        assert "DATA CONTOH (bawaan pkp)" in ws["A1"].value, ws.title
    # the config's `output` key holds one folder per status date when set (last week's packs stay)
    (cfg / "pkp").mkdir(parents=True)
    (cfg / "pkp" / "config.toml").write_text(f'output = "{tmp_path / "keluaran"}"\n', encoding="utf-8")
    res = run(["report", "--province", "Bali", "--format", "md"], cfg, cwd=work)
    assert res.exit_code == 0, res.output
    assert (tmp_path / "keluaran" / "laporan-2022-06-03" / "bali.md").is_file()


@pytest.mark.slow
def test_write_failures_exit_73_naming_the_path(tmp_path: Path) -> None:
    a_file = tmp_path / "bukan-folder"
    a_file.write_text("x")
    for out in (a_file, a_file / "di-dalam"):
        res = run(["report", "--province", "Bali", "--format", "md", "--out", str(out)], tmp_path)
        assert res.exit_code == 73, (out, res.output)
        assert str(a_file) in res.stderr and "Traceback" not in res.stderr, res.stderr


HOSTILE = (
    "Kode Lokasi;Program;Tahapan;Tanggal Mulai;Tanggal Selesai;Progres (%);Keterangan\n"
    "51;PISEW;PSW-06;04/04/2022;;;=SUM(A1:A9)\n"
    "51;KOTAKU;KTK-06;04/04/2022;;;<script>alert(1)</script>\n"
    "51;PISEW;PSW-07;;;;+62 812 555\n"
    "51;KOTAKU;KTK-07;;;;@kontak\n"
    "51;PISEW;PSW-08;;;;-5 hari\n"
    "51;KOTAKU;KTK-08;32/13/2022;;;tanggal salah\n"
)


@pytest.mark.slow
def test_rejected_rows_and_formula_looking_remarks(tmp_path: Path) -> None:
    """A BPPW's report of 4 June: five remarks that a spreadsheet would run or a browser would execute, and one
    row with an impossible date (rejected). The packs still come out, exit 65, the index counts the row."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    (data / "progres" / "progres-bali-2022-06-04.csv").write_text(HOSTILE, encoding="utf-8")
    out = tmp_path / "out"
    res = run(["report", "--data", str(data), "--province", "Bali", "--out", str(out)], tmp_path)
    assert res.exit_code == 65, res.output
    assert "1 baris ditolak" in res.stderr
    assert "1 baris data ditolak" in (out / "index.md").read_text(encoding="utf-8")
    assert "1 baris data ditolak" in (out / "index.html").read_text(encoding="utf-8")
    ws = openpyxl.load_workbook(out / "bali.xlsx")["persiapan"]
    col = [c.value for c in ws[2]].index("keterangan") + 1
    remarks = {ws.cell(row=r, column=4).value: ws.cell(row=r, column=col) for r in range(3, ws.max_row + 1)}
    for stage, text in [("PSW-06", "=SUM(A1:A9)"), ("PSW-07", "+62 812 555"), ("KTK-07", "@kontak"),
                        ("PSW-08", "-5 hari")]:  # fmt: skip
        assert remarks[stage].value == text and remarks[stage].data_type == "s", stage
    with zipfile.ZipFile(out / "bali.xlsx") as zf:
        assert not any(b"<f>" in zf.read(n) for n in zf.namelist() if n.startswith("xl/worksheets/"))
    page = (out / "bali.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    assert "<script>" not in (out / "bali.md").read_text(encoding="utf-8")
    csv = run(["status", "--data", str(data), "-p", "Bali", "-f", "csv", "--table", "persiapan"], tmp_path)
    for text in ("'=SUM(A1:A9)", "'+62 812 555", "'@kontak", "'-5 hari"):
        assert text in csv.stdout, text


def test_pdf_without_a_browser_is_refused_in_one_line(tmp_path: Path) -> None:
    res = run(["report", "--format", "pdf", "--out", str(tmp_path / "o")], tmp_path, PKP_CHROMIUM=str(tmp_path / "x"))
    assert res.exit_code == 2
    lines = [line for line in res.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "apt-get install chromium" in lines[0], res.stderr
    assert not (tmp_path / "o").exists()


def _need(program: str) -> str:
    found = shutil.which(program)
    if found is None:
        if IN_CI:
            pytest.fail(f"{program} is not installed; .ci/run installs it (apt-get install {program})")
        pytest.skip(f"{program} is not installed (apt-get install {program})")
    return found


@pytest.mark.slow
def test_pdf_pack_is_printed_by_chromium(tmp_path: Path) -> None:
    _need("chromium")
    out = tmp_path / "out"
    res = run(["report", "--province", "Bali", "--format", "pdf", "--out", str(out)], tmp_path)
    assert res.exit_code == 0, res.output
    assert output_files(out) == ["bali.pdf", "index.html", "index.md"]  # no page left behind
    pdf = (out / "bali.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-") and len(re.findall(rb"/Type\s*/Page\b", pdf)) >= 2
    assert '<a href="bali.pdf">pdf</a>' in (out / "index.html").read_text(encoding="utf-8")
    if shutil.which("pdftotext"):  # the footer: the as-of date and the page number on every page
        text = subprocess.run(["pdftotext", "-layout", str(out / "bali.pdf"), "-"], capture_output=True, text=True)
        pages = text.stdout.split("\f")
        assert "Halaman 1 /" in pages[0] and all("Posisi per: 3 Juni 2022" in p for p in pages if p.strip())


def _subprocess_env(config_home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PKP_") and k not in ("FORCE_COLOR", "TERM")}
    env.update(NO_COLOR="1", XDG_CONFIG_HOME=str(config_home), PYTHONIOENCODING="utf-8")
    return env


@pytest.mark.slow
def test_same_input_same_bytes_under_two_clocks(tmp_path: Path) -> None:
    """The packs of two runs, one with the clock at 15 January 2023 and one at 9 July 2031 (libfaketime), are
    byte for byte the same: no date, time or random id reaches a file."""
    faketime = _need("faketime")
    outs = []
    for clock in ("2023-01-15 08:00:00", "2031-07-09 17:45:30"):
        out = tmp_path / clock[:4]
        cmd = [faketime, clock, sys.executable, "-m", "pkp_cli", "report", "--quiet", "--data", str(ROOT / "data"),
               "--out", str(out)]  # fmt: skip
        proc = subprocess.run(cmd, cwd=ROOT, env=_subprocess_env(tmp_path), capture_output=True, timeout=600)
        assert proc.returncode == 0, proc.stderr.decode()
        outs.append(out)
    a, b = outs
    names = output_files(a)
    assert names == output_files(b) and len(names) == 71
    assert [n for n in names if (a / n).read_bytes() != (b / n).read_bytes()] == []


@pytest.mark.slow
def test_progress_bar_on_a_terminal_only(tmp_path: Path) -> None:
    """Run under a pseudo-terminal: the bar counts the packs (n/2); with --quiet nothing is drawn."""
    import pty

    def under_tty(*extra: str) -> str:
        master, slave = pty.openpty()
        env = _subprocess_env(tmp_path) | {"TERM": "xterm", "COLUMNS": "100"}
        env.pop("NO_COLOR")
        cmd = [sys.executable, "-m", "pkp_cli", "report", "-p", "Bali", "-p", "Aceh", "--format", "md",
               "--data", str(ROOT / "data"), "--out", str(tmp_path / "o"), *extra]  # fmt: skip
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdin=slave, stdout=slave, stderr=slave)
        os.close(slave)
        chunks = []
        while True:
            try:
                data = os.read(master, 4096)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
        proc.wait(timeout=600)
        os.close(master)
        assert proc.returncode == 0
        return b"".join(chunks).decode("utf-8", "replace")

    assert re.search(r"[012]/2", under_tty())
    assert not re.search(r"[012]/2", under_tty("--quiet"))
