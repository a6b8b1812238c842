"""Two-mode (actor-group) measures: degree and betweenness normalised per mode, and the
group pairs each member links (brokers between networks, committees, initiatives)."""

from __future__ import annotations

import random
from collections.abc import Hashable
from typing import Any

import networkx as nx
import numpy as np

from partnernet.graph.analysis.kernel import betweenness_sum, to_igraph

__all__ = ["group_links", "member_links", "two_mode_centrality"]


def _max_betweenness(n: int, m: int) -> float:
    """Borgatti & Everett's largest betweenness of a node of the mode of size ``n``
    facing ``m`` nodes of the other mode (as :func:`networkx.bipartite.betweenness_centrality`)."""
    if n == 0 or m == 0:
        return 0.0
    s, t = divmod(n - 1, m)
    return (m * m * (s + 1) ** 2 + m * (s + 1) * (2 * t - s - 1) - t * (2 * s - t + 3)) / 2.0


def two_mode_centrality(b: nx.Graph, *, k: int | None = None, seed: int = 0) -> dict[str, Any]:
    r"""Degree and betweenness of a two-mode graph, each normalised within its mode.

    Degree is divided by the size of the other mode: a city in 3 of 12 networks has
    3/12. Betweenness is computed on the two-mode graph itself (every shortest path
    between any two nodes, of either mode) and divided by the largest value a node of
    its mode can have (Borgatti & Everett 1997): with :math:`n` nodes in the mode and
    :math:`m` in the other, :math:`s, t = \mathrm{divmod}(n - 1, m)`,

    .. math::

        b_{max} = \tfrac{1}{2}\left[m^2 (s+1)^2 + m (s+1)(2t - s - 1) - t (2s - t + 3)\right]

    One-mode normalisations mislead on two-mode data: a group node cannot be tied to
    another group, so dividing by :math:`(N-1)(N-2)/2` over all nodes understates both
    modes differently.

    Parameters
    ----------
    b : networkx.Graph
        Two-mode graph whose nodes carry ``bipartite`` 0 (members) or 1 (groups).
    k : int, optional
        Pivots for a sampled betweenness (Brandes & Pich 2007; ``None``: exact).
    seed : int
        Pivot seed.

    Returns
    -------
    dict
        ``degree`` and ``betweenness`` (node -> normalised value), ``method`` and a
        one-line ``description``.

    References
    ----------
    .. [1] Borgatti, S. P. & Everett, M. G. (1997). Network analysis of 2-mode data.
       Social Networks 19(3), 243-269. doi:10.1016/S0378-8733(96)00306-0
    .. [2] Borgatti, S. P. & Halgin, D. S. (2011). Analyzing affiliation networks. In
       The SAGE Handbook of Social Network Analysis, 417-433. doi:10.4135/9781446294413.n28

    Examples
    --------
    >>> b = nx.Graph([("a", "n1"), ("b", "n1"), ("b", "n2"), ("c", "n2")])
    >>> nx.set_node_attributes(b, {"a": 0, "b": 0, "c": 0, "n1": 1, "n2": 1}, "bipartite")
    >>> r = two_mode_centrality(b)
    >>> r["degree"]["b"], r["betweenness"]["b"], r["betweenness"]["a"]
    (1.0, 1.0, 0.0)
    """
    top = [v for v, d in b.nodes(data=True) if d.get("bipartite") == 0]
    bottom = [v for v, d in b.nodes(data=True) if d.get("bipartite") == 1]
    n, m = len(top), len(bottom)
    if n + m == 0:
        return {"degree": {}, "betweenness": {}, "method": "exact",
                "description": "two-mode betweenness (empty graph)"}
    degree = {v: (b.degree(v) / m if m else 0.0) for v in top}
    degree.update({v: (b.degree(v) / n if n else 0.0) for v in bottom})
    kern = to_igraph(b)
    total = n + m
    sampled = k is not None and k < total
    if sampled:
        assert k is not None
        pivots = [kern.index[v] for v in random.Random(seed).sample(list(b), k)]
        raw = np.asarray(betweenness_sum(kern.graph, pivots)) * (total / k)
    else:
        raw = np.asarray(betweenness_sum(kern.graph))
    top_max, bottom_max = _max_betweenness(n, m), _max_betweenness(m, n)
    bet = {}
    for v, x in zip(kern.nodes, raw.tolist(), strict=True):
        scale = top_max if b.nodes[v].get("bipartite") == 0 else bottom_max
        bet[v] = float(x) / scale if scale else 0.0
    desc = (f"two-mode betweenness over {n:,} members and {m:,} groups, normalised per mode "
            "(Borgatti & Everett 1997)"
            + (f"; sampled from {k} pivots (seed {seed})" if sampled else "; exact (Brandes)"))
    return {"degree": degree, "betweenness": bet, "method": "sampled" if sampled else "exact",
            "k": k if sampled else None, "seed": seed if sampled else None,
            "description": desc}


