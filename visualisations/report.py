"""Exported network reports: HTML (self-contained, with the interactive view), Markdown,
XLSX (one sheet per table) and PDF (WeasyPrint).

Every report states the data snapshot, the definitions used (Global South list,
exact or sampled betweenness) and the software version. Spreadsheet cells that
start with ``=``, ``+``, ``-`` or ``@`` are neutralised.
"""

from __future__ import annotations

import io
import secrets
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from partnernet.formatting import format_cell, json_safe, neutralise_cell
from partnernet.service.tables import report_tables
from partnernet.visualisations.charts import bar_chart, heatmap
from partnernet.visualisations.views import View, csp_header, render_view
from partnernet.vocabulary import REPORT_FORMATS

__all__ = ["REPORT_FORMATS", "render_report"]

STATUS_COLORS = {"attained": "#2ca02c", "in_progress": "#ff7f0e", "not_developed": "#d62728"}
_env = Environment(loader=PackageLoader("partnernet.visualisations", "templates"),
                   autoescape=select_autoescape(["html", "j2"]))


def _markdown(r: dict[str, Any]) -> str:
    s = r["snapshot"]
    out = [f"# {r['title']}", "",
           f"- Data snapshot: {s['taken_at']} ({s['nodes']} nodes, {s['relationships']} "
           f"relationships; {s['generated_nodes'] or 0} generated sample nodes)",
           f"- Global South: {r['definition']['title']} ({r['definition']['name']}; "
           f"{r['definition']['source']})",
           f"- Betweenness: {r['betweenness']['description']}",
           f"- Software: partnernet {r['version']}", ""]
    for name, rows in report_tables(r).items():
        out += [f"## {name}", ""]
        if not rows:
            out += ["(none)", ""]
            continue
        cols = list(rows[0].keys())
        out.append("| " + " | ".join(cols) + " |")
        out.append("|" + "|".join("---" for _ in cols) + "|")
        for row in rows:
            cells = [format_cell(row.get(c)).replace("|", "\\|").replace("\n", " ") for c in cols]
            out.append("| " + " | ".join(cells) + " |")
        out.append("")
    return "\n".join(out)


def _xlsx(r: dict[str, Any]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    about = wb.active
    about.title = "About"
    s = r["snapshot"]
    for row in [("report", r["title"]), ("snapshot", s["taken_at"]), ("nodes", s["nodes"]),
                ("relationships", s["relationships"]),
                ("Global South", f"{r['definition']['title']} ({r['definition']['name']})"),
                ("betweenness", r["betweenness"]["description"]),
                ("software", f"partnernet {r['version']}")]:
        about.append([neutralise_cell(x) for x in row])
    for name, rows in report_tables(r).items():
        ws = wb.create_sheet(name[:31])
        if not rows:
            ws.append(["(none)"])
            continue
        cols = list(rows[0].keys())
        ws.append(cols)
        for row in rows:
            values = []
            for c in cols:
                v = json_safe(row.get(c))
                values.append(neutralise_cell(v) if isinstance(v, str) else v)
            ws.append(values)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _html(r: dict[str, Any], view: View | None, *, printable: bool) -> tuple[str, str]:
    ss = r["south_south"]
    dens = ss["density"]
    regions = [x for x in dens["regions"] if x != "Unknown"]
    charts = {
        "heatmap": heatmap(regions, dens["matrix"], title="Region-by-region density"),
        "deliverables": bar_chart([(f"{a['code']} {a['name']}", a["counts"])
                                   for a in r["deliverables"]["action_lines"]],
                                  STATUS_COLORS, title="Deliverables by action line"),
    }
    view_html, nonce = "", None
    if not printable and view is not None:
        view_html, nonce = render_view(view, snapshot=r["snapshot"], embedded=True)
    nonce = nonce or secrets.token_urlsafe(16)
    html = _env.get_template("report.html.j2").render(
        r=r, tables=report_tables(r), charts=charts, view_html=view_html, printable=printable,
        fmt=format_cell, csp=csp_header(nonce, meta=True))
    return html, nonce


def render_report(report: dict[str, Any], fmt: str, *, view: View | None = None
                  ) -> tuple[bytes, str]:
    """Render a report (:func:`partnernet.service.report.build_report`) as ``fmt``; return
    ``(bytes, media type)``. The HTML report embeds ``view`` (interactive) when given."""
    if fmt == "md":
        return _markdown(report).encode("utf-8"), "text/markdown; charset=utf-8"
    if fmt == "xlsx":
        return _xlsx(report), ("application/vnd.openxmlformats-officedocument."
                               "spreadsheetml.sheet")
    if fmt == "html":
        html, _ = _html(report, view, printable=False)
        return html.encode("utf-8"), "text/html; charset=utf-8"
    if fmt == "pdf":
        from weasyprint import HTML

        html, _ = _html(report, None, printable=True)
        return HTML(string=html).write_pdf(), "application/pdf"
    raise ValueError(f"unknown report format {fmt!r}; choose one of {', '.join(REPORT_FORMATS)}")
