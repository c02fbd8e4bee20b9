"""Week over week: what changed between two states of the programs, and how the roll-ups moved over the weeks.

A week's state (`WeekState`) is what a snapshot holds: the status rows at its as-of date, the roll-ups (one
national row, kode_provinsi empty, and one row per province, with each province's newest report), every
location's candidate score and every audit finding's state. `compare` reads two states (two snapshots, or a
snapshot and a replay of the dated reports) and returns the changes as frames of codes and numbers; `trends`
reads the roll-ups of several weeks. Nothing here reads or writes files, and nothing is worded.

Definitions. A status row is one location or province stage, keyed by (kode_lokasi, program, tahapan); only
rows present in both states are compared:
- finished this week (`selesai`): finished now (selesai or selesai_terlambat), not finished before;
- newly late (`baru_terlambat`): open past its window now (terlambat), not before;
- recovered (`pulih`): open past its window before, not now (finished since, or its window moved);
- slipping further (`makin_terlambat`): open past its window in both, with more days late now;
- deviation change per province: deviasi now minus deviasi before, in points; `arah` naik / turun / tetap as
  the change shows at one decimal (what a reader sees);
- not reported this week: a province whose newest dated report is on or before the earlier state's as-of;
- candidates in / out (`masuk` / `keluar`): locations meeting every required rule (memenuhi, what
  `pkp candidates` lists) now and not before, or before and not now;
- audit findings closed (`ditutup`): closed now, not before; newly overdue (`baru_lewat_batas`): overdue now,
  not before. A finding the earlier week did not know (its audit file is dated later) counts by its own dates:
  closed after the earlier status date, or due on or after it.
A row may be in two lists: a late stage finished this week is both finished and recovered.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from pkp_cli.engines import standing
from pkp_cli.engines.audit import findings_at
from pkp_cli.engines.beside import second_thread
from pkp_cli.engines.rollup import ROLLUP_VALUES, rollups
from pkp_cli.model.frames import FINISHED
from pkp_cli.model.rules import Rules
from pkp_cli.model.schedule import Schedule

KEY = ["kode_lokasi", "program", "tahapan"]
ROLLUP_COLUMNS = ["kode_provinsi", "provinsi", *ROLLUP_VALUES, "laporan_terakhir"]
KANDIDAT_COLUMNS = [
    "kode_lokasi",
    "nama_lokasi",
    "kode_provinsi",
    "provinsi",
    "kabupaten_kota",
    "program",
    "skor",
    "memenuhi",
]
TEMUAN_COLUMNS = [
    "kode_provinsi",
    "provinsi",
    "nomor_temuan",
    "uraian",
    "nilai",
    "status_temuan",  # belum | proses | selesai at the as-of date
    "batas_waktu",
    "ditutup_pada",
    "lewat_batas",
    "hari_lewat_batas",
]
# What a comparison reads of the earlier week's status rows (the later week's are read whole).
EARLIER_STATUS_COLUMNS = [*KEY, "status", "hari_terlambat", "jadwal_mulai", "jadwal_selesai"]
# Text columns of the status rows worth reading as categoricals (few distinct values, many rows).
STATUS_CATEGORIES = ("kode_lokasi", "program", "tahapan", "status")

ROW_CHANGES = ("baru_terlambat", "makin_terlambat", "selesai", "pulih")  # worst news first
ROW_COLUMNS = [
    "kode_provinsi",
    "provinsi",
    "kode_kabupaten",
    "kabupaten_kota",
    "kode_lokasi",
    "nama_lokasi",
    "program",
    "tingkat",
    "urutan",
    "tahapan",
    "nama_tahapan",
    "jadwal_selesai",
    "tanggal_selesai",
    "status",
    "hari_terlambat",
]
CHANGE_ROW_COLUMNS = [
    *ROW_COLUMNS,
    "status_sebelumnya",
    "hari_terlambat_sebelumnya",
    "tambah_hari",  # days late added since the earlier week
    "perubahan_minggu",  # one of ROW_CHANGES
]
COUNT_COLUMNS = {
    "selesai": "selesai_minggu_ini",
    "baru_terlambat": "baru_terlambat",
    "pulih": "pulih",
    "makin_terlambat": "makin_terlambat",
}
PROVINCE_COLUMNS = [
    "kode_provinsi",
    "provinsi",
    "deviasi_sebelumnya",
    "deviasi",
    "perubahan_deviasi",
    "arah",
    *COUNT_COLUMNS.values(),
    "terlambat",  # open late stages now
    "belum_melapor_minggu_ini",
    "laporan_terakhir",
    "kandidat_masuk",
    "kandidat_keluar",
    "temuan_ditutup",
    "temuan_baru_lewat_batas",
]
STAGE_COLUMNS = ["program", "tingkat", "urutan", "tahapan", "nama_tahapan", *COUNT_COLUMNS.values(), "terlambat"]
CANDIDATE_CHANGE_COLUMNS = [
    "perubahan_kandidat",  # masuk | keluar
    "kode_provinsi",
    "provinsi",
    "kabupaten_kota",
    "kode_lokasi",
    "nama_lokasi",
    "program",
    "skor_sebelumnya",
    "skor",
]
FINDING_CHANGE_COLUMNS = [
    "perubahan",  # ditutup | baru_lewat_batas (the codes of engines/audit.py)
    "kode_provinsi",
    "provinsi",
    "nomor_temuan",
    "uraian",
    "nilai",
    "tanggal",  # closing date, or the due date that passed
    "hari_lewat_batas",
]
MOVED_COLUMNS = [
    "program",
    "tahapan",
    "jadwal_mulai_sebelumnya",
    "jadwal_mulai",
    "jadwal_selesai_sebelumnya",
    "jadwal_selesai",
]
TREND_PROVINCE_COLUMNS = ["minggu", "tanggal_posisi", "kode_provinsi", "provinsi", "deviasi"]
TREND_NATIONAL_COLUMNS = ["minggu", "tanggal_posisi", "rencana_persen", "realisasi_persen", "deviasi"]
COUNTS = [
    "selesai_minggu_ini",
    "baru_terlambat",
    "pulih",
    "makin_terlambat",
    "provinsi_belum_melapor",
    "kandidat_masuk",
    "kandidat_keluar",
    "temuan_ditutup",
    "temuan_baru_lewat_batas",
]


@dataclass
class WeekState:
    """What one week's snapshot holds (see the module doc)."""

    as_of: date
    status: pd.DataFrame
    rollup: pd.DataFrame  # ROLLUP_COLUMNS
    kandidat: pd.DataFrame  # KANDIDAT_COLUMNS
    temuan: pd.DataFrame  # TEMUAN_COLUMNS

    def tables(self) -> dict[str, pd.DataFrame]:
        return {"status": self.status, "rollup": self.rollup, "kandidat": self.kandidat, "temuan": self.temuan}


