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
import shutil
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import Any

KEEP_ENTRIES = 8


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "pkp"


def cache_key(parts: dict[str, Any], files: list[tuple[Path, str]]) -> str:
    from pkp_cli import __version__
    from pkp_cli.regions import REFERENCE_EDITION

    h = hashlib.sha256()
    h.update(json.dumps({"version": __version__, "reference": REFERENCE_EDITION, **parts}, sort_keys=True).encode())
    for path, shown in files:
        st = path.stat()
        h.update(f"\n{shown}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ino}".encode())
    return h.hexdigest()[:32]


def _issue_to_json(issue: Any) -> dict[str, Any]:
    d = asdict(issue)
    d["params"] = [[k, v if isinstance(v, (str, int, float, bool)) or v is None else str(v)] for k, v in issue.params]
    return d


def _issue_from_json(d: dict[str, Any]) -> Any:
    from pkp_cli.issues import Issue

    return Issue(**{**d, "params": tuple((k, v) for k, v in d["params"])})


def save(folder: Path, key: str, result: Any) -> None:
    """Write one entry; any failure leaves the cache as it was (the cache is an optimisation only)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=folder, prefix=".tmp-"))
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
        (tmp / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        target = folder / key
        if target.exists():
            shutil.rmtree(tmp, ignore_errors=True)
            return
        os.replace(tmp, target)
        _prune(folder)
    except (OSError, ValueError, TypeError, ImportError):
        shutil.rmtree(locals().get("tmp", folder / ".none"), ignore_errors=True)


def load(folder: Path, key: str) -> Any | None:
    """The entry for `key`, or None (missing or unreadable: the caller loads from the workbooks)."""
    import pandas as pd

    from pkp_cli.issues import FileReport, SheetReport
    from pkp_cli.load import LoadResult

    entry = folder / key
    if not (entry / "meta.json").is_file():
        return None
    try:
        meta = json.loads((entry / "meta.json").read_text(encoding="utf-8"))
        frames = {n: pd.read_parquet(entry / f"{n}.parquet") for n in ("lokasi", "progres", "temuan")}
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
    except (OSError, ValueError, KeyError, TypeError):
        shutil.rmtree(entry, ignore_errors=True)  # a broken entry is rebuilt by the next load
        return None


def _prune(folder: Path) -> None:
    entries = sorted(
        (p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in entries[KEEP_ENTRIES:]:
        shutil.rmtree(old, ignore_errors=True)
