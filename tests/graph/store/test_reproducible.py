"""The same seed and the same data give the same sample, analyses and exports on SQLite and
Neo4j: the contract between the two stores, exercised as a user does it (the CLI's
``init``, ``load --input-format reference`` and ``generate``), then compared record for record.

Expected values: each store's output is the other's (no constant is assumed)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner

from partnernet.cli.main import cli
from partnernet.graph.store.neo4j import Neo4jStore
from partnernet.graph.store.sqlite import SQLiteStore
from partnernet.loaders.export import export_graph
from partnernet.service import analyses
from partnernet.service.cache import GraphCache

pytestmark = pytest.mark.neo4j


def _cli(uri: str, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--store", uri, *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def _without_snapshot(value):
    """A result without what legitimately differs between stores: when and where."""
    if isinstance(value, dict):
        return {k: _without_snapshot(v) for k, v in value.items() if k != "snapshot"}
    if isinstance(value, list):
        return [_without_snapshot(v) for v in value]
    return value


def _text(value) -> str:
    return json.dumps(_without_snapshot(value), sort_keys=True, default=repr)


def test_same_seed_same_sample_analyses_and_exports(tmp_path, neo4j_store, neo4j_server,
                                                    monkeypatch):
    monkeypatch.setenv("PARTNERNET_RESULTS_MAX_MB", "0")  # compute, never read kept results
    sqlite_uri = f"sqlite:///{tmp_path / 'a.db'}"
    outputs = {}
    for uri in (sqlite_uri, neo4j_server.uri):
        _cli(uri, "init")
        _cli(uri, "load", "--input-format", "reference")
        outputs[uri] = _cli(uri, "generate", "--cities", "400", "--seed", "11")
    # the CLI's own summary: same cities, partnerships and partners generated
    summary = [o.strip().splitlines()[-1].rsplit(" in ", 1)[0] for o in outputs.values()]
    assert summary[0] == summary[1] and "400 cities" in summary[0]

    sqlite = SQLiteStore(tmp_path / "a.db")
    stores = {"sqlite": sqlite, "neo4j": neo4j_store}
    graphs = {k: s.to_networkx() for k, s in stores.items()}
    a, b = graphs["sqlite"], graphs["neo4j"]
    assert a.number_of_nodes() > 900
    assert list(a.nodes(data=True)) == list(b.nodes(data=True))
    assert list(a.edges(keys=True, data=True)) == list(b.edges(keys=True, data=True))
    assert sqlite.counts() == neo4j_store.counts()

    results = {}
    for name, store in stores.items():
        cache = GraphCache(store, ttl=0)
        results[name] = [
            analyses.brokers(store, cache=cache, top=30),
            analyses.brokers(store, cache=cache, epsilon=0.01, seed=4, top=30),
            analyses.south_south(store, cache=cache, permutations=100, seed=2),
            analyses.focal_unit_report(store, cache=cache, today=dt.date(2026, 6, 1)),
            analyses.deliverables(store, cache=cache),
            analyses.recognitions_report(store, cache=cache, today=dt.date(2026, 6, 1)),
            analyses.communities_report(store, cache=cache, seed=3),
            analyses.match(store, "Maringá", cache=cache, sdgs=[11], south_south=True),
        ]
    for mine, theirs in zip(results["sqlite"], results["neo4j"], strict=True):
        assert _text(mine) == _text(theirs)

    for fmt, name in (("json", "g.json"), ("graphml", "g.graphml"), ("gexf", "g.gexf"),
                      ("gephi-csv", "csv")):
        files = {k: export_graph(g, fmt, tmp_path / k / name) for k, g in graphs.items()}
        for x, y in zip(files["sqlite"], files["neo4j"], strict=True):
            assert x.read_bytes() == y.read_bytes(), f"{fmt}: {x.name} differs"
    sqlite.close()


def test_anchor_order_does_not_change_the_sample():
    from partnernet.loaders.generate import GeneratedOptions, generate_plan
    from partnernet.loaders.reference_graph import reference_plan

    anchors = [n for n in reference_plan().nodes if n.label == "City"]
    one = generate_plan(GeneratedOptions(cities=120, seed=5), anchors=anchors)
    two = generate_plan(GeneratedOptions(cities=120, seed=5), anchors=anchors[::-1])
    assert [r.identity for r in one.relationships] == [r.identity for r in two.relationships]
    assert one.stats == two.stats


def test_the_neo4j_read_is_the_sqlite_read(tmp_path, neo4j_store):
    """Properties outside the schema, lists, booleans, keys of parallel relationships and a
    node without relationships come back identical from both stores' columnar reads."""
    from partnernet.graph.schema import Node, Relationship

    nodes = [Node(id="city:br:a", label="City", name="A", source="t",
                  props={"country": "BR", "population": 10, "custom": "x", "flags": [1, 2]}),
             Node(id="city:br:b", label="City", name="B", source="t", props={"lat": 1.5}),
             Node(id="partner:p", label="Partner", name="P", source="t",
                  props={"capacities": ["data"], "due_diligence": "done", "odd": True}),
             Node(id="city:br:lonely", label="City", name="Lonely", source="t")]
    rels = [Relationship(start="city:br:a", type="PARTNERS_WITH", end="city:br:b", source="t",
                         props={"kind": "twinning", "sdgs": [11], "extra": "e"}),
            Relationship(start="city:br:a", type="PARTNERS_WITH", end="city:br:b", key="k2",
                         source="t", props={"kind": "cooperation"}),
            Relationship(start="partner:p", type="PARTNERS_WITH", end="city:br:a", source="t")]
    sqlite = SQLiteStore(tmp_path / "s.db")
    for s in (sqlite, neo4j_store):
        s.load(nodes, rels)
    a, b = sqlite.to_networkx(), neo4j_store.to_networkx()
    assert list(a.nodes(data=True)) == list(b.nodes(data=True))
    assert list(a.edges(keys=True, data=True)) == list(b.edges(keys=True, data=True))
    assert isinstance(Neo4jStore, type)
    only = neo4j_store.to_networkx(labels=["City"], rel_types=["PARTNERS_WITH"])
    assert sorted(only) == ["city:br:a", "city:br:b", "city:br:lonely"]
    assert only.number_of_edges() == 2
    sqlite.close()
