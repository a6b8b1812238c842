"""The graph cache's bounds, figures, clock and shutdown, and results kept per data snapshot:
a repeated question answered without reading the graph, a changed store never answered
from an older snapshot (including a write by another process), on both stores.

Expected values: counts of what the tests load and build, and the numbers of graph reads
the store was asked for."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import threading

import pytest

from partnernet.graph.schema import Node, Relationship
from partnernet.graph.store.sqlite import SQLiteStore
from partnernet.service import analyses
from partnernet.service.cache import GraphCache, memo_key
from partnernet.service.results import MISSING, ResultStore


def city(code: str, country: str, name: str) -> Node:
    return Node(id=f"city:{country.lower()}:{code}", label="City", name=name, source="test",
                props={"country": country})


def tie(a: Node, b: Node) -> Relationship:
    return Relationship(start=a.id, type="PARTNERS_WITH", end=b.id, source="test")


NAIROBI, LIMA, DHAKA = city("nairobi", "KE", "Nairobi"), city("lima", "PE", "Lima"), \
    city("dhaka", "BD", "Dhaka")


def equal(a, b) -> bool:
    """Equal as data (NaN equal to NaN: results hold NaN for undefined constraint)."""
    return json.dumps(a, sort_keys=True, default=repr) == json.dumps(b, sort_keys=True,
                                                                      default=repr)


class Counting:
    """Wraps a real store and counts whole-graph reads."""

    #: Whether the store's consistent snapshot read (SQLite's) is passed on.
    snapshot_reads = True

    def __init__(self, store, fail_after: int | None = None):
        self.inner, self.reads, self.fail_after = store, 0, fail_after
        if self.snapshot_reads and callable(getattr(store, "read_snapshot", None)):
            self.read_snapshot = self._read_snapshot

    def __getattr__(self, name):
        if name == "read_snapshot":  # passed on only as the counted method (above)
            raise AttributeError(name)
        return getattr(self.inner, name)

    def to_networkx(self, **kwargs):
        self.reads += 1
        if self.fail_after is not None and self.reads > self.fail_after:
            raise ConnectionError("store went away")
        return self.inner.to_networkx(**kwargs)

    def _read_snapshot(self):
        self.reads += 1
        if self.fail_after is not None and self.reads > self.fail_after:
            raise ConnectionError("store went away")
        return self.inner.read_snapshot()


class ManualClock:
    """Time that moves only when told (sleeping moves it at once)."""

    def __init__(self):
        self.t = 1000.0

    def now(self) -> float:
        return self.t

    def sleep(self, seconds: float, wake: threading.Event) -> None:
        self.t += seconds


@pytest.fixture
def sqlite(tmp_path):
    s = SQLiteStore(tmp_path / "cache.db")
    s.load([NAIROBI, LIMA], [tie(NAIROBI, LIMA)])
    yield s
    s.close()


def test_memory_is_bounded_by_entries_whatever_the_seeds(sqlite):
    cache = GraphCache(sqlite, ttl=0, max_entries=4)
    for seed in range(12):  # each new seed is a new question (the API's brokers?seed=N)
        analyses.brokers(sqlite, cache=cache, seed=seed)
    st = cache.stats()
    assert st["entries"] == 4 and st["evictions"] >= 8  # annotated graph + 3 results
    # the most recently used are kept, the oldest went first
    assert cache.ready(*analyses.brokers.keys(seed=11))
    assert not cache.ready(*analyses.brokers.keys(seed=0))


def test_new_parameter_values_never_evict_the_bases(sqlite):
    # the hostile soak's finding: a stream of new questions (seeds, months, views) evicted
    # the match index, and every reader's /match waited 35 s behind the queue to rebuild it
    cache = GraphCache(sqlite, ttl=0, max_entries=4, max_bytes=60_000)
    analyses.match(sqlite, "Nairobi", cache=cache)
    for i in range(12):
        cache.derived(("blob", i), lambda _g, i=i: str(i) * 20_000)
        analyses.brokers(sqlite, cache=cache, seed=i)
    assert cache.ready(*analyses.match.keys())  # annotated graph, match index, snapshot
    assert not cache.ready(*analyses.brokers.keys(seed=0))  # the rest is still bounded
    assert cache.stats()["entries"] <= 4


def test_memory_is_bounded_by_size(sqlite):
    cache = GraphCache(sqlite, ttl=0, max_bytes=50_000)
    for i in range(10):
        cache.derived(("blob", i), lambda _g, i=i: str(i) * 20_000)
    st = cache.stats()
    assert st["approx_bytes"] <= 50_000 and st["entries"] == 2
    assert cache.derived(("blob", 9), lambda _g: "rebuilt") == "9" * 20_000


def test_figures_count_hits_misses_and_loads(sqlite):
    cache = GraphCache(sqlite, ttl=0)
    cache.derived(("k",), len)
    cache.derived(("k",), len)
    st = cache.stats()
    assert (st["hits"], st["misses"], st["loads"]) == (1, 1, 1)
    assert st["snapshot"] == sqlite.fingerprint() and st["graph_loaded"]


def test_the_clock_decides_when_changes_are_checked(sqlite):
    clock = ManualClock()
    cache = GraphCache(sqlite, ttl=10, clock=clock)
    analyses.deliverables(sqlite, cache=cache)
    assert cache.ready(*analyses.deliverables.keys())
    clock.t += 11
    assert not cache.ready(*analyses.deliverables.keys())  # a change check is due


def test_a_change_by_another_process_is_noticed_at_the_next_check(sqlite, tmp_path):
    clock = ManualClock()
    store = Counting(sqlite)
    cache = GraphCache(store, ttl=5, clock=clock)
    cache.min_interval = 0.0
    assert analyses.brokers(store, cache=cache)["snapshot"]["nodes"] == 2
    _write_in_another_process(tmp_path / "cache.db", DHAKA, LIMA)
    assert analyses.brokers(store, cache=cache)["snapshot"]["nodes"] == 2  # not checked yet
    clock.t += 6
    analyses.brokers(store, cache=cache)  # the check sees another fingerprint: reload
    assert cache.wait_idle(20)
    assert store.reads == 2
    assert analyses.brokers(store, cache=cache)["snapshot"]["nodes"] == 3


def test_reloads_wait_on_the_clock_not_on_real_time(sqlite):
    """min_interval of an hour: the manual clock's sleep moves time, the test waits none."""
    clock = ManualClock()
    cache = GraphCache(sqlite, ttl=60, clock=clock)
    cache.min_interval = 3600.0
    analyses.deliverables(sqlite, cache=cache)
    sqlite.load([DHAKA])
    cache.invalidate()
    assert cache.wait_idle(10)
    assert clock.t >= 1000 + 3600 and cache.stats()["reloads"] == 1


