"""Matching quality on real held-out partnerships, beside link-prediction baselines.

For each data set, one real partnership of each of N cities (drawn among cities with two
or more) is hidden; the rest is loaded into a fresh SQLite store as a user would load it
(pairs loader); ``partnernet.service.analyses.match`` is asked for each city's top 10,
exactly as the CLI and API ask it. Beside it, on the same training graph and the same
candidates (every city, subnational government, partner and network but the seeker and its
current partners):
Adamic-Adar, Jaccard, preferential attachment and random, each on the graph of all the
store's ties and on partnerships alone (ties in a baseline's score broken at random,
seeded). hit@10 = share of cities whose hidden partner is in the top 10; MRR = mean of
1/rank over all candidates (match: rank in its full ranking, ties at their mean rank).

Two splits per data set: ``validation`` (seed 11; the defaults in
graph/analysis/match_model.py were fitted on it with --fit) and ``test`` (seed 1, other
cities). Data sets: ``twin`` (../shared/data twin-town pairs) and ``membership`` (the same
pairs plus bench/membership_data.py's 50 organisations and about 20,000 memberships).

    python -m bench.matching_quality [--cities 300] [--data twin membership] [--fit]
"""

from __future__ import annotations

import argparse
import math
import random
import tempfile
import time
from pathlib import Path

import networkx as nx
import numpy as np
import scipy.sparse as sp

from bench.membership_data import build_memberships, twin_plan
from partnernet.graph.schema import NodeLabel, RelType
from partnernet.graph.store.sqlite import SQLiteStore
from partnernet.service import analyses, matching
from partnernet.service.cache import GraphCache

ACTORS = (NodeLabel.CITY.value, NodeLabel.SUBNATIONAL.value, NodeLabel.PARTNER.value,
          NodeLabel.NETWORK.value)


def split(rels, *, cities: int, seed: int, exclude: set[str] = frozenset()):
    """``({seeker: hidden partner}, training relationships)``: one partnership hidden for
    each of ``cities`` cities with two or more, none hidden twice."""
    partners: dict[str, set[str]] = {}
    for r in rels:
        if r.type == RelType.PARTNERS_WITH and r.start != r.end:
            partners.setdefault(r.start, set()).add(r.end)
            partners.setdefault(r.end, set()).add(r.start)
    rng = random.Random(seed)
    eligible = sorted(v for v, p in partners.items() if len(p) >= 2 and v not in exclude)
    hidden: dict[str, str] = {}
    used: set[frozenset] = set()
    for s in rng.sample(eligible, cities):
        options = sorted(t for t in partners[s] if frozenset((s, t)) not in used)
        t = rng.choice(options)
        hidden[s] = t
        used.add(frozenset((s, t)))
    training = [r for r in rels if not (r.type == RelType.PARTNERS_WITH
                                        and frozenset((r.start, r.end)) in used)]
    return hidden, training


def baselines(g: nx.MultiDiGraph, hidden: dict[str, str], *, seed: int,
              partnerships_only: bool) -> dict[str, dict[str, float]]:
    """hit@10 and MRR of the classic scores on the training graph, on match's candidates."""
    nodes = sorted(g)
    pos = {v: i for i, v in enumerate(nodes)}
    pairs = [(pos[a], pos[b]) for a, b, d in g.edges(data=True) if a != b and (
        not partnerships_only or d.get("type") == RelType.PARTNERS_WITH.value)]
    n = len(nodes)
    p = np.array(pairs, dtype=np.int64).reshape(-1, 2)
    A = sp.csr_array((np.ones(2 * len(p)), (np.r_[p[:, 0], p[:, 1]], np.r_[p[:, 1], p[:, 0]])),
                     shape=(n, n))
    A.sum_duplicates()
    A.data[:] = 1.0
    P = _partnerships(g, pos, n)
    deg = np.asarray(A.sum(axis=1)).ravel()
    actor = np.array([g.nodes[v].get("label") in ACTORS for v in nodes])
    inv_log = np.where(deg > 1, 1.0 / np.log(np.maximum(deg, 2)), 0.0)
    rng = np.random.default_rng(seed)
    out: dict[str, list[float]] = {k: [] for k in ("Adamic-Adar", "Jaccard",
                                                   "preferential attachment", "random")}
    for s_id, t_id in hidden.items():
        s, t = pos[s_id], pos[t_id]
        row = A[[s]]
        cn = (row @ A).toarray().ravel()
        scores = {"Adamic-Adar": (row.multiply(inv_log) @ A).toarray().ravel(),
                  "Jaccard": np.where(deg[s] + deg - cn > 0,
                                      cn / np.maximum(deg[s] + deg - cn, 1), 0.0),
                  "preferential attachment": deg * deg[s], "random": np.zeros(n)}
        ok = actor.copy()
        ok[s] = False
        ok[P.indices[P.indptr[s]:P.indptr[s + 1]]] = False
        noise = rng.random(n)
        for name, sc in scores.items():
            # random tie-break: lexicographic on (score, noise)
            better = (sc[ok] > sc[t]) | ((sc[ok] == sc[t]) & (noise[ok] > noise[t]))
            rank = 1 + int(better.sum())
            out[name].append(rank)
    return {k: {"hit_at_10": float(np.mean([r <= 10 for r in v])),
                "mrr": float(np.mean([1 / r for r in v]))} for k, v in out.items()}


def _partnerships(g, pos, n) -> sp.csr_array:
    e = [(pos[a], pos[b]) for a, b, d in g.edges(data=True)
         if d.get("type") == RelType.PARTNERS_WITH.value and a != b]
    p = np.array(e, dtype=np.int64).reshape(-1, 2)
    return sp.csr_array((np.ones(2 * len(p)), (np.r_[p[:, 0], p[:, 1]], np.r_[p[:, 1], p[:, 0]])),
                        shape=(n, n)).tocsr()


