"""Where the API's computations run: processes of their own beside each API worker.

A computation in a thread of an API worker shares that worker's interpreter lock with its
event loop: NumPy, igraph and the JSON and XML writers hold the lock for milliseconds at a
time, and every lookup waiting behind them waits that long (measured with ``python -m
bench.soak``: node lookups p99 517 ms beside a hostile mix of brokers since new months,
whole-network views and exports, against 8.7 ms without it). In a process of its own, at
a lower CPU priority, a computation shares no lock with the event loop and the kernel
gives request handling the CPU first.

Each API worker starts ``PARTNERNET_API_HEAVY_SLOTS`` such processes (spawned, not forked:
the worker has threads). Each opens the store named by the settings itself, keeps its own
copy of the graph (:class:`~partnernet.service.cache.GraphCache`, ``ttl=0``) and, before
every job, drops it if the store's fingerprint has changed (:meth:`GraphCache.follow_store`),
so a job never answers from an older snapshot than the store's. Analyses it computes go to
the store's results file, as the CLI's do; what a job returns comes back to the worker with
the snapshot it was computed on, and the worker keeps it for its own graph only if that is
the same snapshot (:meth:`GraphCache.adopt`). The worker also remembers how to compute it
again: after a write, its background reload has the computation process rebuild it for the
new graph before that graph is used (:meth:`GraphCache.remember`), as it rebuilds what it
computed itself.

Jobs are module-level functions ``job(context, *args) -> (value, snapshot)``: in a
computation process the context is that process's own (:func:`_in_process`); with
``PARTNERNET_API_COMPUTE=thread``, or for an app given a store object rather than settings
naming one (another process cannot open an object), they run in the worker's threads with
the worker's store and cache.
A job's exception comes back as itself (class, message and attributes), also for exception
classes whose constructor takes other arguments than their message.
"""

from __future__ import annotations

import functools
import logging
import multiprocessing
import os
import pickle
import signal
import threading
import traceback
from collections.abc import Callable, Hashable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

from partnernet.graph.store import GraphStore
from partnernet.service import heap
from partnernet.service.cache import GraphCache
from partnernet.settings import Settings

__all__ = ["Computations", "Context", "ProcessEnded", "analysis", "export_file", "report_file",
           "view_page"]

log = logging.getLogger("partnernet.api")


@dataclass
class Context:
    """What a job computes with: a store, its graph cache and the settings."""

    store: GraphStore
    cache: GraphCache
    settings: Settings


class ProcessEnded(RuntimeError):
    """The computation process ended during a job (killed, or out of memory); a new one is
    started for the next job."""


# -- jobs: ``job(context, *args) -> (value, snapshot)`` -------------------------------------------

def analysis(ctx: Context, fn: Callable, args: tuple, kwargs: dict) -> tuple[Any, Any]:
    """``fn(store, *args, cache=cache, **kwargs)``: an analysis of
    :mod:`partnernet.service.analyses`, kept in the results file like the CLI's."""
    value = fn(ctx.store, *args, cache=ctx.cache, **kwargs)
    return value, ctx.cache.snapshot


def view_page(ctx: Context, definition: str, kw: dict) -> tuple[Any, Any]:
    """A rendered view: ``(html, nonce)`` (the nonce its scripts carry; the worker gives
    every answer a fresh one), or ``None`` when ``kw['focus']`` is no node."""
    from partnernet.service.graphs import snapshot
    from partnernet.visualisations.views import build_view, render_view

    key = ("view", definition, tuple(sorted(kw.items())))

    def build(g):
        return build_view(g, definition=definition, **kw), snapshot(ctx.store, g)

    try:
        view, snap = ctx.cache.derived(key, build)
    except KeyError:
        return None, ctx.cache.snapshot
    return render_view(view, snapshot=snap), ctx.cache.snapshot


def report_file(ctx: Context, fmt: str, definition: str, seeker: str | None,
                k: int | None) -> tuple[Any, Any]:
    """The network report rendered as ``fmt``: ``(body, media type)``."""
    from partnernet.service.report import build_report
    from partnernet.visualisations.report import render_report

    r = build_report(ctx.store, cache=ctx.cache, definition=definition, seeker=seeker, k=k)
    return render_report(r, fmt), ctx.cache.snapshot


