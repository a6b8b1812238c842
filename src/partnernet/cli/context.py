"""What every command gets: the settings and one lazily opened store.

Only ``init``, ``load`` and ``demo`` create a store. Every other command refuses a
SQLite store that does not exist (or is not a partnernet store), saying how to create
one, instead of silently creating an empty ``partnernet.db`` and printing "(no rows)".
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import click

from partnernet.graph.store import GraphStore, StoreError
from partnernet.service.cache import GraphCache
from partnernet.settings import Settings, check_store_uri, load_settings

__all__ = ["CREATES_STORE", "AppContext", "pass_app"]

#: Commands that may create the store they are given.
CREATES_STORE = frozenset({"init", "load", "demo"})
_MEMORY = ("sqlite:///:memory:", "sqlite://:memory:")


@dataclass
class AppContext:
    store_uri: str | None = None
    may_create: bool = True
    settings: Settings = field(default_factory=load_settings)
    _store: GraphStore | None = None

    _cache: GraphCache | None = None

    @property
    def uri(self) -> str:
        return self.store_uri or self.settings.store

    def check_store_exists(self) -> None:
        """Refuse (one line, with what to do) a store this command cannot use because
        it does not exist yet. Neo4j databases are not checked: an empty one is a store."""
        uri = self.uri
        if self.may_create or not uri.startswith("sqlite://"):
            return
        how = ("create it with `partnernet init` (empty), `partnernet load FILE...` or "
               "`partnernet demo`, or point --store / PARTNERNET_STORE at an existing store")
        if uri in _MEMORY:
            raise click.ClickException(f"{uri} is a new, empty store in every command: "
                                       f"use a file (sqlite:///partnernet.db); {how}")
        path = Path(uri[len("sqlite:///"):] or "partnernet.db")
        if not path.exists():
            raise click.ClickException(f"no store at {path}: {how}")
        if path.is_dir():
            raise click.ClickException(f"{path} is a folder, not a store file")
        try:
            conn = sqlite3.connect(f"file:{path.resolve()}?mode=ro", uri=True)
            try:
                found = conn.execute("SELECT count(*) FROM sqlite_master WHERE type='table' "
                                     "AND name IN ('meta', 'nodes', 'rels')").fetchone()[0]
            finally:
                conn.close()
        except sqlite3.Error as exc:
            raise click.ClickException(f"{path} is not a partnernet store ({exc})") from None
        if found < 3:
            raise click.ClickException(f"{path} is not a partnernet store (no partnernet "
                                       f"tables); {how}")

    @property
    def store(self) -> GraphStore:
        if self._store is None:
            self.check_store_exists()
            try:
                self._store = self.settings.open_store(self.uri)
            except StoreError as exc:
                raise click.ClickException(str(exc)) from None
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


def make_context(store_uri: str | None, command: str | None) -> AppContext:
    """The context of a command run (``--store`` checked first, password never quoted)."""
    if store_uri is not None:
        try:
            check_store_uri(store_uri)
        except ValueError as exc:
            raise click.BadParameter(str(exc),
                                     param_hint="'--store' (or PARTNERNET_STORE)") from None
    return AppContext(store_uri=store_uri, may_create=command in CREATES_STORE or command is None,
                      settings=load_settings(store=store_uri))


pass_app = click.make_pass_decorator(AppContext)
