"""Broker measures against independent implementations.

Reference values: R sna 2.7.1 and igraph 1.3.5 (tests/reference/make_reference.R, values in
reference_values.json), NetworkX 3.6, brute-force counts, and Padgett's Florentine families
(the Medici are the top broker; Padgett & Ansell 1993, doi:10.1086/230190).
"""

from __future__ import annotations

import csv
import json
import math
import random
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest

from partnernet.formatting import json_safe
from partnernet.graph.analysis.betweenness import betweenness
from partnernet.graph.analysis.brokerage import ROLES, _role, brokerage
from partnernet.graph.analysis.brokers import broker_table
from partnernet.graph.analysis.cuts import cut_points_and_bridges
from partnernet.graph.analysis.ei_index import ei_index
from partnernet.graph.analysis.kernel import to_igraph
from partnernet.graph.analysis.structural_holes import structural_holes

REF = Path(__file__).resolve().parents[2] / "reference"
R = json.loads((REF / "reference_values.json").read_text())
# sna's columns w_I, w_O, b_IO, b_OI, b_O, t; its C code counts representatives ([i j] [k])
# in b_IO and gatekeepers ([i] [j k]) in b_OI (sna/src/gli.c, brokerage_R)
SNA_ORDER = ("coordinator", "itinerant", "representative", "gatekeeper", "liaison", "total")


def _groups(name: str) -> dict:
    with (REF / name).open() as f:
        return {(int(r["node"]) if r["node"].isdigit() else r["node"]): r["group"]
                for r in csv.DictReader(f)}


@pytest.fixture(scope="module")
def florentine():
    return nx.florentine_families_graph()


@pytest.fixture(scope="module")
def digraph():
    g = nx.DiGraph()
    g.add_nodes_from(range(30))
    with (REF / "random_digraph_edges.csv").open() as f:
        g.add_edges_from((int(r["from"]), int(r["to"])) for r in csv.DictReader(f))
    return g


def test_betweenness_matches_r_igraph(florentine):
    ours = betweenness(florentine)["scores"]
    for family, value in R["florentine_betweenness"].items():
        assert ours[family] == pytest.approx(value, abs=1e-12)


def test_betweenness_matches_networkx_exact_and_sampled():
    g = nx.relabel_nodes(nx.powerlaw_cluster_graph(400, 3, 0.2, seed=5), str)
    assert betweenness(g)["scores"] == pytest.approx(nx.betweenness_centrality(g), abs=1e-12)
    sampled = betweenness(g, k=64, seed=9)
    assert sampled["method"] == "sampled" and "64 pivots" in sampled["description"]
    assert sampled["scores"] == pytest.approx(nx.betweenness_centrality(g, k=64, seed=9),
                                              abs=1e-12)


def test_weighted_betweenness_uses_inverse_strength():
    g = nx.Graph([("a", "b", {"w": 4.0}), ("b", "c", {"w": 4.0}), ("a", "c", {"w": 1.0})])
    # strong ties are short: a-b-c (0.25 + 0.25) beats a-c (1.0), so b brokers a and c
    assert betweenness(g, weight="w", normalized=False)["scores"]["b"] == 1.0


def test_constraint_matches_r_igraph_and_networkx(florentine):
    ours = structural_holes(florentine)
    for family, value in R["florentine_constraint"].items():
        assert ours["constraint"][family] == pytest.approx(value, abs=1e-12)
    assert ours["constraint"] == pytest.approx(nx.constraint(florentine), abs=1e-12)
    assert ours["effective_size"] == pytest.approx(nx.effective_size(florentine), abs=1e-12)


def test_weighted_effective_size_matches_burts_definition():
    g = nx.powerlaw_cluster_graph(120, 3, 0.4, seed=2)
    rng = random.Random(1)
    for _, _, d in g.edges(data=True):
        d["w"] = rng.randint(1, 5)
    ours = structural_holes(g, weight="w")
    # NetworkX's per-node path implements Burt's formula; its whole-graph matrix path in
    # 3.6.1 normalises m_jq by the wrong row's maximum (see README: found on the way).
    assert ours["effective_size"] == pytest.approx(
        nx.effective_size(g, nodes=list(g), weight="w"), abs=1e-9)
    assert ours["constraint"] == pytest.approx(nx.constraint(g, weight="w"), abs=1e-12)


