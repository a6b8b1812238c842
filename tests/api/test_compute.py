"""The API's computations in processes of their own (``PARTNERNET_API_COMPUTE=process``, the
default for an app that opens its store from the settings, as ``partnernet serve`` does).

Expected values: the same analysis called directly on the same store (the library), and the
process ids the operating system gives.
"""

from __future__ import annotations

import os
import pickle
import signal
import threading
import time
from concurrent.futures import ProcessPoolExecutor

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from partnernet.api import compute
from partnernet.api.main import create_app
from partnernet.graph.analysis.match_names import UnknownNode
from partnernet.graph.store import StoreUnavailable
from partnernet.graph.store.sqlite import SQLiteStore
from partnernet.service import analyses
from partnernet.settings import Settings

from .conftest import AUTH, TOKEN


def _sleep(_ctx, seconds: float) -> tuple[int, None]:
    """A job that takes ``seconds`` (run in the computation process)."""
    time.sleep(seconds)
    return os.getpid(), None


def _pid(_ctx) -> tuple[int, None]:
    return os.getpid(), None


def _app(settings: Settings) -> TestClient:
    app = create_app(settings=settings, cache_ttl=0)

    @app.get("/test/sleep")
    async def sleep(seconds: float):  # a computation of a chosen length, through the limiter
        state = app.state
        return {"pid": await state.limits.compute.run(state.compute.call(_sleep, seconds))}

    return TestClient(app)


@pytest.fixture
def db(tmp_path, sample):
    path = tmp_path / "p.db"
    store = SQLiteStore(path)
    store.load(*sample)
    store.close()
    return path


@pytest.fixture
def client(db):
    settings = Settings(store=f"sqlite:///{db}", api_token=SecretStr(TOKEN), api_heavy_slots=1,
                        api_heavy_queue=0)
    with _app(settings) as c:
        yield c


def _job(client, job, *args):
    return client.app.state.compute.call(job, *args)()


def _sleeping(client, seconds: float) -> tuple[dict, threading.Thread]:
    """A request for a computation of ``seconds`` in a thread, returned once it holds the
    computation slot; its answer lands in the dict as ``r``."""
    answer: dict = {}
    t = threading.Thread(target=lambda: answer.update(
        r=client.get("/test/sleep", params={"seconds": seconds})), daemon=True)
    t.start()
    deadline = time.monotonic() + 30
    while client.app.state.limits.compute.running == 0 and time.monotonic() < deadline:
        time.sleep(0.02)
    return answer, t


def test_computations_run_in_a_process_of_their_own(client, db):
    assert client.app.state.compute.mode == "process"
    assert _job(client, _pid) != os.getpid()
    r = client.get("/analyses/brokers", params={"top": 5})
    assert r.status_code == 200
    store = SQLiteStore(db)
    try:
        direct = analyses.brokers(store, top=5, definition="g77")
    finally:
        store.close()
    assert [x["node"] for x in r.json()["rows"]] == [x["node"] for x in direct["rows"]]
    figures = client.get("/stats").json()["computations"]
    assert figures["mode"] == "process" and figures["processes"] == 1
    assert figures["jobs"] >= 2 and figures["fell_back_to_threads"] is None


def test_views_reports_and_exports_come_from_there_and_are_kept_here(client):
    assert client.post("/match", json={"seeker": "Maringá"}).status_code == 200  # graph read
    jobs = client.get("/stats").json()["computations"]["jobs"]
    pages = [client.get("/views/network") for _ in range(2)]
    assert all(p.status_code == 200 for p in pages)
    nonces = [p.headers["content-security-policy"].split("'nonce-")[1].split("'")[0]
              for p in pages]
    assert nonces[0] != nonces[1]  # every answer its own nonce ...
    for page, nonce in zip(pages, nonces, strict=True):
        assert f'nonce="{nonce}"' in page.text  # ... carried by the page's scripts
    for url in ("/exports/json", "/reports/network.md"):
        assert client.get(url).status_code == 200
        assert client.get(url).status_code == 200
    # one job each: the second answers came from this worker's copy
    assert client.get("/stats").json()["computations"]["jobs"] == jobs + 3
    # the report's analyses were kept in the results file by the computation process: this
    # worker reads them from there (and then from memory) instead of asking for them again
    hits = client.get("/stats").json()["cache"]["disk_hits"]
    assert client.get("/analyses/deliverables").status_code == 200
    assert client.get("/analyses/deliverables").status_code == 200
    stats = client.get("/stats").json()
    assert stats["computations"]["jobs"] == jobs + 3 and stats["cache"]["disk_hits"] == hits + 1


def test_errors_come_back_as_themselves(client):
    r = client.get("/analyses/brokers", params={"region": "Atlantis"})
    assert r.status_code == 422 and "unknown region 'Atlantis'" in r.json()["detail"]
    r = client.get("/views/ego/city:xx:nowhere")
    assert r.status_code == 404 and "nowhere" in r.json()["detail"]
    # an exception whose constructor takes other arguments than its message
    exc = UnknownNode("Marnga", [{"name": "Maringá", "id": "city:br:maringa"}])
    back = pickle.loads(pickle.dumps(compute._Raised(exc))).rebuild()
    assert type(back) is UnknownNode and str(back) == str(exc)
    assert back.suggestions == exc.suggestions and back.text == "Marnga"
    # one holding something that cannot be pickled (a lock, as a driver's connection)
    held = StoreUnavailable("Neo4j is unavailable: connection refused")
    held.connection = threading.Lock()
    back = pickle.loads(pickle.dumps(compute._Raised(held))).rebuild()
    assert type(back) is StoreUnavailable and "connection refused" in str(back)


