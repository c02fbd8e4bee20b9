"""`pkp candidates`, `pkp readiness` and `pkp audit`: acceleration, the desk-wilayah board, audit follow-up."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from pkp_cli.cli.i18n import t
from pkp_cli.cli.options import (
    AsOfOpt,
    DataOpt,
    Format,
    FormatOpt,
    LangOpt,
    ProgramOpt,
    ProvinceOpt,
    RulesOpt,
    ScheduleOpt,
)

CANDIDATES_HELP = t(
    "Lokasi yang dapat dipercepat (lokasi berulang, kinerja baik, dokumen perencanaan ada), dengan skor, "
    "alasannya, dan tahapan yang dapat dimulai sekarang.\n\n"
    "Contoh:\n\n  pkp candidates --province Bali --top 10\n\n  pkp candidates --explain 51.04.01",
    "Locations that can be accelerated (repeat, good past performance, planning documents), with score, "
    "reasons and the stages they can start now.\n\n"
    "Example:\n\n  pkp candidates --province Bali --top 10\n\n  pkp candidates --explain 51.04.01",
)
READINESS_HELP = t(
    "Papan kesiapan per provinsi dan program: rekrutmen, briefing, revisi DIPA, kontrak, mobilisasi, "
    "kelembagaan, survei, temuan audit terbuka.\n\nContoh:\n\n  pkp readiness --format markdown",
    "Readiness board per province and program: recruitment, briefing, DIPA revision, contracts, mobilisation, "
    "institutions, survey, open audit findings.\n\nExample:\n\n  pkp readiness --format markdown",
)
AUDIT_HELP = t(
    "Tindak lanjut temuan audit per provinsi: terbuka, proses, selesai, lewat batas waktu, dan perubahan sejak "
    "tanggal laporan sebelumnya.\n\nContoh:\n\n  pkp audit --province Bali",
    "Audit follow-up per province: open, in progress, closed, overdue, and changes since the previous report "
    "date.\n\nExample:\n\n  pkp audit --province Bali",
)


def _rules(ws: Any, rules_opt: Any) -> Any:
    from pkp_cli.cli.context import say
    from pkp_cli.config import resolve_year_file
    from pkp_cli.rules import load_rules

    src = resolve_year_file("percepatan", rules_opt, "PKP_RULES", "rules", ws.cfg, ws.data, ws.schedule.year)
    say(f"{'Rules' if ws.lang == 'en' else 'Aturan'}: {src.path} ({src.why})")
    return load_rules(src.path, ws.lang)


def _emit(ws: Any, frame: Any, columns: list[str], fmt: str, title: str) -> None:
    from pkp_cli.cli.render_status import _emit_flat

    _emit_flat(ws, frame, columns, fmt, title)


def candidates(
    province: ProvinceOpt = None,
    program: ProgramOpt = None,
    top: Annotated[int | None, typer.Option("--top", min=1, help=t("Hanya N teratas.", "Top N only."))] = None,
    min_score: Annotated[
        float | None, typer.Option("--min-score", help=t("Skor minimum.", "Minimum score."), show_default=False)
    ] = None,
    show_all: Annotated[
        bool, typer.Option("--all", help=t("Juga yang tidak memenuhi syarat.", "Also the excluded."))
    ] = False,
    explain_code: Annotated[
        str | None,
        typer.Option("--explain", help=t("Kartu skor satu lokasi.", "One location's score card."), show_default=False),
    ] = None,
    data: DataOpt = None,
    schedule: ScheduleOpt = None,
    rules: RulesOpt = None,
    as_of: AsOfOpt = None,
    lang: LangOpt = None,
    fmt: FormatOpt = Format.table,
) -> int:
    from pkp_cli.candidates import CANDIDATE_COLUMNS, explain, score_candidates
    from pkp_cli.cli.analysis import compute_for_workspace, note_rejections, resolve_provinces
    from pkp_cli.cli.context import open_workspace
    from pkp_cli.labels import label
    from pkp_cli.render import formats

    ws = open_workspace(data=data, schedule=schedule, as_of=as_of, lang=lang)
    rule_set = _rules(ws, rules)
    st = compute_for_workspace(ws)
    lok = ws.loaded.lokasi
    if explain_code:
        card = explain(explain_code, lok, st, ws.schedule, rule_set, ws.as_of, lang=ws.lang)
        doc = card.to_dict()
        if fmt.value == "json":
            sys.stdout.write(formats.to_json(ws.envelope(doc.get("rincian", []), kartu=doc)))
        else:
            _emit(ws, card.rincian, list(card.rincian.columns), fmt.value, f"{explain_code}")
        return note_rejections(ws)
    scored = score_candidates(lok, st, ws.schedule, rule_set, ws.as_of, lang=ws.lang)
    provs = resolve_provinces(ws, st, province)
    if provs:
        scored = scored[scored["kode_provinsi"].isin(provs)]
    if program:
        scored = scored[scored["program"].str.casefold() == program.casefold()]
    if not show_all:
        scored = scored[scored["memenuhi"]]
    if min_score is not None:
        scored = scored[scored["skor"] >= min_score]
    if top:
        scored = scored.head(top)
    if fmt.value == "json":
        sys.stdout.write(formats.to_json(ws.envelope(formats.records(scored[CANDIDATE_COLUMNS]))))
        return note_rejections(ws)
    view = scored.assign(
        alasan=scored["alasan_teks"],
        tahapan_dipercepat=[
            ", ".join(f"{s['tahapan']} ({s['hari']})" for s in v) for v in scored["tahapan_dipercepat"]
        ],
    )
    cols = [
        "kode_lokasi",
        "nama_lokasi",
        "provinsi",
        "kabupaten_kota",
        "program",
        "skor",
        "alasan",
        "tahapan_dipercepat",
    ]
    _emit(ws, view, cols, fmt.value, label("t.candidates", ws.lang))
    return note_rejections(ws)


def readiness(
    province: ProvinceOpt = None,
    program: ProgramOpt = None,
    data: DataOpt = None,
    schedule: ScheduleOpt = None,
    as_of: AsOfOpt = None,
    lang: LangOpt = None,
    fmt: FormatOpt = Format.table,
) -> int:
    from pkp_cli.cli.analysis import compute_for_workspace, note_rejections, resolve_provinces
    from pkp_cli.cli.context import open_workspace
    from pkp_cli.labels import label
    from pkp_cli.readiness import readiness_board

    ws = open_workspace(data=data, schedule=schedule, as_of=as_of, lang=lang)
    st = compute_for_workspace(ws)
    board = readiness_board(ws.loaded.lokasi, st, ws.loaded.temuan, ws.schedule, ws.as_of)
    provs = resolve_provinces(ws, st, province)
    if provs:
        board = board[board["kode_provinsi"].isin(provs)]
    if program:
        board = board[board["program"].str.casefold() == program.casefold()]
    cols = [c for c in board.columns if not c.startswith("tanggal.")]
    _emit(
        ws,
        board,
        cols if fmt.value in ("table", "markdown", "md") else list(board.columns),
        fmt.value,
        label("t.readiness", ws.lang),
    )
    return note_rejections(ws)


def audit(
    province: ProvinceOpt = None,
    data: DataOpt = None,
    schedule: ScheduleOpt = None,
    as_of: AsOfOpt = None,
    lang: LangOpt = None,
    fmt: FormatOpt = Format.table,
) -> int:
    from pkp_cli.audit import audit_summary, previous_report_date
    from pkp_cli.cli.analysis import compute_for_workspace, note_rejections, resolve_provinces
    from pkp_cli.cli.context import open_workspace
    from pkp_cli.labels import label

    ws = open_workspace(data=data, schedule=schedule, as_of=as_of, lang=lang)
    prev = previous_report_date(ws.loaded.progres["tanggal_laporan"].unique(), ws.as_of)
    summary = audit_summary(ws.loaded.temuan, ws.as_of, prev)
    if province:
        provs = resolve_provinces(ws, compute_for_workspace(ws), province)
        summary = summary[summary["kode_provinsi"].isin(provs)]
    _emit(ws, summary, list(summary.columns), fmt.value, label("t.audit", ws.lang))
    return note_rejections(ws)


def register(app: Any, guarded: Any) -> None:
    app.command("candidates", help=CANDIDATES_HELP)(guarded(candidates))
    app.command("readiness", help=READINESS_HELP)(guarded(readiness))
    app.command("audit", help=AUDIT_HELP)(guarded(audit))
