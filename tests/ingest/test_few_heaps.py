"""pkp caps glibc's C heaps at two (ingest/arrow_pool.py, `few_heaps`): a thread with a heap of its own takes fresh
memory for its arrays while the main thread's heap holds as much freed (about 90 MB more peak in a cold national
`pkp status`). Each case runs in a fresh interpreter (the cap is process-wide), starts six threads that allocate
while all are alive, and counts the heaps in glibc's own report (`malloc_info`)."""

from __future__ import annotations

import os
import platform
import re
import subprocess
import sys

import pytest

pytestmark = pytest.mark.skipif(
    platform.system() != "Linux" or platform.libc_ver()[0] != "glibc", reason="C heaps (arenas) are glibc's"
)

_SCRIPT = """
import ctypes, sys, tempfile, threading
import numpy as np
how = sys.argv[1]
if how == "few_heaps":
    from pkp_cli.ingest.arrow_pool import few_heaps
    few_heaps()
elif how == "load_pool":
    from pkp_cli.ingest.arrow_pool import use_load_pool
    use_load_pool()
elif how == "second_thread":
    from pkp_cli.engines.beside import second_thread
    with second_thread("t") as pool:
        pool.submit(np.ones, 10_000).result()
all_alive = threading.Barrier(7)
kept = []
def work():
    kept.append(np.ones(10_000))  # 80 kB: below the mmap threshold, from the thread's heap
    all_alive.wait()
threads = [threading.Thread(target=work) for _ in range(6)]
for t in threads:
    t.start()
all_alive.wait()
for t in threads:
    t.join()
libc = ctypes.CDLL("libc.so.6")
libc.fopen.restype = ctypes.c_void_p
with tempfile.NamedTemporaryFile(suffix=".xml") as f:
    fp = libc.fopen(f.name.encode(), b"w")
    libc.malloc_info(0, ctypes.c_void_p(fp))
    libc.fclose(ctypes.c_void_p(fp))
    print(open(f.name).read())
"""


def _heaps(how: str, arena_max: str | None = None) -> int:
    env = {k: v for k, v in os.environ.items() if k != "MALLOC_ARENA_MAX"}
    if arena_max is not None:
        env["MALLOC_ARENA_MAX"] = arena_max
    out = subprocess.run([sys.executable, "-c", _SCRIPT, how], capture_output=True, text=True, env=env, check=True)
    return len(re.findall(r'<heap nr="\d+"', out.stdout))


def test_without_the_cap_each_thread_gets_a_heap() -> None:
    # what the cap is for: six threads allocating at once get heaps of their own (glibc allows 8 per core)
    assert _heaps("none") > 2


@pytest.mark.parametrize("how", ["few_heaps", "load_pool", "second_thread"])
def test_pkp_caps_the_heaps_at_two(how: str) -> None:
    # directly, by a load (before its readers allocate) and by the engines' second thread
    assert _heaps(how) <= 2


def test_the_users_own_limit_is_kept() -> None:
    # MALLOC_ARENA_MAX=4 set by the user: glibc applies it, pkp does not lower it to two
    assert 2 < _heaps("few_heaps", arena_max="4") <= 4
