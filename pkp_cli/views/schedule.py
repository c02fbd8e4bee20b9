"""The report of `pkp schedule`: the stages of the national schedule with their windows."""

from __future__ import annotations

from pkp_cli.model.schedule import Schedule
from pkp_cli.text.labels import label
from pkp_cli.views.columns import columns
from pkp_cli.views.facts import Facts
from pkp_cli.views.model import Report, Table
from pkp_cli.views.specs import SCHEDULE_KEYS


def build(schedule: Schedule, facts: Facts, program: str | None = None) -> Report:
    st = schedule.stage_table()
    if program:
        st = st[st["program"] == program]
    rows = st[SCHEDULE_KEYS].assign(setelah=st["setelah"].map(list))
    report = Report("schedule", facts.lang, meta=facts.meta(), main="jadwal")
    report.tables.append(
        Table("jadwal", f"{label('sch.title', facts.lang)} {schedule.year}", columns(*SCHEDULE_KEYS), rows)
    )
    return report
