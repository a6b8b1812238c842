"""The graph cache behind the API: results built once per graph, writes picked up in the
background, remembered results rebuilt before a reloaded graph is used.

Expected values: counts of what the tests themselves load (two cities and a tie, then a
third city and a second tie), and the number of reloads the store was asked for."""

from __future__ import annotations

import threading
import time

import pytest

from partnernet.graph.schema import Node, Relationship
from partnernet.graph.store.sqlite import SQLiteStore
from partnernet.service import analyses
from partnernet.service.cache import GraphCache


def city(code: str, country: str, name: str) -> Node:
    return Node(id=f"city:{country.lower()}:{code}", label="City", name=name, source="test",
                props={"country": country})


def tie(a: Node, b: Node) -> Relationship:
    return Relationship(start=a.id, type="PARTNERS_WITH", end=b.id, source="test")


NAIROBI, LIMA, DHAKA = city("nairobi", "KE", "Nairobi"), city("lima", "PE", "Lima"), \
    city("dhaka", "BD", "Dhaka")


class CountingStore(SQLiteStore):
    """A real SQLite store that counts how often the whole graph is read."""

    reads = 0

    def to_networkx(self, **kwargs):
        self.reads += 1
        return super().to_networkx(**kwargs)


@pytest.fixture
def store(tmp_path):
    s = CountingStore(tmp_path / "cache.db")
    s.load([NAIROBI, LIMA], [tie(NAIROBI, LIMA)])
    yield s
    s.close()


def wait_for(condition, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_results_are_built_once_per_graph(store):
    cache = GraphCache(store, ttl=0)
    a = analyses.brokers(store, cache=cache, top=5)
    b = analyses.brokers(store, cache=cache, top=5)
    assert a is b and store.reads == 1
    assert cache.ready(*analyses.brokers.keys(top=5))
    assert not cache.ready(*analyses.brokers.keys(top=6))


def test_without_ttl_a_write_is_seen_at_once(store):
    cache = GraphCache(store, ttl=0)
    assert analyses.brokers(store, cache=cache)["snapshot"]["nodes"] == 2
    store.load([DHAKA], [tie(LIMA, DHAKA)])
    cache.invalidate()
    assert not cache.ready(*analyses.brokers.keys())
    assert analyses.brokers(store, cache=cache)["snapshot"]["nodes"] == 3


def test_ready_is_false_once_the_ttl_has_passed(store):
    cache = GraphCache(store, ttl=0.05)
    analyses.deliverables(store, cache=cache)
    assert cache.ready(*analyses.deliverables.keys())
    time.sleep(0.1)
    assert not cache.ready(*analyses.deliverables.keys())  # a change check is due


def test_readers_keep_results_while_the_new_graph_is_warmed(store):
    cache = GraphCache(store, ttl=60)
    cache.min_interval = 0.0
    first = analyses.brokers(store, cache=cache, top=5)
    matched = analyses.match(store, "Nairobi", cache=cache)
    assert first["snapshot"]["nodes"] == 2 and store.reads == 1

    store.load([DHAKA], [tie(LIMA, DHAKA)])
    cache.invalidate()
    # meanwhile: the previous results, at once (no recomputation on the request path)
    assert analyses.brokers(store, cache=cache, top=5)["snapshot"]["nodes"] in (2, 3)

    assert cache.wait_idle(20)
    assert store.reads == 2
    # the remembered results were rebuilt on the new graph before it was used
    assert cache.ready(*analyses.brokers.keys(top=5))
    assert cache.ready(*analyses.match.keys("Nairobi"))
    after = analyses.brokers(store, cache=cache, top=5)
    assert after["snapshot"]["nodes"] == 3 and after is not first
    assert {r["node"] for r in after["rows"]} >= {LIMA.id}
    rematched = analyses.match(store, "Nairobi", cache=cache)
    assert DHAKA.id in {c["id"] for c in rematched["candidates"]}
    assert DHAKA.id not in {c["id"] for c in matched["candidates"]}


def test_writes_in_a_burst_are_coalesced(store):
    cache = GraphCache(store, ttl=60)
    cache.min_interval = 0.3
    analyses.brokers(store, cache=cache)
    for i in range(20):
        c = city(f"c{i}", "BR", f"Cidade {i}")
        store.load([c], [tie(NAIROBI, c)])
        cache.invalidate()
    assert cache.wait_idle(20)
    assert 2 <= store.reads <= 3  # the first build, then one or two reloads, not twenty
    assert analyses.brokers(store, cache=cache)["snapshot"]["nodes"] == 22


def test_a_result_that_cannot_be_rebuilt_is_left_to_the_request(store):
    cache = GraphCache(store, ttl=60)
    cache.min_interval = 0.0
    analyses.match(store, "Lima", cache=cache)
    store.delete_node(LIMA.id)
    cache.invalidate()
    assert cache.wait_idle(20)
    with pytest.raises(Exception, match="Lima"):
        analyses.match(store, "Lima", cache=cache)


def test_concurrent_callers_of_one_key_build_it_once(store):
    cache = GraphCache(store, ttl=0)
    builds = []
    gate = threading.Event()

    def build(g):
        gate.wait(5)
        builds.append(1)
        return len(g)

    out = []
    threads = [threading.Thread(target=lambda: out.append(cache.derived(("k",), build)))
               for _ in range(8)]
    for t in threads:
        t.start()
    gate.set()
    for t in threads:
        t.join()
    assert out == [2] * 8 and builds == [1]
