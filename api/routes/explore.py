"""The strategist's explorer: its page, its assets and the bounded slices of data it loads.

The page (``/explore``; ``/`` redirects to it) loads only what it shows: suggestions for
a name, one node's neighbourhood (capped, saying so), the aggregate of the whole network
(regions, then a region's countries, then a country's members, capped) and the map
(capped by partnerships). Each answer's cost is bounded whatever the store's size.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from partnernet.api import compute as jobs
from partnernet.api.deps import CacheDep, ComputeDep, ReadAuth, SettingsDep, StoreDep, on_store
from partnernet.api.docs import page_headers
from partnernet.api.errors import NotFound
from partnernet.api.responses import SafeJSONResponse
from partnernet.api.routes.nodes import suggestions
from partnernet.service import explore
from partnernet.visualisations.explorer import (
    asset_path,
    explorer_policy,
    explorer_script,
    render_explorer,
)

router = APIRouter(tags=["explorer"], default_response_class=SafeJSONResponse)

Region = Annotated[str | None, Query(max_length=100, description="Only this region")]


@router.get("/", include_in_schema=False)
def root() -> RedirectResponse:
    return RedirectResponse("/explore", status_code=307)


@router.get("/explore", response_class=HTMLResponse, summary="The explorer (HTML page)",
            dependencies=[ReadAuth])
def explorer_page(request: Request) -> HTMLResponse:
    """Search, expand, filter, map and export the network in the browser (offline: every
    script is served by partnernet). The view's state is in the URL after ``#``."""
    body, nonce = render_explorer(base=str(request.scope.get("root_path", "")))
    return HTMLResponse(body, headers=page_headers(explorer_policy(nonce)))


@router.get("/explore/assets/{name}", include_in_schema=False)
def explorer_asset(name: str) -> Response:
    headers = {"Cache-Control": "public, max-age=3600", "X-Content-Type-Options": "nosniff"}
    if name == "explorer.js":  # joined from its parts (one concern each)
        return Response(explorer_script(), media_type="text/javascript; charset=utf-8",
                        headers=headers)
    path = asset_path(name)
    if path is None:
        raise NotFound(f"asset {name!r}")
    return FileResponse(path, headers=headers)


@router.get("/explore/search", summary="Suggestions for a name", dependencies=[ReadAuth],
            response_model=dict[str, Any])
async def explore_search(store: StoreDep,
                         q: Annotated[str, Query(min_length=1, max_length=200, description=(
                             "Part of a name (case- and accent-insensitive)"))],
                         limit: Annotated[int, Query(ge=1, le=50)] = 10):
    """Nodes whose name contains ``q``: names starting with it first, then cities,
    networks, committees and partners before the rest."""
    return await on_store(store, explore.search, store, q, limit=limit)


@router.get("/explore/facets", summary="Values the explorer's filters offer",
            dependencies=[ReadAuth], response_model=dict[str, Any])
async def explore_facets(cache: CacheDep, settings: SettingsDep):
    """Regions, blocs, partnership kinds, themes, SDGs, networks and the years present."""
    return await run_in_threadpool(explore.facets, cache,
                                   definition=settings.south_definition)


def _missing(store, node_id: str, exc: KeyError) -> NotFound:
    return NotFound(f"node {node_id!r}", suggestions(store, node_id))


@router.get("/explore/neighbourhood/{node_id:path}", summary="A node and its neighbours",
            dependencies=[ReadAuth], response_model=dict[str, Any],
            responses={404: {"description": "Unknown id, with close matches"}})
async def explore_neighbourhood(node_id: str, store: StoreDep, cache: CacheDep,
                                settings: SettingsDep,
                                limit: Annotated[int, Query(ge=1, le=explore.NEIGHBOUR_LIMIT,
                                                            description=(
                                    "Most neighbours returned (structure first, then "
                                    "cities by ties); the answer says when it is capped"))]
                                = 100):
    """The node, up to ``limit`` neighbours of every kind and the ties between them."""
    try:
        return await run_in_threadpool(explore.neighbourhood, cache, node_id,
                                       definition=settings.south_definition, limit=limit)
    except KeyError as exc:
        raise _missing(store, node_id, exc) from exc


@router.get("/explore/node/{node_id:path}", summary="What the side panel shows",
            dependencies=[ReadAuth], response_model=dict[str, Any],
            responses={404: {"description": "Unknown id, with close matches"}})
async def explore_node(node_id: str, store: StoreDep, cache: CacheDep, settings: SettingsDep,
                       compute: ComputeDep):
    """Facts, broker scores and the region pairs the node connects, the focal units
    responsible with the letter routing (partners) and missing South-South links (the
    analyses behind them computed once per snapshot, in the computation process)."""

    def run(analysis, **options):
        (key,) = analysis.keys(**options)
        return compute.call(jobs.analysis, analysis, (), options, keep=key)()

    try:
        return await run_in_threadpool(explore.node_details, store, cache, node_id,
                                       definition=settings.south_definition, run=run)
    except KeyError as exc:
        raise _missing(store, node_id, exc) from exc


@router.get("/explore/aggregate", summary="The whole network, aggregated",
            dependencies=[ReadAuth], response_model=dict[str, Any])
async def explore_aggregate(cache: CacheDep, settings: SettingsDep,
                            by: Annotated[Literal["region", "country"], Query(
                                description="Group by region or by country")] = "region",
                            in_region: Region = None):
    """Regions (or countries, optionally of one region) as super-nodes with member counts
    and the number of partnerships between them."""
    return await run_in_threadpool(explore.aggregate, cache, by=by, within=in_region,
                                   definition=settings.south_definition)


@router.get("/explore/members", summary="The members of one aggregate",
            dependencies=[ReadAuth], response_model=dict[str, Any],
            responses={404: {"description": "No such group"}})
async def explore_members(cache: CacheDep, settings: SettingsDep,
                          group: Annotated[str, Query(max_length=100, description=(
                              "The region name or ISO country code"))],
                          by: Annotated[Literal["region", "country"], Query(
                              description="What the group is")] = "region",
                          limit: Annotated[int, Query(ge=1, le=explore.MEMBER_LIMIT)] = 150):
    """Cities and partners of a region or country, most partnerships first (capped)."""
    try:
        return await run_in_threadpool(explore.members, cache, by=by, key=group,
                                       definition=settings.south_definition, limit=limit)
    except KeyError as exc:
        raise NotFound(f"{by} {group!r} (no member with partnerships)") from exc


@router.get("/explore/map", summary="Cities and partnerships for the map",
            dependencies=[ReadAuth], response_model=dict[str, Any])
async def explore_map(cache: CacheDep, settings: SettingsDep, region: Region = None,
                      limit: Annotated[int, Query(ge=1, le=explore.MAP_LIMIT)]
                      = explore.MAP_LIMIT):
    """Every city with coordinates and partnerships (parallel arrays) and the
    partnerships between them (index pairs); the cities with most ties first if capped."""
    def body() -> bytes:
        # serialised once per graph: the arrays hold only finite numbers and strings, so
        # the NaN scrub of the other answers (a walk over every element) is not needed
        definition = settings.south_definition
        return cache.derived(("explore-map-json", definition, region, limit), lambda _g: json.dumps(
            explore.map_data(cache, region=region, limit=limit, definition=definition),
            ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8"))

    return Response(await run_in_threadpool(body), media_type="application/json")