def test_a_write_is_seen_by_the_computation_process(client):
    before = client.get("/analyses/brokers").json()["snapshot"]["relationships"]
    r = client.post("/relationships", headers=AUTH, json={
        "start": "city:br:maringa", "type": "PARTNERS_WITH", "end": "city:cn:quanzhou",
        "props": {"kind": "twinning"}})
    assert r.status_code == 201, r.text
    after = client.get("/analyses/brokers").json()["snapshot"]["relationships"]
    assert after == before + 1


def test_after_a_write_the_reload_has_the_process_rebuild_what_was_asked(db):
    settings = Settings(store=f"sqlite:///{db}", api_token=SecretStr(TOKEN))
    with TestClient(create_app(settings=settings, cache_ttl=60)) as client:
        cache = client.app.state.cache
        cache.min_interval = cache.cost_factor = 0  # reload at once after a write
        assert client.post("/match", json={"seeker": "Maringá"}).status_code == 200
        client.get("/analyses/brokers")  # computed there, kept here
        first = client.get("/analyses/brokers").json()["snapshot"]["relationships"]
        jobs = client.get("/stats").json()["computations"]["jobs"]
        r = client.post("/relationships", headers=AUTH, json={
            "start": "city:br:maringa", "type": "PARTNERS_WITH", "end": "city:cn:quanzhou",
            "props": {"kind": "twinning"}})
        assert r.status_code == 201
        assert cache.wait_idle(60)
        # rebuilt by the computation process during the reload (one job), before the new
        # graph was used: the next request is answered from memory, with the new tie
        assert client.get("/stats").json()["computations"]["jobs"] == jobs + 1
        assert client.get("/analyses/brokers").json()["snapshot"]["relationships"] == first + 1
        assert client.get("/stats").json()["computations"]["jobs"] == jobs + 1


def test_lookups_go_on_while_a_computation_holds_the_slot(client):
    answer, t = _sleeping(client, 3)
    assert client.get("/nodes/city:br:maringa").status_code == 200
    assert client.get("/health").status_code == 200
    r = client.get("/views/network")  # one slot, no queue: refused at once
    assert r.status_code == 503 and int(r.headers["retry-after"]) >= 1
    assert "r" not in answer
    t.join(30)
    assert answer["r"].status_code == 200 and answer["r"].json()["pid"] != os.getpid()


def test_a_computation_process_that_ends_is_replaced(client):
    pid = _job(client, _pid)
    answer, t = _sleeping(client, 30)
    time.sleep(0.3)
    os.kill(pid, signal.SIGKILL)  # as the kernel's out-of-memory killer would
    t.join(30)
    r = answer["r"]
    assert r.status_code == 503 and "ended during this computation" in r.json()["detail"]
    assert r.headers["retry-after"] == "5"
    assert client.get("/analyses/deliverables").status_code == 200  # a new process
    assert _job(client, _pid) not in (pid, os.getpid())
    figures = client.get("/stats").json()["computations"]
    assert figures["processes_replaced"] == 1 and figures["mode"] == "process"


def test_processes_that_cannot_start_leave_the_work_to_threads(db, monkeypatch, caplog):
    def broken(self):
        with self._lock:
            if self._pool is None:  # every process it starts exits at once
                self._pool = ProcessPoolExecutor(max_workers=1, initializer=os._exit,
                                                 initargs=(3,))
            return self._pool

    monkeypatch.setattr(compute._Processes, "_current", broken)
    with _app(Settings(store=f"sqlite:///{db}")) as client:
        r = client.get("/analyses/deliverables")
        assert r.status_code == 200 and r.json()["networks"]
        figures = client.get("/stats").json()["computations"]
        assert figures["mode"] == "thread" and "could not start" in figures["fell_back_to_threads"]
        assert client.get("/views/network").status_code == 200
    assert "computing in this worker's threads instead" in caplog.text


def test_an_app_given_a_store_object_computes_in_threads(sqlite_store, sample):
    sqlite_store.load(*sample)
    with TestClient(create_app(settings=Settings(store="sqlite:///unused.db"),
                               store=sqlite_store, cache_ttl=0)) as c:
        assert c.app.state.compute.mode == "thread"
        assert c.get("/analyses/deliverables").status_code == 200
        assert c.get("/stats").json()["computations"]["jobs"] == 1


@pytest.mark.neo4j
def test_on_neo4j_too(neo4j_server, neo4j_store, sample):
    neo4j_store.load(*sample)
    settings = Settings(store=neo4j_server.uri, neo4j_user=neo4j_server.user,
                        neo4j_password=SecretStr(neo4j_server.password))
    with _app(settings) as client:
        assert client.app.state.compute.mode == "process"
        r = client.get("/analyses/brokers", params={"top": 5})
        assert r.status_code == 200, r.text
        direct = analyses.brokers(neo4j_store, top=5, definition="g77")
        assert [x["node"] for x in r.json()["rows"]] == [x["node"] for x in direct["rows"]]
        assert client.get("/exports/graphml").status_code == 200
        assert _job(client, _pid) != os.getpid()
