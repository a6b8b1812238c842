"""Every analysis as one call on a store, with the metadata a reader needs.

The CLI and the API both call these; results are plain, JSON-ready data (``nan``
is replaced by ``None`` at the edge, see :func:`partnernet.formatting.json_safe`).
Each result says which projection it used and why (:func:`projection_of`), which
Global South definition, how betweenness was computed, the data snapshot and the
software version; an analysis with nothing to work on says what is missing and
what would fill it (``empty``).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import networkx as nx

from partnernet.dates import parse_period
from partnernet.formatting import p_text
from partnernet.graph.analysis.brokers import broker_table
from partnernet.graph.analysis.communities import communities
from partnernet.graph.analysis.deliverables import deliverable_status
from partnernet.graph.analysis.ei_index import ei_index
from partnernet.graph.analysis.focal_units import focal_units
from partnernet.graph.analysis.group_mixing import (
    group_composition,
    group_density,
    group_ei_index,
    group_shares,
)
from partnernet.graph.analysis.matching import (
    build_index,
    match_partners,
    name_hits,
    resolve_node,
)
from partnernet.graph.analysis.projections import (
    Projection,
    affiliations,
    annotate,
    membership_graph,
    partnership_graph,
    project,
)
from partnernet.graph.analysis.recognitions import recognitions
from partnernet.graph.analysis.south_south import (
    missing_links,
    partnership_shares,
    region_density,
    triangular_brokers,
)
from partnernet.graph.geography.south import DEFINITIONS
from partnernet.graph.schema import RelType
from partnernet.graph.store import GraphStore
from partnernet.service.cache import GraphCache, memo_key
from partnernet.service.results import MISSING
from partnernet.version import __version__
from partnernet.vocabulary import (
    DEFINITIONS as DEFINITION_NAMES,
)
from partnernet.vocabulary import (
    GROUP_BY,
    GROUP_LABELS,
    PROJECTIONS,
    REGIONS,
    UnknownValue,
    choose,
)

__all__ = ["GraphCache", "annotated_graph", "brokers", "communities_report", "deliverables",
           "focal_unit_report", "match", "projection_of", "recognitions_report", "snapshot",
           "south_south"]

#: Partnerships and all ties: above this many nodes, betweenness is estimated by KADABRA
#: within DEFAULT_EPSILON (with 95% confidence) unless the caller asks for exact or pivots.
#: On the 17,087-city twin-town graph exact took 24 s and KADABRA at 0.001 1.3-2.1 s,
#: finding 49-50 of the exact top 50 and the top 10 (bench/betweenness_accuracy.py); exact at
#: 5,000 nodes takes about as long as KADABRA at 17,000. (512 uniform pivots, the default
#: before, found 37/50 there.)
EXACT_LIMIT = 5_000
DEFAULT_EPSILON = 0.001
DEFAULT_PIVOTS = 512  # --pivots without a number of its own (kept for callers)
#: Co-membership and two-mode projections (Newman-weighted paths through hubs, or the
#: two-mode graph: KADABRA does not apply): exact betweenness while nodes x ties stays under
#: this (about 4 s of igraph on this project's 2 cores), else uniform pivots that fit it.
WORK_LIMIT = 1.2e8


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
    choose(definition, DEFINITION_NAMES, "Global South definition")
    return DEFINITIONS[definition].describe()


def _options(g: nx.MultiDiGraph | None, *, projection=None, kinds=None, since=None,
             until=None, regions=None, group_labels=None, group_by=None, definition=None
             ) -> dict[str, Any]:
    """Every option with a closed set of values, checked: one-line errors naming the
    accepted values and the closest (:class:`partnernet.vocabulary.UnknownValue`).
    Partnership kinds are checked against the store's graph ``g`` (skipped without)."""
    out: dict[str, Any] = {}
    out["projection"] = choose(projection, PROJECTIONS, "projection") if projection else None
    out["since"] = parse_period(since, "since") if since else None
    out["until"] = parse_period(until, "until") if until else None
    out["regions"] = sorted({choose(r, REGIONS, "region") for r in regions}) if regions \
        else None
    out["group_labels"] = sorted({choose(x, GROUP_LABELS, "group label")
                                  for x in group_labels}) if group_labels else None
    if group_by is not None:
        choose(group_by, GROUP_BY, "group-by attribute")
    if definition is not None:
        choose(definition, DEFINITION_NAMES, "Global South definition")
    # partnership kinds are the data's own (an open set): a kind the store does not hold
    # gives an empty result that names the kinds it holds and the closest (see _empty)
    if kinds and g is not None:
        present = _kinds(g)
        out["kinds"] = sorted({_spelled(k, present) for k in kinds})
    else:
        out["kinds"] = sorted(set(kinds)) if kinds else None
    return out


