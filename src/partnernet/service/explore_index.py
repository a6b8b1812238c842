"""The explorer's per-graph lookups and the payloads of its nodes and ties."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from partnernet.graph.analysis.projections import partnership_graph
from partnernet.service import graphs
from partnernet.service.cache import GraphCache

__all__ = ["Index", "build_index", "edge_payload", "finite_or_none", "index_for",
           "node_payload"]

_GROUP_OF = {"MEMBER_OF", "SITS_ON"}


@dataclass
class Index:
    """Per-graph lookups the explorer needs (built once per graph and definition)."""

    g: nx.MultiDiGraph
    p: nx.Graph  # partnership graph, cities and partners
    themes: dict[str, list[str]] = field(default_factory=dict)
    sdgs: dict[str, list[str]] = field(default_factory=dict)
    networks: dict[str, list[str]] = field(default_factory=dict)
    degree: dict[str, int] = field(default_factory=dict)


def index_for(cache: GraphCache, definition: str) -> Index:
    return cache.derived(("explore-index", definition),
                         lambda _g: build_index(graphs.annotated_graph(cache, definition)))


def build_index(g: nx.MultiDiGraph) -> Index:
    """The explorer's lookups on an annotated graph (see :func:`analyses.annotated_graph`)."""
    ix = Index(g=g, p=partnership_graph(g, include_partners=True))
    themes, sdgs, nets = defaultdict(set), defaultdict(set), defaultdict(set)
    label = {v: d.get("label") for v, d in g.nodes(data=True)}
    part_of = {a: b for a, b, d in g.edges(data=True)
               if d.get("type") == "PART_OF" and label.get(a) == "Committee"
               and label.get(b) == "Network"}
    for a, b, d in g.edges(data=True):
        t = d.get("type")
        if t in ("WORKS_ON", "CONTRIBUTES_TO"):
            (sdgs if label.get(b) == "SDG" else themes)[a].add(b)
        elif t in _GROUP_OF and label.get(b) in ("Network", "Committee"):
            nets[a].add(b)
            if b in part_of:
                nets[a].add(part_of[b])
        elif t == "PARTNERS_WITH":
            for s in d.get("sdgs") or ():
                sdgs[a].add(f"sdg:{s}")
                sdgs[b].add(f"sdg:{s}")
    for v, lab in label.items():  # a group is in its own facet
        if lab == "Network":
            nets[v].add(v)
        elif lab == "Committee":
            nets[v].add(v)
            if v in part_of:
                nets[v].add(part_of[v])
        elif lab == "Theme":
            themes[v].add(v)
        elif lab == "SDG":
            sdgs[v].add(v)
    ix.themes = {k: sorted(v) for k, v in themes.items()}
    ix.sdgs = {k: sorted(v) for k, v in sdgs.items()}
    ix.networks = {k: sorted(v) for k, v in nets.items()}
    ix.degree = {v: g.in_degree(v) + g.out_degree(v) for v in g}
    return ix


def finite_or_none(x: Any) -> float | None:
    try:
        f = float(x)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def node_payload(ix: Index, v: str) -> dict[str, Any]:
    d = ix.g.nodes[v]
    out = {"id": v, "name": str(d.get("name", v)), "label": d.get("label"),
           "degree": ix.degree.get(v, 0),
           "partnerships": ix.p.degree(v) if v in ix.p else 0}
    for k in ("region", "bloc", "country"):
        if d.get(k) is not None:
            out[k] = d[k]
    lat, lon = finite_or_none(d.get("lat")), finite_or_none(d.get("lon"))
    if lat is not None and lon is not None:
        out["lat"], out["lon"] = round(lat, 4), round(lon, 4)
    for k, table in (("themes", ix.themes), ("sdgs", ix.sdgs), ("networks", ix.networks)):
        if v in table:
            out[k] = table[v]
    if d.get("generated"):
        out["generated"] = True
    return out


def edge_payload(a: str, b: str, key: Any, d: dict) -> dict[str, Any]:
    out = {"id": f"{a}|{d.get('type')}|{b}|{key}", "from": a, "to": b, "type": d.get("type")}
    for k in ("kind", "since", "until", "role", "level"):
        if d.get(k) is not None:
            out[k] = str(d[k])
    return out