def export_file(ctx: Context, fmt: str) -> tuple[Any, Any]:
    """The graph exported as ``fmt``: ``(bytes, media type, file name)``; Gephi CSV as a
    ZIP of nodes.csv and edges.csv."""
    import io
    import tempfile
    import zipfile
    from pathlib import Path

    from partnernet.loaders.export import export_graph

    g = ctx.cache.graph()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / ("gephi" if fmt == "gephi-csv" else f"graph.{fmt}")
        files = export_graph(g, fmt, out)
        if fmt == "gephi-csv":
            buf = io.BytesIO()
            with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
                for f in files:
                    z.write(f, f.name)
            value = (buf.getvalue(), "application/zip", "partnernet-gephi.zip")
        else:
            media = {"graphml": "application/graphml+xml", "gexf": "application/gexf+xml",
                     "json": "application/json"}[fmt]
            value = (files[0].read_bytes(), media, f"partnernet.{fmt}")
    return value, ctx.cache.snapshot


def _ping(_ctx: Context) -> int:
    return os.getpid()


# -- the computation process ---------------------------------------------------------------

_OWN: dict[str, Any] = {}  # the computation process's settings, store URI and context


class _Raised:
    """An exception crossing back from the computation process: its class, ``args`` and
    attributes, rebuilt without calling its constructor (whose signature may differ)."""

    def __init__(self, exc: BaseException):
        self.cls, self.args, self.attrs = type(exc), exc.args, dict(vars(exc))
        self.trace = "".join(traceback.format_exception(exc))
        try:  # what cannot cross (a driver's error holding its connection) goes as text
            pickle.dumps((self.cls, self.args, self.attrs))
        except Exception:  # noqa: BLE001
            self.args, self.attrs = (str(exc),), {}
            try:
                pickle.dumps(self.cls)
            except Exception:  # noqa: BLE001
                self.cls = RuntimeError

    def rebuild(self) -> BaseException:
        exc = self.cls.__new__(self.cls)
        exc.args = self.args
        vars(exc).update(self.attrs)
        return exc


def _start(settings: Settings, uri: str, nice: int) -> None:
    """Initialiser of a computation process: lower its priority and end it with the worker
    that started it. The store is opened by the first job (a store that cannot be reached
    then fails that job, not the process)."""
    with suppress(AttributeError, OSError):
        os.nice(nice)
    with suppress(AttributeError, OSError):  # below every request handler when CPU is short
        os.sched_setscheduler(0, os.SCHED_BATCH, os.sched_param(0))
    with suppress(Exception):  # Linux: SIGTERM when the worker that started it dies
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    _OWN.update(settings=settings, uri=uri)


def _context() -> Context:
    ctx = _OWN.get("context")
    if ctx is None:
        settings = _OWN["settings"]
        store = settings.open_store(_OWN["uri"], init=False)
        cache = settings.graph_cache(store, ttl=0)
        cache.on_kept = heap.freeze  # full collections took 1.3 s here (measured)
        ctx = _OWN["context"] = Context(store=store, cache=cache, settings=settings)
    return ctx


def _in_process(job: Callable, *args: Any) -> Any:
    """Run ``job`` with the computation process's context, on the store's current
    snapshot; an exception comes back as :class:`_Raised`."""
    try:
        if job is _ping:
            return _ping(None)
        ctx = _context()
        ctx.cache.follow_store()
        return job(ctx, *args)
    except Exception as exc:  # noqa: BLE001 - handed back to the worker, raised there
        return _Raised(exc)


