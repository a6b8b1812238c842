"""How betweenness is computed on a projection: exact, KADABRA within epsilon, or pivots."""

from __future__ import annotations

from partnernet.graph.analysis.projections import Projection

__all__ = ["DEFAULT_EPSILON", "DEFAULT_PIVOTS", "EXACT_LIMIT", "WORK_LIMIT", "plan_betweenness"]

#: Partnerships and all ties: above this many nodes, betweenness is estimated by KADABRA
#: within DEFAULT_EPSILON (with 95% confidence) unless the caller asks for exact or pivots.
#: On the 17,087-city twin-town graph exact took 24 s and KADABRA at 0.001 1.3-2.1 s,
#: finding 49-50 of the exact top 50 and the top 10 (bench/betweenness_accuracy.py); exact at
#: 5,000 nodes takes about as long as KADABRA at 17,000. (512 uniform pivots, the default
#: before, found 37/50 there.)
EXACT_LIMIT = 5_000
DEFAULT_EPSILON = 0.001
DEFAULT_PIVOTS = 512  # --pivots without a number of its own (kept for callers)
#: Co-membership and two-mode projections (Newman-weighted paths through hubs, or the
#: two-mode graph: KADABRA does not apply): exact betweenness while nodes x ties stays under
#: this (about 4 s of igraph on this project's 2 cores), else uniform pivots that fit it.
WORK_LIMIT = 1.2e8


def plan_betweenness(p: Projection, k: int | None, exact: bool, epsilon: float | None
                     ) -> tuple[int | None, float | None]:
    """``(pivots, epsilon)`` for betweenness on ``p``: exact when asked or small; else on
    one-mode projections KADABRA within :data:`DEFAULT_EPSILON`, on co-membership and
    two-mode ones uniform pivots within :data:`WORK_LIMIT` (asked pivots win over epsilon)."""
    if exact:
        return None, None
    if k is not None:
        return k, None
    n = len(p.actors()) + len(p.hubs)
    if p.name in ("partnerships", "all"):
        if epsilon is None and n > EXACT_LIMIT:
            epsilon = DEFAULT_EPSILON
        return None, epsilon
    m = max(p.graph.number_of_edges(), 1)
    if n * m <= WORK_LIMIT:
        return None, None
    return max(64, min(DEFAULT_PIVOTS, int(WORK_LIMIT // m))), None
