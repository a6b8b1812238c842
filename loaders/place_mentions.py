"""What a file says about one mention of a place: its identifiers (Wikidata QID, GeoNames
id, coordinates), its kind (city or subnational government) and where it is in the file."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

__all__ = ["CITY_TYPES", "SUBNATIONAL_TYPES", "PlaceMention", "parse_geonameid", "parse_point",
           "parse_qid", "spelling"]

_QID = re.compile(r"^(?:wd:|https?://(?:www\.|m\.)?wikidata\.org/(?:wiki|entity)/)?(Q[1-9]\d*)$",
                  re.I)
_GEONAMES = re.compile(r"^(?:https?://(?:www\.|sws\.)?geonames\.org/)?(\d{1,10})(?:[/.].*)?$")
_POINT = re.compile(r"^\s*Point\(\s*(-?\d+(?:\.\d+)?)\s+(-?\d+(?:\.\d+)?)\s*\)\s*$", re.I)
SUBNATIONAL_TYPES = frozenset({
    "region", "state", "province", "subnational", "sub-national", "regional government",
    "state/region", "state or region", "canton", "prefecture", "department", "county",
    "regional", "state government", "provincial government", "territory", "oblast",
    "autonomous community", "land", "federal state", "states and regions", "region/state"})
CITY_TYPES = frozenset({
    "city", "municipality", "local government", "town", "village", "commune", "city/town",
    "local", "metropolitan area", "urban area", "cities", "municipal government", "borough"})


def parse_qid(value: Any) -> str | None:
    """``"Q90"``, ``"http://www.wikidata.org/entity/Q90"`` or ``"wd:Q90"`` -> ``"Q90"``.

    >>> parse_qid("http://www.wikidata.org/entity/Q90"), parse_qid("q90"), parse_qid("Paris")
    ('Q90', 'Q90', None)
    """
    m = _QID.match(str(value or "").strip())
    return m.group(1).upper() if m else None


def parse_geonameid(value: Any) -> int | None:
    """``2988507``, ``"2988507"``, ``"2988507.0"`` or a geonames.org URL -> ``2988507``.

    >>> parse_geonameid("https://www.geonames.org/2988507/paris.html"), parse_geonameid(3.5)
    (2988507, None)
    """
    if isinstance(value, float):
        return int(value) if value.is_integer() and value > 0 else None
    if isinstance(value, int) and not isinstance(value, bool):
        return value if value > 0 else None
    m = _GEONAMES.match(str(value or "").strip())
    return int(m.group(1)) if m and int(m.group(1)) > 0 else None


def parse_point(value: Any) -> tuple[float, float] | None:
    """Wikidata's ``"Point(lon lat)"`` -> ``(lat, lon)``.

    >>> parse_point("Point(2.3514 48.8575)")
    (48.8575, 2.3514)
    """
    m = _POINT.match(str(value or ""))
    if not m:
        return None
    lon, lat = float(m.group(1)), float(m.group(2))
    return (lat, lon) if -90 <= lat <= 90 and -180 <= lon <= 180 else None


@dataclass
class PlaceMention:
    """One mention of a place in a file, with where it is and what the file says of it."""

    file: str
    row: int | None
    column: str  # the column holding the name (errors point at it)
    name: str
    country: str = ""
    country_column: str | None = None
    area: str = ""
    lat: float | None = None
    lon: float | None = None
    ids: dict[str, str] = field(default_factory=dict)  # wikidata / geonames / own
    kind: str | None = None  # "city", "subnational" or None (decide from the name)
    context: str = ""  # tells an ambiguous mention apart (other end, organisation)
    #: the other end of the tie (name, country): its resolved id becomes the context
    context_place: tuple[str, str] | None = None
    props: dict[str, Any] = field(default_factory=dict)  # more properties from the file


def spelling(m: PlaceMention) -> str:
    parts = [m.name]
    if m.area:
        parts.append(m.area)
    if m.country:
        parts.append(m.country)
    return ", ".join(parts)
