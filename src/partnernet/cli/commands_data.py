"""Data commands: load, export, generate, demo."""

from __future__ import annotations

import json
import time
from pathlib import Path

import click

from partnernet.cli.context import pass_app
from partnernet.cli.options import SEED, format_from_extension
from partnernet.cli.output import emit, render_table
from partnernet.formatting import json_safe, percent
from partnernet.graph.schema import NodeLabel, RelType
from partnernet.vocabulary import LOAD_FORMATS, OUTPUT_FORMATS, choose

__all__ = ["COMMANDS"]


def _summary_rows(d: dict) -> list[dict]:
    return [{"what": what, "created": d[what]["created"], "updated": d[what]["updated"],
             "unchanged": d[what]["unchanged"], "rejected": d.get("rejected", 0)}
            for what in ("nodes", "relationships")]


def _print_result(result, fmt: str, seconds: float) -> None:
    data = result.as_dict()
    data["seconds"] = round(seconds, 2)
    if fmt == "json":
        click.echo(json.dumps(json_safe(data), indent=2, ensure_ascii=False))
        return
    if fmt == "csv":
        emit(data, "csv", rows=_summary_rows(data))
        return
    click.echo(render_table(_summary_rows(data)))
    for k, v in sorted(data["stats"].items()):
        click.echo(f"  {k}: {v}")
    if res := data["details"].get("resolution"):
        total = max(res.get("distinct spellings", 0), 1)
        if "resolved" in res:
            click.echo(f"  place spellings resolved to a gazetteer place: {res['resolved']} of "
                       f"{res['distinct spellings']} ({percent(res['resolved'] / total)}); "
                       f"with a country: {res['with a country']} "
                       f"({percent(res['with a country'] / total)})")
        if by := res.get("by reason"):
            meaning = {"ambiguous": "several places share the name: each mention kept apart "
                                    "by its context", "unresolved": "no such place in the "
                                    "gazetteer: kept with the file's own data"}
            click.echo("  place spellings not resolved: " + "; ".join(
                f"{n} {why}" + (f" ({meaning[why]})" if why in meaning else "")
                for why, n in by.items()))
            for line in (res.get("examples") or [])[:3]:
                click.echo(f"    e.g. {line}")
        merges = res.get("merges") or []
        for line in merges[:10]:
            click.echo(f"  merged: {line}")
        if len(merges) > 10:
            click.echo(f"  ... {len(merges) - 10} more merges (all of them with --format json)")
    if dl := data["details"].get("deliverables"):
        click.echo(f"  deliverables: {dl['total']} (attained {dl['attained']}, in progress "
                   f"{dl['in_progress']}, not developed {dl['not_developed']}); report says "
                   f"{dl['report_summary']}")
    for note in data["notes"][:10]:
        click.echo(f"  note: {note}")
    if data["notes_total"] > 10:
        click.echo(f"  ... {data['notes_total'] - 10} more notes (all of them with "
                   "--format json)")
    verb = "would change" if result.summary.dry_run else "changed"
    click.echo(f"{verb} {result.summary.changed} records in {seconds:.1f} s"
               + (" (dry run: nothing written)" if result.summary.dry_run else ""))


def _progress(label: str, total: int):
    """A progress bar on stderr for long steps (quiet below 5,000 rows)."""
    from contextlib import nullcontext

    if total < 5000:
        return nullcontext()
    return click.progressbar(length=total, label=label, file=click.get_text_stream("stderr"))


def _summary_format(ctx, param, value: str) -> str:
    """``--format`` prints the summary (table, json, csv) like every command; an input
    format that is not also an output format (``--format reference``, ``--format kumu``)
    is taken as ``--input-format``, since that is what it can only mean."""
    if value.lower() in LOAD_FORMATS and value.lower() not in OUTPUT_FORMATS:
        given = ctx.params.get("file_format")
        if given and given.lower() != value.lower():
            raise click.BadParameter(
                f"{value!r} is an input format but --input-format is {given}: give one "
                f"(--format is how the summary is printed: {', '.join(OUTPUT_FORMATS)})")
        ctx.meta["partnernet.input_format"] = value.lower()
        return "table"
    try:
        return choose(value, OUTPUT_FORMATS, "output format")
    except ValueError as exc:
        raise click.BadParameter(
            f"{exc} (or an input format: {', '.join(LOAD_FORMATS)}; "
            "--input-format names it too)") from None


