"""Analyses on every network shape, through the service on a real store: the reference graph
alone, a membership-only store, Padgett's families with their isolate, a directed Gephi
file; every result states its projection; empty ones say what would fill them; bad options
are refused in one line naming the accepted values.

Expected values: R igraph 1.3.5 and sna 2.7.1 (tests/reference/make_reference.R), counts of
what the tests load, and the reference graph's facts."""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

import pytest

from partnernet.formatting import json_safe
from partnernet.graph.schema import Node, Relationship
from partnernet.loaders.load import load_files
from partnernet.loaders.reference_graph import reference_plan
from partnernet.service import analyses
from partnernet.vocabulary import UnknownValue

REF = Path(__file__).resolve().parents[1] / "reference"
R = json.loads((REF / "reference_values.json").read_text())


@pytest.fixture
def reference_store(store):
    plan = reference_plan()
    store.load(plan.nodes, plan.relationships)
    return store


def test_reference_graph_alone_gives_brokers_and_communities(reference_store):
    b = analyses.brokers(reference_store, top=10)
    assert b["projection"]["name"] == "co-membership"
    assert b["projection"]["reason"].startswith("default for this store")
    assert b["rows"] and b["empty"] is None
    # Maringá alone links the UNGC Cities Programme and its women's reference centre
    maringa = next(r for r in b["rows"] if r["node"] == "city:br:maringa")
    assert maringa["linked_group_pairs"] == 1 and maringa["cut_point"]
    assert {"UN Global Compact - Cities Programme"} <= set(maringa["groups"])
    c = analyses.communities_report(reference_store)
    assert c["count"] >= 3 and c["empty"] is None and c["projection"]["name"] == "co-membership"
    # the seeds' organisations in the other projections: networks, committees, focal units
    allt = analyses.brokers(reference_store, projection="all", top=20)
    labels = {r["label"] for r in allt["rows"]}
    assert {"Network", "FocalUnit"} <= labels
    assert allt["rows"][0]["name"].startswith("Metropolis")
    two = analyses.brokers(reference_store, projection="two-mode", top=40)
    assert {"Network", "Initiative", "City"} <= {r["label"] for r in two["rows"]}
    assert "constraint" in two["undefined"]


def _membership_store(store, *, members: int = 1200, seed: int = 3):
    """1,200 cities: 90% in a giant initiative (over 1,000 members: a hub), three regional
    networks and twenty small committees; no partnership at all."""
    rng = random.Random(seed)
    countries = ["BR", "KE", "IN", "FR", "DE", "CN"]
    cities = [Node(id=f"city:{countries[i % 6].lower()}:c{i}", label="City", name=f"City {i}",
                   source="test", props={"country": countries[i % 6]}) for i in range(members)]
    groups = [Node(id="initiative:giant", label="Initiative", name="Giant initiative",
                   source="test")]
    groups += [Node(id=f"network:r{k}", label="Network", name=f"Regional {k}", source="test")
               for k in range(3)]
    groups += [Node(id=f"committee:c{k}", label="Committee", name=f"Committee {k}",
                    source="test") for k in range(20)]
    rels = [Relationship(start="initiative:giant", type="INVOLVES", end=c.id, source="test")
            for c in cities if rng.random() < 0.9]
    for i, c in enumerate(cities):
        rels.append(Relationship(start=c.id, type="MEMBER_OF", end=f"network:r{i % 3}",
                                 source="test"))
        if rng.random() < 0.15:
            rels.append(Relationship(start=c.id, type="SITS_ON",
                                     end=f"committee:c{rng.randrange(20)}", source="test"))
    store.load(cities + groups, rels)
    return store


def test_membership_only_store(store):
    s = _membership_store(store)
    b = analyses.brokers(s, top=10)
    p = b["projection"]
    assert p["name"] == "co-membership" and "partnerships tie 0 actors" in p["reason"]
    # the giant initiative and the regional networks are kept as hubs, not cliques
    assert p["large_groups"][0]["name"] == "Giant initiative"
    assert b["rows"] and b["rows"][0]["betweenness"] > 0 and b["empty"] is None
    top = b["rows"][0]
    assert top["groups"] and top["linked_group_pairs"] >= 1
    c = analyses.communities_report(s)
    assert c["count"] >= 2 and c["empty"] is None
    ss = analyses.south_south(s, permutations=50)
    assert ss["groups"][0]["name"] == "Giant initiative"
    assert ss["shares"]["overall"]["South-South"]["weight"] > 0
    assert ss["ei"]["south_north"]["network"]["p_text"].startswith("p ")
    # asked for partnerships, it says what is missing and what would fill it
    e = analyses.brokers(s, projection="partnerships")
    assert e["rows"] == [] and "no partnerships" in e["empty"]["why"]
    assert any("--projection co-membership" in t for t in e["empty"]["try"])
    json.dumps(json_safe(b), allow_nan=False)


def test_padgett_with_the_pucci_through_a_store(store):
    # the 16 families loaded as cities tied by partnerships (Pucci without any):
    # normalised betweenness as R igraph gives it on all 16 (Medici 0.452, not 0.522)
    with (REF / "florentine_edges.csv").open() as f:
        edges = list(csv.DictReader(f))
    families = sorted({e[k] for e in edges for k in ("from", "to")} | {"Pucci"})
    nid = {f: f"city:it:{f.lower()}" for f in families}
    store.load([Node(id=nid[f], label="City", name=f, source="Padgett") for f in families],
               [Relationship(start=nid[e["from"]], type="PARTNERS_WITH", end=nid[e["to"]],
                             source="Padgett") for e in edges])
    b = analyses.brokers(store, projection="partnerships", top=None)
    rows = {r["name"]: r for r in b["rows"]}
    assert len(rows) == 16 and b["isolates"]["names"] == ["Pucci"]
    for family, value in R["florentine16_betweenness"].items():
        assert rows[family]["betweenness"] == pytest.approx(value, abs=1e-12)
    assert rows["Medici"]["betweenness"] == pytest.approx(0.452380952380952, abs=1e-12)
    assert rows["Pucci"]["constraint"] != rows["Pucci"]["constraint"]  # nan
    assert json_safe(rows["Pucci"])["constraint"] is None


