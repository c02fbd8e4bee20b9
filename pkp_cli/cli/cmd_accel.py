"""`pkp candidates`, `pkp readiness` and `pkp audit`: acceleration, the desk-wilayah board, audit follow-up.

Options in, engine calls, and the renderings of pkp_cli.cli.render_accel out.
"""

from __future__ import annotations

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
    "alasannya, dan tahapan yang dapat dimulai sekarang; aturan dan bobotnya dari "
    "schedules/percepatan-2022.yaml (--rules untuk berkas lain).\n\n"
    "Contoh:\n\n  pkp candidates --province Bali --top 10\n\n"
    "  pkp candidates --all --min-score 50 --format csv > kandidat.csv\n\n"
    "  pkp candidates --explain 51.01.04",
    "Locations that can be accelerated (repeat, good past performance, planning documents), with score, "
    "reasons and the stages they can start now; rules and weights from schedules/percepatan-2022.yaml "
    "(--rules for another file).\n\n"
    "Example:\n\n  pkp candidates --province Bali --top 10\n\n"
    "  pkp candidates --all --min-score 50 --format csv > candidates.csv\n\n"
    "  pkp candidates --explain 51.01.04",
)


READINESS_HELP = t(
    "Papan kesiapan per provinsi dan program: tiap langkah rekrutmen, briefing, revisi DIPA, kontrak dan "
    "mobilisasi (status dan tanggal), persentase lokasi dengan kelembagaan terbentuk dan survei selesai, temuan "
    "audit terbuka, laporan terakhir.\n\n"
    "Contoh:\n\n  pkp readiness\n\n  pkp readiness --province Bali --format markdown > kesiapan-bali.md",
    "Readiness board per province and program: each recruitment step, briefing, DIPA revision, contracts and "
    "mobilisation (status and date), the share of locations with institutions formed and survey done, open "
    "audit findings, newest report.\n\n"
    "Example:\n\n  pkp readiness\n\n  pkp readiness --province Bali --format markdown > readiness-bali.md",
)


AUDIT_HELP = t(
    "Tindak lanjut temuan audit per provinsi: belum, proses, selesai, nilai, temuan lewat batas waktu (dengan "
    "jumlah hari), dan perubahan sejak tanggal laporan sebelumnya.\n\n"
    "Contoh:\n\n  pkp audit\n\n  pkp audit --province Bali --as-of 2022-05-27",
    "Audit follow-up per province: open, in progress, closed, amounts, overdue findings (with days overdue), "
    "and what changed since the previous report date.\n\n"
    "Example:\n\n  pkp audit\n\n  pkp audit --province Bali --as-of 2022-05-27",
)


def _program(ws: Any, program: str | None) -> str | None:
    from pkp_cli.engines.query import resolve_program

    return resolve_program(ws.schedule, program)


def _provinces(ws: Any, province: list[str] | None, frame: Any) -> list[str]:
    from pkp_cli.engines.query import resolve_provinces

    present = dict(zip(frame["kode_provinsi"], frame["provinsi"], strict=False))
    return list(resolve_provinces(province, present)) if province else []


def candidates(
    province: ProvinceOpt = None,
    program: ProgramOpt = None,
    top: Annotated[int | None, typer.Option("--top", min=1, help=t("Hanya N teratas.", "Top N only."))] = None,
    min_score: Annotated[
        float | None, typer.Option("--min-score", help=t("Skor minimum.", "Minimum score."), show_default=False)
    ] = None,
    show_all: Annotated[
        bool,
        typer.Option(
            "--all",
            help=t(
                "Juga lokasi yang tidak memenuhi syarat wajib, dengan syarat yang gagal.",
                "Also the excluded locations, with the requirement they fail.",
            ),
        ),
    ] = False,
    explain_code: Annotated[
        str | None,
        typer.Option(
            "--explain",
            metavar="KODE",
            help=t(
                "Kartu skor satu lokasi: tiap syarat dan penalti, terpenuhi atau tidak, dengan datanya.",
                "One location's score card: each requirement and penalty, met or not, with its data.",
            ),
            show_default=False,
        ),
    ] = None,
    data: DataOpt = None,
    schedule: ScheduleOpt = None,
    rules: RulesOpt = None,
    as_of: AsOfOpt = None,
    lang: LangOpt = None,
    fmt: FormatOpt = Format.table,
) -> int:
    from pkp_cli.cli.render_accel import _candidate_blocks, _explain, _held_context, _show, _write_csv, _write_json
    from pkp_cli.cli.workspace import open_workspace
    from pkp_cli.engines.candidates import CANDIDATE_COLUMNS, score_candidates, waiting_stages
    from pkp_cli.render import formats

    ws = open_workspace(data=data, schedule=schedule, as_of=as_of, lang=lang)
    rule_set = ws.rules(rules)
    prog = _program(ws, program)
    lok = ws.loaded.lokasi
    provs = _provinces(ws, province, lok)
    st = ws.status()
    if explain_code:
        _explain(ws, explain_code.strip(), st, rule_set, fmt.value)
        return ws.exit_code()
    scored = score_candidates(lok, st, ws.schedule, rule_set, ws.as_of, lang=ws.lang)
    scope = scored
    if provs:
        scope = scope[scope["kode_provinsi"].isin(provs)]
    if prog:
        scope = scope[scope["program"] == prog]
    shown = scope if show_all else scope[scope["memenuhi"]]
    if min_score is not None:
        shown = shown[shown["skor"] >= min_score]
    if top:
        shown = shown.head(top)
    if fmt.value == "json":
        # The row shape; --all adds whether each location is eligible and what it fails.
        columns = [*CANDIDATE_COLUMNS, *(["memenuhi", "syarat_gagal"] if show_all else [])]
        _write_json(ws, formats.records(shown[columns]), rules=str(rule_set.path), rules_sha256=rule_set.sha256)
    elif fmt.value == "csv":
        flat = shown.assign(
            alasan=shown["alasan_teks"],
            tahapan_dipercepat=[
                ", ".join(f"{s['tahapan']} ({s['hari']})" for s in v) for v in shown["tahapan_dipercepat"]
            ],
            syarat_gagal=[", ".join(v) for v in shown["syarat_gagal"]],
        )
        columns = ["kode_lokasi", "nama_lokasi", "kode_provinsi", "provinsi", "kabupaten_kota", "program", "skor"]
        columns += ["memenuhi", "syarat_gagal", "alasan", "tahapan_dipercepat"]
        columns += [c for c in shown.columns if c.startswith(("syarat.", "penalti."))]
        _write_csv(flat, columns)
    else:
        eligible = shown[shown["memenuhi"]]
        waiting = waiting_stages(lok[lok["kode_lokasi"].isin(set(eligible["kode_lokasi"]))], st, ws.schedule)
        ctx = _held_context(ws, st)
        filters = {"province": provs, "program": prog, "all": show_all}
        _show(ws, _candidate_blocks(ws, shown, scope, waiting, ctx, filters, fmt.value), fmt.value)
    return ws.exit_code()


