"""How betweenness is computed on a projection: exact, KADABRA within epsilon, or pivots."""

from __future__ import annotations

from partnernet.graph.analysis.projections import Projection

__all__ = ["DEFAULT_EPSILON", "DEFAULT_PIVOTS", "EXACT_LIMIT", "EXACT_WORK", "WORK_LIMIT",
           "plan_betweenness"]

#: Partnerships and all ties: above this many nodes, betweenness is estimated by KADABRA
#: within DEFAULT_EPSILON (with 95% confidence) unless exact costs at most EXACT_WORK, or
#: the caller asks for exact or pivots.
EXACT_LIMIT = 5_000
#: ... exact all the same while Brandes' work on the 2-core (sources x (vertices + arcs),
#: graph.analysis.pendant_brandes) stays under this: on the twin-town file (18,405 nodes,
#: 2-core of 5,954 with 28,158 arcs: 2.0e8) exact took 1.5-1.7 s on two threads, KADABRA
#: at 0.001 1.5-2.3 s on the same (slow) day for 47-49 of the exact top 50 and the top 10
#: in order for one seed of five (bench/betweenness_accuracy.py). 2.5e8: about 2 s.
EXACT_WORK = 2.5e8
DEFAULT_EPSILON = 0.001
DEFAULT_PIVOTS = 512  # --pivots without a number of its own (kept for callers)
#: Co-membership and two-mode projections (Newman-weighted paths through hubs, or the
#: two-mode graph: KADABRA does not apply): exact betweenness while nodes x ties stays under
#: this (about 4 s of igraph on this project's 2 cores), else uniform pivots that fit it.
WORK_LIMIT = 1.2e8


def plan_betweenness(p: Projection, k: int | None, exact: bool, epsilon: float | None
                     ) -> tuple[int | None, float | None, float | None]:
    """``(pivots, epsilon, exact_within)`` for betweenness on ``p``: exact when asked or
    small; else on one-mode projections KADABRA within :data:`DEFAULT_EPSILON` unless
    exact costs at most :data:`EXACT_WORK` (an epsilon the caller asks for is kept), on
    co-membership and two-mode ones uniform pivots within :data:`WORK_LIMIT` (asked pivots
    win over epsilon)."""
    if exact:
        return None, None, None
    if k is not None:
        return k, None, None
    n = len(p.actors()) + len(p.hubs)
    if p.name in ("partnerships", "all"):
        if epsilon is None and n > EXACT_LIMIT:
            return None, DEFAULT_EPSILON, EXACT_WORK
        return None, epsilon, None
    m = max(p.graph.number_of_edges(), 1)
    if n * m <= WORK_LIMIT:
        return None, None, None
    return max(64, min(DEFAULT_PIVOTS, int(WORK_LIMIT // m))), None, None
