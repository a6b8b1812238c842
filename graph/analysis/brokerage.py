"""Gould-Fernandez brokerage roles, vectorised, with the null model of R ``sna::brokerage``."""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping

import networkx as nx
import numpy as np
import scipy.sparse as sp

__all__ = ["ROLES", "brokerage", "brokered_pairs"]

#: Role names. ``sna::brokerage`` orders its columns w_I, w_O, b_IO, b_OI, b_O, and its
#: C code counts representatives ([i j] [k]) as b_IO and gatekeepers ([i] [j k]) as b_OI
#: (its help page words b_IO as gatekeeping); the two share one null distribution.
ROLES = ("coordinator", "itinerant", "gatekeeper", "representative", "liaison")


def brokerage(g: nx.Graph | nx.DiGraph, groups: Mapping[Hashable, Hashable]) -> dict:
    r"""Gould-Fernandez brokerage role counts, expected counts and z-scores per node.

    Node ``j`` brokers the ordered pair ``(i, k)`` when :math:`i \to j \to k`, ``i != k``
    and there is no tie :math:`i \to k`; an undirected tie counts as two arcs. With
    :math:`g(\cdot)` the group of a node, the role of ``j`` is

    - coordinator (:math:`w_I`): :math:`g(i) = g(j) = g(k)`
    - itinerant (:math:`w_O`): :math:`g(i) = g(k) \ne g(j)`
    - gatekeeper (:math:`b_{IO}`): :math:`g(i) \ne g(j) = g(k)`
    - representative (:math:`b_{OI}`): :math:`g(i) = g(j) \ne g(k)`
    - liaison (:math:`b_O`): :math:`g(i), g(j), g(k)` all different

    Expected counts and standard deviations are those of ``sna::brokerage`` (Butts),
    under a random digraph of the observed density :math:`d = m / (N(N-1))`; e.g. for
    a broker in a group of size :math:`n_g`,
    :math:`E[w_I] = d^2 (1-d) (n_g - 1)(n_g - 2)`.

    Parameters
    ----------
    g : networkx.Graph or networkx.DiGraph
        The network; undirected ties count in both directions. Self-loops are ignored.
    groups : mapping
        Node -> group (region, Global South/North, network...). Nodes missing from
        the mapping form one group ``None``.

    Returns
    -------
    dict
        ``nodes``: node -> ``{role: count, "total": t, "expected": {...},
        "z": {...}}`` (z is ``nan`` where the null variance is 0); ``network``: the
        totals with their expected values and z-scores; ``density``.

    Notes
    -----
    Counts come from group-wise degree products: all two-paths through ``j`` by group
    (in-degree by group times out-degree by group), minus ``i = k`` (reciprocated ties)
    and minus closed two-paths, counted on the triangles of the undirected skeleton
    (igraph) and split by role. No product of the whole matrix is formed, so a node
    with 12,000 ties costs its ties, not 144 million pairs. Checked against R ``sna``
    2.7 and a brute-force count.

    References
    ----------
    .. [1] Gould, R. V. & Fernandez, R. M. (1989). Structures of mediation: a formal
       approach to brokerage in transaction networks. Sociological Methodology 19,
       89-126. doi:10.2307/270949
    .. [2] Butts, C. T. (2008). Social network analysis with sna. Journal of
       Statistical Software 24(6). doi:10.18637/jss.v024.i06

    Examples
    --------
    >>> g = nx.path_graph(["a", "b", "c"])  # a - b - c, b brokers a->c and c->a
    >>> r = brokerage(g, {"a": "x", "b": "y", "c": "x"})
    >>> r["nodes"]["b"]["itinerant"], r["nodes"]["b"]["total"]
    (2, 2)
    """
    nodes = list(g)
    n = len(nodes)
    idx = {v: i for i, v in enumerate(nodes)}
    a = _adjacency(g, idx)
    labels = [groups.get(v) for v in nodes]
    classes = list(dict.fromkeys(labels))
    cid = np.array([classes.index(x) for x in labels], dtype=np.int64) if n else \
        np.zeros(0, dtype=np.int64)
    counts = _role_counts(a, cid, len(classes))
    m = int(a.nnz)
    d = m / (n * (n - 1)) if n > 1 else 0.0
    sizes = np.bincount(cid, minlength=len(classes)).astype(float)
    exp_grp, sd_grp = _node_null(d, sizes, float(n))
    out_nodes = {}
    for v in nodes:
        i = idx[v]
        c = counts[i]
        row = {role: int(c[r]) for r, role in enumerate(ROLES)}
        row["total"] = int(c.sum())
        e, s = exp_grp[cid[i]], sd_grp[cid[i]]
        row["expected"] = {role: float(e[r]) for r, role in enumerate((*ROLES, "total"))}
        row["z"] = {role: (float((row[role] - e[r]) / s[r]) if s[r] > 0 else math.nan)
                    for r, role in enumerate((*ROLES, "total"))}
        out_nodes[v] = row
    totals = counts.sum(axis=0)
    net = {role: int(totals[r]) for r, role in enumerate(ROLES)}
    net["total"] = int(totals.sum())
    egbr, vgbr = _network_null(d, sizes, float(n))
    net["expected"] = {role: float(egbr[r]) for r, role in enumerate((*ROLES, "total"))}
    net["z"] = {role: (float((net[role] - egbr[r]) / math.sqrt(vgbr[r])) if vgbr[r] > 0
                       else math.nan) for r, role in enumerate((*ROLES, "total"))}
    return {"nodes": out_nodes, "network": net, "density": d,
            "groups": {str(k): int(sizes[i]) for i, k in enumerate(classes)}}


