"""The reports of `pkp candidates`: the locations that can be accelerated, and one location's score card.

The engine (engines/candidates.py) gives codes and data per rule; the reasons in words are composed here, in
the report's language, once per distinct value of each rule's data (a date, a status, a stage name), never
per location. Filters (--province, --program) set the scope the summary counts describe; --top, --min-score
and --all (without it, only the eligible) narrow the rows listed.

API (also what a meeting pack uses for one province):
- `CandidateInputs(lokasi, status, schedule, rules, facts)`: the inputs, scored once (`scored`).
- `build(inp, q=Query(), *, top=None, min_score=None, show_all=False) -> Report`: tables `kandidat` (main)
  and `menunggu`.
- `candidate_tables(inp, q, ...) -> list[Table]`: the same two tables, for a report of another command.
- `score_card(inp, code) -> Report`: `--explain`: tables `lokasi` (card), `kartu` (main), `menunggu`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from pkp_cli.engines import candidates as engine
from pkp_cli.engines.query import Query
from pkp_cli.model.rules import COLUMN_KINDS, Penalty, Requirement, Rules
from pkp_cli.model.schedule import Schedule
from pkp_cli.text.formats import fmt_date, fmt_number
from pkp_cli.text.labels import label
from pkp_cli.views.columns import COLUMNS, columns
from pkp_cli.views.facts import Facts
from pkp_cli.views.model import Column, Report, Table
from pkp_cli.views.specs import CANDIDATE_KEYS, CARD_KEYS, CARD_LOCATION_KEYS, WAITING_KEYS

SCREEN_LIMIT = 60

# Reason groups, joined with ", " inside a group and "; " between groups, as in "lokasi berulang, kinerja
# baik; survei pendahuluan selesai 24 Mei 2022".
_GROUP_COLUMN, _GROUP_STAGE, _GROUP_PENALTY = 0, 1, 2


@dataclass
class CandidateInputs:
    """What the candidates reports read; the scoring runs once, whatever is asked of it."""

    lokasi: pd.DataFrame
    status: pd.DataFrame  # engines.status.compute_status at facts.as_of
    schedule: Schedule
    rules: Rules
    facts: Facts
    _scored: pd.DataFrame | None = field(default=None, repr=False)
    _waiting_asked: int = field(default=0, repr=False)
    _waiting_all: pd.DataFrame | None = field(default=None, repr=False)

    @property
    def scored(self) -> pd.DataFrame:
        if self._scored is None:
            assert self.facts.as_of is not None
            self._scored = engine.score_candidates(
                self.lokasi, self.status, self.schedule, self.rules, self.facts.as_of
            )
        return self._scored

    @property
    def lang(self) -> str:
        return self.facts.lang

    def waiting(self, codes: Any) -> pd.DataFrame:
        """engine.waiting_stages for the locations `codes`. Asked a second time (a pack run asks once a province),
        it is computed for every location once and each set taken from that: a location's rows do not depend on
        the others asked with it, and each call costs about the same whatever it is given (on the national data
        0.2-0.4 s a province, 1.6 s for all 83,000 locations)."""
        if self._waiting_all is None:
            self._waiting_asked += 1
            if self._waiting_asked == 1:
                lok = self.lokasi[self.lokasi["kode_lokasi"].isin(list(codes))]
                return engine.waiting_stages(lok, self.status, self.schedule)
            self._waiting_all = engine.waiting_stages(self.lokasi, self.status, self.schedule)
        held = self._waiting_all
        return held[held["kode_lokasi"].isin(list(codes))].reset_index(drop=True)


# --- words, per distinct value ----------------------------------------------------------------------------


def _by_distinct(values: pd.Series, fn: Any) -> pd.Series:
    """fn(value) for every value, computed once per distinct value (missing values give None)."""
    distinct = pd.unique(values.dropna())
    return values.map({v: fn(v) for v in distinct}).astype(object).where(values.notna(), None)


def _points(x: float, lang: str) -> str:
    """A weight or a deduction: "10", or "2,5" in Indonesian when it has a fraction."""
    return fmt_number(x, lang, 0 if float(x).is_integer() else 2)


def _concat(*parts: Any) -> np.ndarray:
    """Element-wise string concatenation of aligned object arrays and plain strings (None where any is None)."""
    arrays = [np.asarray(p, dtype=object) if not isinstance(p, str) else p for p in parts]
    n = next(len(a) for a in arrays if not isinstance(a, str))
    out = np.full(n, "", dtype=object)
    missing = np.zeros(n, dtype=bool)
    for a in arrays:
        if isinstance(a, str):
            out = out + a
        else:
            missing |= pd.isna(a)
            out = out + np.where(pd.isna(a), "", a).astype(object)
    out[missing] = None
    return out


def _column_phrases(req: Requirement, hasil: pd.Series, nilai: pd.Series, lang: str) -> np.ndarray:
    """ "lokasi berulang", "kinerja baik", "nilai bantuan Rp 600.000.000"; unknown: "<name>: data tidak tersedia"."""
    column = req.kolom or ""
    name = label(f"percepatan.kolom.{column}", lang)
    kind = COLUMN_KINDS[column]
    if kind == "bool":
        words = {
            True: label(f"percepatan.kolom.{column}.ya", lang),
            False: label(f"percepatan.kolom.{column}.tidak", lang),
        }
        phrase = _by_distinct(nilai, lambda v: words[bool(v)])
    elif kind == "text":
        template = label("percepatan.frasa_teks", lang)  # "kinerja baik" / "good performance"
        phrase = _by_distinct(
            nilai, lambda v: template.format(name=name, value=label(f"percepatan.kolom.{column}.{v}", lang))
        )
    else:
        phrase = _by_distinct(nilai, lambda v: f"{name} Rp {fmt_number(v, lang, 0)}")
    unknown = f"{name}: {label('data_unavailable', lang)}"
    return np.where(hasil.to_numpy() == engine.UNKNOWN, unknown, phrase.to_numpy(dtype=object))


def _stage_phrases(req: Requirement, frame: pd.DataFrame, prefix: str, lang: str, detail: bool) -> np.ndarray:
    """ "survei pendahuluan selesai 24 Mei 2022": the key stage's role in the report's language (the stage's
    code and schedule name with `detail`, for the score card), its status and date; unknown: "<role>: data
    tidak tersedia"."""
    role = label(f"percepatan.peran.{req.tahapan_kunci}", lang)
    if detail:
        names = pd.Series(_concat(frame[f"{prefix}.tahapan"], " ", frame[f"{prefix}.nama_tahapan"]), dtype=object)
    else:
        names = pd.Series(np.full(len(frame), role, dtype=object)).where(
            frame[f"{prefix}.status"].notna().to_numpy(), None
        )
    states = _by_distinct(frame[f"{prefix}.status"], lambda s: label(f"status.{s}", lang))
    dates = _by_distinct(pd.Series(pd.to_datetime(frame[f"{prefix}.tanggal"]).to_numpy()), lambda d: fmt_date(d, lang))
    phrase = _concat(names, " ", states)
    dated = ~pd.isna(dates.to_numpy(dtype=object))
    phrase[dated] = _concat(phrase[dated], " ", dates.to_numpy(dtype=object)[dated])
    unknown = f"{role}: {label('data_unavailable', lang)}"
    return np.where(frame[prefix].to_numpy() == engine.UNKNOWN, unknown, phrase)


