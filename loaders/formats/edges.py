"""Edge and pair lists: one tie per row between two places (or actors).

Shapes read without conversion: ``source,target[,weight,kind,date]`` with names or ids
(an end holding a partnernet node id, ``city:fr:paris``, is that node: of this load, of
the store or of the reference graph, else an error naming its row),
pair lists ``city1,country1,city2,country2`` (Wikipedia's twin towns), Wikidata exports
(``item,itemLabel,twin,twinLabel,...`` with QIDs or entity URIs, ``Point(lon lat)``
coordinates), with optional country, admin area, coordinates and identifier columns per
end (see :mod:`~partnernet.loaders.formats.columns`). Places are resolved and identified by
:class:`~partnernet.loaders.identity.PlaceRegistry`: namesakes are never merged.

A tie of a symmetric type (``PARTNERS_WITH``) listed both ways is one tie; the summary
says how many were folded. A row whose Gephi ``Type`` is ``Directed`` is an arc: kept as
``directed: true`` and never folded with the reverse arc. A row naming the same place at
both ends is skipped, with a note.
"""

from __future__ import annotations

from collections import Counter
from contextlib import nullcontext
from typing import Any

from partnernet.graph.geography.slug import slugify
from partnernet.graph.schema import NodeLabel, RelType
from partnernet.graph.schema.records import is_node_id
from partnernet.loaders.errors import RowError, cut
from partnernet.loaders.formats.columns import edge_ends, end_columns, find
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

__all__ = ["plan_edges", "SYMMETRIC", "KINDS", "kind_of", "year_or_date", "number"]

SYMMETRIC = frozenset({RelType.PARTNERS_WITH})
#: how lists name partnership kinds -> partnernet's kinds
KINDS = {
    "twinning": "twinning", "twin": "twinning", "twin town": "twinning", "twin towns": "twinning",
    "twin city": "twinning", "twin cities": "twinning", "twinned": "twinning",
    "jumelage": "twinning", "hermanamiento": "twinning", "sister-city": "sister-city",
    "sister city": "sister-city", "sister cities": "sister-city", "sister": "sister-city",
    "friendship": "friendship", "friendship city": "friendship", "friendly city": "friendship",
    "friendship agreement": "friendship", "cooperation": "cooperation",
    "partnership": "cooperation", "partner city": "cooperation", "partner": "cooperation",
    "cooperation agreement": "cooperation", "south-south": "south-south",
    "south south": "south-south", "triangular": "triangular", "decentralised": "decentralised",
    "decentralized": "decentralised", "decentralised cooperation": "decentralised",
    "decentralized cooperation": "decentralised", "mou": "mou",
    "memorandum of understanding": "mou", "other": "other",
}
_WEIGHT = ("weight", "strength", "value", "count", "ties")
_KIND = ("kind", "partnershipkind", "partnershiptype", "relationship", "relation",
         "tietype", "type", "label")
_SINCE = ("since", "date", "year", "start", "startdate", "established", "yearestablished",
          "signed", "datesigned", "yearsigned", "from")
_UNTIL = ("until", "end", "enddate", "to")
_SOURCE = ("source_reference", "reference", "ref", "citation", "url", "sourceurl")


def kind_of(value: Any) -> str | None:
    """A partnership kind as lists spell it, or None."""
    return KINDS.get(" ".join(str(value or "").replace("_", " ").casefold().split()))


