"""The S-curve drawn once: series, points and scales from a `kurva_s` table, for the xlsx chart and the HTML SVG.

A curve table holds one row per group (program) and date, groups one after another (engines/rollup.py::s_curve
keeps them in key order with the same dates). `curve()` turns it into series that know their rows in the table
(the xlsx chart references those cells) and their values (the SVG draws them); `svg()` lays the same series out
in a fixed coordinate system with stable ids, so the same data always gives the same bytes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any

from pkp_cli.render import cells
from pkp_cli.render.palette import AS_OF_COLOUR, curve_colour
from pkp_cli.render.safe import safe_name
from pkp_cli.views.model import Table

MEASURES = ("rencana_persen", "realisasi_persen")  # planned (dashed), actual (solid)
GROUP_KEYS = ("program",)


@dataclass(frozen=True)
class Series:
    id: str  # stable: "pisew-realisasi-persen"
    group: str  # the program ("" for a curve without groups)
    measure: str  # a column key of MEASURES
    label: str  # "PISEW — realisasi %"
    values: list[float | None]  # percent, one per date
    first_row: int  # 0-based index in the table's rows of the group's first date
    colour: str  # RGB hex
    dashed: bool


@dataclass(frozen=True)
class Curve:
    dates: list[date]
    series: list[Series]
    as_of: date | None
    y_max: float  # the top of the value axis: the largest value rounded up to 10, at least 10

    @property
    def empty(self) -> bool:
        return not self.dates or not self.series


def _float(v: Any) -> float | None:
    return None if cells.missing(v) else float(v)


def curve(table: Table, lang: str, as_of: date | None = None) -> Curve:
    """The series of a curve table, in the table's row order."""
    rows = table.rows.reset_index(drop=True)
    group_key = next((k for k in GROUP_KEYS if k in rows.columns), None)
    groups: list[tuple[str, int, int]] = []  # (group, first row, last row + 1)
    if group_key is None:
        groups.append(("", 0, len(rows)))
    else:
        values = rows[group_key].astype("string").fillna("").tolist()
        start = 0
        for i in range(1, len(values) + 1):
            if i == len(values) or values[i] != values[start]:
                groups.append((values[start], start, i))
                start = i
    dates = [cells.as_date(d) for d in rows["tanggal"].iloc[groups[0][1] : groups[0][2]]] if groups else []
    heads = {c.key: c.header(lang) for c in table.columns}
    series: list[Series] = []
    top = 0.0
    for gi, (group, lo, hi) in enumerate(groups):
        if hi - lo != len(dates):  # a group with other dates cannot share the axis: left out
            continue
        for measure in MEASURES:
            vals: list[float | None] = (
                [_float(v) for v in rows[measure].iloc[lo:hi]] if measure in rows else [None] * len(dates)
            )
            top = max([top, *(v for v in vals if v is not None)])
            label = f"{group} — {heads.get(measure, measure)}" if group else heads.get(measure, measure)
            series.append(
                Series(
                    id=safe_name(f"{group}-{measure}", default="seri"),
                    group=group,
                    measure=measure,
                    label=label,
                    values=vals,
                    first_row=lo,
                    colour=curve_colour(gi),
                    dashed=measure == MEASURES[0],
                )
            )
    y_max = max(10.0, math.ceil(top / 10.0) * 10.0)
    return Curve(dates, series, as_of, y_max)


# --- SVG geometry -------------------------------------------------------------------------------------------

WIDTH, HEIGHT = 760, 320
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 40


@dataclass(frozen=True)
class Svg:
    width: int
    height: int
    plot: tuple[int, int, int, int]  # x0, y0 (top), x1, y1 (bottom)
    lines: list[dict[str, Any]]  # {id, label, colour, dashed, points}
    y_ticks: list[tuple[float, str]]  # (y, label)
    x_ticks: list[tuple[float, str]]  # (x, label)
    as_of: tuple[float, str] | None  # (x, label)


def _num(v: float) -> str:
    """A coordinate with one decimal, fixed format (stable bytes)."""
    return f"{v:.1f}"


def svg(c: Curve, lang: str, as_of_label: str) -> Svg:
    """Coordinates of the curve in a WIDTH x HEIGHT box: polylines, ticks every 10 %, a tick per month, and
    the as-of line."""
    x0, y0, x1, y1 = LEFT, TOP, WIDTH - RIGHT, HEIGHT - BOTTOM
    first, last = c.dates[0].toordinal(), c.dates[-1].toordinal()
    span = max(last - first, 1)

    def x(d: date) -> float:
        return x0 + (x1 - x0) * (d.toordinal() - first) / span

    def y(v: float) -> float:
        return y1 - (y1 - y0) * v / c.y_max

    lines = []
    for s in c.series:
        pts = " ".join(f"{_num(x(d))},{_num(y(v))}" for d, v in zip(c.dates, s.values, strict=True) if v is not None)
        lines.append({"id": s.id, "label": s.label, "colour": s.colour, "dashed": s.dashed, "points": pts})
    step = 10.0 if c.y_max <= 100 else c.y_max / 10
    y_ticks = [(float(_num(y(v))), cells.fmt_number(v, lang, 0)) for v in _range(0.0, c.y_max, step)]
    months = sorted({(d.year, d.month) for d in c.dates})
    x_ticks = []
    for yr, mo in months:
        d = date(yr, mo, 1)
        if c.dates[0] <= d <= c.dates[-1]:
            x_ticks.append((float(_num(x(d))), cells.fmt_date(d, lang, "MMM")))
    marker = None
    if c.as_of is not None and c.dates[0] <= c.as_of <= c.dates[-1]:
        marker = (float(_num(x(c.as_of))), f"{as_of_label} {cells.fmt_date(c.as_of, lang)}")
    return Svg(WIDTH, HEIGHT, (x0, y0, x1, y1), lines, y_ticks, x_ticks, marker)


def _range(lo: float, hi: float, step: float) -> list[float]:
    n = round((hi - lo) / step)
    return [lo + i * step for i in range(n + 1)]


__all__ = ["AS_OF_COLOUR", "Curve", "Series", "Svg", "curve", "svg"]
