"""A second thread for engine work that can run beside the caller's.

The status engine and the national view each have two lines of work on the 1.66 M national rows that share
nothing but their inputs; both are mostly numpy, pandas and Arrow kernels that let the GIL go, and the machine's
second core is otherwise idle after the load. The C heaps are capped first (ingest/arrow_pool.py, `few_heaps`):
with a heap of its own the thread would take fresh memory for its arrays while the main thread's heap holds as
much freed.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from pkp_cli.ingest.arrow_pool import few_heaps


def second_thread(name: str) -> ThreadPoolExecutor:
    """An executor of one thread named `name` (use it as a context manager: it waits for its work on exit)."""
    few_heaps()
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
