"""Where the inputs are: the data folder, the schedule and rules files of a year, the cache folder.

Each is found by the same precedence: option, environment, config file, next to the data, the bundled sample.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from pkp_cli.errors import Exit, PkpError
from pkp_cli.settings import Config, bundled_root, default_cache_dir


@dataclass(frozen=True)
class Resolved:
    path: Path
    why: str  # the human reason, e.g. "--data", "PKP_DATA", "folder in current directory", "sample"
    is_sample: bool = False


def _holds_workbook(folder: Path) -> bool:
    from pkp_cli.ingest.discover import holds_workbook

    return holds_workbook(folder)


def resolve_data(option: Path | None, cfg: Config) -> Resolved:
    """--data, PKP_DATA, config, ./data (only if it holds a workbook), else the bundled sample."""
    explicit = [
        (option, "--data"),
        (Path(os.environ["PKP_DATA"]) if os.environ.get("PKP_DATA") else None, "PKP_DATA"),
        (Path(cfg.values["data"]) if cfg.values.get("data") else None, f"config {cfg.path}"),
    ]
    for path, why in explicit:
        if path is None:
            continue
        if not path.exists():
            raise PkpError(Exit.NO_INPUT, f"{why}: {path} tidak ada / does not exist")
        if not _holds_workbook(path):
            raise PkpError(Exit.NO_INPUT, f"{why}: {path} tidak memuat workbook pkp / holds no pkp workbook")
        return Resolved(path, why)
    local = Path("data")
    if _holds_workbook(local):
        return Resolved(local, "folder in current directory")
    return Resolved(bundled_root() / "data", "sample", is_sample=True)


_YEAR_FILE = re.compile(r"^(jadwal-nasional|percepatan)-(\d{4})\.ya?ml$")


def _candidates(folder: Path, stem: str) -> dict[int, list[Path]]:
    out: dict[int, list[Path]] = {}
    if not folder.is_dir():
        return out
    for p in sorted(folder.iterdir()):
        m = _YEAR_FILE.match(p.name)
        if m and m.group(1) == stem:
            out.setdefault(int(m.group(2)), []).append(p)
    return out


def resolve_year_file(
    stem: str, option: Path | None, env: str, cfg_key: str, cfg: Config, data: Resolved, year: int | None
) -> Resolved:
    """A schedule (stem jadwal-nasional) or rules (percepatan) file: option, env, config, next to data, bundle."""
    for path, why in (
        (option, f"--{'schedule' if stem == 'jadwal-nasional' else 'rules'}"),
        (Path(os.environ[env]) if os.environ.get(env) else None, env),
        (Path(cfg.values[cfg_key]) if cfg.values.get(cfg_key) else None, f"config {cfg.path}"),
    ):
        if path is not None:
            if not path.is_file():
                raise PkpError(Exit.CONFIG, f"{why}: {path} tidak ada / does not exist")
            return Resolved(path, why)
    bundled = bundled_root() / "schedules"
    beside = data.path.parent / "schedules"
    # For the bundled sample, the folder next to the data is the bundle itself: say so.
    in_bundle = data.is_sample and beside.resolve() == bundled.resolve()
    folders = [(beside, "bundled" if in_bundle else "next to the data")]
    if folders[0][1] != "bundled":
        folders.append((bundled, "bundled"))
    for folder, why in folders:
        cands = _candidates(folder, stem)
        if not cands:
            continue
        pick = year if year in cands else (max(cands) if year is None else None)
        if pick is None:
            continue
        if len(cands[pick]) > 1:
            names = " & ".join(str(p) for p in cands[pick])
            raise PkpError(Exit.CONFIG, f"{stem}-{pick}: dua berkas / two files: {names}")
        return Resolved(cands[pick][0], why, is_sample=why == "bundled")
    raise PkpError(Exit.CONFIG, f"{stem}-{year or '<tahun>'}.yaml tidak ditemukan / not found")


def cache_dir(cfg: Config) -> Path | None:
    """Where loaded data is cached, or None when caching is off (config `cache = false`, PKP_NO_CACHE=1)."""
    if os.environ.get("PKP_NO_CACHE") == "1" or not cfg.get("cache"):
        return None
    if cfg.values.get("cache_dir"):
        folder = Path(cfg.values["cache_dir"])
        blocker = _not_a_folder(folder)
        if blocker == folder:
            raise PkpError(Exit.CONFIG, f"{cfg.path}: cache_dir = {folder}: bukan folder / not a folder")
        if blocker is not None:
            raise PkpError(
                Exit.CONFIG,
                f"{cfg.path}: cache_dir = {folder}: {blocker} bukan folder / {blocker} is not a folder",
            )
        return folder
    folder = default_cache_dir()
    blocker = _not_a_folder(folder)
    if blocker is None:
        return folder
    # The default place (no `cache_dir` configured, which is an error when it is no folder): the command runs without
    # the cache rather than stopping, but says so once, or every run would be a cold one without a word why.
    if folder not in _SAID_UNUSABLE:
        from pkp_cli.ingest.cache_notes import say

        _SAID_UNUSABLE.add(folder)
        what = "" if blocker == folder else f"{blocker} "
        say(f"pkp: cache {folder}: {what}bukan folder, tanpa cache / {what}is not a folder, running without the cache")
    return None


# Default cache folders already said to be unusable: `cache_dir` is asked several times by one command.
_SAID_UNUSABLE: set[Path] = set()


def _not_a_folder(folder: Path) -> Path | None:
    """What keeps `folder` from being (or becoming) a folder: itself or the nearest existing path above it, when
    that is something else (a file, a FIFO, a link to one); None when it is a folder or can be made one."""
    for path in (folder, *folder.parents):
        try:
            if os.path.lexists(path):  # (a link to nothing stands in the way too)
                return None if path.is_dir() else path
        except OSError:  # (unreadable: left to the writes, which fail quietly)
            return None
    return None
