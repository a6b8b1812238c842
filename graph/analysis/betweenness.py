"""Betweenness centrality: exact (pendant trees reduced, Brandes on the 2-core), from k
sampled pivots (igraph), or estimated by KADABRA with a stated additive error and
confidence (NetworKit)."""

from __future__ import annotations

import random
import threading
from typing import Any

import networkx as nx
import numpy as np

from partnernet.graph.analysis.kernel import (
    IGraph,
    betweenness_sum,
    kernel_for,
    to_igraph,
    to_networkit,
)
from partnernet.graph.analysis.pendant_brandes import exact_sums, reduce_pendant_trees

__all__ = ["DEFAULT_CONFIDENCE", "betweenness"]

#: Confidence of KADABRA's guarantee unless the caller asks otherwise (1 - delta).
DEFAULT_CONFIDENCE = 0.95


def betweenness(g: nx.Graph, *, k: int | None = None, seed: int = 0, weight: str | None = None,
                normalized: bool = True, kernel: IGraph | None = None,
                epsilon: float | None = None, confidence: float = DEFAULT_CONFIDENCE,
                exact_within: float | None = None) -> dict[str, Any]:
    r"""Betweenness centrality of every node of an undirected graph.

    .. math::

        c_B(v) = \sum_{s \ne v \ne t} \frac{\sigma(s, t \mid v)}{\sigma(s, t)}

    over unordered pairs, where :math:`\sigma(s, t)` counts shortest paths and
    :math:`\sigma(s, t \mid v)` those through ``v``. Normalised by
    :math:`(n-1)(n-2)/2`, as :func:`networkx.betweenness_centrality`.

    Parameters
    ----------
    g : networkx.Graph
        Undirected graph (e.g. :func:`graph.analysis.projections.partnership_graph`).
    k : int, optional
        Number of pivots for the sampled estimate (Brandes & Pich 2007): sources are
        drawn as ``random.Random(seed).sample(list(g), k)``, exactly as NetworkX does,
        and scaled as NetworkX >= 3.5 does. ``None`` (default) computes it exactly.
    seed : int
        Seed for the pivots.
    weight : str, optional
        Edge attribute holding a partnership *strength*. Strength is not a distance:
        it is converted to ``1 / strength`` before shortest paths are computed.
    normalized : bool
        Divide by the number of pairs not including ``v``.
    kernel : IGraph, optional
        ``to_igraph(g)``, when the caller already converted ``g`` (unweighted only).
    epsilon : float, optional
        Estimate instead with KADABRA (Borassi & Natale 2019): adaptive sampling of
        shortest paths until every normalised score is within ``epsilon`` of the exact
        one, :math:`|\tilde c_B(v) - c_B(v)| \le \epsilon` for all ``v`` at once, with
        probability at least ``confidence``. Unweighted graphs only; not with ``k``.
    confidence : float
        Probability of that guarantee, :math:`1 - \delta` (default 0.95).
    exact_within : float, optional
        With ``epsilon``: compute exact scores instead when Brandes' work on the graph's
        2-core (sources x (vertices + arcs), see
        :func:`graph.analysis.pendant_brandes.exact_sums`) is at most this; exact
        scores are within any epsilon, and cost about as much as KADABRA at 0.001 up to
        about 2.5e8 on two cores.

    Returns
    -------
    dict
        ``scores`` (node -> value), ``method`` (``"exact"``, ``"sampled"`` or
        ``"kadabra"``), ``k``, ``seed``, a one-line ``description`` of how they were
        computed, ``epsilon`` and ``confidence`` of an estimate (``None`` otherwise),
        ``samples`` (shortest paths KADABRA drew), ``certain`` (of KADABRA's top 25,
        how many the guarantee places in the exact top 25) and, when sampled from pivots, the
        split-half ``agreement``: the pivots are summed in two halves and the overlap
        of the two halves' top rankings (top 25, or a tenth of the nodes if fewer) is
        reported; below 60% the description says the ranking is unreliable (pivots give
        no guarantee; KADABRA's states its own).

    Raises
    ------
    ValueError
        A directed graph; ``epsilon`` with ``k`` or with ``weight``; ``epsilon`` or
        ``confidence`` outside (0, 1).

    Notes
    -----
    Exact, unweighted: degree-one vertices peeled off (their scores by formula) and
    Brandes' algorithm with node weights on the 2-core that remains, compiled
    (:func:`graph.analysis.pendant_brandes.exact_sums`, Baglioni et al. 2012 [5]_): on the
    twin-town graph 1.5-3 s against 19.8 s for igraph's Brandes on the whole graph.
    Weighted, and from pivots: igraph's C core (about 30 times faster than NetworkX's
    pure Python). NetworkX is the reference the tests compare to.

    KADABRA: NetworKit's parallel implementation (van der Grinten, Angriman &
    Meyerhenke 2019), seeded and deterministic (the same seed gives the same scores
    whatever the number of threads). It draws pairs :math:`s \ne t` and one shortest
    path between them (balanced bidirectional BFS); the share of paths through
    :math:`v` estimates betweenness over ordered pairs, which NetworKit doubles for
    undirected graphs, i.e. :math:`\frac{2(n-2)}{n} c_B(v)`. Scores are converted to
    this function's normalisation, and the requested ``epsilon`` to NetworKit's scale.
    NetworKit 11 divides the path counts by the samples of the adaptive phase only,
    while they also hold the first ``omega / startFactor`` samples (the ones that
    calibrate the per-node error bounds): scores come out too high by that share (1 to
    3% with its defaults). They are rescaled by the number of samples actually drawn,
    and ``startFactor`` is raised to 1000 so that this first phase is small (the test
    suite checks the result is unbiased against exact betweenness). Cost:
    :math:`O(\epsilon^{-2} (\log_2(D - 1) + 1 + \ln(0.5/\delta)))` paths in the
    worst case, ``D`` the diameter; on the 17,087-city twin-town graph ``epsilon=0.001``
    took 1.3-2.1 s on one core (exact: 24 s) and found 49-50 of the exact top 50.

    References
    ----------
    .. [1] Brandes, U. (2001). A faster algorithm for betweenness centrality.
       Journal of Mathematical Sociology 25(2), 163-177. doi:10.1080/0022250X.2001.9990249
    .. [2] Brandes, U. & Pich, C. (2007). Centrality estimation in large networks.
       International Journal of Bifurcation and Chaos 17(7), 2303-2318.
       doi:10.1142/S0218127407018403
    .. [3] Borassi, M. & Natale, E. (2019). KADABRA is an ADaptive Algorithm for
       Betweenness via Random Approximation. ACM Journal of Experimental Algorithmics
       24, 1.2. doi:10.1145/3284359
    .. [4] van der Grinten, A., Angriman, E. & Meyerhenke, H. (2019). Parallel adaptive
       sampling with almost no synchronization. Euro-Par 2019, 434-447.
       doi:10.1007/978-3-030-29400-7_31
    .. [5] Baglioni, M., Geraci, F., Pellegrini, M. & Lastres, E. (2012). Fast exact
       computation of betweenness centrality in social networks. ASONAM 2012, 450-456.
       doi:10.1109/ASONAM.2012.82

    Examples
    --------
    >>> g = nx.path_graph(["a", "b", "c"])
    >>> betweenness(g)["scores"]
    {'a': 0.0, 'b': 1.0, 'c': 0.0}
    >>> est = betweenness(nx.path_graph(["a", "b", "c"]), epsilon=0.01, seed=1)
    >>> est["method"], est["epsilon"], est["confidence"], round(est["scores"]["b"], 1)
    ('kadabra', 0.01, 0.95, 1.0)
    """
    if g.is_directed():
        raise ValueError("betweenness expects an undirected graph")
    if epsilon is not None:
        if k is not None:
            raise ValueError("give either k (pivots) or epsilon (KADABRA), not both")
        if weight is not None:
            raise ValueError("KADABRA (epsilon) estimates unweighted betweenness only; "
                             "use k pivots or exact for a weighted graph")
        if not 0 < epsilon < 1 or not 0 < confidence < 1:
            raise ValueError(f"epsilon and confidence must be between 0 and 1, got "
                             f"{epsilon} and {confidence}")
    n = g.number_of_nodes()
    if n == 0:
        return {"scores": {}, "method": "exact", "k": None, "seed": None,
                "agreement": None, "epsilon": None, "confidence": None, "samples": None,
                "certain": None, "description": "exact betweenness (empty graph)"}
    if epsilon is not None and n > 2 and not _some_node_between(g):
        # every score is 0 exactly; KADABRA would sample forever (it never sees a path of
        # two ties, so its stopping rule is never met): found on a store whose filters
        # left no partnership, which hung `analyse brokers --since` for good
        return {"scores": dict.fromkeys(g, 0.0), "method": "exact", "k": None, "seed": None,
                "agreement": None, "epsilon": None, "confidence": None, "samples": None,
                "certain": None,
                "description": f"exact betweenness over {n} nodes (0 for all: no node lies "
                               "between two others)"}
    reduction = None
    if epsilon is not None and exact_within is not None and n > 2:
        kernel = kernel_for(g, kernel)  # converted once, for both the test and the scores
        reduction = reduce_pendant_trees(kernel.graph)
        if reduction.work <= exact_within:
            epsilon = None  # exact is cheaper here than the estimate
        else:
            reduction = None
    if epsilon is not None and n > 2:
        return _kadabra(g, kernel_for(g, kernel), epsilon=epsilon, confidence=confidence,
                        seed=seed, normalized=normalized)
    if weight is not None:
        h = g.copy()
        for _, _, d in h.edges(data=True):
            w = float(d.get(weight, 1.0))
            d["_distance"] = 1.0 / w if w > 0 else float("inf")
        ig_graph = to_igraph(h, weight="_distance")
        weights = "weight"
    else:
        ig_graph = kernel_for(g, kernel)
        weights = None
    sampled = k is not None and k < n
    agreement = None
    if sampled:
        assert k is not None
        sources = random.Random(seed).sample(list(g), k)  # the same pivots as NetworkX
        pivots = [ig_graph.index[s] for s in sources]
        # the same sum in two halves of the pivots: how far their rankings agree tells
        # how far the sampled ranking can be trusted (split-half reliability)
        first = np.asarray(betweenness_sum(ig_graph.graph, pivots[:k // 2], weights=weights))
        second = np.asarray(betweenness_sum(ig_graph.graph, pivots[k // 2:], weights=weights))
        raw = (first + second).tolist()
        agreement = (_split_half(first, second, top=min(AGREEMENT_TOP, max(1, n // 10)))
                     if k >= 2 else None)
        # igraph returns half the dependency sum over sources (each undirected path
        # once). Estimator as NetworkX >= 3.5: a pivot cannot lie on its own paths,
        # so pivots are scaled by the k - 1 other pivots, the rest by k.
        is_source = set(sources)
        scores = {}
        for v, x in zip(ig_graph.nodes, raw, strict=True):
            kk = k - 1 if v in is_source else k
            if kk <= 0 or n <= 2:
                scores[v] = 0.0
            elif normalized:
                scores[v] = 2.0 * x / (kk * (n - 2))
            else:
                scores[v] = x * (n - 1) / kk
    elif weights is None:
        reduction = reduction or reduce_pendant_trees(ig_graph.graph)
        raw = exact_sums(ig_graph.graph, reduction=reduction)
        scale = (2.0 / ((n - 1) * (n - 2)) if n > 2 else 0.0) if normalized else 1.0
        scores = ig_graph.keyed((raw * scale).tolist())
    else:
        raw = betweenness_sum(ig_graph.graph, weights=weights)
        scale = (2.0 / ((n - 1) * (n - 2)) if n > 2 else 0.0) if normalized else 1.0
        scores = {v: float(x) * scale for v, x in zip(ig_graph.nodes, raw, strict=True)}
    if sampled:
        desc = f"sampled betweenness: {k} pivots of {n} nodes (seed {seed}), Brandes-Pich estimate"
    elif reduction is not None:
        desc = (f"exact betweenness over {n:,} nodes, Brandes on their {len(reduction.core):,}-"
                f"node 2-core and pendant trees by formula")
    else:
        desc = f"exact betweenness over {n:,} nodes (Brandes)"
    if sampled and agreement is not None:
        desc += (f"; split-half agreement on the top {agreement['top']}: "
                 f"{agreement['shared']}/{agreement['top']}")
        if agreement["share"] < 0.6:
            desc += " (ranking unreliable at this sample size: use exact or more pivots)"
    if weight is not None:
        desc += f"; distances = 1/{weight}"
    return {"scores": scores, "method": "sampled" if sampled else "exact",
            "k": k if sampled else None, "seed": seed if sampled else None,
            "agreement": agreement, "epsilon": None, "confidence": None, "samples": None,
            "certain": None, "description": desc}


def _some_node_between(g: nx.Graph) -> bool:
    """Whether some shortest path has an inner node: a component that is not complete.

    >>> _some_node_between(nx.complete_graph(3)), _some_node_between(nx.path_graph(3))
    (False, True)
    """
    loops = {u for u, _ in nx.selfloop_edges(g)}  # a self-loop adds 2 to a degree
    for comp in nx.connected_components(g):
        k = len(comp)
        ends = sum(d for _, d in g.degree(comp)) - 2 * len(loops & comp)
        if k >= 3 and ends < k * (k - 1):
            return True
    return False


#: NetworKit's seed and thread settings are global: one KADABRA run at a time.
_NETWORKIT = threading.Lock()
#: KADABRA's first phase draws omega / START_FACTOR paths (NetworKit's default is 100).
START_FACTOR = 1000
#: Threads for KADABRA. One: on the project's 2 shared cores two OpenMP threads took 5.3 s
#: against 3.2 s for one on the twin-town graph (a busy machine stalls each epoch's
#: synchronisation), and the API keeps a core for its event loop. On an idle machine two
#: threads halve the time (0.5 against 1.0 s). The scores do not depend on it.
THREADS = 1


def _kadabra(g: nx.Graph, kern: IGraph, *, epsilon: float, confidence: float, seed: int,
             normalized: bool) -> dict[str, Any]:
    """KADABRA through NetworKit, on this function's normalisation (see Notes above)."""
    import networkit as nk

    n = g.number_of_nodes()
    to_kadabra = 2.0 * (n - 2) / n  # NetworKit's undirected scale over ours
    h = to_networkit(kern.graph)
    with _NETWORKIT:
        nk.setNumberOfThreads(THREADS)
        nk.setSeed(int(seed), True)  # True: each thread seeds from it (as KADABRA needs)
        run = nk.centrality.KadabraBetweenness(h, epsilon * to_kadabra, 1.0 - confidence,
                                               True, 0, 0, START_FACTOR)
        run.run()
    raw = np.asarray(run.scores(), dtype=float)
    drawn = run.getNumberOfIterations()
    first = int(run.getOmega() / START_FACTOR)
    scale = (drawn - first) / drawn if drawn > first else 1.0  # see Notes: unbiased
    values = raw * scale / to_kadabra
    top = min(AGREEMENT_TOP, n)
    certain = _certain(values, epsilon, top)
    if not normalized:
        values = values * (n - 1) * (n - 2) / 2.0
    desc = (f"estimated betweenness (KADABRA, Borassi & Natale 2019): every score within "
            f"{epsilon:g} of the exact normalised value with probability at least "
            f"{confidence:.0%}, so {certain} of the top {top} are certainly in the exact top "
            f"{top} ({drawn:,} sampled shortest paths over {n:,} nodes, seed {seed})")
    return {"scores": kern.keyed(values.tolist()), "method": "kadabra", "k": None,
            "seed": seed, "agreement": None, "epsilon": epsilon, "confidence": confidence,
            "samples": drawn, "certain": {"top": top, "count": certain},
            "description": desc}


def _certain(values: np.ndarray, epsilon: float, top: int) -> int:
    """How many of the ``top`` highest estimates belong to the exact top ``top`` whenever
    every estimate is within ``epsilon``: node ``u`` does if fewer than ``top`` other
    nodes have an estimate of at least ``est(u) - 2 epsilon`` (only those can be above it).

    >>> _certain(np.array([0.5, 0.4, 0.1, 0.09]), 0.01, 2)
    2
    >>> _certain(np.array([0.5, 0.11, 0.1, 0.09]), 0.01, 2)
    1
    """
    ascending = np.sort(values)
    best = ascending[::-1][:top]
    at_least = len(values) - np.searchsorted(ascending, best - 2 * epsilon, side="left")
    return int(np.sum(at_least - 1 < top))


#: How many top-ranked nodes the split-half agreement of sampled betweenness compares.
AGREEMENT_TOP = 25


def _split_half(first: np.ndarray, second: np.ndarray, *, top: int) -> dict[str, Any]:
    """How many of the ``top`` nodes ranked by one half of the pivots are also in the
    other half's ``top`` (ties broken by vertex order)."""
    def best(x: np.ndarray) -> set:
        return set(np.lexsort((np.arange(len(x)), -x))[:top].tolist())

    shared = len(best(first) & best(second)) if top else 0
    return {"top": top, "shared": shared, "share": shared / top if top else 1.0,
            "method": "pivots split in two halves; overlap of the two top rankings"}