def _penalty_phrase(pen: Penalty, count: int, lang: str) -> str:
    """ "2 tahapan terlambat (-10)"; with count 0, the rule's words alone ("0 tahapan terlambat")."""
    template = label(f"percepatan.penalti.{pen.jenis}.{pen.per}", lang).replace("{n}", str(count))
    return f"{template} (-{_points(min(pen.bobot * count, pen.maks), lang)})" if count else template


def _wajib_suffix(req: Requirement, hasil: pd.Series, phrase: np.ndarray, lang: str) -> np.ndarray:
    failed = req.wajib & (hasil.to_numpy() == engine.FAILED)
    out = phrase.copy()
    out[failed] = _concat(phrase[failed], f" ({label('percepatan.wajib_gagal', lang)})")
    return out


def requirement_phrases(req: Requirement, frame: pd.DataFrame, lang: str, detail: bool = False) -> np.ndarray:
    """What one requirement found for each row of a frame with the engine's `syarat.<id>...` columns."""
    prefix = f"syarat.{req.id}"
    hasil = frame[prefix]
    if req.on_column:
        phrase = _column_phrases(req, hasil, frame[f"{prefix}.nilai"], lang)
    else:
        phrase = _stage_phrases(req, frame, prefix, lang, detail)
    return _wajib_suffix(req, hasil, phrase, lang)


