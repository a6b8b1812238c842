"""The report as a reader gets it: every PDF page rendered to PNG and checked, text a
director can read, Markdown that a CommonMark renderer cannot turn into markup, and a
formatted spreadsheet."""

from __future__ import annotations

import datetime as dt
import io
import subprocess

import pytest

from partnernet.service.report import build_report
from partnernet.visualisations.report import markdown_cell, render_report

from .conftest import XSS


@pytest.fixture(scope="module")
def report(sqlite_demo):
    return build_report(sqlite_demo, seeker="city:br:maringa", today=dt.date(2026, 11, 23))


def test_pdf_pages_look_right(report, tmp_path):
    from PIL import Image

    data, media = render_report(report, "pdf")
    assert media == "application/pdf"
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(data)
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(pdf), str(tmp_path / "page")],
                   check=True)
    pages = sorted(tmp_path.glob("page*.png"))
    assert 6 <= len(pages) <= 30, len(pages)
    for p in pages:
        img = Image.open(p).convert("L")
        w, h = img.size
        dark = sum(img.histogram()[:200])
        # a page with only a heading or a footer is "nearly blank": at least 0.5% ink
        assert dark > 0.005 * w * h, f"{p.name} is nearly blank ({dark} dark pixels)"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    first = text.split("\f")[0]
    for heading in ("executive summary", "What the network holds", "Brokers that matter",
                    "Largest South-South gaps", "Focal units: gaps and deadlines"):
        assert heading in first, heading  # the summary is on page 1
    for needed in ("Glossary of measures", "Burt's constraint", "doi:10.2307/270949",
                   "GeoNames", "CC BY 4.0", "Natural Earth", "The network", "page 1 of"):
        assert needed in text, needed
    import re

    for wrong in (r"p = 0\b", r"p = 0\.0\b", r"\bFalse\b", r"\bTrue\b", r"\bnan\b"):
        assert not re.search(wrong, text), wrong
    assert "p < 0.002 (500 permutations)" in text or "p = " in text


def test_html_report_is_escaped_and_scriptless(report):
    data, _ = render_report(report, "html")
    html = data.decode()
    assert "<script" not in html
    i = html.find("script-src")
    assert i < 0, html[i - 300:i + 50]
    import html as h

    assert "default-src 'none'; style-src" in h.unescape(html)  # the meta CSP
    assert "<svg" in html and "Glossary of measures" in html


def test_markdown_cells_cannot_become_markup(report):
    import copy

    import markdown_it

    r = copy.deepcopy(report)
    for row, name in zip(r["brokers"]["rows"], XSS + ["[x](javascript:alert(5))"],
                         strict=False):
        row["name"] = name
    md = render_report(r, "md")[0].decode()
    assert "javascript" in md  # the names are there, as text
    rendered = markdown_it.MarkdownIt("commonmark").enable("table").render(md)
    for name in XSS:
        assert name not in rendered
    assert "<script" not in rendered and "<img" not in rendered and "<svg" not in rendered
    assert "<a " not in rendered  # no link is made
    assert "&lt;script&gt;" in rendered
    assert markdown_cell("[x](javascript:alert(1))") == \
        "\\[x\\]\\(javascript:alert\\(1\\)\\)"
    assert "## Glossary" in md and "### Brokers that matter" in md


def test_xlsx_is_formatted(report):
    from openpyxl import load_workbook

    data, _ = render_report(report, "xlsx")
    wb = load_workbook(io.BytesIO(data))
    for name in ("About", "Brokers", "Missing links", "Recognitions", "Glossary", "Sources"):
        ws = wb[name]
        assert ws.freeze_panes == "A2", name
        assert ws.auto_filter.ref, name
        assert ws["A1"].font.bold, name
        assert any((ws.column_dimensions[c].width or 0) > 12 for c in "ABCD"), name
    rec = wb["Recognitions"]
    dates = [c.value for c in rec["C"][1:] if c.value is not None]
    assert dates and all(isinstance(d, dt.datetime) for d in dates)
    assert rec["C"][1].number_format == "yyyy-mm-dd"


def test_a_report_on_a_pairs_file_says_why_sections_are_empty(pairs_store):
    # Found on the twin-town file loaded as a new user would: "Missing South-South links
    # (none)" and "0 lapse within 365 days; 0 have lapsed. (none)" without a reason, the
    # brokers' projection not stated, and a glossary promising exact betweenness up to
    # 15,000 nodes where the report used KADABRA. Expected text by hand.
    report = build_report(pairs_store, today=dt.date(2026, 11, 23))
    html = render_report(report, "html")[0].decode("utf-8")
    md = render_report(report, "md")[0].decode("utf-8")
    assert "## Missing links\n\nnone proposed: none of the 3 Southern cities" in md
    assert "## Recognitions\n\nno Leading\\-level recognitions in this store" in md
    assert ("None proposed: none of the 3 Southern cities is in a network, committee, "
            "initiative, theme or SDG; load memberships") in html
    assert "No Leading-level recognitions in this store" in html
    assert "0 lapse within" not in html
    assert "Ranked by betweenness on the partnerships projection (default for this store" in html
    assert "15,000 nodes" not in html and "KADABRA" in html
    # (found on the twin-town file: a focal-unit deadline for a store with none)
    assert "Deadline: the annual list" not in html and "no SOP deadline applies" in html
