"""The Arrow memory pool a load allocates from.

pyarrow's default pool on Linux is mimalloc, which hands freed pages back to the system within milliseconds;
a big load makes and drops dozens of 1.66 M-row columns, so the same memory is returned and faulted in again
and again: on the bench's national CSV this cost 2.7-3.1 s of system time per `pkp validate` (page faults) and
about 50 MB more peak memory than jemalloc, which keeps freed pages for reuse for a second (pyarrow's
setting). Measured on this project's bench, paired: see bench/analysis.md, branch perf-dict.

A user's own choice (pyarrow's ARROW_DEFAULT_MEMORY_POOL) is left alone, and a pyarrow built without jemalloc
keeps its default.
"""

from __future__ import annotations

import os

_PREFERRED = "jemalloc"


def use_load_pool() -> None:
    """Make jemalloc Arrow's default pool for the rest of the process (before the reading allocates)."""
    if os.environ.get("ARROW_DEFAULT_MEMORY_POOL"):
        return
    import pyarrow as pa

    if pa.default_memory_pool().backend_name == _PREFERRED:
        return
    try:
        pool = pa.jemalloc_memory_pool()
    except (NotImplementedError, pa.ArrowNotImplementedError):
        return
    pa.set_memory_pool(pool)


def give_back_freed() -> None:
    """Hand the C heap's free pages back to the system (glibc only; elsewhere nothing to do).

    numpy's 1.66 M-row temporaries come from glibc's heap, which keeps what is freed below its top: after a
    national load several hundred MB of freed pages stay in the process while the command goes on (status,
    rendering) and count in its peak. One `malloc_trim` after the load returns them, in milliseconds."""
    import ctypes
    import platform

    if platform.system() != "Linux" or platform.libc_ver()[0] != "glibc":
        return
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        return
