"""Write a membership list shaped like the public climate-initiative databases.

Members are real GeoNames places and admin areas; organisations are invented
initiatives. The file has what such exports have: one row per membership, a member
type (City / Region / State / Province), the country as an ISO alpha-3 code in one
column and in whatever spelling the source used in another (names drawn from the ISO,
UN M49 and GeoNames tables in ``../shared/data/countries``), namesakes in one country
told apart by a state column and coordinates, populations with decimals, a year joined,
some memberships listed twice. ``--encoding latin-1`` writes what Excel saves on
Western European Windows (only members whose names fit).

The truth (which GeoNames place or admin area each row means) is returned with the
rows, so tests and ``bench/loaders.py`` can count wrong merges.

Run ``python -m tools.membership_sample --members 14000 --out members.csv``.
"""

from __future__ import annotations

import argparse
import csv
import random
from dataclasses import dataclass
from pathlib import Path

from partnernet.graph.geography.gazetteer import gazetteer

ROOT = Path(__file__).resolve().parents[1]
COUNTRY_TABLE = ROOT.parent / "shared" / "data" / "countries" / "country-codes.csv"
SPELLING_COLUMNS = ["CLDR display name", "official_name_en", "UNTERM English Short",
                    "UNTERM English Formal", "ISO3166-1-Alpha-2", "ISO3166-1-Alpha-3",
                    "official_name_fr", "official_name_es", "ISO4217-currency_country_name"]
COLUMNS = ["account_id", "name", "entity_type", "iso", "country", "state", "initiative",
           "year_joined", "population", "lat", "lng"]


@dataclass
class Truth:
    """What one row means: a GeoNames place id, or an admin area (country, admin1 code)."""

    account_id: str
    geonameid: int | None
    admin: tuple[str, str] | None


def _spellings() -> dict[str, tuple[str, list[str]]]:
    """ISO alpha-2 -> (alpha-3, the spellings of that country in the shared tables)."""
    out = {}
    with COUNTRY_TABLE.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            iso2 = row["ISO3166-1-Alpha-2"].strip()
            if iso2:
                names = [row[c].strip() for c in SPELLING_COLUMNS if row.get(c, "").strip()]
                out[iso2] = (row["ISO3166-1-Alpha-3"].strip(), names)
    return out


def build(members: int = 3000, initiatives: int = 52, *, seed: int = 7,
          encoding: str = "utf-8") -> tuple[list[dict], list[Truth]]:
    """Rows of the membership list and, row for row, what each member is."""
    rng = random.Random(seed)
    gaz = gazetteer()
    spell = _spellings()
    places = [(gid, p) for gid, p in gaz._places.items()  # noqa: SLF001 - our own index
              if p[4] >= 20000 and p[1] in spell and p[5] and p[5] != "00"]
    places.sort()
    areas = sorted((cc, code, v[0]) for (cc, code), v in gaz._admin1.items()  # noqa: SLF001
                   if cc in spell)
    names = [f"{w} {k}" for w in ("Climate", "Resilient", "Clean Air", "Energy", "Green",
                                  "Urban", "Net Zero", "Water", "Mayors", "Local")
             for k in ("Pact", "Alliance", "Compact", "Network", "Coalition", "Initiative")]
    orgs = [f"{names[i % len(names)]}{'' if i < len(names) else f' {i // len(names) + 1}'}"
            for i in range(initiatives)]
    weights = [1 / (i + 1) ** 0.9 for i in range(initiatives)]  # a few large initiatives
    # namesakes: same name, same country, both large enough to be members
    by_name: dict[tuple[str, str], list[int]] = {}
    for gid, p in places:
        by_name.setdefault((p[1], p[0]), []).append(gid)
    namesakes = [g for ids in by_name.values() if len(ids) > 1 for g in ids]
    chosen_places = rng.sample(places, k=min(len(places), int(members * 0.8)))
    extra = [gid for gid in namesakes if gid not in {g for g, _ in chosen_places}]
    chosen = [g for g, _ in chosen_places] + extra[: members // 20]
    chosen_areas = rng.sample(areas, k=min(len(areas), members - len(chosen)))
    rows: list[dict] = []
    truth: list[Truth] = []

    def fits(text: str) -> bool:
        try:
            text.encode(encoding)
            return True
        except UnicodeEncodeError:
            return False

    entries: list[tuple[str, dict, Truth]] = []
    for n, gid in enumerate(chosen):
        name, cc, lat, lon, pop, admin1 = gaz._places[gid]  # noqa: SLF001
        state = gaz.admin1_name(cc, admin1) or ""
        iso3, spellings = spell[cc]
        entry = {"account_id": f"A{n:05d}", "name": name,
                 "entity_type": rng.choice(["City", "City", "Municipality", "city"]),
                 "iso": iso3, "country": rng.choice(spellings),
                 "state": state if (gid in namesakes or rng.random() < 0.3) else "",
                 "population": f"{pop}.0" if rng.random() < 0.5 else str(pop),
                 "lat": f"{lat:.4f}" if rng.random() < 0.6 else "",
                 "lng": f"{lon:.4f}"}
        if not entry["lat"]:
            entry["lng"] = ""
        entries.append((name, entry, Truth(entry["account_id"], gid, None)))
    for n, (cc, code, area) in enumerate(chosen_areas):
        iso3, spellings = spell[cc]
        entry = {"account_id": f"R{n:05d}", "name": area,
                 "entity_type": rng.choice(["Region", "State", "Province", "State/Region"]),
                 "iso": iso3, "country": rng.choice(spellings), "state": "",
                 "population": "", "lat": "", "lng": ""}
        entries.append((area, entry, Truth(entry["account_id"], None, (cc, code))))
    for _name, entry, t in entries:
        if not all(fits(str(v)) for v in entry.values()):
            continue
        k = 1 + min(int(rng.expovariate(1.3)), 5)
        for org in sorted(set(rng.choices(orgs, weights=weights, k=k))):
            row = {**entry, "initiative": org, "year_joined": str(rng.randint(2005, 2024))}
            rows.append(row)
            truth.append(t)
            if rng.random() < 0.01:  # exports repeat some memberships
                rows.append(dict(row))
                truth.append(t)
    return rows, truth


def write(path: Path, rows: list[dict], *, encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\r\n")
        w.writeheader()
        w.writerows(rows)
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--members", type=int, default=14000)
    ap.add_argument("--initiatives", type=int, default=52)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--encoding", default="utf-8")
    ap.add_argument("--out", type=Path, required=True)
    a = ap.parse_args()
    rows, _ = build(a.members, a.initiatives, seed=a.seed, encoding=a.encoding)
    write(a.out, rows, encoding=a.encoding)
    print(f"wrote {len(rows)} memberships to {a.out}")


if __name__ == "__main__":
    main()
