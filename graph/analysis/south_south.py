"""South-South gaps: shares of partnership types, region densities, missing links and
the Northern or UN actors that broker triangular cooperation instead.

All functions expect graphs whose nodes carry ``bloc`` and ``region`` (see
:func:`graph.analysis.projections.annotate`).
"""

from __future__ import annotations

import math
from collections import Counter
from itertools import combinations
from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp

__all__ = ["SOUTHERN_REGIONS", "missing_links", "partnership_shares", "region_density",
           "triangular_brokers"]

SOUTHERN_REGIONS = ("Africa", "Latin America and the Caribbean", "Asia", "Oceania")


def _kind(a: str, b: str) -> str:
    pair = {a, b}
    if "Unclassified" in pair or "UN" in pair:
        return "unclassified"
    if pair == {"South"}:
        return "South-South"
    if pair == {"North"}:
        return "North-North"
    return "North-South"


def partnership_shares(g: nx.Graph) -> dict[str, Any]:
    """Share of partnerships that are South-South, North-South and North-North.

    Each tie of ``g`` (weight = number of partnerships) is classified by its two
    ends' ``bloc``; ties touching an unclassified or UN node are reported apart.
    Shares are over classified partnerships, overall and by region pair.

    >>> g = nx.Graph([("a", "b"), ("b", "c")])
    >>> nx.set_node_attributes(g, {"a": "South", "b": "South", "c": "North"}, "bloc")
    >>> nx.set_node_attributes(g, "X", "region")
    >>> partnership_shares(g)["overall"]["South-South"]["share"]
    0.5
    """
    overall: Counter = Counter()
    by_region: dict[str, Counter] = {}
    for a, b, d in g.edges(data=True):
        w = int(d.get("weight", 1))
        kind = _kind(g.nodes[a].get("bloc", "Unclassified"), g.nodes[b].get("bloc",
                                                                            "Unclassified"))
        overall[kind] += w
        ra, rb = sorted([g.nodes[a].get("region", "Unknown"), g.nodes[b].get("region",
                                                                              "Unknown")])
        by_region.setdefault(f"{ra} - {rb}", Counter())[kind] += w

    def shares(c: Counter) -> dict[str, dict[str, float]]:
        classified = sum(v for k, v in c.items() if k != "unclassified")
        out = {}
        for k in ("South-South", "North-South", "North-North", "unclassified"):
            out[k] = {"count": c.get(k, 0), "weight": c.get(k, 0),
                      "share": (c.get(k, 0) / classified) if classified and k != "unclassified"
                      else math.nan}
        return out

    return {"overall": shares(overall),
            "by_region_pair": {k: shares(v) for k, v in sorted(by_region.items())}}


def region_density(g: nx.Graph, *, attr: str = "region") -> dict[str, Any]:
    r"""Region-by-region density: observed ties over possible ties.

    .. math:: d_{ab} = \frac{e_{ab}}{n_a n_b} \;(a \ne b), \qquad
              d_{aa} = \frac{e_{aa}}{n_a (n_a - 1) / 2}

    ``thin`` lists the pairs of Southern regions with the lowest densities (the
    thin corridors), thinnest first.

    >>> g = nx.Graph([("a", "b"), ("b", "c")])
    >>> nx.set_node_attributes(g, {"a": "Africa", "b": "Asia", "c": "Asia"}, "region")
    >>> region_density(g)["matrix"]["Africa"]["Asia"]
    0.5
    """
    sizes = Counter(d.get(attr, "Unknown") for _, d in g.nodes(data=True))
    regions = sorted(sizes)
    ties: Counter = Counter()
    for a, b in g.edges():
        ra, rb = sorted([g.nodes[a].get(attr, "Unknown"), g.nodes[b].get(attr, "Unknown")])
        ties[(ra, rb)] += 1
    matrix: dict[str, dict[str, float]] = {r: {} for r in regions}
    counts: dict[str, dict[str, int]] = {r: {} for r in regions}
    for ra in regions:
        for rb in regions:
            key = tuple(sorted([ra, rb]))
            e = ties.get(key, 0)
            possible = sizes[ra] * (sizes[ra] - 1) / 2 if ra == rb else sizes[ra] * sizes[rb]
            matrix[ra][rb] = e / possible if possible else math.nan
            counts[ra][rb] = e
    south = [r for r in regions if r in SOUTHERN_REGIONS]
    thin = sorted(({"a": a, "b": b, "density": matrix[a][b], "ties": counts[a][b],
                    "possible": sizes[a] * sizes[b]} for a, b in combinations(south, 2)),
                  key=lambda r: (r["density"], r["a"], r["b"]))
    return {"regions": regions, "sizes": dict(sizes), "matrix": matrix, "ties": counts,
            "thin": thin}


