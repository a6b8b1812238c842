"""Bounded work per request: a concurrency limit for computations, and cost parameters
reserved to holders of the API token.

Node lookups, searches, ``/health`` and results already computed for the current graph
are answered at once. Everything that computes (an analysis not yet cached, a view, a
report, an export, an upload) needs one of a few *slots* (``PARTNERNET_API_HEAVY_SLOTS``
per worker process, default 1). Analyses, views, reports and exports run in computation
processes of their own (:mod:`partnernet.api.compute`), matching's index and the
explorer's requests in threads of the worker (they answer from indexes the worker keeps).
Up to ``PARTNERNET_API_HEAVY_QUEUE`` further computations wait, each at most
``PARTNERNET_API_HEAVY_WAIT`` seconds; beyond that the answer is 503 with ``Retry-After``
(estimated from recent computation times). Requests for a result that is being computed
already wait for that computation instead of starting their own (they take neither a
slot nor a place in the queue).

Parameters that change only *how* a result is computed (a seed, a number of pivots or
permutations, exact betweenness) make every value a new computation of seconds to
minutes: without the API token only their defaults are accepted (:func:`reserved`).
"""

from __future__ import annotations

import asyncio
import math
import os
import threading
import time
from collections.abc import Callable, Hashable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field
from typing import Any, TypeVar

from fastapi import Depends, HTTPException, Request
from fastapi.responses import JSONResponse

from partnernet.api.auth import bearer, read_refusal, write_refusal
from partnernet.service.results import MISSING

__all__ = ["PATH_LIMITS", "SWITCH_INTERVAL", "Busy", "Limits", "PathLimits", "WorkLimiter",
           "reserved"]

T = TypeVar("T")


class Busy(Exception):
    """No slot for a computation now: answered 503 with ``Retry-After``."""

    def __init__(self, what: str, retry_after: int, running: int, waiting: int):
        super().__init__(f"the server is busy with other computations ({running} running, "
                         f"{waiting} waiting); retry after {retry_after} s. Results already "
                         f"computed and node lookups are answered meanwhile")
        self.what, self.retry_after = what, retry_after


#: The interpreter's switch interval in the API process (Python's default: 5 ms). A thread
#: waiting for the GIL (the event loop, after each SQLite call or socket read) waits up to
#: one interval for a computing thread to let go. Four lookups beside a pure-Python
#: computation (``python -m bench.convoy``, 5 rounds on the shared 2-core machine), p99
#: median (range): 5 ms 93 ms (53-104); 5 ms with the computation at nice 10: 16 ms
#: (0.2-222); 1 ms: 20 ms (14-56); 1 ms and nice 10, the API's setting: 12.5 ms (0.2-40).
SWITCH_INTERVAL = 0.001


def _lower_priority(nice: int) -> None:
    """Lower the calling thread's CPU priority by ``nice`` (Linux schedules threads
    separately; elsewhere, or if refused, nothing changes)."""
    with suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), nice)


@dataclass
class WorkLimiter:
    """At most ``slots`` computations at once; ``queue`` more may wait ``wait`` seconds.

    Used on the event loop only (not thread-safe; no lock needed there). The
    computations run in threads of their own (``slots`` of them) whose CPU priority is
    lowered by ``nice``: when the CPU is short, the event loop answering lookups comes
    first, and a computation takes longer instead.
    """

    slots: int = 1
    queue: int = 8
    wait: float = 30.0
    name: str = "computation"
    nice: int = 0
    running: int = 0
    waiting: int = 0
    #: Computations answered 503 since the start (queue full or waited too long).
    refused: int = 0
    _free: asyncio.Semaphore | None = None
    _threads: ThreadPoolExecutor | None = None
    _inflight: dict[Hashable, asyncio.Event] = field(default_factory=dict)
    _seconds: float = 5.0  # moving average of a computation's duration

    def _semaphore(self) -> asyncio.Semaphore:
        if self._free is None:
            self._free = asyncio.Semaphore(self.slots)
        return self._free

    def _executor(self) -> ThreadPoolExecutor:
        if self._threads is None:
            self._threads = ThreadPoolExecutor(
                max_workers=self.slots, thread_name_prefix=f"partnernet-{self.name}",
                initializer=_lower_priority if self.nice else None,
                initargs=(self.nice,) if self.nice else ())
        return self._threads

    def close(self) -> None:
        """Let the computation threads end (after what they are running)."""
        if self._threads is not None:
            self._threads.shutdown(wait=False, cancel_futures=True)
            self._threads = None

    def retry_after(self) -> int:
        """Seconds until a slot is likely free for a newcomer (1 to 120)."""
        ahead = self.waiting + max(self.running - self.slots + 1, 1)
        return max(1, min(120, math.ceil(self._seconds * ahead / self.slots)))

    def _busy(self) -> Busy:
        self.refused += 1
        return Busy(self.name, self.retry_after(), self.running, self.waiting)

    @asynccontextmanager
    async def slot(self):
        """Hold a slot for the duration of the block (waiting in the queue if need be)."""
        sem = self._semaphore()
        if sem.locked():
            if self.waiting >= self.queue:
                raise self._busy()
            self.waiting += 1
            try:
                await asyncio.wait_for(sem.acquire(), timeout=self.wait)
            except TimeoutError:
                raise self._busy() from None
            finally:
                self.waiting -= 1
        else:
            await sem.acquire()
        self.running += 1
        began = time.monotonic()
        try:
            yield
        finally:
            self.running -= 1
            self._seconds = 0.7 * self._seconds + 0.3 * (time.monotonic() - began)
            sem.release()

    async def run(self, call: Callable[[], T], *, key: Hashable | None = None,
                  cached: Callable[[], Any] | None = None) -> T:
        """``call()`` in the limiter's threads while holding a slot (a call that hands its
        work to a computation process waits for it there).

        With ``key``: a request for a result already being computed waits for that
        computation (at most :attr:`wait` seconds), then answers ``cached()`` unless that is
        ``MISSING`` (the first computation's result was not kept), else computes it itself.
        """
        while key is not None and (pending := self._inflight.get(key)) is not None:
            try:
                await asyncio.wait_for(pending.wait(), timeout=self.wait)
            except TimeoutError:
                raise self._busy() from None
            if cached is not None and (value := cached()) is not MISSING:
                return value
        done = asyncio.Event()
        if key is not None:
            self._inflight[key] = done
        try:
            async with self.slot():
                loop = asyncio.get_running_loop()
                return await loop.run_in_executor(self._executor(), call)
        finally:
            if key is not None and self._inflight.get(key) is done:
                del self._inflight[key]
            done.set()


