"""`pkp weekly`: two weeks compared, the digest's counts against a fixture derived by hand, reruns, trends, plan
changes, exit codes, and the config keys `history` and `output`."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pkp_cli.cli.app import app
from pkp_cli.history import store
from tests.factories import ROOT, WEEKLY_SCHEDULE, output_files, write_weekly_fixture

runner = CliRunner()


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """No user config, no user data folder: everything inside the test's folder."""
    cfg = tmp_path / "xdg-config"
    cfg.mkdir(exist_ok=True)
    return {"XDG_CONFIG_HOME": str(cfg), "XDG_DATA_HOME": str(tmp_path / "xdg-data"), "NO_COLOR": "1", **extra}


def weekly(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    res = runner.invoke(app, ["weekly", *args], env=env or _env(tmp_path))
    return res.exit_code, res.stdout, res.stderr


def fixture_args(paths: dict[str, Path], tmp_path: Path) -> list[str]:
    return [
        "--data", str(paths["data"]), "--schedule", str(paths["schedule"]), "--rules", str(paths["rules"]),
        "--history", str(tmp_path / "riwayat"), "--out", str(tmp_path / "ringkasan"),
    ]  # fmt: skip


def count(digest: str, prefix: str) -> int:
    """The number after `prefix` on its digest line ("Baru terlambat: 4 tahapan" -> 4)."""
    (line,) = [ln for ln in digest.splitlines() if ln.startswith(prefix)]
    return int(re.match(rf"{re.escape(prefix)}\s*(\d+)", line).group(1))  # type: ignore[union-attr]


# --- the hand-derived two-week fixture ----------------------------------------------------------------------
#
# Windows: P1 to 10 May, P2 to 30 Jun (province level); L1 to 10 May, L2 1-24 May, L3 (survey) to 30 Jun.
# Week 1 is 20 May (W20), week 2 is 27 May (W21); Nusa Tenggara Barat sends nothing in week 2.
#
# location   stage  20 May                       27 May
# A 51.04.01 L2     started 10 May: berjalan     still open, past 24 May: terlambat       -> newly late
# A 51.04.01 L3     started: berjalan            finished 25 May: selesai                 -> finished
# B 51.04.02 L1     open past 10 May: terlambat  finished 22 May: selesai_terlambat       -> finished, recovered
# B 51.04.02 L2     not started: belum_mulai     past 24 May: terlambat                   -> newly late
# C 51.04.03 L1     open: terlambat, 10 days     open: terlambat, 17 days                 -> slipping
# C 51.04.03 L2     belum_mulai                  terlambat                                -> newly late
# D 52.01.01 L2     started 12 May: berjalan     (no new report) past 24 May: terlambat   -> newly late
# Every other row keeps its status (P1/P2 of both provinces, A L1, C L3, D L1 and L3, B L3).
# => finished 2, newly late 4, recovered 1, slipping 1; not reported: NTB (newest report 20 May = week 1).
# Candidates (repeat + Baik + survey finished): week 1 D only (survey done 18 May; A's survey still open);
# week 2 A (survey done 25 May) while D's kinerja became Kurang => 1 new (A), 1 dropped (D).
# Findings: T-1 closed 23 May (in progress on 20 May) => 1 closed; T-2 due 25 May, open => 1 newly overdue;
# T-3 overdue in both weeks and T-4 closed in both are not news.


def test_digest_counts_match_the_fixture_derived_by_hand(tmp_path: Path) -> None:
    paths = write_weekly_fixture(tmp_path, 1)
    code, out, err = weekly(tmp_path, *fixture_args(paths, tmp_path))
    assert code == 0, err
    assert out.splitlines()[0].startswith("pkp mingguan 2022-W20 (20 Mei 2022): minggu pertama")
    write_weekly_fixture(tmp_path, 2)
    code, out, err = weekly(tmp_path, *fixture_args(paths, tmp_path))
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "pkp mingguan 2022-W21 (27 Mei 2022) dibanding 2022-W20 (20 Mei 2022)"
    assert count(out, "Selesai minggu ini:") == 2
    assert count(out, "Baru terlambat:") == 4
    assert count(out, "Pulih dari terlambat:") == 1
    assert count(out, "Makin terlambat:") == 1
    assert count(out, "Belum melapor minggu ini:") == 1
    assert "Belum melapor minggu ini: 1 provinsi (Nusa Tenggara Barat)" in lines
    assert "Kandidat percepatan: 1 keluar, 1 baru" in lines
    assert count(out, "Temuan audit ditutup:") == 1
    assert count(out, "Temuan audit baru lewat batas:") == 1
    # worst news first: the bad news with a count come before the good news
    assert lines.index(next(ln for ln in lines if ln.startswith("Baru terlambat"))) < lines.index(
        next(ln for ln in lines if ln.startswith("Selesai minggu ini"))
    )
    assert len(lines) <= 15
    assert lines[-1] == f"Ringkasan: {tmp_path / 'ringkasan' / 'ringkasan-2022-W21.md'}, .xlsx, .html"


def test_which_rows_changed_in_the_fixture(tmp_path: Path) -> None:
    paths = write_weekly_fixture(tmp_path, 1)
    assert weekly(tmp_path, *fixture_args(paths, tmp_path))[0] == 0
    write_weekly_fixture(tmp_path, 2)
    code, out, err = weekly(tmp_path, *fixture_args(paths, tmp_path), "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    t = doc["tables"]
    assert doc["minggu"] == "2022-W21" and doc["minggu_pembanding"] == "2022-W20"
    assert doc["direkonstruksi"] is False

    def keys(name: str) -> set[tuple[str, str]]:
        return {(r["kode_lokasi"], r["tahapan"]) for r in t[name]}

    assert keys("baru_terlambat") == {("51.04.01", "L2"), ("51.04.02", "L2"), ("51.04.03", "L2"), ("52.01.01", "L2")}
    assert keys("selesai") == {("51.04.01", "L3"), ("51.04.02", "L1")}
    assert keys("pulih") == {("51.04.02", "L1")}
    (slip,) = t["makin_terlambat"]
    assert (slip["kode_lokasi"], slip["hari_terlambat_sebelumnya"], slip["hari_terlambat"], slip["tambah_hari"]) == (
        "51.04.03", 10, 17, 7,
    )  # fmt: skip
    assert {(r["perubahan_kandidat"], r["kode_lokasi"]) for r in t["kandidat"]} == {
        ("masuk", "51.04.01"),
        ("keluar", "52.01.01"),
    }
    assert {(r["perubahan"], r["nomor_temuan"]) for r in t["temuan"]} == {
        ("ditutup", "T-1"),
        ("baru_lewat_batas", "T-2"),
    }
    assert [r["kode_provinsi"] for r in t["belum_melapor"]] == ["52"]
    per = {r["kode_provinsi"]: r for r in t["provinsi"]}
    assert (per["51"]["baru_terlambat"], per["51"]["selesai_minggu_ini"], per["52"]["baru_terlambat"]) == (3, 2, 1)
    # the rerun in the same week replaced week 21: one file per week
    assert sorted(p.name for p in (tmp_path / "riwayat").glob("*.parquet")) == ["2022-W20.parquet", "2022-W21.parquet"]


def test_first_run_rebuilds_the_previous_week_and_does_not_store_it(tmp_path: Path) -> None:
    paths = write_weekly_fixture(tmp_path, 1)
    write_weekly_fixture(tmp_path, 2)
    code, out, _ = weekly(tmp_path, *fixture_args(paths, tmp_path))
    assert code == 0
    # the replay at 20 May (the newest report of an earlier week) gives the same changes as the stored week 20,
    # except the lokasi change: the replay reads today's lokasi workbook, so D was never a candidate then
    assert out.splitlines()[0] == "pkp mingguan 2022-W21 (27 Mei 2022) dibanding 2022-W20 (20 Mei 2022, direkonstruksi)"
    assert count(out, "Baru terlambat:") == 4 and count(out, "Belum melapor minggu ini:") == 1
    assert "Kandidat percepatan: 0 keluar, 1 baru" in out.splitlines()
    assert [p.name for p in (tmp_path / "riwayat").glob("*.parquet")] == ["2022-W21.parquet"]
    summary = (tmp_path / "ringkasan" / "ringkasan-2022-W21.md").read_text(encoding="utf-8")
    assert "direkonstruksi" in summary


def test_schedule_change_is_said_first(tmp_path: Path) -> None:
    paths = write_weekly_fixture(tmp_path, 1)
    assert weekly(tmp_path, *fixture_args(paths, tmp_path))[0] == 0
    write_weekly_fixture(tmp_path, 2)
    # the plan moves L2's deadline from 24 May to 31 May: nothing is late on L2 any more, by plan, not progress
    paths["schedule"].write_text(WEEKLY_SCHEDULE.replace("selesai: 2022-05-24", "selesai: 2022-05-31"), "utf-8")
    code, out, err = weekly(tmp_path, *fixture_args(paths, tmp_path))
    assert code == 0, err
    lines = out.splitlines()
    assert lines[1].startswith("JADWAL BERUBAH sejak 2022-W20") and "1 tahapan bergeser" in lines[1]
    assert count(out, "Baru terlambat:") == 0
    code, out, _ = weekly(tmp_path, *fixture_args(paths, tmp_path), "-f", "json")
    (moved,) = json.loads(out)["tables"]["jadwal_berubah"]
    assert (moved["tahapan"], moved["jadwal_selesai_sebelumnya"], moved["jadwal_selesai"]) == (
        "L2", "2022-05-24", "2022-05-31",
    )  # fmt: skip


def test_rejected_rows_exit_65_and_the_summary_says_so(tmp_path: Path) -> None:
    import openpyxl

    paths = write_weekly_fixture(tmp_path, 2)
    book = paths["data"] / "progres" / "2022-05-27" / "progres-bali-2022-05-27.xlsx"
    wb = openpyxl.load_workbook(book)
    wb.active.append(["51.04.01", "PISEW", "L1", "31/02/2022", None, "2022-05-27"])  # 31 Feb: rejected
    wb.save(book)
    code, out, _ = weekly(tmp_path, *fixture_args(paths, tmp_path))
    assert code == 65
    assert "1 baris ditolak dan tidak dihitung" in out
    summary = (tmp_path / "ringkasan" / "ringkasan-2022-W21.md").read_text(encoding="utf-8")
    assert "1 baris ditolak dan tidak dihitung (lihat pkp validate)" in summary
    assert (tmp_path / "riwayat" / "2022-W21.parquet").exists()


@pytest.mark.parametrize(
    ("args", "expected", "said"),
    [
        (
            ["--since", "2022-05-25"],
            2,
            "--since 2022-05-25: 2022-W21 tidak sebelum minggu tanggal posisi (2022-W21, 27 Mei",
        ),
        (["--since", "kemarin"], 2, "--since kemarin"),
        (["--as-of", "2022-02-30"], 2, "--as-of 2022-02-30"),
    ],
)
def test_usage_errors_exit_2(tmp_path: Path, args: list[str], expected: int, said: str) -> None:
    paths = write_weekly_fixture(tmp_path, 2)
    code, out, err = weekly(tmp_path, *fixture_args(paths, tmp_path), *args)
    assert code == expected and said in err and out == ""


def test_since_compares_with_that_week(tmp_path: Path) -> None:
    data = ROOT / "data"
    hist, outdir = tmp_path / "h", tmp_path / "o"
    common = ["--data", str(data), "--history", str(hist), "--out", str(outdir)]
    code, out, _ = weekly(tmp_path, *common, "--since", "2022-05-20")
    assert code == 0
    # week 20 is not stored: rebuilt at its newest report, 20 May
    assert out.splitlines()[0] == "pkp mingguan 2022-W22 (3 Juni 2022) dibanding 2022-W20 (20 Mei 2022, direkonstruksi)"
    for day in ("2022-05-20", "2022-05-27"):
        assert weekly(tmp_path, *common, "--as-of", day)[0] == 0
    # now stored: the snapshot of week 20 (any day of that week names it), not the previous week 21
    code, out, _ = weekly(tmp_path, *common, "--since", "2022-05-16")
    assert code == 0
    assert out.splitlines()[0] == "pkp mingguan 2022-W22 (3 Juni 2022) dibanding 2022-W20 (20 Mei 2022)"


def test_bad_schedule_exits_78_and_missing_data_66(tmp_path: Path) -> None:
    paths = write_weekly_fixture(tmp_path, 1)
    paths["schedule"].write_text("tahun_anggaran: [\n", encoding="utf-8")
    assert weekly(tmp_path, *fixture_args(paths, tmp_path))[0] == 78
    code, _, err = weekly(tmp_path, "--data", str(tmp_path / "tidak-ada"), "--history", str(tmp_path / "h"))
    assert code == 66 and "tidak-ada" in err


def test_unwritable_out_exits_73_but_stores_the_week(tmp_path: Path) -> None:
    paths = write_weekly_fixture(tmp_path, 1)
    args = fixture_args(paths, tmp_path)
    blocker = tmp_path / "ringkasan"
    blocker.write_text("a file where the folder should be", encoding="utf-8")
    code, out, err = weekly(tmp_path, *args)
    assert code == 73
    assert "Ringkasan tidak tertulis" in out.splitlines()[-1]
    assert str(blocker) in err
    assert (tmp_path / "riwayat" / "2022-W20.parquet").exists()
    assert blocker.read_text(encoding="utf-8") == "a file where the folder should be"


def test_config_keys_history_and_output_are_used(tmp_path: Path) -> None:
    paths = write_weekly_fixture(tmp_path, 1)
    env = _env(tmp_path)
    conf = Path(env["XDG_CONFIG_HOME"]) / "pkp"
    conf.mkdir(parents=True)
    hist, outdir = tmp_path / "dari-config" / "riwayat", tmp_path / "dari-config" / "ringkasan"
    (conf / "config.toml").write_text(f'history = "{hist}"\noutput = "{outdir}"\n', encoding="utf-8")
    base = ["--data", str(paths["data"]), "--schedule", str(paths["schedule"]), "--rules", str(paths["rules"])]
    code, _, err = weekly(tmp_path, *base, env=env)
    assert code == 0, err
    assert (hist / "2022-W20.parquet").exists() and (outdir / "ringkasan-2022-W20.md").exists()
    # without the keys: $XDG_DATA_HOME/pkp/history
    (conf / "config.toml").write_text(f'output = "{outdir}"\n', encoding="utf-8")
    assert weekly(tmp_path, *base, env=env)[0] == 0
    assert (Path(env["XDG_DATA_HOME"]) / "pkp" / "history" / "2022-W20.parquet").exists()


def test_quiet_writes_nothing_to_stdout_and_no_information_to_stderr(tmp_path: Path) -> None:
    paths = write_weekly_fixture(tmp_path, 1)
    code, out, err = weekly(tmp_path, *fixture_args(paths, tmp_path), "--quiet")
    assert (code, out, err) == (0, "", "")
    assert (tmp_path / "ringkasan" / "ringkasan-2022-W20.md").exists()


def test_province_filter_narrows_the_changes_not_the_snapshot(tmp_path: Path) -> None:
    paths = write_weekly_fixture(tmp_path, 1)
    assert weekly(tmp_path, *fixture_args(paths, tmp_path))[0] == 0
    write_weekly_fixture(tmp_path, 2)
    code, out, _ = weekly(tmp_path, *fixture_args(paths, tmp_path), "--province", "NTB", "--lang", "en")
    assert code == 0
    # NTB alone: D's L2 newly late, NTB not reported, D dropped as a candidate
    assert count(out, "Newly late:") == 1 and count(out, "Not reported this week:") == 1
    assert "Acceleration candidates: 1 dropped, 0 new" in out.splitlines()
    assert (tmp_path / "ringkasan" / "ringkasan-2022-W21-52.md").exists()
    snap = store.open_snapshot(tmp_path / "riwayat" / "2022-W21.parquet")
    assert snap.meta["rows"]["status"] == 2 * 2 + 4 * 3  # P1, P2 per province + L1..L3 per location: national


# --- the bundled sample, in real subprocesses -----------------------------------------------------------------


def run_pkp(args: list[str], env: dict[str, str], **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pkp_cli", *args],
        capture_output=True, text=True, timeout=300, env={**os.environ, **env}, **kw,  # type: ignore[call-overload]
    )  # fmt: skip


@pytest.mark.slow
def test_two_weeks_from_the_bundled_data(tmp_path: Path) -> None:
    env = _env(tmp_path)
    env.pop("NO_COLOR")  # piped output is plain by itself
    hist, outdir = tmp_path / "riwayat", tmp_path / "ringkasan"
    common = ["weekly", "--data", str(ROOT / "data"), "--history", str(hist), "--out", str(outdir)]
    first = run_pkp([*common, "--as-of", "2022-05-27"], env)
    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines()[0].startswith("pkp mingguan 2022-W21 (27 Mei 2022) dibanding 2022-W20")
    second = run_pkp(common, env)
    assert second.returncode == 0, second.stderr
    digest = second.stdout
    # the digest names both weeks; Kalimantan Tengah, silent on 27 May, reported on 3 June
    assert digest.splitlines()[0] == "pkp mingguan 2022-W22 (3 Juni 2022) dibanding 2022-W21 (27 Mei 2022)"
    assert count(digest, "Belum melapor minggu ini:") == 0
    assert "Belum melapor minggu ini: 1 provinsi (Kalimantan Tengah)" in first.stdout.splitlines()
    for text in (first.stdout, second.stdout, first.stderr, second.stderr):
        assert "\x1b[" not in text  # no colour when piped
    assert len(digest.splitlines()) <= 15
    rerun = run_pkp(common, env)
    assert rerun.returncode == 0 and rerun.stdout == digest  # the same week again: the same news
    assert sorted(p.name for p in hist.iterdir()) == [".lock", "2022-W21.parquet", "2022-W22.parquet"]
    listed = run_pkp(["history", "--history", str(hist), "--format", "json"], env)
    assert listed.returncode == 0, listed.stderr
    assert [w["minggu"] for w in json.loads(listed.stdout)["tables"]["minggu"]] == ["2022-W22", "2022-W21"]
    assert output_files(outdir) == [f"ringkasan-2022-W{w}.{ext}" for w in (21, 22) for ext in ("html", "md", "xlsx")]


def test_trends_appear_with_three_weeks(tmp_path: Path) -> None:
    hist, outdir = tmp_path / "h", tmp_path / "o"
    common = ["--data", str(ROOT / "data"), "--history", str(hist), "--out", str(outdir)]
    for day in ("2022-05-20", "2022-05-27"):
        assert weekly(tmp_path, *common, "--as-of", day)[0] == 0
        assert "tren_nasional" not in json.loads(weekly(tmp_path, *common, "--as-of", day, "-f", "json")[1])["tables"]
    code, out, _ = weekly(tmp_path, *common, "-f", "json")
    assert code == 0
    doc = json.loads(out)
    weeks = [r["minggu"] for r in doc["tables"]["tren_nasional"]]
    assert weeks == ["2022-W20", "2022-W21", "2022-W22"]
    bali = next(r for r in doc["tables"]["tren_deviasi"] if r["kode_provinsi"] == "51")
    assert set(bali) == {"kode_provinsi", "provinsi", "2022-W20", "2022-W21", "2022-W22"}
    # the trend's last week is this week's roll-up
    (prov,) = [r for r in doc["tables"]["provinsi"] if r["kode_provinsi"] == "51"]
    assert bali["2022-W22"] == prov["deviasi"]
    digest = weekly(tmp_path, *common)[1]
    assert any(ln.startswith("Tren deviasi nasional: W20 ") for ln in digest.splitlines())


def test_the_digest_stays_within_15_lines_when_everything_happens(tmp_path: Path) -> None:
    import openpyxl

    paths = write_weekly_fixture(tmp_path, 1)
    args = fixture_args(paths, tmp_path)
    for day in ("2022-05-06", "2022-05-13", "2022-05-20"):  # three stored weeks: trends too
        assert weekly(tmp_path, *args, "--as-of", day)[0] == 0
    write_weekly_fixture(tmp_path, 2)
    paths["schedule"].write_text(WEEKLY_SCHEDULE.replace("selesai: 2022-06-30", "selesai: 2022-07-08"), "utf-8")
    paths["rules"].write_text(paths["rules"].read_text("utf-8").replace("bobot: 40", "bobot: 35"), "utf-8")
    book = paths["data"] / "progres" / "2022-05-27" / "progres-bali-2022-05-27.xlsx"
    wb = openpyxl.load_workbook(book)
    wb.active.append(["51.04.01", "PISEW", "L1", "31/02/2022", None, "2022-05-27"])
    wb.save(book)
    (tmp_path / "riwayat" / "2022-W10.parquet").write_bytes(b"broken")
    code, out, _ = weekly(tmp_path, *args)
    assert code == 65
    lines = out.splitlines()
    assert lines[0].startswith("pkp mingguan 2022-W21") and lines[1].startswith("JADWAL BERUBAH")
    assert lines[2].startswith("ATURAN PERCEPATAN BERUBAH") and lines[3].startswith("1 baris ditolak")
    assert lines[4].startswith("Riwayat: 1 berkas dilewati")
    assert len(lines) == 15 and lines[-1].startswith("Ringkasan: ")
    assert lines[-2].endswith("baris lagi di ringkasan")  # what did not fit is counted, not silently dropped


def test_a_file_at_this_weeks_name_that_is_not_a_snapshot_is_set_aside_not_deleted(tmp_path: Path) -> None:
    paths = write_weekly_fixture(tmp_path, 1)
    history = tmp_path / "riwayat"
    history.mkdir()
    (history / "2022-W20.parquet").write_bytes(b"someone's file")
    code, _, err = weekly(tmp_path, *fixture_args(paths, tmp_path))
    assert code == 0
    (kept,) = [p for p in history.iterdir() if p.name.startswith("2022-W20.parquet.disisihkan-")]
    assert kept.read_bytes() == b"someone's file" and "disisihkan sebagai" in err
    assert store.open_snapshot(history / "2022-W20.parquet").week == "2022-W20"


def test_the_first_week_has_the_standing_in_every_format(tmp_path: Path) -> None:
    paths = write_weekly_fixture(tmp_path, 1)
    code, out, err = weekly(tmp_path, *fixture_args(paths, tmp_path), "--format", "csv")
    assert code == 0, err
    header, *rows = out.splitlines()
    assert header == "kode_provinsi,provinsi,deviasi,terlambat,laporan_terakhir"
    # at 20 May: Bali has B's and C's L1 open past 10 May; NTB nothing late
    assert {r.split(",")[0]: r.split(",")[3] for r in rows} == {"51": "2", "52": "0"}


def test_config_shows_where_the_history_and_summaries_go(tmp_path: Path) -> None:
    env = _env(tmp_path)
    res = runner.invoke(app, ["config", "--format", "json"], env=env)
    rows = {r["key"]: r for r in json.loads(res.stdout)["tables"]["pengaturan"]}
    assert rows["history"]["value_text"] == str(Path(env["XDG_DATA_HOME"]) / "pkp" / "history")
    assert (rows["history"]["source"], rows["output"]["value_text"], rows["output"]["source"]) == (
        "default", ".", "default",
    )  # fmt: skip


def test_the_summary_as_markdown_xlsx_and_html(tmp_path: Path) -> None:
    import openpyxl

    hist, outdir = tmp_path / "h", tmp_path / "o"
    common = ["--data", str(ROOT / "data"), "--history", str(hist), "--out", str(outdir)]
    for day in ("2022-05-20", "2022-05-27", "2022-06-03"):
        assert weekly(tmp_path, *common, "--as-of", day)[0] == 0
    wb = openpyxl.load_workbook(outdir / "ringkasan-2022-W22.xlsx")
    assert {"ringkasan", "provinsi", "baru_terlambat", "temuan", "tren_nasional", "tren_deviasi"} <= set(wb.sheetnames)
    (chart,) = wb["tren_nasional"]._charts  # the national planned vs actual over the three weeks
    assert len(chart.series) == 2
    html = (outdir / "ringkasan-2022-W22.html").read_text(encoding="utf-8")
    assert "<title>Ringkasan mingguan 2022-W22" in html and "<svg" in html
    assert "Baru terlambat minggu ini" in html and "Sulawesi Selatan" in html
    md = (outdir / "ringkasan-2022-W22.md").read_text(encoding="utf-8")
    assert md.startswith("# Ringkasan mingguan 2022-W22") and "## Tren deviasi per provinsi (poin)" in md
