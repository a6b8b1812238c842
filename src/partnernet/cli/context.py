"""What every command gets: the settings and one lazily opened store."""

from __future__ import annotations

from dataclasses import dataclass, field

import click

from partnernet.graph.store import GraphStore, StoreError
from partnernet.service.cache import GraphCache
from partnernet.settings import Settings, get_settings

__all__ = ["AppContext", "pass_app"]


@dataclass
class AppContext:
    store_uri: str | None = None
    settings: Settings = field(default_factory=get_settings)
    _store: GraphStore | None = None

    _cache: GraphCache | None = None

    @property
    def store(self) -> GraphStore:
        if self._store is None:
            try:
                self._store = self.settings.open_store(self.store_uri)
            except StoreError as exc:
                raise click.ClickException(str(exc)) from exc
            # results kept per data snapshot: a repeated question is answered from disk
            self._cache = self.settings.graph_cache(self._store)
        return self._store

    @property
    def cache(self) -> GraphCache:
        """The store's graph cache (with its results file), attached to the store."""
        store = self.store
        assert self._cache is not None and self._cache.store is store
        return self._cache

    def close(self) -> None:
        if self._cache is not None:
            self._cache.close()
            self._cache = None
        if self._store is not None:
            self._store.close()
            self._store = None


pass_app = click.make_pass_decorator(AppContext)
