"""The explorer's side panel: one node's facts, broker scores, focal units and missing
South-South links (scores computed in the background when they take long)."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

from partnernet.graph.analysis.brokerage import brokered_pairs
from partnernet.graph.store import GraphStore
from partnernet.service import analyses
from partnernet.service.cache import GraphCache
from partnernet.service.explore_index import Index, index_for, node_payload

__all__ = ["SCORES_WAIT", "node_details"]


def node_details(store: GraphStore, cache: GraphCache, node: str, *,
                 definition: str = "g77",
                 run: Callable[..., dict[str, Any]] | None = None) -> dict[str, Any]:
    """Facts, broker scores and what the node connects, the focal units responsible and the
    letter routing (partners), and the missing South-South links that involve it.

    ``run(analysis, **options)`` computes the analyses the panel draws on (the whole broker
    table, South-South links, focal units; once per snapshot each) and returns the result;
    default: in this process on ``cache``. The API hands them to its computation process.
    """
    if run is None:
        def run(analysis, **options):
            return analysis(store, cache=cache, **options)
    ix = index_for(cache, definition)
    g = ix.g
    if node not in g:
        raise KeyError(node)
    d = g.nodes[node]
    facts = {k: v for k, v in d.items() if k not in ("name", "label") and v not in (None, "")}
    if facts.get("admin1") and not facts.get("admin1_name") and d.get("country"):
        from partnernet.graph.geography.gazetteer import gazetteer

        name = gazetteer().admin1_name(str(d["country"]), str(facts["admin1"]))
        if name:
            facts["admin1_name"] = name
    if facts.get("admin1_name"):  # the state's name, not GeoNames' code ("18" for Paraná)
        facts.pop("admin1", None)
    out: dict[str, Any] = {"node": node_payload(ix, node), "facts": facts}
    kinds = Counter(g.nodes[v].get("label") for v in
                    set(g.successors(node)) | set(g.predecessors(node)))
    out["neighbour_kinds"] = dict(kinds.most_common())
    out["scores"] = _scores(run, cache, ix, node, definition)
    if d.get("label") == "Partner":
        ready, fu = _soon(cache, ("explore-focal-units",), lambda _g: run(
            analyses.focal_unit_report))
        if ready:
            out["focal_units"] = next((p for p in fu["partners"] if p["partner"] == node),
                                      None)
        else:
            out["focal_units_pending"] = ("the focal units are being worked out (once per "
                                          "data snapshot)")
    ready, ss = _soon(cache, ("explore-south-south", definition), lambda _g: run(
        analyses.south_south, definition=definition, top=200, permutations=0))
    if not ready:
        out["missing_links_pending"] = ("missing South-South links are being computed "
                                        "(once per data snapshot)")
        return out
    out["missing_links"] = [
        {"a": p["a"], "b": p["b"], "other": p["b"] if p["a"] == node else p["a"],
         "other_name": p["b_name"] if p["a"] == node else p["a_name"], "score": p["score"],
         "reasons": p["reasons"]}
        for p in ss["missing_links"]["pairs"] if node in (p["a"], p["b"])]
    if not out["missing_links"]:
        none = ss["missing_links"].get("empty")
        if none:
            why = "; ".join(["none proposed in this store: " + none["why"], *none["try"]])
        elif d.get("bloc") != "South":
            why = (f"none: {d.get('name', node)} is not a Southern city under {definition} "
                   "(missing links join two Southern cities)")
        else:
            why = (f"none among the {len(ss['missing_links']['pairs'])} strongest of the store "
                   "(`partnernet analyse south-south --top N` lists more)")
        out["missing_links_none"] = why
    return out


#: How long a side-panel request waits for the broker scores before answering without them
#: (they go on being computed once per graph, in the background).
SCORES_WAIT = 0.5
_running: dict[tuple, threading.Thread] = {}
_running_lock = threading.Lock()


def _soon(cache: GraphCache, key: tuple, build) -> tuple[bool, Any]:
    """``cache.derived(key, build)`` if it is ready within :data:`SCORES_WAIT` seconds;
    else ``(False, None)`` while it goes on in a background thread (one per key)."""
    with _running_lock:
        token = (id(cache), key)
        thread = _running.get(token)
        if thread is None or not thread.is_alive():
            thread = threading.Thread(target=cache.derived, args=(key, build), daemon=True,
                                      name=f"explore-{key[0]}")
            _running[token] = thread
            thread.start()
    thread.join(SCORES_WAIT)
    if thread.is_alive():
        return False, None
    return True, cache.derived(key, build)


def _scores(run: Callable[..., dict[str, Any]], cache: GraphCache, ix: Index, node: str,
            definition: str) -> dict[str, Any] | None:
    if node not in ix.p or ix.p.degree(node) == 0:
        return None
    key = ("explore-brokers", definition)

    def build(_g):
        return {r["node"]: r for r in run(analyses.brokers, definition=definition,
                                           top=None)["rows"]}

    ready, table = _soon(cache, key, build)
    if not ready:
        return {"pending": True,
                "note": f"broker scores over {ix.p.number_of_nodes():,} cities and partners "
                        "are being computed (once per data snapshot)"}
    row = table.get(node)
    if row is None:
        return None
    groups = {v: dd.get("region", "Unknown") for v, dd in ix.p.nodes(data=True)}
    keys = ("rank", "betweenness", "constraint", "effective_size", "efficiency",
            "coordinator", "itinerant", "gatekeeper", "representative", "liaison",
            "brokerage_total", "cut_point", "separated")
    return {**{k: row.get(k) for k in keys}, "ranked_of": len(table),
            "connects": brokered_pairs(ix.p, node, groups, limit=6)}
