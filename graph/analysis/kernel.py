"""Fast kernels behind the NetworkX-facing API: conversion to python-igraph."""

from __future__ import annotations

from dataclasses import dataclass

import igraph as ig
import networkx as nx

__all__ = ["IGraph", "to_igraph"]


@dataclass(frozen=True)
class IGraph:
    graph: ig.Graph
    nodes: list  # igraph vertex index -> NetworkX node


def to_igraph(g: nx.Graph, *, weight: str | None = None) -> IGraph:
    """Convert an undirected NetworkX graph (vertex order = ``list(g)``)."""
    nodes = list(g)
    index = {n: i for i, n in enumerate(nodes)}
    edges = [(index[a], index[b]) for a, b in g.edges()]
    h = ig.Graph(n=len(nodes), edges=edges, directed=g.is_directed())
    if weight is not None:
        h.es["weight"] = [float(d.get(weight, 1.0)) for _, _, d in g.edges(data=True)]
    return IGraph(h, nodes)
