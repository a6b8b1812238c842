"""The graphs analyses run on, built from the store's heterogeneous graph.

A structural analysis runs on one *projection*, a stated choice
(:data:`partnernet.vocabulary.PROJECTIONS`):

- ``partnerships`` (:func:`partnership_graph`): actors (cities, partners, networks) tied
  by PARTNERS_WITH, one tie per pair with ``weight`` = number of partnerships; directed
  (arcs) on request where the data says a partnership is directed.
- ``co-membership`` (:func:`partnernet.graph.analysis.comembership.co_membership`): actors
  tied through the groups they share (networks, committees, initiatives, agreements,
  events), with Newman's collaboration weights; large groups are kept as one node each
  instead of a clique.
- ``two-mode`` (:func:`two_mode_graph`): the actor-group graph itself.
- ``all`` (:func:`all_ties_graph`): every tie of the store between any two nodes.

:func:`project` builds the one asked for, or the default for what the store holds
(:func:`default_projection`), as a :class:`Projection` that says what it is and why.
Every projection keeps each node's ``name``, ``label``, ``country``, ``region`` and
``bloc`` (see :func:`annotate`).

Here: :class:`Projection`, the partnership and all-ties graphs and the choice of a
projection; :func:`annotate` is in :mod:`~partnernet.graph.analysis.annotation`, the
membership graphs (:func:`affiliations`, :func:`two_mode_graph`, :func:`membership_graph`)
in :mod:`~partnernet.graph.analysis.memberships`, the label sets and shared helpers in
:mod:`~partnernet.graph.analysis.roles`; all are importable from here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from partnernet.graph.analysis.annotation import UN_CATEGORY, annotate
from partnernet.graph.analysis.memberships import affiliations, membership_graph, two_mode_graph
from partnernet.graph.analysis.roles import (
    ACTOR_LABELS,
    AFFILIATIONS,
    LOCAL_LABELS,
    MEMBER_LABELS,
    copy_attrs,
    in_period,
)
from partnernet.graph.schema import NodeLabel, RelType
from partnernet.vocabulary import GROUP_LABELS, PROJECTIONS

__all__ = ["ACTOR_LABELS", "AFFILIATIONS", "GROUP_LABELS", "LOCAL_LABELS", "MEMBER_LABELS",
           "UN_CATEGORY", "Projection",
           "affiliations", "all_ties_graph", "annotate", "default_projection",
           "membership_graph", "partnership_graph", "project", "two_mode_graph"]


@dataclass
class Projection:
    """A graph to analyse, with what it is and why it was chosen.

    ``graph`` is undirected (a ``DiGraph`` for directed partnerships). ``weight`` names
    the edge attribute holding tie strength and ``distance`` the one holding a length for
    shortest paths (``None``: every tie counts 1). ``hubs`` are nodes that stand for a
    large group in a co-membership projection (group id -> members): they carry paths but
    are not actors, so measures leave them out of rankings and of normalisations.
    """

    name: str
    graph: nx.Graph
    description: str
    reason: str = ""
    weight: str | None = None
    distance: str | None = None
    hubs: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)
    two_mode_graph: nx.Graph | None = field(default=None, repr=False)

    @property
    def two_mode(self) -> bool:
        return self.name == "two-mode"

    @property
    def directed(self) -> bool:
        return self.graph.is_directed()

    def actors(self) -> list:
        """The nodes analysed (every node but the hubs)."""
        return [v for v in self.graph if v not in self.hubs]

    def describe(self) -> dict[str, Any]:
        """What a result says about its projection."""
        g = self.graph
        actors = self.actors()
        iso = [v for v in actors if g.degree(v) == 0]
        return {"name": self.name, "description": self.description, "reason": self.reason,
                "directed": self.directed, "weight": self.weight, "distance": self.distance,
                "nodes": len(actors), "ties": g.number_of_edges() - sum(self.hubs.values()),
                "isolates": len(iso),
                "large_groups": [{"id": h, "name": g.nodes[h].get("name", h), "members": m}
                                 for h, m in sorted(self.hubs.items(), key=lambda kv: -kv[1])],
                "notes": list(self.notes), **self.stats}


def partnership_graph(g: nx.MultiDiGraph, *, include_partners: bool = False,
                      include_networks: bool = False, kinds: Iterable[str] | None = None,
                      since: str | None = None, until: str | None = None,
                      regions: Iterable[str] | None = None, directed: bool = False
                      ) -> nx.Graph:
    """Partnership graph (``weight`` = number of partnerships), cities and subnational
    governments and optionally partners and networks; every such node is kept, with or
    without partnerships.

    Filters: ``kinds`` (partnership kinds), ``since``/``until`` (ISO dates compared as
    text on the partnership's ``since``; partnerships without a date are kept only when
    no period is asked), ``regions`` (both ends in these regions). With ``directed``, a
    ``DiGraph``: a partnership whose ``directed`` property is true is one arc
    ``start -> end``, any other gives both arcs.

    >>> g = nx.MultiDiGraph()
    >>> g.add_nodes_from(["city:a", "city:b"], label="City")
    >>> _ = g.add_edge("city:a", "city:b", type="PARTNERS_WITH", kind="twinning")
    >>> _ = g.add_edge("city:b", "city:a", key="x", type="PARTNERS_WITH", kind="mou")
    >>> p = partnership_graph(g)
    >>> p["city:a"]["city:b"]["weight"], sorted(p["city:a"]["city:b"]["kinds"])
    (2, ['mou', 'twinning'])
    """
    labels = set(LOCAL_LABELS) | ({NodeLabel.PARTNER.value} if include_partners else set()) \
        | ({NodeLabel.NETWORK.value} if include_networks else set())
    kinds = set(kinds) if kinds else None
    regions = set(regions) if regions else None
    h = nx.DiGraph() if directed else nx.Graph()
    keep = [n for n, d in g.nodes(data=True) if d.get("label") in labels
            and (regions is None or d.get("region") in regions)]
    copy_attrs(g, h, keep)

    def add(a: str, b: str, kind: Any) -> None:
        if h.has_edge(a, b):
            h[a][b]["weight"] += 1
            h[a][b]["kinds"].add(kind)
        else:
            h.add_edge(a, b, weight=1, kinds={kind})

    for a, b, d in g.edges(data=True):
        if d.get("type") != RelType.PARTNERS_WITH.value or a == b:
            continue
        if a not in h or b not in h:
            continue
        if kinds is not None and d.get("kind") not in kinds:
            continue
        if not in_period(d, since, until):
            continue
        add(a, b, d.get("kind"))
        if directed and d.get("directed") is not True:
            add(b, a, d.get("kind"))
    return h


def all_ties_graph(g: nx.MultiDiGraph, *, since: str | None = None,
                   until: str | None = None, regions: Iterable[str] | None = None) -> nx.Graph:
    """Every tie of ``g`` between two nodes, as a simple undirected graph (``weight`` =
    number of relationships of any type between the pair).

    LOCATED_IN is geography (it gives nodes their region), not a tie, so it is left
    out; Country nodes are kept only when they take part in something else. Period
    filter as in :func:`partnership_graph`; ``regions`` keeps the nodes with a region in
    them plus the nodes without geography (networks, committees, focal units...).

    >>> g = nx.MultiDiGraph([("a", "b"), ("b", "a"), ("a", "a")])
    >>> nx.set_node_attributes(g, "City", "label")
    >>> list(all_ties_graph(g).edges(data="weight"))
    [('a', 'b', 2)]
    """
    regions = set(regions) if regions else None
    h = nx.Graph()
    country = NodeLabel.COUNTRY.value
    for n, d in g.nodes(data=True):
        if d.get("label") == country:
            continue
        if regions is not None and d.get("region") not in (None, "Unknown") \
                and d.get("region") not in regions:
            continue
        copy_attrs(g, h, [n])
    for a, b, d in g.edges(data=True):
        if a == b or d.get("type") == RelType.LOCATED_IN.value or not in_period(d, since, until):
            continue
        for end in (a, b):
            if end not in h and g.nodes[end].get("label") == country and (
                    regions is None or g.nodes[end].get("region") in regions):
                copy_attrs(g, h, [end])
        if a in h and b in h:
            if h.has_edge(a, b):
                h[a][b]["weight"] += 1
            else:
                h.add_edge(a, b, weight=1)
    return h


def default_projection(g: nx.MultiDiGraph) -> tuple[str, str]:
    """The projection that fits what ``g`` holds, and why.

    ``partnerships`` when partnerships tie at least as many actors as shared groups do;
    else ``co-membership`` when actors share groups; else ``all`` (every tie).

    >>> g = nx.MultiDiGraph()
    >>> g.add_nodes_from(["city:a", "city:b"], label="City")
    >>> g.add_node("network:n", label="Network")
    >>> _ = g.add_edge("city:a", "network:n", type="MEMBER_OF")
    >>> _ = g.add_edge("city:b", "network:n", type="MEMBER_OF")
    >>> default_projection(g)[0]
    'co-membership'
    """
    labels = set(ACTOR_LABELS)
    partnered = {x for a, b, d in g.edges(data=True)
                 if d.get("type") == RelType.PARTNERS_WITH.value and a != b
                 and g.nodes[a].get("label") in labels and g.nodes[b].get("label") in labels
                 for x in (a, b)}
    members: dict[str, set] = {}
    for m, grp in affiliations(g):
        members.setdefault(grp, set()).add(m)
    shared = {m for ms in members.values() if len(ms) > 1 for m in ms}
    counts = (f"partnerships tie {len(partnered):,} actors; shared groups (networks, "
              f"committees, initiatives, agreements, events) tie {len(shared):,}")
    if partnered and len(partnered) >= len(shared):
        return "partnerships", f"default for this store: {counts}"
    if shared:
        return "co-membership", f"default for this store: {counts}"
    return "all", (f"default for this store: {counts}, so every tie of the store is "
                   "used instead")


def project(g: nx.MultiDiGraph, projection: str | None = None, *,
            kinds: Iterable[str] | None = None, since: str | None = None,
            until: str | None = None, regions: Iterable[str] | None = None,
            group_labels: Iterable[str] | None = None, directed: bool = False,
            max_pairs: int | None = None) -> Projection:
    """Build ``projection`` of the annotated graph ``g`` (``None``: the default for what
    ``g`` holds, see :func:`default_projection`), with a description and the reason.

    ``kinds`` filters partnerships; ``group_labels`` the groups of the co-membership and
    two-mode projections; ``directed`` keeps directed partnerships as arcs (partnerships
    projection only); ``max_pairs`` bounds the pairs a co-membership projection expands
    (see :func:`partnernet.graph.analysis.comembership.co_membership`).

    >>> g = nx.MultiDiGraph()
    >>> g.add_nodes_from(["city:a", "city:b"], label="City")
    >>> _ = g.add_edge("city:a", "city:b", type="PARTNERS_WITH")
    >>> p = project(g)
    >>> p.name, p.graph.number_of_edges(), p.reason.startswith("default")
    ('partnerships', 1, True)
    """
    from partnernet.graph.analysis.comembership import DEFAULT_MAX_PAIRS, co_membership

    if projection is None:
        projection, reason = default_projection(g)
    else:
        reason = "asked for"
    if projection not in PROJECTIONS:
        raise ValueError(f"unknown projection {projection!r}; accepted: {', '.join(PROJECTIONS)}")
    undirected_note = (f"directed asked for, but {projection} ties have no direction (arcs "
                       "are partnerships): computed without direction"
                       if directed and projection != "partnerships" else None)
    labels = tuple(group_labels or GROUP_LABELS)
    unknown = sorted(set(labels) - set(GROUP_LABELS))
    if unknown:
        raise ValueError(f"unknown group labels {unknown}; accepted: {', '.join(GROUP_LABELS)}")
    period = {"since": since, "until": until, "regions": regions}
    if projection == "partnerships":
        h = partnership_graph(g, include_partners=True, include_networks=True, kinds=kinds,
                              directed=directed, **period)
        desc = ("partnerships: cities, subnational governments, partners and networks, tied "
                "by PARTNERS_WITH "
                "(weight = number of partnerships)"
                + ("; directed partnerships as arcs, the others both ways" if directed else ""))
        return Projection("partnerships", h, desc, reason, weight="weight")
    if undirected_note:
        built = project(g, projection, kinds=kinds, since=since, until=until,
                        regions=regions, group_labels=group_labels, max_pairs=max_pairs)
        built.reason = reason
        built.notes.append(undirected_note)
        return built
    if projection == "two-mode":
        h = two_mode_graph(g, group_labels=labels, **period)
        desc = (f"two-mode: members (cities, partners, countries, focal units) and their "
                f"groups ({', '.join(x.lower() + 's' for x in labels)}), one tie per "
                "membership; measures normalised per mode (Borgatti & Everett 1997)")
        return Projection("two-mode", h, desc, reason)
    if projection == "co-membership":
        b = two_mode_graph(g, group_labels=labels, **period)
        p = co_membership(b, max_pairs=DEFAULT_MAX_PAIRS if max_pairs is None else max_pairs)
        p.reason = reason
        return p
    h = all_ties_graph(g, **period)
    desc = ("all ties: every node and relationship of the store (LOCATED_IN is geography, "
            "not a tie; countries only where they take part), weight = relationships "
            "per pair")
    return Projection("all", h, desc, reason, weight="weight")
