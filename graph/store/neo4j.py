"""The Neo4j store: official driver, explicit constraints, ``UNWIND`` batches.

The caller owns the driver (one per process): :class:`Neo4jStore` never creates
or closes one unless built by :func:`graph.store.open_store`, which hands the
store ownership of the driver it opened.
"""

from __future__ import annotations

import functools
import operator
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from partnernet.graph.schema import Node, NodeLabel, Relationship, RelType, SchemaError
from partnernet.graph.schema.properties import NODE_PROPERTIES, REL_PROPERTIES
from partnernet.graph.store import cypher
from partnernet.graph.store.base import (
    BaseStore,
    Counts,
    Direction,
    LoadSummary,
    Neighbour,
    Page,
    StoreError,
    StoreUnavailable,
    _labels,
    _types,
    build_networkx,
    gc_paused,
    generation_after,
)
from partnernet.graph.store.bolt import (
    AuthError,
    ConstraintError,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
    neo4j,
)

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["Neo4jStore"]

BATCH = 5000
_RESERVED = {"id", "name", "source", "name_key"}


def _node(record: Any) -> Node:
    props = dict(record["props"])
    node_id = props.pop("id")
    name = props.pop("name", node_id)
    source = props.pop("source", "")
    props.pop("name_key", None)
    return Node.model_construct(id=node_id, label=NodeLabel(record["label"]), name=name,
                                source=source, props=props)


def _rel(start: str, rtype: str, end: str, props: dict) -> Relationship:
    props = dict(props)
    key = props.pop("key", "")
    return Relationship.model_construct(start=start, type=RelType(rtype), end=end, key=key,
                                        props=props)


@functools.cache
def _node_keys(label: NodeLabel) -> tuple[str, ...]:
    """The property keys the schema declares for ``label`` (read as columns), sorted."""
    return tuple(sorted(k for k in NODE_PROPERTIES[label].model_fields
                        if k not in _RESERVED))


@functools.cache
def _rel_keys(rtype: RelType) -> tuple[str, ...]:
    return tuple(sorted(k for k in REL_PROPERTIES[rtype].model_fields if k != "key"))


_first = operator.itemgetter(0)


def _sorted(props: dict, extra: list) -> dict:
    """``props`` with the ``[key, value]`` pairs of ``extra``, keys sorted. Properties come
    in key order, as the SQLite store keeps them (the known keys are listed sorted): the
    same graph gives the same exports, byte for byte."""
    pairs = [*props.items(), *((k, v) for k, v in extra)]
    pairs.sort(key=_first)
    return dict(pairs)


def _columns(size: int, known: tuple[str, ...], columns: list[list], extra: list) -> list[dict]:
    """One property dict per row from the columns of the schema's properties ``known`` (in
    key order; null: absent) and the sparse ``[row, [[key, value], ...]]`` of the others.
    Column by column: a column that is all null (a property nobody set) costs one count."""
    props: list[dict] = [{} for _ in range(size)]
    for key, column in zip(known, columns, strict=True):
        absent = column.count(None)
        if absent == size:
            continue
        if absent == 0:
            for row, value in zip(props, column, strict=True):
                row[key] = value
            continue
        for row, value in zip(props, column, strict=True):
            if value is not None:
                row[key] = value
    for i, pairs in extra:
        props[i] = _sorted(props[i], pairs)
    return props


def _counted(work):
    """``work``, followed in the same transaction by the snapshot counter's increment when
    it changed something (a load summary with changes, a delete that found its target)."""
    def counted(tx: neo4j.ManagedTransaction):
        result = work(tx)
        changed = (result.changed > 0 and not result.dry_run
                   if isinstance(result, LoadSummary) else result is not False)
        if changed:
            tx.run(cypher.BUMP_SNAPSHOT).consume()
        return result
    return counted


