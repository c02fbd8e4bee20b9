"""Which locations can be accelerated (percepatan), by which rules, and which stages each can start now.

Data only: result codes, the values each rule read and the points it gave; the words are the view's
(pkp_cli/views/candidates.py). Everything is computed over all locations at once: a loop runs over the
handful of rules, and over the distinct combinations a list column can take (a set of stages, a set of failed
requirements), never over locations. Each rule is evaluated into one frame aligned row for row with the
locations; both the ranked list (`score_candidates`) and the score card of one location (`explain`) are read
from those frames, so the two can never disagree.

Scoring: a met requirement adds its `bobot`; a penalty subtracts `bobot` x count, capped at `maks`; the sum is
clamped to 0..skor_maks. A requirement whose data is missing (<NA>, or the column absent) is unknown: it adds
nothing and never excludes. A failed `wajib` requirement excludes (`memenuhi` False) but the location keeps
its score, so `--all` can show it with the requirement it fails.

Stages a location can start now are of two kinds, kept apart because only the first is acceleration:
- before its window (`belum_jadwal`, the schedule marks it `dapat_dipercepat`): `hari` = days early;
- its window is open and it has not started (`belum_mulai`, any location stage): on time, a late risk if it
  waits; `hari` = days left to the planned end.
Both only when every stage of its `setelah` is finished and it does not wait for the DIPA revision; the rest
are the held stages of `waiting_stages`, with what each waits for.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from pkp_cli.errors import UnknownValue
from pkp_cli.model.frames import FINISHED
from pkp_cli.model.rules import COLUMN_KINDS, Penalty, Requirement, Rules
from pkp_cli.model.schedule import Schedule

# Result codes of a requirement / penalty (people read them through the vocabulary "percepatan.hasil").
MET, FAILED, UNKNOWN = "terpenuhi", "gagal", "tidak_diketahui"
APPLIED, NOT_APPLIED = "dikenakan", "tidak_dikenakan"

ID_COLUMNS = ["kode_lokasi", "nama_lokasi", "kode_provinsi", "provinsi", "kode_kabupaten", "kabupaten_kota"]

# What one rule gives for one location. A column requirement fills `nilai` (the value it read); a key-stage
# requirement `tahapan`, `nama_tahapan`, `status`, `tanggal` (end date when finished, else start date); a
# penalty `jumlah` (what multiplies its weight) and, for a report penalty, `tanggal` (the newest report).
_PART_COLUMNS = ["hasil", "poin", "nilai", "tahapan", "nama_tahapan", "status", "tanggal", "jumlah"]

# The score card of one location: one row per rule, in the rules file's order.
CARD_COLUMNS = [
    "bagian",  # "syarat" | "penalti"
    "id",
    "wajib",
    "bobot",
    "maks",  # a penalty's cap (NaN for a requirement)
    "per",  # a penalty's unit: "tahapan" | "lokasi"
    "jenis",  # a penalty's kind (terlambat, urutan_dilanggar, laporan_basi, tanpa_laporan)
    "kolom",  # a column requirement's location column
    "peran",  # a key-stage requirement's role
    *_PART_COLUMNS,
    "tahapan_dihitung",  # a penalty's counted stages, comma-separated
]

# A stage can be started early only while its window has not opened; a stage whose window is open and that
# has not started is on time to start now. An open stage past its window is late (the status view's business).
_EARLY, _OPEN = "belum_jadwal", "belum_mulai"

_STAGE_COLUMNS = ["kode_lokasi", "program", "urutan", "tahapan", "nama_tahapan", "jadwal_mulai", "jadwal_selesai"]


@dataclass(frozen=True)
class ScoreCard:
    """The full score card of one location: every requirement and penalty with the data behind it."""

    kode_lokasi: str
    nama_lokasi: str
    kode_provinsi: str
    provinsi: str
    kabupaten_kota: str
    program: str
    skor: float
    skor_mentah: float  # before clamping to 0..skor_maks
    skor_maks: float
    memenuhi: bool
    syarat_gagal: list[str]
    rincian: pd.DataFrame  # one row per rule, CARD_COLUMNS
    tahapan_lebih_awal: list[dict[str, Any]]  # [{tahapan, nama_tahapan, hari}]: hari = days early
    tahapan_jendela_terbuka: list[dict[str, Any]]  # [{tahapan, nama_tahapan, hari}]: hari = days left


# --- small helpers ----------------------------------------------------------------------------------------


def _as_timestamp(as_of: date | pd.Timestamp) -> pd.Timestamp:
    return pd.Timestamp(as_of).normalize()


def _base(lokasi: pd.DataFrame) -> pd.DataFrame:
    """One row per location, in a stable order, with every column (requirements read their own)."""
    return lokasi.drop_duplicates("kode_lokasi").sort_values("kode_lokasi", kind="stable").reset_index(drop=True)


def _positions(keys: pd.Series, codes: pd.Series) -> np.ndarray:
    """Each code's position among the unique `keys` (-1 when absent): one hash lookup, then integer arrays.

    (Series.isin on the pyarrow string dtype converts every value to Python and is slow on 80,000 codes.)
    """
    return np.asarray(pd.Index(keys).get_indexer(codes))


def _stage_levels(schedule: Schedule) -> pd.DataFrame:
    return schedule.stage_table()[["program", "tahapan", "tingkat"]]


def _lookup_stage(status: pd.DataFrame, levels: pd.DataFrame, who: pd.DataFrame, tahapan: pd.Series) -> pd.DataFrame:
    """The status row of stage `tahapan[i]` for location `who[i]`, in `who`'s order.

    A province-level stage is resolved in the location's province and program (its row carries the province
    code in kode_lokasi). A stage with no row gives <NA> status.
    """
    q = who[["kode_lokasi", "kode_provinsi", "program"]].reset_index(drop=True)
    q = q.assign(tahapan=pd.Series(tahapan.to_numpy(), dtype=object))
    q = q.merge(levels, on=["program", "tahapan"], how="left")
    # as text: the status frame's codes are categoricals with different categories
    q["_kunci"] = q["kode_lokasi"].astype("str").where(q["tingkat"] != "provinsi", q["kode_provinsi"].astype("str"))
    wanted = list(pd.unique(q["tahapan"].dropna()))
    columns = ["kode_lokasi", "program", "tahapan", "nama_tahapan", "status", "tanggal_mulai", "tanggal_selesai"]
    rows = status.loc[status["tahapan"].isin(wanted), [*columns, "tertunda_dipa"]]
    rows = rows.drop_duplicates(["kode_lokasi", "program", "tahapan"])
    rows = rows.rename(columns={"kode_lokasi": "_kunci"}).astype({"tahapan": object})
    return q.merge(rows, on=["_kunci", "program", "tahapan"], how="left")


def _stage_date(rows: pd.DataFrame) -> pd.Series:
    """End date of a finished stage, else its start date (NaT when neither)."""
    return rows["tanggal_selesai"].where(rows["status"].isin(FINISHED), rows["tanggal_mulai"])


def distinct_sets(n: int, row: np.ndarray, item: np.ndarray) -> tuple[np.ndarray, list[list[int]]]:
    """Which set of items each of `n` rows holds, as an id per row and the distinct sets (sorted item indices).

    `row[k]` holds item `item[k]` (non-negative ints). Each row's set becomes a bit mask (64 items a word)
    and the masks are made unique: building a list per row then costs one list per distinct set, not one per
    row (on 83,000 locations a handful of stage sets recur).
    """
    if n == 0:
        return np.zeros(0, dtype=int), []
    n_items = int(item.max()) + 1 if len(item) else 1
    words = (n_items + 63) // 64
    masks = np.zeros((n, words), dtype=np.uint64)
    if len(item):
        bits = np.left_shift(np.uint64(1), (item % 64).astype(np.uint64))
        np.bitwise_or.at(masks, (row, item // 64), bits)
    uniq, inverse = np.unique(masks, axis=0, return_inverse=True)
    sets = []
    for mask in uniq:
        members = [w * 64 + b for w, word in enumerate(mask.tolist()) for b in range(64) if word >> b & 1]
        sets.append(members)
    return np.asarray(inverse).reshape(-1), sets


def _objects(values: Sequence[Any], ids: np.ndarray) -> np.ndarray:
    """An object array holding values[ids[i]] at i (shared objects: one per distinct value)."""
    table = np.empty(len(values), dtype=object)
    for i, v in enumerate(values):  # a few distinct values; assigning a list slice-wise would broadcast it
        table[i] = v
    return table[ids] if len(ids) else np.empty(0, dtype=object)


# --- requirements -----------------------------------------------------------------------------------------


def _outcome(known: pd.Series, met: pd.Series) -> np.ndarray:
    return np.select([~known.to_numpy(bool), met.to_numpy(bool)], [UNKNOWN, MET], FAILED)


def _column_requirement(base: pd.DataFrame, req: Requirement) -> pd.DataFrame:
    column = req.kolom or ""
    kind = COLUMN_KINDS[column]
    values = base[column] if column in base.columns else pd.Series(pd.NA, index=base.index, dtype=object)
    known = values.notna()
    if kind == "bool":
        met = (values.astype("boolean") == req.nilai).fillna(False).astype(bool)
    elif kind == "text":
        accepted = [v.casefold() for v in req.text_values]
        met = values.astype("string").str.casefold().isin(accepted).fillna(False).astype(bool) & known
    else:
        numbers = pd.to_numeric(values, errors="coerce")
        met = known.copy()
        # The bounds are inclusive: a grant equal to `minimal` meets it.
        if req.minimal is not None:
            met &= (numbers >= req.minimal).fillna(False).astype(bool)
        if req.maksimal is not None:
            met &= (numbers <= req.maksimal).fillna(False).astype(bool)
    return pd.DataFrame({"hasil": _outcome(known, met), "nilai": values.astype(object)}, index=base.index)


def _stage_requirement(base: pd.DataFrame, status: pd.DataFrame, schedule: Schedule, req: Requirement) -> pd.DataFrame:
    role = req.tahapan_kunci or ""
    codes = base["program"].map({p: schedule.key_stage(p, role) for p in base["program"].unique()})
    rows = _lookup_stage(status, _stage_levels(schedule), base, codes)
    known = rows["status"].notna()
    met = rows["status"].isin(req.met_statuses)
    return pd.DataFrame(
        {
            "hasil": _outcome(known, met),
            "tahapan": rows["tahapan"].to_numpy(),
            "nama_tahapan": rows["nama_tahapan"].to_numpy(),
            "status": rows["status"].to_numpy(),
            "tanggal": _stage_date(rows).to_numpy(),
        },
        index=base.index,
    )


def _requirement_part(base: pd.DataFrame, status: pd.DataFrame, schedule: Schedule, req: Requirement) -> pd.DataFrame:
    part = _column_requirement(base, req) if req.on_column else _stage_requirement(base, status, schedule, req)
    part["poin"] = np.where(part["hasil"] == MET, req.bobot, 0.0)
    return part.reindex(columns=_PART_COLUMNS)


# --- penalties --------------------------------------------------------------------------------------------


def _stage_flags(rows: pd.DataFrame, pen: Penalty) -> np.ndarray:
    """Which of the locations' own stage rows count for this penalty."""
    if pen.jenis == "terlambat":
        # Open past its window or finished after it: both are days late (hari_terlambat > 0).
        return (rows["hari_terlambat"].fillna(0) > 0).to_numpy(bool)
    if pen.jenis == "tanpa_laporan":
        # A stage not yet due has no report by nature; only a stage whose window has opened is missing one.
        return rows["tanpa_laporan"].fillna(False).to_numpy(bool) & (rows["status"] != "belum_jadwal").to_numpy(bool)
    return rows[pen.jenis].fillna(False).to_numpy(bool)


