"""Soak: the API on a generated 10,000-city graph with 64 concurrent clients for 60 s on
loopback (bounded: stops by itself), mixed read routes; optionally with a writer posting
relationships at the same time, whose writes are counted afterwards.

    python -m bench.soak [--clients 64] [--seconds 60] [--writer] [--tool httpx|wrk]

With ``--tool wrk`` the readers are wrk connections (C) cycling through the same routes:
one latency distribution for all routes together, without Python clients taking the
server's CPU; the writer is still a Python thread.
"""

from __future__ import annotations

import argparse
import itertools
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from bench.api import prepare, start_server

ROOT = Path(__file__).resolve().parents[1]

ROUTES = [("GET", "/nodes?q=sao&limit=10", None), ("GET", "/nodes/city:br:maringa", None),
          ("GET", "/analyses/brokers?top=10", None),
          ("POST", "/match", {"seeker": "Maringá", "sdgs": [11], "top": 10}),
          ("GET", "/relationships?node=city:br:maringa", None), ("GET", "/stats", None)]
TOKEN = "soak-token-0123456789"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cities", type=int, default=10_000)
    ap.add_argument("--clients", type=int, default=64)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--writer", action="store_true")
    ap.add_argument("--tool", choices=["httpx", "wrk"], default="httpx")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "soak.db"
        prepare(db, args.cities)
        server, base = start_server(db, 2, PARTNERNET_API_TOKEN=TOKEN)
        try:
            for method, path, body in ROUTES * 4:  # warm-up
                httpx.request(method, base + path, json=body, timeout=300)
            before = httpx.get(f"{base}/relationships?type=PARTNERS_WITH&limit=1").json()["count"]
            cities = [n["id"] for n in httpx.get(f"{base}/nodes?label=City&limit=1000",
                                                 timeout=60).json()["data"]]
            deadline = time.monotonic() + args.seconds
            lat: dict[str, list[float]] = {p: [] for _, p, _ in ROUTES}
            status5 = {p: 0 for _, p, _ in ROUTES}
            writes = {"ok": 0, "failed": 0}
            write_lat: list[float] = []
            lock = threading.Lock()

            def client(k: int) -> None:
                with httpx.Client(base_url=base, timeout=60) as c:
                    for n, (method, path, body) in enumerate(itertools.cycle(ROUTES[k % 6:]
                                                                             + ROUTES[:k % 6])):
                        if time.monotonic() > deadline or n > 100_000:
                            return
                        t = time.perf_counter()
                        r = c.request(method, path, json=body)
                        with lock:
                            lat[path].append(time.perf_counter() - t)
                            status5[path] += r.status_code >= 500

            def writer() -> None:
                with httpx.Client(base_url=base, timeout=60,
                                  headers={"Authorization": f"Bearer {TOKEN}"}) as c:
                    for n in range(100_000):
                        if time.monotonic() > deadline:
                            return
                        a, b = cities[n % len(cities)], cities[(n * 7 + 3) % len(cities)]
                        if a == b:
                            continue
                        t = time.perf_counter()
                        r = c.post("/relationships", json={
                            "start": a, "type": "PARTNERS_WITH", "end": b, "key": f"soak-{n}",
                            "props": {"kind": "cooperation", "source": "soak"}})
                        write_lat.append(time.perf_counter() - t)
                        writes["ok" if r.status_code == 201 else "failed"] += 1
                        time.sleep(0.05)

            threads = [threading.Thread(target=writer)] if args.writer else []
            for t in threads:
                t.start()
            if args.tool == "wrk":
                from bench.api import run_wrk

                overall = run_wrk(base, "GET", "/", None, args.clients, args.seconds,
                                  lua=_wrk_cycle())
            else:
                with ThreadPoolExecutor(args.clients) as pool:
                    list(pool.map(client, range(args.clients)))
            for t in threads:
                t.join()
            after = httpx.get(f"{base}/relationships?type=PARTNERS_WITH&limit=1").json()["count"]
            print(f"{args.cities:,} cities, {args.clients} clients, {args.seconds:.0f} s, "
                  f"writer: {'yes' if args.writer else 'no'}")
            print(f"{'route':<40} {'requests':>8} {'p50 ms':>8} {'p99 ms':>9} {'5xx':>4}")
            if args.tool == "wrk":
                p50, p99, rps, total, non2xx = overall
                print(f"{'all six routes (wrk)':<40} {total:>8} {p50:>8.1f} {p99:>9.1f} "
                      f"{non2xx:>4}  ({rps:.0f} req/s; last column: non-2xx)")
            for _, path, _ in ROUTES:
                xs = sorted(lat[path])
                if xs:
                    print(f"{path:<40} {len(xs):>8} {xs[len(xs) // 2] * 1000:>8.1f} "
                          f"{xs[int(0.99 * (len(xs) - 1))] * 1000:>9.1f} {status5[path]:>4}")
            if write_lat:
                xs = sorted(write_lat)
                print(f"{'POST /relationships (writer)':<40} {len(xs):>8} "
                      f"{xs[len(xs) // 2] * 1000:>8.1f} "
                      f"{xs[int(0.99 * (len(xs) - 1))] * 1000:>9.1f} {writes['failed']:>4}")
            if args.writer:
                print(f"writes accepted {writes['ok']}, refused {writes['failed']}; "
                      f"relationships before {before}, after {after}: "
                      f"lost {writes['ok'] - (after - before)}")
        finally:
            server.terminate()
            server.wait(timeout=30)


def _wrk_cycle() -> str:
    """A wrk script sending the soak's routes in turn (each wrk thread its own cycle)."""
    import json

    rows = ",\n".join(
        f"  {{{json.dumps(m)}, {json.dumps(p)}, {json.dumps(json.dumps(b)) if b else 'nil'}}}"
        for m, p, b in ROUTES)
    return (f"local routes = {{\n{rows}\n}}\nlocal i = 0\n"
            "request = function()\n  i = i % #routes + 1\n  local r = routes[i]\n"
            "  local headers = {}\n"
            '  if r[3] then headers["Content-Type"] = "application/json" end\n'
            "  return wrk.format(r[1], r[2], headers, r[3])\nend\n")


if __name__ == "__main__":
    main()
