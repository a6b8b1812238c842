"""Which partner to approach for a need: ranked candidates with reasons and a contact."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import networkx as nx

from graph.schema import NodeLabel, RelType, name_key

__all__ = ["WEIGHTS", "MatchIndex", "UnknownNode", "build_index", "match_partners",
           "resolve_node"]

#: The score is a weighted sum of components, each in [0, 1].
WEIGHTS = {
    "themes": 0.25,  # Jaccard overlap of themes (the need's, else the seeker's)
    "sdgs": 0.15,  # Jaccard overlap of SDGs (the need's, else the seeker's)
    "closeness": 0.15,  # 1 / distance in the actor graph (capped at 4 steps)
    "shared_groups": 0.15,  # shared networks and committees, 3 or more = 1
    "capacity": 0.10,  # capacities the candidate has and the seeker lacks (2 or more = 1)
    "south_south": 0.10,  # both in the Global South (when asked for, else 0 weight)
    "due_diligence": 0.10,  # done or not required = 1, pending = 0.3, unknown = 0.5
}


class UnknownNode(LookupError):
    """A name or id that matches nothing; ``suggestions`` holds the closest names."""

    def __init__(self, text: str, suggestions: list[dict[str, str]]):
        self.text, self.suggestions = text, suggestions
        hint = "; did you mean " + ", ".join(f"{s['name']} ({s['id']})" for s in suggestions) \
            + "?" if suggestions else ""
        super().__init__(f"no node called {text!r}{hint}")


def resolve_node(g: nx.MultiDiGraph, text: str, *,
                 labels: Iterable[str] = (NodeLabel.CITY.value, NodeLabel.PARTNER.value,
                                          NodeLabel.NETWORK.value)) -> str:
    """A node id from an id or a (case- and accent-insensitive) name.

    A name shared by several nodes resolves to the reference (non-generated) one,
    else the largest; an unknown one raises :class:`UnknownNode` with close matches.

    >>> g = nx.MultiDiGraph(); g.add_node("city:br:maringa", label="City", name="Maringá")
    >>> resolve_node(g, "MARINGA")
    'city:br:maringa'
    """
    if text in g:
        return text
    key = name_key(text)
    labels = set(labels)
    hits = [v for v, d in g.nodes(data=True) if d.get("label") in labels
            and name_key(str(d.get("name", ""))) == key]
    if hits:
        hits.sort(key=lambda v: (bool(g.nodes[v].get("generated")),
                                 -(g.nodes[v].get("population") or 0), str(v)))
        return hits[0]
    import difflib

    names = {name_key(str(d.get("name", ""))): v for v, d in g.nodes(data=True)
             if d.get("label") in labels}
    close = difflib.get_close_matches(key, list(names), n=5, cutoff=0.6)
    contains = [k for k in names if key and key in k][:5]
    picks = list(dict.fromkeys(close + contains))[:5]
    raise UnknownNode(text, [{"id": names[k], "name": g.nodes[names[k]].get("name", k)}
                             for k in picks])


@dataclass
class MatchIndex:
    """What matching reads from a graph, indexed once per graph (see :func:`build_index`)."""

    themes: dict[str, set[str]]
    sdgs: dict[str, set[str]]
    groups: dict[str, set[str]]
    categories: dict[str, set[str]]
    partners: dict[str, set[str]]
    actor: nx.Graph
    contacts: dict[str, list[str]]


def build_index(g: nx.MultiDiGraph) -> MatchIndex:
    """Index themes, SDGs, groups, categories, partnerships and the actor graph of ``g``."""
    themes: dict[str, set[str]] = {}
    sdgs: dict[str, set[str]] = {}
    groups: dict[str, set[str]] = {}
    cats: dict[str, set[str]] = {}
    partners: dict[str, set[str]] = {}
    actor = nx.Graph()
    actor_types = {RelType.PARTNERS_WITH.value, RelType.MEMBER_OF.value, RelType.SITS_ON.value,
                   RelType.INVOLVES.value, RelType.SUPPORTS.value, RelType.COORDINATES.value}
    for a, b, d in g.edges(data=True):
        t = d.get("type")
        if t == RelType.WORKS_ON.value:
            lab = g.nodes[b].get("label")
            if lab == NodeLabel.THEME.value:
                themes.setdefault(a, set()).add(b)
            elif lab == NodeLabel.SDG.value:
                sdgs.setdefault(a, set()).add(b)
        elif t in (RelType.MEMBER_OF.value, RelType.SITS_ON.value):
            groups.setdefault(a, set()).add(b)
        elif t == RelType.IN_CATEGORY.value:
            cats.setdefault(a, set()).add(b)
        if t == RelType.PARTNERS_WITH.value:
            partners.setdefault(a, set()).add(b)
            partners.setdefault(b, set()).add(a)
        if t in actor_types:
            actor.add_edge(a, b)
    return MatchIndex(themes, sdgs, groups, cats, partners, actor, _contacts(g))


def _targets(g: nx.MultiDiGraph, v: str, rtype: str, label: str | None = None) -> set[str]:
    return {b for _, b, d in g.out_edges(v, data=True) if d.get("type") == rtype
            and (label is None or g.nodes[b].get("label") == label)}


def _jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def match_partners(g: nx.MultiDiGraph, seeker: str, *, themes: Iterable[str] = (),
                   sdgs: Iterable[int] = (), category: str | None = None,
                   south_south: bool = False, top: int = 10,
                   include_cities: bool = True, index: MatchIndex | None = None
                   ) -> dict[str, Any]:
    r"""Rank candidate partners for ``seeker`` and its needs.

    .. math:: s(c) = \sum_f w_f \, x_f(c)

    with the components :math:`x_f \in [0, 1]` and weights :data:`WEIGHTS` (themes,
    SDGs, closeness in the network, shared networks and committees, complementary
    capacity, South-South preference, due-diligence status). Candidates are
    ``Partner`` nodes (and cities, unless ``include_cities`` is false) other than
    the seeker and its current partners. Ties are broken by id: the ranking is
    deterministic. Each candidate carries its reasons and the focal unit to contact
    (from its category's SOP focal points; cities: local and regional governments).

    Parameters
    ----------
    g : networkx.MultiDiGraph
        Heterogeneous graph, annotated (:func:`graph.analysis.projections.annotate`).
    seeker : str
        Node id of the seeker (see :func:`resolve_node` for names).
    themes, sdgs : iterable
        The need: theme ids or names, SDG numbers. Empty: the seeker's own.
    category : str, optional
        Only candidates in this partner category (id, name or number).
    south_south : bool
        Prefer Southern candidates (adds the ``south_south`` component).
    top : int
        How many candidates.

    References
    ----------
    .. [1] UN-Habitat SOP on Partnerships, "Who are UN-Habitat partners?" (focal points).
    .. [2] Liben-Nowell, D. & Kleinberg, J. (2007). The link-prediction problem for
       social networks. doi:10.1002/asi.20591

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> for n, lab in [("city:a", "City"), ("partner:p", "Partner"), ("theme:t", "Theme")]:
    ...     g.add_node(n, label=lab, name=n)
    >>> _ = g.add_edge("partner:p", "theme:t", type="WORKS_ON")
    >>> match_partners(g, "city:a", themes=["theme:t"])["candidates"][0]["id"]
    'partner:p'
    """
    if seeker not in g:
        raise UnknownNode(seeker, [])
    nodes = g.nodes
    ix = index or build_index(g)
    empty: set[str] = set()
    theme_ids = {t if t in g else _theme_id(g, t) for t in themes} - {None}
    need_themes = theme_ids or ix.themes.get(seeker, empty)
    need_sdgs = {f"sdg:{int(s)}" for s in sdgs} or ix.sdgs.get(seeker, empty)
    seeker_groups = ix.groups.get(seeker, empty)
    seeker_caps = set(nodes[seeker].get("capacities") or [])
    current = ix.partners.get(seeker, empty)
    dist = nx.single_source_shortest_path_length(ix.actor, seeker, cutoff=4) \
        if seeker in ix.actor else {}
    cat_filter = _category_id(g, category) if category else None
    contact = ix.contacts
    seeker_south = nodes[seeker].get("bloc") == "South"
    weights = dict(WEIGHTS)
    if not south_south:
        weights["south_south"] = 0.0
    total_w = sum(weights.values())
    labels = {NodeLabel.PARTNER.value} | ({NodeLabel.CITY.value} if include_cities else set())
    rows = []
    for c, d in nodes(data=True):
        if d.get("label") not in labels or c == seeker or c in current:
            continue
        cats = ix.categories.get(c, empty)
        if d.get("label") == NodeLabel.CITY.value:
            cats = cats or {"category:02-local-regional-governments"}
        if cat_filter and cat_filter not in cats:
            continue
        c_themes = ix.themes.get(c, empty)
        c_sdgs = ix.sdgs.get(c, empty)
        shared = seeker_groups & ix.groups.get(c, empty)
        caps = set(d.get("capacities") or []) - seeker_caps
        dd = d.get("due_diligence")
        comp = {
            "themes": _jaccard(need_themes, c_themes) if need_themes else 0.0,
            "sdgs": _jaccard(need_sdgs, c_sdgs) if need_sdgs else 0.0,
            "closeness": 1.0 / dist[c] if c in dist and dist[c] > 0 else 0.0,
            "shared_groups": min(1.0, len(shared) / 3),
            "capacity": min(1.0, len(caps) / 2),
            "south_south": 1.0 if (seeker_south and d.get("bloc") == "South") else 0.0,
            "due_diligence": {"done": 1.0, "not required": 1.0, "pending": 0.3}.get(dd, 0.5),
        }
        score = sum(weights[f] * x for f, x in comp.items()) / total_w
        if score <= 0:
            continue
        rows.append((score, c, comp, shared, caps, c_themes, c_sdgs, cats))
    rows.sort(key=lambda r: (-r[0], str(r[1])))
    out = []
    for score, c, comp, shared, caps, c_themes, c_sdgs, cats in rows[:top]:
        reasons = []
        if common := need_themes & c_themes:
            reasons.append("works on " + ", ".join(sorted(nodes[t].get("name", t)
                                                          for t in common)))
        if common := need_sdgs & c_sdgs:
            reasons.append("works on " + ", ".join(sorted((nodes[s].get("name", s)
                                                           for s in common),
                                                          key=lambda x: (len(x), x))))
        if shared:
            reasons.append("shares " + ", ".join(sorted(nodes[s].get("name", s)
                                                        for s in shared)))
        if c in dist:
            reasons.append(f"{dist[c]} step{'s' if dist[c] > 1 else ''} away in the network")
        if caps:
            reasons.append("brings " + ", ".join(sorted(caps)))
        if south_south and comp["south_south"]:
            reasons.append("South-South: both in the Global South")
        dd = nodes[c].get("due_diligence")
        if dd == "pending":
            reasons.append("due diligence pending: complete it before a formal partnership")
        units = sorted({u for cat in cats for u in contact.get(cat, [])})
        out.append({"id": c, "name": nodes[c].get("name", c), "label": nodes[c].get("label"),
                    "country": nodes[c].get("country"), "bloc": nodes[c].get("bloc"),
                    "score": round(score, 4), "components": comp, "reasons": reasons,
                    "categories": sorted(nodes[x].get("name", x) for x in cats if x in g),
                    "contact_focal_units": units,
                    "generated": bool(nodes[c].get("generated"))})
    return {"seeker": {"id": seeker, "name": nodes[seeker].get("name", seeker)},
            "needs": {"themes": sorted(nodes[t].get("name", t) for t in need_themes),
                      "sdgs": sorted(need_sdgs, key=lambda s: int(s.split(":")[1])),
                      "category": cat_filter, "south_south": south_south},
            "weights": weights, "candidates": out, "considered": len(rows)}


def _theme_id(g: nx.MultiDiGraph, text: str) -> str | None:
    key = name_key(text)
    for v, d in g.nodes(data=True):
        if d.get("label") == NodeLabel.THEME.value and (name_key(str(d.get("name"))) == key
                                                         or v == f"theme:{text}"):
            return v
    raise UnknownNode(text, [{"id": v, "name": d.get("name")} for v, d in g.nodes(data=True)
                             if d.get("label") == NodeLabel.THEME.value
                             and key[:4] in name_key(str(d.get("name")))][:5])


def _category_id(g: nx.MultiDiGraph, text: str) -> str:
    key = name_key(str(text))
    for v, d in g.nodes(data=True):
        if d.get("label") != NodeLabel.PARTNER_CATEGORY.value:
            continue
        if v == text or str(d.get("number")) == key or name_key(str(d.get("name"))) == key \
                or d.get("roman") == key:
            return v
    raise UnknownNode(str(text), [{"id": v, "name": d.get("name")}
                                  for v, d in g.nodes(data=True)
                                  if d.get("label") == NodeLabel.PARTNER_CATEGORY.value][:5])


def _contacts(g: nx.MultiDiGraph) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for a, b, d in g.edges(data=True):
        if d.get("type") == RelType.RESPONSIBLE_FOR.value and \
                g.nodes[b].get("label") == NodeLabel.PARTNER_CATEGORY.value:
            out.setdefault(b, []).append(g.nodes[a].get("name", a))
    return out
