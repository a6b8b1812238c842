"""The store contract, run against both backends (SQLite and a real Neo4j).

Expected values are worked out by hand from the records each test loads.
"""

from __future__ import annotations

import pytest

from partnernet.graph.schema import Node, NodeLabel, Relationship, RelType, SchemaError
from partnernet.graph.store import GraphStore
from partnernet.graph.store.base import StoreError


def city(slug: str, name: str, country: str = "BR", **props) -> Node:
    return Node(id=f"city:{country.lower()}:{slug}", label=NodeLabel.CITY, name=name,
                source="test", props={"country": country, **props})


def rel(a: Node, t: RelType, b: Node, key: str = "", **props) -> Relationship:
    return Relationship(start=a.id, type=t, end=b.id, key=key, props=props)


SAO_PAULO = city("sao-paulo", "São Paulo", population=12_000_000)
MARINGA = city("maringa", "Maringá")
QUANZHOU = city("quanzhou", "Quanzhou 泉州", "CN")
METROPOLIS = Node(id="network:metropolis", label=NodeLabel.NETWORK, name="Metropolis",
                  source="test")
UCLG = Node(id="network:uclg", label=NodeLabel.NETWORK, name="UCLG", source="test")
BRAZIL = Node(id="country:br", label=NodeLabel.COUNTRY, name="Brazil", source="test",
              props={"iso2": "BR"})


@pytest.fixture
def loaded(store: GraphStore) -> GraphStore:
    store.load(
        [SAO_PAULO, MARINGA, QUANZHOU, METROPOLIS, UCLG, BRAZIL],
        [rel(SAO_PAULO, RelType.MEMBER_OF, METROPOLIS, level="full", since="2018"),
         rel(MARINGA, RelType.MEMBER_OF, UCLG),
         rel(SAO_PAULO, RelType.LOCATED_IN, BRAZIL),
         rel(MARINGA, RelType.LOCATED_IN, BRAZIL),
         rel(MARINGA, RelType.PARTNERS_WITH, QUANZHOU, kind="twinning", sdgs=[11, 17])],
    )
    return store


def test_is_a_graph_store(store):
    assert isinstance(store, GraphStore)


def test_load_reports_created_then_unchanged(store):
    nodes = [SAO_PAULO, MARINGA, METROPOLIS]
    rels = [rel(SAO_PAULO, RelType.MEMBER_OF, METROPOLIS)]
    first = store.load(nodes, rels)
    assert (first.nodes_created, first.relationships_created) == (3, 1)
    before = store.counts()
    second = store.load(nodes, rels)
    assert (second.nodes_created, second.nodes_updated, second.nodes_unchanged) == (0, 0, 3)
    assert (second.relationships_created, second.relationships_unchanged) == (0, 1)
    assert store.counts() == before


def test_update_merges_properties(loaded):
    summary = loaded.upsert_nodes([city("maringa", "Maringá", population=430_000)])
    assert summary.nodes_updated == 1
    node = loaded.get_node(MARINGA.id)
    assert node.props == {"country": "BR", "population": 430_000}


