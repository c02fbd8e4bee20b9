"""The yardsticks of bench.py: bare library reads of every input file a pkp load reads, as a whole process.

    python bench/floors.py csv PROGRESS.csv LOKASI.xlsx     # pyarrow.csv + fastexcel, as Arrow tables
    python bench/floors.py xlsx PROGRESS.xlsx LOKASI.xlsx   # fastexcel, both workbooks, as Arrow tables
    python bench/floors.py csv-pandas ... / xlsx-pandas ... # the same reads, each table then made a pandas frame
    python bench/floors.py pandas-calamine A.xlsx B.xlsx    # pandas.read_excel(engine="calamine"), both
    python bench/floors.py pandas-openpyxl A.xlsx B.xlsx    # pandas.read_excel (its default engine), both

Each reads every cell once with the library's defaults and nothing else: no header search, parsing, checks
or frames beyond what the library builds. The parent times the whole process (interpreter start and imports
included, as for `pkp validate`) and takes its peak memory from the kernel. Prints the row counts read.
"""

from __future__ import annotations

import sys


def main(argv: list[str]) -> int:
    what, paths = argv[0], argv[1:]
    rows = []
    if what in ("csv", "xlsx", "csv-pandas", "xlsx-pandas"):
        # The "-pandas" variants are a second yardstick, not the goal's: what any pandas-based tool pays before
        # doing its own work (import pandas, Arrow tables to frames).
        import fastexcel

        tables = []
        if what.startswith("csv"):
            import pyarrow.csv as pacsv

            tables.append(pacsv.read_csv(paths[0]))
            paths = paths[1:]
        tables += [fastexcel.read_excel(p).load_sheet(0).to_arrow() for p in paths]
        if what.endswith("-pandas"):
            rows += [len(t.to_pandas()) for t in tables]
        else:
            rows += [t.num_rows for t in tables]
    elif what in ("pandas-calamine", "pandas-openpyxl"):
        import pandas as pd

        engine = "calamine" if what == "pandas-calamine" else None
        rows += [len(pd.read_excel(p, engine=engine)) for p in paths]
    else:
        print(f"unknown floor {what!r}", file=sys.stderr)
        return 2
    print(" ".join(str(r) for r in rows))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
