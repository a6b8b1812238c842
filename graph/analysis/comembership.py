"""The co-membership projection: actors tied through the groups they share, with
Newman's collaboration weights, built as a sparse product and never as cliques."""

from __future__ import annotations

import networkx as nx
import numpy as np
import scipy.sparse as sp

from partnernet.graph.analysis.projections import Projection

__all__ = ["DEFAULT_MAX_GROUP", "DEFAULT_MAX_PAIRS", "co_membership", "membership_matrix"]

#: Pairs a co-membership projection may expand (about 50 MB of graph in NetworkX).
DEFAULT_MAX_PAIRS = 250_000
#: Groups larger than this are always kept as one node (a hub), whatever the budget: an
#: expanded group of n members is n(n-1)/2 ties and n(n-1)(n-2)/6 triangles (structural
#: holes count triangles), 161,700 at 100 members, 20 million at 500.
DEFAULT_MAX_GROUP = 100


def membership_matrix(b: nx.Graph) -> tuple[list, list, sp.csr_array]:
    """``(members, groups, B)`` of a two-mode graph: ``B[i, k] = 1`` when member ``i``
    belongs to group ``k`` (``bipartite`` 0 and 1, as :func:`two_mode_graph` sets).

    >>> b = nx.Graph([("a", "n"), ("b", "n")])
    >>> nx.set_node_attributes(b, {"a": 0, "b": 0, "n": 1}, "bipartite")
    >>> m, g, B = membership_matrix(b)
    >>> m, g, B.toarray().tolist()
    (['a', 'b'], ['n'], [[1.0], [1.0]])
    """
    members = [v for v, d in b.nodes(data=True) if d.get("bipartite") == 0]
    groups = [v for v, d in b.nodes(data=True) if d.get("bipartite") == 1]
    mi = {v: i for i, v in enumerate(members)}
    gi = {v: i for i, v in enumerate(groups)}
    rows, cols = [], []
    for u, v in b.edges():
        if u in gi:
            u, v = v, u
        if u in mi and v in gi:
            rows.append(mi[u])
            cols.append(gi[v])
    B = sp.csr_array((np.ones(len(rows)), (rows, cols)), shape=(len(members), len(groups)))
    B.sum_duplicates()
    B.data[:] = 1.0
    return members, groups, B


