"""Which locations can be accelerated (percepatan), why, and which stages each can start now.

Everything is computed over all locations at once: a loop runs over the handful of rules, never over
locations. Each rule is evaluated into one frame aligned row for row with the locations; both the ranked list
(`score_candidates`) and the score card of one location (`explain`) are read from those frames, so the two
can never disagree.

Scoring: a met requirement adds its `bobot`; a penalty subtracts `bobot` x count, capped at `maks`; the sum is
clamped to 0..skor_maks. A requirement whose data is missing (<NA>, or the column absent) is unknown: it adds
nothing and never excludes. A failed `wajib` requirement excludes (`memenuhi` False) but the location keeps
its score, so `--all` can show it with the requirement it fails.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from pkp_cli.errors import Exit, PkpError
from pkp_cli.model.frames import FINISHED
from pkp_cli.model.rules import COLUMN_KINDS, Penalty, Requirement, Rules
from pkp_cli.model.schedule import Schedule
from pkp_cli.render.formats import fmt_date, fmt_number, fmt_rupiah
from pkp_cli.text.labels import label
from pkp_cli.text.messages import render

# The JSON row shape of `pkp candidates` (issue 5); the frame carries more columns for tables and filters.
CANDIDATE_COLUMNS = [
    "kode_lokasi",
    "nama_lokasi",
    "provinsi",
    "kabupaten_kota",
    "program",
    "skor",
    "alasan",
    "tahapan_dipercepat",
]

# Result codes of a requirement / penalty (labels: "percepatan.hasil.<code>").
MET, FAILED, UNKNOWN = "terpenuhi", "gagal", "tidak_diketahui"
APPLIED, NOT_APPLIED = "dikenakan", "tidak_dikenakan"

# A stage can be offered for acceleration only while its window has not closed and it has not started:
# an open stage past its window is late (the status view's business), not a candidate for doing early.
_NOT_STARTED = ("belum_jadwal", "belum_mulai")

# Reason groups: joined with ", " inside a group and "; " between groups, as in "lokasi berulang, kinerja
# baik; survei pendahuluan selesai 24 Mei 2022".
_GROUP_COLUMN, _GROUP_STAGE, _GROUP_PENALTY = 0, 1, 2

_ID_COLUMNS = ["kode_lokasi", "nama_lokasi", "kode_provinsi", "provinsi", "kode_kabupaten", "kabupaten_kota"]

_EVAL_COLUMNS = [
    "kode_lokasi",
    "bagian",  # "syarat" | "penalti"
    "id",
    "grup",
    "wajib",
    "bobot",
    "maks",
    "hasil",
    "poin",
    "nilai",
    "tahapan",
    "nama_tahapan",
    "status",
    "tanggal",
    "jumlah",
    "teks",
]


@dataclass(frozen=True)
class ScoreCard:
    """The full score card of one location: every requirement and penalty with the data behind it."""

    kode_lokasi: str
    nama_lokasi: str
    provinsi: str
    kabupaten_kota: str
    program: str
    skor: float
    skor_mentah: float  # before clamping to 0..skor_maks
    skor_maks: float
    memenuhi: bool
    syarat_gagal: list[str]
    rincian: pd.DataFrame  # one row per rule, columns RINCIAN_COLUMNS
    tahapan_dipercepat: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ISO dates, None for missing values."""
        rows = self.rincian.astype(object).where(self.rincian.notna(), None).to_dict("records")
        for row in rows:
            if isinstance(row["tanggal"], pd.Timestamp):
                row["tanggal"] = row["tanggal"].date().isoformat()
        return {
            "kode_lokasi": self.kode_lokasi,
            "nama_lokasi": self.nama_lokasi,
            "provinsi": self.provinsi,
            "kabupaten_kota": self.kabupaten_kota,
            "program": self.program,
            "skor": self.skor,
            "skor_mentah": self.skor_mentah,
            "skor_maks": self.skor_maks,
            "memenuhi": self.memenuhi,
            "syarat_gagal": self.syarat_gagal,
            "rincian": rows,
            "tahapan_dipercepat": self.tahapan_dipercepat,
        }


