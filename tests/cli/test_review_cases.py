"""Cases a reviewer of the filters, replay, packs and weekly issues tries after the first round: each asserts what
the user reads (a title, a header line, a message, an exit code), on the bundled sample."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from pkp_cli.cli.app import app
from tests.factories import ROOT

runner = CliRunner()
DATA = str(ROOT / "data")


def pkp(*args: str) -> tuple[int, str, str]:
    res = runner.invoke(app, [*args, "--data", DATA])
    return res.exit_code, res.stdout, res.stderr


# --- --program changes the headline: the screen must say so ------------------------------------------------------


def test_program_filter_names_the_program_on_the_province_card() -> None:
    """`--program` is the one filter that changes the roll-ups (the card is the province's PISEW figures: planned
    17,6 % against 16,0 % for both programs). The screen says which subset the headline describes."""
    code, out, _ = pkp("status", "--province", "Bali", "--program", "pisew", "--lang", "id")
    assert code == 0
    lines = out.splitlines()
    assert "Bali (51) — PISEW" in lines
    assert any(line.startswith("Program: PISEW") for line in lines), out[:600]
    _, whole, _ = pkp("status", "--province", "Bali", "--lang", "id")
    assert "Bali (51)" in whole.splitlines() and "PISEW" not in whole.split("persiapan")[0]


def test_program_filter_names_the_program_on_the_national_table() -> None:
    code, out, _ = pkp("status", "--program", "KOTAKU", "--lang", "en")
    assert code == 0
    assert "Standing per province (worst first) — KOTAKU" in out.splitlines()
    assert any(line.startswith("Program: KOTAKU") for line in out.splitlines())
    doc = json.loads(pkp("status", "--program", "KOTAKU", "-f", "json")[1])
    assert doc["program"] == "KOTAKU"
    assert doc["totals"]["provinsi"][0]["provinsi"] == "NASIONAL"  # JSON keeps its identifiers


# --- the status date before any report -------------------------------------------------------------------------


def test_as_of_before_any_report_is_flagged_as_stale() -> None:
    """On 19 May no province has sent a report (the first is dated 20 May): every figure is 'nothing started'.
    Say so first, as for an as-of far past the newest report, and mark the JSON stale."""
    code, out, err = pkp("status", "--as-of", "2022-05-19", "--lang", "en")
    assert code == 0
    first = [line for line in err.splitlines() if line.startswith("pkp:")]
    assert first and "no report" in first[0] and "19 May 2022" in first[0], err
    assert any("no report" in line for line in out.splitlines()[:4]), out[:400]
    doc = json.loads(pkp("status", "--as-of", "2022-05-19", "-f", "json")[1])
    assert doc["stale"] is True and doc["newest_report"] is None
    # the day the first report arrives is not stale
    doc = json.loads(pkp("status", "--as-of", "2022-05-20", "-f", "json")[1])
    assert doc["stale"] is False and doc["newest_report"] == "2022-05-20"


# --- --province as typed -----------------------------------------------------------------------------------------


def test_province_with_diacritics_is_the_province() -> None:
    """A name typed with an accent (copied from a document, an autocorrecting keyboard) is the same province."""
    code, out, err = pkp("status", "--province", "Sulawési Selatan", "-f", "json")
    assert code == 0, err
    assert json.loads(out)["tables"]["ringkasan"][0]["kode_provinsi"] == "73"


# --- weekly --since that is not before the week ------------------------------------------------------------------


def test_since_not_before_the_week_is_a_usage_error_in_words(tmp_path) -> None:
    """`--since` must name an earlier week; the message says so in the chosen language, and nothing is written."""
    env = {"XDG_CONFIG_HOME": str(tmp_path / "cfg"), "XDG_DATA_HOME": str(tmp_path / "xdg"), "NO_COLOR": "1"}
    args = ["weekly", "--data", DATA, "--history", str(tmp_path / "h"), "--out", str(tmp_path / "o")]
    res = runner.invoke(app, [*args, "--since", "2022-06-01", "--lang", "en"], env=env)
    assert res.exit_code == 2
    line = [ln for ln in res.stderr.splitlines() if ln.startswith("pkp:")][-1]
    assert line == "pkp: --since 2022-06-01: 2022-W22 is not before the week of the status date (2022-W22, 3 June 2022)"
    res = runner.invoke(app, [*args, "--since", "2022-06-10", "--lang", "id"], env=env)
    assert res.exit_code == 2
    line = [ln for ln in res.stderr.splitlines() if ln.startswith("pkp:")][-1]
    assert line == "pkp: --since 2022-06-10: 2022-W23 tidak sebelum minggu tanggal posisi (2022-W22, 3 Juni 2022)"
    assert not (tmp_path / "h").exists() or not list((tmp_path / "h").glob("*.parquet"))
    assert not (tmp_path / "o").exists()


# --- --status and --lokasi as typed ----------------------------------------------------------------------------


def test_status_codes_are_read_whatever_their_case_and_separators() -> None:
    """`--status TERLAMBAT`, `--status "selesai terlambat"` and `--status Belum-Mulai` are the status codes."""
    for typed, code in (("TERLAMBAT", "terlambat"), ("selesai terlambat", "selesai_terlambat"),
                        ("Belum-Mulai", "belum_mulai")):  # fmt: skip
        rc, out, err = pkp("status", "--province", "Sulsel", "--detail", "--status", typed, "-f", "json")
        assert rc == 0, err
        rows = json.loads(out)["tables"]["rincian"]
        assert rows and {r["status"] for r in rows} == {code}
    rc, _, err = pkp("status", "--status", "telat", "--lang", "en")
    assert rc == 2 and "--status telat: unknown (choose from: selesai" in err


def test_lokasi_outside_the_province_or_kabupaten_asked_is_a_usage_error() -> None:
    """51.01.04 (Kec. Melaya) is in Kabupaten Jembrana, Bali. Asked with --province Aceh or --kabupaten Badung it
    was an empty table and exit 0; it is a contradiction the user must resolve (exit 2, saying where it is)."""
    rc, _, err = pkp("status", "--lokasi", "51.01.04", "--province", "Aceh", "--lang", "en")
    assert rc == 2
    assert "pkp: --lokasi 51.01.04: is in Kabupaten Jembrana, Bali, outside --province / --kabupaten" in err
    rc, _, err = pkp("status", "--lokasi", "51.01.04", "--kabupaten", "Badung", "--lang", "id")
    assert rc == 2
    assert "pkp: --lokasi 51.01.04: ada di Kabupaten Jembrana, Bali, di luar --province / --kabupaten" in err
    rc, out, _ = pkp("status", "--lokasi", "51.01.04", "--province", "Bali", "--kabupaten", "Jembrana", "-f", "json")
    assert rc == 0 and len(json.loads(out)["tables"]["tahapan"]) > 0


def test_weekly_history_or_out_that_is_a_file_says_so(tmp_path) -> None:
    """--history or --out naming a file: exit 73 and 'is not a folder', not mkdir's 'File exists' under a name the
    user never gave (`<file>/.lock`)."""
    env = {"XDG_CONFIG_HOME": str(tmp_path / "cfg"), "XDG_DATA_HOME": str(tmp_path / "xdg"), "NO_COLOR": "1"}
    a_file = tmp_path / "berkas"
    a_file.write_text("x")
    res = runner.invoke(app, ["weekly", "--data", DATA, "--history", str(a_file), "--out", str(tmp_path / "o")],
                        env=env)  # fmt: skip
    assert res.exit_code == 73
    assert f"pkp: {a_file}: bukan folder / is not a folder" in res.stderr.splitlines()
    assert not (tmp_path / "o").exists()
    res = runner.invoke(app, ["weekly", "--data", DATA, "--history", str(tmp_path / "h"), "--out", str(a_file)],
                        env=env)  # fmt: skip
    assert res.exit_code == 73
    assert f"pkp: {a_file}: bukan folder / is not a folder" in res.stderr.splitlines()
    assert (tmp_path / "h" / "2022-W22.parquet").exists()  # whatever could be written is
    assert a_file.read_text() == "x"


def test_table_names_as_typed_and_an_unknown_one_says_unknown() -> None:
    """`--table KABUPATEN` and `--table kurva-s` are the tables kabupaten and kurva_s; a typo is 'unknown' with the
    choices, like every other unknown value (exit 2)."""
    rc, out, _ = pkp("status", "-p", "Bali", "-f", "csv", "--table", "KABUPATEN")
    assert rc == 0 and out.splitlines()[0].startswith("kode_provinsi,provinsi,kode_kabupaten,kabupaten_kota,")
    rc, out, _ = pkp("status", "-p", "Bali", "-f", "csv", "--table", "kurva-s")
    assert rc == 0 and out.splitlines()[0] == "kode_provinsi,program,tanggal,rencana_persen,realisasi_persen,deviasi"
    rc, _, err = pkp("status", "-p", "Bali", "-f", "csv", "--table", "kabupatn", "--lang", "en")
    assert rc == 2
    assert (
        "pkp: --table kabupatn: unknown (choose from: ringkasan, persiapan, kabupaten, terlambat, konstruksi, kurva_s)"
        in err.splitlines()
    )


ENVELOPE = ["as_of", "fiscal_year", "data_source", "schedule", "schedule_sha256", "newest_report", "stale"]


def test_every_json_envelope_has_the_same_keys_totals_included(tmp_path) -> None:
    """The README's envelope: the facts first, then main_table, tables and totals, for every command and view, so
    a script reads doc["totals"] without a KeyError when the report has no total row ({} then)."""
    cases = [
        ["status"], ["status", "-p", "Bali"], ["status", "--lokasi", "51.01.04"], ["status", "--detail", "-p", "Bali"],
        ["candidates"], ["candidates", "--explain", "51.01.04"], ["readiness"], ["audit"], ["validate"],
    ]  # fmt: skip
    for args in cases:
        rc, out, err = pkp(*args, "-f", "json")
        assert rc == 0, (args, err)
        doc = json.loads(out)
        keys = list(doc)
        assert keys[: len(ENVELOPE)] == ENVELOPE, args
        assert keys[-3:] == ["main_table", "tables", "totals"], (args, keys)
        assert isinstance(doc["totals"], dict)
    rc, out, _ = pkp("status", "-p", "Bali", "-f", "json")
    assert json.loads(out)["totals"] == {}


def test_template_needs_exactly_one_of_province_or_all_and_says_which(tmp_path) -> None:
    rc, _, err = pkp("template", "--out", str(tmp_path / "t"), "--lang", "en")
    assert rc == 2
    assert "pkp: template: name --province NAME or --all (one of them)" in err.splitlines()
    rc, _, err = pkp("template", "--out", str(tmp_path / "t"), "--all", "--province", "Bali")
    assert rc == 2
    assert "pkp: template: --province dan --all tidak dapat dipakai bersama; pilih salah satu" in err.splitlines()
    assert not (tmp_path / "t").exists()


def test_kabupaten_of_another_province_says_where_it_is() -> None:
    """`--province Bali --kabupaten Makassar`: Kota Makassar is in the data, in Sulawesi Selatan; the message says
    so instead of suggesting Kota Denpasar."""
    rc, _, err = pkp("status", "--province", "Bali", "--kabupaten", "Makassar", "--lang", "en")
    assert rc == 2
    assert (
        "pkp: --kabupaten Makassar: is in Kota Makassar, Sulawesi Selatan, outside --province / --kabupaten as asked"
        in err
    )
    rc, _, err = pkp("status", "--province", "Bali", "--kabupaten", "Tabnan", "--lang", "en")
    assert rc == 2 and "did you mean: Kabupaten Tabanan" in err


def test_config_screen_speaks_the_users_language(tmp_path) -> None:
    """`pkp config` in Indonesian showed 'absent', 'default', 'unset', 'folder in current directory' and Python's
    'True'. The screen follows --lang; JSON keeps the identifiers."""
    env = {"XDG_CONFIG_HOME": str(tmp_path / "cfg"), "XDG_DATA_HOME": str(tmp_path / "xdg"), "NO_COLOR": "1",
           "COLUMNS": "300"}  # fmt: skip
    res = runner.invoke(app, ["config", "--lang", "id"], env=env)
    assert res.exit_code == 0
    rows = {line.split()[0]: line for line in res.stdout.splitlines() if line.strip()}
    assert rows["config_file"].endswith("tidak ada")
    assert rows["history"].endswith("bawaan")
    assert rows["holidays_file"].split()[-2:] == ["tidak", "diatur"]
    assert rows["cache"].split()[1:] == ["true", "bawaan"]
    for word in ("absent", "default", "unset", "True"):
        assert word not in res.stdout
    res = runner.invoke(app, ["config", "--lang", "en"], env=env)
    rows = {line.split()[0]: line for line in res.stdout.splitlines() if line.strip()}
    assert rows["config_file"].endswith("absent") and rows["holidays_file"].endswith("unset")
    doc = json.loads(runner.invoke(app, ["config", "-f", "json", "--lang", "id"], env=env).stdout)
    sources = {r["key"]: r["source"] for r in doc["tables"]["pengaturan"]}
    assert sources["config_file"] == "absent" and sources["history"] == "default"


def test_rerun_of_a_week_with_an_earlier_status_date_says_it_replaces_a_newer_snapshot(tmp_path) -> None:
    """W21 stored as of Friday 27 May; a replay as of Wednesday 25 May (same ISO week) replaces it, as the README
    says, but an analyst must know the week now holds older news: one line on stderr names both dates."""
    env = {"XDG_CONFIG_HOME": str(tmp_path / "cfg"), "XDG_DATA_HOME": str(tmp_path / "xdg"), "NO_COLOR": "1"}
    args = ["weekly", "--data", DATA, "--history", str(tmp_path / "h"), "--out", str(tmp_path / "o"), "--lang", "en"]
    assert runner.invoke(app, [*args, "--as-of", "2022-05-27"], env=env).exit_code == 0
    res = runner.invoke(app, [*args, "--as-of", "2022-05-27"], env=env)  # same date again: nothing to say
    assert res.exit_code == 0 and "replaced" not in res.stderr
    res = runner.invoke(app, [*args, "--as-of", "2022-05-25"], env=env)
    assert res.exit_code == 0
    assert (
        "pkp: 2022-W21: the stored snapshot as of 27 May 2022 was replaced by an earlier status date, 25 May 2022"
        in res.stderr.splitlines()
    )
    assert sorted(p.name for p in (tmp_path / "h").glob("*.parquet")) == ["2022-W21.parquet"]
