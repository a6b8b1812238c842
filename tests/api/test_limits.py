"""Bounded work per request (issue 14, point 2): computation slots with a bounded queue
(503 + Retry-After), identical computations coalesced, cost parameters reserved to the API
token, ``top`` slicing one computation, dates checked like the CLI's.

Expected values: by construction (slots, queue sizes and parameters chosen here); the
sliced rankings are compared with the service's own answer for the same ``top``.
"""

from __future__ import annotations

import asyncio
import threading
import time

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from partnernet.api.limits import Busy, WorkLimiter
from partnernet.api.main import create_app
from partnernet.service import analyses
from partnernet.service.results import MISSING
from partnernet.settings import Settings
from tests.api.conftest import AUTH, TOKEN

READ = "read-token-0123456789"


# -- the limiter alone ----------------------------------------------------------------------

def test_limiter_queues_then_refuses_with_retry_after():
    async def scenario():
        limiter = WorkLimiter(slots=1, queue=1, wait=5)
        gate = threading.Event()
        order = []

        def work(name):
            def run():
                if name == "a":
                    gate.wait(5)
                order.append(name)
                return name
            return run

        a = asyncio.create_task(limiter.run(work("a")))
        await asyncio.sleep(0.05)
        b = asyncio.create_task(limiter.run(work("b")))
        await asyncio.sleep(0.05)
        assert (limiter.running, limiter.waiting) == (1, 1)
        with pytest.raises(Busy) as refused:
            await limiter.run(work("c"))  # the queue (1) is full
        assert refused.value.retry_after >= 1 and "1 running, 1 waiting" in str(refused.value)
        gate.set()
        assert await a == "a" and await b == "b"
        assert order == ["a", "b"] and limiter.refused == 1
        assert (limiter.running, limiter.waiting) == (0, 0)

    asyncio.run(scenario())


def test_limiter_gives_up_after_waiting_too_long():
    async def scenario():
        limiter = WorkLimiter(slots=1, queue=5, wait=0.2)
        gate = threading.Event()
        first = asyncio.create_task(limiter.run(lambda: gate.wait(5)))
        await asyncio.sleep(0.05)
        began = time.monotonic()
        with pytest.raises(Busy):
            await limiter.run(lambda: None)
        assert 0.15 < time.monotonic() - began < 2
        gate.set()
        await first

    asyncio.run(scenario())


def test_identical_computations_run_once():
    async def scenario():
        limiter = WorkLimiter(slots=2, queue=0, wait=5)
        calls, cached = [], {}
        gate = threading.Event()

        def compute():
            if "r" in cached:
                return cached["r"]
            calls.append(1)
            gate.wait(5)
            cached["r"] = "result"
            return "result"

        tasks = [asyncio.create_task(limiter.run(compute, key="k",
                                                 cached=lambda: cached.get("r", MISSING)))
                 for _ in range(10)]
        await asyncio.sleep(0.1)
        # nine requests wait for the first: they use neither a slot nor the (empty) queue
        assert limiter.running == 1 and limiter.waiting == 0
        gate.set()
        assert await asyncio.gather(*tasks) == ["result"] * 10
        assert len(calls) == 1

    asyncio.run(scenario())


def test_computations_run_at_a_lower_cpu_priority():
    import os

    async def scenario():
        limiter = WorkLimiter(slots=1, queue=0, wait=5, nice=5)

        def priority():
            return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

        try:
            return await limiter.run(priority), priority()
        finally:
            limiter.close()

    inside, outside = asyncio.run(scenario())
    assert inside == min(outside + 5, 19)  # Linux: per-thread nice values


# -- through the API -----------------------------------------------------------------------

@pytest.fixture(params=[0, 0.3], ids=["no-ttl", "ttl"])
def busy_client(sqlite_store, sample, monkeypatch, request):
    """One slot, no queue; ``communities`` blocks until ``gate`` is set. With a cache ttl
    (0.3 s) the cached results are past their change check when read."""
    sqlite_store.load(*sample)
    gate, running = threading.Event(), threading.Event()
    real = analyses.communities_report

    def blocking(store, *args, cache=None, **kwargs):
        running.set()
        gate.wait(30)
        return real(store, *args, cache=cache, **kwargs)

    blocking.keys = real.keys
    monkeypatch.setattr(analyses, "communities_report", blocking)
    settings = Settings(store="sqlite:///unused.db", api_token=SecretStr(TOKEN),
                        api_heavy_slots=1, api_heavy_queue=0)
    with TestClient(create_app(settings=settings, store=sqlite_store,
                               cache_ttl=request.param)) as c:
        yield c, gate, running
        gate.set()


