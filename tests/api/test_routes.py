"""Every route of the API, on both stores, with its error cases (status code and detail)."""

from __future__ import annotations

import io
import json

import pytest
from openpyxl import load_workbook

from partnernet.api.openapi import WITHOUT_EXAMPLE
from tests.api.conftest import AUTH

XSS = "<img src=x onerror=alert(1)>"


def test_health_and_stats(client):
    h = client.get("/health")
    assert h.status_code == 200 and h.json()["status"] == "ok"
    assert h.json()["store"]["kind"] in ("sqlite", "neo4j")
    s = client.get("/stats").json()
    assert s["nodes"]["PartnerCategory"] == 19 and s["total_nodes"] > 300


def test_list_filter_search_and_pages(client):
    r = client.get("/nodes", params={"label": "PartnerCategory", "limit": 5})
    assert r.status_code == 200 and r.json()["count"] == 19 and len(r.json()["data"]) == 5
    assert client.get("/nodes", params={"q": "MARINGA"}).json()["data"][0]["id"] == \
        "city:br:maringa"
    br = client.get("/nodes", params={"label": "City", "country": "br"}).json()
    assert br["count"] >= 1 and all(n["props"]["country"] == "BR" for n in br["data"])
    priv = client.get("/nodes", params={"category": "category:05-private-sector"}).json()
    assert any(n["id"] == "partner:chamber-of-commerce-iran" for n in priv["data"])
    asia = client.get("/nodes", params={"label": "City", "region": "Asia"}).json()
    assert asia["count"] >= 1
    bad = client.get("/nodes", params={"limit": 0})
    assert bad.status_code == 422 and "limit" in bad.json()["detail"]
    assert client.get("/nodes", params={"label": "Castle"}).status_code == 422


def test_one_node_with_neighbours_and_404_suggestions(client):
    r = client.get("/nodes/city:br:maringa").json()
    assert r["name"] == "Maringá"
    assert any(n["node"]["id"] == "network:ungc-cities-programme" for n in r["neighbours"])
    miss = client.get("/nodes/city:br:maringaa")
    assert miss.status_code == 404
    assert miss.json()["suggestions"][0]["id"] == "city:br:maringa"


