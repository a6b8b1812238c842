"""Interactive graph views: pyvis assembles the network, partnernet renders it offline.

The page is self-contained: vis-network (shipped inside the pyvis package) is
inlined, no request leaves the page, and a Content-Security-Policy allows only
the page's own scripts (by nonce). Every name, title and label from the data
travels as JSON and is put on the page with ``textContent``, never as HTML, so a
name such as ``<img src=x onerror=alert(1)>`` shows as text.

Above :data:`LAYOUT_THRESHOLD` nodes the layout is computed in Python (igraph's
Fruchterman-Reingold with a grid) and physics is off, so large views draw at
once; above :data:`AGGREGATE_THRESHOLD` nodes cities are aggregated by country
and the page says so.
"""

from __future__ import annotations

import json
import math
import secrets
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import networkx as nx
from jinja2 import Environment, PackageLoader, select_autoescape

from partnernet.graph.analysis.communities import communities
from partnernet.graph.analysis.projections import annotate, partnership_graph
from partnernet.graph.analysis.structural_holes import structural_holes
from partnernet.version import __version__
from partnernet.vocabulary import COLOR_BY, SIZE_BY

__all__ = ["AGGREGATE_THRESHOLD", "LAYOUT_THRESHOLD", "View", "build_view", "render_view",
           "csp_header"]

LAYOUT_THRESHOLD = 300
AGGREGATE_THRESHOLD = 20_000
PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
           "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39",
           "#7b4173", "#3182bd", "#31a354", "#756bb1", "#636363", "#e6550d"]

_env = Environment(loader=PackageLoader("partnernet.visualisations", "templates"),
                   autoescape=select_autoescape(["html", "j2"]))


@dataclass
class View:
    """A view ready to render: vis-network nodes and edges, legend, notes."""

    title: str
    nodes: list[dict] = field(default_factory=list)
    edges: list[dict] = field(default_factory=list)
    legend: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    physics: bool = True
    filters: dict[str, list[str]] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)


def _select(g: nx.MultiDiGraph, p: nx.Graph, *, focus: str | None, depth: int,
            corridor: tuple[str, str] | None) -> tuple[nx.Graph, str]:
    if focus is not None:
        if focus not in p:
            raise KeyError(focus)
        nodes = nx.single_source_shortest_path_length(p, focus, cutoff=depth)
        return p.subgraph(nodes).copy(), (f"ego network of {p.nodes[focus].get('name', focus)} "
                                          f"(depth {depth})")
    if corridor is not None:
        a, b = corridor
        keep = [(u, v) for u, v in p.edges()
                if {p.nodes[u].get("region"), p.nodes[v].get("region")} == {a, b}]
        h = p.edge_subgraph(keep).copy()
        return h, f"corridor {a} - {b}"
    h = p.copy()
    h.remove_nodes_from([v for v in list(h) if h.degree(v) == 0])
    return h, "whole partnership network"


def _categories(g: nx.MultiDiGraph) -> dict[str, str]:
    out = {}
    for a, b, d in g.edges(data=True):
        if d.get("type") == "IN_CATEGORY":
            out[a] = g.nodes[b].get("name", b)
    return out


def _aggregate(h: nx.Graph) -> nx.Graph:
    agg = nx.Graph()
    for _, d in h.nodes(data=True):
        key = f"country:{(d.get('country') or 'unknown').lower()}"
        if key not in agg:
            agg.add_node(key, name=d.get("country") or "unknown", label="Country group",
                         region=d.get("region"), bloc=d.get("bloc"), members=0)
        agg.nodes[key]["members"] += 1
    for u, v in h.edges():
        a = f"country:{(h.nodes[u].get('country') or 'unknown').lower()}"
        b = f"country:{(h.nodes[v].get('country') or 'unknown').lower()}"
        if a != b:
            w = agg[a][b]["weight"] + 1 if agg.has_edge(a, b) else 1
            agg.add_edge(a, b, weight=w)
    return agg


