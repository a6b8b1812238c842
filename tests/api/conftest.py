"""An API client over each store, loaded with the reference graph and a small sample."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from partnernet.api.main import create_app
from partnernet.loaders.generate import GeneratedOptions, generate_plan
from partnernet.loaders.reference_graph import reference_plan
from partnernet.settings import Settings

TOKEN = "test-token-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="session")
def sample():
    ref = reference_plan()
    anchors = [n for n in ref.nodes if n.label == "City"]
    gen = generate_plan(GeneratedOptions(cities=60, seed=3), anchors=anchors)
    return ref.nodes + gen.nodes, ref.relationships + gen.relationships


@pytest.fixture
def client(store, sample):
    store.load(*sample)
    settings = Settings(store="sqlite:///unused.db", api_token=SecretStr(TOKEN))
    with TestClient(create_app(settings=settings, store=store, cache_ttl=0)) as c:
        yield c
