"""The store's graph, loaded once per process and kept with the results computed on it."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from partnernet.graph.store import GraphStore

__all__ = ["GraphCache"]


@dataclass
class GraphCache:
    """The store's graph, projected once and reused, with derived results cached on it.

    A write through partnernet calls :meth:`invalidate`: the graph is reloaded in the
    background while readers keep the previous graph and results. Before the new graph
    replaces the old one, the results used since the previous reload are rebuilt on it
    (:meth:`remember`), so analyses lag a write by one reload and its warm-up (seconds;
    each result's ``snapshot`` says when it was computed) and never stall behind a
    recomputation (node and relationship reads go to the store and are immediate).
    Reloads are coalesced: at most one every :attr:`min_interval` seconds (longer when
    reloading is slow, see :attr:`cost_factor`). With ``ttl=0`` (tests, single users)
    invalidation is immediate instead. Changes made by others are noticed after ``ttl``
    seconds when the counts by label and type differ.
    Each derived result is built once per graph (other results are not blocked).
    """

    store: GraphStore
    ttl: float = 60.0
    _graph: nx.MultiDiGraph | None = None
    _at: float = 0.0
    _fingerprint: Any = None
    _generation: int = 0
    _refreshing: bool = False
    _dirty: bool = False
    _lock: threading.RLock = field(default_factory=threading.RLock)
    _derived: dict = field(default_factory=dict)
    _key_locks: dict = field(default_factory=dict)
    _replays: dict = field(default_factory=dict)

    #: At most this many remembered results are rebuilt before a reloaded graph is used.
    warm_limit: int = 32

    def _fingerprint_now(self) -> Any:
        c = self.store.counts()
        return (tuple(sorted(c.nodes.items())), tuple(sorted(c.relationships.items())))

    def graph(self) -> nx.MultiDiGraph:
        with self._lock:
            if self._graph is None:
                self._fingerprint = self._fingerprint_now()
                self._graph = self.store.to_networkx()
                self._at = time.monotonic()
                self._derived.clear()
                self._generation += 1
            elif self.ttl and time.monotonic() - self._at > self.ttl and not self._refreshing:
                self._at = time.monotonic()
                if self._fingerprint_now() != self._fingerprint:
                    self._start_refresh()
            return self._graph

    def _start_refresh(self) -> None:
        self._refreshing = True
        threading.Thread(target=self._refresh, daemon=True).start()

    #: Reloads after writes are at least this many seconds apart (writes are coalesced).
    min_interval: float = 10.0
    #: ... and at least this many times as long as the previous reload and warm-up took,
    #: so that under a continuous writer reloading takes at most a quarter of the time.
    cost_factor: float = 4.0
    _cost: float = 0.0

    def _refresh(self) -> None:
        while True:
            gap = max(self.min_interval, self.cost_factor * self._cost)
            wait = gap - (time.monotonic() - self._at)
            if wait > 0:
                time.sleep(wait)
            self._dirty = False
            began = time.monotonic()
            try:
                fingerprint = self._fingerprint_now()
                g = self.store.to_networkx()
            except Exception:  # noqa: BLE001 - keep serving the previous graph
                g = None
            warm = self._warm(g, fingerprint) if g is not None else {}
            self._cost = time.monotonic() - began
            with self._lock:
                if g is not None:
                    self._graph, self._fingerprint = g, fingerprint
                    self._at = time.monotonic()
                    self._derived = warm
                    self._generation += 1
                if not self._dirty:
                    self._refreshing = False
                    return

    def _warm(self, g: nx.MultiDiGraph, fingerprint: Any) -> dict:
        """The remembered results, rebuilt on ``g`` in a private cache (readers meanwhile
        use the current graph). A result that fails to rebuild is left to be built on
        demand, and raises then."""
        with self._lock:
            replays = list(self._replays.values())[-self.warm_limit:]
            self._replays = {}
        shadow = GraphCache(self.store, ttl=0, _graph=g, _fingerprint=fingerprint)
        for replay in replays:
            try:
                replay(shadow)
            except Exception:  # noqa: BLE001, S112 - e.g. a matched seeker was deleted
                continue
        return shadow._derived

    def remember(self, key: tuple, replay) -> None:
        """``replay(cache)`` rebuilds the result ``key`` on another cache. The results
        remembered since the previous reload are rebuilt before the next one is used."""
        with self._lock:
            self._replays.pop(key, None)
            self._replays[key] = replay  # most recent last

    def derived(self, key: tuple, build) -> Any:
        """``build(graph)`` once per graph and ``key``; concurrent callers of the same key
        wait for the first, callers of other keys do not."""
        with self._lock:
            g = self.graph()
            generation = self._generation
            if key in self._derived:
                return self._derived[key]
            key_lock = self._key_locks.setdefault(key, threading.Lock())
        with key_lock:
            with self._lock:
                if generation == self._generation and key in self._derived:
                    return self._derived[key]
            value = build(g)
            with self._lock:
                if generation == self._generation:
                    self._derived[key] = value
            return value

    def ready(self, *keys: tuple) -> bool:
        """Whether ``keys`` are already built for the current, fresh graph: the caller can
        then read them at once (no reload, no change check and no computation due)."""
        if not self._lock.acquire(blocking=False):
            return False
        try:
            return (self._graph is not None
                    and not (self.ttl and time.monotonic() - self._at > self.ttl)
                    and all(k in self._derived for k in keys))
        finally:
            self._lock.release()

    def computed(self, *keys: tuple) -> bool:
        """Whether ``keys`` are built for the graph in use, even when a change check is due:
        reading them then costs that check (the counts), not a computation. ``False`` while
        the graph is being loaded."""
        if not self._lock.acquire(blocking=False):
            return False
        try:
            return self._graph is not None and all(k in self._derived for k in keys)
        finally:
            self._lock.release()

    def invalidate(self) -> None:
        """The store changed through partnernet (see the class notes)."""
        if not self.ttl or self._graph is None:
            with self._lock:
                self._graph = None
                self._derived.clear()
                self._generation += 1
            return
        self._dirty = True
        with self._lock:
            if not self._refreshing:
                self._start_refresh()
