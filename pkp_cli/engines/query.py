"""What the user asked to see: filter values resolved to codes, and the rows they keep.

Resolution raises errors.UnknownValue (option, value, suggestions) for anything the data or the schedule does
not know; the CLI says it in the user's language. Filters narrow the rows a view lists; roll-ups are computed
on the whole group they describe (a province's headline never changes because a filter hides rows).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pkp_cli.errors import UnknownValue
from pkp_cli.model.frames import STATUS_CODES
from pkp_cli.model.schedule import Schedule

LATE = ("terlambat", "selesai_terlambat")


@dataclass(frozen=True)
class Query:
    provinces: tuple[str, ...] = ()  # province codes, in the order asked
    kabupaten: tuple[str, ...] = ()  # kabupaten codes
    program: str | None = None  # as the schedule spells it
    stages: tuple[str, ...] = ()  # stage codes (a name in two programs gives both codes)
    statuses: tuple[str, ...] = ()  # status codes
    late_only: bool = False
    lokasi: str | None = None

    @property
    def narrows_rows(self) -> bool:
        """Whether a filter other than province and program hides rows (the headline stays whole)."""
        return bool(self.kabupaten or self.stages or self.statuses or self.late_only)

    def program_rows(self, status: pd.DataFrame) -> pd.DataFrame:
        """The population the roll-ups describe: every row, or one program's."""
        return status if self.program is None else status.loc[status["program"] == self.program]

    def rows(self, status: pd.DataFrame, columns: list[str] | None = None) -> pd.DataFrame:
        """Rows matching every filter. `kabupaten` keeps its locations and drops province-level rows (they belong
        to no kabupaten); `late_only` keeps terlambat and selesai_terlambat. With `columns`, only those columns of
        them (a national --late-only keeps about 1.2 M rows: all 30 columns copied set the run's peak memory)."""
        keep = np.ones(len(status), dtype=bool)
        for column, wanted in (
            ("kode_provinsi", self.provinces),
            ("kode_kabupaten", self.kabupaten),
            ("program", (self.program,) if self.program else ()),
            ("tahapan", self.stages),
            ("status", self.statuses),
        ):
            if wanted:
                keep &= status[column].isin(list(wanted)).to_numpy(dtype=bool)
        if self.late_only:
            keep &= status["status"].isin(LATE).to_numpy(dtype=bool)
        return status.loc[keep] if columns is None else status.loc[keep, columns]


def near(text: str, options: Iterable[str], limit: int = 3) -> list[str]:
    """The options closest to `text` (rapidfuzz), best first."""
    from rapidfuzz import process

    return [hit[0] for hit in process.extract(text, list(options), limit=limit, score_cutoff=60)]


def resolve_program(schedule: Schedule, program: str | None) -> str | None:
    if not program:
        return None
    known = {p.casefold(): p for p in schedule.programs}
    if program.strip().casefold() not in known:
        raise UnknownValue("--program", program, list(schedule.programs), "choose")
    return known[program.strip().casefold()]


def resolve_provinces(wanted: Sequence[str] | None, present: dict[str, str]) -> tuple[str, ...]:
    """--province values (code, name or short name) as codes of provinces present in the data (code -> name)."""
    from pkp_cli.model.regions import province_code, reference

    out: list[str] = []
    for w in wanted or []:
        code = province_code(w)
        if code is None:
            raise UnknownValue("--province", w, near(w, present.values()))
        if code not in present:
            raise UnknownValue("--province", w, [reference().get(code, code)], "not_in_data")
        if code not in out:
            out.append(code)
    return tuple(out)


def resolve_kabupaten(wanted: Sequence[str] | None, status: pd.DataFrame) -> tuple[str, ...]:
    """--kabupaten values (code, or name with or without "Kab."/"Kota") as kabupaten codes in the data."""
    from pkp_cli.model.regions import name_key

    if not wanted:
        return ()
    kabs = status[["kode_kabupaten", "kabupaten_kota"]].dropna().drop_duplicates("kode_kabupaten")
    codes = set(kabs["kode_kabupaten"])
    by_name: dict[str, list[str]] = {}
    for c, n in zip(kabs["kode_kabupaten"], kabs["kabupaten_kota"], strict=True):
        by_name.setdefault(str(n).casefold(), []).append(c)
        by_name.setdefault(name_key(n), []).append(c)
    out: list[str] = []
    for k in wanted:
        text = k.strip()
        found = [text] if text in codes else by_name.get(text.casefold()) or by_name.get(name_key(text)) or []
        found = sorted(set(found))
        if not found:
            raise UnknownValue("--kabupaten", k, near(text, kabs["kabupaten_kota"].astype(str)))
        if len(found) > 1:  # "Bandung" is both Kabupaten Bandung and Kota Bandung
            names = dict(zip(kabs["kode_kabupaten"], kabs["kabupaten_kota"], strict=True))
            raise UnknownValue("--kabupaten", k, [f"{names[c]} ({c})" for c in found], "ambiguous")
        out += [c for c in found if c not in out]
    return tuple(out)


