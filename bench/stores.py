"""Every analysis on SQLite and on Neo4j, side by side, on the same generated sample; and
repeated questions through the CLI on both.

    python -m bench.stores [--sizes 10000 50000] [--repeat 3] [--skip-cli] [--heap 3g]
                           [--analyses read focal-units ...]

Each size: a fresh SQLite file and a wiped Neo4j (started by tools.neo4j_local unless
NEO4J_URI is set) get the reference graph and ``generate --cities N --seed 1`` the way the
CLI does it (anchors read from the store); the two graphs are checked to be identical.
Then each analysis is timed cold, as a new process would run it without kept results: a
fresh graph cache, so the time includes reading the graph from the store. The stores take
turns within each repetition (the same machine noise for both) and the best of
``--repeat`` is printed, after one untimed read of each store (a server that has answered
a read before, as a running one has: the first reads after Neo4j's start warm its JIT up,
and their time is printed apart). "read" is the bare ``to_networkx``. Neo4j is timed twice: reading
the graph from the server (the first process after a change), and with the graph an
earlier process kept in the results file for this snapshot (every later process).

The CLI part runs ``partnernet analyse brokers`` and ``partnernet match --for Maringá``
twice on each store as subprocesses: the first computes and keeps the answer, the second
reads it from the results file (wall time of the whole command, Python's start included).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from partnernet.graph.store.neo4j import Neo4jStore
from partnernet.graph.store.sqlite import SQLiteStore
from partnernet.loaders.generate import GeneratedOptions, generate_plan
from partnernet.loaders.reference_graph import reference_plan
from partnernet.service import analyses
from partnernet.service.cache import GraphCache
from partnernet.service.graph_reads import _GRAPH
from partnernet.service.results import MISSING, ResultStore

TODAY = dt.date(2026, 6, 1)
ANALYSES = {
    "read": lambda s, c: s.to_networkx(),
    "brokers": lambda s, c: analyses.brokers(s, cache=c),
    "south-south": lambda s, c: analyses.south_south(s, cache=c),
    "focal-units": lambda s, c: analyses.focal_unit_report(s, cache=c, today=TODAY),
    "deliverables": lambda s, c: analyses.deliverables(s, cache=c),
    "recognitions": lambda s, c: analyses.recognitions_report(s, cache=c, today=TODAY),
    "communities": lambda s, c: analyses.communities_report(s, cache=c),
    "match": lambda s, c: analyses.match(s, "Maringá", cache=c, sdgs=[11]),
}


def fill(store, cities: int) -> tuple[float, str]:
    """Reference graph, then the generated sample with anchors read from the store (as
    ``partnernet generate`` does); seconds and the sample's summary."""
    t = time.perf_counter()
    ref = reference_plan()
    store.load(ref.nodes, ref.relationships)
    wanted = [n.id for n in ref.nodes if n.label == "City"]
    plan = generate_plan(GeneratedOptions(cities=cities, seed=1),
                         anchors=list(store.get_nodes(wanted).values()))
    store.load(plan.nodes, plan.relationships)
    return time.perf_counter() - t, json.dumps(plan.stats)


class GraphOnly(ResultStore):
    """A results file that keeps and gives back only the graph of a server's snapshot
    (never an answer): what a process finds after another one read the same snapshot."""

    def get(self, snapshot, key, *, raw=False):
        return super().get(snapshot, key, raw=raw) if key == _GRAPH else MISSING

    def put(self, snapshot, key, value, *, raw=False):
        return super().put(snapshot, key, value, raw=raw) if key == _GRAPH else False


def cold(store, name: str, results=None) -> float:
    cache = GraphCache(store, ttl=0, results=results)  # no answer kept: computed
    t = time.perf_counter()
    ANALYSES[name](store, cache)
    elapsed = time.perf_counter() - t
    cache.close()
    return elapsed


def cli_twice(uri: str, args: list[str], env: dict) -> tuple[float, float]:
    times = []
    for _ in range(2):
        t = time.perf_counter()
        subprocess.run([str(Path(sys.executable).parent / "partnernet"), "--store", uri, *args],
                       check=True, capture_output=True, env=env, timeout=3600)
        times.append(time.perf_counter() - t)
    return times[0], times[1]


