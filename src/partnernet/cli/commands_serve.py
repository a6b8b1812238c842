"""Output commands: serve, view, report."""

from __future__ import annotations

from pathlib import Path

import click

from partnernet.cli.context import pass_app
from partnernet.cli.options import format_from_extension

__all__ = ["COMMANDS"]


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Worker processes; each keeps its own graph and cached analyses (the "
                   "benchmarks use one per core).")
@click.option("--create", is_flag=True,
              help="Create the store if it does not exist (empty, to be filled through "
                   "POST /loads); without it a missing store is refused.")
@pass_app
def serve(app, host, port, workers, create) -> None:
    """Run the HTTP API (OpenAPI docs at /docs, views at /views)."""
    import os

    import uvicorn

    from partnernet.settings import get_settings

    if create:
        app.may_create = True
        app.store  # noqa: B018 - created (with its schema) here; the API opens its own
        app.close()
    elif app.uri not in ("sqlite:///:memory:", "sqlite://:memory:"):  # a temporary store
        try:
            app.check_store_exists()
        except click.ClickException as exc:
            raise click.ClickException(f"{exc.message} (or serve --create)") from None
    if app.store_uri:
        os.environ["PARTNERNET_STORE"] = app.store_uri
    get_settings.cache_clear()  # the API reads settings afresh: honour --store
    uvicorn.run("partnernet.api.main:create_app", factory=True, host=host, port=port,
                workers=workers, log_level="info")


@click.command()
@click.option("--focus", metavar="ID_OR_NAME", help="Centre an ego network on this node.")
@click.option("--depth", type=click.IntRange(1, 4), default=2, show_default=True)
@click.option("--corridor", nargs=2, metavar="REGION_A REGION_B",
              help="Only partnerships between two regions.")
@click.option("--color-by", type=click.Choice(["region", "bloc", "category", "community",
                                               "label"]), default="region", show_default=True)
@click.option("--size-by", type=click.Choice(["degree", "betweenness", "effective_size",
                                              "constraint", "none"]), default="degree",
              show_default=True)
@click.option("--definition", type=click.Choice(["g77", "dac", "wb-income"]), default=None,
              help="Global South definition for South/North colours.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Output HTML file.")
@pass_app
def view(app, focus, depth, corridor, color_by, size_by, definition, out) -> None:
    """Write an interactive, offline graph view (one self-contained HTML file)."""
    from partnernet.graph.analysis.matching import UnknownNode, resolve_node
    from partnernet.service import analyses
    from partnernet.visualisations.views import build_view, render_view

    g = app.store.to_networkx()
    if focus:
        try:
            focus = resolve_node(g, focus)
        except UnknownNode as exc:
            raise click.ClickException(str(exc)) from exc
    v = build_view(g, focus=focus, depth=depth, corridor=tuple(corridor) if corridor else None,
                   color_by=color_by, size_by=size_by,
                   definition=definition or app.settings.south_definition)
    html, _ = render_view(v, snapshot=analyses.snapshot(app.store, g))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(html, encoding="utf-8")
    click.echo(f"wrote {out} ({v.meta['nodes']} nodes, {v.meta['edges']} ties; "
               f"{'; '.join(v.notes) or 'physics layout in the browser'})")


@click.command()
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Output file: .html, .md, .xlsx or .pdf")
@click.option("--for", "seeker", metavar="NAME_OR_ID", help="Add recommended partners for it.")
@click.option("--definition", type=click.Choice(["g77", "dac", "wb-income"]), default=None)
@click.option("--pivots", type=click.IntRange(2), default=None,
              help="Sample betweenness (default exact up to 15,000 nodes).")
@pass_app
def report(app, out, seeker, definition, pivots) -> None:
    """Write the network report (HTML, Markdown, XLSX or PDF) stating snapshot and definitions."""
    from partnernet.graph.analysis.matching import UnknownNode
    from partnernet.service.report import build_report
    from partnernet.visualisations.report import REPORT_FORMATS, render_report
    from partnernet.visualisations.views import build_view

    fmt = format_from_extension(out, None, {f".{f}": f for f in REPORT_FORMATS})
    try:
        r = build_report(app.store, definition=definition or app.settings.south_definition,
                         seeker=seeker, k=pivots)
    except UnknownNode as exc:
        raise click.ClickException(str(exc)) from exc
    view = (build_view(app.store.to_networkx(), color_by="region", size_by="betweenness",
                       definition=r["definition"]["name"]) if fmt == "html" else None)
    data, _ = render_report(r, fmt, view=view)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    click.echo(f"wrote {out} ({len(data):,} bytes; snapshot {r['snapshot']['taken_at']}, "
               f"{r['definition']['name']} Global South, {r['betweenness']['description']})")


COMMANDS = [serve, view, report]
