"""Every analysis of the CLI, with the same options, and partner matching.

Options with a closed set of values are plain strings checked by the service
(:func:`partnernet.vocabulary.choose`): an unknown value is a 422 whose detail names the
accepted values and the closest one; OpenAPI lists the accepted values as an enum.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.concurrency import run_in_threadpool
from pydantic import BeforeValidator

from partnernet.api.analysis_models import (
    BrokersResult,
    CommunitiesResult,
    DeliverablesResult,
    FocalUnitsResult,
    MatchResult,
    RecognitionsResult,
    SouthSouthResult,
)
from partnernet.api.deps import CacheDep, ReadAuth, SettingsDep, StoreDep
from partnernet.api.models import MatchRequest
from partnernet.api.responses import SafeJSONResponse
from partnernet.service import analyses
from partnernet.vocabulary import DEFINITIONS, GROUP_BY, GROUP_LABELS, PROJECTIONS, REGIONS

router = APIRouter(tags=["analyses"], dependencies=[ReadAuth],
                   default_response_class=SafeJSONResponse)


def _closed(values, description: str, example: str | None = None):
    return Query(description=description + " Accepted: " + ", ".join(values) + ".",
                 json_schema_extra={"enum": list(values)},
                 **({"examples": [example]} if example else {}))


Projection = Annotated[str | None, _closed(
    PROJECTIONS, "The graph to analyse (default: what the store holds; the answer says which "
                 "and why).", "co-membership")]
Definition = Annotated[str | None, _closed(
    DEFINITIONS, "Global South definition (default: the setting).", "g77")]
Kinds = Annotated[list[str] | None, Query(description="Only partnerships of these kinds (the "
                                                      "kinds the store holds)")]
#: YYYY, YYYY-MM or YYYY-MM-DD with a real month and a day the month can have (29 February
#: of a year without one is refused by the service, in one line)
DATE_PATTERN = (r"^[1-9]\d{3}(-((0[13578]|1[02])(-(0[1-9]|[12]\d|3[01]))?"
                r"|(0[469]|11)(-(0[1-9]|[12]\d|30))?|02(-(0[1-9]|1\d|2\d))?))?$")
Date = Annotated[str | None, Query(pattern=DATE_PATTERN,
                                   description="YYYY, YYYY-MM or YYYY-MM-DD: ties that started "
                                               "in the period (undated ties left out)")]
Regions = Annotated[list[str] | None, Query(
    max_length=10, description="Only actors in these regions. Accepted: " + ", ".join(REGIONS),
    json_schema_extra={"items": {"type": "string", "enum": list(REGIONS)}})]
GroupLabels = Annotated[list[str] | None, Query(
    max_length=5, description="Co-membership and two-mode: only these kinds of group. "
                              "Accepted: " + ", ".join(GROUP_LABELS),
    json_schema_extra={"items": {"type": "string", "enum": list(GROUP_LABELS)}})]


def _iso_date(value: object) -> object:
    if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("expected a date as YYYY-MM-DD")
    return value


Day = Annotated[dt.date | None, BeforeValidator(_iso_date),
                Query(description="Reference date, YYYY-MM-DD (default today)")]


async def _answer(fn, store, cache, /, *args, **kwargs):
    """``fn(store, *args, cache=cache, **kwargs)``. A result already built for the current
    graph is a dictionary lookup (or, for matching, a few ms of vectorised arithmetic):
    it is answered on the event loop. Anything that may load the graph or compute for
    seconds runs in the thread pool, so other requests go on meanwhile."""
    call = functools.partial(fn, store, *args, cache=cache, **kwargs)
    if cache.ready(*fn.keys(*args, **kwargs)):
        return call()
    return await run_in_threadpool(call)


@router.get("/analyses/brokers", summary="Ranked brokers", response_model=BrokersResult)
async def brokers(store: StoreDep, cache: CacheDep, settings: SettingsDep,
                  projection: Projection = None,
                  group_by: Annotated[str, _closed(GROUP_BY, "Node attribute grouping nodes "
                                                             "for brokerage roles.")] = "region",
                  epsilon: Annotated[float | None, Query(ge=0.0005, le=0.1, description=(
                      "Estimate betweenness with KADABRA: every normalised score within "
                      "epsilon of the exact one with 95% confidence (partnerships and all "
                      "ties; default: exact up to 5,000 nodes, 0.001 above). Ignored with "
                      "pivots or exact=true; betweenness.description says how it was "
                      "computed"))] = None,
                  pivots: Annotated[int | None, Query(ge=2, le=100_000, description=(
                      "Sample betweenness from this many uniform pivots instead (no "
                      "guarantee; states the split-half agreement of its top 25). "
                      "Co-membership and two-mode: exact while nodes x ties stays small, "
                      "else pivots (stated)"))] = None,
                  exact: bool = False, seed: Annotated[int, Query(ge=0, le=2**31)] = 0,
                  top: Annotated[int, Query(ge=1, le=1000)] = 25,
                  definition: Definition = None, kind: Kinds = None, since: Date = None,
                  until: Date = None, region: Regions = None, group_label: GroupLabels = None,
                  directed: Annotated[bool, Query(description=(
                      "Partnerships as arcs where the data says they are directed (Gephi "
                      "Type=Directed, GraphML/GEXF directed edges); roles follow the arcs"))
                  ] = False):
    """Betweenness (exact or sampled, stated), Burt's structural holes, Gould-Fernandez
    roles and cut points on a projection, with what each broker connects; on membership
    data, the groups (networks, committees...) each member alone links. Every node of the
    analysed graph is ranked (isolates too); undefined values are null with the reason in
    ``undefined``; an empty result says what would fill it in ``empty``."""
    if exact or pivots is not None:
        epsilon = None  # exact, then pivots, take precedence (as documented)
    return await _answer(analyses.brokers, store, cache, projection=projection,
                         group_by=group_by, k=pivots, exact=exact, seed=seed, top=top,
                         epsilon=epsilon,
                         definition=definition or settings.south_definition,
                         kinds=kind, since=since, until=until, regions=region,
                         group_labels=group_label, directed=directed)


@router.get("/analyses/south-south", summary="South-South gaps",
            response_model=SouthSouthResult)
async def south_south(store: StoreDep, cache: CacheDep, settings: SettingsDep,
                      projection: Projection = None, definition: Definition = None,
                      top: Annotated[int, Query(ge=1, le=500)] = 20,
                      permutations: Annotated[int, Query(ge=0, le=10_000)] = 1000,
                      kind: Kinds = None, since: Date = None, until: Date = None,
                      group_label: GroupLabels = None):
    """Shares of South-South, North-South and North-North ties, E-I index with a
    permutation test (p never 0; ``p_text`` as it prints), region densities (thin
    corridors), missing links with reasons, and the Northern or UN actors that broker
    triangular cooperation. On membership data, Newman-weighted co-membership and each
    group's members by bloc."""
    return await _answer(analyses.south_south, store, cache, projection=projection,
                         definition=definition or settings.south_definition, top=top,
                         permutations=permutations, kinds=kind, since=since, until=until,
                         group_labels=group_label)


