"""The store contract (:class:`GraphStore`) and the logic both backends share.

A backend implements a handful of primitives (fetch existing records, write
planned ones, read queries); :class:`BaseStore` turns them into atomic,
idempotent loads with a created / updated / unchanged summary.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import TYPE_CHECKING, Any, Literal, Protocol, runtime_checkable

from partnernet.graph.schema import Node, NodeLabel, Relationship, RelType, SchemaError

if TYPE_CHECKING:  # networkx is imported when a graph is built (a store opens faster)
    import networkx as nx

__all__ = [
    "BaseStore",
    "Counts",
    "Direction",
    "GraphStore",
    "LoadSummary",
    "Neighbour",
    "Page",
    "StoreBusy",
    "StoreError",
    "StoreUnavailable",
    "build_networkx",
    "gc_paused",
    "generation_after",
]

Direction = Literal["out", "in", "both"]


class StoreError(RuntimeError):
    """A store operation failed; nothing of the failed operation was written."""


class StoreUnavailable(StoreError):
    """The store cannot be reached (server down, file locked...)."""


class StoreBusy(StoreUnavailable):
    """Another writer holds the store, and the caller asked not to wait (``no_wait``)."""


@dataclass
class LoadSummary:
    """What a load did (or, for a dry run, would do)."""

    nodes_created: int = 0
    nodes_updated: int = 0
    nodes_unchanged: int = 0
    relationships_created: int = 0
    relationships_updated: int = 0
    relationships_unchanged: int = 0
    dry_run: bool = False

    @property
    def changed(self) -> int:
        return (self.nodes_created + self.nodes_updated + self.relationships_created
                + self.relationships_updated)

    def as_dict(self) -> dict[str, Any]:
        return {
            "nodes": {"created": self.nodes_created, "updated": self.nodes_updated,
                      "unchanged": self.nodes_unchanged},
            "relationships": {"created": self.relationships_created,
                              "updated": self.relationships_updated,
                              "unchanged": self.relationships_unchanged},
            "dry_run": self.dry_run,
        }


@dataclass
class Counts:
    """Number of nodes per label and relationships per type."""

    nodes: dict[str, int] = field(default_factory=dict)
    relationships: dict[str, int] = field(default_factory=dict)

    @property
    def total_nodes(self) -> int:
        return sum(self.nodes.values())

    @property
    def total_relationships(self) -> int:
        return sum(self.relationships.values())


@dataclass(frozen=True)
class Neighbour:
    """A relationship seen from one node, and the node at its other end."""

    relationship: Relationship
    node: Node
    direction: Literal["out", "in"]


@dataclass(frozen=True)
class Page:
    """One page of a listing and the total count that matched."""

    items: list[Any]
    count: int


@runtime_checkable
class GraphStore(Protocol):
    """What every store offers. Both backends pass the same contract tests."""

    kind: str
    #: True when calls are answered in this process without a network round trip
    #: (the API then calls them on its event loop instead of a worker thread).
    in_process: bool

    def init(self) -> None: ...
    def load(self, nodes: Sequence[Node], relationships: Sequence[Relationship] = (),
             *, dry_run: bool = False, keep_provenance: bool = True) -> LoadSummary: ...
    def upsert_nodes(self, nodes: Sequence[Node], *,
                     keep_provenance: bool = True) -> LoadSummary: ...
    def upsert_relationships(self, relationships: Sequence[Relationship]) -> LoadSummary: ...
    def get_node(self, node_id: str) -> Node | None: ...
    def get_nodes(self, node_ids: Iterable[str]) -> dict[str, Node]: ...
    def neighbours(self, node_id: str, *, types: Iterable[RelType | str] | None = None,
                   direction: Direction = "both", limit: int | None = None
                   ) -> list[Neighbour]: ...
    def search(self, text: str, *, labels: Iterable[NodeLabel | str] | None = None,
               limit: int = 20) -> list[Node]: ...
    def list_nodes(self, label: NodeLabel | str | None = None, *,
                   where: dict[str, Any] | None = None, limit: int = 100,
                   offset: int = 0) -> Page: ...
    def list_relationships(self, type: RelType | str | None = None, *,
                           node_id: str | None = None, limit: int = 100,
                           offset: int = 0) -> Page: ...
    def delete_node(self, node_id: str) -> bool: ...
    def delete_relationship(self, start: str, type: RelType | str, end: str,
                            key: str = "") -> bool: ...
    def counts(self) -> Counts: ...
    def fingerprint(self) -> str | None: ...  # id of the data snapshot; every write changes it
    def snapshot_after(self, a: str, b: str) -> bool: ...  # a taken after b (known to be)
    def to_networkx(self, *, labels: Iterable[NodeLabel | str] | None = None,
                    rel_types: Iterable[RelType | str] | None = None) -> nx.MultiDiGraph: ...
    def info(self) -> dict[str, Any]: ...
    def health(self) -> dict[str, Any]: ...
    def close(self) -> None: ...


def _labels(values: Iterable[NodeLabel | str] | None) -> list[NodeLabel] | None:
    return None if values is None else [NodeLabel(v) for v in values]


def _types(values: Iterable[RelType | str] | None) -> list[RelType] | None:
    return None if values is None else [RelType(v) for v in values]


class BaseStore:
    """Shared planning logic. Subclasses implement the ``_`` primitives.

    A load runs in one transaction (``_transaction``): it reads what exists,
    checks every relationship's endpoints against the schema, then writes only
    what is new or changed. Any error aborts the transaction: nothing is written.
    """

    kind = "base"
    in_process = False

    def no_wait(self) -> contextlib.AbstractContextManager:
        """Within: a write that would wait for another writer raises :class:`StoreBusy`
        at once instead (before anything is written). Stores without such a wait
        ignore it."""
        return contextlib.nullcontext()

    def health(self) -> dict[str, Any]:
        """Kind and version of a store that answers now; :class:`StoreUnavailable` if it
        does not (quickly: a health check does not retry). No file path or address."""
        self.counts()  # the store is readable, not only reachable
        info = self.info()
        return {"kind": info["kind"], "version": info["version"]}

    # -- primitives a backend implements -------------------------------------------------
    def _transaction(self, work, *, write: bool):  # pragma: no cover - abstract
        raise NotImplementedError

    def _fetch_nodes(self, tx, ids: list[str]) -> dict[str, Node]:  # pragma: no cover
        raise NotImplementedError

    def _fetch_rels(self, tx, rels: list[Relationship]) -> dict[tuple, dict]:  # pragma: no cover
        raise NotImplementedError

    def _write_nodes(self, tx, new: list[Node], changed: list[Node]) -> None:  # pragma: no cover
        raise NotImplementedError

    def _write_rels(self, tx, new: list[Relationship],
                    changed: list[Relationship]) -> None:  # pragma: no cover
        raise NotImplementedError

    # -- the contract ---------------------------------------------------------------------
    def upsert_nodes(self, nodes: Sequence[Node], *,
                     keep_provenance: bool = True) -> LoadSummary:
        """Create or update nodes; ``keep_provenance=False`` (an edit of a node) also
        replaces its source and resolution, which a load keeps from the first record."""
        return self.load(nodes, (), keep_provenance=keep_provenance)

    def upsert_relationships(self, relationships: Sequence[Relationship]) -> LoadSummary:
        return self.load((), relationships)

    def load(self, nodes: Sequence[Node], relationships: Sequence[Relationship] = (),
             *, dry_run: bool = False, keep_provenance: bool = True) -> LoadSummary:
        nodes = _dedupe_nodes(nodes)
        relationships = _dedupe_rels(relationships)

        def work(tx) -> LoadSummary:
            summary = LoadSummary(dry_run=dry_run)
            existing = self._fetch_nodes(tx, [n.id for n in nodes]) if nodes else {}
            new_nodes, changed_nodes = [], []
            for n in nodes:
                old = existing.get(n.id)
                if old is None:
                    new_nodes.append(n)
                    continue
                if old.label != n.label:
                    raise SchemaError(
                        f"id {n.id!r} already belongs to a {old.label.value}; "
                        f"cannot load it as a {n.label.value}")
                merged = _merge_node(old, n) if keep_provenance else \
                    old.model_copy(update={"name": n.name, "source": n.source,
                                           "props": {**old.props, **n.props}})
                if merged == old:
                    summary.nodes_unchanged += 1
                else:
                    changed_nodes.append(merged)
            summary.nodes_created = len(new_nodes)
            summary.nodes_updated = len(changed_nodes)

            if relationships:
                labels = {n.id: n.label for n in nodes}
                missing = {i for r in relationships for i in (r.start, r.end)} - labels.keys()
                if missing:
                    found = self._fetch_nodes(tx, sorted(missing))
                    labels.update({i: n.label for i, n in found.items()})
                for r in relationships:
                    for end in (r.start, r.end):
                        if end not in labels:
                            raise SchemaError(
                                f"{r.type.value} {r.start} -> {r.end}: node {end!r} does not "
                                "exist in the store or in this load")
                    r.check_endpoints(labels[r.start], labels[r.end])
                old_rels = self._fetch_rels(tx, relationships)
                new_rels, changed_rels = [], []
                for r in relationships:
                    old_props = old_rels.get(r.identity)
                    if old_props is None:
                        new_rels.append(r)
                    else:
                        merged = _merge_rel_props(old_props, r.props)
                        if merged == old_props:
                            summary.relationships_unchanged += 1
                        else:
                            changed_rels.append(r.model_copy(update={"props": merged}))
                summary.relationships_created = len(new_rels)
                summary.relationships_updated = len(changed_rels)
            else:
                new_rels, changed_rels = [], []

            if not dry_run:
                if new_nodes or changed_nodes:
                    self._write_nodes(tx, new_nodes, changed_nodes)
                if new_rels or changed_rels:
                    self._write_rels(tx, new_rels, changed_rels)
            return summary

        return self._transaction(work, write=not dry_run)


#: Where a record came from and how its place was identified: kept from the record that
#: first defined it. A later file naming the same node (an edge list resolving "Nairobi"
#: without a country) adds and updates its other properties, not its provenance.
_PROVENANCE = ("source", "resolution", "resolution_note")


def _merge_node(old: Node, new: Node) -> Node:
    props = {**old.props, **new.props}
    props.update({k: old.props[k] for k in _PROVENANCE if k in old.props})
    return old.model_copy(update={"name": new.name, "source": old.source or new.source,
                                  "props": props})


def _merge_rel_props(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """A relationship's properties after a later record of it (provenance kept, see above)."""
    return {**old, **new, **{k: old[k] for k in _PROVENANCE if k in old}}


