"""Memberships as graphs: the (member, group) pairs, the two-mode actor-group graph, and
the membership graph (groups, themes and SDGs) that missing links are found on."""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from partnernet.graph.analysis.roles import (
    AFFILIATIONS,
    KEPT_ATTRIBUTES,
    LOCAL_LABELS,
    MEMBER_LABELS,
    THEME_LABELS,
    copy_attrs,
    in_period,
)
from partnernet.graph.schema import NodeLabel, RelType
from partnernet.vocabulary import GROUP_LABELS

__all__ = ["affiliations", "membership_graph", "two_mode_graph"]


def affiliations(g: nx.MultiDiGraph, *, group_labels: Iterable[str] = GROUP_LABELS,
                 since: str | None = None, until: str | None = None,
                 regions: Iterable[str] | None = None) -> list[tuple[str, str]]:
    """The (member, group) pairs of ``g``, each once: members are cities, partners,
    countries and focal units; groups have one of ``group_labels``; ties are
    :data:`AFFILIATIONS`. Period and region filters as in :func:`partnership_graph`.

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("city:a", label="City"); g.add_node("network:n", label="Network")
    >>> g.add_node("initiative:i", label="Initiative")
    >>> _ = g.add_edge("city:a", "network:n", type="MEMBER_OF")
    >>> _ = g.add_edge("initiative:i", "city:a", type="INVOLVES")
    >>> affiliations(g)
    [('city:a', 'initiative:i'), ('city:a', 'network:n')]
    """
    groups = set(group_labels)
    members = set(MEMBER_LABELS)
    regions = set(regions) if regions else None
    types = set(AFFILIATIONS)
    out = set()
    nodes = g.nodes
    for a, b, d in g.edges(data=True):
        t = d.get("type")
        if t not in types or a == b:
            continue
        if t == RelType.INVOLVES.value:
            a, b = b, a
        if nodes[a].get("label") not in members or nodes[b].get("label") not in groups:
            continue
        if regions is not None and nodes[a].get("region") not in regions:
            continue
        if in_period(d, since, until):
            out.add((a, b))
    return sorted(out)


def two_mode_graph(g: nx.MultiDiGraph, *, group_labels: Iterable[str] = GROUP_LABELS,
                   since: str | None = None, until: str | None = None,
                   regions: Iterable[str] | None = None) -> nx.Graph:
    """The two-mode graph: members (``bipartite=0``: cities, subnational governments,
    partners, countries, focal units with at least one membership) and every group of
    ``group_labels`` (``bipartite=1``, with or without members), one tie per membership.

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("city:a", label="City"); g.add_node("network:n", label="Network")
    >>> _ = g.add_edge("city:a", "network:n", type="MEMBER_OF")
    >>> b = two_mode_graph(g)
    >>> list(b.edges()), b.nodes["network:n"]["bipartite"]
    ([('city:a', 'network:n')], 1)
    """
    labels = set(group_labels)
    pairs = affiliations(g, group_labels=labels, since=since, until=until, regions=regions)
    b = nx.Graph()
    copy_attrs(g, b, sorted({m for m, _ in pairs}))
    for n in b:
        b.nodes[n]["bipartite"] = 0
    for n, d in g.nodes(data=True):
        if d.get("label") in labels:
            b.add_node(n, bipartite=1, **{k: d[k] for k in KEPT_ATTRIBUTES if k in d})
    b.add_edges_from(pairs)
    return b


def membership_graph(g: nx.MultiDiGraph) -> nx.Graph:
    """Bipartite graph for missing links: actors (``bipartite=0``) to the groups of
    :func:`two_mode_graph` and to themes and SDGs (WORKS_ON; a partnership's SDG tags
    count as both ends working on those SDGs).

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("city:a", label="City"); g.add_node("network:n", label="Network")
    >>> _ = g.add_edge("city:a", "network:n", type="MEMBER_OF")
    >>> b = membership_graph(g)
    >>> list(b.edges()), b.nodes["network:n"]["bipartite"]
    ([('city:a', 'network:n')], 1)
    """
    b = two_mode_graph(g, group_labels=(*GROUP_LABELS, *THEME_LABELS))
    for n, d in g.nodes(data=True):
        if d.get("label") in (*LOCAL_LABELS, NodeLabel.PARTNER.value) and n not in b:
            copy_attrs(g, b, [n])
            b.nodes[n]["bipartite"] = 0
    for a, c, d in g.edges(data=True):
        if d.get("type") == RelType.PARTNERS_WITH.value and d.get("sdgs"):
            for s in d["sdgs"]:
                sdg = f"sdg:{s}"
                if sdg in b:
                    for end in (a, c):
                        if end in b and b.nodes[end].get("bipartite") == 0:
                            b.add_edge(end, sdg)
        elif d.get("type") == RelType.WORKS_ON.value and a in b and c in b \
                and b.nodes[a].get("bipartite") == 0:
            b.add_edge(a, c)
    return b