def co_membership(b: nx.Graph, *, max_pairs: int = DEFAULT_MAX_PAIRS,
                  max_group: int = DEFAULT_MAX_GROUP) -> Projection:
    r"""Weighted one-mode projection of the two-mode graph ``b`` onto its members.

    Newman's collaboration weight of two members is

    .. math:: w_{ij} = \sum_k \frac{\delta_i^k \delta_j^k}{n_k - 1}

    over the groups :math:`k` they share, :math:`n_k` members each: a group gives each of
    its members a total weight of 1, however large it is, so a shared 10-member committee
    weighs 1/9 and a shared 12,000-member initiative 1/11,999. As a length for shortest
    paths (betweenness) a tie counts :math:`1 / w_{ij}`.

    The pairs come from the sparse product :math:`B W B^\top` (:math:`W =
    \mathrm{diag}(1/(n_k - 1))`) over the groups that fit: groups are taken smallest
    first while their pairs stay within ``max_pairs`` and their size within ``max_group``.
    Each larger group is kept as **one node** (a hub, ``hub=True``) tied to its members
    by spokes of length :math:`(n_k - 1)/2` and weight 1, instead of
    :math:`n_k(n_k - 1)/2` pairs (a 12,000-member initiative alone would be 72 million).
    A path through a hub has the length of the clique tie it replaces, so shortest paths
    between members are those of the full projection, exactly for pairs that share no
    more than one large group; a pair that also shares small groups keeps its direct
    tie with the large groups' weight added. Measures leave hubs out of rankings.

    Parameters
    ----------
    b : networkx.Graph
        Two-mode graph (:func:`graph.analysis.projections.two_mode_graph`).
    max_pairs : int
        Most member pairs expanded.
    max_group : int
        Groups larger than this are always hubs.

    Returns
    -------
    Projection
        ``co-membership``: members and hubs; ties with ``weight`` (:math:`w_{ij}`) and
        ``distance`` (its inverse); ``stats`` with the groups, memberships and pairs.

    References
    ----------
    .. [1] Newman, M. E. J. (2001). Scientific collaboration networks. II. Shortest paths,
       weighted networks, and centrality. Physical Review E 64, 016132.
       doi:10.1103/PhysRevE.64.016132
    .. [2] Borgatti, S. P. & Everett, M. G. (1997). Network analysis of 2-mode data.
       Social Networks 19(3), 243-269. doi:10.1016/S0378-8733(96)00306-0

    Examples
    --------
    >>> b = nx.Graph([("a", "n1"), ("b", "n1"), ("a", "n2"), ("b", "n2"), ("c", "n2")])
    >>> nx.set_node_attributes(b, {"a": 0, "b": 0, "c": 0, "n1": 1, "n2": 1}, "bipartite")
    >>> p = co_membership(b)
    >>> p.graph["a"]["b"]["weight"], p.graph["a"]["c"]["weight"]  # 1/1 + 1/2, and 1/2
    (1.5, 0.5)
    >>> p.hubs, co_membership(b, max_group=2).hubs  # n2 (3 members) as a hub
    ({}, {'n2': 3})
    """
    members, groups, B = membership_matrix(b)
    sizes = np.asarray(B.sum(axis=0)).ravel()
    order = np.lexsort((np.arange(len(groups)), sizes))
    pairs_of = sizes * (sizes - 1) / 2
    expand = np.zeros(len(groups), dtype=bool)
    budget = 0.0
    for k in order:
        if sizes[k] > max_group or budget + pairs_of[k] > max_pairs:
            break
        expand[k] = True
        budget += pairs_of[k]
    hub = (~expand) & (sizes >= 2)
    inv = np.where(sizes >= 2, 1.0 / np.maximum(sizes - 1, 1), 0.0)
    small = B @ sp.diags(np.where(expand, inv, 0.0))
    W = sp.triu(small @ B.T, k=1).tocoo()
    ii, jj, w = W.row, W.col, W.data
    if hub.any() and len(ii):  # expanded pairs that also share large groups: add their weight
        Bh = B[:, np.flatnonzero(hub)].toarray().astype(bool)
        w = w + (Bh[ii] & Bh[jj]) @ inv[hub]
    h = nx.Graph()
    for v in members:
        h.add_node(v, **b.nodes[v])
    h.add_edges_from((members[i], members[j], {"weight": x, "distance": 1.0 / x})
                     for i, j, x in zip(ii.tolist(), jj.tolist(), w.tolist(), strict=True))
    hubs: dict[str, int] = {}
    Bc = B.tocsc()
    for k in np.flatnonzero(hub):
        z = groups[k]
        n_k = int(sizes[k])
        hubs[z] = n_k
        h.add_node(z, **{**b.nodes[z], "hub": True, "members": n_k})
        length = (n_k - 1) / 2
        h.add_edges_from((members[i], z, {"weight": 1.0, "distance": length})
                         for i in Bc.indices[Bc.indptr[k]:Bc.indptr[k + 1]].tolist())
    projected = sizes >= 2
    stats = {"groups": len(groups), "memberships": int(B.nnz),
             "groups_projected": int(projected.sum()),
             "groups_expanded": int((expand & projected).sum()),
             "pairs": len(ii), "pairs_in_full_projection": int(_full_pairs(B, hub, len(ii)))}
    notes = []
    if hubs:
        smallest_hub = min(hubs.values())
        notes.append(f"{len(hubs)} group(s) of {smallest_hub:,} members or more (above "
                     f"{max_group:,} members, or beyond {max_pairs:,} member pairs) kept as "
                     "one node each (a hub) instead of all pairs of members: "
                     "shortest paths through them are those of the full projection; they are "
                     "not ranked")
    desc = ("co-membership: members tied through shared groups, Newman weight "
            "sum over shared groups of 1/(members - 1) (Newman 2001); distance = 1/weight")
    return Projection("co-membership", h, desc, weight="weight", distance="distance",
                      hubs=hubs, notes=notes, stats=stats, two_mode_graph=b)