RINCIAN_COLUMNS = [c for c in _EVAL_COLUMNS if c not in ("kode_lokasi", "grup")]


# --- small helpers ----------------------------------------------------------------------------------------


def _as_timestamp(as_of: date | pd.Timestamp) -> pd.Timestamp:
    return pd.Timestamp(as_of).normalize()


def _date_texts(dates: pd.Series, lang: str) -> pd.Series:
    """Dates to words ("24 Mei 2022"); Babel runs once per distinct date, not per row."""
    distinct = dates.dropna().unique()
    return dates.map({d: fmt_date(d, lang) for d in distinct})


def _points(x: float, lang: str) -> str:
    """A weight or a deduction: "10", or "2,5" in Indonesian when it has a fraction."""
    return fmt_number(x, lang, 0 if float(x).is_integer() else 2)


def _in_sentence(name: str) -> str:
    """A stage name inside a sentence: "Survei Pendahuluan" -> "survei pendahuluan", acronyms kept ("BKM")."""
    return " ".join(w.lower() if w[:1].isupper() and w[1:].islower() else w for w in name.split(" "))


def _labels_for(values: pd.Series, prefix: str, lang: str) -> pd.Series:
    """Map each distinct value to its label `prefix.value` (the value itself when no label exists)."""
    distinct = values.dropna().unique()
    return values.map({v: label(f"{prefix}.{v}", lang) for v in distinct})


def _base(lokasi: pd.DataFrame) -> pd.DataFrame:
    """One row per location, in a stable order, with every column (requirements read their own)."""
    return lokasi.drop_duplicates("kode_lokasi").sort_values("kode_lokasi", kind="stable").reset_index(drop=True)


def _positions(keys: pd.Series, codes: pd.Series) -> np.ndarray:
    """Each code's position among the unique `keys` (-1 when absent): one hash lookup, then integer arrays.

    (Series.isin on the pyarrow string dtype converts every value to Python and is slow on 80,000 codes.)
    """
    return pd.Index(keys).get_indexer(codes)


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
    q["_kunci"] = q["kode_lokasi"].where(q["tingkat"] != "provinsi", q["kode_provinsi"])
    wanted = [t for t in pd.unique(q["tahapan"].dropna())]
    rows = status.loc[
        status["tahapan"].isin(wanted),
        ["kode_lokasi", "program", "tahapan", "nama_tahapan", "status", "tanggal_mulai", "tanggal_selesai"],
    ].drop_duplicates(["kode_lokasi", "program", "tahapan"])
    rows = rows.rename(columns={"kode_lokasi": "_kunci"}).astype({"tahapan": object})
    return q.merge(rows, on=["_kunci", "program", "tahapan"], how="left")


def _stage_date(rows: pd.DataFrame) -> pd.Series:
    """End date of a finished stage, else its start date (NaT when neither)."""
    return rows["tanggal_selesai"].where(rows["status"].isin(FINISHED), rows["tanggal_mulai"])


# --- requirements -----------------------------------------------------------------------------------------


def _outcome(known: pd.Series, met: pd.Series) -> np.ndarray:
    return np.select([~known.to_numpy(bool), met.to_numpy(bool)], [UNKNOWN, MET], FAILED)


