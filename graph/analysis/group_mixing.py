"""South-South measures of a co-membership projection computed from group composition:
exact Newman-weighted totals without building a single pair."""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from itertools import combinations
from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp

from partnernet.graph.analysis.comembership import membership_matrix
from partnernet.graph.analysis.south_south import SOUTHERN_REGIONS, _kind

__all__ = ["group_composition", "group_density", "group_ei_index", "group_shares"]

_BLOCS = ("South", "North", "UN", "Unclassified")


def _counts(b: nx.Graph, attr: str, default: str) -> tuple[list, list, np.ndarray, list]:
    """Members, groups, the (groups x classes) member counts and the class names."""
    members, groups, B = membership_matrix(b)
    labels = [b.nodes[v].get(attr) or default for v in members]
    classes = sorted(set(labels), key=str)
    ci = {c: i for i, c in enumerate(classes)}
    onehot = sp.csr_array((np.ones(len(members)), (np.arange(len(members)),
                                                    [ci[x] for x in labels])),
                          shape=(len(members), len(classes)))
    return members, groups, (B.T @ onehot).toarray(), classes


def _pair_weights(counts: np.ndarray, sizes: np.ndarray | None = None
                  ) -> tuple[np.ndarray, np.ndarray]:
    """Newman weight between and within classes: ``between[a, b]`` (a != b) and
    ``within[a]``, summed over groups: a group of n members gives each pair 1/(n - 1).
    ``sizes`` are the groups' member counts when ``counts`` leave some members out."""
    n = counts.sum(axis=1) if sizes is None else sizes
    inv = np.where(n >= 2, 1.0 / np.maximum(n - 1, 1), 0.0)
    between = (counts * inv[:, None]).T @ counts
    within = (counts * (counts - 1) / 2 * inv[:, None]).sum(axis=0)
    np.fill_diagonal(between, 0.0)
    return between, within


def group_shares(b: nx.Graph) -> dict[str, Any]:
    """Newman-weighted shares of South-South, North-South and North-North co-membership.

    Each group of :math:`n` members adds :math:`1/(n-1)` per pair of members, classified
    by the two members' ``bloc`` as in :func:`graph.analysis.south_south.partnership_shares`
    (pairs touching a UN or unclassified member are counted apart). The totals equal
    those of the full co-membership projection, whatever the group sizes.

    >>> b = nx.Graph([("s1", "n"), ("s2", "n"), ("x", "n")])
    >>> nx.set_node_attributes(b, {"s1": 0, "s2": 0, "x": 0, "n": 1}, "bipartite")
    >>> nx.set_node_attributes(b, {"s1": "South", "s2": "South", "x": "North"}, "bloc")
    >>> r = group_shares(b)["overall"]
    >>> r["South-South"]["weight"], r["North-South"]["weight"], r["South-South"]["share"]
    (0.5, 1.0, 0.3333333333333333)
    """
    _, _, counts, classes = _counts(b, "bloc", "Unclassified")
    between, within = _pair_weights(counts)
    totals: dict[str, float] = {}
    for i, a in enumerate(classes):
        totals[_kind(a, a)] = totals.get(_kind(a, a), 0.0) + float(within[i])
        for j in range(i + 1, len(classes)):
            k = _kind(a, classes[j])
            totals[k] = totals.get(k, 0.0) + float(between[i, j])
    classified = sum(v for k, v in totals.items() if k != "unclassified")
    out = {}
    for k in ("South-South", "North-South", "North-North", "unclassified"):
        w = totals.get(k, 0.0)
        out[k] = {"weight": w, "count": None,
                  "share": w / classified if classified and k != "unclassified" else math.nan}
    return {"overall": out, "unit": "Newman weight (each group gives each member 1)"}


