"""Find the header of a raw sheet (below title rows, maybe two rows with merged cells) and map its columns."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from pkp_cli.ingest.contract import (
    CONTRACT,
    KIND_LOKASI,
    KIND_PROGRES,
    KIND_TEMUAN,
    WIDE_SUBHEADERS,
    match_header,
    norm,
)
from pkp_cli.ingest.read import RawSheet, top_rows

HEADER_SEARCH_ROWS = 30


@dataclass
class WideGroup:
    stage_text: str
    columns: dict[str, int]  # canonical sub-column -> grid column


@dataclass
class Layout:
    kind: str
    header_index: int  # grid row of the (first) header row
    header_rows: int  # 1 or 2
    headers: list[str]  # combined header text per grid column ("" where none)
    columns: dict[str, int]  # canonical -> grid column
    conflicts: list[tuple[str, list[int]]] = field(default_factory=list)
    wide: list[WideGroup] = field(default_factory=list)

    @property
    def data_start(self) -> int:
        return self.header_index + self.header_rows


def _cell_text(v: object) -> str:
    return "" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v).strip()


def _texts(sheet: RawSheet) -> list[list[str]]:
    """The cell texts of the rows the header search looks at, read once per sheet."""
    cached: list[list[str]] | None = getattr(sheet, "_header_texts", None)
    if cached is None:
        got = _top_texts(sheet, HEADER_SEARCH_ROWS + 2)
        if got is None:
            top = top_rows(sheet.grid, HEADER_SEARCH_ROWS + 2, sheet.columns())
            # Nearly every cell is text or missing (top_rows gives np.nan itself): both are done inline, without a
            # call per cell (31,000 on the bundled sample).
            cached = [
                [v.strip() if type(v) is str else "" if v is np.nan else _cell_text(v) for v in row] for row in top
            ]
        else:
            top, cached = got
        sheet._header_texts = cached  # type: ignore[attr-defined]
        sheet._top_rows = top  # type: ignore[attr-defined]  # the title-date scan reads the rows above the header
    return cached


def _top_texts(sheet: RawSheet, k: int) -> tuple[np.ndarray, list[list[str]]] | None:
    """`top_rows(grid, k)` and the texts `_texts` makes of it, from one Arrow-to-Python conversion of the sheet's
    top k rows (every column's slice chained): top_rows converts column by column, about 40 small conversions a
    sheet, and the texts were then read back out of the object block cell by cell. None where the grid's columns
    are not all Arrow text of one type (top_rows' own fallback then applies)."""
    cols = sheet.columns()
    if not cols:
        return None
    found = [getattr(c, "_pa_array", None) for c in cols]
    arrows: list[Any] = [a for a in found if a is not None]
    first: Any = found[0]
    if len(arrows) != len(cols) or any(
        a.type != first.type or str(c.dtype) != "str" for a, c in zip(arrows, cols, strict=True)
    ):
        return None
    import pyarrow as pa

    k = min(max(k, 0), len(sheet.grid))
    n = len(cols)
    pieces: list[Any] = []
    for a in arrows:  # (a column is one chunk as a rule: its chunk sliced, cheaper than the chunked array's slice)
        pieces.extend([a.chunk(0).slice(0, k)] if a.num_chunks == 1 else a.slice(0, k).chunks)
    flat = pa.chunked_array(pieces, type=first.type).to_pylist()
    if len(flat) != n * k:
        return None
    block = np.empty((n, k), dtype=object)  # column by column, as `flat` lies; turned to rows below
    block.ravel()[:] = [np.nan if v is None else v for v in flat]
    stripped = ["" if v is None else v.strip() for v in flat]
    texts = [list(row) for row in zip(*(stripped[j * k : (j + 1) * k] for j in range(n)), strict=True)]
    return np.ascontiguousarray(block.T), texts


def _combine(sheet: RawSheet, r: int) -> list[str]:
    """Header text of rows r and r+1 combined: a merged (or, in CSV, blank-continued) upper cell is the parent."""
    upper, lower = _texts(sheet)[r], _texts(sheet)[r + 1]
    abs_row = int(sheet.row_numbers[r])
    parents = list(upper)
    for r1, c1, r2, c2 in sheet.merges:
        if r1 <= abs_row <= r2 and c2 > c1:
            top_left = c1 - sheet.origin_col
            for j in range(max(top_left, 0), min(c2 - sheet.origin_col + 1, len(parents))):
                parents[j] = upper[top_left] if 0 <= top_left < len(upper) else ""
    if not sheet.merges:
        # No merge information (CSV): an empty upper cell continues the parent on its left while the lower
        # row has sub-headers under it.
        for j in range(1, len(parents)):
            if not upper[j] and lower[j] and parents[j - 1] and lower[j - 1]:
                parents[j] = parents[j - 1]
    return [f"{p} {c}" if p and c and p != c else (p or c) for p, c in zip(parents, lower, strict=True)]


def _two_row_header(sheet: RawSheet, r: int) -> bool:
    """Row r+1 reads as sub-headers: text without digits, under a merged or blank-continued upper row."""
    upper, lower = _texts(sheet)[r], _texts(sheet)[r + 1]
    filled = [c for c in lower if c]
    if not filled or any(map(str.isdigit, "".join(filled))):  # any character a digit (a C loop, not a generator)
        return False
    abs_row = int(sheet.row_numbers[r])
    if any(r1 <= abs_row <= r2 and c2 > c1 for r1, c1, r2, c2 in sheet.merges):
        return True
    return any(low and not up for up, low in zip(upper, lower, strict=True))


def _map(headers: list[str], kind: str) -> tuple[dict[str, int], list[tuple[str, list[int]]]]:
    """The canonical columns a header row names for a kind (first column of each), and the names claimed twice.
    A folder's sheets come from a few templates: a row's answer is kept by its texts, given out as new objects
    (the layout's columns are changed later)."""
    cols, conflicts = _map_kept(tuple(headers), kind)
    return dict(cols), [(canon, list(cands)) for canon, cands in conflicts]


@lru_cache(maxsize=4096)
def _map_kept(headers: tuple[str, ...], kind: str) -> tuple[dict[str, int], list[tuple[str, list[int]]]]:
    exact: dict[str, list[int]] = {}
    partial: dict[str, list[int]] = {}
    for j, h in enumerate(headers):
        if not h:
            continue
        canon, is_exact = match_header(h, kind)
        if canon:
            (exact if is_exact else partial).setdefault(canon, []).append(j)
    cols: dict[str, int] = {}
    conflicts: list[tuple[str, list[int]]] = []
    for canon in set(exact) | set(partial):
        cands = exact.get(canon) or partial.get(canon, [])
        cols[canon] = cands[0]
        if len(cands) > 1:
            conflicts.append((canon, cands))
    return cols, conflicts


@lru_cache(maxsize=1)
def _sub_index() -> dict[str, str]:
    """Normalised wide-form sub-header -> canonical column (made once: it was made again at every candidate row)."""
    return {norm(a): canon for canon, aliases in WIDE_SUBHEADERS.items() for a in aliases}


def _wide_groups(sheet: RawSheet, r: int, is_stage: Callable[[str], bool]) -> list[WideGroup]:
    """Stage headers in row r (merged across sub-headers Mulai / Selesai / Progres in row r+1)."""
    if r + 1 >= len(sheet.grid):
        return []
    upper, lower = _texts(sheet)[r], _texts(sheet)[r + 1]
    sub_index = _sub_index()
    groups: list[WideGroup] = []
    current: WideGroup | None = None
    for j, (u, low) in enumerate(zip(upper, lower, strict=True)):
        if u:
            current = WideGroup(u, {}) if is_stage(u) else None
            if current is not None:
                groups.append(current)
        sub = sub_index.get(norm(low)) if low else None
        if current is not None and sub and sub not in current.columns:
            current.columns[sub] = j
        elif current is not None and not u and not sub:
            current = None
    return [g for g in groups if g.columns]


def _required_ok(kind: str, cols: dict[str, int], wide: list[WideGroup]) -> bool:
    if kind == KIND_PROGRES:
        return "kode_lokasi" in cols and ("tahapan" in cols or bool(wide))
    if kind == KIND_TEMUAN:
        return "nomor_temuan" in cols
    return "kode_lokasi" in cols and "program" in cols


def detect_layout(sheet: RawSheet, is_stage: Callable[[str], bool]) -> Layout | None:
    """The best header (row, one or two rows, kind) among the first rows, or None for a non-pkp sheet."""
    grid = sheet.grid
    best: tuple[tuple[int, int], Layout] | None = None
    n = min(HEADER_SEARCH_ROWS, len(grid))
    for r in range(n):
        single = _texts(sheet)[r]
        if not any(single):
            continue
        options = [(1, single)]
        if r + 1 < len(grid) and _two_row_header(sheet, r):
            options.append((2, _combine(sheet, r)))
        for rows, headers in options:
            wide = _wide_groups(sheet, r, is_stage) if rows == 2 else []
            # The kind follows the contract's order (progres, then temuan, then lokasi); rows compete on how
            # many columns they name for their kind.
            for kind in (KIND_PROGRES, KIND_TEMUAN, KIND_LOKASI):
                cols, conflicts = _map(headers, kind)
                if kind == KIND_PROGRES and wide:
                    wide_cols = {j for g in wide for j in g.columns.values()}
                    cols = {k: v for k, v in cols.items() if v not in wide_cols}
                    conflicts = [(k, [j for j in js if j not in wide_cols]) for k, js in conflicts]
                    conflicts = [(k, js) for k, js in conflicts if len(js) > 1]
                if not _required_ok(kind, cols, wide):
                    continue
                score = (len(cols) + (len(wide) if kind == KIND_PROGRES else 0), -rows)
                if best is None or score > best[0]:
                    best = (score, Layout(kind, r, rows, headers, cols, conflicts, wide))
                break
        if best is not None and r > best[1].header_index + 1:
            break
    if best is None:
        return None
    layout = best[1]
    _check_kegiatan(sheet, layout)
    if not _required_ok(layout.kind, layout.columns, layout.wide):
        return None
    return layout


def _check_kegiatan(sheet: RawSheet, layout: Layout) -> None:
    """ "Kegiatan" means the program only when its values are PISEW/KOTAKU."""
    j = layout.columns.get("program")
    if j is None or norm(layout.headers[j]) != "kegiatan":
        return
    values = sheet.grid.iloc[layout.data_start :, j].dropna().astype(str).str.strip().str.lower()
    values = values[values != ""]
    if len(values) == 0 or not values.str.match(r"^(pisew|kotaku)").all():
        del layout.columns["program"]


KINDS = tuple(CONTRACT)
