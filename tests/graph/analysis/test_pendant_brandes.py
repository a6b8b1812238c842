"""Exact betweenness with pendant trees reduced: the same sums as NetworkX's exact
``betweenness_centrality(normalized=False)`` (an independent implementation, the reference
for every expected value here) on graphs with and without trees, components that are
trees, pairs and isolates, on one thread and on two."""

from __future__ import annotations

import igraph as ig
import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partnernet.graph.analysis.betweenness import betweenness
from partnernet.graph.analysis.kernel import to_igraph
from partnernet.graph.analysis.pendant_brandes import exact_sums, reduce_pendant_trees


def _with_trees(seed: int) -> nx.Graph:
    """A sparse random graph with random trees hung from it, a tree component, a pair
    and an isolate: every case the peeling has."""
    rng = np.random.default_rng(seed)
    g = nx.gnm_random_graph(60, 90, seed=seed)
    nxt = 60
    for _ in range(40):
        root = int(rng.integers(0, nxt))
        g.add_edge(root, nxt)
        nxt += 1
    tree = nx.random_labeled_tree(12, seed=seed)
    g.add_edges_from((a + nxt, b + nxt) for a, b in tree.edges())
    g.add_edge(nxt + 20, nxt + 21)
    g.add_node(nxt + 30)
    return g


GRAPHS = {
    "karate": nx.karate_club_graph(),
    "path": nx.path_graph(7),
    "star": nx.star_graph(6),
    "tree": nx.balanced_tree(3, 3),
    "cycle": nx.cycle_graph(9),
    "complete": nx.complete_graph(6),
    "barbell with a tail": nx.lollipop_graph(5, 4),
    "random with trees 1": _with_trees(1),
    "random with trees 2": _with_trees(2),
    "grid": nx.grid_2d_graph(5, 6),
}


def _reference(g: nx.Graph) -> np.ndarray:
    ref = nx.betweenness_centrality(g, normalized=False)
    return np.array([ref[v] for v in g])


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("name", list(GRAPHS))
def test_sums_are_networkx_exact_betweenness(name, threads):
    g = GRAPHS[name]
    got = exact_sums(to_igraph(g).graph, threads=threads)
    np.testing.assert_allclose(got, _reference(g), rtol=1e-12, atol=1e-9)


def test_the_number_of_threads_changes_no_bit():
    # a machine with one core must rank exact ties as one with two does
    h = to_igraph(_with_trees(4)).graph
    one, two, three = (exact_sums(h, threads=t) for t in (1, 2, 3))
    assert one.tobytes() == two.tobytes() == three.tobytes()


def test_the_core_is_what_peeling_leaves():
    # a triangle with a tail of two and a separate path of three: the core is the
    # triangle; the corner carries its tail (weight 3, one branch of 2: squares 4)
    h = ig.Graph([(0, 1), (1, 2), (2, 0), (2, 3), (3, 4), (5, 6), (6, 7)])
    red = reduce_pendant_trees(h)
    assert red.core.tolist() == [0, 1, 2]
    assert red.weight[[0, 1, 2]].tolist() == [1.0, 1.0, 3.0]
    assert red.squares[2] == 4.0
    assert red.work == 3 * (3 + 6)  # three sources, three vertices and six arcs
    # the path's middle node lies between its two ends: 1 pair
    assert exact_sums(h, reduction=red).tolist() == [0, 0, 4, 3, 0, 0, 1, 0]


def test_self_loops_and_repeated_edges_change_nothing():
    h = ig.Graph([(0, 1), (1, 2), (1, 2), (2, 2), (2, 3), (3, 0), (3, 4)])
    simple = ig.Graph([(0, 1), (1, 2), (2, 3), (3, 0), (3, 4)])
    assert exact_sums(h).tolist() == exact_sums(simple).tolist()


def test_empty_and_edgeless_graphs():
    assert exact_sums(ig.Graph()).tolist() == []
    assert exact_sums(ig.Graph(n=3)).tolist() == [0.0, 0.0, 0.0]


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 24).flatmap(lambda n: st.tuples(
    st.just(n), st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)),
                         max_size=3 * n))))
def test_any_small_graph(case):
    n, edges = case
    g = nx.Graph()
    g.add_nodes_from(range(n))
    g.add_edges_from((a, b) for a, b in edges if a != b)
    np.testing.assert_allclose(exact_sums(to_igraph(g).graph), _reference(g),
                               rtol=1e-12, atol=1e-9)


def test_betweenness_computes_exact_where_it_costs_less_than_the_estimate():
    g = _with_trees(3)
    cheap = betweenness(g, epsilon=0.01, exact_within=1e9)
    assert cheap["method"] == "exact" and cheap["epsilon"] is None
    assert "2-core" in cheap["description"] and "pendant trees" in cheap["description"]
    ref = nx.betweenness_centrality(g)
    assert max(abs(cheap["scores"][v] - ref[v]) for v in g) < 1e-12
    costly = betweenness(g, epsilon=0.01, exact_within=10)
    assert costly["method"] == "kadabra" and costly["epsilon"] == 0.01
    asked = betweenness(g, epsilon=0.01)  # no budget: the estimate asked for
    assert asked["method"] == "kadabra"
