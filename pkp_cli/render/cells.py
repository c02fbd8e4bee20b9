"""One cell formatter for every renderer: a value of a column kind, for people (in a language) or machines.

People (terminal, markdown, HTML) read "3 Juni 2022", "16,0", "+15,9", "Rp 600.000.000", "ya" and status labels;
machines (CSV, JSON) read ISO dates, "." decimals, stable codes and true/false. A column is formatted once per
distinct value (Babel is slow per call), never per row.
"""

from __future__ import annotations

import math
from collections.abc import Callable
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
    """A whole column (a Series, or a list) as people read it, formatting each distinct value once."""
    return per_distinct(values, lambda v: text(column, v, lang))


def column_values(frame: Any, key: str) -> Any:
    """The column `key` of a frame, or a column of empty cells where the frame has none."""
    import pandas as pd

    return frame[key] if key in frame else pd.Series([None] * len(frame), index=frame.index, dtype=object)


# Object columns whose values are all of one of these kinds (pandas' infer_dtype) are grouped by pandas' hashing.
# Others are not: it holds 1 == 1.0 == True (one group, three texts) and -0.0 == 0.0, and lists cannot be hashed.
_ONE_KIND = frozenset({"string", "empty", "boolean", "integer", "date", "datetime"})


# Below this many values a column's distinct values are found by a dict, not pandas: its factorising costs about
# 0.1 ms a call whatever the length, and a pack of the bundled data formats thousands of short columns.
SHORT_COLUMN = 64


def per_distinct(values: Any, fn: Callable[[Any], Any]) -> list[Any]:
    """`[fn(v) for v in values]`, with `fn` called once per distinct value and once for all empty cells (None, NaN,
    NaT: every formatter gives them the same empty cell). A national `status --detail` holds 1.66 M rows of a few
    thousand distinct values a column; a per-row formatter call took 100 ns to 10 us a cell."""
    import numpy as np
    import pandas as pd

    if not isinstance(values, pd.Series):
        values = list(values)  # any iterable
    if len(values) < SHORT_COLUMN:
        return _per_row(values.tolist() if isinstance(values, pd.Series) else values, fn)
    series = values if isinstance(values, pd.Series) else pd.Series(values, dtype=object)
    if not len(series):
        return []
    if series.dtype == object and pd.api.types.infer_dtype(series, skipna=True) not in _ONE_KIND:
        return _per_row(series.tolist(), fn)
    if series.dtype.kind == "f":
        floats = series.to_numpy()
        if np.signbit(floats[floats == 0]).any():
            return _per_row(series.tolist(), fn)  # -0.0 equals 0.0 to the hashing, not to every formatter
    try:
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
    except TypeError:  # an unhashable value in a column of one kind by name only
        return _per_row(series.tolist(), fn)
    made = np.empty(len(uniques) + 1, dtype=object)
    for i, v in enumerate(uniques.tolist()):  # one by one: a value made a list must stay one cell
        made[i] = fn(v)
    made[-1] = fn(None)  # the empty cells' code -1 takes the last slot
    return list(made[codes])


def _per_row(values: list[Any], fn: Callable[[Any], Any]) -> list[Any]:
    """`per_distinct` where values may not be grouped by hashing: each value kept apart by its type too."""
    out: list[Any] = []
    seen: dict[Any, Any] = {}
    for v in values:
        try:
            key: Any = (type(v), v, math.copysign(1.0, v) if isinstance(v, float) else 0) if not missing(v) else ()
            hash(key)
        except TypeError:  # lists and dicts: formatted each time
            out.append(fn(v))
            continue
        if key not in seen:
            seen[key] = fn(v)
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
