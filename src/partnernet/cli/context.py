"""What every command gets: the settings and one lazily opened store."""

from __future__ import annotations

from dataclasses import dataclass, field

import click

from partnernet.graph.store import GraphStore, StoreError
from partnernet.settings import Settings, get_settings

__all__ = ["AppContext", "pass_app"]


@dataclass
class AppContext:
    store_uri: str | None = None
    settings: Settings = field(default_factory=get_settings)
    _store: GraphStore | None = None

    @property
    def store(self) -> GraphStore:
        if self._store is None:
            try:
                self._store = self.settings.open_store(self.store_uri)
            except StoreError as exc:
                raise click.ClickException(str(exc)) from exc
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


pass_app = click.make_pass_decorator(AppContext)