def test_writes_need_the_token(client):
    node = {"id": "city:xx:test", "label": "City", "name": XSS, "source": "test"}
    assert client.post("/nodes", json=node).status_code == 401
    wrong = client.post("/nodes", json=node, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401 and wrong.json()["detail"] == "missing or wrong bearer token"
    ok = client.post("/nodes", json=node, headers=AUTH)
    assert ok.status_code == 201 and ok.json()["nodes"]["created"] == 1
    assert client.get("/nodes/city:xx:test").json()["name"] == XSS  # stored as data
    up = client.patch("/nodes/city:xx:test", json={"props": {"population": 5}}, headers=AUTH)
    assert up.status_code == 200 and up.json()["nodes"]["updated"] == 1
    assert client.patch("/nodes/city:xx:nope", json={}, headers=AUTH).status_code == 404
    bad = client.patch("/nodes/city:xx:test", json={"props": {"population": -1}},
                       headers=AUTH)
    assert bad.status_code == 422 and "population" in bad.json()["detail"]
    assert client.delete("/nodes/city:xx:test").status_code == 401
    assert client.delete("/nodes/city:xx:test", headers=AUTH).status_code == 204
    assert client.delete("/nodes/city:xx:test", headers=AUTH).status_code == 404


def test_create_invalid_node_names_the_field(client):
    r = client.post("/nodes", json={"id": "not an id", "label": "City", "name": "x",
                                    "source": "t"}, headers=AUTH)
    assert r.status_code == 422 and "id" in r.json()["detail"]
    r = client.post("/nodes", json={"id": "city:x:y", "label": "Castle", "name": "x",
                                    "source": "t"}, headers=AUTH)
    assert r.status_code == 422 and "label" in r.json()["detail"]


def test_relationships(client):
    lst = client.get("/relationships", params={"type": "IN_CATEGORY", "limit": 3}).json()
    assert lst["count"] >= 8 and len(lst["data"]) == 3
    rel = {"start": "city:br:maringa", "type": "PARTNERS_WITH", "end": "city:cn:quanzhou",
           "props": {"kind": "twinning"}}
    assert client.post("/relationships", json=rel).status_code == 401
    assert client.post("/relationships", json=rel, headers=AUTH).status_code == 201
    touching = client.get("/relationships", params={"node": "city:br:maringa"}).json()
    assert any(r["end"] == "city:cn:quanzhou" for r in touching["data"])
    missing = dict(rel, end="city:zz:nowhere")
    r = client.post("/relationships", json=missing, headers=AUTH)
    assert r.status_code == 422 and "city:zz:nowhere" in r.json()["detail"]
    params = {"start": "city:br:maringa", "type": "PARTNERS_WITH", "end": "city:cn:quanzhou"}
    assert client.delete("/relationships", params=params).status_code == 401
    assert client.delete("/relationships", params=params, headers=AUTH).status_code == 204
    assert client.delete("/relationships", params=params, headers=AUTH).status_code == 404


@pytest.mark.parametrize("path, params", [
    ("/analyses/brokers", {"top": 5, "pivots": 20, "group_by": "bloc"}),
    ("/analyses/brokers", {"exact": True, "kind": ["twinning", "cooperation"]}),
    ("/analyses/south-south", {"definition": "dac", "permutations": 50, "top": 5}),
    ("/analyses/focal-units", {"today": "2026-11-22"}),
    ("/analyses/deliverables", {}),
    ("/analyses/communities", {"seed": 1}),
    ("/analyses/recognitions", {"within": 100}),
])
def test_analyses_are_valid_json_without_nan(client, path, params):
    # with the token: pivots, exact, permutations and seed other than their defaults are
    # reserved to it (tests/api/test_limits.py)
    r = client.get(path, params=params, headers=AUTH)
    assert r.status_code == 200
    json.loads(r.text, parse_constant=lambda c: pytest.fail(f"{c} in JSON"))


def test_analysis_errors(client):
    assert client.get("/analyses/brokers", params={"top": 0}).status_code == 422
    assert client.get("/analyses/south-south",
                      params={"definition": "nordic"}).status_code == 422
    r = client.get("/analyses/brokers", params={"since": "last year"})
    assert r.status_code == 422 and "since" in r.json()["detail"]


def test_match(client):
    r = client.post("/match", json={"seeker": "Maringá", "sdgs": [11], "south_south": True,
                                    "top": 3})
    assert r.status_code == 200
    cands = r.json()["candidates"]
    assert len(cands) == 3 and all(c["reasons"] and c["contact_focal_units"] for c in cands)
    miss = client.post("/match", json={"seeker": "Maringaa"})
    assert miss.status_code == 404 and miss.json()["suggestions"]
    assert client.post("/match", json={"seeker": "Maringá", "top": 0}).status_code == 422
    assert client.post("/match", json={"seeker": "Maringá",
                                       "sdgs": ["eleven"]}).status_code == 422


def test_views_are_offline_and_escaped(client):
    client.post("/nodes", json={"id": "city:br:xss", "label": "City", "name": XSS,
                                "source": "t", "props": {"country": "BR"}}, headers=AUTH)
    client.post("/relationships", json={"start": "city:br:xss", "type": "PARTNERS_WITH",
                                         "end": "city:br:maringa"}, headers=AUTH)
    index = client.get("/views")
    assert index.status_code == 200 and "/views/network" in index.text
    for url in ("/views/network?color_by=bloc&size_by=betweenness",
                "/views/network?color_by=label", "/views/ego/city:br:maringa?depth=1",
                "/views/ego/network:metropolis?depth=1",
                "/views/corridor?a=Asia&b=Europe"):
        r = client.get(url)
        assert r.status_code == 200, url
        csp = r.headers["content-security-policy"]
        assert "script-src 'nonce-" in csp and "connect-src 'none'" in csp
        assert "http://" not in r.text.split("<script")[0] and "https://cdn" not in r.text
        assert XSS not in r.text  # only ever as escaped JSON
    assert client.get("/views/ego/city:br:nowhere").status_code == 404
    assert client.get("/views/network?color_by=shoe").status_code == 422


@pytest.mark.parametrize("fmt", ["html", "md", "xlsx", "pdf"])
def test_reports(client, fmt):
    r = client.get(f"/reports/network.{fmt}", params={"seeker": "Maringá"})
    assert r.status_code == 200
    if fmt == "md":
        assert "Global South: Group of 77" in r.text and "Data snapshot" in r.text
    if fmt == "xlsx":
        wb = load_workbook(io.BytesIO(r.content))
        assert {"About", "Brokers", "Missing links", "Focal units"} <= set(wb.sheetnames)
    if fmt == "pdf":
        assert r.content.startswith(b"%PDF")
    if fmt == "html":
        assert "partnernet" in r.text and "Recommended partners" in r.text
        csp = r.headers["content-security-policy"]
        assert "script-src" not in csp and "nonce-none" not in csp  # the report runs no script
        assert "default-src 'none'" in csp and "<script" not in r.text


def test_explorer_data_is_bounded(client):
    page = client.get("/explore")
    assert page.status_code == 200 and "nonce-" in page.headers["content-security-policy"]
    assert client.get("/", follow_redirects=False).headers["location"] == "/explore"
    assert client.get("/explore/assets/explorer.js").status_code == 200
    assert client.get("/explore/assets/..%2Fexplorer.py").status_code == 404
    hits = client.get("/explore/search", params={"q": "MARINGA"}).json()["data"]
    assert hits[0]["id"] == "city:br:maringa"  # accent- and case-insensitive, exact first
    assert client.get("/explore/search", params={"q": "zzqx"}).json()["note"]
    nb = client.get("/explore/neighbourhood/network:metropolis", params={"limit": 5}).json()
    assert nb["capped"] and nb["shown"] == 5 and len(nb["nodes"]) == 6
    assert "of" in nb["note"] and "Raise the limit" in nb["note"]
    assert client.get("/explore/neighbourhood/network:metropolis",
                      params={"limit": 100_000}).status_code == 422
    assert client.get("/explore/neighbourhood/city:br:nowhere").status_code == 404
    node = client.get("/explore/node/partner:unossc").json()
    assert node["focal_units"]["focal_units"]  # the unit responsible, with the routing
    agg = client.get("/explore/aggregate").json()
    assert {n["name"] for n in agg["nodes"]} >= {"Europe", "Asia"}
    assert all(e["weight"] > 0 for e in agg["edges"])
    countries = client.get("/explore/aggregate", params={
        "by": "country", "in_region": "Latin America and the Caribbean"}).json()
    assert any(n["key"] == "BR" for n in countries["nodes"])
    members = client.get("/explore/members", params={"by": "country", "group": "BR",
                                                     "limit": 3}).json()
    assert len(members["nodes"]) <= 3 and members["total"] >= len(members["nodes"])
    assert client.get("/explore/members", params={"group": "Atlantis"}).status_code == 404
    m = client.get("/explore/map").json()
    assert len(m["ids"]) == len(m["lat"]) == m["shown"] and m["ties"]
    facets = client.get("/explore/facets").json()
    assert "Africa" in facets["regions"] and facets["sdgs"] and facets["networks"]


def test_report_formula_cells_neutralised(client):
    client.post("/nodes", json={"id": "partner:evil", "label": "Partner",
                                "name": "=HYPERLINK(\"http://x\")", "source": "t"},
                headers=AUTH)
    client.post("/relationships", json={"start": "partner:evil", "type": "PARTNERS_WITH",
                                         "end": "city:br:maringa"}, headers=AUTH)
    r = client.get("/exports/gephi-csv")
    import zipfile

    nodes = zipfile.ZipFile(io.BytesIO(r.content)).read("nodes.csv").decode()
    assert "'=HYPERLINK" in nodes


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "gephi-csv", "json"])
def test_exports(client, fmt):
    r = client.get(f"/exports/{fmt}")
    assert r.status_code == 200 and len(r.content) > 1000
    assert client.get("/exports/dot").status_code == 422


