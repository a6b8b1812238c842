"""The API takes countries in any spelling and gives cities their gazetteer data, like every
loader. Expected values: GeoNames (Curitiba, 3464975) and the countries table."""

from __future__ import annotations

from tests.api.conftest import AUTH


def test_created_city_gets_country_code_and_gazetteer_data(client):
    r = client.post("/nodes", json={"id": "city:br:curitiba", "label": "City",
                                    "name": "Curitiba", "source": "t",
                                    "props": {"country": "Brasil"}}, headers=AUTH)
    assert r.status_code == 201, r.text
    props = client.get("/nodes/city:br:curitiba").json()["props"]
    assert (props["country"], props["region"], props["geonameid"]) == (
        "BR", "Latin America and the Caribbean", 3464975)
    patched = client.patch("/nodes/city:br:curitiba", json={"props": {"country": "BRA"}},
                           headers=AUTH)
    assert patched.status_code == 200
    assert client.get("/nodes/city:br:curitiba").json()["props"]["country"] == "BR"


def test_unknown_country_is_refused_naming_the_field(client):
    r = client.post("/nodes", json={"id": "city:xx:a", "label": "City", "name": "A",
                                    "source": "t", "props": {"country": "Atlantis"}},
                    headers=AUTH)
    assert r.status_code == 422
    assert r.json()["detail"].startswith("item 1, props.country: unknown country 'Atlantis'")


def test_node_filter_takes_any_country_spelling(client):
    codes = {c: client.get("/nodes", params={"label": "City", "country": c}).json()["count"]
             for c in ("br", "BRA", "Brazil", "Brésil", "076")}
    assert len(set(codes.values())) == 1 and codes["br"] >= 1
    bad = client.get("/nodes", params={"country": "Brazill"})
    assert bad.status_code == 404
    assert bad.json()["suggestions"] == [{"id": "country:br", "name": "Brazil",
                                          "label": "Country"}]
