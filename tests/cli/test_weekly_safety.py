"""Unattended safety of `pkp weekly`: the lock, a kill at every pause point between a temporary write and its
rename, corrupt and foreign files in the history folder, and `pkp history` reading footers only."""

from __future__ import annotations

import fcntl
import json
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest

from pkp_cli.history import store
from tests.factories import write_weekly_fixture

SAFETY_TIMEOUT = 300  # seconds: only so that a broken test cannot hang the suite (not a timing assertion)


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    cfg = tmp_path / "xdg-config"
    cfg.mkdir(exist_ok=True)
    return {**os.environ, "XDG_CONFIG_HOME": str(cfg), "XDG_DATA_HOME": str(tmp_path / "xdg-data"), **extra}


def _args(tmp_path: Path, paths: dict[str, Path]) -> list[str]:
    return [
        sys.executable, "-m", "pkp_cli", "weekly",
        "--data", str(paths["data"]), "--schedule", str(paths["schedule"]), "--rules", str(paths["rules"]),
        "--history", str(tmp_path / "riwayat"), "--out", str(tmp_path / "ringkasan"),
    ]  # fmt: skip


def _run(cmd: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=SAFETY_TIMEOUT, env=env)


def _snapshot_files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_a_run_while_the_lock_is_held_exits_75_at_once_and_writes_nothing(tmp_path: Path) -> None:
    paths = write_weekly_fixture(tmp_path, 1)
    env = _env(tmp_path)
    first = _run(_args(tmp_path, paths), env)
    assert first.returncode == 0, first.stderr
    history, out = tmp_path / "riwayat", tmp_path / "ringkasan"
    before = _snapshot_files(history), _snapshot_files(out)
    write_weekly_fixture(tmp_path, 2)  # there is news to write, if the run were allowed to
    lock = history / ".lock"
    fd = os.open(lock, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # the test holds the lock: no race
        second = _run(_args(tmp_path, paths), env)
    finally:
        os.close(fd)
    assert second.returncode == 75
    assert second.stdout == ""
    assert second.stderr.splitlines() == [f"pkp: {lock}: pkp lain sedang berjalan dan memegang kunci ini"]
    assert (_snapshot_files(history), _snapshot_files(out)) == before
    # the lock released, the next run goes through
    assert _run(_args(tmp_path, paths), env).returncode == 0


def _wait_for(proc: subprocess.Popen[str], marker: str) -> str:
    """Read the child's stderr until `marker` appears; everything read so far."""
    assert proc.stderr is not None
    seen = ""
    deadline = time.monotonic() + SAFETY_TIMEOUT
    while marker not in seen:
        left = deadline - time.monotonic()
        assert left > 0, f"no {marker!r} on stderr: {seen}"
        ready, _, _ = select.select([proc.stderr], [], [], left)
        if ready:
            line = proc.stderr.readline()
            assert line, f"the child ended before {marker!r} (exit {proc.wait()}): {seen}"
            seen += line
    return seen


@pytest.mark.parametrize(
    "point", ["2022-W21.parquet", "ringkasan-2022-W21.md", "ringkasan-2022-W21.xlsx", "ringkasan-2022-W21.html"]
)
@pytest.mark.parametrize("rerun", [False, True], ids=["new-week", "same-week"])
def test_sigkill_at_each_pause_point_leaves_a_readable_history(tmp_path: Path, point: str, rerun: bool) -> None:
    paths = write_weekly_fixture(tmp_path, 1)
    env = _env(tmp_path)
    assert _run(_args(tmp_path, paths), env).returncode == 0  # week 20 stored
    write_weekly_fixture(tmp_path, 2)
    if rerun:
        assert _run(_args(tmp_path, paths), env).returncode == 0  # week 21 stored; the killed run replaces it
    history, out = tmp_path / "riwayat", tmp_path / "ringkasan"
    before_history, before_out = _snapshot_files(history), _snapshot_files(out)
    proc = subprocess.Popen(
        _args(tmp_path, paths), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**env, "PKP_TEST_PAUSE": point},
    )  # fmt: skip
    try:
        _wait_for(proc, f"PKP_TEST_PAUSE {point}")
        # paused after the temporary file was written, flushed and fsynced, before the rename
        temps = [p.name for p in (history if point.endswith(".parquet") else out).iterdir() if p.name.endswith(".tmp")]
        assert len(temps) == 1 and temps[0].startswith(f".{point}.")
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.kill()
        proc.communicate(timeout=SAFETY_TIMEOUT)
    # the file being replaced is byte for byte what it was (or still absent); every snapshot reads whole
    after_history, after_out = _snapshot_files(history), _snapshot_files(out)
    paused_before = before_history if point.endswith(".parquet") else before_out
    paused_after = after_history if point.endswith(".parquet") else after_out
    assert paused_after.get(point) == paused_before.get(point)
    week20 = {k: v for k, v in before_out.items() if "W20" in k}
    assert week20.items() <= after_out.items()  # the summaries of earlier runs are untouched
    for name in after_out:  # and whatever summary is there reads whole
        if name.endswith(".xlsx"):
            openpyxl.load_workbook(out / name)
        elif name.endswith(".html"):
            assert after_out[name].rstrip().endswith(b"</html>")
    for name in after_history:
        if name.endswith(".parquet"):
            snap = store.open_snapshot(history / name)
            assert len(store.read(snap, "status")) == snap.meta["rows"]["status"]
    listing = store.scan(history)
    assert listing.bad == []
    # the snapshot is written before the summary: killed at the summary, the new week is already stored, whole
    stored = ["2022-W20", "2022-W21"] if rerun or not point.endswith(".parquet") else ["2022-W20"]
    assert [s.week for s in listing.snapshots] == stored
    # the next run completes and clears the interrupted write it finds in the history
    again = _run(_args(tmp_path, paths), env)
    assert again.returncode == 0, again.stderr
    assert not [p for p in history.iterdir() if p.name.endswith(".tmp")]
    assert [s.week for s in store.scan(history).snapshots] == ["2022-W20", "2022-W21"]