@contextlib.contextmanager
def neo4j_server(heap: str):
    from tools.neo4j_local import local_launcher, provide

    if os.environ.get("NEO4J_URI"):
        with provide() as server:
            yield server
    else:  # a 50,000-city load is one transaction: more than a 1 GB heap allows
        with local_launcher(heap=heap) as server:
            yield server


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10000, 50000])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--skip-cli", action="store_true")
    ap.add_argument("--heap", default="3g", help="heap of the local Neo4j (without NEO4J_URI)")
    ap.add_argument("--analyses", nargs="+", choices=list(ANALYSES), default=list(ANALYSES),
                    help="only these rows (e.g. the ones the read dominates, repeated more)")
    args = ap.parse_args()
    import neo4j

    with neo4j_server(args.heap) as server, tempfile.TemporaryDirectory() as tmp:
        driver = neo4j.GraphDatabase.driver(server.uri, auth=(server.user, server.password))
        print(f"Neo4j: {server.how}; results files under {tmp}", flush=True)
        env = {**os.environ, "XDG_CACHE_HOME": str(Path(tmp) / "xdg"),
               "PARTNERNET_NEO4J_USER": server.user,
               "PARTNERNET_NEO4J_PASSWORD": server.password}
        for n in args.sizes:
            with driver.session() as session:
                session.run("MATCH (n) CALL (n) { DETACH DELETE n } "
                            "IN TRANSACTIONS OF 10000 ROWS").consume()
            path = Path(tmp) / f"bench-{n}.db"
            stores = {"sqlite": SQLiteStore(path), "neo4j": Neo4jStore(driver)}
            stores["neo4j"].init()
            for name, store in stores.items():
                seconds, stats = fill(store, n)
                print(f"{n} cities: {name} filled in {seconds:.0f} s: {stats}", flush=True)
            # the first reads after the server's start are its JIT's warm-up, not what a
            # running server costs (at 50,000 cities the first took 15-17 s, later ones
            # 4-6 s): one untimed read of each store first, its time printed
            for name, store in stores.items():
                t = time.perf_counter()
                store.to_networkx()
                print(f"{n} cities: first read from {name} (warm-up, not in the table) "
                      f"{time.perf_counter() - t:.2f} s", flush=True)
            a, b = (s.to_networkx() for s in stores.values())
            same = (list(a.nodes(data=True)) == list(b.nodes(data=True))
                    and list(a.edges(keys=True, data=True)) == list(b.edges(keys=True,
                                                                            data=True)))
            print(f"{n} cities: {a.number_of_nodes():,} nodes, {a.number_of_edges():,} "
                  f"relationships; identical graphs on both stores: {same}", flush=True)
            del a, b
            kept = GraphOnly(Path(tmp) / f"graph-{n}.results")
            earlier = GraphCache(stores["neo4j"], ttl=0, results=kept)
            earlier.graph()  # an earlier process read this snapshot from the server
            earlier.close()  # (and kept its graph, in the background: waited for here)
            print(f"\n| {n:,} cities | SQLite s | Neo4j s, read from the server | ratio | "
                  "Neo4j s, graph kept by an earlier process | ratio |")
            print("|---|---|---|---|---|---|")
            for name in args.analyses:
                best = {k: float("inf") for k in ("sqlite", "neo4j", "kept")}
                for _ in range(args.repeat):
                    best["sqlite"] = min(best["sqlite"], cold(stores["sqlite"], name))
                    best["neo4j"] = min(best["neo4j"], cold(stores["neo4j"], name))
                    best["kept"] = min(best["kept"], cold(stores["neo4j"], name, kept)
                                       if name != "read" else float("nan"))
                if name == "read":  # the kept graph, read as a cache reads it
                    for _ in range(args.repeat):
                        cache = GraphCache(stores["neo4j"], ttl=0, results=kept)
                        t = time.perf_counter()
                        cache.graph()
                        best["kept"] = min(best["kept"], time.perf_counter() - t)
                print(f"| {name} | {best['sqlite']:.2f} | {best['neo4j']:.2f} | "
                      f"{best['neo4j'] / best['sqlite']:.2f} | {best['kept']:.2f} | "
                      f"{best['kept'] / best['sqlite']:.2f} |", flush=True)
            if not args.skip_cli:
                print(f"\n| {n:,} cities, CLI | SQLite first s | SQLite again s | "
                      "Neo4j first s | Neo4j again s |")
                print("|---|---|---|---|---|")
                for label, cmd in (("analyse brokers", ["analyse", "brokers"]),
                                   ("match --for Maringá", ["match", "--for", "Maringá"])):
                    s1, s2 = cli_twice(f"sqlite:///{path}", cmd, env)
                    n1, n2 = cli_twice(server.uri, cmd, env)
                    print(f"| {label} | {s1:.2f} | {s2:.2f} | {n1:.2f} | {n2:.2f} |",
                          flush=True)
            stores["sqlite"].close()
        driver.close()


if __name__ == "__main__":
    main()