# --- pkp readiness -----------------------------------------------------------------------------------------


def readiness(
    province: ProvinceOpt = None,
    program: ProgramOpt = None,
    data: DataOpt = None,
    schedule: ScheduleOpt = None,
    as_of: AsOfOpt = None,
    lang: LangOpt = None,
    fmt: FormatOpt = Format.table,
) -> int:
    from pkp_cli.cli.render_accel import _ordered, _readiness_blocks, _readiness_records, _show, _write_csv, _write_json
    from pkp_cli.cli.workspace import open_workspace
    from pkp_cli.engines.readiness import readiness_board, readiness_long

    ws = open_workspace(data=data, schedule=schedule, as_of=as_of, lang=lang)
    prog = _program(ws, program)
    provs = _provinces(ws, province, ws.loaded.lokasi)
    st = ws.status()
    board = readiness_board(ws.loaded.lokasi, st, ws.loaded.temuan, ws.schedule, ws.as_of)
    if provs:
        board = board[board["kode_provinsi"].isin(provs)]
    if prog:
        board = board[board["program"] == prog]
    board = _ordered(board, ws.schedule)
    if fmt.value == "json":
        _write_json(ws, _readiness_records(board, readiness_long(st), ws.schedule))
    elif fmt.value == "csv":
        _write_csv(board, list(board.columns))
    else:
        _show(ws, _readiness_blocks(ws, board, fmt.value), fmt.value)
    return ws.exit_code()


# --- pkp audit ---------------------------------------------------------------------------------------------


def audit(
    province: ProvinceOpt = None,
    data: DataOpt = None,
    schedule: ScheduleOpt = None,
    as_of: AsOfOpt = None,
    lang: LangOpt = None,
    fmt: FormatOpt = Format.table,
) -> int:
    import pandas as pd

    from pkp_cli.cli.render_accel import _OVERDUE_COLUMNS, _audit_blocks, _show, _write_csv, _write_json
    from pkp_cli.cli.workspace import open_workspace
    from pkp_cli.engines.audit import (
        CHANGE_COLUMNS,
        audit_changes,
        audit_summary,
        overdue_findings,
        previous_report_date,
    )
    from pkp_cli.render import formats

    ws = open_workspace(data=data, schedule=schedule, as_of=as_of, lang=lang)
    temuan = ws.loaded.temuan
    known = pd.concat(
        [ws.loaded.lokasi[["kode_provinsi", "provinsi"]], temuan[["kode_provinsi", "provinsi"]]], ignore_index=True
    )
    provs = _provinces(ws, province, known)
    if provs:
        temuan = temuan[temuan["kode_provinsi"].isin(provs)]
    previous = previous_report_date(ws.loaded.progres["tanggal_laporan"].unique(), ws.as_of)
    summary = audit_summary(temuan, ws.as_of, previous)
    overdue = overdue_findings(temuan, ws.as_of)
    changes = audit_changes(temuan, ws.as_of, previous) if previous is not None else None
    if fmt.value == "json":
        _write_json(
            ws,
            formats.records(summary),
            laporan_sebelumnya=None if previous is None else previous.date().isoformat(),
            lewat_batas=formats.records(overdue[_OVERDUE_COLUMNS]),
            perubahan=None if changes is None else formats.records(changes[CHANGE_COLUMNS]),
        )
    elif fmt.value == "csv":
        _write_csv(summary, list(summary.columns))
    else:
        _show(ws, _audit_blocks(ws, summary, overdue, changes, previous), fmt.value)
    return ws.exit_code()


def register(app: Any, guarded: Any) -> None:
    app.command("candidates", help=CANDIDATES_HELP)(guarded(candidates))
    app.command("readiness", help=READINESS_HELP)(guarded(readiness))
    app.command("audit", help=AUDIT_HELP)(guarded(audit))