def _column_requirement(base: pd.DataFrame, req: Requirement, lang: str) -> pd.DataFrame:
    column = req.kolom or ""
    kind = COLUMN_KINDS[column]
    values = base[column] if column in base.columns else pd.Series(pd.NA, index=base.index, dtype=object)
    known = values.notna()
    name = label(f"percepatan.kolom.{column}", lang)
    if kind == "bool":
        flags = values.astype("boolean")
        met = (flags == req.nilai).fillna(False).astype(bool)
        phrase: pd.Series = pd.Series(
            np.where(
                flags.fillna(False).to_numpy(bool),
                label(f"percepatan.kolom.{column}.ya", lang),
                label(f"percepatan.kolom.{column}.tidak", lang),
            ),
            index=base.index,
        )
    elif kind == "text":
        texts = values.astype("string")
        accepted = [v.casefold() for v in req.text_values]
        met = texts.str.casefold().isin(accepted).fillna(False).astype(bool) & known
        phrase = name + " " + _labels_for(texts, f"percepatan.kolom.{column}", lang).astype(str)
    else:
        numbers = pd.to_numeric(values, errors="coerce")
        met = known.copy()
        if req.minimal is not None:
            met &= (numbers >= req.minimal).fillna(False).astype(bool)
        if req.maksimal is not None:
            met &= (numbers <= req.maksimal).fillna(False).astype(bool)
        amounts = numbers.map({v: fmt_rupiah(v, lang) for v in numbers.dropna().unique()})
        phrase = name + " " + amounts.astype(str)
    return pd.DataFrame(
        {
            "kode_lokasi": base["kode_lokasi"],
            "grup": _GROUP_COLUMN,
            "hasil": _outcome(known, met),
            "nilai": values.astype(object),
            "tahapan": pd.NA,
            "nama_tahapan": pd.NA,
            "status": pd.NA,
            "tanggal": pd.NaT,
            "_frasa": phrase.where(known, f"{name}: {label('data_unavailable', lang)}"),
        }
    )


def _stage_requirement(
    base: pd.DataFrame, status: pd.DataFrame, schedule: Schedule, req: Requirement, lang: str
) -> pd.DataFrame:
    role = req.tahapan_kunci or ""
    codes = base["program"].map({p: schedule.key_stage(p, role) for p in base["program"].unique()})
    rows = _lookup_stage(status, _stage_levels(schedule), base, codes)
    known = rows["status"].notna()
    met = rows["status"].isin(req.met_statuses)
    when = _stage_date(rows)
    names = rows["nama_tahapan"].map({n: _in_sentence(n) for n in rows["nama_tahapan"].dropna().unique()})
    phrase = names.astype(str) + " " + _labels_for(rows["status"], "status", lang).astype(str)
    phrase = phrase.where(when.isna(), phrase + " " + _date_texts(when, lang).astype(str))
    unknown = f"{label(f'percepatan.peran.{role}', lang)}: {label('data_unavailable', lang)}"
    return pd.DataFrame(
        {
            "kode_lokasi": base["kode_lokasi"],
            "grup": _GROUP_STAGE,
            "hasil": _outcome(known, met),
            "nilai": pd.NA,
            "tahapan": rows["tahapan"].to_numpy(),
            "nama_tahapan": rows["nama_tahapan"].to_numpy(),
            "status": rows["status"].to_numpy(),
            "tanggal": when.to_numpy(),
            "_frasa": phrase.where(known, unknown).to_numpy(),
        }
    )


def _requirement_rows(
    base: pd.DataFrame, status: pd.DataFrame, schedule: Schedule, req: Requirement, lang: str
) -> pd.DataFrame:
    part = (
        _column_requirement(base, req, lang) if req.on_column else _stage_requirement(base, status, schedule, req, lang)
    )
    failed_wajib = req.wajib & (part["hasil"] == FAILED)
    part["teks"] = part["_frasa"].where(~failed_wajib, part["_frasa"] + f" ({label('percepatan.wajib_gagal', lang)})")
    return part.drop(columns="_frasa").assign(
        bagian="syarat",
        id=req.id,
        wajib=req.wajib,
        bobot=req.bobot,
        maks=np.nan,
        poin=np.where(part["hasil"] == MET, req.bobot, 0.0),
        jumlah=np.nan,
    )


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


