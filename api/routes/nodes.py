"""Nodes: list with filters and search, one node with its neighbours, writes."""

from __future__ import annotations

import difflib
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.concurrency import run_in_threadpool
from pydantic import ValidationError

from partnernet.api.deps import CacheDep, ReadAuth, StoreDep, WriteAuth, on_store, write_on_store
from partnernet.api.errors import NotFound
from partnernet.api.models import (
    NodeCreate,
    NodeList,
    NodePublic,
    NodeUpdate,
    NodeWithNeighbours,
    WriteResult,
)
from partnernet.api.writes import _places, pretty, upsert
from partnernet.graph.schema import Node, NodeLabel, name_key
from partnernet.graph.store import GraphStore

router = APIRouter(prefix="/nodes", tags=["nodes"])


def _public(n: Node) -> NodePublic:
    return NodePublic(id=n.id, label=n.label, name=n.name, source=n.source, props=n.props)


def suggestions(store: GraphStore, text: str) -> list[dict]:
    """Close matches for an unknown id or name (by the last part of the id, then name)."""
    tail = text.rsplit(":", 1)[-1].replace("-", " ")
    hits = store.search(tail, limit=5) if name_key(tail) else []
    if not hits and len(tail) > 3:
        hits = store.search(tail[:4], limit=20)
        keys = {name_key(h.name): h for h in hits}
        close = difflib.get_close_matches(name_key(tail), list(keys), n=5, cutoff=0.5)
        hits = [keys[k] for k in close]
    return [{"id": h.id, "name": h.name, "label": h.label.value} for h in hits]


@router.get("", response_model=NodeList, summary="List or search nodes",
            dependencies=[ReadAuth],
            responses={404: {"description": "Unknown country, with the closest ones"}})
