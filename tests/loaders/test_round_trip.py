"""Exports load back unchanged (issue 10, point 4): the demo store (the reference graph plus
the generated sample of ``partnernet demo``) and the reference graph alone, in every format,
through the library on both stores, through the CLI (``export`` then ``load``) and through
the API (``GET /exports/<fmt>`` uploaded to ``POST /loads``).

"Unchanged" is checked two ways: a fresh store loaded from the export holds the same graph
(``graph_to_json`` equal, types included), and loading the export again into the store it
came from reports every record unchanged. Expected types are the schema's (by hand):
``admin1`` is text, ``population`` an integer, ``lat`` a float, ``sdgs`` a list of
integers, ``since`` ISO text, ``generated`` a boolean.
"""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
import zipfile

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from pydantic import SecretStr

from partnernet.api.main import create_app
from partnernet.cli.main import cli
from partnernet.graph.store.sqlite import SQLiteStore
from partnernet.loaders.export import export_graph, graph_to_json
from partnernet.loaders.generate import GeneratedOptions, generate_plan
from partnernet.loaders.load import load_files
from partnernet.loaders.reference_graph import reference_plan
from partnernet.settings import Settings

FORMATS = ["json", "graphml", "gexf", "gephi-csv"]
TOKEN = "round-trip-token-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def demo_records(cities: int = 300, seed: int = 42):
    """What ``partnernet demo`` loads (src/partnernet/cli/commands_data.py: demo)."""
    ref = reference_plan()
    anchors = [n for n in ref.nodes if n.label == "City"]
    sample = generate_plan(GeneratedOptions(cities=cities, seed=seed), anchors=anchors)
    return ref.nodes + sample.nodes, ref.relationships + sample.relationships


@pytest.fixture(scope="module")
def demo():
    return demo_records()


def _out(tmp_path, fmt):
    return tmp_path / ("gephi" if fmt == "gephi-csv" else f"export.{fmt}")


def _assert_round_trip(original, files, fresh):
    """A fresh store equals the original; the original reloads unchanged."""
    g = original.to_networkx()
    first = load_files(fresh, files)
    assert first.summary.nodes_created == g.number_of_nodes()
    assert first.summary.relationships_created == g.number_of_edges()
    assert graph_to_json(fresh.to_networkx()) == graph_to_json(g)
    again = load_files(original, files).summary
    assert again.changed == 0, again.as_dict()
    assert (again.nodes_unchanged, again.relationships_unchanged) == \
        (g.number_of_nodes(), g.number_of_edges())


@pytest.mark.parametrize("fmt", FORMATS)
def test_demo_store_round_trips(store, demo, fmt, tmp_path):
    store.load(*demo)
    files = export_graph(store.to_networkx(), fmt, _out(tmp_path, fmt))
    fresh = SQLiteStore(tmp_path / "fresh.db")
    try:
        _assert_round_trip(store, files, fresh)
    finally:
        fresh.close()


@pytest.mark.parametrize("fmt", FORMATS)
def test_reference_graph_alone_round_trips(store, fmt, tmp_path):
    ref = reference_plan()
    store.load(ref.nodes, ref.relationships)
    files = export_graph(store.to_networkx(), fmt, _out(tmp_path, fmt))
    fresh = SQLiteStore(tmp_path / "fresh.db")
    try:
        _assert_round_trip(store, files, fresh)
    finally:
        fresh.close()


@pytest.mark.neo4j
@pytest.mark.parametrize("fmt", ["graphml", "gephi-csv"])
def test_sqlite_export_loads_into_neo4j_unchanged(sqlite_store, neo4j_store, demo, fmt,
                                                  tmp_path):
    sqlite_store.load(*demo)
    files = export_graph(sqlite_store.to_networkx(), fmt, _out(tmp_path, fmt))
    _assert_round_trip(sqlite_store, files, neo4j_store)


