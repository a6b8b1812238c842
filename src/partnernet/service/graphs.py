"""What the analyses run on: the store's annotated graph, its projections, the snapshot."""

from __future__ import annotations

import datetime as dt
from typing import Any

import networkx as nx

from partnernet.graph.analysis.projections import Projection, annotate, project
from partnernet.graph.store import GraphStore
from partnernet.service.cache import GraphCache, memo_key
from partnernet.version import __version__

__all__ = ["annotated_graph", "projection_of", "snapshot"]


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