async def list_nodes(
        store: StoreDep, cache: CacheDep,
        label: Annotated[NodeLabel | None, Query(description="Only this label")] = None,
        country: Annotated[str | None, Query(max_length=100, description=(
            "Country in any spelling: ISO 3166 alpha-2/alpha-3/numeric code or name"))] = None,
        region: Annotated[str | None, Query(max_length=100,
                                            description="UN M49 region")] = None,
        category: Annotated[str | None, Query(max_length=100, description=(
            "Partner category id, e.g. category:05-private-sector"))] = None,
        q: Annotated[str | None, Query(max_length=200, description=(
            "Search by name (case- and accent-insensitive)"))] = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
        offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> NodeList:
    """Nodes filtered by label, country, region or category, or found by name; paged."""
    if country:
        from partnernet.graph.geography.countries import CountryNotFound, resolve_country

        try:
            country = resolve_country(country).iso2
        except CountryNotFound as exc:  # 404 with the closest countries
            from partnernet.graph.geography.countries import countries

            close = [c for c in countries().values() if c.name in exc.suggestions]
            raise NotFound(f"country {country!r}", [
                {"id": c.node_id, "name": c.name, "label": "Country"} for c in close]) from exc
    if category and not q:  # needs the projected graph, which may take seconds to build
        return await run_in_threadpool(_in_category, store, cache, category, label, country,
                                       limit, offset)
    return await on_store(store, _list_nodes, store, label, country, region, q, limit, offset)


def _list_nodes(store: GraphStore, label, country, region, q, limit, offset) -> NodeList:
    if q:
        hits = store.search(q, labels=[label] if label else None, limit=limit + offset)
        hits = [h for h in hits if (not country or h.props.get("country") == country.upper())
                and (not region or h.props.get("region") == region)]
        return NodeList(data=[_public(n) for n in hits[offset:offset + limit]],
                        count=len(hits))
    where = {}
    if country:
        where["country"] = country.upper()
    if region:
        where["region"] = region
    page = store.list_nodes(label, where=where or None, limit=limit, offset=offset)
    return NodeList(data=[_public(n) for n in page.items], count=page.count)


def _in_category(store: GraphStore, cache, category, label, country, limit, offset) -> NodeList:
    g = cache.graph()
    ids = sorted(a for a, b, d in g.edges(data=True)
                 if d.get("type") == "IN_CATEGORY" and b == category)
    nodes = [n for n in store.get_nodes(ids).values()
             if (not label or n.label == label)
             and (not country or n.props.get("country") == country.upper())]
    nodes.sort(key=lambda n: (n.name, n.id))
    return NodeList(data=[_public(n) for n in nodes[offset:offset + limit]], count=len(nodes))


@router.get("/{node_id:path}", response_model=NodeWithNeighbours,
            summary="One node and its neighbours", dependencies=[ReadAuth],
            responses={404: {"description": "Unknown id, with close matches"}})
async def get_node(node_id: str, store: StoreDep,
                   limit: Annotated[int, Query(ge=1, le=5000)] = 500) -> NodeWithNeighbours:
    """The node with up to ``limit`` neighbours (both directions)."""
    return await on_store(store, _node_with_neighbours, store, node_id, limit)


def _node_with_neighbours(store: GraphStore, node_id: str, limit: int) -> NodeWithNeighbours:
    node = store.get_node(node_id)
    if node is None:
        raise NotFound(f"node {node_id!r}", suggestions(store, node_id))
    neighbours = store.neighbours(node_id, limit=limit)
    return NodeWithNeighbours(**_public(node).model_dump(), neighbours=[
        {"direction": n.direction, "node": _public(n.node).model_dump(),
         "relationship": {"start": n.relationship.start, "type": n.relationship.type,
                          "end": n.relationship.end, "key": n.relationship.key,
                          "props": n.relationship.props}} for n in neighbours])


@router.post("", response_model=WriteResult, status_code=201, dependencies=[WriteAuth],
             summary="Create or update nodes (token needed)",
             responses={401: {"description": "Missing or wrong token"},
                        422: {"description": "Invalid node"}})
async def create_nodes(body: NodeCreate | list[NodeCreate], store: StoreDep,
                       cache: CacheDep) -> WriteResult:
    """Upsert one node or a list of nodes, atomically (all or none)."""
    items = body if isinstance(body, list) else [body]
    return await upsert(store, cache, items, Node, store.upsert_nodes)


@router.patch("/{node_id:path}", response_model=WriteResult, dependencies=[WriteAuth],
              summary="Update a node (token needed)",
              responses={401: {"description": "Missing or wrong token"},
                         404: {"description": "Unknown id"}})
async def update_node(node_id: str, body: NodeUpdate, store: StoreDep,
                      cache: CacheDep) -> WriteResult:
    """Change the name or source, or set properties (merged)."""
    summary = await write_on_store(store, 1, _update_node, store, node_id, body)
    cache.invalidate()
    return WriteResult(**summary.as_dict())


def _update_node(store: GraphStore, node_id: str, body: NodeUpdate):
    node = store.get_node(node_id)
    if node is None:
        raise NotFound(f"node {node_id!r}", suggestions(store, node_id))
    changed = {"id": node.id, "label": node.label, "name": body.name or node.name,
               "source": body.source or node.source, "props": dict(body.props)}
    _places([changed])  # countries in any spelling, as on create
    changed["props"] = {**node.props, **changed["props"]}
    try:
        updated = Node.model_validate(changed)
    except ValidationError as exc:
        raise ValueError(pretty(exc)) from exc
    return store.upsert_nodes([updated], keep_provenance=False)  # an edit says its source


@router.delete("/{node_id:path}", status_code=204, dependencies=[WriteAuth],
               summary="Delete a node and its relationships (token needed)",
               responses={401: {"description": "Missing or wrong token"},
                          404: {"description": "Unknown id"}})
async def delete_node(node_id: str, store: StoreDep, cache: CacheDep) -> None:
    """Delete the node and every relationship touching it."""
    try:
        found = await write_on_store(store, 1, store.delete_node, node_id)
    except ValueError:
        found = False
    if not found:
        raise NotFound(f"node {node_id!r}",
                       await on_store(store, suggestions, store, node_id))
    cache.invalidate()
