"""No secret reaches the logs or the API's answers: the API token and the Neo4j password."""

from __future__ import annotations

import logging

from fastapi.testclient import TestClient
from pydantic import SecretStr

from partnernet.api.main import create_app
from partnernet.graph.store import redact_uri
from partnernet.graph.store.sqlite import SQLiteStore
from partnernet.settings import Settings

TOKEN = "tok-5ecret-value-0123456789"


def test_token_is_never_logged_or_echoed(tmp_path, caplog):
    store = SQLiteStore(tmp_path / "s.db")
    app = create_app(settings=Settings(store="sqlite:///x.db", api_token=SecretStr(TOKEN)),
                     store=store)
    caplog.set_level(logging.DEBUG)
    with TestClient(app) as client:
        bodies = [
            client.post("/nodes", json={"id": "city:x:a", "label": "City", "name": "A",
                                        "source": "t"},
                        headers={"Authorization": f"Bearer {TOKEN}x"}).text,
            client.post("/nodes", json={"id": "bad", "label": "City", "name": "A",
                                        "source": "t"},
                        headers={"Authorization": f"Bearer {TOKEN}"}).text,
            client.get("/health").text, client.get("/openapi.json").text,
        ]
    assert all(TOKEN not in b for b in bodies)
    assert TOKEN not in caplog.text
    assert "5ecret" not in repr(Settings(api_token=SecretStr(TOKEN)))


def test_neo4j_password_is_redacted():
    assert redact_uri("neo4j://neo4j:hunter2@db:7687") == "neo4j://neo4j@db:7687"
