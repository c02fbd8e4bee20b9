"""Names and cells that would drive a terminal (second hostile round): a file name with an escape sequence, a
line break or bytes that are not UTF-8 (the last made `pkp validate` exit 1: UnicodeEncodeError, and calamine
could not open the file), and data cells with escape sequences shown by `pkp validate` raw on the screen, in
markdown and CSV."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from pkp_cli.ingest.discover import printable_name
from pkp_cli.text.visible import visible
from tests.hostile.corpus import HEADER, assert_one_line, data_folder, progres_xlsx, run_pkp

ESC = b"\x1b"


def _raw_controls(data: bytes) -> set[int]:
    """Control bytes other than tab and line ends, and UTF-8 encoded C1 controls and bidi overrides."""
    found = {c for c in data if c < 32 and c not in (9, 10, 13)} | ({0x7F} if b"\x7f" in data else set())
    text = data.decode("utf-8", "replace")
    found |= {ord(ch) for ch in text if 0x80 <= ord(ch) < 0xA0 or ch in "\u202e\u202d\u2066\u2067"}
    return found


def test_printable_name() -> None:
    assert printable_name("data/progres-bali.xlsx") == "data/progres-bali.xlsx"
    assert printable_name("a\x1b[31mb") == "a\\x1b[31mb"
    assert printable_name("a\nb\rc") == "a\\x0ab\\x0dc"
    assert printable_name(os.fsdecode(b"bad-\xff\xfe.xlsx")) == "bad-\\xff\\xfe.xlsx"
    assert printable_name("rtl-\u202e.xlsx") == "rtl-\\u202e.xlsx"
    assert printable_name("Désa Ñ.xlsx") == "Désa Ñ.xlsx"


def test_visible_keeps_text_and_escapes_controls() -> None:
    assert visible("Keterangan biasa, Désa") == "Keterangan biasa, Désa"
    assert visible("a\x1b[2Jb\x07c\x9bd") == "a\\x1b[2Jb\\x07c\\x9bd"
    assert visible("two\nlines") == "two\nlines"
    assert visible("cr\rtab\t", "\n\r\t") == "cr\rtab\t"


@pytest.mark.parametrize(
    "name",
    [b"esc-\x1b[31mRED\x1b[0m-2022-05-20.xlsx", b"nl-a\nb-2022-05-20.xlsx", b"bad-\xff\xfe-2022-05-20.xlsx"],
    ids=["escape", "newline", "not-utf8"],
)
@pytest.mark.parametrize("fmt", ["table", "json", "csv", "markdown"])
def test_hostile_file_names_are_read_and_shown_escaped(tmp_path: Path, name: bytes, fmt: str) -> None:
    data = data_folder(tmp_path)
    made = progres_xlsx(tmp_path / "x.xlsx", [44652, 44683])
    shutil.move(made, os.fsdecode(os.fsencode(data) + b"/" + name))
    res = run_pkp(["validate", "--data", str(data), "--format", fmt, "--table", "berkas"], cwd=tmp_path)
    assert res.returncode == 65, res.stderr  # the factory's location list holds one bad row
    assert "Traceback" not in res.stderr and "internal" not in res.stderr
    out = res.stdout.encode()
    assert not _raw_controls(out) and not _raw_controls(res.stderr.encode())
    assert b"\\x1b[31mRED" in out or b"\\x0ab" in out or b"\\xff\\xfe" in out or b"\\\\x" in out
    if fmt == "json":
        import json

        files = [row for row in json.loads(res.stdout)["tables"]["berkas"] if "2022-05-20" in (row["file"] or "")]
        assert len(files) == 1 and files[0]["rows_read"] == 2 and files[0]["rows_loaded"] == 2


@pytest.mark.parametrize("fmt", ["table", "csv", "markdown"])
def test_escape_sequences_in_cells_never_reach_the_screen_raw(tmp_path: Path, fmt: str) -> None:
    data = data_folder(tmp_path)
    (data / "bali-2022-05-20.csv").write_bytes(
        (
            HEADER + "\n"
            "5\x1b[2J1.04.01;PISEW;L1;01/04/2022;x\n"  # the code shown as the value and inside the message
            "51.04.01;PISEW\u009b2J;L1;01/04/2022;y\n"  # a C1 control (CSI) in UTF-8
            "51.04.01;PISEW;L2;01/04/2022\x1b[5m;z\r\n"
        ).encode()
    )
    res = run_pkp(["validate", "--data", str(data), "--format", fmt, "--table", "galat"], cwd=tmp_path)
    assert res.returncode == 65, res.stderr
    assert not _raw_controls(res.stdout.encode()), res.stdout
    assert "\\x1b" in res.stdout and "\\x9b" in res.stdout


def test_a_path_from_the_environment_never_reaches_stderr_raw(tmp_path: Path) -> None:
    """PKP_DATA with an escape sequence and a line break: one `pkp:` line, both shown escaped."""
    res = run_pkp(["status"], cwd=tmp_path, env={"PKP_DATA": str(tmp_path / "a\x1b[2Jb\nc")})
    assert res.returncode == 66, res.stderr
    assert not _raw_controls(res.stderr.encode())
    line = assert_one_line(res.stderr, "PKP_DATA")
    assert "a\\x1b[2Jb\\x0ac" in line


def test_a_config_path_with_an_escape_sequence_is_shown_escaped(tmp_path: Path) -> None:
    conf = tmp_path / "xdg" / "pkp"
    conf.mkdir(parents=True)
    (conf / "config.toml").write_text('data = "/nowhere/\\u001b]0;T\\u0007"\n', encoding="utf-8")
    res = run_pkp(["status"], cwd=tmp_path, env={"XDG_CONFIG_HOME": str(tmp_path / "xdg")})
    assert res.returncode in (66, 78), res.stderr
    assert not _raw_controls(res.stderr.encode())
    assert "\\x1b]0;T\\x07" in res.stderr


def test_a_config_file_with_a_utf8_bom_is_read(tmp_path: Path) -> None:
    conf = tmp_path / "xdg" / "pkp"
    conf.mkdir(parents=True)
    (conf / "config.toml").write_bytes(b"\xef\xbb\xbfstale_days = 3\n")
    res = run_pkp(["config", "--format", "json"], cwd=tmp_path, env={"XDG_CONFIG_HOME": str(tmp_path / "xdg")})
    assert res.returncode == 0, res.stderr
    assert '"stale_days"' in res.stdout and "3" in res.stdout


def test_schedule_check_names_a_hostile_file_name_escaped(tmp_path: Path) -> None:
    path = tmp_path / "jadwal\x1b[2J.yaml"
    path.write_text("a: 1\n", encoding="utf-8")
    res = run_pkp(["schedule", "--check", str(path)], cwd=tmp_path)
    assert res.returncode == 78, res.stderr
    assert not _raw_controls(res.stderr.encode()) and "jadwal\\x1b[2J.yaml" in res.stderr


def test_a_data_folder_with_an_escape_sequence_in_its_name(tmp_path: Path) -> None:
    """The folder named on the command line reaches the header lines and messages: escaped everywhere."""
    data = data_folder(tmp_path)
    hostile = tmp_path / "data\x1b]0;T\x07"
    data.rename(hostile)
    res = run_pkp(["validate", "--data", str(hostile)], cwd=tmp_path)
    assert res.returncode == 65, res.stderr
    assert not _raw_controls(res.stdout.encode()) and not _raw_controls(res.stderr.encode())


def test_a_cache_folder_with_an_escape_sequence_is_shown_escaped(tmp_path: Path) -> None:
    """The cache folder comes from the environment (XDG_CACHE_HOME) or the config; the note for a damaged entry
    names a path under it: escaped (was: the escape sequence raw on stderr)."""
    data_folder(tmp_path)
    home = tmp_path / "cache\x1b]0;T\x07"
    env = {"PKP_NO_CACHE": "", "XDG_CACHE_HOME": str(home)}
    first = run_pkp(["validate"], cwd=tmp_path, env=env)
    assert first.returncode == 65, first.stderr  # (the folder has rejected rows: 65, its entries written all the same)
    (entry,) = (home / "pkp").glob("pkp-file-*.pkpc")
    data = bytearray(entry.read_bytes())
    data[-1] ^= 1
    entry.write_bytes(bytes(data))
    for load in (home / "pkp").glob("pkp-load-*"):
        shutil.rmtree(load)
    res = run_pkp(["validate"], cwd=tmp_path, env=env)
    assert res.returncode == 65 and res.stdout == first.stdout, res.stderr
    assert "cache\\x1b]0;T\\x07" in res.stderr and "corrupt, rebuilt" in res.stderr
    assert not _raw_controls(res.stderr.encode())


def test_an_out_folder_with_an_escape_sequence_is_shown_escaped(tmp_path: Path) -> None:
    """The line saying where the files went names the --out folder (or the config's): escaped."""
    data_folder(tmp_path)
    out = tmp_path / "out\x1b[2J"
    res = run_pkp(["validate", "--format", "csv", "--out", str(out)], cwd=tmp_path)
    assert res.returncode == 65, res.stderr
    assert "out\\x1b[2J" in res.stderr and not _raw_controls(res.stderr.encode())
    assert any(out.iterdir())


def test_a_province_name_in_the_packs_progress_bar_is_shown_as_text(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`pkp report` on a terminal draws each pack's name, a province's name from the location workbook, in its
    progress bar: an escape sequence (a window title) and rich markup in it are shown as text (were: drawn raw and
    interpreted)."""
    import time

    from pkp_cli.render.pack import _progress

    monkeypatch.setenv("TTY_COMPATIBLE", "1")  # rich draws as on a terminal
    with _progress(2, True) as bar:
        bar.advance("Bali\x1b]0;T\x07[bold]x[/bold]")
        time.sleep(1.0)  # refreshes (ten a second) with that name on screen
        bar.advance("NTB")
    err = capsys.readouterr().err
    assert "Bali" in err
    assert "\x1b]0;T" not in err and "\x07" not in err
    assert "Bali\\x1b]0;T\\x07[bold]x[/bold]" in err
