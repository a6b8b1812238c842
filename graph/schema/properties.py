"""Pydantic models that validate the properties of each label and relationship type.

Known properties are typed; other properties are allowed (imports carry their
own attributes) but must be values a property graph can hold: strings, finite
numbers, booleans, or homogeneous lists of those.
"""

from __future__ import annotations

import math
import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from partnernet.graph.schema.labels import NodeLabel, RelType

__all__ = ["NODE_PROPERTIES", "REL_PROPERTIES", "check_value", "DATE_RE"]

DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


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


def check_value(key: str, v: Any) -> Any:
    """Return ``v`` if a property graph can store it, else raise ``ValueError``."""
    if isinstance(v, bool | str | int):
        return v
    if isinstance(v, float):
        if not math.isfinite(v):
            raise ValueError(f"property {key!r}: {v!r} is not a finite number")
        return v
    if isinstance(v, list | tuple):
        kinds = {type(x) for x in v}
        if len(kinds) > 1 or any(not isinstance(x, bool | str | int | float) for x in v):
            raise ValueError(f"property {key!r}: a list must hold values of one simple type")
        for x in v:
            check_value(key, x)
        return list(v)
    raise ValueError(f"property {key!r}: cannot store a value of type {type(v).__name__}")


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
