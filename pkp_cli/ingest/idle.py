"""Work a command will need after its load, done while the load's main thread would only wait.

A big load ends with its main thread waiting: for calamine's read of a big workbook (which holds no GIL), or for
the location batch parsed on a thread of its own. What the command does after the load, before its first line of
output, was partly work that depends on nothing the load makes: importing the renderer's modules (rich), loading
Babel's locale data for the dates it writes. The CLI names such work (`preparing`); the load runs it the first
time it is about to wait (`run`), so it is off the command's critical line. Nothing here changes a result: each
task only makes later calls find a module imported or a cache filled, and a task that fails is dropped (the
real call later fails, or not, as it would have).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

_tasks: list[Callable[[], object]] = []


def run() -> None:
    """Do the named tasks now (once each): the caller is about to wait."""
    while _tasks:
        task = _tasks.pop(0)
        with contextlib.suppress(Exception):
            task()


@contextlib.contextmanager
def preparing(*tasks: Callable[[], object]) -> Iterator[None]:
    """Name the tasks for the block's load; the ones no wait ran are dropped at its end (not run)."""
    global _tasks
    outer, _tasks = _tasks, list(tasks)
    try:
        yield
    finally:
        _tasks = outer
