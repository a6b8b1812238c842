"""The one settings object: every knob, read from ``PARTNERNET_*`` variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from partnernet.loaders.limits import Caps
from partnernet.vocabulary import DEFINITIONS

if TYPE_CHECKING:
    from partnernet.graph.store import GraphStore
    from partnernet.service.cache import GraphCache

_CAPS = Caps()

__all__ = ["Settings", "get_settings"]


class Settings(BaseSettings):
    """Settings for the library, the CLI and the API.

    Every field can be set by an environment variable with the ``PARTNERNET_``
    prefix (``PARTNERNET_STORE``, ``PARTNERNET_API_TOKEN``...) or a ``.env`` file.
    """

    model_config = SettingsConfigDict(env_prefix="PARTNERNET_", env_file=".env", extra="ignore")

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
    upload_max_bytes: int = Field(default=20 * 1024 * 1024, ge=1024)
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
        schemes = ("sqlite://", "neo4j://", "neo4j+s://", "neo4j+ssc://", "bolt://", "bolt+s://",
                   "bolt+ssc://")
        if not v.startswith(schemes):
            raise ValueError(f"store must start with one of {', '.join(schemes)}; got {v!r}")
        return v

    @field_validator("api_token")
    @classmethod
    def _no_default_secret(cls, v: SecretStr | None) -> SecretStr | None:
        if v is not None and v.get_secret_value() in {"changeme", "change-me", "secret", ""}:
            raise ValueError("api_token must not be a placeholder such as 'changeme'")
        return v

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

        return open_store(uri or self.store, user=self.neo4j_user,
                          password=self.neo4j_password.get_secret_value(),
                          database=self.neo4j_database, init=init)

    def graph_cache(self, store: GraphStore, *, ttl: float = 0.0) -> GraphCache:
        """A graph cache for ``store`` with these settings' bounds and results file,
        attached to the store (library calls without ``cache=`` use it)."""
        from partnernet.service.cache import GraphCache
        from partnernet.service.results import ResultStore

        results = ResultStore.for_store(store, folder=self.results_dir,
                                        max_bytes=self.results_max_mb * 2**20)
        return GraphCache(store, ttl=ttl, results=results, max_entries=self.cache_entries,
                          max_bytes=self.cache_max_mb * 2**20).attach()


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (read once)."""
    return Settings()
