"""The CPUs pkp counts on (pkp_cli/ingest/cores.py): the affinity, lowered by a cgroup CPU quota. Each case is a
made-up cgroup tree in a temporary folder, as the kernel shows it under /sys/fs/cgroup and /proc/self/cgroup."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pkp_cli.ingest import cores, early, helper, load


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv(cores.ENV, raising=False)  # (tests/conftest.py sets it for every other test)
    monkeypatch.setattr(cores, "CGROUP_ROOT", tmp_path / "sys")
    monkeypatch.setattr(cores, "PROC_SELF_CGROUP", tmp_path / "proc-self-cgroup")
    cores.usable_cpus.cache_clear()
    yield tmp_path
    cores.usable_cpus.cache_clear()


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def _v2(tree: Path, group: str, limits: dict[str, str]) -> None:
    """A cgroup v2 process in `group`; `limits`: folder under the root ("" for the root) -> cpu.max's text."""
    _write(tree / "proc-self-cgroup", f"0::{group}\n")
    for folder, text in limits.items():
        _write(tree / "sys" / folder / "cpu.max", text)


@pytest.mark.parametrize(
    ("text", "cpus"),
    [
        ("max 100000\n", None),  # no quota
        ("100000 100000\n", 1),  # one CPU
        ("99999 100000\n", 1),  # just under one: still one (rounded up)
        ("100001 100000\n", 2),  # just over one: the second CPU's worth is paid for, in part
        ("150000 100000\n", 2),
        ("200000 100000\n", 2),
        ("50000 100000\n", 1),  # half a CPU: at least one
        ("400000 50000\n", 8),  # another period
        ("0 100000\n", None),  # not a quota the kernel takes: ignored
        ("-5 100000\n", None),
        ("100000 0\n", None),
        ("lots 100000\n", None),  # unreadable text: ignored
        ("100000\n", None),
        ("", None),
    ],
)
def test_a_v2_quota_at_the_root(tree: Path, text: str, cpus: int | None) -> None:
    _v2(tree, "/", {"": text})
    assert cores.quota_cpus() == cpus


def test_the_tightest_quota_along_the_path_counts(tree: Path) -> None:
    # A systemd slice allows 4 CPUs, the service inside it 1.5: 2; the process's own group sets none.
    _v2(
        tree,
        "/system.slice/pkp.service/run",
        {"": "max 100000", "system.slice": "400000 100000", "system.slice/pkp.service": "150000 100000"},
    )
    _write(tree / "sys" / "system.slice/pkp.service/run" / "cpu.max", "max 100000")
    assert cores.quota_cpus() == 2


def test_a_group_that_would_leave_the_root_is_read_at_the_root_only(tree: Path) -> None:
    _v2(tree, "/../../etc", {"": "100000 100000"})
    _write(tree / "etc" / "cpu.max", "400000 100000")  # outside the cgroup root: never read
    assert cores.quota_cpus() == 1


@pytest.mark.parametrize(
    ("quota", "period", "cpus"),
    [("-1", "100000", None), ("100000", "100000", 1), ("250000", "100000", 3), ("x", "100000", None)],
)
def test_a_v1_quota(tree: Path, quota: str, period: str, cpus: int | None) -> None:
    _write(tree / "proc-self-cgroup", "5:memory:/\n4:cpu,cpuacct:/docker/abc\n0::/\n")
    folder = tree / "sys" / "cpu,cpuacct" / "docker" / "abc"
    _write(folder / "cpu.cfs_quota_us", quota + "\n")
    _write(folder / "cpu.cfs_period_us", period + "\n")
    assert cores.quota_cpus() == cpus


def test_no_cgroup_file_system_means_no_quota(tree: Path) -> None:
    assert cores.quota_cpus() is None  # neither /proc/self/cgroup nor the root exist
    _write(tree / "proc-self-cgroup", "0::/\n")
    assert cores.quota_cpus() is None  # a root without cpu.max
    _write(tree / "sys" / "cpu.max", "1" * 5000)  # not one line: not read
    assert cores.quota_cpus() is None


def test_a_quota_file_that_is_no_regular_file_is_not_read(tree: Path) -> None:
    # A FIFO under a quota file's name: refused unopened (a plain open would wait for a writer for ever).
    _write(tree / "proc-self-cgroup", "0::/\n")
    (tree / "sys").mkdir()
    os.mkfifo(tree / "sys" / "cpu.max")
    assert cores.quota_cpus() is None


