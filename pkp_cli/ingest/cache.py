"""A cache of loaded, validated data, so the analyst's second, third and tenth command in a row are quick.

An entry is keyed by everything that decides the result: pkp's version, the region reference, the schedule's
sha256, the load options, today's date (report dates in the future are errors) and, for every file found, its
name, size, modification time and inode. Any change to any of these makes a new key; stale entries are never
read, and old ones are pruned. Entries hold only data pkp wrote itself: three Parquet files and one JSON file
(no pickle), written to a temporary folder and renamed into place.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

KEEP_ENTRIES = 8
# pkp deletes only what it created: entries are folders named ENTRY_PREFIX + 32 hex digits holding MARKER with
# MARKER_TEXT, temporary folders TMP_PREFIX + random holding the same marker. A cache_dir that points at a
# user's folder (or "" for the current one) never loses anything else.
ENTRY_PREFIX = "pkp-load-"
TMP_PREFIX = ".pkp-load-tmp-"
MARKER = ".pkp-cache-entry"
MARKER_TEXT = "pkp-cli load cache entry v1\n"
_ENTRY_NAME = re.compile(r"^pkp-load-[0-9a-f]{32}$")
_TMP_NAME = re.compile(r"^\.pkp-load-tmp-[A-Za-z0-9_]+$")
STALE_TMP_SECONDS = 3600  # a temporary folder this old was left by a killed run


def cache_key(parts: dict[str, Any], files: list[tuple[Path, str]]) -> str:
    from pkp_cli import __version__
    from pkp_cli.model.regions import REFERENCE_EDITION

    h = hashlib.sha256()
    h.update(json.dumps({"version": __version__, "reference": REFERENCE_EDITION, **parts}, sort_keys=True).encode())
    for path, shown in files:
        st = path.stat()
        h.update(f"\n{shown}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ino}".encode())
    return h.hexdigest()[:32]


def is_ours(path: Path, name_pattern: re.Pattern[str] = _ENTRY_NAME) -> bool:
    """A folder pkp created as a cache entry (or temporary entry): its name and its marker say so."""
    try:
        return (
            bool(name_pattern.match(path.name))
            and path.is_dir()
            and not path.is_symlink()
            and (path / MARKER).read_text(encoding="utf-8") == MARKER_TEXT
        )
    except (OSError, UnicodeDecodeError):
        return False


def _remove(path: Path, name_pattern: re.Pattern[str] = _ENTRY_NAME) -> None:
    if is_ours(path, name_pattern):
        shutil.rmtree(path, ignore_errors=True)


def _issue_to_json(issue: Any) -> dict[str, Any]:
    d = asdict(issue)
    d["params"] = [[k, v if isinstance(v, (str, int, float, bool)) or v is None else str(v)] for k, v in issue.params]
    return d


def _issue_from_json(d: dict[str, Any]) -> Any:
    from pkp_cli.model.issues import Issue

    return Issue(**{**d, "params": tuple((k, v) for k, v in d["params"])})


def save(folder: Path, key: str, result: Any) -> None:
    """Write one entry; any failure leaves the cache as it was (the cache is an optimisation only)."""
    tmp: Path | None = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=folder, prefix=TMP_PREFIX))
        (tmp / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        for name in ("lokasi", "progres", "temuan"):
            getattr(result, name).to_parquet(tmp / f"{name}.parquet", index=False)
        meta = {
            "files": [{"path": f.path, "sheets": [asdict(s) for s in f.sheets]} for f in result.files],
            "errors": [_issue_to_json(i) for i in result.errors],
            "warnings": [_issue_to_json(i) for i in result.warnings],
            "unreadable": [_issue_to_json(i) for i in result.unreadable],
            "errors_total": result.errors_total,
            "warnings_total": result.warnings_total,
            "ignored": [list(x) for x in result.ignored],
            "lokasi_missing_columns": sorted(result.lokasi_missing_columns),
        }
        meta["columns"] = {n: list(getattr(result, n).columns) for n in ("lokasi", "progres", "temuan")}
        (tmp / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        target = folder / (ENTRY_PREFIX + key)
        if target.exists():
            _remove(tmp, _TMP_NAME)
            return
        os.replace(tmp, target)
        _prune(folder)
    except (OSError, ValueError, TypeError, ImportError):
        if tmp is not None:
            _remove(tmp, _TMP_NAME)


def load(folder: Path, key: str) -> Any | None:
    """The entry for `key`, or None (missing or unreadable: the caller loads from the workbooks)."""
    import pandas as pd

    from pkp_cli.model import frames as shapes
    from pkp_cli.model.frames import LoadResult
    from pkp_cli.model.issues import FileReport, SheetReport

    entry = folder / (ENTRY_PREFIX + key)
    if not (entry / "meta.json").is_file():
        return None
    try:
        if not is_ours(entry):
            raise ValueError("no pkp marker")
        meta = json.loads((entry / "meta.json").read_text(encoding="utf-8"))
        frames = {n: pd.read_parquet(entry / f"{n}.parquet") for n in ("lokasi", "progres", "temuan")}
        # A valid Parquet file holding another table is as broken as an unreadable one.
        for name, required in (("lokasi", shapes.LOKASI), ("progres", shapes.PROGRES), ("temuan", shapes.TEMUAN)):
            if list(frames[name].columns) != meta["columns"][name] or not set(required) <= set(frames[name].columns):
                raise ValueError(f"{name}.parquet: unexpected columns")
        os.utime(entry)  # recently used entries survive pruning
        return LoadResult(
            lokasi=frames["lokasi"],
            progres=frames["progres"],
            temuan=frames["temuan"],
            files=[FileReport(f["path"], [SheetReport(**s) for s in f["sheets"]]) for f in meta["files"]],
            errors=[_issue_from_json(d) for d in meta["errors"]],
            warnings=[_issue_from_json(d) for d in meta["warnings"]],
            errors_total=meta["errors_total"],
            warnings_total=meta["warnings_total"],
            ignored=[tuple(x) for x in meta["ignored"]],
            unreadable=[_issue_from_json(d) for d in meta["unreadable"]],
            lokasi_missing_columns=set(meta["lokasi_missing_columns"]),
            timings={"cache": 0.0},
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
        # pkp's own broken entry is rebuilt by this load; a folder pkp did not write is left alone.
        print(f"pkp: cache {entry}: rusak, dimuat ulang / corrupt, rebuilt ({type(exc).__name__})", file=sys.stderr)
        _remove(entry)
        return None


def _prune(folder: Path) -> None:
    """Keep the KEEP_ENTRIES most recently used entries; drop temporary folders of killed runs."""
    now = time.time()
    entries = []
    for p in folder.iterdir():
        if is_ours(p):
            entries.append(p)
        elif _TMP_NAME.match(p.name) and is_ours(p, _TMP_NAME):
            try:
                if now - p.stat().st_mtime > STALE_TMP_SECONDS:
                    _remove(p, _TMP_NAME)
            except OSError:
                pass
    entries.sort(key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[KEEP_ENTRIES:]:
        _remove(old)