def penalty_phrases(pen: Penalty, frame: pd.DataFrame, lang: str) -> np.ndarray:
    """The applied penalty in words for each row (None where it is not applied)."""
    counts = frame[f"penalti.{pen.id}.jumlah"].fillna(0).astype(int)
    phrase = _by_distinct(counts.where(counts > 0), lambda n: _penalty_phrase(pen, int(n), lang))
    return phrase.to_numpy(dtype=object)


def _join(columns: list[np.ndarray], sep: str, n: int) -> np.ndarray:
    """Join the non-missing texts of aligned object arrays, row by row, on whole columns."""
    acc = np.full(n, None, dtype=object)
    for col in columns:
        has = ~pd.isna(col)
        started = ~pd.isna(acc)
        both, first = has & started, has & ~started
        acc[both] = acc[both] + sep + col[both]
        acc[first] = col[first]
    return acc


def reasons(frame: pd.DataFrame, rules: Rules, lang: str) -> pd.Series:
    """The `alasan` of each row: the requirements (columns, then key stages) and the penalties applied."""
    n = len(frame)
    groups: dict[int, list[np.ndarray]] = {_GROUP_COLUMN: [], _GROUP_STAGE: [], _GROUP_PENALTY: []}
    for req in rules.syarat:
        groups[_GROUP_COLUMN if req.on_column else _GROUP_STAGE].append(requirement_phrases(req, frame, lang))
    for pen in rules.penalti:
        groups[_GROUP_PENALTY].append(penalty_phrases(pen, frame, lang))
    sentence = _join([_join(parts, ", ", n) for parts in groups.values() if parts], "; ", n)
    return pd.Series(np.where(pd.isna(sentence), "", sentence), index=frame.index, dtype=object)


# --- the ranked list ----------------------------------------------------------------------------------------


def _rule_columns(rules: Rules) -> list[Column]:
    """One file column per rule: its result code (requirements) or the points it takes off (penalties)."""
    req, pen = COLUMNS["syarat.<id>"], COLUMNS["penalti.<id>"]
    out = [req.but(key=f"syarat.{r.id}", label=(f"syarat {r.id}", f"requirement {r.id}")) for r in rules.syarat]
    out += [pen.but(key=f"penalti.{p.id}", label=(f"penalti {p.id}", f"penalty {p.id}")) for p in rules.penalti]
    return out


def _candidate_columns(rules: Rules, several_provinces: bool, show_all: bool) -> list[Column]:
    # Every listed location is eligible unless --all; with it the failed requirements say who is not.
    off = {"memenuhi"} | ({"syarat_gagal"} if not show_all else set())
    if not several_provinces:
        off.add("provinsi")  # the title names the province
    cols = [c.but(screen=False) if c.key in off else c for c in columns(*CANDIDATE_KEYS[:-2])]
    # On a narrow terminal the names give way before the score, the reasons and the stages to start early.
    cols = [c.but(priority=2) if c.key in ("kabupaten_kota", "program") else c for c in cols]
    cols = [c.but(priority=0) if c.key in ("kode_lokasi", "skor") else c for c in cols]
    return cols + _rule_columns(rules)


def _scope(inp: CandidateInputs, q: Query) -> pd.DataFrame:
    scored = inp.scored
    keep = np.ones(len(scored), dtype=bool)
    if q.provinces:
        keep &= scored["kode_provinsi"].isin(list(q.provinces)).to_numpy(bool)
    if q.program:
        keep &= (scored["program"] == q.program).to_numpy(bool)
    return scored[keep]


def waiting_table(inp: CandidateInputs, codes: pd.Series, title: str) -> Table:
    """The stages the locations `codes` could start but cannot yet, with what they wait for, counted."""
    lang = inp.lang
    held = inp.waiting(codes)
    keys = ["urutan", "program", "tahapan", "nama_tahapan", "menunggu", "menunggu_dipa"]
    counted = held.groupby(keys, sort=True, dropna=False)["kode_lokasi"].nunique().rename("jumlah_lokasi")
    rows = counted.reset_index()
    names = {st.kode: st.nama for _, st in inp.schedule.stages()}
    words = [
        _waits_text(tuple(w), tuple(g), program, names, inp.schedule, lang)
        for w, g, program in zip(rows["menunggu"], rows["menunggu_dipa"], rows["program"], strict=True)
    ]  # one per distinct combination
    waited: list[Any] = [list(w) for w in counted.index.get_level_values("menunggu")]
    rows = rows.assign(menunggu=words, menunggu_kode=pd.Series(waited, index=rows.index, dtype=object))
    return Table(
        "menunggu",
        title,
        columns(*WAITING_KEYS),
        rows.reindex(columns=WAITING_KEYS),
        empty=label("none", lang),
    )