#: Node labels missing links join (None: graphs without labels, as in the examples).
_PLACES = frozenset({"City", "Subnational", None})


def missing_links(g: nx.Graph, membership: nx.Graph, *, top: int = 20, per_city: int = 5,
                  max_group_size: int = 2000) -> dict[str, Any]:
    r"""Pairs of Southern cities with no partnership but strong reasons to have one.

    Candidates share at least one group in the bipartite ``membership`` graph
    (networks, committees, initiatives, themes, SDGs). Each pair is scored by
    Adamic-Adar over shared groups and by Jaccard similarity of group sets:

    .. math::

        AA(u, v) = \sum_{z \in \Gamma(u) \cap \Gamma(v)} \frac{1}{\log |\Gamma(z)|}
        \qquad J(u, v) = \frac{|\Gamma(u) \cap \Gamma(v)|}{|\Gamma(u) \cup \Gamma(v)|}

    and ranked by :math:`AA \cdot (1 + J) \cdot (1.25 \text{ if same sub-region})`.
    Each pair comes with its reasons (the shared groups, by name).

    Parameters
    ----------
    g : networkx.Graph
        Partnership graph (existing ties are excluded); nodes carry ``bloc`` and
        ``label`` (links join Southern cities and subnational governments only).
    membership : networkx.Graph
        Bipartite graph from :func:`graph.analysis.projections.membership_graph`.
    top : int
        Pairs to return.
    per_city : int
        At most this many candidates kept per city before ranking (bounds the work).
    max_group_size : int
        Groups larger than this are skipped when generating candidates (their
        Adamic-Adar weight is tiny); they still count in the score and Jaccard.

    References
    ----------
    .. [1] Adamic, L. A. & Adar, E. (2003). Friends and neighbors on the Web. Social
       Networks 25(3), 211-230. doi:10.1016/S0378-8733(03)00009-1
    .. [2] Liben-Nowell, D. & Kleinberg, J. (2007). The link-prediction problem for
       social networks. JASIST 58(7), 1019-1031. doi:10.1002/asi.20591

    Examples
    --------
    >>> g = nx.Graph(); g.add_nodes_from(["a", "b"], bloc="South")
    >>> b = nx.Graph([("a", "net"), ("b", "net"), ("c", "net")])
    >>> nx.set_node_attributes(b, {"net": "Net"}, "name")
    >>> [(p["a"], p["b"]) for p in missing_links(g, b)["pairs"]]
    [('a', 'b')]
    """
    # places only (cities and subnational governments; unlabelled nodes of bare graphs):
    # a Southern partner organisation is not a South-South link to propose to a city
    south = [v for v, d in g.nodes(data=True) if d.get("bloc") == "South" and v in membership
             and d.get("label") in _PLACES]
    groups = sorted({z for v in south for z in membership[v]})
    method = "Adamic-Adar and Jaccard over the membership graph; ties excluded"
    fill = ("load memberships (a member,network list), themes or SDGs of Southern cities: "
            "missing links are proposed from shared groups")
    if not south or not groups:
        n_south = sum(1 for _, d in g.nodes(data=True) if d.get("bloc") == "South")
        why = ("no Southern city in the partnership graph" if not n_south else
               f"none of the {n_south:,} Southern cities is in a network, committee, "
               "initiative, theme or SDG")
        return {"pairs": [], "candidates_scored": 0, "method": method,
                "empty": {"why": why, "try": [fill] if n_south else []}}
    si = {v: i for i, v in enumerate(south)}
    zi = {z: i for i, z in enumerate(groups)}
    gsize = np.array([membership.degree(z) for z in groups], dtype=float)
    with np.errstate(divide="ignore"):
        aa_w = np.where(gsize > 1, 1.0 / np.log(np.maximum(gsize, 2)), 0.0)
    rows, cols = [], []
    for v in south:
        for z in membership[v]:
            rows.append(si[v])
            cols.append(zi[z])
    m = sp.csr_array((np.ones(len(rows)), (rows, cols)), shape=(len(south), len(groups)))
    small = sp.diags((gsize <= max_group_size).astype(float))
    aa = sp.triu(m @ sp.diags(aa_w) @ small @ m.T, k=1).tocsr()  # pairs i < j
    ties = [(si[u], si[v]) for u, v in g.edges() if u in si and v in si]
    if ties:  # existing partnerships are not missing links
        t = np.array(ties, dtype=np.int64)
        t = np.vstack([t, t[:, ::-1]])
        tied = sp.csr_array((np.ones(len(t)), (t[:, 0], t[:, 1])), shape=aa.shape)
        aa = (aa - aa.multiply(tied.astype(bool).astype(float))).tocsr()
    aa.eliminate_zeros()
    sizes = np.asarray(m.sum(axis=1)).ravel()
    ci: list[np.ndarray] = []
    cj: list[np.ndarray] = []
    for i in range(len(south)):
        start, end = aa.indptr[i], aa.indptr[i + 1]
        if start == end:
            continue
        js, vals = aa.indices[start:end], aa.data[start:end]
        keep = np.lexsort((-js, -vals))[:per_city]  # highest first; ties: larger j first
        ci.append(np.full(len(keep), i))
        cj.append(js[keep])
    if not ci:
        return {"pairs": [], "candidates_scored": 0, "method": method,
                "empty": {"why": f"no two of the {len(south):,} Southern cities in groups share "
                          f"one of at most {max_group_size:,} members without already being "
                          "partners", "try": [fill]}}
    rows_i, rows_j = np.concatenate(ci), np.concatenate(cj)
    adamic = np.asarray(aa[rows_i, rows_j]).ravel()
    inter = np.asarray(m[rows_i].multiply(m[rows_j]).sum(axis=1)).ravel()
    union = sizes[rows_i] + sizes[rows_j] - inter
    with np.errstate(divide="ignore", invalid="ignore"):
        jaccard = np.where(union > 0, inter / union, 0.0)
    scored = []
    for val, jac, i, j in zip(adamic.tolist(), jaccard.tolist(), rows_i.tolist(),
                              rows_j.tolist(), strict=True):
        u, v = south[i], south[j]
        du, dv = g.nodes[u], g.nodes[v]
        same_sub = bool(du.get("subregion")) and du.get("subregion") == dv.get("subregion")
        score = val * (1 + jac) * (1.25 if same_sub else 1.0)
        scored.append((score, val, jac, same_sub, u, v))
    scored.sort(key=lambda t: (-t[0], str(t[4]), str(t[5])))
    pairs = []
    for score, val, jac, same_sub, u, v in scored[:top]:
        common = sorted(set(membership[u]) & set(membership[v]),
                        key=lambda z: (membership.degree(z), str(z)))
        reasons = [f"both {_verb(membership.nodes[z])} {membership.nodes[z].get('name', z)}"
                   for z in common]
        du, dv = g.nodes[u], g.nodes[v]
        if same_sub:
            reasons.append(f"same sub-region: {du.get('subregion')}")
        elif du.get("region") == dv.get("region"):
            reasons.append(f"same region: {du.get('region')}")
        pairs.append({"a": u, "a_name": du.get("name", u), "a_country": du.get("country"),
                      "b": v, "b_name": dv.get("name", v), "b_country": dv.get("country"),
                      "score": score, "adamic_adar": val, "jaccard": jac,
                      "shared": len(common), "reasons": reasons})
    return {"pairs": pairs, "candidates_scored": len(scored), "method": method}


