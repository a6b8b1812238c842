"""The graphs analyses run on, built from the store's heterogeneous graph.

- :func:`partnership_graph`: city-city (optionally also partner) partnerships,
  undirected, one edge per pair with ``weight`` = number of partnerships.
- :func:`membership_graph`: bipartite actors (cities, partners) - groups
  (networks, committees, initiatives, themes, SDGs).
- :func:`co_membership`: its weighted one-mode projection onto actors
  (``weight`` = number of shared groups).
- :func:`actor_graph`: the whole heterogeneous graph as a simple undirected graph.

Every projection keeps each node's ``name``, ``label``, ``country``, ``region`` and
``bloc`` (``"South"``, ``"North"``, ``"UN"`` or ``"Unclassified"`` under the chosen
Global South definition: see :func:`annotate`).
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from partnernet.graph.geography.countries import countries
from partnernet.graph.geography.south import south_of
from partnernet.graph.schema import NodeLabel, RelType

__all__ = ["GROUP_LABELS", "actor_graph", "annotate", "co_membership", "membership_graph",
           "partnership_graph"]

ACTOR_LABELS = (NodeLabel.CITY.value, NodeLabel.PARTNER.value)
GROUP_LABELS = (NodeLabel.NETWORK.value, NodeLabel.COMMITTEE.value, NodeLabel.INITIATIVE.value,
                NodeLabel.THEME.value, NodeLabel.SDG.value)
UN_CATEGORY = "category:03-un-agencies"


def annotate(g: nx.MultiDiGraph, *, definition: str = "g77") -> nx.MultiDiGraph:
    """Set ``region`` and ``bloc`` on every city and partner of ``g`` (in place).

    ``bloc`` is ``"UN"`` for partners in SOP category (iii) UN agencies, funds and
    programmes, else ``"South"``/``"North"``/``"Unclassified"`` from the node's country
    under ``definition`` (``g77``, ``dac`` or ``wb-income``).

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("city:br:x", label="City", name="X", country="BR")
    >>> annotate(g).nodes["city:br:x"]["bloc"], g.nodes["city:br:x"]["region"]
    ('South', 'Latin America and the Caribbean')
    """
    table = countries()
    un = {a for a, b, d in g.edges(data=True)
          if d.get("type") == RelType.IN_CATEGORY.value and b == UN_CATEGORY}
    located: dict[str, str] = {}
    for a, b, d in g.edges(data=True):
        if d.get("type") == RelType.LOCATED_IN.value and b.startswith("country:"):
            located[a] = b.split(":", 1)[1].upper()
    for n, d in g.nodes(data=True):
        if d.get("label") not in ACTOR_LABELS:
            continue
        cc = d.get("country") or located.get(n)
        if cc and cc in table:
            d.setdefault("region", table[cc].m49_region)
        d.setdefault("region", "Unknown")
        d["bloc"] = "UN" if n in un else south_of(cc, definition)
    return g


def _copy_attrs(src: nx.Graph, dst: nx.Graph, nodes: Iterable[str]) -> None:
    for n in nodes:
        d = src.nodes[n]
        dst.add_node(n, **{k: d[k] for k in ("name", "label", "country", "region", "bloc",
                                              "population", "lat", "lon", "generated")
                           if k in d})


def partnership_graph(g: nx.MultiDiGraph, *, include_partners: bool = False,
                      kinds: Iterable[str] | None = None, since: str | None = None,
                      until: str | None = None, regions: Iterable[str] | None = None
                      ) -> nx.Graph:
    """City-city partnership graph (undirected, ``weight`` = number of partnerships).

    Filters: ``kinds`` (partnership kinds), ``since``/``until`` (ISO dates compared as
    text on the partnership's ``since``; partnerships without a date are kept only
    when no period is asked), ``regions`` (both ends in these regions).

    >>> g = nx.MultiDiGraph()
    >>> g.add_nodes_from(["city:a", "city:b"], label="City")
    >>> _ = g.add_edge("city:a", "city:b", type="PARTNERS_WITH", kind="twinning")
    >>> _ = g.add_edge("city:b", "city:a", key="x", type="PARTNERS_WITH", kind="mou")
    >>> p = partnership_graph(g)
    >>> p["city:a"]["city:b"]["weight"], sorted(p["city:a"]["city:b"]["kinds"])
    (2, ['mou', 'twinning'])
    """
    labels = {NodeLabel.CITY.value} | ({NodeLabel.PARTNER.value} if include_partners else set())
    kinds = set(kinds) if kinds else None
    regions = set(regions) if regions else None
    h = nx.Graph()
    keep = [n for n, d in g.nodes(data=True) if d.get("label") in labels
            and (regions is None or d.get("region") in regions)]
    _copy_attrs(g, h, keep)
    for a, b, d in g.edges(data=True):
        if d.get("type") != RelType.PARTNERS_WITH.value or a == b:
            continue
        if a not in h or b not in h:
            continue
        if kinds is not None and d.get("kind") not in kinds:
            continue
        s = d.get("since")
        if since is not None and (s is None or str(s) < since):
            continue
        if until is not None and (s is None or str(s) > until):
            continue
        if h.has_edge(a, b):
            h[a][b]["weight"] += 1
            h[a][b]["kinds"].add(d.get("kind"))
        else:
            h.add_edge(a, b, weight=1, kinds={d.get("kind")})
    return h


def membership_graph(g: nx.MultiDiGraph) -> nx.Graph:
    """Bipartite graph: actors (``bipartite=0``) to groups (``bipartite=1``).

    Ties: MEMBER_OF and SITS_ON (actor -> network/committee), INVOLVES (initiative ->
    actor), WORKS_ON (actor -> theme/SDG); a partnership's SDG tags also count as
    the two ends working on those SDGs.

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("city:a", label="City"); g.add_node("network:n", label="Network")
    >>> _ = g.add_edge("city:a", "network:n", type="MEMBER_OF")
    >>> b = membership_graph(g)
    >>> list(b.edges()), b.nodes["network:n"]["bipartite"]
    ([('city:a', 'network:n')], 1)
    """
    b = nx.Graph()
    actors = [n for n, d in g.nodes(data=True) if d.get("label") in ACTOR_LABELS]
    groups = [n for n, d in g.nodes(data=True) if d.get("label") in GROUP_LABELS]
    _copy_attrs(g, b, actors)
    for n in actors:
        b.nodes[n]["bipartite"] = 0
    for n in groups:
        b.add_node(n, bipartite=1, name=g.nodes[n].get("name"), label=g.nodes[n].get("label"))
    member_types = {RelType.MEMBER_OF.value, RelType.SITS_ON.value, RelType.WORKS_ON.value}
    for a, c, d in g.edges(data=True):
        t = d.get("type")
        if t in member_types and a in b and c in b and b.nodes[a].get("bipartite") == 0 \
                and b.nodes[c].get("bipartite") == 1:
            b.add_edge(a, c)
        elif t == RelType.INVOLVES.value and a in b and c in b \
                and b.nodes[a].get("bipartite") == 1 and b.nodes[c].get("bipartite") == 0:
            b.add_edge(c, a)
        elif t == RelType.PARTNERS_WITH.value and d.get("sdgs"):
            for s in d["sdgs"]:
                sdg = f"sdg:{s}"
                if sdg in b:
                    for end in (a, c):
                        if end in b and b.nodes[end].get("bipartite") == 0:
                            b.add_edge(end, sdg)
    return b


def co_membership(b: nx.Graph, *, group_labels: Iterable[str] | None = None) -> nx.Graph:
    """Weighted one-mode projection of :func:`membership_graph` onto the actors.

    ``weight(u, v)`` = number of groups (of ``group_labels``, default networks,
    committees and initiatives) that ``u`` and ``v`` share.

    >>> b = nx.Graph([("a", "n1"), ("b", "n1"), ("a", "n2"), ("b", "n2")])
    >>> nx.set_node_attributes(b, {"a": 0, "b": 0, "n1": 1, "n2": 1}, "bipartite")
    >>> nx.set_node_attributes(b, {"n1": "Network", "n2": "Committee"}, "label")
    >>> co_membership(b)["a"]["b"]["weight"]
    2
    """
    wanted = set(group_labels or (NodeLabel.NETWORK.value, NodeLabel.COMMITTEE.value,
                                  NodeLabel.INITIATIVE.value))
    h = nx.Graph()
    actors = [n for n, d in b.nodes(data=True) if d.get("bipartite") == 0]
    _copy_attrs(b, h, actors)
    for z, d in b.nodes(data=True):
        if d.get("bipartite") != 1 or d.get("label") not in wanted:
            continue
        members = sorted(b[z])
        for i, u in enumerate(members):
            for v in members[i + 1:]:
                if h.has_edge(u, v):
                    h[u][v]["weight"] += 1
                else:
                    h.add_edge(u, v, weight=1)
    return h


def actor_graph(g: nx.MultiDiGraph) -> nx.Graph:
    """The heterogeneous graph as a simple undirected graph (all labels, all types).

    >>> g = nx.MultiDiGraph([("a", "b"), ("b", "a"), ("a", "a")])
    >>> list(actor_graph(g).edges())
    [('a', 'b')]
    """
    h = nx.Graph()
    h.add_nodes_from(g.nodes(data=True))
    for a, b, d in g.edges(data=True):
        if a != b:
            h.add_edge(a, b, type=d.get("type"))
    return h
