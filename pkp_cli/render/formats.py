"""Plain renderings of a table (list of dict rows) as JSON, CSV and markdown, and screen formatting."""

from __future__ import annotations

import csv
import io
import json
import math
from datetime import date, datetime
from typing import Any

from pkp_cli.render.safe import neutralise


def jsonable(v: Any) -> Any:
    """ISO dates, '.' decimals, None for missing values."""
    import pandas as pd

    if v is None:
        return None
    if isinstance(v, (list, tuple)):
        return [jsonable(x) for x in v]
    if isinstance(v, dict):
        return {k: jsonable(x) for k, x in v.items()}
    if isinstance(v, (pd.Timestamp, datetime)):
        return None if pd.isna(v) else v.date().isoformat()
    if isinstance(v, date):
        return v.isoformat()
    if v is pd.NA or v is pd.NaT:
        return None
    if hasattr(v, "item") and not isinstance(v, (str, bytes)):
        v = v.item()
    if isinstance(v, float):
        if math.isnan(v):
            return None
        return int(v) if v.is_integer() and abs(v) < 1e15 else round(v, 4)
    return v


def records(df: Any) -> list[dict[str, Any]]:
    return [{k: jsonable(v) for k, v in row.items()} for row in df.to_dict(orient="records")]


def to_json(obj: Any) -> str:
    return json.dumps(jsonable(obj), ensure_ascii=False, indent=2) + "\n"


def _csv_cell(v: Any) -> Any:
    v = jsonable(v)
    if isinstance(v, (list, dict)):
        v = json.dumps(v, ensure_ascii=False)
    return neutralise(v) if v is not None else ""


def to_csv(rows: list[dict[str, Any]], columns: list[str]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns)
    for r in rows:
        w.writerow([_csv_cell(r.get(c)) for c in columns])
    return buf.getvalue()


def md_escape(v: Any) -> str:
    s = "" if v is None else str(v)
    return s.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace("`", "\\`").replace("\n", " ")


def to_markdown(headers: list[str], rows: list[list[Any]], title: str | None = None) -> str:
    out = []
    if title:
        out.append(f"## {md_escape(title)}\n")
    out.append("| " + " | ".join(md_escape(h) for h in headers) + " |")
    out.append("|" + "|".join("---" for _ in headers) + "|")
    for r in rows:
        out.append("| " + " | ".join(md_escape(v) for v in r) + " |")
    return "\n".join(out) + "\n"


def fmt_date(v: Any, lang: str) -> str:
    import pandas as pd
    from babel.dates import format_date

    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return ""
    d = pd.Timestamp(v).date()
    return format_date(d, "d MMMM y", locale="id" if lang == "id" else "en")


def fmt_number(v: Any, lang: str, digits: int = 1) -> str:
    import pandas as pd
    from babel.numbers import format_decimal

    if v is None or pd.isna(v):
        return ""
    fmt = "#,##0" if digits == 0 else "#,##0." + "0" * digits
    return format_decimal(v, format=fmt, locale="id" if lang == "id" else "en")


def fmt_rupiah(v: Any, lang: str) -> str:
    s = fmt_number(v, lang, 0)
    return f"Rp {s}" if s else ""
