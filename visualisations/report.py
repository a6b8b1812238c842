"""Exported network reports: HTML and PDF (WeasyPrint) from one template, Markdown, XLSX.

A report a director can hand on: a one-page executive summary, a picture of the network
(static SVG), the tables, a glossary of every measure with its reference, the source
documents and data credits. Every report states the data snapshot, the definitions used
(Global South list, exact or sampled betweenness) and the software version.

Safety: HTML is escaped by the template (and the page runs no script: its CSP allows
none); Markdown cells are escaped so that no raw HTML or link survives a CommonMark
renderer; spreadsheet cells that start with ``=``, ``+``, ``-`` or ``@`` are neutralised.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from partnernet.formatting import format_cell, json_safe, neutralise_cell
from partnernet.service.tables import empty_reasons, report_tables
from partnernet.visualisations.charts import bar_chart, heatmap
from partnernet.visualisations.glossary import GLOSSARY
from partnernet.visualisations.palette import STATUS_COLORS
from partnernet.visualisations.picture import network_picture
from partnernet.vocabulary import REPORT_FORMATS

__all__ = ["REPORT_FORMATS", "REPORT_POLICY", "markdown_cell", "p_value_text", "render_report"]

#: The HTML report runs no script: its Content-Security-Policy allows none.
REPORT_POLICY = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
                 "font-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")

_env = Environment(loader=PackageLoader("partnernet.visualisations", "templates"),
                   autoescape=select_autoescape(["html", "j2"]))
_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}()#+!|~>-])")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def markdown_cell(value: Any) -> str:
    """A table cell as Markdown text: HTML characters as entities, Markdown punctuation
    escaped, no line breaks (so ``<script>`` or ``[x](javascript:...)`` stay text).

    >>> markdown_cell("<script>alert(1)</script>")
    '&lt;script&gt;alert\\\\(1\\\\)&lt;/script&gt;'
    >>> markdown_cell("a | b")
    'a \\\\| b'
    """
    text = format_cell(value).replace("\r", " ").replace("\n", " ")
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", text)


def p_value_text(p: float | None, permutations: int | None) -> str:
    """A permutation p-value as a reader can take it: never "p = 0".

    >>> p_value_text(0.0, 500)
    'p < 0.002 (500 permutations)'
    >>> p_value_text(0.2468, 500)
    'p = 0.247 (500 permutations)'
    """
    if p is None or p != p:
        return "p not computed"
    n = f" ({permutations} permutations)" if permutations else ""
    if permutations and p <= 1 / (permutations + 1):  # the least (b + 1)/(R + 1) can be
        return f"p < {1 / (permutations + 1):.2g}{n}"
    return f"p = {p:.3g}{n}"


def _md_table(rows: list[dict[str, Any]]) -> list[str]:
    cols = list(rows[0].keys())
    out = ["| " + " | ".join(markdown_cell(c) for c in cols) + " |",
           "|" + "|".join("---" for _ in cols) + "|"]
    out += ["| " + " | ".join(markdown_cell(row.get(c)) for c in cols) + " |" for row in rows]
    return out


def _markdown(r: dict[str, Any]) -> str:
    s = r["snapshot"]
    out = [f"# {r['title']}", "",
           f"- Data snapshot: {s['taken_at']} ({s['nodes']} nodes, {s['relationships']} "
           f"relationships; {s['generated_nodes'] or 0} generated sample nodes)",
           f"- Global South: {markdown_cell(r['definition']['title'])} "
           f"({r['definition']['name']}; {markdown_cell(r['definition']['source'])})",
           f"- Betweenness: {markdown_cell(r['betweenness']['description'])}",
           f"- Software: partnernet {r['version']}", "", "## Executive summary", ""]
    for head, lines in r.get("summary", {}).items():
        out += [f"### {head}", ""] + [f"- {markdown_cell(x)}" for x in lines] + [""]
    why = empty_reasons(r)
    for name, rows in report_tables(r).items():
        out += [f"## {name}", ""]
        out += (_md_table(rows) if rows else [markdown_cell(why.get(name, "(none)"))]) + [""]
    out += ["## Glossary", ""] + _md_table([{"measure": m, "definition": d, "reference": ref}
                                            for m, d, ref in GLOSSARY]) + [""]
    return "\n".join(out)


def _xlsx(r: dict[str, Any]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    head_font = Font(bold=True, color="FFFFFF")
    head_fill = PatternFill("solid", fgColor="0B4F8A")
    wb = Workbook()
    about = wb.active
    about.title = "About"
    s = r["snapshot"]
    rows = [("report", r["title"]), ("snapshot", s["taken_at"]), ("nodes", s["nodes"]),
            ("relationships", s["relationships"]),
            ("Global South", f"{r['definition']['title']} ({r['definition']['name']})"),
            ("betweenness", r["betweenness"]["description"]),
            ("software", f"partnernet {r['version']}"), ("report date", r["today"])]
    rows += [(head, x) for head, lines in r.get("summary", {}).items() for x in lines]
    sheets = {"About": [{"item": a, "value": b} for a, b in rows],
              **report_tables(r),
              "Glossary": [{"measure": m, "definition": d, "reference": ref}
                           for m, d, ref in GLOSSARY]}
    wb.remove(about)
    why = empty_reasons(r)
    for name, table in sheets.items():
        ws = wb.create_sheet(name[:31])
        if not table:
            ws.append([neutralise_cell(why.get(name, "(none)"))])
            continue
        cols = list(table[0].keys())
        ws.append(cols)
        widths = [len(str(c)) for c in cols]
        for row in table:
            values = []
            for i, c in enumerate(cols):
                v = json_safe(row.get(c))
                if isinstance(v, list | tuple):
                    v = "; ".join(str(x) for x in v)
                if isinstance(v, str) and _DATE.match(v):
                    v = dt.date.fromisoformat(v)
                elif isinstance(v, str):
                    v = neutralise_cell(v)
                widths[i] = max(widths[i], min(len(str(v)) if v is not None else 0, 80))
                values.append(v)
            ws.append(values)
        for i in range(1, len(cols) + 1):
            cell = ws.cell(row=1, column=i)
            cell.font, cell.fill = head_font, head_fill
            cell.alignment = Alignment(vertical="center", wrap_text=True)
            letter = get_column_letter(i)
            ws.column_dimensions[letter].width = max(8, min(widths[i - 1] + 2, 60))
            for cell in ws[letter][1:]:
                if isinstance(cell.value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
                elif isinstance(cell.value, float):
                    cell.number_format = "0.000"
                if widths[i - 1] > 60:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = ws.dimensions
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _html(r: dict[str, Any], *, printable: bool) -> str:
    ss = r["south_south"]
    dens = ss["density"]
    regions = [x for x in dens["regions"] if x != "Unknown"]
    net = ss["ei"]["south_north"]["network"]
    charts = {
        "heatmap": heatmap(regions, dens["matrix"], title="Region-by-region density"),
        "deliverables": bar_chart([(f"{a['code']} {a['name']}", a["counts"])
                                   for a in r["deliverables"]["action_lines"]],
                                  STATUS_COLORS, title="Deliverables by action line"),
        "picture": network_picture(r.get("picture", {}).get("map"),
                                   r.get("picture", {}).get("aggregate"),
                                   width=980 if printable else 1100),
    }
    return _env.get_template("report.html.j2").render(
        r=r, tables=report_tables(r), charts=charts, printable=printable, fmt=format_cell,
        glossary=GLOSSARY, p_text=p_value_text(net.get("p_value"), net.get("permutations")),
        csp=REPORT_POLICY)


def render_report(report: dict[str, Any], fmt: str) -> tuple[bytes, str]:
    """Render a report (:func:`partnernet.service.report.build_report`) as ``fmt``; return
    ``(bytes, media type)``."""
    if fmt == "md":
        return _markdown(report).encode("utf-8"), "text/markdown; charset=utf-8"
    if fmt == "xlsx":
        return _xlsx(report), ("application/vnd.openxmlformats-officedocument."
                               "spreadsheetml.sheet")
    if fmt == "html":
        return _html(report, printable=False).encode("utf-8"), "text/html; charset=utf-8"
    if fmt == "pdf":
        from weasyprint import HTML

        return HTML(string=_html(report, printable=True)).write_pdf(), "application/pdf"
    raise ValueError(f"unknown report format {fmt!r}; choose one of {', '.join(REPORT_FORMATS)}")
