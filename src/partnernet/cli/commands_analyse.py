"""Analysis commands: analyse brokers|south-south|focal-units|deliverables|communities|
recognitions, and match."""

from __future__ import annotations

import datetime as dt

import click

from partnernet.cli.answers import analyses
from partnernet.cli.context import pass_app
from partnernet.cli.options import DAY, PERIOD, SEED, check_since_until
from partnernet.cli.output import FORMAT_OPTION, emit

__all__ = ["COMMANDS"]

DEFINITION = click.option("--definition", "--south-definition", "definition",
                          type=click.Choice(["g77", "dac", "wb-income"]), default=None,
                          help="Global South definition (default: PARTNERNET_SOUTH_DEFINITION, "
                               "g77).")
FILTERS = [
    click.option("--kind", "kinds", multiple=True,
                 help="Only partnerships of this kind (repeatable): twinning, south-south..."),
    click.option("--since", type=PERIOD,
                 help="Only partnerships since this date (YYYY[-MM[-DD]])."),
    click.option("--until", type=PERIOD, help="Only partnerships until this date."),
]


def _filters(f):
    for opt in reversed(FILTERS):
        f = opt(f)
    return f


def _today(value: dt.date | None) -> dt.date | None:
    return value


@click.group()
def analyse() -> None:
    """Analyse the network: brokers, South-South gaps, focal units, deliverables..."""


@analyse.command("brokers")
@click.option("--group-by", default="region", show_default=True,
              help="Node attribute for brokerage roles: region, bloc (South/North/UN), "
                   "country...")
@click.option("--epsilon", type=click.FloatRange(0.0002, 0.1), default=None,
              help="Estimate betweenness with KADABRA: every normalised score within this "
                   "of the exact one with 95% confidence (default: exact up to 5,000 "
                   "nodes, 0.001 above).")
@click.option("--pivots", "k", type=click.IntRange(2), default=None,
              help="Sample betweenness from this many uniform pivots instead (Brandes-Pich; "
                   "no guarantee: states the split-half agreement of its top 25).")
@click.option("--exact", is_flag=True, help="Exact betweenness whatever the size.")
@click.option("--seed", type=SEED, default=0, show_default=True,
              help="Seed of the estimate (KADABRA or pivots).")
@click.option("--top", type=click.IntRange(1), default=25, show_default=True)
@click.option("--region", "regions", multiple=True, help="Only ties within these regions.")
@DEFINITION
@_filters
@FORMAT_OPTION
@pass_app
def brokers_cmd(app, group_by, epsilon, k, exact, seed, top, regions, definition, kinds, since,
                until, fmt) -> None:
    """Rank brokers: betweenness, Burt's structural holes, Gould-Fernandez roles, cut points.

    Runs on the partnership graph (cities and partners). Every output states how
    betweenness was computed (exact; estimated by KADABRA with its error and confidence;
    or sampled with k pivots and a seed). Answers are kept per data snapshot: asked
    again on an unchanged store, the same question is answered from the results file.
    """
    check_since_until(since, until)
    if epsilon is not None and (k is not None or exact):
        raise click.UsageError("--epsilon, --pivots and --exact exclude each other")
    if k is not None and exact:
        raise click.UsageError("--pivots and --exact exclude each other")
    r = analyses.brokers(app.store, group_by=group_by, k=k, exact=exact, seed=seed, top=top,
                         epsilon=epsilon,
                         definition=definition or app.settings.south_definition,
                         kinds=list(kinds) or None, since=since, until=until,
                         regions=list(regions) or None)
    cols = ["rank", "name", "group", "degree", "betweenness", "constraint", "effective_size",
            "coordinator", "itinerant", "gatekeeper", "representative", "liaison",
            "brokerage_z", "separated"]
    rows = [{**row, "connects": "; ".join(f"{c['from']}->{c['to']} {c['role']} x{c['count']}"
                                          for c in row.get("connects", []))}
            for row in r["rows"]]
    emit(r, fmt, rows=rows, columns=cols + (["connects"] if fmt == "csv" else []),
         title=f"{r['betweenness']['description']}; roles by {r['group_by']}; "
               f"{r['nodes']} nodes, {r['ties']} ties")
    if fmt == "table":
        for row in r["rows"][:5]:
            if row.get("connects"):
                click.echo(f"  {row['name']} connects: " + "; ".join(
                    f"{c['from']} -> {c['to']} ({c['role']}, {c['count']})"
                    for c in row["connects"][:3]))


@analyse.command("south-south")
@DEFINITION
@click.option("--top", type=click.IntRange(1), default=20, show_default=True,
              help="Missing links to list.")
