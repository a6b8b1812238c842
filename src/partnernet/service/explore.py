"""The explorer's data: bounded slices of the graph, each built on the cached graph.

Every answer is small whatever the store's size: a neighbourhood is capped (and says so,
with what was left out), an aggregate has one node per region or country, a country's
members are capped, and the map is capped by partnerships (the cities with most ties
first). The per-graph indexes (facets, the partnership projection, aggregates, map) are
built once per graph through :meth:`GraphCache.derived`, like the analyses.

Nodes travel as plain dicts: ``id``, ``name``, ``label``, ``region``, ``bloc``,
``country``, ``lat``/``lon``, ``degree`` (all ties) and the facets the explorer filters
on (``themes``, ``sdgs``, ``networks`` as ids). Ties carry ``type``, ``kind``, ``since``,
``until`` and, for partnerships, ``weight``.

Here: search, neighbourhoods and facets; the per-graph index and payloads are in
:mod:`~partnernet.service.explore_index`, the side panel in
:mod:`~partnernet.service.explore_panel`, the aggregate in
:mod:`~partnernet.service.explore_aggregate` and the map in
:mod:`~partnernet.service.explore_map` (all importable from here).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from partnernet.graph.schema import name_key
from partnernet.graph.store import GraphStore
from partnernet.service.cache import GraphCache
from partnernet.service.explore_aggregate import MEMBER_LIMIT, aggregate, aggregate_of, members
from partnernet.service.explore_index import (
    Index,
    build_index,
    edge_payload,
    index_for,
    node_payload,
)
from partnernet.service.explore_map import MAP_LIMIT, map_data, map_of
from partnernet.service.explore_panel import node_details

__all__ = ["MAP_LIMIT", "MEMBER_LIMIT", "NEIGHBOUR_LIMIT", "Index", "aggregate", "aggregate_of",
           "build_index", "facets", "map_data", "map_of", "members", "neighbourhood",
           "neighbourhood_of", "node_details", "node_payload", "search"]

#: Most neighbours one expansion returns (the API's default is lower).
NEIGHBOUR_LIMIT = 500
#: Order in which neighbours of each kind are kept when a neighbourhood is capped:
#: the structure (networks, committees, units) before the many cities.
_PRIORITY = {k: i for i, k in enumerate(
    ["Network", "Committee", "FocalUnit", "Partner", "Initiative", "Agreement", "Event",
     "PartnerCategory", "CommunicationRule", "Country", "Pillar", "MembershipClass",
     "Requirement", "ActionLine", "Measure", "Deliverable", "Duty", "Channel", "EntryPoint",
     "Theme", "SDG", "City"])}


def search(store: GraphStore, text: str, *, limit: int = 10) -> dict[str, Any]:
    """Suggestions for ``text`` (accent- and case-insensitive): names that start with it
    first, then the kinds a strategist looks for most, then shorter names."""
    key = name_key(text)
    if not key:
        return {"query": text, "data": [], "note": "type at least one letter or digit"}
    hits = store.search(text, limit=max(limit * 5, 50))
    hits.sort(key=lambda n: (not name_key(n.name).startswith(key),
                             _PRIORITY.get(n.label.value, 99) if n.label.value != "City" else 0,
                             len(n.name), n.name, n.id))
    data = [{"id": n.id, "name": n.name, "label": n.label.value,
             "country": n.props.get("country")} for n in hits[:limit]]
    note = None if data else (f"no node name contains {text!r}; try fewer letters or "
                              "another spelling")
    return {"query": text, "data": data, "note": note}


def neighbourhood(cache: GraphCache, node: str, *, definition: str = "g77",
                  limit: int = 100) -> dict[str, Any]:
    """``node`` and up to ``limit`` neighbours (both directions), with the ties between
    them. Structural neighbours (networks, committees, focal units, partners...) are kept
    before cities, and cities by their number of ties."""
    return neighbourhood_of(index_for(cache, definition), node, limit=limit)


def neighbourhood_of(ix: Index, node: str, *, limit: int = 100) -> dict[str, Any]:
    """:func:`neighbourhood` on an :class:`Index` (no cache)."""
    g = ix.g
    if node not in g:
        raise KeyError(node)
    limit = max(1, min(limit, NEIGHBOUR_LIMIT))
    nbrs = set(g.successors(node)) | set(g.predecessors(node))
    nbrs.discard(node)
    ranked = sorted(nbrs, key=lambda v: (_PRIORITY.get(g.nodes[v].get("label"), 50),
                                         -ix.degree.get(v, 0), str(v)))
    keep = ranked[:limit]
    left = ranked[limit:]
    chosen = set(keep) | {node}
    edges = []
    for v in chosen:
        for _, b, key, d in g.out_edges(v, keys=True, data=True):
            if b in chosen and (v == node or b == node or len(chosen) <= 150):
                edges.append(edge_payload(v, b, key, d))
    by_kind = Counter(g.nodes[v].get("label") for v in left)
    note = None
    if left:
        note = (f"{len(keep)} of {len(nbrs)} neighbours shown (structure first, then the "
                f"cities with most ties); not shown: "
                + ", ".join(f"{n} {k}" for k, n in by_kind.most_common())
                + f". Raise the limit (up to {NEIGHBOUR_LIMIT}) or use the map.")
    return {"center": node, "nodes": [node_payload(ix, v) for v in [node, *keep]], "edges": edges,
            "total_neighbours": len(nbrs), "shown": len(keep), "capped": bool(left),
            "note": note}


def facets(cache: GraphCache, *, definition: str = "g77") -> dict[str, Any]:
    """The values the explorer's filters offer, from the data."""
    def build(_g):
        ix = index_for(cache, definition)
        g = ix.g
        kinds, years = Counter(), []
        for _, _, d in g.edges(data=True):
            if d.get("type") == "PARTNERS_WITH":
                kinds[str(d.get("kind") or "unspecified")] += 1
                for k in ("since", "until"):
                    y = str(d.get(k) or "")[:4]
                    if y.isdigit():
                        years.append(int(y))
        named = lambda lab: sorted(  # noqa: E731
            ({"id": v, "name": str(d.get("name", v))} for v, d in g.nodes(data=True)
             if d.get("label") == lab), key=lambda x: x["name"].casefold())
        sdgs = named("SDG")
        sdgs.sort(key=lambda x: int(x["id"].split(":")[1]) if x["id"].split(":")[1].isdigit()
                  else 99)
        return {"regions": sorted({str(d.get("region")) for _, d in ix.p.nodes(data=True)
                                   if d.get("region")}),
                "blocs": ["South", "North", "UN", "Unclassified"],
                "kinds": dict(kinds.most_common()), "themes": named("Theme"), "sdgs": sdgs,
                "networks": named("Network") + named("Committee"),
                "years": [min(years), max(years)] if years else None,
                "labels": dict(Counter(d.get("label") for _, d in g.nodes(data=True))
                               .most_common()),
                "definition": definition}
    return cache.derived(("explore-facets", definition), build)
