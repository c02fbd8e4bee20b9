"""The province readiness board ("desk wilayah"): one row per province and program.

Every column that concerns a stage is keyed by the stage's code from the schedule, so no stage is named in
code: `status.<kode>` and `tanggal.<kode>` for each province-level stage, and the key-stage roles
(kelembagaan, survei) for the shares of locations done. Audit findings are per province (the TEMUAN frame
has no program): they are not on this board, whose rows are per program (a sum down the board would count a
province's findings twice), but in engines/audit.py::open_findings, one row per province.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from pkp_cli.model.frames import FINISHED
from pkp_cli.model.schedule import Schedule

LONG_COLUMNS = [
    "kode_provinsi",
    "provinsi",
    "program",
    "urutan",
    "tahapan",
    "nama_tahapan",
    "jadwal_mulai",
    "jadwal_selesai",
    "status",
    "tanggal",  # end date if finished, else start date (NaT if not started)
    "hari_terlambat",
    "tertunda_dipa",
]

# The roles whose share of finished locations the board shows.
SHARE_ROLES = ("kelembagaan", "survei")

_KEYS = ["kode_provinsi", "program"]


def _pairs(lokasi: pd.DataFrame, status: pd.DataFrame) -> pd.DataFrame:
    """Every (province, program) with locations or province-level rows, with its name and balai."""
    province_rows = status.loc[status["tingkat"] == "provinsi", ["kode_provinsi", "provinsi", "program"]]
    pairs = pd.concat([lokasi[["kode_provinsi", "provinsi", "program"]], province_rows], ignore_index=True)
    pairs = pairs.drop_duplicates(_KEYS).sort_values(_KEYS, kind="stable").reset_index(drop=True)
    if "balai" in lokasi.columns:
        # A province normally has one BPPW; if the workbooks disagree, show every name rather than pick one.
        names = lokasi.dropna(subset=["balai"]).drop_duplicates([*_KEYS, "balai"]).sort_values("balai")
        balai = names.groupby(_KEYS)["balai"].agg(", ".join)
        pairs = pairs.join(balai, on=_KEYS)
    return pairs


def readiness_long(status: pd.DataFrame) -> pd.DataFrame:
    """One row per (province, program, province-level stage) in schedule order; columns LONG_COLUMNS."""
    rows = status[status["tingkat"] == "provinsi"]
    when = rows["tanggal_selesai"].where(rows["status"].isin(FINISHED), rows["tanggal_mulai"])
    out = rows.assign(tanggal=when)[LONG_COLUMNS]
    return out.sort_values([*_KEYS, "urutan"], kind="stable").reset_index(drop=True)


def _stage_columns(long: pd.DataFrame, schedule: Schedule) -> pd.DataFrame:
    """status.<kode> and tanggal.<kode> per (province, program), stages in schedule order."""
    table = schedule.stage_table()
    codes = table.loc[table["tingkat"] == "provinsi", "tahapan"].tolist()
    wide = long.pivot(index=_KEYS, columns="tahapan", values=["status", "tanggal"])
    columns: dict[str, pd.Series] = {}
    for code in codes:
        for field in ("status", "tanggal"):
            present = (field, code) in wide.columns
            columns[f"{field}.{code}"] = wide[(field, code)] if present else pd.Series(index=wide.index, dtype=object)
    out = pd.DataFrame(columns, index=wide.index)
    tanggal = [f"tanggal.{c}" for c in codes]
    return out.astype({c: "datetime64[ns]" for c in tanggal}) if tanggal else out


def _shares(lokasi: pd.DataFrame, status: pd.DataFrame, schedule: Schedule) -> pd.DataFrame:
    """jumlah_lokasi, and per role the count and percent of locations whose key stage is finished."""
    locations = lokasi.drop_duplicates("kode_lokasi")
    out = locations.groupby(_KEYS).size().rename("jumlah_lokasi").to_frame()
    key_codes = [schedule.key_stage(p, role) for p in schedule.programs for role in SHARE_ROLES]
    rows = status[(status["tingkat"] == "lokasi") & status["tahapan"].isin([c for c in key_codes if c])]
    # Only the locations in `lokasi` (a hash lookup: Series.isin on 80,000 pyarrow strings is slow).
    rows = rows[pd.Index(locations["kode_lokasi"]).get_indexer(rows["kode_lokasi"]) >= 0]
    program = rows["program"].astype("str")  # as text: the status frame's codes may be categoricals
    tahapan = rows["tahapan"].astype("str")
    for role in SHARE_ROLES:
        code = program.map({p: schedule.key_stage(p, role) for p in program.unique()})
        done = rows[(tahapan == code) & rows["status"].isin(FINISHED)]
        count = done.drop_duplicates("kode_lokasi").groupby(_KEYS).size()
        out[f"{role}_selesai"] = count.reindex(out.index, fill_value=0).astype(int)
        # No key stage for the role in a program: the share is unknown (NaN), not 0 %.
        has_role = pd.Series(
            [schedule.key_stage(p, role) is not None for p in out.index.get_level_values("program")],
            index=out.index,
        )
        out[f"{role}_persen"] = (100.0 * out[f"{role}_selesai"] / out["jumlah_lokasi"]).where(has_role)
    return out


def readiness_board(lokasi: pd.DataFrame, status: pd.DataFrame, schedule: Schedule) -> pd.DataFrame:
    """One row per (province, program), sorted by kode_provinsi then program.

    Columns: kode_provinsi, provinsi, program, [balai if lokasi has it], then for each province-level stage
    of the schedule (in schedule order, all programs; <NA> where the stage is not the row's program)
    status.<kode> and tanggal.<kode>; jumlah_lokasi; kelembagaan_selesai, kelembagaan_persen,
    survei_selesai, survei_persen (0..100; NaN when the program has no such key stage); tertunda_dipa (any
    stage of the province and program waits on the DIPA revision); laporan_terakhir (newest progress report
    of the province and program on or before the status date, NaT if none).
    `status` is the STATUS frame computed at the status date.
    """
    board = _pairs(lokasi, status)
    board = board.join(_stage_columns(readiness_long(status), schedule), on=_KEYS)
    shares = _shares(lokasi, status, schedule)
    board = board.join(shares, on=_KEYS)
    board["jumlah_lokasi"] = board["jumlah_lokasi"].fillna(0).astype(int)
    for role in SHARE_ROLES:
        board[f"{role}_selesai"] = board[f"{role}_selesai"].fillna(0).astype(int)
    grouped = status.groupby(_KEYS)
    board = board.join(grouped["tertunda_dipa"].any().rename("tertunda_dipa"), on=_KEYS)
    board["tertunda_dipa"] = board["tertunda_dipa"].fillna(False).astype(bool)
    board = board.join(grouped["tanggal_laporan"].max().rename("laporan_terakhir"), on=_KEYS)
    return board.reset_index(drop=True)


@dataclass(frozen=True)
class StageGroup:
    """One column of the board: the province-level stages of the programs that share a name, in schedule order.

    `key` joins the codes ("PSW-06/KTK-06"): a stable identifier for CSV and JSON."""

    key: str
    name: str
    codes: dict[str, str]  # program -> stage code


def stage_groups(schedule: Schedule) -> list[StageGroup]:
    """The board's stage columns: one per province-level stage NAME in schedule order (programs whose
    province-level stages share names share the column)."""
    groups: dict[str, dict[str, str]] = {}
    for program, st in schedule.stages():
        if st.tingkat == "provinsi":
            groups.setdefault(st.nama, {})[program] = st.kode
    return [StageGroup("/".join(codes.values()), name, codes) for name, codes in groups.items()]


def group_values(board: pd.DataFrame, group: StageGroup, field: str) -> pd.Series:
    """`field` (status or tanggal) of the group's stage on each board row: the row's own program's stage."""
    out = pd.Series(pd.NA, index=board.index, dtype=object if field == "status" else "datetime64[ns]")
    for program, code in group.codes.items():
        column = f"{field}.{code}"
        if column in board.columns:
            mine = (board["program"] == program).to_numpy(bool)
            out[mine] = board.loc[mine, column]
    return out
