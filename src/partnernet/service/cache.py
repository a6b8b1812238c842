"""The store's graph, loaded once per process and kept with the results computed on it.

The cache is one class, :class:`GraphCache`, in parts: reading the store's graph with its
snapshot (:mod:`~partnernet.service.graph_reads`), background reloads after writes
(:mod:`~partnernet.service.reloads`), time (:mod:`~partnernet.service.clock`), result
keys (:mod:`~partnernet.service.cache_keys`) and sizes (:mod:`~partnernet.service.sizes`).
"""

from __future__ import annotations

import logging
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any

from partnernet.graph.store import GraphStore
from partnernet.service.cache_keys import memo_key
from partnernet.service.clock import Clock, MonotonicClock
from partnernet.service.graph_reads import MIXED, GraphReads
from partnernet.service.heap import release
from partnernet.service.reloads import BackgroundReloads
from partnernet.service.results import MISSING, ResultStore
from partnernet.service.sizes import approx_size

if TYPE_CHECKING:  # not imported at run time: a result read from disk needs no graph library
    import networkx as nx

__all__ = ["Clock", "GraphCache", "MonotonicClock", "approx_size", "memo_key"]

log = logging.getLogger("partnernet.cache")
_attached: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


#: Results every question is built on, a few per graph (one per Global South definition at
#: most): the LRU evicts everything else first and never these.
PINNED = frozenset({"annotated", "match-index", "snapshot", "explore-index", "explore-facets",
                    "explore-brokers", "explore-south-south", "explore-focal-units"})
#: A result computed elsewhere (:meth:`GraphCache.adopt`) is kept in memory only up to this
#: share of ``max_bytes``: a whole-graph export (tens of MB at 10,000 cities) kept there
#: evicted what every reader asks for, and the next reader recomputed it (measured under
#: the hostile soak: cached brokers p99 38 s). Larger ones are computed again when asked.
ADOPT_SHARE = 1 / 32
#: A result of about this many bytes or more is long-lived data worth freezing (on_kept).
KEPT_BYTES = 16 * 1024


def _pinned(key: Hashable) -> bool:
    return isinstance(key, tuple) and bool(key) and key[0] in PINNED


