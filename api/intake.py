"""Reject before reading: the token, ``Content-Length`` and a hard cap on the body are
checked before a single byte of the body is read (an ASGI middleware).

FastAPI reads (and spools to a temporary file) a request's body before any dependency
runs, so a token checked by a dependency comes after the upload is on disk. Here:

1. a route that needs a token (every write, and every read when a read token is
   configured) is refused with 401 if the token is missing or wrong, body unread;
2. a declared ``Content-Length`` above the route's cap is refused with 413, body unread;
3. a body without a length (chunked) is counted as it arrives: the chunk that would pass
   the cap is never handed on; 413 instead. Whatever was spooled so far is at most the cap.

The cap is ``PARTNERNET_UPLOAD_MAX_BYTES`` plus 64 KiB of multipart framing for uploads
(``POST /loads``) and ``PARTNERNET_API_BODY_MAX_BYTES`` for every other request. Refusals
close the connection (``Connection: close``), so the client cannot go on sending.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from fastapi import params
from fastapi.routing import APIRoute
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from partnernet.api.auth import bearer, read_refusal, write_refusal
from partnernet.api.deps import require_read, require_write

__all__ = ["MULTIPART_MARGIN", "BodyTooLarge", "Intake"]

#: Room for multipart boundaries, part headers and small form fields around an upload.
MULTIPART_MARGIN = 64 * 1024
_BODYLESS = frozenset({"GET", "HEAD", "OPTIONS", "DELETE", "TRACE"})


class BodyTooLarge(HTTPException):
    """Raised from ``receive`` when a streamed body passes its cap (FastAPI lets an
    ``HTTPException`` through its body parsing: the answer is this 413)."""

    def __init__(self, detail: str):
        super().__init__(status_code=413, detail=detail, headers={"Connection": "close"})


@dataclass(frozen=True)
class _Rule:
    auth: str | None  # "write", "read" or None
    upload: bool      # a multipart route: the upload cap applies


def _needs(route: APIRoute) -> str | None:
    calls, stack = set(), [route.dependant]
    while stack:
        dep = stack.pop()
        calls.add(dep.call)
        stack.extend(dep.dependencies)
    if require_write in calls:
        return "write"
    if require_read in calls:
        return "read"
    return None


def _multipart(route: APIRoute) -> bool:
    return any(isinstance(f.field_info, params.Form) for f in route.dependant.body_params)


class Intake:
    """The ASGI middleware (see the module notes). Settings come from ``app.state``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._rules: list[tuple[APIRoute, _Rule]] | None = None

    def _rule(self, api, scope: Scope) -> _Rule:
        if self._rules is None:
            self._rules = [(r, _Rule(_needs(r), _multipart(r))) for r in api.routes
                           if isinstance(r, APIRoute)]
        for route, rule in self._rules:
            match, _ = route.matches(scope)
            if match is Match.FULL:
                return rule
        return _Rule(None, False)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        api = scope["app"]
        settings = api.state.settings
        headers = Headers(scope=scope)
        length_text = headers.get("content-length")
        chunked = "chunked" in headers.get("transfer-encoding", "").lower()
        if scope["method"] in _BODYLESS and length_text in (None, "0") and not chunked:
            await self.app(scope, receive, send)  # the common case: nothing to check
            return
        rule = self._rule(api, scope)
        token = bearer(headers)
        refusal = (write_refusal(settings, token) if rule.auth == "write"
                   else read_refusal(settings, token) if rule.auth == "read" else None)
        if refusal is not None:
            await _refuse(send, 401, refusal, {"WWW-Authenticate": "Bearer"})
            return
        if rule.upload:
            cap = settings.upload_max_bytes + MULTIPART_MARGIN
            what = (f"uploads are limited to {settings.upload_max_bytes:,} bytes "
                    "(PARTNERNET_UPLOAD_MAX_BYTES)")
        else:
            cap = settings.api_body_max_bytes
            what = (f"request bodies are limited to {cap:,} bytes "
                    "(PARTNERNET_API_BODY_MAX_BYTES); load larger batches as a file "
                    "with POST /loads")
        if length_text is not None:
            try:
                length = int(length_text)
                if length < 0:
                    raise ValueError(length_text)
            except ValueError:
                await _refuse(send, 400, "Content-Length is not a whole number of bytes")
                return
            if length > cap:
                await _refuse(send, 413, f"the body is {length:,} bytes; {what}")
                return
        received = 0
        too_large = False

        async def counted() -> Message:
            nonlocal received, too_large
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > cap:
                    too_large = True
                    raise BodyTooLarge(f"the body passed {cap:,} bytes; {what}")
            return message

        started = False

        async def guarded_send(message: Message) -> None:
            # whatever the app made of the interrupted body (FastAPI turns most errors
            # while parsing a body into a 400), the answer is the 413
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                if too_large:
                    await _refuse(send, 413, f"the body passed {cap:,} bytes; {what}")
            if not too_large:
                await send(message)

        try:
            await self.app(scope, counted, guarded_send)
        except BodyTooLarge as exc:
            if started:
                raise
            await _refuse(send, 413, exc.detail)


async def _refuse(send: Send, status: int, detail: str,
                  headers: dict[str, str] | None = None) -> None:
    body = json.dumps({"detail": detail}, ensure_ascii=False).encode()
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
           (b"connection", b"close")]
    raw += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})
