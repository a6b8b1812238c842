"""Domain errors mapped to HTTP in one place: JSON bodies, no driver exception leaks."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from partnernet.api.compute import ProcessEnded
from partnernet.api.limits import Busy
from partnernet.graph.analysis.matching import UnknownNode
from partnernet.graph.schema import SchemaError
from partnernet.graph.store import StoreError, StoreUnavailable
from partnernet.loaders.errors import LoadErrors
from partnernet.redact import redact_text

__all__ = ["NotFound", "install_handlers"]

log = logging.getLogger("partnernet.api")


class NotFound(LookupError):
    """An unknown id; ``suggestions`` are close matches."""

    def __init__(self, what: str, suggestions: list[dict] | None = None):
        super().__init__(what)
        self.what, self.suggestions = what, suggestions or []


def install_handlers(app: FastAPI) -> None:
    @app.exception_handler(NotFound)
    async def _not_found(_: Request, exc: NotFound) -> JSONResponse:
        return JSONResponse(status_code=404, content={"detail": f"{exc.what} not found",
                                                      "suggestions": exc.suggestions})

    @app.exception_handler(UnknownNode)
    async def _unknown(_: Request, exc: UnknownNode) -> JSONResponse:
        return JSONResponse(status_code=404, content={"detail": str(exc),
                                                      "suggestions": exc.suggestions})

    @app.exception_handler(LoadErrors)
    async def _load(_: Request, exc: LoadErrors) -> JSONResponse:
        return JSONResponse(status_code=422, content={
            "detail": f"load refused: {len(exc.errors)} errors; nothing written",
            "errors": [e.as_dict() for e in exc.errors[:200]]})

    @app.exception_handler(SchemaError)
    async def _schema(_: Request, exc: SchemaError) -> JSONResponse:
        return JSONResponse(status_code=422, content={"detail": str(exc)})

    @app.exception_handler(Busy)
    async def _busy(_: Request, exc: Busy) -> JSONResponse:
        return JSONResponse(status_code=503, headers={"Retry-After": str(exc.retry_after)},
                            content={"detail": str(exc)})

    @app.exception_handler(ProcessEnded)
    async def _ended(_: Request, exc: ProcessEnded) -> JSONResponse:
        log.warning("%s", exc)
        return JSONResponse(status_code=503, headers={"Retry-After": "5"},
                            content={"detail": str(exc)})

    @app.exception_handler(StoreUnavailable)
    async def _unavailable(_: Request, exc: StoreUnavailable) -> JSONResponse:
        log.warning("store unavailable: %s", redact_text(str(exc)))
        return JSONResponse(status_code=503, headers={"Retry-After": "5"},
                            content={"detail": "the graph store is unavailable; retry shortly"})

    @app.exception_handler(StoreError)
    async def _store(_: Request, exc: StoreError) -> JSONResponse:
        log.error("store error: %s", redact_text(str(exc)))
        return JSONResponse(status_code=503, content={"detail": "the graph store refused the "
                                                                "operation; nothing was written"})

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"field": ".".join(str(x) for x in e["loc"] if x != "body"),
                   "message": e["msg"]} for e in exc.errors()]
        return JSONResponse(status_code=422, content={
            "detail": "; ".join(f"{e['field']}: {e['message']}" for e in errors),
            "errors": errors})

    @app.exception_handler(ValueError)
    async def _value(_: Request, exc: ValueError) -> JSONResponse:
        return JSONResponse(status_code=422, content={"detail": str(exc)})
