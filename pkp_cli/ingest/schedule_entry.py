"""The validated national schedule kept in pkp's cache folder, keyed by the file's exact bytes.

Reading a schedule means PyYAML's pure-Python loader with line numbers, pkp's limits and the semantic checks:
about 40 ms of CPU (the import of PyYAML included), a sixth of what a warm `pkp status --province Bali` adds
to importing pandas. The same bytes always validate to the same model, so the model is kept as JSON
(`pkp-schedule-<key>.json`, no pickle; `to_json`) and read back without pydantic (`from_json`). The key covers the
file's sha256, pkp's version, the code of the models (pkp_cli/model/schedule.py) and the installed PyYAML
and pydantic (their files' size and time): any change reads and checks the file again. Only a schedule that
passed every check is kept; a file with problems is read (and refused) every time, with its messages.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pkp_cli.model.schedule import Schedule

# pkp_cli.model.yamlio.MAX_YAML_BYTES (not imported from there: that module imports PyYAML); a test ties them.
_MAX_BYTES = 1_000_000


def load_schedule_kept(path: Path, lang: str, store: Path | None) -> Schedule:
    """`load_schedule(path, lang)`, through the entry in `store` when there is one for these bytes."""
    from pkp_cli.model.schedule import Schedule, from_json, load_schedule, to_json

    if store is None:
        return load_schedule(path, lang)
    from pkp_cli.ingest.kept_json import read_kept, write_kept
    from pkp_cli.model.regular_file import read_regular_file

    try:
        data = read_regular_file(path, _MAX_BYTES)
    except Exception:  # not readable, not regular, too large: the ordinary path says so, in the user's language
        return load_schedule(path, lang)
    sha = hashlib.sha256(data).hexdigest()
    entry = _entry(store, sha)
    text = read_kept(entry) if entry is not None else None
    if text is not None:
        # Used only if it is exactly the JSON of a model (what a strict read of the file gave); anything else
        # (damaged) is read from the file again, and kept anew.
        model = from_json(text)
        if model is not None:
            return Schedule(model=model, path=path, sha256=sha)
    schedule = load_schedule(path, lang)
    if entry is not None and schedule.sha256 == sha:  # the file did not change between the two reads
        write_kept(entry, to_json(schedule.model))
    return schedule


def _entry(store: Path, sha: str) -> Path | None:
    """pkp-schedule-<key>.json; None when PyYAML or pydantic cannot be located (then nothing is kept)."""
    import importlib.util

    from pkp_cli import __version__
    from pkp_cli.ingest.kept_json import MAGIC
    from pkp_cli.model import schedule as models

    # The entry format's magic is part of the key: entries of an older format are never read, and never
    # overwritten (without the magic, they are not recognisably pkp's).
    parts: list[object] = [MAGIC, sha, __version__, "schedule-json-2"]  # 2: model/schedule.py's to_json
    try:
        parts.append(_stamp(Path(models.__file__)))
        for package in ("yaml", "pydantic"):
            spec = importlib.util.find_spec(package)
            if spec is None or spec.origin is None:
                return None
            parts.append([spec.origin, *_stamp(Path(spec.origin))])
    except (OSError, ValueError, ImportError):
        return None
    key = hashlib.sha256(json.dumps(parts).encode()).hexdigest()[:24]
    return store / f"pkp-schedule-{key}.json"


def _stamp(path: Path) -> list[int]:
    st = path.stat()
    return [st.st_size, st.st_mtime_ns]
