"""The acceleration rules' strict pydantic models: what a rules file must meet, with pydantic's messages for what it
does not. Imported only for a file that does not plainly meet them (see pkp_cli.model.rules, whose dataclasses the
validated model is turned into)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator

from pkp_cli.model.strict import StrictModel

ID_PATTERN = r"^[A-Za-z0-9_-]+$"
PenaltyKind = Literal["terlambat", "urutan_dilanggar", "laporan_basi", "tanpa_laporan"]


def _list_to_tuple(v: Any) -> Any:
    return tuple(v) if isinstance(v, list) else v


class RequirementSpec(StrictModel):
    id: str = Field(pattern=ID_PATTERN)
    kolom: str | None = None
    nilai: bool | str | tuple[str, ...] | None = None
    minimal: float | None = None
    maksimal: float | None = None
    tahapan_kunci: str | None = None
    status: tuple[str, ...] | None = None
    wajib: bool = False
    bobot: float = Field(gt=0)

    @field_validator("nilai", "status", mode="before")
    @classmethod
    def _lists(cls, v: Any) -> Any:
        return _list_to_tuple(v)


class PenaltySpec(StrictModel):
    id: str = Field(pattern=ID_PATTERN)
    jenis: PenaltyKind
    per: Literal["tahapan", "lokasi"]
    bobot: float = Field(gt=0)
    maks: float = Field(gt=0)


class RulesSpec(StrictModel):
    skor_maks: float = Field(gt=0)
    # Not min_length=1: pydantic would add a spurious "too short" error whenever one item is invalid.
    syarat: tuple[RequirementSpec, ...]
    penalti: tuple[PenaltySpec, ...] = ()

    @field_validator("syarat", "penalti", mode="before")
    @classmethod
    def _lists(cls, v: Any) -> Any:
        return _list_to_tuple(v)