def _kinds(g: nx.MultiDiGraph) -> dict[str, int]:
    out: dict[str, int] = {}
    for _, _, d in g.edges(data=True):
        if d.get("type") == RelType.PARTNERS_WITH.value and d.get("kind") is not None:
            out[str(d["kind"])] = out.get(str(d["kind"]), 0) + 1
    return dict(sorted(out.items()))


def _spelled(kind: str, present: dict[str, int]) -> str:
    """``kind`` as the store spells it (case-insensitively), else as given."""
    try:
        return choose(kind, present, "partnership kind")
    except UnknownValue:
        return kind


def projection_of(cache: GraphCache, definition: str, projection: str | None = None, *,
                  kinds=None, since=None, until=None, regions=None, group_labels=None,
                  directed: bool = False) -> Projection:
    """The projection of the store's annotated graph, built once per graph and options."""
    g = annotated_graph(cache, definition)
    key = memo_key("projection", (definition, projection),
                   {"kinds": kinds, "since": since, "until": until, "regions": regions,
                    "group_labels": group_labels, "directed": directed})
    return cache.derived(key, lambda _g: project(
        g, projection, kinds=kinds, since=since, until=until, regions=regions,
        group_labels=group_labels, directed=directed))


def _store_counts(g: nx.MultiDiGraph) -> dict[str, int]:
    partnerships = sum(1 for _, _, d in g.edges(data=True)
                       if d.get("type") == RelType.PARTNERS_WITH.value)
    dated = sum(1 for _, _, d in g.edges(data=True)
                if d.get("type") == RelType.PARTNERS_WITH.value and d.get("since") is not None)
    return {"partnerships": partnerships, "dated_partnerships": dated,
            "memberships": len(affiliations(g)), "relationships": g.number_of_edges()}


def _empty(p: Projection, g: nx.MultiDiGraph, opts: dict[str, Any],
           what: str = "ties") -> dict[str, Any] | None:
    """``None`` when ``p`` has ties; else what is missing and what would fill it."""
    if p.graph.number_of_edges() - sum(p.hubs.values()) > 0 or (p.hubs and p.actors()):
        return None
    c = _store_counts(g)
    problems = []
    if opts.get("since") and opts.get("until") and opts["since"] > opts["until"]:
        problems.append(f"since {opts['since']} is after until {opts['until']}: nothing can "
                        "fall in that period")
    present = _kinds(g)
    for k in opts.get("kinds") or []:
        if k not in present:
            problems.append(str(UnknownValue("partnership kind", k, present or
                                             ["(none: no partnership has a kind)"])))
    filters = [f"--{k} {v}" for k, v in (("since", opts.get("since")),
                                         ("until", opts.get("until"))) if v]
    filters += [f"--region {r}" for r in opts.get("regions") or []]
    filters += [f"--kind {k}" for k in opts.get("kinds") or []]
    tries = []
    if p.name == "partnerships":
        why = "no partnerships (PARTNERS_WITH) between cities, partners or networks"
        if c["partnerships"] and filters:
            why += f" pass the filters {' '.join(filters)} ({c['partnerships']:,} in the store"
            why += (f", {c['partnerships'] - c['dated_partnerships']:,} without a date)"
                    if opts.get("since") or opts.get("until") else ")")
            tries.append("drop or widen " + ", ".join(f.split()[0] for f in filters))
        if c["memberships"]:
            tries.append(f"--projection co-membership ({c['memberships']:,} memberships in "
                         "networks, committees, initiatives, agreements, events)")
        if not c["partnerships"]:
            tries.append("load partnerships: partnernet load FILE (pair lists, edge lists, "
                         "Gephi, Kumu, GraphML/GEXF)")
    elif p.name in ("co-membership", "two-mode"):
        why = ("no two members share a group (network, committee, initiative, agreement, "
               "event)" if p.name == "co-membership" else "no memberships")
        if c["memberships"] and filters:
            why += f" within the filters {' '.join(filters)}"
            tries.append("drop or widen " + ", ".join(f.split()[0] for f in filters))
        if c["partnerships"]:
            tries.append(f"--projection partnerships ({c['partnerships']:,} partnerships)")
        if not c["memberships"]:
            tries.append("load memberships: partnernet load FILE (membership lists, canonical "
                         "MEMBER_OF / SITS_ON / INVOLVES relationships)")
    else:
        why = "the store holds no ties" + (f" within {' '.join(filters)}" if filters else "")
        tries.append("load data: partnernet load --format reference, or your own files")
    if problems:
        why = "; ".join(problems) + "; " + why
    return {"why": f"{why} (projection {p.name}: {p.reason})", "try": tries, "what": what}


