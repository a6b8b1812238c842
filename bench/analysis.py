"""Analysis speed: the full broker table and the South-South gap analysis on generated
partnership networks, beside python-igraph computing the same measures in the same run;
then every analysis on the membership shape (about 13,000 member cities, 50 organisations,
20,000 memberships, one organisation with 12,000 members; bench/membership_data.py), each
in a fresh process, with its time and the process's peak memory.

    python -m bench.analysis [--sizes 2000 10000 50000] [--exact-limit 10000]
                             [--shape partnerships membership]

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
    ap.add_argument("--shape", nargs="+", default=["partnerships", "membership"],
                    choices=["partnerships", "membership"])
    args = ap.parse_args()
    if "partnerships" in args.shape:
        partnership_shapes(args)
    if "membership" in args.shape:
        membership_shape()


def partnership_shapes(args) -> None:
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


MEMBERSHIP_ANALYSES = [
    ("brokers (default: co-membership)", "brokers", {}),
    ("brokers, two-mode", "brokers", {"projection": "two-mode"}),
    ("brokers, all ties", "brokers", {"projection": "all"}),
    ("communities (default: co-membership)", "communities_report", {}),
    ("communities, two-mode", "communities_report", {"projection": "two-mode"}),
    ("communities, all ties", "communities_report", {"projection": "all"}),
    ("south-south (default: co-membership)", "south_south", {}),
    ("south-south, all ties", "south_south", {"projection": "all"}),
    ("match: index, then one query", "match", {}),
]


def _membership_graph():
    """The membership-only store's graph: member cities and organisations, no partnership."""
    from bench.membership_data import build_memberships, twin_plan

    plan = twin_plan()
    cities = [n for n in plan.nodes if n.label.value == "City"]
    orgs, rels = build_memberships(cities)
    members = {r.end if r.type.value == "INVOLVES" else r.start for r in rels}
    nodes = [c for c in cities if c.id in members] + orgs
    return build_networkx(((x.id, x.label.value, x.name, x.source, x.props) for x in nodes),
                          ((r.start, r.type.value, r.end, r.key, r.props) for r in rels))


def _run_one(path: str, fn: str, kwargs: dict, out) -> None:
    """In a fresh process: load the pickled graph, run one analysis, report time and
    the process's peak resident memory."""
    import pickle
    import resource

    with open(path, "rb") as f:
        g = pickle.load(f)
    store = _MemStore(g)
    t = time.perf_counter()
    if fn == "match":
        seeker = sorted(v for v, d in g.nodes(data=True) if d.get("label") == "City")[0]
        r = analyses.match(store, seeker)
        extra = r["model"]["method"]
    else:
        r = getattr(analyses, fn)(store, **kwargs)
        extra = r["projection"]["name"]
        if fn == "brokers":
            extra += f"; {r['betweenness']['description']}"
        if r.get("empty"):
            extra += f"; EMPTY: {r['empty']['why']}"
    elapsed = time.perf_counter() - t
    out.put((elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, extra))


def membership_shape() -> None:
    import multiprocessing as mp
    import pickle
    import tempfile

    from partnernet.graph.analysis.projections import affiliations

    t = time.perf_counter()
    g = _membership_graph()
    t_build = time.perf_counter() - t
    pairs = affiliations(g)
    sizes: dict[str, int] = {}
    for _, z in pairs:
        sizes[z] = sizes.get(z, 0) + 1
    members = len({m for m, _ in pairs})
    clique_pairs = sum(n * (n - 1) // 2 for n in sizes.values())
    print(f"\nmembership shape: {members:,} members, {len(sizes)} organisations, "
          f"{len(pairs):,} memberships, largest {max(sizes.values()):,} "
          f"(graph built in {t_build:.1f}s)")
    print(f"baseline, a clique per organisation (networkx bipartite projection): "
          f"{clique_pairs:,} pairs, about {clique_pairs * 190 / 1e9:.1f} GB in NetworkX "
          "(190 bytes per edge): not run")
    import igraph as ig

    nodes = list(g)
    idx = {v: i for i, v in enumerate(nodes)}
    h = ig.Graph(n=len(nodes), edges=[(idx[m], idx[z]) for m, z in pairs])
    t_ig, _ = timed(lambda: h.betweenness(directed=False))
    print(f"baseline, igraph exact betweenness of the two-mode graph (no normalisation, no "
          f"table): {t_ig:.2f}s")
    with tempfile.NamedTemporaryFile(suffix=".pickle", delete=False) as f:
        pickle.dump(g, f)
        path = f.name
    ctx = mp.get_context("spawn")
    print(f"{'analysis':40s} {'seconds':>8s} {'peak RSS':>9s}  what ran")
    for name, fn, kwargs in MEMBERSHIP_ANALYSES:
        q = ctx.Queue()
        proc = ctx.Process(target=_run_one, args=(path, fn, kwargs, q))
        proc.start()
        elapsed, rss, extra = q.get()
        proc.join()
        flag = "" if elapsed < 10 and rss < 2048 else "  OVER 10 s / 2 GB"
        print(f"{name:40s} {elapsed:7.2f}s {rss:7.0f} MB  {extra}{flag}", flush=True)
    Path(path).unlink()


if __name__ == "__main__":
    main()
