"""Analysis commands: analyse brokers|south-south|focal-units|deliverables|communities|
recognitions, and match."""

from __future__ import annotations

import math

import click

from partnernet.cli.answers import analyses
from partnernet.cli.context import pass_app
from partnernet.cli.options import (
    DATE_FILTERS,
    DEFINITION,
    GROUP_BY_OPTION,
    GROUP_LABEL,
    PROJECTION,
    REGION,
    SEED,
    TODAY,
    check_since_until,
    with_options,
)
from partnernet.cli.output import FORMAT_OPTION, emit
from partnernet.formatting import format_cell, percent, with_reasons
from partnernet.service.cache_keys import RANKED_ROWS

__all__ = ["COMMANDS"]


def _explain(r: dict) -> None:
    """Say which projection a result used and why, and what an empty result lacks."""
    p = r.get("projection")
    if isinstance(p, dict):
        click.echo(f"projection: {p['name']} ({p['reason']}); {p['nodes']:,} nodes, "
                   f"{p['ties']:,} ties, {p['isolates']:,} without ties")
        for note in p.get("notes", []):
            click.echo(f"  note: {note}")
    e = r.get("empty")
    if e:
        click.echo(f"no {e['what']}: {e['why']}")
        for t in e.get("try", []):
            click.echo(f"  try: {t}")


def _call(fn, *args, **kwargs):
    """A service call; bad values (e.g. a kind the store does not hold) become one-line
    errors, not tracebacks."""
    try:
        return fn(*args, **kwargs)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc


@click.group()
def analyse() -> None:
    """Analyse the network: brokers, South-South gaps, focal units, deliverables..."""


BROKER_COLUMNS = {
    "partnerships": ["rank", "name", "group", "degree", "betweenness", "constraint",
                     "effective_size", "coordinator", "itinerant", "gatekeeper",
                     "representative", "liaison", "brokerage_z", "separated"],
    "co-membership": ["rank", "name", "label", "group", "degree", "betweenness", "constraint",
                      "effective_size", "groups", "linked_group_pairs", "separated"],
    "two-mode": ["rank", "name", "label", "group", "degree", "betweenness", "constraint",
                 "linked_group_pairs", "separated"],
}
BROKER_COLUMNS["all"] = ["rank", "name", "label"] + BROKER_COLUMNS["partnerships"][2:]


@analyse.command("brokers")
@PROJECTION
@GROUP_BY_OPTION
@click.option("--epsilon", type=click.FloatRange(0.0002, 0.1), default=None,
              help="Estimate betweenness with KADABRA: every normalised score within this "
                   "of the exact one with 95% confidence (partnerships and all ties; default: "
                   "exact up to 5,000 nodes or where exact costs no more, 0.001 above).")
@click.option("--pivots", "k", type=click.IntRange(2), default=None,
              help="Sample betweenness from this many uniform pivots instead (Brandes-Pich; "
                   "no guarantee: states the split-half agreement of its top 25). "
                   "Co-membership and two-mode: exact while nodes x ties stays small, else "
                   "pivots (stated).")
@click.option("--exact", is_flag=True, help="Exact betweenness whatever the size.")
@click.option("--seed", type=SEED, default=0, show_default=True,
              help="Seed of the estimate (KADABRA or pivots).")
@click.option("--top", type=click.IntRange(1), default=25, show_default=True)
@REGION
@GROUP_LABEL
@click.option("--directed", is_flag=True,
              help="Partnerships as arcs where the data says a partnership is directed "
                   "(Gephi Type=Directed, GraphML/GEXF directed edges): Gould-Fernandez roles "
                   "follow the arcs.")
@DEFINITION
@with_options(DATE_FILTERS)
@FORMAT_OPTION
@pass_app
def brokers_cmd(app, projection, group_by, epsilon, k, exact, seed, top, regions, group_labels,
                directed, definition, kinds, since, until, fmt) -> None:
    """Rank brokers: betweenness, Burt's structural holes, Gould-Fernandez roles, cut points,
    and on membership data the groups (networks, committees...) each actor links.

    Runs on a projection (--projection; the default follows what the store holds and is
    stated). Every output states how betweenness was computed (exact; estimated by
    KADABRA with its error and confidence; or sampled with k pivots and a seed); undefined
    values print as "n/a (reason)". Answers are kept per data snapshot: asked again on an
    unchanged store, the same question is answered from the results file.
    """
    check_since_until(since, until)
    if epsilon is not None and (k is not None or exact):
        raise click.UsageError("--epsilon, --pivots and --exact exclude each other")
    if k is not None and exact:
        raise click.UsageError("--pivots and --exact exclude each other")
    r = _call(analyses.brokers, app.store, projection=projection, group_by=group_by, k=k,
              exact=exact, seed=seed, top=max(top, RANKED_ROWS), epsilon=epsilon,
              definition=definition or app.settings.south_definition,
              kinds=list(kinds) or None, since=since, until=until,
              regions=list(regions) or None, group_labels=list(group_labels) or None,
              directed=directed)
    r = {**r, "rows": r["rows"][:top]}  # one computation (and kept answer) for every --top
    cols = BROKER_COLUMNS[r["projection"]["name"]]
    rows = [with_reasons({**row, "groups": len(row.get("groups") or []) or None,
                          "connects": "; ".join(f"{c['from']}->{c['to']} {c['role']} "
                                                f"x{c['count']}"
                                                for c in row.get("connects", []))})
            for row in r["rows"]]
    if fmt == "table":
        _explain(r)
    if r["empty"] and fmt == "table":
        return
    emit(r, fmt, rows=rows, columns=cols + (["connects"] if fmt == "csv" else []),
         title=f"{r['betweenness']['description']}; roles by {r['group_by']}; "
               f"{r['nodes']:,} nodes, {r['ties']:,} ties")
    if fmt == "table":
        if r["isolates"]["count"]:
            click.echo(f"{r['isolates']['count']:,} nodes without ties are ranked with "
                       "betweenness 0 and constraint n/a (counted in the normalisation)")
        for key, why in r["undefined"].items():
            click.echo(f"{key}: n/a ({why})")
        for row in r["rows"][:5]:
            if row.get("connects"):
                click.echo(f"  {row['name']} connects: " + "; ".join(
                    f"{c['from']} -> {c['to']} ({c['role']}, {c['count']})"
                    for c in row["connects"][:3]))


