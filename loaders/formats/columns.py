"""Find the columns of list-shaped files by name, as users and exports spell them.

Edge lists: the two ends (``source,target``, ``from,to``, ``city1,city2``, Wikidata's
``item,twin``...), and for each end the columns that say more about it: its name
(``twinLabel``), country (``country1``, ``twinCountryLabel``), admin area
(``state1``), coordinates (``lat1``/``lon1``, Wikidata's ``coord``), identifiers.
Membership lists: member, organisation and the rest. Users can name any column with
``--columns role=column,...`` where detection guesses wrong.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable

__all__ = ["EDGE_ENDS", "MEMBER_ROLES", "END_ROLES", "norm", "find", "end_columns",
           "edge_ends", "looks_like_ids"]


def norm(column: str) -> str:
    """``"Country 1"``, ``"country_1"`` and ``"Country1"`` -> ``"country1"``."""
    return re.sub(r"[^0-9a-z]", "", column.casefold())


#: pairs of end columns, most specific first
EDGE_ENDS = [
    ("source", "target"), ("from", "to"), ("city1", "city2"), ("city", "twincity"),
    ("city", "sistercity"), ("city", "partnercity"), ("city", "twin"), ("item", "twin"),
    ("place", "twin"), ("node1", "node2"), ("partner1", "partner2"), ("actor1", "actor2"),
    ("municipality1", "municipality2"), ("town1", "town2"), ("sourceid", "targetid"),
    ("source", "destination"), ("origin", "destination"), ("a", "b"), ("u", "v"),
    ("city", "twinnedcity"), ("city", "twinned"), ("item", "twinned"),
    ("item", "twinnedadministrativebody"), ("city", "sister"), ("place", "sistercity"),
    ("cityid", "partnerid"), ("municipality", "partnermunicipality"),
    ("name1", "name2"), ("member1", "member2"), ("city", "partner"), ("item", "partner"),
]

#: roles of the columns that describe one end, by normalised name
END_ROLES: dict[str, tuple[str, ...]] = {
    "name": ("label", "name", "cityname", "citylabel", "itemlabel"),
    "country": ("country", "countrylabel", "countryname", "countrycode", "iso", "iso2", "iso3",
                "countryiso", "countryiso3", "nation", "cc"),
    "area": ("state", "statelabel", "admin1", "adminarea", "province", "region1",
             "subdivision", "county", "statename", "provincename"),
    "lat": ("lat", "latitude", "y"),
    "lon": ("lon", "lng", "long", "longitude", "x"),
    "point": ("coord", "coords", "coordinates", "location", "point", "geo"),
    "wikidata": ("qid", "wikidata", "wikidataid", "wikidataqid", "wd"),
    "geonames": ("geonameid", "geonamesid", "geonames", "gnid"),
    "own": ("id", "code", "key"),
    "type": ("type", "entitytype", "kind", "category"),
}

#: membership list roles, by normalised column name
MEMBER_ROLES: dict[str, tuple[str, ...]] = {
    "member": ("member", "membername", "name", "city", "cityname", "actor", "actorname",
               "municipality", "localgovernment", "signatory", "participant", "entity",
               "entityname", "organisationname", "accountname", "jurisdiction", "itemlabel"),
    "organisation": ("organisation", "organization", "network", "networkname", "initiative",
                     "initiativename", "initiatives", "initiativescommitted", "networks",
                     "programme", "program", "coalition", "alliance", "commitment", "memberof",
                     "group", "partnership", "platform", "campaign", "organisationlabel",
                     "networklabel", "parentorganisation", "parentorganization"),
    "country": ("country", "membercountry", "countryname", "countrylabel", "iso", "iso3",
                "iso2", "countrycode", "countryiso", "countryiso3", "nation", "cc"),
    "type": ("type", "entitytype", "membertype", "actortype", "kind", "category",
             "governmentlevel", "level of government", "jurisdictiontype"),
    "role": ("role", "membershiplevel", "level", "membershiptype", "tier", "status",
             "membershipstatus", "position"),
    "since": ("since", "joined", "yearjoined", "datejoined", "joineddate", "joinyear",
              "startdate", "start", "membershipstart", "from", "year", "commitmentyear",
              "signed", "datesigned", "yearsigned", "signatureyear"),
    "until": ("until", "left", "enddate", "end", "membershipend", "to", "yearleft"),
    "own": ("memberid", "cityid", "actorid", "entityid", "accountid", "accountnumber",
            "organisationid", "organizationid", "gcomid", "id"),
    "wikidata": ("qid", "wikidata", "wikidataid", "item", "wikidataqid"),
    "geonames": ("geonameid", "geonamesid", "geonames"),
    "area": ("state", "province", "admin1", "adminarea", "subdivision", "statename",
             "provincename", "stateprovince"),
    "lat": ("lat", "latitude"),
    "lon": ("lon", "lng", "long", "longitude"),
    "point": ("coord", "coords", "coordinates", "location", "point"),
    "population": ("population", "pop", "inhabitants", "populationsize", "citypopulation"),
    "org_id": ("organisationid2", "networkid", "initiativeid"),
}


def find(columns: Iterable[str], names: Iterable[str]) -> str | None:
    """The first column whose normalised name is one of ``names`` (in their order)."""
    by_norm: dict[str, str] = {}
    for c in columns:
        by_norm.setdefault(norm(c), c)
    for n in names:
        if norm(n) in by_norm:
            return by_norm[norm(n)]
    return None


def edge_ends(columns: list[str], rows: list[dict] | None = None) -> tuple[str, str] | None:
    """The two end columns of an edge list, by name or (Wikidata exports) by QID values."""
    by_norm = {norm(c): c for c in columns}
    for a, b in EDGE_ENDS:
        if a in by_norm and b in by_norm:
            return by_norm[a], by_norm[b]
    # paired names: sourceCity/targetCity, fromCity/toCity, cityA/cityB, name_1/name_2
    for a, b in (("source", "target"), ("from", "to"), ("origin", "destination")):
        for n, c in by_norm.items():
            if n.startswith(a) and len(n) > len(a) and b + n[len(a):] in by_norm \
                    and n[len(a):] in _END_WORDS:
                return c, by_norm[b + n[len(a):]]
    for n, c in by_norm.items():
        for x, y in (("1", "2"), ("a", "b")):
            if n.endswith(x) and n[:-1] in _END_WORDS and n[:-1] + y in by_norm:
                return c, by_norm[n[:-1] + y]
    if rows:
        ids = [c for c in columns if looks_like_ids(r.get(c) for r in rows[:50])
               and not any(w in norm(c) for w in _NOT_ENDS)]
        if len(ids) == 2:
            return ids[0], ids[1]
    return None


#: what the two ends of a tie are called, in paired column names
_END_WORDS = frozenset({"city", "town", "municipality", "place", "node", "partner", "actor",
                        "member", "name", "id", "entity", "organisation", "organization",
                        "cityname", "citylabel", "local", "localgovernment", "government",
                        "region", "item", "label", "qid"})

#: QID columns that describe an end rather than being one (country, admin area, type)
_NOT_ENDS = ("country", "nation", "state", "admin", "region", "province", "type", "instance",
             "class", "continent", "located")


def looks_like_ids(values: Iterable[object]) -> bool:
    """Mostly Wikidata QIDs or entity URIs."""
    from partnernet.loaders.identity import parse_qid

    seen = [v for v in values if v not in (None, "")]
    return bool(seen) and sum(parse_qid(v) is not None for v in seen) >= 0.9 * len(seen)


def end_columns(columns: list[str], end: str, other: str, *, first: bool
                ) -> dict[str, str]:
    """Columns describing one end: role -> column. ``end`` is the end's column name.

    ``city1`` finds ``country1``; ``twin`` finds ``twinLabel`` and ``twinCountryLabel``;
    the first end also takes unprefixed columns (``countryLabel``) that the other end
    does not claim.
    """
    e, o = norm(end), norm(other)
    stem, digit = re.match(r"^(.*?)(\d*)$", e).groups()  # type: ignore[union-attr]
    # what tells this end from the other: "a" of cityA/cityB, "source" of sourceCity
    lead = len(os.path.commonprefix([e, o]))
    trail = len(os.path.commonprefix([e[::-1], o[::-1]]))
    marks = {m for m in (e[lead:], e[:len(e) - trail]) if m and m != e and len(m) <= 8}
    out: dict[str, str] = {}
    by_norm = {norm(c): c for c in columns}
    for role, names in END_ROLES.items():
        for n in names:
            candidates = [f"{e}{n}", f"{n}{e}", f"{e}_{n}"]
            if digit:
                candidates += [f"{n}{digit}", f"{stem}{n}{digit}"]
            for m in sorted(marks):
                candidates += [f"{n}{m}", f"{m}{n}"]
            if role == "own" and n == "id":
                candidates = [f"{e}id", f"id{digit}" if digit else f"{e}id"]
            hit = next((by_norm[c] for c in candidates if c in by_norm and by_norm[c] != end),
                       None)
            if hit:
                out.setdefault(role, hit)
                break
        if role not in out and first and role in ("country", "area", "point", "lat", "lon"):
            for n in names:
                if n in by_norm and not by_norm[n].casefold().startswith(o):
                    out[role] = by_norm[n]
                    break
    return out
