"""What matching reads from a graph: the evidence for every candidate partner of a seeker.

:func:`build_evidence` indexes a graph once (sparse partnership and membership matrices,
geography, country mixing); :func:`features` then gives, for one seeker, a row of
evidence per actor in a few milliseconds of sparse products. Each feature is named in
:data:`FEATURES` with what it measures; :mod:`graph.analysis.match_model` weighs them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp

from partnernet.graph.analysis.projections import ACTOR_LABELS, affiliations
from partnernet.graph.schema import NodeLabel, RelType, name_key

__all__ = ["DISTANCE_BINS", "FEATURES", "Evidence", "Ties", "build_evidence", "features",
           "partnership_matrix", "ties_of"]

#: Upper bounds (km) of the distance bands; nearer than the first is the reference band.
DISTANCE_BINS = (50, 150, 400, 1000, 3000, 8000)
#: Radius (km) of "near": places near the seeker, near its partners.
NEAR_KM = 50.0
_EARTH_KM = 6371.0

#: Every piece of evidence, in column order, with what it measures.
FEATURES: dict[str, str] = {
    "shared_partners_ra": "shared partners, each weighted 1/its number of partners "
                          "(resource allocation)",
    "shared_partners": "log(1 + number of shared partners)",
    "three_hop": "log(1 + paths of three partnerships, each weighted 1/sqrt(degrees of the "
                 "two intermediaries))",
    "degree": "log(1 + the candidate's partnerships) (preferential attachment)",
    "shared_groups": "groups shared, each weighted 1/(members - 1) (Newman): a shared "
                     "10-member committee counts 1/9, a 12,000-member initiative 1/11,999",
    **{f"distance_{lo}_{hi}": f"{lo}-{hi} km away" for lo, hi in
       zip(DISTANCE_BINS, (*DISTANCE_BINS[1:], None), strict=True) if hi},
    f"distance_over_{DISTANCE_BINS[-1]}": f"more than {DISTANCE_BINS[-1]:,} km away",
    "distance_unknown": "no coordinates for the seeker or the candidate",
    "same_country": "in the seeker's country",
    "country_affinity": "how often the seeker's country partners with the candidate's, per "
                        "partnership of the candidate's country (log)",
    "near_ties": "log(1 + partnerships between places near the seeker and places near the "
                 f"candidate, within {NEAR_KM:.0f} km)",
    "near_partners": f"log(1 + the seeker's partners within {NEAR_KM:.0f} km of the candidate)",
    "population": "log(1 + population)",
    "size_similarity": "-|log population ratio| (unknown: -2, a typical value)",
    "namesake": "the same name (namesake towns twin)",
}


@dataclass
class Evidence:
    """A graph indexed for matching (see :func:`build_evidence`)."""

    nodes: list[str]
    position: dict[str, int]
    labels: np.ndarray
    A: sp.csr_array  # partnerships between actors, symmetric 0/1
    B: sp.csr_array  # actors x groups
    group_ids: list[str]
    group_size: np.ndarray
    xyz: np.ndarray  # unit vectors (nan without coordinates)
    K: sp.csr_array  # places within NEAR_KM of each other (diagonal included)
    country: np.ndarray  # index into countries, -1 unknown
    countries: list[str]
    population: np.ndarray
    name_code: np.ndarray
    themes: sp.csr_array
    theme_ids: list[str]
    sdgs: sp.csr_array
    sdg_ids: list[str]
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def n(self) -> int:
        return len(self.nodes)


def partnership_matrix(n: int, pairs: np.ndarray) -> sp.csr_array:
    """Symmetric 0/1 adjacency of ``n`` nodes from index pairs (self-pairs dropped).

    >>> partnership_matrix(3, np.array([[0, 1], [1, 0], [2, 2]])).toarray().tolist()
    [[0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 0.0]]
    """
    pairs = pairs[pairs[:, 0] != pairs[:, 1]] if len(pairs) else pairs.reshape(-1, 2)
    r = np.concatenate([pairs[:, 0], pairs[:, 1]])
    c = np.concatenate([pairs[:, 1], pairs[:, 0]])
    a = sp.csr_array((np.ones(len(r)), (r, c)), shape=(n, n))
    a.sum_duplicates()
    a.data[:] = 1.0
    return a


def _xyz(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    la, lo = np.radians(lat), np.radians(lon)
    return np.stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)], axis=1)


def _kernel(xyz: np.ndarray) -> sp.csr_array:
    from scipy.spatial import cKDTree

    n = len(xyz)
    known = np.flatnonzero(np.isfinite(xyz).all(axis=1))
    rows, cols = [np.arange(n)], [np.arange(n)]
    if len(known) > 1:
        chord = 2 * np.sin(NEAR_KM / (2 * _EARTH_KM))
        pairs = cKDTree(xyz[known]).query_pairs(chord, output_type="ndarray")
        a, b = known[pairs[:, 0]], known[pairs[:, 1]]
        rows += [a, b]
        cols += [b, a]
    r, c = np.concatenate(rows), np.concatenate(cols)
    return sp.csr_array((np.ones(len(r)), (r, c)), shape=(n, n))


def build_evidence(g: nx.MultiDiGraph) -> Evidence:
    """Index the actors of ``g`` (cities, partners, networks) for matching.

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("city:a", label="City", name="A", country="FR", lat=48.9, lon=2.4)
    >>> g.add_node("city:b", label="City", name="B", country="DE", lat=52.5, lon=13.4)
    >>> _ = g.add_edge("city:a", "city:b", type="PARTNERS_WITH")
    >>> ev = build_evidence(g)
    >>> ev.nodes, ev.A.nnz, ev.countries
    (['city:a', 'city:b'], 2, ['DE', 'FR'])
    """
    labels = set(ACTOR_LABELS)
    nodes = sorted(v for v, d in g.nodes(data=True) if d.get("label") in labels)
    pos = {v: i for i, v in enumerate(nodes)}
    n = len(nodes)
    data = [g.nodes[v] for v in nodes]
    pairs = np.array([(pos[a], pos[b]) for a, b, d in g.edges(data=True)
                      if d.get("type") == RelType.PARTNERS_WITH.value and a in pos and b in pos],
                     dtype=np.int64).reshape(-1, 2)
    A = partnership_matrix(n, pairs)
    memberships = [(pos[m], z) for m, z in affiliations(g) if m in pos]
    group_ids = sorted({z for _, z in memberships})
    gi = {z: i for i, z in enumerate(group_ids)}
    B = sp.csr_array((np.ones(len(memberships)),
                      ([i for i, _ in memberships], [gi[z] for _, z in memberships])),
                     shape=(n, max(len(group_ids), 1)))
    # group sizes over every member (countries and focal units too), not only actors
    all_members: dict[str, int] = {}
    for _, z in affiliations(g):
        all_members[z] = all_members.get(z, 0) + 1
    group_size = np.array([all_members.get(z, 0) for z in group_ids] or [0], dtype=float)
    lat = np.array([_num(d.get("lat")) for d in data], dtype=float)
    lon = np.array([_num(d.get("lon")) for d in data], dtype=float)
    xyz = _xyz(lat, lon) if n else np.zeros((0, 3))
    codes = [str(d.get("country") or "").upper() for d in data]
    countries = sorted({c for c in codes if c})
    ci = {c: i for i, c in enumerate(countries)}
    keys = [name_key(str(d.get("name") or "")) for d in data]
    kcode = {k: i for i, k in enumerate(sorted(set(keys)))}
    themes, theme_ids, sdgs, sdg_ids = _topics(g, pos)
    return Evidence(
        nodes=nodes, position=pos, labels=np.array([d.get("label") for d in data], dtype=object),
        A=A, B=B.tocsr(), group_ids=group_ids, group_size=group_size, xyz=xyz,
        K=_kernel(xyz), country=np.array([ci.get(c, -1) for c in codes], dtype=np.int64),
        countries=countries,
        population=np.array([max(_num(d.get("population"), 0.0), 0.0) for d in data]),
        name_code=np.array([kcode[k] if k else -1 - i for i, k in enumerate(keys)],
                           dtype=np.int64),
        themes=themes, theme_ids=theme_ids, sdgs=sdgs, sdg_ids=sdg_ids)


def _num(x: Any, default: float = np.nan) -> float:
    try:
        return float(x) if x is not None and x != "" else default
    except (TypeError, ValueError):
        return default


def _topics(g: nx.MultiDiGraph, pos: dict[str, int]):
    """Actors x themes and actors x SDGs (WORKS_ON, and a partnership's SDG tags for both
    of its ends)."""
    theme, sdg = [], []
    for a, b, d in g.edges(data=True):
        t = d.get("type")
        if t == RelType.WORKS_ON.value and a in pos:
            lab = g.nodes[b].get("label")
            if lab == NodeLabel.THEME.value:
                theme.append((pos[a], b))
            elif lab == NodeLabel.SDG.value:
                sdg.append((pos[a], b))
        elif t == RelType.PARTNERS_WITH.value and d.get("sdgs"):
            for s in d["sdgs"]:
                for end in (a, b):
                    if end in pos:
                        sdg.append((pos[end], f"sdg:{s}"))

    def matrix(pairs):
        ids = sorted({x for _, x in pairs})
        xi = {x: i for i, x in enumerate(ids)}
        m = sp.csr_array((np.ones(len(pairs)), ([i for i, _ in pairs], [xi[x] for _, x in pairs])),
                         shape=(len(pos), max(len(ids), 1)))
        m.sum_duplicates()
        m.data[:] = 1.0
        return m, ids

    tm, tids = matrix(theme)
    sm, sids = matrix(sdg)
    return tm, tids, sm, sids


def country_mixing(ev: Evidence, A: sp.csr_array) -> tuple[np.ndarray, np.ndarray]:
    """Partnerships between each pair of countries, and each country's partnerships."""
    c = len(ev.countries)
    if c == 0:
        return np.zeros((0, 0)), np.zeros(0)
    r, k = A.nonzero()
    ok = (ev.country[r] >= 0) & (ev.country[k] >= 0)
    M = sp.csr_array((np.ones(int(ok.sum())), (ev.country[r[ok]], ev.country[k[ok]])),
                     shape=(c, c)).toarray()
    return M, M.sum(axis=1)