def _penalty_counts(rows: pd.DataFrame, pos: np.ndarray, n: int, pen: Penalty) -> np.ndarray:
    """The count that multiplies the penalty's weight, per location (`pos`: each row's location position)."""

    def per_location(mask: np.ndarray) -> np.ndarray:
        return np.bincount(pos[mask], minlength=n)

    flags = _stage_flags(rows, pen)
    if pen.per == "tahapan":
        return per_location(flags)
    if pen.jenis == "laporan_basi":
        # Once per location when its newest report is stale: it reported, and no reported stage is fresh.
        reported = rows["tanggal_laporan"].notna().to_numpy(bool)
        fresh = reported & ~flags
        return ((per_location(reported) > 0) & (per_location(fresh) == 0)).astype(int)
    if pen.jenis == "tanpa_laporan":
        # Once per location that never reported any stage (and has stages at all).
        silent = rows["tanpa_laporan"].fillna(False).to_numpy(bool)
        total = per_location(np.ones(len(rows), dtype=bool))
        return ((total > 0) & (per_location(silent) == total)).astype(int)
    return (per_location(flags) > 0).astype(int)


def _penalty_part(base: pd.DataFrame, rows: pd.DataFrame, pos: np.ndarray, pen: Penalty, detail: bool) -> pd.DataFrame:
    n = len(base)
    count = _penalty_counts(rows, pos, n, pen)
    # np.where rather than a bare negation: an unapplied penalty is 0, not -0.0 in JSON.
    points = np.where(count > 0, -np.minimum(pen.bobot * count, pen.maks), 0.0)
    part = pd.DataFrame(
        {"hasil": np.where(count > 0, APPLIED, NOT_APPLIED), "poin": points.astype(float), "jumlah": count},
        index=base.index,
    ).reindex(columns=_PART_COLUMNS)
    if pen.jenis in ("laporan_basi", "tanpa_laporan"):
        # The data behind a report penalty is the location's newest report date.
        newest = rows.groupby(pos)["tanggal_laporan"].max()
        part["tanggal"] = newest.reindex(range(n)).to_numpy()
    if detail:
        # The stages counted, for the score card (one location: a per-group join is cheap here).
        flags = _stage_flags(rows, pen)
        stages = rows.loc[flags, "tahapan"].groupby(pos[flags]).agg(", ".join)
        part["tahapan_dihitung"] = stages.reindex(range(n)).to_numpy()
    return part


