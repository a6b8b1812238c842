"""Every analysis of the CLI, with the same options, and partner matching.

Options with a closed set of values are plain strings checked by the service
(:func:`partnernet.vocabulary.choose`): an unknown value is a 422 whose detail names the
accepted values and the closest one; OpenAPI lists the accepted values as an enum.
Parameters that cost a new computation (seeds, permutations, pivots, exact, epsilon) keep
their defaults for anonymous readers (:func:`partnernet.api.limits.reserved`); ranked
answers are computed once for :data:`RANKED_ROWS` rows and ``top`` only slices them.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from pydantic import BeforeValidator

from partnernet.api import compute as jobs
from partnernet.api.analysis_models import (
    BrokersResult,
    CommunitiesResult,
    DeliverablesResult,
    FocalUnitsResult,
    MatchResult,
    RecognitionsResult,
    SouthSouthResult,
)
from partnernet.api.answers import computed
from partnernet.api.compute import Computations
from partnernet.api.deps import CacheDep, ComputeDep, LimitsDep, ReadAuth, SettingsDep, StoreDep
from partnernet.api.limits import Limits, reserved
from partnernet.api.models import MatchRequest
from partnernet.api.responses import SafeJSONResponse
from partnernet.dates import (
    DAY_PATTERN,
    FIRST_YEAR,
    LAST_YEAR,
    PERIOD_PATTERN,
    BadDate,
    check_period,
    parse_day,
    parse_period,
)
from partnernet.service import analyses
from partnernet.service.cache_keys import RANKED_ROWS
from partnernet.service.options import KINDS
from partnernet.service.results import MISSING
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
Kinds = Annotated[list[str] | None, Query(
    max_length=len(KINDS), description="Only partnerships of these kinds. Accepted: "
    + ", ".join(KINDS) + " (a kind the store does not hold gives an empty answer that "
    "names the kinds it holds)",
    json_schema_extra={"items": {"type": "string", "enum": list(KINDS)}})]
Regions = Annotated[list[str] | None, Query(
    max_length=10, description="Only actors in these regions. Accepted: " + ", ".join(REGIONS),
    json_schema_extra={"items": {"type": "string", "enum": list(REGIONS)}})]
GroupLabels = Annotated[list[str] | None, Query(
    max_length=5, description="Co-membership and two-mode: only these kinds of group. "
                              "Accepted: " + ", ".join(GROUP_LABELS),
    json_schema_extra={"items": {"type": "string", "enum": list(GROUP_LABELS)}})]

Date = Annotated[str | None, BeforeValidator(lambda v: None if v is None else parse_period(v)),
                 Query(json_schema_extra={"pattern": PERIOD_PATTERN},
                       description="YYYY, YYYY-MM or YYYY-MM-DD "
                       f"(a real date, years {FIRST_YEAR}-{LAST_YEAR})")]
Day = Annotated[str | None, BeforeValidator(lambda v: None if v is None else
                                            parse_day(v).isoformat()),
                Query(json_schema_extra={"pattern": DAY_PATTERN},
                      description="Reference date, YYYY-MM-DD "
                      f"(default today; years {FIRST_YEAR}-{LAST_YEAR})")]
RESERVED = " Other values than the default need the API token (each is a new computation)."



def _day(value: str | None) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(value)


def _period(since: str | None, until: str | None) -> None:
    try:
        check_period(since, until)
    except BadDate as exc:
        raise RequestValidationError([{"loc": ("query", "since"), "msg": str(exc),
                                       "type": "value_error"}]) from None


async def _answer(fn, store, cache, limits: Limits, compute: Computations, /, *args,
                  in_worker: bool = False, **kwargs):
    """``fn(store, *args, cache=cache, **kwargs)``, an analysis of
    :mod:`partnernet.service.analyses`: kept for this worker's graph, kept in the results
    file, or computed in the computation process (:func:`partnernet.api.answers.computed`).

    ``in_worker`` (matching): computed in this worker's threads instead, on its own match
    index; once that index is built an answer is about 3 ms of vectorised arithmetic, on
    the event loop."""
    if not in_worker:
        (key,) = fn.keys(*args, **kwargs)
        recall = getattr(fn, "recall", None)
        if recall is not None:
            recall = functools.partial(recall, store, *args, cache=cache, **kwargs)
        return await computed(cache, limits, compute, key, jobs.analysis, fn, args, kwargs,
                              recall=recall)
    call = functools.partial(fn, store, *args, cache=cache, **kwargs)
    keys = fn.keys(*args, **kwargs)
    if cache.ready(*keys) and cache.idle():
        return call()
    if cache.computed(*keys):  # ready but the lock is held a moment, or only the periodic
        return await run_in_threadpool(call)  # change check is due: no slot needed
    kept = await run_in_threadpool(functools.partial(fn.recall, store, *args, cache=cache,
                                                     **kwargs))
    if kept is not MISSING:  # answered on this snapshot before (by any process)
        return kept
    return await limits.explore.run(
        call, key=tuple(keys), cached=lambda: call() if cache.ready(*keys) else MISSING)


@router.get("/analyses/brokers", summary="Ranked brokers", response_model=BrokersResult,
            dependencies=[reserved(seed=0, pivots=None, exact=False, epsilon=None)])
async def brokers(store: StoreDep, cache: CacheDep, settings: SettingsDep, limits: LimitsDep,
                  compute: ComputeDep,
                  projection: Projection = None,
                  group_by: Annotated[str, _closed(GROUP_BY, "Node attribute grouping nodes "
                                                             "for brokerage roles.")] = "region",
                  epsilon: Annotated[float | None, Query(ge=0.0005, le=0.1, description=(
                      "Estimate betweenness with KADABRA: every normalised score within "
                      "epsilon of the exact one with 95% confidence (partnerships and all "
                      "ties; default: exact up to 5,000 nodes or where exact costs no more "
                      "(a 2-core of about 6,000 nodes), 0.001 above). Ignored with "
                      "pivots or exact=true; betweenness.description says how it was "
                      "computed." + RESERVED))] = None,
                  pivots: Annotated[int | None, Query(ge=2, le=100_000, description=(
                      "Sample betweenness from this many uniform pivots instead (no "
                      "guarantee; states the split-half agreement of its top 25). "
                      "Co-membership and two-mode: exact while nodes x ties stays small, "
                      "else pivots (stated)." + RESERVED))] = None,
                  exact: Annotated[bool, Query(description="Exact betweenness whatever the "
                                               "size." + RESERVED)] = False,
                  seed: Annotated[int, Query(ge=0, le=2**31,
                                             description="Pivot seed." + RESERVED)] = 0,
                  top: Annotated[int, Query(ge=1, le=RANKED_ROWS)] = 25,
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
    _period(since, until)
    if exact or pivots is not None:
        epsilon = None  # exact, then pivots, take precedence (as documented)
    r = await _answer(analyses.brokers, store, cache, limits, compute,
                      projection=projection,
                      group_by=group_by, k=pivots, exact=exact, seed=seed, top=RANKED_ROWS,
                      epsilon=epsilon, definition=definition or settings.south_definition,
                      kinds=kind, since=since, until=until, regions=region,
                      group_labels=group_label, directed=directed)
    return {**r, "rows": r["rows"][:top]}


@router.get("/analyses/south-south", summary="South-South gaps",
            response_model=SouthSouthResult, dependencies=[reserved(permutations=1000)])
async def south_south(store: StoreDep, cache: CacheDep, settings: SettingsDep,
                      limits: LimitsDep, compute: ComputeDep, projection: Projection = None,
                      definition: Definition = None,
                      top: Annotated[int, Query(ge=1, le=RANKED_ROWS,
                                                description="Missing links to list")] = 20,
                      permutations: Annotated[int, Query(ge=0, le=10_000, description=(
                          "Label permutations for the E-I test." + RESERVED))] = 1000,
                      kind: Kinds = None, since: Date = None, until: Date = None,
                      group_label: GroupLabels = None):
    """Shares of South-South, North-South and North-North ties, E-I index with a
    permutation test (p never 0; ``p_text`` as it prints), region densities (thin
    corridors), missing links with reasons, and the Northern or UN actors that broker
    triangular cooperation. On membership data, Newman-weighted co-membership and each
    group's members by bloc."""
    _period(since, until)
    r = await _answer(analyses.south_south, store, cache, limits, compute,
                      projection=projection,
                      definition=definition or settings.south_definition, top=RANKED_ROWS,
                      permutations=permutations, kinds=kind, since=since, until=until,
                      group_labels=group_label)
    links = r["missing_links"]
    return {**r, "missing_links": {**links, "pairs": links["pairs"][:top]}}


