"""Every analysis as one call on a store, with the metadata a reader needs.

The CLI and the API both call these; results are plain, JSON-ready data (``nan``
is replaced by ``None`` at the edge, see :func:`partnernet.cli.output.json_safe`).
Each result says which projection it used, which Global South definition, how
betweenness was computed, the data snapshot and the software version.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from graph.analysis.brokers import broker_table
from graph.analysis.communities import communities
from graph.analysis.deliverables import deliverable_status
from graph.analysis.ei_index import ei_index
from graph.analysis.focal_units import focal_units
from graph.analysis.matching import build_index, match_partners, resolve_node
from graph.analysis.projections import annotate, membership_graph, partnership_graph
from graph.analysis.recognitions import recognitions
from graph.analysis.south_south import (
    missing_links,
    partnership_shares,
    region_density,
    triangular_brokers,
)
from graph.geography.south import DEFINITIONS
from graph.store import GraphStore
from partnernet import __version__

__all__ = ["GraphCache", "brokers", "communities_report", "deliverables", "focal_unit_report",
           "match", "recognitions_report", "snapshot", "south_south"]

#: Above this many nodes, betweenness is sampled unless the caller asks otherwise. Exact at
#: 15,000 nodes takes about 20 s on 2 cores, once per graph (results are cached). Sampling
#: was the default above 5,000 until bench/analysis.py showed that on a 10,000-city graph
#: 512 pivots found 17 of the exact top 50 (split-half agreement on the top 25: 0).
EXACT_LIMIT = 15_000
DEFAULT_PIVOTS = 512


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


def _memo(name: str):
    """Cache a report on the store's GraphCache under its arguments (results are
    immutable data; a write to the store invalidates them with the graph)."""
    import functools

    def wrap(fn):
        def key(*args, **kwargs) -> tuple:
            return (name, args, tuple(sorted((k, _hashable(v)) for k, v in kwargs.items())))

        @functools.wraps(fn)
        def inner(store, *args, cache=None, **kwargs):
            cache = cache or GraphCache(store)
            k = key(*args, **kwargs)
            cache.remember(k, lambda c: inner(store, *args, cache=c, **kwargs))
            return cache.derived(k, lambda _g: fn(store, *args, cache=cache, **kwargs))
        inner.keys = lambda *args, **kwargs: [key(*args, **kwargs)]
        return inner
    return wrap


def _hashable(v: Any) -> Any:
    if isinstance(v, list | tuple | set):
        return tuple(_hashable(x) for x in v)
    if isinstance(v, dict):
        return tuple(sorted((k, _hashable(x)) for k, x in v.items()))
    return v


def _annotated(cache: GraphCache, definition: str) -> nx.MultiDiGraph:
    return cache.derived(("annotated", definition),
                         lambda g: annotate(g.copy(), definition=definition))


def snapshot(store: GraphStore, g: nx.MultiDiGraph | None = None) -> dict[str, Any]:
    """What the data was when a result was computed."""
    counts = store.counts()
    generated = sum(1 for _, d in g.nodes(data=True) if d.get("generated")) if g else None
    return {"taken_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
            "store": store.info(), "nodes": counts.total_nodes,
            "relationships": counts.total_relationships, "nodes_by_label": counts.nodes,
            "generated_nodes": generated, "software": f"partnernet {__version__}"}


def _definition(definition: str) -> dict[str, str]:
    if definition not in DEFINITIONS:
        raise ValueError(f"unknown Global South definition {definition!r}; choose one of "
                         f"{', '.join(DEFINITIONS)}")
    return DEFINITIONS[definition].describe()


def _partnerships(g: nx.MultiDiGraph, *, kinds=None, since=None, until=None, regions=None,
                  include_partners: bool = False) -> nx.Graph:
    return partnership_graph(g, kinds=kinds, since=since, until=until, regions=regions,
                             include_partners=include_partners)


@_memo("brokers")
def brokers(store: GraphStore, *, cache: GraphCache | None = None, group_by: str = "region",
            definition: str = "g77", k: int | None = None, exact: bool = False, seed: int = 0,
            top: int = 25, kinds=None, since=None, until=None, regions=None,
            include_partners: bool = True) -> dict[str, Any]:
    """Ranked brokers of the partnership graph (cities and partners)."""
    cache = cache or GraphCache(store)
    g = _annotated(cache, definition)
    p = _partnerships(g, kinds=kinds, since=since, until=until, regions=regions,
                      include_partners=include_partners)
    p.remove_nodes_from([v for v in list(p) if p.degree(v) == 0])
    if k is None and not exact and p.number_of_nodes() > EXACT_LIMIT:
        k = DEFAULT_PIVOTS
    result = broker_table(p, group_by=group_by, k=None if exact else k, seed=seed, top=top)
    result["projection"] = ("partnership graph: PARTNERS_WITH between cities"
                            + (" and partners" if include_partners else "")
                            + "; isolates left out")
    result["definition"] = _definition(definition)
    result["filters"] = {"kinds": kinds, "since": since, "until": until, "regions": regions}
    result["snapshot"] = snapshot(store, g)
    return result


@_memo("south_south")
def south_south(store: GraphStore, *, cache: GraphCache | None = None,
                definition: str = "g77", top: int = 20, permutations: int = 1000,
                seed: int = 0, kinds=None, since=None, until=None) -> dict[str, Any]:
    """Shares, E-I index, region densities, missing links and triangular brokers."""
    cache = cache or GraphCache(store)
    g = _annotated(cache, definition)
    cities = _partnerships(g, kinds=kinds, since=since, until=until)
    with_partners = _partnerships(g, kinds=kinds, since=since, until=until,
                                  include_partners=True)
    blocs = {v: d.get("bloc") for v, d in cities.nodes(data=True)
             if d.get("bloc") in ("South", "North")}
    regions = {v: d.get("region") for v, d in cities.nodes(data=True)}
    connected = cities.subgraph([v for v in cities if cities.degree(v) > 0])
    result = {
        "definition": _definition(definition),
        "projection": "city-city partnership graph (PARTNERS_WITH); triangular brokers also "
                      "use partners; missing links use the membership graph",
        "shares": partnership_shares(cities),
        "ei": {"south_north": ei_index(connected, blocs, permutations=permutations,
                                       seed=seed),
               "region": ei_index(connected, regions, permutations=permutations, seed=seed)},
        "density": region_density(cities),
        "missing_links": missing_links(cities, membership_graph(g), top=top),
        "triangular": triangular_brokers(with_partners, top=10),
        "snapshot": snapshot(store, g),
    }
    for part in result["ei"].values():
        part.pop("nodes", None)  # per-node E-I is large; available from the library
    return result


@_memo("focal_unit_report")
def focal_unit_report(store: GraphStore, *, cache: GraphCache | None = None,
                      today: dt.date | None = None) -> dict[str, Any]:
    cache = cache or GraphCache(store)
    g = cache.graph()
    result = focal_units(g, today=today)
    result["snapshot"] = snapshot(store, g)
    return result


@_memo("deliverables")
def deliverables(store: GraphStore, *, cache: GraphCache | None = None) -> dict[str, Any]:
    cache = cache or GraphCache(store)
    g = cache.graph()
    return {**deliverable_status(g), "snapshot": snapshot(store, g)}


@_memo("recognitions_report")
def recognitions_report(store: GraphStore, *, cache: GraphCache | None = None,
                        today: dt.date | None = None, within_days: int = 365) -> dict[str, Any]:
    cache = cache or GraphCache(store)
    g = cache.graph()
    return {**recognitions(g, today=today, within_days=within_days),
            "snapshot": snapshot(store, g)}


@_memo("communities_report")
def communities_report(store: GraphStore, *, cache: GraphCache | None = None, seed: int = 0,
                       definition: str = "g77", top: int = 20) -> dict[str, Any]:
    cache = cache or GraphCache(store)
    g = _annotated(cache, definition)
    p = _partnerships(g, include_partners=True)
    p.remove_nodes_from([v for v in list(p) if p.degree(v) == 0])
    r = communities(p, seed=seed)
    groups: dict[int, list] = {}
    for v, c in r["membership"].items():
        groups.setdefault(c, []).append(v)
    summary = []
    for c, members in sorted(groups.items())[:top]:
        regions: dict[str, int] = {}
        for v in members:
            regions[p.nodes[v].get("region", "Unknown")] = regions.get(
                p.nodes[v].get("region", "Unknown"), 0) + 1
        hubs = sorted(members, key=lambda v: (-p.degree(v), str(v)))[:5]
        summary.append({"community": c, "size": len(members),
                        "regions": dict(sorted(regions.items(), key=lambda kv: -kv[1])),
                        "hubs": [p.nodes[v].get("name", v) for v in hubs]})
    return {"communities": summary, "count": len(r["sizes"]), "modularity": r["modularity"],
            "seed": seed, "projection": "partnership graph (cities and partners)",
            "membership": r["membership"], "snapshot": snapshot(store, g)}


def _match_keys(*_args: Any, definition: str = "g77", **_kwargs: Any) -> list[tuple]:
    return [("annotated", definition), ("match-index", definition), ("snapshot",)]


def match(store: GraphStore, seeker: str, *, cache: GraphCache | None = None,
          themes=(), sdgs=(), category: str | None = None, south_south: bool = False,
          top: int = 10, definition: str = "g77") -> dict[str, Any]:
    cache = cache or GraphCache(store)
    cache.remember(("match", definition), lambda c: _match_parts(store, c, definition))
    g, index, taken = _match_parts(store, cache, definition)
    node = resolve_node(g, seeker, index=index)
    result = match_partners(g, node, themes=themes, sdgs=sdgs, category=category,
                            south_south=south_south, top=top, index=index)
    result["definition"] = _definition(definition)
    result["snapshot"] = taken
    return result


def _match_parts(store: GraphStore, cache: GraphCache, definition: str):
    """The annotated graph, its matching index (built on the annotated graph: the index
    carries each candidate's bloc) and the snapshot, built once per graph."""
    g = _annotated(cache, definition)
    index = cache.derived(("match-index", definition), lambda _g: build_index(g))
    return g, index, cache.derived(("snapshot",), lambda gg: snapshot(store, gg))


#: What :func:`match` reads from the cache (see :meth:`GraphCache.ready`).
match.keys = _match_keys
