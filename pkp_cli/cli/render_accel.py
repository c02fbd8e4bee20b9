"""The screens, markdown, JSON and CSV of `pkp candidates`, `pkp readiness` and `pkp audit`.

The engines (pkp_cli.engines.candidates, .readiness, .audit) return frames with stable identifiers; this module turns
them into what a person reads (tables and markdown with translated headers, dates in words, short notes) and
into what a program reads (JSON in the tool's envelope, CSV with the identifiers as headers). No stage or
province is named here: board columns are the schedule's stages, headed with the schedule's stage names.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Any

SCREEN_LIMIT = 60


# --- rendering: titled blocks of text cells, for the screen and markdown ------------------------------------


@dataclass
class Block:
    """One titled table of ready-made text cells, with the notes printed under it."""

    title: str
    heads: list[str]
    rows: list[list[str]]
    wrap: set[int] = field(default_factory=set)  # columns that may wrap at spaces (free text)
    right: set[int] = field(default_factory=set)  # right-aligned columns (numbers)
    fixed: dict[int, int] = field(default_factory=dict)  # screen: a column's exact width (its header wraps)
    notes: list[str] = field(default_factory=list)  # lines under the table; "- " lines are list items
    limit: int | None = SCREEN_LIMIT
    empty: str | None = None  # said instead of an empty table


def _show(ws: Any, blocks: list[Block], fmt: str) -> None:
    """The blocks under the shared header lines (sample marker, status date), as markdown or a screen table."""
    header = ws.facts().header()
    if fmt in ("markdown", "md"):
        _show_markdown(blocks, header)
    else:
        _show_screen(ws, blocks, header)


def _show_markdown(blocks: list[Block], header: list[str]) -> None:
    from pkp_cli.render import formats

    out = [f"{formats.md_escape(line)}\n\n" for line in header]
    for b in blocks:
        if b.rows or not b.empty:
            out.append(formats.to_markdown(b.heads, b.rows, b.title))
        else:
            out.append(f"## {formats.md_escape(b.title)}\n\n{formats.md_escape(b.empty)}\n")
        items = False
        for line in b.notes:
            item = line.startswith("- ")
            out.append(("" if item and items else "\n") + f"{formats.md_escape(line)}\n")
            items = item
        out.append("\n")
    sys.stdout.write("".join(out).rstrip("\n") + "\n")


def _show_screen(ws: Any, blocks: list[Block], header: list[str]) -> None:
    from rich import box
    from rich.table import Table

    from pkp_cli.render.table import console
    from pkp_cli.text.labels import label

    con = console()
    for line in header:
        con.print(line)
    for b in blocks:
        if not b.rows and b.empty:
            con.print()
            con.print(b.title)
            con.print(f"  {b.empty}")
        else:
            table = Table(
                title=b.title, box=box.SIMPLE_HEAVY, title_justify="left", pad_edge=False, collapse_padding=True
            )
            for i, head in enumerate(b.heads):
                table.add_column(
                    head,
                    justify="right" if i in b.right else "left",
                    overflow="fold",
                    no_wrap=i not in b.wrap,
                    # A fixed width still fits the header's longest word ("institutions", "ditindaklanjuti").
                    width=max(b.fixed[i], *(len(w) for w in head.split())) if i in b.fixed else None,
                )
            shown = b.rows if b.limit is None else b.rows[: b.limit]
            for row in shown:
                table.add_row(*row)
            con.print(table)
            if len(b.rows) > len(shown):
                con.print(f"  … {len(b.rows) - len(shown)} {label('more_rows', ws.lang)}")
        for line in b.notes:
            con.print(line)


# --- cell texts ---------------------------------------------------------------------------------------------


def _missing(v: Any) -> bool:
    import pandas as pd

    return v is None or (not isinstance(v, (str, list, tuple, dict)) and bool(pd.isna(v)))


def _date(v: Any, lang: str) -> str:
    from pkp_cli.render.formats import fmt_date

    return "" if _missing(v) else fmt_date(v, lang)


def _short_date(v: Any, lang: str) -> str:
    """A day and a short month, "11 Mar" (the fiscal year is the schedule's; the board has no room for it)."""
    import pandas as pd
    from babel.dates import format_date

    return "" if _missing(v) else format_date(pd.Timestamp(v).date(), "d MMM", locale="id" if lang == "id" else "en")


def _int(v: Any, lang: str) -> str:
    from pkp_cli.render.formats import fmt_number

    return "" if _missing(v) else fmt_number(v, lang, 0)


def _num(v: Any, lang: str) -> str:
    """A score or a weight: "25", or "2,5" in Indonesian when it has a fraction."""
    from pkp_cli.render.formats import fmt_number

    if _missing(v):
        return ""
    return fmt_number(v, lang, 0 if float(v).is_integer() else 1)


def _yes(v: Any, lang: str) -> str:
    from pkp_cli.text.labels import label

    return label("yes", lang) if not _missing(v) and bool(v) else ""


def _heads(keys: list[str], lang: str) -> list[str]:
    from pkp_cli.text.labels import label

    return [label(f"col.{k}", lang) for k in keys]


# --- shared ------------------------------------------------------------------------------------------------


def _write_json(ws: Any, rows: Any, **extra: Any) -> None:
    from pkp_cli.render import formats

    sys.stdout.write(formats.to_json({**ws.facts().meta(), **extra, "rows": rows}))


def _write_csv(frame: Any, columns: list[str]) -> None:
    from pkp_cli.render import formats

    sys.stdout.write(formats.to_csv(formats.records(frame[columns]), columns))


def _stage_names(schedule: Any) -> dict[str, str]:
    return {st.kode: st.nama for _, st in schedule.stages()}


# --- pkp candidates ----------------------------------------------------------------------------------------


def _offered_text(stages: list[dict[str, Any]], lang: str) -> str:
    """The offered stages in words: "PSW-12 Perencanaan teknis (DED dan RAB), 24 hari lebih awal; …"."""
    from pkp_cli.text.labels import label

    parts = []
    for s in stages:
        gain = (
            label("percepatan.hari_awal", lang).format(n=s["hari"])
            if s["hari"] > 0
            else label("percepatan.jadwal_dibuka", lang)
        )
        parts.append(f"{s['tahapan']} {s['nama_tahapan']}, {gain}")
    return "; ".join(parts) or label("percepatan.tidak_ada", lang)


def _held_text(codes: list[str], prov: str, program: str, ctx: dict[str, Any], lang: str) -> str:
    """What a stage waits for, and when that stage itself waits on the province's DIPA revision, the revision
    too: "PSW-08 Mobilisasi tenaga pendamping (menunggu PSW-06 Revisi DIPA)"."""
    from pkp_cli.text.labels import label

    names, gated, schedule = ctx["names"], ctx["gated"], ctx["schedule"]
    parts = []
    for c in codes:
        text = f"{c} {names[c]}" if c in names else label(f"percepatan.peran.{c}", lang)
        dipa = schedule.key_stage(program, "revisi_dipa")
        if (prov, program, c) in gated and dipa and dipa != c:
            text += f" ({label('percepatan.menunggu', lang)} {dipa} {names.get(dipa, dipa)})"
        parts.append(text)
    return ", ".join(parts)


def _held_context(ws: Any, st: Any) -> dict[str, Any]:
    """What `_held_text` looks up: stage names, and the province-level stages waiting on the DIPA revision."""
    prov = st[(st["tingkat"] == "provinsi").to_numpy(bool) & st["tertunda_dipa"].fillna(False).to_numpy(bool)]
    gated = set(zip(prov["kode_provinsi"], prov["program"], prov["tahapan"], strict=True))
    return {"names": _stage_names(ws.schedule), "gated": gated, "schedule": ws.schedule}


def _waiting_lines(waiting: Any, ctx: dict[str, Any], lang: str) -> list[str]:
    """One list item per (stage, what it waits for), with the number of locations: the story in a line."""
    from pkp_cli.text.labels import label

    if waiting.empty:
        return []
    texts = [
        _held_text(list(r["menunggu"]), r["kode_provinsi"], r["program"], ctx, lang) for r in waiting.to_dict("records")
    ]
    counts = (
        waiting.assign(tunggu=texts)
        .groupby(["urutan", "tahapan", "nama_tahapan", "tunggu"], sort=True)["kode_lokasi"]
        .nunique()
        .reset_index()
    )
    lines = [label("percepatan.tertahan", lang)]
    for row in counts.itertuples(index=False):
        n = label("percepatan.lokasi_n", lang).format(n=row.kode_lokasi)
        lines.append(f"- {n}: {row.tahapan} {row.nama_tahapan} {label('percepatan.menunggu', lang)} {row.tunggu}")
    return lines


_CANDIDATE_WIDTHS = {"nama_lokasi": 12, "kabupaten_kota": 14, "wilayah": 14, "memenuhi": 10, "tahapan_dipercepat": 18}


def _candidate_blocks(
    ws: Any, shown: Any, scope: Any, waiting: Any, ctx: dict[str, Any], filters: dict[str, Any], fmt: str
) -> list[Block]:
    import pandas as pd

    from pkp_cli.text.labels import label

    show_all = bool(filters.get("all"))
    lang = ws.lang
    keys = ["kode_lokasi", "nama_lokasi"]
    several = shown["kode_provinsi"].nunique() > 1
    if several and fmt in ("markdown", "md"):
        keys += ["provinsi", "kabupaten_kota"]
    elif several:
        keys.append("wilayah")  # the screen has no room for a province column: "Kabupaten Gowa, Sulawesi Selatan"
    else:
        keys.append("kabupaten_kota")
    keys += ["program", "skor"]
    if show_all:
        keys.append("memenuhi")
    keys += ["alasan", "tahapan_dipercepat"]
    cells = {
        "skor": lambda r: _num(r["skor"], lang),
        "wilayah": lambda r: ", ".join(str(r[c]) for c in ("kabupaten_kota", "provinsi") if not _missing(r[c])),
        # "ya", or "tidak: kinerja" with the required conditions it fails.
        "memenuhi": lambda r: (
            label("yes", lang) if r["memenuhi"] else f"{label('no', lang)}: {', '.join(r['syarat_gagal'])}"
        ),
        "alasan": lambda r: r["alasan_teks"],
        "tahapan_dipercepat": lambda r: _offered_text(r["tahapan_dipercepat"], lang),
    }
    rows = [
        [cells[k](r) if k in cells else ("" if _missing(r[k]) else str(r[k])) for k in keys]
        for r in shown.to_dict("records")
    ]
    eligible = scope[scope["memenuhi"]]
    # The filters in the title: "Lokasi yang dapat dipercepat — Bali, PISEW (4)".
    scope_names = [*pd.unique(scope["provinsi"].dropna())] if filters.get("province") else []
    if filters.get("program"):
        scope_names.append(filters["program"])
    where = f" — {', '.join(str(n) for n in scope_names)}" if scope_names else ""
    notes = [
        label("percepatan.ringkasan", lang).format(
            ok=len(eligible),
            total=len(scope),
            now=int(sum(bool(s) for s in eligible["tahapan_dipercepat"])),
        )
    ]
    if not show_all and len(eligible) < len(scope):
        notes.append(label("percepatan.dikecualikan", lang).format(n=len(scope) - len(eligible)))
    notes += _waiting_lines(waiting, ctx, lang)
    wrap = {i for i, k in enumerate(keys) if k in _CANDIDATE_WIDTHS or k == "alasan"}
    # On a 120-column screen the reasons get the room; names and the offered stages wrap in fixed columns.
    fixed = {i: _CANDIDATE_WIDTHS[k] for i, k in enumerate(keys) if k in _CANDIDATE_WIDTHS}
    return [
        Block(
            f"{label('t.candidates', lang)}{where} ({len(shown)})",
            _heads(keys, lang),
            rows,
            wrap=wrap,
            right={keys.index("skor")},
            fixed=fixed,
            notes=notes,
            empty=label("percepatan.tidak_ada", lang),
        )
    ]


def _card_rows(card: Any, rule_set: Any, lang: str) -> list[list[str]]:
    """The score card's rows: kind, rule, required, weight, result, points, the data behind it."""
    from pkp_cli.text.labels import label

    per = {p.id: p.per for p in rule_set.penalti}
    kinds = {p.id: p.jenis for p in rule_set.penalti}
    rows = []
    for r in card.rincian.to_dict("records"):
        if r["bagian"] == "syarat":
            weight = _num(r["bobot"], lang)
            data = "" if _missing(r["teks"]) else str(r["teks"])
        else:
            weight = label(f"percepatan.per.{per.get(r['id'], 'tahapan')}", lang).format(
                bobot=_num(r["bobot"], lang), maks=_num(r["maks"], lang)
            )
            kind = kinds.get(r["id"])
            if not _missing(r["teks"]):
                parts = [str(r["teks"])]  # applied: "2 tahapan terlambat (-10)"
            elif kind and per.get(r["id"]) == "tahapan":
                parts = [label(f"percepatan.penalti.{kind}.tahapan", lang).replace("{n}", "0")]
            else:
                parts = []
            if not _missing(r["tahapan"]):
                parts.append(str(r["tahapan"]))  # the stages counted
            if not _missing(r["tanggal"]):
                parts.append(label("percepatan.laporan_terakhir", lang).format(d=_date(r["tanggal"], lang)))
            data = "; ".join(parts) or label("percepatan.tidak_ada", lang)
        points = float(r["poin"])
        rows.append(
            [
                label(f"percepatan.bagian.{r['bagian']}", lang),
                str(r["id"]),
                _yes(r["wajib"], lang),
                weight,
                label(f"percepatan.hasil.{r['hasil']}", lang),
                ("+" if points > 0 else "") + _num(points, lang),
                data,
            ]
        )
    return rows


def _card_blocks(ws: Any, card: Any, rule_set: Any, waiting: Any, ctx: dict[str, Any]) -> list[Block]:
    from pkp_cli.text.labels import label

    lang = ws.lang
    where = ", ".join(x for x in (card.kabupaten_kota, card.provinsi) if x)
    title = f"{label('percepatan.kartu', lang)}: {card.kode_lokasi} {card.nama_lokasi} — {where} ({card.program})"
    verdict = (
        label("percepatan.kartu.memenuhi", lang)
        if card.memenuhi
        else label("percepatan.kartu.gagal", lang).format(ids=", ".join(card.syarat_gagal))
    )
    score = label("percepatan.kartu.skor", lang).format(skor=_num(card.skor, lang), maks=_num(card.skor_maks, lang))
    if card.skor_mentah != card.skor:
        mentah = label("percepatan.kartu.mentah", lang).format(
            maks=_num(card.skor_maks, lang), n=_num(card.skor_mentah, lang)
        )
        score += f" ({mentah})"
    notes = [f"{score} — {verdict}."]
    offered = _offered_text(card.tahapan_dipercepat, lang)
    notes.append(f"{label('percepatan.kartu.dapat', lang)}: {offered}.")
    if not waiting.empty:
        notes.append(f"{label('percepatan.kartu.tertahan', lang)}:")
    for r in waiting.to_dict("records"):
        held = _held_text(list(r["menunggu"]), r["kode_provinsi"], r["program"], ctx, lang)
        notes.append(f"- {r['tahapan']} {r['nama_tahapan']} {label('percepatan.menunggu', lang)} {held}")
    keys = ["bagian", "aturan", "wajib", "bobot", "hasil", "poin", "data"]
    return [
        Block(
            title,
            _heads(keys, lang),
            _card_rows(card, rule_set, lang),
            wrap={3, 6},
            right={5},
            notes=notes,
            limit=None,
        )
    ]


def _explain(ws: Any, code: str, st: Any, rule_set: Any, fmt: str) -> None:
    from pkp_cli.engines.candidates import RINCIAN_COLUMNS, explain, waiting_stages
    from pkp_cli.render import formats

    lok = ws.loaded.lokasi
    card = explain(code, lok, st, ws.schedule, rule_set, ws.as_of, lang=ws.lang)
    waiting = waiting_stages(lok[lok["kode_lokasi"] == code], st, ws.schedule)
    if fmt == "json":
        doc = card.to_dict()
        rows = doc.pop("rincian")
        doc["tahapan_menunggu"] = formats.records(waiting[["tahapan", "nama_tahapan", "menunggu"]])
        _write_json(ws, rows, rules=str(rule_set.path), rules_sha256=rule_set.sha256, kartu=doc)
    elif fmt == "csv":
        _write_csv(card.rincian, RINCIAN_COLUMNS)
    else:
        _show(ws, _card_blocks(ws, card, rule_set, waiting, _held_context(ws, st)), fmt)


def _ordered(board: Any, schedule: Any) -> Any:
    """Provinces by code, then the programs in the schedule's order (PISEW before KOTAKU in the bundled one)."""
    rank = {p: i for i, p in enumerate(schedule.programs)}
    return (
        board.assign(_rank=board["program"].map(rank))
        .sort_values(["kode_provinsi", "_rank"], kind="stable")
        .drop(columns="_rank")
        .reset_index(drop=True)
    )


def _board_stage_groups(schedule: Any) -> list[tuple[str, dict[str, str]]]:
    """The board's stage columns: one per province-level stage NAME (in schedule order), mapping program to
    its stage code; programs whose province-level stages share names share the column."""
    groups: dict[str, dict[str, str]] = {}
    for program, st in schedule.stages():
        if st.tingkat == "provinsi":
            groups.setdefault(st.nama, {})[program] = st.kode
    return list(groups.items())


_BOARD_FIGURES = [
    "jumlah_lokasi",
    "kelembagaan_persen",
    "survei_persen",
    "tunggu_dipa",
    "temuan_terbuka",
    "temuan_lewat_batas",
    "temuan_terbuka_nilai",
    "laporan_terakhir",
]


# Screen widths of the figures, in _BOARD_FIGURES order (a Rupiah amount up to 999.999.999.999 fits).


_BOARD_WIDTHS = [6, 11, 7, 7, 7, 7, 15, 8]


def _readiness_blocks(ws: Any, board: Any, fmt: str) -> list[Block]:
    """Markdown: the whole board in one table. Screen: the same rows as two tables that fit 120 columns,
    the province-level stages first, then the locations' shares, the audit findings and the newest report."""
    from pkp_cli.text.labels import label

    lang = ws.lang
    groups = _board_stage_groups(ws.schedule)
    stage_heads = [name for name, _ in groups]
    sep = " " if fmt in ("markdown", "md") else "\n"
    stage_rows, figure_rows = [], []
    for r in board.to_dict("records"):
        cells = []
        for _, codes in groups:
            code = codes.get(r["program"])
            status = r.get(f"status.{code}") if code else None
            if _missing(status):
                cells.append("")
                continue
            when = _short_date(r.get(f"tanggal.{code}"), lang)
            # On screen the date goes under the status, so every cell reads the same way.
            cells.append(f"{label(f'status.{status}', lang)}{sep}{when}".strip())
        stage_rows.append(cells)
        figure_rows.append(
            [
                _int(r["jumlah_lokasi"], lang),
                _int(r["kelembagaan_persen"], lang),
                _int(r["survei_persen"], lang),
                _yes(r["tertunda_dipa"], lang),
                _int(r["temuan_terbuka"], lang),
                _int(r["temuan_lewat_batas"], lang),
                _int(r["temuan_terbuka_nilai"], lang),
                _short_date(r["laporan_terakhir"], lang),
            ]
        )
    keys = [[str(r["provinsi"]), str(r["program"])] for r in board.to_dict("records")]
    key_heads = _heads(["provinsi", "program"], lang)
    figure_heads = _heads(_BOARD_FIGURES, lang)
    numbers = {0, 1, 2, 4, 5, 6}
    note = [label("kesiapan.catatan", lang)]
    title = label("t.readiness", lang)
    if fmt in ("markdown", "md"):
        n = 2 + len(groups)
        return [
            Block(
                title,
                key_heads + stage_heads + figure_heads,
                [k + s + f for k, s, f in zip(keys, stage_rows, figure_rows, strict=True)],
                right={n + i for i in numbers},
                notes=note,
                limit=None,
            )
        ]
    n = len(groups)
    return [
        Block(
            f"{title}: {label('kesiapan.persiapan', lang)}",
            key_heads + stage_heads,
            [k + s for k, s in zip(keys, stage_rows, strict=True)],
            wrap=set(range(0, 2 + n)),
            limit=None,
        ),
        Block(
            f"{title}: {label('kesiapan.lokasi_temuan', lang)}",
            key_heads + figure_heads,
            [k + f for k, f in zip(keys, figure_rows, strict=True)],
            wrap={0} | {2 + i for i in range(len(_BOARD_FIGURES))},
            right={2 + i for i in numbers},
            # Figures get fixed widths (their headers wrap at words); the province names take the rest.
            fixed={2 + i: w for i, w in enumerate(_BOARD_WIDTHS)},
            notes=note,
            limit=None,
        ),
    ]


def _readiness_records(board: Any, long: Any, schedule: Any) -> list[dict[str, Any]]:
    """JSON rows: the board's figures, and its own program's province-level stages as a list."""
    from pkp_cli.engines.readiness import SHARE_ROLES
    from pkp_cli.model.schedule import KEY_STAGE_ROLES
    from pkp_cli.render import formats

    roles = {(p, schedule.key_stage(p, role)): role for p in schedule.programs for role in KEY_STAGE_ROLES}
    stage_rows: dict[tuple[str, str], list[dict[str, Any]]] = {}
    columns = ["tahapan", "nama_tahapan", "jadwal_mulai", "jadwal_selesai", "status", "tanggal"]
    columns += ["hari_terlambat", "tertunda_dipa"]
    for rec in formats.records(long[["kode_provinsi", "program", *columns]]):
        key = (rec.pop("kode_provinsi"), rec.pop("program"))
        rec = {"tahapan": rec.pop("tahapan"), "nama_tahapan": rec.pop("nama_tahapan"), **rec}
        rec = {**dict(list(rec.items())[:2]), "peran": roles.get((key[1], rec["tahapan"])), **rec}
        stage_rows.setdefault(key, []).append(rec)
    head = ["kode_provinsi", "provinsi", "program", *(["balai"] if "balai" in board.columns else [])]
    figures = ["jumlah_lokasi", *[f"{role}_{x}" for role in SHARE_ROLES for x in ("selesai", "persen")]]
    figures += ["tertunda_dipa", "temuan_terbuka", "temuan_terbuka_nilai", "temuan_lewat_batas", "laporan_terakhir"]
    out = []
    for rec in formats.records(board[head + figures]):
        row = {k: rec[k] for k in head}
        row["tahapan"] = stage_rows.get((rec["kode_provinsi"], rec["program"]), [])
        row.update({k: rec[k] for k in figures})
        out.append(row)
    return out


_SUMMARY_SHOWN = [
    ("jumlah", "temuan", 7),
    ("belum", "belum", 6),
    ("proses", "proses", 7),
    ("selesai", "temuan_selesai", 7),
    ("nilai_total", "nilai_total", 13),
    ("lewat_batas", "lewat_batas", 6),
    ("nilai_lewat_batas", "nilai_lewat_batas", 13),
    ("hari_lewat_batas_maks", "hari_lewat_batas_maks", 8),
    ("ditutup_baru", "ditutup_baru", 7),
    ("lewat_batas_baru", "lewat_batas_baru", 7),
]


_OVERDUE_COLUMNS = [
    "kode_provinsi",
    "provinsi",
    "nomor_temuan",
    "uraian",
    "nilai",
    "status_per_tanggal",
    "batas_waktu",
    "hari_lewat_batas",
]


def _audit_summary_block(ws: Any, summary: Any, previous: Any) -> Block:
    from pkp_cli.text.labels import label

    lang = ws.lang
    rows = [[str(r["provinsi"])] + [_int(r[c], lang) for c, _, _ in _SUMMARY_SHOWN] for r in summary.to_dict("records")]
    if len(summary) > 1:
        total = [label("audit.jumlah_semua", lang)]
        for c, _, _ in _SUMMARY_SHOWN:
            value = summary[c].max() if c == "hari_lewat_batas_maks" else summary[c].sum(min_count=1)
            total.append(_int(value, lang))
        rows.append(total)
    notes = [] if previous is not None else [label("audit.tanpa_sebelumnya", lang)]
    return Block(
        label("t.audit", lang),
        _heads(["provinsi", *[k for _, k, _ in _SUMMARY_SHOWN]], lang),
        rows,
        wrap=set(range(len(_SUMMARY_SHOWN) + 1)),
        right=set(range(1, len(_SUMMARY_SHOWN) + 1)),
        fixed={i + 1: w for i, (_, _, w) in enumerate(_SUMMARY_SHOWN)},
        notes=notes,
        limit=None,
    )


def _audit_blocks(ws: Any, summary: Any, overdue: Any, changes: Any, previous: Any) -> list[Block]:
    from pkp_cli.text.labels import label

    lang = ws.lang
    blocks = [_audit_summary_block(ws, summary, previous)]
    late_keys = ["provinsi", "nomor_temuan", "uraian", "nilai", "status_temuan", "batas_waktu", "hari_lewat_batas"]
    late_rows = [
        [
            str(r["provinsi"]),
            str(r["nomor_temuan"]),
            str(r["uraian"]),
            _int(r["nilai"], lang),
            label(f"audit.status.{r['status_per_tanggal']}", lang),
            _date(r["batas_waktu"], lang),
            _int(r["hari_lewat_batas"], lang),
        ]
        for r in overdue.to_dict("records")
    ]
    blocks.append(
        Block(
            f"{label('t.audit_overdue', lang)}: {len(late_rows)}",
            _heads(late_keys, lang),
            late_rows,
            wrap={0, 2, 5, 6},
            right={3, 6},
            fixed={0: 12, 3: 11, 5: 13, 6: 6},
            empty=label("audit.tidak_ada", lang),
        )
    )
    if previous is not None:
        change_keys = ["provinsi", "nomor_temuan", "uraian", "nilai", "perubahan", "tanggal"]
        change_rows = [
            [
                str(r["provinsi"]),
                str(r["nomor_temuan"]),
                str(r["uraian"]),
                _int(r["nilai"], lang),
                label(f"audit.perubahan.{r['perubahan']}", lang),
                _date(r["tanggal"], lang),
            ]
            for r in changes.to_dict("records")
        ]
        blocks.append(
            Block(
                label("t.audit_changes", lang).format(d=_date(previous, lang)),
                _heads(change_keys, lang),
                change_rows,
                wrap={0, 2, 4, 5},
                right={3},
                fixed={0: 12, 3: 11, 4: 10, 5: 11},
                empty=label("audit.tidak_ada", lang),
            )
        )
    return blocks
