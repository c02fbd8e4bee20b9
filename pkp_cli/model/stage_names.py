"""Stage codes and names as people type them, looked up in the schedule: the one place that decides what text
means which stage, for workbook cells, wide-form headers and the `--stage` option alike.

A code matches whatever its separators, zero padding and case: `PSW-09`, `PSW 09`, `PSW-9`, `psw09`, `PSW_09`
and `PSW.09` are all PSW-09. A name matches in any case and with any spacing or punctuation
(`SURVEI  PENDAHULUAN bersama camat`). A cell holding a code and then its own name (`PSW-09 Sosialisasi ...`)
is that stage. Anything else is not guessed: a shortened name (`Survei pendahuluan`) or a typo gets suggestions
("did you mean") from the schedule, and the caller rejects the cell with them.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pkp_cli.model.schedule import Schedule

_CODE = re.compile(r"^([a-z]*)0*(\d+)$")
_CODE_THEN_NAME = re.compile(r"^\s*([A-Za-z]*[\s\-_./]*\d+)\s*[-:.)]?\s+(\D.*)$")


def name_key(text: object) -> str:
    """Comparable form of a stage name: Unicode-folded (odd spaces, full-width letters), lower case, every run of
    spaces or punctuation one space."""
    s = unicodedata.normalize("NFKC", str(text)).casefold()
    return re.sub(r"[\W_]+", " ", s).strip()


def code_key(text: object) -> str:
    """Comparable form of a stage code: no separators, no zero padding, lower case (`PSW-09` -> `psw9`)."""
    s = re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", str(text)).casefold())
    m = _CODE.match(s)
    return f"{m.group(1)}{int(m.group(2))}" if m else s


class StageIndex:
    """The stages of one schedule, found by code or name as typed.

    `resolve(text, program=None)` -> every (program, code) the text means: one for a code or a name unique to a
    program, two for a name shared by programs ("Revisi DIPA" is PSW-06 and KTK-06 in the bundled schedule),
    none for anything else. `program` restricts the search to that program (spelled as the schedule does).
    `suggest(text, program=None)` -> up to `limit` "CODE Name" strings for a text that resolves to nothing:
    names the text is a shortened form of, codes with the same number, then close spellings (rapidfuzz).
    `is_stage(text)` -> whether the text means at least one stage (wide-form header detection).
    """

    def __init__(self, schedule: Schedule) -> None:
        # (program, code, name) in schedule order.
        self.stages: list[tuple[str, str, str]] = [(p, st.kode, st.nama) for p, st in schedule.stages()]
        self._by_code: dict[str, list[tuple[str, str]]] = {}
        self._by_name: dict[str, list[tuple[str, str]]] = {}
        self._name_of: dict[tuple[str, str], str] = {}
        for p, code, name in self.stages:
            self._by_code.setdefault(code_key(code), []).append((p, code))
            self._by_name.setdefault(name_key(name), []).append((p, code))
            self._name_of[(p, code)] = name_key(name)

    @classmethod
    def of(cls, schedule: Schedule) -> StageIndex:
        """The index of a schedule, built once per schedule content (its sha256)."""
        hit = _INDEXES.get(schedule.sha256)
        if hit is None:
            if len(_INDEXES) > 16:
                _INDEXES.clear()
            hit = _INDEXES[schedule.sha256] = cls(schedule)
        return hit

    def resolve(self, text: object, program: str | None = None) -> list[tuple[str, str]]:
        if text is None:
            return []
        hits = self._lookup(str(text))
        return [h for h in hits if program is None or h[0] == program]

    def _lookup(self, text: str) -> list[tuple[str, str]]:
        hits = self._by_code.get(code_key(text))
        if hits:
            return hits
        hits = self._by_name.get(name_key(text))
        if hits:
            return hits
        # "PSW-09 Sosialisasi tingkat ...": the code, followed by that stage's own name (or its beginning).
        m = _CODE_THEN_NAME.match(text)
        if m:
            rest = name_key(m.group(2))
            return [
                h
                for h in self._by_code.get(code_key(m.group(1)), [])
                if rest and (self._name_of[h] == rest or self._name_of[h].startswith(rest + " "))
            ]
        return []

    def is_stage(self, text: object) -> bool:
        return bool(self.resolve(text))

    def label(self, program: str, code: str) -> str:
        """ "CODE Name" as the schedule writes it."""
        for p, c, name in self.stages:
            if p == program and c == code:
                return f"{c} {name}"
        return code

    def suggest(self, text: object, program: str | None = None, limit: int = 3) -> list[str]:
        from rapidfuzz import fuzz, process

        k = name_key(text) if text is not None else ""
        if not k:
            return []
        pool = [(p, c, n) for p, c, n in self.stages if program is None or p == program]
        out: list[tuple[str, str]] = []
        # A code followed by a name that is not its own: that code's stage first, then what the name may mean.
        keys = [k]
        m = _CODE_THEN_NAME.match(str(text))
        if m:
            out.extend(h for h in self._by_code.get(code_key(m.group(1)), []) if program is None or h[0] == program)
            keys.append(name_key(m.group(2)))
        # A shortened name: the text is the beginning of a name, or whole words inside it.
        for p, c, n in pool:
            nk = name_key(n)
            if any(len(t) >= 4 and (nk.startswith(t + " ") or f" {t} " in f" {nk} ") for t in keys):
                out.append((p, c))
        # A code with the right number but another prefix (KTK-09 written on a PISEW row), or none (09).
        m = _CODE.match(code_key(text))
        if m:
            out.extend((p, c) for p, c, _ in pool if (cm := _CODE.match(code_key(c))) and cm.group(2) == m.group(2))
        # Close spellings of a name or a code.
        names = [name_key(n) for _, _, n in pool]
        for _, _, i in process.extract(k, names, scorer=fuzz.WRatio, score_cutoff=80, limit=limit):
            out.append(pool[i][:2])
        codes = [code_key(c) for _, c, _ in pool]
        for _, _, i in process.extract(code_key(text), codes, scorer=fuzz.ratio, score_cutoff=75, limit=limit):
            out.append(pool[i][:2])
        return [self.label(p, c) for p, c in dict.fromkeys(out)][:limit]


_INDEXES: dict[str, StageIndex] = {}
