"""One cell formatter for every renderer: a value of a column kind, for people (in a language) or machines.

People (terminal, markdown, HTML) read "3 Juni 2022", "16,0", "+15,9", "Rp 600.000.000", "ya" and status labels;
machines (CSV, JSON) read ISO dates, "." decimals, stable codes and true/false. A column is formatted once per
distinct value (Babel is slow per call), never per row.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

from pkp_cli.text.formats import as_date, fmt_date, fmt_number, missing
from pkp_cli.text.labels import LABELS, label
from pkp_cli.text.visible import visible
from pkp_cli.views.model import Column


def _stage_text(s: dict[str, Any], lang: str) -> str:
    days = s.get("hari")
    name = f"{s.get('tahapan', '')} {s.get('nama_tahapan') or ''}".strip()
    return name if missing(days) else f"{name} ({fmt_number(days, lang, 0)})"


def text(column: Column, v: Any, lang: str) -> str:
    """The cell as a person reads it ("" for an empty value), never a control character but a line break."""
    return visible(_text(column, v, lang))


def _text(column: Column, v: Any, lang: str) -> str:
    kind = column.kind
    if kind == "list":
        return "; ".join(str(x) for x in (v or []) if not missing(x)) if isinstance(v, (list, tuple)) else _plain(v)
    if kind == "stages":
        return "; ".join(_stage_text(s, lang) for s in (v or [])) if isinstance(v, (list, tuple)) else _plain(v)
    if missing(v):
        return ""
    if kind == "status":  # a value with no label (a path, a variable's name) is shown as it is
        key = f"{column.vocab or 'status'}.{v}"
        return label(key, lang) if key in LABELS else str(v)
    if kind == "bool":
        return label("yes", lang) if bool(v) else ""
    if kind == "date":
        return fmt_date(v, lang)
    if kind == "date_short":
        return fmt_date(v, lang, "d MMM")
    if kind == "rupiah":
        return "Rp " + fmt_number(v, lang, 0)
    if kind == "percent":
        return fmt_number(v, lang, 1)
    if kind == "points":
        shown = fmt_number(v, lang, 1)
        return ("+" + shown) if round(float(v), 1) > 0 else shown
    if kind in ("int", "days"):
        return fmt_number(v, lang, 0)
    if kind == "number":
        return fmt_number(v, lang, 0 if float(v).is_integer() else 1)
    return _plain(v)


def _plain(v: Any) -> str:
    return "" if missing(v) else str(v)


def texts(column: Column, values: Any, lang: str) -> list[str]:
    """A whole column as people read it, formatting each distinct value once."""
    out: list[str] = []
    seen: dict[Any, str] = {}
    for v in values:
        try:
            key: Any = ("", v) if not missing(v) else ("missing",)
            hash(key)
        except TypeError:  # lists and dicts: format each time
            out.append(text(column, v, lang))
            continue
        if key not in seen:
            seen[key] = text(column, v, lang)
        out.append(seen[key])
    return out


def machine(column: Column, v: Any) -> Any:
    """The cell for JSON: ISO dates, numbers (whole floats as ints), codes, booleans, lists; None when empty."""
    if column.kind in ("list", "stages"):
        if isinstance(v, (list, tuple)):
            return [machine_scalar(x) for x in v]
        return None if missing(v) else v
    return machine_scalar(v)


def machine_scalar(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: machine_scalar(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [machine_scalar(x) for x in v]
    if missing(v):
        return None
    if isinstance(v, (datetime, date)) or type(v).__name__ in ("Timestamp", "datetime64"):
        return as_date(v).isoformat()
    if hasattr(v, "item") and not isinstance(v, (str, bytes)):
        v = v.item()
    if isinstance(v, float):
        if math.isnan(v) or math.isinf(v):
            return None
        return int(v) if v.is_integer() and abs(v) < 1e15 else round(v, 4)
    return v


def csv_text(column: Column, v: Any) -> str:
    """The cell for CSV: the machine value as text; lists joined by "; ", stages as "PSW-12 (31)"."""
    if column.kind == "stages" and isinstance(v, (list, tuple)):
        return visible("; ".join(f"{s.get('tahapan')} ({machine_scalar(s.get('hari'))})" for s in v), "\n\r\t")
    m = machine(column, v)
    if m is None:
        return ""
    if isinstance(m, bool):
        return "true" if m else "false"
    if isinstance(m, list):
        return visible("; ".join("" if x is None else str(x) for x in m), "\n\r\t")
    return visible(str(m), "\n\r\t")
