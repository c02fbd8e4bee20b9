"""Which locations can be accelerated (percepatan), why, and which stages each can start now.

Everything is computed over all locations at once: a loop runs over the handful of rules, never over
locations. The work is done on a long "evaluation" frame, one row per (location, rule), which both the ranked
list (`score_candidates`) and the score card of one location (`explain`) are read from, so the two can never
disagree.

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

from pkp_cli.exitcodes import Exit, PkpError
from pkp_cli.frames import FINISHED
from pkp_cli.labels import label
from pkp_cli.messages import render
from pkp_cli.rules import COLUMN_KINDS, Penalty, Requirement, Rules
from pkp_cli.schedule import Schedule

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


def format_date(value: Any, lang: str = "id") -> str:
    """A date as people write it: "24 Mei 2022" (Babel month names), "24 May 2022" in English."""
    from babel.dates import format_date as babel_format_date

    return babel_format_date(pd.Timestamp(value).date(), "d MMMM y", locale="id" if lang == "id" else "en")


def _date_texts(dates: pd.Series, lang: str) -> pd.Series:
    """Dates to words; Babel runs once per distinct date, not per row."""
    distinct = dates.dropna().unique()
    words = {d: format_date(d, lang) for d in distinct}
    return dates.map(words)


def _number(x: float, lang: str) -> str:
    text = f"{x:,.0f}" if float(x).is_integer() else f"{x:,.2f}"
    # Indonesian separators: dot for thousands, comma for decimals.
    return text.replace(",", "_").replace(".", ",").replace("_", ".") if lang == "id" else text


def _lower_first(name: str) -> str:
    """ "Survei pendahuluan" -> "survei pendahuluan" inside a sentence; acronyms ("BKM ...") stay."""
    if len(name) > 1 and name[1].isupper():
        return name
    return name[:1].lower() + name[1:]


def _labels_for(values: pd.Series, prefix: str, lang: str) -> pd.Series:
    """Map each distinct value to its label `prefix.value` (the value itself when no label exists)."""
    distinct = values.dropna().unique()
    return values.map({v: label(f"{prefix}.{v}", lang) for v in distinct})


def _base(lokasi: pd.DataFrame) -> pd.DataFrame:
    """One row per location, in a stable order, with every column (requirements read their own)."""
    return (
        lokasi.drop_duplicates("kode_lokasi").sort_values("kode_lokasi", kind="stable").reset_index(drop=True)
    )


def _stage_levels(schedule: Schedule) -> pd.DataFrame:
    return schedule.stage_table()[["program", "tahapan", "tingkat"]]


def _lookup_stage(
    status: pd.DataFrame, levels: pd.DataFrame, who: pd.DataFrame, tahapan: pd.Series
) -> pd.DataFrame:
    """The status row of stage `tahapan[i]` for location `who[i]`, in `who`'s order.

    A province-level stage is resolved in the location's province and program (its row carries the province
    code in kode_lokasi). A stage with no row gives <NA> status.
    """
    q = who[["kode_lokasi", "kode_provinsi", "program"]].reset_index(drop=True)
    q = q.assign(tahapan=pd.Series(tahapan.to_numpy(), dtype=object))
    q = q.merge(levels, on=["program", "tahapan"], how="left")
    q["_kunci"] = q["kode_lokasi"].where(q["tingkat"] != "provinsi", q["kode_provinsi"])
    rows = status[
        ["kode_lokasi", "program", "tahapan", "nama_tahapan", "status", "tanggal_mulai", "tanggal_selesai"]
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
        amounts = numbers.map({v: _number(v, lang) for v in numbers.dropna().unique()})
        phrase = name + " Rp " + amounts.astype(str)
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
    names = rows["nama_tahapan"].map({n: _lower_first(n) for n in rows["nama_tahapan"].dropna().unique()})
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
        _column_requirement(base, req, lang)
        if req.on_column
        else _stage_requirement(base, status, schedule, req, lang)
    )
    failed_wajib = req.wajib & (part["hasil"] == FAILED)
    part["teks"] = part["_frasa"].where(
        ~failed_wajib, part["_frasa"] + f" ({label('percepatan.wajib_gagal', lang)})"
    )
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


def _stage_flags(rows: pd.DataFrame, pen: Penalty) -> pd.Series:
    """Which of a location's stage rows count for this penalty."""
    if pen.jenis == "terlambat":
        # Open past its window or finished after it: both are days late (hari_terlambat > 0).
        return rows["hari_terlambat"].fillna(0) > 0
    if pen.jenis == "tanpa_laporan":
        # A stage not yet due has no report by nature; only a stage whose window has opened is missing one.
        return rows["tanpa_laporan"].fillna(False).astype(bool) & (rows["status"] != "belum_jadwal")
    return rows[pen.jenis].fillna(False).astype(bool)


