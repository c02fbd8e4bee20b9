"""The snapshot store: one Parquet file per ISO week, `<history>/2022-W22.parquet`.

Format 1. A snapshot holds four tables, each in its own row groups, told apart by the `_tabel` column (whose
statistics name the table of every row group, so a reader picks row groups from the footer alone):
- `status`: the STATUS rows at the as-of date (engines/status.py);
- `rollup`: the national row (kode_provinsi empty) and one row per province (engines/weekly.py::ROLLUP_COLUMNS);
- `kandidat`: every location's candidate score and whether it meets the required rules;
- `temuan`: every audit finding's state at the as-of date.
A column belongs to one table or more; in the row groups of the other tables it is null (a few bytes each).

The footer's key-value metadata `pkp.snapshot` is JSON: format, week, as_of, pkp_version, created, fiscal_year,
data_source, schedule, schedule_sha256, rules, rules_sha256, inputs [{name, size, sha256}], rows {table: n},
rows_rejected, files_unreadable. Listing the history (`scan`) reads footers only, never a row.

Files appear whole: written to a temporary name in the same folder, flushed, fsynced and renamed into place
(render/safe.py::atomic_write), so a run killed at any moment leaves the old week or the new one (and a hidden
temporary file, which the next write removes). Whatever else is in the folder is reported and left alone: a
corrupt or foreign file is skipped, never deleted.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from pkp_cli.errors import Exit, PkpError
from pkp_cli.model.provenance import WRITTEN_NAME

if TYPE_CHECKING:
    import pandas as pd

FORMAT = 1
META_KEY = b"pkp.snapshot"
TABLE_COLUMN = "_tabel"
TABLES = ("rollup", "temuan", "kandidat", "status")
SNAPSHOT_NAME = re.compile(r"^(\d{4})-W(\d{2})\.parquet$")
# The temporary file of a snapshot being written, or of a write that was killed (render/safe.py::atomic_write names
# it `.<name>.pkp<pid>-<random>.tmp`, and removes a killed run's leftovers when it next writes into the folder).
TMP_NAME = re.compile(r"^\.\d{4}-W\d{2}\.parquet\.[A-Za-z0-9_-]+\.tmp$")
LOCK_NAME = ".lock"
ROW_GROUP_ROWS = 1 << 20

# Why a file in the history folder is not used (labels "riwayat.alasan.<code>").
CORRUPT, FOREIGN, NEWER = "rusak", "asing", "versi_baru"


def iso_week(d: date) -> str:
    """The ISO week of a day, as in the file names: 2022-W22."""
    year, week, _ = d.isocalendar()
    return f"{year}-W{week:02d}"


def week_start(week: str) -> date:
    """The Monday of an ISO week written as 2022-W22."""
    year, _, w = week.partition("-W")
    return date.fromisocalendar(int(year), int(w), 1)


class SnapshotError(Exception):
    """A snapshot that cannot be used: `reason` is CORRUPT, FOREIGN or NEWER; `detail` says what was found."""

    def __init__(self, reason: str, detail: str):
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class Snapshot:
    """A stored week, known from its footer: where it is, its metadata, and which row groups hold each table."""

    path: Path
    meta: dict[str, Any]
    row_groups: dict[str, list[int]] = field(default_factory=dict)

    @property
    def week(self) -> str:
        return str(self.meta["week"])

    @property
    def as_of(self) -> date:
        return date.fromisoformat(str(self.meta["as_of"]))


@dataclass(frozen=True)
class BadFile:
    path: Path
    reason: str  # CORRUPT | FOREIGN | NEWER
    detail: str


@dataclass
class Listing:
    """What a history folder holds: the usable weeks (oldest first), the files skipped, interrupted writes."""

    snapshots: list[Snapshot] = field(default_factory=list)
    bad: list[BadFile] = field(default_factory=list)
    leftovers: list[Path] = field(default_factory=list)

    def week(self, week: str) -> Snapshot | None:
        return next((s for s in self.snapshots if s.week == week), None)

    def before(self, week: str) -> list[Snapshot]:
        return [s for s in self.snapshots if s.week < week]


def open_snapshot(path: Path) -> Snapshot:
    """Read one snapshot's footer; SnapshotError when it is not a whole pkp snapshot of the week its name says."""
    import pyarrow.parquet as pq

    try:
        md = pq.read_metadata(path)
    except Exception as exc:  # pyarrow raises ArrowInvalid, OSError, ... for a file that is not Parquet
        raise SnapshotError(CORRUPT, _short(exc)) from None
    raw = (md.metadata or {}).get(META_KEY)
    if raw is None:
        raise SnapshotError(FOREIGN, "Parquet without pkp.snapshot metadata")
    try:
        meta = json.loads(raw)
        fmt = int(meta["format"])
        week = str(meta["week"])
        date.fromisoformat(str(meta["as_of"]))
    except (ValueError, KeyError, TypeError) as exc:
        raise SnapshotError(CORRUPT, f"pkp.snapshot: {_short(exc)}") from None
    if fmt > FORMAT:
        raise SnapshotError(NEWER, f"format {fmt} > {FORMAT}")
    if f"{week}.parquet" != path.name:
        raise SnapshotError(FOREIGN, f"holds week {week}")
    try:
        column = md.schema.to_arrow_schema().get_field_index(TABLE_COLUMN)
        groups: dict[str, list[int]] = {}
        for i in range(md.num_row_groups):
            rg = md.row_group(i)
            if rg.num_rows == 0:
                continue
            stats = rg.column(column).statistics
            if stats is None or not stats.has_min_max or stats.min != stats.max:
                raise SnapshotError(CORRUPT, f"row group {i} has no single table")
            groups.setdefault(str(stats.min), []).append(i)
    except SnapshotError:
        raise
    except Exception as exc:
        raise SnapshotError(CORRUPT, _short(exc)) from None
    return Snapshot(path, meta, groups)


