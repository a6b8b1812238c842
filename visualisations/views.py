"""Exported views: one self-contained, offline HTML file built on the explorer's page.

A view is what the explorer would show, frozen with its data: an ego network of any node
(a city, a partner, a network, a committee, a focal unit...) up to ``depth`` steps, the
partnerships of a corridor between two regions, or the whole network. A whole network
with more than :data:`GRAPH_LIMIT` cities and partners is shown aggregated (regions as
super-nodes with their tie counts) and on the map (every city with coordinates on an
offline world outline, partnerships as arcs), never as an unreadable hairball.

The page inlines the vendored scripts and its data, and sets a Content-Security-Policy
that allows only its own scripts (by nonce) and no connection; names reach the page as
text. Colours and shapes come from :mod:`partnernet.visualisations.palette`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from partnernet.graph.analysis.projections import annotate
from partnernet.service import explore
from partnernet.version import __version__
from partnernet.visualisations.explorer import render_static
from partnernet.vocabulary import COLOR_BY, SIZE_BY, choose

__all__ = ["GRAPH_LIMIT", "VIEW_LIMIT", "View", "build_view", "csp_header", "render_view"]

#: Above this many cities and partners with partnerships, a whole-network view is
#: aggregated by region and drawn on the map.
GRAPH_LIMIT = 300
#: Most nodes an ego or corridor view holds (the nearest and best-connected first).
VIEW_LIMIT = 600


@dataclass
class View:
    """A view ready to render: the explorer's data for it, notes and facts about it."""

    title: str
    data: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)


def _ego(ix: explore.Index, focus: str, depth: int, limit: int) -> tuple[list, list, list]:
    g = ix.g
    seen = {focus: 0}
    frontier = [focus]
    notes = []
    for d in range(1, depth + 1):
        nxt = []
        for v in frontier:
            for u in sorted(set(g.successors(v)) | set(g.predecessors(v)),
                            key=lambda u: -ix.degree.get(u, 0)):
                if u not in seen:
                    seen[u] = d
                    nxt.append(u)
        frontier = nxt
    order = sorted(seen, key=lambda v: (seen[v], -ix.degree.get(v, 0), str(v)))
    if len(order) > limit:
        notes.append(f"{limit} of {len(order)} nodes within {depth} steps shown (nearest, then "
                     "best connected first); lower --depth or open it in the explorer")
        order = order[:limit]
    keep = set(order)
    edges = [explore.edge_payload(a, b, k, dd) for a in order
             for _, b, k, dd in g.out_edges(a, keys=True, data=True) if b in keep]
    return order, edges, notes


def _metric(ix: explore.Index, ids: list[str], size_by: str) -> dict[str, float]:
    """Node sizes as a share of the largest value (actors only; others keep their size)."""
    h = ix.p.subgraph([v for v in ids if v in ix.p])
    if size_by == "none" or h.number_of_nodes() == 0:
        return {}
    if size_by == "degree":
        raw = dict(h.degree())
    elif size_by == "betweenness":
        from partnernet.graph.analysis.betweenness import betweenness

        raw = betweenness(h, k=256 if h.number_of_nodes() > 3000 else None)["scores"]
    else:
        from partnernet.graph.analysis.structural_holes import structural_holes

        raw = structural_holes(h)[size_by]
        if size_by == "constraint":  # low constraint = a broker: draw it large
            raw = {v: (1 - x) for v, x in raw.items() if isinstance(x, float)}
    vals = [x for x in raw.values() if isinstance(x, int | float) and math.isfinite(x)]
    top = max(vals) if vals else 0
    return {v: round(x / top, 4) for v, x in raw.items()
            if top and isinstance(x, int | float) and math.isfinite(x)}


