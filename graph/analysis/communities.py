"""Communities for views and reports: Louvain with a fixed seed."""

from __future__ import annotations

from typing import Any

import networkx as nx

__all__ = ["communities"]


def communities(g: nx.Graph, *, seed: int = 0, resolution: float = 1.0,
                weight: str | None = "weight") -> dict[str, Any]:
    r"""Louvain communities (deterministic for a given seed), largest first.

    Maximises modularity
    :math:`Q = \frac{1}{2m}\sum_{ij}\big(A_{ij} - \gamma\frac{k_i k_j}{2m}\big)\delta(c_i, c_j)`.

    Returns ``membership`` (node -> community number, 0 = largest), ``sizes`` and
    ``modularity``.

    References
    ----------
    .. [1] Blondel, V. D., Guillaume, J.-L., Lambiotte, R. & Lefebvre, E. (2008). Fast
       unfolding of communities in large networks. J. Stat. Mech. P10008.
       doi:10.1088/1742-5468/2008/10/P10008

    Examples
    --------
    >>> g = nx.barbell_graph(4, 0)
    >>> r = communities(g)
    >>> r["sizes"], round(r["modularity"], 3)
    ([4, 4], 0.423)
    """
    if g.number_of_edges() == 0:
        membership = {v: i for i, v in enumerate(g)}
        return {"membership": membership, "sizes": [1] * len(membership), "modularity": 0.0,
                "seed": seed}
    parts = nx.community.louvain_communities(g, weight=weight, resolution=resolution,
                                             seed=seed)
    parts = sorted(parts, key=lambda c: (-len(c), min(map(str, c))))
    membership = {v: i for i, c in enumerate(parts) for v in c}
    q = nx.community.modularity(g, parts, weight=weight, resolution=resolution)
    return {"membership": membership, "sizes": [len(c) for c in parts], "modularity": q,
            "seed": seed}
