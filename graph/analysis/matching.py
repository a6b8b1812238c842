"""Which partner to approach for a need: ranked candidates with reasons and a contact.

Requested needs (themes, SDGs, a Southern partner) come first: a candidate meeting more
of them is never ranked below one meeting fewer. Among equals, candidates are ranked by
the evidence that they are the partner the seeker is looking for
(:mod:`graph.analysis.match_evidence`), weighed as :mod:`graph.analysis.match_model`
learnt from real partnerships and from the store's own.

Names are resolved in :mod:`graph.analysis.match_names` (:func:`resolve_node` and
:class:`UnknownNode` are importable from here) and the answer is put in words in
:mod:`graph.analysis.match_reasons`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np

from partnernet.graph.analysis.match_evidence import FEATURES, Evidence, build_evidence, features
from partnernet.graph.analysis.match_model import Model, calibrate, default_model
from partnernet.graph.analysis.match_names import (
    CANDIDATE_LABELS,
    UnknownNode,
    category_id,
    name_hits,
    resolve_node,
    theme_id,
)
from partnernet.graph.analysis.match_reasons import answer, categories_of
from partnernet.graph.schema import NodeLabel, RelType, name_key

__all__ = ["MatchIndex", "UnknownNode", "build_index", "match_partners", "name_hits", "ranking",
           "resolve_node"]

_LOCAL = (NodeLabel.CITY.value, NodeLabel.SUBNATIONAL.value)
_FEATURE = {k: i for i, k in enumerate(FEATURES)}


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
    candidates = np.isin(ev.labels, CANDIDATE_LABELS)
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
    theme_ids = sorted({t if t in g else theme_id(g, t) for t in themes} - {None})
    sdg_ids = sorted({f"sdg:{int(x)}" for x in sdgs}, key=lambda x: int(x.split(":")[1]))
    cat = category_id(g, category) if category else None
    # who can be proposed
    allowed = ix.candidate.copy()
    if not include_cities:
        allowed &= ~np.isin(ev.labels, _LOCAL)
    allowed[s] = False
    current = ev.A.indices[ev.A.indptr[s]:ev.A.indptr[s + 1]]
    allowed[current] = False
    if cat:
        allowed &= np.array([cat in categories_of(ix, v, nodes[v]) for v in ev.nodes], dtype=bool)
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
        return answer(g, seeker, theme_ids, sdg_ids, cat, south_south, ix, flags, unmet, [],
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
    return answer(g, seeker, theme_ids, sdg_ids, cat, south_south, ix, flags, unmet, rows,
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


def _contacts(g: nx.MultiDiGraph) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for a, b, d in g.edges(data=True):
        if d.get("type") == RelType.RESPONSIBLE_FOR.value and \
                g.nodes[b].get("label") == NodeLabel.PARTNER_CATEGORY.value:
            out.setdefault(b, []).append(g.nodes[a].get("name", a))
    return out
