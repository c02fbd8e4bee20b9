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
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pkp_cli.errors import Exit, PkpError

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
CONFIG_MAX_BYTES = 64 * 1024
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
    if not path.exists() and not path.is_symlink():
        return cfg
    # A config file is a few lines: anything but a regular file (a FIFO would block, a folder is no file) or a
    # file over CONFIG_MAX_BYTES is refused before it is read.
    try:
        st = path.stat()
    except OSError as exc:
        raise PkpError(Exit.CONFIG, f"{path}: {exc.strerror}") from exc
    if not stat.S_ISREG(st.st_mode):
        raise PkpError(Exit.CONFIG, f"{path}: bukan berkas biasa / not a regular file")
    if st.st_size > CONFIG_MAX_BYTES:
        raise PkpError(Exit.CONFIG, f"{path}: {st.st_size} bytes > {CONFIG_MAX_BYTES}")
    import tomllib  # only when there is a config file to read (most runs have none)

    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))  # a BOM (Windows Notepad) is no statement
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError) as exc:
        raise PkpError(Exit.CONFIG, f"{path}: {str(exc)[:200]}") from exc
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


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "pkp"


def default_history_dir() -> Path:
    """Where `pkp weekly` keeps its snapshots without a `history` key: $XDG_DATA_HOME/pkp/history."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "pkp" / "history"