def test_a_failed_reload_is_logged_counted_and_the_old_graph_kept(sqlite, caplog):
    store = Counting(sqlite, fail_after=1)
    cache = GraphCache(store, ttl=60, clock=ManualClock())
    cache.min_interval = 0.0
    first = analyses.deliverables(store, cache=cache)
    caplog.set_level(logging.WARNING, logger="partnernet.cache")
    sqlite.load([DHAKA])
    cache.invalidate()
    assert cache.wait_idle(10)
    st = cache.stats()
    assert st["failed_reloads"] == 1 and "store went away" in st["last_failure"]
    assert "graph reload failed" in caplog.text
    assert analyses.deliverables(store, cache=cache) is first  # still served


def test_close_stops_a_waiting_reload(sqlite):
    cache = GraphCache(sqlite, ttl=60)  # the real clock
    cache.min_interval = 3600.0
    analyses.deliverables(sqlite, cache=cache)
    cache.invalidate()  # the reload thread now waits an hour
    assert not cache.wait_idle(0.2)
    cache.close()
    assert cache.wait_idle(5)  # it stopped without reloading
    assert cache.stats()["reloads"] == 0
    cache.invalidate()  # a closed cache starts no thread
    assert cache.wait_idle(0)


def test_remembered_results_are_bounded(sqlite):
    cache = GraphCache(sqlite, ttl=60, clock=ManualClock())
    cache.min_interval, cache.warm_limit = 0.0, 3
    for seed in range(10):
        analyses.brokers(sqlite, cache=cache, seed=seed)
    sqlite.load([DHAKA], [tie(LIMA, DHAKA)])
    cache.invalidate()
    assert cache.wait_idle(20)
    warmed = [s for s in range(10) if cache.ready(*analyses.brokers.keys(seed=s))]
    assert warmed == [7, 8, 9]


def test_a_key_of_today_is_the_day_it_was_asked():
    import datetime as dt

    assert memo_key("focal_unit_report", (), {"today": None}) == \
        memo_key("focal_unit_report", (), {"today": dt.date.today()})


