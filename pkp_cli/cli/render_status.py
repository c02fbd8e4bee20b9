"""The screens, markdown, CSV and JSON of `pkp status`."""

from __future__ import annotations

import sys
from typing import Any

from pkp_cli.cli.analysis import StatusQuery
from pkp_cli.cli.sections import Section, render_sections
from pkp_cli.cli.workspace import Workspace
from pkp_cli.render import formats
from pkp_cli.text.labels import label

SCREEN_LIMIT = 30
LOKASI_SCREEN_DROP = {"program", "tingkat", "hari_kerja_terlambat", "tanggal_laporan"}


def _filtered(status: Any, q: StatusQuery) -> Any:
    from pkp_cli.views.status_tables import filter_status

    st = status
    if q.provinces:
        st = st[st["kode_provinsi"].isin(q.provinces)]
    return filter_status(
        st, kabupaten=q.kabupaten, program=q.program, stage=q.stages, codes=q.statuses, late_only=q.late_only
    )


SUMMARY_COUNTS = ("selesai", "selesai_terlambat", "terlambat", "berjalan", "belum_mulai", "belum_jadwal")


def summary_line(s: dict[str, Any], lang: str) -> str:
    """Two lines: 'rencana 16,0 %, realisasi 31,9 %, deviasi +15,9 poin' and '276 tahapan: 88 selesai, ...'.

    Percentages of the weighted plan and actual, the deviation in points with its sign and the longest delay
    when there is one; then the count of each status (`terlambat` always, the others when present).
    """

    def word(key: str) -> str:
        return label(f"summary.{key}", lang)

    if not s:
        return ""
    dev = s.get("deviasi")
    sign = "+" if dev is not None and round(dev, 1) > 0 else ""
    parts = [
        f"{word('planned')} {formats.fmt_number(s.get('rencana_persen'), lang)} %",
        f"{word('actual')} {formats.fmt_number(s.get('realisasi_persen'), lang)} %",
        f"{label('col.deviasi', lang)} {sign}{formats.fmt_number(dev, lang)} {word('points')}",
    ]
    counts = [
        f"{formats.fmt_number(s.get(c) or 0, lang, 0)} {label(f'status.{c}', lang)}"
        for c in SUMMARY_COUNTS
        if s.get(c) or c == "terlambat"
    ]
    first = ", ".join(parts)
    if s.get("maks_terlambat"):
        first += f"; {word('max_late')} {formats.fmt_number(s['maks_terlambat'], lang, 0)} {word('days')}"
    return first + f"\n{formats.fmt_number(s.get('jumlah') or 0, lang, 0)} {word('stages')}: " + ", ".join(counts)


def _header(ws: Workspace) -> list[str]:
    lines = []
    if ws.data.is_sample:
        lines.append(label("sample_marker", ws.lang))
    lines.append(f"{label('as_of', ws.lang)}: {formats.fmt_date(ws.as_of, ws.lang)}")
    return lines


def render_status(ws: Workspace, status: Any, q: StatusQuery, fmt: str) -> None:
    from pkp_cli.views import status_tables as v

    lang = ws.lang
    st = _filtered(status, q)
    if q.detail:
        frame = v.detail_view(st)
        _emit_flat(ws, frame, list(frame.columns), fmt, label("t.detail", lang))
        return
    if q.lokasi:
        views = v.lokasi_view(st, ws.loaded.progres, q.lokasi, as_of=ws.as_of)
        if fmt == "json":
            sys.stdout.write(
                formats.to_json(
                    ws.envelope(formats.records(views["tahapan"]), laporan=formats.records(views["laporan"]))
                )
            )
        elif fmt == "csv":
            sys.stdout.write(formats.to_csv(formats.records(views["tahapan"]), list(views["tahapan"].columns)))
        else:
            own = status.loc[status["kode_lokasi"] == q.lokasi]
            name, program = own["nama_lokasi"].iloc[0], own["program"].iloc[0]
            # The screen has no room for all of LOKASI_STAGE_COLUMNS: the province-level stages that gate the
            # location and its own stages are two tables (no `tingkat` column), the program goes to the title
            # and the working days late stay in JSON/CSV (report dates show in the reports section below).
            stages = views["tahapan"]
            shown = [c for c in v.LOKASI_STAGE_COLUMNS if c not in LOKASI_SCREEN_DROP]
            upper = stages[stages["tingkat"] == "provinsi"]
            render_sections(
                [
                    *(
                        [Section(f"{own['provinsi'].iloc[0]} — {label('t.preparation', lang)}", upper, shown)]
                        if len(upper)
                        else []
                    ),
                    Section(f"{q.lokasi} {name} ({program})", stages[stages["tingkat"] != "provinsi"], shown),
                    Section(label("t.reports", lang), views["laporan"], v.LOKASI_REPORT_COLUMNS),
                ],
                fmt,
                lang,
                _header(ws),
            )
        return
    if q.provinces:
        _render_provinces(ws, st, q, fmt)
        return
    _render_national(ws, st, fmt)


