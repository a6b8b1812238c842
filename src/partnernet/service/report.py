"""The network report as data: every section, computed on one cached graph.

Renderers (:mod:`partnernet.visualisations.report`) turn this into HTML, Markdown,
XLSX or PDF; they take the result, they do not compute it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from partnernet.graph.store import GraphStore
from partnernet.service import analyses
from partnernet.service.cache import GraphCache
from partnernet.version import __version__

__all__ = ["build_report"]


def build_report(store: GraphStore, *, definition: str = "g77", seeker: str | None = None,
                 k: int | None = None, top: int = 15, today: dt.date | None = None,
                 cache: GraphCache | None = None) -> dict[str, Any]:
    """Collect every section of the report as plain data."""
    cache = cache or GraphCache(store)
    g = cache.graph()
    today = today or dt.date.today()
    brokers = analyses.brokers(store, cache=cache, definition=definition, k=k, top=top,
                               group_by="region")
    ss = analyses.south_south(store, cache=cache, definition=definition, top=top,
                              permutations=500)
    fu = analyses.focal_unit_report(store, cache=cache, today=today)
    dl = analyses.deliverables(store, cache=cache)
    rec = analyses.recognitions_report(store, cache=cache, today=today)
    match = None
    if seeker:
        match = analyses.match(store, seeker, cache=cache, definition=definition, top=10,
                               south_south=True)
    annotated = analyses.annotated_graph(cache, definition)
    regions: dict[str, int] = {}
    blocs: dict[str, int] = {}
    for _, d in annotated.nodes(data=True):
        if d.get("label") == "City":
            regions[d.get("region", "Unknown")] = regions.get(d.get("region", "Unknown"), 0) + 1
            blocs[d.get("bloc", "Unclassified")] = blocs.get(d.get("bloc", "Unclassified"), 0) + 1
    snap = analyses.snapshot(store, g)
    return {"title": "Partnership network report", "today": today.isoformat(),
            "snapshot": snap, "definition": brokers["definition"],
            "betweenness": brokers["betweenness"], "version": __version__,
            "counts": {"nodes": snap["nodes_by_label"],
                       "relationships": store.counts().relationships,
                       "cities_by_region": dict(sorted(regions.items())),
                       "cities_by_bloc": dict(sorted(blocs.items()))},
            "brokers": brokers, "south_south": ss, "focal_units": fu, "deliverables": dl,
            "recognitions": rec, "match": match}