def test_directed_gephi_arcs_give_sna_roles(store, tmp_path):
    # the random digraph of make_reference.R as a Gephi edge table with Type=Directed, its
    # groups as the nodes' region: roles on the arcs equal sna::brokerage's raw counts
    with (REF / "random_digraph_groups.csv").open() as f:
        groups = {r["node"]: r["group"] for r in csv.DictReader(f)}
    nodes = tmp_path / "nodes.csv"
    nodes.write_text("Id,Label,node_label,region\n" + "".join(
        f"city:xx:n{v},n{v},City,{g}\n" for v, g in groups.items()), encoding="utf-8")
    with (REF / "random_digraph_edges.csv").open() as f:
        arcs = list(csv.DictReader(f))
    edges = tmp_path / "edges.csv"
    edges.write_text("Source,Target,Type,rel_type\n" + "".join(
        f"city:xx:n{a['from']},city:xx:n{a['to']},Directed,PARTNERS_WITH\n" for a in arcs),
        encoding="utf-8")
    load_files(store, [nodes, edges], fmt="gephi")
    b = analyses.brokers(store, projection="partnerships", directed=True, top=None)
    assert b["projection"]["directed"]
    order = ("coordinator", "itinerant", "representative", "gatekeeper", "liaison",
             "brokerage_total")
    for r in b["rows"]:
        v = r["name"][1:]
        assert [r[k] for k in order] == R["digraph_brokerage_raw"][str(int(v) + 1)], v
    # read without direction, representative and gatekeeper counts coincide (as before)
    u = analyses.brokers(store, projection="partnerships", top=None)
    assert all(r["gatekeeper"] == r["representative"] for r in u["rows"])
    assert any(r["gatekeeper"] != r["representative"] for r in b["rows"])


@pytest.mark.parametrize("kwargs, message", [
    ({"projection": "comembership"}, "did you mean 'co-membership'"),
    ({"regions": ["Afrika"]}, "did you mean 'Africa'"),
    ({"since": "20x"}, "is not a date; expected YYYY, YYYY-MM or YYYY-MM-DD"),
    ({"since": "2025-13"}, "is not a date"),
    ({"group_by": "nonsense"}, "accepted: region, subregion, bloc, country, label"),
    ({"group_labels": ["Netwrok"]}, "did you mean 'Network'"),
    ({"kinds": ["twining"]}, "did you mean 'twinning'"),
])
def test_bad_options_are_refused_in_one_line(reference_store, kwargs, message):
    with pytest.raises(ValueError, match=message) as err:
        analyses.brokers(reference_store, **kwargs)
    assert "\n" not in str(err.value)
    if "did you mean" in message:
        assert isinstance(err.value, UnknownValue)


def test_open_values_that_match_nothing_say_so(reference_store):
    # a partnership kind the store does not hold empties the result, which names the
    # kinds it holds (one outside the schema's is refused: test_bad_options_...); so does
    # an impossible period
    r = analyses.brokers(reference_store, projection="partnerships", kinds=["mou"])
    assert r["rows"] == []
    assert "no partnership of kind 'mou' in the store (kinds it holds: cooperation (" \
        in r["empty"]["why"]
    r = analyses.brokers(reference_store, projection="partnerships", kinds=["Cooperation"])
    assert r["filters"]["kinds"] == ["cooperation"] and r["empty"] is None
    r = analyses.brokers(reference_store, projection="partnerships", since="2020",
                         until="2010")
    assert "since 2020 is after until 2010" in r["empty"]["why"]


def test_empty_filters_say_which_filter_emptied_them(reference_store):
    r = analyses.brokers(reference_store, projection="partnerships", since="2020")
    assert r["rows"] == [] and "--since 2020" in r["empty"]["why"]
    assert "7 without a date" in r["empty"]["why"]
    assert r["empty"]["try"][0] == "drop or widen --since"


def test_directed_graphml_keeps_its_arcs_and_exports_undirected_ties(store, tmp_path):
    # a directed GraphML file: its partnerships are arcs; exported again, partnernet says
    # per edge which ties are directed, so the file loads back unchanged
    import networkx as nx

    from partnernet.loaders.export import export_graph

    d = nx.DiGraph()
    for v in ("a", "b", "c"):
        d.add_node(f"city:xx:{v}", node_label="City", name=v.upper())
    d.add_edge("city:xx:a", "city:xx:b", rel_type="PARTNERS_WITH")
    d.add_edge("city:xx:b", "city:xx:c", rel_type="PARTNERS_WITH")
    path = tmp_path / "arcs.graphml"
    nx.write_graphml(d, path)
    load_files(store, [path])
    g = store.to_networkx()
    assert all(x.get("directed") is True for _, _, x in g.edges(data=True))
    r = analyses.brokers(store, projection="partnerships", directed=True, top=None)
    b = next(x for x in r["rows"] if x["name"] == "B")
    assert b["brokerage_total"] == 1  # a -> b -> c only; undirected it would be 2
    out = tmp_path / "again.graphml"
    export_graph(g, "graphml", out)
    again = load_files(store, [out])
    assert again.as_dict()["relationships"]["unchanged"] == 2