def _columns(text: str | None) -> dict[str, str]:
    """``"source=from_city,target=to_city"`` -> a dict; refuses unknown roles."""
    from partnernet.loaders.formats.columns import END_ROLES, MEMBER_ROLES

    if not text:
        return {}
    ends = [f"{side}_{role}" for side in ("source", "target") for role in END_ROLES]
    roles = ("source", "target", "weight", "kind", "since", "until", "reference",
             *MEMBER_ROLES, *ends)
    out = {}
    for part in text.split(","):
        role, sep, column = part.partition("=")
        role = role.strip()
        if not sep or not column.strip():
            raise click.BadParameter(f"{part!r}: expected ROLE=COLUMN", param_hint="--columns")
        if role not in roles:
            raise click.BadParameter(f"unknown role {role!r}; accepted: {', '.join(roles)}",
                                     param_hint="--columns")
        out[role] = column.strip()
    return out


def _dry_run_store(app):
    """A dry run into an SQLite file that does not exist yet plans against an empty
    in-memory store, so that nothing is left behind."""
    from partnernet.graph.store.sqlite import SQLiteStore

    uri = app.store_uri or app.settings.store
    if uri.startswith("sqlite:///"):
        path = Path(uri[len("sqlite:///"):] or "partnernet.db")
        if not path.exists():
            return SQLiteStore(":memory:")
    return None


_KINDS = ("twinning", "sister-city", "south-south", "triangular", "decentralised",
          "cooperation", "friendship", "mou", "other")


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--input-format", "file_format",
              type=click.Choice(list(LOAD_FORMATS), case_sensitive=False),
              help="Format of the files (default: detected from the extension and the "
                   "columns); `reference` loads the built-in reference graph.")
@click.option("--dry-run", is_flag=True, help="Validate and report; write nothing.")
@click.option("--columns", "columns_text", metavar="ROLE=COLUMN,...",
              help="Name columns detection misses: for edge lists source, target, "
                   "source_country, target_area, weight, kind, since...; for membership "
                   "lists member, organisation, country, type, role, since, until, own "
                   "(the member's id), wikidata, area, lat, lon, population.")
@click.option("--unknown-countries", type=click.Choice(["error", "warn"]), default="error",
              show_default=True,
              help="An unknown country refuses the load (naming row and column), or with "
                   "'warn' loads those places without a country and lists every value.")
@click.option("--node-label", type=click.Choice([x.value for x in NodeLabel]), default="City",
              show_default=True, help="Label for nodes that do not name one (Gephi, GraphML, "
                                      "edge lists).")
@click.option("--org-label", type=click.Choice(["Network", "Initiative", "Committee",
                                                "MembershipClass"]),
              default="Network", show_default=True,
              help="Label of the organisations of a membership list.")
@click.option("--rel-type", type=click.Choice([x.value for x in RelType]),
              default="PARTNERS_WITH", show_default=True,
              help="Type for edges/connections that do not name one.")
@click.option("--pair-columns", metavar="C1,K1,C2,K2",
              help="Pair list columns: city, country, city, country "
                   "(default city1,country1,city2,country2).")
@click.option("--kind", "pair_kind", type=click.Choice(_KINDS), default="twinning",
              show_default=True,
              help="Partnership kind for rows of edge and pair lists that give none.")
@click.option("--format", "fmt", default="table", show_default=True,
              callback=_summary_format, metavar="[table|json|csv]",
              help="How to print the summary, like every command (json: every note and "
                   "merge). An input format here (e.g. --format reference) is taken as "
                   "--input-format.")
