"""The terminal renderer lays a report out at the width it is given, header lines and notes included."""

from __future__ import annotations

import pandas as pd

from pkp_cli.render import terminal
from pkp_cli.views.model import Column, Report, Table


def test_render_at_a_given_width_wraps_every_line_to_it() -> None:
    """`render(report, width=40)` used to lay the table out at 40 but print the header and notes at the console's
    width (120 when piped): a 90-character header line came out whole."""
    header = "Posisi per: 3 Juni 2022 · data contoh (sampel) · bukan data resmi · jadwal nasional TA 2022"
    col = Column("nama", "text", ("Nama", "Name"), ("Nama lokasi", "Location name"))
    rows = pd.DataFrame({"nama": ["Melaya", "Negara kabupaten Jembrana dengan nama yang sangat panjang"]})
    report = Report("status", "id", header=[header], tables=[Table("t", "Lokasi", [col], rows, notes=[header])])
    screen = terminal.render(report, width=40)
    assert max(len(line) for line in screen.splitlines()) <= 40
    words = " ".join(screen.split())
    assert header in words and "Melaya" in words  # nothing lost, only wrapped
