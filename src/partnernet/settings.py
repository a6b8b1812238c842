"""The one settings object: every knob, read from ``PARTNERNET_*`` variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from partnernet.loaders.limits import Caps
from partnernet.redact import redact_uri
from partnernet.vocabulary import DEFINITIONS

if TYPE_CHECKING:
    from partnernet.graph.store import GraphStore
    from partnernet.service.cache import GraphCache

_CAPS = Caps()

__all__ = ["STORE_SCHEMES", "Settings", "SettingsError", "check_store_uri", "describe_error",
           "get_settings", "load_settings"]

#: The URI schemes of the stores (SQLite file, Neo4j server).
STORE_SCHEMES = ("sqlite", "neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc")


def check_store_uri(uri: str) -> str:
    """``uri`` if it names a store, else a ``ValueError`` in one line that names the
    accepted forms and quotes the URI without its password.

    >>> check_store_uri("bolt://db:7687")
    'bolt://db:7687'
    >>> check_store_uri("neoj4://neo4j:S3CRETPW@host")
    Traceback (most recent call last):
    ...
    ValueError: store 'neoj4://neo4j:***@host' has an unknown scheme 'neoj4'; accepted: \
sqlite:///path.db, neo4j://, neo4j+s://, neo4j+ssc://, bolt://, bolt+s://, bolt+ssc:// \
(e.g. sqlite:///partnernet.db or bolt://localhost:7687)
    """
    from urllib.parse import urlsplit

    shown = redact_uri(uri)
    accepted = ("accepted: sqlite:///path.db, "
                + ", ".join(f"{s}://" for s in STORE_SCHEMES[1:])
                + " (e.g. sqlite:///partnernet.db or bolt://localhost:7687)")
    scheme, sep, rest = str(uri).partition("://")
    if not sep:
        raise ValueError(f"store {shown!r} is not a URI; {accepted}")
    if scheme.lower() not in STORE_SCHEMES:
        raise ValueError(f"store {shown!r} has an unknown scheme {scheme!r}; {accepted}")
    if scheme.lower() == "sqlite":
        if rest != ":memory:" and not rest.startswith("/"):
            raise ValueError(f"store {shown!r}: a SQLite store is written sqlite:///path.db "
                             "(three slashes; four for an absolute path)")
        return uri
    try:
        parts = urlsplit(uri)
        host, _port = parts.hostname, parts.port
    except ValueError as exc:
        raise ValueError(f"store {shown!r} is not a valid Neo4j URI: "
                         f"{str(exc).replace(str(uri), shown)}") from None
    if not host:
        raise ValueError(f"store {shown!r} names no host (e.g. bolt://localhost:7687)")
    return uri


class Settings(BaseSettings):
    """Settings for the library, the CLI and the API.

    Every field can be set by an environment variable with the ``PARTNERNET_``
    prefix (``PARTNERNET_STORE``, ``PARTNERNET_API_TOKEN``...) or a ``.env`` file.
    """

    # hide_input_in_errors: a refused value is never quoted back by pydantic (a store URI
    # may hold a password); the validators quote it themselves, redacted.
    model_config = SettingsConfigDict(env_prefix="PARTNERNET_", env_file=".env", extra="ignore",
                                      hide_input_in_errors=True)

    store: str = Field(
        default="sqlite:///partnernet.db",
        description="Where the graph lives: sqlite:///path.db (embedded, default) "
        "or a neo4j://, neo4j+s://, bolt:// or bolt+s:// URI.",
    )
    neo4j_user: str = "neo4j"
    neo4j_password: SecretStr = SecretStr("")
    neo4j_database: str | None = None
    api_token: SecretStr | None = Field(
        default=None,
        description="Bearer token for the API's write routes; unset means writes are refused.",
    )
    api_read_token: SecretStr | None = Field(
        default=None, description="If set, read routes also need this bearer token."
    )
    upload_max_bytes: int = Field(
        default=20 * 1024 * 1024, ge=1024,
        description="Largest file accepted by POST /loads; a bigger upload is refused "
        "before any of it is read.")
    api_body_max_bytes: int = Field(
        default=4 * 1024 * 1024, ge=1024,
        description="Largest JSON request body (node, relationship and matching requests).")
    api_heavy_slots: int = Field(
        default=1, ge=1, le=64,
        description="Computations (uncached analyses, views, reports, exports) run at once "
        "per API worker process; further ones wait in a queue.")
    api_heavy_queue: int = Field(
        default=8, ge=0, le=1000,
        description="Computations that may wait for a slot; beyond, 503 with Retry-After.")
    api_heavy_wait: float = Field(
        default=30.0, gt=0, le=600,
        description="Seconds a computation may wait for a slot before a 503 with Retry-After.")
    api_heavy_nice: int = Field(
        default=10, ge=0, le=19,
        description="How much lower the CPU priority of computations is than request "
        "handling (a nice value; 0: the same).")
    api_compute: Literal["process", "thread"] = Field(
        default="process",
        description="Where an API worker runs its computations (uncached analyses, views, "
        "reports, exports): 'process', in processes of its own (API_HEAVY_SLOTS of them, "
        "started with the worker, each keeping its own copy of the graph), so that lookups "
        "never wait for a computation's interpreter lock; 'thread', in threads of the "
        "worker (less memory, slower lookups while computing).")
    neo4j_connection_timeout: float = Field(
        default=1.0, gt=0, le=60,
        description="Seconds to open a connection to Neo4j (TCP and Bolt handshake).")
    neo4j_retry_time: float = Field(
        default=1.0, ge=0, le=300,
        description="Seconds a failed Neo4j transaction is retried (reads and writes; the "
        "health check never retries).")
    # Caps on what one load reads (CLI and API alike; see partnernet.loaders.limits).
    load_max_bytes: int = Field(
        default=_CAPS.max_bytes, ge=1024,
        description="Largest file a load reads, in bytes (an XLSX or ZIP as stored).")
    load_max_uncompressed_bytes: int = Field(
        default=_CAPS.max_uncompressed_bytes, ge=1024,
        description="Largest total an XLSX or ZIP may inflate to, checked before inflating.")
    load_max_rows: int = Field(default=_CAPS.max_rows, ge=1,
                               description="Most rows (nodes, edges, records) in one file.")
    load_max_cells: int = Field(default=_CAPS.max_cells, ge=1,
                                description="Most non-empty cells (values) in one file.")
    load_max_value_chars: int = Field(
        default=_CAPS.max_value_chars, ge=1, le=_CAPS.max_value_chars,
        description="Longest cell or value, in characters (at most the value domain's).")
    load_max_depth: int = Field(default=_CAPS.max_depth, ge=2, le=1000,
                                description="Deepest nesting of JSON and XML.")
    south_definition: Literal[DEFINITIONS] = "g77"  # type: ignore[valid-type]
    results_dir: Path | None = Field(
        default=None,
        description="Folder for the results kept per data snapshot (default: beside an SQLite "
        "store, as FILE.results; $XDG_CACHE_HOME/partnernet for Neo4j).",
    )
    results_max_mb: int = Field(
        default=256, ge=0,
        description="Size limit of a store's results file in MiB (least recently used "
        "results go first); 0 keeps nothing on disk.",
    )
    cache_entries: int = Field(
        default=64, ge=1, le=100_000,
        description="Results a process keeps in memory for the current graph (least "
        "recently used go first).",
    )
    cache_max_mb: int = Field(
        default=512, ge=1,
        description="About how much memory those results may take, in MiB.",
    )
    cache_check_seconds: float = Field(
        default=5.0, ge=0,
        description="How often the API compares the store's fingerprint with its graph's to "
        "notice changes made by other processes (0: never).",
    )
    environment: Literal["development", "production"] = "development"

    @field_validator("store")
    @classmethod
    def _known_scheme(cls, v: str) -> str:
        return check_store_uri(v)

    @field_validator("api_token")
    @classmethod
    def _no_default_secret(cls, v: SecretStr | None) -> SecretStr | None:
        if v is not None and v.get_secret_value() in {"changeme", "change-me", "secret", ""}:
            raise ValueError("api_token must not be a placeholder such as 'changeme'")
        return v

    def __repr_args__(self):
        for name, value in super().__repr_args__():
            yield name, (redact_uri(value) if name == "store" else value)

    def load_caps(self) -> Caps:
        """The caps every load takes (``partnernet load`` and ``POST /loads`` alike)."""
        return Caps(max_bytes=self.load_max_bytes,
                    max_uncompressed_bytes=self.load_max_uncompressed_bytes,
                    max_rows=self.load_max_rows, max_cells=self.load_max_cells,
                    max_value_chars=self.load_max_value_chars, max_depth=self.load_max_depth)

    @property
    def store_kind(self) -> Literal["sqlite", "neo4j"]:
        return "sqlite" if self.store.startswith("sqlite://") else "neo4j"

    def open_store(self, uri: str | None = None, *, init: bool = True) -> GraphStore:
        """The store at ``uri`` (default: :attr:`store`) with these settings' credentials."""
        from partnernet.graph.store import open_store

        return open_store(check_store_uri(uri or self.store), user=self.neo4j_user,
                          password=self.neo4j_password.get_secret_value(),
                          database=self.neo4j_database, init=init,
                          connection_timeout=self.neo4j_connection_timeout,
                          retry_time=self.neo4j_retry_time)

    def graph_cache(self, store: GraphStore, *, ttl: float = 0.0) -> GraphCache:
        """A graph cache for ``store`` with these settings' bounds and results file,
        attached to the store (library calls without ``cache=`` use it)."""
        from partnernet.service.cache import GraphCache
        from partnernet.service.results import ResultStore

        results = ResultStore.for_store(store, folder=self.results_dir,
                                        max_bytes=self.results_max_mb * 2**20)
        return GraphCache(store, ttl=ttl, results=results, max_entries=self.cache_entries,
                          max_bytes=self.cache_max_mb * 2**20).attach()


class SettingsError(ValueError):
    """The environment or ``.env`` holds a value the settings refuse (one line per field,
    naming the ``PARTNERNET_`` variable; secrets never quoted)."""


def describe_error(exc: ValidationError) -> str:
    """A settings validation error as sentences naming each variable (no input quoted)."""
    parts = []
    for e in exc.errors(include_input=False, include_url=False):
        field_name = ".".join(str(x) for x in e["loc"]) or "settings"
        message = str(e["msg"]).removeprefix("Value error, ")
        parts.append(f"PARTNERNET_{field_name.upper()}: {message}")
    return "; ".join(parts)


def load_settings(**overrides) -> Settings:
    """Settings from the environment, ``.env`` and ``overrides`` (which win, e.g. the
    command line's ``--store``); :class:`SettingsError` if a value is refused."""
    try:
        return Settings(**{k: v for k, v in overrides.items() if v is not None})
    except ValidationError as exc:
        raise SettingsError(describe_error(exc)) from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (read once); :class:`SettingsError` if a variable is
    refused."""
    return load_settings()