def _render_national(ws: Workspace, st: Any, fmt: str) -> None:
    from pkp_cli.engines.construction import forecast
    from pkp_cli.engines.rollup import rollup, s_curve
    from pkp_cli.views import status_tables as v

    lang = ws.lang
    per_prov, late = v.national_view(st, ws.schedule, ws.as_of)
    # Construction per province: locations kritis, and locations projected to end after batas_akhir.
    fc = forecast(st, ws.schedule, ws.as_of)
    flags = fc.groupby("kode_provinsi")[["kritis", "melewati_batas_akhir"]].sum().astype(int)
    per_prov = per_prov.merge(flags, left_on="kode_provinsi", right_index=True, how="left")
    per_prov[["kritis", "melewati_batas_akhir"]] = per_prov[["kritis", "melewati_batas_akhir"]].fillna(0).astype(int)
    if fmt == "json":
        curve = s_curve(st, ws.schedule, ws.as_of, progres=ws.loaded.progres)
        sys.stdout.write(
            formats.to_json(
                ws.envelope(
                    formats.records(per_prov),
                    per_program=formats.records(rollup(st, ws.schedule, ws.as_of, by=["program"])),
                    tahapan_terlambat=formats.records(late),
                    kurva_s=formats.records(curve),
                )
            )
        )
        return
    if fmt == "csv":
        sys.stdout.write(formats.to_csv(formats.records(per_prov), list(per_prov.columns)))
        return
    cols = [
        "provinsi",
        "rencana_persen",
        "realisasi_persen",
        "deviasi",
        "selesai",
        "berjalan",
        "terlambat",
        "median_terlambat",
        "maks_terlambat",
        "tahapan_terburuk",
        "kritis",
    ]
    render_sections(
        [
            Section(label("t.provinces", lang), per_prov, cols),
            Section(
                label("t.late_stages", lang),
                late,
                ["program", "tahapan", "nama_tahapan", "terlambat", "median_terlambat", "maks_terlambat"],
                limit=10,
            ),
        ],
        fmt,
        lang,
        _header(ws),
    )


CONSTRUCTION_COLUMNS = [
    "kabupaten_kota",
    "kode_lokasi",
    "nama_lokasi",
    "program",
    "rencana_persen",
    "progres_persen",
    "deviasi",
    "perkiraan_selesai",
    "kritis",
    "melewati_batas_akhir",
]


def _construction(fc: Any) -> dict[str, Any]:
    """Construction of one province: how many locations, how many kritis or ending after batas_akhir, which."""
    flagged = fc[fc["kritis"] | fc["melewati_batas_akhir"]]
    return {
        "jumlah": len(fc),
        "kritis": int(fc["kritis"].sum()),
        "melewati_batas_akhir": int(fc["melewati_batas_akhir"].sum()),
        "lokasi": formats.records(flagged[["kode_lokasi", "nama_lokasi", *CONSTRUCTION_COLUMNS[3:]]]),
    }


