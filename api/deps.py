"""Dependencies as ``Annotated`` aliases: the store, the graph cache, settings, tokens."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

import anyio
from fastapi import Depends, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from partnernet.api.auth import bearer, read_refusal, write_refusal
from partnernet.api.compute import Computations
from partnernet.api.limits import Limits
from partnernet.graph.store import GraphStore, StoreBusy, StoreUnavailable
from partnernet.service.cache import GraphCache
from partnernet.settings import Settings

__all__ = ["CacheDep", "ComputeDep", "LimitsDep", "ReadAuth", "SettingsDep", "StoreDep",
           "WriteAuth",
           "on_store", "write_on_store"]

T = TypeVar("T")

# The dependencies below do no I/O: ``async def`` keeps them on the event loop instead
# of costing a thread-pool hop each (three or four per request otherwise).
_bearer = HTTPBearer(auto_error=False, description="Bearer token (PARTNERNET_API_TOKEN)")


async def _store(request: Request) -> GraphStore:
    return request.app.state.store


async def _cache(request: Request) -> GraphCache:
    return request.app.state.cache


async def _settings(request: Request) -> Settings:
    return request.app.state.settings


async def require_write(request: Request,
                        creds: Annotated[HTTPAuthorizationCredentials | None,
                                         Depends(_bearer)]) -> None:
    # (the intake middleware has refused the request already if it carries a body)
    refusal = write_refusal(request.app.state.settings, creds.credentials if creds else None)
    if refusal is not None:
        raise HTTPException(status_code=401, detail=refusal,
                            headers={"WWW-Authenticate": "Bearer"})


async def require_read(request: Request) -> None:
    """Reads are open unless a read token is configured. The header is read directly so
    that the OpenAPI schema does not claim open read routes need authentication."""
    refusal = read_refusal(request.app.state.settings, bearer(request.headers))
    if refusal is not None:
        raise HTTPException(status_code=401, detail=refusal,
                            headers={"WWW-Authenticate": "Bearer"})


async def _limits(request: Request) -> Limits:
    return request.app.state.limits


async def _compute(request: Request) -> Computations:
    return request.app.state.compute


#: Seconds a short read on a network store (lookup, search, page, counts, health) may
#: take before the answer is 503. A Neo4j that stopped answering on connections it had
#: already opened (hung, or cut off by the network) is otherwise waited for until the
#: server's socket timeout hint (120 s by default); connecting and retrying are bounded
#: by the driver settings (see ``open_store``).
READ_DEADLINE = 2.5
#: Short reads abandoned at their deadline that are still waiting in their thread: past
#: this many, further reads fail at once instead of taking more threads from the pool.
MAX_STUCK = 8

_stuck = 0
_stuck_lock = threading.Lock()


async def on_store(store: GraphStore, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    """``fn(*args, **kwargs)``, for a short read on ``store``.

    For lookups by id, name or page. An in-process store (SQLite) answers those in about
    a millisecond of CPU: it is called on the event loop, because a thread-pool hop costs
    more than the call and threads contending for the GIL made the tail latency
    (measured in ``bench/api.py``: node lookups p99 135 ms in threads, 19-26 ms inline).
    A network store (Neo4j) waits on I/O, so it is called in the thread pool and other
    requests go on meanwhile, within :data:`READ_DEADLINE` (then
    :class:`StoreUnavailable`, answered 503). Loads, which take seconds, always go to the
    thread pool.
    """
    if getattr(store, "in_process", False):
        return fn(*args, **kwargs)
    return await _within_deadline(fn, *args, **kwargs)


async def _within_deadline(fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    global _stuck
    if _stuck >= MAX_STUCK:
        raise StoreUnavailable(f"the store has not answered {_stuck} earlier requests "
                               "within their deadline")
    state = {"finished": False, "abandoned": False}
    lock = threading.Lock()

    def call() -> T:
        global _stuck
        try:
            return fn(*args, **kwargs)
        finally:
            with lock:
                state["finished"] = True
                if state["abandoned"]:
                    with _stuck_lock:
                        _stuck -= 1

    try:
        with anyio.fail_after(READ_DEADLINE):
            return await anyio.to_thread.run_sync(call, abandon_on_cancel=True)
    except TimeoutError:
        with lock:
            if not state["finished"]:
                state["abandoned"] = True
                with _stuck_lock:
                    _stuck += 1
        raise StoreUnavailable(f"the store did not answer within {READ_DEADLINE} s") from None


#: Writes of up to this many items are tried on the event loop (in-process stores).
INLINE_WRITE_LIMIT = 1000


async def write_on_store(store: GraphStore, items: int, fn: Callable[..., T], /, *args: Any,
                         **kwargs: Any) -> T:
    """``fn(*args, **kwargs)``, for a write of ``items`` nodes or relationships.

    On an in-process store a small write is tried on the event loop without waiting for
    the database lock: in the thread pool it waited for the GIL behind the inline reads
    (measured: a one-relationship write took 265 ms at p50 under 32 readers, 33 ms
    inline). If another writer holds the lock (a bulk load), nothing has been written
    and the write waits for it in the thread pool instead, so the loop never blocks.
    """
    if getattr(store, "in_process", False) and items <= INLINE_WRITE_LIMIT:
        try:
            with store.no_wait():
                return fn(*args, **kwargs)
        except StoreBusy:
            pass
    return await run_in_threadpool(fn, *args, **kwargs)


StoreDep = Annotated[GraphStore, Depends(_store)]
CacheDep = Annotated[GraphCache, Depends(_cache)]
SettingsDep = Annotated[Settings, Depends(_settings)]
LimitsDep = Annotated[Limits, Depends(_limits)]
ComputeDep = Annotated[Computations, Depends(_compute)]
WriteAuth = Depends(require_write)
ReadAuth = Depends(require_read)
