"""Health and statistics."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from partnernet.api.deps import CacheDep, ComputeDep, ReadAuth, StoreDep, on_store
from partnernet.api.models import Health, Stats
from partnernet.graph.store import StoreError
from partnernet.version import __version__

router = APIRouter(tags=["health"], dependencies=[ReadAuth])


@router.get("/health", response_model=Health, summary="Is the API and its store up?",
            responses={503: {"model": Health, "description": "The store is unreachable"}})
async def health(store: StoreDep):
    """Store kind and version (no file path or address); 503 with the same body shape
    when the store does not answer. Never retried, so it answers within about a second
    when Neo4j is down (``PARTNERNET_NEO4J_CONNECTION_TIMEOUT``). Needs the read token
    when one is configured."""
    try:
        # inline for the embedded store (which reuses its counts for 1 s); for Neo4j in a
        # thread, within the short-read deadline
        info = await on_store(store, store.health)
    except StoreError as exc:
        body = Health(status="unavailable", store={"kind": store.kind}, version=__version__,
                      detail=f"store unavailable: {type(exc).__name__}")
        return JSONResponse(status_code=503, content=body.model_dump())
    return Health(status="ok", store=info, version=__version__)


@router.get("/stats", response_model=Stats, summary="Counts by label and type")
async def stats(store: StoreDep, cache: CacheDep, compute: ComputeDep) -> Stats:
    """Number of nodes per label and relationships per type, the analysis cache's figures
    (entries, hits, evictions, reloads and failed reloads) and where computations run."""
    c = await on_store(store, store.counts)
    # in a thread: it waits for the cache's lock, which a graph read holds for a second
    figures = await run_in_threadpool(cache.stats)
    return Stats(nodes=c.nodes, relationships=c.relationships, total_nodes=c.total_nodes,
                 total_relationships=c.total_relationships, cache=figures,
                 computations=compute.stats())