def _render_provinces(ws: Workspace, st: Any, q: StatusQuery, fmt: str) -> None:
    from pkp_cli.engines.construction import forecast
    from pkp_cli.engines.rollup import rollup, s_curve
    from pkp_cli.views import status_tables as v

    lang = ws.lang
    docs: list[dict[str, Any]] = []
    sections: list[Section] = []
    late_all = []
    fc_all = forecast(st, ws.schedule, ws.as_of)
    for code in q.provinces or []:
        mine = st[st["kode_provinsi"] == code]
        view = v.province_view(mine, ws.schedule, ws.as_of, code)
        name = str(mine["provinsi"].iloc[0]) if len(mine) else code
        summary = rollup(mine, ws.schedule, ws.as_of, by=["kode_provinsi"])
        late_all.append(view["terlambat"].assign(kode_provinsi=code, provinsi=name))
        fc = fc_all[fc_all["kode_provinsi"] == code]
        if fmt == "json":
            docs.append(
                {
                    "kode_provinsi": code,
                    "provinsi": name,
                    "ringkasan": formats.records(summary)[0] if len(summary) else None,
                    "per_program": formats.records(rollup(mine, ws.schedule, ws.as_of, by=["program"])),
                    "persiapan": formats.records(view["persiapan"]),
                    "kabupaten": formats.records(view["kabupaten"]),
                    "terlambat": formats.records(view["terlambat"]),
                    "konstruksi": _construction(fc),
                    "kurva_s": formats.records(s_curve(mine, ws.schedule, ws.as_of, progres=ws.loaded.progres)),
                }
            )
            continue
        flagged = fc[fc["kritis"] | fc["melewati_batas_akhir"]]
        sections += [
            Section(
                f"{name} ({code})",
                None,
                [],
                note=summary_line(formats.records(summary)[0] if len(summary) else {}, lang),
            ),
            Section(
                f"{name} — {label('t.preparation', lang)}",
                view["persiapan"],
                [
                    "program",
                    "tahapan",
                    "nama_tahapan",
                    "jadwal_selesai",
                    "tanggal_mulai",
                    "tanggal_selesai",
                    "status",
                    "hari_terlambat",
                    "tertunda_dipa",
                ],
            ),
            Section(
                f"{name} — {label('t.kabupaten', lang)}",
                view["kabupaten"],
                [
                    "kabupaten_kota",
                    "rencana_persen",
                    "realisasi_persen",
                    "deviasi",
                    "selesai",
                    "terlambat",
                    "maks_terlambat",
                    "tahapan_terburuk",
                ],
            ),
            Section(
                f"{name} — {label('t.late_locations', lang)} ({len(view['terlambat'])})",
                view["terlambat"],
                [
                    "kabupaten_kota",
                    "kode_lokasi",
                    "nama_lokasi",
                    "program",
                    "nama_tahapan",
                    "jadwal_selesai",
                    "hari_terlambat",
                    "hari_kerja_terlambat",
                    "keterangan",
                ],
                limit=SCREEN_LIMIT,
            ),
            Section(
                f"{name} — {label('t.construction', lang)} ({len(flagged)})",
                flagged,
                CONSTRUCTION_COLUMNS,
                limit=SCREEN_LIMIT,
            ),
        ]
    if fmt == "json":
        sys.stdout.write(formats.to_json(ws.envelope(docs)))
        return
    if fmt == "csv":
        import pandas as pd

        late = pd.concat(late_all, ignore_index=True)
        cols = [
            "kode_provinsi",
            "provinsi",
            *[c for c in late.columns if c not in ("kode_provinsi", "provinsi")],
        ]
        sys.stdout.write(formats.to_csv(formats.records(late[cols]), cols))
        return
    render_sections(sections, fmt, lang, _header(ws))


def _emit_flat(ws: Workspace, frame: Any, columns: list[str], fmt: str, title: str) -> None:
    if fmt == "json":
        sys.stdout.write(formats.to_json(ws.envelope(formats.records(frame))))
    elif fmt == "csv":
        sys.stdout.write(formats.to_csv(formats.records(frame), columns))
    else:
        render_sections([Section(title, frame, columns, limit=200)], fmt, ws.lang, _header(ws))
