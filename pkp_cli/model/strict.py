"""The base of the schedule's and the rules' models: unknown keys refused, no type coercion (`kode: NO` stays
an error, not False), values frozen once read."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
