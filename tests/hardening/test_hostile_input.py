"""Hostile input for the loaders (Hypothesis): arbitrary unicode, empty and huge cells,
wrong types, duplicate ids, self-loops, BOMs, other delimiters and encodings. Every case
ends in a clean load or a LoadErrors naming file and row; never a traceback; a refused
load leaves the store as it was."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partnernet.graph.store.sqlite import SQLiteStore
from partnernet.loaders.errors import LoadErrors
from partnernet.loaders.load import load_files
from tests.hardening.hostile import _check, cell, ident, label

pytestmark = pytest.mark.slow

@st.composite
def node_tables(draw):
    rows = draw(st.lists(st.tuples(ident, label, cell, cell, cell), max_size=8))
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter)
    w.writerow(["id", "label", "name", "source", "population"])
    w.writerows(rows)
    return buf.getvalue().encode(encoding, errors="replace")


@st.composite
def rel_tables(draw):
    rows = draw(st.lists(st.tuples(ident, st.sampled_from(["PARTNERS_WITH", "MEMBER_OF",
                                                           "LOVES", ""]), ident, cell),
                         max_size=8))
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["start", "type", "end", "sdgs"])
    w.writerows(rows)
    return buf.getvalue().encode("utf-8")


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(nodes=node_tables(), rels=rel_tables())
def test_canonical_tables_never_crash(tmp_path_factory, nodes, rels):
    _check(tmp_path_factory.mktemp("h"), {"nodes.csv": nodes, "rels.csv": rels})


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(cell, cell, cell, cell), max_size=6))
def test_pair_lists_never_crash(tmp_path_factory, rows):
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["city1", "country1", "city2", "country2"])
    w.writerows(rows)
    _check(tmp_path_factory.mktemp("p"), {"pairs.csv": buf.getvalue().encode()})


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=300), suffix=st.sampled_from([".csv", ".json", ".xlsx",
                                                             ".graphml", ".gexf"]))
def test_arbitrary_bytes_never_crash(tmp_path_factory, data, suffix):
    tmp = tmp_path_factory.mktemp("b")
    store = SQLiteStore(tmp / "b.db")
    p = tmp / f"x{suffix}"
    p.write_bytes(data)
    try:
        load_files(store, [p])
    except LoadErrors as exc:
        assert exc.errors
    finally:
        store.close()


def test_huge_cell_is_refused_with_row_and_column(tmp_path):
    p = tmp_path / "n.csv"
    p.write_text("id,label,name,source\ncity:br:a,City," + "x" * 200_000 + ",t\n",
                 encoding="utf-8")
    with pytest.raises(LoadErrors, match=r"n.csv, row 2, column 'name'"):
        load_files(SQLiteStore(tmp_path / "x.db"), [p])


def test_graphml_entity_expansion_is_refused(tmp_path):
    p = tmp_path / "bomb.graphml"
    p.write_text('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]>'
                 '<graphml><graph edgedefault="undirected"><node id="&lol;"/></graph>'
                 "</graphml>", encoding="utf-8")
    with pytest.raises(LoadErrors, match="DOCTYPE"):
        load_files(SQLiteStore(tmp_path / "x.db"), [p])


def test_cypher_fragments_are_stored_as_data(store):
    from partnernet.graph.schema import Node, NodeLabel

    evil = "x'}) MATCH (n) DETACH DELETE n //"
    store.upsert_nodes([Node(id="city:br:evil", label=NodeLabel.CITY, name=evil,
                             source=evil, props={"note": "`) DETACH DELETE n"})])
    store.upsert_nodes([Node(id="city:br:other", label=NodeLabel.CITY, name="Other",
                             source="t")])
    assert store.get_node("city:br:evil").name == evil
    assert store.counts().total_nodes == 2
    assert [n.id for n in store.search(evil)] == ["city:br:evil"]
