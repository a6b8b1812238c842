"""Every analysis of the CLI, with the same options, and partner matching."""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.concurrency import run_in_threadpool
from pydantic import BeforeValidator

from partnernet.api.deps import CacheDep, ReadAuth, SettingsDep, StoreDep
from partnernet.api.models import MatchRequest
from partnernet.api.responses import SafeJSONResponse
from partnernet.service import analyses

router = APIRouter(tags=["analyses"], dependencies=[ReadAuth],
                   default_response_class=SafeJSONResponse)

Definition = Annotated[Literal["g77", "dac", "wb-income"] | None,
                       Query(description="Global South definition (default: the setting)")]
Kinds = Annotated[list[str] | None, Query(description="Only partnerships of these kinds")]
Date = Annotated[str | None, Query(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")]


def _iso_date(value: object) -> object:
    if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("expected a date as YYYY-MM-DD")
    return value


Day = Annotated[dt.date | None, BeforeValidator(_iso_date),
                Query(description="Reference date, YYYY-MM-DD (default today)")]


def _day(value: dt.date | None) -> dt.date | None:
    return value


async def _answer(fn, store, cache, /, *args, **kwargs):
    """``fn(store, *args, cache=cache, **kwargs)``. A result already built for the current
    graph is a dictionary lookup (or, for matching, about 3 ms of vectorised arithmetic):
    it is answered on the event loop. Anything that may load the graph or compute for
    seconds runs in the thread pool, so other requests go on meanwhile."""
    call = functools.partial(fn, store, *args, cache=cache, **kwargs)
    if cache.ready(*fn.keys(*args, **kwargs)):
        return call()
    return await run_in_threadpool(call)


@router.get("/analyses/brokers", summary="Ranked brokers", response_model=dict[str, Any])
async def brokers(store: StoreDep, cache: CacheDep, settings: SettingsDep,
            group_by: Annotated[str, Query(pattern=r"^[a-z_]{1,30}$")] = "region",
            epsilon: Annotated[float | None, Query(ge=0.0005, le=0.1, description=(
                "Estimate betweenness with KADABRA: every normalised score within epsilon "
                "of the exact one with 95% confidence (default: exact up to 5,000 nodes, "
                "0.001 above). Ignored with pivots or exact=true; the answer's "
                "betweenness.description says how it was computed"))] = None,
            pivots: Annotated[int | None, Query(ge=2, le=100_000, description=(
                "Sample betweenness from this many uniform pivots instead (no guarantee; "
                "states the split-half agreement of its top 25)"))] = None,
            exact: bool = False, seed: Annotated[int, Query(ge=0, le=2**31)] = 0,
            top: Annotated[int, Query(ge=1, le=1000)] = 25,
            definition: Definition = None, kind: Kinds = None, since: Date = None,
            until: Date = None,
            region: Annotated[list[str] | None, Query(max_length=10)] = None):
    """Betweenness (exact or sampled, stated), Burt's structural holes, Gould-Fernandez
    roles and cut points on the partnership graph, with what each broker connects."""
    if exact or pivots is not None:
        epsilon = None  # exact, then pivots, take precedence (as documented)
    return await _answer(analyses.brokers, store, cache, group_by=group_by, k=pivots,
                         exact=exact, seed=seed, top=top, epsilon=epsilon,
                         definition=definition or settings.south_definition,
                         kinds=kind, since=since, until=until, regions=region)


@router.get("/analyses/south-south", summary="South-South gaps",
            response_model=dict[str, Any])
async def south_south(store: StoreDep, cache: CacheDep, settings: SettingsDep,
                definition: Definition = None, top: Annotated[int, Query(ge=1, le=500)] = 20,
                permutations: Annotated[int, Query(ge=0, le=10_000)] = 1000,
                kind: Kinds = None, since: Date = None, until: Date = None):
    """Shares of South-South, North-South and North-North partnerships, E-I index with
    a permutation test, region densities (thin corridors), missing links with reasons,
    and the Northern or UN actors that broker triangular cooperation."""
    return await _answer(analyses.south_south, store, cache,
                         definition=definition or settings.south_definition, top=top,
                         permutations=permutations, kinds=kind, since=since,
                         until=until)


@router.get("/analyses/focal-units", summary="Responsible focal units and coverage",
            response_model=dict[str, Any])
async def focal_units(store: StoreDep, cache: CacheDep, today: Day = None):
    """For every partner: category, focal unit(s) and letter routing; coverage gaps,
    workload, due diligence, assessments and the 1 December update."""
    return await _answer(analyses.focal_unit_report, store, cache, today=_day(today))


@router.get("/analyses/deliverables", summary="Action-plan deliverables by status",
            response_model=dict[str, Any])
async def deliverables(store: StoreDep, cache: CacheDep):
    """Deliverable status per network and action line."""
    return await _answer(analyses.deliverables, store, cache)


@router.get("/analyses/communities", summary="Louvain communities",
            response_model=dict[str, Any])
async def communities(store: StoreDep, cache: CacheDep,
                seed: Annotated[int, Query(ge=0, le=2**31)] = 0,
                membership: bool = False):
    """Communities of the partnership graph (Louvain, fixed seed)."""
    r = await _answer(analyses.communities_report, store, cache, seed=seed)
    return r if membership else {k: v for k, v in r.items() if k != "membership"}


@router.get("/analyses/recognitions", summary="Leading-level recognitions",
            response_model=dict[str, Any])
async def recognitions(store: StoreDep, cache: CacheDep, today: Day = None,
                 within: Annotated[int, Query(ge=1, le=3650)] = 365):
    """Recognitions with computed end dates, lapsing within ``within`` days."""
    return await _answer(analyses.recognitions_report, store, cache, today=_day(today),
                         within_days=within)


@router.post("/match", summary="Which partner to approach", response_model=dict[str, Any],
             responses={404: {"description": "Unknown seeker, with close matches"}})
async def match(body: MatchRequest, store: StoreDep, cache: CacheDep, settings: SettingsDep):
    """Ranked candidate partners for a seeker and its needs, each with its reasons, score
    components and the UN-Habitat focal unit to contact."""
    return await _answer(analyses.match, store, cache, body.seeker, themes=body.themes,
                         sdgs=body.sdgs, category=body.category,
                         south_south=body.south_south, top=body.top,
                         definition=body.definition or settings.south_definition)
