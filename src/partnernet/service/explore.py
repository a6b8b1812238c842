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
"""

from __future__ import annotations

import math
import threading
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from partnernet.graph.analysis.brokerage import brokered_pairs
from partnernet.graph.analysis.projections import partnership_graph
from partnernet.graph.schema import name_key
from partnernet.graph.store import GraphStore
from partnernet.service import analyses
from partnernet.service.cache import GraphCache

__all__ = ["MAP_LIMIT", "MEMBER_LIMIT", "NEIGHBOUR_LIMIT", "Index", "aggregate", "aggregate_of",
           "build_index", "facets", "map_data", "map_of", "members", "neighbourhood",
           "neighbourhood_of", "node_details", "node_payload", "search"]

#: Most neighbours one expansion returns (the API's default is lower).
NEIGHBOUR_LIMIT = 500
#: Most members of one aggregate opened at once.
MEMBER_LIMIT = 400
#: Most cities on the map (the ones with most partnerships first).
MAP_LIMIT = 60_000

#: Order in which neighbours of each kind are kept when a neighbourhood is capped:
#: the structure (networks, committees, units) before the many cities.
_PRIORITY = {k: i for i, k in enumerate(
    ["Network", "Committee", "FocalUnit", "Partner", "Initiative", "Agreement", "Event",
     "PartnerCategory", "CommunicationRule", "Country", "Pillar", "MembershipClass",
     "Requirement", "ActionLine", "Measure", "Deliverable", "Duty", "Channel", "EntryPoint",
     "Theme", "SDG", "City"])}
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


def _index(cache: GraphCache, definition: str) -> Index:
    return cache.derived(("explore-index", definition),
                         lambda _g: build_index(analyses.annotated_graph(cache, definition)))


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


def _num(x: Any) -> float | None:
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
    lat, lon = _num(d.get("lat")), _num(d.get("lon"))
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
    return neighbourhood_of(_index(cache, definition), node, limit=limit)


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


def node_details(store: GraphStore, cache: GraphCache, node: str, *,
                 definition: str = "g77") -> dict[str, Any]:
    """Facts, broker scores and what the node connects, the focal units responsible and the
    letter routing (partners), and the missing South-South links that involve it."""
    ix = _index(cache, definition)
    g = ix.g
    if node not in g:
        raise KeyError(node)
    d = g.nodes[node]
    facts = {k: v for k, v in d.items() if k not in ("name", "label") and v not in (None, "")}
    out: dict[str, Any] = {"node": node_payload(ix, node), "facts": facts}
    kinds = Counter(g.nodes[v].get("label") for v in
                    set(g.successors(node)) | set(g.predecessors(node)))
    out["neighbour_kinds"] = dict(kinds.most_common())
    out["scores"] = _scores(store, cache, ix, node, definition)
    if d.get("label") == "Partner":
        fu = analyses.focal_unit_report(store, cache=cache)
        row = next((p for p in fu["partners"] if p["partner"] == node), None)
        out["focal_units"] = row
    ready, ss = _soon(cache, ("explore-south-south", definition), lambda _g: analyses.south_south(
        store, cache=cache, definition=definition, top=200, permutations=0))
    if not ready:
        out["missing_links_pending"] = ("missing South-South links are being computed "
                                        "(once per data snapshot)")
        return out
    out["missing_links"] = [
        {"a": p["a"], "b": p["b"], "other": p["b"] if p["a"] == node else p["a"],
         "other_name": p["b_name"] if p["a"] == node else p["a_name"], "score": p["score"],
         "reasons": p["reasons"]}
        for p in ss["missing_links"]["pairs"] if node in (p["a"], p["b"])]
    if not out["missing_links"]:
        none = ss["missing_links"].get("empty")
        if none:
            why = "; ".join(["none proposed in this store: " + none["why"], *none["try"]])
        elif d.get("bloc") != "South":
            why = (f"none: {d.get('name', node)} is not a Southern city under {definition} "
                   "(missing links join two Southern cities)")
        else:
            why = (f"none among the {len(ss['missing_links']['pairs'])} strongest of the store "
                   "(`partnernet analyse south-south --top N` lists more)")
        out["missing_links_none"] = why
    return out


#: How long a side-panel request waits for the broker scores before answering without them
#: (they go on being computed once per graph, in the background).
SCORES_WAIT = 0.5
_running: dict[tuple, threading.Thread] = {}
_running_lock = threading.Lock()


def _soon(cache: GraphCache, key: tuple, build) -> tuple[bool, Any]:
    """``cache.derived(key, build)`` if it is ready within :data:`SCORES_WAIT` seconds;
    else ``(False, None)`` while it goes on in a background thread (one per key)."""
    with _running_lock:
        token = (id(cache), key)
        thread = _running.get(token)
        if thread is None or not thread.is_alive():
            thread = threading.Thread(target=cache.derived, args=(key, build), daemon=True,
                                      name=f"explore-{key[0]}")
            _running[token] = thread
            thread.start()
    thread.join(SCORES_WAIT)
    if thread.is_alive():
        return False, None
    return True, cache.derived(key, build)


def _scores(store: GraphStore, cache: GraphCache, ix: Index, node: str,
            definition: str) -> dict[str, Any] | None:
    if node not in ix.p or ix.p.degree(node) == 0:
        return None
    key = ("explore-brokers", definition)

    def build(_g):
        return {r["node"]: r for r in analyses.brokers(store, cache=cache,
                                                        definition=definition,
                                                        top=None)["rows"]}

    ready, table = _soon(cache, key, build)
    if not ready:
        return {"pending": True,
                "note": f"broker scores over {ix.p.number_of_nodes():,} cities and partners "
                        "are being computed (once per data snapshot)"}
    row = table.get(node)
    if row is None:
        return None
    groups = {v: dd.get("region", "Unknown") for v, dd in ix.p.nodes(data=True)}
    keys = ("rank", "betweenness", "constraint", "effective_size", "efficiency",
            "coordinator", "itinerant", "gatekeeper", "representative", "liaison",
            "brokerage_total", "cut_point", "separated")
    return {**{k: row.get(k) for k in keys}, "ranked_of": len(table),
            "connects": brokered_pairs(ix.p, node, groups, limit=6)}


def facets(cache: GraphCache, *, definition: str = "g77") -> dict[str, Any]:
    """The values the explorer's filters offer, from the data."""
    def build(_g):
        ix = _index(cache, definition)
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


