"""Fail fast (issue 14, point 5): with Neo4j unreachable, /health and the read routes answer
503 within 3 s (they took 31-67 s with the driver's defaults), through the store the API
opens from its settings (``open_store``'s driver settings are what is tested), and the API
recovers when Neo4j returns.

Unreachable two ways: a closed port (connection refused, as after ``kill -9``) and a
listener that accepts connections and never answers (a hung server or a black-holed
address: only timeouts help). The 3 s bound is the issue's requirement.
"""

from __future__ import annotations

import os
import signal
import socket
import threading
import time

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from partnernet.api.main import create_app
from partnernet.graph.schema import Node, NodeLabel
from partnernet.settings import Settings

LIMIT = 3.0
READS = [("GET", "/health", None), ("GET", "/stats", None),
         ("GET", "/nodes/city:br:maringa", None), ("GET", "/nodes?q=sao", None),
         ("GET", "/relationships?limit=5", None), ("GET", "/analyses/deliverables", None),
         ("POST", "/match", {"seeker": "Maringá"})]


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Silent:
    """Accepts TCP connections and never sends a byte."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(100)
        self.port = self.sock.getsockname()[1]
        self.conns: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.conns.append(conn)

    def close(self):
        self.sock.close()
        for c in self.conns:
            c.close()


def _timed(client, method, path, body):
    began = time.monotonic()
    r = client.request(method, path, json=body)
    return r, time.monotonic() - began


@pytest.mark.parametrize("scheme", ["bolt", "neo4j"])
@pytest.mark.parametrize("how", ["refused", "silent"])
def test_reads_fail_within_3_s_when_neo4j_is_unreachable(scheme, how):
    silent = _Silent() if how == "silent" else None
    port = silent.port if silent else _closed_port()
    settings = Settings(store=f"{scheme}://127.0.0.1:{port}",
                        neo4j_password=SecretStr("x"))
    try:
        with TestClient(create_app(settings=settings)) as client:
            for method, path, body in READS:
                r, seconds = _timed(client, method, path, body)
                assert r.status_code == 503, (path, r.status_code, r.text[:200])
                assert seconds < LIMIT, f"{path} took {seconds:.1f} s"
                assert "Neo4j" not in r.text or path == "/health"  # no driver message
    finally:
        if silent:
            silent.close()


@pytest.mark.slow
@pytest.mark.neo4j
def test_api_fails_fast_and_recovers_when_neo4j_is_killed_and_restarted(tmp_path):
    from tools.neo4j_local import _free_port, local_launcher

    home, port = tmp_path / "neo4j", _free_port()
    uri = f"bolt://127.0.0.1:{port}"
    settings = Settings(store=uri, neo4j_password=SecretStr("unused-auth-disabled"))
    with local_launcher(home=home, port=port, kill=True):
        client_cm = TestClient(create_app(settings=settings, cache_ttl=0))
        client = client_cm.__enter__()
        try:
            client.app.state.store.upsert_nodes([Node(id="city:r:one", label=NodeLabel.CITY,
                                                      name="One", source="t")])
            assert client.get("/health").status_code == 200
            assert client.get("/nodes/city:r:one").json()["name"] == "One"
        except BaseException:
            client_cm.__exit__(None, None, None)
            raise
    try:  # killed with SIGKILL on leaving the block: the pooled connections are dead
        for method, path, body in READS:
            r, seconds = _timed(client, method, path, body)
            assert r.status_code == 503 and seconds < LIMIT, (path, r.status_code, seconds)
        with local_launcher(home=home, port=port):
            deadline = time.monotonic() + 60
            while client.get("/health").status_code != 200 and time.monotonic() < deadline:
                time.sleep(0.5)
            assert client.get("/health").status_code == 200
            # the first reads of a cold server may still take longer than the short-read
            # limit on a busy machine (503 meanwhile): recovered means answering again
            # within the same deadline
            node = client.get("/nodes/city:r:one")
            while node.status_code == 503 and time.monotonic() < deadline:
                time.sleep(0.5)
                node = client.get("/nodes/city:r:one")
            assert node.status_code == 200 and node.json()["name"] == "One", node.text[:200]
            assert client.get("/stats").json()["total_nodes"] == 1
    finally:
        client_cm.__exit__(None, None, None)


@pytest.mark.slow
@pytest.mark.neo4j
def test_health_and_reads_fail_fast_when_neo4j_hangs(tmp_path):
    """Neo4j stopped (SIGSTOP) with connections open: the server accepts nothing and
    answers nothing. /health and the short reads still answer 503 within the limit (the
    analyses are answered from the cached graph while it is fresh; a computation that
    needs the store waits for the driver, holding a slot: not covered here)."""
    from tools.neo4j_local import local_launcher

    with local_launcher() as srv:
        settings = Settings(store=srv.uri, neo4j_password=SecretStr(srv.password))
        with TestClient(create_app(settings=settings, cache_ttl=0)) as client:
            assert client.get("/health").status_code == 200
            # warm up (a cold Neo4j plans its first queries for seconds) and leave
            # connections in the driver's pool
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and not all(
                    client.request(m, p, json=b).status_code < 500 for m, p, b in READS[:5]):
                time.sleep(0.5)
            os.kill(srv.pid, signal.SIGSTOP)
            try:
                for method, path, body in READS[:5]:  # health and the short reads
                    r, seconds = _timed(client, method, path, body)
                    assert r.status_code == 503 and seconds < LIMIT, (path, r.status_code,
                                                                      seconds)
            finally:
                os.kill(srv.pid, signal.SIGCONT)
            deadline = time.monotonic() + 30
            while client.get("/health").status_code != 200 and time.monotonic() < deadline:
                time.sleep(0.5)
            assert client.get("/health").status_code == 200
