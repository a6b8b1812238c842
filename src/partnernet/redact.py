"""Secrets kept out of every message: passwords in store URIs, tokens in text.

A leaf module: it imports nothing of partnernet, so every layer may use it. The
functions never raise, whatever the input (a malformed URI is the case where a
message is most likely to quote it back).
"""

from __future__ import annotations

import re

__all__ = ["MASK", "redact_text", "redact_uri"]

#: What a removed secret is replaced with.
MASK = "***"

# scheme "://" then the authority up to the first "/", "?" or "#"; the user information is
# everything in the authority before its last "@" (a password may itself contain "@").
_AUTHORITY = re.compile(r"^(?P<head>[^:/?#\s]*:?//)(?P<authority>[^/?#]*)(?P<tail>.*)$", re.S)
# secrets passed as query parameters (?password=..., &auth=..., &token=...)
_QUERY_SECRET = re.compile(r"(?i)([?&;](?:password|passwd|pwd|pass|auth|token|secret|"
                           r"credentials|key)=)[^&#;]*")
# a URI inside free text
_URI_IN_TEXT = re.compile(r"[A-Za-z][\w+.-]*://\S+")
# "user:password@" anywhere in free text (a URI without "//", or inside a sentence)
_INLINE = re.compile(r"(?P<user>[\w.%+-]+):(?P<pw>[^\s@/:]+)@(?=[\w.\[\]-])")


def redact_uri(uri: str) -> str:
    """``uri`` with any password replaced by :data:`MASK`, for messages and logs.

    Works on malformed URIs too (unknown schemes, bad ports, an ``@`` inside the
    password, secrets in the query string).

    >>> redact_uri("neo4j://neo4j:s3cret@db:7687")
    'neo4j://neo4j:***@db:7687'
    >>> redact_uri("neoj4://neo4j:S3CRETPW@host")
    'neoj4://neo4j:***@host'
    >>> redact_uri("bolt://neo4j:p@ss@db:notaport/x?password=p2")
    'bolt://neo4j:***@db:notaport/x?password=***'
    >>> redact_uri("sqlite:///partnernet.db")
    'sqlite:///partnernet.db'
    """
    text = str(uri)
    m = _AUTHORITY.match(text)
    if m:
        authority = m.group("authority")
        if "@" in authority:
            userinfo, host = authority.rsplit("@", 1)
            user = userinfo.split(":", 1)[0]
            userinfo = f"{user}:{MASK}" if ":" in userinfo else userinfo
            authority = f"{userinfo}@{host}"
        text = m.group("head") + authority + m.group("tail")
    else:
        text = _INLINE.sub(lambda x: f"{x.group('user')}:{MASK}@", text)
    return _QUERY_SECRET.sub(lambda x: x.group(1) + MASK, text)


def redact_text(text: str, secrets: tuple[str, ...] | list[str] = ()) -> str:
    """``text`` with every ``user:password@`` and each of ``secrets`` (tokens, passwords
    known to the caller) replaced by :data:`MASK`.

    >>> redact_text("cannot open neoj4://neo4j:S3CRETPW@host: bad scheme")
    'cannot open neoj4://neo4j:***@host: bad scheme'
    >>> redact_text("token tok-123 refused", ["tok-123"])
    'token *** refused'
    """
    out = _URI_IN_TEXT.sub(lambda x: redact_uri(x.group(0)), str(text))
    out = _INLINE.sub(lambda x: f"{x.group('user')}:{MASK}@", out)
    out = _QUERY_SECRET.sub(lambda x: x.group(1) + MASK, out)
    for secret in secrets:
        if secret and len(secret) >= 3:
            out = out.replace(secret, MASK)
    return out
