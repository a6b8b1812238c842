"""Every measure a report shows: what it means, how it is computed, and where it comes from."""

from __future__ import annotations

__all__ = ["GLOSSARY"]

#: (measure, definition, reference)
GLOSSARY: list[tuple[str, str, str]] = [
    ("Betweenness",
     "Share of shortest paths between other pairs of cities or partners that pass through a "
     "node: c_B(v) = sum over s, t of sigma_st(v) / sigma_st, normalised by (n-1)(n-2)/2. "
     "High: the node sits between parts of the network. On partnerships exact (Brandes, "
     "pendant trees by formula) up to 5,000 nodes or where that is as fast, else estimated "
     "by KADABRA, every score within epsilon (0.001) of the exact one with 95% confidence; "
     "the report's header says which was used.",
     "Freeman 1977, doi:10.2307/3033543; Brandes 2001, doi:10.1080/0022250X.2001.9990249; "
     "Baglioni et al. 2012, doi:10.1109/ASONAM.2012.82; "
     "Borassi & Natale 2019, doi:10.1145/3284359"),
    ("Burt's constraint",
     "How much a node's ties lead to partners that are tied to each other: "
     "C_i = sum_j (p_ij + sum_q p_iq p_qj)^2. Low (near 0): many separate partners, a "
     "structural hole spanned; high (towards 1): ties inside one closed group.",
     "Burt 1992, Structural Holes, doi:10.4159/9780674029095"),
    ("Effective size",
     "Number of a node's partners minus their redundancy: n - 2t/n for n partners with t ties "
     "among them. Efficiency is effective size divided by n.",
     "Burt 1992; Borgatti 1997, Connections 20(1)"),
    ("Brokerage roles (Gould-Fernandez)",
     "For every pair i -> v -> k not tied directly, v's role by groups (here regions): "
     "coordinator (all three in one group), itinerant (i, k in one group, v outside), "
     "gatekeeper and representative (v shares the group of k or of i), liaison (three "
     "groups). z-scores compare the total with random group labels.",
     "Gould & Fernandez 1989, doi:10.2307/270949"),
    ("Cut point",
     "A node whose removal disconnects the network; 'holds N nodes' counts the nodes it "
     "alone keeps connected to the largest part.",
     "Hopcroft & Tarjan 1973, doi:10.1145/362248.362272"),
    ("South-South, North-South, North-North",
     "A partnership between two cities is South-South when both countries are in the "
     "Global South under the chosen list (Group of 77 by default; or not on the OECD DAC "
     "list; or World Bank low and middle income).",
     "Group of 77 member list; OECD DAC list of ODA recipients; World Bank income groups"),
    ("E-I index",
     "(E - I) / (E + I) for E ties between and I ties within groups: -1 all inside groups, "
     "+1 all between. Compared with the value expected when group labels are permuted; "
     "p is the share of permutations at least as extreme (with N permutations the smallest "
     "p that can be told is 1/(N+1)).",
     "Krackhardt & Stern 1988, doi:10.2307/2786835"),
    ("Corridor density",
     "Ties between two regions divided by the pairs possible between their cities (within "
     "one region: n(n-1)/2). Thin Southern corridors are the pairs of Southern regions with "
     "the lowest density.",
     "Wasserman & Faust 1994, doi:10.1017/CBO9780511815478"),
    ("Missing link score",
     "Pairs of Southern cities without a partnership, ranked by Adamic-Adar over the groups "
     "they share (networks, committees, initiatives, themes, SDGs), times (1 + Jaccard), "
     "times 1.25 in the same sub-region; each comes with the shared groups as reasons.",
     "Adamic & Adar 2003, doi:10.1016/S0378-8733(03)00009-1; Liben-Nowell & Kleinberg 2007, "
     "doi:10.1002/asi.20591"),
    ("Triangular brokers and dependency",
     "Northern or UN actors tied to Southern cities; dependency is the share of connected "
     "pairs of Southern cities that would be disconnected without all of them.",
     "OECD 2019, City-to-City Partnerships to Localise the SDGs"),
    ("Matching score",
     "Candidates meeting more of the requested needs (themes, SDGs, Global South) come "
     "first; among equals, the estimated chance that a candidate is the partner the seeker's "
     "ties point to, from a conditional logit over the evidence (shared partners weighted by "
     "resource allocation, paths of three, shared groups with Newman's weights, distance, "
     "country mixing, size); each candidate lists its reasons and the focal unit to contact.",
     "McFadden 1974, conditional logit; Zhou, Lü & Zhang 2009, resource allocation, "
     "doi:10.1140/epjb/e2009-00335-8"),
    ("Focal unit, routing",
     "The UN-Habitat unit responsible for a partner's SOP category; letters follow the SOP "
     "communication table: who drafts, who dispatches, who is copied.",
     "UN-Habitat SOPs on Partnerships and Stakeholder Engagement"),
]
