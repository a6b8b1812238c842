"""Bearer tokens: read from the ``Authorization`` header and compared in constant time.

Shared by the route dependencies (:mod:`partnernet.api.deps`), the intake middleware that
refuses a request before reading its body (:mod:`partnernet.api.intake`) and the cost
parameters reserved to the API token (:mod:`partnernet.api.limits`), so all three give the
same answer for the same request.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from typing import Any

__all__ = ["WRONG_TOKEN", "bearer", "holds_write_token", "read_refusal", "write_refusal"]

# messages, not secrets
WRONG_TOKEN = "missing or wrong bearer token"  # noqa: S105
NO_WRITE_TOKEN = ("writes are disabled: no API token is configured "  # noqa: S105
                  "(PARTNERNET_API_TOKEN)")


def bearer(headers: Mapping[str, str]) -> str | None:
    """The token of an ``Authorization: Bearer ...`` header, else ``None``."""
    scheme, _, token = headers.get("authorization", "").partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


def _same(token: str | None, secret: Any) -> bool:
    # constant-time comparison of UTF-8 bytes
    return (token is not None and secret is not None
            and hmac.compare_digest(token.encode(), secret.get_secret_value().encode()))


def write_refusal(settings: Any, token: str | None) -> str | None:
    """Why ``token`` may not write (a sentence), or ``None`` if it may."""
    if settings.api_token is None:
        return NO_WRITE_TOKEN
    return None if _same(token, settings.api_token) else WRONG_TOKEN


def read_refusal(settings: Any, token: str | None) -> str | None:
    """Why ``token`` may not read, or ``None`` if it may: reads are open unless a read
    token is configured; the write token reads too."""
    if settings.api_read_token is None:
        return None
    if _same(token, settings.api_read_token) or _same(token, settings.api_token):
        return None
    return WRONG_TOKEN


def holds_write_token(settings: Any, token: str | None) -> bool:
    return write_refusal(settings, token) is None