# --- the evaluation -----------------------------------------------------------------------------------------


def _evaluate(
    base: pd.DataFrame, status: pd.DataFrame, schedule: Schedule, rules: Rules, detail: bool = False
) -> list[pd.DataFrame]:
    """One frame per rule (requirements, then penalties), each aligned row for row with `base`."""
    parts = [_requirement_part(base, status, schedule, req) for req in rules.syarat]
    # Penalties read the location's own stages only: a late province-level stage is not the location's doing.
    own = status[(status["tingkat"] == "lokasi").to_numpy(bool)]
    pos = _positions(base["kode_lokasi"], own["kode_lokasi"])
    own, pos = own[pos >= 0], pos[pos >= 0]
    parts += [_penalty_part(base, own, pos, pen, detail) for pen in rules.penalti]
    return parts


def _scores(parts: list[pd.DataFrame], rules: Rules) -> pd.DataFrame:
    """Per location (base order): skor, skor_mentah, memenuhi, syarat_gagal (ids of failed wajib requirements)."""
    n = len(parts[0]) if parts else 0
    raw = np.column_stack([p["poin"].to_numpy(float) for p in parts]).sum(axis=1).round(2) if parts else np.zeros(n)
    required = [(req.id, p) for req, p in zip(rules.syarat, parts, strict=False) if req.wajib]
    failed = np.zeros((n, len(required)), dtype=bool)
    for j, (_, p) in enumerate(required):
        failed[:, j] = (p["hasil"] == FAILED).to_numpy(bool)
    rows, items = np.nonzero(failed)
    ids, sets = distinct_sets(n, rows, items)
    lists = _objects([[required[j][0] for j in s] for s in sets], ids)
    return pd.DataFrame(
        {
            "skor": np.clip(raw, 0, rules.skor_maks),
            "skor_mentah": raw,
            "memenuhi": ~failed.any(axis=1),
            "syarat_gagal": lists,
        }
    )


