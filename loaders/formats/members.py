"""Membership lists: one row per member and organisation (or per member, several
organisations in one cell separated by ``;`` or ``|``).

Columns are found by name (:data:`~partnernet.loaders.formats.columns.MEMBER_ROLES`):
member (required), organisation (required: network, initiative, coalition...), member
country (ISO codes or names in any spelling), member type (city / region / state...:
subnational governments become ``Subnational``), role, since, until, the member's own id,
Wikidata and GeoNames ids, admin area, coordinates and population. Each membership is
``(member)-[:MEMBER_OF {role, since, until}]->(organisation)``; organisations are
``Network`` nodes (``--org-label`` for ``Initiative`` or ``Committee``).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from contextlib import nullcontext
from typing import Any

from partnernet.graph.geography.slug import slugify
from partnernet.graph.schema import NodeLabel, RelType
from partnernet.loaders.errors import RowError, cut
from partnernet.loaders.formats.columns import MEMBER_ROLES, find
from partnernet.loaders.formats.edges import number, year_or_date
from partnernet.loaders.formats.tables import Table
from partnernet.loaders.identity import (
    CITY_TYPES,
    SUBNATIONAL_TYPES,
    PlaceMention,
    PlaceRegistry,
    parse_geonameid,
    parse_point,
    parse_qid,
)
from partnernet.loaders.plan import LoadPlan
from partnernet.loaders.records import make_node, make_relationship

__all__ = ["member_columns", "plan_members"]

#: member types that are neither cities nor regions: loaded as Partner
_PARTNER_TYPES = frozenset({"company", "business", "organisation", "organization", "ngo",
                            "investor", "university", "academic", "civil society", "partner",
                            "private sector", "foundation", "association"})
_SPLIT = re.compile(r"\s*[;|]\s*")


def member_columns(columns: list[str], given: dict[str, str] | None = None) -> dict[str, str]:
    """role -> column, found by name (``given`` wins)."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for role, names in MEMBER_ROLES.items():
        col = (given or {}).get(role) or find([c for c in columns if c not in taken], names)
        if col:
            out[role] = col
            taken.add(col)
    return out


def plan_members(table: Table, file: str, errors: list[RowError], plan: LoadPlan, *,
                 org_label: NodeLabel = NodeLabel.NETWORK,
                 columns: dict[str, str] | None = None, unknown_countries: str = "error",
                 progress: Any = None) -> None:
    """Plan one membership list (see module)."""
    cols = member_columns(table.columns, columns)
    for role in ("member", "organisation"):
        if role not in cols:
            errors.append(RowError(file, 1, None,
                                   f"no {role} column found (columns: "
                                   f"{', '.join(table.columns)}); name it with --columns "
                                   f"{role}=COLUMN"))
    if errors:
        return
    from partnernet.loaders.formats.columns import norm

    org_norm = norm(cols["organisation"])
    # a plural column ("initiatives", "networks_committed") lists several, commas too
    split = re.compile(r"\s*[;|,]\s*") if org_norm.endswith(("s", "committed")) else _SPLIT
    places = PlaceRegistry(unknown_countries=unknown_countries)
    orgs: dict[str, str] = {}
    partners: dict[str, str] = {}
    memberships: list[tuple[int, int | str, str, dict[str, Any]]] = []
    stats: Counter = Counter()
    rounded: list[int] = []
    bar_cm = progress(f"reading {file}", len(table)) if progress else nullcontext()
    with bar_cm as bar:
        for row_no, row in table:
            if bar is not None:
                bar.update(1)
            member = _member(row, row_no, file, cols, places, partners, errors, rounded)
            org_cell = str(row.get(cols["organisation"]) or "").strip()
            if not org_cell:
                errors.append(RowError(file, row_no, cols["organisation"],
                                       "empty: which organisation is this a membership of?"))
                continue
            props = _membership_props(row, row_no, file, cols, errors)
            if member is None or props is None:
                continue
            for org in (o for o in split.split(org_cell) if o):
                org_id = f"{org_label.value.lower()}:{slugify(org)}"
                orgs.setdefault(org_id, org)
                memberships.append((row_no, member, org_id, props))
    places.resolve(errors)
    for node in places.nodes.values():
        made = make_node(node, file=file, row=None, errors=errors)
        if made is not None:
            plan.nodes.append(made)
    for node_id, name in {**orgs, **partners}.items():
        label = org_label if node_id in orgs else NodeLabel.PARTNER
        made = make_node({"id": node_id, "label": label, "name": name,
                          "source": f"loaded from {file}", "props": {}},
                         file=file, row=None, errors=errors)
        if made is not None:
            plan.nodes.append(made)
    seen: dict[tuple, int] = {}
    for row_no, member, org_id, props in memberships:
        start = places.ids[member] if isinstance(member, int) else member
        key = (start, org_id)
        if key in seen:
            stats["rows repeating a membership"] += 1
            continue
        seen[key] = row_no
        rel = make_relationship({"start": start, "type": RelType.MEMBER_OF, "end": org_id,
                                 "props": {**props, "source": f"{file}, row {row_no}"}},
                                file=file, row=row_no, errors=errors)
        if rel is not None:
            plan.add_relationship(rel, file, row_no, (cols["member"], cols["organisation"]))
    if rounded:
        more = " ..." if len(rounded) > 5 else ""
        plan.notes.append(f"{file}: population given with decimals in {len(rounded)} row(s) "
                          f"({', '.join(map(str, rounded[:5]))}{more}); rounded to whole people")
    stats["rows"] = len(table)
    stats["memberships"] = len(seen)
    stats["organisations"] = len(orgs)
    stats["members that are partners (not places)"] = len(partners)
    stats.update(places.stats)
    plan.stats.update(stats)
    plan.notes += places.notes
    plan.details.setdefault("resolution", {}).update(places.details())
    plan.details["columns"] = {file: cols}


