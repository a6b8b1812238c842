"""A match answer in words: each candidate's reasons (needs met first, then the evidence,
strongest first), distance, SOP categories and UN-Habitat contact."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from partnernet.graph.analysis.match_evidence import FEATURES, Evidence
from partnernet.graph.schema import NodeLabel

if TYPE_CHECKING:
    from partnernet.graph.analysis.matching import MatchIndex

__all__ = ["answer", "categories_of"]

_LOCAL = (NodeLabel.CITY.value, NodeLabel.SUBNATIONAL.value)
_FEATURE = {k: i for i, k in enumerate(FEATURES)}


def answer(g, seeker, theme_ids, sdg_ids, cat, south_south, ix: MatchIndex, flags, unmet,
            rows, considered, ties) -> dict[str, Any]:
    nodes = g.nodes
    ev = ix.evidence
    s = ev.position[seeker]
    out = []
    for r in rows:
        i = r.pop("i")
        x = r.pop("x")
        c = ev.nodes[i]
        d = nodes[c]
        cats = categories_of(ix, c, d)
        units = sorted({u for k in cats for u in ix.contacts.get(k, [])})
        out.append({"id": c, "name": d.get("name", c), "label": d.get("label"),
                    "country": d.get("country"), "bloc": d.get("bloc"), **r,
                    "distance_km": _km(ev, s, i),
                    "reasons": _reasons(g, ix, s, i, r, x),
                    "categories": sorted(nodes[k].get("name", k) for k in cats if k in g),
                    "contact_focal_units": units, "generated": bool(d.get("generated"))})
    note = ""
    if ties["tied_shown"]:
        note = (f"{ties['tied_shown']} of the {len(out)} shown tie with other candidates on "
                "every piece of evidence (tied_with says with how many): among them the "
                "order is by population, partnerships, then name")
    return {"seeker": {"id": seeker, "name": nodes[seeker].get("name", seeker)},
            "needs": {"themes": [nodes[t].get("name", t) for t in theme_ids],
                      "sdgs": sdg_ids, "category": cat, "south_south": south_south,
                      "unmet": [nodes[u].get("name", u) if u in g else u for u in unmet]},
            "flags": flags, "candidates": out, "considered": int(considered),
            "ties": {**ties, "note": note},
            "model": {"method": ix.model.how.get("method"), "why": ix.model.how.get("reason"),
                      "held_out": ix.model.how.get("held_out"), "weights": ix.model.named(),
                      "features": FEATURES}}


def _km(ev: Evidence, s: int, i: int) -> float | None:
    a, b = ev.xyz[s], ev.xyz[i]
    if not (np.isfinite(a).all() and np.isfinite(b).all()):
        return None
    return round(float(6371.0 * np.arccos(np.clip(a @ b, -1.0, 1.0))), 1)


def _reasons(g, ix: MatchIndex, s: int, i: int, r: dict, x: np.ndarray) -> list[str]:
    """The evidence for one candidate in words, strongest first, needs before."""
    ev = ix.evidence
    nodes = g.nodes
    name = lambda k: str(nodes[ev.nodes[k]].get("name", ev.nodes[k]))  # noqa: E731
    out = []
    for need in r["needs_met"]:
        if need == "South":
            out.append("South-South: both in the Global South" if ix.bloc[s] == "South"
                       else "in the Global South")
        else:
            out.append(f"works on {nodes[need].get('name', need) if need in g else need}")
    said: list[tuple[float, str]] = []
    ev_ = r["evidence"]
    mine = set(ev.A.indices[ev.A.indptr[s]:ev.A.indptr[s + 1]].tolist())
    theirs = set(ev.A.indices[ev.A.indptr[i]:ev.A.indptr[i + 1]].tolist())
    if common := sorted(mine & theirs, key=lambda k: (-ix.degree[k], name(k))):
        said.append((ev_.get("shared_partners_ra", 0) + ev_.get("shared_partners", 0),
                     f"{len(common)} shared partner{'s' if len(common) > 1 else ''}: "
                     + ", ".join(name(k) for k in common[:3])
                     + ("..." if len(common) > 3 else "")))
    elif x[_FEATURE["three_hop"]] > 0:
        said.append((ev_.get("three_hop", 0), "linked through partners of partners"))
    groups = ev.B[[s]].multiply(ev.B[[i]])
    if groups.nnz:
        cols = sorted(groups.indices.tolist(), key=lambda k: ev.group_size[k])
        said.append((ev_.get("shared_groups", 0), "shares " + ", ".join(
            f"{nodes[ev.group_ids[k]].get('name', ev.group_ids[k])} "
            f"({int(ev.group_size[k]):,} members)" for k in cols[:3])))
    km = _km(ev, s, i)
    if km is not None:
        near = sum(v for k, v in ev_.items() if k.startswith("distance"))
        said.append((near, f"{km:,.0f} km away"))
    if x[_FEATURE["same_country"]]:
        said.append((ev_.get("same_country", 0), "in the same country"))
    elif ev_.get("country_affinity", 0) > 0 and ev.country[i] >= 0:
        cs, cc = ev.country[s], ev.country[i]
        said.append((ev_["country_affinity"], f"actors in {ev.countries[cs]} and "
                     f"{ev.countries[cc]} often partner"))
    if ev_.get("near_ties", 0) > 0:
        said.append((ev_["near_ties"], "places near both already partner"))
    if ev_.get("near_partners", 0) > 0:
        said.append((ev_["near_partners"], "near one of the seeker's partners"))
    if ev_.get("degree", 0) > 0 and ix.degree[i] > 0:
        said.append((ev_["degree"], f"well connected: {ix.degree[i]} partnerships"))
    if x[_FEATURE["namesake"]]:
        said.append((ev_.get("namesake", 0), "same name (namesake towns often twin)"))
    said.sort(key=lambda t: -t[0])
    out += [text for _, text in said]
    caps = ix.capacities[i] - ix.capacities[s]
    if caps:
        out.append("brings " + ", ".join(sorted(caps)))
    if ix.due_diligence[i] == "pending":
        out.append("due diligence pending: complete it before a formal partnership")
    if not out:
        out.append("no specific evidence: ranked among candidates alike")
    return out


def categories_of(ix: MatchIndex, c: str, d: dict) -> set[str]:
    cats = ix.categories.get(c, set())
    if d.get("label") in _LOCAL:
        return cats or {"category:02-local-regional-governments"}
    return cats
