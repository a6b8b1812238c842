"""Keeping a server's big, long-lived data out of the garbage collector's way.

Python's cyclic garbage collector stops the whole process while it walks every object of
the oldest generation: in an API worker holding a 10,000-city graph and the indexes built
on it (about 500,000 objects) one full collection took 270 ms on a quiet machine and up to
700 ms under the hostile soak, in which every request of that worker waited (measured
with ``gc.callbacks``). Two things keep those walks short:

- :func:`freeze`, after the worker has built something that will live until the next data
  snapshot (the graph, the indexes, kept results): the young generations are collected
  (cheap) and every object then alive moves to the permanent generation, which no later
  collection walks (``gc.freeze``).
- :func:`release`, when the cache drops a graph or a result holding graphs: NetworkX keeps
  its views (``G.degree``, ``G.edges``, ``G.adj``...) in the graph's ``__dict__`` and they
  point back at the graph, so a dropped graph is a reference cycle that only a full
  collection would free (150,000 objects after a 10,000-city graph, measured) and, frozen,
  never. Removing those cached views (they are rebuilt on the next access, so this is safe
  on a graph still in use) leaves no cycle: reference counting frees the graph at once.
"""

from __future__ import annotations

import gc
from typing import Any

__all__ = ["freeze", "release"]

#: The cached views NetworkX keeps on a graph (``functools.cached_property``).
_VIEWS = ("adj", "succ", "pred", "nodes", "edges", "out_edges", "in_edges", "degree",
          "in_degree", "out_degree")


def freeze() -> None:
    """Collect the young generations, then exclude every object alive now from later
    collections (see the module notes). For a long-running server process only."""
    gc.collect(1)
    gc.freeze()


def release(value: Any, _depth: int = 0) -> None:
    """Remove NetworkX's cached views from the graphs in ``value``: the value itself, or
    held by it (attributes, dict values, list items; three levels deep), so that dropping
    it frees them by reference counting.

    >>> import networkx as nx
    >>> g = nx.path_graph(3); _ = g.degree
    >>> "degree" in vars(g)
    True
    >>> release({"projection": [g]}); "degree" in vars(g)
    False
    >>> dict(g.degree)  # still usable: the view is made again
    {0: 1, 1: 2, 2: 1}
    """
    if _depth > 3 or value is None or isinstance(value, str | bytes | int | float | bool):
        return
    state = getattr(value, "__dict__", None)
    if state is not None and "_adj" in state and "_node" in state:  # a NetworkX graph
        for name in _VIEWS:
            state.pop(name, None)
        return
    if isinstance(value, dict):
        items = value.values()
    elif isinstance(value, list | tuple | set | frozenset):
        items = value
    elif state is not None:
        items = state.values()
    else:
        return
    for item in list(items)[:1000]:
        release(item, _depth + 1)