@click.option("--permutations", type=click.IntRange(0), default=1000, show_default=True,
              help="Label permutations for the E-I test.")
@_filters
@FORMAT_OPTION
@pass_app
def south_south_cmd(app, definition, top, permutations, kinds, since, until, fmt) -> None:
    """South-South gaps: partnership shares, E-I index, thin corridors, missing links,
    and the Northern or UN actors that broker triangular cooperation."""
    check_since_until(since, until)
    definition = definition or app.settings.south_definition
    r = analyses.south_south(app.store, definition=definition, top=top,
                             permutations=permutations, kinds=list(kinds) or None,
                             since=since, until=until)
    if fmt != "table":
        rows = [{"a": p["a_name"], "a_country": p["a_country"], "b": p["b_name"],
                 "b_country": p["b_country"], "score": p["score"],
                 "reasons": "; ".join(p["reasons"])} for p in r["missing_links"]["pairs"]]
        emit(r, fmt, rows=rows)
        return
    d = r["definition"]
    click.echo(f"Global South: {d['title']} ({d['name']}; {d['source']}; snapshot "
               f"{d['snapshot']})")
    sh = r["shares"]["overall"]
    click.echo("partnerships: " + ", ".join(
        f"{k} {v['count']} ({(v['share'] or 0) * 100:.1f}%)" if k != "unclassified"
        else f"unclassified {v['count']}" for k, v in sh.items()))
    ei = r["ei"]["south_north"]["network"]
    click.echo(f"E-I index South/North: {ei['ei']:.3f} (expected under permutation "
               f"{ei['expected']:.3f}, p = {ei['p_value']:.3f})")
    click.echo("thinnest Southern corridors:")
    emit(None, "table", rows=[{"corridor": f"{t['a']} - {t['b']}", "ties": t["ties"],
                               "possible": t["possible"], "density": t["density"]}
                              for t in r["density"]["thin"][:6]])
    click.echo("missing South-South links:")
    emit(None, "table", rows=[{"a": f"{p['a_name']} ({p['a_country']})",
                               "b": f"{p['b_name']} ({p['b_country']})",
                               "score": p["score"], "reasons": "; ".join(p["reasons"][:3])}
                              for p in r["missing_links"]["pairs"]])
    tri = r["triangular"]
    click.echo(f"triangular brokers (Northern and UN actors); without all of them "
               f"{tri['all']['dependency'] * 100:.1f}% of connected Southern pairs lose "
               "their connection:")
    emit(None, "table", rows=[{k: b[k] for k in ("name", "bloc", "southern_neighbours",
                                                 "brokered_pairs", "dependency")}
                              for b in tri["brokers"]])


@analyse.command("focal-units")
@click.option("--today", type=DAY, help="Reference date for duties (YYYY-MM-DD; default today).")
@FORMAT_OPTION
@pass_app
def focal_units_cmd(app, today, fmt) -> None:
    """Focal unit responsible for every partner, letter routing, and coverage gaps."""
    r = analyses.focal_unit_report(app.store, today=_today(today))
    if fmt != "table":
        rows = [{**p, "categories": "; ".join(p["categories"]),
                 "focal_units": "; ".join(p["focal_units"]),
                 "communication": " | ".join(
                     f"drafts: {', '.join(c['drafting'])}; dispatches: "
                     f"{', '.join(c['dispatching'])}; cc: {', '.join(c['copied'])}"
                     for c in p["communication"])} for p in r["partners"]]
        emit(r, fmt, rows=rows, columns=["partner", "name", "categories", "focal_units",
                                         "communication", "due_diligence_required",
                                         "due_diligence"])
        return
    click.echo("partner categories and their focal units (UN-Habitat SOP):")
    emit(None, "table", rows=[{"#": c["number"], "category": c["name"],
                               "focal units": "; ".join(c["focal_units"]),
                               "dispatch": "; ".join(x for rt in c["routing"]
                                                     for x in rt["dispatching"])}
                              for c in r["categories"]])
    cov = r["coverage"]
    click.echo(f"\n{cov['partners']} partners; uncategorised: {len(cov['uncategorised'])}; "
               f"needing due diligence: {len(cov['due_diligence_needed'])}; agreements ended "
               f"without assessment: {len(cov['agreements_without_assessment'])}")
    click.echo("shared responsibility: " + ", ".join(cov["shared_categories"]))
    click.echo("no communication rule in the SOP table: "
               + ", ".join(cov["categories_without_communication_rule"]))
    au = cov["annual_update"]
    click.echo(f"annual partner update due {au['due']} ({au['days_left']} days): "
               f"{len(au['new_partners'])} partners with agreements since {au['since']}")
    click.echo("workload per focal unit:")
    emit(None, "table", rows=[{"unit": w["name"], "partners": w["partners"],
                               "categories": len(w["categories"])}
                              for w in cov["workload"] if w["partners"] or w["categories"]])


