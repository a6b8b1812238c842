"""Why an analysis found nothing, and what would fill it."""

from __future__ import annotations

from typing import Any

import networkx as nx

from partnernet.graph.analysis.projections import Projection, affiliations
from partnernet.graph.schema import RelType
from partnernet.service.options import partnership_kinds

__all__ = ["store_counts", "why_empty"]


def store_counts(g: nx.MultiDiGraph) -> dict[str, int]:
    partnerships = sum(1 for _, _, d in g.edges(data=True)
                       if d.get("type") == RelType.PARTNERS_WITH.value)
    dated = sum(1 for _, _, d in g.edges(data=True)
                if d.get("type") == RelType.PARTNERS_WITH.value and d.get("since") is not None)
    return {"partnerships": partnerships, "dated_partnerships": dated,
            "memberships": len(affiliations(g)), "relationships": g.number_of_edges()}


def why_empty(p: Projection, g: nx.MultiDiGraph, opts: dict[str, Any],
              what: str = "ties") -> dict[str, Any] | None:
    """``None`` when ``p`` has ties; else what is missing and what would fill it."""
    if p.graph.number_of_edges() - sum(p.hubs.values()) > 0 or (p.hubs and p.actors()):
        return None
    c = store_counts(g)
    problems = []
    if opts.get("since") and opts.get("until") and opts["since"] > opts["until"]:
        problems.append(f"since {opts['since']} is after until {opts['until']}: nothing can "
                        "fall in that period")
    present = partnership_kinds(g)
    for k in opts.get("kinds") or []:
        if k not in present:
            held = ", ".join(f"{kind} ({n:,})" for kind, n in present.items()) or \
                "none: no partnership has a kind"
            problems.append(f"no partnership of kind {k!r} in the store (kinds it holds: "
                            f"{held})")
    filters = [f"--{k} {v}" for k, v in (("since", opts.get("since")),
                                         ("until", opts.get("until"))) if v]
    filters += [f"--region {r}" for r in opts.get("regions") or []]
    filters += [f"--kind {k}" for k in opts.get("kinds") or []]
    tries = []
    if p.name == "partnerships":
        why = "no partnerships (PARTNERS_WITH) between cities, partners or networks"
        if c["partnerships"] and filters:
            why += f" pass the filters {' '.join(filters)} ({c['partnerships']:,} in the store"
            why += (f", {c['partnerships'] - c['dated_partnerships']:,} without a date)"
                    if opts.get("since") or opts.get("until") else ")")
            tries.append("drop or widen " + ", ".join(f.split()[0] for f in filters))
        if c["memberships"]:
            tries.append(f"--projection co-membership ({c['memberships']:,} memberships in "
                         "networks, committees, initiatives, agreements, events)")
        if not c["partnerships"]:
            tries.append("load partnerships: partnernet load FILE (pair lists, edge lists, "
                         "Gephi, Kumu, GraphML/GEXF)")
    elif p.name in ("co-membership", "two-mode"):
        why = ("no two members share a group (network, committee, initiative, agreement, "
               "event)" if p.name == "co-membership" else "no memberships")
        if c["memberships"] and filters:
            why += f" within the filters {' '.join(filters)}"
            tries.append("drop or widen " + ", ".join(f.split()[0] for f in filters))
        if c["partnerships"]:
            tries.append(f"--projection partnerships ({c['partnerships']:,} partnerships)")
        if not c["memberships"]:
            tries.append("load memberships: partnernet load FILE (membership lists, canonical "
                         "MEMBER_OF / SITS_ON / INVOLVES relationships)")
    else:
        why = "the store holds no ties" + (f" within {' '.join(filters)}" if filters else "")
        tries.append("load data: partnernet load --format reference, or your own files")
    if problems:
        why = "; ".join(problems) + "; " + why
    return {"why": f"{why} (projection {p.name}: {p.reason})", "try": tries, "what": what}
