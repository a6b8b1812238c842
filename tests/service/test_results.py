"""The results file: a codec that gives back what it was given, a size bound, damaged and
unwritable files, and two processes writing at once.

Expected values: the values the tests put in (round trips), byte counts of what they put."""

from __future__ import annotations

import datetime as dt
import json
import logging
import math
import multiprocessing
import os

import numpy as np
import pytest

from partnernet.graph.schema import Node, Relationship
from partnernet.graph.store.sqlite import SQLiteStore
from partnernet.service import analyses
from partnernet.service.cache import GraphCache
from partnernet.service.results import (
    MISSING,
    STALE_AFTER,
    ResultStore,
    decode,
    encode,
    results_folder,
)


def same(a, b) -> bool:
    """Equal, with NaN equal to NaN and types checked (1 is not 1.0 is not True)."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def test_the_codec_gives_back_tuples_keys_sets_dates_and_nan():
    value = {"pairs": [("Africa", "Asia")], 3: "int key", None: "null key",
             ("a", 1): {1.5, None}, "when": dt.date(2026, 2, 28),
             "at": dt.datetime(2026, 2, 28, 12, 0, tzinfo=dt.UTC),
             "nan": float("nan"), "inf": float("-inf"), "flag": True, "n": 7,
             "__pn__": "a key that looks like a tag", "empty": {}, "nested": [[], [()]]}
    back = decode(encode(value))
    assert same(back, value)
    assert same(encode(np.int64(3)), 3) and same(encode(np.float64(0.5)), 0.5)
    with pytest.raises(TypeError, match="cannot keep a object"):
        encode(object())


@pytest.fixture
def generated_store(tmp_path):
    """The reference graph plus 150 generated cities (seed 3): real analysis results."""
    from partnernet.loaders.generate import GeneratedOptions, generate_plan
    from partnernet.loaders.reference_graph import reference_plan

    store = SQLiteStore(tmp_path / "g.db")
    ref = reference_plan()
    plan = generate_plan(GeneratedOptions(cities=150, seed=3),
                         anchors=[n for n in ref.nodes if n.label == "City"])
    store.load(ref.nodes + plan.nodes, ref.relationships + plan.relationships)
    yield store
    store.close()


def test_every_analysis_result_survives_the_results_file(generated_store, tmp_path):
    cache = GraphCache(generated_store, ttl=0)
    results = [analyses.brokers(generated_store, cache=cache, top=10),
               analyses.south_south(generated_store, cache=cache, permutations=50),
               analyses.focal_unit_report(generated_store, cache=cache,
                                          today=dt.date(2026, 3, 1)),
               analyses.deliverables(generated_store, cache=cache),
               analyses.recognitions_report(generated_store, cache=cache,
                                            today=dt.date(2026, 3, 1)),
               analyses.communities_report(generated_store, cache=cache),
               analyses.match(generated_store, "Maringá", cache=cache, sdgs=[11])]
    disk = ResultStore(tmp_path / "r.results")
    for i, r in enumerate(results):
        assert disk.put("snap", ("q", i), r)
        assert same(disk.get("snap", ("q", i)), r), f"result {i} changed on the way"
    assert disk.stats()["entries"] == len(results)


def test_the_file_stays_under_its_size_and_drops_the_least_recently_used(tmp_path):
    blob = os.urandom(3000).hex()  # incompressible: about 6 kB on disk each
    disk = ResultStore(tmp_path / "r.results", max_bytes=40_000)
    for i in range(20):
        disk.put("snap", ("q", i), blob)
        if i == 10:
            assert disk.get("snap", ("q", 0)) is not MISSING  # not yet evicted
    st = disk.stats()
    assert 0 < st["bytes"] <= 40_000 and st["entries"] < 20
    assert disk.get("snap", ("q", 19)) == blob  # the newest is kept
    assert disk.get("snap", ("q", 1)) is MISSING  # among the oldest, gone
    # a value larger than a quarter of the limit is not kept at all
    assert not disk.put("snap", ("big",), os.urandom(20_000).hex())


def test_snapshots_unused_for_an_hour_are_dropped(tmp_path):
    now = [1_000_000.0]
    disk = ResultStore(tmp_path / "r.results", clock=lambda: now[0])
    disk.put("old", ("q",), "old answer")
    now[0] += STALE_AFTER + 1
    disk.put("new", ("q",), "new answer")
    assert disk.get("old", ("q",)) is MISSING and disk.get("new", ("q",)) == "new answer"


def test_a_damaged_file_is_replaced_and_an_unwritable_one_only_logged(tmp_path, caplog):
    path = tmp_path / "r.results"
    path.write_bytes(b"this is not an SQLite file" * 100)
    disk = ResultStore(path)
    assert disk.get("s", ("q",)) is MISSING
    assert disk.put("s", ("q",), [1, 2]) and disk.get("s", ("q",)) == [1, 2]

    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    caplog.set_level(logging.WARNING, logger="partnernet.results")
    nowhere = ResultStore(blocked / "sub" / "r.results")
    assert nowhere.put("s", ("q",), 1) is False
    assert nowhere.get("s", ("q",)) is MISSING
    assert "results are not kept on disk" in caplog.text
    assert nowhere.stats()["failed"]


def _writer(path: str, who: int) -> None:
    disk = ResultStore(path)
    for i in range(40):
        assert disk.put(f"snap{i % 3}", ("q", who, i), {"who": who, "i": i, "pad": "x" * 500})
        assert disk.get(f"snap{(i + 1) % 3}", ("q", 1 - who, i)) in (MISSING,
                                                                     {"who": 1 - who, "i": i,
                                                                      "pad": "x" * 500})


def test_two_processes_write_the_same_file_at_once(tmp_path):
    path = str(tmp_path / "shared.results")
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(path, who)) for who in (0, 1)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0, 0]
    disk = ResultStore(path)
    assert disk.stats()["entries"] == 80
    assert disk.get("snap2", ("q", 1, 5)) == {"who": 1, "i": 5, "pad": "x" * 500}


def test_where_results_are_kept(tmp_path, monkeypatch):
    store = SQLiteStore(tmp_path / "data.db")
    assert ResultStore.for_store(store).path == (tmp_path / "data.db.results").resolve()
    assert ResultStore.for_store(store, max_bytes=0) is None  # 0 keeps nothing
    other = ResultStore.for_store(store, folder=tmp_path / "elsewhere")
    assert other.path.parent == tmp_path / "elsewhere"
    assert ResultStore.for_store(SQLiteStore(":memory:")) is None
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert results_folder() == tmp_path / "xdg" / "partnernet"


def test_the_results_file_is_created_private(tmp_path):
    disk = ResultStore(tmp_path / "r.results")
    disk.put("s", ("q",), json.dumps({"a": 1}))
    assert (tmp_path / "r.results").stat().st_mode & 0o077 == 0


def test_results_are_keyed_by_data_not_by_store_object(tmp_path):
    """Loading the same records into a second store gives another snapshot: never each
    other's results (each file draws its own store id)."""
    a, b = SQLiteStore(tmp_path / "a.db"), SQLiteStore(tmp_path / "b.db")
    node = Node(id="city:ke:nairobi", label="City", name="Nairobi", source="t")
    for s in (a, b):
        s.load([node, Node(id="city:pe:lima", label="City", name="Lima", source="t")],
               [Relationship(start="city:ke:nairobi", type="PARTNERS_WITH",
                             end="city:pe:lima", source="t")])
    assert a.fingerprint() != b.fingerprint()
