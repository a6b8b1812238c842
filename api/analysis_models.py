"""Response models of the analysis routes and of matching, so OpenAPI shows what each
answer holds. Undefined numbers are ``null`` and the object's ``undefined`` (or the
result's ``empty``) says why; models allow further fields, so a result can say more
than the schema promises without failing."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["BrokersResult", "CommunitiesResult", "DeliverablesResult", "FocalUnitsResult",
           "MatchResult", "RecognitionsResult", "SouthSouthResult"]

_OPEN = ConfigDict(extra="allow", populate_by_name=True)


class _Model(BaseModel):
    model_config = _OPEN


class Snapshot(_Model):
    taken_at: str = Field(description="When the result was computed (UTC, ISO 8601)")
    store: dict[str, Any]
    nodes: int
    relationships: int
    nodes_by_label: dict[str, int]
    generated_nodes: int | None = Field(description="Nodes from the sample generator")
    software: str


class Definition(_Model):
    name: Literal["g77", "dac", "wb-income"]
    title: str
    source: str
    snapshot: str


class LargeGroup(_Model):
    id: str
    name: str
    members: int


class ProjectionInfo(_Model):
    name: Literal["partnerships", "co-membership", "two-mode", "all"]
    description: str = Field(description="What the nodes and ties are, and their weights")
    reason: str = Field(description="Why this projection: asked for, or the default for "
                                    "what the store holds (with the counts behind it)")
    directed: bool
    weight: str | None = Field(description="Edge attribute with tie strength, if any")
    distance: str | None = Field(description="Edge attribute with path length, if any")
    nodes: int = Field(description="Nodes analysed (isolates included)")
    ties: int
    isolates: int
    large_groups: list[LargeGroup] = Field(
        description="Co-membership: groups kept as one node each (a hub) instead of all "
                    "pairs of their members")
    notes: list[str]


class Empty(_Model):
    why: str = Field(description="What is missing")
    try_: list[str] = Field(alias="try", description="Projections, filters or loads that "
                                                    "would fill it")
    what: str


class Certain(_Model):
    top: int = Field(description="Size of the top ranking the guarantee is checked against")
    count: int = Field(description="How many of the first ranks the guarantee alone places "
                                   "in the exact top ranking (scores more than 2 epsilon "
                                   "apart)")


class BetweennessInfo(_Model):
    method: Literal["exact", "sampled", "kadabra"] = Field(
        description="exact (Brandes); sampled (uniform pivots, no guarantee); kadabra "
                    "(adaptive sampling: every score within epsilon of the exact one with "
                    "the stated confidence)")
    k: int | None = Field(default=None, description="Pivots, when sampled")
    seed: int | None = None
    description: str
    agreement: dict[str, Any] | None = Field(
        default=None, description="Sampled: overlap of the top rankings of two halves of "
                                  "the pivots")
    epsilon: float | None = Field(default=None, description="KADABRA: the largest error of "
                                                            "a normalised score")
    confidence: float | None = Field(default=None, description="KADABRA: the probability "
                                                               "that every score is within "
                                                               "epsilon")
    samples: int | None = Field(default=None, description="KADABRA: shortest paths drawn")
    certain: Certain | None = None


class Connection(_Model):
    from_: str = Field(alias="from")
    to: str
    role: str = Field(description="Gould-Fernandez role, or for groups 'only link' / 'one "
                                  "of N shared members'")
    count: int


class BrokerRow(_Model):
    rank: int
    node: str
    name: str
    label: str | None
    group: str = Field(description="The node's value of group_by (its kind if it has none)")
    degree: float = Field(description="Ties (two-mode: share of the other mode)")
    betweenness: float = Field(description="Normalised over all nodes analysed (two-mode: "
                                           "per mode, Borgatti & Everett 1997)")
    constraint: float | None = Field(description="Burt's constraint; null: see undefined")
    effective_size: float | None
    efficiency: float | None
    coordinator: int | None = None
    itinerant: int | None = None
    gatekeeper: int | None = None
    representative: int | None = None
    liaison: int | None = None
    brokerage_total: int | None = None
    brokerage_z: float | None = Field(default=None, description="z-score of the role total "
                                                                "against sna::brokerage's null")
    cut_point: bool
    separated: int = Field(description="Nodes that lose their path to the rest without it")
    groups: list[str] = Field(description="Groups the member belongs to (membership data)")
    linked_group_pairs: int = Field(description="Pairs of its groups it alone links")
    undefined: dict[str, str] = Field(description="Measure -> why it has no value here")
    connects: list[Connection] | None = None


class Isolates(_Model):
    count: int
    names: list[str]
    note: str


class BrokersResult(_Model):
    rows: list[BrokerRow]
    betweenness: BetweennessInfo
    group_by: str
    groups: dict[str, int]
    network: dict[str, Any] | None = Field(description="Role totals with expected values and "
                                                      "z-scores (one-mode projections)")
    nodes: int
    ties: int
    isolates: Isolates
    undefined: dict[str, str] = Field(description="Measure -> why it is undefined on this "
                                                  "projection")
    projection: ProjectionInfo
    empty: Empty | None
    definition: Definition
    filters: dict[str, Any]
    snapshot: Snapshot


class Share(_Model):
    count: int | None = Field(description="Partnerships (null on co-membership data)")
    weight: float = Field(description="Partnerships, or Newman co-membership weight")
    share: float | None = Field(description="Share of classified ties; null when none is "
                                            "classified")


class EINetwork(_Model):
    ei: float | None = Field(description="(E - I) / (E + I); null without ties")
    external: float
    internal: float
    expected: float | None
    p_value: float | None = Field(description="(b + 1)/(R + 1), never 0")
    p_lower: float | None
    p_text: str = Field(description="The p-value as it prints: 'p < 0.001', 'p = 0.034' or "
                                    "'p n/a (reason)'")
    permutations: int


class EI(_Model):
    network: EINetwork
    groups: dict[str, Any]


class Corridor(_Model):
    a: str
    b: str
    density: float | None
    ties: float
    possible: int


class Density(_Model):
    regions: list[str]
    sizes: dict[str, int]
    matrix: dict[str, dict[str, float | None]]
    ties: dict[str, dict[str, float]]
    thin: list[Corridor]


class MissingLink(_Model):
    a: str
    a_name: str
    a_country: str | None
    b: str
    b_name: str
    b_country: str | None
    score: float
    adamic_adar: float
    jaccard: float
    shared: int
    reasons: list[str]


class MissingLinks(_Model):
    pairs: list[MissingLink]
    candidates_scored: int
    method: str


class TriangularBroker(_Model):
    node: str
    name: str
    bloc: str | None
    southern_neighbours: int
    brokered_pairs: int
    dependency: float | None = None


class Triangular(_Model):
    brokers: list[TriangularBroker]
    southern_nodes: int
    connected_southern_pairs: int
    all: dict[str, Any]


class GroupMix(_Model):
    group: str
    name: str
    label: str | None
    members: int
    south: int
    north: int
    un: int
    unclassified: int
    southern_share: float | None


class SouthSouthResult(_Model):
    definition: Definition
    projection: ProjectionInfo
    shares: dict[str, Any] = Field(description="overall: South-South, North-South, "
                                               "North-North, unclassified -> Share")
    ei: dict[Literal["south_north", "region"], EI]
    density: Density
    missing_links: MissingLinks
    triangular: Triangular
    groups: list[GroupMix] | None = Field(default=None, description="Membership data: each "
                                                                    "group's members by bloc")
    empty: Empty | None
    snapshot: Snapshot


class CommunitySummary(_Model):
    community: int
    size: int
    regions: dict[str, int]
    hubs: list[str] = Field(description="Its most tied members")
    groups: list[str] = Field(description="Membership data: groups placed in it")


class CommunitiesResult(_Model):
    communities: list[CommunitySummary]
    count: int
    isolates: int = Field(description="Nodes without ties: in no community")
    modularity: float
    seed: int
    method: str
    projection: ProjectionInfo
    membership: dict[str, int] | None = Field(default=None,
                                              description="Node -> community (on request)")
    empty: Empty | None
    snapshot: Snapshot


class FocalUnitsResult(_Model):
    partners: list[dict[str, Any]] = Field(description="Each partner's categories, focal "
                                                       "units and letter routing")
    categories: list[dict[str, Any]]
    coverage: dict[str, Any]
    today: str
    snapshot: Snapshot


class DeliverableCount(_Model):
    id: str
    name: str
    code: str | None
    total: int
    counts: dict[str, int]
    shares: dict[str, float | None]


class DeliverablesResult(_Model):
    networks: list[DeliverableCount]
    action_lines: list[DeliverableCount]
    snapshot: Snapshot


class Recognition(_Model):
    city: str
    name: str
    programme: str | None
    programme_name: str | None
    since: str | None
    ends: str | None = Field(description="Computed end of the recognition; null when the "
                                         "start is not known (note says so)")
    days_left: int | None
    extended: bool
    can_extend: bool
    note: str | None


class RecognitionsResult(_Model):
    recognitions: list[Recognition]
    lapsing: list[dict[str, Any]]
    lapsed: list[dict[str, Any]]
    today: str
    within_days: int
    snapshot: Snapshot


class Candidate(_Model):
    id: str
    name: str
    label: str | None
    country: str | None
    bloc: str | None
    rank: int
    score: float = Field(description="Estimated chance that this is the partner the "
                                     "evidence points to (softmax over the candidates)")
    z: float = Field(description="Evidence score (log-odds scale)")
    needs_met: list[str] = Field(description="Requested themes, SDGs and 'South' it meets")
    tied_with: int = Field(description="Other candidates with exactly the same needs met and "
                                       "evidence")
    evidence: dict[str, float] = Field(description="Feature -> contribution to z against the "
                                                   "average candidate")
    distance_km: float | None
    reasons: list[str]
    categories: list[str]
    contact_focal_units: list[str]
    generated: bool


class Needs(_Model):
    themes: list[str]
    sdgs: list[str]
    category: str | None
    south_south: bool
    unmet: list[str] = Field(description="Needs no candidate meets")


class Ties(_Model):
    tied_shown: int
    note: str


class ModelInfo(_Model):
    method: str = Field(description="calibrated (fitted on this store's partnerships) or "
                                    "defaults")
    why: str | None
    held_out: dict[str, Any] | None
    weights: dict[str, float]
    features: dict[str, str]


class MatchResult(_Model):
    seeker: dict[str, str]
    needs: Needs
    flags: list[str] = Field(description="Needs that cannot be matched and why")
    candidates: list[Candidate]
    considered: int
    ties: Ties
    model: ModelInfo
    definition: Definition
    snapshot: Snapshot
