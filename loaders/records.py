"""Turn raw rows (dicts) into validated records, collecting errors with row and column."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from partnernet.graph.schema import Node, Relationship, SchemaError
from partnernet.loaders.errors import RowError

__all__ = ["make_node", "make_relationship"]


def _errors(exc: Exception, file: str, row: int | None, prefix: str = "") -> list[RowError]:
    if isinstance(exc, ValidationError):
        out = []
        for e in exc.errors():
            loc = [str(x) for x in e["loc"]]
            if loc and loc[0] == "props" and len(loc) > 1:
                loc = loc[1:]
            cause = (e.get("ctx") or {}).get("error")
            msg = e["msg"].removeprefix("Value error, ")
            if not loc and getattr(cause, "key", None):  # a property outside the value domain
                loc, msg = [str(cause.key)], cause.reason
            column = prefix + (loc[0] if loc else "")
            value = e.get("input")
            if value is not None and not isinstance(value, dict | list):
                msg += f" (got {str(value)[:60]!r})"
            out.append(RowError(file, row, column or None, msg))
        return out
    return [RowError(file, row, None, str(exc))]


def make_node(data: dict[str, Any], *, file: str, row: int | None,
              errors: list[RowError]) -> Node | None:
    """Validate ``{id, label, name, source, props}``; on failure append errors, return None."""
    try:
        return Node.model_validate(data)
    except (ValidationError, SchemaError, ValueError, TypeError) as exc:
        errors.extend(_errors(exc, file, row))
        return None


def make_relationship(data: dict[str, Any], *, file: str, row: int | None,
                      errors: list[RowError]) -> Relationship | None:
    """Validate ``{start, type, end, key, props}``; on failure append errors, return None."""
    try:
        return Relationship.model_validate(data)
    except (ValidationError, SchemaError, ValueError, TypeError) as exc:
        errors.extend(_errors(exc, file, row))
        return None
