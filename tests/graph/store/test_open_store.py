"""``open_store``: the in-memory SQLite store works from every thread (issue 10, point 5),
and malformed URIs are refused with their password masked (issue 14, point 6).

Expected values: by construction (what is loaded is what must be read back).
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from partnernet.api.main import create_app
from partnernet.graph.schema import Node, NodeLabel
from partnernet.graph.store import StoreError, open_store
from partnernet.settings import Settings


@pytest.mark.parametrize("uri", ["sqlite:///:memory:", "sqlite://:memory:"])
def test_memory_store_is_shared_by_every_thread(uri):
    store = open_store(uri)
    store.upsert_nodes([Node(id="city:m:one", label=NodeLabel.CITY, name="One", source="t")])
    seen = {}

    def read():
        try:
            seen["node"] = store.get_node("city:m:one")
            seen["counts"] = store.counts().total_nodes
        except Exception as exc:  # noqa: BLE001 - asserted below
            seen["error"] = exc

    t = threading.Thread(target=read)
    t.start()
    t.join()
    assert "error" not in seen, seen.get("error")
    assert seen["node"].name == "One" and seen["counts"] == 1
    assert store.info()["location"] == ":memory: (temporary file)"
    folder = Path(store.path).parent
    store.close()
    assert not folder.exists()  # nothing left behind


def test_memory_store_behind_the_api_thread_pool():
    token = "memory-token-0123456789"
    settings = Settings(store="sqlite:///:memory:", api_token=SecretStr(token))
    with TestClient(create_app(settings=settings, cache_ttl=0)) as client:
        r = client.post("/nodes", json={"id": "city:m:one", "label": "City", "name": "One",
                                        "source": "t"},
                        headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 201
        # analyses and exports run in the thread pool, on other connections
        assert client.get("/analyses/deliverables").status_code == 200
        assert "city:m:one" in client.get("/exports/json").text
        assert client.get("/stats").json()["total_nodes"] == 1


@pytest.mark.parametrize("uri", ["sqlite://relative.db", "bolt://neo4j:S3CRETPW@host:abc",
                                 "neo4j://neo4j:S3CRETPW@[::1"])
def test_malformed_uris_are_refused_without_the_password(uri):
    with pytest.raises(StoreError) as refused:
        open_store(uri, init=False)
    assert "S3CRETPW" not in str(refused.value)
