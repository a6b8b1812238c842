"""Krackhardt's E-I index: network, per group and per node, with a permutation test."""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from typing import Any

import networkx as nx
import numpy as np

__all__ = ["ei_index"]


def ei_index(g: nx.Graph, groups: Mapping[Hashable, Hashable], *, permutations: int = 1000,
             seed: int = 0) -> dict[str, Any]:
    r"""E-I index of a grouping: how much ties cross groups rather than stay inside.

    .. math:: EI = \frac{E - I}{E + I}

    with :math:`E` the ties between groups and :math:`I` the ties within; +1 means
    every tie crosses, -1 every tie stays inside. Per group, ties touching the group
    are counted; per node, the node's ties. The network value is tested by permuting
    the group labels over the nodes (group sizes kept): ``p_value`` is two-sided,
    :math:`(b + 1)/(R + 1)` for :math:`b` of :math:`R` permutations at least as far from
    the permutation mean as observed (never 0: Phipson & Smyth 2010).

    Parameters
    ----------
    g : networkx.Graph
        Undirected graph.
    groups : mapping
        Node -> group. Nodes missing from it are left out, with their ties.
    permutations : int
        Number of label permutations (0: no test).
    seed : int
        Seed of the permutations.

    Returns
    -------
    dict
        ``network`` (``ei``, ``external``, ``internal``, ``expected``, ``p_value``,
        ``permutations``), ``groups`` and ``nodes`` (group/node -> ``ei``; ``nan``
        where there are no ties).

    References
    ----------
    .. [1] Krackhardt, D. & Stern, R. N. (1988). Informal networks and organizational
       crises: an experimental simulation. Social Psychology Quarterly 51(2), 123-140.
       doi:10.2307/2786835
    .. [2] Phipson, B. & Smyth, G. K. (2010). Permutation p-values should never be zero.
       Statistical Applications in Genetics and Molecular Biology 9(1), 39.
       doi:10.2202/1544-6115.1585

    Examples
    --------
    >>> g = nx.Graph([("a", "b"), ("b", "c"), ("c", "d")])
    >>> r = ei_index(g, {"a": 1, "b": 1, "c": 2, "d": 2}, permutations=0)
    >>> r["network"]["ei"], r["network"]["external"], r["network"]["internal"]
    (-0.3333333333333333, 1, 2)
    """
    nodes = [v for v in g if v in groups]
    idx = {v: i for i, v in enumerate(nodes)}
    labels = [groups[v] for v in nodes]
    classes = list(dict.fromkeys(labels))
    cid = np.array([classes.index(x) for x in labels], dtype=np.int64)
    edges = np.array([(idx[u], idx[v]) for u, v in g.edges() if u in idx and v in idx
                      and u != v], dtype=np.int64).reshape(-1, 2)
    ext = cid[edges[:, 0]] != cid[edges[:, 1]] if len(edges) else np.zeros(0, dtype=bool)
    e, i_ = int(ext.sum()), int((~ext).sum())
    total = e + i_
    ei = (e - i_) / total if total else math.nan
    network: dict[str, Any] = {"ei": ei, "external": e, "internal": i_,
                               "permutations": permutations}
    if permutations and total:
        rng = np.random.default_rng(seed)
        sims = np.empty(permutations)
        for p in range(permutations):
            perm = rng.permutation(cid)
            pe = int((perm[edges[:, 0]] != perm[edges[:, 1]]).sum())
            sims[p] = (2 * pe - total) / total
        mean = float(sims.mean())
        network["expected"] = mean
        # (b + 1) / (R + 1): the observed labelling is one of the possible ones, so a
        # permutation p-value is never 0 (Phipson & Smyth 2010)
        extreme = int((np.abs(sims - mean) >= abs(ei - mean) - 1e-12).sum())
        network["p_value"] = (extreme + 1) / (permutations + 1)
        network["p_lower"] = (int((sims <= ei + 1e-12).sum()) + 1) / (permutations + 1)
    else:
        network["expected"] = network["p_value"] = network["p_lower"] = math.nan
    per_group = {}
    for c, name in enumerate(classes):
        touch = (cid[edges[:, 0]] == c) | (cid[edges[:, 1]] == c) if len(edges) else ext
        ge, gi = int((touch & ext).sum()), int((touch & ~ext).sum())
        per_group[str(name)] = {"ei": (ge - gi) / (ge + gi) if ge + gi else math.nan,
                                "external": ge, "internal": gi,
                                "size": int((cid == c).sum())}
    deg_e = np.bincount(edges[ext].ravel(), minlength=len(nodes)) if len(edges) else \
        np.zeros(len(nodes), dtype=np.int64)
    deg_i = np.bincount(edges[~ext].ravel(), minlength=len(nodes)) if len(edges) else \
        np.zeros(len(nodes), dtype=np.int64)
    per_node = {v: ((int(deg_e[i]) - int(deg_i[i])) / int(deg_e[i] + deg_i[i])
                    if deg_e[i] + deg_i[i] else math.nan) for v, i in idx.items()}
    return {"network": network, "groups": per_group, "nodes": per_node}