def _layout(h: nx.Graph) -> dict[Any, tuple[float, float]]:
    import random

    import igraph as ig

    from partnernet.graph.analysis.kernel import to_igraph

    k = to_igraph(h)
    nodes = k.nodes
    # igraph draws from Python's ``random`` by default: a seeded generator for this call
    # makes the same data give the same picture (reports sent twice look the same)
    ig.set_random_number_generator(random.Random(0))
    try:
        coords = k.graph.layout_fruchterman_reingold(grid=True, niter=300)
    finally:
        ig.set_random_number_generator(random)
    scale = 40 * math.sqrt(max(len(nodes), 1))
    xs = [c[0] for c in coords] or [0]
    ys = [c[1] for c in coords] or [0]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 1e-9)
    return {v: ((c[0] - min(xs)) / span * scale, (c[1] - min(ys)) / span * scale)
            for v, c in zip(nodes, coords, strict=True)}


def build_view(g: nx.MultiDiGraph, *, focus: str | None = None, depth: int = 2,
               corridor: tuple[str, str] | None = None, color_by: str = "region",
               size_by: str = "degree", definition: str = "g77",
               include_partners: bool = True) -> View:
    """Select, measure, lay out and style the nodes of a view (no HTML here)."""
    from pyvis.network import Network

    if color_by not in COLOR_BY:
        raise ValueError(f"color_by must be one of {', '.join(COLOR_BY)}")
    if size_by not in SIZE_BY:
        raise ValueError(f"size_by must be one of {', '.join(SIZE_BY)}")
    g = annotate(g.copy(), definition=definition)
    p = partnership_graph(g, include_partners=include_partners)
    h, scope = _select(g, p, focus=focus, depth=depth, corridor=corridor)
    notes = []
    if h.number_of_nodes() > AGGREGATE_THRESHOLD:
        notes.append(f"{h.number_of_nodes():,} nodes are more than a browser can draw: cities "
                     "are aggregated by country (node size = number of cities).")
        h = _aggregate(h)
        size_by = "members"
    cats = _categories(g)
    comm = communities(h, seed=0)["membership"] if color_by == "community" else {}
    metric: dict = {}
    holes = structural_holes(h) if h.number_of_nodes() else {"constraint": {},
                                                             "effective_size": {}}
    if size_by == "betweenness":
        from partnernet.graph.analysis.betweenness import betweenness

        k = 256 if h.number_of_nodes() > 3000 else None  # sizes only: a visual cue
        bet = betweenness(h, k=k)
        metric = bet["scores"]
        if k:
            notes.append(f"node size: {bet['description']}")
    elif size_by in ("effective_size", "constraint"):
        metric = holes[size_by]
    elif size_by == "degree":
        metric = dict(h.degree())
    elif size_by == "members":
        metric = {v: d.get("members", 1) for v, d in h.nodes(data=True)}

    def group_of(v: str) -> str:
        d = h.nodes[v]
        if color_by == "category":
            return cats.get(v, "City" if d.get("label") == "City" else "no category")
        if color_by == "community":
            return f"community {comm.get(v, 0)}"
        return str(d.get(color_by) or "Unknown")

    groups = sorted({group_of(v) for v in h}, key=lambda x: (x == "Unknown", x))
    colors = {gname: PALETTE[i % len(PALETTE)] for i, gname in enumerate(groups)}
    values = [x for x in metric.values() if isinstance(x, int | float) and math.isfinite(x)]
    top = max(values) if values else 1.0
    physics = h.number_of_nodes() <= LAYOUT_THRESHOLD
    pos = {} if physics else _layout(h)
    if not physics:
        notes.append(f"layout computed in Python (Fruchterman-Reingold) for "
                     f"{h.number_of_nodes():,} nodes; physics off")
    net = Network(directed=False, cdn_resources="remote")
    for v, d in h.nodes(data=True):
        m = metric.get(v)
        size = 8 + 30 * (m / top) if isinstance(m, int | float) and math.isfinite(m) and top \
            else 10
        facts = {"type": d.get("label"), "country": d.get("country"), "region": d.get("region"),
                 "South/North": d.get("bloc"), "population": d.get("population"),
                 "category": cats.get(v), "partnerships": p.degree(v) if v in p else None,
                 "constraint": holes["constraint"].get(v),
                 "effective size": holes["effective_size"].get(v),
                 "generated": "yes (sample data)" if d.get("generated") else None}
        if size_by not in ("degree", "none", "members"):
            facts[size_by] = m
        facts = {k: (round(x, 3) if isinstance(x, float) else x) for k, x in facts.items()
                 if x is not None and not (isinstance(x, float) and math.isnan(x))}
        kwargs = {"label": str(d.get("name", v)), "color": colors[group_of(v)],
                  "size": round(size, 1)}
        if pos:
            kwargs.update(x=round(pos[v][0], 1), y=round(pos[v][1], 1))
        net.add_node(str(v), **kwargs)
        node = net.node_map[str(v)]
        node["facts"] = facts
        node["group_name"] = group_of(v)
        node["region"] = str(d.get("region") or "Unknown")
        node["bloc"] = str(d.get("bloc") or "Unclassified")
        node.pop("title", None)
    for a, b, d in h.edges(data=True):
        net.add_edge(str(a), str(b), width=min(1 + d.get("weight", 1), 6))
    nodes, edges, *_ = net.get_network_data()
    if focus is not None and str(focus) in net.node_map:
        net.node_map[str(focus)]["borderWidth"] = 4
    legend = [{"label": gname, "color": colors[gname],
               "count": sum(1 for v in h if group_of(v) == gname)} for gname in groups]
    filters = {"region": sorted({n["region"] for n in nodes}),
               "bloc": sorted({n["bloc"] for n in nodes})}
    title = f"partnernet: {scope}"
    return View(title=title, nodes=nodes, edges=edges, legend=legend, notes=notes,
                physics=physics, filters=filters,
                meta={"scope": scope, "color_by": color_by, "size_by": size_by,
                      "definition": definition, "nodes": len(nodes), "edges": len(edges),
                      "version": __version__})