class Neo4jStore(BaseStore):
    """Graph store on a Neo4j 5 server through the official Bolt driver."""

    kind = "neo4j"

    def __init__(self, driver: neo4j.Driver, *, database: str | None = None,
                 owns_driver: bool = False, location: str = "neo4j") -> None:
        self.driver = driver
        self.location = location
        self.database = database
        self._owns_driver = owns_driver

    # -- plumbing ------------------------------------------------------------------------------
    def _session(self, write: bool) -> neo4j.Session:
        mode = neo4j.WRITE_ACCESS if write else neo4j.READ_ACCESS
        # Notifications (e.g. "type does not exist yet" on a first load) are not errors;
        # the driver would log each one as a warning.
        return self.driver.session(database=self.database, default_access_mode=mode,
                                   notifications_min_severity="OFF")

    def _transaction(self, work, *, write: bool):
        # A uniqueness violation on write means another transaction created the same ids
        # between our read and our write (two overlapping loads): run the whole load again,
        # which now sees those nodes and updates them instead.
        for attempt in range(4):
            try:
                return self._run(work, write=write)
            except StoreError as exc:
                if not (write and isinstance(exc.__cause__, ConstraintError)) or attempt == 3:
                    raise
                time.sleep(0.05 * (attempt + 1))
        raise AssertionError("unreachable")

    def _run(self, work, *, write: bool):
        try:
            with self._session(write) as session:
                if write:
                    return session.execute_write(_counted(work))
                return session.execute_read(work)
        except (SchemaError, ValueError):
            raise
        except (ServiceUnavailable, SessionExpired, AuthError) as exc:
            raise StoreUnavailable(f"Neo4j is unavailable: {exc}") from exc
        except (Neo4jError, DriverError) as exc:
            raise StoreError(f"Neo4j refused the operation: {exc}") from exc

    def _read(self, query: str, **params: Any) -> list[neo4j.Record]:
        def work(tx: neo4j.ManagedTransaction) -> list[neo4j.Record]:
            return list(tx.run(query, params))
        return self._transaction(work, write=False)

    def init(self) -> None:
        """Create the uniqueness constraints (one per label, plus ``Entity``) and indexes."""
        statements = [cypher.CREATE_ENTITY_CONSTRAINT, cypher.CREATE_NAME_INDEX,
                      cypher.CREATE_STATE_CONSTRAINT]
        statements += [cypher.create_label_constraint(label) for label in NodeLabel]
        try:
            with self._session(True) as session:
                # Every CLI command opens the store: when all is in place (the usual case),
                # one listing instead of 26 statements and a wait (a repeated question then
                # answers in well under a second on Neo4j too).
                present = {r["name"] for r in session.run(cypher.LIST_INDEXES)}
                if present >= cypher.INDEX_NAMES:
                    return
                for stmt in statements:
                    session.run(stmt).consume()
                session.run("CALL db.awaitIndexes(300)").consume()
        except (ServiceUnavailable, SessionExpired, AuthError) as exc:
            raise StoreUnavailable(f"Neo4j is unavailable: {exc}") from exc

    def close(self) -> None:
        if self._owns_driver:
            self.driver.close()

    def health(self) -> dict[str, Any]:
        """One auto-commit query, never retried: answers or fails within the driver's
        connection timeout (a managed transaction would be retried)."""
        try:
            with self._session(False) as session:
                rec = session.run(cypher.VERSION).single()
        except (ServiceUnavailable, SessionExpired, AuthError) as exc:
            raise StoreUnavailable(f"Neo4j is unavailable: {exc}") from exc
        except (Neo4jError, DriverError) as exc:
            raise StoreError(f"Neo4j refused the health check: {exc}") from exc
        return {"kind": self.kind,
                "version": f"{rec['name']} {rec['version']} {rec['edition']}"}

    # -- primitives ----------------------------------------------------------------------------
    def _fetch_nodes(self, tx, ids: list[str]) -> dict[str, Node]:
        out: dict[str, Node] = {}
        for i in range(0, len(ids), BATCH):
            for rec in tx.run(cypher.FETCH_NODES, ids=ids[i:i + BATCH]):
                out[rec["id"]] = _node(rec)
        return out

    def _fetch_rels(self, tx, rels: list[Relationship]) -> dict[tuple, dict]:
        by_type: dict[RelType, list[dict]] = defaultdict(list)
        for r in rels:
            by_type[r.type].append({"start": r.start, "end": r.end, "key": r.key})
        out: dict[tuple, dict] = {}
        for rtype, rows in by_type.items():
            q = cypher.fetch_rels(rtype)
            for i in range(0, len(rows), BATCH):
                for rec in tx.run(q, rows=rows[i:i + BATCH]):
                    props = dict(rec["props"])
                    props.pop("key", None)
                    out[(rec["start"], rtype.value, rec["end"], rec["key"])] = props
        return out

    def _write_nodes(self, tx, new: list[Node], changed: list[Node]) -> None:
        for nodes, build in ((new, cypher.create_nodes), (changed, cypher.update_nodes)):
            by_label: dict[NodeLabel, list[dict]] = defaultdict(list)
            for n in nodes:
                by_label[n.label].append({"id": n.id, "props": n.flat()})
            for label, rows in by_label.items():
                q = build(label)
                for i in range(0, len(rows), BATCH):
                    tx.run(q, rows=rows[i:i + BATCH]).consume()

    def _write_rels(self, tx, new: list[Relationship], changed: list[Relationship]) -> None:
        for rels, build in ((new, cypher.create_rels), (changed, cypher.update_rels)):
            by_type: dict[RelType, list[dict]] = defaultdict(list)
            for r in rels:
                by_type[r.type].append({"start": r.start, "end": r.end, "key": r.key,
                                        "props": {**r.props, "key": r.key}})
            for rtype, rows in by_type.items():
                q = build(rtype)
                for i in range(0, len(rows), BATCH):
                    batch = rows[i:i + BATCH]
                    written = tx.run(q, rows=batch).single()["n"]
                    if written != len(batch):
                        raise StoreError(f"{rtype.value}: {len(batch) - written} relationships "
                                         "lost an endpoint during the load")

    # -- reads ---------------------------------------------------------------------------------
    def get_node(self, node_id: str) -> Node | None:
        recs = self._read(cypher.GET_NODE, id=node_id)
        return _node(recs[0]) if recs else None

    def get_nodes(self, node_ids: Iterable[str]) -> dict[str, Node]:
        ids = list(dict.fromkeys(node_ids))
        return self._transaction(lambda tx: self._fetch_nodes(tx, ids), write=False)

    def neighbours(self, node_id: str, *, types=None, direction: Direction = "both",
                   limit: int | None = None) -> list[Neighbour]:
        tlist = _types(types)
        params: dict[str, Any] = {"id": node_id}
        if tlist is not None:
            params["types"] = [t.value for t in tlist]
        if limit is not None:
            params["limit"] = int(limit)
        out: list[Neighbour] = []
        for d in ("out", "in"):
            if direction not in (d, "both"):
                continue
            q = cypher.neighbours(d, tlist is not None, limit is not None)
            for rec in self._read(q, **params):
                out.append(Neighbour(_rel(rec["start"], rec["type"], rec["end"], rec["rprops"]),
                                     _node(rec), d))  # type: ignore[arg-type]
        return out[:limit] if limit is not None else out

    def search(self, text: str, *, labels=None, limit: int = 20) -> list[Node]:
        from partnernet.graph.schema import name_key
        q = name_key(text)
        if not q:
            return []
        llist = _labels(labels)
        params: dict[str, Any] = {"q": q, "limit": int(limit)}
        if llist is not None:
            params["labels"] = [lab.value for lab in llist]
        return [_node(r) for r in self._read(cypher.search(llist is not None), **params)]

    def list_nodes(self, label=None, *, where: dict[str, Any] | None = None, limit: int = 100,
                   offset: int = 0) -> Page:
        lab = NodeLabel(label) if label is not None else None
        keys = list((where or {}).keys())
        values = [where[k] for k in keys] if where else []
        count_q, page_q = cypher.list_nodes(lab, keys)
        count = self._read(count_q, keys=keys, values=values)[0]["n"]
        recs = self._read(page_q, keys=keys, values=values, offset=int(offset), limit=int(limit))
        return Page([_node(r) for r in recs], count)

    def list_relationships(self, type=None, *, node_id: str | None = None, limit: int = 100,
                           offset: int = 0) -> Page:
        rtype = RelType(type) if type is not None else None
        count_q, page_q = cypher.list_relationships(rtype, node_id is not None)
        params = {"node": node_id} if node_id is not None else {}
        count = self._read(count_q, **params)[0]["n"]
        recs = self._read(page_q, **params, offset=int(offset), limit=int(limit))
        return Page([_rel(r["start"], r["type"], r["end"], r["props"]) for r in recs], count)

    def delete_node(self, node_id: str) -> bool:
        def work(tx) -> bool:
            return tx.run(cypher.DELETE_NODE, id=node_id).single()["n"] > 0
        return self._transaction(work, write=True)

    def delete_relationship(self, start: str, type, end: str, key: str = "") -> bool:
        q = cypher.delete_relationship(RelType(type))

        def work(tx) -> bool:
            return tx.run(q, start=start, end=end, key=key).single()["n"] > 0
        return self._transaction(work, write=True)

    def counts(self) -> Counts:
        nodes = {r["label"]: r["n"] for r in self._read(cypher.COUNT_NODES)}
        rels = {r["type"]: r["n"] for r in self._read(cypher.COUNT_RELS)}
        return Counts(dict(sorted(nodes.items())), dict(sorted(rels.items())))

    def to_networkx(self, *, labels=None, rel_types=None) -> nx.MultiDiGraph:
        """The graph, read as columns in two queries (see :func:`cypher.project_labels`):
        one record per label and per relationship type, each a few lists of plain values.
        The relationships come with the internal ids of their ends, mapped to partnernet
        ids once here. The relationships are read in two more sessions while this one
        reads the nodes, the types split in two halves of about as many relationships
        (the relationship query was the read's critical path: 2.4 s of server time at
        50,000 cities against 0.65 s for the nodes; the server works on both halves while
        Python decodes the nodes)."""
        llist = _labels(labels) or ([] if labels is not None else list(NodeLabel))
        tlist = _types(rel_types) or ([] if rel_types is not None else list(RelType))
        label_parts = [(label, _node_keys(label)) for label in llist]
        type_parts = [(rtype, _rel_keys(rtype)) for rtype in tlist]

        def read_nodes(tx) -> list:
            if not label_parts:
                return []
            return list(tx.run(cypher.project_labels(label_parts),
                               skip=[[*known, *_RESERVED] for _, known in label_parts]))

        def read_rels(parts) -> Callable:
            def work(tx) -> list:
                return list(tx.run(cypher.project_types(parts),
                                   skip=[[*known, "key"] for _, known in parts]))
            return work

        halves = (_halves(type_parts, self._rel_counts() if len(type_parts) > 1 else {})
                  if type_parts else [])
        with ThreadPoolExecutor(2) as pool, gc_paused():
            rel_reads = [pool.submit(self._transaction, read_rels(half), write=False)
                         for half in halves]
            node_records = self._transaction(read_nodes, write=False)
            nodes: list = []
            internal: dict[int, str] = {}
            for rec in node_records:
                label, known = label_parts[rec["part"]]
                ids = rec["ids"]
                props = _columns(len(ids), known, rec["known"], rec["extra"])
                internal.update(zip(rec["iids"], ids, strict=True))
                nodes.extend(zip(ids, [label.value] * len(ids), rec["names"], rec["sources"], props,
                                 strict=True))
            del node_records
            rels: list = []
            for half, read in zip(halves, rel_reads, strict=True):
                for rec in read.result():
                    rtype, known = half[rec["part"]]
                    get = internal.get
                    starts = [get(i) for i in rec["starts"]]
                    ends = [get(i) for i in rec["ends"]]
                    props = _columns(len(starts), known, rec["known"], rec["extra"])
                    rows = zip(starts, [rtype.value] * len(starts), ends, rec["keys"], props,
                               strict=True)
                    if None in starts or None in ends:  # an end outside the labels read
                        rows = (row for row in rows
                                if row[0] is not None and row[2] is not None)
                    rels.extend(rows)
        return build_networkx(iter(nodes), iter(rels), owned=True)

    def _rel_counts(self) -> dict[str, int]:
        """Relationships per type, from the count store (one quick query)."""
        try:
            return {r["type"]: r["n"] for r in self._read(cypher.COUNT_RELS)}
        except StoreError:
            return {}

    @staticmethod
    def snapshot_after(a: str, b: str) -> bool:
        """Whether fingerprint ``a`` names a later snapshot of the same database than ``b``:
        same epoch, higher partnernet generation (``False`` when that cannot be told, e.g.
        two snapshots that differ only by writes of other tools).

        >>> Neo4jStore.snapshot_after("neo4j:e1:8:bm-x", "neo4j:e1:7:bm-y")
        True
        >>> Neo4jStore.snapshot_after("neo4j:e1:7:bm-x", "neo4j:e1:7:bm-y")
        False
        """
        return generation_after(a, b, "neo4j", 4)

    def fingerprint(self) -> str | None:
        """The data snapshot: ``neo4j:<epoch>:<generation>:<bookmark>``. The counter is kept
        in the database (one ``PartnernetState`` node) and incremented by every write
        transaction of partnernet, in that transaction. The bookmark of a read transaction
        names the last transaction the database committed, so writes by other tools
        change the fingerprint too. One round trip."""
        try:
            with self._session(False) as session:
                rec = session.execute_read(lambda tx: tx.run(cypher.SNAPSHOT).single())
                bookmarks = sorted(session.last_bookmarks().raw_values)
        except (ServiceUnavailable, SessionExpired, AuthError) as exc:
            raise StoreUnavailable(f"Neo4j is unavailable: {exc}") from exc
        except (Neo4jError, DriverError) as exc:
            raise StoreError(f"Neo4j refused the operation: {exc}") from exc
        return (f"neo4j:{rec['epoch'] or '-'}:{rec['generation'] or 0}:"
                f"{','.join(bookmarks) or '-'}")

    def info(self) -> dict[str, Any]:
        try:
            rec = self._read(cypher.VERSION)[0]
            version = f"{rec['name']} {rec['version']} {rec['edition']}"
        except StoreError:
            version = "unknown"
        return {"kind": self.kind, "version": version, "location": self.location}


def _halves(parts: list, counts: dict[str, int]) -> list[list]:
    """``parts`` (relationship types with their keys) in two non-empty groups of about as
    many relationships each (largest first, each to the lighter group), or one group when
    there is only one part.

    >>> [[t for t, _ in h] for h in _halves([("A", ()), ("B", ()), ("C", ())],
    ...                                     {"A": 5, "B": 3, "C": 3})]
    [['A'], ['B', 'C']]
    """
    if len(parts) < 2:
        return [parts]
    groups: list[list] = [[], []]
    weight = [0, 0]
    for part in sorted(parts, key=lambda p: -counts.get(getattr(p[0], "value", p[0]), 0)):
        lighter = 0 if weight[0] <= weight[1] else 1
        groups[lighter].append(part)
        weight[lighter] += counts.get(getattr(part[0], "value", part[0]), 0)
    return [g for g in groups if g]
