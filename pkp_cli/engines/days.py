"""Dates between nanoseconds (the frames' datetime64[ns]) and days (the engines' datetime64[D]), as numpy's own
casts give them, bit for bit, in a fraction of their time.

numpy's datetime casts go value by value through its unit-conversion code and hold the GIL while they do: on the
national data's 1.66 M rows a cast from days to nanoseconds takes about 23 ms, from nanoseconds to days 11 ms
(pandas' `to_numpy(dtype="datetime64[D]")` 25 ms), and a cold `pkp status` makes dozens of them. On the int64
values underneath, the same conversion is one multiplication or floor division and one masked copy for NaT
(numpy's integer kernels: about 5 ms either way). Anything other than nanoseconds to days or days to nanoseconds
goes through numpy's cast as before. (tests/engines/test_days.py holds both to numpy's casts over every int64.)
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

_NAT = np.iinfo(np.int64).min  # NaT's int64, in every unit
_NS_PER_DAY = 86_400 * 10**9
_NS = np.dtype("datetime64[ns]")
_D = np.dtype("datetime64[D]")


def as_days(values: Any) -> npt.NDArray[np.datetime64]:
    """`values` (datetime64 of any unit, a datetime Series or array) as datetime64[D]: the time of day dropped
    (floored, as numpy does, before 1970 too), NaT kept. Always a new array."""
    arr = np.asarray(values)
    if arr.dtype != _NS:
        return arr.astype(_D)
    ns = arr.view(np.int64)
    nat = ns == _NAT
    # numpy floors by subtracting first, which wraps within a day of the smallest int64 (the year 1677; pandas'
    # Timestamp.min is there): its answer for those is its own, so any such value leaves this to numpy's cast.
    if np.count_nonzero(ns < _NAT + _NS_PER_DAY) != np.count_nonzero(nat):
        return arr.astype(_D)
    out = ns // _NS_PER_DAY  # floor division: numpy's cast floors too
    np.copyto(out, _NAT, where=nat)
    return out.view(_D)


def as_ns(days: Any) -> npt.NDArray[np.datetime64]:
    """`days` (datetime64[D], or any other datetime64) as datetime64[ns], NaT kept. Always a new array."""
    arr = np.asarray(days)
    if arr.dtype != _D:
        return arr.astype(_NS)
    d = arr.view(np.int64)
    # A day outside the years 1678-2261 overflows; numpy's cast wraps it as this product does, to the same bits.
    out = d * _NS_PER_DAY
    np.copyto(out, _NAT, where=d == _NAT)
    return out.view(_NS)
