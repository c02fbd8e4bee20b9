"""What involves the process itself: a full stdout, a closed pipe, a file-size limit, Ctrl-C and SIGTERM in the
middle of writing the rejects workbook, and a temporary file left by a run that was killed outright. Real
subprocesses, as a user runs pkp."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from pkp_cli.errors import Terminated
from pkp_cli.render.safe import atomic_write
from tests.hostile.corpus import HEADER, NOISE, assert_one_line, data_folder, run_pkp

ENV = {**os.environ, "NO_COLOR": "1", "PKP_NO_CACHE": "1"}


def _rejecting_data(tmp_path: Path, rows: int) -> Path:
    """A data folder whose progress CSV has `rows` rejected rows (31/02/2022 does not exist)."""
    data = data_folder(tmp_path)
    lines = [HEADER] + [f"51.04.01;PISEW;L1;31/02/2022;baris {i}" for i in range(rows)]
    (data / "bali.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return data


def _temp_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp")) if folder.exists() else []


def test_stdout_on_a_full_device_is_73_with_one_line(tmp_path: Path) -> None:
    with open("/dev/full", "w") as full:
        res = subprocess.run(
            [sys.executable, "-m", "pkp_cli", "validate", "--format", "json"],
            cwd=tmp_path,
            env=ENV,
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    assert res.returncode == 73
    assert_one_line(res.stderr, "No space left on device")


def test_help_on_a_full_device_is_73(tmp_path: Path) -> None:
    with open("/dev/full", "w") as full:
        res = subprocess.run(
            [sys.executable, "-m", "pkp_cli", "--help"], env=ENV, stdout=full, stderr=subprocess.PIPE, text=True
        )
    assert res.returncode == 73
    assert_one_line(res.stderr, "No space left on device")


def test_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "pkp_cli", "validate", "--format", "json"],
        cwd=tmp_path,
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # like `| head -0`: the reader is gone before pkp writes
    err = proc.stderr.read()
    assert proc.wait(timeout=120) == 0
    assert not [ln for ln in err.splitlines() if ln.startswith("pkp:")], err
    for word in NOISE:
        assert word not in err, err


def test_a_file_size_limit_while_writing_rejects_is_73_and_leaves_nothing(tmp_path: Path) -> None:
    data = _rejecting_data(tmp_path, 3000)
    out = tmp_path / "ditolak"

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (40_000, 40_000))  # the workbook is about 100 KB

    res = run_pkp(["validate", "--data", str(data), "--rejects", str(out)], cwd=tmp_path, preexec_fn=limit)
    assert res.returncode == 73, res.stderr
    assert_one_line(res.stderr, "bali-ditolak.xlsx")
    assert not (out / "bali-ditolak.xlsx").exists() and _temp_files(out) == []


@pytest.mark.parametrize(
    ("sig", "code", "word"), [(signal.SIGINT, 130, "interrupted"), (signal.SIGTERM, 143, "terminated")]
)
def test_a_signal_during_a_run_exits_with_one_line_and_no_temporary_file(
    tmp_path: Path, sig: int, code: int, word: str
) -> None:
    data = _rejecting_data(tmp_path, 60_000)  # a few seconds of work: the signal lands in the middle
    out = tmp_path / "ditolak"
    proc = subprocess.Popen(
        [sys.executable, "-m", "pkp_cli", "validate", "--data", str(data), "--rejects", str(out)],
        cwd=tmp_path,
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    # Deterministic: signal only once pkp has said which data it reads (its handlers are in place then), never
    # while the interpreter is still importing (a signal there ends Python itself, before pkp can answer).
    assert proc.stderr is not None
    first = proc.stderr.readline()
    assert first.startswith("Data:"), first
    proc.send_signal(sig)
    _, rest = proc.communicate(timeout=120)
    err = first + rest
    if proc.returncode == 65:  # the machine was fast enough to finish first: nothing to interrupt
        pytest.skip("pkp finished before the signal")
    assert proc.returncode == code, err
    assert_one_line(err, word)
    assert _temp_files(out) == []


def test_atomic_write_removes_its_temporary_file_when_stopped(tmp_path: Path) -> None:
    for stop in (KeyboardInterrupt(), Terminated(15), OSError(28, "No space left on device")):

        def write(fh, stop=stop) -> None:
            fh.write(b"half")
            raise stop

        with pytest.raises(BaseException):  # noqa: B017 - each of the three is the point
            atomic_write(tmp_path / "out.xlsx", write)
        assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_temporary_file_of_a_killed_run_is_removed_by_the_next_run(tmp_path: Path) -> None:
    data = _rejecting_data(tmp_path, 3)
    out = tmp_path / "ditolak"
    out.mkdir()
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = int(gone.stdout)  # that process has ended
    stale = out / f".bali-ditolak.xlsx.pkp{dead}-ab12cd34.tmp"
    alive = out / f".bali-ditolak.xlsx.pkp{os.getpid()}-ab12cd34.tmp"  # another pkp still writing: kept
    foreign = out / ".bali-ditolak.xlsx.ab12cd34.tmp"  # not pkp's pattern: never touched
    mine = out / "notes.tmp"
    for p in (stale, alive, foreign, mine):
        p.write_bytes(b"partial")
    res = run_pkp(["validate", "--data", str(data), "--rejects", str(out)], cwd=tmp_path)
    assert res.returncode == 65, res.stderr
    assert not stale.exists()
    assert alive.exists() and foreign.exists() and mine.exists()
    assert (out / "bali-ditolak.xlsx").is_file()


@pytest.mark.parametrize("columns", ["abc", "-5", "0", "3", " 80x"])
def test_a_columns_variable_that_is_no_width_lays_tables_out_anyway(columns: str) -> None:
    """COLUMNS sets the width of piped output; a typo, a negative or a zero was `int()`-ed and ended in exit 1
    ("galat internal"). Not a number: the 120-column default; narrower than 20: 20 columns. Bali is printed."""
    res = subprocess.run(
        [sys.executable, "-m", "pkp_cli", "status", "--province", "Bali"],
        env={**ENV, "COLUMNS": columns},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert res.returncode == 0, res.stderr
    assert "galat internal" not in res.stderr and "Traceback" not in res.stderr
    words = " ".join(res.stdout.split())  # Bali's line, wrapped or not
    assert "rencana % 16,0, realisasi % 31,9, deviasi +15,9" in words
    widest = max(len(line) for line in res.stdout.splitlines())
    assert widest == (20 if columns == "3" else 120)  # 3 is below the least width; the rest are no number


def test_an_ascii_only_stdout_shows_other_characters_escaped() -> None:
    """PYTHONIOENCODING=ascii (or a cron job's narrow locale) ended the run in exit 1 at the first dash "—" of a
    title; the characters it cannot hold are shown as \\u escapes and the answer is still printed."""
    res = subprocess.run(
        [sys.executable, "-m", "pkp_cli", "status", "--province", "Bali"],
        env={**ENV, "PYTHONIOENCODING": "ascii"},
        capture_output=True,
        timeout=120,
    )
    assert res.returncode == 0, res.stderr
    out = res.stdout.decode("ascii")  # nothing but ASCII reached the stream
    assert "rencana % 16,0, realisasi % 31,9, deviasi +15,9" in " ".join(out.split())
    assert "Bali \\u2014 lokasi terlambat (0)" in out
