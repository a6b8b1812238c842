"""Graph stores: one contract (:class:`GraphStore`), two backends.

``open_store`` picks the backend from the store URI: ``sqlite:///file.db`` for
the embedded default, ``neo4j://`` or ``bolt://`` for a Neo4j server.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from partnernet.graph.store.base import (
    Counts,
    GraphStore,
    LoadSummary,
    Neighbour,
    Page,
    StoreBusy,
    StoreError,
    StoreUnavailable,
)
from partnernet.redact import redact_text, redact_uri

__all__ = [
    "Counts",
    "GraphStore",
    "LoadSummary",
    "Neighbour",
    "Page",
    "StoreBusy",
    "StoreError",
    "StoreUnavailable",
    "open_store",
    "redact_uri",
]


#: Seconds before the first retry of a failed Neo4j transaction (then doubled each time).
RETRY_DELAY = 0.2


def open_store(uri: str, *, user: str = "neo4j", password: str = "",
               database: str | None = None, init: bool = True,
               connection_timeout: float = 1.0, retry_time: float = 1.0) -> GraphStore:
    """Open the store named by ``uri``: ``sqlite:///file.db`` or a Neo4j URI.

    Credentials are explicit (the CLI and the API pass those of the settings); a
    user and password in the URI take precedence. For Neo4j a driver is created and
    owned by the returned store (close the store to close it): use one store per process.

    Neo4j fails fast: a connection is given ``connection_timeout`` seconds (TCP and Bolt
    handshake) and a failed transaction is retried for ``retry_time`` seconds (first
    retry after :data:`RETRY_DELAY` s, then doubling), so with the defaults a read on an
    unreachable server fails within about 2.2 s (refused: 1.4 s) instead of the
    driver's 30 s; :meth:`~partnernet.graph.store.neo4j.Neo4jStore.health` never retries.
    A malformed URI raises :class:`StoreError` quoting it without its password.
    """
    if uri.startswith("sqlite://"):
        from partnernet.graph.store.sqlite import SQLiteStore

        try:
            return SQLiteStore.from_uri(uri)
        except ValueError as exc:
            raise StoreError(redact_text(str(exc))) from None

    from partnernet.graph.store.bolt import ConfigurationError, neo4j
    from partnernet.graph.store.neo4j import Neo4jStore

    shown = redact_uri(uri)
    try:
        parts = urlsplit(uri)
        user = parts.username or user
        password = parts.password or password
        clean = urlunsplit(parts._replace(netloc=(parts.hostname or "") +
                                          (f":{parts.port}" if parts.port else "")))
        driver = neo4j.GraphDatabase.driver(
            clean, auth=(user, password), connection_timeout=connection_timeout,
            connection_acquisition_timeout=connection_timeout,
            max_transaction_retry_time=retry_time, initial_retry_delay=RETRY_DELAY)
    except (ConfigurationError, ValueError) as exc:
        message = redact_text(str(exc), [password] if password else [])
        raise StoreError(f"cannot open the store {shown}: {message}") from None
    store = Neo4jStore(driver, database=database, owns_driver=True,
                       location=redact_uri(clean))
    if init:
        try:
            store.init()
        except Exception:
            store.close()
            raise
    return store
