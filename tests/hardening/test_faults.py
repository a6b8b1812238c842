"""Faults: the store going away, and a process killed in the middle of a load.

Expected: 503 with a clear JSON message (never a driver exception), and a load that is
either wholly there or wholly absent after a kill -9."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import neo4j
import pytest
from fastapi.testclient import TestClient

from partnernet.api.main import create_app
from partnernet.graph.store.neo4j import Neo4jStore
from partnernet.graph.store.sqlite import SQLiteStore
from partnernet.settings import Settings

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]


def _dead_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again when the block ends: nothing listens


def test_api_reports_503_when_neo4j_is_unreachable():
    driver = neo4j.GraphDatabase.driver(f"bolt://127.0.0.1:{_dead_port()}",
                                        auth=("neo4j", "x"), connection_timeout=2,
                                        max_transaction_retry_time=1)
    store = Neo4jStore(driver, location="nowhere")
    app = create_app(settings=Settings(store="sqlite:///unused.db"), store=store)
    with TestClient(app) as client:
        health = client.get("/health")
        assert health.status_code == 503 and health.json()["status"] == "unavailable"
        r = client.get("/nodes/city:br:maringa")
        assert r.status_code == 503
        assert r.json() == {"detail": "the graph store is unavailable; retry shortly"}
        assert client.post("/match", json={"seeker": "x"}).status_code == 503
    driver.close()


def test_sqlite_load_killed_midway_leaves_all_or_nothing(tmp_path):
    db = tmp_path / "k.db"
    script = textwrap.dedent(f"""
        from partnernet.graph.schema import Node, NodeLabel, Relationship, RelType
        from partnernet.graph.store.sqlite import SQLiteStore
        nodes = [Node(id=f"city:k:{{i}}", label=NodeLabel.CITY, name=f"K{{i}}", source="k")
                 for i in range(60_000)]
        rels = [Relationship(start=f"city:k:{{i}}", type=RelType.PARTNERS_WITH,
                             end=f"city:k:{{(i * 7 + 1) % 60_000}}") for i in range(200_000)]
        store = SQLiteStore({str(db)!r})
        print("loading", flush=True)
        store.load(nodes, rels)
        print("done", flush=True)
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "loading"
    time.sleep(1.5)  # well inside the load (it takes several seconds)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    store = SQLiteStore(db)
    counts = store.counts()
    assert counts.total_nodes in (0, 60_000)
    assert counts.total_relationships in (0, 200_000)
    assert (counts.total_nodes == 0) == (counts.total_relationships == 0)
    store.close()