@dataclass
class Ties:
    """A partnership matrix with what :func:`features` derives from it (once per matrix)."""

    A: sp.csr_array
    degree: np.ndarray
    inverse: np.ndarray
    inverse_sqrt: np.ndarray
    mixing: np.ndarray
    country_degree: np.ndarray


def ties_of(ev: Evidence, A: sp.csr_array | None = None) -> Ties:
    """``A`` (default: the indexed graph's partnerships) ready for :func:`features`
    (degrees, their inverses and the country mixing, computed once per matrix).

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("city:a", label="City", name="A", country="FR")
    >>> g.add_node("city:b", label="City", name="B", country="DE")
    >>> _ = g.add_edge("city:a", "city:b", type="PARTNERS_WITH")
    >>> t = ties_of(build_evidence(g))
    >>> t.degree.tolist(), t.mixing.tolist()  # countries DE, FR
    ([1.0, 1.0], [[0.0, 1.0], [1.0, 0.0]])
    """
    A = ev.A if A is None else A
    cached = ev.extra.get("ties")
    if cached is not None and cached.A is A:
        return cached
    deg = np.diff(A.indptr).astype(float)
    inv = np.where(deg > 0, 1.0 / np.maximum(deg, 1.0), 0.0)
    M, cdeg = country_mixing(ev, A)
    t = Ties(A, deg, inv, np.sqrt(inv), M, cdeg)
    ev.extra["ties"] = t
    return t


