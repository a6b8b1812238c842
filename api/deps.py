"""Dependencies as ``Annotated`` aliases: the store, the graph cache, settings, tokens."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from graph.store import GraphStore
from partnernet.analyses import GraphCache
from partnernet.settings import Settings

__all__ = ["CacheDep", "ReadAuth", "SettingsDep", "StoreDep", "WriteAuth"]

_bearer = HTTPBearer(auto_error=False, description="Bearer token (PARTNERNET_API_TOKEN)")


def _store(request: Request) -> GraphStore:
    return request.app.state.store


def _cache(request: Request) -> GraphCache:
    return request.app.state.cache


def _settings(request: Request) -> Settings:
    return request.app.state.settings


def _check(token: str | None, expected: str) -> bool:
    # constant-time comparison of UTF-8 bytes
    return token is not None and hmac.compare_digest(token.encode(), expected.encode())


def require_write(request: Request,
                  creds: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
                  ) -> None:
    expected = request.app.state.settings.api_token
    if expected is None:
        raise HTTPException(status_code=401, detail="writes are disabled: no API token is "
                                                    "configured (PARTNERNET_API_TOKEN)",
                            headers={"WWW-Authenticate": "Bearer"})
    token = creds.credentials if creds else None
    if not _check(token, expected.get_secret_value()):
        raise HTTPException(status_code=401, detail="missing or wrong bearer token",
                            headers={"WWW-Authenticate": "Bearer"})


def require_read(request: Request) -> None:
    """Reads are open unless a read token is configured. The header is read directly so
    that the OpenAPI schema does not claim open read routes need authentication."""
    expected = request.app.state.settings.api_read_token
    if expected is None:
        return
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    token = token.strip() if scheme.lower() == "bearer" else None
    write = request.app.state.settings.api_token
    if not (_check(token, expected.get_secret_value())
            or (write is not None and _check(token, write.get_secret_value()))):
        raise HTTPException(status_code=401, detail="missing or wrong bearer token",
                            headers={"WWW-Authenticate": "Bearer"})


StoreDep = Annotated[GraphStore, Depends(_store)]
CacheDep = Annotated[GraphCache, Depends(_cache)]
SettingsDep = Annotated[Settings, Depends(_settings)]
WriteAuth = Depends(require_write)
ReadAuth = Depends(require_read)