# -- results kept per snapshot ---------------------------------------------------------------
def _write_in_another_process(path, node, other) -> None:
    code = ("import sys; from partnernet.graph.store.sqlite import SQLiteStore; "
            "from partnernet.graph.schema import Node, Relationship; "
            f"s = SQLiteStore({str(path)!r}); "
            f"s.load([Node(id={node.id!r}, label='City', name={node.name!r}, source='t')], "
            f"[Relationship(start={other.id!r}, type='PARTNERS_WITH', end={node.id!r}, "
            "source='t')])")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


def test_a_repeated_question_is_answered_without_reading_the_graph(sqlite, tmp_path):
    disk = ResultStore(tmp_path / "r.results")
    first_store = Counting(sqlite)
    first = analyses.brokers(first_store, cache=GraphCache(first_store, ttl=0, results=disk))
    # another process: another store object, another cache, the same results file
    again_store = Counting(SQLiteStore(tmp_path / "cache.db"))
    again = analyses.brokers(again_store, cache=GraphCache(again_store, ttl=0,
                                                           results=ResultStore(disk.path)))
    assert again_store.reads == 0 and equal(again, first)
    matched = analyses.match(first_store, "Nairobi", cache=GraphCache(first_store, ttl=0,
                                                                       results=disk))
    reads = again_store.reads
    assert equal(analyses.match(again_store, "Nairobi", cache=GraphCache(
        again_store, ttl=0, results=ResultStore(disk.path))), matched)
    assert again_store.reads == reads


def test_a_changed_store_is_never_answered_from_an_older_snapshot(sqlite, tmp_path):
    disk = ResultStore(tmp_path / "r.results")
    before = analyses.brokers(sqlite, cache=GraphCache(sqlite, ttl=0, results=disk))
    assert before["snapshot"]["nodes"] == 2
    _write_in_another_process(tmp_path / "cache.db", DHAKA, LIMA)
    after = analyses.brokers(sqlite, cache=GraphCache(sqlite, ttl=0, results=disk))
    assert after["snapshot"]["nodes"] == 3 and after["ties"] == 2
    # a load that changes nothing keeps the snapshot and its answers
    assert sqlite.load([LIMA]).changed == 0
    store = Counting(sqlite)
    assert equal(analyses.brokers(store, cache=GraphCache(store, ttl=0, results=disk)), after)
    assert store.reads == 0


def test_results_of_a_graph_read_while_the_store_changed_are_not_kept(sqlite, tmp_path):
    class Racing(Counting):  # (without SQLite's consistent snapshot read, as Neo4j)
        snapshot_reads = False

        def to_networkx(self, **kwargs):
            g = super().to_networkx(**kwargs)
            # a write lands during every read (the cache reads again up to three times)
            self.inner.load([city(f"w{self.reads}", "BD", f"Written {self.reads}")])
            return g

    disk = ResultStore(tmp_path / "r.results")
    store = Racing(sqlite)
    analyses.deliverables(store, cache=GraphCache(store, ttl=0, results=disk))
    assert store.reads == 3 and disk.stats()["entries"] == 0


def _cli(store, *args, env=None) -> subprocess.CompletedProcess:
    """The CLI in a new process on ``store`` (a path: an SQLite file; else a URI); its
    output ends with a line saying whether the numerical stack (networkx; with the Neo4j
    driver also numpy, pandas and pyarrow, which the driver would load) was imported."""
    uri = store if isinstance(store, str) else f"sqlite:///{store}"
    code = ("import sys, runpy; sys.argv = ['partnernet', *sys.argv[1:]]\n"
            "from partnernet.cli.main import cli\n"
            "try:\n    cli(standalone_mode=False)\n"
            "finally:\n    print('\\nNUMERICAL STACK IMPORTED:', any(m in sys.modules for m in "
            "('networkx', 'numpy', 'pandas', 'pyarrow')))")
    return subprocess.run([sys.executable, "-c", code, "--store", uri, *args],
                          capture_output=True, text=True, timeout=300, check=True, env=env)


def _json_cli(store, env=None):
    """Run a CLI command with --format json in a new process: (answer, whether the
    numerical stack was imported)."""
    def run(*args):
        out = _cli(store, *args, env=env).stdout
        body, _, flag = out.rpartition("\nNUMERICAL STACK IMPORTED:")
        return json.loads(body), flag.strip() == "True"
    return run


