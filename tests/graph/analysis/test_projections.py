"""Projections: which one, why, and what each holds.

Expected values: small graphs worked by hand, the reference graph's facts (counted in the
seed documents' YAML), and exact totals of the explicit Newman projection (NetworkX)."""

from __future__ import annotations

import itertools
import math

import networkx as nx
import pytest

from partnernet.graph.analysis.comembership import co_membership
from partnernet.graph.analysis.group_mixing import group_density, group_ei_index, group_shares
from partnernet.graph.analysis.projections import (
    affiliations,
    all_ties_graph,
    annotate,
    default_projection,
    partnership_graph,
    project,
    two_mode_graph,
)
from partnernet.graph.store.base import build_networkx
from partnernet.loaders.reference_graph import reference_plan


@pytest.fixture(scope="module")
def reference():
    plan = reference_plan()
    g = build_networkx(((x.id, x.label.value, x.name, x.source, x.props) for x in plan.nodes),
                       ((r.start, r.type.value, r.end, r.key, r.props)
                        for r in plan.relationships))
    return annotate(g)


def _graph(nodes, edges):
    g = nx.MultiDiGraph()
    for n, label in nodes:
        g.add_node(n, label=label, name=n)
    for a, t, b, *props in edges:
        g.add_edge(a, b, type=t, **(props[0] if props else {}))
    return g


def test_default_follows_what_the_store_holds():
    members = _graph([("city:a", "City"), ("city:b", "City"), ("network:n", "Network")],
                     [("city:a", "MEMBER_OF", "network:n"), ("city:b", "MEMBER_OF", "network:n")])
    name, why = default_projection(members)
    assert name == "co-membership" and "partnerships tie 0 actors" in why
    pairs = _graph([("city:a", "City"), ("city:b", "City")],
                   [("city:a", "PARTNERS_WITH", "city:b")])
    assert default_projection(pairs)[0] == "partnerships"
    nothing = _graph([("city:a", "City"), ("theme:t", "Theme")],
                     [("city:a", "WORKS_ON", "theme:t")])
    assert default_projection(nothing)[0] == "all"


def test_reference_graph_alone_defaults_to_co_membership_and_says_why(reference):
    # the seeds hold 7 PARTNERS_WITH (4 pairs: Metropolis with Guangzhou, UCLG, the European
    # Commission and the Global Taskforce; 5 actors) and memberships tying 20 actors
    p = project(reference)
    assert p.name == "co-membership"
    assert p.reason == ("default for this store: partnerships tie 5 actors; shared groups "
                        "(networks, committees, initiatives, agreements, events) tie 20")
    info = p.describe()
    assert info["ties"] > 0 and info["nodes"] == 25
    partnerships = project(reference, "partnerships")
    assert partnerships.reason == "asked for"
    metropolis = "network:metropolis"
    assert sorted(partnerships.graph[metropolis]) == [
        "city:cn:guangzhou", "network:uclg", "partner:european-commission",
        "partner:global-taskforce"]


def test_two_mode_has_groups_of_every_kind(reference):
    b = project(reference, "two-mode").graph
    labels = {d["label"] for _, d in b.nodes(data=True) if d["bipartite"] == 1}
    assert labels == {"Network", "Committee", "Initiative", "Agreement", "Event"}
    # Maringá is a member of the UNGC Cities Programme and involved in one initiative
    assert sorted(b["city:br:maringa"]) == [
        "initiative:maringa:assistance-to-women-reference-center",
        "network:ungc-cities-programme"]
    only_networks = two_mode_graph(reference, group_labels=["Network"])
    assert {d["label"] for _, d in only_networks.nodes(data=True)
            if d["bipartite"] == 1} == {"Network"}


def test_all_ties_leave_geography_out(reference):
    h = all_ties_graph(reference)
    # LOCATED_IN is not a tie: Brazil (only a place Maringá is in) stays out, China enters
    # as a party to the Transit Mongolia initiative (INVOLVES), but not tied to Beijing
    assert "country:br" not in h and "country:cn" in h
    assert not h.has_edge("city:cn:beijing", "country:cn")
    assert {"FocalUnit", "Committee", "Network", "Initiative"} <= {
        d.get("label") for _, d in h.nodes(data=True)}


def test_affiliations_read_every_membership_type():
    g = _graph([("city:a", "City"), ("partner:p", "Partner"), ("country:x", "Country"),
                ("focalunit:u", "FocalUnit"), ("network:n", "Network"),
                ("committee:c", "Committee"), ("initiative:i", "Initiative"),
                ("agreement:g", "Agreement"), ("event:e", "Event")],
               [("city:a", "MEMBER_OF", "network:n"), ("partner:p", "SITS_ON", "committee:c"),
                ("initiative:i", "INVOLVES", "country:x"), ("partner:p", "PARTY_TO", "agreement:g"),
                ("city:a", "HOSTS", "event:e"), ("focalunit:u", "COORDINATES", "initiative:i"),
                ("city:a", "PARTNERS_WITH", "partner:p")])
    assert affiliations(g) == [("city:a", "event:e"), ("city:a", "network:n"),
                               ("country:x", "initiative:i"), ("focalunit:u", "initiative:i"),
                               ("partner:p", "agreement:g"), ("partner:p", "committee:c")]


