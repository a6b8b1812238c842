"""Neo4j killed in the middle of a large load, then started again on the same data; and the
API while Neo4j goes away and comes back. Uses its own local Neo4j (tools/neo4j_local)."""

from __future__ import annotations

import threading
import time

import neo4j
import pytest
from fastapi.testclient import TestClient

from partnernet.api.main import create_app
from partnernet.graph.schema import Node, NodeLabel, Relationship, RelType
from partnernet.graph.store import StoreError
from partnernet.graph.store.neo4j import Neo4jStore
from partnernet.settings import Settings
from tools.neo4j_local import _free_port, local_launcher

pytestmark = [pytest.mark.slow, pytest.mark.neo4j]

N, M = 40_000, 120_000


def _records():
    nodes = [Node(id=f"city:r:{i}", label=NodeLabel.CITY, name=f"R{i}", source="t")
             for i in range(N)]
    rels = [Relationship(start=f"city:r:{i}", type=RelType.PARTNERS_WITH,
                         end=f"city:r:{(i + k + 1) % N}") for k in range(M // N) for i in range(N)]
    return nodes, rels


def _driver(uri):
    return neo4j.GraphDatabase.driver(uri, auth=("neo4j", "x"), connection_timeout=3,
                                      max_transaction_retry_time=2)


def test_load_interrupted_by_neo4j_kill_is_all_or_nothing_then_completes(tmp_path):
    home, port = tmp_path / "neo4j", _free_port()
    nodes, rels = _records()
    outcome: dict = {}
    with local_launcher(home=home, port=port, kill=True) as srv:
        driver = _driver(srv.uri)
        store = Neo4jStore(driver)
        store.init()

        def load():
            try:
                store.load(nodes, rels)
                outcome["result"] = "completed"
            except StoreError as exc:
                outcome["result"] = f"failed: {exc}"

        worker = threading.Thread(target=load)
        worker.start()
        time.sleep(4)  # inside the load (it takes well over 10 s)
    worker.join(timeout=120)  # the launcher was killed with SIGKILL on leaving the block
    driver.close()
    assert outcome["result"].startswith("failed: Neo4j is unavailable")
    with local_launcher(home=home, port=port) as srv:
        driver = _driver(srv.uri)
        store = Neo4jStore(driver)
        after_crash = store.counts()
        assert after_crash.total_nodes in (0, N)
        assert after_crash.total_relationships in (0, M)
        summary = store.load(nodes, rels)  # run it again: completes, no duplicates
        assert store.counts().total_nodes == N and store.counts().total_relationships == M
        assert summary.nodes_created + summary.nodes_unchanged == N
        driver.close()


def test_api_reports_and_recovers_when_neo4j_returns(tmp_path):
    home, port = tmp_path / "neo4j", _free_port()
    with local_launcher(home=home, port=port) as srv:
        driver = _driver(srv.uri)
        store = Neo4jStore(driver)
        store.init()
        store.upsert_nodes([Node(id="city:r:one", label=NodeLabel.CITY, name="One",
                                 source="t")])
    app = create_app(settings=Settings(store="sqlite:///unused.db"), store=store, cache_ttl=0)
    with TestClient(app) as client:
        down = client.get("/health")
        assert down.status_code == 503 and down.json()["status"] == "unavailable"
        assert client.get("/nodes/city:r:one").status_code == 503
        with local_launcher(home=home, port=port):
            deadline = time.time() + 60
            while client.get("/health").status_code != 200 and time.time() < deadline:
                time.sleep(0.5)
            assert client.get("/health").status_code == 200
            assert client.get("/nodes/city:r:one").json()["name"] == "One"
    driver.close()