def group_links(b: nx.Graph, node: Hashable, *, limit: int = 10) -> list[dict[str, Any]]:
    """The pairs of groups that member ``node`` links, those it alone links first.

    For each pair of ``node``'s groups, ``shared`` is how many members the two groups
    have in common (``node`` included): 1 means ``node`` is their only link, and
    ``role`` says so.

    >>> b = nx.Graph([("a", "n1"), ("a", "n2"), ("b", "n2"), ("b", "n3"), ("a", "n3")])
    >>> nx.set_node_attributes(b, {"a": 0, "b": 0, "n1": 1, "n2": 1, "n3": 1}, "bipartite")
    >>> [(x["from"], x["to"], x["role"]) for x in group_links(b, "a")]
    [('n1', 'n2', 'only link'), ('n1', 'n3', 'only link'), ('n2', 'n3', 'one of 2 shared members')]
    """
    groups = sorted(b[node], key=str)
    out = []
    for i, x in enumerate(groups):
        xs = set(b[x])
        for y in groups[i + 1:]:
            shared = len(xs & set(b[y]))
            out.append({"from": str(b.nodes[x].get("name", x)),
                        "to": str(b.nodes[y].get("name", y)),
                        "role": "only link" if shared == 1 else
                        f"one of {shared} shared members", "count": shared})
    out.sort(key=lambda r: (r["count"], r["from"], r["to"]))
    return out[:limit]


def member_links(b: nx.Graph, *, nodes=None, limit: int = 10) -> dict[Hashable, dict[str, Any]]:
    """:func:`group_links` for many members at once: for every member, ``sole`` (how many
    pairs of its groups it alone links); for the members in ``nodes`` (default: all) also
    ``groups`` (names) and ``pairs`` (the first ``limit``). Group overlaps come from one
    sparse product :math:`B^T B`.

    >>> b = nx.Graph([("a", "n1"), ("a", "n2"), ("b", "n2")])
    >>> nx.set_node_attributes(b, {"a": 0, "b": 0, "n1": 1, "n2": 1}, "bipartite")
    >>> r = member_links(b)
    >>> r["a"]["groups"], r["a"]["sole"], r["b"]["sole"]
    (['n1', 'n2'], 1, 0)
    """
    from partnernet.graph.analysis.comembership import membership_matrix

    members, groups, B = membership_matrix(b)
    overlap = (B.T @ B).toarray() if len(groups) <= 5000 else None
    names = [str(b.nodes[z].get("name", z)) for z in groups]
    Bc = B.tocsr()
    wanted = None if nodes is None else set(nodes)
    counts = np.diff(Bc.indptr)
    out: dict[Hashable, dict[str, Any]] = {}
    for i, v in enumerate(members):
        detail = wanted is None or v in wanted
        if counts[i] < 2 and not detail:
            out[v] = {"sole": 0}
            continue
        mine = sorted(Bc.indices[Bc.indptr[i]:Bc.indptr[i + 1]].tolist(), key=names.__getitem__)
        pairs = []
        for a_, x in enumerate(mine):
            for y in mine[a_ + 1:]:
                shared = int(overlap[x, y]) if overlap is not None else \
                    len(set(b[groups[x]]) & set(b[groups[y]]))
                pairs.append((shared, names[x], names[y]))
        sole = sum(1 for p in pairs if p[0] == 1)
        if not detail:
            out[v] = {"sole": sole}
            continue
        pairs.sort()
        out[v] = {"sole": sole, "groups": [names[k] for k in mine],
                  "pairs": [{"from": x, "to": y, "count": c,
                             "role": "only link" if c == 1 else f"one of {c} shared members"}
                            for c, x, y in pairs[:limit]]}
    return out
