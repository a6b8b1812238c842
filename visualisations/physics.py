"""Force-directed views assembled with pyvis: ego networks and corridors that settle by
physics in the browser, for notebooks and for a quick look at a small neighbourhood.

pyvis builds the network (every node with the shared palette's colour and shape, sized by
the view's metric) and supplies vis-network, which the page inlines: nothing loads from
the internet. pyvis's own page template is not used: it writes the data into a script
unescaped and loads helpers from a CDN. Here the data travels as escaped JSON, names reach
the page as text, and a Content-Security-Policy allows only the page's own scripts.

The explorer (:mod:`partnernet.visualisations.explorer`) remains the view for whole
networks: above :data:`PHYSICS_LIMIT` nodes a physics layout no longer settles readably
(157 s for 1,000 nodes with pyvis defaults, see PERFORMANCE.md), and such views are
refused here with a pointer to it.
"""

from __future__ import annotations

import math
import secrets
from importlib import resources
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from partnernet.visualisations.explorer import script_json
from partnernet.visualisations.palette import (
    BLOC_COLORS,
    KINDS,
    REGION_COLORS,
    bloc_color,
    kind_of,
    region_color,
)
from partnernet.visualisations.views import View, csp_header

__all__ = ["PHYSICS_LIMIT", "physics_network", "render_physics"]

#: Most nodes a physics view draws.
PHYSICS_LIMIT = 600
#: This many of the largest nodes carry their names at any zoom; the others' names appear
#: when zoomed in (vis-network's label draw threshold) or when found by the search box.
NAMED = 40

_env = Environment(loader=PackageLoader("partnernet.visualisations", "templates"),
                   autoescape=select_autoescape(["html", "j2"]))


def _color(node: dict[str, Any], color_by: str) -> str:
    if color_by == "region" and node.get("label") in ("City", "Subnational", "Partner"):
        return region_color(node.get("region"))
    if color_by == "bloc" and node.get("label") in ("City", "Subnational", "Partner"):
        return bloc_color(node.get("bloc"))
    return kind_of(node.get("label"))["color"]


def physics_network(view: View):
    """The view's graph as a :class:`pyvis.network.Network` (palette colours and shapes,
    sizes from the view's metric, Barnes-Hut physics that stops once the layout settles).

    Raises ``ValueError`` for a view that is not a graph of at most :data:`PHYSICS_LIMIT`
    nodes (a whole network shown aggregated and on the map).
    """
    from pyvis.network import Network

    graph = view.data.get("graph") or {}
    nodes, edges = graph.get("nodes", []), graph.get("edges", [])
    if view.data.get("view") != "graph" or len(nodes) > PHYSICS_LIMIT:
        raise ValueError(
            f"a physics (pyvis) view draws an ego network or a corridor of at most "
            f"{PHYSICS_LIMIT} nodes; {view.meta['scope']} has {view.meta['nodes']:,} "
            "nodes and is drawn aggregated and on the map: use the explorer engine "
            "(--engine explorer), or --focus a node")
    color_by = view.meta.get("color_by", "region")
    focus = view.data.get("state", {}).get("f")

    def metric(n: dict[str, Any]) -> float:
        m = n.get("metric")
        return float(m) if isinstance(m, int | float) and math.isfinite(m) else 0.0

    top = max((metric(n) for n in nodes), default=0) or 1
    named = {n["id"] for n in sorted(nodes, key=lambda n: (-metric(n), n["id"]))[:NAMED]}
    net = Network(directed=False, cdn_resources="remote")  # data only: never its template
    for n in nodes:
        big = n["id"] in named or n["id"] == focus
        net.add_node(n["id"], label=str(n.get("name", n["id"])), color=_color(n, color_by),
                     shape=kind_of(n.get("label"))["shape"],
                     size=round(8 + 22 * max(metric(n) / top, 0.1), 1),
                     borderWidth=4 if n["id"] == focus else 1,
                     font={"size": 26 if big else 12, "strokeWidth": 4,
                           "strokeColor": "#ffffff"})
    for e in edges:
        if e["from"] in net.node_ids and e["to"] in net.node_ids:
            net.add_edge(e["from"], e["to"], color="#9a9a9a",
                         dashes=e.get("type") != "PARTNERS_WITH")
    net.barnes_hut(gravity=-2500, central_gravity=0.4, spring_length=80, overlap=0.3)
    net.options.nodes = {"scaling": {"label": {"drawThreshold": 7}}}  # small names: zoom in
    return net


def _legend(nodes: list[dict[str, Any]], color_by: str) -> list[dict[str, str]]:
    labels = sorted({n.get("label") for n in nodes if n.get("label")})
    items = []
    if color_by in ("region", "bloc"):
        table = REGION_COLORS if color_by == "region" else BLOC_COLORS
        present = {n.get(color_by) or ("Unknown" if color_by == "region" else "Unclassified")
                   for n in nodes if n.get("label") in ("City", "Subnational", "Partner")}
        items += [{"text": k, "color": c, "shape": "dot"} for k, c in table.items()
                  if k in present]
    for lab in labels:
        text = KINDS.get(lab, {}).get("plural", lab)
        color = kind_of(lab)["color"]
        if color_by in ("region", "bloc") and lab in ("City", "Subnational", "Partner"):
            text, color = f"{text} (coloured by {color_by})", "#c8c8c8"
        items.append({"text": text, "shape": kind_of(lab)["shape"], "color": color})
    return items


def _facts(n: dict[str, Any]) -> dict[str, Any]:
    keys = ("label", "country", "region", "bloc", "partnerships", "degree", "metric")
    out = {k: n[k] for k in keys if n.get(k) not in (None, "", [])}
    for k in ("networks", "themes", "sdgs"):
        if n.get(k):
            out[k] = ", ".join(str(x) for x in n[k][:8])
    return out


def render_physics(view: View, *, snapshot: dict | None = None) -> tuple[str, str]:
    """The view as one self-contained page drawn by pyvis/vis-network; ``(html, nonce)``."""
    net = physics_network(view)
    vis_nodes, vis_edges, _, _, _, options = net.get_network_data()
    by_id = {n["id"]: n for n in view.data["graph"]["nodes"]}
    data = {"nodes": [{k: v for k, v in n.items() if k != "title"} for n in vis_nodes],
            "edges": vis_edges, "facts": {i: _facts(n) for i, n in by_id.items()},
            "names": {i: str(n.get("name", i)) for i, n in by_id.items()}}
    notes = list(view.notes)
    if snapshot:
        notes.append(f"data snapshot {snapshot.get('taken_at')} ({snapshot.get('nodes')} "
                     f"nodes, {snapshot.get('relationships')} relationships); Global South: "
                     f"{view.meta['definition']}; partnernet {view.meta['version']}")
    vis_js = resources.files("pyvis").joinpath("lib/vis-9.1.2/vis-network.min.js").read_text(
        "utf-8").replace("</script", "<\\/script")
    nonce = secrets.token_urlsafe(16)
    page = _env.get_template("physics.html.j2").render(
        title=view.title, notes=notes, legend=_legend(view.data["graph"]["nodes"],
                                                      view.meta.get("color_by", "region")),
        csp=csp_header(nonce, meta=True), nonce=nonce, vis_js=vis_js,
        data_json=script_json(data), options_json=options.replace("<", "\\u003c"),
        focus=view.data.get("state", {}).get("f"))
    return page, nonce
