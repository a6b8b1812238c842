"""Reading the store's graph with the fingerprint of the snapshot it was read at; a
server's graph (Neo4j) is also kept in the results file for the next process."""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING, Any

from partnernet.service.results import MISSING

if TYPE_CHECKING:  # not imported at run time: a result read from disk needs no graph library
    import networkx as nx

__all__ = ["MIXED", "GraphReads"]

log = logging.getLogger("partnernet.cache")

MIXED = ("the store changed while the graph was read",)  # equals no fingerprint
_GRAPH = ("graph rows",)  # the key of a server's graph in the results file
_NODE_FIELDS = frozenset({"label", "name", "source"})
_EDGE_FIELDS = frozenset({"type", "rel_key"})


class GraphReads:
    """The graph cache's reads of the store (part of
    :class:`~partnernet.service.cache.GraphCache`, which holds the attributes used here)."""

    def _store_fingerprint(self) -> Any:
        """The store's fingerprint, or counts by label and type for stores without one (those
        results are kept in memory only)."""
        fingerprint = getattr(self.store, "fingerprint", None)
        if callable(fingerprint):
            value = fingerprint()
            if value is not None:
                return value
        c = self.store.counts()
        return (tuple(sorted(c.nodes.items())), tuple(sorted(c.relationships.items())))

    def _read(self) -> tuple[nx.MultiDiGraph, Any]:
        """The store's graph and its fingerprint (``MIXED`` if the store changed while it
        was read). A server's graph (Neo4j) is also kept in the results file for its
        snapshot: the next process on the same snapshot reads it from there (the server's
        read costs more than the file's), and keeping it happens in the background."""
        before = self._store_fingerprint()
        remote = (self.results is not None and isinstance(before, str)
                  and not getattr(self.store, "in_process", True))
        if remote:
            rows = self.results.get(before, _GRAPH, raw=True)
            if rows is not MISSING:
                from partnernet.graph.store.base import build_networkx

                self._counts["graph_from_file"] += 1
                return build_networkx(iter(rows[0]), iter(rows[1]), owned=True), before
        snapshot_read = getattr(self.store, "read_snapshot", None)
        if callable(snapshot_read):  # one consistent read (SQLite: a read transaction)
            g, fingerprint = snapshot_read()
            if fingerprint is None:
                fingerprint = self._store_fingerprint()
            return g, fingerprint
        # A write landing during the read (Neo4j reads nodes and relationships in two
        # sessions, ends by internal id; its transactions are read-committed, not
        # snapshots) can leave a graph of no snapshot: read again at the newer snapshot, up
        # to three times, before answering with a graph that is not kept (``MIXED``),
        # newer than the snapshot before its read (``_mixed_floor``).
        for _attempt in range(3):
            g = self.store.to_networkx()
            after = self._store_fingerprint()
            if after == before:
                fingerprint = before
                break
            log.info("the store changed while its graph was read: reading it again")
            self._mixed_floor, before = before, after
        else:
            fingerprint = MIXED
        if remote and fingerprint is before:
            self._keeping = threading.Thread(target=self._keep_graph, args=(before, g),
                                             name="partnernet-keep-graph", daemon=True)
            self._keeping.start()
        return g, fingerprint

    def _keep_graph(self, fingerprint: str, g: nx.MultiDiGraph) -> None:
        try:
            nodes = [[v, d["label"], d["name"], d["source"],
                      {k: x for k, x in d.items() if k not in _NODE_FIELDS}]
                     for v, d in g.nodes(data=True)]
            rels = [[u, d["type"], v, d["rel_key"],
                     {k: x for k, x in d.items() if k not in _EDGE_FIELDS}]
                    for u, v, d in g.edges(data=True)]
            assert self.results is not None
            self.results.put(fingerprint, _GRAPH, [nodes, rels], raw=True)
        except Exception as exc:  # noqa: BLE001 - keeping is an optimisation only
            log.warning("the graph of snapshot %s was not kept: %s: %s", fingerprint,
                        type(exc).__name__, exc)
