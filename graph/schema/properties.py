"""Pydantic models that validate the properties of each label and relationship type, and
the one value domain every path shares.

Known properties are typed; other properties are allowed (imports carry their
own attributes) but must be values that every store (SQLite, Neo4j), every export
(JSON, GraphML, GEXF, Gephi CSV) and every report can carry and read back unchanged:

- text: at most :data:`MAX_TEXT` characters, leading and trailing whitespace removed,
  line ends as ``\\n`` (``\\r\\n`` and ``\\r`` become ``\\n``); no control characters but
  tab and newline (and none at all in names, sources, keys and property names), no
  bidirectional overrides or isolates (U+202A-U+202E, U+2066-U+2069: they reorder how a
  name is shown), no lone surrogates and no U+FFFE/U+FFFF (XML cannot carry them);
- integers within 64 bits (Neo4j's range), finite floats, booleans;
- homogeneous lists of those, whose JSON text is at most :data:`MAX_TEXT` characters.
"""

from __future__ import annotations

import json
import math
import re
import typing
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from partnernet.graph.schema.labels import NodeLabel, RelType

__all__ = ["DATE_RE", "INT_MAX", "INT_MIN", "MAX_KEY", "MAX_TEXT", "NODE_PROPERTIES",
           "REL_PROPERTIES", "PropertyError", "check_key", "check_text", "check_value",
           "text_fields", "PARTNERSHIP_KINDS"]

DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")

#: The longest text a property value may hold, in characters (a list: its JSON text).
MAX_TEXT = 100_000
#: The longest property name.
MAX_KEY = 200
#: Integers are 64-bit signed, as Neo4j stores them.
INT_MIN, INT_MAX = -(2**63), 2**63 - 1

_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# C0 and C1 controls but tab and newline, DEL, surrogates, the two XML non-characters
_BAD_TEXT = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff{_BIDI}]")
_BAD_LINE = re.compile(f"[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff{_BIDI}]")


def _describe(ch: str) -> str:
    import unicodedata

    code = f"U+{ord(ch):04X}"
    if ch in _BIDI:
        return f"the bidirectional control {code} ({unicodedata.name(ch)})"
    if "\ud800" <= ch <= "\udfff":
        return f"the lone surrogate {code}"
    if ch in "\ufffe\uffff":
        return f"the non-character {code}"
    return f"the control character {code}"


def check_text(value: str, *, multiline: bool = True) -> str:
    """``value`` with line ends as ``\\n`` and outer whitespace removed; ``ValueError``
    naming the first character no store, export or report can carry.

    ``multiline`` allows tab and newline (text properties); names, sources, keys and
    property names allow no control character at all.

    >>> check_text("  Lyon\\r\\nFrance ")
    'Lyon\\nFrance'
    >>> check_text("Evil\\u0001Partner")
    Traceback (most recent call last):
    ...
    ValueError: the control character U+0001 at position 5 is not allowed (tab and newline are)
    >>> check_text("abc\\u202egpj.exe", multiline=False)
    Traceback (most recent call last):
    ...
    ValueError: the bidirectional control U+202E (RIGHT-TO-LEFT OVERRIDE) at position 4 is \
not allowed (it changes how the text is shown)
    """
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = value.strip()
    bad = (_BAD_TEXT if multiline else _BAD_LINE).search(value)
    if bad:
        ch = bad.group()
        why = ("it changes how the text is shown" if ch in _BIDI else
               "tab and newline are" if multiline else "this text is one line")
        raise ValueError(f"{_describe(ch)} at position {bad.start() + 1} is not allowed "
                         f"({why})")
    return value


class PropertyError(ValueError):
    """A property value or name outside the domain; ``key`` names the property."""

    def __init__(self, key: str, message: str):
        super().__init__(f"property {str(key)[:60]!r}: {message}")
        self.key, self.reason = key, message


def check_key(key: Any) -> str:
    """A property name: non-empty text of at most :data:`MAX_KEY` characters, not starting
    with ``_``, with no control characters."""
    if not isinstance(key, str) or not key.strip() or key.startswith("_"):
        raise PropertyError(str(key), "this property name is not allowed (empty or starting "
                            "with '_')")
    if len(key) > MAX_KEY:
        raise PropertyError(key, f"a property name has at most {MAX_KEY} characters")
    try:
        check_text(key, multiline=False)
    except ValueError as exc:
        raise PropertyError(key, f"in the property name, {exc}") from None
    return key


def _date(v: Any) -> Any:
    if v is None or v == "":
        return None
    if isinstance(v, int) and 1000 <= v <= 9999:
        return str(v)
    s = str(v).strip()
    if hasattr(v, "isoformat"):
        s = v.isoformat()[:10]
    if not DATE_RE.match(s):
        raise ValueError(f"expected a date as YYYY, YYYY-MM or YYYY-MM-DD, got {v!r}")
    return s


IsoDate = Annotated[str | None, BeforeValidator(_date)]


