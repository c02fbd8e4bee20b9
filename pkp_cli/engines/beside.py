"""A second thread for engine work that can run beside the caller's.

The status engine and the national view each have two lines of work on the 1.66 M national rows that share
nothing but their inputs; both are mostly numpy, pandas and Arrow kernels that let the GIL go, and the machine's
second core is otherwise idle after the load. The C heaps are capped first (ingest/arrow_pool.py, `few_heaps`):
with a heap of its own the thread would take fresh memory for its arrays while the main thread's heap holds as
much freed. Where the process has one CPU to use (ingest/cores.py), the work runs on the caller's thread instead,
each task when it is submitted: a second thread would only take turns with the first.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from typing import Any, TypeVar

from pkp_cli.ingest.arrow_pool import few_heaps
from pkp_cli.ingest.cores import usable_cpus

T = TypeVar("T")


def second_thread(name: str) -> Executor:
    """An executor of one thread named `name` (use it as a context manager: it waits for its work on exit), or, with
    one usable CPU, one that runs each task at once on the caller's thread."""
    if usable_cpus() < 2:
        return Inline()
    few_heaps()
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)


class Inline(Executor):
    """Runs each task when it is submitted, on the submitting thread; its error is the future's, as a thread's is."""

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        future: Future[T] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as exc:  # handed to whoever takes the result, as a pool's thread does
            future.set_exception(exc)
        return future