def group_ei_index(b: nx.Graph, groups: Mapping[Hashable, Hashable], *,
                   permutations: int = 1000, seed: int = 0) -> dict[str, Any]:
    r"""Krackhardt's E-I index of the co-membership projection, Newman-weighted.

    :math:`EI = (E - I)/(E + I)` with :math:`E` and :math:`I` the projection's weight
    between and within the classes of ``groups`` (members missing from it are left out).
    The test permutes the classes over the members (sizes kept) and recomputes the
    weights from group composition; ``p_value`` is two-sided,
    :math:`(b + 1)/(R + 1)` for :math:`b` of :math:`R` permutations at least as far
    from their mean (Phipson & Smyth 2010).

    >>> b = nx.Graph([("a", "n1"), ("b", "n1"), ("c", "n2"), ("d", "n2")])
    >>> nx.set_node_attributes(b, {"a": 0, "b": 0, "c": 0, "d": 0, "n1": 1, "n2": 1},
    ...                        "bipartite")
    >>> group_ei_index(b, {"a": 1, "b": 1, "c": 2, "d": 2}, permutations=0)["network"]["ei"]
    -1.0
    """
    members, _, B = membership_matrix(b)
    sizes = np.asarray(B.sum(axis=0)).ravel()  # every member counts in a group's size
    keep = [i for i, v in enumerate(members) if v in groups]
    B = B[keep]
    labels = [groups[members[i]] for i in keep]
    classes = sorted(set(labels), key=str)
    cid = np.array([classes.index(x) for x in labels], dtype=np.int64)

    bt = B.T.tocsr()
    eye = np.eye(max(len(classes), 1))

    def ei_of(c: np.ndarray) -> tuple[float, float, float]:
        between, within = _pair_weights(np.asarray(bt @ eye[c]), sizes)
        e, i = float(between.sum() / 2), float(within.sum())
        return ((e - i) / (e + i) if e + i else math.nan), e, i

    ei, e, i = ei_of(cid)
    net: dict[str, Any] = {"ei": ei, "external": e, "internal": i,
                           "permutations": permutations, "unit": "Newman weight"}
    if permutations and e + i and len(classes) > 1:
        rng = np.random.default_rng(seed)
        sims = np.array([ei_of(rng.permutation(cid))[0] for _ in range(permutations)])
        mean = float(sims.mean())
        extreme = int((np.abs(sims - mean) >= abs(ei - mean) - 1e-12).sum())
        net["expected"] = mean
        net["p_value"] = (extreme + 1) / (permutations + 1)
        net["p_lower"] = (int((sims <= ei + 1e-12).sum()) + 1) / (permutations + 1)
    else:
        net["expected"] = net["p_value"] = net["p_lower"] = math.nan
    return {"network": net, "groups": {}}


def group_density(b: nx.Graph, *, attr: str = "region") -> dict[str, Any]:
    r"""Region-by-region density of the co-membership projection: Newman weight between
    two regions over the pairs of members they could form (:math:`n_a n_b`, or
    :math:`n_a(n_a-1)/2` within), with ``thin`` the Southern corridors, thinnest first.

    >>> b = nx.Graph([("a", "n"), ("b", "n")])
    >>> nx.set_node_attributes(b, {"a": 0, "b": 0, "n": 1}, "bipartite")
    >>> nx.set_node_attributes(b, {"a": "Africa", "b": "Asia"}, "region")
    >>> group_density(b)["matrix"]["Africa"]["Asia"]
    1.0
    """
    members, _, counts, regions = _counts(b, attr, "Unknown")
    between, within = _pair_weights(counts)
    sizes = {r: 0 for r in regions}
    for v in members:
        sizes[b.nodes[v].get(attr) or "Unknown"] += 1
    matrix: dict[str, dict[str, float]] = {r: {} for r in regions}
    ties: dict[str, dict[str, float]] = {r: {} for r in regions}
    for i, ra in enumerate(regions):
        for j, rb in enumerate(regions):
            w = float(within[i]) if i == j else float(between[i, j])
            possible = sizes[ra] * (sizes[ra] - 1) / 2 if i == j else sizes[ra] * sizes[rb]
            matrix[ra][rb] = w / possible if possible else math.nan
            ties[ra][rb] = w
    south = [r for r in regions if r in SOUTHERN_REGIONS]
    thin = sorted(({"a": a, "b": c, "density": matrix[a][c], "ties": ties[a][c],
                    "possible": sizes[a] * sizes[c]} for a, c in combinations(south, 2)),
                  key=lambda r: (r["density"], r["a"], r["b"]))
    return {"regions": regions, "sizes": sizes, "matrix": matrix, "ties": ties, "thin": thin,
            "unit": "Newman weight"}


def group_composition(b: nx.Graph, *, top: int | None = None) -> list[dict[str, Any]]:
    """Members of each group by bloc, largest groups first: which networks, committees
    and initiatives are South-South, North-South or mixed.

    >>> b = nx.Graph([("s", "n"), ("x", "n")])
    >>> nx.set_node_attributes(b, {"s": 0, "x": 0, "n": 1}, "bipartite")
    >>> nx.set_node_attributes(b, {"s": "South", "x": "North"}, "bloc")
    >>> group_composition(b)[0]["southern_share"]
    0.5
    """
    _, groups, counts, classes = _counts(b, "bloc", "Unclassified")
    rows = []
    for k, z in enumerate(groups):
        c = {x: int(counts[k, classes.index(x)]) if x in classes else 0 for x in _BLOCS}
        n = sum(c.values())
        classified = c["South"] + c["North"]
        rows.append({"group": z, "name": b.nodes[z].get("name", z),
                     "label": b.nodes[z].get("label"), "members": n,
                     **{x.lower(): c[x] for x in _BLOCS},
                     "southern_share": c["South"] / classified if classified else math.nan})
    rows.sort(key=lambda r: (-r["members"], str(r["name"])))
    return rows[:top] if top is not None else rows