@pass_app
def load(app, paths, file_format, dry_run, columns_text, unknown_countries, node_label,
         org_label, rel_type, pair_columns, pair_kind, fmt) -> None:
    """Load files into the store: all rows or none.

    Formats: partnernet's nodes/relationships tables (CSV, XLSX, JSON), Gephi tables
    (several node tables too, or the ZIP `partnernet export --format gephi-csv --out
    x.zip` writes), Kumu workbooks, GraphML, GEXF, edge lists (source,target with names,
    ids or Wikidata QIDs; optional weight, kind, date), pair lists
    (city1,country1,city2,country2), membership lists (member, organisation, country,
    type, role, since, until), the Metropolis action-plan report text, and the built-in
    reference graph (`partnernet load --input-format reference`). Countries in any spelling;
    places resolved in GeoNames and never merged when their identifiers or admin areas
    differ. Every row is validated before anything is written; errors name file, row and
    column. Loading the same files again changes nothing. Reading stops at the first cap
    passed (file size, inflated size, rows, cells, value length, nesting depth: the
    PARTNERNET_LOAD_MAX_* settings).
    """
    from partnernet.loaders.errors import LoadErrors
    from partnernet.loaders.load import load_files

    named = click.get_current_context().meta.get("partnernet.input_format")
    if named and file_format and named != file_format.lower():
        raise click.UsageError(f"--format {named} and --input-format {file_format} disagree: "
                               "give one")
    file_format = file_format or named
    if not paths and (file_format or "").lower() != "reference":
        raise click.UsageError("give at least one PATH (or --input-format reference)")
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise click.BadParameter(f"no such file: {', '.join(missing)}", param_hint="PATHS")
    columns = tuple(c.strip() for c in pair_columns.split(",")) if pair_columns else None
    if columns is not None and len(columns) != 4:
        raise click.UsageError("--pair-columns needs four names: city,country,city,country")
    start = time.perf_counter()
    store = (_dry_run_store(app) if dry_run else None) or app.store
    try:
        result = load_files(store, list(paths), dry_run=dry_run,
                            fmt=file_format.lower() if file_format else None,
                            default_label=NodeLabel(node_label),
                            default_type=RelType(rel_type), pair_columns=columns,
                            pair_kind=pair_kind, columns=_columns(columns_text),
                            unknown_countries=unknown_countries,
                            org_label=NodeLabel(org_label), progress=_progress,
                            caps=app.settings.load_caps())
    except LoadErrors as exc:
        if fmt in ("json", "csv"):
            click.echo(json.dumps({"rejected": len(exc.errors), "written": 0,
                                   "errors": [e.as_dict() for e in exc.errors]}, indent=2,
                                  ensure_ascii=False))
        raise click.ClickException(f"load refused: {exc.summary()}") from exc
    finally:
        if store is not app._store:
            store.close()
    _print_result(result, fmt, time.perf_counter() - start)


#: Export formats by file extension (gephi-csv writes a folder).
EXPORT_EXTENSIONS = {".graphml": "graphml", ".gexf": "gexf", ".json": "json",
                     ".zip": "gephi-csv"}


@click.command()
@click.option("--format", "fmt", type=click.Choice(["graphml", "gexf", "gephi-csv", "json"]),
              help="Export format (default: from the extension of --out; a folder for "
                   "gephi-csv). When given, it must agree with the extension.")
@click.option("--out", type=click.Path(path_type=Path), required=True,
              help="Output file: .graphml, .gexf or .json; for gephi-csv a folder (nodes.csv "
                   "and edges.csv) or a file ending in .zip holding both.")
@click.option("--label", "labels", multiple=True, type=click.Choice([x.value for x in NodeLabel]),
              help="Only these node labels (repeatable).")
@click.option("--type", "types", multiple=True, type=click.Choice([x.value for x in RelType]),
              help="Only these relationship types (repeatable).")
@pass_app
def export(app, fmt, out, labels, types) -> None:
    """Export the graph as GraphML, GEXF, Gephi CSV tables or JSON.

    Every format loads back unchanged with `partnernet load` (types included: text
    stays text, numbers numbers, lists lists); partnerships (PARTNERS_WITH) are
    undirected edges. A property whose plain name would not read back as it was is
    written as name:kind (e.g. postcode:text).
    """
    from partnernet.loaders.export import ExportError, export_graph

    fmt = format_from_extension(out, fmt, EXPORT_EXTENSIONS, folder_format="gephi-csv")
    if fmt != "gephi-csv" and out.is_dir():
        raise click.BadParameter(f"{str(out)!r} is a folder; give a file name",
                                 param_hint="'--out'")
    g = app.store.to_networkx(labels=labels or None, rel_types=types or None)
    try:
        files = export_graph(g, fmt, out)
    except (ExportError, OSError) as exc:
        raise click.ClickException(f"export failed: {exc}") from exc
    click.echo(f"wrote {g.number_of_nodes()} nodes and {g.number_of_edges()} relationships "
               f"to {', '.join(str(f) for f in files)}")


