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
                    release(self._graph)
                    self._clear()
                    self._graph, self._fingerprint = g, fingerprint
                    self._entries, self._bytes = warm
                    self._generation += 1
                    self._counts["reloads"] += 1
                    self._kept()
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
        shadow = type(self)(self.store, ttl=0, results=self.results,
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