def _waits_text(waits: tuple[str, ...], through: tuple[str, ...], program: str, names: dict[str, str],
                schedule: Schedule, lang: str) -> str:  # fmt: skip
    """ "PSW-08 Mobilisasi tenaga pendamping (menunggu PSW-06 Revisi DIPA)": each stage waited for, and the
    DIPA revision behind a stage that itself waits for it."""
    dipa = schedule.key_stage(program, "revisi_dipa")
    parts = []
    for code in waits:
        text = f"{code} {names[code]}" if code in names else label(f"percepatan.peran.{code}", lang)
        if code in through and dipa and dipa != code:
            text += f" ({label('percepatan.menunggu', lang)} {dipa} {names.get(dipa, dipa)})"
        parts.append(text)
    return ", ".join(parts)


def candidate_tables(inp: CandidateInputs, q: Query = Query(), *, top: int | None = None,
                     min_score: float | None = None, show_all: bool = False) -> list[Table]:  # fmt: skip
    """The ranked locations (`kandidat`) and what their stages wait for (`menunggu`)."""
    lang = inp.lang
    scope = _scope(inp, q)
    eligible = scope[scope["memenuhi"].to_numpy(bool)]
    shown = scope if show_all else eligible
    if min_score is not None:
        shown = shown[shown["skor"] >= min_score]
    if top:
        shown = shown.head(top)
    shown = shown.assign(alasan=reasons(shown, inp.rules, lang))
    # The filters in the title: "Lokasi yang dapat dipercepat — Bali, PISEW (6)".
    where = [str(n) for n in pd.unique(scope["provinsi"].dropna())] if q.provinces else []
    where += [q.program] if q.program else []
    title = f"{label('t.candidates', lang)}{' — ' + ', '.join(where) if where else ''} ({len(shown)})"
    notes = [
        label("percepatan.ringkasan", lang).format(
            ok=len(eligible),
            total=len(scope),
            early=int((eligible["jumlah_lebih_awal"] > 0).sum()),
            open=int((eligible["jumlah_jendela_terbuka"] > 0).sum()),
        )
    ]
    if not show_all and len(eligible) < len(scope):
        notes.append(label("percepatan.dikecualikan", lang).format(n=len(scope) - len(eligible)))
    several = scope["kode_provinsi"].nunique() > 1
    table = Table(
        "kandidat",
        title,
        _candidate_columns(inp.rules, several, show_all),
        shown,
        empty=label("percepatan.tidak_ada", lang),
        notes=notes,
        limit=SCREEN_LIMIT,
    )
    return [table, waiting_table(inp, eligible["kode_lokasi"], label("percepatan.tertahan", lang))]


def _base(facts: Facts, rules: Rules, q: Query) -> Report:
    extra: dict[str, Any] = {"rules": str(rules.path), "rules_sha256": rules.sha256}
    if q.program:
        extra["program"] = q.program
    return Report("candidates", facts.lang, header=facts.header(), meta=facts.meta(**extra), warnings=facts.warnings())


def build(inp: CandidateInputs, q: Query = Query(), *, top: int | None = None, min_score: float | None = None,
          show_all: bool = False) -> Report:  # fmt: skip
    """The candidates report: the ranked locations in scope and what their stages wait for."""
    report = _base(inp.facts, inp.rules, q)
    report.main = "kandidat"
    report.tables += candidate_tables(inp, q, top=top, min_score=min_score, show_all=show_all)
    return report


# --- one location's score card ------------------------------------------------------------------------------