def _reference_anchors(store) -> list:
    from partnernet.loaders.reference_graph import reference_plan

    wanted = [n.id for n in reference_plan().nodes if n.label == NodeLabel.CITY]
    return list(store.get_nodes(wanted).values())


@click.command()
@click.option("--cities", type=click.IntRange(2, 1_000_000), default=300, show_default=True,
              help="Number of generated cities.")
@click.option("--seed", type=SEED, default=42,
              show_default=True, help="Random seed.")
@click.option("--dry-run", is_flag=True, help="Report; write nothing.")
@pass_app
def generate(app, cities, seed, dry_run) -> None:
    """Generate a plausible partnership network, labelled as generated, into the store.

    Real cities (GeoNames), generated memberships, committees, themes, SDGs,
    partnerships (likelier within regions and between similar cities), partners in
    all 19 SOP categories and agreements. Needs the reference graph (run
    `partnernet load --input-format reference` or `partnernet demo` first).
    """
    from partnernet.graph.schema import SchemaError
    from partnernet.loaders.generate import GeneratedOptions, generate_plan

    start = time.perf_counter()
    plan = generate_plan(GeneratedOptions(cities=cities, seed=seed),
                         anchors=_reference_anchors(app.store))
    try:
        summary = app.store.load(plan.nodes, plan.relationships, dry_run=dry_run)
    except SchemaError as exc:
        raise click.ClickException(f"{exc} (load the reference graph first: "
                                   "partnernet load --input-format reference)") from exc
    click.echo(render_table(_summary_rows({**summary.as_dict(), "rejected": 0})))
    click.echo(f"generated {plan.stats['generated cities']} cities, "
               f"{plan.stats['generated partnerships']} city partnerships, "
               f"{plan.stats['generated partners']} partners (seed {seed}) in "
               f"{time.perf_counter() - start:.1f} s")


@click.command()
@click.option("--cities", type=click.IntRange(2, 200_000), default=300, show_default=True,
              help="Size of the generated sample added to the reference graph.")
@click.option("--seed", type=SEED, default=42, show_default=True)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("out"),
              show_default=True, help="Folder for the demo's view and report.")
@pass_app
def demo(app, cities, seed, out) -> None:
    """First run: load the reference graph and a generated sample, then analyse.

    Loads the facts of the five seed documents (UN-Habitat SOP, MCSR Cities
    Alliance, Metropolis action plan, UN Global Compact Cities Programme, OECD
    SDGs) plus a generated sample into the store, prints its statistics and the
    top brokers, and writes an interactive view and a report into --out.
    """
    from partnernet.loaders.generate import GeneratedOptions, generate_plan
    from partnernet.loaders.reference_graph import reference_plan

    start = time.perf_counter()
    ref = reference_plan()
    anchors = [n for n in ref.nodes if n.label == NodeLabel.CITY]
    sample = generate_plan(GeneratedOptions(cities=cities, seed=seed), anchors=anchors)
    summary = app.store.load(ref.nodes + sample.nodes, ref.relationships + sample.relationships)
    info = app.store.info()
    counts = app.store.counts()
    click.echo(f"partnernet demo: {info['kind']} store at {info['location']}")
    click.echo(render_table(_summary_rows({**summary.as_dict(), "rejected": 0})))
    click.echo(f"store now holds {counts.total_nodes} nodes and {counts.total_relationships} "
               f"relationships ({sample.stats['generated cities']} generated cities, seed {seed})")
    from partnernet.cli.demo_steps import run_demo_steps

    run_demo_steps(app, out)
    click.echo(f"done in {time.perf_counter() - start:.1f} s")


COMMANDS = [load, export, generate, demo]
