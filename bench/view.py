"""Exported views: build time (Python) and first drawing in headless Chromium for the whole
network of 1,000, 20,000 and 100,000 generated cities, or of a file you load (e.g. the
twin-town pairs), beside the baseline in the same run: every node of the partnership graph
in vis-network at once (what views did before: layout precomputed, physics off), up to
--baseline-max nodes.

    python -m bench.view [--sizes 1000 20000 100000] [--store sqlite:///twin.db]

Figures on a shared 2-core machine are indicative: re-run on a quiet machine.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from bench.explorer import _baseline, _browser, _store, _until


def _measure(d, store, label: str, tmp: Path, baseline_max: int) -> None:
    from partnernet.visualisations.views import build_view, render_view

    t = time.perf_counter()
    g = store.to_networkx()
    read = time.perf_counter() - t
    t = time.perf_counter()
    view = build_view(g)
    html, _ = render_view(view)
    build = time.perf_counter() - t
    path = tmp / "v.html"
    path.write_text(html, encoding="utf-8")
    t = time.perf_counter()
    d.get(path.as_uri())
    _until(d, "window.pnReady === true || window.pnMapReady === true")
    drawn = time.perf_counter() - t
    shown = view.meta.get("map_cities") or view.meta["nodes"]
    bn, bd = "-", "-"
    actors = sum(1 for _, x in g.nodes(data=True) if x.get("label") in ("City", "Partner"))
    if actors <= baseline_max:
        n, _, secs = _baseline(d, store, tmp)
        bn, bd = f"{n:,}", f"{secs:.2f}"
    print(f"{label} | {read:.1f} | {build:.2f} | {len(html) / 1e6:.1f} | {drawn:.2f} | "
          f"{shown:,} | {bn} | {bd}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="*", default=[1000, 20000, 100000])
    ap.add_argument("--store", help="measure this store's whole network instead")
    ap.add_argument("--baseline-max", type=int, default=20000)
    args = ap.parse_args()
    d = _browser()
    print("store | read s | view built s | HTML MB | first drawn s | drawn | baseline nodes | "
          "baseline drawn s", flush=True)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            if args.store:
                from partnernet.graph.store import open_store

                store = open_store(args.store)
                _measure(d, store, args.store, Path(tmp), args.baseline_max)
                store.close()
                return
            for n in args.sizes:
                store = _store(Path(tmp) / f"v{n}.db", n)
                _measure(d, store, f"{n:,} generated cities", Path(tmp), args.baseline_max)
                store.close()
    finally:
        d.quit()


if __name__ == "__main__":
    main()
