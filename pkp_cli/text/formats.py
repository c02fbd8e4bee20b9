"""Dates and numbers in words, as people of each language write them ("3 Juni 2022", "1.234,5")."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any


def missing(v: Any) -> bool:
    if v is None:
        return True
    if isinstance(v, (str, list, tuple, dict, bool)):
        return False
    try:
        import pandas as pd

        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def as_date(v: Any) -> date:
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    import pandas as pd

    return pd.Timestamp(v).date()


def fmt_date(v: Any, lang: str, pattern: str = "d MMMM y") -> str:
    from babel.dates import format_date

    if missing(v):
        return ""
    return format_date(as_date(v), pattern, locale="id" if lang == "id" else "en")


def fmt_number(v: Any, lang: str, digits: int = 1) -> str:
    from babel.numbers import format_decimal

    if missing(v):
        return ""
    fmt = "#,##0" if digits == 0 else "#,##0." + "0" * digits
    return format_decimal(v, format=fmt, locale="id" if lang == "id" else "en")
