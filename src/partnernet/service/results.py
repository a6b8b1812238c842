"""Analysis results kept on disk per data snapshot, shared by every process on one store.

Where: beside an SQLite store (``partnernet.db`` -> ``partnernet.db.results``), so that the
results live, move and are deleted with the data they were computed on, under the same
permissions, and two copies of a store never share them; for Neo4j (no local file) under
``$XDG_CACHE_HOME/partnernet`` (default ``~/.cache/partnernet``), one file per server
address and database. ``folder=`` puts every results file there instead.

What: one SQLite file, a row per (snapshot, question): the snapshot is the store's
fingerprint (every write changes it, see ``GraphStore.fingerprint``), the question the
analysis and its arguments plus a hash of partnernet's own code (an upgraded partnernet
never answers from an older one's results). Values are JSON, zlib-compressed, with tags for
what JSON lacks (tuples, non-string keys, sets, dates): no pickle, so a results file can
never run code. A value that cannot be encoded is simply not kept.

Bounded: at most ``max_bytes`` (compressed); the least recently used rows go first, rows of
snapshots unused for an hour sooner. Two processes: SQLite's WAL and ``BEGIN IMMEDIATE``
make every put atomic; readers never wait for a writer. Any failure (disk full, a corrupt
or unwritable file) is logged once and the answer is computed as if nothing were kept.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import logging
import os
import sqlite3
import threading
import time
import zlib
from pathlib import Path
from typing import Any

__all__ = ["MISSING", "ResultStore", "code_version", "decode", "encode", "results_folder"]

log = logging.getLogger("partnernet.results")

MISSING = object()
FORMAT = 1
_DDL = """
CREATE TABLE IF NOT EXISTS results (
    snapshot TEXT NOT NULL,
    question TEXT NOT NULL,
    value BLOB NOT NULL,
    bytes INTEGER NOT NULL,
    created REAL NOT NULL,
    used REAL NOT NULL,
    PRIMARY KEY (snapshot, question)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS results_used ON results(used);
"""
#: Rows of a snapshot not used for this many seconds are dropped at the next put.
STALE_AFTER = 3600.0
#: A hit refreshes the row's use time at most this often (a hit is then a pure read).
TOUCH_EVERY = 60.0


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    """A hash of partnernet's installed source: part of every question, so that results
    computed by other code are never reused (3 ms, once per process)."""
    root = Path(__file__).resolve().parents[1]  # the installed partnernet package
    h = hashlib.sha256(f"results format {FORMAT}".encode())
    for path in sorted(root.rglob("*.py")):
        h.update(str(path.relative_to(root)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def results_folder() -> Path:
    """``$XDG_CACHE_HOME/partnernet`` (default ``~/.cache/partnernet``)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "partnernet"


# -- the codec ---------------------------------------------------------------------------
_TAG = "__pn__"


def encode(value: Any) -> Any:
    """``value`` as plain JSON data, tagging what JSON would change (tuples, sets,
    non-string keys, dates, numpy scalars). Raises ``TypeError`` for anything else.

    >>> decode(encode({"a": (1, 2), 3: {None}, "d": dt.date(2026, 1, 2)}))
    {'a': (1, 2), 3: {None}, 'd': datetime.date(2026, 1, 2)}
    """
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if type(value).__module__ == "numpy" and callable(getattr(value, "item", None)):
        return encode(value.item())  # a numpy scalar
    if isinstance(value, list):
        return [encode(x) for x in value]
    if isinstance(value, tuple):
        return {_TAG: "tuple", "v": [encode(x) for x in value]}
    if isinstance(value, set | frozenset):
        items = sorted(value, key=lambda x: (type(x).__name__, repr(x)))
        return {_TAG: "set", "v": [encode(x) for x in items]}
    if isinstance(value, dict):
        if all(isinstance(k, str) for k in value) and _TAG not in value:
            return {k: encode(v) for k, v in value.items()}
        return {_TAG: "map", "v": [[encode(k), encode(v)] for k, v in value.items()]}
    if isinstance(value, dt.datetime):
        return {_TAG: "datetime", "v": value.isoformat()}
    if isinstance(value, dt.date):
        return {_TAG: "date", "v": value.isoformat()}
    raise TypeError(f"cannot keep a {type(value).__name__} in the results file")


def _hashable(x: Any) -> Any:
    return tuple(_hashable(i) for i in x) if isinstance(x, list) else x


def _tagged(obj: dict) -> Any:
    tag = obj.get(_TAG)
    if tag is None:
        return obj
    v = obj["v"]
    if tag == "tuple":
        return tuple(v)
    if tag == "set":
        return {_hashable(x) for x in v}
    if tag == "map":
        return {_hashable(k): x for k, x in v}
    if tag == "datetime":
        return dt.datetime.fromisoformat(v)
    if tag == "date":
        return dt.date.fromisoformat(v)
    raise ValueError(f"unknown tag {tag!r} in the results file")


def decode(data: Any) -> Any:
    """The inverse of :func:`encode` (on data already parsed from JSON)."""
    return json.loads(json.dumps(data), object_hook=_tagged)


def _dumps(value: Any) -> bytes:
    return zlib.compress(json.dumps(encode(value), separators=(",", ":"),
                                    allow_nan=True).encode(), 3)


def _loads(blob: bytes) -> Any:
    return json.loads(zlib.decompress(blob), object_hook=_tagged)


def question(key: tuple) -> str:
    """The canonical text of a cache key (with the code version)."""
    return json.dumps([code_version(), encode(key)], separators=(",", ":"), sort_keys=True)


# -- the store -----------------------------------------------------------------------------
class ResultStore:
    """Results on disk per snapshot (see the module notes). Thread-safe; one connection per
    thread, opened on first use (the file is created only when a result is kept)."""

    def __init__(self, path: str | Path, *, max_bytes: int = 256 * 2**20,
                 clock=time.time) -> None:
        self.path = Path(path)
        self.max_bytes = int(max_bytes)
        self._clock = clock
        self._local = threading.local()
        self._conns: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._failed: str | None = None
        self.hits = self.misses = self.puts = self.skipped = 0

    @classmethod
    def for_store(cls, store: Any, *, folder: str | Path | None = None,
                  max_bytes: int = 256 * 2**20) -> ResultStore | None:
        """The results file of ``store`` (``None`` when nothing can be kept: an in-memory
        store, a store without a fingerprint, or ``max_bytes`` 0)."""
        if max_bytes <= 0 or not callable(getattr(store, "fingerprint", None)):
            return None
        kind = getattr(store, "kind", "")
        if kind == "sqlite":
            if store.path == ":memory:":
                return None
            where = Path(store.path).resolve()
            if folder is None:
                return cls(where.with_name(where.name + ".results"), max_bytes=max_bytes)
            identity = f"sqlite:{where}"
        elif kind == "neo4j":
            identity = f"neo4j:{store.location}:{store.database or ''}"
        else:
            return None
        name = hashlib.sha256(identity.encode()).hexdigest()[:20]
        return cls(Path(folder or results_folder()) / f"results-{name}.sqlite",
                   max_bytes=max_bytes)

    # -- plumbing ----------------------------------------------------------------------------
    def _conn(self, *, create: bool) -> sqlite3.Connection | None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            return conn
        if self._failed is not None:
            return None
        if not create and not self.path.exists():
            return None
        try:
            if not self.path.exists():
                self.path.parent.mkdir(parents=True, exist_ok=True)
                os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
            conn = self._open_retrying()
        except (sqlite3.Error, OSError) as exc:
            if isinstance(exc, sqlite3.DatabaseError) and "not a database" in str(exc):
                # a damaged results file holds nothing worth keeping: start afresh
                log.warning("results file %s is damaged (%s); starting a new one", self.path,
                            exc)
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{self.path}{suffix}").unlink(missing_ok=True)
                return self._conn(create=create)
            self._fail(exc)
            return None
        self._local.conn = conn
        with self._lock:
            self._conns.append(conn)
        return conn

    def _open_retrying(self, attempts: int = 8) -> sqlite3.Connection:
        """Open and set up the file. Switching a new file to WAL while another process
        does the same can answer "database is locked" at once, without the busy timeout
        (SQLite does not wait on that lock): retried with a growing pause (up to ~5 s)."""
        for attempt in range(attempts):
            conn = sqlite3.connect(self.path, timeout=10, isolation_level=None,
                                   check_same_thread=False)
            try:
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=NORMAL")
                conn.executescript(_DDL)
                return conn
            except sqlite3.OperationalError as exc:
                conn.close()
                busy = "locked" in str(exc) or "busy" in str(exc)
                if not busy or attempt == attempts - 1:
                    raise
                time.sleep(0.05 * 2 ** attempt)
        raise AssertionError("unreachable")

    def _fail(self, exc: BaseException) -> None:
        if self._failed is None:
            log.warning("results are not kept on disk: %s: %s (%s)", type(exc).__name__, exc,
                        self.path)
        self._failed = f"{type(exc).__name__}: {exc}"

    # -- the contract --------------------------------------------------------------------------
    def get(self, snapshot: str, key: tuple, *, raw: bool = False) -> Any:
        """The result of ``key`` on ``snapshot``, or :data:`MISSING`. ``raw``: kept with
        ``put(raw=True)`` (plain JSON, decoded without the tags)."""
        conn = self._conn(create=False)
        if conn is None:
            self.misses += 1
            return MISSING
        q = question(key)
        try:
            row = conn.execute("SELECT value, used FROM results WHERE snapshot=? AND "
                               "question=?", (snapshot, q)).fetchone()
            if row is None:
                self.misses += 1
                return MISSING
            value = json.loads(zlib.decompress(row[0])) if raw else _loads(row[0])
            now = self._clock()
            if now - row[1] > TOUCH_EVERY:
                conn.execute("UPDATE results SET used=? WHERE snapshot=? AND question=?",
                             (now, snapshot, q))
        except (sqlite3.Error, OSError, ValueError, zlib.error) as exc:
            log.warning("results file %s: %s: %s", self.path, type(exc).__name__, exc)
            self.misses += 1
            return MISSING
        self.hits += 1
        return value

    def put(self, snapshot: str, key: tuple, value: Any, *, raw: bool = False) -> bool:
        """Keep ``value`` as the result of ``key`` on ``snapshot``; whether it was kept.
        ``raw``: ``value`` is plain JSON data (lists for tuples), written without tags:
        faster for large tables (a graph's rows)."""
        try:
            blob = (zlib.compress(json.dumps(value, separators=(",", ":")).encode(), 1) if raw
                    else _dumps(value))
        except (TypeError, ValueError) as exc:
            log.debug("result %r not kept: %s", key[:1], exc)
            self.skipped += 1
            return False
        if len(blob) > self.max_bytes // 4:
            log.info("result %r not kept: %d bytes is more than a quarter of the results "
                     "file's limit", key[:1], len(blob))
            self.skipped += 1
            return False
        conn = self._conn(create=True)
        if conn is None:
            return False
        now = self._clock()
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.execute("INSERT OR REPLACE INTO results VALUES (?,?,?,?,?,?)",
                             (snapshot, question(key), blob, len(blob), now, now))
                conn.execute("DELETE FROM results WHERE snapshot IN (SELECT snapshot FROM "
                             "results GROUP BY snapshot HAVING max(used) < ?)",
                             (now - STALE_AFTER,))
                total = conn.execute("SELECT coalesce(sum(bytes), 0) FROM results"
                                     ).fetchone()[0]
                if total > self.max_bytes:
                    self._evict(conn, total - self.max_bytes)
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        except (sqlite3.Error, OSError) as exc:
            log.warning("result not kept in %s: %s: %s", self.path, type(exc).__name__, exc)
            return False
        self.puts += 1
        return True

    @staticmethod
    def _evict(conn: sqlite3.Connection, excess: int) -> None:
        freed = 0
        doomed = []
        for snapshot, q, size in conn.execute(
                "SELECT snapshot, question, bytes FROM results ORDER BY used, created"):
            if freed >= excess:
                break
            doomed.append((snapshot, q))
            freed += size
        conn.executemany("DELETE FROM results WHERE snapshot=? AND question=?", doomed)

    def stats(self) -> dict[str, Any]:
        """Figures for ``/stats`` and tests: entries and bytes on disk, hits and misses of
        this process, the limit, and why nothing is kept if so."""
        entries = size = 0
        conn = self._conn(create=False)
        if conn is not None:
            try:
                entries, size = conn.execute(
                    "SELECT count(*), coalesce(sum(bytes), 0) FROM results").fetchone()
            except sqlite3.Error as exc:
                self._fail(exc)
        return {"file": str(self.path), "entries": entries, "bytes": size,
                "max_bytes": self.max_bytes, "hits": self.hits, "misses": self.misses,
                "kept": self.puts, "not_kept": self.skipped, "failed": self._failed}

    def clear(self) -> None:
        conn = self._conn(create=False)
        if conn is not None:
            conn.execute("DELETE FROM results")

    def close(self) -> None:
        with self._lock:
            for conn in self._conns:
                conn.close()
            self._conns.clear()
        self._local = threading.local()
