"""The cyclic garbage collector in a one-shot pkp process (the console script).

Every module pkp imports (pandas, pyarrow, numpy, pydantic, typer, rich: hundreds of thousands of objects) lives
until the process ends, yet each full collection walks all of them again: on the bundled sample a full
collection during the reading found nothing to free and cost about 0.05 s of a 1.4 s run. Once the command's
imports are done they are moved out of the collector's sight (`gc.freeze`): later collections walk only what
the command made, and free it as before. Until then the collector is paused: the imports free nearly nothing.
A command that opens neither a workspace nor a schedule (config, sample, history: no rows read) runs with it
paused to the end. Only in the console script's process (`app.run`), whose imports are
all there is before the command: a test process calling `main()` again and again keeps its ordinary collector.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

_STATE = {"one_shot": False, "frozen": False, "paused": False}


def one_shot() -> None:
    """This process runs one command and ends (`app.run`). The collector is paused until its imports are done
    (`freeze_imports`): importing typer, pydantic, numpy, pyarrow and pandas makes hundreds of thousands of
    objects and frees almost none (a few hundred in cycles), yet each of its hundreds of young collections and
    its full one walks them: about 0.05 s of CPU in `import pandas` alone. Nothing the command reads is in
    memory before then."""
    _STATE["one_shot"] = True
    if gc.isenabled():
        gc.disable()
        _STATE["paused"] = True


def freeze_imports() -> None:
    """In a one-shot process, the first time only: what exists now (the imports) is left out of later
    collections. Garbage among it (a cycle the imports dropped) stays until the process ends: a few objects."""
    if _STATE["one_shot"] and not _STATE["frozen"]:
        _STATE["frozen"] = True
        gc.freeze()
        if _STATE["paused"]:
            _STATE["paused"] = False
            gc.enable()


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """In a one-shot process with the collector running: paused while the block runs (the load), then what the block
    made is left out of later collections as the imports are. A cold load of the sample's 64 workbooks makes
    hundreds of thousands of small objects (frames, indexes, arrays per sheet) and frees almost none in cycles:
    its young and middle collections and the full one after it walked them for about 25 ms of a 1.3 s run (the
    national load: 0.3 s). Cyclic garbage the load made (a few hundred objects, none of them frames: the
    national run's peak memory unchanged) stays until the process ends. Anywhere else: nothing changes."""
    if not (_STATE["one_shot"] and gc.isenabled()):
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()