def scan(folder: Path) -> Listing:
    """Every file of the folder sorted out by name and footer (no row is read). A missing folder is empty."""
    out = Listing()
    try:
        entries = sorted(folder.iterdir())
    except FileNotFoundError:
        return out
    except OSError as exc:
        raise PkpError(Exit.NO_INPUT, f"{folder}: {exc.strerror}") from None
    for entry in entries:
        name = entry.name
        if name in (LOCK_NAME, WRITTEN_NAME):
            continue
        if TMP_NAME.match(name):
            out.leftovers.append(entry)
            continue
        if not SNAPSHOT_NAME.match(name) or not entry.is_file():
            out.bad.append(BadFile(entry, FOREIGN, "not a pkp snapshot name" if entry.is_file() else "a folder"))
            continue
        try:
            out.snapshots.append(open_snapshot(entry))
        except SnapshotError as exc:
            out.bad.append(BadFile(entry, exc.reason, exc.detail))
    out.snapshots.sort(key=lambda s: s.week)
    return out


def read(
    snapshot: Snapshot, table: str, columns: list[str] | None = None, categories: tuple[str, ...] = ()
) -> pd.DataFrame:
    """One table of a snapshot, only the columns asked for (text columns in `categories` come as categoricals,
    which is faster for long repetitive codes). SnapshotError(CORRUPT) when the row data cannot be read."""
    import pyarrow.parquet as pq

    try:
        # Each page's CRC is checked where the page has one (every page pkp writes: `write`); a damaged value in a
        # page that still decodes would otherwise be last week's figure, silently wrong.
        pf = pq.ParquetFile(snapshot.path, read_dictionary=list(categories) or None, page_checksum_verification=True)
        names = [n for n in pf.schema_arrow.names if n != TABLE_COLUMN]
        wanted = names if columns is None else [c for c in columns if c in names]
        groups = snapshot.row_groups.get(table, [])
        data = pf.read_row_groups(groups, columns=wanted) if groups else pf.schema_arrow.empty_table().select(wanted)
        frame = data.to_pandas()
    except Exception as exc:
        raise SnapshotError(CORRUPT, _short(exc)) from None
    missing = [c for c in (columns or []) if c not in frame.columns]
    for c in missing:  # a column a newer pkp reads and an older snapshot lacks
        frame[c] = None
    return frame


def _plain(table: Any) -> Any:
    """Categorical columns (the status frame's names) as their text: the tables of a snapshot share one schema,
    and a reader asks for categoricals by name (`categories`)."""
    import pyarrow as pa

    for i, column in enumerate(table.schema):
        if pa.types.is_dictionary(column.type):
            table = table.set_column(i, column.name, table.column(i).cast(column.type.value_type))
    return table


def write(folder: Path, meta: dict[str, Any], tables: dict[str, pd.DataFrame], compression: str = "zstd") -> Path:
    """Write a week's snapshot atomically (replacing that week's file, if any) and return its path."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from pkp_cli.render.safe import atomic_write

    meta = {**meta, "format": FORMAT, "rows": {name: len(tables[name]) for name in TABLES}}
    parts = {name: _plain(pa.Table.from_pandas(tables[name], preserve_index=False)) for name in TABLES}
    union = pa.unify_schemas([t.schema.remove_metadata() for t in parts.values()], promote_options="permissive")
    schema = pa.schema(
        [pa.field(TABLE_COLUMN, pa.string()), *union], metadata={META_KEY: json.dumps(meta, ensure_ascii=False)}
    )

    def conform(name: str, t: pa.Table) -> pa.Table:
        n = t.num_rows
        arrays = [pa.repeat(pa.scalar(name, pa.string()), n)]
        for f in union:
            arrays.append(t.column(f.name).cast(f.type) if f.name in t.column_names else pa.nulls(n, f.type))
        return pa.Table.from_arrays(arrays, schema=schema)

    def dump(fh: IO[bytes]) -> None:
        # statistics only where a reader needs them: `_tabel` tells the row groups apart from the footer
        level = {"compression_level": 1} if compression == "zstd" else {}
        with pq.ParquetWriter(
            fh, schema, compression=compression, write_statistics=[TABLE_COLUMN], write_page_checksum=True, **level
        ) as writer:
            for name in TABLES:
                writer.write_table(conform(name, parts[name]), row_group_size=ROW_GROUP_ROWS)

    path = folder / f"{meta['week']}.parquet"
    # the week's file, if any, was read as a pkp snapshot (or set aside) by the job before this write
    atomic_write(path, dump, owner_checked=True)
    return path


def set_aside(path: Path, stamp: str) -> Path:
    """Rename a file pkp cannot read out of a week's name (never delete it); return the new name."""
    target = path.with_name(f"{path.name}.disisihkan-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.disisihkan-{stamp}-{n}")
    try:
        path.rename(target)
    except OSError as exc:
        raise PkpError(Exit.CANT_WRITE, f"{path}: {exc.strerror}") from None
    return target


def _short(exc: BaseException) -> str:
    """The first line of an error, printable (a corrupt file's bytes end up in pyarrow's messages), at most 200
    characters."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in text)[:200]
