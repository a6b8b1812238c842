"""Which mentions of a place are the same place: node ids that never merge distinct things.

Every format that names places (edge and pair lists, membership lists, Kumu elements)
hands each mention to a :class:`PlaceRegistry`, with what the file says about it:
name, country, admin area, coordinates and external identifiers (Wikidata QID,
GeoNames id, the file's own id). The registry then decides:

- Mentions carrying the same identifier (same scheme, same value) are one place.
  Mentions with different identifiers are never one place.
- A mention without identifiers joins a place only on a unique name + country + (admin
  area or coordinates) match: the same GeoNames place, held by at most one identified
  place of this load. Every merge of different spellings is listed with its reason.
- A name several places of one country share, with nothing to tell them apart, is left
  ambiguous: each mention keeps its own node (told apart by its context: the other end
  of the tie, or the organisation), never one node for all of them.

Node ids are stable: the same facts give the same id on every load. A place resolved in
the gazetteer gets the gazetteer's id (``city:fr:lyon``, ``city:us:columbus-4509177``), so
places from different files meet; others get ``city:<country>:<name>`` plus what tells
them apart (admin area, identifier, context).

What a file says about one mention (:class:`PlaceMention`, the identifier parsers) is in
:mod:`~partnernet.loaders.place_mentions`, importable from here.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from partnernet.graph.geography.countries import CountryNotFound, resolve_country
from partnernet.graph.geography.gazetteer import AdminMatch, CityMatch, gazetteer
from partnernet.graph.geography.slug import slugify
from partnernet.graph.schema import NodeLabel, name_key
from partnernet.loaders.errors import RowError, cut
from partnernet.loaders.place_mentions import (
    CITY_TYPES,
    SUBNATIONAL_TYPES,
    PlaceMention,
    parse_geonameid,
    parse_point,
    parse_qid,
    spelling,
)

__all__ = ["CITY_TYPES", "SUBNATIONAL_TYPES", "PlaceMention", "PlaceRegistry", "parse_geonameid",
           "parse_point", "parse_qid"]


@dataclass
class _Entity:
    mentions: list[int] = field(default_factory=list)
    ids: dict[str, str] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)


class PlaceRegistry:
    """Collects the place mentions of one load, then gives each its node id (see module)."""

    def __init__(self, *, unknown_countries: str = "error") -> None:
        self.mentions: list[PlaceMention] = []
        self.unknown_countries = unknown_countries
        self._matches: dict[tuple, CityMatch] = {}
        self._admins: dict[tuple, AdminMatch | None] = {}
        self.ids: list[str] = []
        self.nodes: dict[str, dict[str, Any]] = {}
        self.merges: list[str] = []
        self.notes: list[str] = []
        self.stats: Counter = Counter()

    def add(self, mention: PlaceMention) -> int:
        """Register a mention; its node id is ``self.ids[handle]`` after :meth:`resolve`.

        A name carrying its country when no country is given (``"Varna, Bulgaria"``) is
        split."""
        if not mention.country.strip() and "," in mention.name:
            head, tail = (p.strip() for p in mention.name.rsplit(",", 1))
            try:
                resolve_country(tail)
                mention.name, mention.country = head, tail
            except CountryNotFound:
                pass
        self.mentions.append(mention)
        return len(self.mentions) - 1

    # -- resolution ----------------------------------------------------------------------------
    def _match(self, m: PlaceMention) -> CityMatch:
        gid = parse_geonameid(m.ids.get("geonames")) if m.ids.get("geonames") else None
        key = (m.name, m.country, m.area, m.lat, m.lon, gid)
        found = self._matches.get(key)
        if found is None:
            found = self._matches[key] = gazetteer().resolve(
                m.name, m.country, area=m.area or None, lat=m.lat, lon=m.lon, geonameid=gid)
        return found

    def _admin(self, m: PlaceMention) -> AdminMatch | None:
        key = (m.name, m.country)
        if key not in self._admins:
            self._admins[key] = gazetteer().resolve_admin(m.name, m.country)
        return self._admins[key]

    def _is_subnational(self, m: PlaceMention, match: CityMatch) -> bool:
        if m.kind == "subnational":
            return True
        if m.kind == "city" or match.status == "resolved":
            return False
        return self._admin(m) is not None  # "Lower Saxony, Germany" is no city

    def resolve(self, errors: list[RowError]) -> None:
        """Give every mention its node id; unknown countries become errors (or notes)."""
        matches = [self._match(m) for m in self.mentions]
        self._check_countries(matches, errors)
        contexts: dict[tuple[str, str], str | None] = {}
        for m in self.mentions:
            if m.context_place is not None:
                if m.context_place not in contexts:
                    key = (*m.context_place, "", None, None, None)  # as _match keys it
                    other = self._matches.get(key) or gazetteer().resolve(*m.context_place)
                    contexts[m.context_place] = other.node_id.split(":", 1)[1] \
                        if other.status == "resolved" else None
                m.context = contexts[m.context_place] or m.context
        subnational = [self._is_subnational(m, c) for m, c in zip(self.mentions, matches,
                                                                   strict=True)]
        entities = self._group(matches, subnational)
        claimants: dict[int, set[int]] = defaultdict(set)
        for n, ent in enumerate(entities):
            for i in ent.mentions:
                if matches[i].status == "resolved" and not subnational[i]:
                    claimants[matches[i].geonameid].add(n)  # type: ignore[index]
        self.ids = [""] * len(self.mentions)
        taken: dict[str, int] = {}
        for n, ent in enumerate(entities):
            first = self.mentions[ent.mentions[0]]
            match = matches[ent.mentions[0]]
            if subnational[ent.mentions[0]]:
                node_id, data = self._subnational_node(first, ent)
            else:
                rivals = claimants.get(match.geonameid, set()) - {n}  # type: ignore[arg-type]
                contested = match.status == "resolved" and bool(rivals) and (
                    bool(ent.ids) or any(entities[r].ids for r in rivals))
                node_id, data = self._city_node(first, match, ent, contested)
            if node_id in taken and taken[node_id] != n:
                # two distinct places reached the same id: the later one says what tells it
                # apart (its identifier, else the row it came from)
                node_id = f"{node_id}-{_id_suffix(ent.ids) or f'r{first.row}'}"
            taken[node_id] = n
            for i in ent.mentions:
                self.ids[i] = node_id
            data["id"] = node_id
            data["props"].update(_merged_props(self.mentions, ent))  # the file's values win
            self.nodes[node_id] = data
            spellings = sorted({spelling(self.mentions[i]) for i in ent.mentions})
            if len(spellings) > 1 or ent.reasons:
                self.merges.append(f"{node_id}: {' + '.join(cut(s, 60) for s in spellings[:6])}"
                                   f"{' ...' if len(spellings) > 6 else ''}: "
                                   f"{'; '.join(dict.fromkeys(ent.reasons)) or 'same place'}")
        self.stats["places"] = len(entities)
        self.stats["place mentions"] = len(self.mentions)
        self.stats["place mentions resolved to a place"] = sum(
            1 for i, m in enumerate(matches) if m.status == "resolved" or (
                subnational[i] and self._admin(self.mentions[i]) is not None))
        self.stats["place mentions with a country"] = sum(
            1 for m in matches if m.country is not None)
        self.stats["merges of different spellings or ids"] = len(self.merges)
        rows: dict[tuple[str, int | None], list[int]] = defaultdict(list)
        for i, m in enumerate(self.mentions):
            rows[(m.file, m.row)].append(i)
        nodes = [self.nodes[self.ids[i]]["props"] for i in range(len(self.mentions))]
        self.stats["rows whose places all have a country"] = sum(
            all(nodes[i].get("country") for i in ids) for ids in rows.values())
        self.stats["rows whose places all resolve to a place"] = sum(
            all(nodes[i].get("resolution") == "resolved" for i in ids) for ids in rows.values())

    def _check_countries(self, matches: list[CityMatch], errors: list[RowError]) -> None:
        unknown: dict[str, list[PlaceMention]] = defaultdict(list)
        for m, match in zip(self.mentions, matches, strict=True):
            if match.status == "unknown-country" and str(m.country).strip():
                unknown[m.country].append(m)
        for text, mentions in unknown.items():
            try:
                resolve_country(text)
                continue
            except CountryNotFound as exc:
                message = str(exc)
            if self.unknown_countries == "warn":
                rows = ", ".join(str(x.row) for x in mentions[:5])
                self.notes.append(f"{mentions[0].file}: {message} in {len(mentions)} row(s) "
                                  f"({rows}{' ...' if len(mentions) > 5 else ''}); those places "
                                  "have no country")
                continue
            for x in mentions:
                errors.append(RowError(x.file, x.row, x.country_column,
                                       message + " (or load with --unknown-countries warn)"))

    def _group(self, matches: list[CityMatch], subnational: list[bool]) -> list[_Entity]:
        """Mentions -> places: same identifiers, else same resolved place, else same facts."""
        entities: list[_Entity] = []
        by_id: dict[tuple[str, str], int] = {}
        for i, m in enumerate(self.mentions):
            keys = [(s, str(v)) for s, v in sorted(m.ids.items()) if v]
            hits = {by_id[k] for k in keys if k in by_id}
            target = None
            for h in sorted(hits):
                ent = entities[h]
                if all(ent.ids.get(s, v) == v for s, v in keys):
                    target = h
                    break
            if target is None and keys:
                entities.append(_Entity())
                target = len(entities) - 1
            if target is not None:
                ent = entities[target]
                ent.mentions.append(i)
                for s, v in keys:
                    ent.ids.setdefault(s, v)
                    by_id.setdefault((s, v), target)
                if len(ent.mentions) > 1 and spelling(m) != spelling(
                        self.mentions[ent.mentions[0]]):
                    ent.reasons.append(f"same {_scheme(keys)}")
        # places resolved in the gazetteer: identified places claiming each GeoNames place
        claims: dict[int, list[int]] = defaultdict(list)
        for n, ent in enumerate(entities):
            gids = {matches[i].geonameid for i in ent.mentions
                    if matches[i].status == "resolved" and not subnational[i]}
            for gid in gids:
                claims[gid].append(n)  # type: ignore[index]
        plain: dict[tuple, int] = {}
        for i, m in enumerate(self.mentions):
            if any(m.ids.values()):
                continue
            match = matches[i]
            if match.status == "resolved" and not subnational[i]:
                owners = claims.get(match.geonameid, [])  # type: ignore[arg-type]
                if len(owners) == 1:
                    ent = entities[owners[0]]
                    ent.mentions.append(i)
                    ent.reasons.append(f"unique match on name + country"
                                       f"{' + area' if match.area_given else ''} "
                                       f"(GeoNames {match.geonameid}) with an identified place")
                    continue
                key: tuple = ("gid", match.geonameid, len(owners) > 1)
                reason = f"same GeoNames place {match.geonameid} ({match.how})"
            elif subnational[i]:
                admin = self._admin(m)
                key = ("admin", admin.country.iso2, admin.code) if admin else (
                    "admin?", name_key(m.name), name_key(m.country))
                reason = "same admin area"
            else:
                cc = match.country.iso2 if match.country else ""
                base = name_key(match.base or m.name)
                area = name_key(match.area_given or m.area or "")
                coords = (round(m.lat, 2), round(m.lon, 2)) if m.lat is not None and \
                    m.lon is not None else None
                loose = match.status in ("ambiguous", "unknown-country") and not area \
                    and coords is None
                key = ("name", cc, base, area, coords, m.context if loose else "")
                reason = "same name, country and area" if area else "same name and country"
            n = plain.get(key)
            if n is None:
                entities.append(_Entity())
                n = plain[key] = len(entities) - 1
            ent = entities[n]
            ent.mentions.append(i)
            if len(ent.mentions) > 1 and spelling(m) != spelling(self.mentions[ent.mentions[0]]):
                ent.reasons.append(reason)
        return entities

    # -- nodes ---------------------------------------------------------------------------------
    def _city_node(self, m: PlaceMention, match: CityMatch, ent: _Entity,
                   contested: bool) -> tuple[str, dict]:
        props: dict[str, Any] = {}
        if ent.ids.get("wikidata"):
            props["wikidata"] = ent.ids["wikidata"]
        if ent.ids.get("own"):
            props["source_id"] = ent.ids["own"]
        if match.status == "resolved" and not contested:
            assert match.country is not None
            props.update(country=match.country.iso2, lat=match.lat, lon=match.lon,
                         population=match.population, geonameid=match.geonameid,
                         region=match.country.m49_region,
                         subregion=match.country.subregion or None,
                         admin1=match.admin1 or None, admin1_name=match.admin1_name,
                         admin2_name=match.admin2_name, resolution="resolved",
                         resolution_note=match.how)
            return match.node_id, {"label": NodeLabel.CITY, "name": match.name or m.name,
                                   "source": f"loaded from {m.file}", "props": props}
        status = "conflict" if contested else match.status
        note = (f"GeoNames place {match.geonameid} ({match.name}) is matched by several places "
                "of this file with different identifiers; none is given its data"
                if contested else match.how)
        props.update(resolution=status, resolution_note=note,
                     candidates=match.candidates or None, name_as_given=m.name,
                     country_as_given=m.country or None, area_as_given=m.area or None)
        if m.lat is not None and m.lon is not None:
            props.update(lat=m.lat, lon=m.lon)
        if match.country is not None:
            props.update(country=match.country.iso2, region=match.country.m49_region,
                         subregion=match.country.subregion or None)
        base = match.node_id if not contested else \
            f"city:{match.country.iso2.lower() if match.country else 'unknown'}:" \
            f"{slugify(match.name or m.name)}"
        suffix = _id_suffix(ent.ids)
        if suffix:
            node_id = f"{base}-{suffix}"
        elif m.lat is not None and m.lon is not None and not match.area_given:
            node_id = f"{base}@{m.lat:.2f},{m.lon:.2f}"
        elif match.status in ("ambiguous", "unknown-country") and not match.area_given \
                and m.context:
            node_id = f"{base}~{m.context}"
        else:
            node_id = base
        name = match.base or m.name
        return node_id, {"label": NodeLabel.CITY, "name": name,
                         "source": f"loaded from {m.file}", "props": props}

    def _subnational_node(self, m: PlaceMention, ent: _Entity) -> tuple[str, dict]:
        admin = self._admin(m)
        props: dict[str, Any] = {}
        if ent.ids.get("wikidata"):
            props["wikidata"] = ent.ids["wikidata"]
        if ent.ids.get("own"):
            props["source_id"] = ent.ids["own"]
        if admin is not None:
            props.update(country=admin.country.iso2, region=admin.country.m49_region,
                         subregion=admin.country.subregion or None, admin1=admin.code,
                         iso3166_2=admin.iso3166_2, kind=admin.kind, resolution="resolved",
                         resolution_note="admin area (GeoNames first-level division)")
            node_id, name = admin.node_id, admin.name
        else:
            try:
                ctry = resolve_country(m.country) if m.country.strip() else None
            except CountryNotFound:
                ctry = None
            if ctry is not None:
                props.update(country=ctry.iso2, region=ctry.m49_region,
                             subregion=ctry.subregion or None)
            props.update(resolution="unresolved", name_as_given=m.name,
                         resolution_note="no first-level admin area of this name in GeoNames")
            cc = ctry.iso2.lower() if ctry else "unknown"
            node_id, name = f"subnational:{cc}:{slugify(m.name)}", m.name
        suffix = _id_suffix(ent.ids) if admin is None else ""
        return (f"{node_id}-{suffix}" if suffix else node_id,
                {"label": NodeLabel.SUBNATIONAL, "name": name, "source": f"loaded from {m.file}",
                 "props": props})

    def details(self) -> dict[str, Any]:
        """What the summary shows: how many resolved, every merge, unresolved examples."""
        matches = list(self._matches.values())
        unresolved = [m for m in matches if m.status != "resolved"]
        return {
            "distinct spellings": len(matches),
            "resolved": sum(1 for m in matches if m.status == "resolved"),
            "with a country": sum(1 for m in matches if m.country is not None),
            "by reason": dict(Counter(m.status for m in unresolved)),
            "merges": self.merges,
            "examples": [f"{m.query} ({m.country_query or 'no country'}): {m.status}: "
                         f"{cut(m.how, 160)}" for m in unresolved[:20]],
        }


def _scheme(keys: list[tuple[str, str]]) -> str:
    return " and ".join(f"{_SCHEME_NAMES.get(s, s)} {v}" for s, v in keys)


_SCHEME_NAMES = {"wikidata": "Wikidata id", "geonames": "GeoNames id", "own": "id"}


def _id_suffix(ids: dict[str, str]) -> str:
    if ids.get("wikidata"):
        return ids["wikidata"].lower()
    if ids.get("geonames"):
        return f"gn{ids['geonames']}"
    if ids.get("own"):
        return f"id-{slugify(ids['own'])}"
    return ""


def _merged_props(mentions: list[PlaceMention], ent: _Entity) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for i in ent.mentions:
        for k, v in mentions[i].props.items():
            if v is not None and v != "":
                out.setdefault(k, v)
    return out
