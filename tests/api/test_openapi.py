"""Every operation the OpenAPI schema documents answers its own documented example.

The examples are what a reader of /docs tries first ("Try it out"): each one must succeed
with the operation's documented success status, against a store holding the reference
graph and a generated sample. Reads come first, then writes, then deletes (a delete of
the example node would otherwise starve the reads of it).
"""

from __future__ import annotations

import re

from tests.api.conftest import AUTH

ORDER = {"get": 0, "post": 1, "patch": 2, "delete": 3}
UPLOAD = b"id,label,name,source\npartner:openapi-example,Partner,Example partner,test\n"


def _operations(spec: dict) -> list[tuple[str, str, dict]]:
    ops = [(m, p, op) for p, item in spec["paths"].items() for m, op in item.items()]
    # deletes: relationships before the node they hang on (deleting it removes them)
    return sorted(ops, key=lambda x: (ORDER[x[0]], x[1] != "/relationships", x[1]))


def _request(spec: dict, method: str, path: str, op: dict) -> dict:
    url, query = path, {}
    for param in op.get("parameters", []):
        if "example" not in param:  # a cost parameter reserved to the token (pivots)
            continue
        value = param["example"]
        if param["in"] == "path":
            url = url.replace("{" + param["name"] + "}", str(value))
        elif param.get("required") or method == "get":
            query[param["name"]] = value
    kwargs: dict = {"params": query}
    content = op.get("requestBody", {}).get("content", {})
    if "application/json" in content:
        schema = content["application/json"]["schema"]
        ref = (schema.get("$ref") or schema["anyOf"][0]["$ref"]).rsplit("/", 1)[-1]
        kwargs["json"] = spec["components"]["schemas"][ref]["examples"][0]
    elif "multipart/form-data" in content:
        kwargs["files"] = {"file": ("example.csv", UPLOAD, "text/csv")}
    if method != "get":
        kwargs["headers"] = AUTH
    return {"method": method.upper(), "url": url, **kwargs}


def test_every_documented_operation_answers_its_example(client):
    spec = client.get("/openapi.json").json()
    failures = []
    for method, path, op in _operations(spec):
        success = min(int(c) for c in op["responses"] if re.fullmatch(r"2\d\d", c))
        r = client.request(**_request(spec, method, path, op))
        if r.status_code != success:
            failures.append(f"{method.upper()} {path}: {r.status_code} {r.text[:200]}")
    assert failures == []
