"""Request and response models: ``Create``/``Update``/``Public`` and ``{data, count}`` lists."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, field_validator

from partnernet.graph.schema import NodeLabel, RelType

__all__ = ["Health", "MatchRequest", "NodeCreate", "NodeList", "NodePublic", "NodeUpdate",
           "NodeWithNeighbours", "RelationshipCreate", "RelationshipList",
           "RelationshipPublic", "Stats", "WriteResult"]


class NodePublic(BaseModel):
    id: str = Field(examples=["city:br:maringa"])
    label: NodeLabel
    name: str = Field(examples=["Maringá"])
    source: str
    props: dict[str, Any] = Field(default_factory=dict)


class NodeCreate(NodePublic):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": "city:br:maringa", "label": "City", "name": "Maringá",
        "source": "UNGC Cities Programme", "props": {"country": "BR"}}]})


class NodeUpdate(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "props": {"population": 409657, "themes_note": "Smart city strategy 2030"}}]})

    name: str | None = Field(default=None, min_length=1, max_length=1000)
    source: str | None = Field(default=None, min_length=1, max_length=2000)
    props: dict[str, Any] = Field(default_factory=dict,
                                  description="Properties to set (merged into the node's).")


class RelationshipPublic(BaseModel):
    start: str = Field(examples=["city:br:maringa"])
    type: RelType
    end: str = Field(examples=["network:ungc-cities-programme"])
    key: str = ""
    props: dict[str, Any] = Field(default_factory=dict)


class RelationshipCreate(RelationshipPublic):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "start": "city:br:maringa", "type": "PARTNERS_WITH", "end": "city:cn:quanzhou",
        "props": {"kind": "twinning", "since": "2019", "source": "city council decision"}}]})


class NodeList(BaseModel):
    data: list[NodePublic]
    count: int = Field(description="Total number of matches (all pages)")


class RelationshipList(BaseModel):
    data: list[RelationshipPublic]
    count: int


class Neighbour(BaseModel):
    direction: Literal["out", "in"]
    relationship: RelationshipPublic
    node: NodePublic


class NodeWithNeighbours(NodePublic):
    neighbours: list[Neighbour]


class WriteResult(BaseModel):
    nodes: dict[str, int]
    relationships: dict[str, int]
    dry_run: bool = False
    notes: list[str] = Field(default_factory=list, description=(
        "What a load decided and why (merges, folded ties, unknown countries loaded with "
        "unknown_countries=warn...): the first 50, then how many more"))


class Health(BaseModel):
    status: Literal["ok", "unavailable"]
    store: dict[str, Any]
    version: str
    detail: str | None = None


class Stats(BaseModel):
    nodes: dict[str, int]
    relationships: dict[str, int]
    total_nodes: int
    total_relationships: int
    cache: dict[str, Any] | None = Field(
        default=None, description="The analysis cache: snapshot in use, entries and bytes "
        "in memory against their limits, hits, misses, results found on disk, evictions, "
        "reloads and failed reloads (with the last failure), and the results file.")
    computations: dict[str, Any] | None = Field(
        default=None, description="Where the computations of the worker that answered "
        "(`worker`: its process id; each worker counts its own) run ('process': in "
        "computation processes of their own; 'thread': in the worker), how many processes, "
        "jobs done and failed, processes replaced after ending, and why the worker computes "
        "in its threads if it fell back to them.")


SdgNumber = Annotated[int, Field(ge=1, le=17)]


class MatchRequest(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "seeker": "Maringá", "sdgs": [11], "themes": ["Smart city"], "south_south": True,
        "top": 5}]})

    seeker: str = Field(min_length=1, max_length=300, description="Name or id of the seeker")
    themes: list[str] = Field(default_factory=list, max_length=20)
    sdgs: list[SdgNumber] = Field(default_factory=list, max_length=17)

    @field_validator("sdgs", mode="before")
    @classmethod
    def _json_integers(cls, v: Any) -> Any:
        """JSON integers only: ``3`` and ``3.0`` yes, ``true`` or ``"3"`` no."""
        if isinstance(v, list):
            for x in v:
                if isinstance(x, bool) or not isinstance(x, int | float):
                    raise ValueError("SDG numbers are whole numbers from 1 to 17")
        return v
    category: str | None = Field(default=None, max_length=200)
    south_south: StrictBool = Field(default=False, description="A partner in the Global "
                                    "South is a need: Southern candidates first")
    include_cities: StrictBool = Field(default=True, description="false: only partners and "
                                       "networks")
    top: int = Field(default=10, ge=1, le=200)
    definition: Literal["g77", "dac", "wb-income"] | None = None
