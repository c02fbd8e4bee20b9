"""The report of `pkp config`: each setting, its effective value and where it came from."""

from __future__ import annotations

from typing import Any

import pandas as pd

from pkp_cli.text.labels import label
from pkp_cli.views.columns import columns
from pkp_cli.views.facts import Facts
from pkp_cli.views.model import Report, Table
from pkp_cli.views.specs import CONFIG_KEYS


def build(rows: list[dict[str, Any]], facts: Facts) -> Report:
    frame = pd.DataFrame(rows, columns=CONFIG_KEYS)
    report = Report("config", facts.lang, meta=facts.meta(), main="pengaturan")
    report.tables.append(Table("pengaturan", label("t.settings", facts.lang), columns(*CONFIG_KEYS), frame))
    return report