@router.get("/analyses/focal-units", summary="Responsible focal units and coverage",
            response_model=FocalUnitsResult)
async def focal_units(store: StoreDep, cache: CacheDep, limits: LimitsDep, compute: ComputeDep,
                      today: Day = None):
    """For every partner: category, focal unit(s) and letter routing; coverage gaps,
    workload, due diligence, assessments and the 1 December update."""
    return await _answer(analyses.focal_unit_report, store, cache, limits, compute,
                         today=_day(today))


@router.get("/analyses/deliverables", summary="Action-plan deliverables by status",
            response_model=DeliverablesResult)
async def deliverables(store: StoreDep, cache: CacheDep, limits: LimitsDep, compute: ComputeDep):
    """Deliverable status per network and action line."""
    return await _answer(analyses.deliverables, store, cache, limits, compute)


@router.get("/analyses/communities", summary="Louvain communities",
            response_model=CommunitiesResult, dependencies=[reserved(seed=0)])
async def communities(store: StoreDep, cache: CacheDep, settings: SettingsDep,
                      limits: LimitsDep, compute: ComputeDep, projection: Projection = None,
                      seed: Annotated[int, Query(ge=0, le=2**31,
                                                 description="Louvain seed." + RESERVED)] = 0,
                      membership: bool = False, definition: Definition = None,
                      kind: Kinds = None, since: Date = None, until: Date = None,
                      region: Regions = None, group_label: GroupLabels = None):
    """Communities of a projection (Louvain, fixed seed), each with its regions, most tied
    members and, on membership data, its groups; ``membership=true`` adds node ->
    community."""
    _period(since, until)
    r = await _answer(analyses.communities_report, store, cache, limits, compute,
                      projection=projection,
                      seed=seed, definition=definition or settings.south_definition,
                      kinds=kind, since=since, until=until, regions=region,
                      group_labels=group_label)
    return r if membership else {k: v for k, v in r.items() if k != "membership"}