def rule_columns(rules: Rules) -> list[str]:
    """The per-rule columns of `score_candidates`, in the rules file's order (see its docstring)."""
    out = []
    for req in rules.syarat:
        out.append(f"syarat.{req.id}")
        fields = ("nilai",) if req.on_column else ("tahapan", "nama_tahapan", "status", "tanggal")
        out += [f"syarat.{req.id}.{f}" for f in fields]
    for pen in rules.penalti:
        out += [f"penalti.{pen.id}", f"penalti.{pen.id}.jumlah"]
    return out


def _wide(parts: list[pd.DataFrame], rules: Rules) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for req, part in zip(rules.syarat, parts, strict=False):
        out[f"syarat.{req.id}"] = part["hasil"].to_numpy()
        fields = ("nilai",) if req.on_column else ("tahapan", "nama_tahapan", "status", "tanggal")
        for f in fields:
            out[f"syarat.{req.id}.{f}"] = part[f].to_numpy()
    for pen, part in zip(rules.penalti, parts[len(rules.syarat) :], strict=True):
        out[f"penalti.{pen.id}"] = part["poin"].to_numpy()
        out[f"penalti.{pen.id}.jumlah"] = part["jumlah"].to_numpy()
    return out


# --- stages that can start now ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Offer:
    """The location stages not yet started that a location might start now, with what holds them back."""

    rows: pd.DataFrame  # STATUS rows plus setelah, perlu_revisi_dipa, and _dipa (the revision stage's code)
    blocked: np.ndarray  # a stage of its `setelah` is unfinished
    waiting: np.ndarray  # waits for the DIPA revision
    pending: pd.DataFrame  # one row per (offered row position `_r`, unfinished predecessor): setelah, gated, order


