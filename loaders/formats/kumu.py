"""Kumu workbooks: sheets ``Elements`` (``Label``, ``Type``...) and ``Connections``
(``From``, ``To``, ``Type``...). Cells with several values are split on ``|``.

Element types map to schema labels by name or by a common synonym (``organization``
-> ``Partner``, ``state`` -> ``Subnational``); others become ``Partner`` with the Kumu
type kept as ``kumu_type``. Cities and subnational governments are places: a
``Country`` column in any spelling gives them country, region and gazetteer data, and
an id from the place (``city:br:maringa``). ``Country`` elements are the reference
countries (``country:br``).

Connection types map to relationship types (:data:`CONNECTION_TYPES`: ``member`` ->
``MEMBER_OF``, ``sister city`` -> ``PARTNERS_WITH {kind: sister-city}``, ``funds`` ->
``SUPPORTS``...); an unknown type is refused with the list of known ones. An empty type
is ``--rel-type``.
"""

from __future__ import annotations

from typing import Any

from partnernet.graph.geography.countries import CountryNotFound, resolve_country
from partnernet.graph.schema import NodeLabel, RelType
from partnernet.loaders.errors import RowError, cut
from partnernet.loaders.formats.gephi import local_id, node_label_of, rel_type_of
from partnernet.loaders.formats.tables import Table
from partnernet.loaders.formats.values import cell_props
from partnernet.loaders.places import PLACE_LABELS, NodeTablePlaces, node_of_table_row
from partnernet.loaders.plan import LoadPlan
from partnernet.loaders.records import make_relationship

__all__ = ["CONNECTION_TYPES", "SYNONYMS", "plan_kumu"]

SYNONYMS = {
    "organization": NodeLabel.PARTNER, "organisation": NodeLabel.PARTNER,
    "company": NodeLabel.PARTNER, "ngo": NodeLabel.PARTNER, "university": NodeLabel.PARTNER,
    "foundation": NodeLabel.PARTNER, "person": NodeLabel.PARTNER,
    "individual": NodeLabel.PARTNER, "municipality": NodeLabel.CITY,
    "local government": NodeLabel.CITY, "town": NodeLabel.CITY, "project": NodeLabel.INITIATIVE,
    "programme": NodeLabel.INITIATIVE, "program": NodeLabel.INITIATIVE,
    "mou": NodeLabel.AGREEMENT, "unit": NodeLabel.FOCAL_UNIT, "topic": NodeLabel.THEME,
    "state": NodeLabel.SUBNATIONAL, "province": NodeLabel.SUBNATIONAL,
    "region": NodeLabel.SUBNATIONAL, "regional government": NodeLabel.SUBNATIONAL,
    "subnational": NodeLabel.SUBNATIONAL, "canton": NodeLabel.SUBNATIONAL,
    "city network": NodeLabel.NETWORK, "network": NodeLabel.NETWORK,
}

#: Kumu connection types as people write them -> (relationship type, properties)
CONNECTION_TYPES: dict[str, tuple[RelType, dict[str, Any]]] = {
    "member": (RelType.MEMBER_OF, {}), "member of": (RelType.MEMBER_OF, {}),
    "membership": (RelType.MEMBER_OF, {}), "belongs to": (RelType.MEMBER_OF, {}),
    "partner": (RelType.PARTNERS_WITH, {}), "partners with": (RelType.PARTNERS_WITH, {}),
    "partnership": (RelType.PARTNERS_WITH, {}),
    "collaboration": (RelType.PARTNERS_WITH, {"kind": "cooperation"}),
    "cooperation": (RelType.PARTNERS_WITH, {"kind": "cooperation"}),
    "twinning": (RelType.PARTNERS_WITH, {"kind": "twinning"}),
    "twin": (RelType.PARTNERS_WITH, {"kind": "twinning"}),
    "twin town": (RelType.PARTNERS_WITH, {"kind": "twinning"}),
    "sister city": (RelType.PARTNERS_WITH, {"kind": "sister-city"}),
    "sister cities": (RelType.PARTNERS_WITH, {"kind": "sister-city"}),
    "friendship": (RelType.PARTNERS_WITH, {"kind": "friendship"}),
    "mou": (RelType.PARTNERS_WITH, {"kind": "mou"}),
    "supports": (RelType.SUPPORTS, {}), "support": (RelType.SUPPORTS, {}),
    "funds": (RelType.SUPPORTS, {"support": "funding"}),
    "funding": (RelType.SUPPORTS, {"support": "funding"}),
    "funder": (RelType.SUPPORTS, {"support": "funding"}),
    "donor": (RelType.SUPPORTS, {"support": "funding"}),
    "coordinates": (RelType.COORDINATES, {}), "coordinator": (RelType.COORDINATES, {}),
    "leads": (RelType.COORDINATES, {}), "located in": (RelType.LOCATED_IN, {}),
    "location": (RelType.LOCATED_IN, {}), "part of": (RelType.PART_OF, {}),
    "organises": (RelType.ORGANISES, {}), "organizes": (RelType.ORGANISES, {}),
    "hosts": (RelType.HOSTS, {}), "works on": (RelType.WORKS_ON, {}),
    "theme": (RelType.WORKS_ON, {}), "party to": (RelType.PARTY_TO, {}),
    "signatory": (RelType.PARTY_TO, {}), "involves": (RelType.INVOLVES, {}),
    "oversees": (RelType.OVERSEES, {}), "delivers": (RelType.DELIVERS, {}),
    "sits on": (RelType.SITS_ON, {}), "committee member": (RelType.SITS_ON, {}),
    "responsible for": (RelType.RESPONSIBLE_FOR, {}), "in category": (RelType.IN_CATEGORY, {}),
    "contributes to": (RelType.CONTRIBUTES_TO, {}),
}


