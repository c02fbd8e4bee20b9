"""The HTML renderer on the hand-built report of test_xlsx: self-contained, escaped, the curve drawn as SVG from
the same series as the xlsx chart, stable bytes. (The page in a real browser: tests/render/test_browser.py.)"""

from __future__ import annotations

import re
from datetime import date

from pkp_cli.render.curve import curve, svg
from pkp_cli.render.html import css_string, render_html
from tests.render.test_xlsx import _report


def test_remarks_are_escaped_and_the_page_fetches_nothing() -> None:
    page = render_html([_report()])
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert" not in page
    assert page.count("<script>") == 1  # pkp's own sorting script, inline
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)  # no network: no external resource
    assert "<link" not in page and "@import" not in page


def test_tables_cards_and_the_sample_marker() -> None:
    page = render_html([_report()], title="Paket Bali")
    assert "<title>Paket Bali</title>" in page and '<p class="fact sample">DATA CONTOH (bawaan pkp)</p>' in page
    section = page.split('<section id="rincian"', 1)[1].split("</section>", 1)[0]
    assert 'data-rows="2"' in section and section.count("<tr>") == 1 + 2 + 1  # header, rows, total
    assert '<td class="st st-status-terlambat">terlambat</td>' in section
    assert '<td class="num" data-v="-3.25">-3,2</td>' in section  # sorts by the number, shows the label
    assert '<td data-v="2022-05-20">20 Mei 2022</td>' in section
    assert 'title="' + "Realisasi dikurangi rencana" in section  # the column's description as a tooltip
    assert "<dt>deviasi</dt><dd>Realisasi dikurangi rencana" in section  # ... and in the legend
    assert "catatan di bawah tabel" in section
    card = page.split('<section id="ringkasan"', 1)[1].split("</section>", 1)[0]
    assert "<dd>3 Juni 2022</dd>" in card
    chart = page.split('<section id="kurva_s"', 1)[1].split("</section>", 1)[0]
    assert "<table" not in chart and "<svg" in chart  # the curve table is drawn, not listed


def test_the_curve_is_svg_drawn_from_the_same_series_as_the_chart() -> None:
    report = _report()
    table = report.tables[2]
    c = curve(table, "id", date(2022, 6, 3))
    assert [s.id for s in c.series] == [
        "kotaku-rencana_persen",
        "kotaku-realisasi_persen",
        "pisew-rencana_persen",
        "pisew-realisasi_persen",
    ]
    assert [s.first_row for s in c.series] == [0, 0, 3, 3] and c.y_max == 10.0
    geometry = svg(c, "id", "Posisi per")
    # x: 20 May at the left edge (48), 3 June at the right (744); y: 0 % at the bottom (280), 10 % at the top (16)
    assert geometry.lines[1]["points"] == "48.0,280.0 396.0,148.0 744.0,42.4"
    assert geometry.as_of == (744.0, "Posisi per 3 Juni 2022")
    page = render_html([report])
    for s in c.series:
        assert f'<polyline id="kurva_s-{s.id}" class="series"' in page
    assert 'points="48.0,280.0 396.0,148.0 744.0,42.4"' in page
    assert page.count('stroke-dasharray="6 4" points=') == 2  # planned lines are dashed


def test_same_report_same_page() -> None:
    assert render_html([_report()]) == render_html([_report()])


def test_css_strings_cannot_break_out_of_the_style_element() -> None:
    text = 'Posisi per: 3 Juni 2022 · "a" </style><script>'
    out = str(css_string(text))
    assert out.startswith('"') and out.endswith('"') and "<" not in out and '"' not in out[1:-1]
    assert "\\00003c " in out  # "<" escaped for CSS, the escape ended by one space (CSS eats it)
    assert str(css_string("a: b")) == '"a\\00003a  b"'  # so the text's own space survives


def test_any_list_of_reports_makes_one_page() -> None:
    page = render_html([_report(), _report()], title="Dua")
    assert page.count('<section id="rincian"') == 1 and page.count('<section id="rincian-2"') == 1
    assert page.count("<svg xmlns") == 2 and 'id="kurva_s-2-pisew-realisasi_persen"' in page