def number(value: Any) -> float | None:
    """A number cell (``"2,5"`` with a decimal comma too), or None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    text = str(value or "").strip().replace("\u00a0", "").replace(" ", "")
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return None


def year_or_date(value: Any) -> str | None:
    """``1985``, ``1985.0``, ``"1985-05-03"`` -> an ISO date or year; None if not one."""
    import re

    if value is None or value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if re.fullmatch(r"\d{4}(\.0+)?", text):
        return text[:4]
    if re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", text):
        return text
    m = re.fullmatch(r"(\d{4}-\d{2}-\d{2})[T ].*", text)
    return m.group(1) if m else None


def plan_edges(table: Table, file: str, errors: list[RowError], plan: LoadPlan, *,
               default_label: NodeLabel, default_type: RelType, kind: str | None,
               columns: dict[str, str] | None = None, unknown_countries: str = "error",
               progress: Any = None) -> None:
    """Plan one edge or pair list (see module)."""
    columns = dict(columns or {})
    ends = (columns.get("source"), columns.get("target"))
    if not all(ends):
        found = edge_ends(table.columns, table.rows)
        if found is None:
            errors.append(RowError(file, 1, None,
                                   "cannot tell which two columns are the ends of each tie "
                                   f"(columns: {', '.join(table.columns)}); name them with "
                                   "--columns source=COLUMN,target=COLUMN"))
            return
        ends = found
    for c in ends:
        if c not in table.columns:
            errors.append(RowError(file, 1, c, "no such column (given with --columns)"))
            return
    a, b = ends  # type: ignore[misc]
    cols = [end_columns(table.columns, a, b, first=True),
            end_columns(table.columns, b, a, first=False)]
    for i, prefix in enumerate(("source", "target")):
        for role in ("name", "country", "area", "lat", "lon", "point", "wikidata",
                     "geonames", "own", "type"):
            given = columns.get(f"{prefix}_{role}")
            if given:
                cols[i][role] = given
    used = {a, b, *cols[0].values(), *cols[1].values()}
    rest = [c for c in table.columns if c not in used]
    weight_col = columns.get("weight") or find(rest, _WEIGHT)
    kind_col = columns.get("kind") or find(rest, _KIND)
    since_col = columns.get("since") or find(rest, _SINCE)
    until_col = columns.get("until") or find(rest, _UNTIL)
    source_col = columns.get("reference") or find(rest, _SOURCE)
    places = PlaceRegistry(unknown_countries=unknown_countries)
    rows: list[tuple[int, list[int | str], dict[str, Any], RelType]] = []
    stats: Counter = Counter()
    bar_cm = progress(f"reading {file}", len(table)) if progress else nullcontext()
    with bar_cm as bar:
        for row_no, row in table:
            if bar is not None:
                bar.update(1)
            handles: list[int | str] = []
            for i, end in enumerate((a, b)):
                other = (b, a)[i]
                h = _end(row, row_no, file, end, cols[i], row.get(other), cols[1 - i],
                         default_label, places, errors)
                if h is not None:
                    handles.append(h)
            if len(handles) != 2:
                continue
            stats["ends given as node ids"] += sum(isinstance(h, str) and is_node_id(h)
                                                   for h in handles)
            rtype, props = _tie(row, row_no, file, errors, default_type=default_type,
                                kind=kind, kind_col=kind_col, weight_col=weight_col,
                                since_col=since_col, until_col=until_col,
                                source_col=source_col)
            if rtype is None:
                continue
            rows.append((row_no, handles, props, rtype))
    places.resolve(errors)
    ties: dict[tuple, list[int]] = {}
    first_props: dict[tuple, dict[str, Any]] = {}
    for row_no, handles, props, rtype in rows:
        ids = [places.ids[h] if isinstance(h, int) else h for h in handles]
        if ids[0] == ids[1]:
            stats["rows skipped: the same place at both ends"] += 1
            plan.notes.append(f"{file}, row {row_no}: both ends are {ids[0]}; row skipped")
            continue
        # a symmetric tie listed both ways is one tie; an arc (Type=Directed) is not folded
        key: tuple = (rtype, *sorted(ids)) if rtype in SYMMETRIC and not props.get("directed") \
            else (rtype, *ids)
        if key not in ties:
            first_props[key] = props | {"_orient": ids}
        elif ids != first_props[key]["_orient"]:
            stats["ties listed both ways (folded into one)"] += 1
        else:
            stats["rows repeating a tie the same way"] += 1
        ties.setdefault(key, []).append(row_no)
    for node in places.nodes.values():
        made = make_node(node, file=file, row=None, errors=errors)
        if made is not None:
            plan.nodes.append(made)
    for key, row_nos in ties.items():
        props = dict(first_props[key])
        start, end = props.pop("_orient")
        where = ", ".join(str(r) for r in row_nos[:5]) + (" ..." if len(row_nos) > 5 else "")
        props.setdefault("source", f"{file}, row{'s' if len(row_nos) > 1 else ''} {where}")
        rel = make_relationship({"start": start, "type": key[0], "end": end, "props": props},
                                file=file, row=row_nos[0], errors=errors)
        if rel is not None:
            plan.add_relationship(rel, file, row_nos[0], (a, b))
    stats["rows"] = len(table)
    stats["ties"] = len(ties)
    stats["pairs listed more than once"] = sum(1 for r in ties.values() if len(r) > 1)
    stats.update(places.stats)
    plan.stats.update(stats)
    plan.notes += places.notes
    plan.details.setdefault("resolution", {}).update(places.details())


def _end(row: dict, row_no: int, file: str, column: str, cols: dict[str, str], other: Any,
         other_cols: dict[str, str], default_label: NodeLabel, places: PlaceRegistry,
         errors: list[RowError]) -> int | str | None:
    raw = row.get(column)
    value = "" if raw is None else str(raw).strip()
    if not value:
        errors.append(RowError(file, row_no, column, "empty: every tie needs both ends"))
        return None
    qid = parse_qid(value)
    if not qid and "name" not in cols and is_node_id(value):
        return value  # a stored node's id (city:fr:paris): linked, never a new place
    name = str(row.get(cols["name"]) or "").strip() if "name" in cols else ""
    if not name:
        name = value
    ids: dict[str, str] = {}
    if qid:
        ids["wikidata"] = qid
    elif "name" in cols:  # the end column holds the file's own id, the name is elsewhere
        ids["own"] = value
    for scheme in ("wikidata", "geonames", "own"):
        if scheme in cols and row.get(cols[scheme]) not in (None, ""):
            v = row.get(cols[scheme])
            v = parse_qid(v) if scheme == "wikidata" else (
                parse_geonameid(v) if scheme == "geonames" else str(v).strip())
            if v:
                ids[scheme] = str(v)
    ktype = str(row.get(cols["type"]) or "").strip().casefold() if "type" in cols else ""
    label = default_label
    if ktype in SUBNATIONAL_TYPES:
        label = NodeLabel.SUBNATIONAL
    elif ktype in CITY_TYPES:
        label = NodeLabel.CITY
    if label not in (NodeLabel.CITY, NodeLabel.SUBNATIONAL):
        return f"{label.value.lower()}:{slugify(ids.get('own') or name)}"
    lat = lon = None
    if "point" in cols:
        point = parse_point(row.get(cols["point"]))
        if point:
            lat, lon = point
    if "lat" in cols and "lon" in cols:
        la, lo = _coord(row.get(cols["lat"])), _coord(row.get(cols["lon"]))
        if la is not None and lo is not None and -90 <= la <= 90 and -180 <= lo <= 180:
            lat, lon = la, lo
        elif row.get(cols["lat"]) not in (None, "") or row.get(cols["lon"]) not in (None, ""):
            errors.append(RowError(file, row_no, cols["lat"],
                                   f"coordinates {cut(row.get(cols['lat']), 20)!r}, "
                                   f"{cut(row.get(cols['lon']), 20)!r} are not a latitude "
                                   "(-90..90) and longitude (-180..180) in decimal degrees"))
    other_name = str(row.get(other_cols.get("name", "")) or other or "")
    other_country = str(row.get(other_cols.get("country", "")) or "")
    country = str(row.get(cols["country"]) or "").strip() if "country" in cols else ""
    context = slugify(f"{other_name} {other_country}")
    context_place: tuple[str, str] | None = (other_name, other_country)
    if context == slugify(f"{name} {country}"):
        # both ends of one tie say the same (Córdoba - Córdoba, Perth - Perth, no country):
        # a place does not twin with itself, so the two are told apart by their side of the
        # tie (an ambiguous mention's context) instead of becoming one node
        context, context_place = f"{context}-{slugify(column)}", None
    return places.add(PlaceMention(
        file=file, row=row_no, column=column, name=name,
        country=country,
        country_column=cols.get("country"),
        area=str(row.get(cols["area"]) or "").strip() if "area" in cols else "",
        lat=lat, lon=lon, ids=ids,
        kind="subnational" if label == NodeLabel.SUBNATIONAL else (
            "city" if ktype in CITY_TYPES else None),
        context=context, context_place=context_place))


def _coord(value: Any) -> float | None:
    return number(value)


def _tie(row: dict, row_no: int, file: str, errors: list[RowError], *, default_type: RelType,
         kind: str | None, kind_col: str | None, weight_col: str | None, since_col: str | None,
         until_col: str | None, source_col: str | None) -> tuple[RelType | None, dict]:
    from partnernet.loaders.formats.gephi import rel_type_of

    props: dict[str, Any] = {}
    rtype = default_type
    if kind_col and row.get(kind_col) not in (None, ""):
        text = str(row[kind_col]).strip()
        named = rel_type_of(text)
        if named is not None:
            rtype = named
        elif kind_of(text) is not None:
            props["kind"] = kind_of(text)
        elif text.casefold() == "directed":  # Gephi's edge Type: an arc
            props["directed"] = True
        elif text.casefold() != "undirected":
            accepted = sorted(set(KINDS.values()))
            errors.append(RowError(file, row_no, kind_col,
                                   f"unknown partnership kind {cut(text, 40)!r}; accepted: "
                                   f"{', '.join(accepted)} (or a relationship type such as "
                                   "PARTNERS_WITH, SUPPORTS)"))
            return None, {}
    if rtype == RelType.PARTNERS_WITH and "kind" not in props and kind:
        props["kind"] = kind
    if weight_col and row.get(weight_col) not in (None, ""):
        w = number(row[weight_col])
        if w is None or w < 0:
            errors.append(RowError(file, row_no, weight_col,
                                   f"weight {cut(row[weight_col], 30)!r} is not a number >= 0"))
            return None, {}
        props["weight"] = w
    for col, key in ((since_col, "since"), (until_col, "until")):
        if col and row.get(col) not in (None, ""):
            d = year_or_date(row[col])
            if d is None:
                errors.append(RowError(file, row_no, col,
                                       f"{cut(row[col], 30)!r} is not a year or a date "
                                       "(YYYY, YYYY-MM or YYYY-MM-DD)"))
                return None, {}
            if rtype in (RelType.PARTNERS_WITH, RelType.MEMBER_OF):
                props[key] = d
            else:
                props[f"{key}_date"] = d
    if source_col and row.get(source_col) not in (None, ""):
        props["reference"] = str(row[source_col]).strip()
    return rtype, props
