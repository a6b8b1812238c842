"""The OpenAPI schema as partnernet publishes it: its error body, and examples."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

__all__ = ["PARAMETER_EXAMPLES", "WITHOUT_EXAMPLE", "openapi_schema"]

#: An example for every query and path parameter of the API, valid for its constraints
#: (Schemathesis sends them; ``tests/api`` checks that every parameter has one) and for an
#: anonymous reader ("Try it out" in /docs): cost parameters reserved to the API token show
#: their defaults, and those without a default value (``pivots``, ``epsilon``) have none.
PARAMETER_EXAMPLES: dict[str, Any] = {
    "a": "Africa", "b": "Latin America and the Caribbean", "by": "region",
    "category": "category:05-private-sector", "color_by": "region", "country": "BR",
    "definition": "g77", "depth": 1, "directed": False, "end": "city:cn:quanzhou",
    "exact": False, "group": "Latin America and the Caribbean",
    "group_by": "region", "group_label": ["Network"],
    "in_region": "Latin America and the Caribbean", "key": "", "kind": ["south-south"],
    "label": "City", "limit": 10, "projection": "partnerships",
    "membership": False, "node": "city:br:maringa", "node_id": "city:br:maringa",
    "offset": 0, "permutations": 1000, "q": "sao",
    "region": "Latin America and the Caribbean", "seed": 0, "seeker": "Maringá",
    "since": "2018", "size_by": "betweenness", "start": "city:br:maringa",
    "today": "2026-11-23", "top": 10, "type": "PARTNERS_WITH", "until": "2026",
    "within": 365,
}

#: Parameters reserved to the API token whose default is "not given": any example would be
#: refused to an anonymous reader trying it.
WITHOUT_EXAMPLE = frozenset({"pivots", "epsilon"})

#: Example answers of the small read routes.
RESPONSE_EXAMPLES: dict[str, Any] = {
    "/health": {"status": "ok", "version": "0.1.0",
                "store": {"kind": "sqlite", "version": "SQLite 3.40.1"}},
    "/stats": {"nodes": {"City": 10350, "Partner": 400}, "relationships": {
        "PARTNERS_WITH": 25298, "MEMBER_OF": 1210}, "total_nodes": 10750,
        "total_relationships": 26508},
}


def _example(name: str, path: str) -> Any:
    if name == "fmt":
        return "html" if path.startswith("/reports") else "graphml"
    if name == "region" and path.startswith("/analyses"):
        return ["Africa"]
    return PARAMETER_EXAMPLES.get(name)


ERROR_SCHEMA = {
    "title": "Error", "type": "object", "required": ["detail"],
    "properties": {
        "detail": {"type": "string", "description": "What went wrong, naming the field"},
        "errors": {"type": "array", "items": {"type": "object"},
                   "description": "One entry per invalid field or refused row"},
        "suggestions": {"type": "array", "items": {"type": "object"},
                        "description": "Close matches for an unknown id or name"},
    },
}


def openapi_schema(app: FastAPI) -> dict:
    """The OpenAPI schema, with partnernet's error body (``detail`` is a sentence, not
    FastAPI's list) for 422, a documented 400, 401, 404 and 503 shape, and an example for
    every parameter (see :data:`PARAMETER_EXAMPLES`)."""
    if app.openapi_schema:
        return app.openapi_schema
    from fastapi.openapi.utils import get_openapi

    schema = get_openapi(title=app.title, version=app.version, description=app.description,
                         routes=app.routes)
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["HTTPValidationError"] = ERROR_SCHEMA
    components["Error"] = ERROR_SCHEMA
    ref = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    for path_name, path in schema.get("paths", {}).items():
        for op in path.values():
            responses = op.setdefault("responses", {})
            codes = [("400", "Malformed request body"),
                     ("401", "Missing or wrong bearer token (also: a cost parameter other "
                             "than its default without the API token)"),
                     ("403", "A cost parameter other than its default, with only the read "
                             "token"),
                     ("404", "Unknown id or name, with close matches"),
                     ("503", "The graph store is unavailable, or too many computations are "
                             "running and waiting (Retry-After says when to retry)")]
            if "requestBody" in op:
                codes.append(("413", "Body larger than the limit; refused before it is read"))
            for code, text in codes:
                entry = responses.setdefault(code, {"description": text})
                entry.setdefault("content", ref["content"])
            for param in op.get("parameters", []):
                example = _example(param["name"], path_name)
                if example is not None:
                    param.setdefault("example", example)
    for path_name, body in RESPONSE_EXAMPLES.items():
        op = schema["paths"][path_name]["get"]
        content = op["responses"]["200"].setdefault("content", {})
        content.setdefault("application/json", {})["example"] = body
    app.openapi_schema = schema
    return schema
