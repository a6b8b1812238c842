"""Which UN-Habitat focal unit is responsible for each partner, and how letters are routed."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any

import networkx as nx

from partnernet.graph.schema import NodeLabel, RelType

__all__ = ["focal_units", "next_annual_update"]

_T = RelType


def _out(g: nx.MultiDiGraph, v: str, rtype: RelType) -> list[tuple[str, dict]]:
    return [(b, d) for _, b, d in g.out_edges(v, data=True) if d.get("type") == rtype.value]


def _in(g: nx.MultiDiGraph, v: str, rtype: RelType) -> list[tuple[str, dict]]:
    return [(a, d) for a, _, d in g.in_edges(v, data=True) if d.get("type") == rtype.value]


def next_annual_update(today: dt.date) -> dt.date:
    """The next 1 December (today if it is 1 December).

    >>> next_annual_update(dt.date(2026, 11, 22)), next_annual_update(dt.date(2026, 12, 2))
    (datetime.date(2026, 12, 1), datetime.date(2027, 12, 1))
    """
    due = dt.date(today.year, 12, 1)
    return due if today <= due else dt.date(today.year + 1, 12, 1)


def focal_units(g: nx.MultiDiGraph, *, today: dt.date | None = None) -> dict[str, Any]:
    """Responsible focal units and communication routing for every partner, and coverage.

    Reads the SOP facts held in the graph: ``FocalUnit -RESPONSIBLE_FOR->
    PartnerCategory`` (the SOP's focal points), ``CommunicationRule -APPLIES_TO->
    PartnerCategory`` with the units that are ``RESPONSIBLE_FOR``, ``DRAFTS``,
    ``DISPATCHES`` and are ``COPIED_ON`` each rule, and each partner's
    ``IN_CATEGORY``. Every assignment carries the source row that makes it.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        The heterogeneous graph from a store (``GraphStore.to_networkx()``).
    today : datetime.date, optional
        Reference date for overdue duties (default: today).

    Returns
    -------
    dict
        ``partners`` (one row each), ``categories`` (focal units, shared or not,
        routing, due-diligence rule), ``coverage`` (uncategorised partners,
        categories without a unit or a communication rule, workload per unit,
        partners needing due diligence, agreements ended without an assessment,
        the next 1 December update and the partners it must list).

    References
    ----------
    .. [1] UN-Habitat, Standard Operating Procedures on Partnerships and Stakeholder
       Engagement: "Who are UN-Habitat partners?", "Communicating with partners",
       "Reporting on cooperation and collaboration with partners".

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("category:x", label="PartnerCategory", name="X", number=1)
    >>> g.add_node("unit:u", label="FocalUnit", name="Unit U")
    >>> g.add_node("partner:p", label="Partner", name="P")
    >>> _ = g.add_edge("unit:u", "category:x", type="RESPONSIBLE_FOR", source="SOP")
    >>> _ = g.add_edge("partner:p", "category:x", type="IN_CATEGORY")
    >>> focal_units(g)["partners"][0]["focal_units"]
    ['Unit U']
    """
    today = today or dt.date.today()
    name = lambda v: g.nodes[v].get("name", v)  # noqa: E731
    categories: dict[str, dict[str, Any]] = {}
    for c, d in g.nodes(data=True):
        if d.get("label") != NodeLabel.PARTNER_CATEGORY.value:
            continue
        units = _in(g, c, _T.RESPONSIBLE_FOR)
        rules = [r for r, _ in _in(g, c, _T.APPLIES_TO)
                 if g.nodes[r].get("label") == NodeLabel.COMMUNICATION_RULE.value]
        routing = []
        for r in rules:
            routing.append({
                "rule": r, "partner_type": g.nodes[r].get("partner_type"),
                "responsible_office": sorted(name(u) for u, _ in _in(g, r, _T.RESPONSIBLE_FOR)),
                "drafting": sorted(name(u) for u, _ in _in(g, r, _T.DRAFTS)),
                "dispatching": sorted(name(u) for u, _ in _in(g, r, _T.DISPATCHES)),
                "copied": sorted(name(u) for u, _ in _in(g, r, _T.COPIED_ON)),
                "as_written": {k: g.nodes[r].get(k) for k in
                               ("responsible_office", "drafting", "dispatching", "cc")},
                "source": g.nodes[r].get("source")})
        categories[c] = {
            "category": c, "name": d.get("name"), "number": d.get("number"),
            "focal_units": sorted(name(u) for u, _ in units),
            "focal_unit_ids": sorted(u for u, _ in units),
            "shared": len(units) > 1,
            "sources": sorted({e.get("source", "") for _, e in units}),
            "due_diligence_required": bool(d.get("due_diligence_required")),
            "routing": routing,
        }
    partners = []
    workload: Counter = Counter()
    uncategorised, unknown, dd_needed = [], [], []
    for p, d in sorted(g.nodes(data=True), key=lambda kv: str(kv[1].get("name", kv[0]))):
        if d.get("label") != NodeLabel.PARTNER.value:
            continue
        cats = [c for c, _ in _out(g, p, _T.IN_CATEGORY)]
        known = [c for c in cats if c in categories]
        if not cats:
            uncategorised.append({"partner": p, "name": d.get("name")})
        for c in cats:
            if c not in categories:
                unknown.append({"partner": p, "name": d.get("name"), "category": c})
        units = sorted({u for c in known for u in categories[c]["focal_unit_ids"]})
        for u in units:
            workload[u] += 1
        routing = [r for c in known for r in categories[c]["routing"]]
        needs_dd = any(categories[c]["due_diligence_required"] for c in known)
        status = d.get("due_diligence")
        if needs_dd and status != "done":
            dd_needed.append({"partner": p, "name": d.get("name"),
                              "status": status or "not recorded",
                              "categories": [categories[c]["name"] for c in known]})
        partners.append({
            "partner": p, "name": d.get("name"), "generated": bool(d.get("generated")),
            "categories": [categories[c]["name"] for c in known],
            "focal_units": [name(u) for u in units],
            "responsibility_source": sorted({s for c in known for s in categories[c]["sources"]}),
            "communication": [{k: r[k] for k in ("partner_type", "responsible_office",
                                                 "drafting", "dispatching", "copied")}
                              for r in routing],
            "due_diligence_required": needs_dd, "due_diligence": status,
        })
    # agreements that ended without the end-of-agreement assessment (SOP: at most 2 pages)
    ended = []
    for a, d in g.nodes(data=True):
        if d.get("label") != NodeLabel.AGREEMENT.value:
            continue
        end = d.get("end")
        over = d.get("status") == "ended" or (end is not None and str(end) < today.isoformat())
        if over and not d.get("assessment_submitted"):
            parties = [name(x) for x, _ in _in(g, a, _T.PARTY_TO)]
            ended.append({"agreement": a, "name": d.get("name"), "end": end,
                          "parties": parties})
    due = next_annual_update(today)
    last = dt.date(due.year - 1, 12, 1)
    new_partners = sorted({name(x) for a, d in g.nodes(data=True)
                           if d.get("label") == NodeLabel.AGREEMENT.value and d.get("start")
                           and str(d["start"]) >= last.isoformat()
                           for x, _ in _in(g, a, _T.PARTY_TO)
                           if g.nodes[x].get("label") == NodeLabel.PARTNER.value
                           and x != "partner:un-habitat"})
    by_unit = defaultdict(list)
    for c in categories.values():
        for u in c["focal_unit_ids"]:
            by_unit[u].append(c["name"])
    units = [{"unit": u, "name": name(u), "partners": workload.get(u, 0),
              "categories": sorted(by_unit[u])}
             for u, d in g.nodes(data=True) if d.get("label") == NodeLabel.FOCAL_UNIT.value]
    units.sort(key=lambda r: (-r["partners"], -len(r["categories"]), r["name"]))
    coverage = {
        "partners": len(partners),
        "uncategorised": uncategorised,
        "unknown_category": unknown,
        "categories_without_unit": sorted(c["name"] for c in categories.values()
                                          if not c["focal_units"]),
        "categories_without_communication_rule": sorted(
            c["name"] for c in categories.values() if not c["routing"]),
        "shared_categories": sorted(c["name"] for c in categories.values() if c["shared"]),
        "workload": units,
        "due_diligence_needed": dd_needed,
        "agreements_without_assessment": sorted(ended, key=lambda r: str(r["end"])),
        "annual_update": {"due": due.isoformat(), "days_left": (due - today).days,
                          "since": last.isoformat(), "new_partners": new_partners,
                          "rule": "SOP: inform the Partnerships and Local Governments Unit "
                                  "of new partners by 1 December each year"},
    }
    return {"partners": partners, "categories": sorted(categories.values(),
                                                       key=lambda c: c["number"] or 0),
            "coverage": coverage, "today": today.isoformat()}
