"""A load allocates Arrow memory from jemalloc (ingest/arrow_pool.py: mimalloc's quick return of freed pages cost
seconds of page faults on the national CSV), unless the user chose a pool; and numpy's big arrays without huge
pages (their faults cost a cold national `pkp status` about a quarter of a second of system time), unless the
user chose. Run in a fresh interpreter each: both settings are process-wide and this test process may have set
them already."""

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
from numpy._core.multiarray import _get_madvise_hugepage
from pkp_cli.ingest.load import load_uncached
from pkp_cli.model.schedule import load_schedule
before = pa.default_memory_pool().backend_name
huge_before = int(_get_madvise_hugepage())
result = load_uncached([Path(sys.argv[1])], load_schedule(Path(sys.argv[2])), lokasi_paths=None,
                       today=date(2022, 6, 30), max_errors=100, lang="id", max_uncompressed_mb=1024,
                       collect_rejects=False, display_root=None, cache_dir=None)
print(before, pa.default_memory_pool().backend_name, len(result.progres), huge_before, int(_get_madvise_hugepage()))
"""


def _jemalloc_built() -> bool:
    try:
        pa.jemalloc_memory_pool()
    except (NotImplementedError, pa.ArrowNotImplementedError):
        return False
    return True


def _run(tmp_path: Path, pool: str | None, huge: str | None = None) -> list[str]:
    data = tmp_path / "data"
    data.mkdir()
    write_lokasi(data / "lokasi.xlsx")
    write_progres(data / "progres.xlsx")
    schedule = tmp_path / "jadwal-nasional-2022.yaml"
    schedule.write_text(MINI_SCHEDULE, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("ARROW_DEFAULT_MEMORY_POOL", "NUMPY_MADVISE_HUGEPAGE")}
    if pool is not None:
        env["ARROW_DEFAULT_MEMORY_POOL"] = pool
    if huge is not None:
        env["NUMPY_MADVISE_HUGEPAGE"] = huge
    out = subprocess.run(
        [sys.executable, "-c", _SCRIPT, str(data), str(schedule)], capture_output=True, text=True, env=env, check=True
    )
    return out.stdout.split()


@pytest.mark.skipif(not _jemalloc_built(), reason="this pyarrow is built without jemalloc")
def test_a_load_switches_arrow_to_jemalloc(tmp_path: Path) -> None:
    # before: pyarrow's own default (mimalloc on Linux)
    _before, after, rows, _huge_before, _huge_after = _run(tmp_path, None)
    assert after == "jemalloc"
    assert int(rows) > 0  # the load itself went through


def test_the_users_pool_is_kept(tmp_path: Path) -> None:
    before, after, _rows, _huge_before, _huge_after = _run(tmp_path, "system")
    assert before == after == "system"


@pytest.mark.skipif(sys.platform != "linux", reason="numpy asks for huge pages on Linux only")
def test_a_load_turns_numpys_huge_pages_off(tmp_path: Path) -> None:
    _before, _after, rows, huge_before, huge_after = _run(tmp_path, None)
    assert huge_before == "1"  # numpy's default on a kernel from 4.6 on
    assert huge_after == "0"
    assert int(rows) > 0


def test_the_users_huge_page_choice_is_kept(tmp_path: Path) -> None:
    *_rest, huge_before, huge_after = _run(tmp_path, None, huge="1")
    assert huge_before == huge_after == "1"
