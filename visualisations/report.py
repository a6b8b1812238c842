"""Exported network reports: HTML (self-contained, with the interactive view), Markdown,
XLSX (one sheet per table) and PDF (WeasyPrint).

Every report states the data snapshot, the definitions used (Global South list,
exact or sampled betweenness) and the software version. Spreadsheet cells that
start with ``=``, ``+``, ``-`` or ``@`` are neutralised.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from graph.store import GraphStore
from partnernet import __version__, analyses
from partnernet.cli.output import format_cell, json_safe, neutralise_cell
from visualisations.charts import bar_chart, heatmap
from visualisations.views import build_view, csp_header, render_view

__all__ = ["REPORT_FORMATS", "build_report", "render_report", "safe_output_path"]

REPORT_FORMATS = ("html", "md", "xlsx", "pdf")
STATUS_COLORS = {"attained": "#2ca02c", "in_progress": "#ff7f0e", "not_developed": "#d62728"}
_env = Environment(loader=PackageLoader("visualisations", "templates"),
                   autoescape=select_autoescape(["html", "j2"]))


def safe_output_path(name: str, *, base: Path) -> Path:
    """``base / name`` for a plain file name; refuses paths that leave ``base``.

    >>> safe_output_path("report.html", base=Path("/tmp/out")).name
    'report.html'
    >>> safe_output_path("../etc/passwd", base=Path("/tmp/out"))
    Traceback (most recent call last):
    ...
    ValueError: file name '../etc/passwd' must be a plain name (letters, digits, . _ -)
    """
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,120}", name) or ".." in name:
        raise ValueError(f"file name {name!r} must be a plain name (letters, digits, . _ -)")
    path = (base / name).resolve()
    if path.parent != base.resolve():
        raise ValueError(f"file name {name!r} leaves the output folder")
    return path


def build_report(store: GraphStore, *, definition: str = "g77", seeker: str | None = None,
                 k: int | None = None, top: int = 15, today: dt.date | None = None,
                 cache: analyses.GraphCache | None = None) -> dict[str, Any]:
    """Collect every section of the report as plain data."""
    cache = cache or analyses.GraphCache(store)
    g = cache.graph()
    today = today or dt.date.today()
    brokers = analyses.brokers(store, cache=cache, definition=definition, k=k, top=top,
                               group_by="region")
    ss = analyses.south_south(store, cache=cache, definition=definition, top=top,
                              permutations=500)
    fu = analyses.focal_unit_report(store, cache=cache, today=today)
    dl = analyses.deliverables(store, cache=cache)
    rec = analyses.recognitions_report(store, cache=cache, today=today)
    match = None
    if seeker:
        match = analyses.match(store, seeker, cache=cache, definition=definition, top=10,
                               south_south=True)
    annotated = analyses._annotated(cache, definition)
    regions: dict[str, int] = {}
    blocs: dict[str, int] = {}
    for _, d in annotated.nodes(data=True):
        if d.get("label") == "City":
            regions[d.get("region", "Unknown")] = regions.get(d.get("region", "Unknown"), 0) + 1
            blocs[d.get("bloc", "Unclassified")] = blocs.get(d.get("bloc", "Unclassified"), 0) + 1
    snap = analyses.snapshot(store, g)
    return {"title": "Partnership network report", "today": today.isoformat(),
            "snapshot": snap, "definition": brokers["definition"],
            "betweenness": brokers["betweenness"], "version": __version__,
            "counts": {"nodes": snap["nodes_by_label"],
                       "relationships": store.counts().relationships,
                       "cities_by_region": dict(sorted(regions.items())),
                       "cities_by_bloc": dict(sorted(blocs.items()))},
            "brokers": brokers, "south_south": ss, "focal_units": fu, "deliverables": dl,
            "recognitions": rec, "match": match}


def _tables(r: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The report's tables, as rows (shared by Markdown and XLSX)."""
    ss = r["south_south"]
    fu = r["focal_units"]
    t = {
        "Counts": [{"what": k, "count": v} for k, v in r["counts"]["nodes"].items()]
        + [{"what": f"relationship {k}", "count": v}
           for k, v in r["counts"]["relationships"].items()],
        "Cities by region": [{"region": k, "cities": v}
                             for k, v in r["counts"]["cities_by_region"].items()],
        "Brokers": [{"rank": b["rank"], "name": b["name"], "region": b["group"],
                     "betweenness": b["betweenness"], "constraint": b["constraint"],
                     "coordinator": b["coordinator"], "itinerant": b["itinerant"],
                     "gatekeeper": b["gatekeeper"], "representative": b["representative"],
                     "liaison": b["liaison"],
                     "connects": "; ".join(f"{c['from']} -> {c['to']} ({c['role']}, "
                                           f"{c['count']})" for c in b.get("connects", []))}
                    for b in r["brokers"]["rows"]],
        "Partnership shares": [{"type": k, "count": v["count"], "share": v["share"]}
                               for k, v in ss["shares"]["overall"].items()],
        "Thin corridors": [{"corridor": f"{x['a']} - {x['b']}", "ties": x["ties"],
                            "possible": x["possible"], "density": x["density"]}
                           for x in ss["density"]["thin"]],
        "Missing links": [{"city a": f"{p['a_name']} ({p['a_country']})",
                           "city b": f"{p['b_name']} ({p['b_country']})", "score": p["score"],
                           "reasons": "; ".join(p["reasons"])}
                          for p in ss["missing_links"]["pairs"]],
        "Triangular brokers": [{k: b[k] for k in ("name", "bloc", "southern_neighbours",
                                                   "brokered_pairs", "dependency")}
                               for b in ss["triangular"]["brokers"]],
        "Focal units": [{"#": c["number"], "category": c["name"],
                         "focal units": "; ".join(c["focal_units"]),
                         "shared": c["shared"],
                         "dispatching": "; ".join(x for rt in c["routing"]
                                                  for x in rt["dispatching"]) or "(no rule)"}
                        for c in fu["categories"]],
        "Workload": [{"unit": w["name"], "partners": w["partners"],
                      "categories": "; ".join(w["categories"])}
                     for w in fu["coverage"]["workload"] if w["partners"] or w["categories"]],
        "Overdue duties": (
            [{"duty": "end-of-agreement assessment", "item": a["name"], "due since": a["end"]}
             for a in fu["coverage"]["agreements_without_assessment"]]
            + [{"duty": "due diligence", "item": d["name"], "due since": d["status"]}
               for d in fu["coverage"]["due_diligence_needed"]]
            + [{"duty": "assign a partner category", "item": u["name"], "due since": ""}
               for u in fu["coverage"]["uncategorised"]]),
        "Deliverables": [{"network": n["name"], "total": n["total"], **n["counts"]}
                         for n in r["deliverables"]["networks"]]
        + [{"network": f"  {a['code']} {a['name']}", "total": a["total"], **a["counts"]}
           for a in r["deliverables"]["action_lines"]],
        "Recognitions": [{k: x[k] for k in ("name", "programme_name", "since", "ends",
                                            "days_left", "note")}
                         for x in r["recognitions"]["recognitions"]],
    }
    if r.get("match"):
        t["Recommended partners"] = [{"rank": i, "name": c["name"], "score": c["score"],
                                      "contact": "; ".join(c["contact_focal_units"]),
                                      "reasons": "; ".join(c["reasons"])}
                                     for i, c in enumerate(r["match"]["candidates"], 1)]
    return t