def _asked_twice_answered_from_the_file(run) -> dict:
    """brokers and match asked twice: computed the first time, read from the results file
    (no numerical stack) the second, with the same answer. Returns the first brokers."""
    first, computed = run("analyse", "brokers", "--top", "5", "--format", "json")
    again, computed_again = run("analyse", "brokers", "--top", "5", "--format", "json")
    assert computed and not computed_again and equal(again, first)
    m1, _ = run("match", "--for", "Maringá", "--sdg", "11", "--format", "json")
    m2, computed_match = run("match", "--for", "Maringá", "--sdg", "11", "--format", "json")
    assert equal(m2, m1) and not computed_match
    return first


def test_the_cli_answers_a_repeated_question_from_the_results_file(tmp_path):
    from partnernet.loaders.generate import GeneratedOptions, generate_plan
    from partnernet.loaders.reference_graph import reference_plan

    path = tmp_path / "cli.db"
    store = SQLiteStore(path)
    ref = reference_plan()
    plan = generate_plan(GeneratedOptions(cities=80, seed=5),
                         anchors=[n for n in ref.nodes if n.label == "City"])
    store.load(ref.nodes + plan.nodes, ref.relationships + plan.relationships)
    store.close()

    run = _json_cli(path)
    first = _asked_twice_answered_from_the_file(run)
    assert (path.parent / "cli.db.results").exists()

    # a write by another process: the next answer is computed on the new data
    _write_in_another_process(path, city("newtown", "KE", "Newtown"),
                              city("maringa", "BR", "Maringá"))
    third, computed_third = run("analyse", "brokers", "--top", "5", "--format", "json")
    assert computed_third and third["nodes"] == first["nodes"] + 1


@pytest.mark.neo4j
def test_the_cli_answers_a_repeated_question_on_neo4j_from_the_results_file(
        neo4j_store, neo4j_server, tmp_path):
    """The second command on an unchanged Neo4j store reads the answer from the results
    file without importing networkx, NumPy or pandas (the Neo4j driver would import the
    last two itself: graph/store/bolt.py); a write in between gives a computed answer."""
    from partnernet.loaders.generate import GeneratedOptions, generate_plan
    from partnernet.loaders.reference_graph import reference_plan

    ref = reference_plan()
    plan = generate_plan(GeneratedOptions(cities=80, seed=5),
                         anchors=[n for n in ref.nodes if n.label == "City"])
    neo4j_store.load(ref.nodes + plan.nodes, ref.relationships + plan.relationships)
    env = {**os.environ, "PARTNERNET_RESULTS_DIR": str(tmp_path / "results"),
           "PARTNERNET_NEO4J_USER": neo4j_server.user,
           "PARTNERNET_NEO4J_PASSWORD": neo4j_server.password}

    run = _json_cli(neo4j_server.uri, env=env)
    first = _asked_twice_answered_from_the_file(run)

    neo4j_store.load([city("newtown", "KE", "Newtown")])  # another process writes
    third, computed_third = run("analyse", "brokers", "--top", "5", "--format", "json")
    assert computed_third and third["nodes"] == first["nodes"] + 1


@pytest.mark.neo4j
def test_neo4j_fingerprint_and_kept_results(neo4j_store, neo4j_driver, tmp_path):
    s = neo4j_store
    start = s.fingerprint()
    s.load([NAIROBI, LIMA], [tie(NAIROBI, LIMA)])
    loaded = s.fingerprint()
    assert loaded != start and loaded.split(":")[2] == "1"  # generation 1
    s.load([NAIROBI])  # changes nothing: same snapshot
    assert s.fingerprint() == loaded
    assert s.delete_node("city:xx:nowhere") is False and s.fingerprint() == loaded
    neo4j_driver.execute_query("MATCH (n:City {id: $id}) SET n.note = 'outside'",
                               id=NAIROBI.id)  # a write by another tool
    outside = s.fingerprint()
    assert outside != loaded

    disk = ResultStore.for_store(s, folder=tmp_path)
    counting = Counting(s)
    cache = GraphCache(counting, ttl=0, results=disk)
    first = analyses.brokers(counting, cache=cache)
    cache.close()  # waits for the graph to be kept
    again = Counting(s)
    assert equal(analyses.brokers(again, cache=GraphCache(again, ttl=0, results=disk)), first)
    assert again.reads == 0
    # another question on the same snapshot: the graph comes from the file, not the server
    other = GraphCache(again, ttl=0, results=disk)
    analyses.deliverables(again, cache=other)
    assert again.reads == 0 and other.stats()["graph_from_file"] == 1
    served = other.graph()
    assert list(served.edges(keys=True, data=True)) == list(
        s.to_networkx().edges(keys=True, data=True))
    s.load([DHAKA], [tie(LIMA, DHAKA)])
    third = analyses.brokers(again, cache=GraphCache(again, ttl=0, results=disk))
    assert third["snapshot"]["nodes"] == 3 and again.reads == 1


