"""Cell values to property values: lists, JSON lists, empties."""

from __future__ import annotations

import json
import re
import typing
from typing import Any

from partnernet.graph.schema import NodeLabel, RelType
from partnernet.graph.schema.properties import NODE_PROPERTIES, REL_PROPERTIES

__all__ = ["cell_props", "list_fields", "set_direction"]


def list_fields(model: type) -> set[str]:
    """Names of the model's fields whose type is a list (cells split on ``|``)."""
    out = set()
    for name, f in model.model_fields.items():
        ann = f.annotation
        args = typing.get_args(ann) or (ann,)
        if any(typing.get_origin(a) is list for a in args):
            out.add(name)
    return out


_NUMBER = re.compile(r"^-?(0|[1-9]\d{0,15})(\.\d+)?([eE][-+]?\d+)?$")


def infer(s: str) -> Any:
    """Text cell to a value: numbers and ``true``/``false`` are typed, the rest stays text.

    >>> infer("12"), infer("1.5"), infer("true"), infer("01234")
    (12, 1.5, True, '01234')
    """
    if _NUMBER.match(s):
        return json.loads(s)
    if s in ("true", "false"):
        return s == "true"
    return s


def _value(v: Any, is_list: bool) -> Any:
    if isinstance(v, str):
        s = v.strip()
        if s == "":
            return None
        if s.startswith("[") and s.endswith("]"):
            try:
                parsed = json.loads(s)
                if isinstance(parsed, list):
                    return parsed
            except json.JSONDecodeError:
                pass
        if is_list:
            return [p.strip() for p in s.split("|") if p.strip()]
        return infer(s)
    if isinstance(v, float) and v.is_integer() and is_list:
        return [int(v)]
    return [v] if is_list and not isinstance(v, list) else v


def cell_props(row: dict[str, Any], *, exclude: set[str], label: NodeLabel | None = None,
               rtype: RelType | None = None, rename: dict[str, str] | None = None
               ) -> dict[str, Any]:
    """Every column but ``exclude`` as a property; empties dropped, lists split."""
    model = NODE_PROPERTIES[label] if label is not None else REL_PROPERTIES[rtype]  # type: ignore[index]
    lists = list_fields(model)
    out: dict[str, Any] = {}
    for k, v in row.items():
        if k in exclude or k is None:
            continue
        key = (rename or {}).get(k, k)
        val = _value(v, key in lists)
        if val is not None:
            out[key] = val
    return out


def set_direction(props: dict[str, Any], rtype: RelType, declared: bool | None) -> None:
    """Keep a partnership's direction as the file gives it (in place): an explicit
    ``directed`` column wins, else ``declared`` (Gephi's ``Type`` column, or a GraphML/GEXF
    file's default edge type). Only ``directed: true`` is stored (an undirected
    partnership is the default); other relationship types have a direction by schema.

    >>> p = {}; set_direction(p, RelType.PARTNERS_WITH, True); p
    {'directed': True}
    >>> p = {"directed": False}; set_direction(p, RelType.PARTNERS_WITH, True); p
    {}
    """
    if rtype != RelType.PARTNERS_WITH:
        return
    explicit = props.pop("directed", None)
    if isinstance(explicit, str):
        explicit = {"true": True, "false": False, "directed": True,
                    "undirected": False}.get(explicit.strip().lower())
    directed = explicit if isinstance(explicit, bool) else declared
    if directed:
        props["directed"] = True