def _offer(lokasi: pd.DataFrame, status: pd.DataFrame, schedule: Schedule) -> _Offer:
    table = schedule.stage_table()
    levels = table[["program", "tahapan", "tingkat"]]
    local = table["tingkat"] == "lokasi"
    early = table.loc[local & table["dapat_dipercepat"], "tahapan"].tolist()
    on_time = table.loc[local, "tahapan"].tolist()
    st = status["status"]
    rows = status[(st.eq(_EARLY) & status["tahapan"].isin(early)) | (st.eq(_OPEN) & status["tahapan"].isin(on_time))]
    rows = rows[_positions(pd.Series(pd.unique(lokasi["kode_lokasi"])), rows["kode_lokasi"]) >= 0]
    rows = rows.merge(
        table[["program", "tahapan", "setelah", "perlu_revisi_dipa"]], on=["program", "tahapan"], how="inner"
    ).reset_index(drop=True)

    deps = rows[["kode_lokasi", "kode_provinsi", "program", "setelah"]].explode("setelah")
    deps = deps[deps["setelah"].notna()]
    dep_rows = _lookup_stage(status, levels, deps, deps["setelah"])
    unfinished = ~dep_rows["status"].isin(FINISHED).to_numpy(bool)
    order = dict(zip(table["tahapan"], table["urutan"], strict=True))
    pending = pd.DataFrame(
        {
            "_r": deps.index.to_numpy()[unfinished],
            "setelah": deps["setelah"].to_numpy()[unfinished],
            # A predecessor that itself waits for the DIPA revision (contracts, mobilisation): said in the text.
            "gated": dep_rows["tertunda_dipa"].fillna(False).to_numpy(bool)[unfinished],
        }
    )
    pending["order"] = pending["setelah"].map(order)
    blocked = np.zeros(len(rows), dtype=bool)
    blocked[pending["_r"].to_numpy(int)] = True

    dipa_codes = rows["program"].map({p: schedule.key_stage(p, "revisi_dipa") for p in rows["program"].unique()})
    dipa_done = _lookup_stage(status, levels, rows, dipa_codes)["status"].isin(FINISHED).to_numpy(bool)
    waiting = rows["tertunda_dipa"].fillna(False).to_numpy(bool) | (
        rows["perlu_revisi_dipa"].to_numpy(bool) & ~dipa_done
    )
    return _Offer(rows.assign(_dipa=dipa_codes), blocked, waiting, pending)