def test_a_later_load_keeps_where_a_record_came_from(loaded):
    # found by the new-user walk: an edge list without countries resolving "Nairobi" made
    # the stored Nairobi read "loaded from edges_plain.csv", "no country given", and a
    # twin-town tie "edges_plain.csv, row 2"; the sources table then under-counted its file
    first = city("maringa", "Maringá", resolution="resolved", resolution_note="name, country")
    loaded.upsert_nodes([first])
    later = Node(id=MARINGA.id, label=NodeLabel.CITY, name="Maringá", source="edges.csv",
                 props={"resolution": "resolved", "resolution_note": "no country given",
                        "population": 430_000})
    tie = rel(MARINGA, RelType.PARTNERS_WITH, QUANZHOU, kind="twinning", source="edges.csv",
              since="1990")
    summary = loaded.load([later], [tie])
    assert (summary.nodes_updated, summary.relationships_updated) == (1, 1)
    node = loaded.get_node(MARINGA.id)
    assert node.source == "test"
    assert node.props == {"country": "BR", "population": 430_000, "resolution": "resolved",
                          "resolution_note": "name, country"}
    (r,) = [r for r in loaded.list_relationships(RelType.PARTNERS_WITH).items]
    assert r.props["since"] == "1990" and r.props["source"] == "edges.csv"  # none before
    loaded.load([], [rel(MARINGA, RelType.PARTNERS_WITH, QUANZHOU, source="other.csv")])
    (r,) = [r for r in loaded.list_relationships(RelType.PARTNERS_WITH).items]
    assert r.props["source"] == "edges.csv"
    # an edit (the API's PATCH) says its source
    loaded.upsert_nodes([later], keep_provenance=False)
    assert loaded.get_node(MARINGA.id).source == "edges.csv"


def test_dry_run_writes_nothing(store):
    summary = store.load([SAO_PAULO], dry_run=True)
    assert summary.nodes_created == 1 and summary.dry_run
    assert store.get_node(SAO_PAULO.id) is None


def test_get_node_round_trips_unicode(loaded):
    for n in (SAO_PAULO, MARINGA, QUANZHOU):
        got = loaded.get_node(n.id)
        assert got == n
    assert loaded.get_node("city:xx:nowhere") is None


def test_get_nodes(loaded):
    got = loaded.get_nodes([SAO_PAULO.id, "city:xx:none", QUANZHOU.id])
    assert set(got) == {SAO_PAULO.id, QUANZHOU.id}


def test_neighbours_by_type_and_direction(loaded):
    out = loaded.neighbours(MARINGA.id, direction="out")
    assert {(n.relationship.type, n.node.id) for n in out} == {
        (RelType.MEMBER_OF, UCLG.id), (RelType.LOCATED_IN, BRAZIL.id),
        (RelType.PARTNERS_WITH, QUANZHOU.id)}
    only = loaded.neighbours(MARINGA.id, types=[RelType.PARTNERS_WITH])
    assert [n.node.name for n in only] == ["Quanzhou 泉州"]
    assert only[0].relationship.props == {"kind": "twinning", "sdgs": [11, 17]}
    inbound = loaded.neighbours(BRAZIL.id, direction="in")
    assert {n.node.id for n in inbound} == {SAO_PAULO.id, MARINGA.id}
    assert all(n.direction == "in" for n in inbound)
    assert loaded.neighbours(QUANZHOU.id, direction="out") == []


@pytest.mark.parametrize("query, expected", [
    ("sao paulo", ["São Paulo"]),
    ("SÃO", ["São Paulo"]),
    ("maringa", ["Maringá"]),
    ("MARINGÁ", ["Maringá"]),
    ("泉州", ["Quanzhou 泉州"]),
    ("100%", []),
    ("_", []),
])
def test_search_is_case_and_accent_insensitive(loaded, query, expected):
    assert [n.name for n in loaded.search(query)] == expected


def test_search_ranks_exact_then_prefix_and_filters_labels(loaded):
    assert [n.name for n in loaded.search("u")][:1] == ["UCLG"]  # prefix first
    assert [n.name for n in loaded.search("o", labels=[NodeLabel.NETWORK])] == ["Metropolis"]


def test_list_nodes_with_filters_and_pages(loaded):
    page = loaded.list_nodes(NodeLabel.CITY)
    assert page.count == 3
    assert [n.name for n in page.items] == ["Maringá", "Quanzhou 泉州", "São Paulo"]
    br = loaded.list_nodes(NodeLabel.CITY, where={"country": "BR"})
    assert br.count == 2
    second = loaded.list_nodes(NodeLabel.CITY, limit=1, offset=1)
    assert (second.count, [n.name for n in second.items]) == (3, ["Quanzhou 泉州"])
    assert loaded.list_nodes().count == 6
    assert loaded.list_nodes(NodeLabel.CITY, where={"population": 12_000_000}).count == 1


