"""Every analysis as one call on a store, with the metadata a reader needs.

The CLI and the API both call these; results are plain, JSON-ready data (``nan``
is replaced by ``None`` at the edge, see :func:`partnernet.formatting.json_safe`).
Each result says which projection it used, which Global South definition, how
betweenness was computed, the data snapshot and the software version.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import networkx as nx

from partnernet.graph.analysis.brokers import broker_table
from partnernet.graph.analysis.communities import communities
from partnernet.graph.analysis.deliverables import deliverable_status
from partnernet.graph.analysis.ei_index import ei_index
from partnernet.graph.analysis.focal_units import focal_units
from partnernet.graph.analysis.matching import build_index, match_partners, resolve_node
from partnernet.graph.analysis.projections import annotate, membership_graph, partnership_graph
from partnernet.graph.analysis.recognitions import recognitions
from partnernet.graph.analysis.south_south import (
    missing_links,
    partnership_shares,
    region_density,
    triangular_brokers,
)
from partnernet.graph.geography.south import DEFINITIONS
from partnernet.graph.store import GraphStore
from partnernet.service.cache import GraphCache, memo_key
from partnernet.service.results import MISSING
from partnernet.version import __version__

__all__ = ["GraphCache", "annotated_graph", "brokers", "communities_report", "deliverables",
           "focal_unit_report", "match", "recognitions_report", "snapshot", "south_south"]

#: Above this many nodes, betweenness is estimated by KADABRA within DEFAULT_EPSILON (with
#: 95% confidence) unless the caller asks for exact or pivots. On the 17,087-city twin-town
#: graph exact took 24 s and KADABRA at 0.001 1.3-2.1 s, finding 49-50 of the exact top 50
#: and the top 10 (bench/betweenness_accuracy.py); exact at 5,000 nodes takes about as long
#: as KADABRA at 17,000. (512 uniform pivots, the default before, found 37/50 there.)
EXACT_LIMIT = 5_000
DEFAULT_EPSILON = 0.001
DEFAULT_PIVOTS = 512  # --pivots without a number of its own (kept for callers)


def _memo(name: str):
    """Cache a report on the store's GraphCache under its arguments (results are
    immutable data; a write to the store invalidates them with the graph), in memory and
    on disk per data snapshot (see :class:`GraphCache`)."""
    import functools

    def wrap(fn):
        def key(*args, **kwargs) -> tuple:
            return memo_key(name, args, kwargs)

        @functools.wraps(fn)
        def inner(store, *args, cache=None, **kwargs):
            cache = cache or GraphCache.for_store(store)
            k = key(*args, **kwargs)
            cache.remember(k, lambda c: inner(store, *args, cache=c, **kwargs))
            return cache.derived(k, lambda _g: fn(store, *args, cache=cache, **kwargs),
                                 persist=True)
        inner.keys = lambda *args, **kwargs: [key(*args, **kwargs)]
        return inner
    return wrap


def _recalled(name: str):
    """For an answer computed in milliseconds once its index is built (matching): a
    process without that index (the CLI) first looks for the same question answered on
    this snapshot before, and keeps what it computes; one with it (the API) just answers."""
    import functools

    def wrap(fn):
        @functools.wraps(fn)
        def inner(store, *args, cache=None, **kwargs):
            cache = cache or GraphCache.for_store(store)
            cold = not cache.ready(*inner.keys(*args, **kwargs))
            key = memo_key(name, args, kwargs)
            if cold:
                kept = cache.recall(key)
                if kept is not MISSING:
                    return kept
            result = fn(store, *args, cache=cache, **kwargs)
            if cold:
                cache.keep(key, result)
            return result
        return inner
    return wrap


def annotated_graph(cache: GraphCache, definition: str) -> nx.MultiDiGraph:
    return cache.derived(("annotated", definition),
                         lambda g: annotate(g.copy(), definition=definition))


def snapshot(store: GraphStore, g: nx.MultiDiGraph | None = None) -> dict[str, Any]:
    """What the data was when a result was computed."""
    counts = store.counts()
    generated = sum(1 for _, d in g.nodes(data=True) if d.get("generated")) if g else None
    return {"taken_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
            "store": store.info(), "nodes": counts.total_nodes,
            "relationships": counts.total_relationships, "nodes_by_label": counts.nodes,
            "generated_nodes": generated, "software": f"partnernet {__version__}"}


def _definition(definition: str) -> dict[str, str]:
    if definition not in DEFINITIONS:
        raise ValueError(f"unknown Global South definition {definition!r}; choose one of "
                         f"{', '.join(DEFINITIONS)}")
    return DEFINITIONS[definition].describe()


def _partnerships(g: nx.MultiDiGraph, *, kinds=None, since=None, until=None, regions=None,
                  include_partners: bool = False) -> nx.Graph:
    return partnership_graph(g, kinds=kinds, since=since, until=until, regions=regions,
                             include_partners=include_partners)


@_memo("brokers")
def brokers(store: GraphStore, *, cache: GraphCache | None = None, group_by: str = "region",
            definition: str = "g77", k: int | None = None, exact: bool = False, seed: int = 0,
            top: int = 25, kinds=None, since=None, until=None, regions=None,
            include_partners: bool = True, epsilon: float | None = None) -> dict[str, Any]:
    """Ranked brokers of the partnership graph (cities and partners)."""
    cache = cache or GraphCache.for_store(store)
    g = annotated_graph(cache, definition)
    p = _partnerships(g, kinds=kinds, since=since, until=until, regions=regions,
                      include_partners=include_partners)
    p.remove_nodes_from([v for v in list(p) if p.degree(v) == 0])
    if k is None and epsilon is None and not exact and p.number_of_nodes() > EXACT_LIMIT:
        epsilon = DEFAULT_EPSILON
    result = broker_table(p, group_by=group_by, k=None if exact else k, seed=seed, top=top,
                          epsilon=None if exact else epsilon)
    result["projection"] = ("partnership graph: PARTNERS_WITH between cities"
                            + (" and partners" if include_partners else "")
                            + "; isolates left out")
    result["definition"] = _definition(definition)
    result["filters"] = {"kinds": kinds, "since": since, "until": until, "regions": regions}
    result["snapshot"] = snapshot(store, g)
    return result


@_memo("south_south")
def south_south(store: GraphStore, *, cache: GraphCache | None = None,
                definition: str = "g77", top: int = 20, permutations: int = 1000,
                seed: int = 0, kinds=None, since=None, until=None) -> dict[str, Any]:
    """Shares, E-I index, region densities, missing links and triangular brokers."""
    cache = cache or GraphCache.for_store(store)
    g = annotated_graph(cache, definition)
    cities = _partnerships(g, kinds=kinds, since=since, until=until)
    with_partners = _partnerships(g, kinds=kinds, since=since, until=until,
                                  include_partners=True)
    blocs = {v: d.get("bloc") for v, d in cities.nodes(data=True)
             if d.get("bloc") in ("South", "North")}
    regions = {v: d.get("region") for v, d in cities.nodes(data=True)}
    connected = cities.subgraph([v for v in cities if cities.degree(v) > 0])
    result = {
        "definition": _definition(definition),
        "projection": "city-city partnership graph (PARTNERS_WITH); triangular brokers also "
                      "use partners; missing links use the membership graph",
        "shares": partnership_shares(cities),
        "ei": {"south_north": ei_index(connected, blocs, permutations=permutations,
                                       seed=seed),
               "region": ei_index(connected, regions, permutations=permutations, seed=seed)},
        "density": region_density(cities),
        "missing_links": missing_links(cities, membership_graph(g), top=top),
        "triangular": triangular_brokers(with_partners, top=10),
        "snapshot": snapshot(store, g),
    }
    for part in result["ei"].values():
        part.pop("nodes", None)  # per-node E-I is large; available from the library
    return result


@_memo("focal_unit_report")
def focal_unit_report(store: GraphStore, *, cache: GraphCache | None = None,
                      today: dt.date | None = None) -> dict[str, Any]:
    cache = cache or GraphCache.for_store(store)
    g = cache.graph()
    result = focal_units(g, today=today)
    result["snapshot"] = snapshot(store, g)
    return result


@_memo("deliverables")
def deliverables(store: GraphStore, *, cache: GraphCache | None = None) -> dict[str, Any]:
    cache = cache or GraphCache.for_store(store)
    g = cache.graph()
    return {**deliverable_status(g), "snapshot": snapshot(store, g)}


@_memo("recognitions_report")
def recognitions_report(store: GraphStore, *, cache: GraphCache | None = None,
                        today: dt.date | None = None, within_days: int = 365) -> dict[str, Any]:
    cache = cache or GraphCache.for_store(store)
    g = cache.graph()
    return {**recognitions(g, today=today, within_days=within_days),
            "snapshot": snapshot(store, g)}


@_memo("communities_report")
def communities_report(store: GraphStore, *, cache: GraphCache | None = None, seed: int = 0,
                       definition: str = "g77", top: int = 20) -> dict[str, Any]:
    cache = cache or GraphCache.for_store(store)
    g = annotated_graph(cache, definition)
    p = _partnerships(g, include_partners=True)
    p.remove_nodes_from([v for v in list(p) if p.degree(v) == 0])
    r = communities(p, seed=seed)
    groups: dict[int, list] = {}
    for v, c in r["membership"].items():
        groups.setdefault(c, []).append(v)
    summary = []
    for c, members in sorted(groups.items())[:top]:
        regions: dict[str, int] = {}
        for v in members:
            regions[p.nodes[v].get("region", "Unknown")] = regions.get(
                p.nodes[v].get("region", "Unknown"), 0) + 1
        hubs = sorted(members, key=lambda v: (-p.degree(v), str(v)))[:5]
        summary.append({"community": c, "size": len(members),
                        "regions": dict(sorted(regions.items(), key=lambda kv: -kv[1])),
                        "hubs": [p.nodes[v].get("name", v) for v in hubs]})
    return {"communities": summary, "count": len(r["sizes"]), "modularity": r["modularity"],
            "seed": seed, "projection": "partnership graph (cities and partners)",
            "membership": r["membership"], "snapshot": snapshot(store, g)}


def _match_keys(*_args: Any, definition: str = "g77", **_kwargs: Any) -> list[tuple]:
    return [("annotated", definition), ("match-index", definition), ("snapshot",)]


@_recalled("match")
def match(store: GraphStore, seeker: str, *, cache: GraphCache | None = None,
          themes=(), sdgs=(), category: str | None = None, south_south: bool = False,
          top: int = 10, definition: str = "g77") -> dict[str, Any]:
    cache = cache or GraphCache.for_store(store)
    cache.remember(("match", definition), lambda c: _match_parts(store, c, definition))
    g, index, taken = _match_parts(store, cache, definition)
    node = resolve_node(g, seeker, index=index)
    result = match_partners(g, node, themes=themes, sdgs=sdgs, category=category,
                            south_south=south_south, top=top, index=index)
    result["definition"] = _definition(definition)
    result["snapshot"] = taken
    return result


def _match_parts(store: GraphStore, cache: GraphCache, definition: str):
    """The annotated graph, its matching index (built on the annotated graph: the index
    carries each candidate's bloc) and the snapshot, built once per graph."""
    g = annotated_graph(cache, definition)
    index = cache.derived(("match-index", definition), lambda _g: build_index(g))
    return g, index, cache.derived(("snapshot",), lambda gg: snapshot(store, gg))


#: What :func:`match` reads from the cache (see :meth:`GraphCache.ready`).
match.keys = _match_keys