def _share(v: dict) -> str:
    share = v.get("share")
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return "n/a"
    return percent(share)


@analyse.command("south-south")
@PROJECTION
@DEFINITION
@click.option("--top", type=click.IntRange(1), default=20, show_default=True,
              help="Missing links to list.")
@click.option("--permutations", type=click.IntRange(0), default=1000, show_default=True,
              help="Label permutations for the E-I test.")
@GROUP_LABEL
@with_options(DATE_FILTERS)
@FORMAT_OPTION
@pass_app
def south_south_cmd(app, projection, definition, top, permutations, group_labels, kinds, since,
                    until, fmt) -> None:
    """South-South gaps: shares of South-South ties, E-I index, thin corridors, missing
    links, and the Northern or UN actors that broker triangular cooperation.

    On co-membership and two-mode data the shares, E-I index and densities are
    Newman-weighted co-membership (each group gives each member a weight of 1), and each
    group's members are counted by bloc.
    """
    check_since_until(since, until)
    definition = definition or app.settings.south_definition
    r = _call(analyses.south_south, app.store, projection=projection, definition=definition,
              top=max(top, RANKED_ROWS), permutations=permutations,
              kinds=list(kinds) or None, since=since, until=until,
              group_labels=list(group_labels) or None)
    links = r["missing_links"]
    r = {**r, "missing_links": {**links, "pairs": links["pairs"][:top]}}
    if fmt != "table":
        rows = [{"a": p["a_name"], "a_country": p["a_country"], "b": p["b_name"],
                 "b_country": p["b_country"], "score": p["score"],
                 "reasons": "; ".join(p["reasons"])} for p in r["missing_links"]["pairs"]]
        emit(r, fmt, rows=rows)
        return
    d = r["definition"]
    click.echo(f"Global South: {d['title']} ({d['name']}; {d['source']}; snapshot "
               f"{d['snapshot']})")
    _explain(r)
    sh = r["shares"]["overall"]
    unit = r["shares"].get("unit", "partnerships")
    click.echo(f"ties ({unit}): " + ", ".join(
        (f"{k} {format_cell(v['weight'])} ({_share(v)})" if k != "unclassified"
         else f"unclassified {format_cell(v['weight'])}") for k, v in sh.items()))
    ei = r["ei"]["south_north"]["network"]
    if ei["ei"] is None or (isinstance(ei["ei"], float) and math.isnan(ei["ei"])):
        click.echo(f"E-I index South/North: n/a (no ties between Southern and Northern "
                   f"actors under {definition})")
    else:
        click.echo(f"E-I index South/North: {ei['ei']:.3f} (expected under permutation "
                   f"{format_cell(ei['expected'])}, {ei['p_text']})")
    if r.get("groups"):
        click.echo("groups by bloc of their members (largest first):")
        emit(None, "table", rows=[with_reasons(
            {k: x[k] for k in ("name", "label", "members", "south", "north", "un",
                               "unclassified", "southern_share")},
            {"southern_share": "no classified member"}) for x in r["groups"][:10]])
    click.echo("thinnest Southern corridors:")
    emit(None, "table", rows=[{"corridor": f"{t['a']} - {t['b']}", "ties": t["ties"],
                               "possible": t["possible"], "density": t["density"]}
                              for t in r["density"]["thin"][:6]])
    click.echo("missing South-South links:")
    if r["missing_links"].get("empty"):
        none = r["missing_links"]["empty"]
        click.echo(f"  none: {none['why']}")
        for t in none["try"]:
            click.echo(f"  try: {t}")
    else:
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
@TODAY
@FORMAT_OPTION
@pass_app
def focal_units_cmd(app, today, fmt) -> None:
    """Focal unit responsible for every partner, letter routing, and coverage gaps."""
    r = analyses.focal_unit_report(app.store, today=today)
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
@PROJECTION
@click.option("--seed", type=SEED, default=0, show_default=True, help="Louvain seed.")
@REGION
@GROUP_LABEL
@DEFINITION
@with_options(DATE_FILTERS)
@FORMAT_OPTION
@pass_app
def communities_cmd(app, projection, seed, regions, group_labels, definition, kinds, since,
                    until, fmt) -> None:
    """Louvain communities (fixed seed) of a projection (--projection; default: what the
    store holds), with each community's regions, best-connected members and groups."""
    check_since_until(since, until)
    r = _call(analyses.communities_report, app.store, projection=projection, seed=seed,
              definition=definition or app.settings.south_definition,
              regions=list(regions) or None, group_labels=list(group_labels) or None,
              kinds=list(kinds) or None, since=since, until=until)
    r = {k: v for k, v in r.items() if k != "membership"}
    if fmt == "table":
        _explain(r)
        if r["empty"]:
            return
    rows = [{"community": c["community"], "size": c["size"],
             "regions": ", ".join(f"{k} {v}" for k, v in list(c["regions"].items())[:3]),
             "hubs": ", ".join(c["hubs"]), "groups": ", ".join(c["groups"][:3])}
            for c in r["communities"]]
    emit(r, fmt, rows=rows, title=f"{r['count']} communities, modularity "
                                  f"{r['modularity']:.3f} (seed {seed}); {r['isolates']:,} "
                                  "nodes without ties in none")