def _markdown(r: dict[str, Any]) -> str:
    s = r["snapshot"]
    out = [f"# {r['title']}", "",
           f"- Data snapshot: {s['taken_at']} ({s['nodes']} nodes, {s['relationships']} "
           f"relationships; {s['generated_nodes'] or 0} generated sample nodes)",
           f"- Global South: {r['definition']['title']} ({r['definition']['name']}; "
           f"{r['definition']['source']})",
           f"- Betweenness: {r['betweenness']['description']}",
           f"- Software: partnernet {r['version']}", ""]
    for name, rows in _tables(r).items():
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
    for name, rows in _tables(r).items():
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


def _html(r: dict[str, Any], store_graph, *, printable: bool) -> tuple[str, str]:
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
    if not printable:
        view = build_view(store_graph, color_by="region", size_by="betweenness",
                          definition=r["definition"]["name"])
        view_html, nonce = render_view(view, snapshot=r["snapshot"], embedded=True)
    import secrets

    nonce = nonce or secrets.token_urlsafe(16)
    html = _env.get_template("report.html.j2").render(
        r=r, tables=_tables(r), charts=charts, view_html=view_html, printable=printable,
        fmt=format_cell, csp=csp_header(nonce, meta=True))
    return html, nonce


def render_report(report: dict[str, Any], fmt: str, *, graph=None) -> tuple[bytes, str]:
    """Render a built report as ``fmt``; return ``(bytes, media type)``."""
    if fmt == "md":
        return _markdown(report).encode("utf-8"), "text/markdown; charset=utf-8"
    if fmt == "xlsx":
        return _xlsx(report), ("application/vnd.openxmlformats-officedocument."
                               "spreadsheetml.sheet")
    if fmt == "html":
        html, _ = _html(report, graph, printable=False)
        return html.encode("utf-8"), "text/html; charset=utf-8"
    if fmt == "pdf":
        from weasyprint import HTML

        html, _ = _html(report, graph, printable=True)
        return HTML(string=html).write_pdf(), "application/pdf"
    raise ValueError(f"unknown report format {fmt!r}; choose one of {', '.join(REPORT_FORMATS)}")