def build_view(g: nx.MultiDiGraph, *, focus: str | None = None, depth: int = 2,
               corridor: tuple[str, str] | None = None, color_by: str = "region",
               size_by: str = "degree", definition: str = "g77",
               include_partners: bool = True, limit: int = VIEW_LIMIT) -> View:
    """Select and describe what a view shows (no HTML here).

    ``focus``: an ego network of any node up to ``depth`` steps (every kind of node and
    tie); ``corridor``: the partnerships between two regions; neither: the whole network
    (aggregated and mapped above :data:`GRAPH_LIMIT` actors).
    """
    color_by = choose(color_by, COLOR_BY, "colour (--color-by)")
    size_by = choose(size_by, SIZE_BY, "size (--size-by)")
    ix = explore.build_index(annotate(g.copy(), definition=definition))
    if not include_partners:
        ix.p.remove_nodes_from([v for v, d in ix.p.nodes(data=True) if d.get("label") != "City"])
    notes: list[str] = []
    data: dict[str, Any] = {"view": "graph",
                            "state": {"c": "kind" if color_by == "label" else color_by}}
    if focus is not None:
        if focus not in ix.g:
            raise KeyError(focus)
        ids, edges, notes = _ego(ix, focus, depth, limit)
        scope = f"ego network of {ix.g.nodes[focus].get('name', focus)} (depth {depth})"
        data["state"].update(f=focus, sel=focus)
    elif corridor is not None:
        a, b = corridor
        pairs = [(u, v, d) for u, v, d in ix.p.edges(data=True)
                 if {ix.p.nodes[u].get("region"), ix.p.nodes[v].get("region")} == {a, b}]
        deg: dict[str, int] = {}
        for u, v, _ in pairs:
            deg[u] = deg.get(u, 0) + 1
            deg[v] = deg.get(v, 0) + 1
        ids = sorted(deg, key=lambda v: (-deg[v], str(v)))
        if len(ids) > limit:
            notes.append(f"{limit} of {len(ids)} cities and partners shown (most corridor "
                         "partnerships first)")
            ids = ids[:limit]
        keep = set(ids)
        edges = [{"id": f"{u}|PARTNERS_WITH|{v}|p", "from": u, "to": v, "type": "PARTNERS_WITH",
                  "kind": ", ".join(sorted(str(k) for k in d.get("kinds", ()) if k))}
                 for u, v, d in pairs if u in keep and v in keep]
        scope = f"corridor {a} - {b}"
        if not pairs:
            notes.append(f"no partnership joins {a} and {b} in this store")
    else:
        actors = [v for v in ix.p if ix.p.degree(v) > 0]
        scope = "whole partnership network"
        if len(actors) > GRAPH_LIMIT:
            agg = explore.aggregate_of(ix, by="region")
            data["graph"] = {"nodes": agg["nodes"], "edges": agg["edges"]}
            data["map"] = explore.map_of(ix)
            data["view"] = "map"
            notes.append(f"{len(actors):,} cities and partners: shown on the map and "
                         "aggregated by region (a tie's number counts partnerships); open "
                         "the explorer (partnernet serve, /explore) to open regions and "
                         "countries into their members")
            if data["map"]["note"]:
                notes.append(data["map"]["note"])
            return _finish(scope, data, notes, agg["nodes"], agg["edges"], color_by, size_by,
                           definition)
        ids = sorted(actors, key=lambda v: (-ix.p.degree(v), str(v)))
        keep = set(ids)
        edges = [{"id": f"{u}|PARTNERS_WITH|{v}|p", "from": u, "to": v, "type": "PARTNERS_WITH",
                  "kind": ", ".join(sorted(str(k) for k in d.get("kinds", ()) if k))}
                 for u, v, d in ix.p.edges(data=True) if u in keep and v in keep]
    metric = _metric(ix, ids, size_by)
    nodes = []
    for v in ids:
        n = explore.node_payload(ix, v)
        if v in metric:
            n["metric"] = metric[v]
        nodes.append(n)
    data["graph"] = {"nodes": nodes, "edges": edges}
    return _finish(scope, data, notes, nodes, edges, color_by, size_by, definition)


def _finish(scope, data, notes, nodes, edges, color_by, size_by, definition) -> View:
    data["notes"] = notes
    return View(title=f"partnernet: {scope}", data=data, notes=notes,
                meta={"scope": scope, "color_by": color_by, "size_by": size_by,
                      "definition": definition, "nodes": len(nodes), "edges": len(edges),
                      "map_cities": (data.get("map") or {}).get("shown"),
                      "version": __version__})


def csp_header(nonce: str, *, meta: bool = False) -> str:
    """The Content-Security-Policy of a rendered view or report (``meta``: the subset a
    ``<meta>`` element may carry; HTTP responses also get ``frame-ancestors``)."""
    policy = ("default-src 'none'; script-src 'nonce-" + nonce + "'; style-src 'unsafe-inline'; "
              "img-src data: blob:; font-src data:; connect-src 'none'; base-uri 'none'; "
              "form-action 'none'")
    return policy if meta else policy + "; frame-ancestors 'self'"


def render_view(view: View, *, snapshot: dict | None = None) -> tuple[str, str]:
    """The view as one self-contained HTML page; ``(html, nonce)`` (the nonce the page's
    scripts carry, for the HTTP Content-Security-Policy header)."""
    data = dict(view.data)
    if snapshot:
        data["notes"] = [*view.notes, f"data snapshot {snapshot.get('taken_at')} "
                         f"({snapshot.get('nodes')} nodes, {snapshot.get('relationships')} "
                         f"relationships); Global South: {view.meta['definition']}; "
                         f"partnernet {view.meta['version']}"]
    return render_static(data, title=view.title)
