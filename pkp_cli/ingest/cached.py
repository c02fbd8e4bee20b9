"""`load_data`: the load cache in front of the loader. A result loaded before from exactly the same files and
settings comes back from the cache without importing the loader itself (ingest/load.py and the readers,
parsers and checks it pulls in: about 25 ms of a warm run); a miss loads through it."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from pkp_cli.ingest.read import DEFAULT_MAX_UNCOMPRESSED_MB

if TYPE_CHECKING:
    from pkp_cli.model.frames import LoadResult
    from pkp_cli.model.schedule import Schedule


def load_data(
    paths: list[Path],
    schedule: Schedule,
    *,
    lokasi_paths: list[Path] | None = None,
    today: date | None = None,
    max_errors: int = 10_000,
    lang: str = "id",
    max_uncompressed_mb: int = DEFAULT_MAX_UNCOMPRESSED_MB,
    collect_rejects: bool = False,
    display_root: Path | None = None,
    cache_dir: Path | None = None,
) -> LoadResult:
    """Read every workbook under `paths` and validate it against `schedule`.

    `lokasi_paths` supplies location data for the cross-file checks when `paths` holds none (pkp validate on
    a single progress file). Nothing is dropped: each row is loaded, rejected (errors) or skipped (counted).
    With `cache_dir`, a result loaded before from exactly the same files and settings is reused (its frames read
    on first use), and else each file unchanged since it was last read comes from its own entry (only the
    cross-file checks run again).
    """
    today = today or _today()
    key = None
    use_cache = cache_dir is not None and not collect_rejects
    if use_cache and cache_dir is not None:
        from pkp_cli.ingest import cache

        files = cache.files_under([*paths, *(lokasi_paths or [])])
        settings = {
            "paths": [str(p) for p in paths],
            "lokasi_paths": [str(p) for p in lokasi_paths or []],
            "schedule": schedule.sha256,
            "today": today.isoformat(),
            "max_errors": max_errors,
            "max_mb": max_uncompressed_mb,
            "display_root": str(display_root),
        }
        key = cache.cache_key(settings, files)

        def rebuild() -> LoadResult:
            """The entry's frames turned out not whole: the load again, kept under the same key."""
            from pkp_cli.ingest.load import load_uncached

            fresh = load_uncached(paths, schedule, lokasi_paths=lokasi_paths, today=today, max_errors=max_errors,
                                  lang=lang, max_uncompressed_mb=max_uncompressed_mb, display_root=display_root,
                                  collect_rejects=False, cache_dir=cache_dir)  # fmt: skip
            if cache_dir is not None and key is not None:
                cache.save(cache_dir, key, fresh)
            return fresh

        hit = cache.load(cache_dir, key, rebuild)
        if hit is not None:
            hit.cache_key = key
            return hit
    # Not in the load cache: the files' reads start now, on threads, while the loader (and pandas) is imported.
    from pkp_cli.ingest import early

    reads = early.start(
        paths,
        schedule,
        display_root=display_root,
        max_mb=max_uncompressed_mb,
        cache_dir=cache_dir if use_cache else None,
    )
    # The load's own entry is written as its frames are made (cache.EntryWriter), sealed once the load is done.
    entry = cache.EntryWriter(cache_dir, key) if key is not None and cache_dir is not None else None
    try:
        from pkp_cli.ingest.load import load_uncached

        result = load_uncached(
            paths,
            schedule,
            lokasi_paths=lokasi_paths,
            today=today,
            max_errors=max_errors,
            lang=lang,
            max_uncompressed_mb=max_uncompressed_mb,
            collect_rejects=collect_rejects,
            display_root=display_root,
            cache_dir=cache_dir if use_cache else None,
            early=reads,
            writer=entry,
        )
        reads.close()
        if entry is not None:
            entry.seal(result)
            result.cache_key = key
    finally:
        reads.close()
        if entry is not None:
            entry.abort()  # (after a seal, nothing: else the frames written so far are dropped)
    return result


def _today() -> date:
    """Today; under the tests, the day their session started (PKP_TEST_TODAY, set by tests/conftest.py): the load
    cache's key holds the day, so a test whose runs straddle midnight would miss what its earlier runs kept. A value
    that is no ISO date is ignored."""
    given = os.environ.get("PKP_TEST_TODAY")
    if given:
        try:
            return date.fromisoformat(given)
        except ValueError:
            pass
    return date.today()
