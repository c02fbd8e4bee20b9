"""A load allocates Arrow memory from jemalloc (ingest/arrow_pool.py: mimalloc's quick return of freed pages cost
seconds of page faults on the national CSV), unless the user chose a pool. Run in a fresh interpreter each: the
pool is process-wide and this test process may have set it already."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pytest

from tests.conftest import MINI_SCHEDULE
from tests.factories import write_lokasi, write_progres

_SCRIPT = """
import sys
from datetime import date
from pathlib import Path
import pyarrow as pa
from pkp_cli.ingest.load import load_uncached
from pkp_cli.model.schedule import load_schedule
before = pa.default_memory_pool().backend_name
result = load_uncached([Path(sys.argv[1])], load_schedule(Path(sys.argv[2])), lokasi_paths=None,
                       today=date(2022, 6, 30), max_errors=100, lang="id", max_uncompressed_mb=1024,
                       collect_rejects=False, display_root=None, cache_dir=None)
print(before, pa.default_memory_pool().backend_name, len(result.progres))
"""


def _jemalloc_built() -> bool:
    try:
        pa.jemalloc_memory_pool()
    except (NotImplementedError, pa.ArrowNotImplementedError):
        return False
    return True


def _run(tmp_path: Path, pool: str | None) -> list[str]:
    data = tmp_path / "data"
    data.mkdir()
    write_lokasi(data / "lokasi.xlsx")
    write_progres(data / "progres.xlsx")
    schedule = tmp_path / "jadwal-nasional-2022.yaml"
    schedule.write_text(MINI_SCHEDULE, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}
    if pool is not None:
        env["ARROW_DEFAULT_MEMORY_POOL"] = pool
    out = subprocess.run(
        [sys.executable, "-c", _SCRIPT, str(data), str(schedule)], capture_output=True, text=True, env=env, check=True
    )
    return out.stdout.split()


@pytest.mark.skipif(not _jemalloc_built(), reason="this pyarrow is built without jemalloc")
def test_a_load_switches_arrow_to_jemalloc(tmp_path: Path) -> None:
    _before, after, rows = _run(tmp_path, None)  # before: pyarrow's own default (mimalloc on Linux)
    assert after == "jemalloc"
    assert int(rows) > 0  # the load itself went through


def test_the_users_pool_is_kept(tmp_path: Path) -> None:
    before, after, _rows = _run(tmp_path, "system")
    assert before == after == "system"
