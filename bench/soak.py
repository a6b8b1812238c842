"""Soak: the API on a generated 10,000-city graph (embedded store, 2 uvicorn workers) under
a normal mix of readers, then the same readers beside a hostile mix, side by side in one
run; optionally with a writer posting relationships, whose writes are counted afterwards.

    python -m bench.soak [--cities 10000] [--seconds 45] [--clients 16] [--pace 0.1]
                         [--hostile 8] [--threads] [--unlimited] [--writer] [--tool httpx|wrk]

Normal mix: ``--clients`` readers cycle through node lookups, search, relationships,
cached brokers, matching, /stats and /health, each pausing ``--pace`` seconds between
requests (a busy day, not a flood: at the defaults about 150 requests/s).

Hostile mix: the same readers, plus ``--hostile`` clients asking, without a token, for
what costs the most: a new Louvain seed each time, a new permutation count, brokers since
a new month (a new computation each time, open to anyone), whole-network views in every
colouring and sizing, graph exports, the explorer's panel for city after city (about a
second of CPU each on 10,000 cities) and its map at a new size each time. They send the
next request as soon as the previous one is answered (after a refusal, 0.1 s later: this
measures bounded work, not a flood of cheap requests, which is a reverse proxy's rate
limit's job).

``--threads`` adds a column: the hostile mix against a server computing in its workers'
threads (``PARTNERNET_API_COMPUTE=thread``, how every computation ran before the
computation processes): the baseline of the processes, in the same run.

``--unlimited`` adds a column: the hostile mix against a server started without the
limits (64 slots, a queue of 1,000) whose hostile clients hold the API token (so every
seed and permutation count is computed): what the limits prevent.

Targets (issue 14): node lookups p99 under 100 ms and no 5xx for the readers in the hostile
mix. A 503 answered to a hostile computation is the limit working (counted apart, with its
Retry-After). With ``--tool wrk`` the readers are wrk connections (C, no pacing: one latency
distribution for all their routes) and the per-route lines are the hostile clients only.
"""

from __future__ import annotations

import argparse
import itertools
import tempfile
import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from bench.api import prepare, start_server

ROOT = Path(__file__).resolve().parents[1]

ROUTES = [("GET", "/nodes?q=sao&limit=10", None), ("GET", "/nodes/city:br:maringa", None),
          ("GET", "/analyses/brokers?top=10", None),
          ("POST", "/match", {"seeker": "Maringá", "sdgs": [11], "top": 10}),
          ("GET", "/relationships?node=city:br:maringa", None), ("GET", "/stats", None),
          ("GET", "/health", None)]
NODE = "/nodes/city:br:maringa"
TOKEN = "soak-token-0123456789"
COLORS = ("region", "bloc", "community", "label", "category")
CITY_IDS: list[str] = []  # filled from the server before the phases
SIZES = ("degree", "betweenness", "effective_size", "constraint", "none")


def _hostile_requests(k: int):
    """The k-th hostile client's endless sequence of (kind, path)."""
    for n in itertools.count():
        i = k * 100_000 + n
        yield from [
            ("new Louvain seed", f"/analyses/communities?seed={1000 + i}"),
            ("brokers since a new month", f"/analyses/brokers?since={1900 + i % 120}-"
                                          f"{1 + (i // 120) % 12:02d}"),
            ("whole-network view", f"/views/network?color_by={COLORS[i % 5]}"
                                   f"&size_by={SIZES[(i // 5) % 5]}"),
            ("new permutation count", f"/analyses/south-south?permutations={1001 + i}"),
            ("graph export", f"/exports/{('graphml', 'gexf', 'json')[i % 3]}"),
            ("explorer panel of a node", f"/explore/node/{CITY_IDS[i % len(CITY_IDS)]}"
             if CITY_IDS else "/explore/node/city:br:maringa"),
            ("explorer map, new size", f"/explore/map?limit={100 + i % 4000}"),
        ]


def _pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[int(q * (len(xs) - 1))] * 1000 if xs else float("nan")


