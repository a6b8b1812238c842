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
EXTRA_ALIASES: dict[str, list[str]] = {
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

COLUMNS = ["iso2", "iso3", "m49", "name", "region", "subregion", "intermediate_region",
           "g77", "dac_eligible", "wb_income", "capital", "lat", "lon", "aliases"]


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


def build() -> list[dict[str, str]]:
    master = {r["iso2"]: r for r in _rows(SRC / "countries_master.csv")}
    codes = {r["ISO3166-1-Alpha-2"]: r for r in _rows(SRC / "country-codes.csv")
             if r["ISO3166-1-Alpha-2"].strip()}
    g77_names = {r["country"].strip() for r in _rows(SRC / "g77_members.csv")}
    out = []
    matched_g77: set[str] = set()
    for iso2 in sorted(set(master) | set(codes)):
        m, c = master.get(iso2, {}), codes.get(iso2, {})
        name = m.get("country_name_en") or c.get("CLDR display name") or c.get("official_name_en")
        if not name:
            continue
        names = {name, c.get("CLDR display name", ""), c.get("UNTERM English Short", ""),
                 c.get("official_name_en", ""), m.get("country_name_sdg_en", ""),
                 m.get("wb_country_name", "")}
        names |= set(EXTRA_ALIASES.get(iso2, []))
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
            "aliases": "|".join(sorted(names)),
        })
    missing = g77_names - matched_g77
    if missing:
        raise SystemExit(f"G77 members not matched to a country: {sorted(missing)}")
    return out


def main() -> None:
    rows = build()
    with OUT.open("w", encoding="utf-8", newline="") as f:
        f.write(f"# countries: ISO 3166, UN M49 regions, G77 membership, OECD DAC ODA eligibility "
                f"(2024 flows), World Bank income group; snapshot {SNAPSHOT}\n")
        f.write("# sources: UNSD M49 and World Bank/OECD via country-classification-commons "
                "(2026-08-21); ISO 3166 via datasets/country-codes (caa72d1e); G77 via "
                "g77.org members page\n")
        w = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    g77 = sum(r["g77"] == "true" for r in rows)
    print(f"wrote {len(rows)} countries ({g77} G77 members) to {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