@analyse.command("recognitions")
@TODAY
@click.option("--within", "within_days", type=click.IntRange(1), default=365,
              show_default=True, help="Days ahead counted as lapsing soon.")
@FORMAT_OPTION
@pass_app
def recognitions_cmd(app, today, within_days, fmt) -> None:
    """Leading-level recognitions (UN Global Compact Cities Programme) and when they lapse."""
    r = analyses.recognitions_report(app.store, today=today, within_days=within_days)
    emit(r, fmt, rows=r["recognitions"],
         columns=["name", "programme_name", "since", "ends", "days_left", "can_extend", "note"],
         title=f"{len(r['lapsing'])} lapsing within {within_days} days, "
               f"{len(r['lapsed'])} lapsed")


@click.command("match")
@click.option("--for", "seeker", required=True, metavar="NAME_OR_ID",
              help="The city, partner or network looking for partners (name or id).")
@click.option("--theme", "themes", multiple=True, help="Needed theme (name or id; repeatable).")
@click.option("--sdg", "sdgs", multiple=True, type=click.IntRange(1, 17),
              help="Needed SDG number (repeatable).")
@click.option("--category", help="Only partners of this SOP category (number, name or id).")
@click.option("--south-south", is_flag=True,
              help="A partner in the Global South is a need: Southern candidates first.")
@click.option("--no-cities", is_flag=True, help="Only partners and networks, no cities.")
@click.option("--top", type=click.IntRange(1, 200), default=10, show_default=True)
@DEFINITION
@FORMAT_OPTION
@pass_app
def match_cmd(app, seeker, themes, sdgs, category, south_south, no_cities, top, definition,
              fmt) -> None:
    """Which partner to approach: ranked candidates with reasons and the focal unit to contact.

    Candidates meeting more of the requested needs (--theme, --sdg, --south-south) come
    first; among equals the ranking follows the evidence that a candidate is the partner
    the seeker's ties point to (shared partners, paths of three, shared groups weighted
    by size, distance, country mixing, size), weighed as learnt from real held-out
    partnerships and re-fitted on the store's own (the output says which). The score is
    the estimated chance that a candidate is the one; ties are reported.
    """
    try:
        r = analyses.match(app.store, seeker, themes=themes, sdgs=sdgs, category=category,
                           south_south=south_south, top=top, include_cities=not no_cities,
                           definition=definition or app.settings.south_definition)
    except Exception as exc:
        # imported here: a kept answer is printed without importing the analysis modules
        from partnernet.graph.analysis.matching import UnknownNode

        if isinstance(exc, UnknownNode | ValueError):
            raise click.ClickException(str(exc)) from exc
        raise
    rows = [{"rank": c["rank"], "name": c["name"], "kind": c["label"], "country": c["country"],
             "score": c["score"], "needs met": len(c["needs_met"]),
             "ties": c["tied_with"] or "",
             "contact": "; ".join(c["contact_focal_units"]),
             "reasons": "; ".join(c["reasons"])} for c in r["candidates"]]
    needs = r["needs"]
    asked = [*needs["themes"], *needs["sdgs"]] + (["a Southern partner"] if needs["south_south"]
                                                   else [])
    emit(r, fmt, rows=rows, title=f"partners for {r['seeker']['name']} (needs: "
                                  f"{', '.join(asked) or 'none asked'}; "
                                  f"{r['considered']:,} candidates)")
    if fmt == "table":
        for flag in r["flags"]:
            click.echo(f"note: {flag}")
        if r["ties"]["note"]:
            click.echo(f"note: {r['ties']['note']}")
        click.echo(f"weights: {r['model']['method']} ({r['model']['why'] or 'defaults'})")


COMMANDS = [analyse, match_cmd]
