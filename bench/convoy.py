"""Why computations run at a lower priority with a 1 ms switch interval: the latency of
four SQLite lookups (what a node lookup does) made by one thread while another thread of
the same process computes in pure Python, for each setting side by side in one run.

    python -m bench.convoy [--seconds 8] [--rounds 2]

A thread waiting for the GIL waits up to one switch interval for the computing thread to
let go, after every call that released it (each SQLite step, each socket read): the
"convoy effect". The first column is the baseline without a computing thread.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import tempfile
import threading
import time
from pathlib import Path

CONFIGS = [("no computation", 0.005, 0, False), ("5 ms (Python's default)", 0.005, 0, True),
           ("5 ms, nice 10", 0.005, 10, True), ("1 ms", 0.001, 0, True),
           ("1 ms, nice 10 (the API's)", 0.001, 10, True)]


def measure(conn, seconds: float, interval: float, nice: int, compute: bool):
    sys.setswitchinterval(interval)
    stop = threading.Event()

    def cpu() -> None:
        if nice:
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), nice)
        x = 0
        while not stop.is_set():
            for i in range(1000):
                x += i * i

    worker = threading.Thread(target=cpu)
    if compute:
        worker.start()
    lat = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        t0 = time.perf_counter()
        for _ in range(4):
            conn.execute("SELECT v FROM t WHERE id = ?", ("k123",)).fetchone()
        lat.append(time.perf_counter() - t0)
        time.sleep(0.005)
    stop.set()
    if compute:
        worker.join()
    lat.sort()
    return lat[len(lat) // 2] * 1000, lat[int(0.99 * (len(lat) - 1))] * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=8)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        conn = sqlite3.connect(Path(tmp) / "c.db", check_same_thread=False)
        conn.execute("CREATE TABLE t (id TEXT PRIMARY KEY, v TEXT)")
        conn.executemany("INSERT INTO t VALUES (?, ?)",
                         [(f"k{i}", "x" * 100) for i in range(20_000)])
        conn.commit()
        print(f"{'setting':<28}" + "".join(f"{'round ' + str(r + 1) + ' p50 / p99 ms':>26}"
                                          for r in range(args.rounds)))
        rows = {name: [] for name, *_ in CONFIGS}
        for _ in range(args.rounds):
            for name, interval, nice, compute in CONFIGS:
                rows[name].append(measure(conn, args.seconds, interval, nice, compute))
        for name, cells in rows.items():
            print(f"{name:<28}" + "".join(f"{p50:>14.2f} / {p99:>8.2f}" for p50, p99 in cells))
        print(f"load average at the end: {os.getloadavg()[0]:.1f} (2 cores)")


if __name__ == "__main__":
    main()