def startable_stages(
    lokasi: pd.DataFrame, status: pd.DataFrame, schedule: Schedule, as_of: date | pd.Timestamp
) -> pd.DataFrame:
    """Location stages of `lokasi` that can start now; one row per (location, stage), in schedule order.

    A stage qualifies when it has not started, nothing holds it back (every stage in its `setelah` finished,
    a province-level one in the location's province and program; not waiting on a DIPA revision: neither
    flagged `tertunda_dipa` by the status engine nor `perlu_revisi_dipa` while the province's `revisi_dipa`
    key stage is unfinished, or unknown), and either
    - its window has not opened and the schedule marks it `dapat_dipercepat`: `lebih_awal` True, `hari` =
      jadwal_mulai - as_of (the days it could gain), or
    - its window is open (jadwal_mulai <= as_of <= jadwal_selesai): `lebih_awal` False, `hari` =
      jadwal_selesai - as_of (the days left before it is late).
    Columns: kode_lokasi, program, urutan, tahapan, nama_tahapan, jadwal_mulai, jadwal_selesai, lebih_awal, hari.
    """
    day = _as_timestamp(as_of)
    offer = _offer(lokasi, status, schedule)
    ok = offer.rows[~offer.blocked & ~offer.waiting]
    early = (ok["status"] == _EARLY).to_numpy(bool)
    days = np.where(early, (ok["jadwal_mulai"] - day).dt.days, (ok["jadwal_selesai"] - day).dt.days)
    out = ok[_STAGE_COLUMNS].assign(lebih_awal=early, hari=days.astype(int))
    return out.sort_values(["kode_lokasi", "urutan"], kind="stable").reset_index(drop=True)


def waiting_stages(lokasi: pd.DataFrame, status: pd.DataFrame, schedule: Schedule) -> pd.DataFrame:
    """The stages of `lokasi` that `startable_stages` would offer but that cannot start yet, and what each
    waits for. One row per (location, stage), in schedule order.

    `menunggu`: the codes it waits for, the unfinished predecessors in schedule order, then the province's
    `revisi_dipa` key stage when the stage itself waits on the revision (the role name `revisi_dipa` when the
    schedule names no such stage). `menunggu_dipa`: those predecessors that themselves wait for the revision
    (a stage after the facilitators' mobilisation waits for it through the mobilisation). Both are tuples,
    one object per distinct combination.
    Columns: kode_lokasi, kode_provinsi, program, urutan, tahapan, nama_tahapan, lebih_awal, menunggu,
    menunggu_dipa.
    """
    offer = _offer(lokasi, status, schedule)
    held = offer.blocked | offer.waiting
    rows = offer.rows
    # Each held row's combination: its stage, its unfinished predecessors (a bit set), which of them wait for
    # the revision, whether it waits itself. Few distinct combinations; one tuple each.
    pend = offer.pending
    codes = pend.drop_duplicates("setelah").sort_values(["order", "setelah"])["setelah"].tolist()
    index = {c: i for i, c in enumerate(codes)}
    item = pend["setelah"].map(index).to_numpy(int)
    unfinished_id, unfinished_sets = distinct_sets(len(rows), pend["_r"].to_numpy(int), item)
    gated = pend["gated"].to_numpy(bool)
    gated_id, gated_sets = distinct_sets(len(rows), pend["_r"].to_numpy(int)[gated], item[gated])
    keys = pd.DataFrame(
        {
            "u": unfinished_id,
            "g": gated_id,
            "w": offer.waiting,
            "d": rows["_dipa"].astype(object).fillna("revisi_dipa").to_numpy(),
        }
    )[held]
    combos = keys.drop_duplicates()
    waits: dict[tuple[Any, ...], tuple[str, ...]] = {}
    through: dict[tuple[Any, ...], tuple[str, ...]] = {}
    for u, g, w, d in combos.itertuples(index=False):  # one per distinct combination
        waits[(u, g, w, d)] = tuple(codes[i] for i in unfinished_sets[u]) + ((d,) if w else ())
        through[(u, g, w, d)] = tuple(codes[i] for i in gated_sets[g])
    key = pd.MultiIndex.from_frame(keys)
    out = rows.loc[held, ["kode_lokasi", "kode_provinsi", "program", "urutan", "tahapan", "nama_tahapan"]]
    out = out.assign(
        lebih_awal=(rows.loc[held, "status"] == _EARLY).to_numpy(bool),
        menunggu=_lookup(key, waits),
        menunggu_dipa=_lookup(key, through),
    )
    return out.sort_values(["kode_lokasi", "urutan"], kind="stable").reset_index(drop=True)


