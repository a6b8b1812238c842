"""One ranked brokers table on any projection: betweenness, structural holes, brokerage
roles, cut points, and the groups each broker links."""

from __future__ import annotations

import math
from typing import Any

import networkx as nx

from partnernet.graph.analysis.betweenness import DEFAULT_CONFIDENCE, betweenness
from partnernet.graph.analysis.brokerage import ROLES, brokerage, brokered_pairs
from partnernet.graph.analysis.comembership import hub_betweenness
from partnernet.graph.analysis.cuts import cut_points_and_bridges
from partnernet.graph.analysis.kernel import to_igraph
from partnernet.graph.analysis.projections import Projection
from partnernet.graph.analysis.structural_holes import structural_holes
from partnernet.graph.analysis.two_mode import member_links, two_mode_centrality

__all__ = ["UNDEFINED", "broker_table"]

#: Why a measure has no value, by projection or node: the reasons tables print as
#: "n/a (reason)" and JSON gives beside a null.
UNDEFINED = {
    "isolate": "no ties: nothing to invest in or broker",
    "hubs_only": "tied only through large groups",
    "roles_co_membership": ("Gould-Fernandez roles count open two-paths of direct ties; in a "
                            "co-membership projection every group is a clique, so they would "
                            "measure group overlap: see 'connects' (the groups each member "
                            "links) or use the partnerships projection"),
    "roles_two_mode": ("Gould-Fernandez roles and structural holes need one-mode ties: in a "
                       "two-mode graph a node's contacts are never tied to each other; see "
                       "'connects' or use the co-membership projection"),
}


def _as_projection(g: nx.Graph | Projection) -> Projection:
    if isinstance(g, Projection):
        return g
    return Projection("partnerships", g, "the graph given", weight=None)