def _penalty_counts(rows: pd.DataFrame, pen: Penalty) -> pd.Series:
    """The count that multiplies the penalty's weight, per kode_lokasi."""
    flags = _stage_flags(rows, pen)
    by_location = flags.groupby(rows["kode_lokasi"], sort=False)
    if pen.per == "tahapan":
        return by_location.sum()
    if pen.jenis == "laporan_basi":
        # Once per location when its newest report is stale: it reported, and no reported stage is fresh.
        reported = rows["tanggal_laporan"].notna()
        fresh = (
            (reported & ~rows["laporan_basi"].fillna(False).astype(bool)).groupby(rows["kode_lokasi"]).any()
        )
        return (reported.groupby(rows["kode_lokasi"]).any() & ~fresh).astype(int)
    if pen.jenis == "tanpa_laporan":
        # Once per location that never reported any stage.
        silent = rows["tanpa_laporan"].fillna(False).astype(bool)
        return silent.groupby(rows["kode_lokasi"]).all().astype(int)
    return by_location.any().astype(int)


def _penalty_rows(
    base: pd.DataFrame, rows: pd.DataFrame, pen: Penalty, lang: str, detail: bool
) -> pd.DataFrame:
    keys = base["kode_lokasi"]
    count = _penalty_counts(rows, pen).reindex(keys, fill_value=0).to_numpy(int)
    # np.where rather than a bare negation: an unapplied penalty is 0, not -0.0 in JSON.
    points = np.where(count > 0, -np.minimum(pen.bobot * count, pen.maks), 0.0)
    template = label(f"percepatan.penalti.{pen.jenis}.{pen.per}", lang)
    head, _, tail = template.partition("{n}")
    counted = pd.Series(count, index=base.index)
    words = head + counted.astype(str) + tail if "{n}" in template else pd.Series(template, index=base.index)
    deduction = pd.Series(-points, index=base.index).map({v: _number(v, lang) for v in set(-points)})
    teks = (words + " (-" + deduction + ")").where(counted > 0)
    part = pd.DataFrame(
        {
            "kode_lokasi": keys,
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
        newest = rows.groupby("kode_lokasi")["tanggal_laporan"].max()
        part["tanggal"] = keys.map(newest).to_numpy()
    if detail:
        flagged = rows[_stage_flags(rows, pen).to_numpy(bool)]
        stages = flagged.groupby("kode_lokasi")["tahapan"].agg(", ".join)
        part["tahapan"] = keys.map(stages).to_numpy()
    return part


# --- the evaluation frame ---------------------------------------------------------------------------------


def _evaluate(
    base: pd.DataFrame,
    status: pd.DataFrame,
    schedule: Schedule,
    rules: Rules,
    lang: str,
    detail: bool = False,
) -> pd.DataFrame:
    """One row per (location, rule), in rule order, columns _EVAL_COLUMNS."""
    parts = [_requirement_rows(base, status, schedule, req, lang) for req in rules.syarat]
    # Penalties read the location's own stages only: a late province-level stage is not the location's doing.
    own = status[(status["tingkat"] == "lokasi") & status["kode_lokasi"].isin(base["kode_lokasi"])]
    parts += [_penalty_rows(base, own, pen, lang, detail) for pen in rules.penalti]
    typed = [p[_EVAL_COLUMNS].astype({"nilai": object, "tahapan": object, "status": object}) for p in parts]
    return pd.concat(typed, ignore_index=True).astype({"jumlah": "Int64"})


def _scores(base: pd.DataFrame, ev: pd.DataFrame, rules: Rules) -> pd.DataFrame:
    """Per location: skor_mentah, skor, memenuhi, syarat_gagal; indexed by kode_lokasi in base order."""
    keys = base["kode_lokasi"]
    raw = ev.groupby("kode_lokasi", sort=False)["poin"].sum().reindex(keys, fill_value=0.0)
    failed = ev[(ev["bagian"] == "syarat") & ev["wajib"].astype(bool) & (ev["hasil"] == FAILED)]
    failed_ids = failed.groupby("kode_lokasi", sort=False)["id"].agg(list).reindex(keys)
    return pd.DataFrame(
        {
            "skor": raw.clip(0, rules.skor_maks).round(2),
            "skor_mentah": raw.round(2),
            "memenuhi": ~keys.isin(failed["kode_lokasi"]).to_numpy(),
            "syarat_gagal": [ids if isinstance(ids, list) else [] for ids in failed_ids],
        },
        index=keys,
    )


def _reasons(base: pd.DataFrame, ev: pd.DataFrame) -> pd.DataFrame:
    """alasan ([{kode, teks}] in rule order) and alasan_teks (the same joined into one sentence)."""
    said = ev[ev["teks"].notna()]
    items = pd.Series(
        [{"kode": k, "teks": t} for k, t in zip(said["id"], said["teks"], strict=True)],
        index=said.index,
        dtype=object,
    )
    keys = base["kode_lokasi"]
    alasan = items.groupby(said["kode_lokasi"], sort=False).agg(list).reindex(keys)
    per_group = said.groupby(["kode_lokasi", "grup"], sort=True)["teks"].agg(", ".join)
    sentence = per_group.groupby(level="kode_lokasi").agg("; ".join).reindex(keys)
    return pd.DataFrame(
        {
            "alasan": [a if isinstance(a, list) else [] for a in alasan],
            "alasan_teks": sentence.fillna("").to_numpy(),
        },
        index=keys,
    )


# --- stages that can start now ----------------------------------------------------------------------------


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
    table = schedule.stage_table()
    levels = table[["program", "tahapan", "tingkat"]]
    keys = lokasi["kode_lokasi"].unique()
    rows = status[
        (status["tingkat"] == "lokasi")
        & status["kode_lokasi"].isin(keys)
        & status["status"].isin(_NOT_STARTED)
    ]
    rows = rows.merge(
        table[["program", "tahapan", "setelah", "perlu_revisi_dipa", "dapat_dipercepat"]],
        on=["program", "tahapan"],
        how="inner",
    )
    rows = rows[rows["dapat_dipercepat"].astype(bool)].reset_index(drop=True)

    deps = rows[["kode_lokasi", "kode_provinsi", "program", "setelah"]].explode("setelah")
    deps = deps[deps["setelah"].notna()]
    dep_rows = _lookup_stage(status, levels, deps, deps["setelah"])
    unfinished = pd.Series(~dep_rows["status"].isin(FINISHED).to_numpy(), index=deps.index)
    blocked = unfinished.groupby(level=0).any().reindex(rows.index, fill_value=False).to_numpy(bool)

    dipa_codes = rows["program"].map(
        {p: schedule.key_stage(p, "revisi_dipa") for p in rows["program"].unique()}
    )
    dipa_done = _lookup_stage(status, levels, rows, dipa_codes)["status"].isin(FINISHED).to_numpy(bool)
    waiting = rows["tertunda_dipa"].fillna(False).to_numpy(bool) | (
        rows["perlu_revisi_dipa"].to_numpy(bool) & ~dipa_done
    )

    ok = rows[~blocked & ~waiting]
    gain = (ok["jadwal_mulai"] - day).dt.days.clip(lower=0).astype(int)
    out = ok.assign(hari=gain)[
        ["kode_lokasi", "program", "urutan", "tahapan", "nama_tahapan", "jadwal_mulai", "hari"]
    ]
    return out.sort_values(["kode_lokasi", "urutan"], kind="stable").reset_index(drop=True)


def _stage_lists(base: pd.DataFrame, stages: pd.DataFrame) -> pd.Series:
    """tahapan_dipercepat per location: [{tahapan, nama_tahapan, hari}] in schedule order."""
    items = pd.Series(
        [
            {"tahapan": t, "nama_tahapan": n, "hari": int(h)}
            for t, n, h in zip(stages["tahapan"], stages["nama_tahapan"], stages["hari"], strict=True)
        ],
        index=stages.index,
        dtype=object,
    )
    lists = items.groupby(stages["kode_lokasi"], sort=False).agg(list).reindex(base["kode_lokasi"])
    return pd.Series(
        [v if isinstance(v, list) else [] for v in lists], index=base["kode_lokasi"], dtype=object
    )


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
    ev = _evaluate(base, status, schedule, rules, lang)
    keys = base["kode_lokasi"]
    ids = [c for c in _ID_COLUMNS if c in base.columns]
    out = base[[*ids, "program"]].set_index("kode_lokasi", drop=False)
    out = out.join(_scores(base, ev, rules)).join(_reasons(base, ev))
    out["tahapan_dipercepat"] = _stage_lists(base, acceleratable_stages(base, status, schedule, as_of))
    syarat = ev[ev["bagian"] == "syarat"].pivot(index="kode_lokasi", columns="id", values="hasil")
    for req in rules.syarat:
        out[f"syarat.{req.id}"] = syarat[req.id].reindex(keys).to_numpy()
    penalti = ev[ev["bagian"] == "penalti"].pivot(index="kode_lokasi", columns="id", values="poin")
    for pen in rules.penalti:
        out[f"penalti.{pen.id}"] = penalti[pen.id].reindex(keys).to_numpy()
    out = out.reset_index(drop=True).sort_values(
        ["skor", "kode_lokasi"], ascending=[False, True], kind="stable"
    )
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
    ev = _evaluate(base, own_status, schedule, rules, lang, detail=True)
    score = _scores(base, ev, rules).iloc[0]
    stages = _stage_lists(base, acceleratable_stages(base, own_status, schedule, as_of)).iloc[0]

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
        rincian=ev[RINCIAN_COLUMNS].reset_index(drop=True),
        tahapan_dipercepat=list(stages),
    )