def test_quick_answers_go_on_while_the_slots_are_taken(busy_client):
    client, gate, running = busy_client
    assert client.get("/analyses/deliverables").status_code == 200  # computed, now cached
    slow: dict = {}
    t = threading.Thread(target=lambda: slow.update(r=client.get("/analyses/communities")),
                         daemon=True)
    t.start()
    try:
        assert running.wait(30)
        time.sleep(0.4)  # past the ttl (when there is one): a change check is due
        # the only slot is taken: node lookups, search, health, stats and cached results
        # (a due change check is not a computation) are answered while the computation runs
        assert client.get("/nodes/city:br:maringa").status_code == 200
        assert client.get("/nodes", params={"q": "sao"}).status_code == 200
        assert client.get("/health").status_code == 200
        assert client.get("/stats").status_code == 200
        assert client.get("/analyses/deliverables").status_code == 200
        # new computations are refused at once (queue 0) with Retry-After
        for url in ("/analyses/focal-units", "/views/network", "/exports/json",
                    "/reports/network.md"):
            r = client.get(url)
            assert r.status_code == 503, url
            assert int(r.headers["retry-after"]) >= 1
            assert "busy" in r.json()["detail"] and "node lookups" in r.json()["detail"]
        assert "r" not in slow  # all of the above while the computation was still running
    finally:
        gate.set()
        t.join(30)
    assert slow["r"].status_code == 200 and slow["r"].json()["count"] >= 1
    assert client.get("/analyses/focal-units").status_code == 200  # the slot is free again


@pytest.mark.parametrize("url, params", [
    ("/analyses/brokers", {"seed": 77}),
    ("/analyses/brokers", {"pivots": 64}),
    ("/analyses/brokers", {"exact": "true"}),
    ("/analyses/brokers", {"epsilon": "0.01"}),
    ("/analyses/south-south", {"permutations": 5000}),
    ("/analyses/communities", {"seed": 3}),
    ("/reports/network.md", {"pivots": 64}),
])
def test_cost_parameters_need_the_api_token(client, url, params):
    r = client.get(url, params=params)
    assert r.status_code == 401, r.text
    name = next(iter(params))
    assert f"{name}=" in r.json()["detail"] and "PARTNERNET_API_TOKEN" in r.json()["detail"]
    assert r.headers["www-authenticate"] == "Bearer"


def test_cost_parameters_at_their_defaults_are_open(client):
    assert client.get("/analyses/brokers", params={"seed": 0, "exact": "false",
                                                   "top": 5}).status_code == 200
    assert client.get("/analyses/south-south", params={"permutations": 1000,
                                                       "top": 3}).status_code == 200
    assert client.get("/analyses/communities", params={"seed": 0}).status_code == 200
    # the token holder may use other values
    assert client.get("/analyses/communities", params={"seed": 3},
                      headers=AUTH).status_code == 200


def test_cost_parameters_with_only_the_read_token_are_forbidden(sqlite_store, sample):
    sqlite_store.load(*sample)
    settings = Settings(store="sqlite:///unused.db", api_token=SecretStr(TOKEN),
                        api_read_token=SecretStr(READ))
    with TestClient(create_app(settings=settings, store=sqlite_store, cache_ttl=0)) as c:
        read = {"Authorization": f"Bearer {READ}"}
        assert c.get("/analyses/communities", params={"seed": 3}).status_code == 401
        r = c.get("/analyses/communities", params={"seed": 3}, headers=read)
        assert r.status_code == 403 and "seed=3" in r.json()["detail"]
        assert c.get("/analyses/communities", headers=read).status_code == 200


