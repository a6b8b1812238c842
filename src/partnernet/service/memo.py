"""Reports remembered on the store's GraphCache, in memory and on disk per data snapshot."""

from __future__ import annotations

from partnernet.service.cache import GraphCache, memo_key
from partnernet.service.results import MISSING

__all__ = ["memo", "recalled"]


def memo(name: str):
    """Cache a report on the store's GraphCache under its arguments (results are
    immutable data; a write to the store invalidates them with the graph), in memory and
    on disk per data snapshot (see :class:`GraphCache`)."""
    import functools

    def wrap(fn):
        def key(*args, **kwargs) -> tuple:
            return memo_key(name, args, kwargs)

        @functools.wraps(fn)
        def inner(store, *args, cache=None, **kwargs):
            cache = cache or GraphCache.for_store(store)
            k = key(*args, **kwargs)
            cache.remember(k, lambda c: inner(store, *args, cache=c, **kwargs))
            return cache.derived(k, lambda _g: fn(store, *args, cache=cache, **kwargs),
                                 persist=True)
        def recall(store, *args, cache=None, **kwargs):
            """The report kept on disk for these arguments on the current snapshot (then
            also kept in memory), or ``MISSING``: a disk read, no computation (the API tries
            it before queueing for a computation slot: another worker, or the CLI, may have
            computed it)."""
            cache = cache or GraphCache.for_store(store)
            return cache.recall(key(*args, **kwargs), hold=True)
        inner.keys = lambda *args, **kwargs: [key(*args, **kwargs)]
        inner.recall = recall
        return inner
    return wrap


def recalled(name: str):
    """For an answer computed in milliseconds once its index is built (matching): a
    process without that index (the CLI) first looks for the same question answered on
    this snapshot before, and keeps what it computes; one with it (the API) just answers."""
    import functools

    def wrap(fn):
        @functools.wraps(fn)
        def inner(store, *args, cache=None, **kwargs):
            cache = cache or GraphCache.for_store(store)
            cold = not cache.ready(*inner.keys(*args, **kwargs))
            key = memo_key(name, args, kwargs)
            if cold:
                kept = cache.recall(key)
                if kept is not MISSING:
                    return kept
            result = fn(store, *args, cache=cache, **kwargs)
            if cold:
                cache.keep(key, result)
            return result

        def recall(store, *args, cache=None, **kwargs):
            """The answer kept on disk for this question on the current snapshot, or
            ``MISSING``: a disk read, no computation (the API tries it before queueing
            for a computation slot)."""
            cache = cache or GraphCache.for_store(store)
            return cache.recall(memo_key(name, args, kwargs))
        inner.recall = recall
        return inner
    return wrap
