"""Status of action-plan deliverables per network and action line."""

from __future__ import annotations

from collections import Counter
from typing import Any

import networkx as nx

from partnernet.graph.schema import NodeLabel, RelType

__all__ = ["deliverable_status"]

STATUSES = ("attained", "in_progress", "not_developed")


def deliverable_status(g: nx.MultiDiGraph) -> dict[str, Any]:
    """Counts of deliverables by status, per network and per action line.

    Follows ``Measure -DELIVERS-> Deliverable``, ``Measure -PART_OF-> ActionLine
    -PART_OF-> Network``. Shares are over all deliverables of the line/network.

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("n", label="Network", name="N")
    >>> g.add_node("l", label="ActionLine", name="L", code="L1")
    >>> g.add_node("m", label="Measure", name="M", code="L1M1")
    >>> g.add_node("d", label="Deliverable", name="D", status="attained")
    >>> _ = g.add_edge("l", "n", type="PART_OF"); _ = g.add_edge("m", "l", type="PART_OF")
    >>> _ = g.add_edge("m", "d", type="DELIVERS")
    >>> deliverable_status(g)["networks"][0]["counts"]
    {'attained': 1, 'in_progress': 0, 'not_developed': 0}
    """
    def parent(v: str, label: str) -> str | None:
        for _, b, d in g.out_edges(v, data=True):
            if d.get("type") == RelType.PART_OF.value and g.nodes[b].get("label") == label:
                return b
        return None

    per_line: dict[str, Counter] = {}
    per_net: dict[str, Counter] = {}
    items: dict[str, list] = {}
    for m, b, d in g.edges(data=True):
        if d.get("type") != RelType.DELIVERS.value:
            continue
        if g.nodes[b].get("label") != NodeLabel.DELIVERABLE.value:
            continue
        line = parent(m, NodeLabel.ACTION_LINE.value)
        net = parent(line, NodeLabel.NETWORK.value) if line else None
        status = g.nodes[b].get("status", "unknown")
        per_line.setdefault(line or "(no action line)", Counter())[status] += 1
        per_net.setdefault(net or "(no network)", Counter())[status] += 1
        if status != "attained":
            items.setdefault(net or "(no network)", []).append(
                {"code": g.nodes[b].get("code"), "name": g.nodes[b].get("name"),
                 "status": status})

    def row(key: str, c: Counter) -> dict[str, Any]:
        total = sum(c.values())
        return {"id": key, "name": g.nodes[key].get("name", key) if key in g else key,
                "code": g.nodes[key].get("code") if key in g else None,
                "total": total, "counts": {s: c.get(s, 0) for s in STATUSES},
                "shares": {s: c.get(s, 0) / total for s in STATUSES} if total else {}}

    nets = [row(k, c) for k, c in sorted(per_net.items())]
    for n in nets:
        n["open_items"] = sorted(items.get(n["id"], []), key=lambda r: str(r["code"]))
    return {"networks": nets,
            "action_lines": [row(k, c) for k, c in sorted(per_line.items())]}
