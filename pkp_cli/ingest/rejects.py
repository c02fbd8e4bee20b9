"""The rejected source rows as written, with their reasons: what `pkp validate --rejects` sends back to a BPPW.

Computed column-wise over all errors at once (addresses, messages, grouping by source row), then one take of
the grid rows per sheet: 100,000 rejected rows cost well under a second, where a lookup per error took
minutes (each `records.iloc[i]` builds a row of every column).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from pkp_cli.ingest.cell_problems import unread_column_index
from pkp_cli.ingest.read import col_letter
from pkp_cli.ingest.sheets import SheetRecords
from pkp_cli.text.messages import render

RejectedRows = dict[str, list[tuple[str | None, list[str], list[tuple[int, list[Any], str]]]]]


def _params_key(params: Any) -> Any:
    if not isinstance(params, dict) or not params:
        return None
    try:
        return tuple(sorted(params.items()))
    except TypeError:  # values that do not sort or hash: keep them apart
        return repr(sorted(params.items(), key=lambda kv: kv[0]))


def _where(sr: SheetRecords, rec_idx: np.ndarray, columns: np.ndarray) -> np.ndarray:
    """Per error: its cell ("D12"), else the header as written, else ''. Looked up once per (sheet, group,
    column), since a sheet has a handful of those and may have 100,000 errors."""
    rec = sr.records
    rows = rec["_row"].to_numpy()[rec_idx]
    sid = rec["_sid"].to_numpy()[rec_idx] if "_sid" in rec.columns else np.zeros(len(rec_idx), dtype=np.int64)
    grp = (
        rec["_grp"].to_numpy()[rec_idx]
        if "_grp" in rec.columns and sr.group_cols
        else np.zeros(len(rec_idx), dtype=np.int64)
    )
    keys = pd.MultiIndex.from_arrays([sid, grp, columns])
    codes, uniques = pd.factorize(keys)
    letter: list[str | None] = []
    fixed: list[str] = []  # the full address for a cell that is not in this row (a title's report date)
    for s, g, column in uniques:
        member = sr.members[int(s)] if sr.members else sr
        col_idx = sr.group_cols[int(g)].get(column) if sr.group_cols else None
        if col_idx is None:
            col_idx = unread_column_index(column)
        header = sr.group_headers[int(g)].get(column) if sr.group_headers else None
        if col_idx is not None and not pd.isna(col_idx) and int(col_idx) >= 0:
            letter.append(col_letter(int(col_idx)))
            fixed.append("")
        elif column == "tanggal_laporan" and member.report_date_cell:
            letter.append(None)
            fixed.append(f"{col_letter(member.report_date_cell[1])}{member.report_date_cell[0]}")
        else:
            letter.append(None)
            fixed.append("" if header is None or (isinstance(header, float) and pd.isna(header)) else str(header))
    letters = np.array(letter, dtype=object)[codes]
    has_letter = pd.notna(letters)
    out = np.array(fixed, dtype=object)[codes]
    if has_letter.any():
        out[has_letter] = (
            pd.Series(letters[has_letter], dtype=object)
            + pd.Series(rows[has_letter]).astype(str).to_numpy(dtype=object)
        ).to_numpy(dtype=object)
    return out


def rejected_rows(sets: list[SheetRecords], lang: str) -> RejectedRows:
    """Per source file: each sheet's rejected rows as written, with the reasons joined by '; '."""
    out: RejectedRows = {}
    for sr in sets:
        errs = sr.errors
        if not len(errs):
            continue
        rec_idx = errs["rec"].to_numpy(dtype=np.int64)
        columns = errs["column"].to_numpy(dtype=object)
        where = _where(sr, rec_idx, columns)
        # One rendering per distinct (code, params): most errors of a big file share a few messages.
        keys = [(c, _params_key(p)) for c, p in zip(errs["code"].to_numpy(), errs["params"].to_numpy(), strict=True)]
        codes, uniques = pd.factorize(pd.Series(keys, dtype=object))
        firsts = np.zeros(len(uniques), dtype=np.int64)
        firsts[codes[::-1]] = np.arange(len(codes))[::-1]
        params = errs["params"].to_numpy()
        texts = np.array(
            [
                render(uniques[k][0], lang, **(params[firsts[k]] if isinstance(params[firsts[k]], dict) else {}))
                for k in range(len(uniques))
            ],
            dtype=object,
        )[codes]
        lines = pd.Series(where, dtype=object) + ": " + pd.Series(texts, dtype=object)
        rec = sr.records
        sid = rec["_sid"].to_numpy()[rec_idx] if "_sid" in rec.columns else np.zeros(len(rec_idx), dtype=np.int64)
        src = rec["_src"].to_numpy()[rec_idx]
        # Messages of a source row in the order the errors were found (a stable sort keeps it); most rows have
        # one message, so only rows with several are joined in Python.
        order = np.lexsort((np.arange(len(sid)), src, sid))
        sid_s, src_s = sid[order], src[order]
        lines_s = lines.to_numpy(dtype=object)[order]
        first = np.r_[True, (sid_s[1:] != sid_s[:-1]) | (src_s[1:] != src_s[:-1])] if len(order) else np.array([], bool)
        starts = np.flatnonzero(first)
        ends = np.r_[starts[1:], len(order)]
        msgs = lines_s[starts].copy()
        for g in np.flatnonzero(ends - starts > 1):
            msgs[g] = "; ".join(lines_s[starts[g] : ends[g]])
        sids, srcs = sid_s[starts], src_s[starts]
        members = sr.members or [sr]
        for i, member in enumerate(members):
            here = sids == i
            if not here.any():
                continue
            grid_rows = member.layout.data_start + srcs[here].astype(np.int64)
            block = member.sheet.grid.iloc[grid_rows].astype(object)
            values = block.where(block.notna(), None).to_numpy(dtype=object).tolist()
            row_numbers = member.sheet.row_numbers[grid_rows].tolist()
            rows = list(zip(row_numbers, values, msgs[here].tolist(), strict=True))
            out.setdefault(member.file, []).append((member.sheet.name, list(member.layout.headers), rows))
    return out
