"""Excel date serials: which number in a date-formatted cell is no date.

calamine turns a date cell's number into a date without asking whether it is one: a serial past 9999-12-31
becomes text such as "+10113-09-19", NaN becomes 1899-12-30, a number of 309 digits becomes nothing (the cell
reads as empty: a start date silently "not filled in"), and some values make it panic. The sheet scan finds
such cells first (`workbook._SheetScan`, `used_range._Placer`) and the workbook is read with them unstyled, so
the value the user wrote is what pkp reports.
"""

from __future__ import annotations

import math

# Excel's date serials: 0 is 1900-01-00, 2958465 is 9999-12-31. Anything else in a date cell is not a date.
MAX_SERIAL = 2958465
# Serial 60 is 29 February 1900, a day that never was (Lotus 1-2-3's leap-year bug, kept by Excel): no date.
PHANTOM_SERIAL = (60.0, 61.0)


def no_date(raw: str) -> bool:
    """Whether the text of a date-formatted number cell's value is no date serial (an empty value is no value,
    not a bad date)."""
    raw = raw.strip()
    if not raw:
        return False
    try:
        value = float(raw)
    except ValueError:
        return True
    phantom = PHANTOM_SERIAL[0] <= value < PHANTOM_SERIAL[1]
    return not (math.isfinite(value) and 0 <= value <= MAX_SERIAL) or phantom
