"""Cut points and bridges, with the size of what each one holds together."""

from __future__ import annotations

from collections.abc import Collection

import networkx as nx

__all__ = ["cut_points_and_bridges"]


def cut_points_and_bridges(g: nx.Graph, *, skip: Collection = ()) -> dict[str, list[dict]]:
    r"""Articulation points and bridges of an undirected graph, with what they separate.

    A cut point ``v`` is a node whose removal disconnects its component; a bridge is
    a tie whose removal does. For each, ``separated`` is the number of nodes that
    would lose their path to the largest remaining part, and ``pieces`` the sizes of
    the parts left behind (largest first).

    One iterative depth-first search (Hopcroft & Tarjan 1973) computes discovery
    times, low-links and subtree sizes: a child ``c`` of ``v`` with
    :math:`low(c) \ge disc(v)` hangs from ``v`` (a subtree of ``size(c)`` nodes);
    a tie ``(v, c)`` with :math:`low(c) > disc(v)` is a bridge.

    Parameters
    ----------
    g : networkx.Graph
        Undirected graph; self-loops and parallel ties are ignored.
    skip : collection
        Nodes that carry paths but are not counted, listed or reported (the hubs of a
        co-membership projection): pieces count the other nodes only, and a tie
        touching them is never reported as a bridge.

    Returns
    -------
    dict
        ``cut_points``: ``[{node, pieces, separated}]`` and ``bridges``:
        ``[{u, v, pieces, separated}]``, most separated first.

    References
    ----------
    .. [1] Hopcroft, J. & Tarjan, R. (1973). Algorithm 447: efficient algorithms for
       graph manipulation. Communications of the ACM 16(6), 372-378.
       doi:10.1145/362248.362272

    Examples
    --------
    >>> g = nx.Graph([("a", "b"), ("b", "c"), ("c", "d"), ("d", "b")])
    >>> r = cut_points_and_bridges(g)
    >>> r["cut_points"]
    [{'node': 'b', 'pieces': [2, 1], 'separated': 1}]
    >>> r["bridges"]
    [{'u': 'a', 'v': 'b', 'pieces': [3, 1], 'separated': 1}]
    """
    skip = set(skip)
    disc: dict = {}
    low: dict = {}
    counted_before = 0
    size: dict = {}
    cut_children: dict = {}
    bridges = []
    time = 0
    for root in g:
        if root in disc:
            continue
        comp_start = time
        comp_counted = counted_before
        disc[root] = low[root] = time
        time += 1
        size[root] = int(root not in skip)
        counted_before += size[root]
        stack = [(root, None, iter(g[root]))]
        while stack:
            v, parent, it = stack[-1]
            advanced = False
            for w in it:
                if w == v:
                    continue
                if w not in disc:
                    disc[w] = low[w] = time
                    time += 1
                    size[w] = int(w not in skip)
                    counted_before += size[w]
                    stack.append((w, v, iter(g[w])))
                    advanced = True
                    break
                if w != parent:
                    low[v] = min(low[v], disc[w])
            if advanced:
                continue
            stack.pop()
            if parent is not None:
                low[parent] = min(low[parent], low[v])
                size[parent] += size[v]
                if low[v] >= disc[parent]:
                    cut_children.setdefault(parent, []).append(size[v])
                if low[v] > disc[parent] and parent not in skip and v not in skip:
                    bridges.append((parent, v, size[v]))
        comp_size = counted_before - comp_counted
        for v in list(cut_children):
            if v not in disc or disc[v] < comp_start:
                continue
            kids = [x for x in cut_children[v] if x > 0]
            if v in skip or (v == root and len(kids) < 2):
                del cut_children[v]
                continue
            rest = comp_size - 1 - sum(kids)
            pieces = sorted([*kids, rest] if rest > 0 else kids, reverse=True)
            if len(pieces) < 2:
                del cut_children[v]
                continue
            cut_children[v] = pieces
        for i, (u, v, sub) in enumerate(bridges):
            if isinstance(sub, int) and disc[u] >= comp_start:
                bridges[i] = (u, v, sorted([sub, comp_size - sub], reverse=True))
    cut_points = [{"node": v, "pieces": p, "separated": sum(p) - p[0]}
                  for v, p in cut_children.items()]
    cut_points.sort(key=lambda r: (-r["separated"], str(r["node"])))
    out_bridges = [{"u": u, "v": v, "pieces": p, "separated": p[1]} for u, v, p in bridges]
    out_bridges.sort(key=lambda r: (-r["separated"], str(r["u"]), str(r["v"])))
    return {"cut_points": cut_points, "bridges": out_bridges}