def _full_pairs(B: sp.csr_array, hub: np.ndarray, expanded: int) -> float:
    """An upper bound of the pairs of the full projection (expanded pairs plus every
    pair inside a hub), to say what the hubs saved."""
    sizes = np.asarray(B.sum(axis=0)).ravel()
    return expanded + float((sizes[hub] * (sizes[hub] - 1) / 2).sum())


#: Work (vertices + edges, per source) per igraph call: other threads run between calls.
_CHUNK_WORK = 2_000_000


def hub_betweenness(p: Projection, *, k: int | None = None, seed: int = 0) -> dict:
    r"""Betweenness of the members of a co-membership projection, with its hubs.

    Shortest paths use the ``distance`` of each tie (:math:`1/w_{ij}`, Newman 2001) and
    run between members only: a hub carries paths but is neither an end of one nor
    ranked. Normalised as :func:`graph.analysis.betweenness.betweenness`, by
    :math:`(n-1)(n-2)/2` with :math:`n` the members (isolates included), so without
    hubs it equals weighted betweenness of the full projection.

    >>> b = nx.Graph([("a", "n1"), ("b", "n1"), ("b", "n2"), ("c", "n2")])
    >>> nx.set_node_attributes(b, {"a": 0, "b": 0, "c": 0, "n1": 1, "n2": 1}, "bipartite")
    >>> hub_betweenness(co_membership(b))["scores"]
    {'a': 0.0, 'b': 1.0, 'c': 0.0}
    >>> hub_betweenness(co_membership(b, max_pairs=0))["scores"]  # both groups as hubs
    {'a': 0.0, 'b': 1.0, 'c': 0.0}
    """
    import random

    from partnernet.graph.analysis.kernel import to_igraph

    actors = p.actors()
    n = len(actors)
    if n == 0:
        return {"scores": {}, "method": "exact", "k": None, "seed": None,
                "description": "exact betweenness (empty graph)"}
    kern = to_igraph(p.graph, weight=p.distance) if p.graph.number_of_edges() else \
        to_igraph(p.graph)
    weights = "weight" if p.graph.number_of_edges() else None
    targets = [kern.index[v] for v in actors]
    sampled = k is not None and k < n
    sources = [kern.index[v] for v in random.Random(seed).sample(actors, k)] if sampled \
        else targets
    size = max(8, _CHUNK_WORK // (kern.graph.vcount() + kern.graph.ecount() + 1))

    def total(chosen: list[int]) -> np.ndarray:
        out = np.zeros(kern.graph.vcount())
        for i in range(0, len(chosen), size):
            out += kern.graph.betweenness(sources=chosen[i:i + size], targets=targets,
                                          weights=weights, directed=False)
        return out

    agreement = None
    if sampled:
        from partnernet.graph.analysis.betweenness import AGREEMENT_TOP, _split_half

        first, second = total(sources[:k // 2]), total(sources[k // 2:])
        raw = (first + second) * (n / k)
        at = np.array(targets)
        agreement = _split_half(first[at], second[at], top=min(AGREEMENT_TOP, max(1, n // 10)))
    else:
        raw = total(sources)
    scale = 2.0 / ((n - 1) * (n - 2)) if n > 2 else 0.0
    scores = {v: float(raw[kern.index[v]]) * scale for v in actors}
    desc = (f"betweenness over {n:,} members, distances 1/Newman weight"
            + (f", {len(p.hubs)} large group(s) as hubs" if p.hubs else "")
            + (f"; sampled from {k} pivots (seed {seed}), Brandes-Pich estimate" if sampled
               else "; exact (Brandes)"))
    if agreement is not None:
        desc += (f"; split-half agreement on the top {agreement['top']}: "
                 f"{agreement['shared']}/{agreement['top']}")
        if agreement["share"] < 0.6:
            desc += " (ranking unreliable at this sample size: use exact or more pivots)"
    return {"scores": scores, "method": "sampled" if sampled else "exact",
            "k": k if sampled else None, "seed": seed if sampled else None,
            "agreement": agreement, "description": desc}
