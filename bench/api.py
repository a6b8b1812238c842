"""API latency: p50/p99 and requests per second for search, one node, brokers and
matching on a generated 10,000-city graph (embedded store), 32 concurrent clients on
loopback, after warm-up. The server runs in its own process (uvicorn).

    python -m bench.api [--cities 10000] [--clients 32] [--seconds 15] [--tool auto|httpx|wrk]

The load generator is wrk (Debian package ``wrk``, C, 2 threads) when it is installed
(``--tool auto``, the default), else Python client threads (httpx). On a 2-core machine
32 Python client threads take CPU from the server and wait on their own GIL, so their
latencies include the client's queueing: read the wrk figures for the server.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(db: Path, cities: int) -> None:
    from partnernet.graph.store.sqlite import SQLiteStore
    from partnernet.loaders.generate import GeneratedOptions, generate_plan
    from partnernet.loaders.reference_graph import reference_plan

    ref = reference_plan()
    gen = generate_plan(GeneratedOptions(cities=cities, seed=11),
                        anchors=[n for n in ref.nodes if n.label == "City"])
    store = SQLiteStore(db)
    store.load(ref.nodes + gen.nodes, ref.relationships + gen.relationships)
    store.close()


def start_server(db: Path, workers: int, **env_extra: str) -> tuple[subprocess.Popen, str]:
    """uvicorn serving the API on ``db``; returns once ``/health`` answers 200."""
    port = free_port()
    env = {**os.environ, "PARTNERNET_STORE": f"sqlite:///{db}", **env_extra}
    server = subprocess.Popen([sys.executable, "-m", "uvicorn", "partnernet.api.main:create_app",
                               "--factory", "--port", str(port), "--workers", str(workers),
                               "--log-level", "warning"], cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(f"{base}/health").status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.2)
    return server, base


def run(base: str, method: str, path: str, body, clients: int, seconds: float):
    deadline = time.monotonic() + seconds
    lat: list[float] = []
    errors = 0

    def worker():
        nonlocal errors
        mine = []
        with httpx.Client(base_url=base, timeout=30) as c:
            n = 0
            while time.monotonic() < deadline and n < 100_000:
                n += 1
                t = time.perf_counter()
                r = c.post(path, json=body) if method == "POST" else c.get(path)
                mine.append(time.perf_counter() - t)
                if r.status_code >= 500:
                    errors += 1
        return mine

    start = time.monotonic()
    with ThreadPoolExecutor(clients) as pool:
        for part in pool.map(lambda _: worker(), range(clients)):
            lat += part
    wall = time.monotonic() - start
    lat.sort()
    return (statistics.median(lat) * 1000, lat[int(0.99 * (len(lat) - 1))] * 1000,
            len(lat) / wall, len(lat), errors)


def run_wrk(base: str, method: str, path: str, body, clients: int, seconds: float,
            lua: str = ""):
    """p50, p99 (ms), req/s, requests and non-2xx responses measured by wrk (``lua``: a
    wrk script of one's own, e.g. cycling through several routes)."""
    import json
    import re
    import shutil

    wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk)")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(lua)
        if method == "POST":
            f.write(f'wrk.method = "POST"\nwrk.body = {json.dumps(json.dumps(body))}\n'
                    'wrk.headers["Content-Type"] = "application/json"\n')
        script = f.name
    out = subprocess.run([wrk, "-t2", f"-c{clients}", f"-d{int(seconds)}s", "--latency",
                          "-s", script, base + path], capture_output=True, text=True).stdout

    def ms(label: str) -> float:
        m = re.search(rf"{label}\s+([\d.]+)(us|ms|s)", out)
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return ms("50%"), ms("99%"), rps, total, int(non2xx.group(1)) if non2xx else 0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cities", type=int, default=10_000)
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--seconds", type=float, default=15)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--tool", choices=["auto", "httpx", "wrk"], default="auto")
    args = ap.parse_args()
    if args.tool == "auto":
        import shutil

        args.tool = "wrk" if shutil.which("wrk") else "httpx"
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "api.db"
        prepare(db, args.cities)
        server, base = start_server(db, args.workers)
        try:
            routes = [
                ("search", "GET", "/nodes?q=sao&limit=10", None),
                ("one node", "GET", "/nodes/city:br:maringa", None),
                ("brokers", "GET", "/analyses/brokers?top=10", None),
                ("matching", "POST", "/match", {"seeker": "Maringá", "sdgs": [11],
                                                "south_south": True, "top": 10}),
            ]
            for _, method, path, body in routes:  # warm-up: caches in every worker
                for _ in range(args.workers * 4):
                    (httpx.post(base + path, json=body, timeout=300) if method == "POST"
                     else httpx.get(base + path, timeout=300))
            print(f"{args.cities:,} generated cities, {args.clients} clients ({args.tool}), "
                  f"{args.seconds:.0f} s per route, {args.workers} server workers")
            print(f"{'route':<10} {'p50 ms':>8} {'p99 ms':>8} {'req/s':>8} {'requests':>9} "
                  f"{'err':>4}")
            measure = run_wrk if args.tool == "wrk" else run
            for name, method, path, body in routes:
                p50, p99, rps, n, err = measure(base, method, path, body, args.clients,
                                                args.seconds)
                print(f"{name:<10} {p50:>8.1f} {p99:>8.1f} {rps:>8.1f} {n:>9} {err:>4}",
                      flush=True)
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