def _label(kumu_type: str) -> NodeLabel | None:
    t = kumu_type.strip().lower()
    return node_label_of(t) or SYNONYMS.get(t)


def connection_type(text: str) -> tuple[RelType, dict[str, Any]] | None:
    """A Kumu connection type -> relationship type and properties, or None if unknown."""
    t = " ".join(text.replace("_", " ").replace("-", " ").casefold().split())
    named = rel_type_of(text)
    if named is not None:
        return named, {}
    return CONNECTION_TYPES.get(t)


def plan_kumu(elements: Table, connections: Table | None, file: str, errors: list[RowError],
              plan: LoadPlan, *, default_type: RelType) -> None:
    efile, cfile = f"{file} [Elements]", f"{file} [Connections]"
    if "Label" not in elements.columns:
        errors.append(RowError(efile, 1, "Label", "required column is missing"))
        return
    unknown = plan.options.get("unknown_countries", "error")
    ids: dict[str, str] = {}
    places = NodeTablePlaces(unknown_countries=unknown)
    pending = []
    for row_no, row in elements:
        name = str(row.get("Label") or "").strip()
        if not name:
            errors.append(RowError(efile, row_no, "Label", "empty label"))
            continue
        ktype = str(row.get("Type") or "")
        label = _label(ktype) or NodeLabel.PARTNER
        has_id = bool(row.get("ID"))
        ref = str(row.get("ID") or name).strip()
        if ref in ids:
            errors.append(RowError(efile, row_no, "ID" if has_id else "Label",
                                   f"{cut(ref, 60)!r} appears twice"))
            continue
        props = cell_props(row, exclude={"Label", "Type", "ID", "source"}, label=label,
                           rename={"Description": "description", "Tags": "tags",
                                   "Country": "country", "Population": "population",
                                   "Latitude": "lat", "Longitude": "lon",
                                   "Wikidata": "wikidata", "State": "state"})
        if isinstance(props.get("tags"), str):
            props["tags"] = [t.strip() for t in props["tags"].split("|") if t.strip()]
        if ktype and _label(ktype) is None:
            props["kumu_type"] = ktype
        if label == NodeLabel.COUNTRY:
            try:
                ids[ref] = resolve_country(name).node_id
            except CountryNotFound as exc:
                errors.append(RowError(efile, row_no, "Label", str(exc)))
            ids.setdefault(name, ids.get(ref, ""))
            continue  # the reference graph holds the countries
        if label in PLACE_LABELS:
            places.add(ref, label, name, props, file=efile, row=row_no, name_column="Label",
                       own_id=has_id)
            ids[ref] = ""
        else:
            ids[ref] = local_id(ref if has_id else name, label)
        pending.append((row_no, ref, name, label, props, row.get("source")))
    placed = places.resolve(errors)
    for row_no, ref, name, label, props, source in pending:
        if ref in placed:
            ids[ref], found = placed[ref]
            props = {**found, **{k: v for k, v in props.items() if k != "country"}}
        ids.setdefault(name, ids[ref])
        node = node_of_table_row(ids[ref], label, name, props,
                                 source=source or f"loaded from {file}", file=efile,
                                 row=row_no, errors=errors, unknown=unknown,
                                 notes=plan.notes)
        if node is not None:
            plan.nodes.append(node)
    if connections is None:
        return
    for col in ("From", "To"):
        if col not in connections.columns:
            errors.append(RowError(cfile, 1, col, "required column is missing"))
            return
    known = sorted(CONNECTION_TYPES)
    for row_no, row in connections:
        froms = [x.strip() for x in str(row.get("From") or "").split("|") if x.strip()]
        tos = [x.strip() for x in str(row.get("To") or "").split("|") if x.strip()]
        bad = False
        for col, values in (("From", froms), ("To", tos)):
            if not values:
                errors.append(RowError(cfile, row_no, col, "empty"))
                bad = True
            for v in values:
                if not ids.get(v):
                    errors.append(RowError(cfile, row_no, col,
                                           f"{cut(v, 60)!r} is not the Label or ID of an "
                                           "element"))
                    bad = True
        ctype = str(row.get("Type") or "").strip()
        mapped = connection_type(ctype) if ctype else (default_type, {})
        if mapped is None:
            errors.append(RowError(cfile, row_no, "Type",
                                   f"unknown connection type {cut(ctype, 40)!r}; known: "
                                   f"{', '.join(known)}, or a partnernet type "
                                   f"({', '.join(t.value for t in RelType)})"))
            bad = True
        if bad:
            continue
        rtype, extra = mapped  # type: ignore[misc]
        props = cell_props(row, exclude={"From", "To", "Type", "Direction", "ID"}, rtype=rtype,
                           rename={"Label": "label", "Description": "description",
                                   "Tags": "tags"})
        for k, v in extra.items():
            props.setdefault(k, v)
        if ctype:
            props["connection_type"] = ctype
        if isinstance(props.get("tags"), str):
            props["tags"] = [t.strip() for t in props["tags"].split("|") if t.strip()]
        for a in froms:
            for b in tos:
                rel = make_relationship({"start": ids[a], "type": rtype, "end": ids[b],
                                         "props": props}, file=cfile, row=row_no, errors=errors)
                if rel is not None:
                    plan.add_relationship(rel, cfile, row_no, ("From", "To"))