def _role_counts(a: sp.csr_array, cid: np.ndarray, n_groups: int) -> np.ndarray:
    """(n, 5) open two-path counts by role, columns in ``ROLES`` order."""
    n = a.shape[0]
    if n == 0:
        return np.zeros((0, 5), dtype=np.int64)
    coo = a.tocoo()
    rows, cols = coo.row.astype(np.int64), coo.col.astype(np.int64)
    same_arc = cid[rows] == cid[cols]
    in_all = np.bincount(cols, minlength=n)
    out_all = np.bincount(rows, minlength=n)
    in_same = np.bincount(cols[same_arc], minlength=n)
    out_same = np.bincount(rows[same_arc], minlength=n)
    in_diff, out_diff = in_all - in_same, out_all - out_same
    # sum over groups q of in_q(j) * out_q(j), minus q = g(j): itinerant two-paths
    in_by = np.bincount(cols * n_groups + cid[rows], minlength=n * n_groups)
    out_by = np.bincount(rows * n_groups + cid[cols], minlength=n * n_groups)
    per_group = (in_by * out_by).reshape(n, n_groups).sum(axis=1)
    itin_raw = per_group - in_same * out_same
    raw = np.stack([in_same * out_same, itin_raw, in_diff * out_same, in_same * out_diff,
                    in_diff * out_diff - itin_raw], axis=1)
    # i = k: reciprocated ties, coordinator when g(i) = g(j), else itinerant
    key = rows * n + cols
    recip_arc = np.isin(key, cols * n + rows, assume_unique=True)
    recip_all = np.bincount(cols[recip_arc], minlength=n)
    recip_same = np.bincount(cols[recip_arc & same_arc], minlength=n)
    raw[:, 0] -= recip_same
    raw[:, 1] -= recip_all - recip_same
    # closed two-paths (the arc i -> k exists) by role, from the triangles of the
    # undirected skeleton: each triangle {x, y, z} gives, for each of its 6 orders
    # (i, j, k), a closed two-path through j when the arcs i->j, j->k and i->k exist
    # (no product of the whole matrix: a node with 12,000 ties would make 144 million)
    raw -= _closed_counts(a, cid)
    return raw


