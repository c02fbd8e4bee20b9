"""Usage errors: one line on stderr naming the option and the value, in the user's language, exit 2.

These run `main()` itself (the console script's entry), which words Click's errors; CliRunner would show
Click's own English text instead.
"""

from __future__ import annotations

import pytest

from pkp_cli.cli.app import main
from tests.factories import ROOT


def run_main(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    monkeypatch.setattr("sys.argv", ["pkp", *args])
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("PKP_LANG", raising=False)
    with pytest.raises(SystemExit) as stop:
        main()
    err = capsys.readouterr().err
    return int(stop.value.code or 0), err


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("status", "--format", "xml"), "pkp: --format xml: nilai tidak sah (pilihan: table, json, csv, markdown, md)"),
        (("status", "--formt", "json"), "pkp: --formt: opsi tidak dikenal; maksud Anda: --format"),
        (("candidates", "--top", "0"), "pkp: --top 0: nilai tidak sah (minimal 1)"),
        (("candidates", "--top", "x"), "pkp: --top x: nilai tidak sah (harus bilangan bulat)"),
        (("validate", "--max-errors", "-1"), "pkp: --max-errors -1: nilai tidak sah (minimal 0)"),
        (("status", "--province"), "pkp: --province: memerlukan nilai"),
        (("statsu",), "pkp: statsu: perintah tidak dikenal"),
        (("sample",), "pkp: target: wajib diisi"),
        (("--lang", "en", "status", "--format", "xml"), "pkp: --format xml: invalid value (choose from: table, json"),
        (("status", "--as-of", "2022-02-30"), "pkp: --as-of 2022-02-30: bukan tanggal yang ada; tulis YYYY-MM-DD"),
        (("status", "--as-of", "3 Juni 2022"), "pkp: --as-of 3 Juni 2022: bukan tanggal yang ada"),
        (("status", "--province", "Atlantis"), "pkp: --province Atlantis: tidak dikenal"),
        (("status", "--province", "Bali", "--stage", "XYZ"), "pkp: --stage XYZ: tidak dikenal"),
        (("status", "--kabupaten", "Gotham"), "pkp: --kabupaten Gotham: tidak dikenal"),
        (
            ("status", "--lokasi", "51.01.99"),
            "pkp: --lokasi 51.01.99: tidak dikenal (maksud Anda: 51.01.02, 51.01.02.2008, 51.01.04?)",
        ),
        (("status", "--program", "X"), "pkp: --program X: tidak dikenal (pilihan: PISEW, KOTAKU)"),
        (("status", "--status", "late"), "pkp: --status late: tidak dikenal (pilihan: selesai"),
        (("--lang", "en", "status", "--province", "Balli"), "pkp: --province Balli: unknown (did you mean: Bali"),
    ],
)
def test_usage_error_names_option_and_value(monkeypatch, capsys, args, expected) -> None:
    code, err = run_main(monkeypatch, capsys, *args)
    lines = [line for line in err.splitlines() if line.startswith("pkp:")]
    assert code == 2, err
    assert len(lines) == 1 and lines[0].startswith(expected), err
    assert "Traceback" not in err and "Usage:" not in err


@pytest.mark.parametrize("command", ["status", "readiness", "audit", "candidates"])
@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "2023-01-01", "2021-12-31"])
def test_as_of_outside_the_fiscal_year_is_a_usage_error(monkeypatch, capsys, command, day) -> None:
    # The bundled data has reports of 2022 only, the schedule is TA 2022: any other year is refused, the first
    # day after and the last day before the fiscal year included (its boundaries).
    code, err = run_main(monkeypatch, capsys, command, "--as-of", day)
    assert code == 2 and f"--as-of {day}: di luar tahun anggaran 2022" in err, err


@pytest.mark.parametrize("day", ["2022-01-01", "2022-12-31"])
def test_as_of_on_the_fiscal_year_boundaries_is_accepted(monkeypatch, capsys, day) -> None:
    code, err = run_main(monkeypatch, capsys, "status", "--as-of", day, "--format", "json")
    assert code == 0, err


@pytest.mark.parametrize(
    "args",
    [
        ("status", "--data", ""),
        ("status", "--schedule", " "),
        ("candidates", "--rules", ""),
        ("status", "--table", "kabupaten", "--format", "csv", "--out", ""),
        ("weekly", "--history", ""),
        ("history", "--history", ""),
        ("report", "--out", ""),
        ("template", "--out", ""),
        ("validate", "--rejects", ""),
        ("validate", ""),
        ("schedule", "--check", ""),
        ("sample", ""),
    ],
)
def test_an_empty_path_is_a_usage_error_not_the_current_folder(monkeypatch, capsys, tmp_path, args) -> None:
    """Path("") is the current folder: `weekly --history ""` stored its snapshot, lock and summaries in the
    folder pkp ran from, `--out ""` wrote there. Every path given on the command line must name something."""
    before = sorted(p.name for p in ROOT.iterdir())
    code, err = run_main(monkeypatch, capsys, *args)
    lines = [line for line in err.splitlines() if line.startswith("pkp:")]
    assert code == 2, err
    assert len(lines) == 1 and "nilai tidak sah (jalur kosong)" in lines[0], err
    if args[-2].startswith("--"):
        assert lines[0].startswith(f'pkp: {args[-2]} "{args[-1]}": '), err  # the empty value shown in quotes
    assert sorted(p.name for p in ROOT.iterdir()) == before  # nothing written where pkp ran