def test_uploads(client):
    csv = b"id,label,name,source\ncity:zz:upload,City,Uploaded,test\n"
    files = {"file": ("n.csv", csv, "text/csv")}
    assert client.post("/loads", files=files).status_code == 401
    ok = client.post("/loads", files=files, headers=AUTH)
    assert ok.status_code == 200 and ok.json()["nodes"]["created"] == 1
    again = client.post("/loads", files=files, headers=AUTH)
    assert again.json()["nodes"]["unchanged"] == 1
    bad = client.post("/loads", files={"file": ("b.csv", b"id,label,name\ncity:q,City,\n",
                                                 "text/csv")}, headers=AUTH)
    assert bad.status_code == 422
    assert bad.json()["errors"][0] == {"file": "b.csv", "row": 2, "column": "name",
                                       "message": bad.json()["errors"][0]["message"]}
    huge = {"file": ("h.csv", b"x" * (21 * 1024 * 1024), "text/csv")}
    assert client.post("/loads", files=huge, headers=AUTH).status_code == 413
    exe = {"file": ("x.exe", b"MZ", "application/octet-stream")}
    assert client.post("/loads", files=exe, headers=AUTH).status_code == 422


def test_an_upload_with_an_unknown_country_is_refused_or_loaded_with_a_warning(client):
    # the CLI's --unknown-countries warn, on the API (issue 11: a pair list with the twin-town
    # file's typo "Japa" was refusable only)
    pairs = b"city1,country1,city2,country2\nLyon,France,Nagoya,Japa\n"
    files = {"file": ("p.csv", pairs, "text/csv")}
    refused = client.post("/loads", files=files, headers=AUTH)
    assert refused.status_code == 422 and refused.json()["errors"][0]["column"] == "country2"
    warned = client.post("/loads", files=files, data={"unknown_countries": "warn"},
                         headers=AUTH)
    assert warned.status_code == 200, warned.text[:300]
    assert warned.json()["relationships"]["created"] == 1
    assert any("Japa" in n for n in warned.json()["notes"]), warned.json()["notes"]
    wrong = client.post("/loads", files=files, data={"unknown_countries": "ignore"},
                        headers=AUTH)
    assert wrong.status_code == 422 and "warn" in wrong.text


