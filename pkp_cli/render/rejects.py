"""`validate --rejects DIR`: one <source>-ditolak.xlsx per source file with rejected rows, as the sender wrote
them plus the row number and the reason, to send back to the BPPW."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from pkp_cli.text.labels import label

if TYPE_CHECKING:
    from pkp_cli.model.frames import LoadResult


def write_rejects(loaded: LoadResult, lang: str, folder: Path) -> int:
    """One <source>-ditolak.xlsx per source file that had rejected rows; returns how many were written."""
    from pkp_cli.render.safe import inside, safe_name
    from pkp_cli.render.xlsx import clip, write_table_workbook

    rej = loaded.rejected
    written = 0
    used: set[str] = set()
    for source, sheets in rej.items():
        stem = safe_name(Path(source).stem)
        name = f"{stem}-ditolak.xlsx"
        n = 2
        while name in used:
            name, n = f"{stem}-{n}-ditolak.xlsx", n + 1
        used.add(name)
        tables = []
        for sheet_name, headers, rows in sheets:
            hdr = [h or f"({i + 1})" for i, h in enumerate(headers)] + [
                label("v.row", lang),
                label("v.error", lang),
            ]
            body = []
            for row_no, vals, msg in rows:
                cells, cut = zip(*(clip(v) for v in vals), strict=True) if vals else ((), ())
                cut_names = [hdr[i] for i, c in enumerate(cut) if c]
                if cut_names:
                    msg = f"{msg}; {label('v.cell_cut', lang)}: {', '.join(cut_names)}"
                body.append([*cells, row_no, msg])
            tables.append((sheet_name or "data", hdr, body))
        write_table_workbook(inside(folder, name), tables)
        written += 1
    return written
