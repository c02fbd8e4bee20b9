"""Per-group median and maximum of whole days, as pandas' grouped `median` and `max` give them.

The roll-ups and the late-stages table take the median and the maximum of `hari_terlambat` over the late rows of
each group: on the national data about a million rows in a few dozen groups. A grouped aggregate or a sort of those
rows costs 0.05-0.1 s each time; whole days in a few hundred distinct values are counted instead, per group and
day, in one pass (np.bincount), and each group's middle values are read from its running count.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

# Groups x distinct days up to this many: counted in a dense table; more (a huge spread of days), sorted instead.
_DENSE_CELLS = 1 << 22


def median_max(group: IntArray, days: IntArray, n_groups: int) -> tuple[FloatArray, FloatArray]:
    """Per group 0..n_groups-1 (rows of group -1 left out): the median and the maximum of `days` (integers) as
    float64, NaN for a group without rows. The median is pandas': the middle value, or for an even count
    (lo + hi) / 2 of the two middle values, computed in float64."""
    median = np.full(n_groups, np.nan)
    most = np.full(n_groups, np.nan)
    if len(group) and int(group.min()) < 0:  # rows of no group: left out (copies made only then)
        ok = group >= 0
        group, days = group[ok], days[ok]
    if not len(group):
        return median, most
    low = int(days.min())
    span = int(days.max()) - low + 1
    n = np.bincount(group, minlength=n_groups)
    has = n > 0
    count = n[has]
    lo_rank = (count - 1) // 2  # 0-based ranks of the middle values within the group
    hi_rank = count // 2
    if n_groups * span <= _DENSE_CELLS:
        key = group * span  # the (group, day) cell of each row, made in one array
        key += days
        key -= low
        table = np.bincount(key, minlength=n_groups * span).reshape(n_groups, span)
        del key
        running = np.cumsum(table[has], axis=1)  # rows with rank < running[g, v] have a value <= low + v
        lo = (running <= lo_rank[:, None]).sum(axis=1) + low
        hi = (running <= hi_rank[:, None]).sum(axis=1) + low
        top = span - 1 - np.argmax(table[has][:, ::-1] > 0, axis=1) + low
    else:
        order = np.lexsort((days, group))
        ordered = days[order]
        start = (np.cumsum(n) - n)[has]
        lo, hi, top = ordered[start + lo_rank], ordered[start + hi_rank], ordered[start + count - 1]
    lo_f = np.asarray(lo, dtype=np.float64)
    hi_f = np.asarray(hi, dtype=np.float64)
    median[has] = np.where(count % 2 == 1, lo_f, (lo_f + hi_f) / 2)
    most[has] = np.asarray(top, dtype=np.float64)
    return median, most


def whole_days(values: object) -> bool:
    """Whether a column holds plain integers (numpy's, never missing): what median_max counts."""
    dtype = getattr(values, "dtype", None)
    return isinstance(dtype, np.dtype) and dtype.kind in "iu"