def test_corrupt_and_foreign_files_are_reported_skipped_and_kept(tmp_path: Path) -> None:
    paths = write_weekly_fixture(tmp_path, 1)
    env = _env(tmp_path)
    assert _run(_args(tmp_path, paths), env).returncode == 0  # week 20
    history = tmp_path / "riwayat"
    corrupt = history / "2022-W19.parquet"
    corrupt.write_bytes(b"PAR1 this is not a parquet file")
    foreign = history / "catatan.txt"
    foreign.write_text("notes someone left here", encoding="utf-8")
    write_weekly_fixture(tmp_path, 2)
    res = _run(_args(tmp_path, paths), env)
    assert res.returncode == 0, res.stderr
    assert f"pkp: {corrupt}: rusak" in res.stderr and f"pkp: {foreign}: bukan snapshot pkp" in res.stderr
    # still compared with week 20, the newest good week
    assert res.stdout.splitlines()[0] == "pkp mingguan 2022-W21 (27 Mei 2022) dibanding 2022-W20 (20 Mei 2022)"
    assert "Riwayat: 2 berkas dilewati" in res.stdout
    summary = (tmp_path / "ringkasan" / "ringkasan-2022-W21.md").read_text(encoding="utf-8")
    assert "2022-W19.parquet" in summary and "catatan.txt" in summary
    assert corrupt.read_bytes() == b"PAR1 this is not a parquet file"
    assert foreign.read_text(encoding="utf-8") == "notes someone left here"


def test_a_week_whose_rows_are_damaged_is_skipped_for_the_next_older(tmp_path: Path) -> None:
    paths = write_weekly_fixture(tmp_path, 1)
    env = _env(tmp_path)
    history = tmp_path / "riwayat"
    assert _run([*_args(tmp_path, paths), "--as-of", "2022-05-13"], env).returncode == 0  # week 19
    assert _run(_args(tmp_path, paths), env).returncode == 0  # week 20
    damaged = history / "2022-W20.parquet"
    _damage_rows(damaged)
    write_weekly_fixture(tmp_path, 2)
    res = _run(_args(tmp_path, paths), env)
    assert res.returncode == 0, res.stderr
    assert f"pkp: {damaged}: rusak" in res.stderr
    assert res.stdout.splitlines()[0].startswith("pkp mingguan 2022-W21 (27 Mei 2022) dibanding 2022-W19")


def _damage_rows(path: Path) -> None:
    """Overwrite the middle of the row data, leaving the footer (metadata) whole."""
    data = bytearray(path.read_bytes())
    footer = int.from_bytes(data[-8:-4], "little") + 8
    start, end = 4, len(data) - footer
    for i in range(start + (end - start) // 4, start + 3 * (end - start) // 4):
        data[i] = 0xFF
    path.write_bytes(bytes(data))


def test_history_lists_good_weeks_and_names_the_bad_from_footers_only(tmp_path: Path) -> None:
    paths = write_weekly_fixture(tmp_path, 1)
    env = _env(tmp_path)
    history = tmp_path / "riwayat"
    for day in ("2022-05-13", "2022-05-20"):
        assert _run([*_args(tmp_path, paths), "--as-of", day], env).returncode == 0
    # rows damaged, footer whole: listing does not read rows, so the week is still listed
    _damage_rows(history / "2022-W19.parquet")
    (history / "2022-W18.parquet").write_bytes(b"\x00" * 100)
    (history / "laporan.xlsx").write_bytes(b"PK\x03\x04 not ours")
    res = _run([sys.executable, "-m", "pkp_cli", "history", "--history", str(history), "--format", "json"], env)
    assert res.returncode == 0, res.stderr
    doc = json.loads(res.stdout)
    assert [(w["minggu"], w["tanggal_posisi"]) for w in doc["tables"]["minggu"]] == [
        ("2022-W20", "2022-05-20"),
        ("2022-W19", "2022-05-13"),
    ]
    first = doc["tables"]["minggu"][0]
    assert first["baris"] == 2 * 2 + 4 * 3 and first["masukan"] == 4 and len(first["jadwal_sha256"]) == 64
    assert {(Path(b["path"]).name, b["alasan_riwayat"]) for b in doc["tables"]["bermasalah"]} == {
        ("2022-W18.parquet", "rusak"),
        ("laporan.xlsx", "asing"),
    }
    assert "2022-W18.parquet: rusak" in res.stderr and "laporan.xlsx: bukan snapshot pkp" in res.stderr
    table = _run([sys.executable, "-m", "pkp_cli", "history", "--history", str(history)], env)
    assert table.returncode == 0 and "2022-W20" in table.stdout and "\x1b[" not in table.stdout


def test_history_of_a_missing_folder_exits_66(tmp_path: Path) -> None:
    res = _run([sys.executable, "-m", "pkp_cli", "history", "--history", str(tmp_path / "none")], _env(tmp_path))
    assert res.returncode == 66 and "none" in res.stderr