def test_top_slices_one_computation(client, store):
    five = client.get("/analyses/brokers", params={"top": 5}).json()
    three = client.get("/analyses/brokers", params={"top": 3}).json()
    assert len(five["rows"]) == 5 and five["rows"][:3] == three["rows"]
    direct = analyses.brokers(store, top=5, definition="g77")
    assert [r["node"] for r in five["rows"]] == [r["node"] for r in direct["rows"]]
    assert five["rows"][0]["connects"] == direct["rows"][0]["connects"]
    ss = client.get("/analyses/south-south", params={"top": 2}).json()
    ss_direct = analyses.south_south(store, top=2, definition="g77")
    assert ss["missing_links"]["pairs"] == ss_direct["missing_links"]["pairs"]
    assert client.get("/analyses/brokers", params={"top": 501}).status_code == 422


@pytest.mark.parametrize("params, named", [
    ({"since": "20x"}, "since"),
    ({"since": "2025-13"}, "no month 13"),
    ({"until": "2025-02-30"}, "has no day 30"),
    ({"since": "2020", "until": "2010"}, "is after"),
])
def test_analysis_dates_are_checked_like_the_cli(client, params, named):
    r = client.get("/analyses/brokers", params=params)
    assert r.status_code == 422 and named in r.json()["detail"], r.text


@pytest.mark.parametrize("day, named", [("2025-13-01", "no month 13"),
                                        ("yesterday", "YYYY-MM-DD")])
def test_reference_days_are_checked_like_the_cli(client, day, named):
    for url in ("/analyses/focal-units", "/analyses/recognitions"):
        r = client.get(url, params={"today": day})
        assert r.status_code == 422 and named in r.json()["detail"], (url, r.text)


def test_date_patterns_agree_with_the_parsers():
    """The API schema's patterns accept exactly what the parsers accept (all days of two
    centuries' edges and every month of a year; 29 February is left to the parser)."""
    import datetime as dt
    import re

    from partnernet.dates import DAY_PATTERN, PERIOD_PATTERN, BadDate, parse_day, parse_period

    samples = [f"{y:04d}-{m:02d}-{d:02d}" for y in (1799, 1800, 2024, 2025, 2199, 2200)
               for m in range(0, 14) for d in range(0, 33)]
    samples += [f"{y:04d}-{m:02d}" for y in (1799, 1800, 2199, 2200) for m in range(0, 14)]
    samples += ["1799", "1800", "2199", "2200", "20x", "2025-1", ""]
    for text in samples:
        for pattern, parse in ((DAY_PATTERN, parse_day), (PERIOD_PATTERN, parse_period)):
            try:
                parse(text)
                parsed = True
            except BadDate:
                parsed = False
            matched = re.match(pattern, text) is not None
            leap_day = text[4:] == "-02-29" and parsed
            assert matched == parsed or leap_day, (pattern[:20], text, matched, parsed)
    assert dt.date(2024, 2, 29) == parse_day("2024-02-29")


def test_explorer_requests_are_limited_too(sqlite_store, sample, monkeypatch):
    """The explorer's data routes (up to a second of CPU each on 10,000 cities) hold a slot
    of their own limiter (twice the computation slots): beyond it and its queue, 503."""
    from partnernet.service import explore

    sqlite_store.load(*sample)
    gate, running = threading.Event(), threading.Semaphore(0)
    real = explore.node_details

    def blocking(*args, **kwargs):
        running.release()
        gate.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(explore, "node_details", blocking)
    settings = Settings(store="sqlite:///unused.db", api_heavy_slots=1, api_heavy_queue=0)
    with TestClient(create_app(settings=settings, store=sqlite_store, cache_ttl=0)) as client:
        answers: list = []
        threads = [threading.Thread(target=lambda: answers.append(
            client.get("/explore/node/city:br:maringa")), daemon=True) for _ in range(2)]
        for t in threads:
            t.start()
        try:
            assert running.acquire(timeout=30) and running.acquire(timeout=30)  # both slots
            r = client.get("/explore/node/city:br:maringa")
            assert r.status_code == 503 and int(r.headers["retry-after"]) >= 1
            assert client.get("/nodes/city:br:maringa").status_code == 200
            assert client.get("/explore/search", params={"q": "mar"}).status_code == 200
        finally:
            gate.set()
            for t in threads:
                t.join(30)
        assert [a.status_code for a in answers] == [200, 200]