def run_phase(base: str, args, *, hostile: int, token: str | None, cities: list[str],
              tag: str = "") -> dict:
    """Readers (and ``hostile`` hostile clients) for ``args.seconds``; latencies by route."""
    deadline = time.monotonic() + args.seconds
    lat: dict[str, list[float]] = defaultdict(list)
    status: dict[str, Counter] = defaultdict(Counter)
    retry_after: list[int] = []
    writes = {"ok": 0, "failed": 0}
    write_lat: list[float] = []
    lock = threading.Lock()

    def record(key: str, seconds: float, code: int) -> None:
        with lock:
            lat[key].append(seconds)
            status[key][code] += 1

    def reader(k: int) -> None:
        with httpx.Client(base_url=base, timeout=120) as c:
            for n, (method, path, body) in enumerate(itertools.cycle(ROUTES[k % 7:]
                                                                     + ROUTES[:k % 7])):
                if time.monotonic() > deadline or n > 100_000:
                    return
                t = time.perf_counter()
                r = c.request(method, path, json=body)
                record(path, time.perf_counter() - t, r.status_code)
                time.sleep(args.pace)

    def attacker(k: int) -> None:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        with httpx.Client(base_url=base, timeout=300, headers=headers) as c:
            for kind, path in _hostile_requests(k):
                if time.monotonic() > deadline:
                    return
                t = time.perf_counter()
                r = None
                try:
                    r = c.get(path)
                    code = r.status_code
                except httpx.TimeoutException:
                    code = 599  # no answer within 300 s
                record("hostile: " + kind, time.perf_counter() - t, code)
                if r is not None and code == 503 and "retry-after" in r.headers:
                    with lock:
                        retry_after.append(int(r.headers["retry-after"]))
                if code in (401, 403, 503):
                    time.sleep(0.1)

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
                    "start": a, "type": "PARTNERS_WITH", "end": b,
                    "key": f"soak-{tag}{hostile}-{n}",
                    "props": {"kind": "cooperation", "source": "soak"}})
                write_lat.append(time.perf_counter() - t)
                writes["ok" if r.status_code == 201 else "failed"] += 1
                time.sleep(0.05)

    threads = [threading.Thread(target=attacker, args=(k,)) for k in range(hostile)]
    if args.writer:
        threads.append(threading.Thread(target=writer))
    for t in threads:
        t.start()
    wrk = None
    if args.tool == "wrk":
        from bench.api import run_wrk

        wrk = run_wrk(base, "GET", "/", None, args.clients, args.seconds, lua=_wrk_cycle())
    else:
        with ThreadPoolExecutor(args.clients) as pool:
            list(pool.map(reader, range(args.clients)))
    for t in threads:
        t.join()
    return {"lat": lat, "status": status, "retry_after": retry_after, "wrk": wrk,
            "writes": writes, "write_lat": write_lat}


