"""Two loads of overlapping data at the same time: the result equals loading them one after
the other (same nodes, relationships and properties), on both stores."""

from __future__ import annotations

import threading

import pytest

from graph.schema import Node, NodeLabel, Relationship, RelType
from loaders.export import graph_to_json

pytestmark = pytest.mark.slow


def _batch(lo: int, hi: int):
    nodes = [Node(id=f"city:c:{i}", label=NodeLabel.CITY, name=f"C{i}", source="t",
                  props={"population": i}) for i in range(lo, hi)]
    rels = [Relationship(start=f"city:c:{i}", type=RelType.PARTNERS_WITH,
                         end=f"city:c:{i + 1}") for i in range(lo, hi - 1)]
    return nodes, rels


def test_overlapping_concurrent_loads_equal_sequential(store, tmp_path):
    a, b = _batch(0, 3000), _batch(2000, 5000)  # 1,000 nodes in common
    errors = []

    def run(batch):
        try:
            store.load(*batch)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(x,)) for x in (a, b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    concurrent = graph_to_json(store.to_networkx())

    from graph.store.sqlite import SQLiteStore

    seq = SQLiteStore(tmp_path / "seq.db")
    seq.load(*a)
    seq.load(*b)
    assert concurrent == graph_to_json(seq.to_networkx())
    assert len(concurrent["nodes"]) == 5000
