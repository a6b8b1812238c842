"""Time for a 1,000- and a 5,000-node view to be drawn in headless Chromium
(precomputed layout, physics off), from navigation to vis-network's first drawing.

    python -m bench.view [--sizes 1000 5000]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    from partnernet.graph.store.base import build_networkx
    from partnernet.loaders.generate import GeneratedOptions, generate_plan
    from partnernet.loaders.reference_graph import reference_plan
    from partnernet.visualisations.views import build_view, render_view

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    args = ap.parse_args()
    opts = Options()
    opts.binary_location = "/usr/bin/chromium"
    for a in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
              "--window-size=1400,900"):
        opts.add_argument(a)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
    ref = reference_plan()
    print(f"{'nodes':>6} {'ties':>6} {'build s':>8} {'html MB':>8} {'drawn s':>8}")
    try:
        for n in args.sizes:
            plan = generate_plan(GeneratedOptions(cities=n, seed=2),
                                 anchors=[x for x in ref.nodes if x.label == "City"])
            g = build_networkx(((x.id, x.label.value, x.name, x.source, x.props)
                                for x in ref.nodes + plan.nodes),
                               ((r.start, r.type.value, r.end, r.key, r.props)
                                for r in ref.relationships + plan.relationships))
            t = time.perf_counter()
            view = build_view(g, include_partners=False)
            html, _ = render_view(view)
            build = time.perf_counter() - t
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / "v.html"
                path.write_text(html, encoding="utf-8")
                t = time.perf_counter()
                driver.get(path.as_uri())
                while not driver.execute_script("return window.pnReady === true"):
                    time.sleep(0.02)
                drawn = time.perf_counter() - t
            print(f"{view.meta['nodes']:>6} {view.meta['edges']:>6} {build:>8.2f} "
                  f"{len(html) / 1e6:>8.2f} {drawn:>8.2f}", flush=True)
    finally:
        driver.quit()


if __name__ == "__main__":
    main()
