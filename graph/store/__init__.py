"""Graph stores: one contract (:class:`GraphStore`), two backends.

``open_store`` picks the backend from the store URI: ``sqlite:///file.db`` for
the embedded default, ``neo4j://`` or ``bolt://`` for a Neo4j server.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from graph.store.base import (
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


def open_store(uri: str | None = None, *, user: str | None = None,
               password: str | None = None, database: str | None = None,
               init: bool = True) -> GraphStore:
    """Open the store named by ``uri`` (default: the ``PARTNERNET_STORE`` setting).

    For Neo4j a driver is created and owned by the returned store (close the
    store to close it): use one store per process.
    """
    from partnernet.settings import get_settings

    settings = get_settings()
    uri = uri or settings.store
    if uri.startswith("sqlite://"):
        from graph.store.sqlite import SQLiteStore

        return SQLiteStore.from_uri(uri)

    import neo4j

    from graph.store.neo4j import Neo4jStore

    parts = urlsplit(uri)
    user = user or parts.username or settings.neo4j_user
    password = password or parts.password or settings.neo4j_password.get_secret_value()
    clean = urlunsplit(parts._replace(netloc=(parts.hostname or "") +
                                      (f":{parts.port}" if parts.port else "")))
    driver = neo4j.GraphDatabase.driver(clean, auth=(user, password),
                                        connection_acquisition_timeout=30,
                                        max_transaction_retry_time=30)
    store = Neo4jStore(driver, database=database or settings.neo4j_database, owns_driver=True,
                       location=redact_uri(clean))
    if init:
        try:
            store.init()
        except Exception:
            store.close()
            raise
    return store