def _script_json(data: Any) -> str:
    """JSON safe inside a <script> element (no ``</script>``, no ``<!--``)."""
    text = json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _vis_js() -> str:
    return resources.files("pyvis").joinpath("lib/vis-9.1.2/vis-network.min.js").read_text(
        "utf-8")


def csp_header(nonce: str, *, meta: bool = False) -> str:
    """The Content-Security-Policy for a rendered view or report (``meta``: the subset
    a ``<meta>`` element may carry; HTTP responses also get ``frame-ancestors``)."""
    policy = ("default-src 'none'; script-src 'nonce-" + nonce + "'; style-src 'unsafe-inline'; "
              "img-src data:; font-src data:; connect-src 'none'; base-uri 'none'; "
              "form-action 'none'")
    return policy if meta else policy + "; frame-ancestors 'self'"


def render_view(view: View, *, snapshot: dict | None = None, embedded: bool = False,
                nonce: str | None = None) -> tuple[str, str]:
    """Render a view as one self-contained HTML page; return ``(html, nonce)``.

    With ``embedded=True`` only the view's ``<div>`` and scripts are returned, to
    place inside a report page that sets its own CSP with the same nonce.
    """
    nonce = nonce or secrets.token_urlsafe(16)
    data = {"nodes": view.nodes, "edges": view.edges, "physics": view.physics,
            "legend": view.legend, "filters": view.filters}
    html = _env.get_template("view.html.j2").render(
        view=view, data_json=_script_json(data), vis_js=_vis_js(), nonce=nonce,
        csp=csp_header(nonce, meta=True), snapshot=snapshot or {}, embedded=embedded)
    return html, nonce
