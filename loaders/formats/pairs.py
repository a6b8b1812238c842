"""Pair lists: one partnership per row, ``city1,country1,city2,country2`` by default.

Each city is resolved through the gazetteer (:mod:`graph.geography.gazetteer`).
A city that cannot be resolved still becomes a ``City`` node, without coordinates,
carrying ``resolution`` (``ambiguous``, ``unresolved``, ``unknown-country``) and the
reason, so nothing is lost and nothing is guessed. A pair naming the same city
twice is skipped and reported; a pair listed twice (A-B and B-A) is one partnership.
"""

from __future__ import annotations

from collections import Counter
from contextlib import nullcontext
from typing import Any

from partnernet.graph.geography.gazetteer import CityMatch, gazetteer
from partnernet.graph.schema import NodeLabel, RelType
from partnernet.loaders.errors import RowError
from partnernet.loaders.formats.tables import Table
from partnernet.loaders.plan import LoadPlan
from partnernet.loaders.records import make_node, make_relationship

__all__ = ["DEFAULT_COLUMNS", "plan_pairs"]

DEFAULT_COLUMNS = ("city1", "country1", "city2", "country2")


def _split_country(city: str, country: str) -> tuple[str, str]:
    """``("Varna, Bulgaria", "")`` -> ``("Varna", "Bulgaria")``."""
    if not country.strip() and "," in city:
        head, tail = city.rsplit(",", 1)
        return head.strip(), tail.strip()
    return city.strip(), country.strip()


def _node_data(m: CityMatch, file: str) -> dict[str, Any]:
    if m.status == "resolved":
        assert m.country is not None
        props = {"country": m.country.iso2, "lat": m.lat, "lon": m.lon,
                 "population": m.population, "geonameid": m.geonameid,
                 "region": m.country.m49_region, "subregion": m.country.subregion or None,
                 "admin1": m.admin1 or None, "resolution": "resolved", "resolution_note": m.how}
        name = m.name or m.query
    else:
        props = {"resolution": m.status, "resolution_note": m.how,
                 "candidates": m.candidates or None, "name_as_given": m.query,
                 "country_as_given": m.country_query or None}
        if m.country is not None:
            props.update(country=m.country.iso2, region=m.country.m49_region,
                         subregion=m.country.subregion or None)
        name = m.query
    return {"id": m.node_id, "label": NodeLabel.CITY, "name": name,
            "source": f"loaded from {file}", "props": props}


def plan_pairs(table: Table, file: str, errors: list[RowError], plan: LoadPlan, *,
               columns: tuple[str, str, str, str] = DEFAULT_COLUMNS, kind: str = "twinning",
               progress: Any = None) -> None:
    c1, k1, c2, k2 = columns
    missing = [c for c in columns if c not in table.columns]
    if missing:
        errors += [RowError(file, 1, c, "required column is missing (set the columns with "
                            "--pair-columns)") for c in missing]
        return
    gaz = gazetteer()
    cache: dict[tuple[str, str], CityMatch] = {}
    nodes: dict[str, dict[str, Any]] = {}
    stats: Counter = Counter()
    pairs: dict[tuple[str, str], list[int]] = {}
    bar_cm = progress(f"resolving {file}", len(table)) if progress else nullcontext()
    with bar_cm as bar:
        _resolve_rows(table, file, errors, plan, gaz, cache, nodes, stats, pairs, bar,
                      (c1, k1, c2, k2))
    _finish(table, file, errors, plan, cache, nodes, stats, pairs, kind)


def _resolve_rows(table, file, errors, plan, gaz, cache, nodes, stats, pairs, bar,
                  columns) -> None:
    c1, k1, c2, k2 = columns
    for row_no, row in table:
        ends = []
        for ccol, kcol in ((c1, k1), (c2, k2)):
            city, country = _split_country(str(row.get(ccol) or ""), str(row.get(kcol) or ""))
            if not city:
                errors.append(RowError(file, row_no, ccol, "empty city name"))
                continue
            key = (city, country)
            m = cache.get(key)
            if m is None:
                m = cache[key] = gaz.resolve(city, country)
                stats[f"cities {m.status}"] += 1
                if m.status != "unknown-country":
                    stats["cities with a country"] += 1
            data = _node_data(m, file)
            old = nodes.get(data["id"])
            # the same id reached by a resolved and an unresolved spelling: keep resolved
            if old is not None and data["props"].get("resolution") != "resolved":
                data = old
            nodes[data["id"]] = data
            ends.append(data["id"])
        if len(ends) != 2:
            continue
        if ends[0] == ends[1]:
            stats["pairs skipped: same city twice"] += 1
            plan.notes.append(f"{file}, row {row_no}: {row.get(c1)!r} and {row.get(c2)!r} are "
                              f"the same city ({ends[0]}); pair skipped")
            continue
        pair = (min(ends), max(ends))
        pairs.setdefault(pair, []).append(row_no)
        if bar is not None:
            bar.update(1)


def _finish(table, file, errors, plan, cache, nodes, stats, pairs, kind) -> None:
    for data in nodes.values():
        node = make_node(data, file=file, row=None, errors=errors)
        if node is not None:
            plan.nodes.append(node)
    for (a, b), rows in pairs.items():
        where = ", ".join(str(r) for r in rows[:5]) + (" ..." if len(rows) > 5 else "")
        rel = make_relationship({"start": a, "type": RelType.PARTNERS_WITH, "end": b,
                                 "props": {"kind": kind,
                                           "source": f"{file}, row{'s' if len(rows) > 1 else ''} "
                                                     f"{where}"}},
                                file=file, row=rows[0], errors=errors)
        if rel is not None:
            plan.relationships.append(rel)
    stats["rows"] = len(table)
    stats["distinct cities"] = len(nodes)
    stats["partnerships"] = len(pairs)
    stats["pairs listed more than once"] = sum(1 for r in pairs.values() if len(r) > 1)
    plan.stats.update(stats)
    unresolved = [m for m in cache.values() if m.status != "resolved"]
    reasons = Counter(m.status for m in unresolved)
    plan.details["resolution"] = {
        "distinct spellings": len(cache),
        "resolved": sum(1 for m in cache.values() if m.status == "resolved"),
        "with a country": sum(1 for m in cache.values() if m.status != "unknown-country"),
        "by reason": dict(reasons),
        "unknown countries": dict(Counter(m.country_query for m in unresolved
                                          if m.status == "unknown-country").most_common(20)),
        "examples": [f"{m.query} ({m.country_query}): {m.status}: {m.how}"
                     for m in unresolved[:20]],
    }