def _verb(d: dict) -> str:
    return {"Network": "members of", "Committee": "sit on", "Initiative": "involved in",
            "Theme": "work on", "SDG": "work on"}.get(d.get("label", ""), "linked to")


def triangular_brokers(g: nx.Graph, *, top: int = 10, skip=()) -> dict[str, Any]:
    r"""Northern and UN actors through which Southern cities are connected.

    For each actor ``x`` whose ``bloc`` is North or UN: ``brokered_pairs`` counts
    pairs of its Southern neighbours that have no direct tie (:math:`u - x - v`
    open triads). ``dependency`` is the share of Southern pairs that are connected
    (by any path) in ``g`` but no longer once ``x`` is removed; ``all`` gives the
    same with every Northern and UN actor removed at once.

    .. math:: \text{dependency}(x) = 1 - \frac{P_S(g - x)}{P_S(g)}, \quad
              P_S(h) = \sum_{C \in \text{components}(h)} \binom{s_C}{2}

    with :math:`s_C` the Southern nodes of component :math:`C`. Nodes in ``skip`` (the
    hubs of a co-membership projection) carry paths but are never brokers.

    Examples
    --------
    >>> g = nx.Graph([("s1", "n"), ("s2", "n")])
    >>> nx.set_node_attributes(g, {"s1": "South", "s2": "South", "n": "North"}, "bloc")
    >>> r = triangular_brokers(g)
    >>> r["brokers"][0]["node"], r["brokers"][0]["brokered_pairs"], r["all"]["dependency"]
    ('n', 1, 1.0)
    """
    from scipy.sparse.csgraph import connected_components

    south = {v for v, d in g.nodes(data=True) if d.get("bloc") == "South"}
    skip = set(skip)
    others = [v for v, d in g.nodes(data=True) if d.get("bloc") in ("North", "UN")
              and v not in skip]
    nodes = list(g)
    index = {v: i for i, v in enumerate(nodes)}
    ends = np.array([(index[a], index[b]) for a, b in g.edges()], dtype=np.int64).reshape(-1, 2)
    adjacency = sp.csr_array((np.ones(len(ends)), (ends[:, 0], ends[:, 1])),
                             shape=(len(nodes), len(nodes)))
    is_south = np.array([v in south for v in nodes], dtype=np.int64)

    def connected_pairs(removed: list) -> int:
        # components of g without ``removed`` (scipy, on a sliced adjacency: no graph copy,
        # which took 1 s per broker at 20,000 cities)
        keep = np.ones(len(nodes), dtype=bool)
        keep[[index[v] for v in removed]] = False
        count, labels = connected_components(adjacency[keep][:, keep], directed=False)
        s = np.bincount(labels, weights=is_south[keep], minlength=count).astype(np.int64)
        return int((s * (s - 1) // 2).sum())

    base = connected_pairs([])
    # open pairs of Southern neighbours of x: C(s_x, 2) minus the ties among them, from
    # sparse products (no loop over pairs: a Northern actor may have thousands of them)
    sym = ((adjacency + adjacency.T) > 0).astype(np.int64).tocsr()
    sidx = np.flatnonzero(is_south)
    oidx = np.array([index[x] for x in others], dtype=np.int64)
    rows = []
    if len(oidx) and len(sidx):
        to_south = sym[oidx][:, sidx].tocsr()
        among = np.asarray((to_south @ sym[sidx][:, sidx]).multiply(to_south).sum(axis=1)
                           ).ravel() // 2
        s_x = np.diff(to_south.indptr)
        open_pairs = s_x * (s_x - 1) // 2 - among
        for x, sn, op in zip(others, s_x.tolist(), open_pairs.tolist(), strict=True):
            if op:
                rows.append({"node": x, "name": g.nodes[x].get("name", x),
                             "bloc": g.nodes[x].get("bloc"), "southern_neighbours": sn,
                             "brokered_pairs": op})
    rows.sort(key=lambda r: (-r["brokered_pairs"], str(r["node"])))
    rows = rows[:top]
    for r in rows:
        r["dependency"] = 1 - connected_pairs([r["node"]]) / base if base else 0.0
    after = connected_pairs(others)
    return {"brokers": rows, "southern_nodes": len(south), "connected_southern_pairs": base,
            "all": {"removed": len(others), "connected_southern_pairs_after": after,
                    "dependency": 1 - after / base if base else 0.0}}