def _lookup(key: pd.MultiIndex, table: dict[tuple[Any, ...], Any]) -> np.ndarray:
    """table[key[i]] for every i, with one hash lookup per row in C (pandas Index.get_indexer)."""
    keys = list(table)
    ids = pd.MultiIndex.from_tuples(keys, names=key.names).get_indexer(key) if keys else np.zeros(0, dtype=int)
    return _objects([table[k] for k in keys], np.asarray(ids))


def _stage_lists(base: pd.DataFrame, stages: pd.DataFrame, early: bool) -> np.ndarray:
    """Per location (base order): [{tahapan, nama_tahapan, hari}] of its startable stages of one kind.

    `hari` depends on the stage and the date only, so a location's list is fixed by its set of stages: one
    list per distinct set, shared by every location that has it."""
    mine = stages[stages["lebih_awal"].to_numpy(bool) == early]
    rank = {code: i for i, code in enumerate(mine.sort_values("urutan", kind="stable")["tahapan"].unique())}
    item = mine["tahapan"].map(rank).to_numpy(int)
    ids, sets = distinct_sets(len(base), _positions(base["kode_lokasi"], mine["kode_lokasi"]), item)
    first = mine.drop_duplicates("tahapan").set_index("tahapan")
    codes = list(rank)
    lists = [
        [
            {
                "tahapan": codes[i],
                "nama_tahapan": first.at[codes[i], "nama_tahapan"],
                "hari": int(first.at[codes[i], "hari"]),
            }
            for i in s
        ]
        for s in sets
    ]
    return _objects(lists, ids)


# --- public -----------------------------------------------------------------------------------------------


def score_candidates(
    lokasi: pd.DataFrame,
    status: pd.DataFrame,
    schedule: Schedule,
    rules: Rules,
    as_of: date | pd.Timestamp,
) -> pd.DataFrame:
    """Every location scored against the rules, best first (skor desc, then kode_lokasi).

    Columns: kode_lokasi, nama_lokasi, kode_provinsi, provinsi, kode_kabupaten, kabupaten_kota, program,
    skor, skor_mentah, memenuhi, syarat_gagal (list of failed wajib ids), tahapan_lebih_awal and
    tahapan_jendela_terbuka ([{tahapan, nama_tahapan, hari}], see startable_stages) with their lengths
    jumlah_lebih_awal and jumlah_jendela_terbuka, then per rule
    (`rule_columns`): `syarat.<id>` (terpenuhi | gagal | tidak_diketahui) with the data it read
    (`syarat.<id>.nilai` for a column; `.tahapan`, `.nama_tahapan`, `.status`, `.tanggal` for a key stage),
    `penalti.<id>` (the points it takes off, <= 0) with `penalti.<id>.jumlah` (the count).
    `status` is the STATUS frame computed at `as_of`.
    """
    base = _base(lokasi)
    parts = _evaluate(base, status, schedule, rules)
    ids = [c for c in ID_COLUMNS if c in base.columns]
    out = pd.concat([base[[*ids, "program"]], _scores(parts, rules)], axis=1)
    stages = startable_stages(base, status, schedule, as_of)
    out["tahapan_lebih_awal"] = _stage_lists(base, stages, early=True)
    out["tahapan_jendela_terbuka"] = _stage_lists(base, stages, early=False)
    pos, early = _positions(base["kode_lokasi"], stages["kode_lokasi"]), stages["lebih_awal"].to_numpy(bool)
    out["jumlah_lebih_awal"] = np.bincount(pos[early], minlength=len(base))
    out["jumlah_jendela_terbuka"] = np.bincount(pos[~early], minlength=len(base))
    out = pd.concat([out, pd.DataFrame(_wide(parts, rules), index=out.index)], axis=1)
    out = out.sort_values(["skor", "kode_lokasi"], ascending=[False, True], kind="stable")
    return out.reset_index(drop=True)


