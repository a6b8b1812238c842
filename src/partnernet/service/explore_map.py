"""The explorer's map: cities with coordinates and their partnerships (capped by
partnerships: the cities with most ties first)."""

from __future__ import annotations

from typing import Any

from partnernet.service.cache import GraphCache
from partnernet.service.explore_index import Index, finite_or_none, index_for

__all__ = ["MAP_LIMIT", "map_data", "map_of"]

#: Most cities on the map (the ones with most partnerships first).
MAP_LIMIT = 60_000


def map_data(cache: GraphCache, *, definition: str = "g77", region: str | None = None,
             limit: int = MAP_LIMIT) -> dict[str, Any]:
    """Cities (and partners) with coordinates and their partnerships, compactly: parallel
    arrays for the nodes, index pairs for the ties. The cities with most partnerships
    first when capped."""
    limit = max(1, min(limit, MAP_LIMIT))
    return cache.derived(("explore-map", definition, region, limit),
                         lambda _g: map_of(index_for(cache, definition), region=region,
                                           limit=limit))


def map_of(ix: Index, *, region: str | None = None, limit: int = MAP_LIMIT) -> dict[str, Any]:
    """:func:`map_data` on an :class:`Index` (no cache)."""
    p = ix.p
    placed, unplaced = [], 0
    for v, d in p.nodes(data=True):
        if p.degree(v) == 0 or (region and d.get("region") != region):
            continue
        lat, lon = finite_or_none(d.get("lat")), finite_or_none(d.get("lon"))
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
