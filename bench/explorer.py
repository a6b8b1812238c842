"""The explorer in headless Chromium on stores of 1,000, 20,000 and 100,000 generated cities
(embedded store, reference graph included): server-side build of each answer, first
drawing of the aggregated whole network and of the map, and a search + expand, from
navigation or click to the picture. Beside it, in the same run, the baseline: every node
of the partnership graph handed to vis-network at once (what views did before, layout
precomputed, physics off), up to --baseline-max nodes.

    python -m bench.explorer [--sizes 1000 20000 100000] [--baseline-max 20000]

Figures on a shared 2-core machine are indicative: re-run on a quiet machine.
"""

from __future__ import annotations

import argparse
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path


def _store(path: Path, cities: int):
    from partnernet.graph.store.sqlite import SQLiteStore
    from partnernet.loaders.generate import GeneratedOptions, generate_plan
    from partnernet.loaders.reference_graph import reference_plan

    store = SQLiteStore(path)
    ref = reference_plan()
    plan = generate_plan(GeneratedOptions(cities=cities, seed=2),
                         anchors=[x for x in ref.nodes if x.label == "City"])
    store.load(ref.nodes + plan.nodes, ref.relationships + plan.relationships)
    return store


def _serve(store):
    import uvicorn

    from partnernet.api.main import create_app
    from partnernet.settings import Settings

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = create_app(settings=Settings(store="sqlite:///unused.db"), store=store, cache_ttl=0)
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    threading.Thread(target=srv.run, daemon=True).start()
    while not srv.started:
        time.sleep(0.05)
    return srv, f"http://127.0.0.1:{port}"


def _browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    opts = Options()
    opts.binary_location = "/usr/bin/chromium"
    for a in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
              "--window-size=1400,900", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"):
        opts.add_argument(a)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)


def _until(d, js: str, limit: float = 120) -> float:
    t = time.perf_counter()
    while not d.execute_script("return " + js):
        if time.perf_counter() - t > limit:
            state = d.execute_script("var s = document.getElementById('pn-status');"
                                     "return s ? s.textContent : document.title")
            print(f"  (gave up after {limit} s waiting for {js}; page says: {state})",
                  file=sys.stderr, flush=True)
            return float("nan")
        time.sleep(0.02)
    return time.perf_counter() - t


def _step(text: str) -> None:
    print(f"  {time.strftime('%H:%M:%S')} {text}", file=sys.stderr, flush=True)


def _baseline(d, store, tmp: Path) -> tuple[int, float, float]:
    """Every partnership node in vis-network at once (positions precomputed)."""
    import json
    import random

    from partnernet.graph.analysis.projections import partnership_graph
    from partnernet.visualisations.explorer import asset_path

    t = time.perf_counter()
    p = partnership_graph(store.to_networkx(), include_partners=True)
    rnd = random.Random(0)
    side = 40 * p.number_of_nodes() ** 0.5
    nodes = [{"id": v, "label": str(x.get("name", v)), "x": rnd.random() * side,
              "y": rnd.random() * side} for v, x in p.nodes(data=True)]
    edges = [{"from": a, "to": b} for a, b in p.edges()]
    vis = asset_path("vis-network.min.js").read_text("utf-8")
    page = tmp / "baseline.html"
    page.write_text("<!DOCTYPE html><html><body><div id=n style='width:1300px;height:800px'>"
                    f"</div><script>{vis}</script><script>"
                    f"var d={json.dumps({'n': nodes, 'e': edges})};"
                    "var net=new vis.Network(document.getElementById('n'),{nodes:new "
                    "vis.DataSet(d.n),edges:new vis.DataSet(d.e)},{physics:false,layout:"
                    "{improvedLayout:false}});net.once('afterDrawing',function(){window.done="
                    "true;});</script></body></html>", encoding="utf-8")
    build = time.perf_counter() - t
    t = time.perf_counter()
    d.get(page.as_uri())
    _until(d, "window.done === true")
    return len(nodes), build, time.perf_counter() - t


def main() -> None:
    import httpx

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 20000, 100000])
    ap.add_argument("--baseline-max", type=int, default=20000)
    args = ap.parse_args()
    d = _browser()
    cols = ("cities", "load s", "graph s", "aggregate drawn s", "map built s", "map drawn s",
            "map cities", "expand s", "baseline nodes", "baseline drawn s")
    print(" | ".join(cols), flush=True)
    try:
        for n in args.sizes:
            with tempfile.TemporaryDirectory() as tmp:
                _step(f"generating and loading {n:,} cities")
                t = time.perf_counter()
                store = _store(Path(tmp) / "b.db", n)
                load = time.perf_counter() - t
                srv, base = _serve(store)
                try:
                    _step("graph and explorer index")
                    t = time.perf_counter()
                    httpx.get(base + "/explore/facets", timeout=600)  # graph + index, once
                    graph = time.perf_counter() - t
                    t = time.perf_counter()
                    d.get(base + "/explore")
                    _until(d, "window.pnReady === true && window.pnApp.nodeCount() > 0")
                    agg = time.perf_counter() - t  # from navigation to the drawn aggregate
                    t = time.perf_counter()
                    m = httpx.get(base + "/explore/map", timeout=600).json()
                    map_built = time.perf_counter() - t
                    d.get("about:blank")
                    t = time.perf_counter()
                    d.get(base + "/explore#v=map")
                    _until(d, "window.pnMapReady === true")
                    map_drawn = time.perf_counter() - t
                    _step("search and expand")
                    d.execute_script("window.pnApp.switchView('graph');"
                                     "window.pnApp.focus('city:br:maringa')")
                    _until(d, "window.pnApp.state.f === 'city:br:maringa' && "
                              "window.pnApp.nodeCount() > 1")
                    t = time.perf_counter()
                    d.execute_script("window.pnApp.expand('network:ungc-cities-programme')")
                    expand = _until(d, "window.pnApp.state.x.length === 1")
                    bnodes, bdrawn = "-", "-"
                    pg_nodes = m["total_cities"] + m["unplaced"]
                    if pg_nodes <= args.baseline_max:
                        bn, _, bd = _baseline(d, store, Path(tmp))
                        bnodes, bdrawn = f"{bn:,}", f"{bd:.2f}"
                    print(f"{n:,} | {load:.1f} | {graph:.1f} | {agg:.2f} | {map_built:.2f} | "
                          f"{map_drawn:.2f} | {m['shown']:,} | {expand:.2f} | {bnodes} | "
                          f"{bdrawn}", flush=True)
                finally:
                    d.get("about:blank")  # no request may reach a store being closed
                    srv.should_exit = True
                    store.close()
    finally:
        d.quit()


if __name__ == "__main__":
    main()
