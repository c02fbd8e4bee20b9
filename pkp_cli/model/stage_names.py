"""Stage codes and names as people type them, resolved against the schedule (one place for options and cells).

`PSW 09`, `psw-9`, `PSW_09` are PSW-09; a name matches whatever its capitals and spaces. A name two programs
share ("Revisi DIPA") resolves to both programs' codes. An unknown text gets suggestions, never a guess.
"""

from __future__ import annotations

import re

from pkp_cli.model.schedule import Schedule

_CODE = re.compile(r"^([a-z]+)[\s_.-]*0*(\d+)$")


def code_key(text: str) -> str:
    """Comparable form of a stage code: letters and the number without leading zeros ("psw-9" -> "psw9")."""
    s = text.strip().casefold()
    m = _CODE.match(s)
    return f"{m.group(1)}{int(m.group(2))}" if m else s


def name_key(text: str) -> str:
    return " ".join(text.casefold().split())


class StageIndex:
    def __init__(self, schedule: Schedule):
        self.by_code: dict[str, list[tuple[str, str]]] = {}
        self.by_name: dict[str, list[tuple[str, str]]] = {}
        self.names: dict[tuple[str, str], str] = {}
        for program, st in schedule.stages():
            self.by_code.setdefault(code_key(st.kode), []).append((program, st.kode))
            self.by_name.setdefault(name_key(st.nama), []).append((program, st.kode))
            self.names[(program, st.kode)] = st.nama

    def resolve(self, text: str, program: str | None = None) -> list[tuple[str, str]]:
        """Every (program, code) the text names, within `program` when given; [] when unknown."""
        hits = self.by_code.get(code_key(text)) or self.by_name.get(name_key(text)) or []
        return [h for h in hits if program is None or h[0] == program]

    def suggest(self, text: str, program: str | None = None, limit: int = 3) -> list[str]:
        """Codes with their names closest to `text`, best first ("PSW-11 Survei pendahuluan ...")."""
        from rapidfuzz import fuzz, process

        choices = {f"{code} {name}": name for (prog, code), name in self.names.items() if program in (None, prog)}
        hits = process.extract(text, choices, scorer=fuzz.WRatio, limit=limit, score_cutoff=60)
        return [key for _, _, key in hits]
