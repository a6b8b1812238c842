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

__all__ = ["Country", "CountryNotFound", "countries", "resolve_country", "SNAPSHOT"]

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
            aliases=tuple(a for a in r["aliases"].split("|") if a))
    return out


_PARENS = re.compile(r"\s*\((the|[^)]*\*)\)\s*|\s*\*\s*$")


@lru_cache(maxsize=1)
def _index() -> dict[str, str]:
    idx: dict[str, str] = {}
    for c in countries().values():
        for n in (c.name, *c.aliases, c.iso2, c.iso3):
            for variant in (n, _PARENS.sub(" ", n)):
                idx.setdefault(name_key(variant), c.iso2)
    return idx


def resolve_country(text: str) -> Country:
    """Resolve a country name, alias or ISO code, case- and accent-insensitively.

    A sub-national prefix such as ``"England, United Kingdom"`` or
    ``"Réunion, France"`` resolves to the country after the last comma.

    >>> resolve_country("People's Republic of China").iso2
    'CN'
    >>> resolve_country("ivory coast").iso2
    'CI'
    >>> resolve_country("Côte d'Ivoire").iso2
    'CI'
    >>> resolve_country("Scotland, United Kingdom").iso2
    'GB'
    >>> resolve_country("Atlantis")
    Traceback (most recent call last):
    ...
    partnernet.graph.geography.countries.CountryNotFound: unknown country 'Atlantis'
    """
    idx = _index()
    raw = text.strip()
    for candidate in (raw, raw.rsplit(",", 1)[-1], re.sub(r"^in\s+", "", raw, flags=re.I)):
        iso = idx.get(name_key(candidate))
        if iso:
            return countries()[iso]
    import difflib

    close = difflib.get_close_matches(name_key(raw), list(idx), n=3, cutoff=0.8)
    names = list(dict.fromkeys(countries()[idx[k]].name for k in close))
    raise CountryNotFound(text, names)
