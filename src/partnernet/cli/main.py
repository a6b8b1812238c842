"""The ``partnernet`` command line: a thin layer over the library."""

from __future__ import annotations

import click

from partnernet.cli.context import pass_app
from partnernet.cli.errors import SafeGroup
from partnernet.cli.output import FORMAT_OPTION, emit
from partnernet.version import __version__

__all__ = ["cli"]


@click.group(cls=SafeGroup,
             context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--store", envvar="PARTNERNET_STORE", metavar="URI",
              help="Graph store: sqlite:///file.db (embedded, default partnernet.db) or "
                   "neo4j://host:7687 / bolt://host:7687 (user and password from "
                   "PARTNERNET_NEO4J_USER / PARTNERNET_NEO4J_PASSWORD).")
@click.version_option(__version__, prog_name="partnernet")
@click.pass_context
def cli(ctx: click.Context, store: str | None) -> None:
    """Analyse partnership networks of cities, city networks and UN-Habitat partners.

    Start with `partnernet demo`, then try `partnernet analyse brokers` or
    `partnernet match --for Maringá`.
    """
    from partnernet.cli.context import make_context

    ctx.obj = make_context(store, ctx.invoked_subcommand)
    ctx.call_on_close(ctx.obj.close)


@cli.command()
@pass_app
def init(app) -> None:
    """Create the store's schema: tables (SQLite) or constraints and indexes (Neo4j)."""
    store = app.store
    store.init()
    info = store.info()
    click.echo(f"initialised {info['kind']} store at {info['location']} ({info['version']})")


@cli.command()
@FORMAT_OPTION
@pass_app
def stats(app, fmt: str) -> None:
    """Count nodes by label and relationships by type."""
    counts = app.store.counts()
    data = {"store": app.store.info(), "nodes": counts.nodes,
            "relationships": counts.relationships,
            "total_nodes": counts.total_nodes, "total_relationships": counts.total_relationships}
    rows = ([{"kind": "node", "name": k, "count": v} for k, v in counts.nodes.items()]
            + [{"kind": "relationship", "name": k, "count": v}
               for k, v in counts.relationships.items()])
    emit(data, fmt, rows=rows,
         title=f"{counts.total_nodes} nodes, {counts.total_relationships} relationships "
               f"in {data['store']['kind']} store {data['store']['location']}")


def _register() -> None:
    """Attach the command groups that live in their own modules."""
    from partnernet.cli import commands_analyse, commands_data, commands_serve

    for module in (commands_data, commands_analyse, commands_serve):
        for command in module.COMMANDS:
            cli.add_command(command)


_register()