def _affinity() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def test_usable_cpus_is_the_affinity_lowered_by_the_quota(tree: Path) -> None:
    _v2(tree, "/", {"": "max 100000"})
    assert cores.usable_cpus() == _affinity()
    cores.usable_cpus.cache_clear()
    _v2(tree, "/", {"": "100000 100000"})
    assert cores.usable_cpus() == 1
    cores.usable_cpus.cache_clear()
    _v2(tree, "/", {"": f"{(_affinity() + 5) * 100000} 100000"})
    assert cores.usable_cpus() == _affinity()  # a quota above the CPUs one may run on adds none


def test_one_cpu_by_quota_means_no_second_reader_and_no_child(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the count decides, with two CPUs by affinity: the helper child (helper.worth), the early reads beside a
    big CSV (early.start) and the loader's second reading thread (load._read_all asks `_worth_threads` only when
    two CPUs are there to use)."""
    if _affinity() < 2:
        pytest.skip("one CPU by affinity already")
    folder = tmp_path / "data"
    folder.mkdir()
    line = "Kode Lokasi,Program,Tahapan,Progres (%)\n" + "51.01.01.2001,KOTAKU,KTK-01,10\n" * 80_000
    (folder / "big.csv").write_text(line)  # above early.THREADS_MIN_FILE_BYTES
    (folder / "small.csv").write_text("Kode Lokasi,Program\n51.01.01,PISEW\n")
    assert (folder / "big.csv").stat().st_size >= early.THREADS_MIN_FILE_BYTES
    files = [(folder / "big.csv", "big.csv"), (folder / "small.csv", "small.csv")]
    asked: list[int] = []
    real = load._worth_threads
    monkeypatch.setattr(load, "_worth_threads", lambda f: asked.append(1) or real(f))
    monkeypatch.setattr(load, "read_sheets", lambda *a: ([], []))

    def decisions() -> tuple[bool, bool, bool]:
        cores.usable_cpus.cache_clear()
        with helper.allowed():
            child = helper.worth([1000] * 20)
        reads = early.start([folder], None, display_root=None, max_mb=200, cache_dir=None)  # type: ignore[arg-type]
        started = bool(reads.started())
        reads.close()
        asked.clear()
        load._read_all(files, None, 200)  # type: ignore[arg-type]
        return child, started, bool(asked)

    _v2(tree, "/", {"": "100000 100000"})  # one CPU's quota
    assert decisions() == (False, False, False)
    _v2(tree, "/", {"": "max 100000"})  # no quota: the two CPUs
    assert decisions() == (True, True, True)


def test_arrows_threads_kept_within_the_quota(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pyarrow as pa

    from pkp_cli.ingest.arrow_pool import arrow_threads_within_quota

    before = pa.cpu_count()
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    monkeypatch.delenv("OMP_THREAD_LIMIT", raising=False)
    try:
        pa.set_cpu_count(4)  # as on a 4-CPU machine, whatever runs the tests
        _v2(tree, "/", {"": "max 100000"})
        arrow_threads_within_quota()
        assert pa.cpu_count() == min(4, _affinity())  # no quota: the affinity's CPUs at most
        pa.set_cpu_count(4)
        cores.usable_cpus.cache_clear()
        _v2(tree, "/", {"": "100000 100000"})
        monkeypatch.setenv("OMP_NUM_THREADS", "4")  # the user's choice, which Arrow reads: kept
        arrow_threads_within_quota()
        assert pa.cpu_count() == 4
        monkeypatch.delenv("OMP_NUM_THREADS")
        arrow_threads_within_quota()
        assert pa.cpu_count() == 1  # one CPU's quota: one Arrow thread
    finally:
        pa.set_cpu_count(before)


@pytest.mark.parametrize(
    ("given", "cpus"),
    [
        ("1", 1),
        ("3", 3),
        (" 2 ", 2),
        ("0", None),
        ("-1", None),
        ("1.5", None),
        ("two", None),
        ("", None),
        ("\u0663", None),
        ("99999", None),
    ],
)
def test_pkp_cpus_sets_the_count(tree: Path, monkeypatch: pytest.MonkeyPatch, given: str, cpus: int | None) -> None:
    """A whole number from 1 (up to four digits) is the count, above or below what is detected; anything else
    (zero, a fraction, words, an Arabic-Indic digit, an absurd count) leaves the detection: here a quota of one."""
    _v2(tree, "/", {"": "100000 100000"})
    monkeypatch.setenv(cores.ENV, given)
    assert cores.usable_cpus() == (cpus if cpus is not None else 1)