def _member(row: dict, row_no: int, file: str, cols: dict[str, str], places: PlaceRegistry,
            partners: dict[str, str], errors: list[RowError], rounded: list[int]
            ) -> int | str | None:
    name = str(row.get(cols["member"]) or "").strip()
    if not name:
        errors.append(RowError(file, row_no, cols["member"], "empty member name"))
        return None
    mtype = str(row.get(cols["type"]) or "").strip().casefold() if "type" in cols else ""
    if mtype in _PARTNER_TYPES:
        pid = f"partner:{slugify(name)}"
        partners.setdefault(pid, name)
        return pid
    ids: dict[str, str] = {}
    if "own" in cols and row.get(cols["own"]) not in (None, ""):
        own = row[cols["own"]]
        ids["own"] = str(int(own)) if isinstance(own, float) and own.is_integer() else \
            str(own).strip()
    if "wikidata" in cols and parse_qid(row.get(cols["wikidata"])):
        ids["wikidata"] = parse_qid(row.get(cols["wikidata"]))  # type: ignore[assignment]
    if "geonames" in cols and parse_geonameid(row.get(cols["geonames"])):
        ids["geonames"] = str(parse_geonameid(row.get(cols["geonames"])))
    lat = lon = None
    if "point" in cols:
        p = parse_point(row.get(cols["point"]))
        if p:
            lat, lon = p
    if "lat" in cols and "lon" in cols and row.get(cols["lat"]) not in (None, ""):
        la, lo = number(row.get(cols["lat"])), number(row.get(cols["lon"]))
        if la is None or lo is None or not (-90 <= la <= 90 and -180 <= lo <= 180):
            errors.append(RowError(file, row_no, cols["lat"],
                                   f"coordinates {cut(row.get(cols['lat']), 20)!r}, "
                                   f"{cut(row.get(cols['lon']), 20)!r} are not a latitude "
                                   "and longitude in decimal degrees"))
            return None
        lat, lon = la, lo
    props: dict[str, Any] = {}
    if "population" in cols and row.get(cols["population"]) not in (None, ""):
        pop = number(row.get(cols["population"]))
        if pop is None or pop < 0 or not math.isfinite(pop):
            errors.append(RowError(file, row_no, cols["population"],
                                   f"population {cut(row.get(cols['population']), 30)!r} is "
                                   "not a number of people"))
            return None
        if not pop.is_integer():
            rounded.append(row_no)
        props["population"] = int(round(pop))
    kind = "subnational" if mtype in SUBNATIONAL_TYPES else (
        "city" if mtype in CITY_TYPES else None)
    if mtype and kind is None:
        props["member_type"] = row.get(cols["type"])
    return places.add(PlaceMention(
        file=file, row=row_no, column=cols["member"], name=name,
        country=str(row.get(cols["country"]) or "").strip() if "country" in cols else "",
        country_column=cols.get("country"),
        area=str(row.get(cols["area"]) or "").strip() if "area" in cols else "",
        lat=lat, lon=lon, ids=ids, kind=kind,
        context=slugify(str(row.get(cols["organisation"]) or "")), props=props))


def _membership_props(row: dict, row_no: int, file: str, cols: dict[str, str],
                      errors: list[RowError]) -> dict[str, Any] | None:
    props: dict[str, Any] = {}
    if "role" in cols and row.get(cols["role"]) not in (None, ""):
        props["role"] = str(row[cols["role"]]).strip()
    for key in ("since", "until"):
        if key in cols and row.get(cols[key]) not in (None, ""):
            d = year_or_date(row[cols[key]])
            if d is None:
                errors.append(RowError(file, row_no, cols[key],
                                       f"{cut(row[cols[key]], 30)!r} is not a year or a date "
                                       "(YYYY, YYYY-MM or YYYY-MM-DD)"))
                return None
            props[key] = d
    return props
