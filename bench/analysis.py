"""Analysis speed: the full broker table and the South-South gap analysis on generated
partnership networks, beside python-igraph computing the same measures in the same run.

    python -m bench.analysis [--sizes 2000 10000 50000] [--exact-limit 10000]

Betweenness is exact up to --exact-limit cities and sampled with 512 pivots above
(both sides use the same pivots). Gould-Fernandez roles are timed on their own.

"convert" is the NetworkX-to-igraph conversion, done once per graph and shared by the
measures (``kernel=``); the measure columns start from converted graphs on both sides.
"holes all" is constraint, effective size and efficiency from the NetworkX graph,
conversion included. Sub-second timings are the best of 5 runs, on both sides.
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

import igraph as ig

from partnernet.graph.analysis.betweenness import betweenness
from partnernet.graph.analysis.brokerage import brokerage
from partnernet.graph.analysis.brokers import broker_table
from partnernet.graph.analysis.kernel import to_igraph
from partnernet.graph.analysis.projections import annotate, partnership_graph
from partnernet.graph.analysis.structural_holes import structural_holes
from partnernet.graph.store.base import build_networkx
from partnernet.loaders.generate import GeneratedOptions, generate_plan
from partnernet.loaders.reference_graph import reference_plan
from partnernet.service import analyses

ROOT = Path(__file__).resolve().parents[1]


def timed(fn, repeat: int = 1):
    """Best of ``repeat`` runs (use several for the sub-second measures, on both sides)."""
    best, out = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


class _MemStore:
    """Just enough of a store for partnernet.service.analyses (no I/O in the timings)."""

    kind = "memory"

    def __init__(self, g):
        self.g = g

    def to_networkx(self):
        return self.g

    def counts(self):
        from partnernet.graph.store.base import Counts
        return Counts({"all": self.g.number_of_nodes()}, {"all": self.g.number_of_edges()})

    def info(self):
        return {"kind": "memory", "version": "-", "location": "-"}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[2000, 10000, 50000])
    ap.add_argument("--exact-limit", type=int, default=10000)
    args = ap.parse_args()
    ref = reference_plan()
    anchors = [n for n in ref.nodes if n.label == "City"]
    print(f"{'cities':>7} {'ties':>7} {'mode':>9} | {'convert':>8} | {'bet ours':>9} "
          f"{'bet igraph':>10} {'ratio':>6} | {'constr ours':>11} {'constr igraph':>13} "
          f"{'ratio':>6} | {'holes all':>9} | {'GF roles':>8} | {'broker table':>12} "
          f"{'south-south':>11}")
    for n in args.sizes:
        plan = generate_plan(GeneratedOptions(cities=n, seed=1), anchors=anchors)
        g = build_networkx(((x.id, x.label.value, x.name, x.source, x.props)
                            for x in ref.nodes + plan.nodes),
                           ((r.start, r.type.value, r.end, r.key, r.props)
                            for r in ref.relationships + plan.relationships))
        annotate(g)
        p = partnership_graph(g)
        p.remove_nodes_from([v for v in list(p) if p.degree(v) == 0])
        exact = n <= args.exact_limit
        k = None if exact else 512
        nodes = list(p)
        idx = {v: i for i, v in enumerate(nodes)}
        h = ig.Graph(n=len(nodes), edges=[(idx[a], idx[b]) for a, b in p.edges()])
        # NetworkX -> igraph, once per graph (broker_table shares it between measures);
        # the igraph columns start from an igraph graph built before timing
        t_conv, kern = timed(lambda: to_igraph(p), 5)
        t_bet, bet = timed(lambda: betweenness(p, k=k, seed=0, kernel=kern))
        if exact:
            t_ig_bet, _ = timed(lambda: h.betweenness(directed=False))
        else:
            src = [idx[v] for v in random.Random(0).sample(nodes, k)]
            t_ig_bet, _ = timed(lambda: h.betweenness(sources=src, directed=False))
        t_con, _ = timed(lambda: structural_holes(p, measures=["constraint"], kernel=kern), 5)
        t_ig_con, _ = timed(lambda: h.constraint(), 5)
        t_holes, _ = timed(lambda: structural_holes(p), 5)  # all three, from NetworkX
        groups = {v: d.get("region") for v, d in p.nodes(data=True)}
        t_gf, _ = timed(lambda: brokerage(p, groups))
        t_table, _ = timed(lambda: broker_table(p, k=k, top=25))
        store = _MemStore(g)
        t_ss, _ = timed(lambda: analyses.south_south(store, permutations=200))
        print(f"{n:>7} {p.number_of_edges():>7} {'exact' if exact else 'k=512':>9} | "
              f"{t_conv:>7.3f}s | {t_bet:>8.2f}s {t_ig_bet:>9.2f}s {t_bet / t_ig_bet:>6.2f} | "
              f"{t_con:>10.4f}s {t_ig_con:>12.4f}s {t_con / t_ig_con:>6.2f} | "
              f"{t_holes:>8.3f}s | {t_gf:>7.2f}s | {t_table:>11.2f}s {t_ss:>10.2f}s", flush=True)
        if exact and n >= 10_000:  # how good is the sample the API uses above 5,000 nodes?
            def top(scores: dict, m: int = 50) -> set:
                return set(sorted(scores, key=lambda v: (-scores[v], str(v)))[:m])
            for pivots in (512, 1024):
                t_s, est = timed(lambda: betweenness(p, k=pivots, seed=0, kernel=kern))
                found = len(top(est["scores"]) & top(bet["scores"]))
                print(f"{'':>7} sampled with {pivots} pivots ({t_s:.2f}s): {found}/50 of the "
                      "exact top 50 brokers", flush=True)


if __name__ == "__main__":
    main()
