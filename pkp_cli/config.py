"""Settings and where each came from: options, environment, config file, the current folder, the bundle.

The config file is `$XDG_CONFIG_HOME/pkp/config.toml` (default `~/.config/pkp/config.toml`):

    data = "/srv/pkp/data"          # data folder
    history = "/srv/pkp/history"    # weekly history folder
    output = "/srv/pkp/out"         # output folder for reports
    lang = "id"                     # id | en
    stale_days = 14                 # a report older than this is stale
    holidays_file = "/srv/pkp/libur.csv"   # extra off days / working days (date,libur|kerja)
    max_uncompressed_mb = 1024      # zip-bomb bound for xlsx files
    cache = true                    # reuse loaded data while no file changed (PKP_NO_CACHE=1 turns it off)
    cache_dir = "~/.cache/pkp"      # default $XDG_CACHE_HOME/pkp
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pkp_cli.exitcodes import Exit, PkpError

CONFIG_KEYS = {
    "data": str,
    "history": str,
    "output": str,
    "lang": str,
    "stale_days": int,
    "holidays_file": str,
    "max_uncompressed_mb": int,
    "schedule": str,
    "rules": str,
    "cache": bool,
    "cache_dir": str,
}
DEFAULTS: dict[str, Any] = {"lang": "id", "stale_days": 14, "max_uncompressed_mb": 1024, "cache": True}
PATH_KEYS = ("data", "history", "output", "cache_dir", "holidays_file", "schedule", "rules")
# Every number has a range: a value outside it is a config error (78), never a surprise later.
RANGES = {"stale_days": (0, 366), "max_uncompressed_mb": (1, 1_048_576)}


def config_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "pkp" / "config.toml"


@dataclass
class Config:
    values: dict[str, Any] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    path: Path | None = None

    def get(self, key: str) -> Any:
        return self.values.get(key, DEFAULTS.get(key))

    def source(self, key: str) -> str:
        return self.sources.get(key, "default" if key in DEFAULTS else "unset")


def load_config(path: Path | None = None) -> Config:
    path = path or config_path()
    cfg = Config(path=path)
    if not path.is_file():
        return cfg
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise PkpError(Exit.CONFIG, f"{path}: {exc}") from exc
    for key, given in raw.items():
        want = CONFIG_KEYS.get(key)
        value: Any = given
        if want is None:
            raise PkpError(Exit.CONFIG, f"{path}: '{key}' ?  ({', '.join(CONFIG_KEYS)})")
        if not isinstance(given, want) or (isinstance(given, bool) and want is not bool):
            raise PkpError(Exit.CONFIG, f"{path}: {key} = {value!r} ({want.__name__})")
        if key == "lang" and value not in ("id", "en"):
            raise PkpError(Exit.CONFIG, f"{path}: lang = {value!r} (id | en)")
        if key in RANGES:
            low, high = RANGES[key]
            if not low <= value <= high:
                shown = value if len(str(value)) <= 20 else f"{str(value)[:20]}…"
                raise PkpError(Exit.CONFIG, f"{path}: {key} = {shown} ({low}..{high})")
        if key in PATH_KEYS and (not value.strip() or "\0" in value):
            raise PkpError(Exit.CONFIG, f"{path}: {key} = {value!r}: jalur kosong / empty path")
        cfg.values[key] = str(Path(str(value)).expanduser()) if key in PATH_KEYS else value
        cfg.sources[key] = str(path)
    return cfg


def bundled_root() -> Path:
    """Where the bundled sample lives: inside the wheel, or the repo root in an editable install."""
    here = Path(__file__).resolve().parent
    packaged = here / "_bundled"
    return packaged if (packaged / "data").is_dir() else here.parent


@dataclass(frozen=True)
class Resolved:
    path: Path
    why: str  # the human reason, e.g. "--data", "PKP_DATA", "folder in current directory", "sample"
    is_sample: bool = False


def _holds_workbook(folder: Path) -> bool:
    from pkp_cli.discover import discover

    if not folder.is_dir():
        return False
    files, _ = discover([folder])
    return bool(files)


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
        if folder.exists() and not folder.is_dir():
            raise PkpError(Exit.CONFIG, f"{cfg.path}: cache_dir = {folder}: bukan folder / not a folder")
        return folder
    from pkp_cli.cache import default_cache_dir

    return default_cache_dir()
