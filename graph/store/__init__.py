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


def redact_uri(uri: str) -> str:
    """The URI without any password, for logs and health output.

    >>> redact_uri("neo4j://neo4j:s3cret@db:7687")
    'neo4j://neo4j@db:7687'
    """
    parts = urlsplit(uri)
    if parts.password is None:
        return uri
    netloc = parts.hostname or ""
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit(parts._replace(netloc=netloc))


def open_store(uri: str, *, user: str = "neo4j", password: str = "",
               database: str | None = None, init: bool = True) -> GraphStore:
    """Open the store named by ``uri``: ``sqlite:///file.db`` or a Neo4j URI.

    Credentials are explicit (the CLI and the API pass those of the settings); a
    user and password in the URI take precedence. For Neo4j a driver is created and
    owned by the returned store (close the store to close it): use one store per process.
    """
    if uri.startswith("sqlite://"):
        from partnernet.graph.store.sqlite import SQLiteStore

        return SQLiteStore.from_uri(uri)

    import neo4j

    from partnernet.graph.store.neo4j import Neo4jStore

    parts = urlsplit(uri)
    user = parts.username or user
    password = parts.password or password
    clean = urlunsplit(parts._replace(netloc=(parts.hostname or "") +
                                      (f":{parts.port}" if parts.port else "")))
    driver = neo4j.GraphDatabase.driver(clean, auth=(user, password),
                                        connection_acquisition_timeout=30,
                                        max_transaction_retry_time=30)
    store = Neo4jStore(driver, database=database, owns_driver=True,
                       location=redact_uri(clean))
    if init:
        try:
            store.init()
        except Exception:
            store.close()
            raise
    return store
