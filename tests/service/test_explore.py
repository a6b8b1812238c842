"""The explorer's side panel on a store loaded from a plain pair list, as a new user has it.
Expected text by hand from the three ties written here."""

from __future__ import annotations

import time

from partnernet.service import explore
from partnernet.service.cache import GraphCache


def _details(store, cache, node):
    for _ in range(100):
        d = explore.node_details(store, cache, node)
        if "missing_links_pending" not in d:
            return d
        time.sleep(0.2)
    raise AssertionError("missing links still pending after 20 s")


def test_the_panel_says_why_a_node_has_no_missing_south_south_link(pairs_store):
    # found as a new user: the section was simply left out, for every node of the twin-town
    # file (no memberships, themes or SDGs to propose from)
    quito = _details(pairs_store, GraphCache(pairs_store), "city:ec:quito")
    assert quito["missing_links"] == []
    assert quito["missing_links_none"].startswith(
        "none proposed in this store: none of the 3 Southern cities is in a network")


def test_the_panel_names_the_state_not_its_code(pairs_store):
    # found as a new user: Maringá's panel said "admin1 18"; GeoNames' admin1 code 18 of
    # Brazil is Paraná
    d = _details(pairs_store, GraphCache(pairs_store), "city:br:maringa")
    assert d["facts"].get("admin1_name") == "Paraná" and "admin1" not in d["facts"]
