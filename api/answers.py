"""Answers kept by this worker, or computed for it under the limits: the one path the
analysis, view, report and export routes share.

A result kept for the worker's graph is answered from memory; one kept in the results file
for the current snapshot (by the computation process, another worker or the CLI) from
there; anything else is computed holding a computation slot (:mod:`partnernet.api.limits`)
in the computation process (:mod:`partnernet.api.compute`), and kept when it was computed
on the snapshot of the worker's graph.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from fastapi.concurrency import run_in_threadpool

from partnernet.api.compute import Computations
from partnernet.api.limits import Limits
from partnernet.service.cache import GraphCache
from partnernet.service.results import MISSING

__all__ = ["computed", "held"]


async def held(cache: GraphCache, key: Hashable) -> Any:
    """``key``'s value kept for this worker's snapshot, or ``MISSING``. Read on the event
    loop when fresh; when the periodic change check is due, after that check in a thread
    (it may be a round trip to the store; a reload then runs behind, or results kept
    without the graph are dropped)."""
    if cache.ready(key):
        return cache.peek(key)
    if cache.computed(key):
        await run_in_threadpool(cache.check)
        return cache.peek(key)
    return MISSING


async def computed(cache: GraphCache, limits: Limits, compute: Computations, key: Hashable,
                   job: Callable, *args: Any, recall: Callable[[], Any] | None = None) -> Any:
    """``job``'s value for ``key`` (see the module notes); ``recall()`` (a disk read, in a
    thread) is tried before computing. A request for a value being computed waits for that
    computation instead of starting another."""
    value = await held(cache, key)
    if value is not MISSING:
        return value
    if recall is not None:
        value = await run_in_threadpool(recall)
        if value is not MISSING:
            compute.remember(key, job, *args)  # rebuilt after a write, like a computed one
            return value
    return await limits.compute.run(compute.call(job, *args, keep=key), key=key,
                                    cached=lambda: cache.peek(key))