@pytest.mark.parametrize("fmt", FORMATS)
def test_types_survive(sqlite_store, demo, fmt, tmp_path):
    sqlite_store.load(*demo)
    files = export_graph(sqlite_store.to_networkx(), fmt, _out(tmp_path, fmt))
    fresh = SQLiteStore(tmp_path / "fresh.db")
    load_files(fresh, files)
    coded = [n for n in sqlite_store.list_nodes("City", limit=5000).items
             if n.props.get("admin1", "").isdigit()]
    assert coded  # GeoNames codes regions of many countries with digits ("13" for Kabul)
    for n in coded:
        props = fresh.get_node(n.id).props
        assert props["admin1"] == n.props["admin1"]  # a region code stays text
        assert isinstance(props["population"], int) and isinstance(props["lat"], float)
        assert isinstance(props["geonameid"], int)
    cat = fresh.get_node("category:05-private-sector").props
    assert cat["number"] == 5 and cat["due_diligence_required"] is True
    rels = fresh.list_relationships("PARTNERS_WITH", limit=5000).items
    with_sdgs = [r for r in rels if "sdgs" in r.props]
    assert with_sdgs and all(isinstance(r.props["sdgs"], list)
                             and all(isinstance(x, int) for x in r.props["sdgs"])
                             for r in with_sdgs)
    dated = [r for r in rels if "since" in r.props]
    assert dated and all(isinstance(r.props["since"], str) for r in dated)
    assert all(r.props["generated"] is True for r in rels if "generated" in r.props)
    agreements = [n for n in fresh.list_nodes("Agreement", limit=100).items if "start" in n.props]
    assert agreements and all(isinstance(n.props["start"], str) for n in agreements)
    fresh.close()


def test_partnerships_are_undirected_in_every_graph_format(sqlite_store, demo, tmp_path):
    sqlite_store.load(*demo)
    g = sqlite_store.to_networkx()
    n_partners = sum(1 for *_, d in g.edges(data=True) if d["type"] == "PARTNERS_WITH")
    n_other = g.number_of_edges() - n_partners
    ns = {"g": "http://graphml.graphdrawing.org/xmlns", "x": "http://gexf.net/1.3"}

    graphml = ET.parse(export_graph(g, "graphml", tmp_path / "g.graphml")[0])
    assert graphml.find(".//g:graph", ns).get("edgedefault") == "directed"
    edges = graphml.findall(".//g:edge", ns)
    assert sum(e.get("directed") == "false" for e in edges) == n_partners
    assert sum(e.get("directed") is None for e in edges) == n_other

    gexf = ET.parse(export_graph(g, "gexf", tmp_path / "g.gexf")[0])
    kinds = [e.get("type") for e in gexf.findall(".//x:edge", ns)]
    assert (kinds.count("undirected"), kinds.count("directed")) == (n_partners, n_other)

    edges_csv = export_graph(g, "gephi-csv", tmp_path / "gephi")[1].read_text("utf-8")
    types = [line.split(",")[2] for line in edges_csv.splitlines()[1:]]
    assert (types.count("Undirected"), types.count("Directed")) == (n_partners, n_other)


def test_an_undirected_edge_is_read_as_one_tie(store, tmp_path):
    # a mixed graph as Gephi and yEd write it: one undirected and one directed edge
    (tmp_path / "m.graphml").write_text(
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">'
        '<key id="t" for="edge" attr.name="rel_type" attr.type="string"/>'
        '<key id="l" for="node" attr.name="node_label" attr.type="string"/>'
        '<graph edgedefault="directed">'
        '<node id="city:a"/><node id="city:b"/>'
        '<node id="network:n"><data key="l">Network</data></node>'
        '<edge source="city:a" target="city:b" directed="false"/>'
        '<edge source="city:a" target="network:n"><data key="t">MEMBER_OF</data></edge>'
        "</graph></graphml>", encoding="utf-8")
    (tmp_path / "m.gexf").write_text(
        '<gexf xmlns="http://gexf.net/1.3" version="1.3"><graph defaultedgetype="undirected">'
        '<nodes><node id="city:c" label="C"/><node id="city:d" label="D"/></nodes>'
        '<edges><edge source="city:c" target="city:d"/></edges></graph></gexf>',
        encoding="utf-8")
    result = load_files(store, [tmp_path / "m.graphml", tmp_path / "m.gexf"])
    assert result.summary.relationships_created == 3
    assert store.counts().relationships == {"PARTNERS_WITH": 2, "MEMBER_OF": 1}
    ties = {(r.start, r.end) for r in store.list_relationships("PARTNERS_WITH").items}
    assert ties == {("city:a", "city:b"), ("city:c", "city:d")}


