"""The Arrow memory pool a load allocates from, and how numpy's big arrays get their memory.

pyarrow's default pool on Linux is mimalloc, which hands freed pages back to the system within milliseconds;
a big load makes and drops dozens of 1.66 M-row columns, so the same memory is returned and faulted in again
and again: on the bench's national CSV this cost 2.7-3.1 s of system time per `pkp validate` (page faults) and
about 50 MB more peak memory than jemalloc, which keeps freed pages for reuse for a second (pyarrow's
setting). Measured on this project's bench, paired: see bench/analysis.md, branch perf-dict.

A user's own choice (pyarrow's ARROW_DEFAULT_MEMORY_POOL) is left alone, and a pyarrow built without jemalloc
keeps its default.

numpy asks the kernel for transparent huge pages (`madvise(MADV_HUGEPAGE)`) on every array of 4 MB or more. The
status engine and view make dozens of fresh 7-13 MB arrays on the national data, and with huge pages their first
touches cost the kernel far more (finding and clearing 2 MB pages) than plain pages: in a cold national `pkp
status` the engine's and view's system time was 0.52-0.56 s with them and 0.19-0.22 s without (bench/analysis.md,
perf-nat8). So a load turns numpy's request off; NUMPY_MADVISE_HUGEPAGE set by the user is left alone.

glibc gives each new thread that allocates a heap of its own (an "arena", up to eight per core), and memory freed
in one heap serves only the threads of that heap. The status engine and view run part of their work on a second
thread (engines/beside.py), which would then take fresh memory for its 7-13 MB arrays while the main thread's heap
holds as much freed: in a cold national `pkp status` about 90 MB more peak memory (959 against 867 MB, medians of
eight runs); with two heaps, the main thread's and one shared by every other thread, 885 MB (12 pairs; one heap
was no lower and 0.38 s slower). So pkp caps the heaps at two (`few_heaps`), unless the user set MALLOC_ARENA_MAX
(bench/analysis.md, round fourteen).
"""

from __future__ import annotations

import os
from typing import Any

_PREFERRED = "jemalloc"


def use_load_pool() -> None:
    """Make jemalloc Arrow's default pool for the rest of the process, and numpy's big arrays plain pages (before
    the reading allocates)."""
    import pyarrow as pa

    no_huge_pages()
    few_heaps()
    arrow_threads_within_quota()
    if os.environ.get("ARROW_DEFAULT_MEMORY_POOL"):
        return
    if pa.default_memory_pool().backend_name == _PREFERRED:
        return
    try:
        pool = pa.jemalloc_memory_pool()
    except (NotImplementedError, pa.ArrowNotImplementedError):
        return
    pa.set_memory_pool(pool)


def arrow_threads_within_quota() -> None:
    """Arrow's CPU threads (its CSV parse, compute kernels, IPC compression) no more than the CPUs this process can
    use (ingest/cores.py): Arrow starts one per CPU of the machine, and in a container held to one or two CPUs by a
    quota the kernel pauses them once the quota is used (CPU throttling), so most would only wait. Left alone where
    the user set OMP_NUM_THREADS or OMP_THREAD_LIMIT (what Arrow itself reads)."""
    if "OMP_NUM_THREADS" in os.environ or "OMP_THREAD_LIMIT" in os.environ:
        return
    import pyarrow as pa

    from pkp_cli.ingest.cores import usable_cpus

    cpus = usable_cpus()
    if cpus < pa.cpu_count():
        pa.set_cpu_count(cpus)


def no_huge_pages() -> None:
    """numpy's arrays from now on without `madvise(MADV_HUGEPAGE)` (the module says why), unless the user set
    NUMPY_MADVISE_HUGEPAGE. Through numpy's own switch (what that variable sets when numpy is imported); a numpy
    without it is left as it is."""
    if "NUMPY_MADVISE_HUGEPAGE" in os.environ:
        return
    import numpy as np

    switch = getattr(getattr(getattr(np, "_core", None), "multiarray", None), "_set_madvise_hugepage", None)
    if switch is None:
        return
    try:
        switch(False)
    except (TypeError, ValueError, RuntimeError):
        return


HEAPS = 2  # the main thread's and one for all others (see the module)
_M_ARENA_MAX = -8  # glibc's mallopt parameter number (malloc.h)
_heaps_capped = False


def few_heaps() -> None:
    """At most HEAPS C heaps for the rest of the process (glibc only; the module says why), unless the user set
    MALLOC_ARENA_MAX. Needed before the threads it is for first allocate; once per process."""
    global _heaps_capped
    if _heaps_capped or "MALLOC_ARENA_MAX" in os.environ:
        return
    _heaps_capped = True
    libc = _glibc()
    if libc is not None:
        libc.mallopt(_M_ARENA_MAX, HEAPS)


def _glibc() -> Any:
    """The C library through ctypes when it is glibc on Linux, else None."""
    import ctypes
    import platform

    if platform.system() != "Linux" or platform.libc_ver()[0] != "glibc":
        return None
    try:
        return ctypes.CDLL("libc.so.6")
    except OSError:
        return None


def give_back_freed() -> None:
    """Hand the C heap's free pages back to the system (glibc only; elsewhere nothing to do).

    numpy's 1.66 M-row temporaries come from glibc's heap, which keeps what is freed below its top: after a
    national load several hundred MB of freed pages stay in the process while the command goes on (status,
    rendering) and count in its peak. One `malloc_trim` after the load returns them, in milliseconds."""
    libc = _glibc()
    if libc is not None:
        libc.malloc_trim(0)