@dataclass
class Limits:
    """The API's limiters: analyses, views, reports and exports share ``compute`` (their
    work runs in the computation processes); uploads (a load holds the GIL for seconds)
    have their own single slot; the explorer's data requests and matching (quick once
    the worker's explorer and match indexes are built, up to seconds of CPU before, in
    the worker's threads) have ``explore``, twice as many slots as ``compute``."""

    compute: WorkLimiter
    loads: WorkLimiter
    explore: WorkLimiter

    @classmethod
    def from_settings(cls, settings: Any) -> Limits:
        return cls(compute=WorkLimiter(slots=settings.api_heavy_slots,
                                       queue=settings.api_heavy_queue,
                                       wait=settings.api_heavy_wait,
                                       nice=settings.api_heavy_nice),
                   loads=WorkLimiter(slots=1, queue=2, wait=settings.api_heavy_wait,
                                     name="load"),
                   explore=WorkLimiter(slots=2 * settings.api_heavy_slots,
                                       queue=2 * settings.api_heavy_queue,
                                       wait=settings.api_heavy_wait, name="explorer request"))

    def close(self) -> None:
        self.compute.close()
        self.loads.close()
        self.explore.close()


#: Routes limited by their path (routes whose code does not take a limiter), each to a
#: limiter of :class:`Limits`: the explorer's data requests.
PATH_LIMITS = (("/explore/facets", "explore"), ("/explore/neighbourhood/", "explore"),
               ("/explore/node/", "explore"), ("/explore/aggregate", "explore"),
               ("/explore/members", "explore"), ("/explore/map", "explore"))


class PathLimits:
    """ASGI middleware: a request to a path of :data:`PATH_LIMITS` is handled holding a
    slot of its limiter (503 with ``Retry-After`` when there is none to be had)."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http":
            path = scope["path"]
            for prefix, name in PATH_LIMITS:
                if path == prefix or (prefix.endswith("/") and path.startswith(prefix)):
                    limiter = getattr(scope["app"].state.limits, name)
                    try:
                        async with limiter.slot():
                            await self.app(scope, receive, send)
                    except Busy as exc:
                        response = JSONResponse(
                            status_code=503, content={"detail": str(exc)},
                            headers={"Retry-After": str(exc.retry_after)})
                        await response(scope, receive, send)
                    return
        await self.app(scope, receive, send)


@dataclass(frozen=True)
class _Reserved:
    name: str
    default: Any
    parse: Callable[[str], Any]


def _bool(text: str) -> bool:
    value = text.strip().lower()
    if value in ("true", "1", "yes", "on"):
        return True
    if value in ("false", "0", "no", "off"):
        return False
    raise ValueError(text)


def reserved(**defaults: Any) -> Any:
    """A dependency refusing, to callers without the API token, any value of the named
    query parameters other than its default (401, or 403 with only the read token).

    ``reserved(seed=0, pivots=None)``: ``?seed=0`` is open, ``?seed=7`` needs the token.
    Values that do not parse are left to the route's own validation (422).
    """
    rules = [_Reserved(name, default,
                       _bool if isinstance(default, bool) else float) for name, default
             in defaults.items()]

    async def check(request: Request) -> None:
        asked = []
        for rule in rules:
            raw = request.query_params.get(rule.name)
            if raw is None:
                continue
            try:
                value = rule.parse(raw)
            except ValueError:
                continue
            if value != rule.default:
                asked.append((rule, raw))
        if not asked:
            return
        settings = request.app.state.settings
        token = bearer(request.headers)
        if write_refusal(settings, token) is None:
            return
        names = ", ".join(f"{r.name}={raw}" for r, raw in asked)
        defaults_text = ", ".join(
            f"{r.name}={'(unset)' if r.default is None else str(r.default).lower()}"
            for r, _ in asked)
        detail = (f"{names}: values other than the defaults ({defaults_text}) are reserved "
                  "to holders of the API token (PARTNERNET_API_TOKEN): each one is a new "
                  "computation of seconds to minutes. Leave them out, or use the command "
                  "line")
        # a reader who presented a valid read token is known but not allowed: 403
        known = settings.api_read_token is not None and read_refusal(settings, token) is None
        raise HTTPException(status_code=403 if known else 401, detail=detail,
                            headers=None if known else {"WWW-Authenticate": "Bearer"})

    return Depends(check)