def _penalty_rows(
    base: pd.DataFrame, rows: pd.DataFrame, pos: np.ndarray, pen: Penalty, lang: str, detail: bool
) -> pd.DataFrame:
    n = len(base)
    count = _penalty_counts(rows, pos, n, pen)
    # np.where rather than a bare negation: an unapplied penalty is 0, not -0.0 in JSON.
    points = np.where(count > 0, -np.minimum(pen.bobot * count, pen.maks), 0.0)
    template = label(f"percepatan.penalti.{pen.jenis}.{pen.per}", lang)
    # One phrase per distinct count ("2 tahapan terlambat (-10)"), then looked up for every location.
    phrases = {
        c: f"{template.replace('{n}', str(c))} (-{_points(min(pen.bobot * c, pen.maks), lang)})"
        for c in np.unique(count[count > 0]).tolist()
    }
    teks = pd.Series(count, index=base.index).map(phrases)
    part = pd.DataFrame(
        {
            "kode_lokasi": base["kode_lokasi"],
            "grup": _GROUP_PENALTY,
            "hasil": np.where(count > 0, APPLIED, NOT_APPLIED),
            "nilai": pd.NA,
            "tahapan": pd.NA,
            "nama_tahapan": pd.NA,
            "status": pd.NA,
            "tanggal": pd.NaT,
            "teks": teks,
            "bagian": "penalti",
            "id": pen.id,
            "wajib": False,
            "bobot": pen.bobot,
            "maks": pen.maks,
            "poin": points.astype(float),
            "jumlah": count,
        }
    )
    if pen.jenis in ("laporan_basi", "tanpa_laporan"):
        # The data behind a report penalty is the location's newest report date.
        newest = rows.groupby(pos)["tanggal_laporan"].max()
        part["tanggal"] = newest.reindex(range(n)).to_numpy()
    if detail:
        # The stages counted, for the score card (one location: a per-group join is cheap here).
        flags = _stage_flags(rows, pen)
        stages = rows.loc[flags, "tahapan"].groupby(pos[flags]).agg(", ".join)
        part["tahapan"] = stages.reindex(range(n)).to_numpy()
    return part


# --- the evaluation -----------------------------------------------------------------------------------------


def _evaluate(
    base: pd.DataFrame,
    status: pd.DataFrame,
    schedule: Schedule,
    rules: Rules,
    lang: str,
    detail: bool = False,
) -> list[pd.DataFrame]:
    """One frame per rule (requirements, then penalties), each aligned row for row with `base`."""
    parts = [_requirement_rows(base, status, schedule, req, lang) for req in rules.syarat]
    # Penalties read the location's own stages only: a late province-level stage is not the location's doing.
    own = status[(status["tingkat"] == "lokasi").to_numpy(bool)]
    pos = _positions(base["kode_lokasi"], own["kode_lokasi"])
    own, pos = own[pos >= 0], pos[pos >= 0]
    parts += [_penalty_rows(base, own, pos, pen, lang, detail) for pen in rules.penalti]
    return parts