def _group_key(d: dict, by: str) -> str:
    if by == "country":
        return str(d.get("country") or "unknown")
    return str(d.get("region") or "Unknown")


def aggregate(cache: GraphCache, *, by: str = "region", within: str | None = None,
              definition: str = "g77") -> dict[str, Any]:
    """Regions (or the countries of one region) as super-nodes: members counted by kind
    and partnerships counted between them (``ties``) and inside them (``internal``)."""
    return cache.derived(("explore-aggregate", definition, by, within),
                         lambda _g: aggregate_of(_index(cache, definition), by=by,
                                                 within=within))


def aggregate_of(ix: Index, *, by: str = "region", within: str | None = None
                 ) -> dict[str, Any]:
    """:func:`aggregate` on an :class:`Index` (no cache)."""
    p = ix.p
    keep = [v for v in p if p.degree(v) > 0 and (
        within is None or str(p.nodes[v].get("region") or "Unknown") == within)]
    groups: dict[str, dict[str, Any]] = {}
    of = {}
    for v in keep:
        d = p.nodes[v]
        k = _group_key(d, by)
        of[v] = k
        grp = groups.setdefault(k, {"id": f"group:{by}:{k}", "key": k, "by": by,
                                    "label": "Group", "members": 0, "cities": 0,
                                    "partners": 0, "internal": 0, "external": 0,
                                    "region": d.get("region") or "Unknown",
                                    "name": k})
        grp["members"] += 1
        grp["cities" if d.get("label") == "City" else "partners"] += 1
    if by == "country":
        from partnernet.graph.geography.countries import countries

        table = countries()
        for k, grp in groups.items():
            c = table.get(k.upper())
            grp["name"] = c.name if c is not None else "country unknown"
            grp["country"] = k.upper()
    ties: Counter = Counter()
    for a, b, d in p.edges(data=True):
        ka, kb = of.get(a), of.get(b)
        w = d.get("weight", 1)
        if ka is None and kb is None:
            continue
        if ka is None or kb is None:
            groups[ka or kb]["external"] += w
        elif ka == kb:
            groups[ka]["internal"] += w
        else:
            ties[tuple(sorted((ka, kb)))] += w
    nodes = sorted(groups.values(), key=lambda x: -x["members"])
    edges = [{"id": f"agg|{a}|{b}", "from": f"group:{by}:{a}", "to": f"group:{by}:{b}",
              "type": "AGGREGATE", "weight": w} for (a, b), w in ties.items()]
    return {"by": by, "within": within, "nodes": nodes, "edges": edges,
            "note": (f"{sum(x['members'] for x in nodes):,} cities and partners with "
                     f"partnerships, grouped by {by}"
                     + (f" in {within}" if within else "")
                     + "; a tie's number is how many partnerships join two groups")}