def _dedupe_nodes(nodes: Sequence[Node]) -> list[Node]:
    """Repeated ids within one load: one node, props merged (the later record's win, but
    for provenance)."""
    seen: dict[str, Node] = {}
    for n in nodes:
        prev = seen.get(n.id)
        if prev is not None and prev.label != n.label:
            raise SchemaError(f"id {n.id!r} appears as both {prev.label.value} and "
                              f"{n.label.value} in this load")
        seen[n.id] = n if prev is None else _merge_node(prev, n)
    return list(seen.values())


def _dedupe_rels(rels: Sequence[Relationship]) -> list[Relationship]:
    seen: dict[tuple, Relationship] = {}
    for r in rels:
        prev = seen.get(r.identity)
        seen[r.identity] = r if prev is None else r.model_copy(
            update={"props": _merge_rel_props(prev.props, r.props)})
    return list(seen.values())


def generation_after(a: str, b: str, scheme: str, fields: int) -> bool:
    """Whether fingerprint ``a`` (``scheme:<identity>:<generation>[:...]``, ``fields``
    colon-separated fields at most) has the same scheme and identity as ``b`` and a higher
    generation; ``False`` when that cannot be told.

    >>> generation_after("sqlite:ab:12", "sqlite:ab:9", "sqlite", 3)
    True
    """
    pa, pb = str(a).split(":", fields - 1), str(b).split(":", fields - 1)
    if len(pa) != fields or len(pb) != fields or pa[:2] != pb[:2] or pa[0] != scheme:
        return False
    try:
        return int(pa[2]) > int(pb[2])
    except ValueError:
        return False


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off meanwhile (as it was after). Reading a graph
    allocates hundreds of thousands of dicts and tuples, none of them garbage: each
    allocation threshold reached would walk them all again (a third of the read time at
    100,000 relationships, measured with cProfile)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def build_networkx(nodes: Iterator[tuple[str, str, str, str, dict]],
                   rels: Iterator[tuple[str, str, str, str, dict]], *,
                   owned: bool = False) -> nx.MultiDiGraph:
    """Build the heterogeneous graph from ``(id, label, name, source, props)`` and
    ``(start, type, end, key, props)`` rows. Edges whose ends were filtered out are dropped.

    Nodes and edges are added in sorted order, so every store yields the same graph,
    node for node and edge for edge (and analyses the same floating-point results).

    Node attributes: ``label``, ``name``, ``source`` and every property. Edge key:
    ``"TYPE"`` or ``"TYPE|key"``; attributes: ``type``, ``key`` and every property.
    With ``owned`` the property dicts are the caller's to give away (a store's reader
    parsed them for this graph): they become the attribute dicts instead of being copied.
    """
    import networkx as nx

    with gc_paused():
        return _build(nx.MultiDiGraph(), nodes, rels, owned=owned)


