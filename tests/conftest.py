"""Shared test setup: hypothesis profiles, and a small schedule every loader test can use."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", deadline=None, derandomize=True, max_examples=60, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", deadline=None, max_examples=100)
settings.load_profile("ci" if os.environ.get("CI") else os.environ.get("HYPOTHESIS_PROFILE", "dev"))

# The tests exercise pkp's two-CPU paths (a second reading thread, the helper child, the engines' second thread) on
# whatever runs them, a container held to one CPU by a quota included; set before any test module is imported (a
# skip condition reads the count) and inherited by the pkp processes tests start. tests/ingest/test_cores.py
# tests the detection with it unset.
os.environ.setdefault("PKP_CPUS", "2")

MINI_SCHEDULE = """\
tahun_anggaran: 2022
batas_akhir: 2022-12-31
program:
  PISEW:
    tahapan_kunci: {rekrutmen: P1, revisi_dipa: P2, survei: L2, konstruksi: L3}
    tahapan:
      - {kode: P1, nama: Rekrutmen, tingkat: provinsi, mulai: 2022-03-01, selesai: 2022-05-31}
      - {kode: P2, nama: Revisi DIPA, tingkat: provinsi, mulai: 2022-04-01, selesai: 2022-06-15}
      - {kode: L1, nama: Sosialisasi, tingkat: lokasi, mulai: 2022-04-01, selesai: 2022-05-15}
      - {kode: L2, nama: Survei Pendahuluan, tingkat: lokasi, mulai: 2022-05-01, selesai: 2022-06-15}
      - {kode: L3, nama: Konstruksi, tingkat: lokasi, mulai: 2022-07-01, selesai: 2022-11-30}
  KOTAKU:
    tahapan:
      - {kode: K0, nama: Rekrutmen, tingkat: provinsi, mulai: 2022-03-01, selesai: 2022-05-31}
      - {kode: K1, nama: Sosialisasi, tingkat: lokasi, mulai: 2022-04-01, selesai: 2022-05-15}
"""


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory):
    """Tests (and the subprocesses they start) never touch the user's ~/.cache/pkp."""
    old = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))
    yield
    if old is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = old


@pytest.fixture(autouse=True, scope="session")
def _one_day():
    """Every load of the session, in process or in a pkp it starts, on the day the session started (ingest/cached.py,
    `_today`): the load cache's key holds the day, so a test whose runs straddle midnight missed what its earlier
    runs kept (CI failed so once, at 00:00 UTC)."""
    import datetime as dt

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PKP_TEST_TODAY", dt.date.today().isoformat())
        yield


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: runs a subprocess or a larger workload")


@pytest.fixture
def mini_schedule(tmp_path: Path):
    from pkp_cli.model.schedule import load_schedule

    p = tmp_path / "jadwal-nasional-2022.yaml"
    p.write_text(MINI_SCHEDULE, encoding="utf-8")
    return load_schedule(p)
