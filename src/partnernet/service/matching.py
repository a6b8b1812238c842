"""Matching as one call on a store: partners for a seeker, with reasons."""

from __future__ import annotations

from typing import Any

from partnernet.graph.analysis.matching import (
    build_index,
    match_partners,
    name_hits,
    resolve_node,
)
from partnernet.graph.store import GraphStore
from partnernet.service.cache import GraphCache
from partnernet.service.graphs import annotated_graph, snapshot
from partnernet.service.memo import recalled
from partnernet.service.options import describe_definition

__all__ = ["match"]


def _match_keys(*_args: Any, definition: str = "g77", **_kwargs: Any) -> list[tuple]:
    return [("annotated", definition), ("match-index", definition), ("snapshot",)]


@recalled("match")
def match(store: GraphStore, seeker: str, *, cache: GraphCache | None = None,
          themes=(), sdgs=(), category: str | None = None, south_south: bool = False,
          top: int = 10, definition: str = "g77", include_cities: bool = True
          ) -> dict[str, Any]:
    cache = cache or GraphCache.for_store(store)
    describe_definition(definition)
    cache.remember(("match", definition), lambda c: _match_parts(store, c, definition))
    g, index, taken = _match_parts(store, cache, definition)
    node = resolve_node(g, seeker, index=index)
    result = match_partners(g, node, themes=themes, sdgs=sdgs, category=category,
                            south_south=south_south, top=top, index=index,
                            include_cities=include_cities)
    result["definition"] = describe_definition(definition)
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
