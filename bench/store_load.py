"""Store load speed: batched atomic loads vs a naive one-row-per-transaction baseline.

Prints nodes/s and relationships/s for loading N nodes and M relationships into
the SQLite store and into a real Neo4j (started by tools.neo4j_local unless
NEO4J_URI is set), beside the naive baseline measured in the same run on a
sample (one transaction per row is too slow to run at full size; its rate is
per item, so the comparison is rate against rate).

    python -m bench.store_load [--nodes 100000] [--rels 500000] [--naive 2000]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from partnernet.graph.schema import Node, NodeLabel, Relationship, RelType
from partnernet.graph.store.neo4j import Neo4jStore
from partnernet.graph.store.sqlite import SQLiteStore

ROOT = Path(__file__).resolve().parents[1]


def make(n_nodes: int, n_rels: int, seed: int = 1):
    rng = random.Random(seed)
    nodes = [Node(id=f"city:bench:{i}", label=NodeLabel.CITY, name=f"Bench city {i}",
                  source="bench", props={"population": rng.randrange(10_000, 5_000_000)})
             for i in range(n_nodes)]
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < n_rels:
        a, b = rng.randrange(n_nodes), rng.randrange(n_nodes)
        if a != b:
            pairs.add((a, b))
    rels = [Relationship(start=f"city:bench:{a}", type=RelType.PARTNERS_WITH,
                         end=f"city:bench:{b}", props={"kind": "twinning", "since": "2001"})
            for a, b in pairs]
    return nodes, rels


def timed(fn):
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def naive(store, nodes, rels) -> tuple[float, float]:
    tn = timed(lambda: [store.load([n]) for n in nodes])
    tr = timed(lambda: [store.load([], [r]) for r in rels])
    return len(nodes) / tn, len(rels) / tr


def batched(store, nodes, rels) -> tuple[float, float, float]:
    tn = timed(lambda: store.load(nodes))
    tr = timed(lambda: store.load([], rels))
    tagain = timed(lambda: store.load(nodes, rels))
    return len(nodes) / tn, len(rels) / tr, tagain


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nodes", type=int, default=100_000)
    ap.add_argument("--rels", type=int, default=500_000)
    ap.add_argument("--naive", type=int, default=2_000, help="rows for the naive baseline")
    ap.add_argument("--heap", default="2g", help="heap of the local Neo4j")
    args = ap.parse_args()
    nodes, rels = make(args.nodes, args.rels)
    s_nodes, s_rels = make(args.naive, args.naive * 5, seed=2)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        st = SQLiteStore(Path(tmp) / "bench.db")
        n_rate, r_rate, again = batched(st, nodes, rels)
        st2 = SQLiteStore(Path(tmp) / "naive.db")
        nn, nr = naive(st2, s_nodes, s_rels)
        rows.append(("sqlite", n_rate, r_rate, again, nn, nr))
        st.close()
        st2.close()

    import neo4j

    from tools.neo4j_local import local_launcher, provide

    ctx = provide() if "NEO4J_URI" in __import__("os").environ else local_launcher(
        heap=args.heap)
    with ctx as server:
        driver = neo4j.GraphDatabase.driver(server.uri, auth=(server.user, server.password))
        store = Neo4jStore(driver)
        store.init()
        n_rate, r_rate, again = batched(store, nodes, rels)
        with driver.session() as s:
            s.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
                  ).consume()
        nn, nr = naive(store, s_nodes, s_rels)
        version = store.info()["version"]
        driver.close()
        rows.append((f"neo4j ({version})", n_rate, r_rate, again, nn, nr))

    print(f"load of {args.nodes:,} nodes and {args.rels:,} relationships; naive baseline on "
          f"{args.naive:,} nodes and {args.naive * 5:,} relationships (one transaction per row)")
    print(f"{'store':<32} {'nodes/s':>10} {'rels/s':>10} {'reload s':>9} "
          f"{'naive nodes/s':>14} {'naive rels/s':>13} {'speed-up':>9}")
    for name, n_rate, r_rate, again, nn, nr in rows:
        print(f"{name:<32} {n_rate:>10,.0f} {r_rate:>10,.0f} {again:>9.1f} {nn:>14,.0f} "
              f"{nr:>13,.0f} {r_rate / nr:>8.0f}x")


if __name__ == "__main__":
    main()
