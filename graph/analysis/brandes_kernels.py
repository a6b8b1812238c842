"""The compiled loops of :mod:`graph.analysis.pendant_brandes` (Numba, cached on disk;
imported on first use: Numba takes about 0.5 s to import)."""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["brandes", "peel"]


@njit(cache=True, nogil=True)
def peel(indptr, indices, comp_size):  # pragma: no cover - compiled
    """Peel degree-one vertices off the CSR graph until none is left: ``(alive, weight,
    squares, tree)``, see :class:`graph.analysis.pendant_brandes.PendantReduction`."""
    n = len(indptr) - 1
    deg = np.empty(n, np.int64)
    for v in range(n):
        deg[v] = indptr[v + 1] - indptr[v]
    weight = np.ones(n)
    squares = np.zeros(n)
    alive = np.ones(n, np.bool_)
    tree = np.zeros(n)
    stack = np.empty(n, np.int64)
    top = 0
    for v in range(n):
        if deg[v] == 1:
            stack[top] = v
            top += 1
    while top > 0:
        top -= 1
        v = stack[top]
        if not alive[v] or deg[v] != 1:
            continue
        alive[v] = False
        p = -1
        for j in range(indptr[v], indptr[v + 1]):
            if alive[indices[j]]:
                p = indices[j]
                break
        others = comp_size[v] - 1.0
        rest = comp_size[v] - weight[v]
        tree[v] = (others * others - squares[v] - rest * rest) / 2.0
        weight[p] += weight[v]
        squares[p] += weight[v] * weight[v]
        deg[v] = 0
        deg[p] -= 1
        if deg[p] == 1:
            stack[top] = p
            top += 1
        elif deg[p] == 0:  # the last node of a component that was a tree
            alive[p] = False
            others = comp_size[p] - 1.0
            tree[p] = (others * others - squares[p]) / 2.0
    return alive, weight, squares, tree


@njit(cache=True, nogil=True)
def brandes(indptr, indices, weight, lo, hi):  # pragma: no cover - compiled
    """Brandes' dependencies with weighted sources and targets, summed over the sources
    ``lo`` to ``hi - 1`` (ordered pairs: halve for undirected betweenness)."""
    n = len(indptr) - 1
    total = np.zeros(n)
    dist = np.full(n, -1, np.int64)
    sigma = np.zeros(n)
    delta = np.zeros(n)
    order = np.empty(n, np.int64)
    for s in range(lo, hi):
        head = 0
        tail = 1
        order[0] = s
        dist[s] = 0
        sigma[s] = 1.0
        while head < tail:
            v = order[head]
            head += 1
            nxt = dist[v] + 1
            sv = sigma[v]
            for j in range(indptr[v], indptr[v + 1]):
                u = indices[j]
                du = dist[u]
                if du < 0:
                    dist[u] = nxt
                    order[tail] = u
                    tail += 1
                    sigma[u] = sv
                elif du == nxt:
                    sigma[u] += sv
        ws = weight[s]
        for i in range(tail - 1, 0, -1):
            x = order[i]
            nxt = dist[x] + 1
            acc = 0.0
            for j in range(indptr[x], indptr[x + 1]):
                u = indices[j]
                if dist[u] == nxt:
                    acc += (weight[u] + delta[u]) / sigma[u]
            delta[x] = sigma[x] * acc
            total[x] += ws * delta[x]
        for i in range(tail):
            x = order[i]
            dist[x] = -1
            delta[x] = 0.0
    return total
