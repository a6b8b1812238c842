"""Which partner to approach for a need: ranked candidates with reasons and a contact.

Requested needs (themes, SDGs, a Southern partner) come first: a candidate meeting more
of them is never ranked below one meeting fewer. Among equals, candidates are ranked by
the evidence that they are the partner the seeker is looking for
(:mod:`graph.analysis.match_evidence`), weighed as :mod:`graph.analysis.match_model`
learnt from real partnerships and from the store's own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np

from partnernet.graph.analysis.match_evidence import FEATURES, Evidence, build_evidence, features
from partnernet.graph.analysis.match_model import Model, calibrate, default_model
from partnernet.graph.schema import NodeLabel, RelType, name_key

__all__ = ["MatchIndex", "UnknownNode", "build_index", "match_partners", "name_hits", "ranking",
           "resolve_node"]

_CANDIDATE_LABELS = (NodeLabel.CITY.value, NodeLabel.SUBNATIONAL.value, NodeLabel.PARTNER.value,
                     NodeLabel.NETWORK.value)
_LOCAL = (NodeLabel.CITY.value, NodeLabel.SUBNATIONAL.value)
_FEATURE = {k: i for i, k in enumerate(FEATURES)}


class UnknownNode(LookupError):
    """A name or id that matches nothing; ``suggestions`` holds the closest names."""

    def __init__(self, text: str, suggestions: list[dict[str, str]]):
        self.text, self.suggestions = text, suggestions
        hint = "; did you mean " + ", ".join(f"{s['name']} ({s['id']})" for s in suggestions) \
            + "?" if suggestions else ""
        super().__init__(f"no node called {text!r}{hint}")


@dataclass
class MatchIndex:
    """What matching reads from a graph, built once per graph (:func:`build_index`)."""

    evidence: Evidence
    model: Model
    names: dict[str, list[str]]
    categories: dict[str, set[str]]
    contacts: dict[str, list[str]]
    capacities: list[set[str]]
    due_diligence: list[str | None]
    bloc: np.ndarray
    degree: np.ndarray
    candidate: np.ndarray  # bool: cities, partners and networks


def resolve_node(g: nx.MultiDiGraph, text: str, *,
                 labels: Iterable[str] = _CANDIDATE_LABELS,
                 index: MatchIndex | None = None) -> str:
    """A node id from an id or a (case- and accent-insensitive) name.

    A name shared by several nodes resolves to the reference (non-generated) one,
    else the largest; an unknown one raises :class:`UnknownNode` with close matches.

    >>> g = nx.MultiDiGraph(); g.add_node("city:br:maringa", label="City", name="Maringá")
    >>> resolve_node(g, "MARINGA")
    'city:br:maringa'
    """
    if text in g:
        return text
    hits = name_hits(g, text, labels=labels, index=index)
    if hits:
        return hits[0]
    labels = set(labels)
    key = name_key(text)
    import difflib

    names = {name_key(str(d.get("name", ""))): v for v, d in g.nodes(data=True)
             if d.get("label") in labels}
    close = difflib.get_close_matches(key, list(names), n=5, cutoff=0.6)
    contains = [k for k in names if key and key in k][:5]
    picks = list(dict.fromkeys(close + contains))[:5]
    raise UnknownNode(text, [{"id": names[k], "name": g.nodes[names[k]].get("name", k)}
                             for k in picks])


def name_hits(g: nx.MultiDiGraph, text: str, *,
              labels: Iterable[str] = _CANDIDATE_LABELS,
              index: MatchIndex | None = None) -> list[str]:
    """Every node named ``text`` (case- and accent-insensitive), in the order
    :func:`resolve_node` prefers them: reference before generated, then the largest
    population, then the id.

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("city:es:valencia", label="City", name="Valencia", population=792_000)
    >>> g.add_node("city:ve:valencia", label="City", name="Valencia", population=1_385_000)
    >>> name_hits(g, "valencia")
    ['city:ve:valencia', 'city:es:valencia']
    """
    key = name_key(text)
    labels = set(labels)
    if index is not None:
        hits = [v for v in index.names.get(key, []) if g.nodes[v].get("label") in labels]
    else:
        hits = [v for v, d in g.nodes(data=True) if d.get("label") in labels
                and name_key(str(d.get("name", ""))) == key]
    hits.sort(key=lambda v: (bool(g.nodes[v].get("generated")),
                             -(g.nodes[v].get("population") or 0), str(v)))
    return hits


def build_index(g: nx.MultiDiGraph, *, calibrate_on_store: bool = True,
                seed: int = 0) -> MatchIndex:
    """Index ``g`` for matching and weigh its evidence: re-fitted on the store's own
    partnerships when there are enough (:func:`graph.analysis.match_model.calibrate`),
    else the defaults.

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("city:a", label="City", name="A"); g.add_node("theme:t", label="Theme")
    >>> _ = g.add_edge("city:a", "theme:t", type="WORKS_ON")
    >>> ix = build_index(g)
    >>> ix.evidence.nodes, ix.evidence.theme_ids, ix.model.how["method"]
    (['city:a'], ['theme:t'], 'defaults')
    """
    ev = build_evidence(g)
    candidates = np.isin(ev.labels, _CANDIDATE_LABELS)
    model = calibrate(ev, candidates, seed=seed) if calibrate_on_store else default_model()
    names: dict[str, list[str]] = {}
    for v, d in g.nodes(data=True):
        names.setdefault(name_key(str(d.get("name", ""))), []).append(v)
    cats: dict[str, set[str]] = {}
    for a, b, d in g.edges(data=True):
        if d.get("type") == RelType.IN_CATEGORY.value:
            cats.setdefault(a, set()).add(b)
    data = [g.nodes[v] for v in ev.nodes]
    return MatchIndex(
        evidence=ev, model=model, names=names, categories=cats, contacts=_contacts(g),
        capacities=[set(d.get("capacities") or []) for d in data],
        due_diligence=[d.get("due_diligence") for d in data],
        bloc=np.array([d.get("bloc") or "Unclassified" for d in data], dtype=object),
        degree=np.diff(ev.A.indptr), candidate=candidates)


def match_partners(g: nx.MultiDiGraph, seeker: str, *, themes: Iterable[str] = (),
                   sdgs: Iterable[int] = (), category: str | None = None,
                   south_south: bool = False, top: int = 10, include_cities: bool = True,
                   index: MatchIndex | None = None) -> dict[str, Any]:
    r"""Rank candidate partners for ``seeker`` and its needs.

    Candidates are cities, partners and networks other than the seeker and its current
    partners (``include_cities=False``: no cities; ``category``: only that SOP
    category). They are ranked by

    1. the requested needs they meet (each requested theme, each requested SDG, and
       with ``south_south`` being in the Global South): more first. No need requested,
       no weight: the seeker's own themes are not a need;
    2. the evidence :math:`z_c = w \cdot x_{sc}` that :math:`c` is the partner the
       seeker's ties point to: shared partners (resource allocation), paths of three,
       degree, shared groups weighted by size (Newman), distance, country mixing,
       population, namesakes;
    3. equal still: larger population, more partnerships, then name; the answer says
       how many candidates tie (``tied_with``), never hiding a tie behind an id order.

    ``score`` is :math:`p(c \mid s) = e^{z_c} / \sum_{c'} e^{z_{c'}}` over the candidates
    considered, the estimated chance that :math:`c` is the partner the evidence points
    to; ``evidence`` gives each feature's contribution to :math:`z_c` against the
    average candidate (log-odds), and ``reasons`` says it in words.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        Heterogeneous graph, annotated (:func:`graph.analysis.projections.annotate`).
    seeker : str
        Node id of the seeker (see :func:`resolve_node` for names).
    themes, sdgs : iterable
        The needs: theme ids or names, SDG numbers.
    category : str, optional
        Only candidates in this partner category (id, name or number).
    south_south : bool
        A Southern partner is a need (Global South as annotated).
    top : int
        How many candidates.

    References
    ----------
    .. [1] Liben-Nowell, D. & Kleinberg, J. (2007). The link-prediction problem for
       social networks. JASIST 58(7), 1019-1031. doi:10.1002/asi.20591
    .. [2] Zhou, T., Lü, L. & Zhang, Y.-C. (2009). Predicting missing links via local
       information. Eur. Phys. J. B 71, 623-630. doi:10.1140/epjb/e2009-00335-8
    .. [3] Kovács, I. A. et al. (2019). Network-based prediction of protein interactions.
       Nature Communications 10, 1240. doi:10.1038/s41467-019-09177-y
    .. [4] Newman, M. E. J. (2001). doi:10.1103/PhysRevE.64.016132
    .. [5] McFadden, D. (1974). Conditional logit analysis of qualitative choice behavior.
       In Frontiers in Econometrics, 105-142.
    .. [6] UN-Habitat SOP on Partnerships, "Who are UN-Habitat partners?" (focal points).

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> for n, lab in [("city:a", "City"), ("partner:p", "Partner"), ("partner:q", "Partner"),
    ...                ("theme:t", "Theme")]:
    ...     g.add_node(n, label=lab, name=n)
    >>> _ = g.add_edge("partner:p", "theme:t", type="WORKS_ON")
    >>> r = match_partners(g, "city:a", themes=["theme:t"])
    >>> [(c["id"], c["needs_met"]) for c in r["candidates"]]
    [('partner:p', ['theme:t']), ('partner:q', [])]
    """
    if seeker not in g:
        raise UnknownNode(seeker, [])
    ix = index or build_index(g, calibrate_on_store=False)
    ev = ix.evidence
    nodes = g.nodes
    if seeker not in ev.position:
        raise ValueError(f"{nodes[seeker].get('name', seeker)} is a {nodes[seeker].get('label')}"
                         ": matching finds partners for cities, partners and networks")
    s = ev.position[seeker]
    theme_ids = sorted({t if t in g else _theme_id(g, t) for t in themes} - {None})
    sdg_ids = sorted({f"sdg:{int(x)}" for x in sdgs}, key=lambda x: int(x.split(":")[1]))
    cat = _category_id(g, category) if category else None
    # who can be proposed
    allowed = ix.candidate.copy()
    if not include_cities:
        allowed &= ~np.isin(ev.labels, _LOCAL)
    allowed[s] = False
    current = ev.A.indices[ev.A.indptr[s]:ev.A.indptr[s + 1]]
    allowed[current] = False
    if cat:
        allowed &= np.array([cat in _cats_of(ix, v, nodes[v]) for v in ev.nodes], dtype=bool)
    # needs
    met = np.zeros(ev.n, dtype=np.int64)
    met_of: list[tuple[str, np.ndarray]] = []
    flags: list[str] = []
    for tid in theme_ids:
        has = _column(ev.themes, ev.theme_ids, tid)
        met_of.append((tid, has))
    if theme_ids and not ev.theme_ids:
        flags.append("no node in this store works on any theme (WORKS_ON Theme): the theme "
                     "need cannot be matched; load theme data to use it")
    for sid in sdg_ids:
        met_of.append((sid, _column(ev.sdgs, ev.sdg_ids, sid)))
    if sdg_ids and not ev.sdg_ids:
        flags.append("no SDG data in this store (no WORKS_ON SDG relationship and no "
                     "partnership tagged with SDGs): the SDG need cannot be matched; load "
                     "SDG tags to use it")
    if south_south:
        met_of.append(("South", ix.bloc == "South"))
        if ix.bloc[s] != "South":
            flags.append(f"{nodes[seeker].get('name', seeker)} is not in the Global South "
                         "under this definition: Southern candidates are preferred "
                         "(North-South), not South-South")
    for _, has in met_of:
        met += has.astype(np.int64)
    unmet = [need for need, has in met_of if not (has & allowed).any()]
    for need in unmet:
        label = "a Southern partner" if need == "South" else nodes[need].get("name", need) \
            if need in g else need
        flags.append(f"no candidate meets the need {label}: ranked on the other evidence")
    # evidence
    x = features(ev, s)
    w = ix.model.weights
    z = x @ w
    idx = np.flatnonzero(allowed)
    if not len(idx):
        return _answer(g, seeker, theme_ids, sdg_ids, cat, south_south, ix, flags, unmet, [],
                       0, {"tied_shown": 0})
    zc = z[idx]
    top_z = zc.max()
    prob = np.exp(zc - top_z)
    prob /= prob.sum()
    mean_x = x[idx].mean(axis=0)
    shown = _order(g, ix, idx, zc, met, limit=top)[:top]
    met_c = met[idx]
    rows = []
    for rank, j in enumerate(shown, start=1):
        i = idx[j]
        contrib = {k: float(w[f] * (x[i, f] - mean_x[f])) for k, f in _FEATURE.items()
                   if w[f] * (x[i, f] - mean_x[f]) != 0}
        rows.append({
            "i": int(i), "rank": rank, "score": float(prob[j]), "z": float(zc[j]),
            "needs_met": [need for need, has in met_of if has[i]],
            "tied_with": int(((met_c == met[i]) & (zc == zc[j])).sum()) - 1,
            "evidence": dict(sorted(contrib.items(), key=lambda kv: -abs(kv[1]))),
            "x": x[i]})
    tied_shown = sum(1 for r in rows if r["tied_with"])
    return _answer(g, seeker, theme_ids, sdg_ids, cat, south_south, ix, flags, unmet, rows,
                   len(idx), {"tied_shown": tied_shown})


def _order(g: nx.MultiDiGraph, ix: MatchIndex, idx: np.ndarray, zc: np.ndarray,
           met: np.ndarray, limit: int | None = None) -> list[int]:
    """Positions into ``idx``, best first: needs met, evidence, then population,
    partnerships and name (the last three only order exact ties, which are reported);
    ties are ordered by name only as far as ``limit``."""
    ev = ix.evidence
    if limit is not None and len(idx) > 4 * limit:
        # only what can reach the first ``limit`` places (ties at the boundary included)
        coarse = met[idx] * 1e6 + zc
        cut = np.partition(coarse, len(coarse) - limit)[len(coarse) - limit]
        near = np.flatnonzero(coarse >= cut - 1e-9 * max(1.0, abs(cut)))
        sub = _order(g, ix, idx[near], zc[near], met, None)
        return [int(near[j]) for j in sub]
    pop, deg = ev.population[idx], ix.degree[idx]
    first = np.lexsort((-deg, -pop, -zc, -met[idx]))
    keys = np.stack([met[idx][first], zc[first], pop[first], deg[first]], axis=1)
    if len(first) < 2:
        return first.tolist()
    # exact ties on every number: ordered by name (never by id)
    new_run = np.r_[True, (keys[1:] != keys[:-1]).any(axis=1)]
    starts = np.flatnonzero(new_run)
    ends = np.r_[starts[1:], len(first)]
    out = first.tolist()
    for a, b in zip(starts.tolist(), ends.tolist(), strict=True):
        if limit is not None and a >= limit:
            break
        if b - a > 1:
            out[a:b] = sorted(out[a:b], key=lambda j: name_key(
                str(g.nodes[ev.nodes[idx[j]]].get("name", ""))))
    return out


def ranking(g: nx.MultiDiGraph, index: MatchIndex, seeker: str) -> list[str]:
    """Every candidate for ``seeker`` without needs, in :func:`match_partners`' order (for
    benchmarks: the rank of any candidate, not only the top).

    >>> g = nx.MultiDiGraph()
    >>> g.add_nodes_from([("city:a", {"label": "City", "name": "A"}),
    ...                   ("city:b", {"label": "City", "name": "B"}),
    ...                   ("city:c", {"label": "City", "name": "C"})])
    >>> _ = g.add_edge("city:a", "city:b", type="PARTNERS_WITH")
    >>> ranking(g, build_index(g, calibrate_on_store=False), "city:a")
    ['city:c']
    """
    ix = index
    ev = ix.evidence
    s = ev.position[seeker]
    allowed = ix.candidate.copy()
    allowed[s] = False
    allowed[ev.A.indices[ev.A.indptr[s]:ev.A.indptr[s + 1]]] = False
    idx = np.flatnonzero(allowed)
    z = (features(ev, s) @ ix.model.weights)[idx]
    return [ev.nodes[idx[j]] for j in _order(g, ix, idx, z, np.zeros(ev.n, dtype=np.int64))]


def _column(m, ids: list[str], key: str) -> np.ndarray:
    if key not in ids:
        return np.zeros(m.shape[0], dtype=bool)
    j = ids.index(key)
    return np.asarray(m[:, [j]].toarray()).ravel() > 0


def _answer(g, seeker, theme_ids, sdg_ids, cat, south_south, ix: MatchIndex, flags, unmet,
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
        cats = _cats_of(ix, c, d)
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
    elif ev_.get("country_affinity", 0) > 0:
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


def _cats_of(ix: MatchIndex, c: str, d: dict) -> set[str]:
    cats = ix.categories.get(c, set())
    if d.get("label") in _LOCAL:
        return cats or {"category:02-local-regional-governments"}
    return cats


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

