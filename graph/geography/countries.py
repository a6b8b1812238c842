"""Countries as authored project data, and resolution of country names in any common spelling.

The table ``graph/geography/data/countries.csv`` holds ISO 3166 codes, UN M49 regions,
and the memberships behind each Global South definition (see
:mod:`graph.geography.south`); its header names the sources and snapshot date.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from partnernet.graph.schema import name_key

__all__ = ["Country", "CountryNotFound", "countries", "country_key", "resolve_country", "SNAPSHOT"]

SNAPSHOT = "2026-08-21"


@dataclass(frozen=True)
class Country:
    iso2: str
    iso3: str
    m49: int | None
    name: str
    region: str
    subregion: str
    intermediate_region: str
    g77: bool
    dac_eligible: bool | None
    wb_income: str | None
    capital: str
    lat: float | None
    lon: float | None
    aliases: tuple[str, ...]
    wikidata: str = ""
    geonameid: int | None = None

    @property
    def node_id(self) -> str:
        return f"country:{self.iso2.lower()}"

    @property
    def m49_region(self) -> str:
        """Region for analysis: UN M49 region, with the Americas split as M49's
        sub-regions do (Latin America and the Caribbean / Northern America)."""
        if self.region == "Americas":
            return ("Northern America" if self.subregion == "Northern America"
                    else "Latin America and the Caribbean")
        return self.region or "Unknown"


class CountryNotFound(LookupError):
    """A country string that matches no country or alias; carries close matches."""

    def __init__(self, text: str, suggestions: list[str]):
        self.text, self.suggestions = text, suggestions
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"unknown country {text!r}{hint}")


def _b(v: str) -> bool | None:
    return {"true": True, "false": False}.get(v)


def _f(v: str) -> float | None:
    return float(v) if v else None


@lru_cache(maxsize=1)
def countries() -> dict[str, Country]:
    """All countries keyed by ISO 3166 alpha-2."""
    text = (resources.files("partnernet.graph.geography").joinpath("data/countries.csv")
            .read_text("utf-8"))
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    out = {}
    for r in rows:
        out[r["iso2"]] = Country(
            iso2=r["iso2"], iso3=r["iso3"], m49=int(r["m49"]) if r["m49"] else None,
            name=r["name"], region=r["region"], subregion=r["subregion"],
            intermediate_region=r["intermediate_region"], g77=r["g77"] == "true",
            dac_eligible=_b(r["dac_eligible"]), wb_income=r["wb_income"] or None,
            capital=r["capital"], lat=_f(r["lat"]), lon=_f(r["lon"]),
            aliases=tuple(a for a in r["aliases"].split("|") if a),
            wikidata=r.get("wikidata") or "",
            geonameid=int(r["geonameid"]) if r.get("geonameid") else None)
    return out


#: Articles dropped wherever they stand alone at the start or in a trailing parenthesis:
#: "The Gambia", "Gambia (the)", "la République de Corée", "Afganistán (el)".
_ARTICLES = frozenset({"the", "la", "le", "les", "l", "el", "los", "las"})
_PUNCT = re.compile(r"[\s.,;:'\u2019\u2018`\"()\[\]/\\_\-\u2010-\u2015*]+")
_QID = re.compile(r"^(?:https?://(?:www\.)?wikidata\.org/(?:wiki|entity)/)?(Q[1-9]\d*)$", re.I)


def country_key(text: str) -> str:
    """Fold a country spelling: case, accents, punctuation, articles and ``&``/``St.``.

    >>> country_key("The Gambia") == country_key("Gambia (the)") == country_key("GAMBIA")
    True
    >>> country_key("Timor-Leste") == country_key("Timor Leste")
    True
    >>> country_key("Saint Kitts & Nevis") == country_key("St. Kitts and Nevis")
    True
    """
    words = _PUNCT.sub(" ", name_key(text).replace("&", " and ")).split()
    while words and words[0] in _ARTICLES and len(words) > 1:
        words = words[1:]
    while len(words) > 1 and words[-1] in _ARTICLES:
        words = words[:-1]
    return " ".join({"st": "saint", "ste": "sainte", "rep": "republic", "is": "islands"}
                    .get(w, w) if len(words) > 1 else w for w in words)


@lru_cache(maxsize=1)
def _index() -> dict[str, str]:
    """Folded spelling -> ISO alpha-2. Codes first, then names, then aliases: an earlier
    entry is never replaced, and an alias two countries share is dropped (ambiguous)."""
    idx: dict[str, str] = {}
    table = countries().values()
    for c in table:
        codes = [c.iso2, c.iso3]
        if c.m49 is not None:
            codes += [str(c.m49), f"{c.m49:03d}"]
        if c.wikidata:
            codes.append(c.wikidata)
        for code in codes:
            idx.setdefault(code.casefold(), c.iso2)
    for c in table:
        idx.setdefault(country_key(c.name), c.iso2)
    owners: dict[str, set[str]] = {}
    for c in table:
        for alias in c.aliases:
            owners.setdefault(country_key(alias), set()).add(c.iso2)
    for key, isos in owners.items():
        if len(isos) == 1 and key:
            idx.setdefault(key, next(iter(isos)))
    return idx


def _attempts(raw: str) -> list[str]:
    """Spellings to try, most literal first: the text, ``"Korea, Republic of"`` turned
    round, the part after the last comma (``"England, United Kingdom"``), ``"in X"``."""
    out = [raw]
    if "," in raw:
        head, tail = raw.rsplit(",", 1)
        out += [f"{tail} {head}", tail]
        first, rest = raw.split(",", 1)
        out.append(f"{rest} {first}")
    out.append(re.sub(r"^in\s+", "", raw, flags=re.I))
    return out


def resolve_country(text: str) -> Country:
    """Resolve a country in any common spelling: ISO 3166 alpha-2, alpha-3 or numeric code,
    UN M49 names in the six UN languages, GeoNames and CLDR names, World Bank names,
    Wikidata ids, common short forms and historic or political variants; case-, accent-,
    punctuation- and article-insensitive.

    A sub-national prefix such as ``"England, United Kingdom"`` or
    ``"Réunion, France"`` resolves to the country after the last comma.

    >>> resolve_country("People's Republic of China").iso2
    'CN'
    >>> [resolve_country(t).iso2 for t in ("ivory coast", "Côte d'Ivoire", "CIV", "384")]
    ['CI', 'CI', 'CI', 'CI']
    >>> [resolve_country(t).iso2 for t in ("Korea, Republic of", "The Netherlands", "Kosovo")]
    ['KR', 'NL', 'XK']
    >>> resolve_country("Scotland, United Kingdom").iso2
    'GB'
    >>> resolve_country("http://www.wikidata.org/entity/Q155").iso2
    'BR'
    >>> resolve_country("Atlantis")
    Traceback (most recent call last):
    ...
    partnernet.graph.geography.countries.CountryNotFound: unknown country 'Atlantis'
    """
    idx = _index()
    raw = str(text).strip()
    qid = _QID.match(raw)
    if qid:
        iso = idx.get(qid.group(1).casefold())
        if iso:
            return countries()[iso]
    if re.fullmatch(r"\d{1,3}(\.0+)?", raw):  # a numeric code read as a decimal
        raw = raw.split(".")[0]
    for candidate in _attempts(raw):
        key = candidate.strip().casefold()
        iso = idx.get(key) or idx.get(country_key(candidate))
        if iso:
            return countries()[iso]
    import difflib

    close = difflib.get_close_matches(country_key(raw), list(idx), n=3, cutoff=0.8)
    names = list(dict.fromkeys(countries()[idx[k]].name for k in close))
    raise CountryNotFound(text, names)