def test_the_api_shows_cache_figures(sqlite):
    from fastapi.testclient import TestClient

    from partnernet.api.main import create_app
    from partnernet.settings import Settings

    app = create_app(settings=Settings(store="sqlite:///unused.db", cache_entries=5),
                     store=sqlite)
    with TestClient(app) as client:
        client.get("/analyses/deliverables")
        figures = client.get("/stats").json()["cache"]
    assert figures["max_entries"] == 5 and figures["entries"] >= 1
    assert figures["results_file"]["file"].endswith("cache.db.results")


class WritesDuringReads(Counting):
    """A real store that another writer changes while its graph is being read, the first
    ``times`` reads; without a consistent snapshot read (as Neo4j, whose transactions are
    read-committed)."""

    def __init__(self, store, times: int):
        super().__init__(store)
        self.times = times

    snapshot_reads = False

    def to_networkx(self, **kwargs):
        g = super().to_networkx(**kwargs)
        if self.reads <= self.times:
            self.inner.upsert_nodes([city(f"w{self.reads}", "KE", f"Written {self.reads}")])
        return g


@pytest.mark.parametrize("times, reads, kept", [(1, 2, True), (5, 3, False)])
def test_a_write_during_the_read_reads_again(tmp_path, times, reads, kept):
    # the read is repeated at the newer snapshot (up to three reads); a graph that still
    # belongs to no snapshot is answered but never kept as any snapshot's
    inner = SQLiteStore(tmp_path / "w.db")
    inner.load([NAIROBI, LIMA], [tie(NAIROBI, LIMA)])
    store = WritesDuringReads(inner, times)
    cache = GraphCache(store, ttl=0)
    g = cache.graph()
    assert store.reads == reads
    assert (cache._fingerprint == inner.fingerprint()) is kept
    assert g.has_node(NAIROBI.id)
    inner.close()


def test_a_later_answer_is_kept_for_a_graph_read_while_the_store_changed(tmp_path):
    inner = SQLiteStore(tmp_path / "w.db")
    inner.load([NAIROBI, LIMA], [tie(NAIROBI, LIMA)])
    store = WritesDuringReads(inner, 5)
    cache = GraphCache(store, ttl=0)
    before = inner.fingerprint()
    cache.graph()  # three reads, each with a write landing: a graph of no snapshot
    assert cache.snapshot is None
    after = inner.fingerprint()
    # answers of snapshots from before the last read on are kept (the computation
    # process answers at the store's snapshot when it starts); earlier ones never
    assert cache.adopt(("now",), 1, after)
    assert not cache.adopt(("old",), 1, before)
    inner.close()


def test_sqlite_reads_a_consistent_snapshot_under_a_writer(tmp_path):
    store = SQLiteStore(tmp_path / "busy.db")
    store.load([NAIROBI, LIMA], [tie(NAIROBI, LIMA)])
    stop = threading.Event()

    def writer():
        writing = SQLiteStore(tmp_path / "busy.db")
        n = 0
        while not stop.is_set():
            n += 1
            writing.load([city(f"w{n}", "KE", f"W {n}")], [tie(NAIROBI, city(f"w{n}", "KE", ""))])
        writing.close()

    t = threading.Thread(target=writer, daemon=True)
    t.start()
    try:
        for _ in range(5):
            g, fingerprint = store.read_snapshot()
            # the graph is that snapshot's: as many ties as nodes less one (a star)
            assert g.number_of_edges() == g.number_of_nodes() - 1
            assert fingerprint.startswith("sqlite:")
    finally:
        stop.set()
        t.join(30)
        store.close()


def test_a_match_answered_by_another_process_is_recalled_without_a_computation(sqlite,
                                                                              tmp_path):
    # the API's second worker used to queue every /match for a computation slot (p99 44 s
    # under the hostile soak) while the answer sat in the shared results file
    disk = tmp_path / "shared.results"
    first = GraphCache(sqlite, ttl=0, results=ResultStore(disk))
    answer = analyses.match(sqlite, "Nairobi", cache=first)
    other = Counting(sqlite)
    second = GraphCache(other, ttl=0, results=ResultStore(disk))
    assert not second.computed(*analyses.match.keys())
    assert equal(analyses.match.recall(other, "Nairobi", cache=second), answer)
    assert other.reads == 0  # a disk read: no graph, no index
    assert analyses.match.recall(other, "Lima", cache=second) is MISSING