def broker_table(g: nx.Graph | Projection, *, group_by: str = "region", k: int | None = None,
                 seed: int = 0, top: int | None = 50, explain: int = 10,
                 epsilon: float | None = None, confidence: float = DEFAULT_CONFIDENCE,
                 exact_within: float | None = None) -> dict[str, Any]:
    r"""Rank the brokers of a projection, combining the views of brokerage that hold on it.

    Rows are ranked by betweenness :math:`c_B` (ties: more group pairs linked, lower
    Burt constraint, then name). On a one-mode graph (partnerships, all ties) each row
    holds betweenness, Burt's constraint, effective size and efficiency, the
    Gould-Fernandez role counts for the grouping ``group_by`` (with the z-score of the
    total against ``sna``'s null; on a directed graph the roles follow the arcs),
    whether the node is a cut point (and how many nodes it alone holds to the network),
    and for the first ``explain`` rows the group pairs it connects. On a co-membership
    projection betweenness uses Newman distances and structural holes Newman weights
    (a large group kept as a hub counts as one contact); roles are undefined and
    ``connects`` lists the groups a member links (those it alone links first). On the
    two-mode graph, degree and betweenness are normalised per mode.

    Every node of the analysed graph is a row: isolates are listed with betweenness 0
    and undefined constraint, and count in the normalisation (as igraph, NetworkX and
    UCINET do). An undefined value is ``nan`` and the row's ``undefined`` says why.

    Parameters
    ----------
    g : networkx.Graph or Projection
        A projection (:func:`graph.analysis.projections.project`) or a plain graph
        (read as an unweighted one-mode graph; a ``DiGraph`` as arcs).
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
    exact_within : float, optional
        With ``epsilon``: exact betweenness instead where it costs at most this much
        work (:func:`graph.analysis.betweenness.betweenness`).

    Returns
    -------
    dict
        ``rows`` (ranked), ``betweenness`` (how it was computed), ``group_by``,
        ``groups`` (sizes), ``network`` (brokerage totals with z-scores, or ``None``),
        ``isolates`` and ``undefined`` (measure -> reason, for the whole table).

    References
    ----------
    .. [1] Brandes, U. (2001). doi:10.1080/0022250X.2001.9990249
    .. [2] Burt, R. S. (1992). Structural Holes. doi:10.4159/9780674029095
    .. [3] Gould, R. V. & Fernandez, R. M. (1989). doi:10.2307/270949
    .. [4] Borgatti, S. P. & Everett, M. G. (1997). doi:10.1016/S0378-8733(96)00306-0

    Examples
    --------
    >>> g = nx.Graph([("a", "hub"), ("b", "hub"), ("c", "hub")])
    >>> nx.set_node_attributes(g, {"a": "x", "b": "y", "c": "x", "hub": "z"}, "region")
    >>> broker_table(g)["rows"][0]["node"]
    'hub'
    """
    p = _as_projection(g)
    graph = p.graph
    actors = p.actors()
    skip = set(p.hubs)
    # nodes without the attribute (networks, committees, focal units have no region) are
    # grouped by their kind instead of all falling into one "Unknown"
    groups = {v: graph.nodes[v].get(group_by) or graph.nodes[v].get("label") or "Unknown"
              for v in actors}
    undirected = graph.to_undirected(as_view=True) if graph.is_directed() else graph
    undefined: dict[str, str] = {}
    links: dict[str, Any] = {}
    role_rows: dict[str, dict] = {}
    network = None
    if p.two_mode:
        tm = two_mode_centrality(graph, k=k, seed=seed)
        bet = {k_: v for k_, v in tm.items() if k_ not in ("degree", "betweenness")}
        scores, degree = tm["betweenness"], tm["degree"]
        holes: dict[str, dict] = {}
        undefined["constraint"] = undefined["brokerage"] = UNDEFINED["roles_two_mode"]
    elif p.name == "co-membership":
        bet = hub_betweenness(p, k=k, seed=seed)
        scores = bet.pop("scores")
        holes = structural_holes(undirected, weight=p.weight) if graph.number_of_nodes() \
            else {m: {} for m in ("constraint", "effective_size", "efficiency")}
        degree = {v: undirected.degree(v) for v in actors}
        undefined["brokerage"] = UNDEFINED["roles_co_membership"]
    else:
        kernel = to_igraph(undirected)  # converted once, shared by betweenness and constraint
        bet = betweenness(undirected, k=k, seed=seed, kernel=kernel, epsilon=epsilon,
                          confidence=confidence, exact_within=exact_within)
        scores = bet.pop("scores")
        holes = structural_holes(undirected, kernel=kernel)
        degree = {v: undirected.degree(v) for v in actors}
        gf = brokerage(graph, groups)
        role_rows, network = gf["nodes"], gf["network"]
        if graph.is_directed():
            bet["description"] += "; betweenness and structural holes on the ties " \
                                  "regardless of direction, roles on the arcs"
    cuts = {r["node"]: r for r in cut_points_and_bridges(undirected, skip=skip)["cut_points"]}
    if p.two_mode or p.name == "co-membership":
        links = _memberships(graph, p, None)  # how many group pairs each alone links
    rows = []
    nan = math.nan
    for v in actors:
        d = graph.nodes[v]
        why: dict[str, str] = {}
        iso = undirected.degree(v) == 0
        row: dict[str, Any] = {
            "node": v, "name": d.get("name", v), "label": d.get("label"), "group": groups[v],
            "degree": degree.get(v, 0), "betweenness": scores.get(v, 0.0),
            "constraint": holes.get("constraint", {}).get(v, nan),
            "effective_size": holes.get("effective_size", {}).get(v, nan),
            "efficiency": holes.get("efficiency", {}).get(v, nan)}
        b = role_rows.get(v)
        for role in ROLES:
            row[role] = b[role] if b else None
        row["brokerage_total"] = b["total"] if b else None
        row["brokerage_z"] = b["z"]["total"] if b else None
        row["cut_point"] = v in cuts
        row["separated"] = cuts[v]["separated"] if v in cuts else 0
        row["groups"] = []
        row["linked_group_pairs"] = links.get(v, {}).get("sole", 0)
        if iso:
            why["constraint"] = why["effective_size"] = why["efficiency"] = UNDEFINED["isolate"]
        elif skip and all(u in skip for u in undirected[v]):
            pass  # a member tied only to large groups has one contact per group: defined
        if b is None and "brokerage" in undefined:
            why["brokerage"] = undefined["brokerage"]
        elif b is not None and isinstance(row["brokerage_z"], float) \
                and math.isnan(row["brokerage_z"]):
            why["brokerage_z"] = "the null model has no variance (fewer than 3 nodes or " \
                                 "density 0 or 1)"
        if p.two_mode:
            for m in ("constraint", "effective_size", "efficiency"):
                why[m] = undefined["constraint"]
        row["undefined"] = why
        rows.append(row)
    rows.sort(key=lambda r: (-r["betweenness"], -r["linked_group_pairs"],
                             r["constraint"] if not math.isnan(r["constraint"]) else 2.0,
                             str(r["name"]), str(r["node"])))
    isolates = [r["name"] for r in rows if undirected.degree(r["node"]) == 0]
    if top is not None:
        rows = rows[:top]
    shown: dict[str, dict] = {}
    if links:  # the groups of the rows shown, and the pairs of the first ``explain``
        shown = _memberships(graph, p, [r["node"] for r in rows])
        for r in rows:
            r["groups"] = shown.get(r["node"], {}).get("groups", [])
    for rank, r in enumerate(rows, start=1):
        r["rank"] = rank
        if rank <= explain:
            if p.two_mode or p.name == "co-membership":
                if graph.nodes[r["node"]].get("bipartite") != 1:
                    r["connects"] = shown.get(r["node"], {}).get("pairs", [])
                else:
                    r["connects"] = []
            else:
                r["connects"] = brokered_pairs(graph, r["node"], groups, limit=5)
    return {"rows": rows, "betweenness": bet, "group_by": group_by,
            "groups": {str(x): n for x, n in _sizes(groups).items()}, "network": network,
            "nodes": len(actors), "ties": undirected.number_of_edges() - sum(p.hubs.values()),
            "isolates": {"count": len(isolates), "names": isolates[:50],
                         "note": "listed with betweenness 0 and undefined constraint; counted "
                                 "in the normalisation"},
            "undefined": undefined}


def _sizes(groups: dict) -> dict:
    out: dict = {}
    for x in groups.values():
        out[x] = out.get(x, 0) + 1
    return dict(sorted(out.items(), key=lambda kv: (-kv[1], str(kv[0]))))


def _memberships(graph: nx.Graph, p: Projection, nodes) -> dict[str, dict]:
    """Per member: how many pairs of its groups it alone links, and for ``nodes`` its
    groups and those pairs (from the two-mode graph the projection came from)."""
    b = graph if p.two_mode else p.two_mode_graph
    return member_links(b, nodes=nodes, limit=5) if b is not None else {}