@router.get("/analyses/focal-units", summary="Responsible focal units and coverage",
            response_model=FocalUnitsResult)
async def focal_units(store: StoreDep, cache: CacheDep, today: Day = None):
    """For every partner: category, focal unit(s) and letter routing; coverage gaps,
    workload, due diligence, assessments and the 1 December update."""
    return await _answer(analyses.focal_unit_report, store, cache, today=today)


@router.get("/analyses/deliverables", summary="Action-plan deliverables by status",
            response_model=DeliverablesResult)
async def deliverables(store: StoreDep, cache: CacheDep):
    """Deliverable status per network and action line."""
    return await _answer(analyses.deliverables, store, cache)


@router.get("/analyses/communities", summary="Louvain communities",
            response_model=CommunitiesResult)
async def communities(store: StoreDep, cache: CacheDep, settings: SettingsDep,
                      projection: Projection = None,
                      seed: Annotated[int, Query(ge=0, le=2**31)] = 0,
                      membership: bool = False, definition: Definition = None,
                      kind: Kinds = None, since: Date = None, until: Date = None,
                      region: Regions = None, group_label: GroupLabels = None):
    """Communities of a projection (Louvain, fixed seed), each with its regions, most tied
    members and, on membership data, its groups; ``membership=true`` adds node ->
    community."""
    r = await _answer(analyses.communities_report, store, cache, projection=projection,
                      seed=seed, definition=definition or settings.south_definition,
                      kinds=kind, since=since, until=until, regions=region,
                      group_labels=group_label)
    return r if membership else {k: v for k, v in r.items() if k != "membership"}


@router.get("/analyses/recognitions", summary="Leading-level recognitions",
            response_model=RecognitionsResult)
async def recognitions(store: StoreDep, cache: CacheDep, today: Day = None,
                       within: Annotated[int, Query(ge=1, le=3650)] = 365):
    """Recognitions with computed end dates, lapsing within ``within`` days."""
    return await _answer(analyses.recognitions_report, store, cache, today=today,
                         within_days=within)


@router.post("/match", summary="Which partner to approach", response_model=MatchResult,
             responses={404: {"description": "Unknown seeker, with close matches"}})
async def match(body: MatchRequest, store: StoreDep, cache: CacheDep, settings: SettingsDep):
    """Ranked candidate partners for a seeker and its needs: candidates meeting more of the
    requested needs first, then by the evidence that they are the partner the seeker's
    ties point to; each with its score, evidence, reasons, ties and the UN-Habitat focal
    unit to contact. ``flags`` say which needs cannot be matched and why."""
    return await _answer(analyses.match, store, cache, body.seeker, themes=body.themes,
                         sdgs=body.sdgs, category=body.category,
                         south_south=body.south_south, top=body.top,
                         include_cities=body.include_cities,
                         definition=body.definition or settings.south_definition)
