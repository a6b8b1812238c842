"""Betweenness estimates against exact on real data: the twin-town file's partnership graph.

    python -m bench.betweenness_accuracy [--csv PATH] [--epsilons 0.005 0.002 0.001]
                                         [--seeds 0 1 2] [--pivots 512 2048]

(default --csv: ../shared/data/sister-cities/twin_cities_wikipedia.csv)

Loads the file into a temporary SQLite store as ``partnernet load --unknown-countries warn``
does (the file has two country typos), projects the
partnership graph (cities and partners, isolates left out, as ``analyse brokers``), then
times in the same run: exact betweenness by igraph's Brandes on the whole graph (the
baseline), exact betweenness as partnernet computes it (pendant trees by formula, Brandes
on the 2-core, one thread and two; the kernel compiled before timing), KADABRA at each
epsilon (the guarantee: every normalised score within epsilon with 95% confidence) and
uniform pivots (Brandes-Pich, no guarantee), and counts how many of the exact top 50 and
top 10 each finds, how many of its top 25 the guarantee certifies, and the largest error.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import networkx as nx
import numpy as np

from partnernet.graph.analysis.betweenness import betweenness
from partnernet.graph.analysis.kernel import betweenness_sum, to_igraph
from partnernet.graph.analysis.pendant_brandes import exact_sums, reduce_pendant_trees
from partnernet.graph.analysis.projections import annotate, partnership_graph
from partnernet.graph.store.sqlite import SQLiteStore
from partnernet.loaders.load import load_files

ROOT = Path(__file__).resolve().parents[1]
CSV = ROOT.parent / "shared" / "data" / "sister-cities" / "twin_cities_wikipedia.csv"


def top(scores: dict, m: int) -> list:
    return sorted(scores, key=lambda v: (-scores[v], str(v)))[:m]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--csv", type=Path, default=CSV)
    ap.add_argument("--epsilons", type=float, nargs="+", default=[0.005, 0.002, 0.001, 0.0005])
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    ap.add_argument("--pivots", type=int, nargs="+", default=[512, 2048])
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = SQLiteStore(Path(tmp) / "twins.db")
        t = time.perf_counter()
        load_files(store, [args.csv], unknown_countries="warn")  # "Island", "Japa": typos
        g = store.to_networkx()
        store.close()
    print(f"loaded {args.csv.name} in {time.perf_counter() - t:.1f} s")
    annotate(g)
    p = partnership_graph(g, include_partners=True)
    p.remove_nodes_from([v for v in list(p) if p.degree(v) == 0])
    kern = to_igraph(p)
    print(f"partnership graph: {p.number_of_nodes():,} nodes, {p.number_of_edges():,} ties")
    n = p.number_of_nodes()
    scale = 2.0 / ((n - 1) * (n - 2))
    t = time.perf_counter()
    ex = np.asarray(betweenness_sum(kern.graph)) * scale
    t_exact = time.perf_counter() - t
    exact = dict(zip(kern.nodes, ex.tolist(), strict=True))
    e50, e10 = set(top(exact, 50)), top(exact, 10)
    t = time.perf_counter()
    exact_sums(to_igraph(nx.path_graph(3)).graph)  # compile (or load Numba's cache)
    print(f"kernel compiled or loaded in {time.perf_counter() - t:.2f} s")
    red = reduce_pendant_trees(kern.graph)
    print(f"2-core: {len(red.core):,} vertices, {len(red.indices) // 2:,} edges, "
          f"work {red.work:.3g}")
    print("\n| method | seed | time s | top 50 found | top 10 found | top 10 in order "
          "| certified of top 25 | largest error |")
    print("|---|---|---|---|---|---|---|---|")
    print(f"| exact, igraph's Brandes on the whole graph (baseline) | - | {t_exact:.2f} | 50 | "
          "10 | yes | 25 | 0 |")
    for threads in (1, 2):
        t = time.perf_counter()
        mine = exact_sums(kern.graph, reduction=reduce_pendant_trees(kern.graph),
                          threads=threads) * scale
        el = time.perf_counter() - t
        s = dict(zip(kern.nodes, mine.tolist(), strict=True))
        print(f"| exact, 2-core Brandes + pendant trees, {threads} thread(s) | - | {el:.2f} | "
              f"{len(set(top(s, 50)) & e50)} | {len(set(top(s, 10)) & set(e10))} | "
              f"{'yes' if top(s, 10) == e10 else 'no'} | 25 | "
              f"{float(np.max(np.abs(mine - ex))):.1e} |", flush=True)
    for eps in args.epsilons:
        for seed in args.seeds:
            t = time.perf_counter()
            r = betweenness(p, kernel=kern, epsilon=eps, seed=seed)
            el = time.perf_counter() - t
            s = r["scores"]
            err = float(np.max(np.abs(np.array([s[v] for v in kern.nodes]) - ex)))
            print(f"| KADABRA epsilon {eps:g}, 95% | {seed} | {el:.2f} | "
                  f"{len(set(top(s, 50)) & e50)} | {len(set(top(s, 10)) & set(e10))} | "
                  f"{'yes' if top(s, 10) == e10 else 'no'} | {r['certain']['count']} | "
                  f"{err:.5f} |", flush=True)
    for k in args.pivots:
        for seed in args.seeds[:1]:
            t = time.perf_counter()
            r = betweenness(p, kernel=kern, k=k, seed=seed)
            el = time.perf_counter() - t
            s = r["scores"]
            err = float(np.max(np.abs(np.array([s[v] for v in kern.nodes]) - ex)))
            print(f"| {k} uniform pivots | {seed} | {el:.2f} | "
                  f"{len(set(top(s, 50)) & e50)} | {len(set(top(s, 10)) & set(e10))} | "
                  f"{'yes' if top(s, 10) == e10 else 'no'} | - | {err:.5f} |", flush=True)


if __name__ == "__main__":
    main()