def test_list_relationships(loaded):
    assert loaded.list_relationships().count == 5
    assert loaded.list_relationships(RelType.LOCATED_IN).count == 2
    page = loaded.list_relationships(node_id=MARINGA.id)
    assert page.count == 3
    assert {r.type for r in page.items} == {RelType.MEMBER_OF, RelType.LOCATED_IN,
                                             RelType.PARTNERS_WITH}


def test_counts(loaded):
    c = loaded.counts()
    assert c.nodes == {"City": 3, "Country": 1, "Network": 2}
    assert c.relationships == {"LOCATED_IN": 2, "MEMBER_OF": 2, "PARTNERS_WITH": 1}


def test_delete_node_removes_its_relationships(loaded):
    assert loaded.delete_node(MARINGA.id) is True
    assert loaded.delete_node(MARINGA.id) is False
    assert loaded.get_node(MARINGA.id) is None
    assert loaded.counts().relationships == {"LOCATED_IN": 1, "MEMBER_OF": 1}


def test_delete_relationship(loaded):
    assert loaded.delete_relationship(MARINGA.id, RelType.MEMBER_OF, UCLG.id) is True
    assert loaded.delete_relationship(MARINGA.id, RelType.MEMBER_OF, UCLG.id) is False
    assert loaded.counts().relationships["MEMBER_OF"] == 1


def test_parallel_relationships_by_key(store):
    store.load([SAO_PAULO, MARINGA], [
        rel(SAO_PAULO, RelType.PARTNERS_WITH, MARINGA, key="mou-2019", kind="mou"),
        rel(SAO_PAULO, RelType.PARTNERS_WITH, MARINGA, key="twin", kind="twinning")])
    assert store.counts().relationships == {"PARTNERS_WITH": 2}


def test_to_networkx_whole_and_filtered(loaded):
    g = loaded.to_networkx()
    assert (g.number_of_nodes(), g.number_of_edges()) == (6, 5)
    assert g.nodes[MARINGA.id]["name"] == "Maringá"
    assert g.nodes[SAO_PAULO.id]["population"] == 12_000_000
    edge = g.get_edge_data(MARINGA.id, QUANZHOU.id)["PARTNERS_WITH"]
    assert edge["kind"] == "twinning" and edge["sdgs"] == [11, 17]
    cities = loaded.to_networkx(labels=[NodeLabel.CITY], rel_types=[RelType.PARTNERS_WITH])
    assert sorted(cities.nodes) == sorted([SAO_PAULO.id, MARINGA.id, QUANZHOU.id])
    assert list(cities.edges) == [(MARINGA.id, QUANZHOU.id, "PARTNERS_WITH")]


def test_atomic_bad_relationship_writes_nothing(store):
    bad = Relationship(start=SAO_PAULO.id, type=RelType.MEMBER_OF, end="network:missing")
    with pytest.raises(SchemaError, match="network:missing"):
        store.load([SAO_PAULO, METROPOLIS],
                   [rel(SAO_PAULO, RelType.MEMBER_OF, METROPOLIS), bad])
    assert store.counts().total_nodes == 0


def test_atomic_wrong_endpoint_labels(store):
    wrong = rel(METROPOLIS, RelType.LOCATED_IN, SAO_PAULO)  # a network located in... allowed
    store.load([METROPOLIS, SAO_PAULO], [wrong])
    with pytest.raises(SchemaError, match="cannot join"):
        store.load([BRAZIL], [rel(BRAZIL, RelType.IN_CATEGORY, SAO_PAULO)])
    assert store.get_node(BRAZIL.id) is None


def test_label_conflict_refused(loaded):
    clash = Node(id=MARINGA.id, label=NodeLabel.PARTNER, name="x", source="t")
    with pytest.raises(SchemaError, match="already belongs to a City"):
        loaded.upsert_nodes([clash])


