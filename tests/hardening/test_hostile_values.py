"""Hostile values through every path (issue 14, point 4): Hypothesis generates records whose
names, property names and values sit on and beyond the edges of the value domain (control
characters, bidirectional overrides, surrogates, integers past 64 bits, text past 100,000
characters, numbers written as text, formula-like text, JSON-looking text, names the export
formats use themselves), loads them as JSON into SQLite and Neo4j, and checks:

- both stores give the same answer: the same refusal, or the same graph;
- a refusal names the file, the row and the column, and writes nothing;
- a clean load goes out in every export format and comes back unchanged: into a fresh
  store (the same graph, types included) and into the store it came from (nothing changes).

Plus the API: the same values through ``POST /nodes`` are a 422 naming the field on both
stores (an integer beyond 64 bits was a 500 on Neo4j), and a report is never broken by them.
"""

from __future__ import annotations

import json
import math

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, event, given, note, settings
from hypothesis import strategies as st
from pydantic import SecretStr

from partnernet.api.main import create_app
from partnernet.graph.store.neo4j import Neo4jStore
from partnernet.graph.store.sqlite import SQLiteStore
from partnernet.loaders.errors import LoadErrors
from partnernet.loaders.export import export_graph, graph_to_json
from partnernet.loaders.load import load_files
from partnernet.settings import Settings
from tests.conftest import wipe_neo4j

FORMATS = ["json", "graphml", "gexf", "gephi-csv"]
TOKEN = "hostile-token-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}

hostile_text = st.sampled_from([
    "Evil\x01Partner", "nul\x00", "bell\x07", "del\x7f", "c1\x85", "rlo\u202egpj.exe",
    "isolate\u2066x\u2069", "lone \ud800", "non\ufffechar", "tab\tnewline\nok",
    "crlf\r\nline", "x" * 100_001, "x" * 100_000,
])
lookalike = st.sampled_from([
    "13", "-0", "0", "01", "-0.1852", "1e5", "1e400", "true", "false", "[1, 2]", '["a"]',
    "[]", "[[1]]", "'=x", "''", "'", "=1+1", "+33 1 23", "@sum", "-", "2019", "2019-05-01",
    "  padded  ", "", " ", "null", "NaN", "a|b", "\u00a0nbsp\u00a0", "é", "Zürich 泉州",
])
plain_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)
scalar = st.one_of(
    plain_text, lookalike, hostile_text,
    st.integers(-(2**64), 2**64), st.sampled_from([2**63 - 1, -(2**63), 2**63, -(2**63) - 1]),
    st.floats(allow_nan=False, allow_infinity=False), st.sampled_from([-0.0, 1e300, 5e-324]),
    st.booleans())
homogeneous = st.one_of(st.lists(st.one_of(plain_text, lookalike), max_size=4),
                        st.lists(st.integers(-(2**63), 2**63 - 1), max_size=4),
                        st.lists(st.floats(allow_nan=False, allow_infinity=False), max_size=3),
                        st.lists(st.booleans(), max_size=3))
value = st.one_of(scalar, scalar, homogeneous, st.lists(scalar, max_size=3))
key = st.one_of(
    st.sampled_from(["note", "year", "postcode", "tags", "admin1", "population", "since",
                     "weight", "kind", "sdgs", "type", "label", "Label", "Id", "id", "start",
                     "end", "category", "Category", "node_label", "rel_type", "rel_key",
                     "timeset", "pid", "x:int", "postcode:text", "Weight", "Source", "source",
                     "name", "key", "bad\x01key", "_hidden", "a" * 201]),
    st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=12))
props = st.dictionaries(key, value, max_size=5)

# values inside the domain that exports could still mistake for another kind, under names
# the export formats use themselves: half the records are only these (clean loads)
safe_text = st.one_of(st.text(st.characters(exclude_categories=("Cs", "Cc"),
                                            exclude_characters="\u202a\u202b\u202c\u202d"
                                            "\u202e\u2066\u2067\u2068\u2069\ufffe\uffff"),
                              max_size=30),
                      lookalike, st.sampled_from(["tab\tnewline\nok", "crlf\r\nline",
                                                  "x" * 100_000]))
