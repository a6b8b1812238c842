"""A question asked again, with another ``--top`` or through the API, is answered from the
answer kept for this data snapshot (issue 15.2): no analysis runs."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from partnernet.cli.main import cli
from partnernet.service import analyses


@pytest.fixture
def kept(tmp_path, monkeypatch):
    """A store with the reference graph and 150 generated cities whose brokers and
    South-South gaps were asked once; afterwards any computation of them fails the test."""
    monkeypatch.setenv("PARTNERNET_RESULTS_DIR", str(tmp_path / "results"))
    uri = f"sqlite:///{tmp_path / 'r.db'}"
    runner = CliRunner()

    def run(*args):
        r = runner.invoke(cli, ["--store", uri, *args], catch_exceptions=False)
        assert r.exit_code == 0, r.output
        return r.output
    run("load", "--input-format", "reference")
    run("generate", "--cities", "150", "--seed", "3")
    first = {"brokers": json.loads(run("analyse", "brokers", "--top", "5", "--format", "json")),
             "south": json.loads(run("analyse", "south-south", "--top", "3", "--format", "json"))}

    def computed(*_a, **_k):
        raise AssertionError("computed again on an unchanged store")
    monkeypatch.setattr(analyses, "broker_table", computed)
    monkeypatch.setattr(analyses, "missing_links", computed)
    return run, first, tmp_path / "r.db"


def test_another_top_slices_the_kept_ranking(kept):
    # found by the new-user walk: `--top 5` again 0.39 s, `--top 7` 10.99 s (a new key)
    run, first, _ = kept
    seven = json.loads(run("analyse", "brokers", "--top", "7", "--format", "json"))
    assert len(seven["rows"]) == 7
    assert [r["node"] for r in seven["rows"][:5]] == [r["node"] for r in first["brokers"]["rows"]]
    gaps = json.loads(run("analyse", "south-south", "--top", "6", "--format", "json"))
    assert len(gaps["missing_links"]["pairs"]) == 6 < gaps["missing_links"]["candidates_scored"]
    assert gaps["missing_links"]["pairs"][:3] == first["south"]["missing_links"]["pairs"]


def test_the_api_answers_what_the_cli_asked(kept):
    # the walk: the API's first /analyses/brokers took 10.2 s after the CLI had asked
    from partnernet.api.main import create_app
    from partnernet.graph.store.sqlite import SQLiteStore
    from partnernet.settings import Settings

    _, first, path = kept
    store = SQLiteStore(path)
    settings = Settings(store=f"sqlite:///{path}")
    with TestClient(create_app(settings=settings, store=store, cache_ttl=0)) as client:
        r = client.get("/analyses/brokers", params={"top": 5})
        assert r.status_code == 200, r.text
        assert [x["node"] for x in r.json()["rows"]] == \
            [x["node"] for x in first["brokers"]["rows"]]
