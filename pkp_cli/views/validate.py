"""The report of `pkp validate`: every file and sheet with its accounting, the errors and warnings at their
cells, and the files not read with the reason."""

from __future__ import annotations

import pandas as pd

from pkp_cli.model.frames import LoadResult
from pkp_cli.text.labels import label
from pkp_cli.views.columns import columns
from pkp_cli.views.facts import Facts
from pkp_cli.views.model import Report, Table
from pkp_cli.views.specs import FILE_KEYS, IGNORED_KEYS, ISSUE_KEYS

ISSUES_LIMIT = 200


def _issues(issues: list, lang: str) -> pd.DataFrame:
    return pd.DataFrame([i.as_dict(lang) for i in issues], columns=ISSUE_KEYS)


def build(loaded: LoadResult, facts: Facts, *, province_filter: bool = False) -> Report:
    from pkp_cli.model.regions import REFERENCE_EDITION

    lang = facts.lang
    files = pd.DataFrame(
        [
            {
                "file": f.path,
                "sheet": s.name,
                "jenis": s.kind,
                "baris_judul": s.header_row,
                "rows_read": s.rows_read,
                "rows_loaded": s.rows_loaded,
                "rows_rejected": s.rows_rejected,
                "rows_skipped": s.rows_skipped,
            }
            for f in loaded.files
            for s in f.sheets
        ],
        columns=FILE_KEYS,
    )
    totals = {k: loaded.total(k) for k in ("rows_read", "rows_loaded", "rows_rejected", "rows_skipped")}
    errors = [*loaded.unreadable, *loaded.errors]
    shown_errors = loaded.errors_total
    truncated = loaded.errors_total > len(errors)
    report = Report(
        "validate",
        lang,
        header=facts.header(),
        meta=facts.meta(
            reference_edition=REFERENCE_EDITION,
            **totals,
            errors_total=loaded.errors_total,
            errors_truncated=truncated,
            warnings_total=loaded.warnings_total,
            files_ignored=len(loaded.ignored),
        ),
        main="galat",
    )
    summary = label("v.summary", lang).format(**totals)
    report.tables += [
        Table(
            "berkas",
            label("v.files", lang),
            columns(*FILE_KEYS),
            files,
            total={"file": label("v.total", lang), **totals},
            notes=[summary],
        ),
        Table(
            "galat",
            f"{label('v.errors', lang)} ({shown_errors})",
            columns(*ISSUE_KEYS),
            _issues(errors, lang),
            empty=label("none", lang),
            limit=ISSUES_LIMIT,
            notes=[label("v.province_filter", lang)] if province_filter else [],
        ),
        Table(
            "peringatan",
            f"{label('v.warnings', lang)} ({loaded.warnings_total})",
            columns(*ISSUE_KEYS),
            _issues(loaded.warnings, lang),
            empty=label("none", lang),
            limit=ISSUES_LIMIT,
        ),
        Table(
            "diabaikan",
            f"{label('v.ignored', lang)} ({len(loaded.ignored)})",
            columns(*IGNORED_KEYS),
            pd.DataFrame(loaded.ignored, columns=IGNORED_KEYS),
            empty=label("none", lang),
        ),
    ]
    return report
