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
from partnernet.graph.analysis.projections import membership_graph, partnership_graph
from partnernet.graph.analysis.recognitions import recognitions
from partnernet.graph.analysis.south_south import (
    missing_links,
    partnership_shares,
    region_density,
    triangular_brokers,
)
from partnernet.graph.store import GraphStore
from partnernet.service.betweenness_plan import (
    DEFAULT_EPSILON,
    DEFAULT_PIVOTS,
    EXACT_LIMIT,
    EXACT_WORK,
    WORK_LIMIT,
    plan_betweenness,
)
from partnernet.service.cache import GraphCache
from partnernet.service.empty import why_empty
from partnernet.service.graphs import annotated_graph, projection_of, snapshot
from partnernet.service.matching import match
from partnernet.service.memo import memo
from partnernet.service.options import check_options, describe_definition

__all__ = ["DEFAULT_EPSILON", "DEFAULT_PIVOTS", "EXACT_LIMIT", "EXACT_WORK", "GraphCache",
           "WORK_LIMIT", "annotated_graph", "brokers", "communities_report", "deliverables",
           "focal_unit_report", "match", "projection_of", "recognitions_report", "snapshot",
           "south_south"]


@memo("brokers")
def brokers(store: GraphStore, *, cache: GraphCache | None = None, projection: str | None = None,
            group_by: str = "region", definition: str = "g77", k: int | None = None,
            exact: bool = False, seed: int = 0, top: int = 25, kinds=None, since=None,
            until=None, regions=None, group_labels=None, directed: bool = False,
            epsilon: float | None = None) -> dict[str, Any]:
    """Ranked brokers of a projection (default: the one that fits what the store holds)."""
    check_options(None, projection=projection, since=since, until=until, regions=regions,
                  group_labels=group_labels, group_by=group_by, definition=definition)
    cache = cache or GraphCache.for_store(store)
    g = annotated_graph(cache, definition)
    opts = check_options(g, projection=projection, kinds=kinds, since=since, until=until,
                         regions=regions, group_labels=group_labels, group_by=group_by,
                         definition=definition)
    p = projection_of(cache, definition, opts["projection"], kinds=opts["kinds"],
                      since=opts["since"], until=opts["until"], regions=opts["regions"],
                      group_labels=opts["group_labels"], directed=directed)
    k, epsilon, exact_within = plan_betweenness(p, k, exact, epsilon)
    result = broker_table(p, group_by=group_by, k=k, seed=seed, top=top, epsilon=epsilon,
                          exact_within=exact_within)
    result["projection"] = p.describe()
    result["empty"] = why_empty(p, g, opts, "brokers")
    if result["empty"]:
        result["rows"] = []
    result["definition"] = describe_definition(definition)
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


@memo("south_south")
def south_south(store: GraphStore, *, cache: GraphCache | None = None,
                projection: str | None = None, definition: str = "g77", top: int = 20,
                permutations: int = 1000, seed: int = 0, kinds=None, since=None, until=None,
                group_labels=None) -> dict[str, Any]:
    """Shares, E-I index, region densities, missing links and triangular brokers on a
    projection; on co-membership and two-mode data, from group composition (Newman
    weights), with each group's members by bloc."""
    check_options(None, projection=projection, since=since, until=until,
                  group_labels=group_labels, definition=definition)
    cache = cache or GraphCache.for_store(store)
    g = annotated_graph(cache, definition)
    opts = check_options(g, projection=projection, kinds=kinds, since=since, until=until,
                         group_labels=group_labels, definition=definition)
    p = projection_of(cache, definition, opts["projection"], kinds=opts["kinds"],
                      since=opts["since"], until=opts["until"],
                      group_labels=opts["group_labels"])
    h = p.graph
    result: dict[str, Any] = {"definition": describe_definition(definition),
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
    result["empty"] = why_empty(p, g, opts, "South-South gaps")
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


@memo("focal_unit_report")
def focal_unit_report(store: GraphStore, *, cache: GraphCache | None = None,
                      today: dt.date | None = None) -> dict[str, Any]:
    cache = cache or GraphCache.for_store(store)
    g = cache.graph()
    result = focal_units(g, today=today)
    result["snapshot"] = snapshot(store, g)
    return result


@memo("deliverables")
def deliverables(store: GraphStore, *, cache: GraphCache | None = None) -> dict[str, Any]:
    cache = cache or GraphCache.for_store(store)
    g = cache.graph()
    return {**deliverable_status(g), "snapshot": snapshot(store, g)}


@memo("recognitions_report")
def recognitions_report(store: GraphStore, *, cache: GraphCache | None = None,
                        today: dt.date | None = None, within_days: int = 365) -> dict[str, Any]:
    cache = cache or GraphCache.for_store(store)
    g = cache.graph()
    return {**recognitions(g, today=today, within_days=within_days),
            "snapshot": snapshot(store, g)}


@memo("communities_report")
def communities_report(store: GraphStore, *, cache: GraphCache | None = None, seed: int = 0,
                       projection: str | None = None, definition: str = "g77", top: int = 20,
                       kinds=None, since=None, until=None, regions=None, group_labels=None
                       ) -> dict[str, Any]:
    """Louvain communities of a projection, with each community's regions, hubs (most
    tied members) and, on membership data, the groups mostly inside it."""
    check_options(None, projection=projection, since=since, until=until, regions=regions,
                  group_labels=group_labels, definition=definition)
    cache = cache or GraphCache.for_store(store)
    g = annotated_graph(cache, definition)
    opts = check_options(g, projection=projection, kinds=kinds, since=since, until=until,
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
    result["empty"] = why_empty(p, g, opts, "communities")
    if result["empty"] is None and not r["sizes"]:
        result["empty"] = {"why": "no ties to form communities", "try": [], "what": "communities"}
    return result
