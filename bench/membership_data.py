"""A membership data set of the shape real city-network databases have, built on the real
cities of the twin-town file (benchmark input, not shipped and not real memberships).

Shape (issue 12): about 14,000 member cities, 50 organisations, 21,000 memberships, one
organisation with 12,000 members (a global climate initiative), then regional networks
(members drawn within an M49 sub-region, larger places more often), national
associations (within one country) and thematic networks (worldwide, large cities more
often). Memberships depend on geography and size only, never on the twin-town ties, so a
benchmark that hides twin-town ties cannot read them back from the memberships.

    python -m bench.membership_data --out memberships.csv   # member,organisation CSV
"""

from __future__ import annotations

import argparse
import csv
import random
from collections import defaultdict
from pathlib import Path

from partnernet.graph.schema import Node, NodeLabel, Relationship, RelType

__all__ = ["TWIN_FILE", "build_memberships", "twin_plan"]

TWIN_FILE = Path(__file__).resolve().parents[2] / "shared" / "data" / "sister-cities" / \
    "twin_cities_wikipedia.csv"


def twin_plan():
    """The twin-town file through the pairs loader, as a user would load it (two rows name
    countries the resolver does not know, "Island" and "Japa": loaded without a country,
    as `--unknown-countries warn` does)."""
    from partnernet.loaders.load import plan_files

    plan, _ = plan_files([TWIN_FILE], fmt="pairs", unknown_countries="warn")
    return plan


def _weighted_sample(rng: random.Random, items: list, weights: list[float], k: int) -> list:
    """``k`` distinct items drawn with probability proportional to ``weights``
    (Efraimidis & Spirakis 2006: keys u^(1/w))."""
    keyed = sorted(((rng.random() ** (1.0 / w), i) for i, w in zip(items, weights,
                                                                    strict=True) if w > 0),
                   reverse=True)
    return [i for _, i in keyed[:k]]


def build_memberships(cities: list[Node], *, members: int = 14_400, seed: int = 7
                      ) -> tuple[list[Node], list[Relationship]]:
    """Organisation nodes and memberships over ``members`` of ``cities`` (those with a
    country), deterministic for ``seed``."""
    rng = random.Random(seed)
    with_country = sorted((c for c in cities if c.props.get("country")), key=lambda c: c.id)
    pool = rng.sample(with_country, min(members, len(with_country)))
    pop = {c.id: float(c.props.get("population") or 5_000) for c in pool}
    orgs: list[Node] = []
    rels: list[Relationship] = []

    def org(oid: str, label: NodeLabel, name: str, chosen: list[Node]) -> None:
        orgs.append(Node(id=oid, label=label, name=name, source="bench membership set",
                         props={"generated": True}))
        for c in chosen:
            if label == NodeLabel.INITIATIVE:
                rels.append(Relationship(start=oid, type=RelType.INVOLVES, end=c.id,
                                         source="bench membership set"))
            else:
                rels.append(Relationship(start=c.id, type=RelType.MEMBER_OF, end=oid,
                                         source="bench membership set"))

    # 1 global initiative with 12,000 members
    org("initiative:bench-global-covenant", NodeLabel.INITIATIVE,
        "Global climate covenant (benchmark)", rng.sample(pool, min(12_000, len(pool))))
    # 14 regional networks, within the largest sub-regions
    by_sub: dict[str, list[Node]] = defaultdict(list)
    by_country: dict[str, list[Node]] = defaultdict(list)
    for c in pool:
        by_sub[str(c.props.get("subregion") or c.props.get("region") or "?")].append(c)
        by_country[str(c.props["country"])].append(c)
    subs = sorted(by_sub, key=lambda k: (-len(by_sub[k]), k))[:14]
    for k, sub in enumerate(subs):
        size = min(len(by_sub[sub]) // 2, 120 + 30 * (14 - k))
        chosen = _weighted_sample(rng, by_sub[sub], [pop[c.id] ** 0.5 for c in by_sub[sub]],
                                  size)
        org(f"network:bench-region-{k}", NodeLabel.NETWORK, f"{sub} cities network (benchmark)",
            chosen)
    # 20 national associations
    nations = sorted(by_country, key=lambda k: (-len(by_country[k]), k))[:20]
    for k, cc in enumerate(nations):
        size = min(len(by_country[cc]) // 2, 50 + 9 * (20 - k))
        chosen = _weighted_sample(rng, by_country[cc], [pop[c.id] ** 0.5 for c in by_country[cc]],
                                  size)
        org(f"network:bench-national-{cc.lower()}", NodeLabel.NETWORK,
            f"Association of {cc} municipalities (benchmark)", chosen)
    # 15 thematic networks, worldwide, larger places more often
    for k in range(15):
        size = 30 + 10 * k
        chosen = _weighted_sample(rng, pool, [pop[c.id] for c in pool], size)
        org(f"network:bench-theme-{k}", NodeLabel.NETWORK, f"Thematic network {k} (benchmark)",
            chosen)
    return orgs, rels


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    plan = twin_plan()
    orgs, rels = build_memberships([n for n in plan.nodes if n.label == NodeLabel.CITY])
    names = {n.id: n for n in plan.nodes + orgs}
    with args.out.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["member", "member_country", "organisation"])
        for r in rels:
            member, group = (r.end, r.start) if r.type == RelType.INVOLVES else (r.start, r.end)
            w.writerow([names[member].name, names[member].props.get("country"),
                        names[group].name])
    sizes: dict[str, int] = defaultdict(int)
    for r in rels:
        sizes[r.start if r.type == RelType.INVOLVES else r.end] += 1
    print(f"{len(orgs)} organisations, {len(rels)} memberships, "
          f"{len({r.end if r.type == RelType.INVOLVES else r.start for r in rels})} members; "
          f"largest {max(sizes.values())}; wrote {args.out}")


if __name__ == "__main__":
    main()