def find_location(kode_lokasi: str, lokasi: pd.DataFrame, option: str = "--explain") -> str:
    """The location code as the data has it; an unknown code raises UnknownValue with nearby codes."""
    from pkp_cli.engines.query import near_codes

    code = kode_lokasi.strip()
    known = lokasi["kode_lokasi"]
    if (known == code).any():
        return code
    raise UnknownValue(option, code, near_codes(code, known))


def _rule_meta(rule: Requirement | Penalty) -> dict[str, Any]:
    """A rule's own fields as the score card lists them (a requirement has no cap, a penalty no column)."""
    if isinstance(rule, Requirement):
        return {"id": rule.id, "wajib": rule.wajib, "bobot": rule.bobot, "maks": np.nan, "per": None,
                "jenis": None, "kolom": rule.kolom, "peran": rule.tahapan_kunci}  # fmt: skip
    return {"id": rule.id, "wajib": False, "bobot": rule.bobot, "maks": rule.maks, "per": rule.per,
            "jenis": rule.jenis, "kolom": None, "peran": None}  # fmt: skip


def explain(
    kode_lokasi: str,
    lokasi: pd.DataFrame,
    status: pd.DataFrame,
    schedule: Schedule,
    rules: Rules,
    as_of: date | pd.Timestamp,
) -> ScoreCard:
    """The score card of one location; an unknown code raises UnknownValue (the CLI: exit 2, nearby codes)."""
    code = find_location(kode_lokasi, lokasi)
    base = _base(lokasi[lokasi["kode_lokasi"] == code])
    me = base.iloc[0]
    mine = (status["kode_lokasi"] == code) | (
        (status["tingkat"] == "provinsi")
        & (status["kode_provinsi"] == me["kode_provinsi"])
        & (status["program"] == me["program"])
    )
    own_status = status[mine]
    parts = _evaluate(base, own_status, schedule, rules, detail=True)
    score = _scores(parts, rules).iloc[0]
    stages = startable_stages(base, own_status, schedule, as_of)
    card = pd.concat([p.reindex(columns=[*_PART_COLUMNS, "tahapan_dihitung"]) for p in parts], ignore_index=True)
    card.insert(0, "bagian", ["syarat"] * len(rules.syarat) + ["penalti"] * len(rules.penalti))
    every: list[Requirement | Penalty] = [*rules.syarat, *rules.penalti]
    meta = pd.DataFrame([_rule_meta(r) for r in every])
    for column in meta.columns:
        card[column] = meta[column].to_numpy()
    card = card.astype({"maks": float, "poin": float, "wajib": bool})

    def text(column: str) -> str:
        value = me.get(column)
        return "" if value is None or pd.isna(value) else str(value)

    return ScoreCard(
        kode_lokasi=code,
        nama_lokasi=text("nama_lokasi"),
        kode_provinsi=text("kode_provinsi"),
        provinsi=text("provinsi"),
        kabupaten_kota=text("kabupaten_kota"),
        program=text("program"),
        skor=float(score["skor"]),
        skor_mentah=float(score["skor_mentah"]),
        skor_maks=float(rules.skor_maks),
        memenuhi=bool(score["memenuhi"]),
        syarat_gagal=list(score["syarat_gagal"]),
        rincian=card[CARD_COLUMNS],
        tahapan_lebih_awal=list(_stage_lists(base, stages, early=True)[0]),
        tahapan_jendela_terbuka=list(_stage_lists(base, stages, early=False)[0]),
    )
