"""Output commands: serve, view, report."""

from __future__ import annotations

from pathlib import Path

import click

from partnernet.cli.context import pass_app
from partnernet.cli.options import format_from_extension
from partnernet.vocabulary import COLOR_BY, DEFINITIONS, SIZE_BY, VIEW_ENGINES

__all__ = ["COMMANDS"]


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Worker processes; each keeps its own cached answers and starts its "
                   "own computation processes (PARTNERNET_API_HEAVY_SLOTS, each with a copy "
                   "of the graph; the benchmarks use one worker per core).")
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


VIEW_FORMATS = ("html",)


@click.command()
@click.option("--focus", metavar="ID_OR_NAME",
              help="Centre an ego network on this node: any kind (a city, partner, network, "
                   "committee, focal unit...), by id or name.")
@click.option("--depth", type=click.IntRange(1, 4), default=2, show_default=True)
@click.option("--corridor", nargs=2, metavar="REGION_A REGION_B",
              help="Only partnerships between two regions (UN M49 names, e.g. Africa).")
@click.option("--color-by", type=click.Choice(COLOR_BY, case_sensitive=False), default="region",
              show_default=True, help="Colour cities and partners by region, South/North "
                                      "bloc or node kind (label).")
@click.option("--size-by", type=click.Choice(SIZE_BY, case_sensitive=False), default="degree",
              show_default=True)
@click.option("--definition", type=click.Choice(DEFINITIONS), default=None,
              help="Global South definition for South/North colours.")
@click.option("--engine", type=click.Choice(VIEW_ENGINES, case_sensitive=False),
              default="explorer", show_default=True,
              help="explorer: the explorer's page (any size; aggregated and mapped above a "
                   "few hundred cities); pyvis: a physics layout assembled with pyvis, for an "
                   "ego network or a corridor of at most 600 nodes.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Output file, .html: one self-contained page that opens offline (export "
                   "PNG or SVG pictures from it, or use `partnernet report`).")
@pass_app
def view(app, focus, depth, corridor, color_by, size_by, definition, engine, out) -> None:
    """Write an offline graph view (one self-contained HTML file); whole networks above a
    few hundred cities are aggregated by region and drawn on a world map."""
    from partnernet.graph.analysis.matching import UnknownNode, resolve_node
    from partnernet.service import analyses
    from partnernet.visualisations.views import build_view, render_view
    from partnernet.vocabulary import REGIONS, UnknownValue, choose

    fmt = out.suffix.lower().lstrip(".")
    if fmt not in VIEW_FORMATS:
        raise click.UsageError(f"--out {out.name}: a view is written as "
                               f"{', '.join('.' + f for f in VIEW_FORMATS)} (got "
                               f"{out.suffix or 'no extension'}); export PNG or SVG pictures "
                               "from the page, or write a report (.pdf, .html, .md, .xlsx)")
    if corridor:
        try:
            corridor = tuple(choose(r, REGIONS, "region (--corridor)") for r in corridor)
        except UnknownValue as exc:
            raise click.UsageError(str(exc)) from exc
    g = app.store.to_networkx()
    if focus:
        try:
            focus = resolve_node(g, focus)
        except UnknownNode as exc:
            raise click.ClickException(str(exc)) from exc
    v = build_view(g, focus=focus, depth=depth, corridor=corridor, color_by=color_by.lower(),
                   size_by=size_by.lower(),
                   definition=definition or app.settings.south_definition)
    if engine.lower() == "pyvis":
        from partnernet.visualisations.physics import render_physics

        try:
            html, _ = render_physics(v, snapshot=analyses.snapshot(app.store, g))
        except ValueError as exc:
            raise click.UsageError(str(exc)) from exc
    else:
        html, _ = render_view(v, snapshot=analyses.snapshot(app.store, g))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(html, encoding="utf-8")
    drawn = (f"{v.meta['map_cities']:,} cities on the map, " if v.meta.get("map_cities")
             else "")
    click.echo(f"wrote {out} ({drawn}{v.meta['nodes']} nodes, {v.meta['edges']} ties in the "
               f"graph{'; ' + '; '.join(v.notes) if v.notes else ''})")


@click.command()
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Output file: .html, .md, .xlsx or .pdf")
@click.option("--for", "seeker", metavar="NAME_OR_ID", help="Add recommended partners for it.")
@click.option("--definition", type=click.Choice(DEFINITIONS), default=None)
@click.option("--pivots", type=click.IntRange(2), default=None,
              help="Sample betweenness from uniform pivots (default: exact up to 5,000 "
                   "nodes, KADABRA within 0.001 above).")
@pass_app
def report(app, out, seeker, definition, pivots) -> None:
    """Write the network report (HTML, Markdown, XLSX or PDF) stating snapshot and definitions."""
    from partnernet.graph.analysis.matching import UnknownNode
    from partnernet.service.report import build_report
    from partnernet.visualisations.report import REPORT_FORMATS, render_report

    fmt = format_from_extension(out, None, {f".{f}": f for f in REPORT_FORMATS})
    try:
        r = build_report(app.store, definition=definition or app.settings.south_definition,
                         seeker=seeker, k=pivots)
    except UnknownNode as exc:
        raise click.ClickException(str(exc)) from exc
    data, _ = render_report(r, fmt)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    click.echo(f"wrote {out} ({len(data):,} bytes; snapshot {r['snapshot']['taken_at']}, "
               f"{r['definition']['name']} Global South, {r['betweenness']['description']})")


COMMANDS = [serve, view, report]