def _build(g: nx.MultiDiGraph, nodes, rels, *, owned: bool) -> nx.MultiDiGraph:
    # What add_node and add_edge do, written into the graph's dictionaries directly: a third
    # of the time at 100,000 relationships (the public calls check and copy per call).
    # The layout is NetworkX's documented one (G._node, G._succ, G._pred sharing the key
    # dict of each pair); tests/graph/store compare the result with add_edge's.
    node_attrs, succ, pred = g._node, g._succ, g._pred
    for node_id, label, name, source, props in sorted(nodes, key=itemgetter(0)):
        attrs = props if owned else dict(props)
        attrs["label"], attrs["name"], attrs["source"] = label, name, source
        if node_id in node_attrs:
            node_attrs[node_id].update(attrs)
        else:
            node_attrs[node_id], succ[node_id], pred[node_id] = attrs, {}, {}
    for start, rtype, end, key, props in sorted(rels, key=itemgetter(0, 1, 2, 3)):
        if start in node_attrs and end in node_attrs:
            data = props if owned else dict(props)
            data["type"], data["rel_key"] = rtype, key
            edge_key = f"{rtype}|{key}" if key else rtype
            keys = succ[start].get(end)
            if keys is None:
                keys = succ[start][end] = pred[end][start] = {}
            if edge_key in keys:
                keys[edge_key].update(data)
            else:
                keys[edge_key] = data
    return g