@analyse.command("deliverables")
@FORMAT_OPTION
@pass_app
def deliverables_cmd(app, fmt) -> None:
    """Status of action-plan deliverables per network and action line."""
    r = analyses.deliverables(app.store)
    rows = [{"level": "network", "name": n["name"], "total": n["total"], **n["counts"]}
            for n in r["networks"]]
    rows += [{"level": "action line", "name": f"{a['code']} {a['name']}", "total": a["total"],
              **a["counts"]} for a in r["action_lines"]]
    emit(r, fmt, rows=rows)


@analyse.command("communities")
@click.option("--seed", type=SEED, default=0,
              show_default=True, help="Louvain seed.")
@FORMAT_OPTION
@pass_app
def communities_cmd(app, seed, fmt) -> None:
    """Louvain communities of the partnership graph (fixed seed)."""
    r = analyses.communities_report(app.store, seed=seed)
    r = {k: v for k, v in r.items() if k != "membership"}
    rows = [{"community": c["community"], "size": c["size"],
             "regions": ", ".join(f"{k} {v}" for k, v in list(c["regions"].items())[:3]),
             "hubs": ", ".join(c["hubs"])} for c in r["communities"]]
    emit(r, fmt, rows=rows, title=f"{r['count']} communities, modularity "
                                  f"{r['modularity']:.3f} (seed {seed})")


@analyse.command("recognitions")
@click.option("--today", type=DAY, help="Reference date (YYYY-MM-DD; default today).")
@click.option("--within", "within_days", type=click.IntRange(1), default=365,
              show_default=True, help="Days ahead counted as lapsing soon.")
@FORMAT_OPTION
@pass_app
def recognitions_cmd(app, today, within_days, fmt) -> None:
    """Leading-level recognitions (UN Global Compact Cities Programme) and when they lapse."""
    r = analyses.recognitions_report(app.store, today=_today(today), within_days=within_days)
    emit(r, fmt, rows=r["recognitions"],
         columns=["name", "programme_name", "since", "ends", "days_left", "can_extend", "note"],
         title=f"{len(r['lapsing'])} lapsing within {within_days} days, "
               f"{len(r['lapsed'])} lapsed")


@click.command("match")
@click.option("--for", "seeker", required=True, metavar="NAME_OR_ID",
              help="The city or partner looking for partners (name or id).")
@click.option("--theme", "themes", multiple=True, help="Needed theme (name or id; repeatable).")
@click.option("--sdg", "sdgs", multiple=True, type=click.IntRange(1, 17),
              help="Needed SDG number (repeatable).")
@click.option("--category", help="Only partners of this SOP category (number, name or id).")
@click.option("--south-south", is_flag=True, help="Prefer partners in the Global South.")
@click.option("--top", type=click.IntRange(1, 200), default=10, show_default=True)
@DEFINITION
@FORMAT_OPTION
@pass_app
def match_cmd(app, seeker, themes, sdgs, category, south_south, top, definition, fmt) -> None:
    """Which partner to approach: ranked candidates with reasons and the focal unit to contact.

    The score combines theme and SDG overlap, closeness in the network, shared
    networks and committees, complementary capacity, South-South preference and
    due-diligence status (weights in the README).
    """
    try:
        r = analyses.match(app.store, seeker, themes=themes, sdgs=sdgs, category=category,
                           south_south=south_south, top=top,
                           definition=definition or app.settings.south_definition)
    except Exception as exc:
        # imported here: a kept answer is printed without importing the analysis modules
        from partnernet.graph.analysis.matching import UnknownNode

        if isinstance(exc, UnknownNode):
            raise click.ClickException(str(exc)) from exc
        raise
    rows = [{"rank": i, "name": c["name"], "kind": c["label"], "country": c["country"],
             "score": c["score"], "contact": "; ".join(c["contact_focal_units"]),
             "reasons": "; ".join(c["reasons"])} for i, c in enumerate(r["candidates"], 1)]
    emit(r, fmt, rows=rows, title=f"partners for {r['seeker']['name']} "
                                  f"(themes: {', '.join(r['needs']['themes']) or 'none'}; "
                                  f"SDGs: {', '.join(r['needs']['sdgs']) or 'none'})")


COMMANDS = [analyse, match_cmd]
