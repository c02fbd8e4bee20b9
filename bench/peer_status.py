"""A peer of the national `pkp status` for bench.py: the same question answered from the same two files by a plain
pandas program, as an analyst would write it, with none of pkp's work on the way.

    python bench/peer_status.py PROGRESS.csv LOKASI.xlsx SCHEDULE.yaml [--json]

It reads the progress CSV (pandas, pyarrow engine) and the location workbook (fastexcel, to pandas), takes the stages
from the schedule YAML, and then: the newest report per location, program and stage on or before the newest report
date; one row per location (and per province, for the province-level stages) and stage of its program; each row's
status by the rules of pkp's status engine (finished, finished late, late, under way, not started, not yet
scheduled) and its days late; per province, the rows and locations in each status, printed as a table.

What it leaves out is everything that makes pkp's answer trustworthy and the rest of its report: no header search
(it knows the columns), no checks of any cell (a bad date or code goes through as it is), no duplicates or
superseded reports named, no accounting, no region names checked, no working days, forecast, S-curve or reporting
dates, no cache. So its time is a lower bound on what any pandas program pays for the national status on this
machine: the imports, the reads, the dates, the newest-report selection and the grid; bench.py runs it beside
each cold `pkp status` and reports the ratio (not one of issue 13's goals).
"""

from __future__ import annotations

import json
import sys

_STAGE_FIELDS = {"tahapan": "kode", "tingkat": "tingkat", "mulai": "mulai", "selesai": "selesai"}


def main(argv: list[str]) -> int:
    import fastexcel
    import numpy as np
    import pandas as pd
    import yaml

    as_json = "--json" in argv
    csv_path, lokasi_path, schedule_path = [a for a in argv if a != "--json"]
    with open(schedule_path, encoding="utf-8") as fh:
        sched = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    stages = pd.DataFrame(
        [
            {k: st[f] for k, f in _STAGE_FIELDS.items()} | {"program": prog}
            for prog, spec in sched["program"].items()
            for st in spec["tahapan"]
        ]
    )
    stages["mulai"] = pd.to_datetime(stages["mulai"])
    stages["selesai"] = pd.to_datetime(stages["selesai"])

    prog = pd.read_csv(csv_path, engine="pyarrow", dtype_backend="pyarrow")
    prog.columns = ["kode_lokasi", "program", "tahapan", "mulai_aktual", "selesai_aktual", "persen", "ket", "laporan"]
    for c in ("mulai_aktual", "selesai_aktual", "laporan"):
        # The file writes dates two ways (2022-05-20, and 20/05/2022 for a fifth of the locations), as the
        # provinces' files do: each way with its own format, which is quicker than pandas' "mixed".
        iso = pd.to_datetime(prog[c], format="%Y-%m-%d", errors="coerce")
        prog[c] = iso.fillna(pd.to_datetime(prog[c], format="%d/%m/%Y", errors="coerce"))
    # fastexcel (calamine) straight to a frame: the quicker of pandas' two routes to the same rows
    # (`pd.read_excel(engine="calamine")` builds a Python object per cell: about 3.4 s of this workbook here).
    lok = fastexcel.read_excel(lokasi_path).load_sheet(0).to_pandas()
    lok = lok.rename(columns={"Kode Lokasi": "kode_lokasi", "Program": "program", "Provinsi": "provinsi"})

    as_of = prog["laporan"].max()
    newest = (
        prog[prog["laporan"] <= as_of]
        .sort_values("laporan", kind="stable")
        .drop_duplicates(["kode_lokasi", "program", "tahapan"], keep="last")
    )
    units = lok[["kode_lokasi", "program", "provinsi"]].astype(str)
    units["kode_provinsi"] = units["kode_lokasi"].str[:2]
    provinces = units.drop_duplicates(["kode_provinsi", "program"]).assign(kode_lokasi=lambda d: d["kode_provinsi"])
    grid = pd.concat(
        [
            units.merge(stages[stages["tingkat"] == "lokasi"], on="program"),
            provinces.merge(stages[stages["tingkat"] == "provinsi"], on="program"),
        ],
        ignore_index=True,
    )
    newest = newest.astype({"kode_lokasi": str, "program": str, "tahapan": str})
    grid = grid.merge(newest, on=["kode_lokasi", "program", "tahapan"], how="left")

    start = grid["mulai_aktual"].where(grid["mulai_aktual"] <= as_of)
    end = grid["selesai_aktual"].where(grid["selesai_aktual"] <= as_of)
    selesai = grid["selesai"]
    status = np.select(
        [end.notna() & (end <= selesai), end.notna(), as_of > selesai, start.notna(), grid["mulai"] <= as_of],
        ["selesai", "selesai_terlambat", "terlambat", "berjalan", "belum_mulai"],
        default="belum_jadwal",
    )
    grid["status"] = status
    late_end = end.where(status == "selesai_terlambat", pd.Timestamp(as_of)).where(
        np.isin(status, ["selesai_terlambat", "terlambat"])
    )
    grid["hari_terlambat"] = (late_end - selesai).dt.days.fillna(0).astype("int64")

    per_status = pd.crosstab([grid["kode_provinsi"], grid["provinsi"]], grid["status"])
    late_locations = grid[grid["status"] == "terlambat"].groupby(["kode_provinsi", "provinsi"])["kode_lokasi"].nunique()
    table = per_status.assign(
        lokasi_terlambat=late_locations.reindex(per_status.index, fill_value=0),
        maks_hari_terlambat=grid.groupby(["kode_provinsi", "provinsi"])["hari_terlambat"].max(),
    ).sort_values("lokasi_terlambat", ascending=False)
    if as_json:  # per province code, the rows in each status: what bench.py compares with pkp's answer
        counts = per_status.droplevel("provinsi")
        print(json.dumps({code: {k: int(v) for k, v in row.items()} for code, row in counts.iterrows()}))
        return 0
    print(f"as of {as_of.date()}: {len(grid)} rows, {len(newest)} newest reports of {len(prog)}")
    print(table.to_string())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
