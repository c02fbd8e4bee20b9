"""Write pkp_cli/engines/holidays-id.json: Indonesia's national holidays (with and without cuti bersama) for
TABLE_YEARS, as the installed `holidays` package gives them, tagged with its version and the size of its
Indonesia module. pkp reads them from there instead of importing the package when the installed one is that
version (pkp_cli/engines/workdays.py, `_bundled_days`). Run after upgrading `holidays`; a test says when to."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pkp_cli.engines import workdays


def main() -> None:
    text = workdays.holiday_table_text()
    workdays.HOLIDAY_TABLE.write_text(text, encoding="utf-8")
    print(f"{workdays.HOLIDAY_TABLE}: {len(text)} bytes")


if __name__ == "__main__":
    main()
