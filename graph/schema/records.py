"""Validated node and relationship records: what loaders produce and stores write."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from partnernet.graph.schema.labels import ENDPOINTS, NodeLabel, RelType
from partnernet.graph.schema.properties import (
    NODE_PROPERTIES,
    REL_PROPERTIES,
    check_key,
    check_text,
    check_value,
)

__all__ = ["Node", "Relationship", "SchemaError", "name_key", "validate_id", "is_node_id",
           "ID_PREFIXES", "RESERVED_KEYS", "RESERVED_REL_KEYS"]

ID_RE = re.compile(r"^[a-z][a-z0-9-]*:[^\s\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
                   r"\ud800-\udfff\ufffe\uffff]{1,240}$")
#: The prefixes of the ids partnernet gives nodes (``city:br:maringa``, ``unit:ers``,
#: ``network:metropolis``): the loaders' short ones and every label's own lower-case name
#: (``focalunit:...``, how an edge list's non-place ends are named).
ID_PREFIXES = frozenset({
    "action-line", "agreement", "category", "channel", "city", "committee", "country",
    "deliverable", "duty", "entry-point", "event", "initiative", "mclass", "measure",
    "network", "partner", "pillar", "requirement", "rule", "sdg", "subnational", "theme",
    "unit", *(label.value.lower() for label in NodeLabel)})
#: Keys a node's ``props`` may not use: they are columns of their own.
RESERVED_KEYS = frozenset({"id", "label", "name", "name_key", "source"})
#: Keys a relationship's ``props`` may not use: its identity and the graph's edge attributes.
RESERVED_REL_KEYS = frozenset({"start", "type", "end", "key", "rel_key"})


class SchemaError(ValueError):
    """A record that the schema refuses (unknown label, bad id, wrong endpoints...)."""


_FOLD = str.maketrans({"ı": "i", "ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d",
                       "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "þ": "th", "Þ": "th",
                       "ð": "d", "Ð": "d", "ħ": "h", "Ħ": "h", "’": "'", "‘": "'"})


def name_key(text: str) -> str:
    """Fold a name for case- and accent-insensitive search.

    >>> name_key("  São   Paulo ")
    'sao paulo'
    >>> name_key("MARINGÁ") == name_key("maringa")
    True
    >>> name_key("Bağcılar"), name_key("Łódź")
    ('bagcilar', 'lodz')
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


def validate_id(value: str) -> str:
    """Check a node id: ``prefix:rest``, lower-case prefix, no whitespace.

    >>> validate_id("city:br:maringa")
    'city:br:maringa'
    """
    if not isinstance(value, str) or not ID_RE.match(value):
        raise SchemaError(
            f"invalid id {value!r}: expected 'prefix:rest' with a lower-case prefix and no "
            "whitespace, e.g. 'city:br:maringa'"
        )
    return value


def is_node_id(value: object) -> bool:
    """Whether a cell holds a partnernet node id (a known prefix, ``:``, no whitespace)
    rather than a name: how an edge list between stored nodes is told from one of names.

    >>> is_node_id("city:fr:paris"), is_node_id("Paris"), is_node_id("wd:Q90")
    (True, False, False)
    """
    if not isinstance(value, str) or not ID_RE.match(value):
        return False
    return value.split(":", 1)[0] in ID_PREFIXES


def _clean_props(model: type[BaseModel], props: dict[str, Any]) -> dict[str, Any]:
    for k in props:
        check_key(k)
    parsed = model.model_validate(props)
    out: dict[str, Any] = {}
    for k, v in parsed.model_dump().items():
        if v is None:
            continue
        v = check_value(k, v)
        if v != "":
            out[k] = v
    return out


def _line(v: str) -> str:
    return check_text(v, multiline=False) if isinstance(v, str) else v


class Node(BaseModel):
    """One node: a stable ``id``, one ``label``, a ``name``, a ``source`` and properties."""

    model_config = ConfigDict(frozen=False, str_strip_whitespace=True)

    id: str
    label: NodeLabel
    name: str = Field(min_length=1, max_length=1000)
    source: str = Field(min_length=1, max_length=2000, description="where the fact came from")
    props: dict[str, Any] = Field(default_factory=dict)

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        return validate_id(v)

    @field_validator("name", "source", mode="before")
    @classmethod
    def _one_line(cls, v: Any) -> Any:
        return _line(v)

    @model_validator(mode="after")
    def _props(self) -> Node:
        bad = RESERVED_KEYS & set(self.props)
        if bad:
            raise ValueError(f"props may not contain {sorted(bad)}")
        self.props = _clean_props(NODE_PROPERTIES[self.label], self.props)
        return self

    def flat(self) -> dict[str, Any]:
        """All properties in one dict, as stored: id, name, source, name_key and props."""
        return {**self.props, "id": self.id, "name": self.name, "source": self.source,
                "name_key": name_key(self.name)}


class Relationship(BaseModel):
    """A typed, directed relationship ``start -[type {key}]-> end`` with properties.

    ``key`` tells apart parallel relationships of one type between the same two
    nodes (for example two agreements); the identity is ``(start, type, end, key)``.
    """

    model_config = ConfigDict(str_strip_whitespace=True)

    start: str
    type: RelType
    end: str
    key: str = Field(default="", max_length=200)
    props: dict[str, Any] = Field(default_factory=dict)

    @field_validator("start", "end")
    @classmethod
    def _ids(cls, v: str) -> str:
        return validate_id(v)

    @field_validator("key", mode="before")
    @classmethod
    def _one_line(cls, v: Any) -> Any:
        return _line(v)

    @model_validator(mode="after")
    def _props(self) -> Relationship:
        bad = RESERVED_REL_KEYS & set(self.props)
        if bad:
            raise ValueError(f"props may not contain {sorted(bad)}")
        self.props = _clean_props(REL_PROPERTIES[self.type], self.props)
        return self

    @property
    def identity(self) -> tuple[str, str, str, str]:
        return (self.start, self.type.value, self.end, self.key)

    def check_endpoints(self, start_label: NodeLabel, end_label: NodeLabel) -> None:
        """Raise :class:`SchemaError` if the schema does not allow these endpoint labels."""
        allowed_start, allowed_end = ENDPOINTS[self.type]
        if start_label not in allowed_start or end_label not in allowed_end:
            raise SchemaError(
                f"{self.type.value} cannot join {start_label.value} -> {end_label.value} "
                f"({self.start} -> {self.end})"
            )


def error_text(exc: ValidationError) -> str:
    """One line per pydantic error: ``field: message``."""
    parts = []
    for e in exc.errors():
        loc = ".".join(str(x) for x in e["loc"]) or "record"
        parts.append(f"{loc}: {e['msg']}")
    return "; ".join(parts)