def _closed_counts(a: sp.csr_array, cid: np.ndarray) -> np.ndarray:
    """(n, 5) closed two-path counts by role (``ROLES`` order) from the triangles."""
    import igraph as ig

    n = a.shape[0]
    out = np.zeros((n, 5), dtype=np.int64)
    sym = ((a + a.T) > 0).tocoo()
    upper = sym.row < sym.col
    skeleton = ig.Graph(n=n, edges=np.column_stack([sym.row[upper], sym.col[upper]]).tolist())
    tri = np.array(skeleton.list_triangles(), dtype=np.int64).reshape(-1, 3)
    if not len(tri):
        return out
    coo = a.tocoo()
    keys = np.sort(coo.row.astype(np.int64) * n + coo.col)

    def arc(u: np.ndarray, v: np.ndarray) -> np.ndarray:
        k = u * n + v
        pos = np.minimum(np.searchsorted(keys, k), len(keys) - 1)
        return keys[pos] == k

    for x, y, z in ((0, 1, 2), (0, 2, 1), (1, 0, 2), (1, 2, 0), (2, 0, 1), (2, 1, 0)):
        i, j, k = tri[:, x], tri[:, y], tri[:, z]
        closed = arc(i, j) & arc(j, k) & arc(i, k)
        i, j, k = i[closed], j[closed], k[closed]
        gi, gj, gk = cid[i], cid[j], cid[k]
        role = np.where((gi == gj) & (gj == gk), 0,
                        np.where(gi == gk, 1, np.where(gj == gk, 2, np.where(gi == gj, 3, 4))))
        np.add.at(out, (j, role), 1)
    return out


def _adjacency(g: nx.Graph, idx: dict) -> sp.csr_array:
    """0/1 arc matrix without self-loops; an undirected tie gives both arcs."""
    n = len(idx)
    pairs = np.array([(idx[u], idx[v]) for u, v in g.edges() if u != v],
                     dtype=np.int64).reshape(-1, 2)
    if not g.is_directed():
        pairs = np.concatenate([pairs, pairs[:, ::-1]])
    a = sp.csr_array((np.ones(len(pairs), dtype=np.int64), (pairs[:, 0], pairs[:, 1])),
                     shape=(n, n))
    a.sum_duplicates()
    a.data[:] = 1
    return a


def _node_null(d: float, n: np.ndarray, N: float) -> tuple[np.ndarray, np.ndarray]:
    """Expected counts and sds per group, in the order of ROLES + total (sna.nli)."""
    base = d * d * (1 - d)
    tri = d ** 3 * (1 - d) ** 3
    exp = np.zeros((len(n), 6))
    var = np.zeros((len(n), 6))
    for i, ni in enumerate(n):
        rest = np.delete(n, i)
        e_wi = base * (ni - 1) * (ni - 2)
        v_wi = e_wi * (1 - base) + 2 * (ni - 1) * (ni - 2) * (ni - 3) * tri
        e_wo = base * float(np.sum(rest * (rest - 1)))
        v_wo = e_wo * (1 - base) + 2 * float(np.sum(rest * (rest - 1) * (rest - 2))) * tri
        e_b = base * (N - ni) * (ni - 1)
        v_b = e_b * (1 - base) + 2 * ((ni - 1) * _choose2(N - ni)
                                      + (N - ni) * _choose2(ni - 1)) * tri
        e_bo = base * (float(np.sum(np.outer(rest, rest))) - float(np.sum(rest ** 2)))
        v_bo = e_bo * (1 - base) + 4 * float(np.sum(rest * _choose2(N - rest - ni) * tri))
        e_t = base * (N - 1) * (N - 2)
        v_t = e_t * (1 - base) + 2 * (N - 1) * (N - 2) * (N - 3) * tri
        # in ROLES order; gatekeeper and representative share sna's b_IO/b_OI null
        exp[i] = [e_wi, e_wo, e_b, e_b, e_bo, e_t]
        var[i] = [v_wi, v_wo, v_b, v_b, v_bo, v_t]
    return exp, np.sqrt(np.maximum(var, 0))


def _choose2(x):
    return x * (x - 1) / 2