def features(ev: Evidence, s: int, ties: Ties | None = None) -> np.ndarray:
    """The evidence (``n`` x :data:`FEATURES`) that each actor is the partner seeker ``s``
    (an index into ``ev.nodes``) is looking for, on the partnerships ``ties`` (default:
    the indexed graph's; calibration passes the graph with some partnerships hidden).
    Every count is a sparse matrix times a dense vector (A is symmetric).

    >>> g = nx.MultiDiGraph()
    >>> for v in "abc":
    ...     g.add_node(f"city:{v}", label="City", name=v)
    >>> _ = g.add_edge("city:a", "city:b", type="PARTNERS_WITH")
    >>> _ = g.add_edge("city:b", "city:c", type="PARTNERS_WITH")
    >>> x = features(build_evidence(g), 0)  # for city:a
    >>> float(x[2, 0]), float(x[2, 1])  # c shares b (2 partners): RA 1/2, one shared
    (0.5, 0.6931471805599453)
    """
    t = ties or ties_of(ev)
    A, deg, inv, isq = t.A, t.degree, t.inverse, t.inverse_sqrt
    n = ev.n
    mine = np.zeros(n)
    mine[A.indices[A.indptr[s]:A.indptr[s + 1]]] = 1.0
    cn = A @ mine
    ra = A @ (inv * mine)
    l3 = A @ (isq * (A @ (isq * mine)))
    l3[mine > 0] = 0.0  # paths of three to a current partner are not the point
    # Newman weight of the groups shared with s
    size = ev.group_size
    gw = np.where(size > 1, 1.0 / np.maximum(size - 1, 1.0), 0.0)
    own_groups = ev.B.T @ np.eye(1, n, s).ravel()
    shared = ev.B @ (own_groups * gw) if own_groups.any() else np.zeros(n)
    # geography
    known = np.isfinite(ev.xyz).all(axis=1)
    band = np.zeros((n, len(DISTANCE_BINS) + 1))
    if known[s]:
        dot = np.clip(ev.xyz @ np.nan_to_num(ev.xyz[s]), -1.0, 1.0)
        km = np.where(known, _EARTH_KM * np.arccos(dot), np.nan)
        idx = np.digitize(np.nan_to_num(km, nan=0.0), DISTANCE_BINS)  # 0: nearer than 50
        for b in range(1, len(DISTANCE_BINS) + 1):
            band[:, b - 1] = known & (idx == b)
        band[:, -1] = ~known
    else:
        band[:, -1] = 1.0
    cs = ev.country[s]
    same = (ev.country == cs) & (cs >= 0)
    if cs >= 0 and len(t.mixing):
        where = np.maximum(ev.country, 0)
        aff = np.log((t.mixing[cs][where] + 0.1) / (t.country_degree[where] + 1.0))
        # a candidate without a country gets what is expected of one: the mean over the
        # candidates with one (0, the old value, sat above almost every known country's
        # log rate and put country-less places first)
        known_c = ev.country >= 0
        aff = np.where(known_c, aff, float(aff[known_c].mean()) if known_c.any() else 0.0)
    else:
        aff = np.zeros(n)
    near_s = ev.K @ np.eye(1, n, s).ravel()
    near_ties = ev.K @ (A @ near_s)
    near_partners = ev.K @ mine
    lp = np.log1p(ev.population)
    has = ev.population > 0
    sim = np.where(has & has[s], -np.abs(lp - lp[s]), -2.0)
    namesake = (ev.name_code == ev.name_code[s]).astype(float)
    return np.column_stack([ra, np.log1p(cn), np.log1p(l3), np.log1p(deg), shared, band,
                            same.astype(float), aff, np.log1p(near_ties),
                            np.log1p(near_partners), lp, sim, namesake])
