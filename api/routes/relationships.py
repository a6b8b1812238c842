"""Relationships: list, create, delete."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from partnernet.api.deps import CacheDep, ReadAuth, StoreDep, WriteAuth, on_store, write_on_store
from partnernet.api.errors import NotFound
from partnernet.api.models import (
    RelationshipCreate,
    RelationshipList,
    RelationshipPublic,
    WriteResult,
)
from partnernet.api.writes import upsert
from partnernet.graph.schema import Relationship, RelType

router = APIRouter(prefix="/relationships", tags=["relationships"])


@router.get("", response_model=RelationshipList, summary="List relationships",
            dependencies=[ReadAuth])
async def list_relationships(store: StoreDep,
                       type: Annotated[RelType | None, Query(description="Only this type")
                                       ] = None,
                       node: Annotated[str | None, Query(max_length=300, description=(
                           "Only relationships touching this node id"))] = None,
                       limit: Annotated[int, Query(ge=1, le=1000)] = 100,
                       offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0
                       ) -> RelationshipList:
    """Relationships filtered by type and/or node; paged."""
    page = await on_store(store, store.list_relationships, type, node_id=node, limit=limit,
                          offset=offset)
    return RelationshipList(data=[RelationshipPublic(start=r.start, type=r.type, end=r.end,
                                                     key=r.key, props=r.props)
                                  for r in page.items], count=page.count)


@router.post("", response_model=WriteResult, status_code=201, dependencies=[WriteAuth],
             summary="Create or update relationships (token needed)",
             responses={401: {"description": "Missing or wrong token"},
                        422: {"description": "Invalid relationship or unknown endpoint"}})
async def create_relationships(body: RelationshipCreate | list[RelationshipCreate],
                               store: StoreDep, cache: CacheDep) -> WriteResult:
    """Upsert one relationship or a list, atomically; both ends must exist."""
    items = body if isinstance(body, list) else [body]
    return await upsert(store, cache, items, Relationship, store.upsert_relationships)


@router.delete("", status_code=204, dependencies=[WriteAuth],
               summary="Delete a relationship (token needed)",
               responses={401: {"description": "Missing or wrong token"},
                          404: {"description": "No such relationship"}})
async def delete_relationship(store: StoreDep, cache: CacheDep,
                        start: Annotated[str, Query(max_length=300)],
                        type: Annotated[RelType, Query()],
                        end: Annotated[str, Query(max_length=300)],
                        key: Annotated[str, Query(max_length=200)] = "") -> None:
    """Delete the relationship ``start -[type {key}]-> end``."""
    if not await write_on_store(store, 1, store.delete_relationship, start, type, end, key):
        raise NotFound(f"relationship {start} -[{type.value}]-> {end}")
    cache.invalidate()
