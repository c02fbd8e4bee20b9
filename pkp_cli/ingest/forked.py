"""A big workbook read by a forked child from the load's start, while the parent imports pandas and the loader.

A workbook's read (the zip guard's inflation, the sheet scan, calamine) needs no pandas, yet started on a thread
beside `import pandas` it was no sooner done: the scan's Python between its RE2 passes and the import take turns
with the GIL (early.py). A forked child has its own: it reads the biggest workbook of the load exactly as the loader
would (`read.check_file`, `workbook.xlsx_batches`) and sends back each sheet's Arrow batch and what its scan found,
or the FileProblem that refused the file; the parent makes the grids (`workbook.grids_of`). Forked before the
loader is imported and before any reading thread starts, only where `helper.may_fork` allows (Linux, two cores, a
command of the CLI, no thread of pkp's alive). Whatever goes wrong in the child, or a child that does not answer
in time, only costs time: the loader reads the file itself, as it would have without a child.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pkp_cli.ingest import helper

if TYPE_CHECKING:
    from collections.abc import Callable

    from pkp_cli.ingest.read import RawSheet

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
# The parent waits for the child's answer at most this long from when it asks, then reads the file itself: a bound
# for a child that hangs (no thread of pkp's runs at the fork: not seen), far above a slow read (a second or two
# per 10 MB of workbook on the bench's machine; a machine at load 8 takes three to four times longer).
WAIT_S = 30.0
WAIT_S_PER_MB = 5.0


class ForkedRead:
    """One workbook's read in a child (`start`); `take` is its outcome as `read.read_stage` gives it."""

    def __init__(self, child: helper.Child, fd: int, size: int) -> None:
        self.child = child
        self.fd = fd  # the shared memory the child writes the sheets' Arrow batches into
        self.size = size

    def take(self) -> Callable[[], list[RawSheet]] | None:
        """What makes the sheets' grids, or the FileProblem the file was refused with (raised); None: no answer
        (the loader reads the file itself)."""
        try:
            got = self.child.take(WAIT_S + WAIT_S_PER_MB * self.size / 1e6)
            self.child.wait()
            return outcome(got, *mapped(self.fd))
        finally:
            self.close()

    def close(self) -> None:
        self.fd = close_fd(self.fd)

    def stop(self) -> None:
        self.child.stop()
        self.close()


def close_fd(fd: int) -> int:
    """Close `fd` if open (>= 0); -1, to keep in its place."""
    if fd >= 0:
        with contextlib.suppress(OSError):
            os.close(fd)
    return -1


def start(path: Path, size: int, max_mb: int) -> ForkedRead | None:
    """Fork a child reading the workbook `path` (`size` bytes); None where no child may be forked."""
    if not helper.may_fork() or not hasattr(os, "memfd_create"):
        return None
    try:
        fd = os.memfd_create("pkp-forked-read", os.MFD_CLOEXEC)
    except OSError:
        return None
    child = helper.start([], lambda _queue: (_answer(path, max_mb, fd), None))
    if child is None:
        os.close(fd)
        return None
    return ForkedRead(child, fd, size)


def _answer(path: Path, max_mb: int, fd: int) -> dict[str, Any]:
    """In the child: the workbook's read written into the shared memory `fd` (`write_sheets`)."""
    with os.fdopen(os.dup(fd), "wb") as fh:  # (the child is alone with its GIL: a Python file costs nothing here)
        return write_sheets(fh, path, max_mb)


def write_sheets(fh: Any, path: Path, max_mb: int) -> dict[str, Any]:
    """In a child: the workbook's sheets written at the end of the file `fh` as Arrow IPC streams (their places in
    the answer) and what their scans found, or its FileProblem; {} for a file the parent reads itself."""
    import pyarrow as pa

    from pkp_cli.ingest.read import FileProblem, check_file
    from pkp_cli.ingest.workbook import xlsx_batches

    try:
        if check_file(path, max_mb) != "xlsx":
            return {}  # (a CSV under a workbook's name: the parent reads it)
        batches, found = xlsx_batches(path, max_mb)
    except FileProblem as exc:
        return {"problem": (exc.code, tuple(exc.params.items()))}
    spans = []
    for name, batch in batches:
        start = fh.tell()
        with pa.ipc.new_stream(pa.PythonFile(fh, mode="w"), batch.schema) as writer:
            writer.write_batch(batch)
        spans.append((name, start, fh.tell() - start))
    return {"sheets": spans, "found": found}


def outcome(got: dict[str, Any], mapped: Any, size: int) -> Callable[[], list[RawSheet]] | None:
    """What makes a workbook's grids from its answer (`write_sheets`) over the mapped memory, or its FileProblem
    (raised); None when the answer is not one (the loader reads the file itself)."""
    from pkp_cli.ingest.read import FileProblem
    from pkp_cli.ingest.workbook import grids_of

    problem = got.get("problem")
    if isinstance(problem, tuple) and len(problem) == 2:
        code, params = problem
        raise FileProblem(str(code), **dict(params))
    spans, found = got.get("sheets"), got.get("found")
    if not isinstance(spans, list) or not isinstance(found, dict):
        return None
    batches = batches_in(mapped, size, spans)
    return grids_of(batches, found) if batches is not None else None


def mapped(fd: int) -> tuple[Any, int]:
    """The shared memory `fd` mapped (an Arrow buffer over it, not a copy) and its size; (None, 0) when empty
    or not mappable."""
    import mmap

    import pyarrow as pa

    try:
        size = os.fstat(fd).st_size
        if not size:
            return None, 0
        return pa.py_buffer(mmap.mmap(fd, size, prot=mmap.PROT_READ)), size  # (the batches' buffers keep it mapped)
    except (OSError, ValueError):
        return None, 0


def batches_in(mapped: Any, size: int, spans: list[Any]) -> list[tuple[str, Any]] | None:
    """The sheets' batches a child wrote, over the mapped memory; None when they cannot be read as written (the
    loader reads the file itself)."""
    import pyarrow as pa

    if mapped is None:
        return [] if not spans else None
    try:
        out = []
        for name, start, length in spans:
            whole = isinstance(start, int) and isinstance(length, int) and 0 <= start <= start + length <= size
            if not whole:
                return None
            out.append((str(name), pa.ipc.open_stream(mapped.slice(start, length)).read_next_batch()))
        return out
    except (ValueError, TypeError, pa.ArrowException):
        return None
