"""Opening a Neo4j store: init() lists the indexes once and creates only when one is
missing (every CLI command opens the store). Expected values: the index names init makes."""

from __future__ import annotations

import pytest

from partnernet.graph.store import cypher

pytestmark = pytest.mark.neo4j


def _names(driver) -> set[str]:
    return {r["name"] for r in driver.execute_query(cypher.LIST_INDEXES).records}


def test_init_recreates_what_is_missing_and_otherwise_only_looks(neo4j_store, neo4j_driver):
    neo4j_store.init()
    assert _names(neo4j_driver) >= cypher.INDEX_NAMES
    neo4j_driver.execute_query("DROP CONSTRAINT city_id")
    assert "city_id" not in _names(neo4j_driver)
    neo4j_store.init()
    assert _names(neo4j_driver) >= cypher.INDEX_NAMES
    before = neo4j_store.fingerprint()
    neo4j_store.init()  # all present: nothing written, the snapshot unchanged
    assert neo4j_store.fingerprint() == before
