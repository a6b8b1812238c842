"""The explorer's side panel on a store loaded from a plain pair list, as a new user has it.
Expected text by hand from the three ties written here."""

from __future__ import annotations

import time

from click.testing import CliRunner

from partnernet.cli.main import cli
from partnernet.graph.store import open_store
from partnernet.service import explore
from partnernet.service.cache import GraphCache


def _details(store, cache, node):
    for _ in range(100):
        d = explore.node_details(store, cache, node)
        if "missing_links_pending" not in d:
            return d
        time.sleep(0.2)
    raise AssertionError("missing links still pending after 20 s")


def test_the_panel_says_why_a_node_has_no_missing_south_south_link(tmp_path):
    # found as a new user: the section was simply left out, for every node of the twin-town
    # file (no memberships, themes or SDGs to propose from)
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("city1,country1,city2,country2\nQuito,Ecuador,Lyon,France\n"
                     "Maringá,Brazil,Lyon,France\nDakar,Senegal,Lyon,France\n", "utf-8")
    uri = f"sqlite:///{tmp_path / 'p.db'}"
    assert CliRunner().invoke(cli, ["--store", uri, "load", str(pairs)]).exit_code == 0
    store = open_store(uri)
    try:
        cache = GraphCache(store)
        quito = _details(store, cache, "city:ec:quito")
        assert quito["missing_links"] == []
        assert quito["missing_links_none"].startswith(
            "none proposed in this store: none of the 3 Southern cities is in a network")
    finally:
        store.close()
