"""Export and read-back speed per format, beside NetworkX's own writers and readers.

The graph is the demo's shape at a chosen size (reference graph plus N generated cities).
For GraphML and GEXF, the baseline is what partnernet did before its own streamed reader
and writer: ``networkx.write_graphml``/``read_graphml`` (``write_gexf``/``read_gexf``) on
the same graph, timed in the same run. For every format, "plan" is
``partnernet.loaders.load.plan_files`` on the export: parsing, caps, typing and
validation of every record (the load into a store is bench/store_load.py).

    python -m bench.round_trip [--cities 10000]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import networkx as nx

from partnernet.graph.store.sqlite import SQLiteStore
from partnernet.loaders.export import export_graph
from partnernet.loaders.generate import GeneratedOptions, generate_plan
from partnernet.loaders.load import plan_files
from partnernet.loaders.reference_graph import reference_plan


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def _nx_copy(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The graph as the old exporter gave it to NetworkX: lists as JSON text."""
    import json

    h = nx.MultiDiGraph()
    for n, d in g.nodes(data=True):
        h.add_node(n, **{("node_label" if k == "label" else k):
                         (json.dumps(v) if isinstance(v, list) else v) for k, v in d.items()})
    for a, b, k, d in g.edges(keys=True, data=True):
        h.add_edge(a, b, key=k, **{("rel_type" if kk == "type" else kk):
                                   (json.dumps(v) if isinstance(v, list) else v)
                                   for kk, v in d.items()})
    return h


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cities", type=int, default=10_000)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-round-trip-"))
    ref = reference_plan()
    sample = generate_plan(GeneratedOptions(cities=args.cities, seed=42),
                           anchors=[n for n in ref.nodes if n.label == "City"])
    store = SQLiteStore(tmp / "s.db")
    store.load(ref.nodes + sample.nodes, ref.relationships + sample.relationships)
    g = store.to_networkx()
    print(f"graph: {g.number_of_nodes():,} nodes, {g.number_of_edges():,} relationships")
    print(f"{'format':10} {'export s':>9} {'MB':>7} {'plan s':>8} {'nx write s':>11} "
          f"{'nx read s':>10}")
    h = _nx_copy(g)
    for fmt in ("json", "graphml", "gexf", "gephi-csv"):
        out = tmp / ("gephi" if fmt == "gephi-csv" else f"x.{fmt}")
        t_export, files = timed(lambda fmt=fmt, out=out: export_graph(g, fmt, out))
        size = sum(f.stat().st_size for f in files) / 1e6
        t_plan, _ = timed(lambda files=files: plan_files(files))
        nx_w = nx_r = float("nan")
        if fmt in ("graphml", "gexf"):
            base = tmp / f"nx.{fmt}"
            writer = nx.write_graphml if fmt == "graphml" else nx.write_gexf
            reader = ((lambda p: nx.read_graphml(p, force_multigraph=True))
                      if fmt == "graphml" else nx.read_gexf)
            nx_w, _ = timed(lambda writer=writer, base=base: writer(h, base))
            nx_r, _ = timed(lambda reader=reader, base=base: reader(base))
        print(f"{fmt:10} {t_export:9.2f} {size:7.1f} {t_plan:8.2f} {nx_w:11.2f} {nx_r:10.2f}")
    store.close()


if __name__ == "__main__":
    main()