def _long(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """The evaluation as one frame, one row per (location, rule), columns _EVAL_COLUMNS."""
    typed = [p[_EVAL_COLUMNS].astype({"nilai": object, "tahapan": object, "status": object}) for p in parts]
    return pd.concat(typed, ignore_index=True).astype({"jumlah": "Int64"})


def _scores(parts: list[pd.DataFrame], rules: Rules) -> pd.DataFrame:
    """Per location (base order): skor, skor_mentah, memenuhi, syarat_gagal."""
    raw = np.column_stack([p["poin"].to_numpy(float) for p in parts]).sum(axis=1).round(2)
    required = [(req.id, p) for req, p in zip(rules.syarat, parts, strict=False) if req.wajib]
    failed = np.zeros((len(raw), len(required)), dtype=bool)
    for j, (_, p) in enumerate(required):
        failed[:, j] = (p["hasil"] == FAILED).to_numpy(bool)
    ids = [rule_id for rule_id, _ in required]
    # Built from the few failures only; most locations fail nothing.
    failed_ids: dict[int, list[str]] = {}
    for i, j in zip(*np.nonzero(failed), strict=True):
        failed_ids.setdefault(int(i), []).append(ids[j])
    return pd.DataFrame(
        {
            "skor": np.clip(raw, 0, rules.skor_maks),
            "skor_mentah": raw,
            "memenuhi": ~failed.any(axis=1),
            "syarat_gagal": [failed_ids.get(i, []) for i in range(len(raw))],
        }
    )


def _join_texts(columns: list[np.ndarray], sep: str) -> np.ndarray:
    """Join the non-missing (None) texts of aligned object arrays, row by row, without a loop over rows."""
    acc = np.full(len(columns[0]), None, dtype=object)
    for col in columns:
        has = ~pd.isna(col)
        started = ~pd.isna(acc)
        both, first = has & started, has & ~started
        acc[both] = acc[both] + sep + col[both]
        acc[first] = col[first]
    return acc


def _reasons(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """alasan ([{kode, teks}] in rule order) and alasan_teks (the same as one sentence)."""
    ids = [str(p["id"].iloc[0]) if len(p) else "" for p in parts]
    texts = [p["teks"].astype(object).where(p["teks"].notna(), None).to_numpy(object) for p in parts]
    # The JSON-ready objects must be built one by one; everything else here works on whole columns.
    alasan = [
        [{"kode": k, "teks": t} for k, t in zip(ids, row, strict=True) if t is not None]
        for row in np.column_stack(texts).tolist()
    ]
    groups = [int(p["grup"].iloc[0]) if len(p) else 0 for p in parts]
    sentences = [
        _join_texts([t for t, g in zip(texts, groups, strict=True) if g == group], ", ")
        for group in sorted(set(groups))
    ]
    sentence = _join_texts(sentences, "; ")
    return pd.DataFrame({"alasan": alasan, "alasan_teks": np.where(pd.isna(sentence), "", sentence)})


# --- stages that can start now ----------------------------------------------------------------------------


def _open_stages(
    lokasi: pd.DataFrame, status: pd.DataFrame, schedule: Schedule
) -> tuple[pd.DataFrame, pd.Series, np.ndarray, np.ndarray]:
    """The `dapat_dipercepat` location stages of `lokasi` that have not started, with what holds them back.

    Returns (rows, pending, blocked, waiting): `rows` the STATUS rows with the schedule's `setelah` and
    `perlu_revisi_dipa`; `pending` the unfinished predecessors (a Series of stage codes indexed by row label,
    one entry per unfinished predecessor); `blocked` (a predecessor is unfinished) and `waiting` (waits on the
    DIPA revision) aligned with `rows`.
    """
    table = schedule.stage_table()
    levels = table[["program", "tahapan", "tingkat"]]
    offerable = table.loc[table["dapat_dipercepat"] & (table["tingkat"] == "lokasi"), "tahapan"].tolist()
    rows = status[status["tahapan"].isin(offerable) & status["status"].isin(_NOT_STARTED)]
    rows = rows[_positions(pd.Series(pd.unique(lokasi["kode_lokasi"])), rows["kode_lokasi"]) >= 0]
    rows = rows.merge(
        table[["program", "tahapan", "setelah", "perlu_revisi_dipa"]], on=["program", "tahapan"], how="inner"
    )

    deps = rows[["kode_lokasi", "kode_provinsi", "program", "setelah"]].explode("setelah")
    deps = deps[deps["setelah"].notna()]
    dep_rows = _lookup_stage(status, levels, deps, deps["setelah"])
    unfinished = ~dep_rows["status"].isin(FINISHED).to_numpy()
    pending = deps.loc[unfinished, "setelah"]
    blocked = pd.Series(True, index=pending.index).groupby(level=0).any()
    blocked_mask = blocked.reindex(rows.index, fill_value=False).to_numpy(bool)

    dipa_codes = rows["program"].map({p: schedule.key_stage(p, "revisi_dipa") for p in rows["program"].unique()})
    dipa_done = _lookup_stage(status, levels, rows, dipa_codes)["status"].isin(FINISHED).to_numpy(bool)
    waiting = rows["tertunda_dipa"].fillna(False).to_numpy(bool) | (
        rows["perlu_revisi_dipa"].to_numpy(bool) & ~dipa_done
    )
    return rows.assign(_dipa=dipa_codes), pending, blocked_mask, waiting


def acceleratable_stages(
    lokasi: pd.DataFrame, status: pd.DataFrame, schedule: Schedule, as_of: date | pd.Timestamp
) -> pd.DataFrame:
    """Location stages that can start now; one row per (location, stage), in schedule order.

    A stage qualifies when the schedule marks it `dapat_dipercepat`, it has not started and its window has not
    closed, every stage in its `setelah` is finished (a province-level one in the location's province and
    program), and it is not waiting on a DIPA revision: neither flagged `tertunda_dipa` by the status engine
    nor `perlu_revisi_dipa` while the province's `revisi_dipa` key stage is unfinished (or unknown: when the
    schedule names no revision stage, the stage is not offered unless the revision can be seen done).

    `hari`: the days it could gain, jadwal_mulai - as_of when positive, 0 when the window has already opened
    (starting now is then on time, not early, but it is still a stage the location can start now).
    Columns: kode_lokasi, program, urutan, tahapan, nama_tahapan, jadwal_mulai, hari.
    """
    day = _as_timestamp(as_of)
    rows, _, blocked, waiting = _open_stages(lokasi, status, schedule)
    ok = rows[~blocked & ~waiting]
    gain = (ok["jadwal_mulai"] - day).dt.days.clip(lower=0).astype(int)
    out = ok.assign(hari=gain)[["kode_lokasi", "program", "urutan", "tahapan", "nama_tahapan", "jadwal_mulai", "hari"]]
    return out.sort_values(["kode_lokasi", "urutan"], kind="stable").reset_index(drop=True)


def waiting_stages(lokasi: pd.DataFrame, status: pd.DataFrame, schedule: Schedule) -> pd.DataFrame:
    """The stages that could be done early but cannot start yet, and what each waits for.

    The complement of `acceleratable_stages`: `dapat_dipercepat` location stages, not started, window not
    closed, held back by an unfinished predecessor (`setelah`) or by the DIPA revision. `menunggu` lists the
    codes it waits for: the unfinished predecessors in the schedule's order, then the province's `revisi_dipa`
    key stage when the stage waits on the revision (the role name `revisi_dipa` when the schedule names no
    such stage). One row per (location, stage), in schedule order.
    Columns: kode_lokasi, kode_provinsi, program, urutan, tahapan, nama_tahapan, menunggu (list of codes).
    """
    rows, pending, blocked, waiting = _open_stages(lokasi, status, schedule)
    held = blocked | waiting
    # Only the held rows are visited one by one (a few per location at most): the lists are output objects.
    by_row = pending.groupby(level=0).agg(list)
    lists = []
    for label_, dipa, wait in zip(rows.index[held], rows["_dipa"].to_numpy()[held], waiting[held], strict=True):
        codes = list(by_row.get(label_, []))
        if wait:
            codes.append(dipa if isinstance(dipa, str) else "revisi_dipa")
        lists.append(codes)
    out = rows.loc[held, ["kode_lokasi", "kode_provinsi", "program", "urutan", "tahapan", "nama_tahapan"]]
    out = out.assign(menunggu=pd.Series(lists, index=out.index, dtype=object))
    return out.sort_values(["kode_lokasi", "urutan"], kind="stable").reset_index(drop=True)


def _stage_lists(base: pd.DataFrame, stages: pd.DataFrame) -> list[list[dict[str, Any]]]:
    """tahapan_dipercepat per location (base order): [{tahapan, nama_tahapan, hari}] in schedule order."""
    lists: dict[int, list[dict[str, Any]]] = {}
    pos = _positions(base["kode_lokasi"], stages["kode_lokasi"])
    # The JSON-ready objects are built one by one; which stages qualify was decided on whole columns.
    columns = (pos.tolist(), stages["tahapan"].tolist(), stages["nama_tahapan"].tolist(), stages["hari"].tolist())
    for i, t, name, h in zip(*columns, strict=True):
        lists.setdefault(int(i), []).append({"tahapan": t, "nama_tahapan": name, "hari": int(h)})
    return [lists.get(i, []) for i in range(len(base))]


# --- public -----------------------------------------------------------------------------------------------


def score_candidates(
    lokasi: pd.DataFrame,
    status: pd.DataFrame,
    schedule: Schedule,
    rules: Rules,
    as_of: date | pd.Timestamp,
    *,
    lang: str = "id",
) -> pd.DataFrame:
    """Every location scored against the rules, best first (skor desc, then kode_lokasi).

    Columns: kode_lokasi, nama_lokasi, kode_provinsi, provinsi, kode_kabupaten, kabupaten_kota, program,
    skor, skor_mentah, memenuhi, syarat_gagal (list of failed wajib ids), alasan ([{kode, teks}]),
    alasan_teks (one sentence), tahapan_dipercepat ([{tahapan, nama_tahapan, hari}]), then one
    `syarat.<id>` column per requirement (terpenuhi | gagal | tidak_diketahui) and one `penalti.<id>` column
    per penalty (the points it takes off, <= 0). `status` is the STATUS frame computed at `as_of`.
    """
    base = _base(lokasi)
    parts = _evaluate(base, status, schedule, rules, lang)
    ids = [c for c in _ID_COLUMNS if c in base.columns]
    out = pd.concat([base[[*ids, "program"]], _scores(parts, rules), _reasons(parts)], axis=1)
    stages = _stage_lists(base, acceleratable_stages(base, status, schedule, as_of))
    out["tahapan_dipercepat"] = pd.Series(stages, index=out.index, dtype=object)
    n_req = len(rules.syarat)
    for req, part in zip(rules.syarat, parts[:n_req], strict=True):
        out[f"syarat.{req.id}"] = part["hasil"].to_numpy()
    for pen, part in zip(rules.penalti, parts[n_req:], strict=True):
        out[f"penalti.{pen.id}"] = part["poin"].to_numpy()
    out = out.sort_values(["skor", "kode_lokasi"], ascending=[False, True], kind="stable")
    return out.reset_index(drop=True)


def explain(
    kode_lokasi: str,
    lokasi: pd.DataFrame,
    status: pd.DataFrame,
    schedule: Schedule,
    rules: Rules,
    as_of: date | pd.Timestamp,
    *,
    lang: str = "id",
) -> ScoreCard:
    """The score card of one location; an unknown code is a usage error (exit 2)."""
    base = _base(lokasi[lokasi["kode_lokasi"] == kode_lokasi])
    if base.empty:
        raise PkpError(Exit.USAGE, render("location-unknown", lang, code=kode_lokasi))
    me = base.iloc[0]
    mine = (status["kode_lokasi"] == kode_lokasi) | (
        (status["tingkat"] == "provinsi")
        & (status["kode_provinsi"] == me["kode_provinsi"])
        & (status["program"] == me["program"])
    )
    own_status = status[mine]
    parts = _evaluate(base, own_status, schedule, rules, lang, detail=True)
    score = _scores(parts, rules).iloc[0]
    stages = _stage_lists(base, acceleratable_stages(base, own_status, schedule, as_of))[0]

    def text(column: str) -> str:
        value = me.get(column)
        return "" if value is None or pd.isna(value) else str(value)

    return ScoreCard(
        kode_lokasi=kode_lokasi,
        nama_lokasi=text("nama_lokasi"),
        provinsi=text("provinsi"),
        kabupaten_kota=text("kabupaten_kota"),
        program=text("program"),
        skor=float(score["skor"]),
        skor_mentah=float(score["skor_mentah"]),
        skor_maks=float(rules.skor_maks),
        memenuhi=bool(score["memenuhi"]),
        syarat_gagal=list(score["syarat_gagal"]),
        rincian=_long(parts)[RINCIAN_COLUMNS],
        tahapan_dipercepat=stages,
    )
