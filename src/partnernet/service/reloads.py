"""The graph cache after writes: remembered results rebuilt on a graph reloaded in the
background, coalesced reloads, waiting for and stopping them."""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any

from partnernet.service.heap import release

if TYPE_CHECKING:  # not imported at run time: a result read from disk needs no graph library
    import networkx as nx

    from partnernet.service.cache import GraphCache

__all__ = ["BackgroundReloads"]

log = logging.getLogger("partnernet.cache")


class BackgroundReloads:
    """The graph cache's writes and background reloads (part of
    :class:`~partnernet.service.cache.GraphCache`, which holds the attributes used here and
    documents the behaviour under **Writes**)."""

    def remember(self, key: Hashable, replay: Callable[[GraphCache], Any]) -> None:
        """``replay(cache)`` rebuilds the result ``key`` on another cache. The results
        remembered since the previous reload (the last :attr:`warm_limit`) are rebuilt
        before the next one is used; of those, the ones read since (:meth:`peek`, a
        lookup) are remembered again for the reload after."""
        with self._lock:
            self._replays.pop(key, None)
            self._replays[key] = replay  # most recent last
            while len(self._replays) > self.warm_limit:
                self._replays.popitem(last=False)

    def invalidate(self) -> None:
        """The store changed through partnernet (see the class notes)."""
        if not self.ttl or self._fingerprint is None:
            with self._lock:
                release(self._graph)
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
            failed = False
            try:
                if self._graph is None:  # results kept without the graph: no graph to read
                    g, fingerprint = None, self._store_fingerprint()
                else:
                    g, fingerprint = self._read()
            except Exception as exc:  # noqa: BLE001 - keep serving the previous graph
                failed = True
                self._counts["failed_reloads"] += 1
                self._last_failure = f"{type(exc).__name__}: {exc}"
                log.warning("graph reload failed (%s); still serving the graph read %.0f s "
                            "ago; the next change check tries again", self._last_failure,
                            self.clock.now() - self._at)
            if not failed and g is None and fingerprint == self._fingerprint:
                failed = True  # results kept alone, and the store has not changed: keep them
            shadow = None if failed else self._warm(g, fingerprint)
            self._cost = self.clock.now() - began
            with self._lock:
                now = self.clock.now()
                if shadow is not None:
                    release(self._graph)
                    self._clear()
                    self._graph, self._fingerprint = shadow._graph, shadow._fingerprint
                    self._entries, self._bytes = shadow._entries, shadow._bytes
                    self._generation += 1
                    self._counts["reloads"] += 1
                    self._kept()
                self._at = self._checked = now
                if not self._dirty or shadow is None:
                    break
        with self._lock:
            self._refreshing = False
            self._idle.notify_all()

    def _warm(self, g: nx.MultiDiGraph | None, fingerprint: Any) -> GraphCache:
        """The remembered results, rebuilt on ``g`` (``None``: results alone, for the
        snapshot ``fingerprint``) in a private cache that is returned (readers meanwhile
        use the current graph and results). A result that fails to rebuild is left to be
        built on demand, and raises then."""
        with self._lock:
            replays = list(self._replays.items())
            self._replays = OrderedDict()
            used, self._used = self._used, set()
        shadow = type(self)(self.store, ttl=0, results=self.results,
                            max_entries=self.max_entries, max_bytes=self.max_bytes,
                            clock=self.clock)
        shadow._graph, shadow._fingerprint, shadow._generation = g, fingerprint, 1
        for key, replay in replays:
            if self._closed:
                break
            try:
                replay(shadow)
            except Exception:  # noqa: BLE001, S112 - e.g. a matched seeker was deleted
                continue
            if key in used:  # asked for since the last reload: rebuilt at the next one too
                self.remember(key, replay)
        return shadow

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
