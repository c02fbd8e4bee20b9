"""What every report states about its inputs: the status date, the data, the schedule, and whether the data
is older than the status date allows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pkp_cli.text.labels import label


@dataclass
class Facts:
    lang: str
    as_of: date | None  # None for commands that read no data (schedule, config)
    fiscal_year: int | None
    data_source: str | None  # "sample", or the data folder as given
    is_sample: bool
    schedule: str | None  # "bundled:<file>" or the path as given
    schedule_sha256: str | None
    newest_report: date | None = None
    stale_days: int = 14
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def stale(self) -> bool:
        """The status date is past the newest report by more than stale_days, or no report is dated on or before
        it: the data says little or nothing about it."""
        if self.as_of is None:
            return False
        if self.newest_report is None:
            return True
        return (self.as_of - self.newest_report).days > self.stale_days

    def meta(self, **extra: Any) -> dict[str, Any]:
        """The JSON envelope's facts, the same keys for every command."""
        return {
            "as_of": self.as_of,
            "fiscal_year": self.fiscal_year,
            "data_source": self.data_source,
            "schedule": self.schedule,
            "schedule_sha256": self.schedule_sha256,
            "newest_report": self.newest_report,
            "stale": self.stale,
            **self.extra,
            **extra,
        }

    def header(self) -> list[str]:
        from pkp_cli.text.formats import fmt_date

        lines = []
        if self.is_sample:
            lines.append(label("sample_marker", self.lang))
        if self.as_of is not None:
            line = f"{label('as_of', self.lang)}: {fmt_date(self.as_of, self.lang)}"
            if self.newest_report is not None and self.newest_report != self.as_of:
                line += f" ({label('newest_report', self.lang)}: {fmt_date(self.newest_report, self.lang)})"
            lines.append(line)
        if self.stale:
            lines.append(self.stale_text())
        return lines

    def stale_text(self) -> str:
        from pkp_cli.text.formats import fmt_date

        assert self.as_of is not None
        if self.newest_report is None:
            return label("no_report_yet", self.lang).format(as_of=fmt_date(self.as_of, self.lang))
        return label("stale_data", self.lang).format(
            days=(self.as_of - self.newest_report).days,
            newest=fmt_date(self.newest_report, self.lang),
            limit=self.stale_days,
        )

    def warnings(self) -> list[str]:
        return [self.stale_text()] if self.stale else []
