"""From shared options to a loaded, validated workspace; says on stderr which data and schedule were used."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pkp_cli.errors import Exit, PkpError

if TYPE_CHECKING:
    from pkp_cli.ingest.locate import Resolved
    from pkp_cli.model.frames import LoadResult
    from pkp_cli.model.schedule import Schedule
    from pkp_cli.settings import Config


def say(text: str) -> None:
    """A message for the person, on stderr (stdout carries only the result)."""
    print(text, file=sys.stderr)


@dataclass
class Workspace:
    lang: str
    cfg: Config
    data: Resolved
    schedule_src: Resolved
    schedule: Schedule
    loaded: LoadResult
    as_of: date
    as_of_given: bool

    @property
    def data_source(self) -> str:
        return "sample" if self.data.is_sample else str(self.data.path)

    def envelope(self, rows: Any, **extra: Any) -> dict[str, Any]:
        """The one JSON envelope of every command (no absolute path of the installation in it)."""
        return {
            "as_of": self.as_of.isoformat(),
            "fiscal_year": self.schedule.year,
            "data_source": self.data_source,
            "schedule": "bundled:" + self.schedule_src.path.name
            if self.schedule_src.is_sample
            else str(self.schedule_src.path),
            "schedule_sha256": self.schedule.sha256,
            **extra,
            "rows": rows,
        }


# Set by `pkp --lang en <command>` (the option before the command), for the commands that follow.
GLOBAL_LANG: list[str | None] = [None]


def resolve_lang(lang: Any, cfg: Config) -> str:
    """--lang after the command, else before it, else the config file's language (default id)."""
    if lang is not None:
        return str(getattr(lang, "value", lang))
    if GLOBAL_LANG[0]:
        return GLOBAL_LANG[0]
    return str(cfg.get("lang"))


def why_text(why: str, lang: str) -> str:
    """The reason a data folder or schedule was chosen, in the user's language."""
    from pkp_cli.text.labels import LABELS, label

    return label(f"why.{why}", lang) if f"why.{why}" in LABELS else why


def open_schedule(schedule_opt: Path | None, data: Resolved, cfg: Config, lang: str) -> tuple[Resolved, Schedule]:
    from pkp_cli.ingest.discover import dates_in_names
    from pkp_cli.ingest.locate import resolve_year_file
    from pkp_cli.model.schedule import load_schedule

    years = [d.year for d in dates_in_names([data.path])]
    year = max(years) if years else None
    src = resolve_year_file("jadwal-nasional", schedule_opt, "PKP_SCHEDULE", "schedule", cfg, data, year)
    return src, load_schedule(src.path, lang)


def open_workspace(
    *,
    data: Path | None,
    schedule: Path | None,
    as_of: datetime | None,
    lang: Any,
    paths: list[Path] | None = None,
    max_errors: int = 10_000,
    collect_rejects: bool = False,
) -> Workspace:
    from pkp_cli.ingest.load import load_data
    from pkp_cli.ingest.locate import Resolved, cache_dir, resolve_data
    from pkp_cli.ingest.read import require_defusedxml
    from pkp_cli.settings import load_config

    require_defusedxml()
    cfg = load_config()
    code = resolve_lang(lang, cfg)
    src = resolve_data(data, cfg)
    if paths:
        for p in paths:
            if not p.exists():
                raise PkpError(Exit.NO_INPUT, f"{p}: tidak ada / does not exist")
        shown = Resolved(paths[0] if len(paths) == 1 else Path("."), "PATH")
    else:
        shown = src
    sched_src, sched = open_schedule(schedule, shown if paths else src, cfg, code)
    en = code == "en"
    if paths:
        say(("Files" if en else "Berkas") + ": " + ", ".join(str(p) for p in paths))
    else:
        say(f"Data: {src.path} ({why_text(src.why, code)})")
    say(f"{'Schedule' if en else 'Jadwal'}: {sched_src.path} ({why_text(sched_src.why, code)})")
    loaded = load_data(
        paths or [src.path],
        sched,
        lokasi_paths=[src.path] if paths else None,
        max_errors=max_errors,
        lang=code,
        max_uncompressed_mb=int(cfg.get("max_uncompressed_mb")),
        collect_rejects=collect_rejects,
        display_root=src.path.parent if src.is_sample and not paths else None,
        cache_dir=cache_dir(cfg),
    )
    day = as_of.date() if as_of is not None else _default_as_of(loaded) or date.today()
    return Workspace(code, cfg, shown, sched_src, sched, loaded, day, as_of is not None)


def _default_as_of(loaded: LoadResult) -> date | None:
    p = loaded.progres
    if p.empty:
        return None
    dated = p.loc[~p["laporan_tanpa_tanggal"].astype(bool), "tanggal_laporan"]
    return None if dated.empty else dated.max().date()
