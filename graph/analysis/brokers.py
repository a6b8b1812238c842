"""One ranked brokers table: betweenness, structural holes, brokerage roles, cut points."""

from __future__ import annotations

import math
from typing import Any

import networkx as nx

from partnernet.graph.analysis.betweenness import DEFAULT_CONFIDENCE, betweenness
from partnernet.graph.analysis.brokerage import ROLES, brokerage, brokered_pairs
from partnernet.graph.analysis.cuts import cut_points_and_bridges
from partnernet.graph.analysis.kernel import to_igraph
from partnernet.graph.analysis.structural_holes import structural_holes

__all__ = ["broker_table"]


def broker_table(g: nx.Graph, *, group_by: str = "region", k: int | None = None,
                 seed: int = 0, top: int | None = 50, explain: int = 10,
                 epsilon: float | None = None,
                 confidence: float = DEFAULT_CONFIDENCE) -> dict[str, Any]:
    r"""Rank the brokers of an undirected graph, combining four views of brokerage.

    Rows are ranked by betweenness :math:`c_B` (ties: lower Burt constraint first).
    Each row holds betweenness, Burt's constraint, effective size and efficiency,
    the Gould-Fernandez role counts for the grouping ``group_by`` (with the z-score
    of the total against ``sna``'s null), whether the node is a cut point (and how
    many nodes it alone holds to the network), and for the first ``explain`` rows
    the group pairs it connects.

    Parameters
    ----------
    g : networkx.Graph
        Usually :func:`graph.analysis.projections.partnership_graph`.
    group_by : str
        Node attribute grouping nodes for brokerage roles (``region``, ``bloc``...).
    k : int, optional
        Pivots for sampled betweenness (``None``: exact).
    seed : int
        Pivot (or KADABRA) seed.
    top : int, optional
        Rows to return (``None``: all).
    explain : int
        How many of the top rows carry the pairs they broker.
    epsilon, confidence : float, optional
        Estimate betweenness with KADABRA within ``epsilon`` at this confidence
        (:func:`graph.analysis.betweenness.betweenness`).

    Returns
    -------
    dict
        ``rows`` (ranked), ``betweenness`` (how it was computed), ``group_by``,
        ``groups`` (sizes) and ``network`` (brokerage totals with z-scores).

    References
    ----------
    .. [1] Brandes, U. (2001). doi:10.1080/0022250X.2001.9990249
    .. [2] Burt, R. S. (1992). Structural Holes. doi:10.4159/9780674029095
    .. [3] Gould, R. V. & Fernandez, R. M. (1989). doi:10.2307/270949

    Examples
    --------
    >>> g = nx.Graph([("a", "hub"), ("b", "hub"), ("c", "hub")])
    >>> nx.set_node_attributes(g, {"a": "x", "b": "y", "c": "x", "hub": "z"}, "region")
    >>> broker_table(g)["rows"][0]["node"]
    'hub'
    """
    groups = {v: d.get(group_by, "Unknown") for v, d in g.nodes(data=True)}
    kernel = to_igraph(g)  # converted once, shared by betweenness and constraint
    bet = betweenness(g, k=k, seed=seed, kernel=kernel, epsilon=epsilon,
                      confidence=confidence)
    holes = structural_holes(g, kernel=kernel)
    gf = brokerage(g, groups)
    cuts = {r["node"]: r for r in cut_points_and_bridges(g)["cut_points"]}
    rows = []
    for v in g:
        b = gf["nodes"][v]
        rows.append({
            "node": v, "name": g.nodes[v].get("name", v), "group": groups[v],
            "degree": g.degree(v),
            "betweenness": bet["scores"].get(v, 0.0),
            "constraint": holes["constraint"][v],
            "effective_size": holes["effective_size"][v],
            "efficiency": holes["efficiency"][v],
            **{role: b[role] for role in ROLES},
            "brokerage_total": b["total"],
            "brokerage_z": b["z"]["total"],
            "cut_point": v in cuts,
            "separated": cuts[v]["separated"] if v in cuts else 0,
        })
    rows.sort(key=lambda r: (-r["betweenness"],
                             r["constraint"] if not math.isnan(r["constraint"]) else 2.0,
                             str(r["node"])))
    if top is not None:
        rows = rows[:top]
    for rank, r in enumerate(rows, start=1):
        r["rank"] = rank
        if rank <= explain:
            r["connects"] = brokered_pairs(g, r["node"], groups, limit=5)
    return {"rows": rows, "betweenness": {k_: v for k_, v in bet.items() if k_ != "scores"},
            "group_by": group_by, "groups": gf["groups"], "network": gf["network"],
            "nodes": g.number_of_nodes(), "ties": g.number_of_edges()}
