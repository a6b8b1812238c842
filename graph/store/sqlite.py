"""The embedded default store: one SQLite file, WAL mode, batched writes in one transaction."""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from partnernet.graph.schema import Node, NodeLabel, Relationship, RelType, name_key, validate_id
from partnernet.graph.store.base import (
    BaseStore,
    Counts,
    Direction,
    Neighbour,
    Page,
    StoreBusy,
    StoreError,
    StoreUnavailable,
    _labels,
    _types,
    build_networkx,
    generation_after,
)

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["SQLiteStore"]

SCHEMA_VERSION = "1"
_DDL = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS nodes (
    id TEXT PRIMARY KEY,
    label TEXT NOT NULL,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    source TEXT NOT NULL,
    props TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS nodes_label ON nodes(label);
CREATE INDEX IF NOT EXISTS nodes_name_key ON nodes(name_key);
CREATE TABLE IF NOT EXISTS rels (
    start_id TEXT NOT NULL REFERENCES nodes(id) ON DELETE CASCADE,
    type TEXT NOT NULL,
    end_id TEXT NOT NULL REFERENCES nodes(id) ON DELETE CASCADE,
    key TEXT NOT NULL DEFAULT '',
    props TEXT NOT NULL,
    PRIMARY KEY (start_id, type, end_id, key)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS rels_end ON rels(end_id, type);
CREATE INDEX IF NOT EXISTS rels_type ON rels(type);
-- The data snapshot: a random id for this store file's life and a counter that every
-- change to nodes or rels increments (triggers: writes by any process or tool count).
CREATE TABLE IF NOT EXISTS snapshot (
    one INTEGER PRIMARY KEY CHECK (one = 1),
    store_id TEXT NOT NULL,
    generation INTEGER NOT NULL
);
INSERT OR IGNORE INTO snapshot(one, store_id, generation)
    VALUES (1, lower(hex(randomblob(16))), 0);
"""
_TRIGGER = ("CREATE TRIGGER IF NOT EXISTS snapshot_{table}_{event} AFTER {event} ON {table} "
            "BEGIN UPDATE snapshot SET generation = generation + 1 WHERE one = 1; END;")
_DDL += "\n".join(_TRIGGER.format(table=t, event=e) for t in ("nodes", "rels")
                  for e in ("INSERT", "UPDATE", "DELETE"))
_CHUNK = 500  # ids per IN (...) clause, under SQLite's parameter limit


def _dumps(props: dict[str, Any]) -> str:
    return json.dumps(props, ensure_ascii=False, sort_keys=True, allow_nan=False)


def _node(row: tuple) -> Node:
    node_id, label, name, source, props = row
    return Node.model_construct(id=node_id, label=NodeLabel(label), name=name, source=source,
                                props=json.loads(props))


def _rel(row: tuple) -> Relationship:
    start, rtype, end, key, props = row
    return Relationship.model_construct(start=start, type=RelType(rtype), end=end, key=key,
                                        props=json.loads(props))


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class SQLiteStore(BaseStore):
    """Graph store in one SQLite file (standard library ``sqlite3``).

    Each thread gets its own connection (WAL lets readers run beside a writer);
    writes take the database lock with ``BEGIN IMMEDIATE`` and wait up to
    ``timeout`` seconds for another writer.
    """

    kind = "sqlite"
    in_process = True
    #: Counting scans the type index (10 ms at 28,000 relationships) and /stats, /health and
    #: every result's snapshot ask for it: counts are reused while the store's fingerprint
    #: (a one-row read) is unchanged, so any write, by any process, shows at once.

    def __init__(self, path: str | Path, *, timeout: float = 30.0) -> None:
        self.path = str(path)
        self.timeout = timeout
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._writes = 0  # committed write transactions of this store object
        self._counted: tuple[str | None, Counts] | None = None
        self._temporary: Any = None  # the folder of a temporary store (see temporary())
        self.location = self.path
        self.init()

    @classmethod
    def from_uri(cls, uri: str) -> SQLiteStore:
        """``sqlite:///relative.db``, ``sqlite:////abs/path.db`` or ``sqlite:///:memory:``.

        A ``:memory:`` store is a temporary file deleted on :meth:`close` (or at exit):
        SQLite's own in-memory databases belong to one connection, so the API's other
        threads, each with its own connection, would each see an empty database.
        """
        if uri in ("sqlite://:memory:", "sqlite:///:memory:"):
            return cls.temporary()
        if not uri.startswith("sqlite:///"):
            raise ValueError(f"expected sqlite:///path.db, got {uri!r}")
        return cls(uri[len("sqlite:///"):] or "partnernet.db")

    @classmethod
    def temporary(cls) -> SQLiteStore:
        """An empty store in a private temporary folder, removed when the store is closed
        (or the process ends); every thread of the process sees the same data."""
        import tempfile
        import weakref

        folder = tempfile.TemporaryDirectory(prefix="partnernet-memory-")
        store = cls(Path(folder.name) / "memory.db")
        store.location = ":memory: (temporary file)"
        store._temporary = folder
        weakref.finalize(store, folder.cleanup)
        return store

    # -- connection handling ---------------------------------------------------------------
    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            try:
                if self.path != ":memory:":
                    Path(self.path).parent.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(self.path, timeout=self.timeout,
                                       isolation_level=None, check_same_thread=False)
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=NORMAL")
                conn.execute("PRAGMA foreign_keys=ON")
                conn.execute("PRAGMA cache_size=-65536")
            except (sqlite3.Error, OSError) as exc:
                raise StoreUnavailable(f"cannot open SQLite store {self.location}: "
                                       f"{exc}") from exc
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    def init(self) -> None:
        conn = self._conn()
        try:
            conn.executescript(_DDL)
            conn.execute("INSERT OR IGNORE INTO meta(key, value) VALUES ('schema_version', ?)",
                         (SCHEMA_VERSION,))
        except sqlite3.Error as exc:
            raise StoreUnavailable(f"cannot use {self.location} as a partnernet store: "
                                   f"{exc}") from exc

    def close(self) -> None:
        with self._lock:
            for conn in self._all:
                with contextlib.suppress(sqlite3.ProgrammingError):
                    conn.close()
            self._all.clear()
        self._local = threading.local()
        if self._temporary is not None:
            self._temporary.cleanup()

    @contextlib.contextmanager
    def no_wait(self):
        conn = self._conn()
        conn.execute("PRAGMA busy_timeout=0")
        try:
            yield
        finally:
            conn.execute(f"PRAGMA busy_timeout={int(self.timeout * 1000)}")

    def _transaction(self, work, *, write: bool):
        conn = self._conn()
        try:
            conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        except sqlite3.OperationalError as exc:
            if getattr(exc, "sqlite_errorname", "") == "SQLITE_BUSY":
                raise StoreBusy(f"SQLite store {self.path} is busy: {exc}") from exc
            raise StoreUnavailable(f"SQLite store {self.path} is busy: {exc}") from exc
        try:
            result = work(conn)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        try:
            conn.execute("COMMIT" if write else "ROLLBACK")
        except sqlite3.Error as exc:
            conn.execute("ROLLBACK")
            raise StoreError(f"commit failed: {exc}") from exc
        if write:
            self._writes += 1
        return result

    # -- primitives --------------------------------------------------------------------------
    def _fetch_nodes(self, tx: sqlite3.Connection, ids: list[str]) -> dict[str, Node]:
        out: dict[str, Node] = {}
        for i in range(0, len(ids), _CHUNK):
            chunk = ids[i:i + _CHUNK]
            q = ("SELECT id, label, name, source, props FROM nodes WHERE id IN "
                 f"({','.join('?' * len(chunk))})")
            for row in tx.execute(q, chunk):
                out[row[0]] = _node(row)
        return out

    def _fetch_rels(self, tx: sqlite3.Connection, rels: list[Relationship]) -> dict[tuple, dict]:
        out: dict[tuple, dict] = {}
        starts = sorted({r.start for r in rels})
        wanted = {r.identity for r in rels}
        for i in range(0, len(starts), _CHUNK):
            chunk = starts[i:i + _CHUNK]
            q = ("SELECT start_id, type, end_id, key, props FROM rels WHERE start_id IN "
                 f"({','.join('?' * len(chunk))})")
            for s, t, e, k, p in tx.execute(q, chunk):
                if (s, t, e, k) in wanted:
                    out[(s, t, e, k)] = json.loads(p)
        return out

    def _write_nodes(self, tx: sqlite3.Connection, new: list[Node], changed: list[Node]) -> None:
        tx.executemany(
            "INSERT INTO nodes(id, label, name, name_key, source, props) VALUES (?,?,?,?,?,?)",
            [(n.id, n.label.value, n.name, name_key(n.name), n.source, _dumps(n.props))
             for n in new])
        tx.executemany(
            "UPDATE nodes SET name=?, name_key=?, source=?, props=? WHERE id=?",
            [(n.name, name_key(n.name), n.source, _dumps(n.props), n.id) for n in changed])

    def _write_rels(self, tx: sqlite3.Connection, new: list[Relationship],
                    changed: list[Relationship]) -> None:
        tx.executemany(
            "INSERT INTO rels(start_id, type, end_id, key, props) VALUES (?,?,?,?,?)",
            [(r.start, r.type.value, r.end, r.key, _dumps(r.props)) for r in new])
        tx.executemany(
            "UPDATE rels SET props=? WHERE start_id=? AND type=? AND end_id=? AND key=?",
            [(_dumps(r.props), r.start, r.type.value, r.end, r.key) for r in changed])

    # -- reads -------------------------------------------------------------------------------
    def get_node(self, node_id: str) -> Node | None:
        row = self._conn().execute(
            "SELECT id, label, name, source, props FROM nodes WHERE id=?", (node_id,)).fetchone()
        return _node(row) if row else None

    def get_nodes(self, node_ids: Iterable[str]) -> dict[str, Node]:
        return self._fetch_nodes(self._conn(), list(dict.fromkeys(node_ids)))

    def neighbours(self, node_id: str, *, types=None, direction: Direction = "both",
                   limit: int | None = None) -> list[Neighbour]:
        tlist = _types(types)
        conn = self._conn()
        tclause, params = "", []
        if tlist is not None:
            tclause = f" AND r.type IN ({','.join('?' * len(tlist))})"
            params = [t.value for t in tlist]
        parts = []
        if direction in ("out", "both"):
            parts.append(("out", "r.start_id=? " + tclause, "r.end_id"))
        if direction in ("in", "both"):
            parts.append(("in", "r.end_id=? " + tclause, "r.start_id"))
        out: list[Neighbour] = []
        for d, where, other in parts:
            q = (f"SELECT r.start_id, r.type, r.end_id, r.key, r.props, n.id, n.label, n.name, "
                 f"n.source, n.props FROM rels r JOIN nodes n ON n.id = {other} WHERE {where} "
                 "ORDER BY r.type, n.name, n.id")
            if limit is not None:
                q += f" LIMIT {int(limit)}"
            for row in conn.execute(q, [node_id, *params]):
                out.append(Neighbour(_rel(row[:5]), _node(row[5:]), d))  # type: ignore[arg-type]
        return out[:limit] if limit is not None else out

    def search(self, text: str, *, labels=None, limit: int = 20) -> list[Node]:
        key = name_key(text)
        if not key:
            return []
        llist = _labels(labels)
        lclause, params = "", []
        if llist is not None:
            lclause = f" AND label IN ({','.join('?' * len(llist))})"
            params = [lab.value for lab in llist]
        # The substring test scans the narrow name_key index, not the table (1.7 ms against
        # 3.0 ms at 12,000 nodes); only the hits are read whole.
        q = ("SELECT id, label, name, source, props FROM nodes WHERE id IN (SELECT id FROM "
             "nodes INDEXED BY nodes_name_key WHERE name_key LIKE ? ESCAPE '\\')"
             f"{lclause} ORDER BY (name_key = ?) DESC, (name_key LIKE ? ESCAPE '\\') DESC, "
             "length(name_key), name_key, id LIMIT ?")
        like = f"%{_escape_like(key)}%"
        prefix = f"{_escape_like(key)}%"
        return [_node(r) for r in self._conn().execute(q, [like, *params, key, prefix, limit])]

    def list_nodes(self, label=None, *, where: dict[str, Any] | None = None, limit: int = 100,
                   offset: int = 0) -> Page:
        clauses, params = [], []
        if label is not None:
            clauses.append("label = ?")
            params.append(NodeLabel(label).value)
        for k, v in (where or {}).items():
            if k in ("id", "name", "source"):
                clauses.append(f"{k} = ?")
            else:
                clauses.append("json_extract(props, ?) = ?")
                params.append(f'$."{k}"')
            params.append(v if not isinstance(v, bool) else int(v))
        wsql = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        conn = self._conn()
        count = conn.execute(f"SELECT count(*) FROM nodes{wsql}", params).fetchone()[0]
        rows = conn.execute(
            f"SELECT id, label, name, source, props FROM nodes{wsql} ORDER BY label, name, id "
            "LIMIT ? OFFSET ?", [*params, int(limit), int(offset)])
        return Page([_node(r) for r in rows], count)

    def list_relationships(self, type=None, *, node_id: str | None = None, limit: int = 100,
                           offset: int = 0) -> Page:
        clauses, params = [], []
        if type is not None:
            clauses.append("type = ?")
            params.append(RelType(type).value)
        if node_id is not None:
            clauses.append("(start_id = ? OR end_id = ?)")
            params += [node_id, node_id]
        wsql = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        conn = self._conn()
        count = conn.execute(f"SELECT count(*) FROM rels{wsql}", params).fetchone()[0]
        rows = conn.execute(
            f"SELECT start_id, type, end_id, key, props FROM rels{wsql} "
            "ORDER BY type, start_id, end_id, key LIMIT ? OFFSET ?",
            [*params, int(limit), int(offset)])
        return Page([_rel(r) for r in rows], count)

    def delete_node(self, node_id: str) -> bool:
        validate_id(node_id)

        def work(tx: sqlite3.Connection) -> bool:
            tx.execute("DELETE FROM rels WHERE start_id=? OR end_id=?", (node_id, node_id))
            return tx.execute("DELETE FROM nodes WHERE id=?", (node_id,)).rowcount > 0

        return self._transaction(work, write=True)

    def delete_relationship(self, start: str, type, end: str, key: str = "") -> bool:
        rtype = RelType(type).value

        def work(tx: sqlite3.Connection) -> bool:
            return tx.execute(
                "DELETE FROM rels WHERE start_id=? AND type=? AND end_id=? AND key=?",
                (start, rtype, end, key)).rowcount > 0

        return self._transaction(work, write=True)

    def counts(self) -> Counts:
        snapshot = self.fingerprint()
        counted = self._counted
        if counted is not None and snapshot is not None and counted[0] == snapshot:
            return counted[1]
        counts = self._count()
        self._counted = (snapshot, counts)
        return counts

    def _count(self) -> Counts:
        conn = self._conn()
        nodes = dict(conn.execute(
            "SELECT label, count(*) FROM nodes GROUP BY label ORDER BY label"))
        rels = dict(conn.execute("SELECT type, count(*) FROM rels GROUP BY type ORDER BY type"))
        return Counts(nodes, rels)

    def read_snapshot(self) -> tuple[nx.MultiDiGraph, str | None]:
        """The graph and the fingerprint of the snapshot it was read at, in one read
        transaction: WAL gives it a consistent view from its first read on, whatever is
        written meanwhile (a graph read between two fingerprint reads could otherwise see
        a write land between its queries: under a writer every 50 ms, every read did)."""
        conn = self._conn()
        if conn.in_transaction:  # (inside a transaction of this thread's: its view already)
            return self.to_networkx(), self.fingerprint()
        conn.execute("BEGIN")
        try:
            fingerprint = self.fingerprint()
            return self.to_networkx(), fingerprint
        finally:
            conn.execute("COMMIT")

    def to_networkx(self, *, labels=None, rel_types=None) -> nx.MultiDiGraph:
        llist, tlist = _labels(labels), _types(rel_types)
        conn = self._conn()
        nq, nparams = "SELECT id, label, name, source, props FROM nodes", []
        if llist is not None:
            nq += f" WHERE label IN ({','.join('?' * len(llist))})"
            nparams = [lab.value for lab in llist]
        rq, rparams = "SELECT start_id, type, end_id, key, props FROM rels", []
        if tlist is not None:
            rq += f" WHERE type IN ({','.join('?' * len(tlist))})"
            rparams = [t.value for t in tlist]
        nodes = ((i, lab, n, s, json.loads(p)) for i, lab, n, s, p in conn.execute(nq, nparams))
        rels = ((s, t, e, k, json.loads(p)) for s, t, e, k, p in conn.execute(rq, rparams))
        return build_networkx(nodes, rels, owned=True)

    @staticmethod
    def snapshot_after(a: str, b: str) -> bool:
        """Whether fingerprint ``a`` names a later snapshot of the same store than ``b``
        (its generation is higher; ``False`` when that cannot be told).

        >>> SQLiteStore.snapshot_after("sqlite:ab:12", "sqlite:ab:9")
        True
        >>> SQLiteStore.snapshot_after("sqlite:ab:12", "sqlite:cd:9")
        False
        """
        return generation_after(a, b, "sqlite", 3)

    def fingerprint(self) -> str | None:
        """The data snapshot: ``sqlite:<store id>:<generation>``. Every change to nodes or
        relationships, by this process or another, increments the generation (triggers),
        in the transaction that makes it; the store id is drawn when the file is created.
        One indexed read of a one-row table (tens of microseconds). ``None`` for
        ``:memory:`` stores (nothing outlives the process)."""
        if self.path == ":memory:":
            return None
        row = self._conn().execute(
            "SELECT store_id, generation FROM snapshot WHERE one = 1").fetchone()
        return f"sqlite:{row[0]}:{row[1]}"

    def info(self) -> dict[str, Any]:
        return {"kind": self.kind, "version": f"SQLite {sqlite3.sqlite_version}",
                "location": self.location}
