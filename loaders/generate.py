"""A plausible, clearly labelled synthetic partnership network for first runs and benchmarks.

Cities are real (names, coordinates and populations from GeoNames); everything
else is generated: memberships of the reference networks and committees, themes
and SDGs, partner organisations in all 19 SOP categories, agreements, and city
partnerships that are more likely within a region, between nearby cities and
between cities of similar size. Every generated node and relationship carries
``generated: true`` and a source naming the seed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from partnernet.graph.geography.countries import countries
from partnernet.graph.geography.gazetteer import gazetteer
from partnernet.graph.geography.slug import slugify
from partnernet.graph.geography.south import is_south
from partnernet.graph.schema import Node, NodeLabel, Relationship, RelType
from partnernet.loaders.plan import LoadPlan

__all__ = ["generate_plan", "GeneratedOptions"]

NETWORKS = ["network:metropolis", "network:uclg", "network:mcsr-cities-alliance",
            "network:ungc-cities-programme"]
COMMITTEES = ["committee:mcsr:business-council", "committee:mcsr:education-science-culture",
              "committee:mcsr:sports-outdoor", "committee:mcsr:smart-cities",
              "committee:mcsr:investment-trade", "committee:mcsr:tourism",
              "committee:mcsr:environment", "committee:mcsr:logistics-infrastructure",
              "committee:mcsr:sustainable-urbanization"]
THEMES = ["theme:green-economy", "theme:smart-city", "theme:tourism", "theme:culture",
          "theme:trade-investment", "theme:education-science", "theme:environment-climate",
          "theme:logistics-infrastructure", "theme:health", "theme:sustainable-urbanization"]
CATEGORY_IDS = ["category:01-member-states", "category:02-local-regional-governments",
                "category:03-un-agencies", "category:04-intergovernmental",
                "category:05-private-sector", "category:06-civil-society", "category:07-academia",
                "category:08-professional", "category:09-women", "category:10-children-youth",
                "category:11-workers-trade-unions", "category:12-foundations",
                "category:13-indigenous-people", "category:14-grassroots",
                "category:15-older-persons", "category:16-disabilities", "category:17-media",
                "category:18-farmers", "category:19-parliamentarians"]
PARTNER_NOUNS = ["Ministry of Urban Development", "Association of Municipalities",
                 "UN Country Team", "Regional Development Bank office", "Chamber of Commerce",
                 "Community Federation", "University Urban Lab", "Institute of Planners",
                 "Women's Network", "Youth Council", "Trade Union Confederation",
                 "Foundation for Cities", "Indigenous Peoples' Council",
                 "Slum Dwellers' Federation", "Older Persons' Association",
                 "Disability Rights Forum", "Urban Media Centre", "Farmers' Cooperative",
                 "Parliamentary Caucus on Cities"]
CAPACITIES = ["finance", "technical expertise", "data", "training", "advocacy", "research",
              "infrastructure", "community mobilisation"]


@dataclass(frozen=True)
class GeneratedOptions:
    cities: int = 300
    seed: int = 42
    partnerships_per_city: float = 5.0
    partners: int | None = None


def _pick_cities(n: int, rng: np.random.Generator, exclude: set[str]) -> list[tuple]:
    gaz = gazetteer()
    floor = 20_000 if n <= 10_000 else 1_000  # about 20,000 places have 20,000 people
    places = [(gid, *p) for gid, p in gaz._places.items()
              if p[4] >= floor and p[1] in countries()]
    places.sort()
    pops = np.array([p[5] for p in places], dtype=float)
    weights = np.sqrt(pops)
    weights /= weights.sum()
    order = rng.choice(len(places), size=min(len(places), n * 2 + 50), replace=False, p=weights)
    chosen, seen = [], set()
    for i in order:
        gid, name, cc, lat, lon, pop, admin1 = places[i]
        node_id = f"city:{cc.lower()}:{slugify(name)}"
        if node_id in seen or node_id in exclude:
            continue
        seen.add(node_id)
        chosen.append((node_id, gid, name, cc, lat, lon, pop, admin1))
        if len(chosen) == n:
            break
    return chosen


def _haversine(lat1, lon1, lat2, lon2):
    p = math.pi / 180
    a = (np.sin((lat2 - lat1) * p / 2) ** 2
         + np.cos(lat1 * p) * np.cos(lat2 * p) * np.sin((lon2 - lon1) * p / 2) ** 2)
    return 12742 * np.arcsin(np.sqrt(a))


def generate_plan(opts: GeneratedOptions, *, anchors: list[Node] = ()) -> LoadPlan:
    """Generate the sample. ``anchors`` are existing cities (e.g. the reference graph's)
    that generated cities may partner with; they are not emitted as nodes.

    The same options and the same anchors give the same sample, in whatever order the
    anchors come (a store returns them in its own order): they are taken sorted by id."""
    anchors = sorted(anchors, key=lambda a: a.id)
    rng = np.random.default_rng(opts.seed)
    source = f"generated sample (partnernet generate --seed {opts.seed})"
    gen = {"generated": True}
    plan = LoadPlan()
    anchor_ids = {a.id for a in anchors}
    picked = _pick_cities(opts.cities, rng, anchor_ids)
    ctry = countries()
    rows = [(nid, name, cc, lat, lon, pop) for nid, _g, name, cc, lat, lon, pop, _a in picked]
    for a in anchors:
        rows.append((a.id, a.name, a.props.get("country"), a.props.get("lat") or 0.0,
                     a.props.get("lon") or 0.0, a.props.get("population") or 100_000))
    for nid, gid, name, cc, lat, lon, pop, admin1 in picked:
        c = ctry[cc]
        plan.nodes.append(Node(id=nid, label=NodeLabel.CITY, name=name, source=source,
                               props={**gen, "country": cc, "lat": lat, "lon": lon,
                                      "population": pop, "geonameid": gid,
                                      "region": c.m49_region, "subregion": c.subregion or None,
                                      "admin1": admin1 or None}))
        plan.relationships.append(Relationship(start=nid, type=RelType.LOCATED_IN,
                                               end=c.node_id, props={**gen, "source": source}))
    n = len(rows)
    ids = [r[0] for r in rows]
    lat = np.array([r[3] for r in rows], dtype=float)
    lon = np.array([r[4] for r in rows], dtype=float)
    pop = np.array([max(r[5], 1) for r in rows], dtype=float)
    region = np.array([ctry[r[2]].m49_region if r[2] in ctry else "Unknown" for r in rows])
    south = np.array([bool(is_south(ctry[r[2]], "g77")) if r[2] in ctry else False
                      for r in rows])

    # memberships, committees, themes, SDGs
    for i, nid in enumerate(ids):
        if i >= len(picked):
            continue  # anchors keep their own facts
        big = pop[i] >= 1_000_000
        probs = [0.5 if big else 0.03, 0.45, 0.25 if south[i] or region[i] == "Asia" else 0.04,
                 0.08]
        for net, p in zip(NETWORKS, probs, strict=True):
            if rng.random() < p:
                since = int(rng.integers(1985, 2024))
                props = {**gen, "source": source, "since": str(since)}
                if net == "network:ungc-cities-programme" and rng.random() < 0.4:
                    props.update(level="Leading", since=f"{int(rng.integers(2018, 2026))}-"
                                                        f"{int(rng.integers(1, 13)):02d}-01")
                plan.relationships.append(Relationship(start=nid, type=RelType.MEMBER_OF,
                                                       end=net, props=props))
        if rng.random() < 0.15:
            com = COMMITTEES[int(rng.integers(len(COMMITTEES)))]
            role = "chair" if rng.random() < 0.1 else "member"
            plan.relationships.append(Relationship(start=nid, type=RelType.SITS_ON, end=com,
                                                   props={**gen, "source": source,
                                                          "role": role}))
        for t in rng.choice(len(THEMES), size=int(rng.integers(1, 4)), replace=False):
            plan.relationships.append(Relationship(start=nid, type=RelType.WORKS_ON,
                                                   end=THEMES[int(t)],
                                                   props={**gen, "source": source}))
        for s in rng.choice(17, size=int(rng.integers(1, 4)), replace=False):
            plan.relationships.append(Relationship(start=nid, type=RelType.WORKS_ON,
                                                   end=f"sdg:{int(s) + 1}",
                                                   props={**gen, "source": source}))

    # city-city partnerships: nearby, same region, similar size more likely
    target = opts.partnerships_per_city / 2
    pairs: set[tuple[int, int]] = set()
    pool = min(n - 1, 400)
    for i in range(n):
        k = int(rng.poisson(target))
        if k == 0 or n < 2:
            continue
        cand = rng.choice(n, size=pool, replace=False)
        cand = cand[cand != i]
        d = _haversine(lat[i], lon[i], lat[cand], lon[cand])
        w = np.exp(-d / 2500.0) + 0.02
        w *= np.where(region[cand] == region[i], 3.0, 1.0)
        w *= np.exp(-np.abs(np.log(pop[cand] / pop[i])) / 2)
        w /= w.sum()
        for j in rng.choice(cand, size=min(k, len(cand)), replace=False, p=w):
            a, b = (i, int(j)) if i < j else (int(j), i)
            pairs.add((a, b))
    for a, b in sorted(pairs):
        both_south = south[a] and south[b]
        roll = rng.random()
        kind = ("south-south" if both_south and roll < 0.4 else
                "decentralised" if not both_south and roll < 0.2 else
                "cooperation" if roll < 0.45 else "twinning")
        sdgs = sorted({int(x) + 1 for x in rng.choice(17, size=int(rng.integers(0, 3)),
                                                      replace=False)})
        props = {**gen, "source": source, "kind": kind, "since": str(int(rng.integers(1950,
                                                                                     2025)))}
        if sdgs:
            props["sdgs"] = sdgs
        if rng.random() < 0.1:
            props["self_assessment"] = ["on track", "partially achieved", "stalled"][
                int(rng.integers(3))]
        plan.relationships.append(Relationship(start=ids[a], type=RelType.PARTNERS_WITH,
                                               end=ids[b], props=props))

    # partner organisations in all 19 categories
    n_partners = opts.partners or max(38, opts.cities // 10)
    homes = rng.choice(len(picked), size=n_partners, replace=True) if picked else []
    for p_i, home in enumerate(homes):
        cat = p_i % 19
        cid, _g, cname, cc, *_ = picked[int(home)]
        pid = f"partner:gen:{p_i:05d}"
        dd = ["done", "pending", "not required"][int(rng.integers(3))]
        caps = sorted({CAPACITIES[int(x)] for x in rng.choice(len(CAPACITIES), size=2,
                                                              replace=False)})
        plan.nodes.append(Node(id=pid, label=NodeLabel.PARTNER,
                               name=f"{cname} {PARTNER_NOUNS[cat]}", source=source,
                               props={**gen, "kind": "organisation", "country": cc,
                                      "due_diligence": dd, "capacities": caps}))
        plan.relationships.append(Relationship(start=pid, type=RelType.IN_CATEGORY,
                                               end=CATEGORY_IDS[cat],
                                               props={**gen, "source": source}))
        plan.relationships.append(Relationship(start=pid, type=RelType.LOCATED_IN, end=cid,
                                               props={**gen, "source": source}))
        for t in rng.choice(len(THEMES), size=2, replace=False):
            plan.relationships.append(Relationship(start=pid, type=RelType.WORKS_ON,
                                                   end=THEMES[int(t)],
                                                   props={**gen, "source": source}))
        # work with a few cities, mostly near home
        for j in rng.choice(n, size=min(n, int(rng.integers(1, 5))), replace=False):
            if ids[int(j)] == cid:
                continue
            plan.relationships.append(Relationship(
                start=pid, type=RelType.PARTNERS_WITH, end=ids[int(j)],
                props={**gen, "source": source, "kind": "cooperation"}))
        if rng.random() < 0.3:
            net = NETWORKS[int(rng.integers(len(NETWORKS)))]
            plan.relationships.append(Relationship(start=pid, type=RelType.MEMBER_OF, end=net,
                                                   props={**gen, "source": source}))
        if rng.random() < 0.35:  # an agreement with UN-Habitat
            start = int(rng.integers(2012, 2024))
            end = start + int(rng.integers(1, 5))
            aid = f"agreement:gen:{p_i:05d}"
            status = "ended" if end <= 2025 else "active"
            aprops = {**gen, "kind": ["MoU", "agreement of cooperation"][int(rng.integers(2))],
                      "start": f"{start}-01-01", "end": f"{end}-12-31", "status": status}
            if status == "ended":
                aprops["assessment_submitted"] = bool(rng.random() < 0.6)
            plan.nodes.append(Node(id=aid, label=NodeLabel.AGREEMENT,
                                   name=f"Agreement with {cname} {PARTNER_NOUNS[cat]}",
                                   source=source, props=aprops))
            for party in (pid, "partner:un-habitat"):
                plan.relationships.append(Relationship(start=party, type=RelType.PARTY_TO,
                                                       end=aid,
                                                       props={**gen, "source": source}))
    # triangular initiatives: two Southern cities and a Northern city or UN partner
    south_idx = [i for i in range(n) if south[i]]
    north_idx = [i for i in range(n) if not south[i]]
    brokers = ["partner:unossc", "partner:undp", "partner:un-habitat"]
    for t_i in range(max(3, opts.cities // 40)):
        if len(south_idx) < 2:
            break
        a, b = rng.choice(south_idx, size=2, replace=False)
        via = (ids[int(rng.choice(north_idx))] if north_idx and rng.random() < 0.5
               else brokers[int(rng.integers(len(brokers)))])
        iid = f"initiative:gen:triangular-{t_i:04d}"
        plan.nodes.append(Node(id=iid, label=NodeLabel.INITIATIVE,
                               name=f"Triangular exchange {rows[int(a)][1]} - {rows[int(b)][1]}",
                               source=source, props={**gen, "kind": "triangular cooperation",
                                                     "year": int(rng.integers(2016, 2026))}))
        for member in (ids[int(a)], ids[int(b)], via):
            plan.relationships.append(Relationship(start=iid, type=RelType.INVOLVES, end=member,
                                                   props={**gen, "source": source}))
        for member in (ids[int(a)], ids[int(b)]):
            plan.relationships.append(Relationship(
                start=via, type=RelType.PARTNERS_WITH, end=member,
                key=f"triangular-{t_i:04d}",
                props={**gen, "source": source, "kind": "triangular"}))
    plan.stats.update({"generated cities": len(picked), "generated partnerships": len(pairs),
                       "generated partners": n_partners})
    return plan