def check_value(key: str, v: Any, *, _item: bool = False) -> Any:
    """Return ``v`` as every store and export carries it (text cleaned as by
    :func:`check_text`), else raise :class:`PropertyError` (a ``ValueError``) saying why.

    >>> check_value("n", 2**63)
    Traceback (most recent call last):
    ...
    partnernet.graph.schema.properties.PropertyError: property 'n': 9223372036854775808 is \
outside the 64-bit range (-9223372036854775808 to 9223372036854775807)
    >>> check_value("tags", [" a", "b"])
    [' a', 'b']
    """
    if isinstance(v, bool):
        return v
    if isinstance(v, str):
        if _item:  # list items keep their spaces: lists travel as JSON text
            if "\r" in v:
                v = v.replace("\r\n", "\n").replace("\r", "\n")
            bad = _BAD_TEXT.search(v)
            if bad:
                raise PropertyError(key, f"{_describe(bad.group())} is not allowed")
            return v
        if len(v) > MAX_TEXT:
            raise PropertyError(key, f"text of {len(v):,} characters; at most {MAX_TEXT:,} "
                                "are allowed")
        try:
            return check_text(v)
        except ValueError as exc:
            raise PropertyError(key, str(exc)) from None
    if isinstance(v, int):
        if not INT_MIN <= v <= INT_MAX:
            raise PropertyError(key, f"{v} is outside the 64-bit range ({INT_MIN} to "
                                f"{INT_MAX})")
        return v
    if isinstance(v, float):
        if not math.isfinite(v):
            raise PropertyError(key, f"{v!r} is not a finite number")
        return v
    if isinstance(v, list | tuple) and not _item:
        kinds = {type(x) for x in v}
        if len(kinds) > 1 or any(not isinstance(x, bool | str | int | float) for x in v):
            raise PropertyError(key, "a list must hold values of one simple type")
        out = [check_value(key, x, _item=True) for x in v]
        size = len(json.dumps(out, ensure_ascii=False))
        if size > MAX_TEXT:
            raise PropertyError(key, f"a list of {size:,} characters as JSON; at most "
                                f"{MAX_TEXT:,} are allowed")
        return out
    raise PropertyError(key, f"cannot store a value of type {type(v).__name__}")


def text_fields(model: type[BaseModel]) -> frozenset[str]:
    """The model's fields that hold text (``str``, ISO dates, closed sets of words): a cell
    for them is never read as a number.

    >>> sorted(text_fields(NODE_PROPERTIES[NodeLabel.CITY]))
    ['admin1', 'country', 'region', 'source_id', 'subregion', 'wikidata']
    """
    out = set()
    for name, f in model.model_fields.items():
        args = [a for a in (typing.get_args(f.annotation) or (f.annotation,))
                if a is not type(None)]
        if args and all(a is str or (typing.get_origin(a) is Literal
                                     and all(isinstance(x, str) for x in typing.get_args(a)))
                        for a in args):
            out.add(name)
    return frozenset(out)


class _Props(BaseModel):
    model_config = ConfigDict(extra="allow", str_strip_whitespace=True)

    generated: bool | None = Field(default=None, description="True for synthetic sample data")

    @field_validator("*", mode="before")
    @classmethod
    def _empty_is_none(cls, v: Any) -> Any:
        return None if v == "" else v


_QID = r"^Q[1-9][0-9]*$"


def _code_text(v: Any) -> Any:
    """Codes are text: an admin code or a file's id read as a number (``18``) is ``"18"``."""
    return str(v) if isinstance(v, int) and not isinstance(v, bool) else v


CodeText = Annotated[str | None, BeforeValidator(_code_text)]


class CityProps(_Props):
    country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$", description="ISO 3166 alpha-2")
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    population: int | None = Field(default=None, ge=0)
    region: str | None = None
    subregion: str | None = None
    geonameid: int | None = None
    admin1: CodeText = None
    wikidata: str | None = Field(default=None, pattern=_QID, description="Wikidata id (Q...)")
    source_id: CodeText = Field(default=None, description="the id the input file gave it")


class SubnationalProps(CityProps):
    """A state, province, region or canton: first-level admin area (GeoNames admin1)."""

    iso3166_2: str | None = Field(default=None, pattern=r"^[A-Z]{2}-[A-Z0-9]{1,3}$")


class CountryProps(_Props):
    iso2: str = Field(pattern=r"^[A-Z]{2}$")
    iso3: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    m49: int | None = None
    region: str | None = None
    subregion: str | None = None
    g77: bool | None = None
    dac_eligible: bool | None = None
    wb_income: Literal["LIC", "LMC", "UMC", "HIC"] | None = None
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)


class NetworkProps(_Props):
    kind: str | None = None
    founded: IsoDate = None


class PartnerProps(_Props):
    kind: str | None = Field(default=None, description="organisation or individual")
    country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    due_diligence: Literal["done", "pending", "not required"] | None = None
    capacities: list[str] | None = None
    acronym: str | None = None
    wikidata: str | None = Field(default=None, pattern=_QID, description="Wikidata id (Q...)")


