"""Nothing silently changed (issue 14, point 6, loader part): unknown node and relationship
types are refused with row, column and the closest known name instead of becoming City or
PARTNERS_WITH; numbers stay numbers in CSV output while formula-like text is neutralised;
cells keep the kind of their column. Expected values by hand."""

from __future__ import annotations

import pytest

from partnernet.formatting import neutralise_cell, to_csv
from partnernet.loaders.errors import LoadErrors
from partnernet.loaders.formats.tables import unneutralise
from partnernet.loaders.load import load_files, plan_files


def _errors(paths):
    with pytest.raises(LoadErrors) as err:
        plan_files(paths)
    return err.value.errors


# -- unknown types --------------------------------------------------------------------------------
def test_gephi_unknown_node_type_is_refused_with_the_closest(tmp_path):
    (tmp_path / "nodes.csv").write_text("Id,Label,Type\n1,Lyon,City\n2,ACME,Partnr\n",
                                        encoding="utf-8")
    [e] = _errors([tmp_path / "nodes.csv"])
    assert (e.row, e.column) == (3, "Type")
    assert "unknown node type 'Partnr' (did you mean 'Partner'?)" in e.message


def test_gephi_unknown_relationship_type_is_refused_with_the_closest(tmp_path):
    (tmp_path / "nodes.csv").write_text("Id,Label\n1,Lyon\n2,Beirut\n", encoding="utf-8")
    (tmp_path / "edges.csv").write_text("Source,Target,rel_type\n1,2,SUPORTS\n2,1,\n",
                                        encoding="utf-8")
    [e] = _errors([tmp_path / "nodes.csv", tmp_path / "edges.csv"])
    assert (e.file, e.row, e.column) == ("edges.csv", 2, "rel_type")
    assert "(did you mean 'SUPPORTS'?)" in e.message


def test_gephi_edge_label_naming_types_is_a_type_column(tmp_path):
    (tmp_path / "nodes.csv").write_text("Id,Label,Type\n1,Lyon,City\n2,Fund,Partner\n",
                                        encoding="utf-8")
    (tmp_path / "edges.csv").write_text("Source,Target,Label\n2,1,supports\n2,1,SUPORTS\n",
                                        encoding="utf-8")
    [e] = _errors([tmp_path / "nodes.csv", tmp_path / "edges.csv"])
    assert (e.row, e.column) == (3, "Label") and "did you mean 'SUPPORTS'" in e.message


def test_gephi_free_text_columns_stay_properties_and_say_so(sqlite_store, tmp_path):
    (tmp_path / "nodes.csv").write_text("Id,Label,Type\n1,Lyon,NGO\n2,Beirut,University\n",
                                        encoding="utf-8")
    (tmp_path / "edges.csv").write_text("Source,Target,Label\n1,2,sister cities\n",
                                        encoding="utf-8")
    result = load_files(sqlite_store, [tmp_path / "nodes.csv", tmp_path / "edges.csv"])
    by_id = {n.props.get("source_id"): n for n in sqlite_store.list_nodes("City").items}
    assert (by_id["1"].props["Type"], by_id["2"].props["Type"]) == ("NGO", "University")
    assert sqlite_store.list_relationships("PARTNERS_WITH").items[0].props == {
        "label": "sister cities"}
    assert any("column 'Type' names no partnernet label" in n for n in result.plan.notes)


def test_graph_file_unknown_label_and_type_are_refused(tmp_path):
    p = tmp_path / "g.graphml"
    p.write_text('<graphml xmlns="http://graphml.graphdrawing.org/xmlns">'
                 '<key id="l" for="node" attr.name="node_label" attr.type="string"/>'
                 '<key id="t" for="edge" attr.name="rel_type" attr.type="string"/>'
                 '<graph edgedefault="directed"><node id="a"><data key="l">Partnr</data></node>'
                 '<node id="b"><data key="l">City</data></node>'
                 '<edge source="b" target="b"><data key="t">SUPORTS</data></edge>'
                 "</graph></graphml>", encoding="utf-8")
    errors = _errors([p])
    assert [(e.file, e.row, e.column) for e in errors] == [
        ("g.graphml nodes", 1, "node_label"), ("g.graphml edges", 1, "rel_type")]
    assert "did you mean 'Partner'" in errors[0].message
    assert "did you mean 'SUPPORTS'" in errors[1].message


def test_canonical_unknown_label_names_the_closest(tmp_path):
    (tmp_path / "n.csv").write_text("id,label,name\npartner:x,Partnr,X\n", encoding="utf-8")
    [e] = _errors([tmp_path / "n.csv"])
    assert "did you mean 'Partner'" in e.message


