"""Build the FastAPI app: store opened in the lifespan, routers, offline /docs."""

from __future__ import annotations

import logging
import sys
from contextlib import asynccontextmanager

from fastapi import FastAPI

from partnernet.api.compute import Computations, Context
from partnernet.api.docs import install_docs
from partnernet.api.errors import install_handlers
from partnernet.api.intake import Intake
from partnernet.api.limits import SWITCH_INTERVAL, Limits, PathLimits
from partnernet.api.openapi import openapi_schema
from partnernet.api.routes import analyses, explore, health, nodes, outputs, relationships
from partnernet.graph.store import GraphStore
from partnernet.service import heap
from partnernet.settings import Settings, get_settings
from partnernet.version import __version__

__all__ = ["computations", "create_app"]

log = logging.getLogger("partnernet.api")

DESCRIPTION = """
Partnership network analyser for city networks and UN-Habitat partnerships.

Reads are open unless `PARTNERNET_API_READ_TOKEN` is set; writes (create, update,
delete, upload) need the bearer token `PARTNERNET_API_TOKEN`. Errors are JSON:
404 for unknown ids (with close matches), 422 naming the invalid field, 401 for
a missing or wrong token, 503 when the store is unreachable.

Every request's work is bounded. A request with a body is refused before its body is
read when its token is missing or wrong (401) or its body is too large (413:
`PARTNERNET_UPLOAD_MAX_BYTES` for uploads, `PARTNERNET_API_BODY_MAX_BYTES` otherwise).
Computations (analyses not yet computed for the current data, views, reports, exports,
uploads) run a few at a time (`PARTNERNET_API_HEAVY_SLOTS`), in processes of their own
beside each worker; a few more wait, and beyond that the answer is 503 with `Retry-After`.
Results already computed, node lookups and `/health` are answered meanwhile. Parameters
that only change how a result is computed (`seed`, `pivots`, `exact`, `permutations`)
accept values other than their defaults only with the API token (401/403 otherwise).
"""


def computations(settings: Settings, store: GraphStore, cache, *, own: bool) -> Computations:
    """Where the app's computations run: processes of their own (the default,
    ``PARTNERNET_API_COMPUTE=process``) when the app opened its store itself, so that a
    computation process can open it too; else (``thread``, or a store object handed to
    :func:`create_app`, which another process cannot open) the worker's threads."""
    ctx = Context(store=store, cache=cache, settings=settings)
    if settings.api_compute != "process" or not own:
        return Computations(settings, ctx, mode="thread")
    return Computations(settings, ctx, mode="process", uri=store_uri(settings, store),
                        slots=settings.api_heavy_slots, nice=settings.api_heavy_nice)


def store_uri(settings: Settings, store: GraphStore) -> str:
    """The URI another process opens ``store`` with: an SQLite store's own file (also
    the temporary file of ``sqlite:///:memory:``), else the settings' URI."""
    path = getattr(store, "path", None)
    if getattr(store, "kind", "") == "sqlite" and path is not None:
        from pathlib import Path

        return f"sqlite:///{Path(path).resolve()}"
    return settings.store


def create_app(*, settings: Settings | None = None, store: GraphStore | None = None,
               cache_ttl: float | None = None) -> FastAPI:
    """The API. Without ``store``, the one named by the settings is opened in the lifespan
    and closed at shutdown (one store, hence one Neo4j driver, per process). ``cache_ttl``:
    how often the graph cache checks the store for changes by others (default: the
    ``cache_check_seconds`` setting; 0: never, and writes drop the graph at once)."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        own = store is None
        app.state.store = store or settings.open_store(init=False)
        if own:
            try:
                app.state.store.init()
            except Exception as exc:  # noqa: BLE001 - the API starts and reports 503
                log.warning("store not ready at start: %s", type(exc).__name__)
        ttl = settings.cache_check_seconds if cache_ttl is None else cache_ttl
        app.state.cache = settings.graph_cache(app.state.store, ttl=ttl)
        # what the worker builds lives until the next snapshot: out of the collector's walks
        app.state.cache.on_kept = heap.freeze
        app.state.compute = computations(settings, app.state.store, app.state.cache,
                                         own=own)
        app.state.compute.start()
        try:
            yield
        finally:
            app.state.cache.close()  # stops a background reload
            app.state.limits.close()
            app.state.compute.close()
            if own:
                app.state.store.close()

    app = FastAPI(title="partnernet", version=__version__, description=DESCRIPTION,
                  lifespan=lifespan, docs_url=None, redoc_url=None)
    app.state.settings = settings
    app.state.limits = Limits.from_settings(settings)
    # request handling gets the interpreter back from a computing thread within 1 ms
    sys.setswitchinterval(min(sys.getswitchinterval(), SWITCH_INTERVAL))
    install_handlers(app)
    app.add_middleware(PathLimits)
    app.add_middleware(Intake)
    app.openapi = lambda: openapi_schema(app)
    for module in (health, nodes, relationships, analyses, outputs, explore):
        app.include_router(module.router)

    install_docs(app, title="partnernet API")

    return app
