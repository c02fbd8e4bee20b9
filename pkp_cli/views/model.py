"""The one report model: every command builds a Report; every renderer takes any Report.

A Report is a title, header lines for people, machine facts for the JSON envelope, an ordered list of
Tables and notes. A Table has a stable name, typed Columns (from the catalogue in views/columns.py), its rows
as a DataFrame keyed by column key with raw typed values (codes, numbers, dates, flags: never formatted
text), an optional total row, the text to show when empty, and notes. Several Table instances may share a
name (one per province, say): they have the same columns and together make that table for CSV and JSON.

Views decide everything a reader sees: which tables, which columns, titles, notes, the rows a terminal shows
(`limit`) and the order in which columns give way on a narrow terminal (`Column.priority`). Renderers only
format cells by kind and language and lay the result out.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    import pandas as pd

# text: free text that may wrap on screen; code: an identifier, never wrapped; int / number / percent /
# points (a signed difference of percentages) / days: numbers; date / date_short: calendar days; rupiah;
# status: a stable code shown through `vocab` labels; bool: a flag ("ya" or blank); list: several texts;
# stages: [{tahapan, nama_tahapan, hari}] stages with a number of days.
Kind = Literal[
    "text", "code", "int", "number", "percent", "points", "days", "date", "date_short", "rupiah", "status", "bool",
    "list", "stages",
]  # fmt: skip
NUMERIC_KINDS = frozenset({"int", "number", "percent", "points", "days", "rupiah"})
WRAPPING_KINDS = frozenset({"text", "list", "stages"})


@dataclass(frozen=True)
class Column:
    key: str
    kind: Kind
    label: tuple[str, str]  # (Indonesian, English) header
    desc: tuple[str, str]  # one line a newcomer understands, both languages
    vocab: str | None = None  # label prefix of a status-like code ("status", "audit.status", ...)
    screen: bool = True  # shown on the terminal, in markdown and HTML (always in CSV, JSON and xlsx)
    files: bool = True  # False: for people only (terminal, markdown, HTML), never in CSV, JSON or xlsx: words
    # composed from other columns that the files carry as codes and dates (a board cell "selesai 11 Mar")
    priority: int = 1  # on a terminal too narrow for every column, the highest priority numbers go first

    def header(self, lang: str) -> str:
        return self.label[0 if lang == "id" else 1]

    def description(self, lang: str) -> str:
        return self.desc[0 if lang == "id" else 1]

    def but(self, **changes: Any) -> Column:
        """This column with some fields changed (a table's own header for a catalogue column, say)."""
        return replace(self, **changes)


@dataclass
class Table:
    name: str  # stable identifier: `--table NAME`, the CSV file name, the JSON key
    title: str  # in the report's language
    columns: list[Column]
    rows: pd.DataFrame  # one column per Column.key (more are ignored)
    total: dict[str, Any] | None = None  # a total row, same keys; shown last
    empty: str = ""  # said instead of an empty table
    notes: list[str] = field(default_factory=list)  # lines under the table; "- " lines are list items
    limit: int | None = None  # rows a terminal shows (all when None); CSV/JSON/xlsx/markdown get every row
    layout: Literal["rows", "card"] = "rows"  # card: one row shown as "header value" pairs (a summary)
    styles: list[str | None] | None = None  # per row: a status code whose colour the terminal may use
    screen: bool = True  # False: for files only (CSV, JSON, xlsx, and the HTML chart), not the terminal/markdown
    chart: Literal["s_curve"] | None = None  # also drawn as a chart in xlsx and HTML (columns tanggal + measures)
    part: str = ""  # which part of a table split in several instances (a program's): names its own xlsx sheet

    def column(self, key: str) -> Column:
        for c in self.columns:
            if c.key == key:
                return c
        raise KeyError(key)

    @property
    def screen_columns(self) -> list[Column]:
        return [c for c in self.columns if c.screen]


@dataclass
class Report:
    command: str
    lang: str
    title: str | None = None
    header: list[str] = field(default_factory=list)  # lines for people above the tables (sample marker, date)
    meta: dict[str, Any] = field(default_factory=dict)  # the JSON envelope's facts, before `tables`
    tables: list[Table] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # lines for people after the tables
    main: str | None = None  # the table CSV writes when no --table is given (default: the first)
    warnings: list[str] = field(default_factory=list)  # said first on stderr (stale data, say)

    def names(self) -> list[str]:
        """Table names in order of first appearance."""
        seen: dict[str, None] = {}
        for t in self.tables:
            seen.setdefault(t.name, None)
        return list(seen)

    def instances(self, name: str) -> Iterator[Table]:
        return (t for t in self.tables if t.name == name)

    def main_name(self) -> str | None:
        names = self.names()
        return self.main if self.main in names else (names[0] if names else None)

    def combined(self, name: str) -> tuple[list[Column], pd.DataFrame, list[dict[str, Any]]]:
        """(columns, every row of every instance of the table, total rows) for CSV, JSON and xlsx: the columns
        meant for files (`Column.files`)."""
        import pandas as pd

        parts = list(self.instances(name))
        if not parts:
            raise KeyError(name)
        columns = [c for c in parts[0].columns if c.files]
        keys = [c.key for c in columns]
        frames = [t.rows.reindex(columns=keys) for t in parts if len(t.rows)]
        rows = pd.concat(frames, ignore_index=True) if frames else parts[0].rows.reindex(columns=keys).iloc[0:0]
        totals = [t.total for t in parts if t.total is not None]
        return columns, rows, totals
