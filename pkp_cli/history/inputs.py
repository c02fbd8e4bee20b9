"""Each input file of a run, by name (relative to the data folder), size and sha256: what a snapshot was made of."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

CHUNK = 1 << 20


def fingerprint(root: Path) -> list[dict[str, Any]]:
    """The data files pkp reads under `root` (the same discovery as loading), each with its size and sha256.

    A file that cannot be read is listed with sha256 null (loading reports it)."""
    from pkp_cli.ingest.discover import discover

    display = root if root.is_dir() else root.parent
    files, _ = discover([root], display)
    out: list[dict[str, Any]] = []
    for path, shown in files:
        digest: str | None
        try:
            h = hashlib.sha256()
            with path.open("rb") as fh:
                while chunk := fh.read(CHUNK):
                    h.update(chunk)
            digest = h.hexdigest()
            size: int | None = path.stat().st_size
        except OSError:
            digest, size = None, None
        out.append({"name": shown, "size": size, "sha256": digest})
    return out