def test_invalid_record_is_refused_before_the_store():
    with pytest.raises(ValueError):
        Node(id="not an id", label=NodeLabel.CITY, name="x", source="t")
    with pytest.raises(ValueError):
        Node(id="city:x", label="Castle", name="x", source="t")
    with pytest.raises(ValueError):
        Node(id="city:x", label=NodeLabel.CITY, name="x", source="t", props={"lat": 123})


def test_store_error_types_are_exported(store):
    assert issubclass(StoreError, RuntimeError)


@pytest.mark.slow
def test_round_trip_20k_nodes_100k_relationships(store):
    import random

    rng = random.Random(7)
    nodes = [Node(id=f"city:gen:{i}", label=NodeLabel.CITY, name=f"City {i}", source="gen",
                  props={"population": i}) for i in range(20_000)]
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < 100_000:
        a, b = rng.randrange(20_000), rng.randrange(20_000)
        if a != b:
            pairs.add((a, b))
    rels = [Relationship(start=f"city:gen:{a}", type=RelType.PARTNERS_WITH, end=f"city:gen:{b}",
                         props={"weight": 1.0}) for a, b in sorted(pairs)]
    summary = store.load(nodes, rels)
    assert (summary.nodes_created, summary.relationships_created) == (20_000, 100_000)
    g = store.to_networkx()
    assert (g.number_of_nodes(), g.number_of_edges()) == (20_000, 100_000)
    a, b = sorted(pairs)[12_345]
    assert g.has_edge(f"city:gen:{a}", f"city:gen:{b}")
    assert g.nodes["city:gen:19999"]["population"] == 19_999
    again = store.load(nodes, rels)
    assert again.changed == 0 and again.relationships_unchanged == 100_000


def test_no_wait_refuses_at_once_when_another_writer_holds_the_store(sqlite_store):
    # SQLite only: Neo4j's no_wait is a no-op (its writers do not queue on a file lock).
    import sqlite3
    import time

    from partnernet.graph.store import StoreBusy

    city = Node(id="city:x:a", label=NodeLabel.CITY, name="A", source="t")
    holder = sqlite3.connect(sqlite_store.path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # a bulk load in another process, say
    try:
        began = time.monotonic()
        with pytest.raises(StoreBusy), sqlite_store.no_wait():
            sqlite_store.upsert_nodes([city])
        assert time.monotonic() - began < 1.0
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert sqlite_store.get_node("city:x:a") is None  # nothing was written
    sqlite_store.upsert_nodes([city])  # the normal wait is back outside no_wait
    assert sqlite_store.get_node("city:x:a").name == "A"


def test_in_process_flag(store):
    assert store.in_process is (store.kind == "sqlite")
    with store.no_wait():
        assert store.counts() is not None


def test_sqlite_counts_are_reused_but_never_hide_a_write(sqlite_store):
    import sqlite3

    from partnernet.graph.store.sqlite import SQLiteStore

    other = SQLiteStore(sqlite_store.path)  # another process, as far as caching goes
    try:
        assert other.counts().total_nodes == 0
        assert other.counts() is other.counts()  # reused while nothing changes
        sqlite_store.upsert_nodes([Node(id="city:x:a", label=NodeLabel.CITY, name="A",
                                        source="t")])
        assert sqlite_store.counts().total_nodes == 1  # own write: at once
        assert other.counts().total_nodes == 1  # someone else's write: at once too
        before = other.counts()
        raw = sqlite3.connect(sqlite_store.path)  # another tool changes a name only: same
        raw.execute("UPDATE nodes SET name = 'C'")  # counts, but a new snapshot, recounted
        raw.commit()
        raw.close()
        assert other.counts() is not before and other.counts().total_nodes == 1
        sqlite_store.delete_node("city:x:a")
        assert sqlite_store.counts().total_nodes == 0
    finally:
        other.close()
