"""KADABRA betweenness estimates: within the stated epsilon of exact values, unbiased, on
NetworkX's normalisation, reproducible from a seed; and the default above the exact limit.

Expected values: NetworkX's exact ``betweenness_centrality`` (the reference the exact path
is tested against), and on the twin-town file igraph's exact scores."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from partnernet.graph.analysis import betweenness as bmod
from partnernet.graph.analysis.betweenness import betweenness


@pytest.fixture(scope="module")
def clustered():
    return nx.powerlaw_cluster_graph(400, 3, 0.2, seed=4)


def _arrays(est: dict, exact: dict, g) -> tuple[np.ndarray, np.ndarray]:
    return (np.array([est["scores"][v] for v in g]), np.array([exact[v] for v in g]))


@pytest.mark.parametrize("name", ["karate", "clustered"])
def test_every_score_is_within_epsilon_of_exact(name, clustered):
    g = nx.karate_club_graph() if name == "karate" else clustered
    exact = nx.betweenness_centrality(g)
    est = betweenness(g, epsilon=0.002, seed=1)
    a, b = _arrays(est, exact, g)
    assert np.max(np.abs(a - b)) <= 0.002
    assert est["method"] == "kadabra" and est["epsilon"] == 0.002
    assert est["confidence"] == 0.95 and est["samples"] > 1000
    assert "within 0.002" in est["description"] and "95%" in est["description"]
    assert est["agreement"] is None and est["k"] is None
    # the nodes the guarantee places in the exact top 25 are there (checked by hand: the
    # exact top 25 against the estimate's, through the 2-epsilon rule)
    certain, top = est["certain"]["count"], est["certain"]["top"]
    assert top == 25 and 0 < certain <= 25 and f"{certain} of the top 25" in est["description"]
    exact_top = set(sorted(exact, key=lambda v: -exact[v])[:25])
    ranked = sorted(est["scores"], key=lambda v: -est["scores"][v])
    assert set(ranked[:certain]) <= exact_top


def test_scores_are_unbiased_even_with_networkits_first_phase(monkeypatch):
    """NetworKit 11 counts the first phase's paths but divides by the later ones only
    (2-3% too high with its startFactor 100): the rescaling must remove it."""
    g = nx.karate_club_graph()
    exact = nx.betweenness_centrality(g)
    monkeypatch.setattr(bmod, "START_FACTOR", 100)  # a large first phase: a large bias
    a, b = _arrays(betweenness(g, epsilon=0.0005, seed=2), exact, g)
    big = b > 0.02
    assert abs(np.mean(a[big] / b[big]) - 1) < 0.003


def test_unnormalised_scores_are_pair_counts():
    g = nx.karate_club_graph()
    exact = nx.betweenness_centrality(g, normalized=False)
    a, b = _arrays(betweenness(g, epsilon=0.0005, seed=3, normalized=False), exact, g)
    pairs = (34 - 1) * (34 - 2) / 2
    assert np.max(np.abs(a - b)) <= 0.0005 * pairs


def test_the_same_seed_gives_the_same_scores(clustered):
    one = betweenness(clustered, epsilon=0.005, seed=7)["scores"]
    assert betweenness(clustered, epsilon=0.005, seed=7)["scores"] == one
    assert betweenness(clustered, epsilon=0.005, seed=8)["scores"] != one


def test_bad_combinations_are_refused():
    g = nx.path_graph(5)
    with pytest.raises(ValueError, match="either k"):
        betweenness(g, epsilon=0.01, k=3)
    with pytest.raises(ValueError, match="unweighted"):
        betweenness(g, epsilon=0.01, weight="w")
    with pytest.raises(ValueError, match="between 0 and 1"):
        betweenness(g, epsilon=0.01, confidence=1.5)


def test_small_and_disconnected_graphs():
    assert betweenness(nx.empty_graph(0), epsilon=0.01)["scores"] == {}
    two = betweenness(nx.path_graph(2), epsilon=0.01)  # no pair has an inner node
    assert two["scores"] == {0: 0.0, 1: 0.0}
    g = nx.disjoint_union(nx.path_graph(3), nx.path_graph(3))
    g.add_edge(0, 0)  # a self-loop lies on no shortest path
    est = betweenness(g, epsilon=0.001, seed=0)["scores"]
    assert est == pytest.approx(nx.betweenness_centrality(g), abs=0.001)


def test_exact_and_pivot_results_carry_the_new_keys_empty():
    for r in (betweenness(nx.path_graph(4)), betweenness(nx.path_graph(40), k=8)):
        assert r["epsilon"] is None and r["confidence"] is None and r["samples"] is None
        assert r["certain"] is None


def test_brokers_are_estimated_above_the_exact_limit(monkeypatch, tmp_path):
    from partnernet.graph.schema import Node, Relationship
    from partnernet.graph.store.sqlite import SQLiteStore
    from partnernet.service import analyses, betweenness_plan
    from partnernet.service.cache import GraphCache

    store = SQLiteStore(tmp_path / "b.db")
    cities = [Node(id=f"city:br:c{i}", label="City", name=f"C{i}", source="t",
                   props={"country": "BR"}) for i in range(30)]
    store.load(cities, [Relationship(start=cities[i].id, type="PARTNERS_WITH",
                                     end=cities[(i * 7 + 1) % 30].id, source="t")
                        for i in range(30)])
    monkeypatch.setattr(betweenness_plan, "EXACT_LIMIT", 10)
    monkeypatch.setattr(betweenness_plan, "EXACT_WORK", 0)  # exact would be cheaper here
    r = analyses.brokers(store, cache=GraphCache(store, ttl=0))
    assert r["betweenness"]["method"] == "kadabra"
    assert r["betweenness"]["epsilon"] == analyses.DEFAULT_EPSILON
    exact = analyses.brokers(store, cache=GraphCache(store, ttl=0), exact=True)
    assert exact["betweenness"]["method"] == "exact"
    pivots = analyses.brokers(store, cache=GraphCache(store, ttl=0), k=5)
    assert pivots["betweenness"]["method"] == "sampled"
    store.close()


TWIN_TOWNS = "sister-cities/twin_cities_wikipedia.csv"


@pytest.mark.slow
def test_twin_town_top_brokers_match_exact(tmp_path):
    """The issue's target on real data: at the default epsilon, at least 48 of the exact
    top 50, and the top 10 as far as the guarantee can tell it; the default answer exact
    (igraph's exact scores are the reference)."""
    from partnernet.graph.analysis.kernel import betweenness_sum, to_igraph
    from partnernet.graph.analysis.projections import annotate, partnership_graph
    from partnernet.graph.store.sqlite import SQLiteStore
    from partnernet.loaders.load import load_files
    from partnernet.service.analyses import DEFAULT_EPSILON
    from tests.conftest import SHARED

    store = SQLiteStore(tmp_path / "twins.db")
    load_files(store, [SHARED / "data" / TWIN_TOWNS], unknown_countries="warn")  # 2 typos
    g = store.to_networkx()
    annotate(g)
    p = partnership_graph(g, include_partners=True)
    p.remove_nodes_from([v for v in list(p) if p.degree(v) == 0])
    assert p.number_of_nodes() > 17_000
    kern = to_igraph(p)
    n = p.number_of_nodes()
    scale = 2 / ((n - 1) * (n - 2))  # igraph's raw sums on NetworkX's normalised scale
    exact = {v: x * scale for v, x in zip(kern.nodes, betweenness_sum(kern.graph),
                                          strict=True)}

    def top(scores, m):
        return set(sorted(scores, key=lambda v: (-scores[v], v))[:m])

    # Ranks 49 to 52 of the exact scores lie within 0.0001 of each other (a tenth of
    # epsilon): which of them an estimate puts in its top 50 is luck for any sampler with
    # this epsilon. Measured on this file: 47-49 of 50 over seeds 0-4 (at epsilon 0.0005
    # too). So the 48/50 is asked of the median over five seeds, and no seed may
    # fall below 46.
    runs = [betweenness(p, epsilon=DEFAULT_EPSILON, seed=s, kernel=kern) for s in range(5)]
    overlaps = sorted(len(top(r["scores"], 50) & top(exact, 50)) for r in runs)
    assert overlaps[2] >= 48 and overlaps[0] >= 46, overlaps
    result = runs[0]
    est = result["scores"]
    # The exact top 10 cannot be demanded of any epsilon-guaranteed sampler here: on this
    # file ranks 10 and 11 differ by 0.00003 (0.00886 vs 0.00883), 30 times less than
    # epsilon. What the guarantee gives: an estimated top-10 node is never more than 2
    # epsilon below the exact 10th score, and the ranks the answer calls certain are right.
    tenth = sorted(exact.values(), reverse=True)[9]
    assert all(exact[v] >= tenth - 2 * DEFAULT_EPSILON for v in top(est, 10))
    assert len(top(est, 10) & top(exact, 10)) >= 9
    certain = result["certain"]
    certain_nodes = sorted(est, key=lambda v: (-est[v], v))[:certain["count"]]
    assert set(certain_nodes) <= top(exact, certain["top"])

    # Issue 15's "top 10 exact": exact itself, now that its cost on this graph (Brandes on
    # the 2-core, pendant trees by formula) is no more than the estimate's. The default
    # answer is exact, equal to igraph's Brandes on the whole graph.
    from partnernet.service import analyses
    from partnernet.service.betweenness_plan import EXACT_WORK

    fast = betweenness(p, epsilon=DEFAULT_EPSILON, kernel=kern, exact_within=EXACT_WORK)
    assert fast["method"] == "exact" and "5,954-node 2-core" in fast["description"]
    assert max(abs(fast["scores"][v] - exact[v]) for v in exact) < 1e-12
    ranked = sorted(exact, key=lambda v: (-exact[v], v))
    answer = analyses.brokers(store, top=50)
    assert answer["betweenness"]["method"] == "exact", answer["betweenness"]["description"]
    assert [r["node"] for r in answer["rows"][:10]] == ranked[:10]
    assert {r["node"] for r in answer["rows"]} == set(ranked[:50])
    store.close()


@pytest.mark.parametrize("edges", [[], [(0, 1)], [(0, 1), (2, 3)], [(0, 1), (1, 2), (0, 2)]])
def test_graphs_where_no_node_lies_between_answer_zeros_at_once(edges):
    # Found as a new user: `analyse brokers --since 2020` on the twin-town store (no dated
    # partnership: 18,405 nodes, no ties) ran for 12 minutes and more: NetworKit's KADABRA
    # never meets its stopping rule without a path of two ties. Run in a child process so
    # that a regression fails here instead of hanging the suite. Expected: 0 for all (by
    # hand: every component is complete, so no shortest path has an inner node).
    import subprocess
    import sys

    code = ("import networkx as nx; from partnernet.graph.analysis.betweenness import "
            f"betweenness; g = nx.empty_graph(200); g.add_edges_from({edges!r}); "
            "r = betweenness(g, epsilon=0.001); "
            "print(r['method'], set(r['scores'].values()), len(r['scores']))")
    try:
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             timeout=60, check=True).stdout
    except subprocess.TimeoutExpired:
        pytest.fail("KADABRA did not stop on a graph where no node lies between two others")
    assert out.split() == ["exact", "{0.0}", "200"]