@router.get("/analyses/recognitions", summary="Leading-level recognitions",
            response_model=RecognitionsResult)
async def recognitions(store: StoreDep, cache: CacheDep, limits: LimitsDep, compute: ComputeDep,
                       today: Day = None,
                       within: Annotated[int, Query(ge=1, le=3650)] = 365):
    """Recognitions with computed end dates, lapsing within ``within`` days."""
    return await _answer(analyses.recognitions_report, store, cache, limits, compute,
                         today=_day(today),
                         within_days=within)


@router.post("/match", summary="Which partner to approach", response_model=MatchResult,
             responses={404: {"description": "Unknown seeker, with close matches"}})
async def match(body: MatchRequest, store: StoreDep, cache: CacheDep, settings: SettingsDep,
                limits: LimitsDep, compute: ComputeDep):
    """Ranked candidate partners for a seeker and its needs: candidates meeting more of the
    requested needs first, then by the evidence that they are the partner the seeker's
    ties point to; each with its score, evidence, reasons, ties and the UN-Habitat focal
    unit to contact. ``flags`` say which needs cannot be matched and why."""
    return await _answer(analyses.match, store, cache, limits, compute, body.seeker,
                         in_worker=True, themes=body.themes,
                         sdgs=body.sdgs, category=body.category,
                         south_south=body.south_south, top=body.top,
                         include_cities=body.include_cities,
                         definition=body.definition or settings.south_definition)