def members(cache: GraphCache, *, by: str, key: str, definition: str = "g77",
            limit: int = 150) -> dict[str, Any]:
    """The members of one aggregate (cities and partners with partnerships), most ties
    first, with the partnerships among them; capped at ``limit``."""
    ix = _index(cache, definition)
    p = ix.p
    limit = max(1, min(limit, MEMBER_LIMIT))
    inside = [v for v in p if p.degree(v) > 0 and _group_key(p.nodes[v], by) == key]
    if not inside:
        raise KeyError(f"group {by} {key!r}")
    inside.sort(key=lambda v: (-p.degree(v), str(v)))
    keep = inside[:limit]
    chosen = set(keep)
    edges = [{"id": f"{a}|PARTNERS_WITH|{b}|p", "from": a, "to": b, "type": "PARTNERS_WITH",
              "weight": d.get("weight", 1),
              "kind": ", ".join(sorted(str(k) for k in d.get("kinds", ()) if k))}
             for a, b, d in p.subgraph(chosen).edges(data=True)]
    note = None
    if len(inside) > len(keep):
        note = (f"{len(keep)} of {len(inside)} members shown (most partnerships first); "
                f"search for a name to see any other")
    return {"by": by, "key": key, "nodes": [node_payload(ix, v) for v in keep], "edges": edges,
            "total": len(inside), "capped": len(inside) > len(keep), "note": note}


def map_data(cache: GraphCache, *, definition: str = "g77", region: str | None = None,
             limit: int = MAP_LIMIT) -> dict[str, Any]:
    """Cities (and partners) with coordinates and their partnerships, compactly: parallel
    arrays for the nodes, index pairs for the ties. The cities with most partnerships
    first when capped."""
    limit = max(1, min(limit, MAP_LIMIT))
    return cache.derived(("explore-map", definition, region, limit),
                         lambda _g: map_of(_index(cache, definition), region=region,
                                           limit=limit))


def map_of(ix: Index, *, region: str | None = None, limit: int = MAP_LIMIT) -> dict[str, Any]:
    """:func:`map_data` on an :class:`Index` (no cache)."""
    p = ix.p
    placed, unplaced = [], 0
    for v, d in p.nodes(data=True):
        if p.degree(v) == 0 or (region and d.get("region") != region):
            continue
        lat, lon = _num(d.get("lat")), _num(d.get("lon"))
        if lat is None or lon is None:
            unplaced += 1
            continue
        placed.append((v, lat, lon))
    placed.sort(key=lambda t: (-p.degree(t[0]), str(t[0])))
    keep = placed[:limit]
    pos = {v: i for i, (v, _, _) in enumerate(keep)}
    ties, kinds = [], []
    kind_ids: dict[str, int] = {}
    for a, b, d in p.edges(data=True):
        if a in pos and b in pos:
            kind = ", ".join(sorted(str(k) for k in d.get("kinds", ()) if k)) or "unspecified"
            ties.append([pos[a], pos[b], kind_ids.setdefault(kind, len(kind_ids))])
    kinds = list(kind_ids)
    notes = []
    if len(placed) > len(keep):
        notes.append(f"{len(keep):,} of {len(placed):,} cities drawn (most partnerships "
                     "first)")
    if unplaced:
        notes.append(f"{unplaced:,} cities or partners with partnerships have no "
                     "coordinates (unresolved or ambiguous names, partners without a "
                     "place) and are not on the map")
    return {
        "ids": [v for v, _, _ in keep],
        "names": [str(p.nodes[v].get("name", v)) for v, _, _ in keep],
        "labels": [p.nodes[v].get("label") for v, _, _ in keep],
        "lat": [round(la, 3) for _, la, _ in keep],
        "lon": [round(lo, 3) for _, _, lo in keep],
        "region": [p.nodes[v].get("region") or "Unknown" for v, _, _ in keep],
        "bloc": [p.nodes[v].get("bloc") or "Unclassified" for v, _, _ in keep],
        "degree": [p.degree(v) for v, _, _ in keep],
        "ties": ties, "kinds": kinds, "region_filter": region,
        "total_cities": len(placed), "shown": len(keep), "unplaced": unplaced,
        "note": "; ".join(notes) or None}
