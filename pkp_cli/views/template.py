"""The progress workbook a BPPW fills (`pkp template`): a row per stage of the province (province-level stages
once per program, then each location's stages), pre-filled with the codes, names and the schedule's window.

The headers are the workbook contract's own (ingest/contract.py), so a filled template loads as it is; the
kabupaten/kota is the reference name the loader checks it against; the other information columns carry
headers no contract column claims exactly (they are read as nothing), and the schedule's dates sit under
"Jadwal ..." headers, which the contract never takes for actual dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pandas as pd

from pkp_cli.model.schedule import Schedule


@dataclass(frozen=True)
class TemplateColumn:
    key: str
    header: str
    kind: Literal["code", "text", "date", "percent"]
    fill: bool  # the BPPW fills it (the others are pre-filled information)
    width: int


COLUMNS = [
    TemplateColumn("kode_lokasi", "Kode Lokasi", "code", False, 15),
    TemplateColumn("program", "Program", "code", False, 10),
    TemplateColumn("kabupaten_kota", "Kabupaten/Kota", "text", False, 24),
    TemplateColumn("nama_lokasi", "Nama Lokasi", "text", False, 24),
    TemplateColumn("tahapan", "Tahapan", "code", False, 10),
    TemplateColumn("nama_tahapan", "Uraian Tahapan", "text", False, 44),
    TemplateColumn("jadwal_mulai", "Jadwal Mulai", "date", False, 13),
    TemplateColumn("jadwal_selesai", "Jadwal Selesai", "date", False, 13),
    TemplateColumn("tanggal_mulai", "Tanggal Mulai", "date", True, 14),
    TemplateColumn("tanggal_selesai", "Tanggal Selesai", "date", True, 14),
    TemplateColumn("progres_persen", "Progres (%)", "percent", True, 11),
    TemplateColumn("keterangan", "Keterangan", "text", True, 40),
]
# The contract column each header must map to (None: an information column the loader does not read).
READS_AS = {
    "kode_lokasi": "kode_lokasi",
    "program": "program",
    "kabupaten_kota": "kabupaten_kota",  # checked against the location's reference name: we write that name
    "tahapan": "tahapan",
    "tanggal_mulai": "tanggal_mulai",
    "tanggal_selesai": "tanggal_selesai",
    "progres_persen": "progres_persen",
    "keterangan": "keterangan",
}


@dataclass(frozen=True)
class Stage:
    program: str
    code: str
    name: str
    level: str
    start: object
    end: object


@dataclass
class Template:
    code: str  # province code
    name: str  # province name
    year: int  # fiscal year
    programs: list[str]
    rows: pd.DataFrame  # one column per TemplateColumn.key
    stages: list[Stage]  # every stage of the schedule, for the dropdown list


def build(lokasi: pd.DataFrame, schedule: Schedule, code: str) -> Template:
    """The template of one province from the location data and the schedule."""
    mine = lokasi[lokasi["kode_provinsi"] == code].sort_values(["program", "kode_lokasi"], kind="stable")
    name = str(mine["provinsi"].dropna().iloc[0]) if mine["provinsi"].notna().any() else code
    stages = [Stage(p, s.kode, s.nama, s.tingkat, s.mulai, s.selesai) for p in schedule.programs
              for _, s in schedule.stages(p)]  # fmt: skip
    programs = [p for p in schedule.programs if (mine["program"] == p).any()]
    records: list[dict[str, object]] = []
    for program in programs:
        own = [s for s in stages if s.program == program]
        for s in own:
            if s.level == "provinsi":
                records.append(_row(code, program, None, name, s))
        for loc in mine[mine["program"] == program].itertuples(index=False):
            for s in own:
                if s.level == "lokasi":
                    records.append(_row(str(loc.kode_lokasi), program, loc.kabupaten_kota, loc.nama_lokasi, s))
    rows = pd.DataFrame.from_records(records, columns=[c.key for c in COLUMNS])
    return Template(code, name, schedule.year, programs, rows, stages)


def _row(kode: str, program: str, kabupaten: object, lokasi: object, s: Stage) -> dict[str, object]:
    return {
        "kode_lokasi": kode,
        "program": program,
        "kabupaten_kota": None if pd.isna(kabupaten) else kabupaten,  # type: ignore[call-overload]
        "nama_lokasi": None if pd.isna(lokasi) else lokasi,  # type: ignore[call-overload]
        "tahapan": s.code,
        "nama_tahapan": s.name,
        "jadwal_mulai": s.start,
        "jadwal_selesai": s.end,
        "tanggal_mulai": None,
        "tanggal_selesai": None,
        "progres_persen": None,
        "keterangan": None,
    }
