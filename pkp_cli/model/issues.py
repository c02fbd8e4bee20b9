"""Errors and warnings as values, with the cell address a BPPW can act on, and the load accounting."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pkp_cli.text.messages import render


@dataclass(frozen=True)
class Issue:
    file: str
    sheet: str | None
    row: int | None
    cell: str | None
    column: str | None  # the header as written
    value: str | None  # the raw value, None when empty
    code: str
    params: tuple[tuple[str, Any], ...] = ()
    kode_provinsi: str | None = None  # the row's province when it can be told (for `validate --province`)

    def message(self, lang: str = "id") -> str:
        return render(self.code, lang, **dict(self.params))

    def as_dict(self, lang: str = "id") -> dict[str, Any]:
        return {
            "file": self.file,
            "sheet": self.sheet,
            "row": self.row,
            "cell": self.cell,
            "column": self.column,
            "value": self.value,
            "code": self.code,
            "message": self.message(lang),
        }


@dataclass
class SheetReport:
    name: str | None
    kind: str
    header_row: int | None
    header_end_row: int | None = None  # the last header row (a two-row header ends one below header_row)
    rows_loaded: int = 0
    rows_rejected: int = 0
    blank: int = 0
    totals: int = 0
    headings: int = 0
    duplicates: int = 0

    @property
    def rows_read(self) -> int:
        return self.rows_loaded + self.rows_rejected

    @property
    def rows_skipped(self) -> int:
        return self.blank + self.totals + self.headings + self.duplicates

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "header_row": self.header_row,
            "rows_read": self.rows_read,
            "rows_loaded": self.rows_loaded,
            "rows_rejected": self.rows_rejected,
            "rows_skipped": self.rows_skipped,
        }


@dataclass
class FileReport:
    path: str
    sheets: list[SheetReport] = field(default_factory=list)

    def total(self, attr: str) -> int:
        return sum(getattr(s, attr) for s in self.sheets)

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "rows_read": self.total("rows_read"),
            "rows_loaded": self.total("rows_loaded"),
            "rows_rejected": self.total("rows_rejected"),
            "rows_skipped": self.total("rows_skipped"),
            "sheets": [s.as_dict() for s in self.sheets],
        }