class PartnerCategoryProps(_Props):
    number: int = Field(ge=1, le=19)
    roman: str | None = None
    due_diligence_required: bool | None = None
    examples: str | None = None


class FocalUnitProps(_Props):
    kind: str | None = None
    acronym: str | None = None


class CommitteeProps(_Props):
    status: Literal["established", "preparatory"] | None = None


class InitiativeProps(_Props):
    year: int | None = Field(default=None, ge=1900, le=2100)
    status: str | None = None
    kind: str | None = None


class AgreementProps(_Props):
    kind: str | None = None
    start: IsoDate = None
    end: IsoDate = None
    status: Literal["active", "ended", "planned", "terminated"] | None = None
    assessment_submitted: bool | None = None


class EventProps(_Props):
    kind: str | None = None
    year: int | None = None
    recurrence: str | None = None


class DeliverableProps(_Props):
    code: str | None = None
    status: Literal["attained", "in_progress", "not_developed"] | None = None


class CodedProps(_Props):
    code: str | None = None
    number: int | None = None


class SDGProps(_Props):
    number: int = Field(ge=1, le=17)


class DutyProps(_Props):
    due: str | None = Field(default=None, description="annual due date as MM-DD")
    max_pages: int | None = None
    trigger: str | None = None


class CommunicationRuleProps(_Props):
    partner_type: str | None = None
    responsible_office: str | None = None
    drafting: str | None = None
    dispatching: str | None = None
    cc: str | None = None


class MembershipClassProps(_Props):
    count: int | None = Field(default=None, ge=0)
    as_of: IsoDate = None


class RequirementProps(_Props):
    level: str | None = None
    mandatory: bool | None = None
    number: int | None = None


NODE_PROPERTIES: dict[NodeLabel, type[_Props]] = {
    NodeLabel.CITY: CityProps,
    NodeLabel.COUNTRY: CountryProps,
    NodeLabel.NETWORK: NetworkProps,
    NodeLabel.PARTNER: PartnerProps,
    NodeLabel.PARTNER_CATEGORY: PartnerCategoryProps,
    NodeLabel.FOCAL_UNIT: FocalUnitProps,
    NodeLabel.COMMITTEE: CommitteeProps,
    NodeLabel.INITIATIVE: InitiativeProps,
    NodeLabel.AGREEMENT: AgreementProps,
    NodeLabel.EVENT: EventProps,
    NodeLabel.DELIVERABLE: DeliverableProps,
    NodeLabel.ACTION_LINE: CodedProps,
    NodeLabel.MEASURE: CodedProps,
    NodeLabel.THEME: _Props,
    NodeLabel.SDG: SDGProps,
    NodeLabel.CHANNEL: CodedProps,
    NodeLabel.ENTRY_POINT: CodedProps,
    NodeLabel.DUTY: DutyProps,
    NodeLabel.COMMUNICATION_RULE: CommunicationRuleProps,
    NodeLabel.MEMBERSHIP_CLASS: MembershipClassProps,
    NodeLabel.REQUIREMENT: RequirementProps,
    NodeLabel.PILLAR: CodedProps,
    NodeLabel.SUBNATIONAL: SubnationalProps,
}


class _RelProps(_Props):
    source: str | None = Field(default=None, description="where the fact came from")
    weight: float | None = Field(default=None, ge=0)


class MemberOfProps(_RelProps):
    level: str | None = None
    role: str | None = Field(default=None, description="as the membership list names it")
    since: IsoDate = None
    until: IsoDate = None


PartnershipKind = Literal[
    "twinning", "sister-city", "south-south", "triangular", "decentralised",
    "cooperation", "friendship", "mou", "other",
]
#: The partnership kinds, in the order above (what ``--kind`` and ``kind=`` accept).
PARTNERSHIP_KINDS: tuple[str, ...] = typing.get_args(PartnershipKind)


class PartnersWithProps(_RelProps):
    kind: PartnershipKind | None = None
    since: IsoDate = None
    until: IsoDate = None
    sdgs: list[int] | None = None
    self_assessment: str | None = None

    @field_validator("sdgs")
    @classmethod
    def _sdg_range(cls, v: list[int] | None) -> list[int] | None:
        if v is not None and any(not 1 <= x <= 17 for x in v):
            raise ValueError("SDG numbers run from 1 to 17")
        return v


class SitsOnProps(_RelProps):
    role: Literal["chair", "vice-chair", "member", "observer", "secretariat", "lead"] | None = None


class ResponsibleForProps(_RelProps):
    shared: bool | None = None
    role: str | None = None


REL_PROPERTIES: dict[RelType, type[_RelProps]] = {t: _RelProps for t in RelType}
REL_PROPERTIES.update({
    RelType.MEMBER_OF: MemberOfProps,
    RelType.PARTNERS_WITH: PartnersWithProps,
    RelType.SITS_ON: SitsOnProps,
    RelType.RESPONSIBLE_FOR: ResponsibleForProps,
})