def test_isolates_are_undefined_and_json_gets_null():
    g = nx.Graph([("a", "b")])
    g.add_node("lonely")
    r = structural_holes(g)
    assert all(math.isnan(r[m]["lonely"]) for m in r)
    assert json.loads(json.dumps(json_safe(r)))["constraint"]["lonely"] is None


def test_sampled_betweenness_states_its_split_half_agreement():
    # A tree has pronounced brokers: two halves of the pivots agree on most of the top 25.
    # A random 4-regular graph has none (every node is alike): they barely agree, and the
    # description says the ranking cannot be trusted. Values: deterministic for the seeds,
    # checked against the definition (overlap of the two halves' top 25).
    tree = betweenness(nx.random_labeled_tree(400, seed=1), k=200, seed=0)
    assert tree["agreement"]["top"] == 25 and tree["agreement"]["shared"] >= 20
    assert "unreliable" not in tree["description"]
    flat = betweenness(nx.random_regular_graph(4, 400, seed=1), k=200, seed=0)
    assert flat["agreement"]["share"] < 0.2 and "unreliable" in flat["description"]
    assert betweenness(nx.path_graph(10), k=1)["agreement"] is None  # one pivot: no halves
    assert betweenness(nx.path_graph(10))["agreement"] is None  # exact


def test_a_self_loop_alone_is_no_investment():
    # Burt: constraint and effective size count ties to *other* actors; a node whose only
    # tie is to itself is as undefined as an isolate (NetworkX 3.6.1 agrees: nan; igraph
    # gives 0.0).
    g = nx.Graph([("a", "b"), ("me", "me"), ("c", "c"), ("c", "a")])
    r = structural_holes(g)
    assert all(math.isnan(r[m]["me"]) for m in r)
    assert r["constraint"]["c"] == pytest.approx(1.0)  # one contact: fully constrained
    assert r["effective_size"]["c"] == pytest.approx(1.0)


def test_measures_and_a_shared_kernel_give_the_same_values():
    g = nx.florentine_families_graph()
    whole = structural_holes(g)
    kernel = to_igraph(g)
    assert structural_holes(g, measures=["constraint"], kernel=kernel) == {
        "constraint": whole["constraint"]}
    with pytest.raises(ValueError, match="does not match"):
        structural_holes(nx.path_graph(3), kernel=kernel)
    with pytest.raises(ValueError, match="unknown measures"):
        structural_holes(g, measures=["brokerage"])


def _brute(g: nx.DiGraph, groups: dict) -> dict:
    out = {}
    for j in g:
        c: Counter = Counter()
        for i in g.predecessors(j):
            for k in g.successors(j):
                if len({i, j, k}) == 3 and not g.has_edge(i, k):
                    c[_role(groups[i], groups[j], groups[k])] += 1
        out[j] = c
    return out


def test_brokerage_matches_r_sna_on_a_digraph(digraph):
    groups = _groups("random_digraph_groups.csv")
    ours = brokerage(digraph, groups)
    for j in range(30):
        row, key = ours["nodes"][j], str(j + 1)  # R numbers rows from 1
        assert [row[r] for r in SNA_ORDER] == R["digraph_brokerage_raw"][key]
        assert [row["expected"][r] for r in SNA_ORDER] == pytest.approx(
            R["digraph_brokerage_exp"][key], rel=1e-9)
        sds = [(row[r] - row["expected"][r]) / row["z"][r] if row["z"][r] else None
               for r in SNA_ORDER]
        for ours_sd, r_sd in zip(sds, R["digraph_brokerage_sd"][key], strict=True):
            if ours_sd is not None:
                assert ours_sd == pytest.approx(r_sd, rel=1e-9)
    net, cols = ours["network"], ("w_I", "w_O", "b_IO", "b_OI", "b_O", "t")
    gli = R["digraph_brokerage_gli"]
    assert [net[r] for r in SNA_ORDER] == [gli["raw"][c] for c in cols]
    assert [net["expected"][r] for r in SNA_ORDER] == pytest.approx(
        [gli["exp"][c] for c in cols], rel=1e-9)
    z = [(net[r] - net["expected"][r]) / gli["sd"][c] for r, c in zip(SNA_ORDER, cols,
                                                                        strict=True)]
    assert [net["z"][r] for r in SNA_ORDER] == pytest.approx(z, rel=1e-9)


