"""partnernet as a library, for notebooks and scripts.

>>> import partnernet
>>> net = partnernet.open("sqlite:///:memory:")      # or a file, or a Neo4j URI
>>> net.load(format="reference").summary["nodes"]["created"] > 0
True
>>> table = net.focal_units().to_pandas("categories")
>>> len(table)                                          # the SOP's 19 partner categories
19
>>> net.close()

Every analysis returns a :class:`Result`: the same plain, JSON-ready dict the CLI and
the API give (with its projection, definitions and snapshot), plus :meth:`Result.to_pandas`
for its tables. :meth:`Network.view` returns a view that displays inline in Jupyter.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from partnernet.graph.store import GraphStore
from partnernet.service import analyses
from partnernet.service.cache import GraphCache
from partnernet.settings import Settings, get_settings

__all__ = ["LoadReport", "Network", "Result", "ViewPage", "open"]

#: Where each analysis keeps its tables: name -> path of keys to a list of rows. The first
#: is what :meth:`Result.to_pandas` gives without a name.
TABLES: dict[str, dict[str, tuple[str, ...]]] = {
    "brokers": {"brokers": ("rows",)},
    "south_south": {"missing_links": ("missing_links", "pairs"),
                    "triangular_brokers": ("triangular", "brokers"),
                    "thin_corridors": ("density", "thin")},
    "focal_units": {"partners": ("partners",), "categories": ("categories",),
                    "workload": ("coverage", "workload")},
    "deliverables": {"action_lines": ("action_lines",), "networks": ("networks",)},
    "communities": {"communities": ("communities",)},
    "recognitions": {"recognitions": ("recognitions",)},
    "match": {"candidates": ("candidates",)},
}


class Result(dict):
    """An analysis result: a plain dict (as the API returns it) with its tables as pandas.

    ``result.tables`` names the tables; ``result.to_pandas(name)`` gives one (default: the
    main one: brokers, missing links, candidates...).
    """

    def __init__(self, data: dict[str, Any], kind: str):
        super().__init__(data)
        self.kind = kind

    @property
    def tables(self) -> list[str]:
        return list(TABLES.get(self.kind, {}))

    def to_pandas(self, table: str | None = None):
        """One table of the result as a :class:`pandas.DataFrame` (undefined values NaN)."""
        import pandas as pd

        paths = TABLES.get(self.kind, {})
        if not paths:
            raise ValueError(f"a {self.kind} result has no table")
        name = table or next(iter(paths))
        if name not in paths:
            raise ValueError(f"unknown table {name!r} of a {self.kind} result; "
                             f"accepted: {', '.join(paths)}")
        rows: Any = self
        for key in paths[name]:
            rows = rows.get(key, []) if isinstance(rows, dict) else []
        return pd.DataFrame(list(rows))

    def _repr_html_(self) -> str:  # Jupyter
        head = "".join(f"<li>{html.escape(k)}: {html.escape(str(v))}</li>"
                       for k, v in self._summary().items())
        body = ""
        if self.tables:
            frame = self.to_pandas()
            body = frame.head(20).to_html(escape=True, index=False, na_rep="n/a")
        return f"<div><ul>{head}</ul>{body}</div>"

    def _summary(self) -> dict[str, Any]:
        out = {}
        for key in ("projection", "betweenness", "definition"):
            value = self.get(key)
            if isinstance(value, dict):
                value = value.get("description") or value.get("title")
            if value:
                out[key] = value
        snap = self.get("snapshot") or {}
        if snap:
            out["snapshot"] = f"{snap.get('taken_at')} ({snap.get('nodes')} nodes)"
        return out


class LoadReport:
    """What a load did: ``summary`` (created / updated / unchanged), ``stats`` and
    ``notes`` (merges, folded duplicates, resolution of places)."""

    def __init__(self, result):
        data = result.as_dict()
        self.summary = {k: data[k] for k in ("nodes", "relationships", "dry_run")}
        self.stats = data["stats"]
        self.notes = data["notes"]
        self.details = data["details"]

    def __repr__(self) -> str:
        n, r = self.summary["nodes"], self.summary["relationships"]
        return (f"<LoadReport nodes created {n['created']}, updated {n['updated']}, "
                f"unchanged {n['unchanged']}; relationships created {r['created']}, "
                f"updated {r['updated']}, unchanged {r['unchanged']}>")


class ViewPage:
    """A rendered, self-contained view: ``html`` (the page), :meth:`save`, and inline
    display in Jupyter (in a sandboxed iframe, so the page's own CSP applies)."""

    def __init__(self, page: str, meta: dict[str, Any], height: int = 620):
        self.html, self.meta, self.height = page, meta, height

    def save(self, path: str | Path) -> Path:
        path = Path(path)
        if path.suffix.lower() not in (".html", ".htm"):
            raise ValueError(f"a view is an HTML page: give a .html path, not {path.name!r}")
        path.write_text(self.html, encoding="utf-8")
        return path

    def _repr_html_(self) -> str:  # Jupyter
        return (f'<iframe srcdoc="{html.escape(self.html, quote=True)}" '
                f'sandbox="allow-scripts" style="width:100%;height:{self.height}px;'
                f'border:1px solid #ddd"></iframe>')


class Network:
    """A partnership network in a store, with its analyses cached per data snapshot.

    Open one with :func:`open`; close it (or use ``with``) to release the store.
    """

    def __init__(self, store: GraphStore, *, settings: Settings | None = None):
        self.store = store
        self.settings = settings or get_settings()
        # answers kept per data snapshot in the store's results file, shared with the CLI
        # and the API (see README, "How it answers under load")
        self.cache: GraphCache = self.settings.graph_cache(store)

    # -- data ---------------------------------------------------------------------------
    def load(self, *paths: str | Path, format: str | None = None, dry_run: bool = False,
             **options: Any) -> LoadReport:
        """Load files (all rows or none), or ``format="reference"`` for the reference graph.
        Raises :class:`partnernet.loaders.errors.LoadErrors` naming file, row and column."""
        from partnernet.loaders.load import load_files

        result = load_files(self.store, list(paths), fmt=format, dry_run=dry_run, **options)
        if not dry_run:
            self.cache.invalidate()
        return LoadReport(result)

    def stats(self) -> dict[str, Any]:
        """Nodes by label and relationships by type."""
        c = self.store.counts()
        return {"nodes": c.nodes, "relationships": c.relationships,
                "total_nodes": c.total_nodes, "total_relationships": c.total_relationships}

    def graph(self):
        """The store's graph as a NetworkX ``MultiDiGraph`` (a copy: change it freely)."""
        return self.cache.graph().copy()

    # -- analyses -----------------------------------------------------------------------
    def _definition(self, options: dict[str, Any]) -> dict[str, Any]:
        options.setdefault("definition", self.settings.south_definition)
        return options

    def brokers(self, **options: Any) -> Result:
        """Ranked brokers (betweenness, Burt's structural holes, Gould-Fernandez roles, cut
        points); options as ``partnernet analyse brokers``."""
        return Result(analyses.brokers(self.store, cache=self.cache,
                                       **self._definition(options)), "brokers")

    def south_south(self, **options: Any) -> Result:
        """South-South gaps: shares, E-I index, thin corridors, missing links, triangular
        brokers."""
        return Result(analyses.south_south(self.store, cache=self.cache,
                                           **self._definition(options)), "south_south")

    def focal_units(self, *, today: dt.date | None = None) -> Result:
        """The focal unit responsible for each partner and category, letter routing and
        coverage gaps (UN-Habitat SOP)."""
        return Result(analyses.focal_unit_report(self.store, cache=self.cache, today=today),
                      "focal_units")

    def deliverables(self) -> Result:
        """Status of action-plan deliverables per network and action line."""
        return Result(analyses.deliverables(self.store, cache=self.cache), "deliverables")

    def communities(self, **options: Any) -> Result:
        """Louvain communities (fixed seed)."""
        return Result(analyses.communities_report(self.store, cache=self.cache,
                                                  **self._definition(options)), "communities")

    def recognitions(self, **options: Any) -> Result:
        """Leading-level recognitions and when they lapse."""
        return Result(analyses.recognitions_report(self.store, cache=self.cache, **options),
                      "recognitions")

    def match(self, seeker: str, *, themes: Iterable[str] = (), sdgs: Iterable[int] = (),
              **options: Any) -> Result:
        """Which partner to approach for ``seeker`` (a name or id): ranked candidates with
        their reasons and the focal unit to contact."""
        return Result(analyses.match(self.store, seeker, cache=self.cache, themes=tuple(themes),
                                     sdgs=tuple(sdgs), **self._definition(options)), "match")

    # -- pictures -----------------------------------------------------------------------
    def view(self, *, engine: str = "explorer", **options: Any) -> ViewPage:
        """An interactive view (options as ``partnernet view``: ``focus``, ``depth``,
        ``corridor``, ``color_by``, ``size_by``), displayed inline in Jupyter;
        ``.save("view.html")`` writes the self-contained page. ``engine="pyvis"`` lays an
        ego network or a corridor out by physics (see :func:`pyvis_network` for the pyvis
        object itself)."""
        from partnernet.visualisations.physics import render_physics
        from partnernet.visualisations.views import build_view, render_view
        from partnernet.vocabulary import VIEW_ENGINES, choose

        engine = choose(engine, VIEW_ENGINES, "view engine")
        g = self.cache.graph()
        v = build_view(g, **self._definition(options))
        render = render_physics if engine == "pyvis" else render_view
        page, _ = render(v, snapshot=analyses.snapshot(self.store, g))
        return ViewPage(page, v.meta)

    def pyvis_network(self, **options: Any):
        """The view as a :class:`pyvis.network.Network` (palette colours and shapes), to
        restyle or lay out with pyvis's own tools; options as :meth:`view`."""
        from partnernet.visualisations.physics import physics_network
        from partnernet.visualisations.views import build_view

        return physics_network(build_view(self.cache.graph(), **self._definition(options)))

    def report(self, path: str | Path, **options: Any) -> Path:
        """Write the network report; the format follows the extension (.html, .md, .xlsx,
        .pdf)."""
        from partnernet.service.report import build_report
        from partnernet.visualisations.report import render_report
        from partnernet.vocabulary import REPORT_FORMATS, choose

        path = Path(path)
        fmt = choose(path.suffix.lower().lstrip("."), REPORT_FORMATS, "report format")
        r = build_report(self.store, cache=self.cache, **self._definition(options))
        data, _ = render_report(r, fmt)
        path.write_bytes(data)
        return path

    # -- lifetime -----------------------------------------------------------------------
    def close(self) -> None:
        self.cache.close()
        self.store.close()

    def __enter__(self) -> Network:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        info = self.store.info()
        return f"<partnernet.Network {info['kind']} {info['location']}>"


def open(uri: str | None = None, *, settings: Settings | None = None) -> Network:  # noqa: A001
    """Open the network stored at ``uri`` (default: ``PARTNERNET_STORE``, else
    ``sqlite:///partnernet.db``): ``sqlite:///file.db``, ``sqlite:///:memory:`` or a Neo4j
    URI (credentials from the settings: ``PARTNERNET_NEO4J_USER`` / ``_PASSWORD``)."""
    settings = settings or get_settings()
    return Network(settings.open_store(uri), settings=settings)