def test_period_filters_need_dates():
    g = _graph([("city:a", "City"), ("city:b", "City"), ("city:c", "City")],
               [("city:a", "PARTNERS_WITH", "city:b", {"since": "2015"}),
                ("city:b", "PARTNERS_WITH", "city:c")])
    assert partnership_graph(g).number_of_edges() == 2
    assert list(partnership_graph(g, since="2010").edges()) == [("city:a", "city:b")]
    assert partnership_graph(g, until="2014").number_of_edges() == 0


def test_directed_partnerships_become_arcs():
    g = _graph([("city:a", "City"), ("city:b", "City"), ("city:c", "City")],
               [("city:a", "PARTNERS_WITH", "city:b", {"directed": True}),
                ("city:b", "PARTNERS_WITH", "city:c")])
    d = partnership_graph(g, directed=True)
    assert d.is_directed() and sorted(d.edges()) == [("city:a", "city:b"),
                                                    ("city:b", "city:c"), ("city:c", "city:b")]
    p = project(g, "two-mode", directed=True)
    assert not p.directed and "computed without direction" in p.notes[-1]


def _explicit(b):
    members = [v for v, d in b.nodes(data=True) if d["bipartite"] == 0]
    return nx.algorithms.bipartite.collaboration_weighted_projected_graph(b, members)


@pytest.fixture
def mixed():
    # 3 groups; members carry bloc and region
    b = nx.Graph()
    spec = {"n1": ["s1", "s2", "x1"], "n2": ["s1", "x1", "x2", "u"], "n3": ["s2", "s3"]}
    for grp, ms in spec.items():
        b.add_node(grp, bipartite=1)
        for m in ms:
            b.add_node(m, bipartite=0)
            b.add_edge(m, grp)
    blocs = {"s1": "South", "s2": "South", "s3": "South", "x1": "North", "x2": "North",
             "u": "UN"}
    regions = {"s1": "Africa", "s2": "Africa", "s3": "Asia", "x1": "Europe", "x2": "Europe",
               "u": "Europe"}
    nx.set_node_attributes(b, blocs, "bloc")
    nx.set_node_attributes(b, regions, "region")
    return b


def test_group_shares_equal_the_explicit_projection(mixed):
    full = _explicit(mixed)
    totals: dict = {}
    for u, v, w in full.edges(data="weight"):
        pair = {mixed.nodes[u]["bloc"], mixed.nodes[v]["bloc"]}
        kind = ("unclassified" if pair & {"UN"} else "South-South" if pair == {"South"}
                else "North-North" if pair == {"North"} else "North-South")
        totals[kind] = totals.get(kind, 0.0) + w
    shares = group_shares(mixed)["overall"]
    for kind, w in totals.items():
        assert shares[kind]["weight"] == pytest.approx(w, abs=1e-12)
    classified = sum(w for k, w in totals.items() if k != "unclassified")
    assert shares["South-South"]["share"] == pytest.approx(totals["South-South"] / classified)


def test_group_ei_and_density_equal_the_explicit_projection(mixed):
    full = _explicit(mixed)
    blocs = {v: mixed.nodes[v]["bloc"] for v in full if mixed.nodes[v]["bloc"] != "UN"}
    e = sum(w for u, v, w in full.edges(data="weight")
            if u in blocs and v in blocs and blocs[u] != blocs[v])
    i = sum(w for u, v, w in full.edges(data="weight")
            if u in blocs and v in blocs and blocs[u] == blocs[v])
    r = group_ei_index(mixed, blocs, permutations=200, seed=1)["network"]
    assert r["ei"] == pytest.approx((e - i) / (e + i), abs=1e-12)
    assert 1 / 201 <= r["p_value"] <= 1  # (b + 1)/(R + 1): never 0
    d = group_density(mixed)
    africa_europe = sum(w for u, v, w in full.edges(data="weight")
                        if {mixed.nodes[u]["region"], mixed.nodes[v]["region"]}
                        == {"Africa", "Europe"})
    assert d["matrix"]["Africa"]["Europe"] == pytest.approx(africa_europe / (2 * 3))


def test_large_groups_are_hubs_with_their_weight_added():
    # two members share a 3-member group and a 2-member group; with budget 1 pair, the
    # 3-member group is a hub and the pair keeps 1/(2-1) + 1/(3-1) = 1.5
    b = nx.Graph([("a", "big"), ("b", "big"), ("c", "big"), ("a", "small"), ("b", "small")])
    nx.set_node_attributes(b, {v: int(v in ("big", "small")) for v in b}, "bipartite")
    p = co_membership(b, max_pairs=1)
    assert p.hubs == {"big": 3}
    assert p.graph["a"]["b"]["weight"] == pytest.approx(1.5)
    assert p.graph["a"]["big"]["distance"] == pytest.approx(1.0)  # (3 - 1) / 2
    assert not p.graph.has_edge("a", "c")  # through the hub, not as a pair
    assert p.describe()["large_groups"] == [{"id": "big", "name": "big", "members": 3}]
    assert math.isclose(p.stats["pairs_in_full_projection"], 1 + 3)


def test_twelve_thousand_member_group_is_never_a_clique():
    b = nx.Graph()
    b.add_node("giant", bipartite=1)
    for i in range(12_000):
        b.add_node(i, bipartite=0)
        b.add_edge(i, "giant")
    p = co_membership(b)
    # 12,000 spokes, not 71,994,000 pairs
    assert p.graph.number_of_edges() == 12_000 and p.hubs == {"giant": 12_000}
    assert p.stats["pairs_in_full_projection"] == 12_000 * 11_999 // 2
    assert list(itertools.islice(p.graph["giant"], 3)) == [0, 1, 2]