def test_path_traversal_in_file_names(client, tmp_path, monkeypatch):
    # upload names: only the last part, in safe characters, inside a temporary directory
    monkeypatch.chdir(tmp_path)
    for name in ("../../evil.csv", "..\\..\\evil.csv", "/etc/evil.csv", "....//evil.csv"):
        r = client.post("/loads", headers=AUTH, files={"file": (
            name, b"id,label,name\ncity:q,City,\n", "text/csv")})
        assert r.status_code == 422 and r.json()["errors"][0]["file"] == "evil.csv", name
    assert not list(tmp_path.rglob("evil.csv"))
    assert not (tmp_path.parent.parent / "evil.csv").exists()
    # report and export names are fixed by the route; anything else is not a route
    for path in ("/reports/network.html/../../etc/passwd", "/reports/..%2F..%2Fetc%2Fpasswd",
                 "/exports/..%2F..%2Fetc%2Fpasswd", "/exports/graphml%00.txt",
                 "/reports/network.%2e%2e"):
        assert client.get(path).status_code in (404, 422), path
    r = client.get("/exports/graphml")
    assert r.headers["content-disposition"] == 'attachment; filename="partnernet.graphml"'


def _walk(schema):
    """Every sub-schema of ``schema`` (anyOf/items), itself included."""
    yield schema
    for part in schema.get("anyOf", []) + ([schema["items"]] if "items" in schema else []):
        yield from _walk(part)


def test_parameter_examples_are_accepted(client):
    # the published examples are valid requests: each read route answers 200 with them
    spec = client.get("/openapi.json").json()
    for path in ("/nodes/{node_id}", "/analyses/brokers", "/relationships"):
        op = spec["paths"][path]["get"]
        url = path.replace("{node_id}", "city:br:maringa")
        query = {p["name"]: p["example"] for p in op["parameters"]
                 if p["in"] == "query" and "example" in p}
        assert client.get(url, params=query).status_code == 200, (path, query)  # anonymous


def test_docs_work_offline(client):
    # rendered and used in Chromium: tests/visualisations/test_browser.py
    for page, asset in (("/docs", "swagger-ui-bundle.js"), ("/redoc", "redoc.standalone.js")):
        r = client.get(page)
        assert r.status_code == 200 and f"/docs-assets/{asset}" in r.text
        assert "cdn" not in r.text.lower() and "nonce-" in r.headers["content-security-policy"]
        js = client.get(f"/docs-assets/{asset}")
        assert js.status_code == 200 and "cdn.redoc.ly" not in js.text


def test_every_route_is_documented(client):
    spec = client.get("/openapi.json").json()
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            assert op.get("summary"), f"{method} {path} has no summary"
            assert op.get("description"), f"{method} {path} has no description"
            for param in op.get("parameters", []):
                if param["name"] in WITHOUT_EXAMPLE:  # reserved to the token, default unset
                    continue
                assert "example" in param, f"{method} {path}: {param['name']} has no example"
            body = op.get("requestBody", {}).get("content", {}).get("application/json")
            if body:
                refs = [x["$ref"] for x in _walk(body["schema"]) if "$ref" in x]
                names = [r.rsplit("/", 1)[-1] for r in refs]
                assert names and all("examples" in spec["components"]["schemas"][n]
                                     for n in names), f"{method} {path}: body without example"
    # that every documented operation also answers its own example: test_openapi.py