def _card_rows(card: engine.ScoreCard, rules: Rules, lang: str) -> pd.DataFrame:
    """One row per rule: kind, id, required, weight in words, result, points, the data behind it in words."""
    recs: list[dict[Any, Any]] = card.rincian.to_dict("records")  # one per rule
    # The requirements in the ranked list's wide form, so the reasons and the card share their phrases.
    wide = pd.DataFrame(index=[0])
    for req, rec in zip(rules.syarat, recs, strict=False):
        wide[f"syarat.{req.id}"] = rec["hasil"]
        for f in ("nilai", "tahapan", "nama_tahapan", "status"):
            wide[f"syarat.{req.id}.{f}"] = pd.Series([rec[f]], dtype=object)
        wide[f"syarat.{req.id}.tanggal"] = pd.Series([rec["tanggal"]], dtype="datetime64[ns]")
    data = [str(requirement_phrases(req, wide, lang, detail=True)[0]) for req in rules.syarat]
    weight = [_points(rec["bobot"], lang) for rec in recs[: len(rules.syarat)]]
    for pen, rec in zip(rules.penalti, recs[len(rules.syarat) :], strict=True):
        count = int(rec["jumlah"])
        parts = [_penalty_phrase(pen, count, lang)] if pen.per == "tahapan" or count else []
        if isinstance(rec["tahapan_dihitung"], str) and rec["tahapan_dihitung"]:
            parts.append(rec["tahapan_dihitung"])  # the stages counted
        if pd.notna(rec["tanggal"]):
            parts.append(label("percepatan.laporan_terakhir", lang).format(d=fmt_date(rec["tanggal"], lang)))
        data.append("; ".join(parts) or label("percepatan.tidak_ada", lang))
        per = label(f"percepatan.per.{pen.per}", lang)
        weight.append(per.format(bobot=_points(pen.bobot, lang), maks=_points(pen.maks, lang)))
    r = card.rincian
    return pd.DataFrame(
        {
            "bagian": r["bagian"],
            "aturan": r["id"],
            "wajib": r["wajib"],
            "bobot_aturan": weight,
            "hasil": r["hasil"],
            "poin": r["poin"],
            "data": data,
        }
    )


def score_card(inp: CandidateInputs, code: str) -> Report:
    """`--explain KODE`: the location with its score, every rule with the data behind it, what it waits for.
    An unknown code raises errors.UnknownValue (nearby codes suggested)."""
    lang = inp.lang
    assert inp.facts.as_of is not None
    card = engine.explain(code, inp.lokasi, inp.status, inp.schedule, inp.rules, inp.facts.as_of)
    where = ", ".join(x for x in (card.kabupaten_kota, card.provinsi) if x)
    title = f"{label('percepatan.kartu', lang)}: {card.kode_lokasi} {card.nama_lokasi} — {where} ({card.program})"
    notes = []
    if card.skor_mentah != card.skor:  # "before clamping to 0..100: -15"
        notes.append(
            label("percepatan.kartu.mentah", lang).format(
                maks=_points(card.skor_maks, lang), n=_points(card.skor_mentah, lang)
            )
        )
    me = pd.DataFrame(
        [
            {
                "kode_lokasi": card.kode_lokasi,
                "nama_lokasi": card.nama_lokasi,
                "kode_provinsi": card.kode_provinsi,
                "provinsi": card.provinsi,
                "kabupaten_kota": card.kabupaten_kota,
                "program": card.program,
                "skor": card.skor,
                "skor_mentah": card.skor_mentah,
                "skor_maks": card.skor_maks,
                "memenuhi": card.memenuhi,
                "syarat_gagal": card.syarat_gagal,
                "tahapan_lebih_awal": card.tahapan_lebih_awal,
                "tahapan_jendela_terbuka": card.tahapan_jendela_terbuka,
            }
        ]
    )
    # The title says where the location is; the card says how it scores and what it can start.
    shown = {"skor", "skor_maks", "memenuhi", "syarat_gagal", "tahapan_lebih_awal", "tahapan_jendela_terbuka"}
    card_cols = [c if c.key in shown else c.but(screen=False) for c in columns(*CARD_LOCATION_KEYS)]
    report = _base(inp.facts, inp.rules, Query())
    report.main = "kartu"
    report.tables += [
        Table("lokasi", title, card_cols, me, layout="card", notes=notes),
        Table(
            "kartu",
            label("t.card_rules", lang),
            columns(*CARD_KEYS),
            _card_rows(card, inp.rules, lang),
        ),
        waiting_table(inp, pd.Series([card.kode_lokasi]), label("percepatan.kartu.tertahan", lang)),
    ]
    return report
