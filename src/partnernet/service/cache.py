"""The store's graph, loaded once per process and kept with the results computed on it."""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any, Protocol

from partnernet.graph.store import GraphStore
from partnernet.service.results import MISSING, ResultStore

if TYPE_CHECKING:  # not imported at run time: a result read from disk needs no graph library
    import networkx as nx

__all__ = ["Clock", "GraphCache", "MonotonicClock", "approx_size", "memo_key"]

log = logging.getLogger("partnernet.cache")


class Clock(Protocol):
    """Time as the cache sees it; tests inject one they move by hand."""

    def now(self) -> float: ...

    def sleep(self, seconds: float, wake: threading.Event) -> None:
        """Wait ``seconds``, or less if ``wake`` is set (the cache is closing)."""


class MonotonicClock:
    """The real clock: ``time.monotonic`` and an interruptible wait."""

    def now(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float, wake: threading.Event) -> None:
        wake.wait(seconds)


_MIXED = ("the store changed while the graph was read",)  # equals no fingerprint
_GRAPH = ("graph rows",)  # the key of a server's graph in the results file
_NODE_FIELDS = frozenset({"label", "name", "source"})
_EDGE_FIELDS = frozenset({"type", "rel_key"})
_attached: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


class GraphCache:
    """The store's graph, projected once and reused, with derived results cached on it.

    **Snapshots.** The graph is read together with the store's fingerprint
    (:meth:`GraphStore.fingerprint`, changed by every write). Results derived from it
    are kept in memory in a bounded LRU (``max_entries`` results, about ``max_bytes``;
    the least recently used go first) and, for the analyses (``persist=True``), in a
    :class:`~partnernet.service.results.ResultStore` under that fingerprint, where the
    next process asking the same question on the same snapshot finds them without
    reading the graph at all (the CLI: a second ``partnernet analyse brokers`` answers
    from there). A changed store has another fingerprint: its results are never served
    for it.

    **Writes.** A write through partnernet calls :meth:`invalidate`: the graph is reloaded
    in the background while readers keep the previous graph and results. Before the new
    graph replaces the old one, the results used since the previous reload are rebuilt
    on it (:meth:`remember`), so analyses lag a write by one reload and its warm-up
    (seconds; each result's ``snapshot`` says when it was computed) and never stall
    behind a recomputation. Reloads are coalesced: at most one every
    :attr:`min_interval` seconds (longer when reloading is slow, see
    :attr:`cost_factor`). Changes made by others are noticed within ``ttl`` seconds
    (the fingerprint is compared; a few microseconds on SQLite, one round trip on
    Neo4j). With ``ttl=0`` (the CLI, tests) nothing is checked or reloaded in the
    background: :meth:`invalidate` drops the graph at once.

    **Observable.** :meth:`stats` gives entries, bytes, hits, misses, evictions, reloads
    and failed reloads (each also logged with its reason); :meth:`wait_idle` waits for a
    background reload to finish; :meth:`close` stops it. Time comes from ``clock``
    (:class:`Clock`), so that tests can move it by hand.
    """

    #: At most this many remembered results are rebuilt before a reloaded graph is used.
    warm_limit: int = 32
    #: Reloads after writes are at least this many seconds apart (writes are coalesced).
    min_interval: float = 10.0
    #: ... and at least this many times as long as the previous reload and warm-up took,
    #: so that under a continuous writer reloading takes at most a quarter of the time.
    cost_factor: float = 4.0

    def __init__(self, store: GraphStore, *, ttl: float = 60.0,
                 results: ResultStore | None = None, max_entries: int = 64,
                 max_bytes: int = 512 * 2**20, clock: Clock | None = None) -> None:
        self.store = store
        self.ttl = ttl
        self.results = results
        self.max_entries = max(1, int(max_entries))
        self.max_bytes = int(max_bytes)
        self.clock: Clock = clock or MonotonicClock()
        self._lock = threading.RLock()
        self._idle = threading.Condition(self._lock)
        self._wake = threading.Event()
        self._graph: nx.MultiDiGraph | None = None
        self._fingerprint: Any = None
        self._at = 0.0  # when the graph was read
        self._checked = 0.0  # when the store's fingerprint was last compared with it
        self._generation = 0
        self._entries: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._bytes = 0
        self._key_locks: dict[Hashable, list] = {}
        self._replays: OrderedDict[Hashable, Callable] = OrderedDict()
        self._refreshing = False
        self._dirty = False
        self._closed = False
        self._thread: threading.Thread | None = None
        self._cost = 0.0
        self._counts = {"hits": 0, "misses": 0, "disk_hits": 0, "evictions": 0, "loads": 0,
                        "graph_from_file": 0, "reloads": 0, "failed_reloads": 0}
        self._keeping: threading.Thread | None = None
        self._last_failure: str | None = None

    # -- one cache per store for callers that pass none --------------------------------------
    def attach(self) -> GraphCache:
        """Make this the cache :meth:`for_store` returns for its store (the CLI and the API
        attach theirs, so library calls without ``cache=`` share it)."""
        _attached[self.store] = self
        return self

    @classmethod
    def for_store(cls, store: GraphStore) -> GraphCache:
        """The cache attached to ``store``, or a new private one (memory only)."""
        try:
            found = _attached.get(store)
        except TypeError:  # not weak-referenceable
            found = None
        return found if found is not None else cls(store, ttl=0)

    # -- snapshots -----------------------------------------------------------------------------
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
        """The store's graph and its fingerprint (``_MIXED`` if the store changed while it
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
        g = self.store.to_networkx()
        fingerprint = before if self._store_fingerprint() == before else _MIXED
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

    def graph(self) -> nx.MultiDiGraph:
        with self._lock:
            if self._graph is None:
                self._graph, self._fingerprint = self._read()
                self._at = self._checked = self.clock.now()
                self._clear()
                self._generation += 1
                self._counts["loads"] += 1
            elif (self.ttl and self.clock.now() - self._checked > self.ttl
                  and not self._refreshing):
                self._checked = self.clock.now()
                try:
                    changed = self._store_fingerprint() != self._fingerprint
                except Exception as exc:  # noqa: BLE001 - keep serving the graph we have
                    log.warning("cannot check the store for changes (%s: %s); serving the "
                                "graph read %.0f s ago", type(exc).__name__, exc,
                                self.clock.now() - self._at)
                    changed = False
                if changed:
                    self._start_refresh()
            return self._graph

    @property
    def snapshot(self) -> str | None:
        """The fingerprint of the graph in use (``None`` when unknown or none loaded)."""
        return self._fingerprint if isinstance(self._fingerprint, str) else None

    # -- results ---------------------------------------------------------------------------------
    def derived(self, key: Hashable, build: Callable[[nx.MultiDiGraph], Any], *,
                persist: bool = False) -> Any:
        """``build(graph)`` once per graph and ``key``; concurrent callers of the same key
        wait for the first, callers of other keys do not. With ``persist`` the result is
        also kept on disk for the snapshot (a plain-data result: an analysis report) and
        looked up there first, before the graph is even read. Views and other derived
        data use it the same way (``persist`` only if they are JSON-like data)."""
        disk = self.results if persist else None
        with self._lock:
            if disk is not None and self._graph is None:
                fingerprint = self._store_fingerprint()
                if isinstance(fingerprint, str):
                    value = disk.get(fingerprint, key)
                    if value is not MISSING:
                        self._counts["disk_hits"] += 1
                        return value
            g = self.graph()
            generation, fingerprint = self._generation, self._fingerprint
            value = self._lookup(key)
            if value is not MISSING:
                return value
            key_lock = self._key_lock(key)
        try:
            with key_lock[0]:
                with self._lock:
                    if generation == self._generation:
                        value = self._lookup(key)
                        if value is not MISSING:
                            return value
                keep = disk is not None and isinstance(fingerprint, str)
                value = disk.get(fingerprint, key) if keep else MISSING
                if value is not MISSING:
                    self._counts["disk_hits"] += 1
                else:
                    self._counts["misses"] += 1
                    value = build(g)
                    if keep:
                        disk.put(fingerprint, key, value)
                with self._lock:
                    if generation == self._generation:
                        self._store(key, value)
                return value
        finally:
            self._release_key(key, key_lock)

    def recall(self, key: Hashable) -> Any:
        """The result kept on disk for ``key`` on the current snapshot (the graph's if one is
        loaded, else the store's), or :data:`~partnernet.service.results.MISSING`."""
        if self.results is None:
            return MISSING
        with self._lock:
            fingerprint = (self._fingerprint if self._graph is not None
                           else self._store_fingerprint())
        if not isinstance(fingerprint, str):
            return MISSING
        value = self.results.get(fingerprint, key)
        if value is not MISSING:
            self._counts["disk_hits"] += 1
        return value

    def keep(self, key: Hashable, value: Any) -> bool:
        """Keep ``value`` on disk as ``key``'s result on the loaded graph's snapshot."""
        fingerprint = self._fingerprint
        if self.results is None or self._graph is None or not isinstance(fingerprint, str):
            return False
        return self.results.put(fingerprint, key, value)

    def _lookup(self, key: Hashable) -> Any:
        entry = self._entries.get(key)
        if entry is None:
            return MISSING
        self._entries.move_to_end(key)
        self._counts["hits"] += 1
        return entry[0]

    def _store(self, key: Hashable, value: Any) -> None:
        size = approx_size(value)
        old = self._entries.pop(key, None)
        if old is not None:
            self._bytes -= old[1]
        self._entries[key] = (value, size)
        self._bytes += size
        while len(self._entries) > 1 and (len(self._entries) > self.max_entries
                                          or self._bytes > self.max_bytes):
            _, (_, dropped) = self._entries.popitem(last=False)
            self._bytes -= dropped
            self._counts["evictions"] += 1

    def _clear(self) -> None:
        self._entries = OrderedDict()
        self._bytes = 0

    def _key_lock(self, key: Hashable) -> list:
        entry = self._key_locks.get(key)
        if entry is None:
            entry = self._key_locks[key] = [threading.Lock(), 0]
        entry[1] += 1
        return entry

    def _release_key(self, key: Hashable, entry: list) -> None:
        with self._lock:
            entry[1] -= 1
            if entry[1] == 0 and self._key_locks.get(key) is entry:
                del self._key_locks[key]

    def ready(self, *keys: Hashable) -> bool:
        """Whether ``keys`` are already built for the current, fresh graph: the caller can
        then read them at once (no reload, no change check and no computation due)."""
        if not self._lock.acquire(blocking=False):
            return False
        try:
            return (self._graph is not None
                    and not (self.ttl and self.clock.now() - self._checked > self.ttl)
                    and all(k in self._entries for k in keys))
        finally:
            self._lock.release()

    def computed(self, *keys: Hashable) -> bool:
        """Whether ``keys`` are built for the graph in use, even when a change check is due:
        reading them then costs that check (the counts), not a computation. ``False`` while
        the graph is being loaded."""
        if not self._lock.acquire(blocking=False):
            return False
        try:
            return self._graph is not None and all(k in self._entries for k in keys)
        finally:
            self._lock.release()

    # -- writes and background reloads ---------------------------------------------------------
    def remember(self, key: Hashable, replay: Callable[[GraphCache], Any]) -> None:
        """``replay(cache)`` rebuilds the result ``key`` on another cache. The results
        remembered since the previous reload (the last :attr:`warm_limit`) are rebuilt
        before the next one is used."""
        with self._lock:
            self._replays.pop(key, None)
            self._replays[key] = replay  # most recent last
            while len(self._replays) > self.warm_limit:
                self._replays.popitem(last=False)

    def invalidate(self) -> None:
        """The store changed through partnernet (see the class notes)."""
        if not self.ttl or self._graph is None:
            with self._lock:
                self._graph = None
                self._fingerprint = None
                self._clear()
                self._generation += 1
            return
        self._dirty = True
        with self._lock:
            if not self._refreshing:
                self._start_refresh()

    def _start_refresh(self) -> None:
        if self._closed:
            return
        self._refreshing = True
        self._thread = threading.Thread(target=self._refresh, name="partnernet-reload",
                                        daemon=True)
        self._thread.start()

    def _refresh(self) -> None:
        while True:
            gap = max(self.min_interval, self.cost_factor * self._cost)
            wait = gap - (self.clock.now() - self._at)
            if wait > 0 and not self._closed:
                self.clock.sleep(wait, self._wake)
            if self._closed:
                break
            self._dirty = False
            began = self.clock.now()
            try:
                g, fingerprint = self._read()
            except Exception as exc:  # noqa: BLE001 - keep serving the previous graph
                g, fingerprint = None, None
                self._counts["failed_reloads"] += 1
                self._last_failure = f"{type(exc).__name__}: {exc}"
                log.warning("graph reload failed (%s); still serving the graph read %.0f s "
                            "ago; the next change check tries again", self._last_failure,
                            self.clock.now() - self._at)
            warm = self._warm(g, fingerprint) if g is not None else None
            self._cost = self.clock.now() - began
            with self._lock:
                now = self.clock.now()
                if g is not None:
                    self._graph, self._fingerprint = g, fingerprint
                    self._entries, self._bytes = warm
                    self._generation += 1
                    self._counts["reloads"] += 1
                self._at = self._checked = now
                if not self._dirty or g is None:
                    break
        with self._lock:
            self._refreshing = False
            self._idle.notify_all()

    def _warm(self, g: nx.MultiDiGraph, fingerprint: Any) -> tuple[OrderedDict, int]:
        """The remembered results, rebuilt on ``g`` in a private cache (readers meanwhile
        use the current graph). A result that fails to rebuild is left to be built on
        demand, and raises then."""
        with self._lock:
            replays = list(self._replays.values())
            self._replays = OrderedDict()
        shadow = GraphCache(self.store, ttl=0, results=self.results,
                            max_entries=self.max_entries, max_bytes=self.max_bytes,
                            clock=self.clock)
        shadow._graph, shadow._fingerprint, shadow._generation = g, fingerprint, 1
        for replay in replays:
            if self._closed:
                break
            try:
                replay(shadow)
            except Exception:  # noqa: BLE001, S112 - e.g. a matched seeker was deleted
                continue
        return shadow._entries, shadow._bytes

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Wait until no background reload is pending; ``False`` if ``timeout`` passed."""
        with self._idle:
            return self._idle.wait_for(lambda: not self._refreshing, timeout)

    def close(self, timeout: float = 30.0) -> None:
        """Stop the background reload (a reload under way finishes its current step) and
        close the results file."""
        self._closed = True
        self._wake.set()
        for thread in (self._thread, self._keeping):
            if thread is not None and thread is not threading.current_thread():
                thread.join(timeout)
        if self.results is not None:
            self.results.close()

    # -- figures -----------------------------------------------------------------------------------
    def stats(self) -> dict[str, Any]:
        """What the cache holds and has done (for ``/stats``, logs and tests)."""
        with self._lock:
            now = self.clock.now()
            out = {"snapshot": self.snapshot, "graph_loaded": self._graph is not None,
                   "graph_age_seconds": round(now - self._at, 3) if self._graph is not None
                   else None,
                   "entries": len(self._entries), "max_entries": self.max_entries,
                   "approx_bytes": self._bytes, "max_bytes": self.max_bytes,
                   **self._counts, "reloading": self._refreshing,
                   "last_reload_seconds": round(self._cost, 3),
                   "last_failure": self._last_failure}
        out["results_file"] = self.results.stats() if self.results is not None else None
        return out


def approx_size(value: Any, _depth: int = 0) -> int:
    """About how many bytes ``value`` holds: strings by length, graphs by nodes and edges
    (about 300 bytes each with attributes), containers by their items (the first 200 of
    a large one, scaled). An estimate for the cache's byte bound, not an accounting.

    >>> approx_size("x" * 1000) > 1000
    True
    """
    if isinstance(value, str | bytes | bytearray):
        return 50 + len(value)
    if callable(getattr(value, "number_of_edges", None)):  # a NetworkX graph
        return 300 * (value.number_of_nodes() + value.number_of_edges())
    if value is None or isinstance(value, bool | int | float):
        return 32
    if _depth > 8:
        return 64
    if isinstance(value, dict):
        items = list(value.items()) if len(value) <= 200 else \
            [(k, value[k]) for k in list(value)[:200]]
        part = sum(approx_size(k, _depth + 1) + approx_size(v, _depth + 1) for k, v in items)
        return 64 + (part * len(value) // max(1, len(items)))
    if isinstance(value, list | tuple | set | frozenset):
        seq = list(value)
        items = seq if len(seq) <= 200 else seq[:200]
        part = sum(approx_size(v, _depth + 1) for v in items)
        return 56 + (part * len(seq) // max(1, len(items)))
    return 256


def memo_key(name: str, args: tuple, kwargs: dict[str, Any]) -> tuple:
    """The cache key of the analysis ``name`` called with ``args`` and ``kwargs`` (as
    given). ``today=None`` means the day of the call, so it is keyed by that day: a result
    kept yesterday is not served today.

    >>> memo_key("brokers", (), {"top": 5, "kinds": ["twinning"]})
    ('brokers', (), (('kinds', ('twinning',)), ('top', 5)))
    """
    if "today" in kwargs and kwargs["today"] is None:
        import datetime as dt

        kwargs = {**kwargs, "today": dt.date.today()}
    return (name, _hashable(args), tuple(sorted((k, _hashable(v)) for k, v in kwargs.items())))


def _hashable(v: Any) -> Any:
    if isinstance(v, list | tuple | set):
        return tuple(_hashable(x) for x in v)
    if isinstance(v, dict):
        return tuple(sorted((k, _hashable(x)) for k, x in v.items()))
    return v