class _Processes:
    """A process pool that replaces itself when one of its processes died (the job running
    then fails with :class:`ProcessEnded`; the next one gets a new process)."""

    def __init__(self, settings: Settings, uri: str, slots: int, nice: int):
        self._args = (settings, uri, slots, nice)
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None

    def _current(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                settings, uri, slots, nice = self._args
                self._pool = ProcessPoolExecutor(
                    max_workers=slots, mp_context=multiprocessing.get_context("spawn"),
                    initializer=_start, initargs=(settings, uri, nice))
            return self._pool

    def submit(self, fn, /, *args) -> Future:
        pool = self._current()
        try:
            return pool.submit(fn, *args)
        except BrokenProcessPool:
            self.discard(pool)
            return self._current().submit(fn, *args)

    def discard(self, pool: ProcessPoolExecutor | None = None) -> None:
        """Drop ``pool`` (default: the current one); the next job starts a new one."""
        with self._lock:
            if pool is None or self._pool is pool:
                pool, self._pool = self._pool, None
            else:
                pool = None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)

    def stop(self, timeout: float = 10.0) -> None:
        """End the processes now (a computation under way is abandoned: the worker is
        stopping) and wait for them, so that nothing they hold outlives the worker."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is None:
            return
        processes = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            with suppress(Exception):
                process.terminate()
        for process in processes:
            with suppress(Exception):
                process.join(timeout)
        with suppress(Exception):
            pool.shutdown(wait=True)

    @property
    def size(self) -> int:
        return self._args[2]


class Computations:
    """The jobs of one API worker: in computation processes (``mode='process'``) or in its
    threads with its own store and cache (``mode='thread'``).

    If the computation processes cannot start at all (the first job finds them broken: a
    script that creates the app outside ``if __name__ == "__main__":``, which spawned
    processes import again; a system refusing new processes), the worker says so in its
    log and computes in its threads from then on (``mode`` becomes ``'thread'``)."""

    def __init__(self, settings: Settings, ctx: Context, *, mode: str, uri: str | None = None,
                 slots: int = 1, nice: int = 10):
        self.mode, self.ctx = mode, ctx
        self.processes = (_Processes(settings, uri or settings.store, slots, nice)
                          if mode == "process" else None)
        self._started = False  # a job has come back from a computation process
        self._counts = {"jobs": 0, "failed": 0, "processes_replaced": 0}
        self._fell_back: str | None = None

    def call(self, job: Callable, *args: Any, keep: Hashable | None = None) -> Callable[[], Any]:
        """What the limiter runs (in one of its threads) for ``job(context, *args)``: a call
        returning the job's value. With ``keep``, a value computed in a computation process
        on the snapshot of this worker's graph is kept there as ``keep``'s result
        (:meth:`GraphCache.adopt`; in a thread, the job has kept it already). Adopting
        waits for the cache's lock, which is why it happens here and never on the event
        loop (measured: the loop waited for it in 3% of samples under the hostile soak)."""
        return functools.partial(self._value, job, args, keep)

    def _value(self, job: Callable, args: tuple, keep: Hashable | None) -> Any:
        value, snap = self._submitted(job, args)
        if keep is not None and snap is not None and self.mode == "process":
            self.ctx.cache.adopt(keep, value, snap)
            self.remember(keep, job, *args)
        return value

    def remember(self, key: Hashable, job: Callable, *args: Any) -> None:
        """Have the worker's background reload after a write rebuild ``key`` with ``job``
        in the computation process, before the new snapshot is used (in threads the
        analyses remember themselves)."""
        if self.mode != "process":
            return

        def replay(shadow: GraphCache) -> None:
            shadow.adopt(key, *self._submitted(job, args))
        self.ctx.cache.remember(key, replay)

    def _here(self, job: Callable, args: tuple) -> Any:
        try:
            return job(self.ctx, *args)
        except Exception:
            self._counts["failed"] += 1
            raise

    def _submitted(self, job: Callable, args: tuple) -> Any:
        processes = self.processes
        self._counts["jobs"] += 1
        if processes is None:  # threads (or fell back to them)
            return self._here(job, args)
        try:
            value = processes.submit(_in_process, job, *args).result()
        except BrokenProcessPool:
            processes.discard()
            if not self._started:
                self._fall_back()
                return self._here(job, args)
            self._counts["failed"] += 1
            self._counts["processes_replaced"] += 1
            raise ProcessEnded("the computation process ended during this computation "
                               "(killed, or out of memory); a new one is started: retry"
                               ) from None
        self._started = True
        if isinstance(value, _Raised):
            self._counts["failed"] += 1
            exc = value.rebuild()
            if not isinstance(exc, ValueError | LookupError):
                log.warning("computation failed in the computation process:\n%s", value.trace)
            raise exc
        return value

    def _fall_back(self) -> None:
        if self.processes is not None:
            self._fell_back = ("the computation processes could not start; see the worker's "
                               "log")
            log.warning("the computation processes could not start (a script creating the "
                        "app must do so under `if __name__ == '__main__':`; see the error "
                        "above); computing in this worker's threads instead "
                        "(PARTNERNET_API_COMPUTE=thread)")
            self.processes.discard()
            self.processes, self.mode = None, "thread"

    def start(self) -> None:
        """Start the computation processes now (their imports take a second or two)."""
        if self.processes is None:
            return

        def started(future: Future) -> None:
            if future.exception() is None:
                self._started = True
        for _ in range(self.processes.size):
            with suppress(BrokenProcessPool, RuntimeError):
                self.processes.submit(_in_process, _ping).add_done_callback(started)

    def stats(self) -> dict[str, Any]:
        """Where the computations run and what they did (for ``/stats``)."""
        return {"worker": os.getpid(), "mode": self.mode,
                "processes": self.processes.size if self.processes is not None else 0,
                **self._counts, "fell_back_to_threads": self._fell_back}

    def close(self) -> None:
        """End the computation processes (at the worker's shutdown)."""
        if self.processes is not None:
            self.processes.stop()
