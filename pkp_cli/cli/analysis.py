"""What every report command shares: the status of a workspace, resolving filters, the rejection note."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pkp_cli.cli.workspace import Workspace, say
from pkp_cli.errors import Exit, PkpError
from pkp_cli.text.labels import label


@dataclass
class StatusQuery:
    provinces: list[str] | None = None
    lokasi: str | None = None
    kabupaten: list[str] | None = None
    program: str | None = None
    stages: list[str] | None = None
    statuses: list[str] | None = None
    late_only: bool = False
    detail: bool = False


def work_calendar(ws: Workspace) -> Any:
    """The working-day calendar, with the holiday override file from the config (date,libur|kerja)."""
    from pkp_cli.engines.workdays import WorkCalendar

    path = ws.cfg.get("holidays_file")
    if not path:
        return WorkCalendar()
    from pkp_cli.ingest.parse import parse_date_text

    off: set[Any] = set()
    work: set[Any] = set()
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise PkpError(Exit.CONFIG, f"holidays_file {path}: {exc.strerror}") from exc
    for n, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#") or line.lower().startswith("tanggal"):
            continue
        parts = [p.strip() for p in line.split(",")]
        d = parse_date_text(parts[0])
        kind = parts[1].lower() if len(parts) > 1 else "libur"
        if d is None or kind not in ("libur", "kerja"):
            raise PkpError(Exit.CONFIG, f"holidays_file {path}: baris/line {n}: {line!r}")
        (off if kind == "libur" else work).add(d)
    return WorkCalendar(extra_off=frozenset(off), extra_work=frozenset(work))


def open_rules(ws: Workspace, rules_opt: Path | None, required: bool = True) -> Any:
    """The acceleration rules for the data's year (--rules, PKP_RULES, config, next to the data, bundled).

    With required=False a missing rules file is not an error (pkp validate checks it only when there is one).
    """
    from pkp_cli.ingest.locate import resolve_year_file
    from pkp_cli.model.rules import load_rules

    try:
        src = resolve_year_file("percepatan", rules_opt, "PKP_RULES", "rules", ws.cfg, ws.data, ws.schedule.year)
    except PkpError:
        if required or rules_opt is not None:
            raise
        return None
    from pkp_cli.cli.workspace import why_text

    say(f"{'Rules' if ws.lang == 'en' else 'Aturan'}: {src.path} ({why_text(src.why, ws.lang)})")
    return load_rules(src.path, ws.lang)


def compute_for_workspace(ws: Workspace) -> Any:
    from pkp_cli.engines.status import compute_status

    loaded = ws.loaded
    return compute_status(
        loaded.lokasi,
        loaded.progres,
        ws.schedule,
        ws.as_of,
        stale_days=int(ws.cfg.get("stale_days")),
        calendar=work_calendar(ws),
    )


def note_rejections(ws: Workspace) -> int:
    """One stderr line when rows were rejected; the exit code that goes with it."""
    loaded = ws.loaded
    code = 0
    if loaded.unreadable:
        for issue in loaded.unreadable:
            say(f"pkp: {issue.file}: {issue.message(ws.lang)}")
        code = int(Exit.NO_INPUT)
    n = loaded.rows_rejected
    if n:
        where = f" --data {ws.data.path}" if not ws.data.is_sample else ""
        say(f"pkp: {n} {label('rejected_note', ws.lang)}: pkp validate{where}")
        code = code or int(Exit.REJECTED)
    return code


def _did_you_mean(text: str, options: list[str], lang: str = "id") -> str:
    from rapidfuzz import process

    hit = process.extractOne(text, options, score_cutoff=50)
    return f" ({label('did_you_mean', lang)}: {hit[0]}?)" if hit else ""


def _nearby_codes(code: str, status: Any, lang: str) -> str:
    """Codes are not words: suggest the known locations that share the longest prefix (same kabupaten, then
    same province) instead of a fuzzy match."""
    known = sorted(set(status.loc[status["tingkat"] == "lokasi", "kode_lokasi"]))
    for n in (8, 5, 2):
        near = [c for c in known if c[:n] == code.strip()[:n]]
        if near:
            shown = ", ".join(near[:3]) + (", …" if len(near) > 3 else "")
            return f" ({label('did_you_mean', lang)}: {shown}?)"
    return ""


def _province_of_option(ws: Workspace, text: str, names: list[str]) -> str:
    """The province code of one --province value; unknown is a usage error suggesting one of `names`."""
    from pkp_cli.model.regions import province_code

    code = province_code(text)
    if code is None:
        raise PkpError(
            Exit.USAGE, f"--province {text}: {label('unknown', ws.lang)}{_did_you_mean(text, names, ws.lang)}"
        )
    return code


def resolve_provinces(ws: Workspace, status: Any, wanted: list[str] | None) -> list[str]:
    """--province values as codes of provinces in the data; unknown or absent ones are usage errors."""
    from pkp_cli.model.regions import reference

    if not wanted:
        return []
    present = dict(zip(status["kode_provinsi"], status["provinsi"], strict=False))
    out = []
    for w in wanted:
        code = _province_of_option(ws, w, [str(v) for v in present.values()])
        if code not in present:
            raise PkpError(Exit.USAGE, f"--province {w}: {reference().get(code, code)} {label('not_in_data', ws.lang)}")
        out.append(code)
    return out


def only_provinces(ws: Workspace, wanted: list[str], max_errors: int) -> None:
    """Keep only the errors and warnings of rows in these provinces (and of rows whose province cannot be
    told, such as a file-level problem): what a BPPW must fix. The per-file accounting stays whole."""
    from pkp_cli.model.regions import reference

    names = [v for k, v in reference().items() if len(k) == 2]
    codes = {_province_of_option(ws, w, names) for w in wanted}
    loaded = ws.loaded

    def keep(issues: list[Any]) -> list[Any]:
        return [i for i in issues if i.kode_provinsi is None or i.kode_provinsi in codes]

    errors, warnings = keep(loaded.errors), keep(loaded.warnings)
    loaded.errors, loaded.errors_total = errors[:max_errors], len(errors) + len(loaded.unreadable)
    loaded.warnings, loaded.warnings_total = warnings[:max_errors], len(warnings)


def resolve_program(ws: Workspace, program: str | None) -> str | None:
    """--program as the schedule spells it; an unknown program is a usage error, not an empty result."""
    if not program:
        return None
    known = {p.casefold(): p for p in ws.schedule.programs}
    if program.casefold() not in known:
        raise PkpError(Exit.USAGE, f"--program {program}: {', '.join(ws.schedule.programs)}")
    return known[program.casefold()]


def resolve_query(ws: Workspace, status: Any, q: StatusQuery) -> StatusQuery:
    """Names to codes for every filter; anything unknown is a usage error with a suggestion."""
    from pkp_cli.model.regions import name_key

    q.provinces = resolve_provinces(ws, status, q.provinces)
    q.program = resolve_program(ws, q.program)
    if q.kabupaten:
        kabs = status.dropna(subset=["kode_kabupaten"]).drop_duplicates("kode_kabupaten")
        by_key = {name_key(n): c for c, n in zip(kabs["kode_kabupaten"], kabs["kabupaten_kota"], strict=True)}
        codes = set(kabs["kode_kabupaten"])
        resolved = []
        for k in q.kabupaten:
            c = k if k in codes else by_key.get(name_key(k))
            if c is None:
                hint = _did_you_mean(k, list(kabs["kabupaten_kota"]), ws.lang)
                raise PkpError(Exit.USAGE, f"--kabupaten {k}: {label('unknown', ws.lang)}{hint}")
            resolved.append(c)
        q.kabupaten = resolved
    if q.stages:
        st = ws.schedule.stage_table()
        by = {c.casefold(): c for c in st["tahapan"]}
        by.update({n.casefold(): c for n, c in zip(st["nama_tahapan"], st["tahapan"], strict=True)})
        resolved = []
        for s in q.stages:
            c = by.get(s.casefold())
            if c is None:
                raise PkpError(
                    Exit.USAGE,
                    f"--stage {s}: {label('unknown', ws.lang)}{_did_you_mean(s, list(st['tahapan']), ws.lang)}",
                )
            resolved.append(c)
        q.stages = resolved
    if q.statuses:
        from pkp_cli.model.frames import STATUS_CODES

        for s in q.statuses:
            if s not in STATUS_CODES:
                raise PkpError(Exit.USAGE, f"--status {s}: {', '.join(STATUS_CODES)}")
    if q.lokasi and q.lokasi not in set(status["kode_lokasi"]):
        raise PkpError(
            Exit.USAGE, f"--lokasi {q.lokasi}: {label('unknown', ws.lang)}{_nearby_codes(q.lokasi, status, ws.lang)}"
        )
    return q