@pytest.mark.parametrize("fmt", FORMATS)
def test_cli_export_then_load(fmt, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()

    def run(uri, *args):
        result = runner.invoke(cli, ["--store", uri, *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output

    demo_uri, fresh_uri = "sqlite:///demo.db", "sqlite:///fresh.db"
    run(demo_uri, "demo", "--out", "out")
    out = "gephi" if fmt == "gephi-csv" else f"export.{fmt}"
    run(demo_uri, "export", "--format", fmt, "--out", out)
    files = ["gephi/nodes.csv", "gephi/edges.csv"] if fmt == "gephi-csv" else [out]
    counts = SQLiteStore(tmp_path / "demo.db").counts()
    n, r = counts.total_nodes, counts.total_relationships
    assert n > 800 and r > 3000
    run(fresh_uri, "init")
    loaded = json.loads(run(fresh_uri, "load", *files, "--format", "json"))
    assert loaded["nodes"]["created"] == n and loaded["relationships"]["created"] == r
    again = json.loads(run(demo_uri, "load", *files, "--format", "json"))
    assert (again["nodes"], again["relationships"]) == (
        {"created": 0, "updated": 0, "unchanged": n},
        {"created": 0, "updated": 0, "unchanged": r})
    a, b = SQLiteStore(tmp_path / "demo.db"), SQLiteStore(tmp_path / "fresh.db")
    assert graph_to_json(a.to_networkx()) == graph_to_json(b.to_networkx())
    a.close()
    b.close()


def test_cli_gephi_zip_loads_back(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    for args in (["load", "--input-format", "reference"],
                 ["export", "--format", "gephi-csv", "--out", "ref.zip"]):
        result = runner.invoke(cli, ["--store", "sqlite:///a.db", *args])
        assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["--store", "sqlite:///b.db", "load", "ref.zip"])
    assert result.exit_code == 0, result.output
    a, b = SQLiteStore(tmp_path / "a.db"), SQLiteStore(tmp_path / "b.db")
    assert graph_to_json(a.to_networkx()) == graph_to_json(b.to_networkx())
    a.close()
    b.close()


def _client(store):
    settings = Settings(store="sqlite:///unused.db", api_token=SecretStr(TOKEN))
    return TestClient(create_app(settings=settings, store=store, cache_ttl=0))


@pytest.mark.parametrize("fmt", FORMATS)
def test_api_export_uploads_back(store, demo, fmt, tmp_path):
    store.load(*demo)
    fresh = SQLiteStore(tmp_path / "fresh.db")
    name = "partnernet-gephi.zip" if fmt == "gephi-csv" else f"partnernet.{fmt}"
    with _client(store) as source, _client(fresh) as target:
        exported = source.get(f"/exports/{fmt}")
        assert exported.status_code == 200
        if fmt == "gephi-csv":
            assert sorted(zipfile.ZipFile(io.BytesIO(exported.content)).namelist()) == \
                ["edges.csv", "nodes.csv"]
        upload = {"file": (name, exported.content, "application/octet-stream")}
        n, r = store.counts().total_nodes, store.counts().total_relationships
        first = target.post("/loads", files=upload, headers=AUTH)
        assert first.status_code == 200, first.text
        assert first.json()["nodes"]["created"] == n
        assert first.json()["relationships"]["created"] == r
        again = source.post("/loads", files=upload, headers=AUTH)
        assert again.status_code == 200, again.text
        assert again.json()["nodes"] == {"created": 0, "updated": 0, "unchanged": n}
        assert again.json()["relationships"] == {"created": 0, "updated": 0, "unchanged": r}
    assert graph_to_json(fresh.to_networkx()) == graph_to_json(store.to_networkx())
    fresh.close()


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_values_from_before_the_domain_are_named_not_a_traceback(fmt, tmp_path):
    # a store filled before the value domain refused control characters (written here
    # around the validation, as an older version could) cannot become invalid XML
    from partnernet.graph.schema import Node, NodeLabel

    store = SQLiteStore(tmp_path / "old.db")
    store.upsert_nodes([Node.model_construct(id="partner:evil", label=NodeLabel.PARTNER,
                                             name="Evil\x01Partner", source="t", props={})])
    store.close()
    result = CliRunner().invoke(cli, ["--store", f"sqlite:///{tmp_path / 'old.db'}", "export",
                                      "--format", fmt, "--out", str(tmp_path / f"x.{fmt}")])
    assert result.exit_code == 1
    assert "export failed: node 'partner:evil': U+0001 cannot be written to XML" in \
        result.output
