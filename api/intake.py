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
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from partnernet.api.auth import bearer, read_refusal, write_refusal
from partnernet.api.deps import require_read, require_write

__all__ = ["MULTIPART_MARGIN", "Intake", "Refused"]

#: Room for multipart boundaries, part headers and small form fields around an upload.
MULTIPART_MARGIN = 64 * 1024


class Refused(HTTPException):
    """Raised from ``receive`` instead of handing on the body (FastAPI lets an
    ``HTTPException`` through its body parsing, so this becomes the answer)."""

    def __init__(self, status_code: int, detail: str, headers: dict[str, str] | None = None):
        super().__init__(status_code=status_code, detail=detail,
                         headers={"Connection": "close", **(headers or {})})


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
    """The ASGI middleware (see the module notes). Settings come from ``app.state``.

    The checks run when the application first asks for the body: by then the router has
    chosen the route (``scope["route"]``), whose dependencies say which token it needs,
    and not one byte has been read from the client.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._rules: dict[int, _Rule] = {}

    def _rule(self, scope: Scope) -> _Rule:
        route = scope.get("route")
        if not isinstance(route, APIRoute):
            return _Rule(None, False)
        rule = self._rules.get(id(route))
        if rule is None:
            rule = self._rules[id(route)] = _Rule(_needs(route), _multipart(route))
        return rule

    def _check(self, scope: Scope, settings) -> tuple[int, str]:
        """The body cap of the request's route, or :class:`Refused`."""
        headers = Headers(scope=scope)
        rule = self._rule(scope)
        token = bearer(headers)
        refusal = (write_refusal(settings, token) if rule.auth == "write"
                   else read_refusal(settings, token) if rule.auth == "read" else None)
        if refusal is not None:
            raise Refused(401, refusal, {"WWW-Authenticate": "Bearer"})
        if rule.upload:
            cap = settings.upload_max_bytes + MULTIPART_MARGIN
            what = (f"uploads are limited to {settings.upload_max_bytes:,} bytes "
                    "(PARTNERNET_UPLOAD_MAX_BYTES)")
        else:
            cap = settings.api_body_max_bytes
            what = (f"request bodies are limited to {cap:,} bytes "
                    "(PARTNERNET_API_BODY_MAX_BYTES); load larger batches as a file "
                    "with POST /loads")
        length_text = headers.get("content-length")
        if length_text is not None:
            try:
                length = int(length_text)
                if length < 0:
                    raise ValueError(length_text)
            except ValueError:
                raise Refused(400, "Content-Length is not a whole number of bytes") from None
            if length > cap:
                raise Refused(413, f"the body is {length:,} bytes; {what}")
        return cap, what

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        settings = scope["app"].state.settings
        limit: tuple[int, str] | None = None
        received = 0
        refused: Refused | None = None
        started = False

        async def guarded_receive() -> Message:
            nonlocal limit, received, refused
            if limit is None:
                try:
                    limit = self._check(scope, settings)
                except Refused as exc:
                    refused = exc
                    raise
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit[0]:
                    refused = Refused(413, f"the body passed {limit[0]:,} bytes; {limit[1]}")
                    raise refused
            return message

        async def guarded_send(message: Message) -> None:
            # whatever the application made of the refusal (FastAPI turns most errors
            # while parsing a body into a 400), the answer is the refusal
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                if refused is not None:
                    await _refuse(send, refused)
            if refused is None:
                await send(message)

        try:
            await self.app(scope, guarded_receive, guarded_send)
        except Refused as exc:
            if started:
                raise
            await _refuse(send, exc)


async def _refuse(send: Send, exc: Refused) -> None:
    body = json.dumps({"detail": exc.detail}, ensure_ascii=False).encode()
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    raw += [(k.lower().encode(), v.encode()) for k, v in (exc.headers or {}).items()]
    await send({"type": "http.response.start", "status": exc.status_code, "headers": raw})
    await send({"type": "http.response.body", "body": body})
