"""No secret reaches the logs, the messages or the API's answers: the API token and the Neo4j
password, also inside malformed store URIs (issue 14, point 6); /health shows no file path
and needs the read token when one is set."""

from __future__ import annotations

import logging

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from pydantic import SecretStr, ValidationError

from partnernet.api.main import create_app
from partnernet.cli.main import cli
from partnernet.graph.store import StoreError, open_store, redact_uri
from partnernet.graph.store.sqlite import SQLiteStore
from partnernet.redact import redact_text
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


PASSWORD = "S3CRETPW"


@pytest.mark.parametrize("uri", [
    f"neo4j://neo4j:{PASSWORD}@db:7687", f"neoj4://neo4j:{PASSWORD}@host",
    f"bolt://neo4j:{PASSWORD}@host:notaport", f"bolt://neo4j:p@{PASSWORD}@db",
    f"neo4j://db:7687/?password={PASSWORD}", f"neo4j:{PASSWORD}@host", f"//u:{PASSWORD}@h",
])
def test_passwords_are_masked_in_any_uri(uri):
    assert PASSWORD not in redact_uri(uri)
    assert PASSWORD not in redact_text(f"cannot open {uri}: refused")


def test_settings_never_quote_a_password():
    with pytest.raises(ValidationError) as refused:
        Settings(store=f"neoj4://neo4j:{PASSWORD}@host")
    text = str(refused.value)
    assert PASSWORD not in text and "unknown scheme 'neoj4'" in text and "bolt://" in text
    assert PASSWORD not in repr(Settings(store=f"bolt://neo4j:{PASSWORD}@host:7687"))
    with pytest.raises(StoreError) as bad_port:
        open_store(f"bolt://neo4j:{PASSWORD}@host:abc", init=False)
    assert PASSWORD not in str(bad_port.value)


def test_environment_store_is_masked_in_the_cli(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    for argv, env in ((["stats"], {"PARTNERNET_STORE": f"neoj4://neo4j:{PASSWORD}@host"}),
                      (["--store", f"neoj4://neo4j:{PASSWORD}@host", "stats"], {}),
                      (["--store", f"bolt://neo4j:{PASSWORD}@127.0.0.1:1", "stats"], {})):
        result = CliRunner().invoke(cli, argv, env=env, catch_exceptions=False)
        assert result.exit_code != 0 and "Traceback" not in result.output
        assert PASSWORD not in result.output, result.output
        assert result.output.count("Error:") == 1


def test_health_shows_no_path_and_needs_the_read_token(tmp_path):
    store = SQLiteStore(tmp_path / "secret-place.db")
    settings = Settings(store="sqlite:///x.db", api_token=SecretStr(TOKEN),
                        api_read_token=SecretStr("read-0123456789"))
    with TestClient(create_app(settings=settings, store=store)) as client:
        assert client.get("/health").status_code == 401
        for token in ("read-0123456789", TOKEN):
            r = client.get("/health", headers={"Authorization": f"Bearer {token}"})
            assert r.status_code == 200 and r.json()["status"] == "ok"
            assert "secret-place" not in r.text and str(tmp_path) not in r.text
            assert set(r.json()["store"]) == {"kind", "version"}
    with TestClient(create_app(settings=Settings(store="sqlite:///x.db"), store=store)) as c:
        assert c.get("/health").status_code == 200  # open when no read token is set
        assert "secret-place" not in c.get("/health").text