def test_brokerage_matches_r_sna_on_florentine(florentine):
    groups = _groups("florentine_groups.csv")
    ours = brokerage(florentine, groups)
    for family, raw in R["florentine_brokerage_raw"].items():
        assert [ours["nodes"][family][r] for r in SNA_ORDER] == raw
        z = [ours["nodes"][family]["z"][r] for r in SNA_ORDER]
        for a, b in zip(z, R["florentine_brokerage_z"][family], strict=True):
            if b is None:
                assert math.isnan(a)
            else:
                assert a == pytest.approx(b, rel=1e-9)


def test_brokerage_matches_brute_force_on_random_graphs():
    for seed in range(5):
        g = nx.gnp_random_graph(40, 0.1, seed=seed, directed=True)
        groups = {v: random.Random(v * 7 + seed).choice("abcd") for v in g}
        ours = brokerage(g, groups)["nodes"]
        for j, c in _brute(g, groups).items():
            assert {r: ours[j][r] for r in ROLES} == {r: c.get(r, 0) for r in ROLES}


def test_medici_are_the_top_broker(florentine):
    nx.set_node_attributes(florentine, _groups("florentine_groups.csv"), "region")
    table = broker_table(florentine)
    assert table["rows"][0]["name"] == "Medici"  # Padgett & Ansell 1993
    assert table["rows"][0]["connects"]


def test_cut_points_and_bridges_match_networkx():
    for seed in range(10):
        g = nx.gnp_random_graph(60, 0.04, seed=seed)
        r = cut_points_and_bridges(g)
        assert {x["node"] for x in r["cut_points"]} == set(nx.articulation_points(g))
        assert {frozenset((x["u"], x["v"])) for x in r["bridges"]} == {
            frozenset(e) for e in nx.bridges(g)}


def test_ei_index_by_hand():
    # 2 internal ties (a-b, c-d), 3 external (b-c, a-c, b-d): EI = (3 - 2) / 5
    g = nx.Graph([("a", "b"), ("c", "d"), ("b", "c"), ("a", "c"), ("b", "d")])
    r = ei_index(g, {"a": 1, "b": 1, "c": 2, "d": 2}, permutations=200, seed=1)
    assert r["network"]["ei"] == pytest.approx(0.2)
    # group 1 touches a-b (internal), b-c, a-c, b-d (external): (3 - 1) / 4
    assert r["groups"]["1"]["ei"] == pytest.approx(0.5)
    assert r["nodes"]["a"] == pytest.approx(0.0)  # a-b internal, a-c external
    # The permutation null, by hand: of the 6 ways to put 2 of the 4 nodes in group 1,
    # 4 give EI 0.2 ({a,b}, {c,d}, {a,c}, {b,d}: 2 internal ties) and 2 give EI 0.6
    # ({a,d}, {b,c}: 1 internal tie). Mean 1/3; every permutation is at least as far from
    # it as the observed 0.2, so the two-sided p is 1; P(EI <= 0.2) = 4/6.
    assert r["network"]["expected"] == pytest.approx(1 / 3, abs=0.05)  # 200 draws: sd 0.013
    assert r["network"]["p_value"] == 1.0
    assert r["network"]["p_lower"] == pytest.approx(4 / 6, abs=0.12)  # sd 0.033