def resolve_kabupaten_within(wanted: Sequence[str] | None, status: pd.DataFrame,
                             provinces: Sequence[str]) -> tuple[str, ...]:  # fmt: skip
    """resolve_kabupaten among the provinces asked (all when none); a kabupaten the data holds in another
    province is a contradiction that names where it is, not a near miss."""
    if not provinces:
        return resolve_kabupaten(wanted, status)
    mine = status[status["kode_provinsi"].isin(list(provinces))]
    try:
        return resolve_kabupaten(wanted, mine)
    except UnknownValue as exc:
        try:
            found = resolve_kabupaten([exc.value], status)
        except UnknownValue:
            raise exc from None
        own = status.loc[status["kode_kabupaten"].isin(found), ["kabupaten_kota", "provinsi"]].drop_duplicates()
        where = "; ".join(", ".join(str(v) for v in row if pd.notna(v)) for row in own.itertuples(index=False))
        raise UnknownValue("--kabupaten", exc.value, [where], "outside_filter") from None


def resolve_stages(wanted: Sequence[str] | None, schedule: Schedule, program: str | None) -> tuple[str, ...]:
    """--stage values (code or name, as typed) as stage codes; a name two programs share means both."""
    from pkp_cli.model.stage_names import StageIndex

    if not wanted:
        return ()
    index = StageIndex(schedule)
    out: list[str] = []
    for s in wanted:
        found = [code for _, code in index.resolve(s, program)]
        if not found:
            raise UnknownValue("--stage", s, index.suggest(s, program))
        out += [c for c in found if c not in out]
    return tuple(out)


def resolve_statuses(wanted: Sequence[str] | None) -> tuple[str, ...]:
    """--status values as status codes, whatever their case and separators (`Selesai Terlambat`, `belum-mulai`)."""
    import re

    out: list[str] = []
    for s in wanted or []:
        code = re.sub(r"[\s\-_]+", "_", s.strip().casefold())
        if code not in STATUS_CODES:
            raise UnknownValue("--status", s, list(STATUS_CODES), "choose")
        out += [code] if code not in out else []
    return tuple(out)


def check_lokasi_within(code: str | None, provinces: Sequence[str], kabupaten: Sequence[str],
                        status: pd.DataFrame) -> None:  # fmt: skip
    """--lokasi with --province / --kabupaten that do not hold it: a contradiction to resolve, not an empty
    table (the suggestion is where the location is)."""
    if not code or (not provinces and not kabupaten):
        return
    if (not provinces or code[:2] in provinces) and (not kabupaten or code[:5] in kabupaten):
        return
    own = status.loc[status["kode_lokasi"] == code, ["kabupaten_kota", "provinsi"]].head(1)
    where = ", ".join(str(v) for v in own.iloc[0] if pd.notna(v)) if len(own) else code[:5]
    raise UnknownValue("--lokasi", code, [where], "outside_filter")


def near_codes(code: str, known: Iterable[str], limit: int = 3) -> list[str]:
    """Known location codes that share the longest prefix with `code` (same kabupaten, then province): codes
    are not words, so no fuzzy match."""
    distinct = sorted(set(known))
    for n in (8, 5, 2):
        found = [c for c in distinct if c[:n] == code[:n]]
        if found:
            return found[:limit]
    return []


def resolve_lokasi(code: str | None, status: pd.DataFrame) -> str | None:
    """--lokasi as a location code in the data; an unknown code gets the nearby codes (near_codes)."""
    if not code:
        return None
    code = code.strip()
    known = status.loc[status["tingkat"] == "lokasi", "kode_lokasi"]
    if (known == code).any():
        return code
    raise UnknownValue("--lokasi", code, near_codes(code, known))