def _network_null(d: float, n: np.ndarray, N: float) -> tuple[np.ndarray, np.ndarray]:
    """Expected totals and variances for the whole network (sna.gli)."""
    base = d * d * (1 - d)
    t3, t4, t5 = d ** 3 * (1 - d) ** 3, d ** 4 * (1 - d) ** 2, d ** 5 * (1 - d)
    e = np.zeros(6)
    v = np.zeros(6)
    e[0] = base * np.sum(n * (n - 1) * (n - 2))
    v[0] = e[0] * (1 - base) + np.sum(n * (n - 1) * (n - 2) * (((4 * n - 10) * t3)
                                                               - (4 * (n - 3) * t4)
                                                               + ((n - 3) * t5)))
    e[1] = base * np.sum(n * (N - n) * (n - 1))
    x, y = np.meshgrid(n, n, indexing="ij")
    v[1] = e[1] * (1 - base) + (np.sum(x * y * (x - 1) * (((2 * x + 2 * y - 6) * t3)
                                                         + ((N - x - 1) * t5)))
                               - np.sum(n * n * (n - 1) * (((4 * n - 6) * t3)
                                                           + ((N - n - 1) * t5))))
    e[2] = base * np.sum(n * (N - n) * (n - 1))
    v[2] = e[2] * (1 - base) + np.sum(n * (N - n) * (n - 1) * (((N - 3) * t3)
                                                               + ((n - 2) * t5)))
    e[3], v[3] = e[2], v[2]
    e[4] = base * (np.sum(x * y * (N - x - y)) - np.sum(n * n * (N - 2 * n)))
    v[4] = e[4] * (1 - base)
    k = len(n)
    for i in range(k):
        for j in range(k):
            for m in range(k):
                if i != j and j != m and i != m:
                    v[4] += n[i] * n[j] * n[m] * (
                        (4 * (N - n[j]) - 2 * (n[i] + n[m] + 1)) * t3
                        - (4 * (N - n[m]) - 2 * (n[i] + n[j] + 1)) * t4
                        + (N - (n[i] + n[m] + 1)) * t5)
    e[5] = base * N * (N - 1) * (N - 2)
    v[5] = e[5] * (1 - base) + N * (N - 1) * (N - 2) * (((4 * N - 10) * t3)
                                                        - (4 * (N - 3) * t4)
                                                        + ((N - 3) * t5))
    return e, v


def brokered_pairs(g: nx.Graph, node: Hashable, groups: Mapping[Hashable, Hashable], *,
                   limit: int = 10) -> list[dict]:
    """The group pairs ``node`` brokers, most frequent first: what its roles connect.

    Counted by group: in-neighbours by group times out-neighbours by group, minus the
    pairs ``i = k`` and the pairs already tied (``i -> k``), so a node with thousands of
    ties costs its ties and the ties among its neighbours, not every pair of them.

    >>> g = nx.path_graph(["a", "b", "c"])
    >>> brokered_pairs(g, "b", {"a": "Africa", "b": "Asia", "c": "Africa"})
    [{'from': 'Africa', 'to': 'Africa', 'role': 'itinerant', 'count': 2}]
    """
    succ = g.successors if g.is_directed() else g.neighbors
    pred = g.predecessors if g.is_directed() else g.neighbors
    outs = [k for k in succ(node) if k != node]
    ins = [i for i in pred(node) if i != node]
    if not outs or not ins:
        return []
    labels = sorted({str(groups.get(v)) for v in (*ins, *outs)})
    li = {x: i for i, x in enumerate(labels)}
    gin = np.array([li[str(groups.get(i))] for i in ins])
    gout = np.array([li[str(groups.get(k))] for k in outs])
    c = len(labels)
    tally = np.outer(np.bincount(gin, minlength=c), np.bincount(gout, minlength=c))
    both = set(ins) & set(outs)  # i = k
    for v in both:
        tally[li[str(groups.get(v))], li[str(groups.get(v))]] -= 1
    # pairs already tied: arcs from an in-neighbour to an out-neighbour
    in_set, out_set = set(ins), set(outs)
    sub = g.subgraph(in_set | out_set)
    for i, k in sub.edges():
        for a, b in ((i, k), (k, i)) if not g.is_directed() else ((i, k),):
            if a in in_set and b in out_set and a != b:
                tally[li[str(groups.get(a))], li[str(groups.get(b))]] -= 1
    gj = groups.get(node)
    rows = []
    for a in range(c):
        for b in range(c):
            if tally[a, b] > 0:
                rows.append({"from": labels[a], "to": labels[b],
                             "role": _role(labels[a], str(gj), labels[b]),
                             "count": int(tally[a, b])})
    rows.sort(key=lambda r: (-r["count"], r["from"], r["to"], r["role"]))
    return rows[:limit]


def _role(gi, gj, gk) -> str:
    if gi == gj == gk:
        return "coordinator"
    if gi == gk:
        return "itinerant"
    if gj == gk:
        return "gatekeeper"
    if gi == gj:
        return "representative"
    return "liaison"