def week_state(
    status: pd.DataFrame,
    lokasi: pd.DataFrame,
    progres: pd.DataFrame,
    temuan: pd.DataFrame,
    schedule: Schedule,
    rules: Rules | None,
    as_of: date,
) -> WeekState:
    """The state of the week whose status rows are `status` (computed at `as_of`); no candidates without rules.

    The roll-ups run on a second thread (engines/beside.py) beside the candidates' scores and the findings."""
    with second_thread("pkp-week") as pool:
        rolled = pool.submit(week_rollups, status, progres, schedule, as_of)
        kandidat = candidate_state(lokasi, status, schedule, rules, as_of)
        findings = finding_state(temuan, as_of)
        return WeekState(as_of, status, rolled.result(), kandidat, findings)


def week_rollups(status: pd.DataFrame, progres: pd.DataFrame, schedule: Schedule, as_of: date) -> pd.DataFrame:
    """The national roll-up (kode_provinsi empty) and one per province, each with its newest dated report."""
    newest = standing.newest_reports(progres, as_of)
    national, per = rollups(status, schedule, as_of, [None, ["kode_provinsi"]])  # each row's shares made once
    national.insert(0, "kode_provinsi", pd.Series([pd.NA] * len(national), dtype="str"))
    national.insert(1, "provinsi", pd.Series([pd.NA] * len(national), dtype="str"))
    national["laporan_terakhir"] = newest.max() if len(newest) else pd.NaT
    names = status[["kode_provinsi", "provinsi"]].drop_duplicates("kode_provinsi")
    per = per.merge(names, on="kode_provinsi", how="left")
    newest = newest.astype("datetime64[ns]")  # empty (no report yet) as dates too
    per["laporan_terakhir"] = newest.reindex(per["kode_provinsi"].to_numpy()).to_numpy()
    out = pd.concat([national[ROLLUP_COLUMNS], per[ROLLUP_COLUMNS]], ignore_index=True)
    out["laporan_terakhir"] = pd.to_datetime(out["laporan_terakhir"]).astype("datetime64[ns]")
    return out


