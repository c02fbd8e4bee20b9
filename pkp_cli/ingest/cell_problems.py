"""Problems the readers found in the raw file (RawSheet.problems), turned into errors at their records.

A reader problem is more exact than what a parser would say about the same cell (calamine turned a date
serial of 1e15 into nothing; the parser would call the raw number "a number in a date column"), so it replaces
the parser's error on that cell. A row-level problem (a CSV quote never closed) rejects its row even when its
cell is in a column pkp does not read; one on a row that is no record (a heading, the header itself) is a
warning at its address, so it is never dropped.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pkp_cli.ingest.read import col_letter
from pkp_cli.ingest.sheets import SheetRecords, concat_errors
from pkp_cli.model.issues import Issue

# The column name of a row-level problem in a column pkp does not read: "@" and the 0-based absolute index.
UNREAD_COLUMN = "@"


def unread_column_index(column: object) -> int | None:
    """The absolute 0-based column of an error recorded on a column pkp does not read, else None."""
    if isinstance(column, str) and column.startswith(UNREAD_COLUMN) and column[1:].isdigit():
        return int(column[1:])
    return None


def apply_reader_problems(sr: SheetRecords) -> list[Issue]:
    """Add the members' reader problems to `sr.errors` (replacing the parser's errors on the same cells);
    returns the warnings for problems on rows that hold no record."""
    if not any(m.sheet.problems for m in sr.members):
        return []
    rec = sr.records
    sid = rec["_sid"].to_numpy()
    row = rec["_row"].to_numpy()
    grp = rec["_grp"].to_numpy() if "_grp" in rec.columns else np.zeros(len(rec), dtype=np.int64)
    found: list[tuple[int, str, str, dict[str, object]]] = []
    warnings: list[Issue] = []
    inverse = [{c: name for name, c in gc.items()} for gc in sr.group_cols]  # per group: column -> name
    for i, member in enumerate(sr.members):
        probs = member.sheet.problems
        if not probs:
            continue
        here = np.flatnonzero(sid == i)
        by_row: dict[int, list[int]] = {}
        wanted = np.isin(row[here], [p[0] for p in probs])
        for k in here[wanted]:
            by_row.setdefault(int(row[k]), []).append(int(k))
        for r, col, code, params, row_level in probs:
            recs = by_row.get(int(r), [])
            if not recs and row_level:
                cell = f"{col_letter(col)}{r}"
                warnings.append(
                    Issue(member.file, member.sheet.name, int(r), cell, None, None, code, tuple(params.items()))
                )
            for k in recs:
                name = inverse[int(grp[k])].get(col) if inverse else None
                if name is None and not row_level:
                    continue  # a cell in a column pkp does not read
                found.append((k, name or f"{UNREAD_COLUMN}{col}", code, dict(params)))
    if found:
        new = pd.DataFrame(found, columns=["rec", "column", "code", "params"])
        errs = sr.errors
        if len(errs):
            same = pd.MultiIndex.from_frame(errs[["rec", "column"]]).isin(
                pd.MultiIndex.from_frame(new[["rec", "column"]])
            )
            errs = errs[~same]
        sr.errors = concat_errors([errs, new])
    return warnings