class GraphCache(GraphReads, BackgroundReloads):
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
        self._used: set[Hashable] = set()  # keys read since the last reload
        self._mixed_floor: Any = None  # a MIXED graph is newer than this snapshot
        self._refreshing = False
        self._dirty = False
        self._closed = False
        self._thread: threading.Thread | None = None
        self._cost = 0.0
        self._counts = {"hits": 0, "misses": 0, "disk_hits": 0, "evictions": 0, "loads": 0,
                        "graph_from_file": 0, "reloads": 0, "failed_reloads": 0}
        self._keeping: threading.Thread | None = None
        self._last_failure: str | None = None
        #: Called after the cache keeps something that lives until the next snapshot (a
        #: graph read, a base, a result of :data:`KEPT_BYTES` or more): the API freezes
        #: the heap there (:func:`partnernet.service.heap.freeze`). ``None``: nothing.
        self.on_kept: Callable[[], None] | None = None

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

    def graph(self) -> nx.MultiDiGraph:
        with self._lock:
            if self._graph is None:
                g, fingerprint = self._read()
                if fingerprint != self._fingerprint or not isinstance(fingerprint, str):
                    self._clear()  # results kept without the graph are for another snapshot
                self._graph, self._fingerprint = g, fingerprint
                self._at = self._checked = self.clock.now()
                self._generation += 1
                self._counts["loads"] += 1
                self._kept()
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

    def recall(self, key: Hashable, *, hold: bool = False) -> Any:
        """The result kept on disk for ``key`` on the current snapshot (the graph's if one is
        loaded, else the store's), or :data:`~partnernet.service.results.MISSING`. With
        ``hold``, a result found is also kept in memory for the loaded graph (as
        :meth:`adopt` does), so the next request for it is a dictionary lookup."""
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
            if hold:
                self.adopt(key, value, fingerprint)
        return value

    def keep(self, key: Hashable, value: Any) -> bool:
        """Keep ``value`` on disk as ``key``'s result on the loaded graph's snapshot."""
        fingerprint = self._fingerprint
        if self.results is None or self._graph is None or not isinstance(fingerprint, str):
            return False
        return self.results.put(fingerprint, key, value)

    def peek(self, key: Hashable) -> Any:
        """``key``'s result on the snapshot in use, or :data:`MISSING`: never reads the
        graph, computes or waits (lock-free, as :meth:`computed`)."""
        entry = self._entries.get(key) if self._fingerprint is not None else None
        if entry is None:
            return MISSING
        self._used.add(key)
        return entry[0]

    def adopt(self, key: Hashable, value: Any, fingerprint: Any) -> bool:
        """Keep ``value``, computed elsewhere (the API's computation process, or read from
        the results file) on the snapshot ``fingerprint``, as ``key``'s result, if that is
        the snapshot in use or a later one (the computation process follows the store, so
        under a continuous writer its answers are newer than the worker's graph; they are
        fresher than the results kept, and kept with them) and it is no larger than
        :data:`ADOPT_SHARE` of ``max_bytes``; ``False`` (nothing kept) otherwise: a result
        of an earlier snapshot is never served for a later one.

        Without a graph loaded the cache keeps results alone: the first adopted result
        names the snapshot in use (the store's at the time, as the computing process read
        it); when the store changes (a write, :meth:`check`, or a result of a later
        snapshot) they are rebuilt in the background like a graph's, and served meanwhile.
        A worker that only relays answers never reads the graph."""
        if not isinstance(fingerprint, str) or approx_size(value) > self.max_bytes * ADOPT_SHARE:
            return False
        with self._lock:
            if fingerprint != self._fingerprint:
                if self._fingerprint is None and self._graph is None:  # nothing kept yet
                    self._clear()
                    self._fingerprint = fingerprint
                    self._at = self._checked = self.clock.now()
                    self._generation += 1
                elif not self._newer(fingerprint, self._fingerprint):
                    return False  # an older (or unordered) snapshot than the one in use
                elif self._graph is None and self.ttl and not self._refreshing:
                    self._start_refresh()  # the store has moved on: rebuild behind
            self._store(key, value)
            return True

    def _newer(self, a: Any, b: Any) -> bool:
        """Whether snapshot ``a`` is known to be later than ``b`` (the store tells:
        :meth:`GraphStore.snapshot_after`). A graph read while the store changed has no
        snapshot of its own: ``a`` is later if it is the one before that read, or later."""
        after = getattr(self.store, "snapshot_after", None)
        if b == MIXED:
            b = self._mixed_floor
            if a == b and isinstance(a, str):
                return True
        return (callable(after) and isinstance(a, str) and isinstance(b, str)
                and bool(after(a, b)))

    def check(self) -> None:
        """The periodic change check when it is due (``ttl``), without reading the graph:
        with a graph, as :meth:`graph` does it; with results kept alone (see
        :meth:`adopt`) likewise: if the store has changed, the remembered results are
        rebuilt in the background (:meth:`remember`) while these are served, then replace
        them."""
        with self._lock:
            if self._graph is not None:
                self.graph()
                return
            if (self._fingerprint is None or not self.ttl
                    or self.clock.now() - self._checked <= self.ttl):
                return
            self._checked = self.clock.now()
            try:
                changed = self._store_fingerprint() != self._fingerprint
            except Exception as exc:  # noqa: BLE001 - keep serving what we have
                log.warning("cannot check the store for changes (%s: %s)",
                            type(exc).__name__, exc)
                return
            if changed and not self._refreshing:
                self._start_refresh()  # rebuilt behind (see invalidate); served meanwhile

    def follow_store(self) -> bool:
        """Drop the graph and its results if the store has changed since it was read (one
        fingerprint read); ``True`` if it had. For a process that reads the graph for
        others and must not answer from an older snapshot (the API's computation process:
        ``ttl=0``, no background reloads)."""
        with self._lock:
            if self._graph is None:
                return False
            if self._store_fingerprint() == self._fingerprint:
                return False
            release(self._graph)
            self._graph = None
            self._fingerprint = None
            self._clear()
            self._generation += 1
            return True

    def _lookup(self, key: Hashable) -> Any:
        entry = self._entries.get(key)
        if entry is None:
            return MISSING
        self._entries.move_to_end(key)
        self._counts["hits"] += 1
        self._used.add(key)
        return entry[0]

    def _store(self, key: Hashable, value: Any) -> None:
        size = approx_size(value)
        old = self._entries.pop(key, None)
        if old is not None:
            self._bytes -= old[1]
            release(old[0])
        self._entries[key] = (value, size)
        self._bytes += size
        while len(self._entries) > 1 and (len(self._entries) > self.max_entries
                                          or self._bytes > self.max_bytes):
            # least recently used first, but never the bases every question is built on
            # (a few per graph): a stream of new parameter values must not evict what
            # every reader's question needs (measured: /match p99 35 s under the hostile
            # soak when the match index was evicted and rebuilt behind the queue)
            victim = next((k for k in self._entries if k != key and not _pinned(k)), None)
            if victim is None:
                break
            evicted, dropped = self._entries.pop(victim)
            self._bytes -= dropped
            self._counts["evictions"] += 1
            release(evicted)
        if size >= KEPT_BYTES or _pinned(key):
            self._kept()

    def _kept(self) -> None:
        if self.on_kept is not None:
            self.on_kept()

    def _clear(self) -> None:
        """Drop every result (their graphs released: no reference cycle left behind)."""
        for value, _ in self._entries.values():
            release(value)
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
        """Whether ``keys`` are already built for the current, fresh snapshot (with its graph
        or, adopted, without): the caller can then read them at once (no reload, no change
        check and no computation due).

        Lock-free (reads of two attributes and a dictionary, each atomic in CPython): a
        computation holding the lock for a moment (e.g. sizing a large result) must not
        make a question that is ready look unready and queue it behind computations
        (measured under the hostile soak: /match p99 44 s). A key evicted between this
        check and the read costs that read a computation, never a wrong answer."""
        return (self._fingerprint is not None
                and not (self.ttl and self.clock.now() - self._checked > self.ttl)
                and all(k in self._entries for k in keys))

    def computed(self, *keys: Hashable) -> bool:
        """Whether ``keys`` are built for the snapshot in use, even when a change check is
        due: reading them then costs that check (:meth:`check`), not a computation.
        ``False`` while a first graph is being loaded. Lock-free, as :meth:`ready`."""
        return self._fingerprint is not None and all(k in self._entries for k in keys)

    def idle(self) -> bool:
        """Whether no thread holds the cache's lock now (a read of ready results will not
        wait for one): the API answers ready questions on its event loop only then."""
        if not self._lock.acquire(blocking=False):
            return False
        self._lock.release()
        return True

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
