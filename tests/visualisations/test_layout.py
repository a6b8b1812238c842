"""The Python layout of large views. Expected: the same graph gives the same coordinates
(the definition of a seeded layout), so a report sent twice shows the same picture."""

from __future__ import annotations

import random

import networkx as nx

from partnernet.visualisations.views import _layout


def test_layout_is_the_same_for_the_same_graph_and_leaves_random_alone():
    g = nx.barabasi_albert_graph(400, 2, seed=1)
    random.seed(5)
    expected_next = random.Random(5).random()
    first = _layout(g)
    assert random.random() == expected_next  # the global generator was not consumed
    assert _layout(g) == first
    assert set(first) == set(g)