# -- numbers and formulas in CSV output -----------------------------------------------------------
def test_csv_output_keeps_numbers_and_neutralises_formulas():
    text = to_csv([{"name": "Quito", "z": -0.18523456789, "n": -3, "f": "=1+1", "g": "-2+3",
                    "h": "@SUM(A1)", "t": "-0.1852"}])
    assert text.splitlines()[1] == "Quito,-0.18523456789,-3,'=1+1,'-2+3,'@SUM(A1),-0.1852"


@pytest.mark.parametrize("text", ["=x", "'=x", "''", "'", "'a", "-5", "-", "+33 1 23",
                                  "'-5", "@", "-0.1852", "1e5"])
def test_neutralisation_is_undone_exactly(text):
    assert unneutralise(neutralise_cell(text)) == text


# -- kinds of cells ------------------------------------------------------------------------------
def test_csv_cells_take_the_kind_of_their_column(sqlite_store, tmp_path):
    (tmp_path / "n.csv").write_text(
        "id,label,name,code,score,flag,zip:text,tags\n"
        "city:a,City,A,13,1,true,01000,\"[\"\"x\"\"]\"\n"
        "city:b,City,B,SP,2.5,false,75001,\n", encoding="utf-8")
    load_files(sqlite_store, [tmp_path / "n.csv"])
    a, b = sqlite_store.get_node("city:a").props, sqlite_store.get_node("city:b").props
    assert (a["code"], b["code"]) == ("13", "SP")  # text column: "13" stays text
    assert (a["score"], b["score"]) == (1.0, 2.5) and type(a["score"]) is float
    assert (a["flag"], b["flag"]) == (True, False)
    assert (a["zip"], b["zip"]) == ("01000", "75001")  # declared text
    assert a["tags"] == ["x"]


def test_declared_kind_is_checked_per_cell(tmp_path):
    (tmp_path / "n.csv").write_text("id,label,name,year:int\ncity:a,City,A,2019\n"
                                    "city:b,City,B,c. 2019\n", encoding="utf-8")
    [e] = _errors([tmp_path / "n.csv"])
    assert (e.row, e.column) == (3, "year:int") and "whole number" in e.message


def test_graph_files_from_other_tools(sqlite_store, tmp_path):
    """What NetworkX (pandas NaN, ``True``), yEd (labels in graphics) and Gephi (viz, list
    types, mutual edges) write."""
    (tmp_path / "nx.graphml").write_text(
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
        'xmlns:y="http://www.yworks.com/xml/graphml">'
        '<key id="d0" for="node" attr.name="score" attr.type="double"/>'
        '<key id="d1" for="node" attr.name="flag" attr.type="boolean"/>'
        '<key id="d2" for="node" yfiles.type="nodegraphics"/>'
        '<graph edgedefault="undirected">'
        '<node id="a"><data key="d0">NaN</data><data key="d1">True</data>'
        '<data key="d2"><y:ShapeNode><y:NodeLabel>Lyon</y:NodeLabel></y:ShapeNode></data>'
        '</node><node id="b"><data key="d0"> 2.5 </data></node>'
        '<edge source="a" target="b"/></graph></graphml>', encoding="utf-8")
    (tmp_path / "gephi.gexf").write_text(
        '<gexf xmlns="http://gexf.net/1.3" xmlns:viz="http://gexf.net/1.3/viz" version="1.3">'
        '<graph defaultedgetype="directed"><attributes class="node">'
        '<attribute id="t" title="themes" type="liststring"/></attributes><nodes>'
        '<node id="c" label="Quito"><attvalues><attvalue for="t" value="[water, housing]"/>'
        '</attvalues><viz:size value="3"/></node><node id="d" label="Lima"/></nodes><edges>'
        '<edge source="c" target="d" type="mutual" weight="2"/></edges></graph></gexf>',
        encoding="utf-8")
    result = load_files(sqlite_store, [tmp_path / "nx.graphml", tmp_path / "gephi.gexf"])
    a, b = sqlite_store.get_node("city:a"), sqlite_store.get_node("city:b")
    assert (a.name, a.props, b.props) == ("Lyon", {"flag": True}, {"score": 2.5})
    assert sqlite_store.get_node("city:c").props == {"themes": ["water", "housing"]}
    rels = {(r.start, r.end): r.props for r in sqlite_store.list_relationships().items}
    assert rels == {("city:a", "city:b"): {}, ("city:c", "city:d"): {"weight": 2.0}}
    assert any("NaN" in n for n in result.plan.notes)