def _estimate(p: Projection, k: int | None, exact: bool, epsilon: float | None
              ) -> tuple[int | None, float | None]:
    """``(pivots, epsilon)`` for betweenness on ``p``: exact when asked or small; else on
    one-mode projections KADABRA within :data:`DEFAULT_EPSILON`, on co-membership and
    two-mode ones uniform pivots within :data:`WORK_LIMIT` (asked pivots win over epsilon)."""
    if exact:
        return None, None
    if k is not None:
        return k, None
    n = len(p.actors()) + len(p.hubs)
    if p.name in ("partnerships", "all"):
        if epsilon is None and n > EXACT_LIMIT:
            epsilon = DEFAULT_EPSILON
        return None, epsilon
    m = max(p.graph.number_of_edges(), 1)
    if n * m <= WORK_LIMIT:
        return None, None
    return max(64, min(DEFAULT_PIVOTS, int(WORK_LIMIT // m))), None


@_memo("brokers")
def brokers(store: GraphStore, *, cache: GraphCache | None = None, projection: str | None = None,
            group_by: str = "region", definition: str = "g77", k: int | None = None,
            exact: bool = False, seed: int = 0, top: int = 25, kinds=None, since=None,
            until=None, regions=None, group_labels=None, directed: bool = False,
            epsilon: float | None = None) -> dict[str, Any]:
    """Ranked brokers of a projection (default: the one that fits what the store holds)."""
    _options(None, projection=projection, since=since, until=until, regions=regions,
             group_labels=group_labels, group_by=group_by, definition=definition)
    cache = cache or GraphCache.for_store(store)
    g = annotated_graph(cache, definition)
    opts = _options(g, projection=projection, kinds=kinds, since=since, until=until,
                    regions=regions, group_labels=group_labels, group_by=group_by,
                    definition=definition)
    p = projection_of(cache, definition, opts["projection"], kinds=opts["kinds"],
                      since=opts["since"], until=opts["until"], regions=opts["regions"],
                      group_labels=opts["group_labels"], directed=directed)
    k, epsilon = _estimate(p, k, exact, epsilon)
    result = broker_table(p, group_by=group_by, k=k, seed=seed, top=top, epsilon=epsilon)
    result["projection"] = p.describe()
    result["empty"] = _empty(p, g, opts, "brokers")
    if result["empty"]:
        result["rows"] = []
    result["definition"] = _definition(definition)
    result["filters"] = {"kinds": opts["kinds"], "since": opts["since"], "until": opts["until"],
                         "regions": opts["regions"], "group_labels": opts["group_labels"],
                         "directed": directed}
    result["snapshot"] = snapshot(store, g)
    return result


def _with_p(ei: dict[str, Any], what: str) -> dict[str, Any]:
    net = ei["network"]
    net["p_text"] = p_text(net.get("p_value"), net.get("permutations") or 0,
                           undefined=f"no ties {what}" if math.isnan(net.get("ei", math.nan))
                           else "no permutation test asked")
    return ei


@_memo("south_south")
def south_south(store: GraphStore, *, cache: GraphCache | None = None,
                projection: str | None = None, definition: str = "g77", top: int = 20,
                permutations: int = 1000, seed: int = 0, kinds=None, since=None, until=None,
                group_labels=None) -> dict[str, Any]:
    """Shares, E-I index, region densities, missing links and triangular brokers on a
    projection; on co-membership and two-mode data, from group composition (Newman
    weights), with each group's members by bloc."""
    _options(None, projection=projection, since=since, until=until,
             group_labels=group_labels, definition=definition)
    cache = cache or GraphCache.for_store(store)
    g = annotated_graph(cache, definition)
    opts = _options(g, projection=projection, kinds=kinds, since=since, until=until,
                    group_labels=group_labels, definition=definition)
    p = projection_of(cache, definition, opts["projection"], kinds=opts["kinds"],
                      since=opts["since"], until=opts["until"],
                      group_labels=opts["group_labels"])
    h = p.graph
    result: dict[str, Any] = {"definition": _definition(definition),
                              "projection": p.describe()}
    members = membership_graph(g)
    if p.name in ("co-membership", "two-mode"):
        b = p.two_mode_graph if p.two_mode_graph is not None else h
        blocs = {v: d.get("bloc") for v, d in b.nodes(data=True)
                 if d.get("bipartite") == 0 and d.get("bloc") in ("South", "North")}
        regions = {v: d.get("region") for v, d in b.nodes(data=True)
                   if d.get("bipartite") == 0 and d.get("region")}
        result["shares"] = group_shares(b)
        result["ei"] = {"south_north": group_ei_index(b, blocs, permutations=permutations,
                                                      seed=seed),
                        "region": group_ei_index(b, regions, permutations=permutations,
                                                 seed=seed)}
        result["density"] = group_density(b)
        result["groups"] = group_composition(b, top=50)
        if p.two_mode:
            result["projection"]["note"] = ("shares, E-I and densities of the two-mode data "
                                            "read as co-membership (Newman weights); "
                                            "'groups' gives each group's members by bloc")
        tri_graph = p.graph if p.name == "co-membership" else h
        result["triangular"] = triangular_brokers(tri_graph, top=10, skip=p.hubs)
    else:
        # actors with a place; on all ties, networks are groups there, not actors
        actors = h.subgraph([v for v, d in h.nodes(data=True) if d.get("bloc") and not (
            p.name == "all" and d.get("label") == "Network")])
        und = actors.to_undirected(as_view=True) if actors.is_directed() else actors
        blocs = {v: d.get("bloc") for v, d in und.nodes(data=True)
                 if d.get("bloc") in ("South", "North")}
        regions = {v: d.get("region") for v, d in und.nodes(data=True)}
        connected = und.subgraph([v for v in und if und.degree(v) > 0])
        result["shares"] = partnership_shares(und)
        result["ei"] = {"south_north": ei_index(connected, blocs, permutations=permutations,
                                                seed=seed),
                        "region": ei_index(connected, regions, permutations=permutations,
                                           seed=seed)}
        result["density"] = region_density(und)
        tri = h.to_undirected(as_view=True) if h.is_directed() else h
        result["triangular"] = triangular_brokers(tri, top=10)
    result["ei"]["south_north"] = _with_p(result["ei"]["south_north"],
                                          "between Southern and Northern actors")
    result["ei"]["region"] = _with_p(result["ei"]["region"], "between actors with a region")
    # a missing link is a missing partnership: existing partnerships are excluded
    ties = h if p.name == "partnerships" else partnership_graph(
        g, include_partners=True, include_networks=True)
    result["missing_links"] = missing_links(ties.to_undirected(as_view=True)
                                            if ties.is_directed() else ties, members, top=top)
    result["empty"] = _empty(p, g, opts, "South-South gaps")
    overall = result["shares"]["overall"]
    if result["empty"] is None and not any(v.get("weight") for k, v in overall.items()
                                           if k != "unclassified"):
        if overall["unclassified"].get("weight"):
            why = ("no tie joins two actors whose country places them in the Global South "
                   f"or North under {definition}: countries unknown, or UN actors")
            tries = ["load cities with countries (pair lists resolve them)",
                     "another --definition (g77, dac, wb-income)"]
        else:
            why = ("no tie joins two actors (cities, partners, countries): every tie of "
                   "this projection joins an actor to a network, committee, initiative or "
                   "other group")
            tries = ["--projection co-membership (actors tied by the groups they share)"]
        result["empty"] = {"why": f"{why} (projection {p.name}: {p.reason})", "try": tries,
                           "what": "South-South gaps"}
    for part in result["ei"].values():
        part.pop("nodes", None)  # per-node E-I is large; available from the library
    result["snapshot"] = snapshot(store, g)
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
                       projection: str | None = None, definition: str = "g77", top: int = 20,
                       kinds=None, since=None, until=None, regions=None, group_labels=None
                       ) -> dict[str, Any]:
    """Louvain communities of a projection, with each community's regions, hubs (most
    tied members) and, on membership data, the groups mostly inside it."""
    _options(None, projection=projection, since=since, until=until, regions=regions,
             group_labels=group_labels, definition=definition)
    cache = cache or GraphCache.for_store(store)
    g = annotated_graph(cache, definition)
    opts = _options(g, projection=projection, kinds=kinds, since=since, until=until,
                    regions=regions, group_labels=group_labels, definition=definition)
    p = projection_of(cache, definition, opts["projection"], kinds=opts["kinds"],
                      since=opts["since"], until=opts["until"], regions=opts["regions"],
                      group_labels=opts["group_labels"])
    h = p.graph
    r = communities(h, seed=seed, weight=p.weight, skip=p.hubs)
    parts: dict[int, list] = {}
    for v, c in r["membership"].items():
        parts.setdefault(c, []).append(v)
    summary = []
    for c in range(len(r["sizes"]))[:top]:
        members = [v for v in parts.get(c, []) if v not in p.hubs
                   and h.nodes[v].get("bipartite") != 1]
        groups = [v for v in parts.get(c, []) if v in p.hubs or h.nodes[v].get("bipartite") == 1]
        regions_: dict[str, int] = {}
        for v in members:
            key = h.nodes[v].get("region") or h.nodes[v].get("label") or "Unknown"
            regions_[key] = regions_.get(key, 0) + 1
        hubs = sorted(members, key=lambda v: (-h.degree(v), str(h.nodes[v].get("name", v))))[:5]
        summary.append({"community": c, "size": len(members),
                        "regions": dict(sorted(regions_.items(), key=lambda kv: (-kv[1], kv[0]))),
                        "hubs": [h.nodes[v].get("name", v) for v in hubs],
                        "groups": sorted(str(h.nodes[v].get("name", v)) for v in groups)[:10]})
    result = {"communities": summary, "count": len(r["sizes"]), "isolates": r["isolates"],
              "modularity": r["modularity"], "seed": seed, "projection": p.describe(),
              "method": "Louvain (igraph multilevel), seeded vertex order"
                        + ("; weights: " + p.weight if p.weight else ""),
              "membership": r["membership"], "snapshot": snapshot(store, g)}
    result["empty"] = _empty(p, g, opts, "communities")
    if result["empty"] is None and not r["sizes"]:
        result["empty"] = {"why": "no ties to form communities", "try": [], "what": "communities"}
    return result


def _match_keys(*_args: Any, definition: str = "g77", **_kwargs: Any) -> list[tuple]:
    return [("annotated", definition), ("match-index", definition), ("snapshot",)]


@_recalled("match")
def match(store: GraphStore, seeker: str, *, cache: GraphCache | None = None,
          themes=(), sdgs=(), category: str | None = None, south_south: bool = False,
          top: int = 10, definition: str = "g77", include_cities: bool = True
          ) -> dict[str, Any]:
    cache = cache or GraphCache.for_store(store)
    _definition(definition)
    cache.remember(("match", definition), lambda c: _match_parts(store, c, definition))
    g, index, taken = _match_parts(store, cache, definition)
    node = resolve_node(g, seeker, index=index)
    result = match_partners(g, node, themes=themes, sdgs=sdgs, category=category,
                            south_south=south_south, top=top, index=index,
                            include_cities=include_cities)
    result["definition"] = _definition(definition)
    result["snapshot"] = taken
    if seeker not in g:
        namesakes = name_hits(g, seeker, index=index)
        if len(namesakes) > 1:
            result["flags"].insert(0, _namesakes_flag(g, seeker, namesakes))
    return result


def _namesakes_flag(g, seeker: str, hits: list[str]) -> str:
    """Say which of several places with the asked name was taken, and the others' ids."""

    def place(v: str) -> str:
        d = g.nodes[v]
        where = ", ".join(str(x) for x in (d.get("admin1_name"), d.get("country")) if x)
        return f"{d.get('name', v)} ({where + ', ' if where else ''}{v})"

    shown = ", ".join(place(v) for v in hits[1:6])
    more = f" and {len(hits) - 6} more" if len(hits) > 6 else ""
    return (f"'{seeker}' names {len(hits)} places: matched for {place(hits[0])}, the "
            f"largest; the others are {shown}{more}: give an id to match for another")


def _match_parts(store: GraphStore, cache: GraphCache, definition: str):
    """The annotated graph, its matching index (built on the annotated graph: the index
    carries each candidate's bloc) and the snapshot, built once per graph."""
    g = annotated_graph(cache, definition)
    index = cache.derived(("match-index", definition), lambda _g: build_index(g))
    return g, index, cache.derived(("snapshot",), lambda gg: snapshot(store, gg))


#: What :func:`match` reads from the cache (see :meth:`GraphCache.ready`).
match.keys = _match_keys
