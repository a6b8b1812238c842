"""The explorer's aggregate: one node per region, or per country of a region, with the
partnerships between them; and a country's or region's members (capped)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from partnernet.service.cache import GraphCache
from partnernet.service.explore_index import Index, index_for, node_payload

__all__ = ["MEMBER_LIMIT", "aggregate", "aggregate_of", "members"]

#: Most members of one aggregate opened at once.
MEMBER_LIMIT = 400


def _group_key(d: dict, by: str) -> str:
    if by == "country":
        return str(d.get("country") or "unknown")
    return str(d.get("region") or "Unknown")


def aggregate(cache: GraphCache, *, by: str = "region", within: str | None = None,
              definition: str = "g77") -> dict[str, Any]:
    """Regions (or the countries of one region) as super-nodes: members counted by kind
    and partnerships counted between them (``ties``) and inside them (``internal``)."""
    return cache.derived(("explore-aggregate", definition, by, within),
                         lambda _g: aggregate_of(index_for(cache, definition), by=by,
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
    ix = index_for(cache, definition)
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