def evaluate(nodes, training, hidden, *, label: str, seed: int) -> list[tuple[str, dict]]:
    """Load ``training`` into a fresh store, ask match for each seeker, run baselines."""
    from partnernet.graph.analysis.matching import ranking

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        store = SQLiteStore(Path(tmp) / "train.db")
        t0 = time.perf_counter()
        store.load(nodes, training)
        t_load = time.perf_counter() - t0
        cache = GraphCache(store, ttl=0)
        first = next(iter(hidden))
        t0 = time.perf_counter()
        analyses.match(store, first, cache=cache, top=10)
        t_index = time.perf_counter() - t0
        g, index, _ = matching._match_parts(store, cache, "g77")
        hits, rr, times = [], [], []
        for s, t in hidden.items():
            t1 = time.perf_counter()
            r = analyses.match(store, s, cache=cache, top=10)
            times.append(time.perf_counter() - t1)
            top10 = [c["id"] for c in r["candidates"]]
            order = ranking(g, index, s)
            assert order[:10] == top10, "match's top 10 differs from its ranking"
            hits.append(t in top10)
            rr.append(1 / (order.index(t) + 1))
        how = index.model.how
        rows.append((f"partnernet match ({how['method']})",
                     {"hit_at_10": float(np.mean(hits)), "mrr": float(np.mean(rr))}))
        for only in (False, True):
            graph_name = "partnerships" if only else "all ties"
            for name, q in baselines(g, hidden, seed=seed, partnerships_only=only).items():
                rows.append((f"{name} ({graph_name})", q))
        store.close()
    print(f"  [{label}] load {t_load:.1f}s; match index + calibration {t_index:.1f}s; "
          f"per query median {1000 * np.median(times):.1f} ms; {how.get('reason', '')}",
          flush=True)
    return rows


def report(rows: list[tuple[str, dict]], title: str) -> dict[str, float]:
    print(f"\n{title}")
    print(f"  {'method':44s} {'hit@10':>7s} {'MRR':>7s}")
    for name, q in rows:
        print(f"  {name:44s} {q['hit_at_10']:7.3f} {q['mrr']:7.4f}")
    ours = rows[0][1]
    base = [q for name, q in rows[1:] if not name.startswith("random")]
    best = max(base, key=lambda q: q["hit_at_10"])
    best_name = next(name for name, q in rows[1:] if q is best)
    gain = ours["hit_at_10"] / best["hit_at_10"] - 1 if best["hit_at_10"] else math.inf
    print(f"  match vs best baseline ({best_name}): hit@10 {gain:+.0%}, MRR "
          f"{ours['mrr'] / best['mrr'] - 1 if best['mrr'] else math.inf:+.0%}")
    return {"gain": gain}


def fit_defaults(nodes, rels, *, cities: int) -> None:
    """Fit the default weights on the validation split (printed for match_model.py)."""
    from partnernet.graph.analysis.match_evidence import FEATURES, build_evidence, features
    from partnernet.graph.analysis.match_model import _sample, fit
    from partnernet.graph.store.base import build_networkx

    hidden, training = split(rels, cities=cities, seed=11)
    g = build_networkx(((x.id, x.label.value, x.name, x.source, x.props) for x in nodes),
                       ((r.start, r.type.value, r.end, r.key, r.props) for r in training))
    ev = build_evidence(g)
    cand = np.isin(ev.labels, ACTORS)
    rng = np.random.default_rng(11)
    samples = []
    for s, t in hidden.items():
        x = features(ev, ev.position[s])
        one = _sample(ev, ev.position[s], ev.position[t], x, ev.A, cand, rng, 3000)
        if one is not None:
            samples.append(one)
    w, _ = fit(samples, prior=np.zeros(len(FEATURES)), strength=1e-4)
    print("fitted on the validation split (seed 11):")
    print("{" + ", ".join(f'"{k}": {v:.2f}' for k, v in zip(FEATURES, w, strict=True)) + "}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cities", type=int, default=500)
    ap.add_argument("--data", nargs="+", default=["twin", "membership"],
                    choices=["twin", "membership"])
    ap.add_argument("--fit", action="store_true", help="fit the default weights and stop")
    args = ap.parse_args()
    t0 = time.perf_counter()
    plan = twin_plan()
    print(f"twin-town pairs loaded with the pairs loader: {len(plan.nodes):,} cities, "
          f"{len(plan.relationships):,} partnerships ({time.perf_counter() - t0:.1f}s)")
    cities = [x for x in plan.nodes if x.label == NodeLabel.CITY]
    for data in args.data:
        nodes, rels = list(plan.nodes), list(plan.relationships)
        if data == "membership":
            orgs, members = build_memberships(cities)
            nodes, rels = nodes + orgs, rels + members
            print(f"membership set: {len(orgs)} organisations, {len(members):,} memberships "
                  "(bench/membership_data.py)")
        if args.fit:
            fit_defaults(nodes, rels, cities=2 * args.cities)
            continue
        val_hidden, val_train = split(rels, cities=args.cities, seed=11)
        test_hidden, test_train = split(rels, cities=args.cities, seed=1,
                                        exclude=set(val_hidden))
        for name, hidden, training, seed in (("validation", val_hidden, val_train, 11),
                                             ("test", test_hidden, test_train, 1)):
            rows = evaluate(nodes, training, hidden, label=f"{data} {name}", seed=seed)
            report(rows, f"{data} data, {name} split (seed {seed}): {len(hidden)} cities, one "
                         "real partnership each hidden")


if __name__ == "__main__":
    main()
