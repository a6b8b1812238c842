"""Places in node tables (canonical, Gephi, Kumu, GraphML/GEXF): countries in any
spelling, gazetteer data, and node ids from the place when the file's ids are its own.

- A ``country`` cell in any spelling (``Italy``, ``ITA``, ``380``, ``The Netherlands``)
  becomes ISO alpha-2; an unknown one is an error naming file, row and column.
- A ``City`` or ``Subnational`` record gets region, sub-region and, when its name
  resolves in its country, coordinates, population and GeoNames id: only what the file
  does not say itself, and never for a record that already carries a ``resolution``
  (partnernet's own exports), so loading an export back changes nothing.
- Records whose id is the file's own (Gephi ``Id`` 1, 2...; Kumu labels) are identified
  through :class:`~partnernet.loaders.identity.PlaceRegistry`: the node id comes from the
  place (``city:br:maringa``), the file's id is kept as ``source_id``, and two records
  with different ids are never one node.
"""

from __future__ import annotations

from typing import Any

from partnernet.graph.geography.countries import CountryNotFound, resolve_country
from partnernet.graph.geography.gazetteer import gazetteer
from partnernet.graph.schema import NodeLabel
from partnernet.loaders.errors import RowError, cut
from partnernet.loaders.identity import PlaceMention, PlaceRegistry, parse_geonameid, parse_qid

__all__ = ["PLACE_LABELS", "country_cell", "enrich_place", "node_of_table_row", "NodeTablePlaces"]

PLACE_LABELS = frozenset({NodeLabel.CITY, NodeLabel.SUBNATIONAL})
_COUNTRY_KEYS = ("country", "Country", "country_code", "iso", "iso2", "iso3", "countryLabel")
_AREA_KEYS = ("admin1_name", "state", "province", "admin_area", "State", "Province")


def country_cell(props: dict[str, Any], *, file: str, row: int | None,
                 errors: list[RowError], unknown: str = "error",
                 notes: list[str] | None = None, label: NodeLabel | None = None) -> None:
    """Replace a country cell in any spelling by its ISO alpha-2 code, in place.

    A ``Country`` record is left alone: its ``iso2`` and ``iso3`` are its own codes, not
    a country it is in.
    """
    if label == NodeLabel.COUNTRY:
        return
    key = next((k for k in _COUNTRY_KEYS if props.get(k) not in (None, "")), None)
    if key is None:
        return
    value = props.pop(key)
    try:
        props["country"] = resolve_country(str(value)).iso2
    except CountryNotFound as exc:
        if unknown == "warn":
            props["country_as_given"] = str(value)
            if notes is not None:
                notes.append(f"{file}, row {row}: {exc}; loaded without a country")
            return
        props[key] = value
        errors.append(RowError(file, row, key, f"{cut(exc, 120)} (or load with "
                                               "--unknown-countries warn)"))


def enrich_place(label: NodeLabel, name: str, props: dict[str, Any]) -> None:
    """Add gazetteer data a City or Subnational record lacks (see module), in place."""
    if label not in PLACE_LABELS or "resolution" in props:
        return
    iso2 = props.get("country")
    if not isinstance(iso2, str) or len(iso2) != 2:
        return
    from partnernet.graph.geography.countries import countries

    ctry = countries().get(iso2)
    if ctry is None:
        return
    props.setdefault("region", ctry.m49_region)
    if ctry.subregion:
        props.setdefault("subregion", ctry.subregion)
    if label == NodeLabel.SUBNATIONAL:
        admin = gazetteer().resolve_admin(name, iso2)
        if admin is not None:
            props.setdefault("admin1", admin.code)
            if admin.iso3166_2:
                props.setdefault("iso3166_2", admin.iso3166_2)
        return
    if props.get("lat") is not None and props.get("population") is not None:
        return
    area = next((str(props[k]) for k in _AREA_KEYS if props.get(k)), None)
    m = gazetteer().resolve(name, iso2, area=area, lat=_num(props.get("lat")),
                            lon=_num(props.get("lon")),
                            geonameid=parse_geonameid(props.get("geonameid")))
    if m.status != "resolved":
        return
    for k, v in (("lat", m.lat), ("lon", m.lon), ("population", m.population),
                 ("geonameid", m.geonameid), ("admin1", m.admin1 or None),
                 ("admin1_name", m.admin1_name)):
        if v is not None:
            props.setdefault(k, v)
    props.setdefault("gazetteer_match", m.how)


def node_of_table_row(node_id: str, label: NodeLabel, name: str, props: dict[str, Any], *,
                      source: str, file: str, row: int, errors: list[RowError],
                      unknown: str, notes: list[str]):
    """A node table's record as a node: its country cell resolved (:func:`country_cell`),
    gazetteer data added (:func:`enrich_place`) and validated; ``None`` when its row was
    refused (the errors say why)."""
    from partnernet.loaders.records import make_node

    n_errors = len(errors)
    country_cell(props, file=file, row=row, errors=errors, unknown=unknown, notes=notes,
                 label=label)
    if len(errors) > n_errors:
        return None
    enrich_place(label, name, props)
    return make_node({"id": node_id, "label": label, "name": name, "source": source,
                      "props": props}, file=file, row=row, errors=errors)


def _num(v: Any) -> float | None:
    try:
        return float(v) if v not in (None, "") else None
    except (TypeError, ValueError):
        return None


class NodeTablePlaces:
    """Node ids for the place records of a node table whose ids are the file's own."""

    def __init__(self, *, unknown_countries: str = "error") -> None:
        self.registry = PlaceRegistry(unknown_countries=unknown_countries)
        self._handles: dict[str, int] = {}

    def add(self, raw_id: str, label: NodeLabel, name: str, props: dict[str, Any], *,
            file: str, row: int | None, name_column: str, own_id: bool = True) -> None:
        """Register one record (its props still in the file's spelling); ``own_id``: the
        file's id identifies it (else only its name, country and area do)."""
        country = next((str(props[k]) for k in _COUNTRY_KEYS if props.get(k)), "")
        ids = {"own": raw_id} if own_id else {}
        qid = parse_qid(props.get("wikidata") or props.get("qid") or "")
        if qid:
            ids["wikidata"] = qid
        gid = parse_geonameid(props.get("geonameid")) if props.get("geonameid") else None
        if gid:
            ids["geonames"] = str(gid)
        self._handles[raw_id] = self.registry.add(PlaceMention(
            file=file, row=row, column=name_column, name=name, country=country,
            country_column=next((k for k in _COUNTRY_KEYS if props.get(k)), None),
            area=next((str(props[k]) for k in _AREA_KEYS if props.get(k)), ""),
            lat=_num(props.get("lat")), lon=_num(props.get("lon")), ids=ids,
            kind="subnational" if label == NodeLabel.SUBNATIONAL else "city"))

    def resolve(self, errors: list[RowError]) -> dict[str, tuple[str, dict[str, Any]]]:
        """raw id -> (node id, gazetteer props); unknown countries become errors."""
        if not self._handles:
            return {}
        self.registry.resolve(errors)
        out = {}
        for raw, h in self._handles.items():
            node_id = self.registry.ids[h]
            out[raw] = (node_id, dict(self.registry.nodes[node_id]["props"]))
        return out
