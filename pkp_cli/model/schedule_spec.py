"""The national schedule's rules as strict pydantic models: what a schedule file must meet, with pydantic's
messages for what it does not. Imported only for a file that does not plainly meet them (see
pkp_cli.model.schedule, whose dataclasses the validated model is turned into)."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import Field, field_validator

from pkp_cli.model.strict import StrictModel


class StageSpec(StrictModel):
    kode: str = Field(min_length=1)
    nama: str = Field(min_length=1)
    tingkat: Literal["provinsi", "lokasi"]
    mulai: date
    selesai: date
    setelah: tuple[str, ...] = ()
    perlu_revisi_dipa: bool = False
    dapat_dipercepat: bool = False
    bobot: float = Field(default=1.0, gt=0)

    @field_validator("setelah", mode="before")
    @classmethod
    def _list_to_tuple(cls, v: Any) -> Any:
        return tuple(v) if isinstance(v, list) else v


class KeyStagesSpec(StrictModel):
    rekrutmen: str | None = None
    revisi_dipa: str | None = None
    kelembagaan: str | None = None
    survei: str | None = None
    konstruksi: str | None = None


class ProgramSpec(StrictModel):
    tahapan_kunci: KeyStagesSpec = KeyStagesSpec()
    tahapan: tuple[StageSpec, ...] = Field(min_length=1)

    @field_validator("tahapan", mode="before")
    @classmethod
    def _list_to_tuple(cls, v: Any) -> Any:
        return tuple(v) if isinstance(v, list) else v


class ScheduleSpec(StrictModel):
    tahun_anggaran: int = Field(ge=2000, le=2100)
    batas_akhir: date
    program: dict[str, ProgramSpec] = Field(min_length=1)
