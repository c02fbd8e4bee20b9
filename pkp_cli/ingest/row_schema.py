"""The schema of one row of each kind, as pydantic models (used for single rows, docs and the agreement test).

Bulk loading runs the vectorised parsers in pkp_cli.ingest.parse over whole columns (pydantic row by row is about 80
times slower). Both report by the same catalogue codes: each field validator here calls the same parser on a
one-cell column, so a row is accepted or rejected for the same reason either way.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
from pydantic import BaseModel, ConfigDict, field_validator
from pydantic_core import PydanticCustomError

from pkp_cli.ingest import parse
from pkp_cli.ingest.contract import KIND_LOKASI, KIND_PROGRES, KIND_TEMUAN, columns_of

PARSERS = parse.PARSERS


def parse_cell(kind: str, column: str, text: str | None) -> Any:
    """One cell through the bulk parser; raises PydanticCustomError with the catalogue code when bad."""
    col = columns_of(kind)[column]
    if text is None or str(text).strip() == "":
        if col.required:
            raise PydanticCustomError("required-missing", "required-missing")
        return None
    vals, errs = PARSERS[col.type](pd.Series([text], dtype=object))
    if errs.iloc[0] is not None:
        raise PydanticCustomError(str(errs.iloc[0]), str(errs.iloc[0]))
    v = vals.iloc[0]
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        # A placeholder the parser reads as empty ("-") is an empty cell, required or not.
        if col.required:
            raise PydanticCustomError("required-missing", "required-missing")
        return None
    if isinstance(v, pd.Timestamp):
        return v.date()
    return v.item() if hasattr(v, "item") else v


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid")
    _kind = ""

    @field_validator("*", mode="before")
    @classmethod
    def _cell(cls, v: Any, info: Any) -> Any:
        return parse_cell(cls._kind.get_default(), info.field_name, v)  # type: ignore[attr-defined]


class LokasiRow(_Row):
    _kind = KIND_LOKASI
    kode_lokasi: str
    program: str
    provinsi: str | None = None
    kabupaten_kota: str | None = None
    kecamatan: str | None = None
    kelurahan_desa: str | None = None
    balai: str | None = None
    lokasi_berulang: bool | None = None
    kinerja: str | None = None
    dokumen_perencanaan: bool | None = None
    nilai_bantuan: float | None = None


class ProgresRow(_Row):
    _kind = KIND_PROGRES
    kode_lokasi: str
    program: str | None = None
    tahapan: str
    provinsi: str | None = None
    kabupaten_kota: str | None = None
    tanggal_mulai: date | None = None
    tanggal_selesai: date | None = None
    progres_persen: float | None = None
    keterangan: str | None = None
    tanggal_laporan: date | None = None


class TemuanRow(_Row):
    _kind = KIND_TEMUAN
    nomor_temuan: str
    kode_provinsi: str | None = None
    provinsi: str | None = None
    uraian: str | None = None
    nilai: float | None = None
    status: str
    batas_waktu: date | None = None
    tanggal_selesai: date | None = None
    tanggal_laporan: date | None = None


ROW_MODELS: dict[str, type[_Row]] = {KIND_LOKASI: LokasiRow, KIND_PROGRES: ProgresRow, KIND_TEMUAN: TemuanRow}
