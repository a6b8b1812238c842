"""The Neo4j store: official driver, explicit constraints, ``UNWIND`` batches.

The caller owns the driver (one per process): :class:`Neo4jStore` never creates
or closes one unless built by :func:`graph.store.open_store`, which hands the
store ownership of the driver it opened.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import neo4j
import networkx as nx
from neo4j.exceptions import (
    AuthError,
    ConstraintError,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
)

from partnernet.graph.schema import Node, NodeLabel, Relationship, RelType, SchemaError
from partnernet.graph.store import cypher
from partnernet.graph.store.base import (
    BaseStore,
    Counts,
    Direction,
    Neighbour,
    Page,
    StoreError,
    StoreUnavailable,
    _labels,
    _types,
    build_networkx,
)

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
                    return session.execute_write(work)
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
        statements = [cypher.CREATE_ENTITY_CONSTRAINT, cypher.CREATE_NAME_INDEX]
        statements += [cypher.create_label_constraint(label) for label in NodeLabel]
        try:
            with self._session(True) as session:
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
        llist, tlist = _labels(labels), _types(rel_types)
        nparams = {"labels": [x.value for x in llist]} if llist is not None else {}
        rparams = {"types": [x.value for x in tlist]} if tlist is not None else {}

        def work(tx) -> tuple[list, list]:
            nodes = []
            for rec in tx.run(cypher.project_nodes(llist is not None), nparams):
                n = _node(rec)
                nodes.append((n.id, n.label.value, n.name, n.source, n.props))
            rels = []
            for rec in tx.run(cypher.project_rels(tlist is not None), rparams):
                props = dict(rec["props"])
                key = props.pop("key", "")
                rels.append((rec["start"], rec["type"], rec["end"], key, props))
            return nodes, rels

        nodes, rels = self._transaction(work, write=False)
        return build_networkx(iter(nodes), iter(rels))

    def info(self) -> dict[str, Any]:
        try:
            rec = self._read(cypher.VERSION)[0]
            version = f"{rec['name']} {rec['version']} {rec['edition']}"
        except StoreError:
            version = "unknown"
        return {"kind": self.kind, "version": version, "location": self.location}