def report(columns: dict[str, dict], args) -> None:
    names = list(columns)
    width = 31
    print(f"{'':<44}" + "".join(f"{n:>{width}}" for n in names))

    def line(label: str, cell) -> None:
        print(f"{label:<44}" + "".join(f"{cell(columns[n]):>{width}}" for n in names))

    def readers_5xx(c: dict) -> int:
        return sum(v for p, s in c["status"].items() if not p.startswith("hostile")
                   for code, v in s.items() if code >= 500)

    if args.tool == "wrk":
        line("readers (wrk): requests, req/s", lambda c: f"{c['wrk'][3]}, {c['wrk'][2]:.0f}")
        line("readers (wrk): p50 / p99 ms", lambda c: f"{c['wrk'][0]:.1f} / {c['wrk'][1]:.1f}")
        line("readers (wrk): non-2xx", lambda c: str(c["wrk"][4]))
    else:
        for _, path, _ in ROUTES:
            line(f"{path[:34]} p50 / p99 ms",
                 lambda c, p=path: f"{_pct(c['lat'][p], .5):.1f} / {_pct(c['lat'][p], .99):.1f}")
        line("readers: requests", lambda c: str(sum(len(v) for p, v in c["lat"].items()
                                                     if not p.startswith("hostile"))))
        line("readers: 5xx", lambda c: str(readers_5xx(c)))
        line("NODE LOOKUP p99 ms (target < 100)",
             lambda c: f"{_pct(c['lat'][NODE], .99):.1f}")
    kinds = sorted({p for c in columns.values() for p in c["lat"] if p.startswith("hostile")})
    for kind in kinds:
        line(f"{kind[:30]}: n, p50 ms",
             lambda c, k=kind: (f"{len(c['lat'][k])}, {_pct(c['lat'][k], .5):.0f}"
                                if c["lat"][k] else "-"))
        line("    answers", lambda c, k=kind: " ".join(
            f"{code}x{v}" for code, v in sorted(c["status"][k].items())) or "-")
    line("hostile 503 Retry-After s (median)", lambda c: (
        str(sorted(c["retry_after"])[len(c["retry_after"]) // 2]) if c["retry_after"] else "-"))
    line("hostile 5xx other than 503", lambda c: str(sum(
        v for p, s in c["status"].items() if p.startswith("hostile")
        for code, v in s.items() if code >= 500 and code != 503)))
    if args.writer:
        line("writer: accepted / refused", lambda c: f"{c['writes']['ok']} / "
                                                     f"{c['writes']['failed']}")
        line("writer: p50 / p99 ms", lambda c: f"{_pct(c['write_lat'], .5):.0f} / "
                                               f"{_pct(c['write_lat'], .99):.0f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cities", type=int, default=10_000)
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--pace", type=float, default=0.1,
                    help="seconds each reader waits between requests")
    ap.add_argument("--hostile", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=45)
    ap.add_argument("--threads", action="store_true",
                    help="also run the hostile mix against a server computing in threads")
    ap.add_argument("--unlimited", action="store_true",
                    help="also run the hostile mix against a server without the limits")
    ap.add_argument("--writer", action="store_true")
    ap.add_argument("--tool", choices=["httpx", "wrk"], default="httpx")
    args = ap.parse_args()
    columns: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "soak.db"
        prepare(db, args.cities)
        configs = [("limits on", {}, None)]
        if args.threads:
            configs.append(("computing in threads", {"PARTNERNET_API_COMPUTE": "thread"}, None))
        if args.unlimited:
            configs.append(("limits off (64 slots, token)",
                            {"PARTNERNET_API_HEAVY_SLOTS": "64",
                             "PARTNERNET_API_HEAVY_QUEUE": "1000"}, TOKEN))
        for name, env, token in configs:
            server, base = start_server(db, 2, PARTNERNET_API_TOKEN=TOKEN, **env)
            try:
                for method, path, body in ROUTES * 4:  # warm-up: caches in both workers
                    httpx.request(method, base + path, json=body, timeout=600)
                cities = [n["id"] for n in httpx.get(f"{base}/nodes?label=City&limit=1000",
                                                     timeout=60).json()["data"]]
                CITY_IDS[:] = cities
                phases = ([("normal", 0)] if name == "limits on" else []) + \
                    [("hostile", args.hostile)]
                for phase, hostile in phases:
                    before = httpx.get(f"{base}/relationships?type=PARTNERS_WITH&limit=1",
                                       timeout=60).json()["count"]
                    # the writer's keys differ between runs: each write is a new tie
                    result = run_phase(base, args, hostile=hostile, token=token,
                                       cities=cities, tag=f"{len(columns)}-")
                    after = httpx.get(f"{base}/relationships?type=PARTNERS_WITH&limit=1",
                                      timeout=120).json()["count"]
                    result["lost"] = result["writes"]["ok"] - (after - before)
                    columns[f"{phase}, {name}" if len(configs) > 1 else phase] = result
            finally:
                server.terminate()
                server.wait(timeout=60)
    print(f"{args.cities:,} cities, {args.clients} readers ({args.tool}, pace {args.pace} s), "
          f"{args.hostile} hostile clients, {args.seconds:.0f} s per phase, 2 workers, "
          f"writer: {'yes' if args.writer else 'no'}")
    report(columns, args)
    if args.writer:
        print("lost writes: " + ", ".join(f"{n} {c['lost']}" for n, c in columns.items()))


def _wrk_cycle() -> str:
    """A wrk script sending the readers' routes in turn (each wrk thread its own cycle)."""
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