safe_value = st.one_of(
    safe_text, safe_text, st.integers(-(2**63), 2**63 - 1), st.booleans(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.lists(safe_text, max_size=4), st.lists(st.integers(-(2**63), 2**63 - 1), max_size=3),
    st.lists(st.floats(allow_nan=False, allow_infinity=False), max_size=3),
    st.lists(st.booleans(), max_size=3))
shared_keys = ["note", "year", "postcode", "tags", "kind:text", "category", "Category",
               "node_label", "rel_type", "timeset", "pid", "x:int", "postcode:text", "Weight",
               "Source", "Target", "Id", "Label", "viz", "spells", "interval", "Type", "x:int:int"]
safe_node_props = st.dictionaries(st.sampled_from([*shared_keys, "start", "end", "type",
                                                   "rel_key", "key", "weight"]),
                                  safe_value, max_size=6)
safe_rel_props = st.dictionaries(st.sampled_from([*shared_keys, "label", "name", "id"]),
                                 safe_value, max_size=6)


@st.composite
def records(draw) -> dict:
    n = draw(st.integers(1, 4))
    ids = [f"city:x:{i}" for i in range(n)]
    clean = draw(st.booleans())
    printable = st.text(st.characters(categories=("L", "N", "P", "S", "Zs")), min_size=1,
                        max_size=20).filter(str.strip)
    name = st.one_of(st.sampled_from(["Lyon", "=cmd", "13", "'=x"]), printable,
                     *([] if clean else [hostile_text]))
    nodes = [{"id": i, "label": draw(st.sampled_from(["City", "Partner"])),
              "name": draw(name),
              "source": draw(st.sampled_from(["t", "'=x", "13"] + ([] if clean else
                                                                  ["src\x01"]))),
              "props": draw(safe_node_props if clean else props)}
             for i in ids]
    rels = [{"start": draw(st.sampled_from(ids)), "type": "PARTNERS_WITH",
             "end": draw(st.sampled_from(ids)), "key": draw(st.sampled_from(["", "k", "00"])),
             "props": draw(safe_rel_props if clean else props)}
            for _ in range(draw(st.integers(0, 3)))]
    return {"nodes": nodes, "relationships": rels}


def _load(store, path):
    try:
        return load_files(store, [path]), None
    except LoadErrors as exc:
        return None, exc


def _round_trips(store, tmp):
    g = store.to_networkx()
    for fmt in FORMATS:
        out = tmp / fmt / ("gephi" if fmt == "gephi-csv" else f"x.{fmt}")
        files = export_graph(g, fmt, out)
        fresh = SQLiteStore(tmp / fmt / "fresh.db")
        try:
            load_files(fresh, files)
            assert graph_to_json(fresh.to_networkx()) == graph_to_json(g), fmt
        finally:
            fresh.close()
        again = load_files(store, files).summary
        assert again.changed == 0, (fmt, again.as_dict())


@pytest.mark.neo4j
@pytest.mark.slow
@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(data=records())
def test_hostile_values_load_export_load_on_both_stores(tmp_path_factory, neo4j_driver, data):
    tmp = tmp_path_factory.mktemp("v")
    note(json.dumps(data)[:4000])
    path = tmp / "hostile.json"
    path.write_text(json.dumps(data), encoding="utf-8")  # lone surrogates as \\ud800 escapes
    wipe_neo4j(neo4j_driver)
    stores = {"sqlite": SQLiteStore(tmp / "s.db"), "neo4j": Neo4jStore(neo4j_driver)}
    try:
        outcomes = {k: _load(s, path) for k, s in stores.items()}
        err_s, err_n = outcomes["sqlite"][1], outcomes["neo4j"][1]
        assert (err_s is None) == (err_n is None)  # the same answer on both stores
        if err_s is not None:
            event("refused: " + err_s.errors[0].message.split(" ")[0][:30])
            assert [str(e) for e in err_s.errors] == [str(e) for e in err_n.errors]
            assert all(e.file and e.row is not None for e in err_s.errors
                       if "does not exist" not in e.message)
            assert all(s.counts().total_nodes == 0 for s in stores.values())
            return
        event("clean load")
        assert graph_to_json(stores["sqlite"].to_networkx()) == \
            graph_to_json(stores["neo4j"].to_networkx())
        for name, store in stores.items():
            _round_trips(store, tmp / name)
    finally:
        stores["sqlite"].close()


BEYOND = [("name", "Evil\x01Partner", {}), ("name", "a\u202eb", {}),
          ("props.n", "A", {"n": 2**64}), ("props.n", "A", {"n": -(2**63) - 1}),
          ("props.note", "A", {"note": "x" * 100_001}), ("props.note", "A", {"note": "\x00"})]


@pytest.mark.parametrize(("field", "name", "extra"), BEYOND)
def test_api_refuses_values_beyond_the_domain_on_both_stores(store, field, name, extra):
    settings = Settings(store="sqlite:///unused.db", api_token=SecretStr(TOKEN))
    with TestClient(create_app(settings=settings, store=store, cache_ttl=0),
                    raise_server_exceptions=False) as client:
        r = client.post("/nodes", headers=AUTH, json={
            "id": "partner:evil", "label": "Partner", "name": name, "source": "t",
            "props": extra})
        assert r.status_code == 422, r.text
        detail = r.json()["detail"]
        assert field.split(".")[-1] in detail, detail
        assert client.get("/nodes/partner:evil").status_code == 404
        report = client.get("/reports/network.xlsx")
        assert report.status_code == 200


def test_csv_values_beyond_the_domain_name_row_and_column(sqlite_store, tmp_path):
    p = tmp_path / "n.csv"
    p.write_text("id,label,name,source,note,n\n"
                 "partner:a,Partner,Evil\x01Partner,t,,\n"
                 "partner:b,Partner,B,t,fine\x1bnot,\n"
                 "partner:c,Partner,C,t,,99999999999999999999\n"
                 "partner:d,Partner,D\u202eE,t,,\n", encoding="utf-8")
    with pytest.raises(LoadErrors) as err:
        load_files(sqlite_store, [p])
    where = [(e.row, e.column) for e in err.value.errors]
    assert where == [(2, "name"), (3, "note"), (5, "name")], where
    assert sqlite_store.counts().total_nodes == 0
    # 20 digits is text in a CSV cell (no number that long), so row 4 loads as text
    q = tmp_path / "big.csv"
    q.write_text("id,label,name,source,n:int\npartner:c,Partner,C,t,99999999999999999999\n",
                 encoding="utf-8")
    with pytest.raises(LoadErrors, match=r"big.csv, row 2, column 'n:int': expected a whole "
                                         r"number \(64-bit\)"):
        load_files(sqlite_store, [q])


def test_floats_and_lists_keep_their_kind_through_csv(sqlite_store, tmp_path):
    from partnernet.graph.schema import Node, NodeLabel

    odd = {"ints": [1, 2], "floats": [1.0, -0.0], "flags": [True], "texts": ["1", "true"],
           "int": 3, "float": 3.0, "neg": -0.1852, "tiny": 5e-324, "huge": 1e300,
           "code": "13", "bool_text": "true", "list_text": "[1, 2]", "zero": "-0",
           "formula": "=1+1", "quoted": "'=x"}
    sqlite_store.upsert_nodes([Node(id="city:x", label=NodeLabel.CITY, name="X", source="t",
                                    props=odd)])
    files = export_graph(sqlite_store.to_networkx(), "gephi-csv", tmp_path / "g")
    header = files[0].read_text("utf-8").splitlines()[0].split(",")
    assert {"code:text", "bool_text:text", "list_text:text", "zero:text"} <= set(header)
    fresh = SQLiteStore(tmp_path / "f.db")
    load_files(fresh, files)
    back = fresh.get_node("city:x").props
    assert back == odd
    assert all(type(back[k]) is type(v) for k, v in odd.items())
    assert math.copysign(1, back["floats"][1]) == -1
    fresh.close()
