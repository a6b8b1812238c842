"""Communities for views and reports: Louvain (igraph's multilevel) with a fixed seed."""

from __future__ import annotations

import random
from collections.abc import Collection
from typing import Any

import igraph as ig
import networkx as nx

from partnernet.graph.analysis.kernel import to_igraph

__all__ = ["communities"]


def communities(g: nx.Graph, *, seed: int = 0, resolution: float = 1.0,
                weight: str | None = "weight", skip: Collection = ()) -> dict[str, Any]:
    r"""Louvain communities (deterministic for a given seed), largest first.

    Maximises modularity
    :math:`Q = \frac{1}{2m}\sum_{ij}\big(A_{ij} - \gamma\frac{k_i k_j}{2m}\big)\delta(c_i, c_j)`
    with igraph's multilevel algorithm (C), its vertex order drawn from
    ``random.Random(seed)``. Isolates form no community: they are numbered after the
    communities, one each, and counted in ``isolates``.

    Parameters
    ----------
    g : networkx.Graph
        Undirected graph (a directed one is read without direction).
    seed : int
        Seed of the vertex order.
    resolution : float
        :math:`\gamma`; above 1 gives smaller communities.
    weight : str, optional
        Edge attribute with tie strength (missing: 1).
    skip : collection
        Nodes left out of ``sizes`` and ``isolates`` (the hubs of a co-membership
        projection: they take part, as the groups they are, but are not members).

    Returns
    -------
    dict
        ``membership`` (node -> community number, 0 = largest), ``sizes`` (of the
        communities, without isolates), ``isolates``, ``modularity`` and ``seed``.

    References
    ----------
    .. [1] Blondel, V. D., Guillaume, J.-L., Lambiotte, R. & Lefebvre, E. (2008). Fast
       unfolding of communities in large networks. J. Stat. Mech. P10008.
       doi:10.1088/1742-5468/2008/10/P10008

    Examples
    --------
    >>> g = nx.barbell_graph(4, 0)
    >>> g.add_node("alone")
    >>> r = communities(g)
    >>> r["sizes"], round(r["modularity"], 3), r["isolates"]
    ([4, 4], 0.423, 1)
    """
    if g.is_directed():
        g = g.to_undirected(as_view=True)
    skip = set(skip)
    has_weight = weight is not None and g.number_of_edges() > 0 and any(
        weight in d for _, _, d in g.edges(data=True))
    kern = to_igraph(g, weight=weight if has_weight else None)
    h = kern.graph
    w = "weight" if has_weight else None
    if h.ecount() == 0:
        membership_list = list(range(h.vcount()))
        q = 0.0
    else:
        ig.set_random_number_generator(random.Random(seed))
        try:
            part = h.community_multilevel(weights=w, resolution=resolution)
        finally:
            ig.set_random_number_generator(random)
        membership_list = part.membership
        q = h.modularity(membership_list, weights=w, resolution=resolution)
    parts: dict[int, list] = {}
    for v, c in zip(kern.nodes, membership_list, strict=True):
        if g.degree(v) > 0:
            parts.setdefault(c, []).append(v)
    ordered = sorted(parts.values(),
                     key=lambda c: (-sum(1 for v in c if v not in skip), min(map(str, c))))
    membership = {v: i for i, c in enumerate(ordered) for v in c}
    alone = sorted((v for v in kern.nodes if g.degree(v) == 0 and v not in skip), key=str)
    for i, v in enumerate(alone, start=len(ordered)):
        membership[v] = i
    sizes = [sum(1 for v in c if v not in skip) for c in ordered]
    return {"membership": membership, "sizes": sizes, "isolates": len(alone),
            "modularity": float(q), "seed": seed}
