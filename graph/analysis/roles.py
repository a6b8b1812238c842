"""Which nodes are actors, members and groups, which ties make a membership, and what a
projection keeps of each node (shared by the projections)."""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from partnernet.graph.schema import NodeLabel, RelType

__all__ = ["ACTOR_LABELS", "AFFILIATIONS", "KEPT_ATTRIBUTES", "LOCAL_LABELS", "MEMBER_LABELS",
           "THEME_LABELS", "copy_attrs", "in_period"]

#: Local and regional governments: cities and subnational governments (states, provinces).
LOCAL_LABELS = (NodeLabel.CITY.value, NodeLabel.SUBNATIONAL.value)
#: Labels that take part in partnerships (the schema's PARTNERS_WITH endpoints).
ACTOR_LABELS = (*LOCAL_LABELS, NodeLabel.PARTNER.value, NodeLabel.NETWORK.value)
#: Labels that are members of groups in the co-membership and two-mode projections.
MEMBER_LABELS = (*LOCAL_LABELS, NodeLabel.PARTNER.value, NodeLabel.COUNTRY.value,
                 NodeLabel.FOCAL_UNIT.value)
#: Relationship types that make an actor a member of a group: ``actor -> group`` for all
#: but INVOLVES, which is stored ``group -> actor``.
AFFILIATIONS = (RelType.MEMBER_OF.value, RelType.SITS_ON.value, RelType.PARTY_TO.value,
                RelType.SUPPORTS.value, RelType.COORDINATES.value, RelType.ORGANISES.value,
                RelType.HOSTS.value, RelType.PART_OF.value, RelType.RESPONSIBLE_FOR.value,
                RelType.INVOLVES.value)
#: Labels of what actors work on (WORKS_ON), groups in the membership graph of missing links.
THEME_LABELS = (NodeLabel.THEME.value, NodeLabel.SDG.value)
#: The node attributes every projection keeps.
KEPT_ATTRIBUTES = ("name", "label", "country", "region", "subregion", "bloc", "population",
                   "lat", "lon", "generated")


def copy_attrs(src: nx.Graph, dst: nx.Graph, nodes: Iterable[str]) -> None:
    for n in nodes:
        d = src.nodes[n]
        dst.add_node(n, **{k: d[k] for k in KEPT_ATTRIBUTES if k in d})


def in_period(d: dict, since: str | None, until: str | None) -> bool:
    """A dated tie started in ``[since, until]`` (ISO dates compared as text); undated
    ties count only when no period is asked.

    >>> in_period({"since": "2019-05-01"}, "2019", None), in_period({}, "2019", None)
    (True, False)
    """
    if since is None and until is None:
        return True
    s = d.get("since")
    if s is None:
        return False
    return (since is None or str(s) >= since) and (until is None or str(s) <= until)