# -- results computed elsewhere, kept without the graph (the API's computation process) ------

def test_adopted_results_are_kept_without_reading_the_graph(sqlite, tmp_path):
    clock = ManualClock()
    store = Counting(sqlite)
    cache = GraphCache(store, ttl=5, clock=clock)
    now = sqlite.fingerprint()
    assert cache.adopt(("r",), {"answer": 1}, now)
    assert cache.ready(("r",)) and cache.peek(("r",)) == {"answer": 1}
    assert store.reads == 0 and not cache.stats()["graph_loaded"]
    store_id, generation = now.split(":")[1:]
    older, later = (f"sqlite:{store_id}:{int(generation) + d}" for d in (-1, 1))
    assert not cache.adopt(("r",), {"answer": 0}, older)  # never an earlier snapshot's
    assert not cache.adopt(("r",), {"answer": 0}, "sqlite:another-store:99")
    assert cache.peek(("r",)) == {"answer": 1}
    # a later snapshot's answer (the computation process follows the store) is fresher
    assert cache.adopt(("s",), {"answer": 2}, later) and cache.peek(("s",)) == {"answer": 2}
    assert cache.wait_idle(20)  # (that started a rebuild behind: nothing remembered)
    cache = GraphCache(store, ttl=5, clock=clock)
    assert cache.adopt(("r",), {"answer": 1}, now)
    cache.graph()  # the same snapshot: what was kept stays
    assert store.reads == 1 and cache.peek(("r",)) == {"answer": 1}


def test_results_kept_without_the_graph_are_rebuilt_when_the_store_changes(sqlite, tmp_path):
    clock = ManualClock()
    cache = GraphCache(sqlite, ttl=5, clock=clock)
    cache.min_interval = 0.0
    assert cache.adopt(("r",), "old", sqlite.fingerprint())
    assert cache.adopt(("gone",), "old", sqlite.fingerprint())
    rebuilt = []

    def replay(shadow):  # what the API's computation process would answer
        rebuilt.append(1)
        shadow.adopt(("r",), "new", sqlite.fingerprint())
    cache.remember(("r",), replay)
    cache.peek(("r",))  # read since: rebuilt at the next reload too
    _write_in_another_process(tmp_path / "cache.db", DHAKA, LIMA)
    cache.check()  # not due yet: kept
    assert cache.peek(("r",)) == "old"
    clock.t += 6
    assert not cache.ready(("r",)) and cache.computed(("r",))  # a check is due
    cache.check()  # the store changed: rebuilt behind, the old results served meanwhile
    assert cache.wait_idle(20)
    assert cache.peek(("r",)) == "new" and cache.peek(("gone",)) is MISSING
    assert cache.snapshot == sqlite.fingerprint() and not cache.stats()["graph_loaded"]
    _write_in_another_process(tmp_path / "cache.db", city("quito", "EC", "Quito"), LIMA)
    clock.t += 6
    cache.check()
    assert cache.wait_idle(20)
    assert rebuilt == [1, 1] and cache.peek(("r",)) == "new"  # remembered again: read


def test_a_large_result_computed_elsewhere_is_not_kept(sqlite):
    # a whole-graph export kept in memory evicted what every reader asks for (hostile soak)
    cache = GraphCache(sqlite, ttl=0, max_bytes=32 * 1000)
    cache.graph()
    assert not cache.adopt(("export",), b"x" * 2000, sqlite.fingerprint())
    assert cache.adopt(("small",), b"x" * 500, sqlite.fingerprint())


def test_dropped_graphs_leave_no_reference_cycle(sqlite):
    """NetworkX caches its views (degree, edges...) on the graph and they point back at it:
    a dropped graph is then garbage only a full collection frees. The cache removes them
    when it drops a graph or a result holding one (checked with gc.DEBUG_SAVEALL)."""
    import gc

    kept = []
    cache = GraphCache(sqlite, ttl=0)
    cache.on_kept = lambda: kept.append(1)
    analyses.brokers(sqlite, cache=cache)  # graph, annotated graph, projection: views used
    assert kept  # the graph read and the bases were reported as long-lived
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        cache.invalidate()
        gc.collect()
        graphs = [o for o in gc.garbage if type(o).__name__.endswith("Graph")]
        assert graphs == []
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