def candidate_state(
    lokasi: pd.DataFrame, status: pd.DataFrame, schedule: Schedule, rules: Rules | None, as_of: date
) -> pd.DataFrame:
    """Every location's score and whether it meets the required rules (empty without rules)."""
    if rules is None:
        return _empty(KANDIDAT_COLUMNS, {"skor": "float64", "memenuhi": "bool"})
    from pkp_cli.engines.candidates import score_candidates

    scored = score_candidates(lokasi, status, schedule, rules, as_of)
    out = scored.reindex(columns=KANDIDAT_COLUMNS)
    out["memenuhi"] = out["memenuhi"].astype(bool)
    out["skor"] = out["skor"].astype("float64")
    return out.reset_index(drop=True)


def finding_state(temuan: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Every audit finding as known at as_of (engines/audit.py::findings_at)."""
    at = findings_at(temuan, as_of).rename(columns={"status_per_tanggal": "status_temuan"})
    out = at.reindex(columns=TEMUAN_COLUMNS)
    out["lewat_batas"] = out["lewat_batas"].astype(bool)
    out["hari_lewat_batas"] = out["hari_lewat_batas"].astype("int64")
    return out.reset_index(drop=True)


def _empty(columns: list[str], dtypes: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=dtypes.get(c, "str")) for c in columns})


# --- comparing two weeks -------------------------------------------------------------------------------------


@dataclass
class Changes:
    """What changed from `earlier` to `later` (see the module doc)."""

    earlier: date
    later: date
    rows: pd.DataFrame  # CHANGE_ROW_COLUMNS, one row per (status row, change)
    provinces: pd.DataFrame  # PROVINCE_COLUMNS, one row per province of the later week
    national: dict[str, Any]  # rencana/realisasi/deviasi now and deviasi before, perubahan_deviasi, arah
    stages: pd.DataFrame  # STAGE_COLUMNS, stages with any change
    candidates: pd.DataFrame  # CANDIDATE_CHANGE_COLUMNS
    findings: pd.DataFrame  # FINDING_CHANGE_COLUMNS
    moved: pd.DataFrame = field(default_factory=lambda: _empty(MOVED_COLUMNS, {}))  # windows that changed
    compared: int = 0  # status rows present in both weeks

    def counts(self) -> dict[str, int]:
        """How many of each change (COUNTS)."""
        per_change = self.rows["perubahan_minggu"].value_counts()
        cand = self.candidates["perubahan_kandidat"].value_counts()
        found = self.findings["perubahan"].value_counts()
        return {
            **{COUNT_COLUMNS[c]: int(per_change.get(c, 0)) for c in ROW_CHANGES},
            "provinsi_belum_melapor": int(self.provinces["belum_melapor_minggu_ini"].sum()),
            "kandidat_masuk": int(cand.get("masuk", 0)),
            "kandidat_keluar": int(cand.get("keluar", 0)),
            "temuan_ditutup": int(found.get("ditutup", 0)),
            "temuan_baru_lewat_batas": int(found.get("baru_lewat_batas", 0)),
        }


def direction(change: Any) -> Any:
    """naik / turun / tetap as a change in points shows at one decimal; <NA> where it is unknown."""
    values = pd.Series(change, dtype="float64").round(1)
    out = pd.Series(np.select([values > 0, values < 0], ["naik", "turun"], default="tetap"), dtype="str")
    return out.where(values.notna().to_numpy(dtype=bool)).array


def earlier_positions(earlier: pd.DataFrame, later: pd.DataFrame) -> np.ndarray:
    """For each row of `later`, its row in `earlier` (same KEY), -1 if absent.

    Two weeks computed from the same locations and schedule list their rows in the same order (the status
    engine's grid), so the keys are first compared column by column; only when they differ are they looked up:
    each key column as integer codes of the earlier week's values (hashing the distinct values, not the rows),
    combined into one integer per row.
    """
    if len(earlier) == len(later) and all(_same(earlier[k], later[k]) for k in KEY):
        return np.arange(len(later), dtype=np.int64)
    key_e = np.zeros(len(earlier), dtype=np.int64)
    key_l = np.zeros(len(later), dtype=np.int64)
    known = np.ones(len(later), dtype=bool)
    for k in KEY:
        codes_e, uniques = pd.factorize(earlier[k])
        codes_l, uniques_l = pd.factorize(later[k])
        to_e = np.asarray(pd.Index(uniques).get_indexer(pd.Index(uniques_l)), dtype=np.int64)
        mapped = np.where(codes_l >= 0, to_e[np.maximum(codes_l, 0)], -1)
        known &= mapped >= 0
        width = len(uniques) + 1
        key_e = key_e * width + (np.asarray(codes_e, dtype=np.int64) + 1)
        key_l = key_l * width + (mapped + 1)
    index = pd.Index(key_e)
    if not index.is_unique:  # cannot happen with the status grid; never look up ambiguously
        index = index.where(~index.duplicated(), -1)
    pos = np.asarray(index.get_indexer(pd.Index(key_l)), dtype=np.int64)
    return np.where(known, pos, -1)


def _text(values: pd.Series) -> pd.Series:
    return values.astype("str") if isinstance(values.dtype, pd.CategoricalDtype) else values


def _same(a: pd.Series, b: pd.Series) -> bool:
    """Equal text columns, compared in Arrow (categoricals decoded), without building Python strings."""
    import pyarrow as pa
    import pyarrow.compute as pc

    def arrow(s: pd.Series) -> Any:
        arr = pa.array(s.array) if not isinstance(s.dtype, pd.CategoricalDtype) else pa.array(s)
        if isinstance(arr, pa.ChunkedArray):
            arr = arr.combine_chunks()
        if pa.types.is_dictionary(arr.type):
            arr = arr.dictionary_decode()
        return arr.cast(pa.large_string())

    x, y = arrow(a), arrow(b)
    if x.null_count or y.null_count:
        return False
    return bool(pc.all(pc.equal(x, y)).as_py())


def compare(
    earlier: WeekState, later: WeekState, *, plan_changed: bool = False, provinces: Sequence[str] = ()
) -> Changes:
    """The changes from `earlier` to `later`; with plan_changed also the stages whose window moved. `provinces`
    (codes) narrows every list and count to those provinces; the national figures stay national."""
    pos = earlier_positions(earlier.status, later.status)
    rows = _row_changes(earlier.status, later.status, pos)
    candidates = _candidate_changes(earlier.kandidat, later.kandidat)
    findings = _finding_changes(earlier.temuan, later.temuan, earlier.as_of)
    per_province, national = _province_changes(earlier, later, rows, candidates, findings)
    status = later.status
    if provinces:
        keep = set(provinces)

        def only(df: pd.DataFrame) -> pd.DataFrame:
            return df[df["kode_provinsi"].isin(keep).to_numpy(dtype=bool)].reset_index(drop=True)

        rows, candidates, findings, per_province, status = (
            only(rows),
            only(candidates),
            only(findings),
            only(per_province),
            only(status),
        )
    stages = _stage_counts(rows, _stage_frame(status))
    moved = _moved_windows(earlier.status, later.status) if plan_changed else _empty(MOVED_COLUMNS, {})
    return Changes(
        earlier.as_of,
        later.as_of,
        rows,
        per_province,
        national,
        stages,
        candidates,
        findings,
        moved,
        compared=int((pos >= 0).sum()),
    )


def _row_changes(earlier: pd.DataFrame, later: pd.DataFrame, pos: np.ndarray) -> pd.DataFrame:
    both = pos >= 0
    at = np.maximum(pos, 0)
    was = earlier["status"]
    was_finished = both & was.isin(FINISHED).to_numpy(dtype=bool)[at] if len(earlier) else np.zeros(len(pos), bool)
    was_late = both & (was == "terlambat").to_numpy(dtype=bool)[at] if len(earlier) else np.zeros(len(pos), bool)
    was_days = earlier["hari_terlambat"].to_numpy(dtype=np.int64)[at] if len(earlier) else np.zeros(len(pos), np.int64)
    now = later["status"]
    finished = now.isin(FINISHED).to_numpy(dtype=bool)
    late = (now == "terlambat").to_numpy(dtype=bool)
    days = later["hari_terlambat"].to_numpy(dtype=np.int64)
    masks = {
        "baru_terlambat": both & late & ~was_late,
        "makin_terlambat": both & late & was_late & (days > was_days),
        "selesai": both & finished & ~was_finished,
        "pulih": both & was_late & ~late,
    }
    parts = []
    for change in ROW_CHANGES:
        idx = np.flatnonzero(masks[change])
        part = later.iloc[idx][ROW_COLUMNS].reset_index(drop=True)
        part["status_sebelumnya"] = pd.array(_text(was.iloc[pos[idx]]).to_numpy(), dtype="str")
        part["hari_terlambat_sebelumnya"] = was_days[idx]
        part["tambah_hari"] = days[idx] - was_days[idx]
        part["perubahan_minggu"] = pd.array([change] * len(idx), dtype="str")
        parts.append(part)
    return pd.concat(parts, ignore_index=True)[CHANGE_ROW_COLUMNS]


def _stage_frame(status: pd.DataFrame) -> pd.DataFrame:
    """The stages of a status frame with their open late count (one row per program and stage)."""
    keys = ["program", "tingkat", "urutan", "tahapan", "nama_tahapan"]
    late = (status["status"] == "terlambat").to_numpy(dtype=np.int64)
    frame = status[keys].assign(terlambat=late)
    return frame.groupby(keys, sort=False, observed=True)["terlambat"].sum().reset_index()


def _stage_counts(rows: pd.DataFrame, stages: pd.DataFrame) -> pd.DataFrame:
    """Per stage: how many rows of each change; stages without any change are left out."""
    base = stages[["program", "tingkat", "urutan", "tahapan", "nama_tahapan", "terlambat"]]
    counts = (
        rows.groupby(["program", "tahapan", "perubahan_minggu"], observed=True).size().unstack(fill_value=0)
        if len(rows)
        else pd.DataFrame()
    )
    out = base.set_index(["program", "tahapan"])
    for change, column in COUNT_COLUMNS.items():
        got = counts[change] if change in counts.columns else pd.Series(dtype="int64")
        out[column] = got.reindex(out.index).fillna(0).astype("int64")
    out = out.reset_index()
    any_change = out[list(COUNT_COLUMNS.values())].sum(axis=1) > 0
    out = out[any_change].sort_values(["baru_terlambat", "urutan", "program"], ascending=[False, True, True])
    return out[STAGE_COLUMNS].reset_index(drop=True)


def _by_province(codes: pd.Series, index: pd.Index) -> pd.Series:
    return codes.value_counts().reindex(index).fillna(0).astype("int64")


def _province_changes(
    earlier: WeekState, later: WeekState, rows: pd.DataFrame, candidates: pd.DataFrame, findings: pd.DataFrame
) -> tuple[pd.DataFrame, dict[str, Any]]:
    now = later.rollup[later.rollup["kode_provinsi"].notna()].set_index("kode_provinsi")
    before = earlier.rollup[earlier.rollup["kode_provinsi"].notna()].set_index("kode_provinsi")
    out = pd.DataFrame(index=now.index)
    out["provinsi"] = now["provinsi"]
    out["deviasi_sebelumnya"] = before["deviasi"].reindex(out.index).astype("float64")
    out["deviasi"] = now["deviasi"].astype("float64")
    out["perubahan_deviasi"] = out["deviasi"] - out["deviasi_sebelumnya"]
    out["arah"] = direction(out["perubahan_deviasi"])
    for change, column in COUNT_COLUMNS.items():
        out[column] = _by_province(rows.loc[rows["perubahan_minggu"] == change, "kode_provinsi"], out.index)
    out["terlambat"] = now["terlambat"].astype("int64")
    newest = pd.to_datetime(now["laporan_terakhir"])
    out["belum_melapor_minggu_ini"] = (newest.isna() | (newest <= pd.Timestamp(earlier.as_of))).to_numpy(dtype=bool)
    out["laporan_terakhir"] = newest
    for column, frame, code_col, code in (
        ("kandidat_masuk", candidates, "perubahan_kandidat", "masuk"),
        ("kandidat_keluar", candidates, "perubahan_kandidat", "keluar"),
        ("temuan_ditutup", findings, "perubahan", "ditutup"),
        ("temuan_baru_lewat_batas", findings, "perubahan", "baru_lewat_batas"),
    ):
        out[column] = _by_province(frame.loc[frame[code_col] == code, "kode_provinsi"], out.index)
    out = out.reset_index()
    out = out.assign(_d=out["perubahan_deviasi"].round(9)).sort_values(
        ["_d", "baru_terlambat", "kode_provinsi"], ascending=[True, False, True], kind="stable", na_position="last"
    )
    national = _national(earlier.rollup, later.rollup)
    return out[PROVINCE_COLUMNS].reset_index(drop=True), national


def _national(earlier: pd.DataFrame, later: pd.DataFrame) -> dict[str, Any]:
    now = later[later["kode_provinsi"].isna()]
    before = earlier[earlier["kode_provinsi"].isna()]
    if now.empty:
        return {}
    row = now.iloc[0]
    dev_before = float(before["deviasi"].iloc[0]) if len(before) else float("nan")
    change = float(row["deviasi"]) - dev_before
    return {
        "rencana_persen": float(row["rencana_persen"]),
        "realisasi_persen": float(row["realisasi_persen"]),
        "deviasi": float(row["deviasi"]),
        "deviasi_sebelumnya": dev_before,
        "perubahan_deviasi": change,
        "arah": direction([change])[0],
        "terlambat": int(row["terlambat"]),
    }


def _candidate_changes(earlier: pd.DataFrame, later: pd.DataFrame) -> pd.DataFrame:
    def keyed(df: pd.DataFrame) -> pd.Series:
        return df["kode_lokasi"].astype("str") + "\x00" + df["program"].astype("str")

    k_before, k_now = keyed(earlier), keyed(later)
    score_before = pd.Series(earlier["skor"].to_numpy(dtype="float64"), index=k_before.to_numpy())
    score_now = pd.Series(later["skor"].to_numpy(dtype="float64"), index=k_now.to_numpy())
    in_before = set(k_before[earlier["memenuhi"].astype(bool)])
    in_now = set(k_now[later["memenuhi"].astype(bool)])
    masuk = later[later["memenuhi"].astype(bool) & ~k_now.isin(in_before)].assign(perubahan_kandidat="masuk")
    masuk["skor_sebelumnya"] = keyed(masuk).map(score_before).to_numpy(dtype="float64")
    keluar = earlier[earlier["memenuhi"].astype(bool) & ~k_before.isin(in_now)].assign(perubahan_kandidat="keluar")
    keluar["skor_sebelumnya"] = keluar["skor"].to_numpy(dtype="float64")
    keluar["skor"] = keyed(keluar).map(score_now).to_numpy(dtype="float64")
    out = pd.concat([keluar, masuk], ignore_index=True).reindex(columns=CANDIDATE_CHANGE_COLUMNS)
    out["perubahan_kandidat"] = out["perubahan_kandidat"].astype("str")
    for c in ("skor", "skor_sebelumnya"):
        out[c] = out[c].astype("float64")
    return out.sort_values(["perubahan_kandidat", "kode_provinsi", "kode_lokasi"], kind="stable").reset_index(drop=True)


def _finding_changes(earlier: pd.DataFrame, later: pd.DataFrame, since: date) -> pd.DataFrame:
    def keyed(df: pd.DataFrame) -> pd.Series:
        return df["kode_provinsi"].astype("str") + "\x00" + df["nomor_temuan"].astype("str")

    k_before = keyed(earlier)
    closed_before = set(k_before[(earlier["status_temuan"] == "selesai").to_numpy(dtype=bool)])
    overdue_before = set(k_before[earlier["lewat_batas"].astype(bool).to_numpy()])
    k_now = keyed(later)
    was_closed = k_now.isin(closed_before).to_numpy(dtype=bool)
    was_overdue = k_now.isin(overdue_before).to_numpy(dtype=bool)
    # A finding the earlier week did not know (its audit file came later) is news only by its own dates: closed
    # after the earlier status date, or due on or after it (as engines/audit.py::audit_changes counts).
    known = k_now.isin(set(k_before)).to_numpy(dtype=bool)
    day = pd.Timestamp(since)
    closed_since = (pd.to_datetime(later["ditutup_pada"]) > day).fillna(False).to_numpy(dtype=bool)
    due_since = (pd.to_datetime(later["batas_waktu"]) >= day).fillna(False).to_numpy(dtype=bool)
    is_closed = (later["status_temuan"] == "selesai").to_numpy(dtype=bool)
    is_overdue = later["lewat_batas"].astype(bool).to_numpy()
    closed = later[is_closed & ~was_closed & (known | closed_since)]
    overdue = later[is_overdue & ~was_overdue & (known | due_since)]
    closed = closed.assign(perubahan="ditutup", tanggal=closed["ditutup_pada"])
    overdue = overdue.assign(perubahan="baru_lewat_batas", tanggal=overdue["batas_waktu"])
    out = pd.concat([overdue, closed], ignore_index=True).reindex(columns=FINDING_CHANGE_COLUMNS)
    out["perubahan"] = out["perubahan"].astype("str")
    out["tanggal"] = pd.to_datetime(out["tanggal"]).astype("datetime64[ns]")
    out["nilai"] = pd.to_numeric(out["nilai"]).astype("float64")
    out["hari_lewat_batas"] = pd.to_numeric(out["hari_lewat_batas"]).fillna(0).astype("int64")
    order = out["perubahan"].map({"baru_lewat_batas": 0, "ditutup": 1})
    out = out.assign(_o=order).sort_values(["_o", "kode_provinsi", "nomor_temuan"], kind="stable")
    return out[FINDING_CHANGE_COLUMNS].reset_index(drop=True)


def _windows(status: pd.DataFrame) -> pd.DataFrame:
    first = status.drop_duplicates(["program", "tahapan"])
    return first[["program", "tahapan", "jadwal_mulai", "jadwal_selesai"]].astype({"program": "str", "tahapan": "str"})


def _moved_windows(earlier: pd.DataFrame, later: pd.DataFrame) -> pd.DataFrame:
    """Stages whose window differs between the weeks (or that one week's schedule lacks)."""
    both = _windows(earlier).merge(
        _windows(later), on=["program", "tahapan"], how="outer", suffixes=("_sebelumnya", "")
    )
    differs = (both["jadwal_mulai"] != both["jadwal_mulai_sebelumnya"]) | (
        both["jadwal_selesai"] != both["jadwal_selesai_sebelumnya"]
    )
    return both[differs.to_numpy(dtype=bool)][MOVED_COLUMNS].reset_index(drop=True)


# --- trends --------------------------------------------------------------------------------------------------


@dataclass
class Trends:
    provinces: pd.DataFrame  # TREND_PROVINCE_COLUMNS, one row per province and week
    national: pd.DataFrame  # TREND_NATIONAL_COLUMNS, one row per week


def trends(weeks: Iterable[tuple[str, date, pd.DataFrame]]) -> Trends:
    """Deviation per province and the national planned vs actual, week by week, from each week's roll-ups."""
    prov_parts, nat_parts = [], []
    for week, as_of, roll in sorted(weeks, key=lambda w: w[0]):
        tagged = roll.assign(minggu=week, tanggal_posisi=pd.Timestamp(as_of))
        prov_parts.append(tagged[tagged["kode_provinsi"].notna()].reindex(columns=TREND_PROVINCE_COLUMNS))
        nat_parts.append(tagged[tagged["kode_provinsi"].isna()].reindex(columns=TREND_NATIONAL_COLUMNS))
    provinces = pd.concat(prov_parts, ignore_index=True) if prov_parts else _empty(TREND_PROVINCE_COLUMNS, {})
    national = pd.concat(nat_parts, ignore_index=True) if nat_parts else _empty(TREND_NATIONAL_COLUMNS, {})
    for frame in (provinces, national):
        frame["tanggal_posisi"] = pd.to_datetime(frame["tanggal_posisi"]).astype("datetime64[ns]")
    return Trends(provinces, national)
